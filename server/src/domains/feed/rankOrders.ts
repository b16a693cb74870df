/**
 * The lists the ranking interleaves (feedRanker.ts), pulled only as far as it reaches: the
 * candidates in score order (RankedList: combos walked by bound, items scored exactly as they are
 * reached) and the cluster's popular items (ExploreList: one run of equal popularity at a time,
 * ordered by score), each searched for the first entry not used yet.
 *
 * A ranking can be kept between requests (rankingCache.ts). Between two passes only scores fall
 * (an item shown again without a click); `rescored` moves such an item to where it now belongs:
 * within what was pulled when it still ranks above everything not pulled, else back to what is
 * still to be pulled. Each pass (restart) searches the lists from the top again.
 */
import type { ClusterLevel } from '@hcp360/shared';
import type { Popularity } from './feedRanker.js';
import { FEED_WEIGHTS as W } from './feedWeights.js';
import { MinHeap } from './minHeap.js';
import { boundsAt, popularityRuns, type Candidate } from './rankIndexes.js';
import { byScore, type Ranking, type Scored } from './rankScoring.js';

/**
 * A list in rank order pulled on demand, searched for the first entry not used yet (whose main
 * topic is not `t`). Within a pass entries only ever become used and the list only grows at its
 * end, so each search resumes where the last one with the same question stopped.
 */
export abstract class Stream {
  protected readonly entries: Scored[] = [];
  protected done = false;
  private fromAny = 0;
  private readonly fromNot = new Map<string, number>();

  constructor(protected readonly r: Ranking) {}

  /** The next entry of the list, or undefined at its end. */
  protected abstract pull(): Scored | undefined;

  /** A candidate's score fell from `before` (if it had been scored) to `after`. */
  abstract rescored(before: Scored | undefined, after: Scored): void;

  /** A new pass: searches start from the top again. */
  restart(): void {
    this.fromAny = 0;
    if (this.fromNot.size) this.fromNot.clear();
  }

  private has(i: number): boolean {
    while (i >= this.entries.length && !this.done) {
      const s = this.pull();
      if (s) this.entries.push(s);
      else this.done = true;
    }
    return i < this.entries.length;
  }

  /** The first entry not used (whose main topic is not `notTopic`); undefined when there is none. */
  firstFree(notTopic: string | null): Scored | undefined {
    return this.firstFreeWithin(notTopic, Infinity) as Scored | undefined;
  }

  /** firstFree, or `gaveUp` when finding out would pull more than `pullAtMost` further entries. */
  firstFreeWithin(notTopic: string | null, pullAtMost: number): Scored | undefined | 'gaveUp' {
    let i = notTopic === null ? this.fromAny : (this.fromNot.get(notTopic) ?? 0);
    const stop = this.entries.length + pullAtMost;
    for (; i < stop && this.has(i); i++) {
      const s = this.entries[i]!;
      if (!this.r.isUsed(s) && (notTopic === null || s.mainTopic !== notTopic)) break;
    }
    if (notTopic === null) this.fromAny = i;
    else this.fromNot.set(notTopic, i);
    if (i >= stop && !this.done) return 'gaveUp';
    return this.entries[i];
  }
}

/** How far the ranked list is pulled looking for another main topic before that search gets its own walk. */
const LOOK_AHEAD = 16;

/**
 * The ranked candidates, searched the same way. "Not of main topic t" is looked for a little way
 * down the ranked list; past that it gets its own walk of the combos whose main topic is not t, so
 * a doctor whose top hundreds share one topic does not score them all to find one of another.
 */
export class RankedStreams {
  private readonly all: RankedList;
  private readonly notOf = new Map<string, RankedList>();

  constructor(private readonly r: Ranking) {
    this.all = new RankedList(r, null);
  }

  firstFree(notTopic: string | null): Scored | undefined {
    if (notTopic === null) return this.all.firstFree(null);
    let own = this.notOf.get(notTopic);
    if (!own) {
      const near = this.all.firstFreeWithin(notTopic, LOOK_AHEAD);
      if (near !== 'gaveUp') return near;
      this.notOf.set(notTopic, (own = new RankedList(this.r, notTopic)));
    }
    // Every entry of that walk has another main topic: search it as a plain list.
    return own.firstFree(null);
  }

  restart(): void {
    this.all.restart();
    for (const list of this.notOf.values()) list.restart();
  }

  rescored(before: Scored | undefined, after: Scored): void {
    this.all.rescored(before, after);
    for (const list of this.notOf.values()) list.rescored(before, after);
  }
}

/**
 * Above any total an item not yet scored can have: its combo's affinity part plus its freshness
 * and priority a minute ago, plus what rounding to cents and summing in another order can add.
 */
const ROUNDING_SLACK = 0.006;

/**
 * The doctor's candidates (those whose main topic is not `notMain`) in score order (byScore),
 * pulled one at a time: combos walked by bound, items scored exactly as they are reached, and an
 * item handed on once no bound left reaches its score. Combos touching an interest start in the
 * walk; the others (freshness and priority only, the same order for everyone) join it in the
 * order of their best member, as the walk reaches them. Special candidates (read, shown too
 * often, rescored) are not walked: they wait in `exact` with their score.
 */
class RankedList extends Stream {
  private readonly bounds;
  private readonly interest: Uint8Array | undefined;
  /**
   * The walk's cursors, one per combo in it: the combo's next member to score and the bound of
   * what is left of it, in arrays (a kept ranking keeps its walk: a few numbers a combo, no object
   * each). The heap holds combo indexes; -1 stands for the next combo touching no interest.
   */
  private readonly next: Int32Array;
  private readonly bound: Float64Array;
  private walkBound = -Infinity;
  private readonly cursors: MinHeap<number>;
  private readonly exact: MinHeap<Scored>;
  private walked = 0;

  constructor(
    r: Ranking,
    private readonly notMain: string | null,
  ) {
    super(r);
    const { index, input } = r;
    this.bounds = boundsAt(index, input.now);
    this.interest = input.topic ? undefined : r.interestCombos();
    this.next = new Int32Array(index.combos.length);
    this.bound = new Float64Array(index.combos.length);
    const first: number[] = [];
    if (input.topic) {
      for (const k of index.combosByTopic.get(input.topic) ?? []) if (this.wantsCombo(k)) first.push(this.start(k));
    } else {
      for (let k = 0; k < this.interest!.length; k++) if (this.interest![k] && this.wantsCombo(k)) first.push(this.start(k));
    }
    this.cursors = new MinHeap<number>((a, b) => this.boundOf(b) - this.boundOf(a), first);
    const special: Scored[] = [];
    for (const c of r.specials()) if (this.wants(c)) special.push(r.scored(c));
    this.exact = new MinHeap<Scored>(byScore, special);
    if (!input.topic) this.walkOn();
  }

  private wantsCombo(k: number): boolean {
    return this.notMain === null || this.r.index.combos[k]!.mainTopic !== this.notMain;
  }

  private wants(c: Candidate): boolean {
    const { topic } = this.r.input;
    return this.wantsCombo(c.combo) && (!topic || c.item.topics.includes(topic));
  }

  /** Above any total its members from `next[k]` on can have: the combo's affinity part plus their freshness and priority a minute ago. */
  private boundAt(k: number): number {
    return W.affinity * this.r.comboMatch(k) + this.bounds.combos[k]!.base[this.next[k]!]! + ROUNDING_SLACK;
  }

  /** Combo k joins the walk at its first member. */
  private start(k: number): number {
    this.bound[k] = this.boundAt(k);
    return k;
  }

  private boundOf(k: number): number {
    return k < 0 ? this.walkBound : this.bound[k]!;
  }

  /** The next combo touching no interest, as a cursor standing for it (combo -1). */
  private walkOn(): void {
    const order = this.bounds.order;
    while (this.walked < order.length && (this.interest![order[this.walked]!] || !this.wantsCombo(order[this.walked]!))) this.walked++;
    if (this.walked < order.length) {
      this.walkBound = this.bounds.combos[order[this.walked]!]!.base[0]! + ROUNDING_SLACK;
      this.cursors.push(-1);
    }
  }

  protected pull(): Scored | undefined {
    const { r, cursors, exact } = this;
    for (;;) {
      const top = cursors.peek();
      const best = exact.peek();
      if (top === undefined || (best && best.total > this.boundOf(top))) {
        const s = exact.pop();
        // A rescored candidate's old score stays in the heap until it comes up: skip it.
        if (s && !r.isCurrent(s)) continue;
        return s;
      }
      cursors.pop();
      if (top < 0) {
        cursors.push(this.start(this.bounds.order[this.walked++]!));
        this.walkOn();
        continue;
      }
      const { members } = this.bounds.combos[top]!;
      const c = members[this.next[top]!]!;
      if (!r.isSpecial(c)) exact.push(r.scored(c));
      if (++this.next[top]! < members.length) {
        this.bound[top] = this.boundAt(top);
        cursors.push(top);
      }
    }
  }

  rescored(before: Scored | undefined, after: Scored): void {
    if (!this.wants(after.c)) return;
    const { entries } = this;
    const at = before ? indexOfSorted(entries, before, 0, entries.length) : -1;
    if (at >= 0) {
      entries.splice(at, 1);
      // Still above the last entry pulled, so above everything not pulled: its place is in the list.
      const last = entries[entries.length - 1];
      if (last && byScore(after, last) < 0) return insertSorted(entries, after, at);
    }
    // Not pulled yet (or now below the last pulled): it comes up from `exact` in its place.
    this.exact.push(after);
    this.done = false;
  }
}

/**
 * Unread candidates popular in `pop`, by popularity, one run of equal popularity at a time, each
 * run ordered by score.
 */
class PopularRuns {
  private next = 0;
  private readonly runs: Candidate[][];

  constructor(
    private readonly r: Ranking,
    private readonly pop: Popularity,
    private readonly skip: (c: Candidate) => boolean,
    /** The cluster level its items are explored at. */
    readonly level: ClusterLevel,
  ) {
    this.runs = popularityRuns(pop, r.index).runs;
  }

  popularityOf(c: Candidate): number | undefined {
    return this.pop.scores.get(c.item.id);
  }

  nextRun(): Scored[] | undefined {
    const { input } = this.r;
    while (this.next < this.runs.length) {
      const run: Scored[] = [];
      for (const c of this.runs[this.next++]!) {
        if ((input.topic && !c.item.topics.includes(input.topic)) || (input.reads.size && input.reads.has(c.item.id)) || this.skip(c)) continue;
        run.push(this.r.scored(c));
      }
      if (run.length) return run.sort(byScore);
    }
    return undefined;
  }
}

/**
 * The exploration list: the runs of its sources in turn (the cluster's popular items; at cold
 * start then everyone's that the cluster has not), pulled one entry at a time.
 */
export class ExploreList extends Stream {
  /** The run being pulled: its members in order, and the next one to hand on. */
  private open: Scored[] = [];
  private openAt = 0;
  /** The popularity every member of the open run has in its source. */
  private openPopularity: number | undefined;
  /** Where each pulled run starts in `entries` and its level, and the run of each pulled candidate. */
  private readonly starts: number[] = [];
  private readonly levels: ClusterLevel[] = [];
  private readonly runOf = new Map<Candidate, number>();
  private source = 0;

  constructor(
    r: Ranking,
    private readonly sources: PopularRuns[],
  ) {
    super(r);
  }

  /** Sources in turn, each with the level its items are explored at. */
  static of(r: Ranking, sources: { pop: Popularity; skip: (c: Candidate) => boolean; level: ClusterLevel }[]): ExploreList {
    return new ExploreList(
      r,
      sources.map((s) => new PopularRuns(r, s.pop, s.skip, s.level)),
    );
  }

  protected pull(): Scored | undefined {
    while (this.openAt >= this.open.length) {
      const run = this.source < this.sources.length ? this.sources[this.source]!.nextRun() : undefined;
      if (!run) {
        if (++this.source >= this.sources.length) return undefined;
        continue;
      }
      this.open = run;
      this.openAt = 0;
      this.openPopularity = this.sources[this.source]!.popularityOf(run[0]!.c);
      this.starts.push(this.entries.length);
      this.levels.push(this.sources[this.source]!.level);
    }
    const s = this.open[this.openAt++]!;
    this.runOf.set(s.c, this.starts.length - 1);
    return s;
  }

  /** The level an entry of this list is explored at. */
  levelOf(s: Scored): ClusterLevel {
    return this.levels[this.runOf.get(s.c)!]!;
  }

  rescored(before: Scored | undefined, after: Scored): void {
    if (!before) return; // never reached: it is scored as it is now when its run comes up
    const { entries, open } = this;
    const run = this.runOf.get(before.c);
    if (run === undefined) {
      // Not handed on: in the run being pulled (its popularity says whether it can be), or not reached.
      const source = this.sources[this.source];
      const at = source && source.popularityOf(before.c) === this.openPopularity ? open.indexOf(before, this.openAt) : -1;
      if (at >= 0) {
        open.splice(at, 1);
        insertSorted(open, after, this.openAt);
      }
      return;
    }
    const start = this.starts[run]!;
    const end = run + 1 < this.starts.length ? this.starts[run + 1]! : entries.length;
    const at = indexOfSorted(entries, before, start, end);
    entries.splice(at, 1);
    // The run being pulled: below a member not handed on yet, it goes back among those.
    if (run === this.starts.length - 1 && this.openAt < open.length && byScore(after, open[this.openAt]!) > 0) {
      this.runOf.delete(after.c);
      insertSorted(open, after, this.openAt);
      return;
    }
    entries.splice(at, 0, after);
    // Its score only fell: it moves towards the end of its run.
    for (let i = at; i + 1 < end && byScore(entries[i]!, entries[i + 1]!) > 0; i++) [entries[i], entries[i + 1]] = [entries[i + 1]!, entries[i]!];
  }
}

/** The first index in `list[from, to)`, which is sorted by byScore, whose entry is not before `s`. */
function lowerBound(list: readonly Scored[], s: Scored, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byScore(list[mid]!, s) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Where `s` is in `list[from, to)`, which is sorted by byScore, or -1. byScore orders any two
 * scores (the id breaks ties), so a binary search finds it without reading the whole list.
 */
function indexOfSorted(list: readonly Scored[], s: Scored, from: number, to: number): number {
  const at = lowerBound(list, s, from, to);
  return at < to && list[at] === s ? at : -1;
}

/** Inserts `s` into `list`, sorted by byScore from `from` on, in its place. */
function insertSorted(list: Scored[], s: Scored, from: number): void {
  list.splice(lowerBound(list, s, from, list.length), 0, s);
}
