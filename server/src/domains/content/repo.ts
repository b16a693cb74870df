/**
 * SQL for content items, their versions, and each version's topics and audience. Every write to
 * versions, topics or audience bumps content_revision in the same transaction (migration 006), so
 * the in-memory serving catalogue (servingCatalogue.ts) can tell when it is out of date.
 */
import type { ContentType, Topic } from '@hcp360/shared';
import { assignments, type Db, type ResultSetHeader, type RowDataPacket } from '../../platform/db.js';
import type { StoredStatus } from './workflow.js';

export interface ItemRow extends RowDataPacket {
  id: string;
  content_type: ContentType;
  author_id: string;
  latest_version_no: number;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface VersionRow extends RowDataPacket {
  id: string;
  item_id: string;
  version_no: number;
  status: StoredStatus;
  title: string;
  summary: string | null;
  cover_url: string | null;
  body: string | null;
  video_url: string | null;
  rx_only: number;
  priority: number;
  audience_all: number;
  publish_at: Date | null;
  expire_at: Date | null;
  live_from: Date | null;
  published_by: string | null;
  author_id: string;
  edited_by: string;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_comment: string | null;
  created_at: Date;
  updated_at: Date;
}

/** A version with its topics and audience segments. */
export interface Version extends VersionRow {
  topics: Topic[];
  segmentIds: string[];
}

/** The editable fields of a version, ready for SQL (body already sanitised). */
export interface VersionFields {
  title: string;
  summary: string | null;
  cover_url: string | null;
  body: string | null;
  video_url: string | null;
  rx_only: boolean;
  priority: number;
  publish_at: Date | null;
  expire_at: Date | null;
  topics: Topic[];
  segmentIds: string[];
}

export async function insertItem(db: Db, type: ContentType, authorId: string, now: Date): Promise<string> {
  const [res] = await db.query<ResultSetHeader>(
    'INSERT INTO content_items (content_type, author_id, latest_version_no, created_at, updated_at) VALUES (?, ?, 1, ?, ?)',
    [type, authorId, now, now],
  );
  return String(res.insertId);
}

export async function findItem(db: Db, id: string, forUpdate = false): Promise<ItemRow | undefined> {
  const [rows] = await db.query<ItemRow[]>(`SELECT * FROM content_items WHERE id = ?${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

export async function updateItem(db: Db, id: string, values: { latest_version_no?: number; archived_at?: Date }, now: Date): Promise<void> {
  const set = assignments({ ...values, updated_at: now });
  await db.query(`UPDATE content_items SET ${set.sql} WHERE id = ?`, [...set.params, id]);
}

function columnsOf(f: VersionFields): Record<string, unknown> {
  return {
    title: f.title,
    summary: f.summary,
    cover_url: f.cover_url,
    body: f.body,
    video_url: f.video_url,
    rx_only: f.rx_only ? 1 : 0,
    priority: f.priority,
    audience_all: f.segmentIds.length === 0 ? 1 : 0,
    publish_at: f.publish_at,
    expire_at: f.expire_at,
  };
}

/**
 * Takes the content_revision row lock first thing in a content-writing transaction: content writes
 * (rare staff actions) then run one at a time, instead of two creations deadlocking over the
 * topic and audience rows each inserted before both wanted the revision row.
 */
export async function lockContentWrites(db: Db): Promise<void> {
  await db.query('SELECT revision FROM content_revision WHERE id = 1 FOR UPDATE');
}

/** Marks served content as changed; called by every write below, inside the writer's transaction. */
export async function markContentChanged(db: Db): Promise<void> {
  await db.query('UPDATE content_revision SET revision = revision + 1 WHERE id = 1');
}

/** The revision of content now (see migration 006). */
export async function contentRevision(db: Db): Promise<string> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT revision FROM content_revision WHERE id = 1');
  return String(rows[0]?.revision ?? '0');
}

async function writeTopicsAndAudience(db: Db, versionId: string, f: VersionFields): Promise<void> {
  await db.query('DELETE FROM content_topics WHERE version_id = ?', [versionId]);
  await db.query('DELETE FROM content_audience WHERE version_id = ?', [versionId]);
  await db.query('INSERT INTO content_topics (version_id, topic) VALUES ?', [f.topics.map((t) => [versionId, t])]);
  if (f.segmentIds.length) await db.query('INSERT INTO content_audience (version_id, segment_id) VALUES ?', [f.segmentIds.map((s) => [versionId, s])]);
}

export async function insertVersion(db: Db, itemId: string, versionNo: number, f: VersionFields, authorId: string, now: Date): Promise<string> {
  const cols = { ...columnsOf(f), item_id: itemId, version_no: versionNo, status: 'draft', author_id: authorId, edited_by: authorId, created_at: now, updated_at: now };
  const names = Object.keys(cols);
  const [res] = await db.query<ResultSetHeader>(
    `INSERT INTO content_versions (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
    Object.values(cols),
  );
  const versionId = String(res.insertId);
  await writeTopicsAndAudience(db, versionId, f);
  await markContentChanged(db);
  return versionId;
}

/** Replaces a version's editable fields (a draft, or an approved version going back to draft). */
export async function updateVersionFields(db: Db, versionId: string, f: VersionFields, editorId: string, now: Date): Promise<void> {
  const set = assignments({ ...columnsOf(f), status: 'draft', edited_by: editorId, updated_at: now });
  await db.query(`UPDATE content_versions SET ${set.sql} WHERE id = ?`, [...set.params, versionId]);
  await writeTopicsAndAudience(db, versionId, f);
  await markContentChanged(db);
}

export type VersionChange = Partial<Pick<VersionRow, 'status' | 'live_from' | 'published_by' | 'reviewed_by' | 'reviewed_at' | 'review_comment'>>;

export async function updateVersion(db: Db, versionId: string, change: VersionChange, now: Date): Promise<void> {
  const set = assignments({ ...change, updated_at: now });
  await db.query(`UPDATE content_versions SET ${set.sql} WHERE id = ?`, [...set.params, versionId]);
  await markContentChanged(db);
}

/** Topics of the given versions, by version id. */
export async function topicsOfVersions(db: Db, versionIds: string[]): Promise<Map<string, Topic[]>> {
  const out = new Map<string, Topic[]>();
  if (versionIds.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>('SELECT version_id, topic FROM content_topics WHERE version_id IN (?) ORDER BY version_id, topic', [versionIds]);
  for (const r of rows) {
    const key = String(r.version_id);
    out.set(key, [...(out.get(key) ?? []), r.topic as Topic]);
  }
  return out;
}

async function segmentsOfVersions(db: Db, versionIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (versionIds.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>('SELECT version_id, segment_id FROM content_audience WHERE version_id IN (?) ORDER BY version_id, segment_id', [versionIds]);
  for (const r of rows) {
    const key = String(r.version_id);
    out.set(key, [...(out.get(key) ?? []), String(r.segment_id)]);
  }
  return out;
}

/** Every version of an item, oldest first, with topics and audience. */
export async function versionsOf(db: Db, itemId: string, forUpdate = false): Promise<Version[]> {
  const [rows] = await db.query<VersionRow[]>(`SELECT * FROM content_versions WHERE item_id = ? ORDER BY version_no${forUpdate ? ' FOR UPDATE' : ''}`, [itemId]);
  const ids = rows.map((r) => r.id);
  const [topics, segments] = await Promise.all([topicsOfVersions(db, ids), segmentsOfVersions(db, ids)]);
  return rows.map((r) => Object.assign(r, { topics: topics.get(r.id) ?? [], segmentIds: segments.get(r.id) ?? [] }));
}
