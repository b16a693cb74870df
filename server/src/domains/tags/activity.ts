/**
 * What one event does to a doctor's behavioural state: counters, first/last activity, arrival
 * channel (first touch), active hours, meaningful actions per day, live attendance minutes, and
 * topic affinity. Pure functions of (state, event, catalogue, settings): the tagger applies them
 * incrementally, recompute applies them from scratch, and both must agree.
 *
 * Every update is order-independent: counters add, sets union, "first touch" keeps the earliest
 * candidate, affinity decay is exact in any order. So splitting a stream into other batches, or
 * receiving a doctor's events out of time order, gives the same state.
 */
import { decodeInviter, type EventType, type Inviter, type RuleCounter, type Topic, TOPICS } from '@hcp360/shared';
import { addAction, type AffinityCell } from './affinity.js';
import type { EngineSettings } from './settings.js';

export interface StoredEvent {
  id: string;
  hcpId: string;
  type: EventType;
  ts: number;
  scene: number | null;
  props: Record<string, unknown>;
}

/** Topics and format of the items events point at, looked up once per batch. */
export interface ItemInfo {
  topics: string[];
  format?: 'article' | 'video';
}
export interface Catalogue {
  content: Map<string, ItemInfo>;
  live: Map<string, ItemInfo>;
  campaign: Map<string, ItemInfo>;
}

export type ArrivalChannel = 'rep_invite' | 'share' | 'code_scan' | 'organic';
/** When two first-touch candidates have the same time, the more specific one wins. */
const CHANNEL_RANK: Record<ArrivalChannel, number> = { rep_invite: 0, share: 1, code_scan: 2, organic: 3 };

export interface Arrival {
  channel: ArrivalChannel;
  at: number;
  inviter?: Inviter;
  shareId?: string;
  scene?: number;
}

export type Counters = Record<Exclude<RuleCounter, 'referred' | 'meaningful_30d' | 'cases_accepted'>, number>;

export interface ActivityState {
  counters: Counters;
  firstEventAt: number | null;
  lastEventAt: number | null;
  /** Time of the last meaningful action (drives dormancy). */
  lastActiveAt: number | null;
  arrival: Arrival | null;
  /** Events per hour of day, China time (UTC+8). */
  hours: number[];
  /** Meaningful actions per day (days since epoch, China time). */
  days: Record<string, number>;
  /** Minutes (epoch minute numbers) in which a heartbeat arrived, per live stream. */
  liveMinutes: Record<string, number[]>;
  /** Affinity points (in thousandths) per topic per week (weeks since epoch): features "as of" a past time for the predictive tags. */
  topicWeeks: Record<string, Record<string, number>>;
  /** Live registrations per topic per week. */
  liveWeeks: Record<string, Record<string, number>>;
}

export function emptyActivity(): ActivityState {
  return {
    counters: {
      content_views: 0,
      content_reads: 0,
      deep_reads: 0,
      article_reads: 0,
      video_reads: 0,
      likes: 0,
      favorites: 0,
      shares: 0,
      searches: 0,
      lives_registered: 0,
      lives_attended: 0,
      live_minutes: 0,
      replays: 0,
      cases_submitted: 0,
    },
    firstEventAt: null,
    lastEventAt: null,
    lastActiveAt: null,
    arrival: null,
    hours: Array.from({ length: 24 }, () => 0),
    days: {},
    liveMinutes: {},
    topicWeeks: {},
    liveWeeks: {},
  };
}

const CHINA_OFFSET = 8 * 3_600_000;
const chinaDay = (ts: number) => Math.floor((ts + CHINA_OFFSET) / 86_400_000);
const chinaHour = (ts: number) => Math.floor(((ts + CHINA_OFFSET) % 86_400_000) / 3_600_000);
export const WEEK = 7 * 86_400_000;
export const weekOf = (ts: number) => Math.floor(ts / WEEK);

/** Adds whole units to a bucket (callers scale to integers, so sums are exact in any order). */
function addToBucket(buckets: Record<string, Record<string, number>>, key: string, week: number, units: number): void {
  const b = (buckets[key] ??= {});
  b[week] = (b[week] ?? 0) + units;
}

/** Weekly topic buckets hold affinity points in thousandths. */
export const POINT_UNITS = 1000;

function addTopics(state: ActivityState, affinities: Affinities, topics: string[] | undefined, points: number, ts: number, halfLifeDays: number): void {
  if (!topics || points <= 0) return;
  const units = Math.round(points * POINT_UNITS);
  const week = weekOf(ts);
  for (const t of topics) {
    affinities.set(t, addAction(affinities.get(t), points, ts, halfLifeDays));
    addToBucket(state.topicWeeks, t, week, units);
  }
}

export type Affinities = Map<string, AffinityCell>;

/** A referral this event proposes (the arrival decides whether it stands). */
function arrivalCandidate(e: StoredEvent): Arrival | null {
  if (e.type !== 'app_launch' && e.type !== 'invite_open') return null;
  const inviter = decodeInviter(e.props.inviter as string | undefined);
  const scene = (e.props.scene as number | undefined) ?? e.scene ?? undefined;
  const shareId = e.props.share_id as string | undefined;
  let channel: ArrivalChannel = 'organic';
  if (inviter) channel = inviter.kind === 'rep' ? 'rep_invite' : 'share';
  else if (scene === 1047 || scene === 1048 || scene === 1049) channel = 'code_scan';
  else if (scene === 1007 || scene === 1008 || scene === 1044) channel = 'share';
  return { channel, at: e.ts, ...(inviter && { inviter }), ...(shareId && { shareId }), ...(scene !== undefined && { scene }) };
}

function earlier(a: Arrival | null, b: Arrival): Arrival {
  if (!a) return b;
  if (b.at !== a.at) return b.at < a.at ? b : a;
  return CHANNEL_RANK[b.channel] < CHANNEL_RANK[a.channel] ? b : a;
}

function topicsInQuery(query: string): string[] {
  const q = query.toLowerCase();
  return (Object.entries(TOPICS) as [Topic, string][]).filter(([code, label]) => q.includes(label) || q.includes(code)).map(([code]) => code);
}

/** Applies one event to `state` and `affinities` (both mutated). */
export function applyEvent(state: ActivityState, affinities: Affinities, e: StoredEvent, catalogue: Catalogue, settings: EngineSettings): void {
  const w = settings.weights;
  const c = state.counters;
  const h = settings.halfLifeDays;
  let meaningful = false;

  state.firstEventAt = state.firstEventAt === null ? e.ts : Math.min(state.firstEventAt, e.ts);
  state.lastEventAt = state.lastEventAt === null ? e.ts : Math.max(state.lastEventAt, e.ts);
  state.hours[chinaHour(e.ts)]! += 1;

  const content = typeof e.props.content_id === 'string' ? catalogue.content.get(e.props.content_id) : undefined;
  const live = typeof e.props.live_id === 'string' ? catalogue.live.get(e.props.live_id) : undefined;

  switch (e.type) {
    case 'app_launch':
    case 'invite_open': {
      const candidate = arrivalCandidate(e);
      if (candidate) state.arrival = earlier(state.arrival, candidate);
      break;
    }
    case 'content_view':
      c.content_views++;
      addTopics(state, affinities, content?.topics, w.view, e.ts, h);
      break;
    case 'content_read': {
      const dwellS = Number(e.props.dwell_ms) / 1000;
      const depth = Number(e.props.scroll_depth);
      c.content_reads++;
      if (dwellS >= settings.deepRead.dwellSeconds && depth >= settings.deepRead.scrollDepth) c.deep_reads++;
      if (content?.format === 'video') c.video_reads++;
      else if (content?.format === 'article') c.article_reads++;
      addTopics(state, affinities, content?.topics, w.readBase + w.readDeep * Math.min(1, dwellS / w.readFullDwellSeconds) * depth, e.ts, h);
      meaningful = true;
      break;
    }
    case 'content_like':
      if (e.props.on === true) {
        c.likes++;
        addTopics(state, affinities, content?.topics, w.like, e.ts, h);
        meaningful = true;
      }
      break;
    case 'content_favorite':
      if (e.props.on === true) {
        c.favorites++;
        addTopics(state, affinities, content?.topics, w.favorite, e.ts, h);
        meaningful = true;
      }
      break;
    case 'content_share':
      c.shares++;
      addTopics(state, affinities, content?.topics, w.share, e.ts, h);
      meaningful = true;
      break;
    case 'live_register':
      c.lives_registered++;
      addTopics(state, affinities, live?.topics, w.liveRegister, e.ts, h);
      for (const t of live?.topics ?? []) addToBucket(state.liveWeeks, t, weekOf(e.ts), 1);
      meaningful = true;
      break;
    case 'live_heartbeat': {
      const liveId = String(e.props.live_id);
      const minute = Math.floor(e.ts / 60_000);
      const minutes = (state.liveMinutes[liveId] ??= []);
      if (!minutes.includes(minute)) {
        if (minutes.length === 0) c.lives_attended++;
        minutes.push(minute);
        c.live_minutes++;
        addTopics(state, affinities, live?.topics, w.liveMinute, e.ts, h);
        meaningful = true;
      }
      break;
    }
    case 'live_replay_view':
      c.replays++;
      addTopics(state, affinities, live?.topics, w.replay, e.ts, h);
      meaningful = true;
      break;
    case 'case_submit': {
      const campaign = catalogue.campaign.get(String(e.props.campaign_id));
      c.cases_submitted++;
      addTopics(state, affinities, campaign?.topics, w.caseSubmit, e.ts, h);
      meaningful = true;
      break;
    }
    case 'search':
      c.searches++;
      addTopics(state, affinities, topicsInQuery(String(e.props.query)), w.search, e.ts, h);
      break;
    case 'page_view':
      break;
  }

  if (meaningful) {
    state.lastActiveAt = state.lastActiveAt === null ? e.ts : Math.max(state.lastActiveAt, e.ts);
    const day = String(chinaDay(e.ts));
    state.days[day] = (state.days[day] ?? 0) + 1;
  }
}

/** Meaningful actions in the `windowDays` days up to `now`. */
export function actionsInWindow(state: ActivityState, now: number, windowDays: number): number {
  const today = chinaDay(now);
  let n = 0;
  for (const [day, count] of Object.entries(state.days)) {
    const d = Number(day);
    if (d > today - windowDays && d <= today) n += count;
  }
  return n;
}

/** Drops day buckets too old to matter for any window, so the state stays small. */
export function pruneDays(state: ActivityState, now: number, keepDays = 400): void {
  const oldest = chinaDay(now) - keepDays;
  for (const day of Object.keys(state.days)) if (Number(day) < oldest) delete state.days[day];
  const oldestWeek = weekOf(now) - Math.ceil(keepDays / 7);
  for (const buckets of [state.topicWeeks, state.liveWeeks]) {
    for (const [topic, weeks] of Object.entries(buckets)) {
      for (const w of Object.keys(weeks)) if (Number(w) < oldestWeek) delete weeks[w];
      if (Object.keys(weeks).length === 0) delete buckets[topic];
    }
  }
}

export const TIME_BANDS = [
  { label: '清晨', from: 5, to: 8 },
  { label: '上午', from: 8, to: 12 },
  { label: '午间', from: 12, to: 14 },
  { label: '下午', from: 14, to: 18 },
  { label: '晚间', from: 18, to: 22 },
  { label: '深夜', from: 22, to: 29 },
] as const;

/** The time band with the most activity, or undefined with too little to say. */
export function topTimeBand(hours: number[], minEvents = 5): string | undefined {
  const total = hours.reduce((a, b) => a + b, 0);
  if (total < minEvents) return undefined;
  let best: { label: string; n: number } | undefined;
  for (const band of TIME_BANDS) {
    let n = 0;
    for (let h = band.from; h < band.to; h++) n += hours[h % 24]!;
    if (!best || n > best.n) best = { label: band.label, n };
  }
  return best?.label;
}
