/** Compliance review of HCP verification requests. Every decision is in the audit log. */
import type { VerificationItem } from '@hcp360/shared';
import type { Principal } from '../../platform/auth.js';
import { inTransaction, type RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { recordAudit } from '../audit/service.js';
import { noteDoctorChanged } from '../tags/evaluate.js';
import { advanceLifecycle, findHcp } from './hcpRepo.js';

interface RequestRow extends RowDataPacket {
  id: string;
  hcp_id: string;
  license_no: string;
  status: VerificationItem['status'];
  comment: string | null;
  created_at: Date;
  reviewed_at: Date | null;
  name: string | null;
  hospital: string | null;
  department: string | null;
  title: string | null;
}

export async function listVerifications(deps: Deps, status: VerificationItem['status'], limit: number): Promise<{ items: VerificationItem[] }> {
  const [rows] = await deps.pool.query<RequestRow[]>(
    `SELECT v.*, h.name, h.hospital, h.department, h.title
       FROM verification_requests v JOIN hcps h ON h.id = v.hcp_id
      WHERE v.status = ? ORDER BY v.created_at ${status === 'pending' ? 'ASC' : 'DESC'}, v.id LIMIT ?`,
    [status, limit],
  );
  return {
    items: rows.map((r) => ({
      id: r.id,
      hcpId: r.hcp_id,
      licenseNo: r.license_no,
      status: r.status,
      name: r.name,
      hospital: r.hospital,
      department: r.department,
      title: r.title,
      createdAt: r.created_at.toISOString(),
      reviewedAt: r.reviewed_at?.toISOString() ?? null,
      comment: r.comment,
    })),
  };
}

export async function reviewVerification(
  deps: Deps,
  reviewer: Principal,
  requestId: string,
  decision: 'approved' | 'rejected',
  comment: string | undefined,
): Promise<{ id: string; status: 'approved' | 'rejected' }> {
  const now = deps.clock();
  return inTransaction(deps.pool, async (conn) => {
    const [rows] = await conn.query<RequestRow[]>('SELECT * FROM verification_requests WHERE id = ? FOR UPDATE', [requestId]);
    const request = rows[0];
    if (!request) throw new AppError('NOT_FOUND', `No verification request ${requestId}.`);
    if (request.status !== 'pending') {
      throw new AppError('INVALID_TRANSITION', `This request was already ${request.status}.`, { status: request.status });
    }
    const at = new Date(now);
    await conn.query('UPDATE verification_requests SET status = ?, comment = ?, reviewer_id = ?, reviewed_at = ? WHERE id = ?', [
      decision,
      comment ?? null,
      reviewer.id,
      at,
      request.id,
    ]);
    const hcp = await findHcp(conn, request.hcp_id, true);
    if (hcp) {
      await conn.query('UPDATE hcps SET verification_status = ?, updated_at = ? WHERE id = ?', [
        decision === 'approved' ? 'verified' : 'rejected',
        at,
        hcp.id,
      ]);
      if (decision === 'approved') await advanceLifecycle(conn, hcp, 'verified', 'verification_approved', now);
      await noteDoctorChanged(deps, conn, hcp.id, 'verification', now);
    }
    await recordAudit(
      conn,
      { actor: reviewer, action: `verification.${decision === 'approved' ? 'approve' : 'reject'}`, targetType: 'verification_request', targetId: request.id, detail: { hcpId: request.hcp_id, comment: comment ?? null } },
      now,
    );
    return { id: request.id, status: decision };
  });
}
