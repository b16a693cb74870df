/**
 * The personalised feed and a doctor's reading library (DESIGN §5, §7 `GET /api/feed`): query
 * schemas the server validates with and the answers the mini-program and console read.
 */
import { z } from 'zod';
import type { ContentCard, ContentType } from './content.js';
import { TOPIC_CODES, type Topic } from './vocab.js';

const topic = z.enum(TOPIC_CODES as [Topic, ...Topic[]]);
const limit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);

/**
 * A feed cursor is opaque: the session's ranking snapshot, signed by the server, and the position
 * in it (`<base64url>.<offset>`, a few hundred characters; server/src/domains/feed/snapshots.ts).
 * Clients pass back what they were given.
 */
export const FEED_CURSOR_RE = /^[A-Za-z0-9_-]{54,8000}\.[0-9]{1,4}$/;

/** GET /api/feed. Without `cursor`: a fresh ranking; with it: the next page of the same one. */
export const FeedQuery = z.strictObject({
  limit: limit(50, 10),
  /** Checked by the server (FEED_CURSOR_INVALID / FEED_CURSOR_EXPIRED), not here: it is opaque. */
  cursor: z.string().min(1).max(8192).optional(),
  /** Only items with this topic (any of their topics). */
  topic: topic.optional(),
});
export type FeedQuery = z.infer<typeof FeedQuery>;

/** Why an item is in the feed; `reason` is the Chinese line shown with it. */
export const FEED_REASON_KINDS = ['affinity', 'cluster', 'peers', 'fresh', 'editor', 'picked'] as const;
export type FeedReasonKind = (typeof FEED_REASON_KINDS)[number];

/** How far the exploration cluster was widened (放大聚类) before it had enough signal. */
export const CLUSTER_LEVELS = ['department_title', 'department', 'everyone'] as const;
export type ClusterLevel = (typeof CLUSTER_LEVELS)[number];

export interface FeedItem extends ContentCard {
  /** Chinese labels of `topics`, same order. */
  topicLabels: string[];
  /** e.g. 因为你关注「高血压」, 同科室医生都在看, 同行都在看, 新上线, 编辑推荐. */
  reason: string;
  reasonKind: FeedReasonKind;
}

export interface FeedTopicFacet {
  topic: Topic;
  label: string;
  /** Items of this topic among everything the doctor may see now. */
  count: number;
}

export interface FeedResponse {
  items: FeedItem[];
  nextCursor: string | null;
  /**
   * First page only (no cursor sent): topics to filter by, the doctor's strongest interests
   * first, then by how much there is to read.
   */
  topics?: FeedTopicFacet[];
}

/** GET /api/admin/hcps/:id/feed-preview. */
export const FeedPreviewQuery = z.strictObject({
  limit: limit(100, 20),
  topic: topic.optional(),
});

/** The parts an item's score is made of (see server/src/domains/feed/feedWeights.ts). */
export interface FeedScoreBreakdown {
  affinity: number;
  freshness: number;
  priority: number;
  /** Subtracted: the doctor already read it. */
  readPenalty: number;
  /** Subtracted: shown many times without a click. */
  impressionPenalty: number;
  /** Popularity among similar doctors, 0–1 (what exploration slots rank by). */
  exploration: number;
  /** affinity + freshness + priority − readPenalty − impressionPenalty. */
  total: number;
}

export interface FeedPreviewItem extends FeedItem {
  position: number;
  /** `ranked`: placed by its score; `exploration`: placed in an exploration slot by popularity. */
  slot: 'ranked' | 'exploration';
  score: FeedScoreBreakdown;
}

export interface FeedPreviewResponse {
  hcpId: string;
  /** No affinities and nothing read: the feed leads with what similar doctors read. */
  coldStart: boolean;
  cluster: { level: ClusterLevel; key: string; label: string; activeDoctors: number };
  affinities: { topic: string; label: string; score: number }[];
  items: FeedPreviewItem[];
}

/** GET /api/me/favorites, GET /api/me/history, GET /api/content/search: offset paging. */
export const LibraryQuery = z.strictObject({
  limit: limit(50, 20),
  cursor: z.string().regex(/^[0-9]{1,5}$/, 'cursor: pass back the nextCursor you were given').optional(),
});
export type LibraryQuery = z.infer<typeof LibraryQuery>;

export const SearchQuery = LibraryQuery.extend({
  q: z.string().trim().min(1, 'q: type something to search for').max(50),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

/** One entry of 我的收藏 / 阅读历史 / search results. */
export interface LibraryItem extends ContentCard {
  topicLabels: string[];
  /** When it was favourited (favorites) or last read (history). */
  at?: string;
}

export interface LibraryResponse {
  items: LibraryItem[];
  nextCursor: string | null;
}

/** GET /api/content/:id/reactions: the doctor's own like / favourite state of an item. */
export interface ContentReactions {
  liked: boolean;
  favorited: boolean;
}
