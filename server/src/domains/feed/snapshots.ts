/**
 * Ranking snapshots: how paging stays stable. The first page of a feed ranks the first
 * PAGING.rankAhead entries and stores the ranked id list (with each item's reason) under a random
 * token for PAGING.snapshotTtlMs; the cursor is `<token>.<offset>`. Later pages cut from the stored
 * list, so events, new content or a changed affinity between pages cannot repeat or skip an item;
 * items that stopped being eligible in between (expired, archived, Rx after a verification was
 * revoked) are left out, since eligibility is checked again on every page. A session that pages
 * past the stored list has it extended: the rest of the candidates ranked as of then, without
 * what the list already holds, appended (up to PAGING.maxRanked in all), so still nothing
 * repeats or is skipped; only the order beyond the first ranking follows what changed since.
 * Stored in the database, not in memory, so any BFF instance can answer any page (DESIGN §10:
 * stateless instances).
 *
 * Nearly every first page makes one, so they are stored compactly (id, a letter for the reason
 * kind, the topic of an interest: about 10 bytes an entry) and written like impressions: buffered,
 * one multi-row INSERT every SNAPSHOT_BUFFER.flushEveryMs, off the request's path. Until its row is
 * written a snapshot is answered from the buffer; another instance sees it once written (a cursor
 * used elsewhere within that fraction of a second is FEED_CURSOR_EXPIRED, and the client starts
 * from the top, as after any expiry). A crash loses the snapshots of the last fraction of a second.
 */
import { randomBytes } from 'node:crypto';
import { FEED_REASON_KINDS, FEED_CURSOR_RE, type FeedReasonKind, type Topic } from '@hcp360/shared';
import { inTransaction, type Db, type RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { reasonText } from './feedReasons.js';
import { PAGING, SNAPSHOT_BUFFER } from './feedWeights.js';

/** [content id, reason kind, reason text] */
export type SnapshotEntry = [string, FeedReasonKind, string];

/** What is stored per entry: the reason text is made again from its kind and topic. */
export interface RankedRef {
  id: string;
  kind: FeedReasonKind;
  topic?: Topic;
}

export interface Snapshot {
  token: string;
  topic: Topic | null;
  entries: SnapshotEntry[];
  /** False when the ranking may go on past `entries` (see extend). */
  complete: boolean;
}

/** Random bytes drawn in blocks: one system call per 256 tokens instead of one per first page. */
let entropy = Buffer.alloc(0);
let used = 0;

export function newSnapshotToken(): string {
  if (used + 16 > entropy.length) (entropy = randomBytes(4096)), (used = 0);
  used += 16;
  return entropy.toString('base64url', used - 16, used);
}

export function encodeCursor(token: string, offset: number): string {
  return `${token}.${offset}`;
}

export function decodeCursor(cursor: string): { token: string; offset: number } {
  if (!FEED_CURSOR_RE.test(cursor)) throw new AppError('FEED_CURSOR_INVALID');
  const [token, offset] = cursor.split('.') as [string, string];
  return { token, offset: Number(offset) };
}

/** One letter per reason kind, in stored snapshots and impressions (impressions.ts). */
export const KIND_LETTER: Record<FeedReasonKind, string> = { affinity: 'a', cluster: 'c', peers: 'p', fresh: 'f', editor: 'e', picked: 'k' };
export const LETTER_KIND = new Map(FEED_REASON_KINDS.map((k) => [KIND_LETTER[k], k]));

/** One entry as stored: `<id>.<kind letter>[.<topic>]` (rankers keep it with the entry: RankedEntry.ref). */
export const encodeRef = (e: RankedRef) => (e.topic ? `${e.id}.${KIND_LETTER[e.kind]}.${e.topic}` : `${e.id}.${KIND_LETTER[e.kind]}`);

/**
 * `2|<id>.<kind letter>[.<topic>] …` (`2+|` while the ranking may go on): about 10 bytes an entry
 * instead of JSON with the reason text.
 */
export function encodeEntries(refs: readonly string[], complete: boolean): string {
  return `2${complete ? '' : '+'}|${refs.join(' ')}`;
}

export function decodeEntries(text: string): { entries: SnapshotEntry[]; complete: boolean } {
  // Rows written before the compact form: JSON [[id, kind, reason], …], always complete.
  if (text.startsWith('[')) return { entries: JSON.parse(text) as SnapshotEntry[], complete: true };
  const bar = text.indexOf('|');
  const body = text.slice(bar + 1);
  const entries = body
    ? body.split(' ').map((e): SnapshotEntry => {
        const [id, letter, topic] = e.split('.') as [string, string, Topic | undefined];
        const kind = LETTER_KIND.get(letter) ?? 'picked';
        return [id, kind, reasonText(kind, topic)];
      })
    : [];
  return { entries, complete: text[bar - 1] !== '+' };
}

interface StoredSnapshot {
  token: string;
  hcpId: string;
  topic: Topic | null;
  entries: string;
  createdAt: number;
  expiresAt: number;
}

/** Saves snapshots in batches and answers for those not written yet. */
export class SnapshotStore {
  private pending = new Map<string, StoredSnapshot>();
  private writing = new Map<string, StoredSnapshot>();
  private flushing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly deps: Pick<Deps, 'pool' | 'log'>,
    private readonly opts: { flushEveryMs: number; flushAtRows: number; maxBufferedRows: number } = SNAPSHOT_BUFFER,
  ) {
    this.timer = setInterval(() => void this.flush(), opts.flushEveryMs);
    this.timer.unref();
  }

  /** Buffers a new snapshot; `refs` are its entries encoded (encodeRef). */
  save(hcpId: string, snap: { token: string; topic: Topic | null; refs: readonly string[]; complete: boolean }, now: number): void {
    this.pending.set(snap.token, {
      token: snap.token,
      hcpId,
      topic: snap.topic,
      entries: encodeEntries(snap.refs, snap.complete),
      createdAt: now,
      expiresAt: now + PAGING.snapshotTtlMs,
    });
    if (this.pending.size >= this.opts.flushAtRows) void this.flush();
  }

  /**
   * Appends `more` (encoded entries) to the snapshot behind `token` (a session paged past it), written at once. When
   * the stored list is no longer `extending` (another request extended it first), it is left as
   * it is. Returns the list as stored.
   */
  async extend(extending: Snapshot, more: readonly string[], complete: boolean): Promise<Snapshot> {
    await this.flush();
    return inTransaction(this.deps.pool, async (conn) => {
      const [rows] = await conn.query<RowDataPacket[]>('SELECT entries FROM feed_snapshots WHERE token = ? FOR UPDATE', [extending.token]);
      if (!rows[0]) throw new AppError('FEED_CURSOR_EXPIRED', 'That feed ranking has expired or is unknown; load the feed again from the top.');
      const text = String(rows[0].entries);
      const stored = decodeEntries(text);
      if (stored.complete || stored.entries.length !== extending.entries.length) return { ...extending, ...stored };
      const body = text.slice(text.indexOf('|') + 1);
      const updated = encodeEntries(body ? [body, ...more] : more, complete);
      await conn.query('UPDATE feed_snapshots SET entries = ? WHERE token = ?', [updated, extending.token]);
      return { ...extending, ...decodeEntries(updated) };
    });
  }

  /**
   * The doctor's snapshot behind `token`. Another doctor's token is FEED_CURSOR_INVALID; an expired
   * (or already swept) one is FEED_CURSOR_EXPIRED: the client starts again from the top.
   */
  async load(hcpId: string, token: string, now: number): Promise<Snapshot> {
    let row = this.pending.get(token) ?? this.writing.get(token);
    if (!row) {
      const [rows] = await this.deps.pool.query<RowDataPacket[]>('SELECT hcp_id, topic, entries, expires_at FROM feed_snapshots WHERE token = ?', [token]);
      const r = rows[0];
      if (r) row = { token, hcpId: String(r.hcp_id), topic: (r.topic as Topic | null) ?? null, entries: String(r.entries), createdAt: 0, expiresAt: (r.expires_at as Date).getTime() };
    }
    if (!row) throw new AppError('FEED_CURSOR_EXPIRED', 'That feed ranking has expired or is unknown; load the feed again from the top.');
    if (row.hcpId !== hcpId) throw new AppError('FEED_CURSOR_INVALID');
    if (row.expiresAt <= now) throw new AppError('FEED_CURSOR_EXPIRED');
    return { token, topic: row.topic, ...decodeEntries(row.entries) };
  }

  /** Writes what is buffered; concurrent calls share one write, then write what arrived meanwhile. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    this.writing = this.pending;
    this.pending = new Map();
    this.flushing = this.write([...this.writing.values()]).finally(() => {
      this.writing = new Map();
      this.flushing = undefined;
    });
    await this.flushing;
  }

  private async write(rows: StoredSnapshot[]): Promise<void> {
    try {
      await this.deps.pool.query('INSERT INTO feed_snapshots (token, hcp_id, topic, entries, created_at, expires_at) VALUES ?', [
        rows.map((r) => [r.token, r.hcpId, r.topic, r.entries, new Date(r.createdAt), new Date(r.expiresAt)]),
      ]);
    } catch (err) {
      if (this.closed) {
        this.deps.log.error({ err: { message: (err as Error).message }, dropped: rows.length }, 'feed snapshots lost at shutdown');
        return;
      }
      const kept = [...rows, ...this.pending.values()];
      const over = Math.max(0, kept.length - this.opts.maxBufferedRows);
      this.pending = new Map(kept.slice(over).map((r) => [r.token, r]));
      this.deps.log.warn({ err: { message: (err as Error).message }, kept: this.pending.size, dropped: over }, 'feed snapshots write failed; will retry');
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

/** Deletes expired snapshots, a bounded batch at a time. */
export async function sweepSnapshots(db: Db, now: number): Promise<number> {
  const [res] = await db.query<import('mysql2').ResultSetHeader>('DELETE FROM feed_snapshots WHERE expires_at < ? LIMIT 5000', [new Date(now)]);
  return res.affectedRows;
}
