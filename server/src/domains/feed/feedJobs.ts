/**
 * The feed's periodic work, driven by feed requests instead of a scheduler: the popularity
 * aggregate is rebuilt when it is older than EXPLORATION.refreshEveryMs and expired ranking
 * snapshots are swept every PAGING.sweepEveryMs. `feed_jobs` records when each last ran, so
 * several instances share the schedule. A request never waits for either, except for the very
 * first popularity build (cold start needs it). close() waits for work in flight.
 *
 * The times last read are kept: while they say neither job is due, a request reads nothing (a run
 * by another instance only makes them later). When one is due, feed_jobs is read again; a newer
 * popularity run than the one known means another instance rebuilt the aggregate, so this
 * instance's popularity store reads it again.
 */
import type { Db, RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { EXPLORATION, PAGING } from './feedWeights.js';
import { POPULARITY_JOB, popularityStoreOf, refreshPopularity } from './popularity.js';
import { sweepSnapshots } from './snapshots.js';

const SWEEP_JOB = 'snapshot_sweep';

export async function jobRanAt(db: Db, job: string): Promise<number | null> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT ran_at FROM feed_jobs WHERE job_key = ?', [job]);
  return rows[0] ? (rows[0].ran_at as Date).getTime() : null;
}

export async function markJobRan(db: Db, job: string, at: number): Promise<void> {
  await db.query('INSERT INTO feed_jobs (job_key, ran_at) VALUES (?, ?) ON DUPLICATE KEY UPDATE ran_at = VALUES(ran_at)', [job, new Date(at)]);
}

export class FeedJobs {
  private popularity: Promise<unknown> | undefined;
  private sweep: Promise<unknown> | undefined;
  private known: { popularAt: number | null; sweptAt: number | null } | undefined;
  private readAt = -Infinity;

  constructor(private readonly deps: Pick<Deps, 'pool' | 'clock' | 'log'>) {}

  private due(now: number): boolean {
    const k = this.known;
    return !k || k.popularAt === null || now - k.popularAt >= EXPLORATION.refreshEveryMs || k.sweptAt === null || now - k.sweptAt >= PAGING.sweepEveryMs;
  }

  private async readTimes(): Promise<{ popularAt: number | null; sweptAt: number | null }> {
    this.readAt = this.deps.clock();
    const [popularAt, sweptAt] = await Promise.all([jobRanAt(this.deps.pool, POPULARITY_JOB), jobRanAt(this.deps.pool, SWEEP_JOB)]);
    if (this.known && this.known.popularAt !== popularAt) popularityStoreOf(this.deps).changed();
    return (this.known = { popularAt, sweptAt });
  }

  /**
   * Before ranking: the first aggregate is built now; a stale one is rebuilt in the background.
   * Nothing to wait for (the usual case) answers at once, not with a promise.
   */
  beforeRanking(): Promise<void> | undefined {
    const now = this.deps.clock();
    if (!this.due(now)) return;
    // Due, but a run (ours or another instance's) may be under way: look again at most once a second.
    if (this.known?.popularAt != null && now - this.readAt < 1000) return;
    return this.runDue(now);
  }

  private async runDue(now: number): Promise<void> {
    const { popularAt, sweptAt } = await this.readTimes();
    if (popularAt === null) await this.runPopularity();
    else if (now - popularAt >= EXPLORATION.refreshEveryMs) void this.runPopularity();
    if (sweptAt === null || now - sweptAt >= PAGING.sweepEveryMs) void this.runSweep();
  }

  private runPopularity(): Promise<unknown> {
    this.popularity ??= refreshPopularity(this.deps)
      .then(() => this.readTimes())
      .catch((err) => this.deps.log.error({ err: { message: (err as Error).message } }, 'feed popularity refresh failed'))
      .finally(() => (this.popularity = undefined));
    return this.popularity;
  }

  private runSweep(): Promise<unknown> {
    this.sweep ??= (async () => {
      const now = this.deps.clock();
      await markJobRan(this.deps.pool, SWEEP_JOB, now);
      if (this.known) this.known.sweptAt = now;
      await sweepSnapshots(this.deps.pool, now);
    })()
      .catch((err) => this.deps.log.error({ err: { message: (err as Error).message } }, 'feed snapshot sweep failed'))
      .finally(() => (this.sweep = undefined));
    return this.sweep;
  }

  async close(): Promise<void> {
    await Promise.all([this.popularity, this.sweep]);
  }
}
