/**
 * SQL for the engine's derived state: activity (counters as columns + detail JSON text),
 * affinities, engine-made tags with their history, referrals and the dirty list. Batches use
 * multi-row statements; every statement names the doctors it is about.
 */
import { RULE_COUNTERS } from '@hcp360/shared';
import type { Db, RowDataPacket } from '../../platform/db.js';
import { emptyActivity, type ActivityState, type Affinities, type Arrival } from './activity.js';
import type { TagValue } from './derive.js';

/** Counters folded from events: the shared rule counters less those computed at evaluation. */
const COUNTER_COLUMNS = RULE_COUNTERS.filter((c): c is keyof ActivityState['counters'] => c !== 'referred' && c !== 'meaningful_30d' && c !== 'cases_accepted');

export interface ActivityRecord {
  state: ActivityState;
  casesAccepted: number;
}

interface Detail {
  hours: number[];
  days: Record<string, number>;
  liveMinutes: Record<string, number[]>;
  arrival: Arrival | null;
  topicWeeks?: Record<string, Record<string, number>>;
  liveWeeks?: Record<string, Record<string, number>>;
}

const dt = (v: number | null) => (v === null ? null : new Date(v));
const ms = (v: Date | null) => (v === null ? null : v.getTime());

export async function loadActivity(db: Db, hcpIds: string[]): Promise<Map<string, ActivityRecord>> {
  const out = new Map<string, ActivityRecord>();
  if (hcpIds.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>('SELECT * FROM hcp_activity WHERE hcp_id IN (?)', [hcpIds]);
  for (const r of rows) {
    const state = emptyActivity();
    for (const c of COUNTER_COLUMNS) state.counters[c] = Number(r[c]);
    const detail = JSON.parse(String(r.detail)) as Detail;
    state.hours = detail.hours;
    state.days = detail.days;
    state.liveMinutes = detail.liveMinutes;
    state.arrival = detail.arrival;
    state.topicWeeks = detail.topicWeeks ?? {};
    state.liveWeeks = detail.liveWeeks ?? {};
    state.firstEventAt = ms(r.first_event_at);
    state.lastEventAt = ms(r.last_event_at);
    state.lastActiveAt = ms(r.last_active_at);
    out.set(String(r.hcp_id), { state, casesAccepted: Number(r.cases_accepted) });
  }
  return out;
}

export interface ActivityWrite {
  hcpId: string;
  state: ActivityState;
  referred: number;
  casesAccepted: number;
  meaningful30d: number;
}

export async function saveActivity(db: Db, writes: ActivityWrite[], now: number): Promise<void> {
  if (writes.length === 0) return;
  const cols = ['hcp_id', ...COUNTER_COLUMNS, 'cases_accepted', 'referred', 'meaningful_30d', 'arrival_channel', 'arrival_at', 'first_event_at', 'last_event_at', 'last_active_at', 'detail', 'updated_at'];
  const params: unknown[] = [];
  for (const w of writes) {
    const s = w.state;
    const detail: Detail = { hours: s.hours, days: s.days, liveMinutes: s.liveMinutes, arrival: s.arrival, topicWeeks: s.topicWeeks, liveWeeks: s.liveWeeks };
    params.push(
      w.hcpId,
      ...COUNTER_COLUMNS.map((c) => s.counters[c]),
      w.casesAccepted,
      w.referred,
      w.meaningful30d,
      s.arrival?.channel ?? null,
      dt(s.arrival?.at ?? null),
      dt(s.firstEventAt),
      dt(s.lastEventAt),
      dt(s.lastActiveAt),
      JSON.stringify(detail),
      new Date(now),
    );
  }
  const row = `(${cols.map(() => '?').join(', ')})`;
  await db.query(
    `INSERT INTO hcp_activity (${cols.join(', ')}) VALUES ${writes.map(() => row).join(', ')}
     ON DUPLICATE KEY UPDATE ${cols.slice(1).map((c) => `${c} = VALUES(${c})`).join(', ')}`,
    params,
  );
}

export async function loadAffinities(db: Db, hcpIds: string[]): Promise<Map<string, Affinities>> {
  const out = new Map<string, Affinities>();
  if (hcpIds.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>('SELECT hcp_id, topic, raw_score, as_of FROM hcp_topic_affinity WHERE hcp_id IN (?)', [hcpIds]);
  for (const r of rows) {
    const id = String(r.hcp_id);
    let m = out.get(id);
    if (!m) out.set(id, (m = new Map()));
    m.set(String(r.topic), { raw: Number(r.raw_score), asOf: (r.as_of as Date).getTime() });
  }
  return out;
}

export async function saveAffinities(db: Db, cells: { hcpId: string; topic: string; raw: number; asOf: number }[]): Promise<void> {
  for (let i = 0; i < cells.length; i += 500) {
    const chunk = cells.slice(i, i + 500);
    await db.query(
      `INSERT INTO hcp_topic_affinity (hcp_id, topic, raw_score, as_of) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}
       ON DUPLICATE KEY UPDATE raw_score = VALUES(raw_score), as_of = VALUES(as_of)`,
      chunk.flatMap((c) => [c.hcpId, c.topic, c.raw, new Date(c.asOf)]),
    );
  }
}

export interface StoredTag extends TagValue {
  since: number;
  updatedAt: number;
}

/** Tags whose keys the caller manages (`managed(key)`), per doctor. */
export async function loadTags(db: Db, hcpIds: string[], managed: (key: string) => boolean): Promise<Map<string, Map<string, StoredTag>>> {
  const out = new Map<string, Map<string, StoredTag>>(hcpIds.map((id) => [id, new Map()]));
  if (hcpIds.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>('SELECT hcp_id, tag_key, value, score, since, updated_at FROM hcp_tags WHERE hcp_id IN (?)', [hcpIds]);
  for (const r of rows) {
    if (!managed(String(r.tag_key))) continue;
    out.get(String(r.hcp_id))?.set(String(r.tag_key), {
      value: String(r.value),
      ...(r.score !== null && { score: Number(r.score) }),
      since: (r.since as Date).getTime(),
      updatedAt: (r.updated_at as Date).getTime(),
    });
  }
  return out;
}

/**
 * Writes the difference between `current` and `wanted` tags of many doctors in a few multi-row
 * statements: new and changed values are upserted (a changed value restarts `since` and goes to
 * the history), removed ones deleted. Returns the number of changes.
 */
export async function applyTagChangesBatch(
  db: Db,
  changes: { hcpId: string; current: Map<string, StoredTag>; wanted: Map<string, TagValue> }[],
  now: number,
): Promise<number> {
  const at = new Date(now);
  const upserts: unknown[][] = [];
  const history: unknown[][] = [];
  const removals: [string, string][] = [];
  for (const { hcpId, current, wanted } of changes) {
    for (const [key, want] of wanted) {
      const have = current.get(key);
      if (have && have.value === want.value && (have.score ?? null) === (want.score ?? null)) continue;
      const valueChanged = !have || have.value !== want.value;
      upserts.push([hcpId, key, want.value, want.score ?? null, valueChanged ? at : new Date(have!.since), at]);
      if (valueChanged) history.push([hcpId, key, have?.value ?? null, want.value, at]);
    }
    for (const [key, have] of current) {
      if (wanted.has(key)) continue;
      removals.push([hcpId, key]);
      history.push([hcpId, key, have.value, null, at]);
    }
  }
  for (let i = 0; i < upserts.length; i += 1000) {
    const chunk = upserts.slice(i, i + 1000);
    await db.query(
      `INSERT INTO hcp_tags (hcp_id, tag_key, value, score, since, updated_at) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}
       ON DUPLICATE KEY UPDATE value = VALUES(value), score = VALUES(score), since = VALUES(since), updated_at = VALUES(updated_at)`,
      chunk.flat(),
    );
  }
  for (let i = 0; i < removals.length; i += 1000) {
    const chunk = removals.slice(i, i + 1000);
    await db.query(`DELETE FROM hcp_tags WHERE (hcp_id, tag_key) IN (${chunk.map(() => '(?, ?)').join(', ')})`, chunk.flat());
  }
  for (let i = 0; i < history.length; i += 1000) {
    const chunk = history.slice(i, i + 1000);
    await db.query(`INSERT INTO hcp_tag_history (hcp_id, tag_key, old_value, new_value, at) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}`, chunk.flat());
  }
  return upserts.length + removals.length;
}

/** Keeps the referrals row of each doctor equal to their first touch; returns inviters whose count may have changed. */
export async function syncReferrals(db: Db, arrivals: { hcpId: string; arrival: Arrival | null }[]): Promise<string[]> {
  if (arrivals.length === 0) return [];
  const ids = arrivals.map((a) => a.hcpId);
  const [rows] = await db.query<RowDataPacket[]>('SELECT referred_hcp_id, inviter_kind, inviter_id FROM referrals WHERE referred_hcp_id IN (?)', [ids]);
  const before = new Map(rows.map((r) => [String(r.referred_hcp_id), { kind: String(r.inviter_kind), id: String(r.inviter_id) }]));
  const touched = new Set<string>();
  for (const { hcpId, arrival } of arrivals) {
    const old = before.get(hcpId);
    const inviter = arrival?.inviter && !(arrival.inviter.kind === 'hcp' && arrival.inviter.id === hcpId) ? arrival.inviter : undefined;
    if (old && (!inviter || old.kind !== inviter.kind || old.id !== inviter.id) && old.kind === 'hcp') touched.add(old.id);
    if (inviter) {
      await db.query(
        `INSERT INTO referrals (referred_hcp_id, inviter_kind, inviter_id, share_id, scene, at) VALUES (?, ?, ?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE inviter_kind = VALUES(inviter_kind), inviter_id = VALUES(inviter_id), share_id = VALUES(share_id), scene = VALUES(scene), at = VALUES(at)`,
        [hcpId, inviter.kind, inviter.id, arrival!.shareId ?? null, arrival!.scene ?? null, new Date(arrival!.at)],
      );
      if (inviter.kind === 'hcp' && (!old || old.id !== inviter.id)) touched.add(inviter.id);
    } else if (old) {
      await db.query('DELETE FROM referrals WHERE referred_hcp_id = ?', [hcpId]);
    }
  }
  return [...touched];
}

export async function referredCounts(db: Db, hcpIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (hcpIds.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>(
    "SELECT inviter_id, COUNT(*) AS n FROM referrals WHERE inviter_kind = 'hcp' AND inviter_id IN (?) GROUP BY inviter_id",
    [hcpIds],
  );
  for (const r of rows) out.set(String(r.inviter_id), Number(r.n));
  return out;
}

export async function markDirty(db: Db, hcpIds: string[], reason: string, now: number): Promise<void> {
  if (hcpIds.length === 0) return;
  await db.query(
    `INSERT INTO engine_dirty (hcp_id, reason, at) VALUES ${hcpIds.map(() => '(?, ?, ?)').join(', ')}
     ON DUPLICATE KEY UPDATE reason = VALUES(reason), at = VALUES(at)`,
    hcpIds.flatMap((id) => [id, reason, new Date(now)]),
  );
}
