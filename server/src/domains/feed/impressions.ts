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
  /** The rows of the write in flight (see readWithUnwritten). */
  private writing: Impression[] = [];
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

  /**
   * Reads the table with `read` while no write runs, and returns with it the impressions of
   * `hcpIds` not written yet: the table plus these is every impression, none twice. Reads and
   * writes take turns in arrival order, so neither waits long for the other.
   */
  async readWithUnwritten<T>(hcpIds: readonly string[], read: () => Promise<T>): Promise<{ value: T; unwritten: Impression[] }> {
    return this.exclusive(async () => {
      const value = await read();
      const wanted = new Set(hcpIds);
      const unwritten: Impression[] = [];
      for (const rows of [this.writing, this.buffer]) for (const r of rows) if (wanted.has(r.hcpId)) unwritten.push(r);
      return { value, unwritten };
    });
  }

  private turn: Promise<void> = Promise.resolve();

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work);
    this.turn = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Writes what is buffered; concurrent calls share one write, then write what arrived meanwhile. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = [];
    this.writing = rows;
    this.flushing = this.exclusive(() => this.write(rows)).finally(() => {
      this.writing = [];
      this.flushing = undefined;
    });
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

/**
 * How many of an item's latest impressions the ranking needs: its penalty stops growing at
 * FREE_IMPRESSIONS + IMPRESSION_PENALTY_MAX / IMPRESSION_PENALTY unclicked impressions, so the last
 * that many times answer "shown how often since last opened" exactly as far as the score goes.
 */
export const IMPRESSION_TIMES_KEPT = FEED_WEIGHTS.freeImpressions + Math.ceil(FEED_WEIGHTS.impressionPenaltyMax / FEED_WEIGHTS.impressionPenalty);

/** Item id → the times it was last shown to one doctor (at most IMPRESSION_TIMES_KEPT, oldest first). */
export type ImpressionTimes = Map<string, number[]>;

export const impressionWindowStart = (now: number) => now - FEED_WEIGHTS.impressionWindowDays * 86_400_000;

/**
 * The latest impression times per item of many doctors since `since`, in one read over the
 * (hcp_id, shown_at, content_id) index (every doctor asked for has an entry).
 */
export async function impressionTimesOf(db: Db, hcpIds: string[], since: number): Promise<Map<string, ImpressionTimes>> {
  const out = new Map<string, ImpressionTimes>(hcpIds.map((id) => [id, new Map()]));
  if (hcpIds.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT hcp_id, content_id, shown_at FROM (
       SELECT hcp_id, content_id, shown_at, ROW_NUMBER() OVER (PARTITION BY hcp_id, content_id ORDER BY shown_at DESC) AS nth
         FROM feed_impressions WHERE hcp_id IN (?) AND shown_at >= ?) latest
      WHERE nth <= ? ORDER BY shown_at`,
    [hcpIds, new Date(since), IMPRESSION_TIMES_KEPT],
  );
  for (const r of rows) addImpressionTime(out.get(String(r.hcp_id))!, String(r.content_id), (r.shown_at as Date).getTime());
  return out;
}

/** Notes one more impression of `contentId`, keeping the latest IMPRESSION_TIMES_KEPT times in order. */
export function addImpressionTime(times: ImpressionTimes, contentId: string, at: number): void {
  const list = times.get(contentId);
  if (!list) return void times.set(contentId, [at]);
  let i = list.length;
  while (i > 0 && list[i - 1]! > at) i--;
  list.splice(i, 0, at);
  if (list.length > IMPRESSION_TIMES_KEPT) list.shift();
}

/**
 * How often each item was shown since the doctor last opened it (`lastOpenedAt`, from events),
 * within the impression window at `now`; counts stop at IMPRESSION_TIMES_KEPT, where the penalty
 * stops growing.
 */
export function unclickedFrom(times: ImpressionTimes, lastOpenedAt: Map<string, number>, now: number): Map<string, number> {
  const since = impressionWindowStart(now);
  const out = new Map<string, number>();
  for (const [id, list] of times) {
    const n = unclickedIn(list, since, lastOpenedAt.get(id));
    if (n > 0) out.set(id, n);
  }
  return out;
}

/** unclickedFrom for one item: how often it was shown since `since` and since it was last opened. */
export function unclickedOf(times: ImpressionTimes, lastOpenedAt: Map<string, number>, now: number, id: string): number {
  const list = times.get(id);
  return list ? unclickedIn(list, impressionWindowStart(now), lastOpenedAt.get(id)) : 0;
}

function unclickedIn(list: number[], since: number, openedAt: number | undefined): number {
  const after = Math.max(since, (openedAt ?? -Infinity) + 1);
  let n = 0;
  for (let i = list.length - 1; i >= 0 && list[i]! >= after; i--) n++;
  return n;
}
