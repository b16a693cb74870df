/** The compact snapshot form: entries and reasons come back as stored; old JSON rows still read. */
import { describe, expect, it } from 'vitest';
import { decodeEntries, encodeEntries, encodeRef, newSnapshotToken, type RankedRef } from './snapshots.js';

describe('snapshot entries', () => {
  it('round-trip with their reasons, and say whether the ranking may go on', () => {
    const text = encodeEntries(
      (
        [
          { id: '12', kind: 'affinity', topic: 'heart_failure' },
          { id: '7', kind: 'cluster' },
          { id: '31', kind: 'picked' },
        ] satisfies RankedRef[]
      ).map(encodeRef),
      false,
    );
    expect(text).toBe('2+|12.a.heart_failure 7.c 31.k');
    expect(decodeEntries(text)).toEqual({
      entries: [
        ['12', 'affinity', '因为你关注「心力衰竭」'],
        ['7', 'cluster', '同科室医生都在看'],
        ['31', 'picked', '为你精选'],
      ],
      complete: false,
    });
    expect(decodeEntries(encodeEntries([], true))).toEqual({ entries: [], complete: true });
  });

  it('read rows written before the compact form', () => {
    expect(decodeEntries('[["5","fresh","新上线"]]')).toEqual({ entries: [['5', 'fresh', '新上线']], complete: true });
  });

  it('use tokens cursors accept, never the same twice', () => {
    const tokens = Array.from({ length: 600 }, newSnapshotToken);
    expect(tokens.every((t) => /^[A-Za-z0-9_-]{22}$/.test(t))).toBe(true);
    expect(new Set(tokens).size).toBe(600);
  });
});
