/**
 * Active time on a page: runs while the page is visible, pauses while it is hidden (another
 * page on top, the app in the background, the browser tab hidden). Pure, with an injected
 * clock, so dwell accounting is tested without a device.
 */

/** The event schema caps dwell at one day. */
export const MAX_DWELL_MS = 24 * 60 * 60 * 1000;

export class ActiveTimer {
  private accumulatedMs = 0;
  private runningSince: number | null;

  /** Starts running unless `running` is false. */
  constructor(
    private readonly now: () => number,
    running = true,
  ) {
    this.runningSince = running ? now() : null;
  }

  get running(): boolean {
    return this.runningSince !== null;
  }

  pause(): void {
    if (this.runningSince === null) return;
    this.accumulatedMs += Math.max(0, this.now() - this.runningSince);
    this.runningSince = null;
  }

  resume(): void {
    if (this.runningSince === null) this.runningSince = this.now();
  }

  /** Active milliseconds since the start or the last take(). */
  activeMs(): number {
    const current = this.runningSince === null ? 0 : Math.max(0, this.now() - this.runningSince);
    return Math.min(MAX_DWELL_MS, Math.round(this.accumulatedMs + current));
  }

  /** Returns the active time so far and starts counting from zero (running or paused as before). */
  take(): number {
    const ms = this.activeMs();
    this.accumulatedMs = 0;
    if (this.runningSince !== null) this.runningSince = this.now();
    return ms;
  }
}
