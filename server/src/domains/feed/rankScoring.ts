/**
 * One ranking's scoring (feedRanker.ts): each candidate's score for this doctor, worked out once
 * per ranking and only for the candidates the ranking reaches, per the formula in feedWeights.ts.
 * Interest matches are worked out per combo (items with the same topics), once.
 */
import type { FeedScoreBreakdown, Topic } from '@hcp360/shared';
import type { EligibleContent } from '../content/eligibility.js';
import type { RankedEntry, RankInput } from './feedRanker.js';
import { FEED_WEIGHTS as W } from './feedWeights.js';
import { ORDER_LIMIT, popularityRuns, type Candidate, type CandidateIndex } from './rankIndexes.js';

const DAY = 86_400_000;
/** Slots of a pass's set of used sids to begin with (a first page uses about 21; it grows when needed). */
const USED_SET_SIZE = 64;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The penalty of an item shown `unclicked` times since the doctor last opened it. */
export const impressionPenaltyFor = (unclicked: number) => Math.min(W.impressionPenaltyMax, W.impressionPenalty * Math.max(0, unclicked - W.freeImpressions));

const scratch: number[] = [];
/** matchOf's second answer (module scratch: it is called for hundreds of combos per request). */
let bestTopicOfLast: Topic | undefined;

/**
 * The interest match of `topics`: the strongest affinity among them plus SECONDARY_MATCH × the
 * others (summed strongest first), at most 1; the strongest topic (the first of equals) is left
 * in bestTopicOfLast.
 */
function matchOf(topics: readonly Topic[], affinities: Map<string, number>): number {
  let bestTopic: Topic | undefined;
  let bestA = -Infinity;
  for (let i = 0; i < topics.length; i++) {
    const a = affinities.get(topics[i]!) ?? 0;
    scratch[i] = a;
    if (a > bestA) (bestA = a), (bestTopic = topics[i]);
  }
  let rest = 0;
  if (topics.length > 1) {
    const n = topics.length;
    for (let i = 1; i < n; i++) {
      const v = scratch[i]!;
      let j = i - 1;
      while (j >= 0 && scratch[j]! < v) (scratch[j + 1] = scratch[j]!), j--;
      scratch[j + 1] = v;
    }
    for (let i = 1; i < n; i++) rest = rest + scratch[i]!;
  }
  bestTopicOfLast = topics.length && bestA > 0 ? bestTopic : undefined;
  return Math.min(1, (topics.length ? bestA : 0) + W.secondaryMatch * rest);
}

/**
 * One ranking: its inputs and what it worked out per combo and per candidate, for the candidates
 * it reaches. A ranking can outlive a request (rankingCache.ts keeps a doctor's for the next
 * ones): `rescore` gives a candidate its score again after its impression count moved, and `newRun`
 * starts another pass of the interleaving (feedRanker.ts) with nothing used.
 *
 * Each candidate scored gets a number (a sid, 0, 1, 2, …, kept through rescores), and the lists
 * and heaps of rankOrders.ts hold sids. What a pass reads of a score, its sort key and its main
 * topic, is kept here in arrays indexed by sid, and the sids a pass used in a small set: a pass
 * then reads a few dense arrays instead of an object per entry spread over the heap (a kept
 * ranking is cold in the cache when its doctor comes back, and those reads were most of a pass's
 * cost). A score is kept as numbers in those arrays, not as an object: kept rankings outlive
 * scavenges, and an object with its numbers boxed was about 180 bytes a score copied by each.
 * Scored is a view of one made when its parts are read (a page's reasons, a preview).
 */
export class Ranking {
  /** Per combo (index into index.combos): its interest match (NaN until worked out) and strongest topic. */
  private readonly matches: Float64Array;
  private readonly bests: (Topic | undefined)[];
  /** Each scored candidate's sid, by content id (a rescore is told ids: one lookup, not the candidate's and then its sid). */
  private readonly sids = new Map<string, number>();
  /**
   * Per sid: the candidate, its rounded total and impression penalty, its sort key (scoreKey), its
   * main topic code, and how often it was rescored (a heap entry made before that is left behind:
   * heaps.ts).
   */
  readonly cands: Candidate[] = [];
  readonly totals: number[] = [];
  readonly penalties: number[] = [];
  readonly keys: number[] = [];
  readonly topics: number[] = [];
  readonly gens: number[] = [];
  /** Per sid: its entry in a ranked slot and in an exploration slot, once made (feedRanker.ts). */
  readonly ranked: (RankedEntry | undefined)[] = [];
  readonly explored: (RankedEntry | undefined)[] = [];
  readonly maxPopularity: number;

  constructor(
    readonly index: CandidateIndex,
    readonly input: RankInput,
  ) {
    this.maxPopularity = popularityRuns(input.cluster, index).max;
    this.matches = new Float64Array(index.combos.length).fill(NaN);
    this.bests = new Array<Topic | undefined>(index.combos.length);
  }

  comboMatch(k: number): number {
    let m = this.matches[k]!;
    if (Number.isNaN(m)) {
      this.matches[k] = m = matchOf(this.index.combos[k]!.topics, this.input.affinities);
      this.bests[k] = bestTopicOfLast;
    }
    return m;
  }

  bestTopicOf(k: number): Topic | undefined {
    return this.bests[k];
  }

  /** Candidate `c`, not scored yet, scored for this doctor as it is now, under a new sid. */
  scoreNew(c: Candidate): number {
    const sid = this.cands.push(c) - 1;
    this.totals.push(0);
    this.penalties.push(0);
    this.keys.push(0);
    this.score(sid);
    this.topics.push(c.topicCode);
    this.gens.push(0);
    this.ranked.push(undefined);
    this.explored.push(undefined);
    this.special.push(0);
    this.sids.set(c.item.id, sid);
    return sid;
  }

  /** The candidate's score for this doctor (made once; a rescore keeps the sid): its sid. */
  scored(c: Candidate): number {
    return this.sids.get(c.item.id) ?? this.scoreNew(c);
  }

  /** The sid of the candidate with content id `id` if this ranking has scored it, else -1. */
  sidOf(id: string): number {
    return this.sids.get(id) ?? -1;
  }

  /**
   * Scored candidate `sid` scored again from the input as it is now (its impressions moved), in
   * place: the same sid (and the entries made for it, whose reasons do not depend on
   * impressions), its impression penalty and total worked out again, a new key and generation. Returns the
   * key it had. From now on it is special (see specials). `unclicked`: the item's count as the
   * input has it now, when the caller has it at hand.
   */
  rescore(sid: number, unclicked?: number): number {
    const before = this.keys[sid]!;
    this.score(sid, unclicked);
    this.gens[sid]!++;
    this.specials();
    this.markSpecial(sid);
    return before;
  }

  /**
   * Works out score `sid` from the input as it is now: its total, impression penalty and key.
   * `unclicked`: the item's count of unclicked impressions, when the caller has it at hand.
   */
  private score(sid: number, unclicked?: number): void {
    const c = this.cands[sid]!;
    const { unclickedImpressions } = this.input;
    const penalty = impressionPenaltyFor(unclicked ?? (unclickedImpressions.size ? (unclickedImpressions.get(c.item.id) ?? 0) : 0));
    const cents = Math.round((W.affinity * this.comboMatch(c.combo) + this.freshnessOf(c) + priorityOf(c) - this.readPenaltyOf(c) - penalty) * 100);
    this.totals[sid] = cents / 100;
    this.penalties[sid] = penalty;
    this.keys[sid] = scoreKey(cents, c);
  }

  /** Candidate `c`'s freshness at the ranking's time. */
  freshnessOf(c: Candidate): number {
    const ageDays = Math.max(0, this.input.now - c.publishedAt) / DAY;
    return W.freshness * Math.pow(2, -ageDays / W.freshHalfLifeDays);
  }

  /** What the doctor's reading of `c` takes off its score (0 when unread). */
  readPenaltyOf(c: Candidate): number {
    const { reads } = this.input;
    const read = reads.size ? reads.get(c.item.id) : undefined;
    if (!read) return 0;
    const deep = read.maxDwellMs >= W.deepReadDwellMs && read.maxDepth >= W.deepReadDepth;
    return W.readPenalty * (deep ? 1 : W.shallowReadFactor);
  }

  /** Score `sid`'s parts, as a view made now (read for a page's reasons and a preview's breakdown). */
  scoreOf(sid: number): Scored {
    return new Scored(this, sid);
  }

  /** Per sid: 1 when its candidate is special (see specials), else 0. */
  private readonly special: number[] = [];
  private specialSids: number[] | undefined;

  /**
   * The scores (sids) of the candidates this doctor read or was shown too often without a click,
   * and of those rescored since: they score below what their combo's bound says, so they are
   * scored and placed one by one instead of walked. Scored when first asked for.
   */
  specials(): readonly number[] {
    if (!this.specialSids) {
      this.specialSids = [];
      const mark = (id: string) => {
        const c = this.index.byId.get(id);
        if (c) this.markSpecial(this.scored(c));
      };
      for (const id of this.input.reads.keys()) mark(id);
      for (const [id, n] of this.input.unclickedImpressions) if (n > W.freeImpressions) mark(id);
    }
    return this.specialSids;
  }

  private markSpecial(sid: number): void {
    if (this.special[sid]) return;
    this.special[sid] = 1;
    this.specialSids!.push(sid);
  }

  /** Whether score `sid` is special (a flag per sid: the walk asks it of every candidate it reaches). */
  isSpecial(sid: number): boolean {
    return this.special[sid] === 1;
  }

  private interest: Uint8Array | undefined;
  /** The combos touching an interest of the doctor (an affinity above 0); the others match 0. */
  interestCombos(): Uint8Array {
    if (!this.interest) {
      this.interest = new Uint8Array(this.index.combos.length);
      for (const [t, a] of this.input.affinities) if (a > 0) for (const k of this.index.combosByTopic.get(t as Topic) ?? []) this.interest[k] = 1;
    }
    return this.interest;
  }

  /**
   * The sids the pass used, as a set open-addressed in a small array (-1 in a free slot): a pass
   * uses tens, so the set stays in the cache while the pass asks it of every entry it passes.
   */
  private used = new Int32Array(USED_SET_SIZE).fill(-1);
  private usedCount = 0;

  /** Another pass of the interleaving: nothing used yet. */
  newRun(): void {
    // A session's continuation can use hundreds (RankInput.after): the next pass starts small again.
    if (this.used.length > USED_SET_SIZE) this.used = new Int32Array(USED_SET_SIZE).fill(-1);
    else if (this.usedCount) this.used.fill(-1);
    this.usedCount = 0;
  }

  /** Whether the pass used `sid` (a candidate has one sid, so marking the sid marks the candidate). */
  isUsed(sid: number): boolean {
    const { used } = this;
    const mask = used.length - 1;
    for (let i = sid & mask; ; i = (i + 1) & mask) {
      const v = used[i]!;
      if (v === sid) return true;
      if (v === -1) return false;
    }
  }

  use(sid: number): void {
    // At most half full, so probes stay short and always reach a free slot.
    if (2 * (this.usedCount + 1) > this.used.length) {
      const old = this.used;
      this.used = new Int32Array(2 * old.length).fill(-1);
      for (const v of old) if (v !== -1) this.place(v);
    }
    if (this.place(sid)) this.usedCount++;
  }

  /** Puts `sid` in the set; false when it was there already. */
  private place(sid: number): boolean {
    const { used } = this;
    const mask = used.length - 1;
    let i = sid & mask;
    for (; used[i] !== -1; i = (i + 1) & mask) if (used[i] === sid) return false;
    used[i] = sid;
    return true;
  }
}

const priorityOf = (c: Candidate) => W.priority * (c.item.priority / 100);

/** One score's parts as of now (Ranking.scoreOf): read from its ranking, nothing kept. */
export class Scored {
  constructor(
    private readonly r: Ranking,
    private readonly sid: number,
  ) {}

  get c(): Candidate {
    return this.r.cands[this.sid]!;
  }
  get item(): EligibleContent {
    return this.c.item;
  }
  get match(): number {
    return this.r.comboMatch(this.c.combo);
  }
  get affinity(): number {
    return W.affinity * this.match;
  }
  get freshness(): number {
    return this.r.freshnessOf(this.c);
  }
  get priority(): number {
    return priorityOf(this.c);
  }
  get readPenalty(): number {
    return this.r.readPenaltyOf(this.c);
  }
  get impressionPenalty(): number {
    return this.r.penalties[this.sid]!;
  }
  /** The rounded total, as ordered and shown. */
  get total(): number {
    return this.r.totals[this.sid]!;
  }
  get bestTopic(): Topic | undefined {
    return this.r.bestTopicOf(this.c.combo);
  }

  breakdown(): FeedScoreBreakdown {
    const popularity = this.r.input.cluster.scores.get(this.c.item.id) ?? 0;
    const max = this.r.maxPopularity;
    return {
      affinity: round2(this.affinity),
      freshness: round2(this.freshness),
      priority: round2(this.priority),
      readPenalty: round2(this.readPenalty),
      impressionPenalty: round2(this.impressionPenalty),
      exploration: max > 0 ? round2(popularity / max) : 0,
      total: this.total,
    };
  }
}

/**
 * The rank order, higher first: higher total, then newer, then the larger id, as one exact number
 * (the total's cents above the candidate's place by age and id, which is below ORDER_LIMIT).
 */
const scoreKey = (cents: number, c: Candidate) => cents * ORDER_LIMIT + c.order;

/** The total (Scored.total) a sort key was made from. */
export const totalOfKey = (key: number) => Math.floor(key / ORDER_LIMIT) / 100;
