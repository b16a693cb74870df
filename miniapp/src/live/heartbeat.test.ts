import { describe, expect, it } from 'vitest';
import { LiveHeartbeat } from './heartbeat';

function fakeTimer() {
  const fns = new Map<number, () => void>();
  let next = 1;
  return {
    setInterval: (fn: () => void) => (fns.set(next, fn), next++),
    clearInterval: (h: unknown) => void fns.delete(h as number),
    tick: () => [...fns.values()].forEach((fn) => fn()),
    active: () => fns.size,
  };
}

describe('LiveHeartbeat', () => {
  it('beats at play and every interval, with the position, and not while stopped', () => {
    const sent: number[] = [];
    const timer = fakeTimer();
    const hb = new LiveHeartbeat((p) => sent.push(p), timer);
    hb.time(12.7);
    hb.play();
    hb.play(); // a second play event does not double the timer
    expect(timer.active()).toBe(1);
    hb.time(42);
    timer.tick();
    hb.stop();
    timer.tick();
    expect(sent).toEqual([12, 42]);
    expect(hb.playing).toBe(false);
    hb.play();
    expect(sent).toEqual([12, 42, 42]);
  });
});
