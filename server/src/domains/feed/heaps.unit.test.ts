/** The ranker's heap against a sorted list: any mix of pushes and pops gives the highest key first, with what was pushed with it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyedHeap } from './heaps.js';

type Op = { push: [number, number, number] } | 'pop';
const ops = fc.array(
  fc.oneof(
    fc.tuple(fc.integer({ min: -5, max: 5 }).map((n) => n / 2), fc.integer({ min: -1, max: 1000 }), fc.nat(50)).map((push): Op => ({ push })),
    fc.constant<Op>('pop'),
  ),
  { maxLength: 300 },
);

/** The reference: every live entry, the highest key first (equal keys in any order). */
function popHighest(live: [number, number, number][]): [number, number, number] | undefined {
  if (live.length === 0) return undefined;
  let best = 0;
  for (let i = 1; i < live.length; i++) if (live[i]![0] > live[best]![0]) best = i;
  return live.splice(best, 1)[0];
}

describe('KeyedHeap', () => {
  it('pops the highest key with the two integers pushed with it, equal keys in some order, growing past its first capacity', () => {
    fc.assert(
      fc.property(ops, (xs) => {
        const heap = new KeyedHeap(2);
        const live: [number, number, number][] = [];
        for (const op of xs) {
          if (op === 'pop') {
            const want = popHighest(live);
            if (!want) {
              expect(heap.size).toBe(0);
              expect(heap.topKey()).toBe(-Infinity);
              continue;
            }
            expect(heap.topKey()).toBe(want[0]);
            // Among equal keys any may come first: it must be one that was pushed with that key.
            const got: [number, number, number] = [heap.topKey(), heap.topA(), heap.topB()];
            heap.pop();
            if (got[1] !== want[1] || got[2] !== want[2]) {
              const at = live.findIndex((e) => e[0] === got[0] && e[1] === got[1] && e[2] === got[2]);
              expect(at).toBeGreaterThanOrEqual(0);
              live.splice(at, 1, want);
            }
          } else {
            heap.push(...op.push);
            live.push(op.push);
          }
          expect(heap.size).toBe(live.length);
        }
      }),
    );
  });

  it('keeps sort keys as large as the ranker makes them exactly (unique keys pop in exact order)', () => {
    fc.assert(
      fc.property(ops, (xs) => {
        const heap = new KeyedHeap();
        const live: [number, number, number][] = [];
        let order = 0;
        for (const op of xs) {
          if (op === 'pop') {
            const want = popHighest(live);
            expect(heap.size > 0 ? heap.topKey() : undefined).toBe(want?.[0]);
            if (!want) continue;
            expect([heap.topA(), heap.topB()]).toEqual([want[1], want[2]]);
            heap.pop();
          } else {
            // A score's cents above its place by age and id (rankScoring.ts scoreKey): unique, up to about 2^40.
            const entry: [number, number, number] = [Math.round(op.push[0] * 2000) * 2 ** 24 + order++, op.push[1], op.push[2]];
            heap.push(...entry);
            live.push(entry);
          }
        }
      }),
    );
  });
});
