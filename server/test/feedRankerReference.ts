/**
 * The feed ranker as first written: scores every candidate, sorts them all, then interleaves.
 * Kept as the specification the fast ranker (src/domains/feed/feedRanker.ts, which scores only
 * what it must) is checked against on random inputs (feedRanker.property.test.ts).
 */
import type { ClusterLevel, FeedReasonKind, FeedScoreBreakdown, Topic } from '@hcp360/shared';
import type { Popularity, RankedEntry } from '../src/domains/feed/feedRanker.js';
import type { SnapshotRef } from '../src/domains/feed/snapshots.js';
import type { EligibleContent } from '../src/domains/content/eligibility.js';
import type { ReadFacts } from '../src/domains/events/eventFacts.js';
import { reasonText } from '../src/domains/feed/feedReasons.js';
import { EXPLORATION, FEED_WEIGHTS as W, PAGING, REASON_RULES } from '../src/domains/feed/feedWeights.js';

const DAY = 86_400_000;

export interface RankInput {
  now: number;
  candidates: EligibleContent[];
  /** Topic → decayed affinity 0–1. */
  affinities: Map<string, number>;
  reads: Map<string, ReadFacts>;
  /** Item id → how often it was shown since the doctor last opened it (within the impression window). */
  unclickedImpressions: Map<string, number>;
  /** Popularity in the doctor's cluster after widening (放大聚类). */
  cluster: Popularity;
  /** Popularity among everyone (cold start falls back to it). */
  everyone: Popularity;
  maxRanked?: number;
}

interface Scored {
  item: EligibleContent;
  score: FeedScoreBreakdown;
  match: number;
  bestTopic: Topic | undefined;
  read: boolean;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** A doctor is cold when the feed knows nothing of their interests: no affinity, nothing read. */
function isColdStart(affinities: Map<string, number>, reads: Map<string, ReadFacts>): boolean {
  return affinities.size === 0 && reads.size === 0;
}

function scoreOf(item: EligibleContent, input: RankInput, maxPopularity: number): Scored {
  const matches = item.topics.map((t) => ({ t, a: input.affinities.get(t) ?? 0 })).sort((x, y) => y.a - x.a);
  const best = matches[0];
  const rest = matches.slice(1).reduce((s, m) => s + m.a, 0);
  const match = Math.min(1, (best?.a ?? 0) + W.secondaryMatch * rest);
  const ageDays = Math.max(0, input.now - Date.parse(item.publishedAt)) / DAY;
  const read = input.reads.get(item.id);
  const deep = read ? read.maxDwellMs >= W.deepReadDwellMs && read.maxDepth >= W.deepReadDepth : false;
  const unclicked = input.unclickedImpressions.get(item.id) ?? 0;
  const parts = {
    affinity: W.affinity * match,
    freshness: W.freshness * Math.pow(2, -ageDays / W.freshHalfLifeDays),
    priority: W.priority * (item.priority / 100),
    readPenalty: read ? W.readPenalty * (deep ? 1 : W.shallowReadFactor) : 0,
    impressionPenalty: Math.min(W.impressionPenaltyMax, W.impressionPenalty * Math.max(0, unclicked - W.freeImpressions)),
  };
  const popularity = input.cluster.scores.get(item.id) ?? 0;
  const total = parts.affinity + parts.freshness + parts.priority - parts.readPenalty - parts.impressionPenalty;
  return {
    item,
    match,
    bestTopic: best && best.a > 0 ? (best.t as Topic) : undefined,
    read: !!read,
    score: {
      affinity: round2(parts.affinity),
      freshness: round2(parts.freshness),
      priority: round2(parts.priority),
      readPenalty: round2(parts.readPenalty),
      impressionPenalty: round2(parts.impressionPenalty),
      exploration: maxPopularity > 0 ? round2(popularity / maxPopularity) : 0,
      total: round2(total),
    },
  };
}

function clusterReason(level: ClusterLevel): FeedReasonKind {
  return level === 'everyone' ? 'peers' : 'cluster';
}

/** Why a ranked (not exploration) item is where it is. */
function rankedReason(s: Scored, input: RankInput): { kind: FeedReasonKind; topic?: Topic } {
  if (s.match >= REASON_RULES.affinityMatch && s.bestTopic) return { kind: 'affinity', topic: s.bestTopic };
  if (s.item.priority >= REASON_RULES.editorPriority) return { kind: 'editor' };
  if (input.now - Date.parse(s.item.publishedAt) <= REASON_RULES.freshDays * DAY) return { kind: 'fresh' };
  if ((input.cluster.scores.get(s.item.id) ?? 0) > 0) return { kind: clusterReason(input.cluster.level) };
  return { kind: 'picked' };
}

const byScore = (a: Scored, b: Scored) =>
  b.score.total - a.score.total || Date.parse(b.item.publishedAt) - Date.parse(a.item.publishedAt) || Number(b.item.id) - Number(a.item.id);

/** Unread items popular in `pop`, most popular first. */
function popularList(scored: Scored[], pop: Popularity): { s: Scored; level: ClusterLevel }[] {
  return scored
    .filter((s) => !s.read && (pop.scores.get(s.item.id) ?? 0) > 0)
    .sort((a, b) => (pop.scores.get(b.item.id) ?? 0) - (pop.scores.get(a.item.id) ?? 0) || byScore(a, b))
    .map((s) => ({ s, level: pop.level }));
}

export function referenceRankFeed(input: RankInput): Omit<RankedEntry, keyof SnapshotRef | 'bytes' | 'packed' | 'noteShownIn'>[] {
  const maxPopularity = Math.max(0, ...input.cluster.scores.values());
  const scored = input.candidates.map((c) => scoreOf(c, input, maxPopularity));
  const cold = isColdStart(input.affinities, input.reads);

  const ranked = [...scored].sort(byScore).map((s) => ({ s, level: null as ClusterLevel | null }));
  const explore = popularList(scored, input.cluster);
  if (cold && input.cluster.level !== 'everyone') {
    const inCluster = new Set(explore.map((e) => e.s.item.id));
    explore.push(...popularList(scored, input.everyone).filter((e) => !inCluster.has(e.s.item.id)));
  }

  const max = Math.min(input.maxRanked ?? PAGING.maxRanked, scored.length);
  const used = new Set<string>();
  const out: Omit<RankedEntry, keyof SnapshotRef | 'bytes' | 'packed' | 'noteShownIn'>[] = [];
  const mainTopic = (s: Scored) => s.item.topics[0];
  // No more than two items of one main topic in a row, unless nothing else is left.
  const fits = (s: Scored) => {
    const [a, b] = [out[out.length - 1], out[out.length - 2]];
    return !(a && b && mainTopic(s) === a.item.topics[0] && mainTopic(s) === b.item.topics[0]);
  };
  type Stream = { s: Scored; level: ClusterLevel | null }[];
  const firstFree = (stream: Stream, check: boolean) => stream.find((e) => !used.has(e.s.item.id) && (!check || fits(e.s)));

  while (out.length < max) {
    const explorationSlot = cold || (out.length + 1) % EXPLORATION.every === 0;
    const order: Stream[] = explorationSlot ? [explore, ranked] : [ranked];
    let pick: Stream[number] | undefined;
    for (const stream of order) if ((pick = firstFree(stream, true))) break;
    if (!pick) for (const stream of order) if ((pick = firstFree(stream, false))) break;
    if (!pick) break;
    used.add(pick.s.item.id);
    const { kind, topic } = pick.level ? { kind: clusterReason(pick.level), topic: undefined } : rankedReason(pick.s, input);
    out.push({ item: pick.s.item, slot: pick.level ? 'exploration' : 'ranked', reasonKind: kind, reason: reasonText(kind, topic), score: pick.s.score });
  }
  return out;
}
