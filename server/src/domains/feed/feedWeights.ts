/**
 * Every weight and threshold of the feed, in one place. An item's score (feedRanker.ts):
 *
 *   score = AFFINITY  · match                       match: the doctor's strongest decayed affinity
 *                                                   (0–1) among the item's topics, plus
 *                                                   SECONDARY_MATCH · the other matching topics (≤ 1)
 *         + FRESHNESS · 2^(−ageDays / FRESH_HALF_LIFE_DAYS)
 *         + PRIORITY  · priority / 100              marketing priority 0–100
 *         − READ_PENALTY · (deep read ? 1 : SHALLOW_READ_FACTOR)         once read, ever
 *         − min(IMPRESSION_PENALTY_MAX, IMPRESSION_PENALTY · max(0, unclicked − FREE_IMPRESSIONS))
 *                                                   unclicked = times shown in the last
 *                                                   IMPRESSION_WINDOW_DAYS since it was last opened
 *
 * With these numbers one strong interest (affinity ≈ 0.6 → 36) outweighs anything freshness and
 * priority can add (≤ 35), and an item read deeply (−80) sinks below the unread ones even when it
 * matches the doctor's strongest interest; a glance (−48) sinks it less.
 *
 * Every EXPLORE_EVERY-th slot (1 in 5 = 20 %) is exploration: the item most popular among similar
 * doctors (popularity.ts) that the doctor has not read, whatever its score. Cold-start doctors
 * (no affinity, nothing read) get exploration in every slot until popular items run out.
 */
export const FEED_WEIGHTS = {
  affinity: 60,
  secondaryMatch: 0.3,
  freshness: 20,
  freshHalfLifeDays: 14,
  priority: 15,
  readPenalty: 80,
  shallowReadFactor: 0.6,
  /** A read this long and this deep is "deep" (same bar as the engine's deep read). */
  deepReadDwellMs: 60_000,
  deepReadDepth: 0.6,
  impressionPenalty: 3,
  impressionPenaltyMax: 15,
  freeImpressions: 3,
  impressionWindowDays: 14,
} as const;

export const EXPLORATION = {
  /** Slot positions p with (p + 1) % every === 0 are exploration slots. */
  every: 5,
  /**
   * 放大聚类: a cluster is used when it has at least this many doctors active in the window and
   * this many items with popularity; otherwise department+title widens to the department, the
   * department to everyone. When even everyone is below it there is no exploration (one doctor's
   * reading is not "what peers read").
   */
  minActiveDoctors: 3,
  minItems: 3,
  /** Popularity window and per-action weights; one doctor adds at most `perDoctorCap` to an item. */
  windowDays: 30,
  actionWeights: { read: 1, like: 2, favorite: 3, share: 3 },
  perDoctorCap: 5,
  /** The aggregate is rebuilt when older than this (in the background, by whichever request sees it stale). */
  refreshEveryMs: 10 * 60_000,
} as const;

export const REASON_RULES = {
  /** Affinity match at which "因为你关注「…」" is the reason. */
  affinityMatch: 0.1,
  /** Priority at which an item is 编辑推荐. */
  editorPriority: 80,
  /** Age at which an item is still 新上线. */
  freshDays: 7,
} as const;

export const PAGING = {
  /** A ranking snapshot (carried by the cursor) lives this long; a cursor after that is FEED_CURSOR_EXPIRED. */
  snapshotTtlMs: 30 * 60_000,
  /** The longest ranking kept (the feed never pages further). */
  maxRanked: 500,
  /**
   * A first page ranks this far (two pages of the default size: the next page is ranked, and
   * fixed, with the first); a session paging past it ranks this many more, then again, continuing
   * the doctor's kept ranking in memory (snapshots.ts). 50 cost about 10 µs more per first page
   * (measured, 7 % of its CPU) for pages beyond the second that few sessions reach.
   */
  rankAhead: 20,
} as const;

/** Doctors' rankings kept between their requests (rankingCache.ts). */
export const RANKINGS_KEPT = {
  /** Doctors whose rankings are kept (each some tens of KB: its walk over the combos and the candidates it scored). */
  doctors: 2_000,
  /** A ranking's scores are at most this old (freshness moves < 0.001 of a point in a minute). */
  maxAgeMs: 60_000,
} as const;

/** Impressions are written one row per page shown (impressions.ts): here a row is a page of up to 50 items. */
export const IMPRESSION_BUFFER = {
  flushEveryMs: 1_000,
  /**
   * Flush at once when this many pages wait (under a second's worth at a few thousand pages a
   * second): one INSERT of about 2,000 × 150 bytes, which takes no lock readers wait for (they
   * read a consistent snapshot). Per statement the database pays a commit: at 4,800 pages a second
   * its CPU per page was 16.4 µs with 200 rows a statement, 13.0 with 1,000, 11.8 with 2,000
   * (measured on this project's 2-core machine, where it shares the cores with the server).
   */
  flushAtRows: 2_000,
  /**
   * Pages kept while the database is unreachable; beyond this the oldest are dropped: about
   * 50,000 items, a few MB of memory (one row per item kept 20,000).
   */
  maxBufferedRows: 5_000,
} as const;
