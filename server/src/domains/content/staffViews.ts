/** Reading content in the console: the list with filters, one item with all its versions, its history. */
import type { ContentAdminView, ContentHistoryEntry, ContentListItem, ContentListQuery, ContentStatus, Topic } from '@hcp360/shared';
import type { RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { listAudit } from '../audit/service.js';
import { presentItem } from './presenters.js';
import { findItem, topicsOfVersions, versionsOf, type VersionRow } from './repo.js';
import { versionStatus } from './workflow.js';

/** The SQL twin of workflow.itemStatus, for the newest version `v` of item `i`. */
function statusCondition(status: ContentStatus, at: Date): { sql: string; params: unknown[] } {
  switch (status) {
    case 'archived':
      return { sql: 'i.archived_at IS NOT NULL', params: [] };
    case 'draft':
    case 'in_review':
    case 'approved':
      return { sql: 'i.archived_at IS NULL AND v.status = ?', params: [status] };
    case 'scheduled':
      return { sql: "i.archived_at IS NULL AND v.status = 'published' AND v.live_from > ?", params: [at] };
    case 'published':
      return { sql: "i.archived_at IS NULL AND v.status = 'published' AND v.live_from <= ? AND (v.expire_at IS NULL OR v.expire_at > ?)", params: [at, at] };
    case 'expired':
      return { sql: "i.archived_at IS NULL AND v.status = 'published' AND v.live_from <= ? AND v.expire_at <= ?", params: [at, at] };
    case 'superseded':
      // The newest version is never superseded.
      return { sql: '1 = 0', params: [] };
  }
}

interface ListRow extends VersionRow {
  content_type: ContentListItem['type'];
  item_author_id: string;
  archived_at: Date | null;
  item_updated_at: Date;
}

export async function listContent(deps: Deps, q: ContentListQuery): Promise<{ items: ContentListItem[]; nextCursor: string | null }> {
  const now = deps.clock();
  const at = new Date(now);
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.status) {
    const c = statusCondition(q.status, at);
    where.push(c.sql);
    params.push(...c.params);
  }
  if (q.type) (where.push('i.content_type = ?'), params.push(q.type));
  if (q.topic) (where.push('EXISTS (SELECT 1 FROM content_topics t WHERE t.version_id = v.id AND t.topic = ?)'), params.push(q.topic));
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, '\\$&')}%`;
    where.push('(v.title LIKE ? OR v.summary LIKE ?)');
    params.push(like, like);
  }
  if (q.cursor) (where.push('i.id < ?'), params.push(q.cursor));
  const [rows] = await deps.pool.query<ListRow[]>(
    `SELECT v.*, i.content_type, i.author_id AS item_author_id, i.archived_at, i.updated_at AS item_updated_at
       FROM content_items i JOIN content_versions v ON v.item_id = i.id AND v.version_no = i.latest_version_no
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY i.id DESC LIMIT ?`,
    [...params, q.limit + 1],
  );
  const page = rows.slice(0, q.limit);
  const [topics, live] = await Promise.all([topicsOfVersions(deps.pool, page.map((r) => r.id)), liveVersions(deps, page.map((r) => r.item_id), now)]);
  return {
    items: page.map((r) => ({
      id: r.item_id,
      type: r.content_type,
      title: r.title,
      status: r.archived_at ? 'archived' : versionStatus(r, now, null),
      version: r.version_no,
      liveVersion: r.archived_at ? null : (live.get(r.item_id) ?? null),
      topics: topics.get(r.id) ?? ([] as Topic[]),
      rxOnly: r.rx_only === 1,
      priority: r.priority,
      authorId: r.item_author_id,
      publishAt: r.publish_at?.toISOString() ?? null,
      expireAt: r.expire_at?.toISOString() ?? null,
      updatedAt: r.item_updated_at.toISOString(),
    })),
    nextCursor: rows.length > q.limit ? (page[page.length - 1]?.item_id ?? null) : null,
  };
}

/** The version of each item that is live now (published, gone live, not expired, not superseded). */
async function liveVersions(deps: Deps, itemIds: string[], now: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (itemIds.length === 0) return out;
  const [rows] = await deps.pool.query<RowDataPacket[]>(
    `SELECT item_id, version_no, expire_at FROM content_versions
      WHERE item_id IN (?) AND status = 'published' AND live_from <= ? ORDER BY item_id, version_no`,
    [itemIds, new Date(now)],
  );
  const newest = new Map<string, RowDataPacket>();
  for (const r of rows) newest.set(String(r.item_id), r);
  for (const [itemId, r] of newest) {
    if (!r.expire_at || (r.expire_at as Date).getTime() > now) out.set(itemId, Number(r.version_no));
  }
  return out;
}

export async function getContentForStaff(deps: Deps, id: string): Promise<ContentAdminView> {
  const item = await findItem(deps.pool, id);
  if (!item) throw new AppError('NOT_FOUND', `No content ${id}.`);
  return presentItem(item, await versionsOf(deps.pool, id), deps.clock());
}

interface AuditItem {
  actor: { type: string; id: string | null; role: string };
  action: string;
  detail: { version?: number; from?: ContentStatus | null; to?: ContentStatus | null; comment?: string | null } | null;
  at: string;
}

/** Every workflow step of an item, oldest first, from the audit log. */
export async function contentHistory(deps: Deps, id: string): Promise<{ items: ContentHistoryEntry[] }> {
  if (!(await findItem(deps.pool, id))) throw new AppError('NOT_FOUND', `No content ${id}.`);
  const { items } = await listAudit(deps.pool, { targetType: 'content', targetId: id, limit: 200 });
  return {
    items: (items as AuditItem[]).reverse().map((a) => ({
      action: a.action.replace(/^content\./, ''),
      version: a.detail?.version ?? null,
      from: a.detail?.from ?? null,
      to: a.detail?.to ?? null,
      actor: { id: a.actor.id, role: a.actor.role },
      comment: a.detail?.comment ?? null,
      at: a.at,
    })),
  };
}
