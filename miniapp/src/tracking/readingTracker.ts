/**
 * What a reader did on one content page: active reading time (hidden time excluded) and the
 * deepest point scrolled to, as the fraction of the content that has been on screen. Pure;
 * the Taro hook feeds it scroll positions and page heights and records `content_read`.
 */
import { ActiveTimer } from './activeTimer';

export interface ReadingSnapshot {
  dwell_ms: number;
  /** 0…1, two decimals. */
  scroll_depth: number;
}

export class ReadingTracker {
  private readonly timer: ActiveTimer;
  private maxDepth = 0;

  constructor(now: () => number) {
    this.timer = new ActiveTimer(now);
  }

  /**
   * One scroll position: `scrollTop` px scrolled, `viewportHeight` px visible, `contentHeight`
   * the page's full scroll height. Content that fits on one screen has been read to the end.
   */
  scroll(scrollTop: number, viewportHeight: number, contentHeight: number): void {
    if (!(contentHeight > 0) || !(viewportHeight > 0)) return;
    const seen = Math.max(0, scrollTop) + viewportHeight;
    const depth = Math.min(1, seen / contentHeight);
    if (depth > this.maxDepth) this.maxDepth = depth;
  }

  get scrollDepth(): number {
    return Math.round(this.maxDepth * 100) / 100;
  }

  pause(): void {
    this.timer.pause();
  }

  resume(): void {
    this.timer.resume();
  }

  /** Active time since the last take (so repeated records add up), and the deepest point so far. */
  take(): ReadingSnapshot {
    return { dwell_ms: this.timer.take(), scroll_depth: this.scrollDepth };
  }
}
