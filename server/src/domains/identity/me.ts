/**
 * A doctor's own data: profile, consents, verification request and phone binding. Every function
 * takes the doctor id from the verified token (the caller passes `principal.id`), never from input.
 */
import { CURRENT_POLICY_VERSION, type MeResponse, type ProfileInput } from '@hcp360/shared';
import { assignments, inTransaction, type Db, type ResultSetHeader, type RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { SYSTEM_ACTOR } from '../audit/service.js';
import { noteDoctorChanged } from '../tags/evaluate.js';
import { consentUpToDate, findLiveHcp, isProfileComplete, listConsents, PROFILE_COLUMNS, promoteIfRegistered, type HcpRow } from './hcpRepo.js';
import { mergeHcps } from './merge.js';
import { presentMe, presentProfile } from './presenters.js';

async function liveHcpOr404(db: Db, id: string, forUpdate = false): Promise<HcpRow> {
  const hcp = await findLiveHcp(db, id, forUpdate);
  if (!hcp) throw new AppError('NOT_FOUND', 'No such doctor.');
  return hcp;
}

async function latestVerificationComment(db: Db, hcpId: string): Promise<string | null> {
  const [rows] = await db.query<RowDataPacket[]>(
    'SELECT comment FROM verification_requests WHERE hcp_id = ? ORDER BY id DESC LIMIT 1',
    [hcpId],
  );
  return (rows[0]?.comment as string | null) ?? null;
}

export async function getMe(deps: Deps, hcpId: string): Promise<MeResponse> {
  const hcp = await liveHcpOr404(deps.pool, hcpId);
  const [consents, comment] = await Promise.all([listConsents(deps.pool, hcp.id), latestVerificationComment(deps.pool, hcp.id)]);
  return presentMe(hcp, consents, comment);
}

export async function updateProfile(deps: Deps, hcpId: string, input: ProfileInput) {
  const now = deps.clock();
  return inTransaction(deps.pool, async (conn) => {
    const hcp = await liveHcpOr404(conn, hcpId, true);
    const values: Record<string, unknown> = {};
    for (const [field, column] of Object.entries(PROFILE_COLUMNS)) {
      values[column] = input[field as keyof ProfileInput] ?? null;
    }
    const set = assignments(values);
    await conn.query(`UPDATE hcps SET ${set.sql}, updated_at = ? WHERE id = ?`, [...set.params, new Date(now), hcp.id]);
    await promoteIfRegistered(conn, hcp.id, now);
    await noteDoctorChanged(deps, conn, hcp.id, 'profile', now);
    return { profile: presentProfile((await findLiveHcp(conn, hcp.id))!) };
  });
}

export async function acceptConsent(deps: Deps, hcpId: string, input: { policyVersion: string; sensitive: boolean }) {
  if (input.policyVersion !== CURRENT_POLICY_VERSION) {
    throw new AppError('CONSENT_VERSION_OUTDATED', undefined, { currentVersion: CURRENT_POLICY_VERSION });
  }
  const now = deps.clock();
  return inTransaction(deps.pool, async (conn) => {
    const hcp = await liveHcpOr404(conn, hcpId, true);
    await conn.query('INSERT INTO hcp_consents (hcp_id, policy_version, sensitive_consent, accepted_at) VALUES (?, ?, ?, ?)', [
      hcp.id,
      input.policyVersion,
      input.sensitive,
      new Date(now),
    ]);
    await promoteIfRegistered(conn, hcp.id, now);
    const accepted = await listConsents(conn, hcp.id);
    return { consents: { currentVersion: CURRENT_POLICY_VERSION, accepted, upToDate: consentUpToDate(accepted) } };
  });
}

export async function requestVerification(deps: Deps, hcpId: string, licenseNo: string) {
  const now = deps.clock();
  return inTransaction(deps.pool, async (conn) => {
    const hcp = await liveHcpOr404(conn, hcpId, true);
    if (!consentUpToDate(await listConsents(conn, hcp.id))) throw new AppError('CONSENT_REQUIRED');
    if (!isProfileComplete(hcp)) throw new AppError('PROFILE_INCOMPLETE');
    if (hcp.verification_status === 'verified') throw new AppError('ALREADY_VERIFIED');
    if (hcp.verification_status === 'pending') throw new AppError('VERIFICATION_PENDING');
    const [res] = await conn.query<ResultSetHeader>(
      `INSERT INTO verification_requests (hcp_id, license_no, status, created_at) VALUES (?, ?, 'pending', ?)`,
      [hcp.id, licenseNo, new Date(now)],
    );
    await conn.query(`UPDATE hcps SET verification_status = 'pending', updated_at = ? WHERE id = ?`, [new Date(now), hcp.id]);
    return { id: String(res.insertId), status: 'pending' as const };
  });
}

/** Binds the WeChat-verified phone number; another record with the same verified phone is the same doctor. */
export async function bindPhone(deps: Deps, hcpId: string, code: string) {
  const { purePhoneNumber } = await deps.wechat.getPhoneNumber(code);
  const now = deps.clock();
  return inTransaction(deps.pool, async (conn) => {
    const hcp = await liveHcpOr404(conn, hcpId, true);
    await conn.query('UPDATE hcps SET phone = ?, phone_verified_at = ?, updated_at = ? WHERE id = ?', [
      purePhoneNumber,
      new Date(now),
      new Date(now),
      hcp.id,
    ]);
    const [others] = await conn.query<RowDataPacket[]>(
      'SELECT id FROM hcps WHERE phone = ? AND phone_verified_at IS NOT NULL AND merged_into IS NULL AND id <> ?',
      [purePhoneNumber, hcp.id],
    );
    let survivorId = hcp.id;
    for (const other of others) {
      survivorId = (await mergeHcps(conn, { a: survivorId, b: String(other.id), reason: 'phone', matched: purePhoneNumber, actor: SYSTEM_ACTOR, now })) ?? survivorId;
    }
    if (others.length) await noteDoctorChanged(deps, conn, survivorId, 'merge', now);
    return { profile: presentProfile((await findLiveHcp(conn, survivorId))!) };
  });
}
