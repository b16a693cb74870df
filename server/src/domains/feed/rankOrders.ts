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
import { KeyedHeap } from './heaps.js';
import { boundsAt, popularityRuns, type Candidate } from './rankIndexes.js';
import { totalOfKey, type Ranking } from './rankScoring.js';

/** No sid (rankScoring.ts: a scored candidate's number): a list's end, or a candidate not scored. */
export const NONE = -1;

/**
 * `a` with `v` put in at `at` / the entry at `at` taken out, by moving the entries after it: a
 * rescore moves an entry of a short list in each list holding it, and `splice` made an array of
 * what it removed every time.
 */
function insertInto(a: number[], at: number, v: number): void {
  let i = a.length;
  a.push(v);
  for (; i > at; i--) a[i] = a[i - 1]!;
  a[at] = v;
}

function removeFrom(a: number[], at: number): void {
  const last = a.length - 1;
  for (let i = at; i < last; i++) a[i] = a[i + 1]!;
  a.pop();
}

/**
 * A list of sids in rank order pulled on demand, searched for the first entry not used yet (whose
 * main topic is not `t`, a topic code; NONE for any). Within a pass entries only ever become used
 * and the list only grows at its end, so each search resumes where the last one with the same
 * question stopped.
 */
export abstract class Stream {
  protected readonly entries: number[] = [];
  /** Each entry's main topic code, beside it: a search reads the list, not the score behind each entry. */
  private readonly topics: number[] = [];
  /**
   * Each entry's sort key, beside it: finding a rescored entry (a binary search) reads the list,
   * not the key of each sid it probes, scattered in Ranking.keys. Only a rescore changes a key,
   * and it takes the entry out first (`rescored`), so these are the keys the entries had when put in.
   */
  private readonly keys: number[] = [];
  protected done = false;
  private fromAny = 0;
  /** Per main topic code: where the last search for another topic stopped, valid in pass `fromPass[code]`. */
  private readonly fromNot: number[] = [];
  private readonly fromPass: number[] = [];
  private pass = 0;

  constructor(protected readonly r: Ranking) {}

  /** The next entry of the list, or NONE at its end. */
  protected abstract pull(): number;

  /** Score `sid` fell from sort key `keyBefore` to its key now (Ranking.rescore). */
  abstract rescored(sid: number, keyBefore: number): void;

  /** A new pass: searches start from the top again. */
  restart(): void {
    this.fromAny = 0;
    this.pass++;
  }

  private has(i: number): boolean {
    while (i >= this.entries.length && !this.done) {
      const s = this.pull();
      if (s !== NONE) this.insertAt(this.entries.length, s);
      else this.done = true;
    }
    return i < this.entries.length;
  }

  protected insertAt(at: number, s: number): void {
    if (at === this.entries.length) {
      this.entries.push(s);
      this.topics.push(this.r.topics[s]!);
      this.keys.push(this.r.keys[s]!);
    } else {
      insertInto(this.entries, at, s);
      insertInto(this.topics, at, this.r.topics[s]!);
      insertInto(this.keys, at, this.r.keys[s]!);
    }
  }

  protected removeAt(at: number): void {
    removeFrom(this.entries, at);
    removeFrom(this.topics, at);
    removeFrom(this.keys, at);
  }

  /** The first index in [from, to) whose entry's key is not above `key` (the list is by key, highest first). */
  protected lowerBound(key: number, from: number, to: number): number {
    const { keys } = this;
    let lo = from;
    let hi = to;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! > key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Where sid `s`, put in [from, to) while its key was `keyBefore`, is, or -1. No two candidates
   * have the same key (the id breaks ties), so the search finds it without reading the whole list.
   */
  protected indexOf(s: number, keyBefore: number, from: number, to: number): number {
    const at = this.lowerBound(keyBefore, from, to);
    return at < to && this.entries[at] === s ? at : -1;
  }

  /** The key of the list's last entry (the list must not be empty). */
  protected lastKey(): number {
    return this.keys[this.keys.length - 1]!;
  }

  /** The first entry not used (whose main topic is not `notTopic`); NONE when there is none. */
  firstFree(notTopic: number): number {
    return this.firstFreeWithin(notTopic, Infinity) as number;
  }

  /** firstFree, or `gaveUp` when finding out would pull more than `pullAtMost` further entries. */
  firstFreeWithin(notTopic: number, pullAtMost: number): number | 'gaveUp' {
    const { r, entries, topics } = this;
    let i = notTopic === NONE ? this.fromAny : this.fromPass[notTopic] === this.pass ? this.fromNot[notTopic]! : 0;
    const stop = entries.length + pullAtMost;
    for (; i < stop && this.has(i); i++) {
      if ((notTopic === NONE || topics[i] !== notTopic) && !r.isUsed(entries[i]!)) break;
    }
    if (notTopic === NONE) this.fromAny = i;
    else {
      while (this.fromNot.length <= notTopic) this.fromNot.push(0), this.fromPass.push(-1);
      this.fromNot[notTopic] = i;
      this.fromPass[notTopic] = this.pass;
    }
    if (i >= stop && !this.done) return 'gaveUp';
    return i < entries.length ? entries[i]! : NONE;
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
  /** The walks of "not of main topic t" made so far, by topic code. */
  private readonly notOf = new Map<number, RankedList>();

  constructor(private readonly r: Ranking) {
    this.all = new RankedList(r, null);
  }

  firstFree(notTopic: number): number {
    if (notTopic === NONE) return this.all.firstFree(NONE);
    let own = this.notOf.get(notTopic);
    if (!own) {
      const near = this.all.firstFreeWithin(notTopic, LOOK_AHEAD);
      if (near !== 'gaveUp') return near;
      this.notOf.set(notTopic, (own = new RankedList(this.r, this.r.index.mainTopics[notTopic]!)));
    }
    // Every entry of that walk has another main topic: search it as a plain list.
    return own.firstFree(NONE);
  }

  restart(): void {
    this.all.restart();
    for (const list of this.notOf.values()) list.restart();
  }

  rescored(sid: number, keyBefore: number): void {
    this.all.rescored(sid, keyBefore);
    for (const list of this.notOf.values()) list.rescored(sid, keyBefore);
  }
}

/**
 * Above any total an item not yet scored can have: its combo's affinity part plus its freshness
 * and priority a minute ago, plus what rounding to cents and summing in another order can add.
 */
const ROUNDING_SLACK = 0.006;

/**
 * The doctor's candidates (those whose main topic is not `notMain`) in rank order (sort key),
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
   * what is left of it (the heap keeps both with the combo: a kept ranking keeps its walk, a few
   * numbers a combo, no object each). Combo -1 stands for the next combo touching no interest.
   */
  private readonly cursors: KeyedHeap;
  /** Scores waiting to be handed on: sort key, sid, and the generation it was pushed at. */
  private readonly exact = new KeyedHeap();
  private walked = 0;

  constructor(
    r: Ranking,
    private readonly notMain: string | null,
  ) {
    super(r);
    const { index, input } = r;
    this.bounds = boundsAt(index, input.now);
    this.interest = input.topic ? undefined : r.interestCombos();
    this.cursors = new KeyedHeap();
    if (input.topic) {
      for (const k of index.combosByTopic.get(input.topic) ?? []) if (this.wantsCombo(k)) this.start(k);
    } else {
      for (let k = 0; k < this.interest!.length; k++) if (this.interest![k] && this.wantsCombo(k)) this.start(k);
    }
    for (const sid of r.specials()) if (this.wants(r.cands[sid]!)) this.score(sid);
    if (!input.topic) this.walkOn();
  }

  private wantsCombo(k: number): boolean {
    return this.notMain === null || this.r.index.combos[k]!.mainTopic !== this.notMain;
  }

  private wants(c: Candidate): boolean {
    const { topic } = this.r.input;
    return this.wantsCombo(c.combo) && (!topic || c.item.topics.includes(topic));
  }

  /** Above any total combo k's members from `next` on can have: its affinity part plus their freshness and priority a minute ago. */
  private boundAt(k: number, next: number): number {
    return W.affinity * this.r.comboMatch(k) + this.bounds.combos[k]!.base[next]! + ROUNDING_SLACK;
  }

  /** Combo k joins the walk at its first member. */
  private start(k: number): void {
    this.cursors.push(this.boundAt(k, 0), k, 0);
  }

  /** The next combo touching no interest, as a cursor standing for it (combo -1). */
  private walkOn(): void {
    const order = this.bounds.order;
    while (this.walked < order.length && (this.interest![order[this.walked]!] || !this.wantsCombo(order[this.walked]!))) this.walked++;
    if (this.walked < order.length) this.cursors.push(this.bounds.combos[order[this.walked]!]!.base[0]! + ROUNDING_SLACK, -1, 0);
  }

  /** Score `sid` waits in `exact` as it is now. */
  private score(sid: number): void {
    this.exact.push(this.r.keys[sid]!, sid, this.r.gens[sid]!);
  }

  protected pull(): number {
    const { r, cursors, exact } = this;
    for (;;) {
      if (cursors.size === 0 || (exact.size > 0 && totalOfKey(exact.topKey()) > cursors.topKey())) {
        if (exact.size === 0) return NONE;
        const s = exact.topA();
        const gen = exact.topB();
        exact.pop();
        // A rescored candidate's old score stays in the heap until it comes up: skip it.
        if (gen !== r.gens[s]) continue;
        return s;
      }
      const top = cursors.topA();
      const next = cursors.topB();
      cursors.pop();
      if (top < 0) {
        this.start(this.bounds.order[this.walked++]!);
        this.walkOn();
        continue;
      }
      const { members } = this.bounds.combos[top]!;
      const c = members[next]!;
      // Scored already (special, or reached by another list): a special one waits in `exact` already.
      const sid = r.sidOf(c.item.id);
      if (sid === NONE) this.score(r.scoreNew(c));
      else if (!r.isSpecial(sid)) this.score(sid);
      if (next + 1 < members.length) cursors.push(this.boundAt(top, next + 1), top, next + 1);
    }
  }

  rescored(sid: number, keyBefore: number): void {
    const { r, entries } = this;
    if (!this.wants(r.cands[sid]!)) return;
    const at = this.indexOf(sid, keyBefore, 0, entries.length);
    if (at >= 0) {
      this.removeAt(at);
      // Still above the last entry pulled, so above everything not pulled: its place is in the list.
      if (entries.length && r.keys[sid]! > this.lastKey()) return this.insertAt(this.lowerBound(r.keys[sid]!, at, entries.length), sid);
    }
    // Not pulled yet (or now below the last pulled): it comes up from `exact` in its place.
    this.score(sid);
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
    pop: Popularity,
    private readonly skip: (c: Candidate) => boolean,
    /** The cluster level its items are explored at. */
    readonly level: ClusterLevel,
  ) {
    this.runs = popularityRuns(pop, r.index).runs;
  }

  /** The next run's sids, highest sort key first. */
  nextRun(): number[] | undefined {
    const { input, keys } = this.r;
    while (this.next < this.runs.length) {
      const run: number[] = [];
      for (const c of this.runs[this.next++]!) {
        if ((input.topic && !c.item.topics.includes(input.topic)) || (input.reads.size && input.reads.has(c.item.id)) || this.skip(c)) continue;
        run.push(this.r.scored(c));
      }
      if (run.length) return run.sort((a, b) => keys[b]! - keys[a]!);
    }
    return undefined;
  }
}

/**
 * The exploration list: the runs of its sources in turn (the cluster's popular items; at cold
 * start then everyone's that the cluster has not), pulled one entry at a time.
 */
export class ExploreList extends Stream {
  /** The run being pulled: its members' sids in order, and the next one to hand on. */
  private open: number[] = [];
  private openAt = 0;
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

  protected pull(): number {
    while (this.openAt >= this.open.length) {
      const run = this.source < this.sources.length ? this.sources[this.source]!.nextRun() : undefined;
      if (!run) {
        if (++this.source >= this.sources.length) return NONE;
        continue;
      }
      this.open = run;
      this.openAt = 0;
      this.starts.push(this.entries.length);
      this.levels.push(this.sources[this.source]!.level);
    }
    const s = this.open[this.openAt++]!;
    this.runOf.set(this.r.cands[s]!, this.starts.length - 1);
    return s;
  }

  /** The level an entry (sid) of this list is explored at. */
  levelOf(s: number): ClusterLevel {
    return this.levels[this.runOf.get(this.r.cands[s]!)!]!;
  }

  rescored(sid: number, keyBefore: number): void {
    const { entries, open } = this;
    const { keys } = this.r;
    const c = this.r.cands[sid]!;
    const run = this.runOf.get(c);
    if (run === undefined) {
      // Not handed on: in the run being pulled (from openAt on, in order), or not reached (then
      // it is taken as it is now when its run comes up).
      const at = indexOfSorted(keys, open, sid, keyBefore, this.openAt, open.length);
      if (at >= 0) {
        open.splice(at, 1);
        insertByKey(keys, open, sid, this.openAt);
      }
      return;
    }
    const start = this.starts[run]!;
    const end = run + 1 < this.starts.length ? this.starts[run + 1]! : entries.length;
    const at = this.indexOf(sid, keyBefore, start, end);
    this.removeAt(at);
    // The run being pulled: below a member not handed on yet, it goes back among those.
    if (run === this.starts.length - 1 && this.openAt < open.length && keys[sid]! < keys[open[this.openAt]!]!) {
      this.runOf.delete(c);
      insertByKey(keys, open, sid, this.openAt);
      return;
    }
    // Its score only fell: it moves towards the end of its run.
    this.insertAt(this.lowerBound(keys[sid]!, at, end - 1), sid);
  }
}

/** The first index in `list[from, to)` of sids, which is by sort key (`keys`) highest first, whose entry's key is not above `key`. */
function lowerBound(keys: readonly number[], list: readonly number[], key: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[list[mid]!]! > key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Where sid `s`, placed in `list[from, to)` (by sort key, highest first) while its key was
 * `keyBefore`, is now that a rescore lowered its key, or -1. The search is for `keyBefore`; at `s`
 * itself its key now is below that, which steers the search the same way. No two candidates have
 * the same key (the id breaks ties), so it finds `s` without reading the whole list.
 */
function indexOfSorted(keys: readonly number[], list: readonly number[], s: number, keyBefore: number, from: number, to: number): number {
  const at = lowerBound(keys, list, keyBefore, from, to);
  return at < to && list[at] === s ? at : -1;
}

/** Inserts sid `s` into `list`, which is by sort key highest first from `from` on, in its place. */
function insertByKey(keys: readonly number[], list: number[], s: number, from: number): void {
  list.splice(lowerBound(keys, list, keys[s]!, from, list.length), 0, s);
}
