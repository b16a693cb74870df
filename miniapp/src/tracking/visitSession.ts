/**
 * The envelope's `session_id`: one visit to the app. A cold launch starts one; coming back
 * from the background after more than 30 minutes starts another (the usual analytics rule).
 */
import { randomToken } from './ids';

export const SESSION_IDLE_MS = 30 * 60 * 1000;

export class VisitSession {
  private currentId: string;
  private hiddenAt: number | null = null;

  constructor(
    private readonly now: () => number,
    private readonly random: () => number,
    private readonly idleMs = SESSION_IDLE_MS,
  ) {
    this.currentId = this.newId();
  }

  get id(): string {
    return this.currentId;
  }

  hidden(): void {
    this.hiddenAt ??= this.now();
  }

  shown(): void {
    if (this.hiddenAt !== null && this.now() - this.hiddenAt > this.idleMs) this.currentId = this.newId();
    this.hiddenAt = null;
  }

  private newId(): string {
    return `s-${this.now().toString(36)}-${randomToken(this.random, 10)}`;
  }
}
