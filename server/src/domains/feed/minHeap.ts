/**
 * A binary heap: `pop` gives the entry that comes out first by `first(a, b)` (a before b). The
 * ranker keeps numbers in it and asks it a few times per first page, so it compares with a
 * yes/no (no difference to box) and swaps in place (no array per swap).
 */
export class MinHeap<T> {
  private readonly items: T[];

  constructor(
    private readonly first: (a: T, b: T) => boolean,
    initial: T[] = [],
  ) {
    // Floyd's heapify: linear in the number of initial items.
    this.items = initial;
    for (let i = (initial.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    let i = a.length;
    a.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.first(item, a[parent]!)) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = item;
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      this.down(0);
    }
    return top;
  }

  private down(from: number): void {
    const a = this.items;
    const item = a[from]!;
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = l < a.length && this.first(a[l]!, item) ? l : i;
      if (r < a.length && this.first(a[r]!, m === i ? item : a[m]!)) m = r;
      if (m === i) break;
      a[i] = a[m]!;
      i = m;
    }
    a[i] = item;
  }
}

/**
 * Scores (sids, rankScoring.ts) by sort key, highest first, each pushed with its key and the
 * generation of the sid's score at the time: a score moved since (rescored in place) leaves its
 * old entry behind, which the generation tells apart. Three parallel arrays, sifted together.
 */
export class ScoreHeap {
  private readonly keys: number[] = [];
  private readonly sids: number[] = [];
  private readonly gens: number[] = [];

  /** The highest key (undefined when empty), and its sid and generation. */
  peekKey(): number | undefined {
    return this.keys[0];
  }
  peekSid(): number {
    return this.sids[0]!;
  }
  peekGen(): number {
    return this.gens[0]!;
  }

  push(key: number, sid: number, gen: number): void {
    const { keys, sids, gens } = this;
    let i = keys.length;
    keys.push(key), sids.push(sid), gens.push(gen);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!(key > keys[parent]!)) break;
      this.move(parent, i);
      i = parent;
    }
    (keys[i] = key), (sids[i] = sid), (gens[i] = gen);
  }

  /** Drops the top entry (read it with the peeks first). */
  pop(): void {
    const { keys, sids, gens } = this;
    const key = keys.pop()!;
    const sid = sids.pop()!;
    const gen = gens.pop()!;
    const n = keys.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = l < n && keys[l]! > key ? l : i;
      if (r < n && keys[r]! > (m === i ? key : keys[m]!)) m = r;
      if (m === i) break;
      this.move(m, i);
      i = m;
    }
    (keys[i] = key), (sids[i] = sid), (gens[i] = gen);
  }

  private move(from: number, to: number): void {
    this.keys[to] = this.keys[from]!;
    this.sids[to] = this.sids[from]!;
    this.gens[to] = this.gens[from]!;
  }
}
