/** SQL for doctors (hcps), their consents and lifecycle history. Every query names the hcp_id it is about. */
import { CURRENT_POLICY_VERSION, LIFECYCLE_STAGES, type LifecycleStage, type VerificationStatus } from '@hcp360/shared';
import type { Db, RowDataPacket } from '../../platform/db.js';

export interface HcpRow extends RowDataPacket {
  id: string;
  name: string | null;
  hospital: string | null;
  hospital_level: string | null;
  department: string | null;
  title: string | null;
  province: string | null;
  city: string | null;
  phone: string | null;
  phone_verified_at: Date | null;
  lifecycle_stage: LifecycleStage;
  lifecycle_since: Date;
  verification_status: VerificationStatus;
  merged_into: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Profile columns, in API-field → column pairs. */
export const PROFILE_COLUMNS = {
  name: 'name',
  hospital: 'hospital',
  hospitalLevel: 'hospital_level',
  department: 'department',
  title: 'title',
  province: 'province',
  city: 'city',
} as const;

export async function insertHcp(db: Db, now: number, cause: string): Promise<string> {
  const at = new Date(now);
  const [res] = await db.query<import('mysql2').ResultSetHeader>(
    `INSERT INTO hcps (lifecycle_stage, lifecycle_since, created_at, updated_at) VALUES ('invited', ?, ?, ?)`,
    [at, at, at],
  );
  const id = String(res.insertId);
  await db.query('INSERT INTO lifecycle_transitions (hcp_id, from_stage, to_stage, cause, at) VALUES (?, NULL, ?, ?, ?)', [
    id,
    'invited',
    cause,
    at,
  ]);
  return id;
}

export async function findHcp(db: Db, id: string, forUpdate = false): Promise<HcpRow | undefined> {
  const [rows] = await db.query<HcpRow[]>(`SELECT * FROM hcps WHERE id = ?${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

/** Follows merge pointers so a token minted before a merge still reaches the surviving record. */
export async function findLiveHcp(db: Db, id: string, forUpdate = false): Promise<HcpRow | undefined> {
  let row = await findHcp(db, id, forUpdate);
  for (let hops = 0; row?.merged_into && hops < 10; hops++) row = await findHcp(db, row.merged_into, forUpdate);
  return row?.merged_into ? undefined : row;
}

/**
 * A doctor's HCP verification status (other domains use it: Rx-only content is for verified HCPs).
 * Follows merges like findLiveHcp; an unknown doctor is `none`.
 */
export async function verificationStatusOf(db: Db, hcpId: string): Promise<VerificationStatus> {
  return (await findLiveHcp(db, hcpId))?.verification_status ?? 'none';
}

export function isProfileComplete(h: Pick<HcpRow, 'name' | 'hospital' | 'department' | 'title'>): boolean {
  return !!(h.name && h.hospital && h.department && h.title);
}

interface ConsentRow extends RowDataPacket {
  policy_version: string;
  sensitive_consent: number;
  accepted_at: Date;
}

export async function listConsents(db: Db, hcpId: string) {
  const [rows] = await db.query<ConsentRow[]>(
    'SELECT policy_version, sensitive_consent, accepted_at FROM hcp_consents WHERE hcp_id = ? ORDER BY accepted_at, id',
    [hcpId],
  );
  return rows.map((r) => ({ policyVersion: r.policy_version, sensitive: r.sensitive_consent === 1, at: r.accepted_at.toISOString() }));
}

/** Consent is current when the latest answer for the current policy version includes the sensitive-data consent. */
export function consentUpToDate(accepted: { policyVersion: string; sensitive: boolean }[]): boolean {
  const current = accepted.filter((c) => c.policyVersion === CURRENT_POLICY_VERSION);
  return current.length > 0 && current[current.length - 1]!.sensitive;
}

const RANK: Record<LifecycleStage, number> = Object.fromEntries(LIFECYCLE_STAGES.map((s, i) => [s, i])) as Record<LifecycleStage, number>;
// dormant is a side state, not "after advocate": rank it with engaged for forward-only moves.
RANK.dormant = RANK.engaged;

/**
 * Moves a doctor forward to `to` (never backwards) and records the transition with its cause.
 * Returns true when the stage changed.
 */
export async function advanceLifecycle(db: Db, hcp: Pick<HcpRow, 'id' | 'lifecycle_stage'>, to: LifecycleStage, cause: string, now: number): Promise<boolean> {
  if (RANK[to] <= RANK[hcp.lifecycle_stage]) return false;
  await setLifecycle(db, hcp, to, cause, now);
  return true;
}

/** Sets the stage unconditionally (merge undo), recording the transition. */
export async function setLifecycle(db: Db, hcp: Pick<HcpRow, 'id' | 'lifecycle_stage'>, to: LifecycleStage, cause: string, now: number, since = now): Promise<void> {
  const at = new Date(now);
  await db.query('UPDATE hcps SET lifecycle_stage = ?, lifecycle_since = ?, updated_at = ? WHERE id = ?', [to, new Date(since), at, hcp.id]);
  await db.query('INSERT INTO lifecycle_transitions (hcp_id, from_stage, to_stage, cause, at) VALUES (?, ?, ?, ?, ?)', [
    hcp.id,
    hcp.lifecycle_stage,
    to,
    cause,
    at,
  ]);
}

export function laterStage(a: LifecycleStage, b: LifecycleStage): LifecycleStage {
  return RANK[b] > RANK[a] ? b : a;
}

/** Registered = consented to the current policy (with the sensitive-data consent) and profile complete. */
export async function promoteIfRegistered(db: Db, hcpId: string, now: number): Promise<void> {
  const hcp = await findHcp(db, hcpId, true);
  if (!hcp || hcp.lifecycle_stage !== 'invited') return;
  if (isProfileComplete(hcp) && consentUpToDate(await listConsents(db, hcpId))) {
    await advanceLifecycle(db, hcp, 'registered', 'consent_and_profile_complete', now);
  }
}
