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
 * cost). The score objects (Scored) are read only for the entries a page shows.
 */
export class Ranking {
  /** Per combo (index into index.combos): its interest match (NaN until worked out) and strongest topic. */
  private readonly matches: Float64Array;
  private readonly bests: (Topic | undefined)[];
  /** Each scored candidate's sid, by content id (a rescore is told ids: one lookup, not the candidate's and then its sid). */
  private readonly sids = new Map<string, number>();
  /**
   * Per sid: the score, its sort key (scoreKey), its candidate's main topic code, and how often it
   * was rescored (a heap entry made before that is left behind: heaps.ts).
   */
  readonly scores: Scored[] = [];
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
    const s = new Scored(c, this);
    const sid = this.scores.push(s) - 1;
    this.keys.push(s.key);
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
   * place: the same sid and Scored (and the entries made for it, whose reasons do not depend on
   * impressions), its impression penalty worked out again, a new key and generation. Returns the
   * key it had. From now on it is special (see specials). `unclicked`: the item's count as the
   * input has it now, when the caller has it at hand.
   */
  rescore(sid: number, unclicked?: number): number {
    const before = this.keys[sid]!;
    const s = this.scores[sid]!;
    s.impressionsMoved(unclicked);
    this.keys[sid] = s.key;
    this.gens[sid]!++;
    this.specials();
    this.markSpecial(sid);
    return before;
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

export class Scored {
  /**
   * The score's parts as of the last compute() or impressionsMoved(): a rescore works them out
   * again in place (the score of a kept ranking is long-lived, and a new object per rescore
   * outlived the young generation).
   */
  match = 0;
  freshness = 0;
  readPenalty = 0;
  impressionPenalty = 0;
  /** The rounded total, as ordered and shown. */
  total = 0;
  /** The rank order as one number (scoreKey). */
  key = 0;

  constructor(
    readonly c: Candidate,
    private readonly r: Ranking,
  ) {
    this.compute();
  }

  /** Works the score out from the ranking's input as it is now. */
  compute(): void {
    const { c, r } = this;
    const { input } = r;
    this.match = r.comboMatch(c.combo);
    const ageDays = Math.max(0, input.now - c.publishedAt) / DAY;
    const read = input.reads.size ? input.reads.get(c.item.id) : undefined;
    const deep = read ? read.maxDwellMs >= W.deepReadDwellMs && read.maxDepth >= W.deepReadDepth : false;
    this.freshness = W.freshness * Math.pow(2, -ageDays / W.freshHalfLifeDays);
    this.readPenalty = read ? W.readPenalty * (deep ? 1 : W.shallowReadFactor) : 0;
    this.impressionsMoved();
  }

  /**
   * The impression penalty and the total, from the input's unclicked impressions of this item as
   * they are now (`unclicked`, when the caller has counted them already). A rescore calls only
   * this: nothing else of a kept ranking's input moves (any other change makes a new ranking).
   */
  impressionsMoved(unclicked?: number): void {
    const { unclickedImpressions } = this.r.input;
    this.impressionPenalty = impressionPenaltyFor(unclicked ?? (unclickedImpressions.size ? (unclickedImpressions.get(this.c.item.id) ?? 0) : 0));
    const cents = Math.round((this.affinity + this.freshness + this.priority - this.readPenalty - this.impressionPenalty) * 100);
    this.total = cents / 100;
    this.key = scoreKey(cents, this.c);
  }

  get item(): EligibleContent {
    return this.c.item;
  }
  get affinity(): number {
    return W.affinity * this.match;
  }
  get priority(): number {
    return W.priority * (this.c.item.priority / 100);
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
