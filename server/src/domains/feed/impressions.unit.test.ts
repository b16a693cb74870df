/** The impression buffer with a fake pool (one row per page: batching, size-triggered flushes, statements of bounded size, retry, shutdown) and the packed items column. */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Deps } from '../../platform/deps.js';
import { addImpressionTime, decodePageItems, encodePageItems, IMPRESSION_TIMES_KEPT, ImpressionRecorder, packedItem, utcDateTime, type ImpressionTimes, type ShownItem, type ShownPage } from './impressions.js';

const OPTS = { flushEveryMs: 1000, flushAtRows: 5, maxBufferedRows: 8 };
/** Page `n` of doctor `hcpId`: two items, positions 2n and 2n+1. */
const page = (n: number, hcpId = '1'): ShownPage => ({
  hcpId,
  shownAt: n,
  snapshotToken: null,
  items: [
    { contentId: `${n}0`, reasonKind: 'fresh', position: 2 * n },
    { contentId: `${n}1`, reasonKind: 'affinity', position: 2 * n + 1 },
  ],
});
/** The page numbers in INSERT rows (first_position is the 4th column). */
const pagesIn = (rows: unknown[][]) => rows.map((r) => Number(r[3]) / 2);

const UNESCAPE: Record<string, string> = { '0': '\0', b: '\b', t: '\t', n: '\n', r: '\r', Z: '\x1a' };

/** The rows of an `INSERT … VALUES (…),(…)` statement: each value a string, a number or null. */
function rowsOf(sql: string): unknown[][] {
  expect(sql.startsWith('INSERT INTO feed_page_impressions (hcp_id, shown_at, snapshot_token, first_position, items) VALUES (')).toBe(true);
  const rows: unknown[][] = [];
  let row: unknown[] = [];
  for (const [token, quoted] of sql.slice(sql.indexOf(' VALUES ')).matchAll(/'((?:[^'\\]|\\.)*)'|NULL|-?\d+|\(|\)/g)) {
    if (token === '(') row = [];
    else if (token === ')') rows.push(row);
    else if (quoted !== undefined) row.push(quoted.replace(/\\(.)/gs, (_, c: string) => UNESCAPE[c] ?? c));
    else row.push(token === 'NULL' ? null : Number(token));
  }
  return rows;
}

/** A pool that keeps each INSERT's rows; `fail` makes a statement fail, `hold` delays it (a database that stalls). */
function fakeDeps(fail: () => boolean = () => false, hold: () => Promise<void> = async () => undefined) {
  const inserts: unknown[][][] = [];
  const log = { warn: vi.fn(), error: vi.fn() };
  const pool = {
    query: vi.fn(async (sql: string) => {
      await hold();
      if (fail()) throw new Error('connection lost');
      const rows = rowsOf(sql);
      inserts.push(rows);
      return [{ affectedRows: rows.length }];
    }),
  };
  return { deps: { pool, log } as unknown as Pick<Deps, 'pool' | 'log'>, inserts, log };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ImpressionRecorder', () => {
  it('writes nothing while recording, then one multi-row INSERT per interval, one row per page', async () => {
    const { deps, inserts } = fakeDeps();
    const rec = new ImpressionRecorder(deps, OPTS);
    rec.record(page(1));
    rec.record(page(2));
    rec.record(page(3));
    expect(inserts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(inserts).toHaveLength(1);
    expect(inserts[0]!).toEqual([1, 2, 3].map((n) => ['1', `1970-01-01 00:00:00.00${n}`, null, 2 * n, `${n}0.f ${n}1.a`]));
    await rec.close();
  });

  it('writes a run of packed items as the same row a page of those items at consecutive positions makes', async () => {
    const { deps, inserts } = fakeDeps();
    const rec = new ImpressionRecorder(deps, OPTS);
    const items: ShownItem[] = [
      { contentId: '7', reasonKind: 'affinity', position: 0 },
      { contentId: '9', reasonKind: 'cluster', position: 1 },
      { contentId: '4', reasonKind: 'fresh', position: 2 },
    ];
    rec.recordRun('1', 5, 'tok', 0, items.map((it) => packedItem(it.contentId, it.reasonKind)));
    rec.record({ hcpId: '1', shownAt: 5, snapshotToken: 'tok', items });
    rec.recordRun('1', 6, null, 0, []);
    await vi.advanceTimersByTimeAsync(1000);
    expect(inserts[0]!).toHaveLength(2);
    expect(inserts[0]![0]).toEqual(inserts[0]![1]);
    expect(decodePageItems(0, inserts[0]![0]![4] as string)).toEqual(items);
    await rec.close();
  });

  it('writes values that need escaping (quotes, backslashes, control and multi-byte characters) as they were', async () => {
    const { deps, inserts } = fakeDeps();
    const rec = new ImpressionRecorder(deps, OPTS);
    const odd: ShownPage = {
      hcpId: "o'brien\\",
      shownAt: 7,
      snapshotToken: 'to\'k\n\u0000',
      items: [
        { contentId: "内容'1", reasonKind: 'fresh', position: 3 },
        { contentId: '2\\', reasonKind: 'cluster', position: 9 },
      ],
    };
    rec.record(odd);
    rec.record(page(1));
    await vi.advanceTimersByTimeAsync(1000);
    expect(inserts[0]!).toEqual([
      ["o'brien\\", '1970-01-01 00:00:00.007', 'to\'k\n\u0000', 3, encodePageItems(odd.items)],
      ['1', '1970-01-01 00:00:00.001', null, 2, '10.f 11.a'],
    ]);
    expect(decodePageItems(3, inserts[0]![0]![4] as string)).toEqual(odd.items);
    await rec.close();
  });

  it('records nothing for a page with no items', async () => {
    const { deps, inserts } = fakeDeps();
    const rec = new ImpressionRecorder(deps, OPTS);
    rec.record({ ...page(1), items: [] });
    expect(rec.pending).toBe(0);
    await rec.close();
    expect(inserts).toHaveLength(0);
  });

  it('flushes at once when enough pages wait', async () => {
    const { deps, inserts } = fakeDeps();
    const rec = new ImpressionRecorder(deps, OPTS);
    for (const n of [1, 2, 3, 4]) rec.record(page(n));
    await vi.advanceTimersByTimeAsync(0);
    expect(inserts).toHaveLength(0);
    rec.record(page(5));
    await vi.advanceTimersByTimeAsync(0);
    expect(inserts).toHaveLength(1);
    expect(pagesIn(inserts[0]!)).toEqual([1, 2, 3, 4, 5]);
    await rec.close();
  });

  it('keeps pages after a failed write (bounded), and writes them next time', async () => {
    let down = true;
    const { deps, inserts, log } = fakeDeps(() => down);
    const rec = new ImpressionRecorder(deps, OPTS);
    for (const n of [1, 2, 3]) rec.record(page(n));
    await vi.advanceTimersByTimeAsync(1000);
    for (const n of [4, 5, 6, 7, 8, 9, 10]) rec.record(page(n));
    await vi.advanceTimersByTimeAsync(1000);
    expect(log.warn).toHaveBeenCalled();
    expect(rec.pending).toBe(8);
    down = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(pagesIn(inserts.flat())).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    await rec.close();
  });

  it('writes at most flushAtRows pages a statement, and starts the next write as a slow one ends when enough pages waited', async () => {
    let release!: () => void;
    const stalled = new Promise<void>((r) => (release = r));
    let statements = 0;
    // The first statement hangs until released.
    const { deps, inserts } = fakeDeps(undefined, () => (statements++ === 0 ? stalled : Promise.resolve()));
    const rec = new ImpressionRecorder(deps, OPTS);
    for (let n = 1; n <= 5; n++) rec.record(page(n));
    await vi.advanceTimersByTimeAsync(0);
    // The first write hangs; seven pages arrive meanwhile (eight are kept).
    for (let n = 6; n <= 12; n++) rec.record(page(n));
    await vi.advanceTimersByTimeAsync(0);
    expect(statements).toBe(1);
    release();
    await vi.advanceTimersByTimeAsync(0);
    // Without waiting for the timer: pages 6–12 in a statement of five and one of two.
    expect(inserts.map(pagesIn)).toEqual([
      [1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10],
      [11, 12],
    ]);
    await rec.close();
  });

  it('tries a database that is down again on the timer only, not in a loop', async () => {
    const { deps, inserts } = fakeDeps(() => true);
    const rec = new ImpressionRecorder(deps, OPTS);
    for (let n = 1; n <= 8; n++) rec.record(page(n));
    await vi.advanceTimersByTimeAsync(3000);
    // The write at five pages, then one try a second.
    expect((deps.pool.query as unknown as ReturnType<typeof vi.fn>).mock.calls.length).toBe(4);
    expect(inserts).toHaveLength(0);
    expect(rec.pending).toBe(8);
    await rec.close();
  });

  it('answers the asked doctors’ pages not written yet alongside a read', async () => {
    const { deps } = fakeDeps();
    const rec = new ImpressionRecorder(deps, OPTS);
    rec.record(page(1, '7'));
    rec.record(page(2, '8'));
    rec.record(page(3, '7'));
    const { value, unwritten } = await rec.readWithUnwritten(['7'], async () => 'table');
    expect(value).toBe('table');
    expect(unwritten).toEqual([page(1, '7'), page(3, '7')]);
    await rec.flush();
    expect((await rec.readWithUnwritten(['7'], async () => 0)).unwritten).toEqual([]);
    await rec.close();
  });

  it('keeps exactly the latest maxBufferedRows pages, every field of each, however many came and went', async () => {
    // The pages wait in columns (typed arrays and one byte buffer), which grow and, as the oldest
    // are dropped, move down: enough pages to do both several times, tokens of every kind.
    const opts = { flushEveryMs: 3_600_000, flushAtRows: 100_000, maxBufferedRows: 300 };
    const shown: ShownPage[] = [];
    const rec = new ImpressionRecorder(fakeDeps().deps, opts);
    for (let n = 0; n < 2000; n++) {
      const p: ShownPage = {
        hcpId: String(n % 7),
        shownAt: 1_765_000_000_000 + n,
        snapshotToken: n % 3 === 0 ? null : n % 3 === 1 ? `tok${n}` : '',
        items: Array.from({ length: 1 + (n % 12) }, (_, i) => ({ contentId: String(n * 100 + i), reasonKind: i % 2 ? 'cluster' : 'affinity', position: n + i + (i > 4 ? 1 : 0) })),
      };
      shown.push(p);
      rec.record(p);
    }
    expect(rec.pending).toBe(300);
    const { unwritten } = await rec.readWithUnwritten(['0', '1', '2', '3', '4', '5', '6'], async () => null);
    expect(unwritten).toEqual(shown.slice(-300));
    await rec.close();
  });

  it('writes what is left on close and records nothing after', async () => {
    const { deps, inserts } = fakeDeps();
    const rec = new ImpressionRecorder(deps, OPTS);
    rec.record(page(1));
    await rec.close();
    expect(inserts).toHaveLength(1);
    rec.record(page(2));
    await vi.advanceTimersByTimeAsync(5000);
    expect(inserts).toHaveLength(1);
  });
});

describe('the packed items column', () => {
  it('keeps each item, its reason kind and its position, a position written only after a gap', () => {
    const items: ShownItem[] = [
      { contentId: '101', reasonKind: 'affinity', position: 10 },
      { contentId: '7', reasonKind: 'cluster', position: 11 },
      { contentId: '55', reasonKind: 'peers', position: 14 },
      { contentId: '56', reasonKind: 'fresh', position: 15 },
      { contentId: '9000000000000000001', reasonKind: 'editor', position: 17 },
      { contentId: '3', reasonKind: 'picked', position: 18 },
    ];
    const text = encodePageItems(items);
    expect(text).toBe('101.a 7.c 55.p.14 56.f 9000000000000000001.e.17 3.k');
    expect(decodePageItems(10, text)).toEqual(items);
  });

  it('writes a time as the DATETIME(3) literal the driver wrote for a Date, in UTC', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -2_000_000_000_000, max: 4_000_000_000_000 }), { minLength: 1, maxLength: 20 }), (times) => {
        // In any order, and several in one second: the part up to the second is reused only within it.
        for (const ms of [...times, ...times.map((t) => t + 1), ...times.map((t) => t - (t % 1000))]) {
          const iso = new Date(ms).toISOString();
          expect(utcDateTime(ms)).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 23)}`);
        }
      }),
    );
  });

  it('reads an unknown letter as picked', () => {
    expect(decodePageItems(0, '4.z')).toEqual([{ contentId: '4', reasonKind: 'picked', position: 0 }]);
  });
});

describe('impression times kept per item', () => {
  it('are the latest IMPRESSION_TIMES_KEPT of those noted, in order, whatever order they are noted in', () => {
    fc.assert(
      // size 'max': lists as long as asked for, so an item is noted more often than is kept.
      fc.property(fc.array(fc.tuple(fc.constantFrom('1', '2', '3'), fc.integer({ min: 0, max: 40 })), { maxLength: 60, size: 'max' }), (noted) => {
        const times: ImpressionTimes = new Map();
        for (const [id, at] of noted) addImpressionTime(times, id, at);
        for (const id of ['1', '2', '3']) {
          const all = noted.filter(([i]) => i === id).map(([, at]) => at);
          const expected = all.sort((a, b) => a - b).slice(-IMPRESSION_TIMES_KEPT);
          expect(times.get(id) ?? []).toEqual(expected);
        }
      }),
      { numRuns: 500 },
    );
  });
});
