/**
 * What a doctor may see, written once. A version is served when it is
 *   - published (approved, then published: stored status 'published'; archive changes it),
 *   - live: its live_from has passed and its expire_at has not,
 *   - the newest live version of its item (a newer live version supersedes it),
 *   - aimed at everyone or at a segment the doctor is in, and
 *   - not Rx-only, unless the doctor is a verified HCP (WECHAT.md "Chinese rules").
 * Each rule is one entry of SERVING_RULES, written twice side by side: as SQL over
 * `content_versions v` (GET /api/content/:id reads one version with it) and as a test over a
 * version held in memory (the serving catalogue, servingCatalogue.ts, that the feed, search and
 * the library read). test/content.servingRules.test.ts checks that the two agree on random
 * content, times and doctors. Segments come from the tags domain (segmentIdsOf), verification
 * from identity.
 */
import { RX_NOTICE, type ContentCard, type ContentType, type DoctorContent, type Topic } from '@hcp360/shared';
import type { Db, RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { verificationStatusOf } from '../identity/hcpRepo.js';
import { segmentIdsOf } from '../tags/segments.js';
import { topicsOfVersions, type VersionRow } from './repo.js';
import { servingCatalogueOf } from './servingCatalogue.js';

export interface Viewer {
  segmentIds: string[];
  verified: boolean;
}

export async function viewerOf(db: Db, hcpId: string): Promise<Viewer> {
  const [status, segmentIds] = await Promise.all([verificationStatusOf(db, hcpId), segmentIdsOf(db, hcpId)]);
  return { segmentIds, verified: status === 'verified' };
}

/** A stored version as the rules read it. */
export interface ServingFacts {
  itemId: string;
  versionNo: number;
  /** The stored status (draft, in_review, approved, published, superseded, archived). */
  status: string;
  liveFrom: number | null;
  expireAt: number | null;
  audienceAll: boolean;
  /** The segments it is aimed at when not everyone. */
  segmentIds: readonly string[];
  rxOnly: boolean;
}

interface ServingRule {
  /** `time` rules depend on the version, its siblings and the clock; `viewer` rules on who asks. */
  on: 'time' | 'viewer';
  /** The rule over `content_versions v`, or null when it does not restrict this viewer. */
  sql(viewer: Viewer, at: Date, rx: boolean): { sql: string; params: unknown[] } | null;
  /** The same rule over a version in memory; `siblings` are the item's stored-published versions. */
  holds(v: ServingFacts, siblings: readonly ServingFacts[], viewer: Viewer, now: number, rx: boolean): boolean;
}

const isLiveAt = (v: ServingFacts, now: number) => v.liveFrom !== null && v.liveFrom <= now;

export const SERVING_RULES: Record<'published' | 'live' | 'notExpired' | 'newestLive' | 'audience' | 'rx', ServingRule> = {
  published: {
    on: 'time',
    sql: () => ({ sql: "v.status = 'published'", params: [] }),
    holds: (v) => v.status === 'published',
  },
  live: {
    on: 'time',
    sql: (_, at) => ({ sql: 'v.live_from <= ?', params: [at] }),
    holds: (v, _s, _w, now) => isLiveAt(v, now),
  },
  notExpired: {
    on: 'time',
    sql: (_, at) => ({ sql: '(v.expire_at IS NULL OR v.expire_at > ?)', params: [at] }),
    holds: (v, _s, _w, now) => v.expireAt === null || v.expireAt > now,
  },
  newestLive: {
    on: 'time',
    sql: (_, at) => ({
      sql: `NOT EXISTS (SELECT 1 FROM content_versions n
                  WHERE n.item_id = v.item_id AND n.status = 'published' AND n.version_no > v.version_no AND n.live_from <= ?)`,
      params: [at],
    }),
    holds: (v, siblings, _w, now) => !siblings.some((n) => n.itemId === v.itemId && n.status === 'published' && n.versionNo > v.versionNo && isLiveAt(n, now)),
  },
  audience: {
    on: 'viewer',
    sql: (viewer) =>
      viewer.segmentIds.length
        ? { sql: '(v.audience_all = 1 OR EXISTS (SELECT 1 FROM content_audience a WHERE a.version_id = v.id AND a.segment_id IN (?)))', params: [viewer.segmentIds] }
        : { sql: 'v.audience_all = 1', params: [] },
    holds: (v, _s, viewer) => v.audienceAll || v.segmentIds.some((s) => viewer.segmentIds.includes(s)),
  },
  rx: {
    on: 'viewer',
    sql: (viewer, _at, rx) => (rx && !viewer.verified ? { sql: 'v.rx_only = 0', params: [] } : null),
    holds: (v, _s, viewer, _now, rx) => !rx || viewer.verified || !v.rxOnly,
  },
};
const RULES = Object.values(SERVING_RULES);
const TIME_RULES = RULES.filter((r) => r.on === 'time');
const VIEWER_RULES = RULES.filter((r) => r.on === 'viewer');

/**
 * The eligibility rules as a WHERE fragment over `content_versions v`. With `rx: false` the Rx
 * rule is left to the caller, so the single-item read can answer RX_ONLY instead of 404.
 */
export function servingPredicate(viewer: Viewer, now: number, opts: { rx: boolean } = { rx: true }): { sql: string; params: unknown[] } {
  const at = new Date(now);
  const parts = RULES.flatMap((r) => r.sql(viewer, at, opts.rx) ?? []);
  return { sql: parts.map((p) => p.sql).join(' AND '), params: parts.flatMap((p) => p.params) };
}

/** Whether `v` is the version of its item served at `now` to anyone allowed to see it (the time rules). */
export function isServedAt(v: ServingFacts, siblings: readonly ServingFacts[], now: number): boolean {
  return TIME_RULES.every((r) => r.holds(v, siblings, { segmentIds: [], verified: false }, now, true));
}

/** Whether `viewer` may see `v` (the audience and Rx rules). */
export function visibleTo(v: ServingFacts, viewer: Viewer, opts: { rx: boolean } = { rx: true }): boolean {
  return VIEWER_RULES.every((r) => r.holds(v, [], viewer, 0, opts.rx));
}

/** Every rule in memory: what `servingPredicate` selects. */
export function serves(v: ServingFacts, siblings: readonly ServingFacts[], viewer: Viewer, now: number, opts: { rx: boolean } = { rx: true }): boolean {
  return isServedAt(v, siblings, now) && visibleTo(v, viewer, opts);
}

/** What the feed ranks: the card of each item's live version and its priority. */
export interface EligibleContent extends ContentCard {
  priority: number;
}

interface ServedRow extends VersionRow {
  content_type: ContentType;
}

const SERVED_SELECT = `SELECT v.*, i.content_type FROM content_versions v JOIN content_items i ON i.id = v.item_id`;

/**
 * Every item `hcpId` may see at `now`, newest first (live_from, then id): the feed's candidates,
 * from the serving catalogue.
 */
export async function eligibleContentFor(deps: Pick<Deps, 'pool'>, hcpId: string, now: number): Promise<EligibleContent[]> {
  const [viewer, served] = await Promise.all([viewerOf(deps.pool, hcpId), servingCatalogueOf(deps).servedAt(now)]);
  return [...served.viewFor(viewer).items];
}

/** A lookup of the items `hcpId` may see at `now`, by item id (for lists of ids: favourites, history, a ranking snapshot). */
export async function eligibleLookupFor(deps: Pick<Deps, 'pool'>, hcpId: string, now: number): Promise<(itemId: string) => EligibleContent | undefined> {
  const [viewer, served] = await Promise.all([viewerOf(deps.pool, hcpId), servingCatalogueOf(deps).servedAt(now)]);
  return (itemId) => served.itemFor(viewer, itemId);
}

/**
 * GET /api/content/:id. Anything the doctor may not see now (not published, scheduled, expired,
 * archived, outside the audience) is 404, so its existence is not revealed; Rx-only material
 * for a doctor who is not a verified HCP is 403 RX_ONLY.
 */
export async function contentForDoctor(deps: Deps, hcpId: string, itemId: string): Promise<DoctorContent> {
  const viewer = await viewerOf(deps.pool, hcpId);
  const where = servingPredicate(viewer, deps.clock(), { rx: false });
  const [rows] = await deps.pool.query<ServedRow[]>(`${SERVED_SELECT} WHERE v.item_id = ? AND ${where.sql}`, [itemId, ...where.params]);
  const v = rows[0];
  if (!v) throw new AppError('NOT_FOUND', 'No such content.');
  if (v.rx_only === 1 && !viewer.verified) throw new AppError('RX_ONLY');
  const topics = (await topicsOfVersions(deps.pool, [v.id])).get(v.id) ?? [];
  return {
    id: v.item_id,
    type: v.content_type,
    title: v.title,
    summary: v.summary,
    cover: v.cover_url,
    topics,
    rxOnly: v.rx_only === 1,
    ...(v.content_type === 'article' ? { body: v.body ?? '' } : { videoUrl: v.video_url ?? '', ...(v.body && { body: v.body }) }),
    publishedAt: v.live_from!.toISOString(),
    ...(v.rx_only === 1 && { notice: RX_NOTICE }),
  };
}

/**
 * Topics and format of each item (the engine turns content events into topic affinity and format
 * preference): the topics of the newest version that was ever published, or of the newest
 * version when none was. Unknown ids are left out. Fits the engine's ItemSources `content` slot.
 */
export async function contentInfoOf(db: Db, ids: string[]): Promise<Map<string, { topics: Topic[]; format: ContentType }>> {
  const out = new Map<string, { topics: Topic[]; format: ContentType }>();
  const wanted = [...new Set(ids)].filter((id) => /^[1-9][0-9]{0,18}$/.test(id));
  if (wanted.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT v.item_id, v.id, v.live_from, i.content_type FROM content_versions v JOIN content_items i ON i.id = v.item_id
      WHERE v.item_id IN (?) ORDER BY v.item_id, v.version_no`,
    [wanted],
  );
  const chosen = new Map<string, { versionId: string; published: boolean; format: ContentType }>();
  for (const r of rows) {
    const published = r.live_from !== null;
    const prev = chosen.get(String(r.item_id));
    // oldest first: a later version wins unless it would replace a published one with an unpublished one
    if (!prev || published || !prev.published) chosen.set(String(r.item_id), { versionId: String(r.id), published, format: r.content_type as ContentType });
  }
  const topics = await topicsOfVersions(db, [...chosen.values()].map((c) => c.versionId));
  for (const [itemId, c] of chosen) out.set(itemId, { topics: topics.get(c.versionId) ?? [], format: c.format });
  return out;
}

/** Topics of each item, as contentInfoOf chooses them. */
export async function topicsOfContent(db: Db, ids: string[]): Promise<Map<string, Topic[]>> {
  const info = await contentInfoOf(db, ids);
  return new Map([...info].map(([id, i]) => [id, i.topics]));
}
