/**
 * The feed's periodic work, driven by feed requests instead of a scheduler: the popularity
 * aggregate is rebuilt when it is older than EXPLORATION.refreshEveryMs. `feed_jobs` records when
 * it last ran, so several instances share the schedule. A request never waits for it, except for
 * the very first build (cold start needs it). close() waits for work in flight.
 *
 * The time last read is kept: while it says the job is not due, a request reads nothing (a run by
 * another instance only makes it later). When it is due, feed_jobs is read again; a newer run than
 * the one known means another instance rebuilt the aggregate, so this instance's popularity store
 * reads it again.
 */
import type { Db, RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { EXPLORATION } from './feedWeights.js';
import { POPULARITY_JOB, popularityStoreOf, refreshPopularity } from './popularity.js';

export async function jobRanAt(db: Db, job: string): Promise<number | null> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT ran_at FROM feed_jobs WHERE job_key = ?', [job]);
  return rows[0] ? (rows[0].ran_at as Date).getTime() : null;
}

export async function markJobRan(db: Db, job: string, at: number): Promise<void> {
  await db.query('INSERT INTO feed_jobs (job_key, ran_at) VALUES (?, ?) ON DUPLICATE KEY UPDATE ran_at = VALUES(ran_at)', [job, new Date(at)]);
}

export class FeedJobs {
  private popularity: Promise<unknown> | undefined;
  /** When the aggregate was last built, as last read: undefined until read, null when never built. */
  private popularAt: number | null | undefined;
  private readAt = -Infinity;

  constructor(private readonly deps: Pick<Deps, 'pool' | 'clock' | 'log'>) {}

  private due(now: number): boolean {
    return this.popularAt == null || now - this.popularAt >= EXPLORATION.refreshEveryMs;
  }

  private async readRanAt(): Promise<number | null> {
    this.readAt = this.deps.clock();
    const popularAt = await jobRanAt(this.deps.pool, POPULARITY_JOB);
    if (this.popularAt !== undefined && this.popularAt !== popularAt) popularityStoreOf(this.deps).changed();
    return (this.popularAt = popularAt);
  }

  /**
   * Before ranking: the first aggregate is built now; a stale one is rebuilt in the background.
   * Nothing to wait for (the usual case) answers at once, not with a promise.
   */
  beforeRanking(): Promise<void> | undefined {
    const now = this.deps.clock();
    if (!this.due(now)) return;
    // Due, but a run (ours or another instance's) may be under way: look again at most once a second.
    if (this.popularAt != null && now - this.readAt < 1000) return;
    return this.runDue(now);
  }

  private async runDue(now: number): Promise<void> {
    const popularAt = await this.readRanAt();
    if (popularAt === null) await this.runPopularity();
    else if (now - popularAt >= EXPLORATION.refreshEveryMs) void this.runPopularity();
  }

  private runPopularity(): Promise<unknown> {
    this.popularity ??= refreshPopularity(this.deps)
      .then(() => this.readRanAt())
      .catch((err) => this.deps.log.error({ err: { message: (err as Error).message } }, 'feed popularity refresh failed'))
      .finally(() => (this.popularity = undefined));
    return this.popularity;
  }

  async close(): Promise<void> {
    await this.popularity;
  }
}
