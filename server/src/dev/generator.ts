/**
 * A synthetic world of doctors and their behaviour, for benchmarks and for evaluating the
 * predictive tags. Deterministic from a seed. Each doctor has latent topic interests (drawn
 * around their department's therapy areas), an activity rate (log-normal: a few very active, a
 * long tail), a peak hour, a weekly rhythm, and a one-in-four chance of going dormant on some
 * day. Sessions produce the events the mini-program would: launches, views, reads whose dwell and
 * depth grow with interest, likes, favourites, shares, searches and live registrations.
 */
import { DEPARTMENTS, HOSPITAL_LEVELS, TITLES, TOPICS, type Topic } from '@hcp360/shared';
import type { EventType } from '@hcp360/shared';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEPARTMENT_TOPICS: Partial<Record<(typeof DEPARTMENTS)[number], Topic[]>> = {
  心血管内科: ['hypertension', 'heart_failure', 'coronary_heart_disease', 'atrial_fibrillation', 'dyslipidemia'],
  心胸外科: ['coronary_heart_disease', 'lung_cancer'],
  内分泌科: ['diabetes', 'obesity', 'thyroid', 'dyslipidemia'],
  肿瘤内科: ['lung_cancer', 'breast_cancer', 'gastric_cancer', 'liver_cancer', 'colorectal_cancer'],
  肿瘤外科: ['breast_cancer', 'gastric_cancer', 'colorectal_cancer'],
  放疗科: ['lung_cancer', 'breast_cancer'],
  呼吸与危重症医学科: ['copd', 'asthma', 'lung_cancer'],
  神经内科: ['stroke', 'alzheimers', 'depression'],
  肾内科: ['ckd', 'hypertension', 'diabetes'],
  消化内科: ['hepatitis_b', 'gastric_cancer', 'liver_cancer', 'colorectal_cancer'],
  风湿免疫科: ['rheumatoid_arthritis', 'osteoporosis'],
  骨科: ['osteoporosis'],
  精神科: ['depression'],
  感染科: ['hepatitis_b'],
  全科医学科: ['hypertension', 'diabetes', 'copd'],
};
const ALL_TOPICS = Object.keys(TOPICS) as Topic[];
const CITIES = [
  ['北京市', '北京'], ['上海市', '上海'], ['广东省', '广州'], ['广东省', '深圳'], ['四川省', '成都'], ['浙江省', '杭州'],
  ['湖北省', '武汉'], ['江苏省', '南京'], ['陕西省', '西安'], ['河南省', '郑州'], ['山东省', '济南'], ['湖南省', '长沙'],
] as const;

export interface SynthItem {
  index: number;
  topics: Topic[];
  format: 'article' | 'video';
}

export interface SynthDoctor {
  index: number;
  department: string;
  title: string;
  hospitalLevel: string;
  province: string;
  city: string;
  /** Latent interests: topic → weight (sums to 1). */
  interests: [Topic, number][];
  /** Expected events per active day. */
  rate: number;
  peakHour: number;
  /** Day (0-based) from which the doctor has almost stopped, or null. */
  dormantFromDay: number | null;
  /** How keen on live streams, 0–1. */
  liveLean: number;
}

export interface SynthWorld {
  doctors: SynthDoctor[];
  contents: SynthItem[];
  lives: SynthItem[];
}

export interface SynthEvent {
  doctor: number;
  eventId: string;
  sessionId: string;
  type: EventType;
  ts: number;
  scene: number | null;
  props: Record<string, unknown>;
}

export interface WorldOptions {
  doctors: number;
  events: number;
  days: number;
  /** The last moment of the generated history (epoch ms). */
  end: number;
  seed: number;
  contents?: number;
  lives?: number;
}

function pick<T>(rng: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rng() * xs.length)]!;
}

function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

function poisson(rng: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian(rng)));
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = rng();
  while (p > limit) {
    k++;
    p *= rng();
  }
  return k;
}

export function makeWorld(o: WorldOptions): SynthWorld {
  const rng = mulberry32(o.seed);
  const contents: SynthItem[] = Array.from({ length: o.contents ?? 200 }, (_, index) => {
    const first = ALL_TOPICS[index % ALL_TOPICS.length]!;
    const second = rng() < 0.3 ? pick(rng, ALL_TOPICS) : undefined;
    return { index, topics: second && second !== first ? [first, second] : [first], format: rng() < 0.7 ? 'article' : 'video' };
  });
  const lives: SynthItem[] = Array.from({ length: o.lives ?? 60 }, (_, index) => ({ index, topics: [ALL_TOPICS[(index * 7) % ALL_TOPICS.length]!], format: 'video' }));

  const rawRates: number[] = [];
  const doctors: SynthDoctor[] = Array.from({ length: o.doctors }, (_, index) => {
    const department = rng() < 0.8 ? pick(rng, Object.keys(DEPARTMENT_TOPICS)) : pick(rng, DEPARTMENTS);
    const home = DEPARTMENT_TOPICS[department as keyof typeof DEPARTMENT_TOPICS] ?? [pick(rng, ALL_TOPICS)];
    const weights = new Map<Topic, number>();
    for (const t of home) if (rng() < 0.7) weights.set(t, 0.5 + rng() * 2);
    if (weights.size === 0) weights.set(home[0]!, 1);
    if (rng() < 0.5) weights.set(pick(rng, ALL_TOPICS), 0.2 + rng() * 0.5);
    const total = [...weights.values()].reduce((a, b) => a + b, 0);
    const [province, city] = pick(rng, CITIES);
    const rate = Math.exp(gaussian(rng) * 0.9);
    rawRates.push(rate);
    return {
      index,
      department,
      title: pick(rng, TITLES),
      hospitalLevel: rng() < 0.55 ? '三级甲等' : pick(rng, HOSPITAL_LEVELS.slice(1, 6)),
      province,
      city,
      interests: [...weights.entries()].map(([t, w]) => [t, w / total]),
      rate,
      peakHour: pick(rng, [8, 12, 13, 20, 21, 22]),
      dormantFromDay: rng() < 0.25 ? Math.floor(rng() * o.days) : null,
      liveLean: rng(),
    };
  });
  // Scale rates so the expected total is the number of events asked for.
  const activeDays = doctors.map((d) => (d.dormantFromDay ?? o.days) + 0.03 * (o.days - (d.dormantFromDay ?? o.days)));
  const expected = doctors.reduce((s, d, i) => s + d.rate * activeDays[i]! * (5 / 7 + (2 / 7) * 0.5), 0);
  const scale = o.events / Math.max(1, expected);
  for (const d of doctors) d.rate *= scale;
  return { doctors, contents, lives };
}

const DAY = 86_400_000;
/** Measured mean events per generated session (launch + 2.5 actions × their events). */
const EVENTS_PER_SESSION = 5.6;

/** The world's events, day by day (in time order within each doctor's day). */
export function* worldEvents(world: SynthWorld, o: WorldOptions): Generator<SynthEvent> {
  const rng = mulberry32(o.seed ^ 0x5eed);
  const byTopic = new Map<Topic, SynthItem[]>();
  for (const c of world.contents) for (const t of c.topics) byTopic.set(t, [...(byTopic.get(t) ?? []), c]);
  const livesByTopic = new Map<Topic, SynthItem[]>();
  for (const l of world.lives) livesByTopic.set(l.topics[0]!, [...(livesByTopic.get(l.topics[0]!) ?? []), l]);
  const start = o.end - o.days * DAY;
  const seq = new Array<number>(world.doctors.length).fill(0);
  const id = (d: number) => `g${o.seed}-${d}-${(seq[d] = seq[d]! + 1)}`;

  for (let day = 0; day < o.days; day++) {
    const dayStart = start + day * DAY;
    const weekday = new Date(dayStart + 8 * 3_600_000).getUTCDay();
    const weekFactor = weekday === 0 || weekday === 6 ? 0.5 : 1;
    for (const d of world.doctors) {
      const active = d.dormantFromDay === null || day < d.dormantFromDay ? 1 : 0.03;
      // Sessions average EVENTS_PER_SESSION events (a launch, then views, reads and the rest).
      const sessions = poisson(rng, (d.rate * active * weekFactor) / EVENTS_PER_SESSION);
      for (let s = 0; s < sessions; s++) {
        const hourChina = (d.peakHour + Math.round(gaussian(rng) * 2) + 24) % 24;
        let ts = dayStart + ((hourChina - 8 + 24) % 24) * 3_600_000 + Math.floor(rng() * 3_600_000);
        if (ts > o.end) ts = o.end - Math.floor(rng() * 60_000);
        const session = `gs${o.seed}-${d.index}-${day}-${s}`;
        const out: Omit<SynthEvent, 'doctor' | 'eventId' | 'sessionId'>[] = [{ type: 'app_launch', ts, scene: 1001, props: {} }];
        const actions = 1 + poisson(rng, 1.5);
        for (let a = 0; a < actions; a++) {
          ts += 20_000 + Math.floor(rng() * 120_000);
          const r = rng();
          let acc = 0;
          let topic = d.interests[d.interests.length - 1]![0];
          for (const [t, w] of d.interests) {
            acc += w;
            if (acc >= r) {
              topic = t;
              break;
            }
          }
          if (rng() < 0.15) topic = pick(rng, ALL_TOPICS); // curiosity
          const interest = d.interests.find(([t]) => t === topic)?.[1] ?? 0.05;
          if (rng() < 0.06) {
            out.push({ type: 'search', ts, scene: null, props: { query: TOPICS[topic] } });
            continue;
          }
          if (rng() < 0.04 * (0.3 + d.liveLean) * (1 + interest * 3)) {
            const live = pick(rng, livesByTopic.get(topic) ?? world.lives);
            out.push({ type: 'live_register', ts, scene: null, props: { live_id: String(live.index + 1) } });
            continue;
          }
          const item = pick(rng, byTopic.get(topic) ?? world.contents);
          const contentId = String(item.index + 1);
          out.push({ type: 'content_view', ts, scene: null, props: { content_id: contentId } });
          if (rng() < 0.45 + interest * 0.5) {
            const dwell = Math.min(600_000, Math.floor(Math.exp(9 + gaussian(rng) * 0.8 + interest * 2)));
            const depth = Math.min(1, Math.max(0.05, 0.3 + interest * 0.8 + gaussian(rng) * 0.15));
            out.push({ type: 'content_read', ts: ts + dwell, scene: null, props: { content_id: contentId, dwell_ms: dwell, scroll_depth: Math.round(depth * 100) / 100 } });
          }
          if (rng() < 0.08 + interest * 0.15) out.push({ type: 'content_like', ts: ts + 1000, scene: null, props: { content_id: contentId, on: true } });
          if (rng() < 0.04 + interest * 0.1) out.push({ type: 'content_favorite', ts: ts + 1500, scene: null, props: { content_id: contentId, on: true } });
          if (rng() < 0.02 + interest * 0.05) out.push({ type: 'content_share', ts: ts + 2000, scene: null, props: { content_id: contentId, share_id: `sh-${session}-${a}`, target: 'chat' } });
        }
        for (const e of out) if (e.ts <= o.end) yield { doctor: d.index, eventId: id(d.index), sessionId: session, ...e };
      }
    }
  }
}
