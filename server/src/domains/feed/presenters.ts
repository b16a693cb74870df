/** What leaves the server about an item in the feed and the doctor's library: exactly these fields. */
import { TOPICS, type FeedItem, type FeedReasonKind, type LibraryItem } from '@hcp360/shared';
import type { EligibleContent } from '../content/eligibility.js';

export function presentLibraryItem(c: EligibleContent, at?: number): LibraryItem {
  return {
    id: c.id,
    type: c.type,
    title: c.title,
    summary: c.summary,
    cover: c.cover,
    topics: c.topics,
    topicLabels: c.topics.map((t) => TOPICS[t]),
    rxOnly: c.rxOnly,
    publishedAt: c.publishedAt,
    ...(at !== undefined && { at: new Date(at).toISOString() }),
  };
}

export function presentFeedItem(c: EligibleContent, reasonKind: FeedReasonKind, reason: string): FeedItem {
  return { ...presentLibraryItem(c), reason, reasonKind };
}
