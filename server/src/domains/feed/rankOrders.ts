/**
 * The two lists the ranking interleaves, pulled only as far as it reaches: the candidates in score
 * order (rankedOrder: combos walked by bound, items scored exactly as they are reached) and the
 * cluster's popular items (popularOrder: one run of equal popularity at a time, ordered by score),
 * each searched for the first entry not used yet.
 */
import type { ClusterLevel } from '@hcp360/shared';
import type { Popularity } from './feedRanker.js';
import { FEED_WEIGHTS as W } from './feedWeights.js';
import { MinHeap } from './minHeap.js';
import { boundsAt, popularityRuns, type Candidate } from './rankIndexes.js';
import { byScore, type Ranking, type Scored } from './rankScoring.js';

export type Pick = { s: Scored; level: ClusterLevel | null };

/**
 * A list in rank order pulled on demand, searched for the first entry not used yet (whose main
 * topic is not `t`). Entries only ever become used and the list only grows at its end, so each
 * search resumes where the last one with the same question stopped.
 */
export class Stream {
  private readonly entries: Scored[] = [];
  private done = false;
  private fromAny = 0;
  private readonly fromNot = new Map<string, number>();

  constructor(
    private readonly r: Ranking,
    private readonly pull: () => Scored | undefined,
    private readonly levelOf: (s: Scored) => ClusterLevel | null,
  ) {}

  private has(i: number): boolean {
    while (i >= this.entries.length && !this.done) {
      const s = this.pull();
      if (s) this.entries.push(s);
      else this.done = true;
    }
    return i < this.entries.length;
  }

  /** The first entry not used (whose main topic is not `notTopic`); undefined when there is none. */
  firstFree(notTopic: string | null): Pick | undefined {
    return this.firstFreeWithin(notTopic, Infinity) as Pick | undefined;
  }

  /** firstFree, or `gaveUp` when finding out would pull more than `pullAtMost` further entries. */
  firstFreeWithin(notTopic: string | null, pullAtMost: number): Pick | undefined | 'gaveUp' {
    let i = notTopic === null ? this.fromAny : (this.fromNot.get(notTopic) ?? 0);
    const stop = this.entries.length + pullAtMost;
    for (; i < stop && this.has(i); i++) {
      const c = this.entries[i]!.c;
      if (!this.r.isUsed(c) && (notTopic === null || c.mainTopic !== notTopic)) break;
    }
    if (notTopic === null) this.fromAny = i;
    else this.fromNot.set(notTopic, i);
    if (i >= stop && !this.done) return 'gaveUp';
    const s = this.entries[i];
    return s && { s, level: this.levelOf(s) };
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
  private readonly all: Stream;
  private readonly notOf = new Map<string, Stream>();

  constructor(private readonly r: Ranking) {
    this.all = new Stream(r, rankedOrder(r, null), () => null);
  }

  firstFree(notTopic: string | null): Pick | undefined {
    if (notTopic === null) return this.all.firstFree(null);
    let own = this.notOf.get(notTopic);
    if (!own) {
      const near = this.all.firstFreeWithin(notTopic, LOOK_AHEAD);
      if (near !== 'gaveUp') return near;
      this.notOf.set(notTopic, (own = new Stream(this.r, rankedOrder(this.r, notTopic), () => null)));
    }
    // Every entry of that walk has another main topic: search it as a plain list.
    return own.firstFree(null);
  }
}

/**
 * Above any total an item not yet scored can have: its combo's affinity part plus its freshness
 * and priority a minute ago, plus what rounding to cents and summing in another order can add.
 */
const ROUNDING_SLACK = 0.006;

interface Cursor {
  combo: number;
  affinity: number;
  next: number;
  bound: number;
}

/**
 * The doctor's candidates (those whose main topic is not `notMain`) in score order (byScore),
 * pulled one at a time: combos walked by bound, items scored exactly as they are reached, and an
 * item handed on once no bound left reaches its score. Combos touching an interest start in the
 * walk; the others (freshness and priority only, the same order for everyone) join it in the
 * order of their best member, as the walk reaches them.
 */
function rankedOrder(r: Ranking, notMain: string | null): () => Scored | undefined {
  const { index, input } = r;
  const bounds = boundsAt(index, input.now);
  const wanted = (k: number) => notMain === null || index.combos[k]!.mainTopic !== notMain;
  const cursorOf = (k: number): Cursor => {
    const affinity = W.affinity * r.comboMatch(k);
    return { combo: k, affinity, next: 0, bound: affinity + bounds.combos[k]!.base[0]! + ROUNDING_SLACK };
  };
  const interest = input.topic ? undefined : r.interestCombos();
  const first: Cursor[] = [];
  if (input.topic) {
    for (const k of index.combosByTopic.get(input.topic) ?? []) if (wanted(k)) first.push(cursorOf(k));
  } else {
    for (let k = 0; k < interest!.length; k++) if (interest![k] && wanted(k)) first.push(cursorOf(k));
  }
  const cursors = new MinHeap<Cursor>((a, b) => b.bound - a.bound, first);
  const exact = new MinHeap<Scored>(
    byScore,
    r.specials().flatMap((c) => (wanted(c.combo) && (!input.topic || c.item.topics.includes(input.topic)) ? [r.scored(c)] : [])),
  );
  let walked = 0;
  /** The next combo touching no interest, as a cursor standing for it (combo -1). */
  const walkOn = () => {
    const order = bounds.order;
    while (walked < order.length && (interest![order[walked]!] || !wanted(order[walked]!))) walked++;
    if (walked < order.length) cursors.push({ combo: -1, affinity: 0, next: 0, bound: bounds.combos[order[walked]!]!.base[0]! + ROUNDING_SLACK });
  };
  if (!input.topic) walkOn();
  return () => {
    for (;;) {
      const top = cursors.peek();
      const best = exact.peek();
      if (!top || (best && best.total > top.bound)) return exact.pop();
      cursors.pop();
      if (top.combo < 0) {
        cursors.push(cursorOf(bounds.order[walked++]!));
        walkOn();
        continue;
      }
      const { members, base } = bounds.combos[top.combo]!;
      const c = members[top.next]!;
      if (!r.isSpecial(c)) exact.push(r.scored(c));
      if (++top.next < members.length) {
        top.bound = top.affinity + base[top.next]! + ROUNDING_SLACK;
        cursors.push(top);
      }
    }
  };
}

/** Unread candidates popular in `pop`, most popular first, equal popularity by score. */
export function popularOrder(r: Ranking, pop: Popularity, skip: (c: Candidate) => boolean): () => Scored | undefined {
  const { input } = r;
  const { runs } = popularityRuns(pop, r.index);
  let next = 0;
  let run: Scored[] = [];
  return () => {
    while (run.length === 0 && next < runs.length) {
      for (const c of runs[next++]!) {
        if ((input.topic && !c.item.topics.includes(input.topic)) || (input.reads.size && input.reads.has(c.item.id)) || skip(c)) continue;
        run.push(r.scored(c));
      }
      run = run.sort(byScore).reverse();
    }
    return run.pop();
  };
}

