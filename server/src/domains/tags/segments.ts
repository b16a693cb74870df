/**
 * Segment membership, as other domains see it (content and live streams target segments).
 * The engine keeps `segment_members` up to date as a doctor's inputs change; these functions
 * only read it.
 */
import type { Db, RowDataPacket } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';

/** Ids of the (live) segments `hcpId` belongs to. */
export async function segmentIdsOf(db: Db, hcpId: string): Promise<string[]> {
  return (await segmentIdsOfMany(db, [hcpId])).get(hcpId) ?? [];
}

/** segmentIdsOf for many doctors in one query (doctors in no segment are left out). */
export async function segmentIdsOfMany(db: Db, hcpIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (hcpIds.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT m.hcp_id, m.segment_id FROM segment_members m JOIN rule_definitions r ON r.id = m.segment_id
      WHERE m.hcp_id IN (?) AND r.kind = 'segment' AND r.deleted_at IS NULL`,
    [hcpIds],
  );
  for (const r of rows) {
    const id = String(r.hcp_id);
    (out.get(id) ?? out.set(id, []).get(id)!).push(String(r.segment_id));
  }
  return out;
}

/** Which of `ids` name existing, undeleted segments (for validating an audience). */
export async function existingSegmentIds(db: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT id FROM rule_definitions WHERE kind = 'segment' AND deleted_at IS NULL AND id IN (?)`,
    [ids],
  );
  return rows.map((r) => String(r.id));
}

/** Refuses an audience naming segments that do not exist (or were deleted): 400 UNKNOWN_SEGMENT with the missing ids. */
export async function assertSegmentsExist(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set(await existingSegmentIds(db, ids));
  const missing = ids.filter((s) => !found.has(s));
  if (missing.length) throw new AppError('UNKNOWN_SEGMENT', `No segment ${missing.join(', ')}.`, { missing });
}

