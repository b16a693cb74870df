/**
 * Ranking snapshots: how paging stays stable. The first page of a feed ranks everything and
 * stores the ranked id list (with each item's reason) under a random token for PAGING.snapshotTtlMs;
 * the cursor is `<token>.<offset>`. Later pages cut from the stored list, so events, new content or
 * a changed affinity between pages cannot repeat or skip an item; items that stopped being
 * eligible in between (expired, archived, Rx after a verification was revoked) are left out,
 * since eligibility is checked again on every page. Stored in the database, not in memory, so
 * any BFF instance can answer any page (DESIGN §10: stateless instances).
 */
import { randomBytes } from 'node:crypto';
import { FEED_CURSOR_RE, type FeedReasonKind, type Topic } from '@hcp360/shared';
import type { Db, RowDataPacket } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { PAGING } from './feedWeights.js';

/** [content id, reason kind, reason text] */
export type SnapshotEntry = [string, FeedReasonKind, string];

export interface Snapshot {
  token: string;
  topic: Topic | null;
  entries: SnapshotEntry[];
}

export function newSnapshotToken(): string {
  return randomBytes(16).toString('base64url');
}

export function encodeCursor(token: string, offset: number): string {
  return `${token}.${offset}`;
}

export function decodeCursor(cursor: string): { token: string; offset: number } {
  if (!FEED_CURSOR_RE.test(cursor)) throw new AppError('FEED_CURSOR_INVALID');
  const [token, offset] = cursor.split('.') as [string, string];
  return { token, offset: Number(offset) };
}

export async function saveSnapshot(db: Db, hcpId: string, snap: Snapshot, now: number): Promise<void> {
  await db.query('INSERT INTO feed_snapshots (token, hcp_id, topic, entries, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)', [
    snap.token,
    hcpId,
    snap.topic,
    JSON.stringify(snap.entries),
    new Date(now),
    new Date(now + PAGING.snapshotTtlMs),
  ]);
}

/**
 * The doctor's snapshot behind `token`. Another doctor's token is FEED_CURSOR_INVALID; an expired
 * (or already swept) one is FEED_CURSOR_EXPIRED: the client starts again from the top.
 */
export async function loadSnapshot(db: Db, hcpId: string, token: string, now: number): Promise<Snapshot> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT hcp_id, topic, entries, expires_at FROM feed_snapshots WHERE token = ?', [token]);
  const row = rows[0];
  if (!row) throw new AppError('FEED_CURSOR_EXPIRED', 'That feed ranking has expired or is unknown; load the feed again from the top.');
  if (String(row.hcp_id) !== hcpId) throw new AppError('FEED_CURSOR_INVALID');
  if ((row.expires_at as Date).getTime() <= now) throw new AppError('FEED_CURSOR_EXPIRED');
  return { token, topic: (row.topic as Topic | null) ?? null, entries: JSON.parse(String(row.entries)) as SnapshotEntry[] };
}

/** Deletes expired snapshots, a bounded batch at a time. */
export async function sweepSnapshots(db: Db, now: number): Promise<number> {
  const [res] = await db.query<import('mysql2').ResultSetHeader>('DELETE FROM feed_snapshots WHERE expires_at < ? LIMIT 5000', [new Date(now)]);
  return res.affectedRows;
}
