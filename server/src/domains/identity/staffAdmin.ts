/** Admin: staff accounts and binding a rep's WeChat identity so the rep can sign into the mini-program. */
import type { StaffUser } from '@hcp360/shared';
import type { Principal } from '../../platform/auth.js';
import { inTransaction, type RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { recordAudit } from '../audit/service.js';
import { hashPassword } from './passwords.js';
import { revokeSubjectTokens } from './refreshTokens.js';
import { findStaffById, insertStaff, listStaff, type StaffRow } from './staffRepo.js';

function presentStaff(s: StaffRow, wechatBound: boolean): StaffUser {
  return { id: s.id, username: s.username, displayName: s.display_name, role: s.role, active: s.active === 1, wechatBound };
}

export async function createStaff(
  deps: Deps,
  actor: Principal,
  input: { username: string; displayName: string; role: StaffUser['role']; password: string },
): Promise<StaffUser> {
  const now = deps.clock();
  const passwordHash = await hashPassword(input.password);
  try {
    return await inTransaction(deps.pool, async (conn) => {
      const id = await insertStaff(conn, { ...input, passwordHash }, now);
      await recordAudit(conn, { actor, action: 'staff.create', targetType: 'staff', targetId: id, detail: { username: input.username, role: input.role } }, now);
      return presentStaff((await findStaffById(conn, id))!, false);
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'ER_DUP_ENTRY') throw new AppError('USERNAME_TAKEN');
    throw err;
  }
}

export async function getStaffList(deps: Deps): Promise<{ items: StaffUser[] }> {
  const rows = await listStaff(deps.pool);
  return { items: rows.map((r) => presentStaff(r, Number(r.bound) === 1)) };
}

/**
 * Binds `openid` (of our mini-program) to a rep's staff account. The rep's next WeChat sign-in
 * yields a token with role `rep`. Any doctor session of that identity is signed out.
 */
export async function bindRepWechat(deps: Deps, actor: Principal, staffId: string, openid: string): Promise<StaffUser> {
  const now = deps.clock();
  const appid = deps.config.wechat.appid;
  return inTransaction(deps.pool, async (conn) => {
    const staff = await findStaffById(conn, staffId);
    if (!staff) throw new AppError('NOT_FOUND', `No staff account ${staffId}.`);
    if (staff.role !== 'rep') throw new AppError('NOT_A_REP');
    const [rows] = await conn.query<RowDataPacket[]>('SELECT id, hcp_id, staff_id FROM wechat_identities WHERE appid = ? AND openid = ? FOR UPDATE', [appid, openid]);
    const identity = rows[0];
    if (identity?.staff_id && String(identity.staff_id) !== staff.id) throw new AppError('WECHAT_IDENTITY_TAKEN');
    const at = new Date(now);
    if (identity) {
      await conn.query('UPDATE wechat_identities SET staff_id = ? WHERE id = ?', [staff.id, identity.id]);
      if (identity.hcp_id) await revokeSubjectTokens(conn, { kind: 'hcp', id: String(identity.hcp_id) }, now);
    } else {
      await conn.query('INSERT INTO wechat_identities (appid, openid, staff_id, created_at) VALUES (?, ?, ?, ?)', [appid, openid, staff.id, at]);
    }
    await recordAudit(conn, { actor, action: 'staff.wechat_bind', targetType: 'staff', targetId: staff.id, detail: { openid } }, now);
    return presentStaff(staff, true);
  });
}

export async function unbindRepWechat(deps: Deps, actor: Principal, staffId: string): Promise<StaffUser> {
  const now = deps.clock();
  return inTransaction(deps.pool, async (conn) => {
    const staff = await findStaffById(conn, staffId);
    if (!staff) throw new AppError('NOT_FOUND', `No staff account ${staffId}.`);
    await conn.query('UPDATE wechat_identities SET staff_id = NULL WHERE staff_id = ?', [staff.id]);
    await revokeSubjectTokens(conn, { kind: 'staff', id: staff.id }, now);
    await recordAudit(conn, { actor, action: 'staff.wechat_unbind', targetType: 'staff', targetId: staff.id }, now);
    return presentStaff(staff, false);
  });
}
