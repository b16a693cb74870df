import { describe, expect, it } from 'vitest';
import { actionsInWindow, applyEvent, emptyActivity, type Affinities, type Catalogue, type StoredEvent } from './activity.js';
import { addAction, decayedRaw, presentScore, rawForScore } from './affinity.js';
import { deriveTags, isKoc, isKol, scoredAffinities, targetStage, type ProfileFacts } from './derive.js';
import { DEFAULT_SETTINGS as S, type EngineSettings } from './settings.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 9, 1, 4, 0, 0);

const catalogue = (): Catalogue => ({
  content: new Map([
    ['1', { topics: ['hypertension'], format: 'article' as const }],
    ['2', { topics: ['diabetes', 'obesity'], format: 'video' as const }],
  ]),
  live: new Map([['9', { topics: ['heart_failure'] }]]),
  campaign: new Map([['5', { topics: ['hypertension'] }]]),
});

let seq = 0;
const ev = (type: StoredEvent['type'], ts: number, props: Record<string, unknown> = {}, scene: number | null = null): StoredEvent => ({ id: String(++seq), hcpId: '1', type, ts, scene, props });

function run(events: StoredEvent[], settings: EngineSettings = S) {
  const state = emptyActivity();
  const aff: Affinities = new Map();
  for (const e of events) applyEvent(state, aff, e, catalogue(), settings);
  return { state, aff };
}

describe('affinity decay', () => {
  it('halves after one half-life and is exact whatever the order actions arrive in', () => {
    const a = addAction(undefined, 10, T0, 30);
    expect(decayedRaw(a, T0 + 30 * DAY, 30)).toBeCloseTo(5, 10);
    expect(decayedRaw(a, T0 + 60 * DAY, 30)).toBeCloseTo(2.5, 10);
    const inOrder = addAction(addAction(undefined, 4, T0, 30), 6, T0 + 10 * DAY, 30);
    const reversed = addAction(addAction(undefined, 6, T0 + 10 * DAY, 30), 4, T0, 30);
    expect(decayedRaw(inOrder, T0 + 40 * DAY, 30)).toBeCloseTo(decayedRaw(reversed, T0 + 40 * DAY, 30), 10);
  });

  it('presents 0–1 scores and inverts thresholds exactly', () => {
    expect(presentScore(0, 10)).toBe(0);
    expect(presentScore(10, 10)).toBeCloseTo(1 - 1 / Math.E, 10);
    for (const v of [0.1, 0.5, 0.6, 0.95]) expect(presentScore(rawForScore(v, 10), 10)).toBeCloseTo(v, 10);
  });
});

describe('action weights', () => {
  it('counts a deep read far more than a glance', () => {
    const glance = run([ev('content_read', T0, { content_id: '1', dwell_ms: 4000, scroll_depth: 0.1 })]);
    const deep = run([ev('content_read', T0, { content_id: '1', dwell_ms: 150_000, scroll_depth: 0.95 })]);
    const g = glance.aff.get('hypertension')!.raw;
    const d = deep.aff.get('hypertension')!.raw;
    expect(g).toBeCloseTo(S.weights.readBase + S.weights.readDeep * (4 / 120) * 0.1, 10);
    expect(d).toBeCloseTo(S.weights.readBase + S.weights.readDeep * 0.95, 10);
    expect(d / g).toBeGreaterThan(8);
    expect(deep.state.counters.deep_reads).toBe(1);
    expect(glance.state.counters.deep_reads).toBe(0);
    expect(deep.state.counters.article_reads).toBe(1);
  });

  it.each([
    ['content_view', { content_id: '1' }, S.weights.view],
    ['content_like', { content_id: '1', on: true }, S.weights.like],
    ['content_favorite', { content_id: '1', on: true }, S.weights.favorite],
    ['content_share', { content_id: '1', share_id: 's', target: 'chat' }, S.weights.share],
    ['live_register', { live_id: '9' }, S.weights.liveRegister],
    ['live_replay_view', { live_id: '9' }, S.weights.replay],
    ['case_submit', { campaign_id: '5' }, S.weights.caseSubmit],
    ['search', { query: '高血压 指南' }, S.weights.search],
  ] as const)('%s adds its weight to the item topics', (type, props, weight) => {
    const { aff } = run([ev(type, T0, props)]);
    const topic = type.startsWith('live') ? 'heart_failure' : 'hypertension';
    expect(aff.get(topic)!.raw).toBeCloseTo(weight, 10);
  });

  it('ignores an unlike and events about unknown items', () => {
    const { aff, state } = run([ev('content_like', T0, { content_id: '1', on: false }), ev('content_read', T0, { content_id: '404', dwell_ms: 60_000, scroll_depth: 1 })]);
    expect(aff.size).toBe(0);
    expect(state.counters.likes).toBe(0);
    expect(state.counters.content_reads).toBe(1);
  });

  it('counts live attendance in distinct minutes: gaps and repeated heartbeats do not count', () => {
    const hb = (minute: number, second: number) => ev('live_heartbeat', T0 + minute * 60_000 + second * 1000, { live_id: '9' });
    // minutes 0–4 watched (two beats a minute), a gap 5–9, then minutes 10–11.
    const beats = [0, 1, 2, 3, 4, 10, 11].flatMap((m) => [hb(m, 5), hb(m, 35)]);
    const { state, aff } = run(beats);
    expect(state.counters.live_minutes).toBe(7);
    expect(state.counters.lives_attended).toBe(1);
    expect(aff.get('heart_failure')!.raw).toBeCloseTo(7 * S.weights.liveMinute, 1);
  });
});

describe('first touch', () => {
  it('keeps the earliest arrival whatever the processing order, and a rep invite over a plain launch at the same time', () => {
    const organic = ev('app_launch', T0 + 1000, {}, 1001);
    const invite = ev('invite_open', T0 + 5000, { inviter: 'r7', scene: 1007 });
    const scan = ev('app_launch', T0 + 1000, { inviter: 'r3' }, 1047);
    expect(run([invite, organic]).state.arrival!.channel).toBe('organic');
    expect(run([organic, invite]).state.arrival!.channel).toBe('organic');
    const tie = run([organic, scan]).state.arrival!;
    expect(tie).toMatchObject({ channel: 'rep_invite', inviter: { kind: 'rep', id: '3' } });
    expect(run([ev('app_launch', T0, {}, 1048)]).state.arrival!.channel).toBe('code_scan');
    expect(run([ev('invite_open', T0, { inviter: 'd12', scene: 1008 })]).state.arrival).toMatchObject({ channel: 'share', inviter: { kind: 'hcp', id: '12' } });
  });
});

const profile = (over: Partial<ProfileFacts> = {}): ProfileFacts => ({
  id: '1',
  title: '主治医师',
  department: '心血管内科',
  hospitalLevel: '二级甲等',
  province: '上海市',
  city: '上海',
  specialty: null,
  academicRoles: [],
  verification: 'verified',
  stage: 'verified',
  ...over,
});
const reads = (n: number, from: number) => Array.from({ length: n }, (_, i) => ev('content_read', from + i * 3_600_000, { content_id: '1', dwell_ms: 90_000, scroll_depth: 0.8 }));

describe('KOL and KOC', () => {
  it('makes a 主任医师 at a 三级甲等 hospital, or with an academic role, a KOL by default', () => {
    expect(isKol(profile({ title: '主任医师', hospitalLevel: '三级甲等' }), S)).toBe(true);
    expect(isKol(profile({ title: '副主任医师', academicRoles: ['中华医学会心血管病学分会委员'] }), S)).toBe(true);
    expect(isKol(profile({ title: '主任医师', hospitalLevel: '二级甲等' }), S)).toBe(false);
    expect(isKol(profile({ title: '主治医师', hospitalLevel: '三级甲等' }), S)).toBe(false);
  });

  it('follows a changed threshold: KOL from 二级甲等 hospitals too', () => {
    const s = { ...S, kol: { ...S.kol, hospitalLevels: ['三级甲等', '二级甲等'] as EngineSettings['kol']['hospitalLevels'] } };
    expect(isKol(profile({ title: '主任医师', hospitalLevel: '二级甲等' }), s)).toBe(true);
  });

  it('makes a highly engaged 主治医师 with an accepted case, or three referrals, a KOC', () => {
    const now = T0 + 10 * DAY;
    const { state } = run(reads(8, T0));
    expect(isKoc(profile(), state, { referred: 0, casesAccepted: 1 }, now, S)).toBe(true);
    expect(isKoc(profile(), state, { referred: 3, casesAccepted: 0 }, now, S)).toBe(true);
    expect(isKoc(profile(), state, { referred: 2, casesAccepted: 0 }, now, S)).toBe(false);
    expect(isKoc(profile({ title: '主任医师' }), state, { referred: 3, casesAccepted: 1 }, now, S)).toBe(false);
    const quiet = run(reads(3, T0)).state;
    expect(isKoc(profile(), quiet, { referred: 3, casesAccepted: 1 }, now, S)).toBe(false);
    const lenient = { ...S, koc: { ...S.koc, engagement: '中' as const } };
    expect(isKoc(profile(), quiet, { referred: 3, casesAccepted: 1 }, now, lenient)).toBe(true);
  });
});

describe('lifecycle', () => {
  const ext0 = { referred: 0, casesAccepted: 0 };
  const stageAfter = (p: ProfileFacts, events: StoredEvent[], now: number, ext = ext0) => {
    const { state, aff } = run(events);
    return targetStage(p, state, ext, deriveTags(p, state, aff, ext, now, S), now, S);
  };

  it('leaves invited and registered doctors to identity', () => {
    expect(stageAfter(profile({ stage: 'registered' }), reads(10, T0), T0 + DAY)).toBeUndefined();
  });

  it('moves verified → engaged at the threshold of meaningful actions in the window', () => {
    expect(stageAfter(profile(), reads(4, T0), T0 + DAY)).toBeUndefined();
    expect(stageAfter(profile(), reads(5, T0), T0 + DAY)).toMatchObject({ stage: 'engaged' });
    // The same five reads, 40 days ago, are outside the 30-day window.
    expect(stageAfter(profile(), reads(5, T0), T0 + 40 * DAY)).toBeUndefined();
  });

  it('moves to advocate on three referrals, or as a KOC', () => {
    expect(stageAfter(profile({ stage: 'engaged' }), reads(5, T0), T0 + DAY, { referred: 3, casesAccepted: 0 })).toMatchObject({ stage: 'advocate', cause: 'referred 3 doctors' });
    expect(stageAfter(profile({ stage: 'engaged' }), reads(8, T0), T0 + DAY, { referred: 0, casesAccepted: 1 })).toMatchObject({ stage: 'advocate', cause: 'koc' });
  });

  it('goes dormant after 45 quiet days (dated at the 45th day) and returns on new activity', () => {
    const events = reads(5, T0);
    const lastActive = T0 + 4 * 3_600_000;
    expect(stageAfter(profile({ stage: 'engaged' }), events, lastActive + 44 * DAY)).toBeUndefined();
    expect(stageAfter(profile({ stage: 'engaged' }), events, lastActive + 46 * DAY)).toEqual({ stage: 'dormant', cause: 'no activity for 45 days', at: lastActive + 45 * DAY });
    const back = [...events, ev('content_like', lastActive + 60 * DAY, { content_id: '1', on: true })];
    expect(stageAfter(profile({ stage: 'dormant' }), back, lastActive + 61 * DAY)).toMatchObject({ stage: 'engaged', cause: 'returned' });
  });
});

describe('behavioural tags', () => {
  it('derives format preference, engagement level, active hours and top topic', () => {
    const events = [...reads(6, T0), ev('content_read', T0, { content_id: '2', dwell_ms: 30_000, scroll_depth: 0.5 })];
    const { state, aff } = run(events);
    const tags = deriveTags(profile(), state, aff, { referred: 0, casesAccepted: 0 }, T0 + DAY, S);
    expect(tags.get('preferred_format')).toEqual({ value: 'article', score: 0.857 });
    expect(tags.get('engagement_level')?.value).toBe('中');
    expect(tags.get('top_topic')?.value).toBe('hypertension');
    // China time 12:00 ×2, 13:00, then 14:00–17:00: the afternoon band has four of seven.
    expect(tags.get('active_hours')?.value).toBe('下午');
    expect(tags.get('title')?.value).toBe('主治医师');
    expect(actionsInWindow(state, T0 + DAY, 30)).toBe(7);
    expect(scoredAffinities(aff, T0 + DAY, S)[0]!.topic).toBe('hypertension');
  });
});
