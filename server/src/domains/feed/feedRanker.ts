/**
 * Ranks one doctor's candidates into a feed. Pure: the same inputs and `now` always give the same
 * order, so it is unit-tested without a database. The score and its weights are documented in
 * feedWeights.ts; this file applies them, interleaves exploration slots, keeps at most two items
 * of one main topic in a row, and says why each item is where it is.
 *
 * It scores only what it must: a first page ranks PAGING.rankAhead entries of ~10k candidates,
 * and the candidates are scored lazily (rankOrders.ts). Items with the same topics get the same
 * interest match and freshness only decays, so an item scores at most its topics' match plus its
 * freshness and priority as of a minute ago (rankIndexes.ts keeps those per combo of topics, in
 * order, for every doctor). The ranked list walks the combos by that bound, scores items exactly
 * as it reaches them, and hands an item on once nothing not yet scored could reach it; what the
 * doctor read or was shown too often is scored up front (its bound does not hold); "not of main
 * topic t" has its own walk. The result is the exact order of ranking everything:
 * test/feedRanker.property.test.ts checks it against that (test/feedRankerReference.ts).
 */
import type { ClusterLevel, FeedReasonKind, FeedScoreBreakdown, Topic } from '@hcp360/shared';
import type { EligibleContent } from '../content/eligibility.js';
import type { ReadFacts } from '../events/eventFacts.js';
import { reasonText } from './feedReasons.js';
import { addImpressionTime, addTimeTo, packedItem, UnclickedView, type ImpressionTimes } from './impressions.js';
import { feedItemBytes, type FeedItemBytes } from './presenters.js';
import { refCode, type SnapshotRef } from './snapshots.js';
import { EXPLORATION, PAGING, REASON_RULES } from './feedWeights.js';
import { candidateIndex, isCandidateIndex, type Candidate, type CandidateIndex } from './rankIndexes.js';
import { ExploreList, NONE, RankedStreams } from './rankOrders.js';
import { impressionPenaltyFor, Ranking, type Scored } from './rankScoring.js';

const DAY = 86_400_000;

export interface Popularity {
  level: ClusterLevel;
  /** Item id → popularity score in this cluster. */
  scores: Map<string, number>;
}

export interface RankInput {
  now: number;
  /** The candidates, or an index of them built once and shared (rankIndexes.ts). */
  candidates: EligibleContent[] | CandidateIndex;
  /** Only candidates with this topic (among any of theirs). */
  topic?: Topic;
  /** Topic → decayed affinity 0–1. */
  affinities: Map<string, number>;
  reads: Map<string, ReadFacts>;
  /** Item id → how often it was shown since the doctor last opened it (within the impression window). */
  unclickedImpressions: UnclickedCounts;
  /** Popularity in the doctor's cluster after widening (放大聚类). */
  cluster: Popularity;
  /** Popularity among everyone (cold start falls back to it). */
  everyone: Popularity;
  /** How many entries to rank (at most PAGING.maxRanked). */
  maxRanked?: number;
  /**
   * Continuing a ranking (a session paging past what its snapshot holds): the ids it already
   * holds (left out), how many positions they took (exploration slots keep their places), and the
   * main topics of its last entries (the run rule carries on).
   */
  after?: { ids: ReadonlySet<string>; positions: number; lastMainTopics: readonly string[] };
}

/**
 * Item id → times shown since last opened, as the ranker reads them (a Map, or impressions.ts's
 * live view of a doctor's impression times); iterating gives the items with a count above 0.
 */
export interface UnclickedCounts extends Iterable<[string, number]> {
  get(id: string): number | undefined;
  /** 0 only when no item has a count (a fast path: `get` is then not asked). */
  readonly size: number;
}

export interface RankedEntry extends SnapshotRef {
  item: EligibleContent;
  slot: 'ranked' | 'exploration';
  reasonKind: FeedReasonKind;
  reason: string;
  /** The interest an `affinity` reason names. */
  reasonTopic?: Topic;
  /** The score's parts (made when read: a page shows ten of up to 500 entries). */
  readonly score: FeedScoreBreakdown;
  /** The entry as a page's JSON holds it (presenters.ts), made when first shown and kept with the entry. */
  readonly bytes: FeedItemBytes;
  /** The entry as a stored impression holds it (impressions.ts packedItem), made once. */
  readonly packed: string;
  /**
   * Notes that its item was shown at `at` in the doctor's impression times `times` (as
   * addImpressionTime does); the entry keeps the item's list of times, so the next page it is on
   * goes to the list without a lookup in the doctor's map.
   */
  noteShownIn(times: ImpressionTimes, at: number): void;
}

/** A doctor is cold when the feed knows nothing of their interests: no affinity, nothing read. */
export function isColdStart(affinities: Map<string, number>, reads: Map<string, ReadFacts>): boolean {
  return affinities.size === 0 && reads.size === 0;
}

/**
 * An entry of the ranking; its score parts are made when read, from the score its sid has then
 * (private fields keep it plain data). A score's entry in each kind of slot is made once
 * (Ranking.ranked, Ranking.explored): a kept ranking's next pass hands on the same entries, also
 * after a rescore (which keeps the sid, and the reason: that depends on interest, priority, age
 * and popularity, not on impressions).
 */
class Entry implements RankedEntry {
  readonly #r: Ranking;
  readonly #sid: number;
  readonly item: EligibleContent;
  reasonTopic?: Topic;
  /** The entry as a snapshot holds it (snapshots.ts): read off the entry itself, made once. */
  readonly key: number;
  readonly code: number;
  #bytes: FeedItemBytes | undefined;
  #packed: string | undefined;
  /** The item's list in the doctor's impression times `#timesOf`, once noted there (lists are changed in place, never replaced). */
  #timesOf: ImpressionTimes | undefined;
  #times: number[] | undefined;

  constructor(
    r: Ranking,
    sid: number,
    readonly slot: 'ranked' | 'exploration',
    readonly reasonKind: FeedReasonKind,
    topic: Topic | undefined,
    readonly reason: string,
  ) {
    this.#r = r;
    this.#sid = sid;
    const c = r.cands[sid]!;
    this.item = c.item;
    if (topic) this.reasonTopic = topic;
    this.key = c.idOrder;
    this.code = refCode(reasonKind, topic);
  }

  get score(): FeedScoreBreakdown {
    return this.#r.scoreOf(this.#sid).breakdown();
  }

  get bytes(): FeedItemBytes {
    return (this.#bytes ??= feedItemBytes(this.item, this.reasonKind, this.reason));
  }

  get packed(): string {
    return (this.#packed ??= packedItem(this.item.id, this.reasonKind));
  }

  noteShownIn(times: ImpressionTimes, at: number): void {
    if (this.#timesOf === times && this.#times) return addTimeTo(this.#times, at);
    this.#times = addImpressionTime(times, this.item.id, at);
    this.#timesOf = times;
  }

  /** The item's list of impression times in `times`, when this entry holds it. */
  timesIn(times: ImpressionTimes): number[] | undefined {
    return this.#timesOf === times ? this.#times : undefined;
  }

  /** Its score's sid in ranking `r`, when `r` made it; else NONE. */
  sidIn(r: Ranking): number {
    return this.#r === r ? this.#sid : NONE;
  }
}

/** The entry of score `sid` in an exploration slot of `level`. */
function explorationEntry(r: Ranking, sid: number, level: ClusterLevel): Entry {
  const kind = clusterReason(level);
  return new Entry(r, sid, 'exploration', kind, undefined, reasonText(kind));
}

/** The entry of score `sid` in a ranked slot. */
function rankedEntry(r: Ranking, sid: number, input: RankInput): Entry {
  const s = r.scoreOf(sid);
  const kind = rankedReason(s, input);
  const topic = kind === 'affinity' ? s.bestTopic : undefined;
  return new Entry(r, sid, 'ranked', kind, topic, reasonText(kind, topic));
}

function clusterReason(level: ClusterLevel): FeedReasonKind {
  return level === 'everyone' ? 'peers' : 'cluster';
}

/** Why a ranked (not exploration) item is where it is (an `affinity` reason names s.bestTopic). */
function rankedReason(s: Scored, input: RankInput): FeedReasonKind {
  if (s.match >= REASON_RULES.affinityMatch && s.bestTopic) return 'affinity';
  if (s.c.item.priority >= REASON_RULES.editorPriority) return 'editor';
  if (input.now - s.c.publishedAt <= REASON_RULES.freshDays * DAY) return 'fresh';
  if ((input.cluster.scores.get(s.c.item.id) ?? 0) > 0) return clusterReason(input.cluster.level);
  return 'picked';
}

/**
 * A doctor's ranking, kept between requests by rankingCache.ts: rank() interleaves it into a feed;
 * after the doctor was shown items again, and the input's unclickedImpressions say so, call
 * `rescore` with them, and the next rank() is what ranking afresh with that input would give.
 */
export class FeedRanking {
  private readonly r: Ranking;
  private readonly ranked: RankedStreams;
  private readonly explore: ExploreList;
  private readonly cold: boolean;
  private passes = 0;
  /**
   * Whether `top` holds the last pass from the top (no `after`), and how far it went: until a
   * score moves (rescore), the same question has the same answer. A doctor shown items still within their free
   * impressions, or already at the most the penalty takes, asks it again unchanged.
   */
  private lastPass: { valid: boolean; maxRanked: number | undefined } = { valid: false, maxRanked: undefined };
  /**
   * The list a pass from the top fills, the same array each time: kept rankings outlive scavenges,
   * and a new list per pass (held until the doctor's next request) was copied by them.
   */
  private readonly top: RankedEntry[] = [];

  constructor(readonly input: RankInput) {
    const index = isCandidateIndex(input.candidates) ? input.candidates : candidateIndex(input.candidates);
    this.r = new Ranking(index, input);
    this.cold = isColdStart(input.affinities, input.reads);
    this.ranked = new RankedStreams(this.r);
    // Exploration: the cluster's popular items (cold start: then everyone's that the cluster has not).
    const sources: { pop: Popularity; skip: (c: Candidate) => boolean; level: ClusterLevel }[] = [{ pop: input.cluster, skip: () => false, level: input.cluster.level }];
    if (this.cold && input.cluster.level !== 'everyone') {
      const inCluster = (c: Candidate) => (input.cluster.scores.get(c.item.id) ?? 0) > 0;
      sources.push({ pop: input.everyone, skip: inCluster, level: input.everyone.level });
    }
    this.explore = ExploreList.of(this.r, sources);
  }

  /**
   * The items `shown` (ids, or entries of a page: one this ranking made names its score without a
   * lookup) were shown again, and input.unclickedImpressions already counts it; those whose
   * impression penalty moved are scored again and moved in the lists.
   */
  rescore(shown: Iterable<string | RankedEntry>): void {
    const counts = this.input.unclickedImpressions;
    for (const x of shown) {
      const id = typeof x === 'string' ? x : x.item.id;
      const mine = x instanceof Entry ? x.sidIn(this.r) : NONE;
      const sid = mine !== NONE ? mine : this.r.sidOf(id);
      // Not scored yet: it is scored as it is now when the walk reaches it.
      if (sid === NONE) continue;
      // An entry that was just noted in the doctor's times holds the item's list: counted from it, no lookup.
      const list = mine !== NONE && counts instanceof UnclickedView ? (x as Entry).timesIn(counts.times) : undefined;
      const n = (list ? (counts as UnclickedView).countIn(list, id) : counts.get(id)) ?? 0;
      if (impressionPenaltyFor(n) === this.r.penalties[sid]) continue;
      this.lastPass.valid = false;
      const keyBefore = this.r.rescore(sid, n);
      this.ranked.rescored(sid, keyBefore);
      this.explore.rescored(sid, keyBefore);
    }
  }

  /**
   * The ranking's entries. A pass from the top (no `after`) fills the same list each time: it is
   * read-only, and valid until the next pass from the top (copy what is to be kept).
   */
  rank(how: Pick<RankInput, 'maxRanked' | 'after'> = {}): readonly RankedEntry[] {
    const fromTop = !how.after;
    const { lastPass } = this;
    if (fromTop && lastPass.valid && lastPass.maxRanked === how.maxRanked) return this.top;
    const { r, input, cold, ranked, explore } = this;
    const { index } = r;
    if (this.passes++ > 0) {
      r.newRun();
      ranked.restart();
      explore.restart();
    }
    let count = input.topic ? (index.topicCounts.get(input.topic) ?? 0) : index.byId.size;
    const start = how.after?.positions ?? 0;
    let last: string | undefined;
    let run = 0;
    for (const id of how.after?.ids ?? []) {
      const c = index.byId.get(id);
      if (!c || (input.topic && !c.item.topics.includes(input.topic))) continue;
      r.use(r.scored(c));
      count--;
    }
    for (const t of how.after?.lastMainTopics ?? []) {
      run = t === last ? run + 1 : 1;
      last = t;
    }
    // As a topic code; a topic no candidate has as its main topic holds back none of them.
    let lastCode = last === undefined ? NONE : index.mainTopics.indexOf(last);
    const max = Math.min(how.maxRanked ?? PAGING.maxRanked, count);
    const out = fromTop ? this.top : new Array<RankedEntry>(max);
    let n = 0;

    while (n < max) {
      const explorationSlot = cold || (start + n + 1) % EXPLORATION.every === 0;
      // No more than two items of one main topic in a row, unless nothing else is left.
      const notTopic = run >= 2 ? lastCode : NONE;
      let s = explorationSlot ? explore.firstFree(notTopic) : NONE;
      let explored = s !== NONE;
      if (!explored) s = ranked.firstFree(notTopic);
      if (s === NONE && notTopic !== NONE) {
        s = explorationSlot ? explore.firstFree(NONE) : NONE;
        explored = s !== NONE;
        if (!explored) s = ranked.firstFree(NONE);
      }
      if (s === NONE) break;
      r.use(s);
      out[n++] = explored ? (r.explored[s] ??= explorationEntry(r, s, explore.levelOf(s))) : (r.ranked[s] ??= rankedEntry(r, s, input));
      const code = r.topics[s]!;
      run = code === lastCode ? run + 1 : 1;
      lastCode = code;
    }
    // Shorter than the list was (the room stays for the next pass), or than made for.
    out.length = n;
    if (fromTop) (lastPass.valid = true), (lastPass.maxRanked = how.maxRanked);
    return out;
  }
}

export function rankFeed(input: RankInput): readonly RankedEntry[] {
  return new FeedRanking(input).rank(input);
}
