/**
 * Attendance while the live player plays: one live_heartbeat at play and every LIVE_HEARTBEAT_MS
 * (30 s) after, none while paused, stalled or hidden. The engine counts the distinct minutes
 * with a heartbeat, so gaps do not count. Platform-free: the timer and the sender are injected.
 */
import { LIVE_HEARTBEAT_MS } from '@hcp360/shared';

export interface HeartbeatTimer {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export class LiveHeartbeat {
  private handle: unknown = null;
  private position = 0;

  constructor(
    private readonly send: (positionS: number) => void,
    private readonly timer: HeartbeatTimer = { setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>) },
    private readonly everyMs = LIVE_HEARTBEAT_MS,
  ) {}

  /** The player's position (seconds), reported with the next heartbeat. */
  time(seconds: number): void {
    if (Number.isFinite(seconds) && seconds >= 0) this.position = Math.min(86_400, Math.floor(seconds));
  }

  get playing(): boolean {
    return this.handle !== null;
  }

  play(): void {
    if (this.handle !== null) return;
    this.send(this.position);
    this.handle = this.timer.setInterval(() => this.send(this.position), this.everyMs);
  }

  stop(): void {
    if (this.handle === null) return;
    this.timer.clearInterval(this.handle);
    this.handle = null;
  }
}
