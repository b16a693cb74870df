/**
 * What leaves the server about an item in the feed and the doctor's library: exactly these fields.
 * The feed's pages are written as UTF-8 JSON from pieces made once: a card's fields once per
 * catalogue card (cards are shared and never change), a reason once per text and kind, so a page
 * is copied together, not serialised (the same JSON that serialising presentFeedItem's object gives).
 */
import { TOPICS, type FeedItem, type FeedReasonKind, type FeedResponse, type LibraryItem } from '@hcp360/shared';
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

/** A card's JSON as UTF-8 without its closing brace, per card (cards are shared and never change). */
const cardBytes = new WeakMap<EligibleContent, Buffer>();
/** `,"reason":…,"reasonKind":…}` as UTF-8, per kind and reason (a nested map: no key string made per item). */
const reasonBytes = new Map<FeedReasonKind, Map<string, Buffer>>();

/** A feed item's JSON as UTF-8, in two pieces made once: the card's fields, then its reason. */
export type FeedItemBytes = readonly [card: Buffer, reason: Buffer];

/** JSON.stringify(presentFeedItem(c, reasonKind, reason)) as UTF-8, from pieces made once. */
export function feedItemBytes(c: EligibleContent, reasonKind: FeedReasonKind, reason: string): FeedItemBytes {
  let card = cardBytes.get(c);
  if (card === undefined) cardBytes.set(c, (card = Buffer.from(JSON.stringify(presentLibraryItem(c)).slice(0, -1))));
  let ofKind = reasonBytes.get(reasonKind);
  if (ofKind === undefined) reasonBytes.set(reasonKind, (ofKind = new Map()));
  let tail = ofKind.get(reason);
  if (tail === undefined) ofKind.set(reason, (tail = Buffer.from(`,"reason":${JSON.stringify(reason)},"reasonKind":${JSON.stringify(reasonKind)}}`)));
  return [card, tail];
}

const OPEN = Buffer.from('{"items":[');

/**
 * Page bodies are cut from slabs, as Node's own pool does for buffers below 4 KB: a page is about
 * 5 KB, and a buffer of its own cost an allocation and an array buffer for the GC to track (five
 * times the cut, measured). A slab is never reused; it is freed once no body cut from it is held.
 */
const SLAB_BYTES = 64 * 1024;
let slab = Buffer.allocUnsafeSlow(0);
let slabUsed = 0;

function bodyBuffer(length: number): Buffer {
  if (length > SLAB_BYTES / 4) return Buffer.allocUnsafe(length);
  if (slabUsed + length > slab.length) (slab = Buffer.allocUnsafeSlow(SLAB_BYTES)), (slabUsed = 0);
  const out = slab.subarray(slabUsed, slabUsed + length);
  slabUsed = (slabUsed + length + 7) & ~7;
  return out;
}

/**
 * A feed page as the UTF-8 JSON of a FeedResponse: its items' pieces (feedItemBytes) and the rest,
 * copied once into the body (no string of the page is made, measured or encoded again, nor of the
 * cursor's JSON).
 * `topicsJson` is the first page's topics, already JSON.
 */
export function feedResponseBody(items: readonly FeedItemBytes[], rest: Omit<FeedResponse, 'items' | 'topics'>, topicsJson?: Buffer): Buffer {
  const cursor = rest.nextCursor;
  // A cursor is base64url and an offset (snapshots.ts): its JSON is itself in quotes, written as
  // it is; anything else (null) goes through JSON.stringify.
  const plain = cursor !== null && PLAIN_CURSOR.test(cursor);
  const cursorJson = plain ? '' : JSON.stringify(cursor);
  const cursorLength = plain ? cursor.length + 2 : Buffer.byteLength(cursorJson);
  let length = OPEN.length + Math.max(0, items.length - 1) + NEXT_CURSOR.length + cursorLength + (topicsJson ? TOPICS_KEY.length + topicsJson.length : 0) + 1;
  for (const [card, tail] of items) length += card.length + tail.length;
  const out = bodyBuffer(length);
  out.set(OPEN, 0);
  let at = OPEN.length;
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out[at++] = 0x2c; // ,
    const [card, tail] = items[i]!;
    out.set(card, at);
    out.set(tail, at + card.length);
    at += card.length + tail.length;
  }
  out.set(NEXT_CURSOR, at);
  at += NEXT_CURSOR.length;
  if (plain) {
    out[at++] = 0x22; // "
    at += out.write(cursor, at, 'latin1');
    out[at++] = 0x22;
  } else at += out.write(cursorJson, at, 'utf8');
  if (topicsJson) {
    out.set(TOPICS_KEY, at);
    out.set(topicsJson, at + TOPICS_KEY.length);
    at += TOPICS_KEY.length + topicsJson.length;
  }
  out[at] = 0x7d; // }
  return out;
}

const NEXT_CURSOR = Buffer.from('],"nextCursor":');
const TOPICS_KEY = Buffer.from(',"topics":');
/** Characters a cursor is made of that JSON writes as they are (no quote, backslash or control character). */
const PLAIN_CURSOR = /^[A-Za-z0-9_.-]*$/;
