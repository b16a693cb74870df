/** SQL for staff accounts. */
import type { StaffRole } from '@hcp360/shared';
import { inTransaction, type Db, type Pool, type ResultSetHeader, type RowDataPacket } from '../../platform/db.js';

export interface StaffRow extends RowDataPacket {
  id: string;
  username: string;
  display_name: string;
  role: StaffRole;
  password_hash: string;
  active: number;
  failed_attempts: number;
  locked_until: Date | null;
}

export async function findStaffByUsername(db: Db, username: string): Promise<StaffRow | undefined> {
  const [rows] = await db.query<StaffRow[]>('SELECT * FROM staff WHERE username = ?', [username]);
  return rows[0];
}

export async function findStaffById(db: Db, id: string): Promise<StaffRow | undefined> {
  const [rows] = await db.query<StaffRow[]>('SELECT * FROM staff WHERE id = ?', [id]);
  return rows[0];
}

export async function insertStaff(
  db: Db,
  s: { username: string; displayName: string; role: StaffRole; passwordHash: string },
  now: number,
): Promise<string> {
  const at = new Date(now);
  const [res] = await db.query<ResultSetHeader>(
    'INSERT INTO staff (username, display_name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    [s.username, s.displayName, s.role, s.passwordHash, at, at],
  );
  return String(res.insertId);
}

/**
 * Counts a failed sign-in atomically (row lock, so concurrent guesses all count) and applies the
 * lock that `lockFor(failures)` asks for. Returns the lock length in ms (0 when not locked).
 */
export async function recordFailedLogin(pool: Pool, id: string, now: number, lockFor: (failures: number) => number): Promise<number> {
  return inTransaction(pool, async (conn) => {
    const [rows] = await conn.query<StaffRow[]>('SELECT failed_attempts FROM staff WHERE id = ? FOR UPDATE', [id]);
    const failures = (rows[0]?.failed_attempts ?? 0) + 1;
    const lockMs = lockFor(failures);
    await conn.query('UPDATE staff SET failed_attempts = ?, locked_until = ?, updated_at = ? WHERE id = ?', [
      failures,
      lockMs ? new Date(now + lockMs) : null,
      new Date(now),
      id,
    ]);
    return lockMs;
  });
}

export async function recordSuccessfulLogin(db: Db, id: string, now: number): Promise<void> {
  await db.query('UPDATE staff SET failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE id = ?', [new Date(now), id]);
}

export async function listStaff(db: Db) {
  const [rows] = await db.query<(StaffRow & { bound: number })[]>(
    `SELECT s.*, EXISTS(SELECT 1 FROM wechat_identities w WHERE w.staff_id = s.id) AS bound FROM staff s ORDER BY s.id`,
  );
  return rows;
}
