/**
 * The fast ranker (src/domains/feed/feedRanker.ts: groups merged newest first, lists pulled only as
 * far as needed) gives exactly what the original rank-everything ranker gave
 * (feedRankerReference.ts), on random candidates, interests, reading, impressions, popularity,
 * topic filters and lengths, with many ties in score, age and popularity; and that a ranking
 * continued past where it stopped (a session paging beyond its snapshot) goes on exactly as ranking
 * further at once would have; and that a ranking kept between requests, after the doctor was shown
 * items again (pages of it and others), ranks each time exactly as ranking afresh would.
 */
import type { ClusterLevel, Topic } from '@hcp360/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EligibleContent } from '../src/domains/content/eligibility.js';
import { FeedRanking, rankFeed, type RankedEntry } from '../src/domains/feed/feedRanker.js';
import type { SnapshotRef } from '../src/domains/feed/snapshots.js';
import { addImpressionTime, UnclickedView, type ImpressionTimes } from '../src/domains/feed/impressions.js';
import { presentFeedItem } from '../src/domains/feed/presenters.js';
import { candidateIndex } from '../src/domains/feed/rankIndexes.js';
import { referenceRankFeed } from './feedRankerReference.js';

const NOW = Date.UTC(2026, 10, 26, 2);
const DAY = 86_400_000;
const TOPICS: Topic[] = ['hypertension', 'diabetes', 'copd', 'stroke'];
const LEVELS: ClusterLevel[] = ['department_title', 'department', 'everyone'];

const candidate = (id: number) =>
  fc.record({
    topics: fc.uniqueArray(fc.constantFrom(...TOPICS), { maxLength: 3 }),
    priority: fc.constantFrom(0, 50, 80, 90),
    ageDays: fc.constantFrom(0, 0.5, 1, 3, 8, 30),
  }).map(({ topics, priority, ageDays }): EligibleContent => ({
    id: String(id),
    type: 'article',
    title: `t${id}`,
    summary: null,
    cover: null,
    topics,
    rxOnly: false,
    priority,
    publishedAt: new Date(NOW - ageDays * DAY).toISOString(),
  }));

const world = fc
  .integer({ min: 0, max: 60 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => candidate(i + 1))))
  .chain((candidates) => {
    const ids = candidates.map((c) => c.id);
    const idArb = ids.length ? fc.constantFrom(...ids) : fc.constant('999');
    const scores = fc.array(fc.tuple(idArb, fc.constantFrom(1, 2, 3, 5)), { maxLength: 40 }).map((xs) => new Map(xs));
    return fc.record({
      candidates: fc.constant(candidates),
      affinities: fc.array(fc.tuple(fc.constantFrom(...TOPICS), fc.constantFrom(0, 0.05, 0.3, 0.6, 1)), { maxLength: 4 }).map((xs) => new Map<string, number>(xs)),
      reads: fc
        .array(fc.tuple(idArb, fc.boolean()), { maxLength: 10 })
        .map((xs) => new Map(xs.map(([id, deep]) => [id, { count: 1, lastAt: NOW - DAY, maxDwellMs: deep ? 120_000 : 5_000, maxDepth: deep ? 1 : 0.2 }]))),
      unclickedImpressions: fc.array(fc.tuple(idArb, fc.integer({ min: 0, max: 9 })), { maxLength: 10 }).map((xs) => new Map(xs)),
      cluster: fc.record({ level: fc.constantFrom(...LEVELS), scores }),
      everyone: fc.record({ level: fc.constant<ClusterLevel>('everyone'), scores }),
      maxRanked: fc.option(fc.integer({ min: 1, max: 70 }), { nil: undefined }),
      topic: fc.option(fc.constantFrom(...TOPICS), { nil: undefined }),
    });
  });

const shape = (entries: readonly Omit<RankedEntry, keyof SnapshotRef | 'bytes' | 'packed' | 'noteShownIn'>[]) => entries.map((e) => ({ id: e.item.id, slot: e.slot, reasonKind: e.reasonKind, reason: e.reason, score: e.score }));

describe('the fast ranker', () => {
  it('ranks exactly as ranking every candidate did', () => {
    fc.assert(
      fc.property(world, (w) => {
        const { topic, ...rest } = w;
        const expected = referenceRankFeed({ ...rest, now: NOW, candidates: topic ? w.candidates.filter((c) => c.topics.includes(topic)) : w.candidates });
        const fromArray = rankFeed({ ...rest, now: NOW, topic, candidates: w.candidates });
        const fromIndex = rankFeed({ ...rest, now: NOW, topic, candidates: candidateIndex(w.candidates) });
        expect(shape(fromArray)).toEqual(shape(expected));
        expect(shape(fromIndex)).toEqual(shape(expected));
      }),
      { numRuns: 1500 },
    );
  });

  it('continues a ranking it was stopped in exactly where ranking further would have gone', () => {
    fc.assert(
      fc.property(world, fc.integer({ min: 1, max: 30 }), (w, k) => {
        const base = { ...w, now: NOW, candidates: candidateIndex(w.candidates) };
        const full = rankFeed({ ...base, maxRanked: 2 * k });
        const first = rankFeed({ ...base, maxRanked: k });
        const rest = rankFeed({
          ...base,
          maxRanked: k,
          after: { ids: new Set(first.map((e) => e.item.id)), positions: first.length, lastMainTopics: first.slice(-2).map((e) => e.item.topics[0] ?? '') },
        });
        expect(shape([...first, ...rest])).toEqual(shape(full));
      }),
      { numRuns: 800 },
    );
  });

  it('ranks a kept ranking, after items were shown again, exactly as ranking afresh (from the top and after a session\'s entries)', () => {
    const rounds = fc.array(fc.record({ page: fc.integer({ min: 0, max: 12 }), others: fc.array(fc.nat(), { maxLength: 6 }) }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(world, rounds, (w, shows) => {
        const candidates = candidateIndex(w.candidates);
        const unclicked = new Map(w.unclickedImpressions);
        const kept = new FeedRanking({ ...w, now: NOW, candidates, unclickedImpressions: unclicked });
        for (const { page, others } of shows) {
          const got = kept.rank({ maxRanked: w.maxRanked });
          const fresh = rankFeed({ ...w, now: NOW, candidates, unclickedImpressions: new Map(unclicked) });
          expect(shape(got)).toEqual(shape(fresh));
          expect(got.map((e) => [e.key, e.code])).toEqual(fresh.map((e) => [e.key, e.code]));
          // The JSON a kept entry keeps for pages is the JSON of what it is now.
          expect(got.map((e) => Buffer.concat(e.bytes).toString())).toEqual(fresh.map((e) => JSON.stringify(presentFeedItem(e.item, e.reasonKind, e.reason))));
          // A session paging past its snapshot continues the kept ranking after what it holds, as ranking afresh would.
          const held = got.slice(0, page);
          const after = { ids: new Set(held.map((e) => e.item.id)), positions: held.length, lastMainTopics: held.slice(-2).map((e) => e.item.topics[0] ?? '') };
          const continued = kept.rank({ maxRanked: w.maxRanked, after });
          expect(shape(continued)).toEqual(shape(rankFeed({ ...w, now: NOW, candidates, unclickedImpressions: new Map(unclicked), after })));
          // The doctor is shown the first page and a few other items (another page, another topic's feed).
          const otherIds = others.map((n) => w.candidates[n % Math.max(1, w.candidates.length)]?.id ?? '999');
          for (const id of [...held.map((e) => e.item.id), ...otherIds]) unclicked.set(id, (unclicked.get(id) ?? 0) + 1);
          // The page is told as the ranking's own entries (their scores found through them), the rest by id.
          kept.rescore([...held, ...otherIds]);
        }
        expect(shape(kept.rank({ maxRanked: w.maxRanked }))).toEqual(shape(rankFeed({ ...w, now: NOW, candidates, unclickedImpressions: new Map(unclicked) })));
      }),
      { numRuns: 1500 },
    );
  });
  it('ranks a kept ranking that reads its counts from the doctor\'s impression times, told its pages as entries, exactly as ranking afresh', () => {
    const rounds = fc.array(fc.record({ page: fc.integer({ min: 0, max: 12 }), others: fc.array(fc.nat(), { maxLength: 6 }) }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(world, rounds, (w, shows) => {
        const candidates = candidateIndex(w.candidates);
        // The doctor's impression times (as doctorReads.ts keeps them) and when they last opened some items.
        const times: ImpressionTimes = new Map();
        for (const [id, n] of w.unclickedImpressions) for (let k = 0; k < n; k++) addImpressionTime(times, id, NOW - DAY + k);
        // The same times kept by id alone: what the entries note must be what addImpressionTime notes.
        const byId: ImpressionTimes = new Map([...times].map(([id, list]) => [id, [...list]]));
        const opened = new Map([...w.reads.keys()].map((id) => [id, NOW - DAY + 2]));
        const view = () => new UnclickedView(times, opened, NOW);
        const kept = new FeedRanking({ ...w, now: NOW, candidates, unclickedImpressions: view() });
        shows.forEach(({ page, others }, round) => {
          const got = kept.rank({ maxRanked: w.maxRanked });
          expect(shape(got)).toEqual(shape(rankFeed({ ...w, now: NOW, candidates, unclickedImpressions: view() })));
          // The page goes into the times through its entries (which keep their lists), the rest by id.
          const at = NOW + round;
          const held = got.slice(0, page);
          for (const e of held) e.noteShownIn(times, at);
          const otherIds = others.map((n) => w.candidates[n % Math.max(1, w.candidates.length)]?.id ?? '999');
          for (const id of otherIds) addImpressionTime(times, id, at);
          for (const id of [...held.map((e) => e.item.id), ...otherIds]) addImpressionTime(byId, id, at);
          expect(times).toEqual(byId);
          kept.rescore([...held, ...otherIds]);
        });
        expect(shape(kept.rank({ maxRanked: w.maxRanked }))).toEqual(shape(rankFeed({ ...w, now: NOW, candidates, unclickedImpressions: view() })));
      }),
      { numRuns: 1000 },
    );
  });
});
