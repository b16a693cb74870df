/**
 * Ranking snapshots: how paging stays stable. The first page of a feed ranks the first
 * PAGING.rankAhead entries; the ranked list (each item's id, reason kind and the topic an interest
 * reason names) travels in the cursor, signed, with a random session token and the time it was
 * made. Later pages cut from that list, so events, new content or a changed affinity between pages
 * cannot repeat or skip an item; items that stopped being eligible in between (expired, archived,
 * Rx after a verification was revoked) are left out, since eligibility is checked again on every
 * page. A session that pages past the list has it extended: the rest of the candidates ranked as
 * of then, without what the list already holds, appended (up to PAGING.maxRanked in all) and
 * carried by the next cursor, so still nothing repeats or is skipped; only the order beyond the
 * first ranking follows what changed since.
 *
 * The cursor carries the snapshot instead of the database: any BFF instance answers any page at
 * once (DESIGN §10: stateless instances), and a feed request writes no snapshot row (a row per
 * first page was a fifth of the feed's cost) and a later page reads none. A cursor is
 * `<payload>.<offset>`, the payload base64url of
 *
 *   version (1 byte) · session token (16) · made at, epoch ms (6) · flags (1) · [topic (1)]
 *   · entries: the id as a LEB128 number, then one byte (a reason kind, or an interest and its topic)
 *   · HMAC-SHA256 of the doctor's id and all of the above, first 16 bytes
 *
 * about 4 bytes an entry: a first page's cursor is about 160 characters, the longest
 * (PAGING.maxRanked entries) under 3,000. The MAC binds it to the doctor it was made for (another
 * doctor's or an altered cursor is FEED_CURSOR_INVALID); after PAGING.snapshotTtlMs it is
 * FEED_CURSOR_EXPIRED and the client starts from the top. The offset is outside the MAC: any offset
 * within the list only re-reads what the doctor was given. Topic and kind codes are indexes into
 * the shared vocabularies, which only ever grow at the end.
 */
import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { FEED_CURSOR_RE, FEED_REASON_KINDS, TOPIC_CODES, type FeedReasonKind, type Topic } from '@hcp360/shared';
import { AppError } from '../../platform/errors.js';
import { PAGING } from './feedWeights.js';

/** One ranked entry as a snapshot holds it; the reason text follows from the kind and topic (feedReasons.ts). */
export interface RankedRef {
  id: string;
  kind: FeedReasonKind;
  /** The interest an `affinity` reason names. */
  topic?: Topic;
}

/** An entry as a cursor holds it: the content id as a number, and one byte for its reason (refCode). */
export interface SnapshotRef {
  readonly key: number;
  readonly code: number;
}

export interface Snapshot {
  /** The session's random token (base64url, 22 characters): impressions of its pages carry it. */
  token: string;
  topic: Topic | null;
  createdAt: number;
  entries: RankedRef[];
  /** False when the ranking may go on past `entries`. */
  complete: boolean;
}

/** One letter per reason kind, in stored impressions (impressions.ts). */
export const KIND_LETTER: Record<FeedReasonKind, string> = { affinity: 'a', cluster: 'c', peers: 'p', fresh: 'f', editor: 'e', picked: 'k' };
export const LETTER_KIND = new Map(FEED_REASON_KINDS.map((k) => [KIND_LETTER[k], k]));

const VERSION = 1;
const TOKEN_BYTES = 16;
const MAC_BYTES = 16;
/** version, token, made at, flags */
const HEAD_BYTES = 1 + TOKEN_BYTES + 6 + 1;
const COMPLETE = 1;
const HAS_TOPIC = 2;
/** Entry codes below this are a reason kind (FEED_REASON_KINDS index); from it on, an interest in topic (code − TOPIC_BASE). */
const TOPIC_BASE = 8;
const TOPIC_LIST: readonly Topic[] = TOPIC_CODES;
const TOPIC_CODE = new Map(TOPIC_LIST.map((t, i) => [t, i]));
const KIND_CODE = new Map(FEED_REASON_KINDS.map((k, i) => [k, i]));

/** Random bytes drawn in blocks: one system call per 256 tokens instead of one per first page. */
let entropy = Buffer.alloc(0);
let used = 0;

function newToken(): Buffer {
  if (used + TOKEN_BYTES > entropy.length) (entropy = randomBytes(4096)), (used = 0);
  used += TOKEN_BYTES;
  return entropy.subarray(used - TOKEN_BYTES, used);
}

/** A new session token as impressions store it (base64url, 22 characters). */
export function newSnapshotToken(): string {
  return newToken().toString('base64url');
}

/** SHA-256's block: HMAC pads its key to this (RFC 2104). */
const BLOCK = 64;

/**
 * HMAC-SHA256 (RFC 2104) of `hcpId`, a zero byte and a body, made with two one-shot hashes: the
 * key's padded blocks are made once and the message is written after the inner one in a buffer
 * kept for it. The same bytes as createHmac('sha256', key).update(hcpId).update('\0').update(body),
 * which made and keyed a new object per cursor: about a seventh of a first page's time.
 */
export class CursorMac {
  /** key ⊕ ipad, then room for the message. */
  private inner: Buffer;
  /** key ⊕ opad, then the inner hash. */
  private readonly outer = Buffer.alloc(BLOCK + 32);

  constructor(key: Buffer) {
    if (key.length > BLOCK) throw new Error('a cursor key longer than a block would be hashed first');
    this.inner = Buffer.alloc(BLOCK + 512);
    for (let i = 0; i < BLOCK; i++) {
      this.inner[i] = (key[i] ?? 0) ^ 0x36;
      this.outer[i] = (key[i] ?? 0) ^ 0x5c;
    }
  }

  /**
   * The MAC as a latin1 ('binary') string (one character a byte): a Buffer made by `hash` is an array buffer
   * of its own, allocated outside the JS heap and swept after the next scavenge, twice a cursor;
   * a short string is made and freed in the young generation, and `hash` returns it twice as fast.
   */
  mac(hcpId: string, body: Uint8Array): string {
    const need = BLOCK + 3 * hcpId.length + 1 + body.length;
    if (need > this.inner.length) {
      const grown = Buffer.alloc(Math.max(need, 2 * this.inner.length));
      this.inner.copy(grown, 0, 0, BLOCK);
      this.inner = grown;
    }
    const { inner, outer } = this;
    let at = BLOCK + inner.write(hcpId, BLOCK, 'utf8');
    inner[at++] = 0;
    inner.set(body, at);
    outer.write(hash('sha256', inner.subarray(0, at + body.length), 'binary'), BLOCK, 32, 'latin1');
    return hash('sha256', outer, 'binary');
  }
}

/** Encodes and checks cursors with a key of their own, derived from the server's secret. */
export class SnapshotCursors {
  private readonly macs: CursorMac;

  constructor(secret: string) {
    this.macs = new CursorMac(createHmac('sha256', secret).update('hcp360 feed cursor v1').digest());
  }

  /**
   * A new snapshot of `entries` for doctor `hcpId`, made at `now`, and its payload (pass it to
   * cursorAt). `token` is the session's, from newSnapshotToken.
   */
  create(hcpId: string, snap: { token: string; topic: Topic | null; entries: readonly SnapshotRef[]; complete: boolean }, now: number): string {
    const body = Buffer.allocUnsafe(HEAD_BYTES + 1 + snap.entries.length * ENTRY_BYTES_MAX + MAC_BYTES);
    body[0] = VERSION;
    body.write(snap.token, 1, TOKEN_BYTES, 'base64url');
    body.writeUIntBE(now, 1 + TOKEN_BYTES, 6);
    body[HEAD_BYTES - 1] = (snap.complete ? COMPLETE : 0) | (snap.topic ? HAS_TOPIC : 0);
    let at = HEAD_BYTES;
    if (snap.topic) body[at++] = TOPIC_CODE.get(snap.topic)!;
    return this.sign(hcpId, body, writeEntries(body, at, snap.entries));
  }

  /**
   * The snapshot behind `payload` with `more` entries appended (a session paged past it), as a
   * new payload: the same session token and time made.
   */
  extend(hcpId: string, payload: string, more: readonly SnapshotRef[], complete: boolean): string {
    const old = Buffer.from(payload, 'base64url');
    const kept = old.length - MAC_BYTES;
    const body = Buffer.allocUnsafe(kept + more.length * ENTRY_BYTES_MAX + MAC_BYTES);
    old.copy(body, 0, 0, kept);
    body[HEAD_BYTES - 1] = (body[HEAD_BYTES - 1]! & ~COMPLETE) | (complete ? COMPLETE : 0);
    return this.sign(hcpId, body, writeEntries(body, kept, more));
  }

  /** `<payload>.<offset>` */
  cursorAt(payload: string, offset: number): string {
    return `${payload}.${offset}`;
  }

  /**
   * The doctor's snapshot behind `cursor`, the payload it carries and the offset in it. Anything
   * but a cursor this server made for this doctor is FEED_CURSOR_INVALID; one older than
   * PAGING.snapshotTtlMs is FEED_CURSOR_EXPIRED.
   */
  open(hcpId: string, cursor: string, now: number): { snapshot: Snapshot; payload: string; offset: number } {
    if (!FEED_CURSOR_RE.test(cursor)) throw new AppError('FEED_CURSOR_INVALID');
    const dot = cursor.lastIndexOf('.');
    const payload = cursor.slice(0, dot);
    const offset = Number(cursor.slice(dot + 1));
    const bytes = Buffer.from(payload, 'base64url');
    if (bytes.length < HEAD_BYTES + MAC_BYTES || bytes[0] !== VERSION) throw new AppError('FEED_CURSOR_INVALID');
    const body = bytes.subarray(0, bytes.length - MAC_BYTES);
    if (!timingSafeEqual(Buffer.from(this.mac(hcpId, body), 'latin1').subarray(0, MAC_BYTES), bytes.subarray(body.length))) throw new AppError('FEED_CURSOR_INVALID');
    // Signed by this server: what follows was written by create/extend.
    const createdAt = body.readUIntBE(1 + TOKEN_BYTES, 6);
    if (now - createdAt >= PAGING.snapshotTtlMs) throw new AppError('FEED_CURSOR_EXPIRED');
    const flags = body[HEAD_BYTES - 1]!;
    let at = HEAD_BYTES;
    const topic = flags & HAS_TOPIC ? TOPIC_LIST[body[at++]!]! : null;
    const entries = readEntries(body, at);
    if (offset > entries.length) throw new AppError('FEED_CURSOR_INVALID');
    const snapshot = { token: body.toString('base64url', 1, 1 + TOKEN_BYTES), topic, createdAt, entries, complete: (flags & COMPLETE) !== 0 };
    return { snapshot, payload, offset };
  }

  private mac(hcpId: string, body: Buffer): string {
    return this.macs.mac(hcpId, body);
  }

  /** `out[0, end)` signed: the MAC's first MAC_BYTES written after it, all of it as base64url. */
  private sign(hcpId: string, out: Buffer, end: number): string {
    out.write(this.mac(hcpId, out.subarray(0, end)), end, MAC_BYTES, 'latin1');
    return out.toString('base64url', 0, end + MAC_BYTES);
  }
}

/** The most an entry takes: a LEB128 number below 2^53 (8 bytes) and its code. */
const ENTRY_BYTES_MAX = 9;

/** The byte an entry's reason is held in: its kind, or an interest and the topic it names. */
export function refCode(kind: FeedReasonKind, topic: Topic | undefined): number {
  return kind === 'affinity' && topic ? TOPIC_BASE + TOPIC_CODE.get(topic)! : KIND_CODE.get(kind)!;
}

/**
 * An entry as a cursor holds it. Content ids are BIGINT keys (below 2^53, as Candidate.idOrder
 * compares them), written in decimal without leading zeros; anything else cannot be held.
 */
export function snapshotRef(ref: RankedRef): SnapshotRef {
  const key = Number(ref.id);
  if (!Number.isSafeInteger(key) || key < 0 || String(key) !== ref.id) throw new Error(`content id ${ref.id} is not a key a cursor can hold`);
  return { key, code: refCode(ref.kind, ref.topic) };
}

/**
 * Writes `entries` at `at` (room for ENTRY_BYTES_MAX bytes each); returns where they end. Only
 * the entries' own two numbers are read: the ranker's entries carry them (feedRanker.ts).
 */
function writeEntries(out: Buffer, at: number, entries: readonly SnapshotRef[]): number {
  for (const e of entries) {
    let n = e.key;
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`content key ${n} is not one a cursor can hold`);
    while (n >= 0x80) {
      out[at++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    out[at++] = n;
    out[at++] = e.code;
  }
  return at;
}

function readEntries(body: Buffer, at: number): RankedRef[] {
  const out: RankedRef[] = [];
  while (at < body.length) {
    let n = 0;
    let scale = 1;
    let b: number;
    do {
      b = body[at++]!;
      n += (b & 0x7f) * scale;
      scale *= 0x80;
    } while (b & 0x80);
    const code = body[at++]!;
    if (code >= TOPIC_BASE) out.push({ id: String(n), kind: 'affinity', topic: TOPIC_LIST[code - TOPIC_BASE]! });
    else out.push({ id: String(n), kind: FEED_REASON_KINDS[code]! });
  }
  return out;
}
