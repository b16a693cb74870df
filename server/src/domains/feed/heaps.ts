/**
 * The ranker's heaps (rankOrders.ts): entries of a key and two integers, highest key first, in
 * three parallel typed arrays sifted together. Used for
 *  - the walk's cursors: a combo's bound, the combo, its next member. A cursor's numbers live in the
 *    heap itself, not in arrays indexed by combo: a sift reads a few adjacent slots instead of one
 *    entry per combo it compares, scattered over arrays as long as the catalogue has combos (a kept
 *    ranking is cold in the cache when its doctor comes back);
 *  - scores waiting to be handed on: a sort key, the sid, the generation of the sid's score when
 *    pushed (a score moved since, rescored in place, leaves its old entry behind, which the
 *    generation tells apart).
 * Keys are doubles (sort keys are exact integers below 2^53); the integers fit 32 bits.
 */
export class KeyedHeap {
  private keys: Float64Array;
  private as: Int32Array;
  private bs: Int32Array;
  private n = 0;

  constructor(capacity = 16) {
    this.keys = new Float64Array(Math.max(1, capacity));
    this.as = new Int32Array(Math.max(1, capacity));
    this.bs = new Int32Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.n;
  }

  /** The top entry's key (-Infinity when empty), and its two integers. */
  topKey(): number {
    return this.n ? this.keys[0]! : -Infinity;
  }
  topA(): number {
    return this.as[0]!;
  }
  topB(): number {
    return this.bs[0]!;
  }

  push(key: number, a: number, b: number): void {
    if (this.n === this.keys.length) this.grow();
    const { keys, as, bs } = this;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!(key > keys[parent]!)) break;
      (keys[i] = keys[parent]!), (as[i] = as[parent]!), (bs[i] = bs[parent]!);
      i = parent;
    }
    (keys[i] = key), (as[i] = a), (bs[i] = b);
  }

  /** Drops the top entry (read it first). */
  pop(): void {
    const { keys, as, bs } = this;
    const last = --this.n;
    if (last <= 0) return;
    const key = keys[last]!;
    const a = as[last]!;
    const b = bs[last]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = l < last && keys[l]! > key ? l : i;
      if (r < last && keys[r]! > (m === i ? key : keys[m]!)) m = r;
      if (m === i) break;
      (keys[i] = keys[m]!), (as[i] = as[m]!), (bs[i] = bs[m]!);
      i = m;
    }
    (keys[i] = key), (as[i] = a), (bs[i] = b);
  }

  private grow(): void {
    const size = 2 * this.keys.length;
    const keys = new Float64Array(size);
    const as = new Int32Array(size);
    const bs = new Int32Array(size);
    keys.set(this.keys), as.set(this.as), bs.set(this.bs);
    (this.keys = keys), (this.as = as), (this.bs = bs);
  }
}
