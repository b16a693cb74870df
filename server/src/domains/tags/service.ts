/**
 * What the engine offers other domains (the feed, live streams, analytics): a doctor's decayed
 * topic affinities and engine tags, read at a given time. Segment membership is in segments.ts.
 */
import type { Db, RowDataPacket } from '../../platform/db.js';
import { emptyActivity, type Affinities } from './activity.js';
import { scoredAffinities } from './derive.js';
import { loadAffinities, markDirty } from './repo.js';
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

/**
 * A case by `hcpId` was accepted (the cases domain calls this inside the transaction that accepts
 * it): adds one to `cases_accepted` and marks the doctor for re-evaluation, so the KOC rule and the
 * lifecycle stage follow. The counter is a fact from outside events, so recompute carries it over.
 * The tagger writes whole activity rows from what it read; taking the tagger cursors' row locks
 * first makes this increment wait for a batch in flight (and a batch starting later read it), so
 * neither overwrites the other. Then tell the engine with noteDoctorChanged once committed.
 */
export async function recordCaseAccepted(db: Db, hcpId: string, now: number): Promise<void> {
  await db.query('SELECT partition_no FROM tagger_cursors ORDER BY partition_no FOR UPDATE');
  const s = emptyActivity();
  const detail = JSON.stringify({ hours: s.hours, days: s.days, liveMinutes: s.liveMinutes, arrival: s.arrival, topicWeeks: s.topicWeeks, liveWeeks: s.liveWeeks });
  await db.query(
    `INSERT INTO hcp_activity (hcp_id, cases_accepted, detail, updated_at) VALUES (?, 1, ?, ?)
     ON DUPLICATE KEY UPDATE cases_accepted = cases_accepted + 1, updated_at = VALUES(updated_at)`,
    [hcpId, detail, new Date(now)],
  );
  await markDirty(db, [hcpId], 'case_accepted', now);
}
