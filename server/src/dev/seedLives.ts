/**
 * Demo live streams for `npm start`, in every state, made through the same service functions the
 * API uses (so the audit log, posters and scenes are real): applied, awaiting compliance, rejected,
 * cancelled, scheduled (one for everyone, one Rx-only, one for a cardiology segment), one live now
 * playing the demo sample video, and ended ones (with and without a replay). Demo doctors register
 * (through reps' posters and share cards too) and watch: heartbeats and replay views go through the
 * events domain's own path, so the engine and the staff report see them. Idempotent: nothing is
 * made when the demo live streams exist already; event ids are fixed.
 */
import type { LiveApplyInput, LiveSpeaker, Topic } from '@hcp360/shared';
import type { Principal } from '../platform/auth.js';
import type { RowDataPacket } from '../platform/db.js';
import type { Deps } from '../platform/deps.js';
import { applyForLive, shareLive, transitionLive } from '../domains/live/applications.js';
import { registerForLive } from '../domains/live/registrations.js';
import { recordViewer } from '../domains/live/repo.js';
import { saveMedia } from '../domains/content/mediaStore.js';
import { prepareBatch } from '../domains/events/pipeline.js';
import { insertEvents } from '../domains/events/repo.js';
import { insertRuleDefinition, listRuleDefinitions, refreshMembership } from '../domains/tags/rules.js';
import { loadSettings } from '../domains/tags/settings.js';
import { findStaffByUsername } from '../domains/identity/staffRepo.js';
import { sampleVideo } from './sampleVideo.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

type Plan = 'applied' | 'dept_approved' | 'rejected' | 'cancelled' | 'scheduled' | 'live' | 'ended' | 'replay';

interface DemoLive {
  title: string;
  topics: Topic[];
  speakers: LiveSpeaker[];
  /**
   * When it starts: relative to now (the one playing now), or on a day relative to today at a
   * time of day in China (academic programmes run in the evening, department meetings at noon).
   */
  start: { in: number } | { day: number; at: `${number}:${number}` };
  minutes: number;
  plan: Plan;
  by: 'rep01' | 'rep02' | 'marketing';
  rxOnly?: boolean;
  segment?: boolean;
  /** Demo doctors (index) who register, and who watch. */
  registrants?: number[];
  watchers?: number[];
}

const S = {
  wang: { name: '王建国', hospital: '北京协和医院', title: '主任医师' },
  li: { name: '李雪梅', hospital: '复旦大学附属中山医院', title: '主任医师' },
  zhang: { name: '张志强', hospital: '四川大学华西医院', title: '副主任医师' },
  chen: { name: '陈海燕', hospital: '中山大学附属第一医院', title: '主任医师' },
  zhou: { name: '周晓东', hospital: '浙江大学医学院附属第一医院', title: '副主任医师' },
};

/** China Standard Time: UTC+8 all year (no daylight saving). */
const CHINA = 8 * HOUR;

/** A demo live stream's start as of `now`, to the minute. */
function startOf(now: number, start: DemoLive['start']): number {
  if ('in' in start) return Math.floor((now + start.in) / MIN) * MIN;
  const [h, m] = start.at.split(':').map(Number) as [number, number];
  const today = Math.floor((now + CHINA) / DAY) * DAY - CHINA;
  return today + start.day * DAY + h * HOUR + m * MIN;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

export const DEMO_LIVES: DemoLive[] = [
  { title: '高血压合并糖尿病的降压策略', topics: ['hypertension', 'diabetes'], speakers: [S.wang, S.li], start: { in: -20 * MIN }, minutes: 120, plan: 'live', by: 'rep01', registrants: [0, 6, 12, 13, 18, 24, 25, 30, 36, 37], watchers: [0, 6, 12, 18, 24, 30] },
  { title: '心衰患者的容量管理：病例讨论', topics: ['heart_failure'], speakers: [S.chen], start: { day: 1, at: '19:30' }, minutes: 90, plan: 'scheduled', by: 'rep01', registrants: range(0, 10) },
  { title: '新型降糖药物的处方要点', topics: ['diabetes'], speakers: [S.li], start: { day: 3, at: '20:00' }, minutes: 60, plan: 'scheduled', by: 'marketing', rxOnly: true, registrants: [0, 2, 4, 6] },
  { title: '心内科科室会：房颤抗凝新进展', topics: ['atrial_fibrillation', 'hypertension'], speakers: [S.zhou], start: { day: 5, at: '12:30' }, minutes: 60, plan: 'scheduled', by: 'rep02', segment: true, registrants: [0, 6, 12] },
  { title: '慢阻肺急性加重的早期识别', topics: ['copd'], speakers: [S.zhang], start: { day: -3, at: '19:30' }, minutes: 60, plan: 'replay', by: 'rep02', registrants: range(10, 30), watchers: range(10, 24) },
  { title: '肺癌靶向治疗的耐药管理', topics: ['lung_cancer'], speakers: [S.chen, S.zhang], start: { day: -1, at: '19:00' }, minutes: 90, plan: 'ended', by: 'marketing', registrants: range(20, 32), watchers: range(20, 28) },
  { title: '甲状腺结节的规范化诊疗', topics: ['thyroid'], speakers: [S.li], start: { day: 6, at: '19:30' }, minutes: 60, plan: 'applied', by: 'rep01' },
  { title: '卒中二级预防的血脂管理', topics: ['stroke', 'dyslipidemia'], speakers: [S.zhou], start: { day: 8, at: '19:30' }, minutes: 60, plan: 'dept_approved', by: 'rep02' },
  { title: '某降压药物的临床优势分享会', topics: ['hypertension'], speakers: [S.wang], start: { day: 4, at: '19:00' }, minutes: 45, plan: 'rejected', by: 'rep01' },
  { title: '骨质疏松的早期筛查', topics: ['osteoporosis'], speakers: [S.zhang], start: { day: 2, at: '19:30' }, minutes: 60, plan: 'cancelled', by: 'rep02', registrants: [3, 5] },
];

async function demoSegment(deps: Deps, by: Principal, now: number): Promise<string> {
  const name = '心血管内科医生';
  const existing = (await listRuleDefinitions(deps.pool, 'segment')).find((d) => d.name === name);
  if (existing) return existing.id;
  const id = await insertRuleDefinition(deps.pool, { kind: 'segment', name, description: '科室为心血管内科的医生', rule: { attr: 'department', op: 'eq', value: '心血管内科' }, createdBy: by.id }, now);
  const defs = (await listRuleDefinitions(deps.pool, 'segment')).filter((d) => d.id === id);
  await refreshMembership(deps.pool, defs, now, await loadSettings(deps.pool));
  return id;
}

export async function seedDemoLives(deps: Deps, say: (msg: string) => void = () => undefined): Promise<void> {
  const [existing] = await deps.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM lives WHERE title IN (?)', [DEMO_LIVES.map((l) => l.title)]);
  if (Number(existing[0]?.n) > 0) return;
  const principal = async (username: string): Promise<Principal> => {
    const s = await findStaffByUsername(deps.pool, username);
    if (!s) throw new Error(`demo staff ${username} is missing`);
    return { kind: 'staff', id: s.id, role: s.role };
  };
  const [rep01, rep02, marketing, manager, compliance] = await Promise.all(['rep01', 'rep02', 'marketing', 'manager', 'compliance'].map(principal));
  const by = { rep01: rep01!, rep02: rep02!, marketing: marketing! };
  const now = deps.clock();
  const at = (t: number): Deps => ({ ...deps, clock: () => t });
  const [doctors] = await deps.pool.query<RowDataPacket[]>(
    "SELECT openid, hcp_id FROM wechat_identities WHERE appid = ? AND openid LIKE 'demo-hcp-%' AND hcp_id IS NOT NULL ORDER BY openid",
    [deps.config.wechat.appid],
  );
  // Demo doctor i is doctors[i]; one in six (i % 6 === 5) is left without history as a cold-start example (seedHistory.ts).
  const hcpOf = (i: number) => (doctors[i] && i % 6 !== 5 ? String(doctors[i]!.hcp_id) : undefined);
  const segmentId = await demoSegment(deps, marketing!, now);
  const replayName = await saveMedia(deps.pool, deps.config.dataDir, { bytes: sampleVideo(['#117a65', '#1f618d', '#7d3c98', '#c0392b', '#d35400', '#117a65']), ext: 'mp4', width: 64, height: 48, uploadedBy: marketing!.id }, now);

  say(`Seeding ${DEMO_LIVES.length} demo live streams …`);
  for (const [n, d] of DEMO_LIVES.entries()) {
    const start = startOf(now, d.start);
    const end = start + d.minutes * MIN;
    // Applications are made well before the start (compliance only schedules future live streams).
    const applied = Math.min(now, start) - 4 * DAY;
    const input: LiveApplyInput = {
      title: d.title,
      description: `${d.speakers.map((s) => s.name).join('、')}围绕「${d.title}」分享临床经验并答疑。`,
      topics: d.topics,
      speakers: d.speakers,
      startAt: new Date(start).toISOString(),
      endAt: new Date(end).toISOString(),
      segmentIds: d.segment ? [segmentId] : [],
      rxOnly: d.rxOnly ?? false,
      expectedAttendance: 100 + n * 40,
    };
    const { id } = await applyForLive(at(applied), by[d.by], input);
    if (d.plan === 'applied') continue;
    if (d.plan === 'rejected') {
      await transitionLive(at(applied + HOUR), manager!, id, 'dept-approve', { comment: '同意开展' });
      await transitionLive(at(applied + DAY), compliance!, id, 'reject', { comment: '主题涉及产品推广，不符合学术会议要求，请调整为疾病领域学术内容后重新申请。' });
      continue;
    }
    await transitionLive(at(applied + HOUR), manager!, id, 'dept-approve', { comment: '科室需求明确，同意' });
    if (d.plan === 'dept_approved') continue;
    await transitionLive(at(applied + DAY), compliance!, id, 'compliance-approve', { comment: '讲者资质与内容已预审' });

    // Registrations: every third through the rep's poster, every fifth through a share card.
    const reg = Math.min(now, start) - DAY;
    const repP = d.by === 'marketing' ? rep01! : by[d.by];
    const share = await shareLive(at(applied + DAY), repP, id);
    for (const [k, i] of (d.registrants ?? []).entries()) {
      const hcp = hcpOf(i);
      if (!hcp) continue;
      const via = k % 3 === 0 ? { scene: share.sceneToken } : k % 5 === 0 ? { inviter: `r${repP.id}` } : {};
      await registerForLive(at(reg + k * 7 * MIN), hcp, id, { subscribed: k % 2 === 0, ...via }).catch(() => undefined); // an unverified doctor and an Rx-only live: skipped
    }
    if (d.plan === 'cancelled') {
      await transitionLive(at(now - 2 * HOUR), by[d.by], id, 'cancel', { comment: '讲者临时出诊，另行安排' });
      await noticesSentAt(deps, id, now - 2 * HOUR + MIN);
      continue;
    }
    // Reminders of live streams that have started went out before the start, as the job would have sent them.
    if (start - deps.config.live.reminderLeadMinutes * MIN <= now) await noticesSentAt(deps, id, start - deps.config.live.reminderLeadMinutes * MIN);
    if (d.plan === 'ended' || d.plan === 'replay' || d.plan === 'live') await seedAttendance(deps, id, d, start, Math.min(end, now), hcpOf);
    if (d.plan === 'replay') await transitionLive(at(end + 2 * HOUR), by[d.by], id, 'replay', { replayUrl: `/media/${replayName}` });
  }
  say(`Seeded ${DEMO_LIVES.length} demo live streams.`);
}

/**
 * The demo's history of notices already due: marked sent (the fake WeChat started with this
 * process knows no demo openid yet, so sending them now would only record 40003 failures).
 */
async function noticesSentAt(deps: Deps, liveId: string, at: number): Promise<void> {
  await deps.pool.query("UPDATE live_registrations SET notice_state = 'sent', notice_at = ? WHERE live_id = ? AND notice_state = 'pending'", [new Date(at), liveId]);
}

/** Heartbeats every 30 s for each watcher over part of the live stream, with a gap for some; replay views after. */
async function seedAttendance(deps: Deps, liveId: string, d: DemoLive, start: number, until: number, hcpOf: (i: number) => string | undefined): Promise<void> {
  // Attendance is behaviour history, seeded with the reading history or not at all (DEMO_HISTORY=off: a test counts every event).
  if (!deps.config.demoHistory) return;
  const now = deps.clock();
  for (const [k, i] of (d.watchers ?? []).entries()) {
    const hcp = hcpOf(i);
    if (!hcp) continue;
    const from = start + (k % 4) * 2 * MIN;
    const to = Math.min(until, from + (15 + ((k * 7) % 40)) * MIN);
    const raws: Record<string, unknown>[] = [];
    for (let t = from, beat = 0; t < to; t += 30_000, beat++) {
      if (k % 3 === 1 && t > from + 5 * MIN && t < from + 10 * MIN) continue; // stepped away for five minutes
      raws.push({ event_id: `seedlive-${liveId}-${hcp}-${beat}`, type: 'live_heartbeat', ts: t, session_id: `seedlive-${hcp}`, page: 'pages/live/index', live_id: liveId, position_s: Math.round((t - start) / 1000) });
    }
    if (d.plan === 'replay' && k % 2 === 0) {
      raws.push({ event_id: `seedlive-${liveId}-${hcp}-replay`, type: 'live_replay_view', ts: Math.min(now - HOUR, start + DAY), session_id: `seedlive-${hcp}-r`, page: 'pages/live/index', live_id: liveId, watched_ms: 8 * MIN });
    }
    const { rows } = prepareBatch(raws, now);
    if (rows.length) await insertEvents(deps.pool, hcp, rows, new Date(Math.min(now, to)));
    await recordViewer(deps.pool, liveId, hcp, from);
  }
}
