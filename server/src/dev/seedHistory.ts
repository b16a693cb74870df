/**
 * Demo reading history for `npm start`, so the demo doctors' feeds differ visibly: each doctor
 * (but one in six, left as cold-start examples) reads about half the items of one topic of their
 * department and one of a second topic over the past 25 days, with likes, favourites and the odd
 * share, and glances at one item elsewhere. Events go through the events domain's own path (validate → normalise → dedupe →
 * multi-row insert) exactly as POST /api/events stores them, so the engine turns them into
 * affinities and the feed's popularity aggregate counts them. Deterministic (a seeded generator)
 * and idempotent: event ids are fixed per doctor, so seeding again stores nothing new.
 */
import { TOPIC_CODES, type Topic } from '@hcp360/shared';
import { mulberry32 } from './generator.js';
import type { RowDataPacket } from '../platform/db.js';
import type { Deps } from '../platform/deps.js';
import { eligibleContentFor, type EligibleContent } from '../domains/content/eligibility.js';
import { prepareBatch } from '../domains/events/pipeline.js';
import { insertEvents } from '../domains/events/repo.js';
import { DEMO_DOCTOR_COUNT, demoDoctor } from './seed.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What each department reads about, most central first. */
const DEPARTMENT_TOPICS: Record<string, Topic[]> = {
  心血管内科: ['hypertension', 'heart_failure', 'coronary_heart_disease', 'atrial_fibrillation', 'dyslipidemia'],
  内分泌科: ['diabetes', 'thyroid', 'obesity', 'osteoporosis'],
  肿瘤内科: ['lung_cancer', 'breast_cancer', 'colorectal_cancer', 'liver_cancer'],
  呼吸与危重症医学科: ['copd', 'asthma', 'lung_cancer'],
  神经内科: ['stroke', 'alzheimers', 'depression'],
  肾内科: ['ckd', 'hypertension', 'diabetes'],
};

function interestsOf(i: number, department: string): Topic[] {
  const own = DEPARTMENT_TOPICS[department] ?? [TOPIC_CODES[(i * 5) % TOPIC_CODES.length]!, TOPIC_CODES[(i * 11 + 3) % TOPIC_CODES.length]!];
  // Doctors of one department lean on different topics of it.
  const k = Math.floor(i / 6);
  return [own[k % own.length]!, own[(k + 1) % own.length]!];
}

/** The raw events (as the SDK would send them) of demo doctor `i`, or none for a cold-start one. */
export function demoHistory(i: number, openid: string, department: string, eligible: EligibleContent[], now: number): Record<string, unknown>[] {
  if (i % 6 === 5 || eligible.length === 0) return [];
  const rand = mulberry32(i + 1);
  const [primary, secondary] = interestsOf(i, department);
  const of = (t: Topic) => eligible.filter((c) => c.topics.includes(t));
  const pick = <T>(list: T[], n: number) => {
    const copy = [...list];
    for (let k = copy.length - 1; k > 0; k--) {
      const j = Math.floor(rand() * (k + 1));
      [copy[k], copy[j]] = [copy[j]!, copy[k]!];
    }
    return copy.slice(0, n);
  };
  // About half of the main interest (so unread items of it remain to lead the feed), one of the
  // second, and one glance at anything.
  const main = of(primary!);
  const deep = [...new Set([...pick(main, Math.min(3, Math.ceil(main.length / 2))), ...pick(of(secondary!), 1)])];
  const glance = pick(eligible.filter((c) => !deep.includes(c)), 1);
  const reads = [...deep, ...glance];

  const events: Record<string, unknown>[] = [];
  let n = 0;
  const event = (type: string, ts: number, page: string, props: Record<string, unknown>) =>
    events.push({ event_id: `seed-${openid}-${++n}`, type, ts, session_id: `seed-${openid}-${Math.floor(ts / DAY)}`, page, ...props });
  reads.forEach((item, k) => {
    const ts = now - Math.floor((1 + rand() * 24) * DAY) + k * 60_000;
    const page = item.type === 'video' ? 'pages/video/index' : 'pages/article/index';
    const content_id = item.id;
    event('content_view', ts, page, { content_id });
    const deepRead = k < deep.length;
    const dwell_ms = deepRead ? Math.floor(60_000 + rand() * 180_000) : Math.floor(8_000 + rand() * 12_000);
    const scroll_depth = Math.round((deepRead ? 0.6 + rand() * 0.4 : 0.2 + rand() * 0.2) * 100) / 100;
    event('content_read', ts + 1000, page, { content_id, dwell_ms, scroll_depth });
    if (k % 3 === 0) event('content_like', ts + 2000, page, { content_id, on: true });
    if (k === 0 || (i % 3 === 0 && k === 1)) event('content_favorite', ts + 3000, page, { content_id, on: true });
    if (i % 5 === 0 && k === 0) event('content_share', ts + 4000, page, { content_id, share_id: `seed-sh-${openid}`, target: 'chat' });
  });
  return events;
}

export async function seedDemoHistory(deps: Deps, say: (msg: string) => void = () => undefined): Promise<void> {
  if (!deps.config.demoHistory) return;
  const now = deps.clock();
  const [rows] = await deps.pool.query<RowDataPacket[]>(
    "SELECT w.openid, w.hcp_id, h.department FROM wechat_identities w JOIN hcps h ON h.id = w.hcp_id WHERE w.appid = ? AND w.openid LIKE 'demo-hcp-%'",
    [deps.config.wechat.appid],
  );
  const byOpenid = new Map(rows.map((r) => [String(r.openid), { hcpId: String(r.hcp_id), department: String(r.department ?? '') }]));
  let stored = 0;
  for (let i = 0; i < DEMO_DOCTOR_COUNT; i++) {
    const { openid } = demoDoctor(i);
    const doctor = byOpenid.get(openid);
    if (!doctor) continue;
    const raw = demoHistory(i, openid, doctor.department, await eligibleContentFor(deps, doctor.hcpId, now), now);
    if (raw.length === 0) continue;
    const { rows: ready, rejected } = prepareBatch(raw, now);
    if (rejected.length) throw new Error(`demo history of ${openid} has invalid events: ${JSON.stringify(rejected)}`);
    const { inserted } = await insertEvents(deps.pool, doctor.hcpId, ready, new Date(now));
    if (inserted > 0) deps.onEventsStored?.(doctor.hcpId);
    stored += inserted;
  }
  if (stored) say(`Seeded ${stored} demo reading events.`);
}
