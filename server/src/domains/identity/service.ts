/**
 * What the identity domain offers other domains (they never read its tables themselves):
 * doctors' profile facts, their lifecycle stage moves, and marking a change the engine must see.
 */
import type { LifecycleStage } from '@hcp360/shared';
import type { Db, RowDataPacket } from '../../platform/db.js';
import { findHcp, setLifecycle } from './hcpRepo.js';

export interface DoctorFacts {
  id: string;
  title: string | null;
  department: string | null;
  hospitalLevel: string | null;
  province: string | null;
  city: string | null;
  specialty: string | null;
  academicRoles: string[];
  verification: string;
  stage: LifecycleStage;
  stageSince: number;
  mergedInto: string | null;
}

export async function doctorFactsOf(db: Db, ids: string[]): Promise<Map<string, DoctorFacts>> {
  const out = new Map<string, DoctorFacts>();
  if (ids.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT id, title, department, hospital_level, province, city, specialty, academic_roles, verification_status,
            lifecycle_stage, lifecycle_since, merged_into
       FROM hcps WHERE id IN (?)`,
    [ids],
  );
  for (const r of rows) {
    out.set(String(r.id), {
      id: String(r.id),
      title: r.title,
      department: r.department,
      hospitalLevel: r.hospital_level,
      province: r.province,
      city: r.city,
      specialty: r.specialty,
      academicRoles: r.academic_roles ? (JSON.parse(String(r.academic_roles)) as string[]) : [],
      verification: String(r.verification_status),
      stage: r.lifecycle_stage as LifecycleStage,
      stageSince: (r.lifecycle_since as Date).getTime(),
      mergedInto: r.merged_into === null ? null : String(r.merged_into),
    });
  }
  return out;
}

/** Moves a doctor to `to`, recording the transition with its cause and time. */
export async function moveLifecycleStage(db: Db, hcpId: string, to: LifecycleStage, cause: string, at: number): Promise<void> {
  const hcp = await findHcp(db, hcpId, true);
  if (!hcp || hcp.lifecycle_stage === to) return;
  await setLifecycle(db, hcp, to, cause, at);
}

/** Sets the static attributes that come from imports and staff (not from the doctor). */
export async function setStaffAttributes(db: Db, hcpId: string, attrs: { specialty?: string | null; academicRoles?: string[] }, now: number): Promise<boolean> {
  const sets: string[] = [];
  const params: unknown[] = [];
  if (attrs.specialty !== undefined) (sets.push('specialty = ?'), params.push(attrs.specialty));
  if (attrs.academicRoles !== undefined) (sets.push('academic_roles = ?'), params.push(attrs.academicRoles.length ? JSON.stringify(attrs.academicRoles) : null));
  if (sets.length === 0) return false;
  const [res] = await db.query<import('mysql2').ResultSetHeader>(`UPDATE hcps SET ${sets.join(', ')}, updated_at = ? WHERE id = ? AND merged_into IS NULL`, [...params, new Date(now), hcpId]);
  return res.affectedRows === 1;
}

/**
 * The doctor's openid in this mini-program (`appid`): the WeChat identity they used last, for
 * messages to them (subscribe messages) and WeChat checks that name the user (msg_sec_check).
 */
export async function openidOf(db: Db, appid: string, hcpId: string): Promise<string | undefined> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT openid FROM wechat_identities WHERE hcp_id = ? AND appid = ? ORDER BY last_login_at IS NULL, last_login_at DESC, id DESC LIMIT 1',
    [hcpId, appid],
  );
  return rows[0] ? String(rows[0].openid) : undefined;
}

