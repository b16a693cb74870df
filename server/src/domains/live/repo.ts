/** SQL for live streams, their topics, speakers, audience, poster scenes and registrations. */
import type { LiveApplyInput, LiveSpeaker, Topic } from '@hcp360/shared';
import { assignments, type Db, type ResultSetHeader, type RowDataPacket } from '../../platform/db.js';
import type { StoredLiveStatus } from './workflow.js';

export interface LiveRow extends RowDataPacket {
  id: string;
  status: StoredLiveStatus;
  title: string;
  description: string | null;
  start_at: Date;
  end_at: Date;
  ended_at: Date | null;
  rx_only: number;
  audience_all: number;
  expected_attendance: number | null;
  applicant_id: string;
  applicant_role: string;
  dept_reviewer_id: string | null;
  dept_reviewed_at: Date | null;
  dept_comment: string | null;
  compliance_reviewer_id: string | null;
  compliance_reviewed_at: Date | null;
  compliance_comment: string | null;
  rejected_step: 'dept' | 'compliance' | null;
  cancelled_by: string | null;
  cancelled_at: Date | null;
  cancel_comment: string | null;
  stream_name: string | null;
  stream_key: string | null;
  push_url: string | null;
  play_url: string | null;
  replay_url: string | null;
  created_at: Date;
  updated_at: Date;
}

/** Details of many live streams at once (topics, speakers, audience segments). */
export interface LiveExtras {
  topics: Map<string, Topic[]>;
  speakers: Map<string, LiveSpeaker[]>;
  segments: Map<string, string[]>;
}

export async function insertLive(db: Db, applicant: { id: string; role: string }, input: LiveApplyInput, now: number): Promise<string> {
  const at = new Date(now);
  const [res] = await db.query<ResultSetHeader>(
    `INSERT INTO lives (status, title, description, start_at, end_at, rx_only, audience_all, expected_attendance, applicant_id, applicant_role, created_at, updated_at)
     VALUES ('applied', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      input.title,
      input.description ?? null,
      new Date(input.startAt),
      new Date(input.endAt),
      input.rxOnly ? 1 : 0,
      input.segmentIds.length ? 0 : 1,
      input.expectedAttendance ?? null,
      applicant.id,
      applicant.role,
      at,
      at,
    ],
  );
  const id = String(res.insertId);
  await db.query('INSERT INTO live_topics (live_id, topic) VALUES ?', [input.topics.map((t) => [id, t])]);
  await db.query('INSERT INTO live_speakers (live_id, seq, name, hospital, title) VALUES ?', [input.speakers.map((s, i) => [id, i, s.name, s.hospital, s.title])]);
  if (input.segmentIds.length) await db.query('INSERT INTO live_audience (live_id, segment_id) VALUES ?', [input.segmentIds.map((s) => [id, s])]);
  return id;
}

export async function findLive(db: Db, id: string, forUpdate = false): Promise<LiveRow | undefined> {
  const [rows] = await db.query<LiveRow[]>(`SELECT * FROM lives WHERE id = ?${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

export async function updateLive(db: Db, id: string, values: Record<string, unknown>, now: number): Promise<void> {
  const set = assignments({ ...values, updated_at: new Date(now) });
  await db.query(`UPDATE lives SET ${set.sql} WHERE id = ?`, [...set.params, id]);
}

export async function extrasOf(db: Db, ids: string[]): Promise<LiveExtras> {
  const out: LiveExtras = { topics: new Map(), speakers: new Map(), segments: new Map() };
  if (ids.length === 0) return out;
  const [[topics], [speakers], [segments]] = await Promise.all([
    db.query<RowDataPacket[]>('SELECT live_id, topic FROM live_topics WHERE live_id IN (?) ORDER BY live_id, topic', [ids]),
    db.query<RowDataPacket[]>('SELECT live_id, name, hospital, title FROM live_speakers WHERE live_id IN (?) ORDER BY live_id, seq', [ids]),
    db.query<RowDataPacket[]>('SELECT live_id, segment_id FROM live_audience WHERE live_id IN (?) ORDER BY live_id, segment_id', [ids]),
  ]);
  const push = <T>(m: Map<string, T[]>, k: unknown, v: T) => (m.get(String(k)) ?? m.set(String(k), []).get(String(k))!).push(v);
  for (const r of topics) push(out.topics, r.live_id, r.topic as Topic);
  for (const r of speakers) push(out.speakers, r.live_id, { name: String(r.name), hospital: String(r.hospital), title: String(r.title) });
  for (const r of segments) push(out.segments, r.live_id, String(r.segment_id));
  return out;
}

/** Staff lists: newest first; a rep's own applications only when `applicantId` is given. */
export async function listLives(db: Db, filter: { applicantId?: string; storedStatuses?: StoredLiveStatus[]; limit: number }): Promise<LiveRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.applicantId) (where.push('applicant_id = ?'), params.push(filter.applicantId));
  if (filter.storedStatuses) (where.push('status IN (?)'), params.push(filter.storedStatuses));
  const [rows] = await db.query<LiveRow[]>(`SELECT * FROM lives ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY start_at DESC, id DESC LIMIT ?`, [
    ...params,
    filter.limit,
  ]);
  return rows;
}

/**
 * Candidates for a doctor's 直播 tab: scheduled ones (upcoming, live, or ended in the last
 * `endedDays`), and cancelled ones the doctor registered for (so they learn it was cancelled).
 */
export async function doctorCandidates(db: Db, hcpId: string, now: number, endedDays: number): Promise<LiveRow[]> {
  const since = new Date(now - endedDays * 86_400_000);
  const [rows] = await db.query<LiveRow[]>(
    `SELECT l.* FROM lives l
      WHERE (l.status = 'scheduled' AND l.end_at >= ?)
         OR (l.status = 'cancelled' AND l.start_at >= ? AND EXISTS (SELECT 1 FROM live_registrations r WHERE r.live_id = l.id AND r.hcp_id = ?))
      ORDER BY l.start_at LIMIT 300`,
    [since, since, hcpId],
  );
  return rows;
}

export interface RegistrationRow extends RowDataPacket {
  id: string;
  live_id: string;
  hcp_id: string;
  registered_at: Date;
  subscribed: number;
  via: 'poster' | 'share' | 'direct';
  scene_token: string | null;
  inviter_rep_id: string | null;
  inviter_hcp_id: string | null;
  notice_kind: 'reminder' | 'cancellation';
  notice_state: 'none' | 'pending' | 'sending' | 'sent' | 'failed';
  notice_attempts: number;
  notice_at: Date | null;
  notice_errcode: number | null;
  notice_errmsg: string | null;
}

export async function registrationsOfDoctor(db: Db, hcpId: string, liveIds: string[]): Promise<Map<string, RegistrationRow>> {
  if (liveIds.length === 0) return new Map();
  const [rows] = await db.query<RegistrationRow[]>('SELECT * FROM live_registrations WHERE hcp_id = ? AND live_id IN (?)', [hcpId, liveIds]);
  return new Map(rows.map((r) => [String(r.live_id), r]));
}

export async function registrationsOfLive(db: Db, liveId: string): Promise<RegistrationRow[]> {
  const [rows] = await db.query<RegistrationRow[]>('SELECT * FROM live_registrations WHERE live_id = ? ORDER BY id', [liveId]);
  return rows;
}

export async function registrationCounts(db: Db, liveIds: string[]): Promise<Map<string, number>> {
  if (liveIds.length === 0) return new Map();
  const [rows] = await db.query<RowDataPacket[]>('SELECT live_id, COUNT(*) AS n FROM live_registrations WHERE live_id IN (?) GROUP BY live_id', [liveIds]);
  return new Map(rows.map((r) => [String(r.live_id), Number(r.n)]));
}

export interface SceneRow extends RowDataPacket {
  token: string;
  live_id: string;
  rep_id: string | null;
  poster_name: string;
}

export async function findScene(db: Db, token: string): Promise<SceneRow | undefined> {
  const [rows] = await db.query<SceneRow[]>('SELECT * FROM live_scenes WHERE token = ?', [token]);
  return rows[0];
}

/** The scene of one live stream for one rep (NULL: the live stream's own, when marketing applied). */
export async function sceneFor(db: Db, liveId: string, repId: string | null): Promise<SceneRow | undefined> {
  const [rows] = await db.query<SceneRow[]>(`SELECT * FROM live_scenes WHERE live_id = ? AND ${repId === null ? 'rep_id IS NULL' : 'rep_id = ?'}`, repId === null ? [liveId] : [liveId, repId]);
  return rows[0];
}

export async function insertScene(db: Db, s: { token: string; liveId: string; repId: string | null; posterName: string }, now: number): Promise<void> {
  await db.query('INSERT INTO live_scenes (token, live_id, rep_id, poster_name, created_at) VALUES (?, ?, ?, ?, ?)', [s.token, s.liveId, s.repId, s.posterName, new Date(now)]);
}

/** Remembers that a doctor opened a live stream's page while live or as a replay (the report reads their heartbeats). */
export async function recordViewer(db: Db, liveId: string, hcpId: string, now: number): Promise<void> {
  await db.query('INSERT IGNORE INTO live_viewers (live_id, hcp_id, first_at) VALUES (?, ?, ?)', [liveId, hcpId, new Date(now)]);
}

export async function viewersOf(db: Db, liveId: string): Promise<string[]> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT hcp_id FROM live_viewers WHERE live_id = ?', [liveId]);
  return rows.map((r) => String(r.hcp_id));
}

/**
 * Topics of each live stream, for the HCP360 engine (its ItemSources `live` slot): live_register,
 * live_heartbeat and live_replay_view feed the doctor's topic affinities. Unknown ids are left out.
 */
export async function liveInfoOf(db: Db, ids: string[]): Promise<Map<string, { topics: Topic[] }>> {
  const wanted = [...new Set(ids)].filter((id) => /^[1-9][0-9]{0,18}$/.test(id));
  const out = new Map<string, { topics: Topic[] }>();
  if (wanted.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>('SELECT l.id, t.topic FROM lives l LEFT JOIN live_topics t ON t.live_id = l.id WHERE l.id IN (?) ORDER BY l.id, t.topic', [wanted]);
  for (const r of rows) {
    const entry = out.get(String(r.id)) ?? out.set(String(r.id), { topics: [] }).get(String(r.id))!;
    if (r.topic) entry.topics.push(r.topic as Topic);
  }
  return out;
}
