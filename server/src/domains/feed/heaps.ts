/**
 * The ranker's heaps (rankOrders.ts), both highest first, each in parallel arrays sifted together.
 *
 * CursorHeap: the walk's cursors, per cursor its bound, its combo and the combo's next member. A
 * cursor's numbers live in the heap itself, not in arrays indexed by combo: a sift reads a few
 * adjacent slots instead of one entry per combo it compares, scattered over arrays as long as the
 * catalogue has combos (a kept ranking is cold in the cache when its doctor comes back).
 */
export class CursorHeap {
  private bounds: Float64Array;
  private combos: Int32Array;
  private nexts: Int32Array;
  private n = 0;

  constructor(capacity = 16) {
    this.bounds = new Float64Array(Math.max(1, capacity));
    this.combos = new Int32Array(Math.max(1, capacity));
    this.nexts = new Int32Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.n;
  }

  /** The top cursor's bound (-Infinity when empty), combo and next member. */
  topBound(): number {
    return this.n ? this.bounds[0]! : -Infinity;
  }
  topCombo(): number {
    return this.combos[0]!;
  }
  topNext(): number {
    return this.nexts[0]!;
  }

  push(bound: number, combo: number, next: number): void {
    if (this.n === this.bounds.length) this.grow();
    const { bounds, combos, nexts } = this;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!(bound > bounds[parent]!)) break;
      (bounds[i] = bounds[parent]!), (combos[i] = combos[parent]!), (nexts[i] = nexts[parent]!);
      i = parent;
    }
    (bounds[i] = bound), (combos[i] = combo), (nexts[i] = next);
  }

  /** Drops the top cursor (read it first). */
  pop(): void {
    const { bounds, combos, nexts } = this;
    const last = --this.n;
    if (last <= 0) return;
    const bound = bounds[last]!;
    const combo = combos[last]!;
    const next = nexts[last]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = l < last && bounds[l]! > bound ? l : i;
      if (r < last && bounds[r]! > (m === i ? bound : bounds[m]!)) m = r;
      if (m === i) break;
      (bounds[i] = bounds[m]!), (combos[i] = combos[m]!), (nexts[i] = nexts[m]!);
      i = m;
    }
    (bounds[i] = bound), (combos[i] = combo), (nexts[i] = next);
  }

  private grow(): void {
    const size = 2 * this.bounds.length;
    const bounds = new Float64Array(size);
    const combos = new Int32Array(size);
    const nexts = new Int32Array(size);
    bounds.set(this.bounds), combos.set(this.combos), nexts.set(this.nexts);
    (this.bounds = bounds), (this.combos = combos), (this.nexts = nexts);
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
