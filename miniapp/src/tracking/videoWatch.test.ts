import { describe, expect, it } from 'vitest';
import { VideoWatch } from './videoWatch';

describe('VideoWatch', () => {
  it('counts seconds played and the furthest point, not seeks or pauses', () => {
    const w = new VideoWatch();
    w.play();
    for (let t = 0.25; t <= 10; t += 0.25) w.time(t, 100); // from the start, though the first update is at ¼ s
    w.stop(); // paused
    w.time(10, 100);
    w.play();
    w.time(60, 100); // seek forward: not watched
    for (let t = 60.25; t <= 65; t += 0.25) w.time(t, 100);
    expect(w.take()).toEqual({ dwell_ms: 15_000, scroll_depth: 0.65 });
  });

  it('adds up over repeated takes and answers null when nothing was watched since', () => {
    const w = new VideoWatch();
    w.time(0, 0);
    w.time(1, 0);
    expect(w.take()).toEqual({ dwell_ms: 1000, scroll_depth: 0 });
    expect(w.take()).toBeNull();
    w.time(1.5, 4);
    expect(w.take()).toEqual({ dwell_ms: 500, scroll_depth: 0.38 });
  });
});
