/**
 * What the engine offers other domains (the feed, live streams, analytics): a doctor's decayed
 * topic affinities and engine tags, read at a given time. Segment membership is in segments.ts.
 */
import type { Db, RowDataPacket } from '../../platform/db.js';
import type { Affinities } from './activity.js';
import { scoredAffinities } from './derive.js';
import { loadAffinities } from './repo.js';
import { loadSettings, type EngineSettings } from './settings.js';

export type TopicAffinity = { topic: string; label: string; score: number };

/** Topic affinities of `hcpId` at `now`, strongest first, scores 0–1. */
export async function topicAffinitiesOf(db: Db, hcpId: string, now: number): Promise<TopicAffinity[]> {
  const state = await affinityStateOf(db, [hcpId]);
  return affinitiesAt(state.cells.get(hcpId), now, state.settings);
}

/** What topicAffinitiesOf reads, for many doctors at once (two queries). */
export async function affinityStateOf(db: Db, hcpIds: string[]): Promise<{ cells: Map<string, Affinities>; settings: EngineSettings }> {
  const [cells, settings] = await Promise.all([loadAffinities(db, hcpIds), loadSettings(db)]);
  return { cells, settings };
}

/** One doctor's affinity cells (from affinityStateOf) as topic affinities at `now`. */
export function affinitiesAt(cells: Affinities | undefined, now: number, settings: EngineSettings): TopicAffinity[] {
  return scoredAffinities(cells ?? new Map(), now, settings);
}

/** Current tag values of `hcpId` (key → value). */
export async function tagsOf(db: Db, hcpId: string): Promise<Map<string, string>> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT tag_key, value FROM hcp_tags WHERE hcp_id = ?', [hcpId]);
  return new Map(rows.map((r) => [String(r.tag_key), String(r.value)]));
}
