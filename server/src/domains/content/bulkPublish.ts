/**
 * A whole published catalogue in bulk, for the synthetic world (dev/writeWorld.ts): the rows the
 * workflow would leave behind (item, version 1 published with its reviewer and publisher, topics,
 * audience, and the audit entries create → submit → approve → publish), written by multi-row
 * INSERTs instead of four transactions per item. Bypasses the body sanitiser and the self-review
 * check: only for generated content, never for input.
 */
import type { ContentType, Topic } from '@hcp360/shared';
import type { Principal } from '../../platform/auth.js';
import type { RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { recordAuditBatch } from '../audit/service.js';
import { insertItem, markContentChanged } from './repo.js';
import { servingCatalogueOf } from './servingCatalogue.js';

export interface SyntheticItem {
  type: ContentType;
  title: string;
  summary: string | null;
  body: string | null;
  videoUrl: string | null;
  topics: Topic[];
  rxOnly: boolean;
  priority: number;
  segmentIds: string[];
  /** When it went live (it was published then). */
  liveFrom: number;
  expireAt: number | null;
}

const CHUNK = 1000;
const HOUR = 3_600_000;

/** Writes `items` as published content; returns their item ids in the same order. */
export async function publishSyntheticCatalogue(deps: Pick<Deps, 'pool'>, staff: { author: Principal; reviewer: Principal }, items: SyntheticItem[]): Promise<string[]> {
  const { pool } = deps;
  const ids: string[] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    const chunk = items.slice(i, i + CHUNK);
    // One INSERT per item: the ids of a multi-row INSERT are not guaranteed consecutive (TiDB, interleaved auto-increment).
    const itemIds: string[] = [];
    for (let k = 0; k < chunk.length; k += 8) {
      itemIds.push(...(await Promise.all(chunk.slice(k, k + 8).map((it) => insertItem(pool, it.type, staff.author.id, new Date(it.liveFrom - 2 * HOUR))))));
    }
    const versionRows = chunk.map((it, k) => {
      const created = new Date(it.liveFrom - 2 * HOUR);
      return [itemIds[k], 1, 'published', it.title, it.summary, null, it.body, it.videoUrl, it.rxOnly ? 1 : 0, it.priority, it.segmentIds.length ? 0 : 1, null, it.expireAt === null ? null : new Date(it.expireAt), new Date(it.liveFrom), staff.author.id, staff.author.id, staff.author.id, staff.reviewer.id, new Date(it.liveFrom - HOUR), null, created, new Date(it.liveFrom)];
    });
    await pool.query(
      `INSERT INTO content_versions (item_id, version_no, status, title, summary, cover_url, body, video_url, rx_only, priority, audience_all, publish_at, expire_at, live_from,
         published_by, author_id, edited_by, reviewed_by, reviewed_at, review_comment, created_at, updated_at) VALUES ?`,
      [versionRows],
    );
    const [versions] = await pool.query<RowDataPacket[]>('SELECT id, item_id FROM content_versions WHERE item_id IN (?) AND version_no = 1', [itemIds]);
    const versionOf = new Map(versions.map((r) => [String(r.item_id), String(r.id)]));
    await pool.query('INSERT INTO content_topics (version_id, topic) VALUES ?', [chunk.flatMap((it, k) => it.topics.map((t) => [versionOf.get(itemIds[k]!), t]))]);
    const audience = chunk.flatMap((it, k) => it.segmentIds.map((s) => [versionOf.get(itemIds[k]!), s]));
    if (audience.length) await pool.query('INSERT INTO content_audience (version_id, segment_id) VALUES ?', [audience]);
    await recordAuditBatch(
      pool,
      chunk.flatMap((it, k) => {
        const targetId = itemIds[k]!;
        const step = (actor: Principal, action: string, from: string | null, to: string, at: number) => ({
          entry: { actor, action: `content.${action}`, targetType: 'content', targetId, detail: { version: 1, from, to, comment: null } },
          at,
        });
        return [
          step(staff.author, 'create', null, 'draft', it.liveFrom - 2 * HOUR),
          step(staff.author, 'submit', 'draft', 'in_review', it.liveFrom - 2 * HOUR),
          step(staff.reviewer, 'approve', 'in_review', 'approved', it.liveFrom - HOUR),
          step(staff.author, 'publish', 'approved', 'published', it.liveFrom),
        ];
      }),
    );
    ids.push(...itemIds);
  }
  await markContentChanged(pool);
  servingCatalogueOf(deps).changed();
  return ids;
}
