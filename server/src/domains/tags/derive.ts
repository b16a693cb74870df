/**
 * From a doctor's profile, behavioural state and affinities to their tags and lifecycle stage, at
 * a given time. Pure: the same inputs and `now` always give the same answer.
 */
import { TOPICS, type LifecycleStage, type Topic } from '@hcp360/shared';
import type { DoctorFacts } from '../identity/service.js';
import { actionsInWindow, topTimeBand, type ActivityState, type Affinities } from './activity.js';
import { decayedRaw, presentScore } from './affinity.js';
import type { EngineSettings } from './settings.js';

/** What the engine uses of a doctor's profile (identity's facts, less bookkeeping). */
export type ProfileFacts = Omit<DoctorFacts, 'stageSince' | 'mergedInto'>;

export interface TagValue {
  value: string;
  score?: number;
}

/** Facts that come from outside the doctor's own events. */
export interface ExternalFacts {
  referred: number;
  casesAccepted: number;
}

export function engagementLevel(state: ActivityState, now: number, s: EngineSettings): '低' | '中' | '高' {
  const n = actionsInWindow(state, now, s.engagement.windowDays);
  return n >= s.engagement.high ? '高' : n >= s.engagement.medium ? '中' : '低';
}

export function scoredAffinities(affinities: Affinities, now: number, s: EngineSettings): { topic: string; label: string; score: number }[] {
  return [...affinities.entries()]
    .map(([topic, cell]) => ({ topic, label: TOPICS[topic as Topic] ?? topic, score: presentScore(decayedRaw(cell, now, s.halfLifeDays), s.affinityScale) }))
    .filter((a) => a.score >= 0.001)
    .sort((a, b) => b.score - a.score || a.topic.localeCompare(b.topic));
}

export function isKol(p: ProfileFacts, s: EngineSettings): boolean {
  if (!p.title || !(s.kol.titles as string[]).includes(p.title)) return false;
  return p.academicRoles.length > 0 || (!!p.hospitalLevel && (s.kol.hospitalLevels as string[]).includes(p.hospitalLevel));
}

export function isKoc(p: ProfileFacts, state: ActivityState, ext: ExternalFacts, now: number, s: EngineSettings): boolean {
  if (!p.title || !(s.koc.titles as string[]).includes(p.title)) return false;
  const level = engagementLevel(state, now, s);
  const engagedEnough = s.koc.engagement === '中' ? level !== '低' : level === '高';
  const contributes = (s.koc.minAcceptedCases > 0 && ext.casesAccepted >= s.koc.minAcceptedCases) || (s.koc.minReferred > 0 && ext.referred >= s.koc.minReferred);
  return engagedEnough && contributes;
}

/** Every engine-made tag (static, behavioural, KOL/KOC) of one doctor at `now`. Rule and predictive tags are made elsewhere. */
export function deriveTags(p: ProfileFacts, state: ActivityState, affinities: Affinities, ext: ExternalFacts, now: number, s: EngineSettings): Map<string, TagValue> {
  const tags = new Map<string, TagValue>();
  const put = (key: string, value: string | null | undefined, score?: number) => {
    if (value !== null && value !== undefined && value !== '') tags.set(key, score === undefined ? { value } : { value, score });
  };
  // static
  put('title', p.title);
  put('department', p.department);
  put('hospital_level', p.hospitalLevel);
  put('province', p.province);
  put('city', p.city);
  put('specialty', p.specialty);
  if (p.academicRoles.length) put('academic_role', p.academicRoles[0]!.slice(0, 64));
  put('verification', p.verification);

  // behavioural
  const c = state.counters;
  const formats: [string, number][] = [
    ['article', c.article_reads],
    ['video', c.video_reads],
    ['live', c.lives_attended + c.replays],
  ];
  const total = formats.reduce((n, [, v]) => n + v, 0);
  if (total >= 3) {
    const [best, n] = formats.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]!;
    put('preferred_format', best, Math.round((n / total) * 1000) / 1000);
  }
  put('active_hours', topTimeBand(state.hours));
  put('arrival_channel', state.arrival?.channel);
  if (state.firstEventAt !== null) put('engagement_level', engagementLevel(state, now, s));
  const top = scoredAffinities(affinities, now, s)[0];
  if (top && top.score >= 0.3) put('top_topic', top.topic, Math.round(top.score * 1000) / 1000);

  if (isKol(p, s)) put('kol', 'true');
  if (isKoc(p, state, ext, now, s)) put('koc', 'true');
  return tags;
}

/**
 * The lifecycle stage the engine wants, given the identity-owned stage (invited / registered /
 * verified come from consent, profile and verification), or undefined to leave it.
 * Returns the cause with it.
 */
export function targetStage(p: ProfileFacts, state: ActivityState, ext: ExternalFacts, tags: Map<string, TagValue>, now: number, s: EngineSettings): { stage: LifecycleStage; cause: string; at: number } | undefined {
  const stage = p.stage;
  if (stage === 'invited' || stage === 'registered') return undefined;
  const lastActive = state.lastActiveAt;
  const dormantAfter = s.lifecycle.dormantDays * 86_400_000;
  const quiet = lastActive === null || now - lastActive >= dormantAfter;
  const advocate = tags.has('koc') || ext.referred >= s.lifecycle.advocateReferrals;
  const engaged = actionsInWindow(state, now, s.engagement.windowDays) >= s.lifecycle.engagedActions;

  if ((stage === 'engaged' || stage === 'advocate') && quiet) {
    return { stage: 'dormant', cause: `no activity for ${s.lifecycle.dormantDays} days`, at: (lastActive ?? now - dormantAfter) + dormantAfter };
  }
  if (stage === 'dormant' && !quiet) return { stage: advocate ? 'advocate' : 'engaged', cause: 'returned', at: lastActive! };
  if ((stage === 'verified' || stage === 'engaged') && advocate) {
    return { stage: 'advocate', cause: tags.has('koc') ? 'koc' : `referred ${ext.referred} doctors`, at: now };
  }
  if (stage === 'verified' && engaged) return { stage: 'engaged', cause: `${s.lifecycle.engagedActions}+ actions in ${s.engagement.windowDays} days`, at: now };
  return undefined;
}
