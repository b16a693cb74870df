/**
 * SQL of the cases domain: campaigns and their form versions, audiences, submissions and their
 * versions, drafts and case images. Every query about a doctor's data names the doctor.
 * Form definitions and answers are JSON text, parsed here and validated by the callers.
 */
import type { CaseAnswers, CaseForm, CaseStatus, Topic } from '@hcp360/shared';
import type { Db, ResultSetHeader, RowDataPacket } from '../../platform/db.js';

// ---- campaigns ----------------------------------------------------------------------------------

export interface CampaignRow {
  id: string;
  title: string;
  description: string;
  topics: Topic[];
  opensAt: number;
  closesAt: number;
  audienceAll: boolean;
  maxPerDoctor: number;
  formVersion: number;
  createdBy: string;
  archived: boolean;
  createdAt: number;
  updatedAt: number;
}

function toCampaign(r: RowDataPacket): CampaignRow {
  return {
    id: String(r.id),
    title: r.title,
    description: r.description,
    topics: JSON.parse(r.topics) as Topic[],
    opensAt: (r.opens_at as Date).getTime(),
    closesAt: (r.closes_at as Date).getTime(),
    audienceAll: r.audience_all === 1,
    maxPerDoctor: Number(r.max_per_doctor),
    formVersion: Number(r.form_version),
    createdBy: String(r.created_by),
    archived: r.archived_at !== null,
    createdAt: (r.created_at as Date).getTime(),
    updatedAt: (r.updated_at as Date).getTime(),
  };
}

export interface CampaignFields {
  title: string;
  description: string;
  topics: Topic[];
  opensAt: Date;
  closesAt: Date;
  audienceAll: boolean;
  maxPerDoctor: number;
}

export async function insertCampaign(db: Db, f: CampaignFields, by: string, at: Date): Promise<string> {
  const [res] = await db.query<ResultSetHeader>(
    `INSERT INTO case_campaigns (title, description, topics, opens_at, closes_at, audience_all, max_per_doctor, form_version, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
    [f.title, f.description, JSON.stringify(f.topics), f.opensAt, f.closesAt, f.audienceAll, f.maxPerDoctor, by, at, at],
  );
  return String(res.insertId);
}

export async function updateCampaign(db: Db, id: string, f: CampaignFields & { formVersion: number }, at: Date): Promise<void> {
  await db.query(
    `UPDATE case_campaigns SET title = ?, description = ?, topics = ?, opens_at = ?, closes_at = ?, audience_all = ?, max_per_doctor = ?, form_version = ?, updated_at = ?
      WHERE id = ?`,
    [f.title, f.description, JSON.stringify(f.topics), f.opensAt, f.closesAt, f.audienceAll, f.maxPerDoctor, f.formVersion, at, id],
  );
}

export async function setCampaignWindowEnd(db: Db, id: string, closesAt: Date, at: Date): Promise<void> {
  await db.query('UPDATE case_campaigns SET closes_at = ?, updated_at = ? WHERE id = ?', [closesAt, at, id]);
}

export async function archiveCampaign(db: Db, id: string, at: Date): Promise<void> {
  await db.query('UPDATE case_campaigns SET archived_at = ?, updated_at = ? WHERE id = ? AND archived_at IS NULL', [at, at, id]);
}

export async function findCampaign(db: Db, id: string, forUpdate = false): Promise<CampaignRow | undefined> {
  const [rows] = await db.query<RowDataPacket[]>(`SELECT * FROM case_campaigns WHERE id = ?${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toCampaign(rows[0]) : undefined;
}

/** Campaigns, newest first; `liveAt` keeps only those open at that time and not archived. */
export async function listCampaigns(db: Db, opts: { liveAt?: Date; includeArchived?: boolean; limit: number; beforeId?: string }): Promise<CampaignRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (!opts.includeArchived) where.push('archived_at IS NULL');
  if (opts.liveAt) (where.push('opens_at <= ? AND closes_at > ?'), params.push(opts.liveAt, opts.liveAt));
  if (opts.beforeId) (where.push('id < ?'), params.push(opts.beforeId));
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT * FROM case_campaigns ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
    [...params, opts.limit],
  );
  return rows.map(toCampaign);
}

export async function insertForm(db: Db, campaignId: string, versionNo: number, form: CaseForm, by: string, at: Date): Promise<void> {
  await db.query('INSERT INTO case_campaign_forms (campaign_id, version_no, definition, created_by, created_at) VALUES (?, ?, ?, ?, ?)', [
    campaignId,
    versionNo,
    JSON.stringify(form),
    by,
    at,
  ]);
}

export async function findForm(db: Db, campaignId: string, versionNo: number): Promise<CaseForm | undefined> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT definition FROM case_campaign_forms WHERE campaign_id = ? AND version_no = ?', [campaignId, versionNo]);
  return rows[0] ? (JSON.parse(rows[0].definition) as CaseForm) : undefined;
}

export async function audienceOf(db: Db, campaignIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (campaignIds.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>('SELECT campaign_id, segment_id FROM case_campaign_audience WHERE campaign_id IN (?)', [campaignIds]);
  for (const r of rows) (out.get(String(r.campaign_id)) ?? out.set(String(r.campaign_id), []).get(String(r.campaign_id))!).push(String(r.segment_id));
  return out;
}

export async function replaceAudience(db: Db, campaignId: string, segmentIds: string[]): Promise<void> {
  await db.query('DELETE FROM case_campaign_audience WHERE campaign_id = ?', [campaignId]);
  if (segmentIds.length) await db.query('INSERT INTO case_campaign_audience (campaign_id, segment_id) VALUES ?', [segmentIds.map((s) => [campaignId, s])]);
}

/** Submissions per campaign and status (the console's campaign list). */
export async function submissionCounts(db: Db, campaignIds: string[]): Promise<Map<string, Partial<Record<CaseStatus, number>>>> {
  const out = new Map<string, Partial<Record<CaseStatus, number>>>();
  if (campaignIds.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>('SELECT campaign_id, status, COUNT(*) AS n FROM case_submissions WHERE campaign_id IN (?) GROUP BY campaign_id, status', [campaignIds]);
  for (const r of rows) {
    const m = out.get(String(r.campaign_id)) ?? out.set(String(r.campaign_id), {}).get(String(r.campaign_id))!;
    m[r.status as CaseStatus] = Number(r.n);
  }
  return out;
}

// ---- submissions --------------------------------------------------------------------------------

export interface SubmissionRow {
  id: string;
  campaignId: string;
  hcpId: string;
  formVersion: number;
  status: CaseStatus;
  currentVersion: number;
  secSuggest: string | null;
  secLabel: number | null;
  reviewerNote: string | null;
  notify: boolean;
  createdAt: number;
  updatedAt: number;
}

function toSubmission(r: RowDataPacket): SubmissionRow {
  return {
    id: String(r.id),
    campaignId: String(r.campaign_id),
    hcpId: String(r.hcp_id),
    formVersion: Number(r.form_version),
    status: r.status as CaseStatus,
    currentVersion: Number(r.current_version),
    secSuggest: r.sec_suggest,
    secLabel: r.sec_label === null ? null : Number(r.sec_label),
    reviewerNote: r.reviewer_note,
    notify: r.notify === 1,
    createdAt: (r.created_at as Date).getTime(),
    updatedAt: (r.updated_at as Date).getTime(),
  };
}

export async function findSubmission(db: Db, id: string, forUpdate = false): Promise<SubmissionRow | undefined> {
  const [rows] = await db.query<RowDataPacket[]>(`SELECT * FROM case_submissions WHERE id = ?${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toSubmission(rows[0]) : undefined;
}

/** How many cases `hcpId` submitted to the campaign (every status counts: a rejected case was still a submission). */
export async function countSubmissionsOf(db: Db, hcpId: string, campaignId: string): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM case_submissions WHERE hcp_id = ? AND campaign_id = ?', [hcpId, campaignId]);
  return Number(rows[0]!.n);
}

export async function insertSubmission(
  db: Db,
  s: { campaignId: string; hcpId: string; formVersion: number; secSuggest: string; secLabel: number; notify: boolean },
  at: Date,
): Promise<string> {
  const [res] = await db.query<ResultSetHeader>(
    `INSERT INTO case_submissions (campaign_id, hcp_id, form_version, status, current_version, sec_suggest, sec_label, notify, created_at, updated_at)
     VALUES (?, ?, ?, 'under_review', 1, ?, ?, ?, ?, ?)`,
    [s.campaignId, s.hcpId, s.formVersion, s.secSuggest, s.secLabel, s.notify, at, at],
  );
  return String(res.insertId);
}

export async function insertSubmissionVersion(
  db: Db,
  v: { submissionId: string; versionNo: number; answers: CaseAnswers; secSuggest: string; secLabel: number },
  at: Date,
): Promise<void> {
  await db.query('INSERT INTO case_submission_versions (submission_id, version_no, answers, sec_suggest, sec_label, submitted_at) VALUES (?, ?, ?, ?, ?, ?)', [
    v.submissionId,
    v.versionNo,
    JSON.stringify(v.answers),
    v.secSuggest,
    v.secLabel,
    at,
  ]);
}

/** A revision: the new version becomes current and the submission goes back to review. */
export async function markRevised(db: Db, id: string, v: { versionNo: number; secSuggest: string; secLabel: number; notify: boolean }, at: Date): Promise<void> {
  await db.query(
    `UPDATE case_submissions SET status = 'under_review', current_version = ?, sec_suggest = ?, sec_label = ?, reviewer_note = NULL,
            reviewed_by = NULL, reviewed_at = NULL, notify = ?, updated_at = ? WHERE id = ?`,
    [v.versionNo, v.secSuggest, v.secLabel, v.notify, at, id],
  );
}

export async function recordDecision(db: Db, s: SubmissionRow, to: CaseStatus, note: string | null, by: string, at: Date): Promise<void> {
  await db.query('UPDATE case_submissions SET status = ?, reviewer_note = ?, reviewed_by = ?, reviewed_at = ?, updated_at = ? WHERE id = ?', [to, note, by, at, at, s.id]);
  await db.query('UPDATE case_submission_versions SET decision = ?, note = ?, decided_by = ?, decided_at = ? WHERE submission_id = ? AND version_no = ?', [
    to,
    note,
    by,
    at,
    s.id,
    s.currentVersion,
  ]);
}

export async function clearNotify(db: Db, id: string): Promise<void> {
  await db.query('UPDATE case_submissions SET notify = 0 WHERE id = ?', [id]);
}

export interface VersionRow {
  versionNo: number;
  answers: CaseAnswers;
  submittedAt: number;
  decision: CaseStatus | null;
  note: string | null;
  decidedAt: number | null;
}

export async function versionsOf(db: Db, submissionId: string): Promise<VersionRow[]> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT * FROM case_submission_versions WHERE submission_id = ? ORDER BY version_no', [submissionId]);
  return rows.map((r) => ({
    versionNo: Number(r.version_no),
    answers: JSON.parse(r.answers) as CaseAnswers,
    submittedAt: (r.submitted_at as Date).getTime(),
    decision: r.decision as CaseStatus | null,
    note: r.note,
    decidedAt: r.decided_at ? (r.decided_at as Date).getTime() : null,
  }));
}

export interface SubmissionListRow extends SubmissionRow {
  campaignTitle: string;
  submittedAt: number;
}

/** Submissions newest first: one doctor's (`hcpId`), or the review queue (filters). */
export async function listSubmissions(
  db: Db,
  f: { hcpId?: string; status?: CaseStatus; campaignId?: string; limit: number; beforeId?: string },
): Promise<SubmissionListRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.hcpId) (where.push('s.hcp_id = ?'), params.push(f.hcpId));
  if (f.status) (where.push('s.status = ?'), params.push(f.status));
  if (f.campaignId) (where.push('s.campaign_id = ?'), params.push(f.campaignId));
  if (f.beforeId) (where.push('s.id < ?'), params.push(f.beforeId));
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT s.*, c.title AS campaign_title, v.submitted_at
       FROM case_submissions s
       JOIN case_campaigns c ON c.id = s.campaign_id
       JOIN case_submission_versions v ON v.submission_id = s.id AND v.version_no = s.current_version
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.id DESC LIMIT ?`,
    [...params, f.limit],
  );
  return rows.map((r) => ({ ...toSubmission(r), campaignTitle: r.campaign_title, submittedAt: (r.submitted_at as Date).getTime() }));
}

// ---- drafts -------------------------------------------------------------------------------------

export interface DraftRow {
  formVersion: number;
  answers: Record<string, unknown>;
  revision: number;
  updatedAt: number;
}

export async function findDraft(db: Db, hcpId: string, campaignId: string, submissionId: string, forUpdate = false): Promise<DraftRow | undefined> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT * FROM case_drafts WHERE hcp_id = ? AND campaign_id = ? AND submission_id = ?${forUpdate ? ' FOR UPDATE' : ''}`,
    [hcpId, campaignId, submissionId],
  );
  const r = rows[0];
  return r ? { formVersion: Number(r.form_version), answers: JSON.parse(r.answers), revision: Number(r.revision), updatedAt: (r.updated_at as Date).getTime() } : undefined;
}

export async function upsertDraft(db: Db, k: { hcpId: string; campaignId: string; submissionId: string }, d: { formVersion: number; answers: Record<string, unknown>; revision: number }, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO case_drafts (hcp_id, campaign_id, submission_id, form_version, answers, revision, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE form_version = VALUES(form_version), answers = VALUES(answers), revision = VALUES(revision), updated_at = VALUES(updated_at)`,
    [k.hcpId, k.campaignId, k.submissionId, d.formVersion, JSON.stringify(d.answers), d.revision, at],
  );
}

export async function deleteDraft(db: Db, hcpId: string, campaignId: string, submissionId: string): Promise<void> {
  await db.query('DELETE FROM case_drafts WHERE hcp_id = ? AND campaign_id = ? AND submission_id = ?', [hcpId, campaignId, submissionId]);
}

// ---- images -------------------------------------------------------------------------------------

export interface CaseImageRow {
  name: string;
  hcpId: string;
  submissionId: string | null;
  contentType: string;
}

export async function insertCaseImage(db: Db, i: { name: string; hcpId: string; contentType: string; bytes: number; width: number; height: number }, at: Date): Promise<void> {
  await db.query('INSERT INTO case_images (name, hcp_id, content_type, bytes, width, height, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    i.name,
    i.hcpId,
    i.contentType,
    i.bytes,
    i.width,
    i.height,
    at,
  ]);
}

export async function findCaseImages(db: Db, names: string[]): Promise<Map<string, CaseImageRow>> {
  const out = new Map<string, CaseImageRow>();
  if (names.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>('SELECT name, hcp_id, submission_id, content_type FROM case_images WHERE name IN (?)', [names]);
  for (const r of rows) out.set(r.name, { name: r.name, hcpId: String(r.hcp_id), submissionId: r.submission_id === null ? null : String(r.submission_id), contentType: r.content_type });
  return out;
}

/** Attaches the doctor's unattached images to a submission (reviewers may see them from now on). */
export async function attachImages(db: Db, hcpId: string, submissionId: string, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await db.query('UPDATE case_images SET submission_id = ? WHERE hcp_id = ? AND submission_id IS NULL AND name IN (?)', [submissionId, hcpId, names]);
}
