/** The feed's UTF-8 JSON is exactly what serialising the presented item gives, whatever the card holds. */
import { FEED_REASON_KINDS, TOPICS, type Topic } from '@hcp360/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EligibleContent } from '../content/eligibility.js';
import { reasonText } from './feedReasons.js';
import { feedItemBytes, feedResponseBody, presentFeedItem } from './presenters.js';

const card = fc.record({
  id: fc.integer({ min: 1, max: 1e12 }).map(String),
  type: fc.constantFrom('article' as const, 'video' as const),
  title: fc.string(),
  summary: fc.option(fc.string(), { nil: null }),
  cover: fc.option(fc.constantFrom('/media/a.png', 'https://x.test/"q".jpg'), { nil: null }),
  topics: fc.uniqueArray(fc.constantFrom(...(Object.keys(TOPICS) as Topic[])), { maxLength: 3 }),
  rxOnly: fc.boolean(),
  priority: fc.integer({ min: 0, max: 100 }),
  publishedAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
}) satisfies fc.Arbitrary<EligibleContent>;

describe('feed JSON', () => {
  it('is the JSON of the presented items, for any cards and reasons, made once or again', () => {
    const entry = fc.tuple(card, fc.constantFrom(...FEED_REASON_KINDS), fc.constantFrom(undefined, ...(Object.keys(TOPICS) as Topic[])));
    // Cursors as the server makes them (base64url and an offset, written as they are), and any string at all.
    const cursor = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{0,40}\.[0-9]{1,3}$/), fc.string(), fc.string({ unit: 'grapheme' }));
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 4 }), fc.option(cursor, { nil: null }), (entries, nextCursor) => {
        const expected = { items: entries.map(([c, kind, topic]) => presentFeedItem(c, kind, reasonText(kind, topic))), nextCursor };
        for (let again = 0; again < 2; again++) {
          const body = feedResponseBody(entries.map(([c, kind, topic]) => feedItemBytes(c, kind, reasonText(kind, topic))), { nextCursor });
          expect(body.toString('utf8')).toBe(JSON.stringify(expected));
        }
      }),
    );
  });

  it('joins a page with its cursor and, on a first page, its topics', () => {
    const c: EligibleContent = { id: '7', type: 'video', title: '高血压 "指南"', summary: null, cover: null, topics: ['hypertension'], rxOnly: true, priority: 10, publishedAt: '2026-11-01T00:00:00.000Z' };
    const item = feedItemBytes(c, 'editor', '编辑推荐');
    const topics = [{ topic: 'hypertension' as const, label: '高血压', count: 3 }];
    expect(JSON.parse(feedResponseBody([item, item], { nextCursor: 'abc.10' }, Buffer.from(JSON.stringify(topics))).toString())).toEqual({
      items: [presentFeedItem(c, 'editor', '编辑推荐'), presentFeedItem(c, 'editor', '编辑推荐')],
      nextCursor: 'abc.10',
      topics,
    });
    expect(JSON.parse(feedResponseBody([], { nextCursor: null }).toString())).toEqual({ items: [], nextCursor: null });
    // A cursor is written as it is only when its JSON is itself in quotes.
    for (const nextCursor of ['AbC-_9.10', '', 'a"b.1', 'a\\b', '中.2', 'tab\there']) {
      expect(feedResponseBody([item], { nextCursor }).toString()).toBe(JSON.stringify({ items: [presentFeedItem(c, 'editor', '编辑推荐')], nextCursor }));
    }
  });

  it('gives every page a body of its own: bodies held together never overwrite one another, small or past a slab', () => {
    const c = (id: number, title: string): EligibleContent => ({ id: String(id), type: 'article', title, summary: null, cover: null, topics: ['copd'], rxOnly: false, priority: 0, publishedAt: '2026-11-01T00:00:00.000Z' });
    // 200 pages of growing size (from a few bytes to about 30 KB) held at once, then all read back.
    const pages = Array.from({ length: 200 }, (_, i) => Array.from({ length: 1 + (i % 10) }, (_, j) => c(1000 * i + j, '慢阻肺'.repeat(i))));
    const bodies = pages.map((items, i) => feedResponseBody(items.map((it) => feedItemBytes(it, 'picked', '为你精选')), { nextCursor: `c.${i}` }));
    bodies.forEach((body, i) => {
      expect(JSON.parse(body.toString('utf8'))).toEqual({ items: pages[i]!.map((it) => presentFeedItem(it, 'picked', '为你精选')), nextCursor: `c.${i}` });
    });
  });
});
