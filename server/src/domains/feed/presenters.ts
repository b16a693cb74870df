/**
 * What leaves the server about an item in the feed and the doctor's library: exactly these fields.
 * The feed's pages are written as JSON text from pieces made once: a card's fields once per
 * catalogue card (cards are shared and never change), a reason once per text, so a page is joined,
 * not serialised (the same JSON that serialising presentFeedItem's object gives).
 */
import { TOPICS, type FeedItem, type FeedReasonKind, type FeedResponse, type LibraryItem } from '@hcp360/shared';
import type { EligibleContent } from '../content/eligibility.js';
import type { RankedEntry } from './feedRanker.js';

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

/** A card's JSON without its closing brace, per card. */
const cardText = new WeakMap<EligibleContent, string>();
const reasonText = new Map<string, string>();

/** JSON.stringify(presentFeedItem(c, reasonKind, reason)), from pieces made once. */
export function feedItemJson(c: EligibleContent, reasonKind: FeedReasonKind, reason: string): string {
  let card = cardText.get(c);
  if (card === undefined) cardText.set(c, (card = JSON.stringify(presentLibraryItem(c)).slice(0, -1)));
  let tail = reasonText.get(reason);
  if (tail === undefined) reasonText.set(reason, (tail = `,"reason":${JSON.stringify(reason)}`));
  return `${card}${tail},"reasonKind":"${reasonKind}"}`;
}

const entryText = new WeakMap<RankedEntry, string>();

/** feedItemJson of a ranking's entry, once per entry (a kept ranking hands on the same entries). */
export function feedEntryJson(e: RankedEntry): string {
  let text = entryText.get(e);
  if (text === undefined) entryText.set(e, (text = feedItemJson(e.item, e.reasonKind, e.reason)));
  return text;
}

/** A feed page as JSON text: its items' JSON (feedItemJson) and the rest of FeedResponse. */
export function feedResponseJson(items: string[], rest: Omit<FeedResponse, 'items'>, topicsJson?: string): string {
  const topics = topicsJson ?? (rest.topics ? JSON.stringify(rest.topics) : undefined);
  return `{"items":[${items.join(',')}],"nextCursor":${JSON.stringify(rest.nextCursor)}${topics === undefined ? '' : `,"topics":${topics}`}}`;
}
