/**
 * One ranking's scoring (feedRanker.ts): each candidate's score for this doctor, worked out once
 * per ranking and only for the candidates the ranking reaches, per the formula in feedWeights.ts.
 * Interest matches are worked out per combo (items with the same topics), once.
 */
import type { FeedScoreBreakdown, Topic } from '@hcp360/shared';
import type { EligibleContent } from '../content/eligibility.js';
import type { RankedEntry, RankInput } from './feedRanker.js';
import { FEED_WEIGHTS as W } from './feedWeights.js';
import { popularityRuns, type Candidate, type CandidateIndex } from './rankIndexes.js';

const DAY = 86_400_000;

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
 */
export class Ranking {
  /** Per combo (index into index.combos): its interest match (NaN until worked out) and strongest topic. */
  private readonly matches: Float64Array;
  private readonly bests: (Topic | undefined)[];
  private readonly scores = new Map<Candidate, Scored>();
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

  /** The candidate's score for this doctor (made once, until rescored). */
  scored(c: Candidate): Scored {
    let s = this.scores.get(c);
    if (!s) this.scores.set(c, (s = new Scored(c, this)));
    return s;
  }

  /** The candidate's score if this ranking has made it. */
  scoredIfAny(c: Candidate): Scored | undefined {
    return this.scores.get(c);
  }

  /** Whether `s` is still the candidate's score (a rescored candidate's old score is not). */
  isCurrent(s: Scored): boolean {
    return this.scores.get(s.c) === s;
  }

  /**
   * The candidate scored again from the input as it is now (its impressions moved): its new score.
   * From now on it is special (see specials).
   */
  rescore(c: Candidate): Scored {
    const after = new Scored(c, this);
    this.scores.set(c, after);
    this.specials();
    this.special!.add(c);
    return after;
  }

  private special: Set<Candidate> | undefined;
  /**
   * The candidates this doctor read or was shown too often without a click: they score below what
   * their combo's bound says, so they are scored and placed one by one instead of walked.
   */
  specials(): Iterable<Candidate> {
    if (!this.special) {
      const special = (this.special = new Set());
      const mark = (id: string) => {
        const c = this.index.byId.get(id);
        if (c) special.add(c);
      };
      for (const id of this.input.reads.keys()) mark(id);
      for (const [id, n] of this.input.unclickedImpressions) if (n > W.freeImpressions) mark(id);
    }
    return this.special;
  }

  isSpecial(c: Candidate): boolean {
    return this.special!.has(c);
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

  private pass = 1;

  /** Another pass of the interleaving: nothing used yet. */
  newRun(): void {
    this.pass++;
  }

  isUsed(s: Scored): boolean {
    return s.usedIn === this.pass;
  }

  use(s: Scored): void {
    s.usedIn = this.pass;
  }
}

export class Scored {
  readonly match: number;
  readonly freshness: number;
  readonly readPenalty: number;
  readonly impressionPenalty: number;
  /** The rounded total, as ordered and shown. */
  readonly total: number;
  /**
   * The pass of the interleaving that used this candidate (Ranking.use). The lists hold only a
   * candidate's current score, so marking the score marks the candidate.
   */
  usedIn = 0;
  /** The candidate's main topic (read on every step of a pass, so kept beside the score). */
  readonly mainTopic: string;
  /** Its entries in a ranked slot and in an exploration slot, once made (feedRanker.ts). */
  ranked: RankedEntry | undefined;
  explored: RankedEntry | undefined;

  constructor(
    readonly c: Candidate,
    private readonly r: Ranking,
  ) {
    const { input } = r;
    const id = c.item.id;
    this.mainTopic = c.mainTopic;
    this.match = r.comboMatch(c.combo);
    const ageDays = Math.max(0, input.now - c.publishedAt) / DAY;
    const read = input.reads.size ? input.reads.get(id) : undefined;
    const deep = read ? read.maxDwellMs >= W.deepReadDwellMs && read.maxDepth >= W.deepReadDepth : false;
    const unclicked = input.unclickedImpressions.size ? (input.unclickedImpressions.get(id) ?? 0) : 0;
    this.freshness = W.freshness * Math.pow(2, -ageDays / W.freshHalfLifeDays);
    this.readPenalty = read ? W.readPenalty * (deep ? 1 : W.shallowReadFactor) : 0;
    this.impressionPenalty = impressionPenaltyFor(unclicked);
    this.total = round2(this.affinity + this.freshness + this.priority - this.readPenalty - this.impressionPenalty);
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

/** Higher total first, then newer, then the larger id. */
export const byScore = (a: Scored, b: Scored) => b.total - a.total || b.c.publishedAt - a.c.publishedAt || b.c.idOrder - a.c.idOrder;
