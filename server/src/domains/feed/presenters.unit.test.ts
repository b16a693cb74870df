/** The feed's JSON text is exactly what serialising the presented item gives, whatever the card holds. */
import { FEED_REASON_KINDS, TOPICS, type Topic } from '@hcp360/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EligibleContent } from '../content/eligibility.js';
import { reasonText } from './feedReasons.js';
import { feedItemJson, feedResponseJson, presentFeedItem } from './presenters.js';

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

describe('feed JSON text', () => {
  it('is the JSON of the presented item, for any card and reason, made once or again', () => {
    fc.assert(
      fc.property(card, fc.constantFrom(...FEED_REASON_KINDS), fc.constantFrom(undefined, ...(Object.keys(TOPICS) as Topic[])), (c, kind, topic) => {
        const reason = reasonText(kind, topic);
        const expected = presentFeedItem(c, kind, reason);
        expect(JSON.parse(feedItemJson(c, kind, reason))).toEqual(expected);
        expect(feedItemJson(c, kind, reason)).toBe(JSON.stringify(expected));
      }),
    );
  });

  it('joins a page with its cursor and, on a first page, its topics', () => {
    const c: EligibleContent = { id: '7', type: 'video', title: '高血压 "指南"', summary: null, cover: null, topics: ['hypertension'], rxOnly: true, priority: 10, publishedAt: '2026-11-01T00:00:00.000Z' };
    const item = feedItemJson(c, 'editor', '编辑推荐');
    const topics = [{ topic: 'hypertension' as const, label: '高血压', count: 3 }];
    expect(JSON.parse(feedResponseJson([item, item], { nextCursor: 'abc.10' }, JSON.stringify(topics)))).toEqual({
      items: [presentFeedItem(c, 'editor', '编辑推荐'), presentFeedItem(c, 'editor', '编辑推荐')],
      nextCursor: 'abc.10',
      topics,
    });
    expect(JSON.parse(feedResponseJson([], { nextCursor: null }))).toEqual({ items: [], nextCursor: null });
  });
});
