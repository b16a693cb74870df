/**
 * Impressions: which items were shown to whom, at which position, when (click-through analytics,
 * and the ranking's "shown many times without a click" penalty). A feed request only appends to
 * an in-memory buffer; the buffer is written with one multi-row INSERT every second, or at once
 * when IMPRESSION_BUFFER.flushAtRows rows wait, and on shutdown. A failed write keeps the rows for
 * the next flush (bounded: the oldest are dropped past maxBufferedRows, and logged), so a database
 * hiccup never fails or slows a feed request. A crash loses at most about a second of impressions,
 * which analytics tolerate; behaviour that matters (reads, likes) arrives as events.
 */
import type { Db, RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { FEED_WEIGHTS, IMPRESSION_BUFFER } from './feedWeights.js';

export interface Impression {
  hcpId: string;
  contentId: string;
  position: number;
  reasonKind: string;
  snapshotToken: string | null;
  shownAt: number;
}

export class ImpressionRecorder {
  private buffer: Impression[] = [];
  private flushing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly deps: Pick<Deps, 'pool' | 'log'>,
    private readonly opts: { flushEveryMs: number; flushAtRows: number; maxBufferedRows: number } = IMPRESSION_BUFFER,
  ) {
    this.timer = setInterval(() => void this.flush(), opts.flushEveryMs);
    this.timer.unref();
  }

  record(rows: Impression[]): void {
    if (this.closed || rows.length === 0) return;
    this.buffer.push(...rows);
    if (this.buffer.length >= this.opts.flushAtRows) void this.flush();
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Writes what is buffered; concurrent calls share one write, then write what arrived meanwhile. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = [];
    this.flushing = this.write(rows).finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private async write(rows: Impression[]): Promise<void> {
    try {
      await this.deps.pool.query('INSERT INTO feed_impressions (hcp_id, content_id, position, reason_kind, snapshot_token, shown_at) VALUES ?', [
        rows.map((r) => [r.hcpId, r.contentId, r.position, r.reasonKind, r.snapshotToken, new Date(r.shownAt)]),
      ]);
    } catch (err) {
      if (this.closed) {
        this.deps.log.error({ err: { message: (err as Error).message }, dropped: rows.length }, 'feed impressions lost at shutdown');
        return;
      }
      this.buffer = [...rows, ...this.buffer];
      const over = this.buffer.length - this.opts.maxBufferedRows;
      if (over > 0) this.buffer.splice(0, over);
      this.deps.log.warn({ err: { message: (err as Error).message }, kept: this.buffer.length, dropped: Math.max(0, over) }, 'feed impressions write failed; will retry');
    }
  }

  /** Stops the timer and writes what is left (once more if the first try fails). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    this.closed = true;
    await this.flush();
  }
}

/** Per item: how often it was shown to a doctor since some instant, first and last time. */
export interface ImpressionSummary {
  since: number;
  items: Map<string, { shown: number; first: number; last: number }>;
}

const windowStart = (now: number) => now - FEED_WEIGHTS.impressionWindowDays * 86_400_000;

/** One grouped read: one row per item shown to `hcpId` in the impression window (not one per impression). */
export async function impressionSummaryOf(db: Db, hcpId: string, now: number): Promise<ImpressionSummary> {
  return (await impressionSummariesOf(db, [hcpId], windowStart(now))).get(hcpId)!;
}

/**
 * Impression summaries of many doctors since `since`, in one grouped read (every doctor asked for
 * has one). Items shown no more than FEED_WEIGHTS.freeImpressions times are left out: however
 * they were opened, they cost no penalty (and an item missing here counts as never shown).
 */
export async function impressionSummariesOf(db: Db, hcpIds: string[], since: number): Promise<Map<string, ImpressionSummary>> {
  const out = new Map<string, ImpressionSummary>(hcpIds.map((id) => [id, { since, items: new Map() }]));
  if (hcpIds.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT hcp_id, content_id, COUNT(*) AS shown, MIN(shown_at) AS first_at, MAX(shown_at) AS last_at
       FROM feed_impressions WHERE hcp_id IN (?) AND shown_at >= ? GROUP BY hcp_id, content_id HAVING COUNT(*) > ?`,
    [hcpIds, new Date(since), FEED_WEIGHTS.freeImpressions],
  );
  for (const r of rows) {
    out.get(String(r.hcp_id))?.items.set(String(r.content_id), { shown: Number(r.shown), first: (r.first_at as Date).getTime(), last: (r.last_at as Date).getTime() });
  }
  return out;
}

/**
 * How often each item was shown to `hcpId` since they last opened it, within the impression
 * window at `now`. `lastOpenedAt` comes from events (content_view / content_read). The summary
 * (read from the window's start or earlier) answers for items opened before their first counted
 * impression or after their last; the few others (opened in between, or shown both before and
 * after the window's start) are counted exactly in one more grouped read.
 */
export async function unclickedFrom(db: Db, hcpId: string, summary: ImpressionSummary, lastOpenedAt: Map<string, number>, now: number): Promise<Map<string, number>> {
  const since = windowStart(now);
  // A summary read for a later clock than this request's (a clock moved back): read one that covers it.
  if (summary.since > since) summary = (await impressionSummariesOf(db, [hcpId], since)).get(hcpId)!;
  const out = new Map<string, number>();
  const recount: [string, number][] = [];
  for (const [id, s] of summary.items) {
    const opened = lastOpenedAt.get(id) ?? -Infinity;
    if (s.last < since || opened >= s.last) continue;
    if (s.first >= since && opened < s.first) out.set(id, s.shown);
    else recount.push([id, opened]);
  }
  if (recount.length) {
    const [rows] = await db.query<RowDataPacket[]>(
      `SELECT content_id, COUNT(*) AS shown FROM feed_impressions
        WHERE hcp_id = ? AND shown_at >= ? AND (${recount.map(() => '(content_id = ? AND shown_at > ?)').join(' OR ')}) GROUP BY content_id`,
      [hcpId, new Date(since), ...recount.flatMap(([id, opened]) => [id, new Date(Number.isFinite(opened) ? opened : 0)])],
    );
    for (const r of rows) out.set(String(r.content_id), Number(r.shown));
  }
  return out;
}

/** How often each item was shown to `hcpId` since they last opened it, within the impression window. */
export async function unclickedImpressionsOf(db: Db, hcpId: string, lastOpenedAt: Map<string, number>, now: number): Promise<Map<string, number>> {
  return unclickedFrom(db, hcpId, await impressionSummaryOf(db, hcpId, now), lastOpenedAt, now);
}

/** Impressions of `hcpId`, newest first (for staff and tests). */
export async function impressionsOf(db: Db, hcpId: string, limit = 100): Promise<{ contentId: string; position: number; reasonKind: string; shownAt: string }[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT content_id, position, reason_kind, shown_at FROM feed_impressions WHERE hcp_id = ? ORDER BY shown_at DESC, id DESC LIMIT ?',
    [hcpId, limit],
  );
  return rows.map((r) => ({ contentId: String(r.content_id), position: Number(r.position), reasonKind: String(r.reason_kind), shownAt: (r.shown_at as Date).toISOString() }));
}
