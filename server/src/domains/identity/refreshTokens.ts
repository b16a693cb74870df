/**
 * Refresh tokens: random, stored as SHA-256 hashes, rotated on every use. A family is one
 * sign-in; presenting a token that was already rotated means it leaked (or a client raced
 * itself), so the whole family is revoked (OAuth 2.1 refresh-token rotation, RFC 8725 practice).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@hcp360/shared';
import type { Principal } from '../../platform/auth.js';
import type { Db, Pool, RowDataPacket } from '../../platform/db.js';
import { inTransaction } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export async function issueRefreshToken(
  db: Db,
  subject: Principal,
  now: number,
  ttlDays: number,
  familyId: string = randomBytes(16).toString('hex'),
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO refresh_tokens (family_id, token_hash, subject_type, subject_id, role, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [familyId, sha256(token), subject.kind, subject.id, subject.role, new Date(now), new Date(now + ttlDays * 86400_000)],
  );
  return token;
}

interface TokenRow extends RowDataPacket {
  id: string;
  family_id: string;
  subject_type: 'hcp' | 'staff';
  subject_id: string;
  role: Role;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/**
 * Rotates `token`: marks it used and issues its successor in the same family, in one transaction.
 * `resolveSubject` re-checks the subject (a disabled account, a merged doctor) inside the transaction.
 */
export async function rotateRefreshToken(
  pool: Pool,
  token: string,
  now: number,
  ttlDays: number,
  resolveSubject: (db: Db, subject: Principal) => Promise<Principal>,
): Promise<{ subject: Principal; refreshToken: string }> {
  const outcome = await inTransaction(pool, async (conn) => {
    const [rows] = await conn.query<TokenRow[]>('SELECT * FROM refresh_tokens WHERE token_hash = ? FOR UPDATE', [sha256(token)]);
    const row = rows[0];
    if (!row || row.revoked_at || row.expires_at.getTime() <= now) return { kind: 'invalid' as const };
    if (row.used_at) {
      await conn.query('UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL', [new Date(now), row.family_id]);
      return { kind: 'reused' as const };
    }
    await conn.query('UPDATE refresh_tokens SET used_at = ? WHERE id = ?', [new Date(now), row.id]);
    const subject = await resolveSubject(conn, { kind: row.subject_type, id: row.subject_id, role: row.role });
    const refreshToken = await issueRefreshToken(conn, subject, now, ttlDays, row.family_id);
    return { kind: 'ok' as const, subject, refreshToken };
  });
  // The family revocation above is committed before we answer.
  if (outcome.kind === 'reused') throw new AppError('REFRESH_TOKEN_REUSED');
  if (outcome.kind === 'invalid') throw new AppError('REFRESH_TOKEN_INVALID');
  return { subject: outcome.subject, refreshToken: outcome.refreshToken };
}

export async function revokeSubjectTokens(db: Db, subject: { kind: string; id: string }, now: number): Promise<void> {
  await db.query('UPDATE refresh_tokens SET revoked_at = ? WHERE subject_type = ? AND subject_id = ? AND revoked_at IS NULL', [
    new Date(now),
    subject.kind,
    subject.id,
  ]);
}
