import { describe, expect, it } from 'vitest';
import { countdown, dayTime, timeRange } from './liveTime';

describe('live times', () => {
  it('prints China time', () => {
    expect(dayTime('2026-12-01T12:00:00.000Z')).toBe('12月01日 20:00');
    expect(timeRange('2026-12-01T12:00:00.000Z', '2026-12-01T13:30:00.000Z')).toBe('12月01日 20:00–21:30');
  });
  it('counts down to the start, then stops', () => {
    const start = '2026-12-01T12:00:00.000Z';
    const at = Date.parse(start);
    expect(countdown(start, at - (2 * 86_400 + 3 * 3600 + 4 * 60 + 5) * 1000)).toBe('2天 03:04:05');
    expect(countdown(start, at - 65_000)).toBe('00:01:05');
    expect(countdown(start, at)).toBeNull();
    expect(countdown(start, at + 1000)).toBeNull();
  });
});
