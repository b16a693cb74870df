/**
 * Impressions: which items were shown to whom, at which position, when (click-through analytics,
 * and the ranking's "shown many times without a click" penalty). One row per page shown, its
 * items packed in a text column (`<id>.<kind letter>[.<position>] …`, see migration 011): one row
 * per item cost the database about ten times as much per feed request. A feed request only
 * appends the page to an in-memory buffer; the buffer is written with one multi-row INSERT every
 * second, or at once when IMPRESSION_BUFFER.flushAtRows pages wait, and on shutdown; one INSERT
 * carries at most flushAtRows pages, so a statement stays far below the database's packet limit
 * however many pages waited. A failed write keeps the pages for the next flush, and pages that
 * arrive while a write hangs wait in the buffer; either way at most maxBufferedRows wait, the
 * oldest are dropped past that (counted and logged), so a database hiccup or stall never fails
 * or slows a feed request nor grows the server's memory without bound. A crash loses at most
 * about a second of impressions, which analytics tolerate; behaviour that matters (reads, likes)
 * arrives as events.
 */
import type { FeedReasonKind } from '@hcp360/shared';
import { escape } from 'mysql2/promise';
import type { Db, RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { FEED_WEIGHTS, IMPRESSION_BUFFER } from './feedWeights.js';
import { KIND_LETTER, LETTER_KIND } from './snapshots.js';

/** One item of a page shown; `position` is its place in the ranking the page was cut from. */
export interface ShownItem {
  contentId: string;
  reasonKind: FeedReasonKind;
  position: number;
}

/** One page of the feed as shown to a doctor, its items in the order shown. */
export interface ShownPage {
  hcpId: string;
  shownAt: number;
  snapshotToken: string | null;
  items: ShownItem[];
}

/** One item shown, as analytics and tests read it back (impressionsOf). */
export interface Impression extends ShownItem {
  snapshotToken: string | null;
  shownAt: number;
}

/**
 * The `items` column: `<id>.<kind letter>` per item, space separated. Positions usually run on
 * from `first_position` (the first item's); an item that does not follow the one before it (a
 * later page leaves out what stopped being eligible) carries its own as `.<position>`.
 */
export function encodePageItems(items: readonly ShownItem[]): string {
  return items
    .map((it, i) => {
      const packed = packedItem(it.contentId, it.reasonKind);
      return i === 0 || it.position === items[i - 1]!.position + 1 ? packed : `${packed}.${it.position}`;
    })
    .join(' ');
}

/** An item as the `items` column holds it when it follows the one before: `<id>.<kind letter>`. */
export function packedItem(contentId: string, kind: FeedReasonKind): string {
  return `${contentId}.${KIND_LETTER[kind]}`;
}

export function decodePageItems(firstPosition: number, text: string): ShownItem[] {
  let next = firstPosition;
  return text
    .split(' ')
    .filter((e) => e !== '')
    .map((e) => {
      const [contentId, letter, at] = e.split('.') as [string, string, string | undefined];
      const position = at === undefined ? next : Number(at);
      next = position + 1;
      return { contentId, reasonKind: LETTER_KIND.get(letter) ?? 'picked', position };
    });
}

/** A page as it is written: its row, the items packed (encodePageItems). */
interface PageRow {
  hcpId: string;
  shownAt: number;
  snapshotToken: string | null;
  firstPosition: number;
  items: string;
}

const pageOf = (r: PageRow): ShownPage => ({ hcpId: r.hcpId, shownAt: r.shownAt, snapshotToken: r.snapshotToken, items: decodePageItems(r.firstPosition, r.items) });

const INSERT_HEAD = 'INSERT INTO feed_page_impressions (hcp_id, shown_at, snapshot_token, first_position, items) VALUES ';

/** Pages a PendingPages holds to begin with; it doubles as pages arrive. */
const PENDING_START = 256;

/**
 * Pages waiting to be written, column by column: a page's time and first position in typed
 * arrays, its session token and packed items as bytes in one buffer, and its doctor as the id
 * string the request already had. A page waits up to a second, through several scavenges: kept as
 * a row object with its time, token and items (four objects, about 200 bytes) it was copied by
 * each and promoted to the old generation, thousands of times a second. Pages are taken from the
 * front when too many wait (`head`), and added at the end.
 */
class PendingPages {
  private ids: string[] = [];
  private times = new Float64Array(PENDING_START);
  private firsts = new Int32Array(PENDING_START);
  /** Per page: its token's length in bytes (-1: no token), and where its bytes (token, then items) end. */
  private tokenLengths = new Int16Array(PENDING_START);
  private ends = new Int32Array(PENDING_START);
  private bytes = Buffer.allocUnsafe(PENDING_START * 128);
  private used = 0;
  private head = 0;

  get length(): number {
    return this.ids.length - this.head;
  }

  push(row: PageRow): void {
    const i = this.ids.length;
    if (i === this.times.length) this.growPages();
    const token = row.snapshotToken;
    const need = (token === null ? 0 : Buffer.byteLength(token)) + Buffer.byteLength(row.items);
    if (this.used + need > this.bytes.length) this.growBytes(need);
    this.ids.push(row.hcpId);
    this.times[i] = row.shownAt;
    this.firsts[i] = row.firstPosition;
    this.tokenLengths[i] = token === null ? -1 : this.bytes.write(token, this.used);
    if (token !== null) this.used += this.tokenLengths[i]!;
    this.used += this.bytes.write(row.items, this.used);
    this.ends[i] = this.used;
  }

  /** The `k`th page waiting (0: the oldest), as a row. */
  row(k: number): PageRow {
    const i = this.head + k;
    let at = i === 0 ? 0 : this.ends[i - 1]!;
    const tokenLength = this.tokenLengths[i]!;
    const snapshotToken = tokenLength < 0 ? null : this.bytes.toString('utf8', at, (at += tokenLength));
    return { hcpId: this.ids[i]!, shownAt: this.times[i]!, snapshotToken, firstPosition: this.firsts[i]!, items: this.bytes.toString('utf8', at, this.ends[i]!) };
  }

  hcpIdOf(k: number): string {
    return this.ids[this.head + k]!;
  }

  /**
   * Pages [from, to) (0: the oldest waiting) as one INSERT statement, written from the columns
   * into one buffer and made a string once. Given to the driver as rows of values (an array, a
   * time and two strings per page), they lived through the write's round trip, and every
   * scavenge meanwhile copied them: a few hundred bytes per page shown, measured.
   */
  insertStatement(from: number, to: number): string {
    const first = this.head + from;
    const last = this.head + to;
    const begin = first === 0 ? 0 : this.ends[first - 1]!;
    // Room for every byte escaped and each page's punctuation, time and first position.
    let size = INSERT_HEAD.length + 2 * (this.ends[last - 1]! - begin) + 64 * (to - from);
    for (let i = first; i < last; i++) size += 6 * this.ids[i]!.length + 4;
    const out = Buffer.allocUnsafe(size);
    let at = out.write(INSERT_HEAD, 0, 'latin1');
    for (let i = first; i < last; i++) {
      if (i > first) out[at++] = 0x2c; // ,
      at += out.write(`(${escape(this.ids[i]!)},'${utcDateTime(this.times[i]!)}',`, at, 'utf8');
      let bytesAt = i === 0 ? 0 : this.ends[i - 1]!;
      const tokenLength = this.tokenLengths[i]!;
      if (tokenLength < 0) at += out.write('NULL', at, 'latin1');
      else at = this.quoted(out, at, bytesAt, (bytesAt += tokenLength));
      at += out.write(`,${this.firsts[i]!},`, at, 'latin1');
      at = this.quoted(out, at, bytesAt, this.ends[i]!);
      out[at++] = 0x29; // )
    }
    return out.toString('utf8', 0, at);
  }

  /** Bytes [from, to) of the buffer as a quoted SQL string at `at` in `out`, copied as they are unless something in them needs escaping; returns where it ends. */
  private quoted(out: Buffer, at: number, from: number, to: number): number {
    const { bytes } = this;
    for (let j = from; j < to; j++) {
      const b = bytes[j]!;
      // A quote, a backslash, a control character or a byte of a multi-byte character: the driver's escaping.
      if (b < 0x20 || b > 0x7e || b === 0x27 || b === 0x5c) return at + out.write(escape(bytes.toString('utf8', from, to)), at, 'utf8');
    }
    out[at++] = 0x27;
    at += bytes.copy(out, at, from, to);
    out[at++] = 0x27;
    return at;
  }

  /** Drops the `n` oldest pages; once they are half of what is held, the rest moves down over them. */
  dropOldest(n: number): void {
    this.head = Math.min(this.ids.length, this.head + n);
    if (this.head >= PENDING_START && 2 * this.head >= this.ids.length) this.compact();
  }

  private compact(): void {
    const { head } = this;
    const from = this.ends[head - 1]!;
    const live = this.ids.length - head;
    this.ids = this.ids.slice(head);
    this.times.copyWithin(0, head, head + live);
    this.firsts.copyWithin(0, head, head + live);
    this.tokenLengths.copyWithin(0, head, head + live);
    for (let i = 0; i < live; i++) this.ends[i] = this.ends[head + i]! - from;
    this.bytes.copy(this.bytes, 0, from, this.used);
    this.used -= from;
    this.head = 0;
  }

  private growPages(): void {
    const size = 2 * this.times.length;
    const grown = <T extends Float64Array | Int32Array | Int16Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.times = grown(this.times, (n) => new Float64Array(n));
    this.firsts = grown(this.firsts, (n) => new Int32Array(n));
    this.tokenLengths = grown(this.tokenLengths, (n) => new Int16Array(n));
    this.ends = grown(this.ends, (n) => new Int32Array(n));
  }

  private growBytes(need: number): void {
    const bytes = Buffer.allocUnsafe(Math.max(2 * this.bytes.length, this.used + need));
    this.bytes.copy(bytes, 0, 0, this.used);
    this.bytes = bytes;
  }
}

export class ImpressionRecorder {
  private buffer = new PendingPages();
  /** The pages of the write in flight (see readWithUnwritten). */
  private writing = new PendingPages();
  private flushing: Promise<void> | undefined;
  /** Pages dropped from the buffer since it was last logged (past maxBufferedRows). */
  private dropped = 0;
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly deps: Pick<Deps, 'pool' | 'log'>,
    private readonly opts: { flushEveryMs: number; flushAtRows: number; maxBufferedRows: number } = IMPRESSION_BUFFER,
  ) {
    this.timer = setInterval(() => {
      // A write that hangs says so while it hangs, not only once it ends.
      if (this.flushing && this.dropped > 0) this.deps.log.warn({ dropped: this.takeDropped(), waiting: this.buffer.length }, 'feed impressions dropped: a write is still waiting for the database');
      void this.flush();
    }, opts.flushEveryMs);
    this.timer.unref();
  }

  /** Buffers one page shown (a page with no items records nothing). */
  record(page: ShownPage): void {
    if (page.items.length > 0) this.buffered({ hcpId: page.hcpId, shownAt: page.shownAt, snapshotToken: page.snapshotToken, firstPosition: page.items[0]!.position, items: encodePageItems(page.items) });
  }

  /**
   * Buffers one page of items at consecutive positions from `firstPosition`, each already packed
   * (packedItem: a first page's entries keep theirs, so no item object is made per item shown).
   */
  recordRun(hcpId: string, shownAt: number, snapshotToken: string | null, firstPosition: number, packed: readonly string[]): void {
    if (packed.length > 0) this.buffered({ hcpId, shownAt, snapshotToken, firstPosition, items: packed.join(' ') });
  }

  private buffered(row: PageRow): void {
    if (this.closed) return;
    this.buffer.push(row);
    // A write that hangs (the database stalls) must not let the buffer grow without bound.
    if (this.buffer.length > this.opts.maxBufferedRows) this.dropOldest(this.buffer.length - this.opts.maxBufferedRows);
    // While a write runs, the pages wait for it (it writes them next); no waiter per page.
    if (this.buffer.length >= this.opts.flushAtRows && !this.flushing) void this.flush();
  }

  /** Pages waiting to be written. */
  get pending(): number {
    return this.buffer.length;
  }

  private dropOldest(n: number): void {
    this.buffer.dropOldest(n);
    this.dropped += n;
  }

  /**
   * Reads the table with `read` while no write runs, and returns with it the pages shown to
   * `hcpIds` not written yet: the table plus these is every page shown, none twice. Reads and
   * writes take turns in arrival order, so neither waits long for the other.
   */
  async readWithUnwritten<T>(hcpIds: readonly string[], read: () => Promise<T>): Promise<{ value: T; unwritten: ShownPage[] }> {
    return this.exclusive(async () => {
      const value = await read();
      const wanted = new Set(hcpIds);
      const unwritten: ShownPage[] = [];
      for (const pages of [this.writing, this.buffer]) for (let k = 0; k < pages.length; k++) if (wanted.has(pages.hcpIdOf(k))) unwritten.push(pageOf(pages.row(k)));
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

  /**
   * Writes what is buffered; concurrent calls share one write, then write what arrived meanwhile.
   * When enough pages arrived during a write, the next one starts as it ends.
   */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const rows = this.buffer;
    this.buffer = new PendingPages();
    this.writing = rows;
    let written = false;
    this.flushing = this.exclusive(async () => void (written = await this.write(rows))).finally(() => {
      this.writing = new PendingPages();
      this.flushing = undefined;
      // After a failure the timer tries again: no retry loop against a database that is down.
      if (written && !this.closed && this.buffer.length >= this.opts.flushAtRows) void this.flush();
    });
    await this.flushing;
  }

  /**
   * Writes `rows`, at most flushAtRows a statement; what a failed statement left unwritten goes
   * back to the buffer. True when all of them were written.
   */
  private async write(rows: PendingPages): Promise<boolean> {
    let done = 0;
    try {
      for (; done < rows.length; done += this.opts.flushAtRows) {
        await this.deps.pool.query(rows.insertStatement(done, Math.min(rows.length, done + this.opts.flushAtRows)));
      }
    } catch (err) {
      if (this.closed) {
        this.deps.log.error({ err: { message: (err as Error).message }, dropped: rows.length - done + this.takeDropped() }, 'feed impressions lost at shutdown');
        return false;
      }
      // What is left of this write goes back before what arrived meanwhile.
      const waiting = this.buffer;
      this.buffer = new PendingPages();
      for (let k = done; k < rows.length; k++) this.buffer.push(rows.row(k));
      for (let k = 0; k < waiting.length; k++) this.buffer.push(waiting.row(k));
      const over = this.buffer.length - this.opts.maxBufferedRows;
      if (over > 0) this.dropOldest(over);
      this.deps.log.warn({ err: { message: (err as Error).message }, kept: this.buffer.length, dropped: this.takeDropped() }, 'feed impressions write failed; will retry');
      return false;
    }
    if (this.dropped > 0) this.deps.log.warn({ dropped: this.takeDropped() }, 'feed impressions dropped: more pages waited than the buffer keeps while the database was slow');
    return true;
  }

  /** The count of pages dropped since it was last logged, reset. */
  private takeDropped(): number {
    const n = this.dropped;
    this.dropped = 0;
    return n;
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
 * `ms` as a DATETIME(3) literal in UTC, as the pool writes a Date (timezone 'Z'): the buffer's
 * thousands of rows a second were formatted field by field by the driver. The pages of a flush
 * fall in a few seconds, so the part up to the second is made once per second.
 */
export function utcDateTime(at: number): string {
  const ms = Math.trunc(at);
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    const iso = new Date(second * 1000).toISOString();
    lastSecondText = `${iso.slice(0, 10)} ${iso.slice(11, 19)}.`;
    lastSecond = second;
  }
  const milli = ms - second * 1000;
  return lastSecondText + (milli < 10 ? '00' : milli < 100 ? '0' : '') + milli;
}
let lastSecond = NaN;
let lastSecondText = '';

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
 * (hcp_id, shown_at) index (every doctor asked for has an entry). Pages come oldest first, so
 * each time is appended and only the last IMPRESSION_TIMES_KEPT per item stay.
 */
export async function impressionTimesOf(db: Db, hcpIds: string[], since: number): Promise<Map<string, ImpressionTimes>> {
  const out = new Map<string, ImpressionTimes>(hcpIds.map((id) => [id, new Map()]));
  if (hcpIds.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>('SELECT hcp_id, shown_at, first_position, items FROM feed_page_impressions WHERE hcp_id IN (?) AND shown_at >= ? ORDER BY shown_at', [
    hcpIds,
    new Date(since),
  ]);
  for (const r of rows) {
    const times = out.get(String(r.hcp_id))!;
    const at = (r.shown_at as Date).getTime();
    for (const it of decodePageItems(Number(r.first_position), String(r.items))) addImpressionTime(times, it.contentId, at);
  }
  return out;
}

/** Every item shown to `hcpId` (since `opts.since`), one entry per item, by time shown then position (analytics, tests). */
export async function impressionsOf(db: Db, hcpId: string, opts: { since?: number } = {}): Promise<Impression[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT shown_at, snapshot_token, first_position, items FROM feed_page_impressions WHERE hcp_id = ? AND shown_at >= ? ORDER BY shown_at, id',
    [hcpId, new Date(opts.since ?? 0)],
  );
  const out: Impression[] = [];
  for (const r of rows) {
    const page = { snapshotToken: (r.snapshot_token as string | null) ?? null, shownAt: (r.shown_at as Date).getTime() };
    for (const it of decodePageItems(Number(r.first_position), String(r.items))) out.push({ ...it, ...page });
  }
  // By position across pages of the same millisecond too (rows from before migration 011 may be such).
  return out.sort((a, b) => a.shownAt - b.shownAt || a.position - b.position);
}

/**
 * Notes one more impression of `contentId`, keeping the latest IMPRESSION_TIMES_KEPT times in
 * order. Called for every item shown: the list is moved in place (no array made per call).
 */
export function addImpressionTime(times: ImpressionTimes, contentId: string, at: number): number[] {
  const list = times.get(contentId);
  if (!list) {
    const made = newTimes(at);
    times.set(contentId, made);
    return made;
  }
  addTimeTo(list, at);
  return list;
}

/**
 * A new list of times holding `at`, made with room for IMPRESSION_TIMES_KEPT (8) in one
 * allocation: `[at]` grown by push was made twice, the second time with room for 17, and lists
 * outlive scavenges (a doctor's times are kept). A shorter length keeps the room.
 */
function newTimes(at: number): number[] {
  const list = [at, at, at, at, at, at, at, at];
  list.length = 1;
  return list;
}

/** addImpressionTime on the item's list itself (a ranked entry keeps it: RankedEntry.noteShownIn). */
export function addTimeTo(list: number[], at: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1]! > at) i--;
  if (list.length < IMPRESSION_TIMES_KEPT) {
    list.push(at);
    for (let j = list.length - 1; j > i; j--) list[j] = list[j - 1]!;
    list[i] = at;
    return;
  }
  // Full: the oldest goes. `at` older than every time kept would be the one to go.
  if (i === 0) return;
  for (let j = 0; j < i - 1; j++) list[j] = list[j + 1]!;
  list[i - 1] = at;
}

/**
 * How often each item was shown since the doctor last opened it (`lastOpenedAt`, from events),
 * within the impression window at `now` (counts stop at IMPRESSION_TIMES_KEPT, where the penalty
 * stops growing), as a live view: each count worked out from the doctor's impression times when
 * asked. A kept ranking reads its counts through it (rankingCache.ts), so what a page adds to the
 * times is counted without a map of counts per ranking to keep in step: that was a lookup and a
 * write per item shown, in a map cold in the cache when the doctor came back.
 */
export class UnclickedView implements Iterable<[string, number]> {
  private readonly since: number;

  constructor(
    readonly times: ImpressionTimes,
    private readonly lastOpenedAt: Map<string, number>,
    now: number,
  ) {
    this.since = impressionWindowStart(now);
  }

  get(id: string): number | undefined {
    return this.countIn(this.times.get(id), id);
  }

  /** `get` from the item's list of times, already at hand (undefined: none). */
  countIn(list: number[] | undefined, id: string): number | undefined {
    if (!list) return undefined;
    const n = unclickedIn(list, this.since, this.lastOpenedAt.get(id));
    return n > 0 ? n : undefined;
  }


  /** The items shown at all (an upper bound of those counted). */
  get size(): number {
    return this.times.size;
  }

  *[Symbol.iterator](): Iterator<[string, number]> {
    for (const [id, list] of this.times) {
      const n = unclickedIn(list, this.since, this.lastOpenedAt.get(id));
      if (n > 0) yield [id, n];
    }
  }
}

function unclickedIn(list: number[], since: number, openedAt: number | undefined): number {
  const after = Math.max(since, (openedAt ?? -Infinity) + 1);
  let n = 0;
  for (let i = list.length - 1; i >= 0 && list[i]! >= after; i--) n++;
  return n;
}
