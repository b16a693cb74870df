/** The coalescer: concurrent look-ups share one batched load; a lone one is loaded at once; errors reach every caller of the batch. */
import { describe, expect, it, vi } from 'vitest';
import { Coalescer } from './coalescer.js';

describe('Coalescer', () => {
  it('loads the keys asked for in one turn of the event loop together, each once', async () => {
    const load = vi.fn(async (keys: string[]) => new Map(keys.map((k) => [k, k.toUpperCase()])));
    const c = new Coalescer(load);
    const answers = await Promise.all([c.get('a'), c.get('b'), c.get('a')]);
    expect(answers).toEqual(['A', 'B', 'A']);
    expect(load).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledWith(['a', 'b']);
    expect(await c.get('c')).toBe('C');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('answers undefined for a key the load did not find, and rejects every caller of a failed batch', async () => {
    let fail = false;
    const c = new Coalescer(async (keys: string[]) => {
      if (fail) throw new Error('connection lost');
      return new Map(keys.filter((k) => k !== 'gone').map((k) => [k, 1]));
    });
    expect(await Promise.all([c.get('here'), c.get('gone')])).toEqual([1, undefined]);
    fail = true;
    const results = await Promise.allSettled([c.get('x'), c.get('y')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('loads at once when a batch is full', async () => {
    const load = vi.fn(async (keys: string[]) => new Map(keys.map((k) => [k, k])));
    const c = new Coalescer(load, 2);
    await Promise.all([c.get('a'), c.get('b'), c.get('c')]);
    expect(load.mock.calls.map(([keys]) => keys)).toEqual([['a', 'b'], ['c']]);
  });
});
