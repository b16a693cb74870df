/**
 * What similar doctors read: an aggregate table rebuilt from the last 30 days of events, so a
 * feed request reads no events. Each instance keeps the clusters it has served in memory
 * (PopularityStore) until the aggregate is rebuilt: by this process (refreshPopularity tells it)
 * or by another instance (feedJobs.ts sees a newer run in feed_jobs and calls `changed()`).
 *
 * Refresh: one grouped query over the window (events/eventFacts.ts, one row per doctor × item),
 * doctors mapped to their clusters (identity's doctorFactsOf), summed per cluster in memory, and
 * written in one transaction (readers keep seeing the previous aggregate until it commits).
 * feedJobs.ts runs it when a feed request finds the aggregate older than
 * EXPLORATION.refreshEveryMs. A named lock (GET_LOCK, also on TiDB; named after the database)
 * lets one instance refresh at a time; the others keep serving the previous aggregate.
 */
import type { Deps } from '../../platform/deps.js';
import type { Db, Pool, PoolConnection, RowDataPacket } from '../../platform/db.js';
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
    // Named locks are server-wide: the database's name keeps two databases on one server apart.
    const [lock] = await conn.query<RowDataPacket[]>("SELECT GET_LOCK(LEFT(CONCAT('hcp360_feed_popularity:', DATABASE()), 64), 0) AS got");
    if (lock[0]?.got !== 1) return false;
    try {
      await rebuild(conn, deps.clock());
      popularityStoreOf(deps).changed();
      return true;
    } finally {
      await conn.query("SELECT RELEASE_LOCK(LEFT(CONCAT('hcp360_feed_popularity:', DATABASE()), 64))");
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

interface ClusterRow {
  signal: { doctors: number; items: number } | undefined;
  /** Its popularity when it has enough signal, else none (a stable object: rankIndexes.ts memoises on it). */
  popularity: Popularity;
}

/** The aggregate's clusters as this instance last read them, loaded as requests need them. */
export class PopularityStore {
  private rows = new Map<string, Promise<ClusterRow>>();
  /** The answers given, per list of clusters (clustersOf makes one list per doctor record), until the aggregate changes. */
  private answers = new WeakMap<Cluster[], ClusterPopularity>();

  constructor(private readonly db: Db) {}

  /** The aggregate was rebuilt: read it again. */
  changed(): void {
    this.rows = new Map();
    this.answers = new WeakMap();
  }

  private load(clusters: Cluster[]): void {
    const rows = this.rows;
    const keys = clusters.map((c) => c.key);
    const loaded = Promise.all([
      this.db.query<RowDataPacket[]>('SELECT cluster_key, active_doctors, items FROM feed_clusters WHERE cluster_key IN (?)', [keys]),
      this.db.query<RowDataPacket[]>('SELECT cluster_key, content_id, score FROM feed_popularity WHERE cluster_key IN (?)', [keys]),
    ]);
    for (const { key, level } of clusters) {
      const row = loaded.then(([[signal], [scores]]): ClusterRow => {
        const s = signal.find((r) => r.cluster_key === key);
        const sig = s ? { doctors: Number(s.active_doctors), items: Number(s.items) } : undefined;
        const map = new Map<string, number>();
        if (isEnough(sig)) for (const r of scores) if (r.cluster_key === key) map.set(String(r.content_id), Number(r.score));
        return { signal: sig, popularity: { level, scores: map } };
      });
      // A failed read is not kept: the next request tries again.
      row.catch(() => {
        if (rows.get(key) === row) rows.delete(key);
      });
      rows.set(key, row);
    }
  }

  /**
   * The narrowest of `clusters` with enough signal (放大聚类), its popularity and everyone's.
   * Below the threshold even for everyone, both are empty: no exploration.
   */
  popularityFor(clusters: Cluster[]): ClusterPopularity | Promise<ClusterPopularity> {
    return this.answers.get(clusters) ?? this.answer(clusters);
  }

  private async answer(clusters: Cluster[]): Promise<ClusterPopularity> {
    const answers = this.answers;
    const missing = clusters.filter((c) => !this.rows.has(c.key));
    if (missing.length) this.load(missing);
    const rows = await Promise.all(clusters.map((c) => this.rows.get(c.key)!));
    const last = clusters.length - 1;
    const chosenAt = rows.findIndex((r) => isEnough(r.signal));
    const at = chosenAt < 0 ? last : chosenAt;
    const chosen = clusters[at]!;
    const answer = {
      cluster: { ...chosen, activeDoctors: rows[at]!.signal?.doctors ?? 0 },
      chosen: rows[at]!.popularity,
      everyone: rows[last]!.popularity,
    };
    // Kept unless the aggregate changed while it was read.
    if (answers === this.answers) answers.set(clusters, answer);
    return answer;
  }
}

const isEnough = (s: { doctors: number; items: number } | undefined) => !!s && s.doctors >= X.minActiveDoctors && s.items >= X.minItems;

const stores = new WeakMap<Pool, PopularityStore>();

export function popularityStoreOf(deps: Pick<Deps, 'pool'>): PopularityStore {
  let s = stores.get(deps.pool);
  if (!s) stores.set(deps.pool, (s = new PopularityStore(deps.pool)));
  return s;
}

/** The narrowest of `clusters` with enough signal, its popularity and everyone's (from the store). */
export function popularityFor(deps: Pick<Deps, 'pool'>, clusters: Cluster[]): ClusterPopularity | Promise<ClusterPopularity> {
  return popularityStoreOf(deps).popularityFor(clusters);
}
