/**
 * Sign-in: WeChat login for doctors (and reps bound to a WeChat identity), staff password login,
 * and refresh-token rotation. OneID: an openid seen again finds the same doctor; a unionid shared
 * with another identity joins it, and two existing records that share a unionid are merged.
 */
import type { LoginResponse, RefreshResponse, StaffRole } from '@hcp360/shared';
import type { Principal } from '../../platform/auth.js';
import { inTransaction, type Db, type ResultSetHeader, type RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { SYSTEM_ACTOR } from '../audit/service.js';
import { noteDoctorChanged } from '../tags/evaluate.js';
import { findLiveHcp, insertHcp } from './hcpRepo.js';
import { mergeHcps } from './merge.js';
import { DUMMY_HASH, verifyPassword } from './passwords.js';
import { issueRefreshToken, rotateRefreshToken } from './refreshTokens.js';
import { findStaffById, findStaffByUsername, recordFailedLogin, recordSuccessfulLogin } from './staffRepo.js';

interface IdentityRow extends RowDataPacket {
  id: string;
  openid: string;
  unionid: string | null;
  hcp_id: string | null;
  staff_id: string | null;
}

async function issuePair(deps: Deps, db: Db, p: Principal): Promise<LoginResponse> {
  const now = deps.clock();
  const refreshToken = await issueRefreshToken(db, p, now, deps.config.jwt.refreshTtlDays);
  return { token: deps.tokens.sign(p), refreshToken, user: { id: p.id, role: p.role } };
}

export async function wechatLogin(deps: Deps, code: string): Promise<LoginResponse> {
  const { openid, unionid } = await deps.wechat.code2Session(code);
  for (let attempt = 0; ; attempt++) {
    try {
      return await inTransaction(deps.pool, (conn) => resolveWechatIdentity(deps, conn, openid, unionid));
    } catch (err) {
      // Two first sign-ins of the same openid raced to insert it (the second finds it on retry),
      // or InnoDB chose this transaction as a deadlock victim: both are safe to run again.
      const code = (err as { code?: string }).code;
      if (attempt >= 2 || (code !== 'ER_DUP_ENTRY' && code !== 'ER_LOCK_DEADLOCK')) throw err;
    }
  }
}

async function resolveWechatIdentity(deps: Deps, conn: Db, openid: string, unionid: string | undefined): Promise<LoginResponse> {
  const now = deps.clock();
  const at = new Date(now);
  const appid = deps.config.wechat.appid;
  // No FOR UPDATE: on a missing row it would take a gap lock, and two first sign-ins of different
  // doctors then deadlock on their inserts. The unique key settles a race on the same openid.
  const [rows] = await conn.query<IdentityRow[]>('SELECT * FROM wechat_identities WHERE appid = ? AND openid = ?', [appid, openid]);
  let identity = rows[0];

  // Other identities of the same person (same unionid, other apps), if WeChat told us the unionid.
  const siblings: IdentityRow[] = [];
  if (unionid) {
    const [sib] = await conn.query<IdentityRow[]>('SELECT * FROM wechat_identities WHERE unionid = ? AND NOT (appid = ? AND openid = ?)', [
      unionid,
      appid,
      openid,
    ]);
    siblings.push(...sib);
  }

  if (!identity) {
    const staffSibling = siblings.find((s) => s.staff_id);
    const hcpSibling = siblings.find((s) => s.hcp_id);
    const hcpId = staffSibling ? null : hcpSibling ? ((await findLiveHcp(conn, hcpSibling.hcp_id!))?.id ?? null) : null;
    const newHcpId = staffSibling ? null : (hcpId ?? (await insertHcp(conn, now, 'wechat_login')));
    // A new doctor has a profile (if an empty one) from the start: the engine tags it.
    if (newHcpId && !hcpId) await noteDoctorChanged(deps, conn, newHcpId, 'created', now);
    const [res] = await conn.query<ResultSetHeader>(
      `INSERT INTO wechat_identities (appid, openid, unionid, hcp_id, staff_id, created_at, last_login_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [appid, openid, unionid ?? null, newHcpId, staffSibling?.staff_id ?? null, at, at],
    );
    identity = { id: String(res.insertId), openid, unionid: unionid ?? null, hcp_id: newHcpId, staff_id: staffSibling?.staff_id ?? null } as IdentityRow;
  } else {
    await conn.query('UPDATE wechat_identities SET last_login_at = ?, unionid = COALESCE(?, unionid) WHERE id = ?', [at, unionid ?? null, identity.id]);
  }

  // A rep bound to this WeChat identity signs in as staff.
  if (identity.staff_id) {
    const staff = await findStaffById(conn, identity.staff_id);
    if (!staff || !staff.active) throw new AppError('ACCOUNT_DISABLED');
    return issuePair(deps, conn, { kind: 'staff', id: staff.id, role: staff.role as StaffRole });
  }

  let hcp = identity.hcp_id ? await findLiveHcp(conn, identity.hcp_id) : undefined;
  if (!hcp) {
    // An identity whose doctor record is gone (never expected): give it a fresh record.
    const hcpId = await insertHcp(conn, now, 'wechat_login');
    await conn.query('UPDATE wechat_identities SET hcp_id = ? WHERE id = ?', [hcpId, identity.id]);
    await noteDoctorChanged(deps, conn, hcpId, 'created', now);
    hcp = await findLiveHcp(conn, hcpId);
  }
  let hcpId = hcp!.id;
  // Same unionid on another doctor record: one person, two records → merge.
  if (unionid) {
    for (const sibling of siblings) {
      if (!sibling.hcp_id) continue;
      const other = await findLiveHcp(conn, sibling.hcp_id);
      if (!other || other.id === hcpId) continue;
      const survivor = await mergeHcps(conn, { a: hcpId, b: other.id, reason: 'unionid', matched: unionid, actor: SYSTEM_ACTOR, now });
      if (survivor) {
        hcpId = survivor;
        await noteDoctorChanged(deps, conn, survivor, 'merge', now);
      }
    }
  }
  return issuePair(deps, conn, { kind: 'hcp', id: hcpId, role: 'doctor' });
}

export async function refresh(deps: Deps, refreshToken: string): Promise<RefreshResponse> {
  const now = deps.clock();
  const { subject, refreshToken: next } = await rotateRefreshToken(deps.pool, refreshToken, now, deps.config.jwt.refreshTtlDays, async (db, s) => {
    if (s.kind === 'hcp') {
      const hcp = await findLiveHcp(db, s.id);
      if (!hcp) throw new AppError('REFRESH_TOKEN_INVALID');
      return { ...s, id: hcp.id };
    }
    const staff = await findStaffById(db, s.id);
    if (!staff?.active) throw new AppError('ACCOUNT_DISABLED');
    return { kind: 'staff', id: staff.id, role: staff.role as StaffRole };
  });
  return { token: deps.tokens.sign(subject), refreshToken: next };
}

/** Failed sign-ins before the first lock-out, and the longest lock. */
export const LOCKOUT = { freeAttempts: 5, baseMinutes: 1, maxMinutes: 60 };

export async function staffLogin(deps: Deps, username: string, password: string): Promise<LoginResponse> {
  const now = deps.clock();
  const staff = await findStaffByUsername(deps.pool, username.toLowerCase());
  if (!staff) {
    await verifyPassword(password, DUMMY_HASH); // same work as a real check, so timing does not reveal usernames
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (staff.locked_until && staff.locked_until.getTime() > now) {
    throw lockedError(staff.locked_until.getTime() - now);
  }
  if (!(await verifyPassword(password, staff.password_hash))) {
    const lockMs = await recordFailedLogin(deps.pool, staff.id, now, lockoutFor);
    if (lockMs) throw lockedError(lockMs);
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (!staff.active) throw new AppError('ACCOUNT_DISABLED');
  await recordSuccessfulLogin(deps.pool, staff.id, now);
  return issuePair(deps, deps.pool, { kind: 'staff', id: staff.id, role: staff.role as StaffRole });
}

/** Back-off: locked 1, 2, 4 … minutes from the fifth failure in a row on, capped at an hour. */
export function lockoutFor(failures: number): number {
  const over = failures - LOCKOUT.freeAttempts;
  return over >= 0 ? Math.min(LOCKOUT.maxMinutes, LOCKOUT.baseMinutes * 2 ** over) * 60_000 : 0;
}

function lockedError(ms: number): AppError {
  const seconds = Math.ceil(ms / 1000);
  return new AppError('ACCOUNT_LOCKED', `Too many failed sign-ins; try again in ${seconds} s.`, { retryAfterSeconds: seconds }, {
    'Retry-After': String(seconds),
  });
}
