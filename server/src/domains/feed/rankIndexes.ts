/**
 * What the ranker (feedRanker.ts) reads instead of scoring every candidate per request:
 *  - `candidateIndex`: the candidates grouped by their topics ("combos": items with the same
 *    topics get the same interest match for any doctor), built once per catalogue view (the
 *    serving catalogue memoises it per kind of viewer);
 *  - `boundsAt`: per combo, its items ordered by freshness + priority as of a minute ago, which
 *    is at least what they score now (freshness only decays); recomputed every minute or so. An
 *    item can then score at most its combo's interest match plus that, and the ranker walks the
 *    combos best-bound first, scoring exactly only what can still reach the top;
 *  - `popularityRuns`: a cluster's candidates in popularity order, equal scores together, once per
 *    popularity aggregate and index (memoised on both objects: popularity.ts keeps a Popularity
 *    until the aggregate is rebuilt).
 */
import type { Topic } from '@hcp360/shared';
import type { EligibleContent } from '../content/eligibility.js';
import type { Popularity } from './feedRanker.js';
import { FEED_WEIGHTS as W } from './feedWeights.js';

export interface Candidate {
  item: EligibleContent;
  /** publishedAt in epoch ms. */
  publishedAt: number;
  /** The id as the final tie-break compares it. */
  idOrder: number;
  /** The first topic ('' when none): at most two of one main topic in a row. */
  mainTopic: string;
  /** mainTopic as an index into CandidateIndex.mainTopics (compared on every step of a ranking). */
  topicCode: number;
  /** Its place among the candidates by publishedAt, then idOrder (ascending): the score's tie-break as one number. */
  order: number;
  /** Its combo (index into CandidateIndex.combos). */
  combo: number;
}

/** Candidates with the same topics, in the same order. */
export interface Combo {
  topics: readonly Topic[];
  /** The first topic ('' when none). */
  mainTopic: string;
  members: Candidate[];
}

export interface CandidateIndex {
  kind: 'candidate-index';
  byId: Map<string, Candidate>;
  combos: Combo[];
  /** Indexes into `combos` of the combos with each topic. */
  combosByTopic: Map<Topic, number[]>;
  /** Candidates with each topic (among any of theirs). */
  topicCounts: Map<Topic, number>;
  /** The candidates' main topics, each once (Candidate.topicCode indexes it). */
  mainTopics: string[];
  /** The last bounds computed (see boundsAt). */
  bounds?: Bounds;
}

export interface Bounds {
  /** The instant the freshness was computed for; valid for every later `now`. */
  at: number;
  /** Per combo: its members by freshness + priority at `at` (highest first), and those values. */
  combos: { members: Candidate[]; base: Float64Array }[];
  /** Combo indexes by their best member's freshness + priority, highest first. */
  order: number[];
}

export function isCandidateIndex(x: readonly EligibleContent[] | CandidateIndex): x is CandidateIndex {
  return !Array.isArray(x);
}

/** Above any Candidate.order: scoreKey packs the order below the score's cents. */
export const ORDER_LIMIT = 2 ** 24;

export function candidateIndex(items: readonly EligibleContent[]): CandidateIndex {
  if (items.length > ORDER_LIMIT) throw new Error(`${items.length} candidates are more than the ranker can order`);
  const byId = new Map<string, Candidate>();
  const all: Candidate[] = [];
  const topicCodes = new Map<string, number>();
  const mainTopics: string[] = [];
  const byKey = new Map<string, number>();
  const combos: Combo[] = [];
  const combosByTopic = new Map<Topic, number[]>();
  const topicCounts = new Map<Topic, number>();
  for (const item of items) {
    const key = item.topics.join(',');
    let k = byKey.get(key);
    if (k === undefined) {
      byKey.set(key, (k = combos.length));
      combos.push({ topics: item.topics, mainTopic: item.topics[0] ?? '', members: [] });
      for (const t of new Set(item.topics)) (combosByTopic.get(t) ?? combosByTopic.set(t, []).get(t)!).push(k);
    }
    const mainTopic = item.topics[0] ?? '';
    let topicCode = topicCodes.get(mainTopic);
    if (topicCode === undefined) topicCodes.set(mainTopic, (topicCode = mainTopics.push(mainTopic) - 1));
    const c: Candidate = { item, publishedAt: Date.parse(item.publishedAt), idOrder: Number(item.id), mainTopic, topicCode, order: 0, combo: k };
    byId.set(item.id, c);
    all.push(c);
    combos[k]!.members.push(c);
    for (const t of new Set(item.topics)) topicCounts.set(t, (topicCounts.get(t) ?? 0) + 1);
  }
  all.sort((a, b) => a.publishedAt - b.publishedAt || a.idOrder - b.idOrder).forEach((c, i) => (c.order = i));
  return { kind: 'candidate-index', byId, combos, combosByTopic, topicCounts, mainTopics };
}

const DAY = 86_400_000;
/** Bounds are computed for a minute before the request that needs them and kept for two. */
const BOUNDS_LEAD_MS = 60_000;
const BOUNDS_LIFE_MS = 120_000;

/** Freshness + priority as scored at `at` (feedRanker.ts scoreOf: the same formula). */
export function freshnessAndPriority(c: Candidate, at: number): number {
  return W.freshness * Math.pow(2, -(Math.max(0, at - c.publishedAt) / DAY) / W.freshHalfLifeDays) + W.priority * (c.item.priority / 100);
}

/** Bounds valid at `now` (kept on the index and shared by the requests of the next minutes). */
export function boundsAt(index: CandidateIndex, now: number): Bounds {
  const b = index.bounds;
  if (b && b.at <= now && now - b.at < BOUNDS_LIFE_MS) return b;
  const at = now - BOUNDS_LEAD_MS;
  const combos = index.combos.map((combo) => {
    const scored = combo.members.map((c) => ({ c, v: freshnessAndPriority(c, at) })).sort((x, y) => y.v - x.v);
    return { members: scored.map((s) => s.c), base: Float64Array.from(scored, (s) => s.v) };
  });
  const order = [...combos.keys()].sort((a, b) => combos[b]!.base[0]! - combos[a]!.base[0]!);
  return (index.bounds = { at, combos, order });
}

export interface PopularityRuns {
  /** The highest score (0 when none). */
  max: number;
  /** Candidates with a positive score, by score (highest first); each run has one score. */
  runs: Candidate[][];
}

const runsMemo = new WeakMap<CandidateIndex, WeakMap<Popularity, PopularityRuns>>();

export function popularityRuns(pop: Popularity, index: CandidateIndex): PopularityRuns {
  let perIndex = runsMemo.get(index);
  if (!perIndex) runsMemo.set(index, (perIndex = new WeakMap()));
  let r = perIndex.get(pop);
  if (!r) {
    let max = 0;
    for (const v of pop.scores.values()) if (v > max) max = v;
    const scored = [...pop.scores].filter(([id, v]) => v > 0 && index.byId.has(id)).sort((a, b) => b[1] - a[1]);
    const runs: Candidate[][] = [];
    let last: number | undefined;
    for (const [id, v] of scored) {
      if (v !== last) runs.push([]);
      last = v;
      runs[runs.length - 1]!.push(index.byId.get(id)!);
    }
    perIndex.set(pop, (r = { max, runs }));
  }
  return r;
}
