/** The impression buffer with a fake pool: batching, size-triggered flushes, retry, shutdown. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Deps } from '../../platform/deps.js';
import { ImpressionRecorder, type Impression } from './impressions.js';

const OPTS = { flushEveryMs: 1000, flushAtRows: 5, maxBufferedRows: 8 };
const row = (n: number): Impression => ({ hcpId: '1', contentId: String(n), position: n, reasonKind: 'fresh', snapshotToken: null, shownAt: 0 });

function fakeDeps(fail: () => boolean = () => false) {
  const inserts: unknown[][][] = [];
  const log = { warn: vi.fn(), error: vi.fn() };
  const pool = {
    query: vi.fn(async (_sql: string, params: unknown[][][]) => {
      if (fail()) throw new Error('connection lost');
      inserts.push(params[0]!);
      return [{ affectedRows: params[0]!.length }];
    }),
  };
  return { deps: { pool, log } as unknown as Pick<Deps, 'pool' | 'log'>, inserts, log };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ImpressionRecorder', () => {
  it('writes nothing while recording, then one multi-row INSERT per interval', async () => {
    const { deps, inserts } = fakeDeps();
    const rec = new ImpressionRecorder(deps, OPTS);
    rec.record([row(1), row(2)]);
    rec.record([row(3)]);
    expect(inserts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(inserts).toHaveLength(1);
    expect(inserts[0]!.map((r) => r[1])).toEqual(['1', '2', '3']);
    await rec.close();
  });

  it('flushes at once when enough rows wait', async () => {
    const { deps, inserts } = fakeDeps();
    const rec = new ImpressionRecorder(deps, OPTS);
    rec.record([1, 2, 3, 4, 5].map(row));
    await vi.advanceTimersByTimeAsync(0);
    expect(inserts).toHaveLength(1);
    await rec.close();
  });

  it('keeps rows after a failed write (bounded), and writes them next time', async () => {
    let down = true;
    const { deps, inserts, log } = fakeDeps(() => down);
    const rec = new ImpressionRecorder(deps, OPTS);
    rec.record([1, 2, 3].map(row));
    await vi.advanceTimersByTimeAsync(1000);
    rec.record([4, 5, 6, 7, 8, 9, 10].map(row));
    await vi.advanceTimersByTimeAsync(1000);
    expect(log.warn).toHaveBeenCalled();
    expect(rec.pending).toBe(8);
    down = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(inserts.flat().map((r) => r[1])).toEqual(['3', '4', '5', '6', '7', '8', '9', '10']);
    await rec.close();
  });

  it('writes what is left on close and records nothing after', async () => {
    const { deps, inserts } = fakeDeps();
    const rec = new ImpressionRecorder(deps, OPTS);
    rec.record([row(1)]);
    await rec.close();
    expect(inserts).toHaveLength(1);
    rec.record([row(2)]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(inserts).toHaveLength(1);
  });
});
