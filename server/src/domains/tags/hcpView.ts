/**
 * The staff view of doctors: one doctor's HCP360 profile (contract: GET /api/admin/hcps/:id), the
 * filtered list, and the event timeline. Reps see only the doctors they brought in.
 */
import { TOPICS, type LifecycleStage, type Topic } from '@hcp360/shared';
import type { Principal } from '../../platform/auth.js';
import type { Db, RowDataPacket } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { findLiveHcp } from '../identity/hcpRepo.js';
import { presentProfile } from '../identity/presenters.js';
import { doctorFactsOf } from '../identity/service.js';
import { decayedRaw, presentScore } from './affinity.js';
import { loadActivity, loadAffinities } from './repo.js';
import { compileRule } from './ruleSql.js';
import type { EngineSettings } from './settings.js';
import type { Rule } from '@hcp360/shared';

/** Reps see a doctor only when the doctor arrived through that rep (first touch). */
function repScope(viewer: Principal): { sql: string; params: unknown[] } {
  if (viewer.role !== 'rep') return { sql: '', params: [] };
  return { sql: "AND EXISTS (SELECT 1 FROM referrals r WHERE r.referred_hcp_id = h.id AND r.inviter_kind = 'rep' AND r.inviter_id = ?)", params: [viewer.id] };
}

/** Stored stage, or dormant when an engaged doctor went quiet since the last engine run. */
export function effectiveStage(stage: LifecycleStage, since: number, lastActiveAt: number | null, now: number, s: EngineSettings): { stage: LifecycleStage; since: number } {
  const limit = s.lifecycle.dormantDays * 86_400_000;
  if ((stage === 'engaged' || stage === 'advocate') && lastActiveAt !== null && now - lastActiveAt >= limit) return { stage: 'dormant', since: lastActiveAt + limit };
  return { stage, since };
}

/** 404 unless `viewer` may see doctor `id` (a live record, and for reps one they brought in). */
async function assertVisible(db: Db, viewer: Principal, id: string): Promise<void> {
  const scope = repScope(viewer);
  const [visible] = await db.query<RowDataPacket[]>(`SELECT h.id FROM hcps h WHERE h.id = ? AND h.merged_into IS NULL ${scope.sql}`, [id, ...scope.params]);
  if (!visible[0]) throw new AppError('NOT_FOUND', `No doctor ${id}.`);
}

export async function hcpProfileForStaff(db: Db, viewer: Principal, id: string, now: number, s: EngineSettings) {
  await assertVisible(db, viewer, id);
  const hcp = (await findLiveHcp(db, id))!;
  const [activity, affinities, facts] = await Promise.all([loadActivity(db, [id]), loadAffinities(db, [id]), doctorFactsOf(db, [id])]);
  const rec = activity.get(id);
  const [tagRows] = await db.query<RowDataPacket[]>('SELECT tag_key, value, score, since, updated_at FROM hcp_tags WHERE hcp_id = ? ORDER BY tag_key', [id]);
  const [transitions] = await db.query<RowDataPacket[]>('SELECT from_stage, to_stage, cause, at FROM lifecycle_transitions WHERE hcp_id = ? ORDER BY at, id', [id]);
  const [segments] = await db.query<RowDataPacket[]>(
    `SELECT r.id, r.name FROM segment_members m JOIN rule_definitions r ON r.id = m.segment_id WHERE m.hcp_id = ? AND r.deleted_at IS NULL ORDER BY r.id`,
    [id],
  );
  const [rep] = await db.query<RowDataPacket[]>(
    `SELECT s.id, s.display_name, r.at FROM referrals r JOIN staff s ON s.id = r.inviter_id WHERE r.referred_hcp_id = ? AND r.inviter_kind = 'rep'`,
    [id],
  );
  const stage = effectiveStage(hcp.lifecycle_stage, hcp.lifecycle_since.getTime(), rec?.state.lastActiveAt ?? null, now, s);
  const counters = rec ? { ...rec.state.counters, cases_accepted: rec.casesAccepted } : null;
  return {
    id,
    profile: { ...presentProfile(hcp), specialty: facts.get(id)?.specialty ?? null, academicRoles: facts.get(id)?.academicRoles ?? [] },
    tags: tagRows.map((t) => ({
      key: String(t.tag_key),
      value: String(t.value),
      ...(t.score !== null && { score: Number(t.score) }),
      since: (t.since as Date).toISOString(),
      updatedAt: (t.updated_at as Date).toISOString(),
    })),
    affinities: [...(affinities.get(id) ?? new Map()).entries()]
      .map(([topic, cell]) => ({ topic, label: TOPICS[topic as Topic] ?? topic, score: Math.round(presentScore(decayedRaw(cell, now, s.halfLifeDays), s.affinityScale) * 1000) / 1000 }))
      .filter((a) => a.score > 0)
      .sort((a, b) => b.score - a.score || a.topic.localeCompare(b.topic)),
    lifecycle: { stage: stage.stage, since: new Date(stage.since).toISOString() },
    lifecycleHistory: transitions.map((t) => ({ from: t.from_stage, to: t.to_stage, cause: t.cause, at: (t.at as Date).toISOString() })),
    counters,
    activity: rec
      ? {
          firstEventAt: rec.state.firstEventAt && new Date(rec.state.firstEventAt).toISOString(),
          lastEventAt: rec.state.lastEventAt && new Date(rec.state.lastEventAt).toISOString(),
          lastActiveAt: rec.state.lastActiveAt && new Date(rec.state.lastActiveAt).toISOString(),
          arrival: rec.state.arrival && { channel: rec.state.arrival.channel, at: new Date(rec.state.arrival.at).toISOString() },
        }
      : null,
    segments: segments.map((r) => ({ id: String(r.id), name: r.name })),
    rep: rep[0] ? { id: String(rep[0].id), name: rep[0].display_name, since: (rep[0].at as Date).toISOString() } : null,
  };
}

export interface HcpListFilter {
  segment?: string;
  tag?: { key: string; value?: string };
  stage?: LifecycleStage;
  q?: string;
  rule?: Rule;
  cursor?: string;
  limit: number;
}

export async function listHcpsForStaff(db: Db, viewer: Principal, f: HcpListFilter, now: number, s: EngineSettings) {
  const where: string[] = ['h.merged_into IS NULL'];
  const params: unknown[] = [];
  const scope = repScope(viewer);
  if (scope.sql) (where.push(scope.sql.replace(/^AND /, '')), params.push(...scope.params));
  if (f.segment) (where.push('EXISTS (SELECT 1 FROM segment_members m WHERE m.hcp_id = h.id AND m.segment_id = ?)'), params.push(f.segment));
  if (f.tag) {
    where.push(`EXISTS (SELECT 1 FROM hcp_tags t WHERE t.hcp_id = h.id AND t.tag_key = ?${f.tag.value !== undefined ? ' AND t.value = ?' : ''})`);
    params.push(f.tag.key, ...(f.tag.value !== undefined ? [f.tag.value] : []));
  }
  if (f.stage) (where.push('h.lifecycle_stage = ?'), params.push(f.stage));
  if (f.q) (where.push('(h.name LIKE ? OR h.hospital LIKE ?)'), params.push(`%${f.q}%`, `%${f.q}%`));
  if (f.rule) {
    const c = compileRule(f.rule, now, s);
    where.push(c.sql);
    params.push(...c.params);
  }
  if (f.cursor) (where.push('h.id > ?'), params.push(f.cursor));
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT h.id, h.name, h.hospital, h.hospital_level, h.department, h.title, h.city, h.lifecycle_stage, h.verification_status
       FROM hcps h WHERE ${where.join(' AND ')} ORDER BY h.id LIMIT ?`,
    [...params, f.limit + 1],
  );
  const page = rows.slice(0, f.limit);
  return {
    items: page.map((r) => ({
      id: String(r.id),
      name: r.name,
      hospital: r.hospital,
      hospitalLevel: r.hospital_level,
      department: r.department,
      title: r.title,
      city: r.city,
      lifecycleStage: r.lifecycle_stage,
      verification: r.verification_status,
    })),
    nextCursor: rows.length > f.limit ? String(page[page.length - 1]!.id) : null,
  };
}

export async function timelineForStaff(db: Db, viewer: Principal, id: string, opts: { cursor?: string; limit: number }) {
  await assertVisible(db, viewer, id);
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT id, event_id, type, client_ts, received_at, page, scene, props FROM events
      WHERE hcp_id = ? ${opts.cursor ? 'AND id < ?' : ''} ORDER BY id DESC LIMIT ?`,
    [id, ...(opts.cursor ? [opts.cursor] : []), opts.limit + 1],
  );
  const page = rows.slice(0, opts.limit);
  return {
    items: page.map((r) => ({
      id: String(r.id),
      eventId: r.event_id,
      type: r.type,
      at: (r.client_ts as Date).toISOString(),
      receivedAt: (r.received_at as Date).toISOString(),
      page: r.page,
      scene: r.scene,
      props: JSON.parse(String(r.props)),
    })),
    nextCursor: rows.length > opts.limit ? String(page[page.length - 1]!.id) : null,
  };
}
