/**
 * What the engine offers other domains (the feed, live streams, analytics): a doctor's decayed
 * topic affinities and engine tags, read at a given time. Segment membership is in segments.ts.
 */
import type { Db, RowDataPacket } from '../../platform/db.js';
import { scoredAffinities } from './derive.js';
import { loadAffinities } from './repo.js';
import { loadSettings } from './settings.js';

/** Topic affinities of `hcpId` at `now`, strongest first, scores 0–1. */
export async function topicAffinitiesOf(db: Db, hcpId: string, now: number): Promise<{ topic: string; label: string; score: number }[]> {
  const [affinities, settings] = await Promise.all([loadAffinities(db, [hcpId]), loadSettings(db)]);
  return scoredAffinities(affinities.get(hcpId) ?? new Map(), now, settings);
}

/** Current tag values of `hcpId` (key → value). */
export async function tagsOf(db: Db, hcpId: string): Promise<Map<string, string>> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT tag_key, value FROM hcp_tags WHERE hcp_id = ?', [hcpId]);
  return new Map(rows.map((r) => [String(r.tag_key), String(r.value)]));
}
