/** When a kept ranking serves a request and when a new one is made: its basis, its age, the bound. */
import { describe, expect, it } from 'vitest';
import type { EligibleContent } from '../content/eligibility.js';
import type { DoctorReads } from './doctorReads.js';
import type { Popularity } from './feedRanker.js';
import { RankingCache, type RankingBasis } from './rankingCache.js';
import { candidateIndex } from './rankIndexes.js';

const NOW = Date.UTC(2026, 11, 1);
const item = (id: number): EligibleContent => ({ id: String(id), type: 'article', title: `t${id}`, summary: null, cover: null, topics: ['copd'], rxOnly: false, priority: id * 10, publishedAt: new Date(NOW - 86_400_000).toISOString() });
const candidates = candidateIndex([item(1), item(2), item(3)]);
const none = (): Popularity => ({ level: 'everyone', scores: new Map() });

function readsOf(version: object): DoctorReads {
  return {
    version,
    segmentIds: [],
    affinities: [],
    history: { reads: new Map(), lastOpenedAt: new Map() } as unknown as DoctorReads['history'],
    impressions: new Map(),
  };
}

describe('RankingCache', () => {
  const cluster = none();
  const everyone = none();
  const basis = (version: object, over: Partial<RankingBasis> = {}): RankingBasis => ({ version, candidates, cluster, everyone, topic: undefined, ...over });

  it('serves a doctor the same ranking while its basis holds and it is younger than maxAgeMs', () => {
    const cache = new RankingCache({ doctors: 10, maxAgeMs: 60_000 });
    const v = {};
    const first = cache.rankingFor('1', basis(v), readsOf(v), NOW);
    expect(cache.rankingFor('1', basis(v), readsOf(v), NOW + 59_999)).toBe(first);
    expect(cache.rankingFor('1', basis(v), readsOf(v), NOW + 60_000)).not.toBe(first);
  });

  it('makes a new one when the doctor state, the candidates, the popularity or the topic filter is another', () => {
    const cache = new RankingCache({ doctors: 10, maxAgeMs: 60_000 });
    const v = {};
    const first = cache.rankingFor('1', basis(v), readsOf(v), NOW);
    const w = {};
    expect(cache.rankingFor('1', basis(w), readsOf(w), NOW)).not.toBe(first);
    const kept = cache.rankingFor('1', basis(w), readsOf(w), NOW);
    expect(cache.rankingFor('1', basis(w, { candidates: candidateIndex([item(1)]) }), readsOf(w), NOW)).not.toBe(kept);
    expect(cache.rankingFor('1', basis(w, { cluster: none() }), readsOf(w), NOW)).not.toBe(cache.rankingFor('1', basis(w), readsOf(w), NOW));
    // A topic filter has a ranking of its own, kept beside the unfiltered one.
    const unfiltered = cache.rankingFor('1', basis(w), readsOf(w), NOW);
    const copd = cache.rankingFor('1', basis(w, { topic: 'copd' }), readsOf(w), NOW);
    expect(copd).not.toBe(unfiltered);
    expect(cache.rankingFor('1', basis(w), readsOf(w), NOW)).toBe(unfiltered);
    expect(cache.rankingFor('1', basis(w, { topic: 'copd' }), readsOf(w), NOW)).toBe(copd);
  });

  it('keeps at most `doctors` doctors, the least recently served out first; 0 keeps none', () => {
    const cache = new RankingCache({ doctors: 2, maxAgeMs: 60_000 });
    const v = {};
    const one = cache.rankingFor('1', basis(v), readsOf(v), NOW);
    const two = cache.rankingFor('2', basis(v), readsOf(v), NOW);
    expect(cache.rankingFor('1', basis(v), readsOf(v), NOW)).toBe(one);
    cache.rankingFor('3', basis(v), readsOf(v), NOW);
    expect(cache.size).toBe(2);
    expect(cache.rankingFor('1', basis(v), readsOf(v), NOW)).toBe(one);
    expect(cache.rankingFor('2', basis(v), readsOf(v), NOW)).not.toBe(two);
    const off = new RankingCache({ doctors: 0, maxAgeMs: 60_000 });
    expect(off.rankingFor('1', basis(v), readsOf(v), NOW)).not.toBe(off.rankingFor('1', basis(v), readsOf(v), NOW));
    expect(off.size).toBe(0);
  });
});
