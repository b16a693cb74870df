/**
 * Impressions stored one row per page shown (migration 011, feed/impressions.ts), on a real
 * database: the migration folds the old one-row-per-item table into pages without losing a fact,
 * and the readers unpack pages into the per-item facts and times the feed and analytics use; the
 * buffer stays bounded while a write hangs.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { addImpressionTime, IMPRESSION_TIMES_KEPT, ImpressionRecorder, impressionsOf, impressionTimesOf, type Impression, type ImpressionTimes, type ShownPage } from '../src/domains/feed/impressions.js';
import { createPool, dropDatabase, ensureDatabase, withDatabase, type Pool, type RowDataPacket } from '../src/platform/db.js';
import { createLogger, type Logger } from '../src/platform/logger.js';
import { migrate } from '../src/platform/migrate.js';

const T0 = Date.UTC(2026, 10, 26, 2, 0, 0);
const TOKEN_1 = 'AAAAAAAAAAAAAAAAAAAAA1';
const TOKEN_2 = 'BBBBBBBBBBBBBBBBBBBBB2';
const TOKEN_3 = 'CCCCCCCCCCCCCCCCCCCCC3';

/** Rows of the old feed_impressions table: [hcp, content, position, kind, token, shown at]. */
type OldRow = [string, string, number, string, string | null, number];
const OLD_ROWS: OldRow[] = [
  // Doctor 501's first page, inserted out of order.
  ['501', '13', 2, 'peers', TOKEN_1, T0],
  ['501', '11', 0, 'affinity', TOKEN_1, T0],
  ['501', '12', 1, 'cluster', TOKEN_1, T0],
  // Its next page, with a gap where an item stopped being eligible.
  ['501', '14', 3, 'fresh', TOKEN_1, T0 + 5_000],
  ['501', '16', 6, 'picked', TOKEN_1, T0 + 5_000],
  ['501', '15', 4, 'editor', TOKEN_1, T0 + 5_000],
  // Another session shown in the same millisecond as the first page.
  ['501', '21', 0, 'editor', TOKEN_3, T0],
  // Two whole feeds without a snapshot (NULL token), at different times.
  ['501', '31', 0, 'fresh', null, T0 + 60_000],
  ['501', '32', 1, 'affinity', null, T0 + 60_000],
  ['501', '33', 0, 'cluster', null, T0 + 120_000],
  // Another doctor, same time and positions as 501's first page.
  ['502', '9000000000000000001', 0, 'peers', TOKEN_2, T0],
  ['502', '11', 1, 'affinity', TOKEN_2, T0],
];

let url: string;
let pool: Pool;

beforeAll(async () => {
  url = withDatabase(inject('mysqlServerUrl'), `hcp360_t_${process.pid}_${randomBytes(4).toString('hex')}`);
  await ensureDatabase(url);
  await migrate(url, '010');
  pool = createPool(url, 2);
  await pool.query('INSERT INTO feed_impressions (hcp_id, content_id, position, reason_kind, snapshot_token, shown_at) VALUES ?', [
    OLD_ROWS.map(([hcp, content, position, kind, token, at]) => [hcp, content, position, kind, token, new Date(at)]),
  ]);
  expect((await migrate(url, '011')).applied).toEqual(['11.feed_page_impressions']);
});

afterAll(async () => {
  await pool?.end();
  await dropDatabase(url);
});

describe('migration 011', () => {
  it('folds the rows of each page into one, items in position order, a position written only after a gap', async () => {
    const [rows] = await pool.query<RowDataPacket[]>(
      'SELECT hcp_id, shown_at, snapshot_token, first_position, items FROM feed_page_impressions WHERE hcp_id IN (?) ORDER BY hcp_id, shown_at, first_position, items',
      [['501', '502']],
    );
    expect(rows.map((r) => [String(r.hcp_id), (r.shown_at as Date).getTime(), r.snapshot_token, Number(r.first_position), r.items])).toEqual([
      ['501', T0, TOKEN_1, 0, '11.a 12.c 13.p'],
      ['501', T0, TOKEN_3, 0, '21.e'],
      ['501', T0 + 5_000, TOKEN_1, 3, '14.f 15.e 16.k.6'],
      ['501', T0 + 60_000, null, 0, '31.f 32.a'],
      ['501', T0 + 120_000, null, 0, '33.c'],
      ['502', T0, TOKEN_2, 0, '9000000000000000001.p 11.a'],
    ]);
  });

  it('keeps every fact of every old row, and drops the old table', async () => {
    for (const hcp of ['501', '502']) {
      const expected: Impression[] = OLD_ROWS.filter((r) => r[0] === hcp)
        .map(([, contentId, position, reasonKind, snapshotToken, shownAt]) => ({ contentId, position, reasonKind, snapshotToken, shownAt }) as Impression)
        .sort((a, b) => a.shownAt - b.shownAt || a.position - b.position);
      expect(await impressionsOf(pool, hcp)).toEqual(expected);
    }
    const [tables] = await pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'feed_impressions'");
    expect(Number(tables[0]!.n)).toBe(0);
  });
});

describe('reading pages back', () => {
  const MIN = 60_000;
  /** Item '1' on every page; '2' on every other; '3' once, before the window. */
  const pages: ShownPage[] = Array.from({ length: 12 }, (_, n) => ({
    hcpId: '601',
    shownAt: T0 + n * MIN,
    snapshotToken: TOKEN_1,
    items: [
      { contentId: '1', reasonKind: 'affinity', position: 10 * n },
      ...(n % 2 ? [{ contentId: '2', reasonKind: 'fresh' as const, position: 10 * n + 2 }] : []),
      ...(n === 0 ? [{ contentId: '3', reasonKind: 'editor' as const, position: 10 * n + 3 }] : []),
    ],
  }));
  const since = T0 + 2 * MIN;

  beforeAll(async () => {
    const recorder = new ImpressionRecorder({ pool, log: createLogger('silent') });
    // Out of time order, with another doctor's pages between.
    for (const p of [...pages].reverse()) {
      recorder.record(p);
      recorder.record({ ...p, hcpId: '602', items: [{ contentId: '1', reasonKind: 'picked', position: 0 }] });
    }
    await recorder.close();
  });

  it('gives each item shown its position, reason kind, token and time', async () => {
    const all = await impressionsOf(pool, '601');
    expect(all).toEqual(pages.flatMap((p) => p.items.map((it) => ({ ...it, snapshotToken: p.snapshotToken, shownAt: p.shownAt }))));
    expect((await impressionsOf(pool, '601', { since })).every((i) => i.shownAt >= since)).toBe(true);
  });

  it('keeps the latest IMPRESSION_TIMES_KEPT times per item across pages, from the window start, of the asked doctors only', async () => {
    const times = await impressionTimesOf(pool, ['601', '603'], since);
    expect([...times.keys()]).toEqual(['601', '603']);
    expect(times.get('603')!.size).toBe(0);
    const shownAt = (id: string) => pages.filter((p) => p.shownAt >= since && p.items.some((it) => it.contentId === id)).map((p) => p.shownAt);
    expect(shownAt('1')).toHaveLength(10);
    expect(times.get('601')!.get('1')).toEqual(shownAt('1').slice(-IMPRESSION_TIMES_KEPT));
    expect(times.get('601')!.get('2')).toEqual(shownAt('2'));
    expect(times.get('601')!.has('3')).toBe(false);
    // The same as noting every impression one by one.
    const reference: ImpressionTimes = new Map();
    for (const p of pages) if (p.shownAt >= since) for (const it of p.items) addImpressionTime(reference, it.contentId, p.shownAt);
    expect(times.get('601')).toEqual(reference);
  });
});

describe('the buffer while the database stalls', () => {
  const stalledPage = (n: number): ShownPage => ({ hcpId: '701', shownAt: T0 + n, snapshotToken: null, items: [{ contentId: String(n), reasonKind: 'fresh', position: n }] });

  it('keeps at most maxBufferedRows pages while a write hangs, drops the oldest and says how many, then writes the rest', async () => {
    const warn = vi.fn();
    const log = { ...createLogger('silent'), warn, error: vi.fn() } as unknown as Logger;
    const droppedSoFar = () => warn.mock.calls.reduce((n, [fields]) => n + ((fields as { dropped?: number }).dropped ?? 0), 0);
    const rec = new ImpressionRecorder({ pool, log }, { flushEveryMs: 50, flushAtRows: 3, maxBufferedRows: 5 });
    // Another session's table lock: the recorder's INSERT waits for it, as on a database that stalls.
    const lock = await pool.getConnection();
    const watcher = createPool(url, 1);
    try {
      await lock.query('LOCK TABLES feed_page_impressions WRITE');
      for (const n of [1, 2, 3]) rec.record(stalledPage(n));
      // The write has started and waits (other test files' databases have writes of their own).
      const waiting = "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND INFO LIKE 'INSERT INTO feed_page_impressions%'";
      await expect.poll(async () => Number((await watcher.query<RowDataPacket[]>(waiting))[0][0]!.n)).toBe(1);
      expect(rec.pending).toBe(0);
      for (let n = 4; n <= 23; n++) rec.record(stalledPage(n));
      expect(rec.pending).toBe(5);
      // Said while the write still waits.
      await expect.poll(droppedSoFar).toBe(15);
    } finally {
      await lock.query('UNLOCK TABLES');
      lock.release();
      await watcher.end();
    }
    await rec.close();
    const stored = await impressionsOf(pool, '701');
    expect(stored.map((i) => Number(i.contentId))).toEqual([1, 2, 3, 19, 20, 21, 22, 23]);
    expect(droppedSoFar()).toBe(15);
    expect(warn).toHaveBeenCalledWith({ dropped: 15, waiting: 5 }, expect.stringContaining('still waiting'));
  });
});
