/** The ranker alone (pure): order, slots, the topic-run rule and reasons, without a database. */
import type { Topic } from '@hcp360/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EligibleContent } from '../content/eligibility.js';
import type { ReadFacts } from '../events/eventFacts.js';
import { FeedRanking, rankFeed, type RankInput } from './feedRanker.js';

const NOW = Date.UTC(2026, 10, 26);
const DAY = 86_400_000;

function item(id: number, topics: Topic[], over: Partial<EligibleContent> = {}): EligibleContent {
  return { id: String(id), type: 'article', title: `t${id}`, summary: null, cover: null, topics, rxOnly: false, priority: 50, publishedAt: new Date(NOW - DAY).toISOString(), ...over };
}

function input(candidates: EligibleContent[], over: Partial<RankInput> = {}): RankInput {
  return {
    now: NOW,
    candidates,
    affinities: new Map(),
    reads: new Map(),
    unclickedImpressions: new Map(),
    cluster: { level: 'everyone', scores: new Map() },
    everyone: { level: 'everyone', scores: new Map() },
    ...over,
  };
}

const deepRead: ReadFacts = { count: 1, lastAt: NOW - DAY, maxDwellMs: 120_000, maxDepth: 1 };
const TOPICS: Topic[] = ['hypertension', 'diabetes', 'copd', 'stroke'];

describe('rankFeed', () => {
  it('puts the strongest interest first and says so with the topic label', () => {
    const out = rankFeed(input([item(1, ['copd']), item(2, ['ckd', 'hypertension']), item(3, ['diabetes'], { priority: 100 })], { affinities: new Map([['hypertension', 0.7]]) }));
    expect(out.map((e) => e.item.id)).toEqual(['2', '3', '1']);
    expect(out[0]).toMatchObject({ reason: '因为你关注「高血压」', reasonKind: 'affinity', slot: 'ranked' });
    expect(out[1]).toMatchObject({ reason: '编辑推荐', reasonKind: 'editor' });
    expect(out[2]).toMatchObject({ reason: '新上线', reasonKind: 'fresh' });
  });

  it('sinks a deeply read item below unread ones, even on the strongest interest', () => {
    const out = rankFeed(input([item(1, ['hypertension']), item(2, ['copd'], { publishedAt: new Date(NOW - 30 * DAY).toISOString() })], {
      affinities: new Map([['hypertension', 1]]),
      reads: new Map([['1', deepRead]]),
    }));
    expect(out.map((e) => e.item.id)).toEqual(['2', '1']);
    expect(out[0]!.reasonKind).toBe('picked');
  });

  it('gives every fifth slot to the most popular unread item of the cluster', () => {
    // the two popular ones would otherwise come last
    const candidates = Array.from({ length: 12 }, (_, i) => item(i + 1, [TOPICS[i % 4]!], { priority: i >= 10 ? 0 : 50 }));
    const out = rankFeed(input(candidates, {
      affinities: new Map([['hypertension', 0.5]]),
      cluster: { level: 'department', scores: new Map([['12', 4], ['11', 9]]) },
    }));
    expect(out.map((e) => e.slot)).toEqual(['ranked', 'ranked', 'ranked', 'ranked', 'exploration', 'ranked', 'ranked', 'ranked', 'ranked', 'exploration', 'ranked', 'ranked']);
    expect(out[4]).toMatchObject({ item: { id: '11' }, reason: '同科室医生都在看', score: { exploration: 1 } });
    expect(out[9]).toMatchObject({ item: { id: '12' }, score: { exploration: 0.44 } });
  });

  it('starts a cold doctor with the cluster, then everyone, then fresh and priority', () => {
    const candidates = [item(1, ['copd']), item(2, ['stroke']), item(3, ['diabetes'], { priority: 90 }), item(4, ['hypertension'])];
    const out = rankFeed(input(candidates, {
      cluster: { level: 'department_title', scores: new Map([['2', 1]]) },
      everyone: { level: 'everyone', scores: new Map([['4', 5], ['2', 9]]) },
    }));
    expect(out.map((e) => [e.item.id, e.reason])).toEqual([['2', '同科室医生都在看'], ['4', '同行都在看'], ['3', '编辑推荐'], ['1', '新上线']]);
  });

  it('returns each candidate exactly once, and only ever runs three of a main topic when nothing else is left', () => {
    const arb = fc.record({
      topics: fc.array(fc.constantFrom(...TOPICS), { minLength: 1, maxLength: 40 }),
      affinity: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
      priorities: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 40, maxLength: 40 }),
      popular: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 6 }),
      read: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(arb, ({ topics, affinity, priorities, popular, read }) => {
        const candidates = topics.map((t, i) => item(i + 1, [t], { priority: priorities[i]! }));
        const out = rankFeed(input(candidates, {
          affinities: new Map(TOPICS.map((t, i) => [t, affinity[i]!])),
          reads: new Map(read.map((r) => [String(r), deepRead])),
          cluster: { level: 'department', scores: new Map(popular.map((p, i) => [String(p), i + 1])) },
        }));
        expect(out.map((e) => e.item.id).sort()).toEqual(candidates.map((c) => c.id).sort());
        out.forEach((e, i) => {
          const t = e.item.topics[0];
          if (i >= 2 && out[i - 1]!.item.topics[0] === t && out[i - 2]!.item.topics[0] === t) {
            expect(out.slice(i).every((rest) => rest.item.topics[0] === t)).toBe(true);
          }
        });
      }),
    );
  });

  it('is deterministic', () => {
    const candidates = Array.from({ length: 20 }, (_, i) => item(i + 1, [TOPICS[(i * 7) % 4]!], { priority: (i * 37) % 100 }));
    const args = input(candidates, { affinities: new Map([['copd', 0.3]]), cluster: { level: 'everyone', scores: new Map([['5', 2]]) } });
    expect(rankFeed(args)).toEqual(rankFeed(args));
  });
});

describe('a kept ranking', () => {
  const equallyPopular = (ids: string[]) => ({ level: 'department' as const, scores: new Map(ids.map((id) => [id, 3])) });

  it('moves an item shown too often below one its exploration run had not handed on yet', () => {
    // A cold doctor: every slot is exploration; 1, 2 and 3 are equally popular, ordered by priority.
    const candidates = [item(1, ['copd'], { priority: 90 }), item(2, ['stroke'], { priority: 60 }), item(3, ['diabetes'], { priority: 30 })];
    const unclicked = new Map<string, number>();
    const kept = new FeedRanking(input(candidates, { cluster: equallyPopular(['1', '2', '3']), unclickedImpressions: unclicked }));
    expect(kept.rank({ maxRanked: 2 }).map((e) => e.item.id)).toEqual(['1', '2']);
    unclicked.set('1', 9); // shown nine times without a click: −15 puts it below 3
    kept.rescore(['1']);
    expect(kept.rank({ maxRanked: 2 }).map((e) => e.item.id)).toEqual(['2', '3']);
    expect(kept.rank().map((e) => e.item.id)).toEqual(rankFeed(input(candidates, { cluster: equallyPopular(['1', '2', '3']), unclickedImpressions: new Map(unclicked) })).map((e) => e.item.id));
  });

  it('moves a ranked item shown too often below those it now scores under, and leaves others where they were', () => {
    // Priorities 100, 75, 50, 25, 0: 15, 11.25, 7.5, 3.75 and 0 points.
    const candidates = Array.from({ length: 5 }, (_, i) => item(i + 1, [TOPICS[i % 4]!], { priority: 100 - i * 25 }));
    const unclicked = new Map<string, number>();
    const kept = new FeedRanking(input(candidates, { unclickedImpressions: unclicked }));
    expect(kept.rank({ maxRanked: 3 }).map((e) => e.item.id)).toEqual(['1', '2', '3']);
    unclicked.set('1', 5); // two past the free ones: −6 puts 1 (9 points) between 2 and 3
    unclicked.set('2', 3); // three free impressions: no penalty, no move
    kept.rescore(['1', '2']);
    const again = kept.rank({ maxRanked: 4 });
    expect(again.map((e) => e.item.id)).toEqual(['2', '1', '3', '4']);
    expect(again[1]!.score.impressionPenalty).toBe(6);
  });
});
