/**
 * OneID merges. Two doctor records that turn out to be one person (same unionid, same verified
 * phone) are folded into one survivor. Everything that moves is written down in hcp_merges so an
 * admin can undo the merge exactly; an undone pair is never merged automatically again.
 *
 * Survivor: the verified record if only one is, else the older one. Later domains that keep rows
 * per doctor add their table to MOVABLE_TABLES so their rows follow the doctor.
 */
import type { LifecycleStage, VerificationStatus } from '@hcp360/shared';
import type { Principal } from '../../platform/auth.js';
import { assignments, type Db, type ResultSetHeader, type RowDataPacket } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { recordAudit, SYSTEM_ACTOR } from '../audit/service.js';
import { findHcp, laterStage, PROFILE_COLUMNS, setLifecycle, type HcpRow } from './hcpRepo.js';

/** Tables whose rows belong to a doctor and move with a merge. */
const MOVABLE_TABLES = ['wechat_identities', 'hcp_consents', 'verification_requests', 'events'] as const;

type ProfileColumn = (typeof PROFILE_COLUMNS)[keyof typeof PROFILE_COLUMNS] | 'phone' | 'phone_verified_at';

interface MovedRecord {
  rows: Partial<Record<(typeof MOVABLE_TABLES)[number], string[]>>;
  /** Survivor columns that the merge filled in, with their values before. */
  survivorBefore: Partial<Record<ProfileColumn, string | null>>;
  /** Merged-record columns cleared by the merge (the phone moves rather than being copied). */
  mergedBefore: Partial<Record<'phone' | 'phone_verified_at', string | null>>;
  stageBefore: { stage: LifecycleStage; since: string };
  verificationBefore: VerificationStatus;
}

const VERIFICATION_RANK: Record<VerificationStatus, number> = { none: 0, rejected: 1, pending: 2, verified: 3 };

function pickSurvivor(a: HcpRow, b: HcpRow): [HcpRow, HcpRow] {
  const av = a.verification_status === 'verified';
  const bv = b.verification_status === 'verified';
  if (av !== bv) return av ? [a, b] : [b, a];
  return BigInt(a.id) < BigInt(b.id) ? [a, b] : [b, a];
}

/** True when an admin undid a merge of exactly this pair: their data says "not the same person". */
async function pairWasSeparated(db: Db, a: string, b: string): Promise<boolean> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT id FROM hcp_merges WHERE undone_at IS NOT NULL
       AND ((survivor_id = ? AND merged_id = ?) OR (survivor_id = ? AND merged_id = ?)) LIMIT 1`,
    [a, b, b, a],
  );
  return rows.length > 0;
}

/**
 * Merges two doctor records (inside the caller's transaction). Returns the survivor's id, or
 * undefined when nothing was merged (same record, already merged, or separated by an admin).
 */
export async function mergeHcps(
  db: Db,
  args: { a: string; b: string; reason: 'unionid' | 'phone'; matched: string; actor: Principal | typeof SYSTEM_ACTOR; now: number },
): Promise<string | undefined> {
  if (args.a === args.b) return undefined;
  // Lock in id order so two concurrent merges of the same pair cannot deadlock.
  const [lo, hi] = BigInt(args.a) < BigInt(args.b) ? [args.a, args.b] : [args.b, args.a];
  const first = await findHcp(db, lo, true);
  const second = await findHcp(db, hi, true);
  if (!first || !second || first.merged_into || second.merged_into) return undefined;
  if (await pairWasSeparated(db, lo, hi)) return undefined;

  const [survivor, merged] = pickSurvivor(first, second);
  const moved: MovedRecord = {
    rows: {},
    survivorBefore: {},
    mergedBefore: {},
    stageBefore: { stage: survivor.lifecycle_stage, since: survivor.lifecycle_since.toISOString() },
    verificationBefore: survivor.verification_status,
  };

  for (const table of MOVABLE_TABLES) {
    const [rows] = await db.query<RowDataPacket[]>(`SELECT id FROM ${table} WHERE hcp_id = ? FOR UPDATE`, [merged.id]);
    const ids = rows.map((r) => String(r.id));
    if (ids.length === 0) continue;
    await db.query(`UPDATE ${table} SET hcp_id = ? WHERE id IN (?)`, [survivor.id, ids]);
    moved.rows[table] = ids;
  }

  // Fill the survivor's empty profile fields from the merged record.
  const fill: Record<string, unknown> = {};
  for (const column of Object.values(PROFILE_COLUMNS)) {
    if (survivor[column] === null && merged[column] !== null) {
      moved.survivorBefore[column] = null;
      fill[column] = merged[column];
    }
  }
  // A verified phone moves (it must identify one record only).
  if (merged.phone && !survivor.phone) {
    moved.survivorBefore.phone = null;
    moved.survivorBefore.phone_verified_at = null;
    moved.mergedBefore.phone = merged.phone;
    moved.mergedBefore.phone_verified_at = merged.phone_verified_at?.toISOString() ?? null;
    fill.phone = merged.phone;
    fill.phone_verified_at = merged.phone_verified_at;
  }
  if (VERIFICATION_RANK[merged.verification_status] > VERIFICATION_RANK[survivor.verification_status]) {
    fill.verification_status = merged.verification_status;
  }
  const at = new Date(args.now);
  if (Object.keys(fill).length > 0) {
    const set = assignments(fill);
    await db.query(`UPDATE hcps SET ${set.sql}, updated_at = ? WHERE id = ?`, [...set.params, at, survivor.id]);
  }
  await db.query(
    'UPDATE hcps SET merged_into = ?, phone = IF(? , NULL, phone), phone_verified_at = IF(?, NULL, phone_verified_at), updated_at = ? WHERE id = ?',
    [survivor.id, 'phone' in moved.mergedBefore, 'phone' in moved.mergedBefore, at, merged.id],
  );

  const stage = laterStage(survivor.lifecycle_stage, merged.lifecycle_stage);
  const [res] = await db.query<ResultSetHeader>(
    `INSERT INTO hcp_merges (survivor_id, merged_id, reason, matched_value, moved, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [survivor.id, merged.id, args.reason, args.matched, JSON.stringify(moved), actorLabel(args.actor), at],
  );
  if (stage !== survivor.lifecycle_stage) {
    await setLifecycle(db, survivor, stage, `merge:${res.insertId}`, args.now);
  }
  await recordAudit(
    db,
    { actor: args.actor, action: 'hcp.merge', targetType: 'hcp', targetId: survivor.id, detail: { mergeId: String(res.insertId), mergedId: merged.id, reason: args.reason } },
    args.now,
  );
  return survivor.id;
}

interface MergeRow extends RowDataPacket {
  id: string;
  survivor_id: string;
  merged_id: string;
  reason: string;
  matched_value: string;
  moved: string;
  actor: string;
  created_at: Date;
  undone_at: Date | null;
  undone_by: string | null;
}

/** Undoes a merge: moves the rows back, restores the survivor's previous values and unmarks the merged record. */
export async function undoMerge(db: Db, mergeId: string, actor: Principal, now: number): Promise<{ survivorId: string; mergedId: string }> {
  const [rows] = await db.query<MergeRow[]>('SELECT * FROM hcp_merges WHERE id = ? FOR UPDATE', [mergeId]);
  const merge = rows[0];
  if (!merge) throw new AppError('NOT_FOUND', `No merge ${mergeId}.`);
  if (merge.undone_at) throw new AppError('MERGE_ALREADY_UNDONE');
  const [later] = await db.query<RowDataPacket[]>(
    `SELECT id FROM hcp_merges WHERE id > ? AND undone_at IS NULL
       AND (survivor_id IN (?, ?) OR merged_id IN (?, ?)) LIMIT 1`,
    [merge.id, merge.survivor_id, merge.merged_id, merge.survivor_id, merge.merged_id],
  );
  if (later.length > 0) throw new AppError('MERGE_NOT_UNDOABLE');

  const moved = JSON.parse(merge.moved) as MovedRecord;
  const survivor = await findHcp(db, merge.survivor_id, true);
  if (!survivor) throw new AppError('NOT_FOUND', 'The surviving doctor record is gone.');
  for (const table of MOVABLE_TABLES) {
    const ids = moved.rows[table];
    if (ids?.length) await db.query(`UPDATE ${table} SET hcp_id = ? WHERE id IN (?) AND hcp_id = ?`, [merge.merged_id, ids, merge.survivor_id]);
  }
  const at = new Date(now);
  const restore = assignments({ ...moved.survivorBefore, verification_status: moved.verificationBefore });
  await db.query(`UPDATE hcps SET ${restore.sql}, updated_at = ? WHERE id = ?`, [...restore.params, at, survivor.id]);
  const mergedRestore: Record<string, unknown> = { merged_into: null };
  if (moved.mergedBefore.phone !== undefined) {
    mergedRestore.phone = moved.mergedBefore.phone;
    mergedRestore.phone_verified_at = moved.mergedBefore.phone_verified_at ? new Date(moved.mergedBefore.phone_verified_at) : null;
  }
  const unmerge = assignments(mergedRestore);
  await db.query(`UPDATE hcps SET ${unmerge.sql}, updated_at = ? WHERE id = ?`, [...unmerge.params, at, merge.merged_id]);
  if (survivor.lifecycle_stage !== moved.stageBefore.stage) {
    await setLifecycle(db, survivor, moved.stageBefore.stage, `merge_undone:${merge.id}`, now, Date.parse(moved.stageBefore.since));
  }
  await db.query('UPDATE hcp_merges SET undone_at = ?, undone_by = ? WHERE id = ?', [at, actorLabel(actor), merge.id]);
  await recordAudit(db, { actor, action: 'hcp.merge_undo', targetType: 'hcp', targetId: merge.survivor_id, detail: { mergeId: merge.id, mergedId: merge.merged_id } }, now);
  return { survivorId: merge.survivor_id, mergedId: merge.merged_id };
}

export async function listMerges(db: Db, hcpId?: string) {
  const [rows] = await db.query<MergeRow[]>(
    `SELECT * FROM hcp_merges ${hcpId ? 'WHERE survivor_id = ? OR merged_id = ?' : ''} ORDER BY id DESC LIMIT 200`,
    hcpId ? [hcpId, hcpId] : [],
  );
  return rows.map((m) => {
    const moved = JSON.parse(m.moved) as MovedRecord;
    return {
      id: m.id,
      survivorId: m.survivor_id,
      mergedId: m.merged_id,
      reason: m.reason,
      matched: m.reason === 'phone' ? maskPhone(m.matched_value) : m.matched_value,
      moved: { rows: moved.rows, filledFields: Object.keys(moved.survivorBefore) },
      actor: m.actor,
      createdAt: m.created_at.toISOString(),
      undoneAt: m.undone_at?.toISOString() ?? null,
      undoneBy: m.undone_by,
    };
  });
}

function actorLabel(actor: Principal | typeof SYSTEM_ACTOR): string {
  return actor.kind === 'system' ? 'system' : `${actor.kind}:${actor.id}`;
}

export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone;
}
