/** The audit log: who did what to which record, when. Written in the same transaction as the change. */
import type { Principal } from '../../platform/auth.js';
import type { Db, RowDataPacket } from '../../platform/db.js';

export interface AuditEntry {
  actor: Principal | { kind: 'system'; id: null; role: 'system' };
  action: string;
  targetType: string;
  targetId: string;
  detail?: Record<string, unknown>;
}

export const SYSTEM_ACTOR = { kind: 'system', id: null, role: 'system' } as const;

export async function recordAudit(db: Db, entry: AuditEntry, now: number): Promise<void> {
  await recordAuditBatch(db, [{ entry, at: now }]);
}

/** Many entries in one multi-row INSERT (bulk tools: the synthetic catalogue). */
export async function recordAuditBatch(db: Db, entries: { entry: AuditEntry; at: number }[]): Promise<void> {
  if (entries.length === 0) return;
  await db.query('INSERT INTO audit_log (actor_type, actor_id, actor_role, action, target_type, target_id, detail, at) VALUES ?', [
    entries.map(({ entry, at }) => [
      entry.actor.kind,
      entry.actor.id,
      entry.actor.role,
      entry.action,
      entry.targetType,
      entry.targetId,
      entry.detail ? JSON.stringify(entry.detail) : null,
      new Date(at),
    ]),
  ]);
}

interface AuditRow extends RowDataPacket {
  id: string;
  actor_type: string;
  actor_id: string | null;
  actor_role: string;
  action: string;
  target_type: string;
  target_id: string;
  detail: string | null;
  at: Date;
}

export async function listAudit(
  db: Db,
  filter: { targetType?: string; targetId?: string; limit: number; beforeId?: string },
): Promise<{ items: unknown[]; nextCursor: string | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.targetType) (where.push('target_type = ?'), params.push(filter.targetType));
  if (filter.targetId) (where.push('target_id = ?'), params.push(filter.targetId));
  if (filter.beforeId) (where.push('id < ?'), params.push(filter.beforeId));
  const [rows] = await db.query<AuditRow[]>(
    `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
    [...params, filter.limit + 1],
  );
  const page = rows.slice(0, filter.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      actor: { type: r.actor_type, id: r.actor_id, role: r.actor_role },
      action: r.action,
      target: { type: r.target_type, id: r.target_id },
      detail: r.detail ? JSON.parse(r.detail) : null,
      at: r.at.toISOString(),
    })),
    nextCursor: rows.length > filter.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}
