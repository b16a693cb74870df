/**
 * What similar doctors read: an aggregate table rebuilt from the last 30 days of events, so a
 * feed request reads a few dozen rows instead of scanning events.
 *
 * Refresh: one grouped query over the window (events/eventFacts.ts, one row per doctor × item),
 * doctors mapped to their clusters (identity's doctorFactsOf), summed per cluster in memory, and
 * written in one transaction (readers keep seeing the previous aggregate until it commits).
 * feedJobs.ts runs it when a feed request finds the aggregate older than
 * EXPLORATION.refreshEveryMs. A named lock (GET_LOCK, also on TiDB) lets one instance refresh at
 * a time; the others keep serving the previous aggregate.
 */
import type { Deps } from '../../platform/deps.js';
import type { Db, PoolConnection, RowDataPacket } from '../../platform/db.js';
import { contentEngagementSince } from '../events/eventFacts.js';
import { doctorFactsOf } from '../identity/service.js';
import { clustersOf, type Cluster } from './clusters.js';
import { EXPLORATION as X } from './feedWeights.js';
import type { Popularity } from './feedRanker.js';
import { markJobRan } from './feedJobs.js';

const DAY = 86_400_000;
export const POPULARITY_JOB = 'popularity';
const CHUNK = 1000;

async function facts(db: Db, ids: string[]) {
  const out = new Map<string, { department: string | null; title: string | null }>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const [id, f] of await doctorFactsOf(db, ids.slice(i, i + CHUNK))) out.set(id, { department: f.department, title: f.title });
  }
  return out;
}

/** Rebuilds feed_popularity and feed_clusters now. Returns false when another instance holds the lock. */
export async function refreshPopularity(deps: Pick<Deps, 'pool' | 'clock'>): Promise<boolean> {
  const conn = await deps.pool.getConnection();
  try {
    const [lock] = await conn.query<RowDataPacket[]>("SELECT GET_LOCK('hcp360_feed_popularity', 0) AS got");
    if (lock[0]?.got !== 1) return false;
    try {
      await rebuild(conn, deps.clock());
      return true;
    } finally {
      await conn.query("SELECT RELEASE_LOCK('hcp360_feed_popularity')");
    }
  } finally {
    conn.release();
  }
}

async function rebuild(conn: PoolConnection, now: number): Promise<void> {
  const rows = await contentEngagementSince(conn, now - X.windowDays * DAY);
  const doctors = await facts(conn, [...new Set(rows.map((r) => r.hcpId))]);
  const w = X.actionWeights;
  const items = new Map<string, Map<string, { score: number; doctors: number }>>();
  const active = new Map<string, Set<string>>();
  for (const r of rows) {
    const value = Math.min(X.perDoctorCap, r.reads * w.read + r.likes * w.like + r.favorites * w.favorite + r.shares * w.share);
    if (value <= 0) continue;
    const d = doctors.get(r.hcpId);
    for (const c of clustersOf(d?.department ?? null, d?.title ?? null)) {
      const perItem = items.get(c.key) ?? items.set(c.key, new Map()).get(c.key)!;
      const cell = perItem.get(r.contentId) ?? { score: 0, doctors: 0 };
      perItem.set(r.contentId, { score: cell.score + value, doctors: cell.doctors + 1 });
      (active.get(c.key) ?? active.set(c.key, new Set()).get(c.key)!).add(r.hcpId);
    }
  }
  const popRows = [...items].flatMap(([key, perItem]) => [...perItem].map(([id, c]) => [key, id, c.score, c.doctors]));
  const clusterRows = [...items].map(([key, perItem]) => [key, active.get(key)?.size ?? 0, perItem.size]);

  await conn.beginTransaction();
  try {
    await conn.query('DELETE FROM feed_popularity');
    await conn.query('DELETE FROM feed_clusters');
    for (let i = 0; i < popRows.length; i += CHUNK) {
      await conn.query('INSERT INTO feed_popularity (cluster_key, content_id, score, doctors) VALUES ?', [popRows.slice(i, i + CHUNK)]);
    }
    for (let i = 0; i < clusterRows.length; i += CHUNK) {
      await conn.query('INSERT INTO feed_clusters (cluster_key, active_doctors, items) VALUES ?', [clusterRows.slice(i, i + CHUNK)]);
    }
    await markJobRan(conn, POPULARITY_JOB, now);
    await conn.commit();
  } catch (err) {
    await conn.rollback().catch(() => undefined);
    throw err;
  }
}

export interface ClusterPopularity {
  cluster: Cluster & { activeDoctors: number };
  /** Popularity in the chosen cluster. */
  chosen: Popularity;
  everyone: Popularity;
}

/**
 * The narrowest of `clusters` with enough signal (放大聚类), its popularity and everyone's.
 * Below the threshold even for everyone, both are empty: no exploration.
 */
export async function popularityFor(db: Db, clusters: Cluster[]): Promise<ClusterPopularity> {
  const keys = clusters.map((c) => c.key);
  const [[signal], [scores]] = await Promise.all([
    db.query<RowDataPacket[]>('SELECT cluster_key, active_doctors, items FROM feed_clusters WHERE cluster_key IN (?)', [keys]),
    db.query<RowDataPacket[]>('SELECT cluster_key, content_id, score FROM feed_popularity WHERE cluster_key IN (?)', [keys]),
  ]);
  const byKey = new Map(signal.map((r) => [String(r.cluster_key), { doctors: Number(r.active_doctors), items: Number(r.items) }]));
  const enough = (c: Cluster) => {
    const s = byKey.get(c.key);
    return !!s && s.doctors >= X.minActiveDoctors && s.items >= X.minItems;
  };
  const everyone = clusters[clusters.length - 1]!;
  const chosen = clusters.find(enough) ?? everyone;
  const scoresOf = (c: Cluster) =>
    enough(c) ? new Map(scores.filter((r) => r.cluster_key === c.key).map((r) => [String(r.content_id), Number(r.score)])) : new Map<string, number>();
  return {
    cluster: { ...chosen, activeDoctors: byKey.get(chosen.key)?.doctors ?? 0 },
    chosen: { level: chosen.level, scores: scoresOf(chosen) },
    everyone: { level: 'everyone', scores: scoresOf(everyone) },
  };
}
