/**
 * Segment membership, as other domains see it (content and live streams target segments).
 * The engine keeps `segment_members` up to date as a doctor's inputs change; these functions
 * only read it.
 */
import type { Db, RowDataPacket } from '../../platform/db.js';

/** Ids of the (live) segments `hcpId` belongs to. */
export async function segmentIdsOf(db: Db, hcpId: string): Promise<string[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT m.segment_id FROM segment_members m JOIN rule_definitions r ON r.id = m.segment_id
      WHERE m.hcp_id = ? AND r.kind = 'segment' AND r.deleted_at IS NULL`,
    [hcpId],
  );
  return rows.map((r) => String(r.segment_id));
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
