import { describe, expect, it } from 'vitest';
import { ActiveTimer, MAX_DWELL_MS } from './activeTimer';
import { ReadingTracker } from './readingTracker';
import { VisitSession } from './visitSession';

function fakeNow(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('ActiveTimer', () => {
  it('counts only the time the page was shown', () => {
    const clock = fakeNow();
    const timer = new ActiveTimer(clock.now);
    clock.advance(5_000);
    timer.pause(); // another page on top, the app in the background, the tab hidden
    clock.advance(60_000);
    timer.resume();
    clock.advance(3_000);
    expect(timer.activeMs()).toBe(8_000);
  });

  it('take() hands over the time so far and starts again from zero', () => {
    const clock = fakeNow();
    const timer = new ActiveTimer(clock.now);
    clock.advance(4_000);
    timer.pause();
    expect(timer.take()).toBe(4_000);
    clock.advance(10_000);
    timer.resume();
    clock.advance(2_000);
    expect(timer.take()).toBe(2_000);
    expect(timer.running).toBe(true);
  });

  it('ignores a pause while paused and a resume while running', () => {
    const clock = fakeNow();
    const timer = new ActiveTimer(clock.now, false);
    clock.advance(1_000);
    timer.pause();
    timer.resume();
    clock.advance(1_000);
    timer.resume();
    clock.advance(1_000);
    expect(timer.activeMs()).toBe(2_000);
  });

  it('caps dwell at the schema maximum of one day', () => {
    const clock = fakeNow();
    const timer = new ActiveTimer(clock.now);
    clock.advance(3 * MAX_DWELL_MS);
    expect(timer.activeMs()).toBe(MAX_DWELL_MS);
  });
});

describe('ReadingTracker', () => {
  it('keeps the deepest scroll position, not the last one', () => {
    const reader = new ReadingTracker(fakeNow().now);
    reader.scroll(0, 800, 4_000); // first screen: 20 %
    expect(reader.scrollDepth).toBe(0.2);
    reader.scroll(2_400, 800, 4_000); // 80 %
    reader.scroll(400, 800, 4_000); // back up
    expect(reader.scrollDepth).toBe(0.8);
    reader.scroll(3_500, 800, 4_000); // past the end (bounce)
    expect(reader.scrollDepth).toBe(1);
  });

  it('counts content that fits on one screen as read to the end, and ignores unmeasured pages', () => {
    const reader = new ReadingTracker(fakeNow().now);
    reader.scroll(0, 800, 0);
    expect(reader.scrollDepth).toBe(0);
    reader.scroll(0, 800, 600);
    expect(reader.scrollDepth).toBe(1);
  });

  it('reports active reading time only, and repeated takes add up to the total', () => {
    const clock = fakeNow();
    const reader = new ReadingTracker(clock.now);
    clock.advance(30_000);
    reader.scroll(1_000, 800, 3_600); // 50 %
    reader.pause();
    clock.advance(600_000); // the doctor left for ten minutes
    expect(reader.take()).toEqual({ dwell_ms: 30_000, scroll_depth: 0.5 });
    reader.resume();
    clock.advance(35_000);
    reader.scroll(2_800, 800, 3_600);
    expect(reader.take()).toEqual({ dwell_ms: 35_000, scroll_depth: 1 });
  });
});

describe('VisitSession', () => {
  it('keeps the session across short trips to the background and starts a new one after 30 minutes', () => {
    const clock = fakeNow();
    const visit = new VisitSession(clock.now, Math.random);
    const first = visit.id;
    expect(first).toMatch(/^[A-Za-z0-9_.:-]{1,64}$/);
    visit.hidden();
    clock.advance(10 * 60_000);
    visit.shown();
    expect(visit.id).toBe(first);
    visit.hidden();
    clock.advance(31 * 60_000);
    visit.shown();
    expect(visit.id).not.toBe(first);
  });
});
