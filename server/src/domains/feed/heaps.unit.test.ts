/** The ranker's heaps against a sorted list: any mix of pushes and pops gives the highest first, with what was pushed with it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CursorHeap, ScoreHeap } from './heaps.js';

type Op = { push: [number, number, number] } | 'pop';
const ops = fc.array(
  fc.oneof(
    fc.tuple(fc.integer({ min: -5, max: 5 }).map((n) => n / 2), fc.integer({ min: -1, max: 1000 }), fc.nat(50)).map((push): Op => ({ push })),
    fc.constant<Op>('pop'),
  ),
  { maxLength: 300 },
);

/** The reference: every live entry, the highest bound first (equal bounds in any order). */
function popHighest(live: [number, number, number][]): [number, number, number] | undefined {
  if (live.length === 0) return undefined;
  let best = 0;
  for (let i = 1; i < live.length; i++) if (live[i]![0] > live[best]![0]) best = i;
  return live.splice(best, 1)[0];
}

describe('CursorHeap', () => {
  it('pops the highest bound with the combo and next member pushed with it, growing past its first capacity', () => {
    fc.assert(
      fc.property(ops, (xs) => {
        const heap = new CursorHeap(2);
        const live: [number, number, number][] = [];
        for (const op of xs) {
          if (op === 'pop') {
            const want = popHighest(live);
            if (!want) {
              expect(heap.size).toBe(0);
              expect(heap.topBound()).toBe(-Infinity);
              continue;
            }
            expect(heap.topBound()).toBe(want[0]);
            // Among equal bounds any may come first: it must be one that was pushed with that bound.
            const got: [number, number, number] = [heap.topBound(), heap.topCombo(), heap.topNext()];
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
});

describe('ScoreHeap', () => {
  it('pops the highest key with the sid and generation pushed with it', () => {
    fc.assert(
      fc.property(ops, (xs) => {
        const heap = new ScoreHeap();
        const live: [number, number, number][] = [];
        let key = 0;
        for (const op of xs) {
          if (op === 'pop') {
            const want = popHighest(live);
            expect(heap.peekKey()).toBe(want?.[0]);
            if (!want) continue;
            expect([heap.peekSid(), heap.peekGen()]).toEqual([want[1], want[2]]);
            heap.pop();
          } else {
            // Sort keys are unique (the id breaks ties), so the order is exact.
            const entry: [number, number, number] = [op.push[0] * 10_000 + key++, op.push[1], op.push[2]];
            heap.push(...entry);
            live.push(entry);
          }
        }
      }),
    );
  });
});
