/**
 * The tagger: reads new events in id order from the events table and folds them into each
 * doctor's profile (DESIGN §4.3).
 *
 * - Partitions: doctors are split by hcp_id mod N. Each partition has a cursor row; an instance
 *   works a partition only while it holds that row's lease, so every doctor has one writer even
 *   with several server instances.
 * - Exactly once: a batch's effects and the cursor advance commit in one transaction; a crash
 *   anywhere before the commit leaves the cursor where it was and the batch is redone from clean
 *   state, never counted twice.
 * - The horizon: auto-increment ids are handed out before commit, so id 101 can be visible while
 *   id 100 is still being written. The tagger only reads up to the highest id below which every
 *   id is present, or is a hole older than `gapWaitMs` (an id burned by a failed insert).
 * - Freshness: ingest wakes the tagger in process (`wake()`); a short timer covers the rest.
 */
import { randomBytes } from 'node:crypto';
import type { EventType } from '@hcp360/shared';
import { againOnDeadlock, inTransaction, type Db, type RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import type { StoredEvent } from './activity.js';
import { announceDoctorChanges } from './changeLog.js';
import { applyEventBatch, evaluateDoctors, type ItemSources } from './evaluate.js';
import { loadSettings } from './settings.js';

export interface TaggerOptions {
  partitions: number;
  batchSize: number;
  leaseMs: number;
  pollMs: number;
  gapWaitMs: number;
  itemSources: ItemSources;
  /** Told after a batch committed, with the doctors it touched. */
  onProcessed?: (hcpIds: string[]) => void;
  /**
   * Fault injection for tests: called after a batch's writes, just before its commit. Throwing
   * here is a crash mid-batch: the transaction rolls back and the cursor stays.
   */
  beforeCommit?: (partition: number) => void;
}

export const DEFAULT_TAGGER_OPTIONS: Omit<TaggerOptions, 'itemSources'> = { partitions: 4, batchSize: 500, leaseMs: 15_000, pollMs: 1000, gapWaitMs: 3000 };

export function rowToEvent(r: RowDataPacket): StoredEvent {
  return {
    id: String(r.id),
    hcpId: String(r.hcp_id),
    type: r.type as EventType,
    ts: (r.client_ts as Date).getTime(),
    scene: r.scene === null ? null : Number(r.scene),
    props: JSON.parse(String(r.props)) as Record<string, unknown>,
  };
}

/** The highest id below which every event is visible (or a hole old enough to be permanent). */
export async function computeHorizon(db: Db, from: string, now: number, gapWaitMs: number, scan = 5000): Promise<string> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT id, received_at FROM events WHERE id > ? ORDER BY id LIMIT ?', [from, scan]);
  let horizon = BigInt(from);
  for (const r of rows) {
    const id = BigInt(String(r.id));
    if (id !== horizon + 1n && now - (r.received_at as Date).getTime() < gapWaitMs) break;
    horizon = id;
  }
  return horizon.toString();
}

export class Tagger {
  readonly owner = `tagger-${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly opts: TaggerOptions;
  private horizon: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly deps: Deps,
    opts: Partial<TaggerOptions> & Pick<TaggerOptions, 'itemSources'>,
  ) {
    this.opts = { ...DEFAULT_TAGGER_OPTIONS, ...opts };
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      this.wake();
      this.timer = setTimeout(tick, this.opts.pollMs);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.deps.pool.query('UPDATE tagger_cursors SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?', [this.owner]).catch(() => undefined);
  }

  /** Asks for a run now; runs requested while one is going coalesce into one more. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runUntilIdle()
      .catch((err) => this.deps.log.error({ err: { message: (err as Error).message, stack: (err as Error).stack } }, 'tagger run failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Runs until every partition this instance holds is caught up. Exposed for tests and recompute. */
  async runUntilIdle(): Promise<void> {
    while (!this.stopped && (await this.runOnce()) > 0);
  }

  /** One pass over the partitions; returns how many events and dirty doctors it processed. */
  async runOnce(): Promise<number> {
    const now = this.deps.clock();
    await this.ensureCursors(now);
    const [cursors] = await this.deps.pool.query<RowDataPacket[]>('SELECT MIN(last_event_id) AS m FROM tagger_cursors');
    const floor = String(cursors[0]?.m ?? '0');
    this.horizon = await computeHorizon(this.deps.pool, this.horizon && BigInt(this.horizon) > BigInt(floor) ? this.horizon : floor, now, this.opts.gapWaitMs);
    let work = 0;
    for (let p = 0; p < this.opts.partitions; p++) {
      if (this.stopped) break;
      if (!(await this.takeLease(p, now))) continue;
      work += await this.processPartition(p, this.horizon, now);
    }
    return work;
  }

  private async ensureCursors(now: number): Promise<void> {
    const values = Array.from({ length: this.opts.partitions }, (_, p) => [p, new Date(now)]);
    await this.deps.pool.query(`INSERT IGNORE INTO tagger_cursors (partition_no, updated_at) VALUES ${values.map(() => '(?, ?)').join(', ')}`, values.flat());
  }

  private async takeLease(partition: number, now: number): Promise<boolean> {
    const [res] = await this.deps.pool.query<import('mysql2').ResultSetHeader>(
      `UPDATE tagger_cursors SET lease_owner = ?, lease_until = ?
        WHERE partition_no = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)`,
      [this.owner, new Date(now + this.opts.leaseMs), partition, this.owner, new Date(now)],
    );
    return res.affectedRows === 1;
  }

  private async processPartition(partition: number, horizon: string, now: number): Promise<number> {
    const { partitions, batchSize, itemSources } = this.opts;
    // Partitions' batches lock rows of one another's doctors (a referral marks the inviter, in the
    // inviter's partition), so InnoDB may pick one as a deadlock victim: its transaction is rolled
    // back whole, cursor and all, and the batch is run again from the cursor it reads afresh.
    const outcome = await againOnDeadlock(() => inTransaction(this.deps.pool, async (conn) => {
      const [cur] = await conn.query<RowDataPacket[]>('SELECT last_event_id, lease_owner FROM tagger_cursors WHERE partition_no = ? FOR UPDATE', [partition]);
      if (!cur[0] || cur[0].lease_owner !== this.owner) return { work: 0, touched: [] as string[] };
      const cursor = String(cur[0].last_event_id);
      // The dirty list is locked before the batch's first plain read, on purpose. Under REPEATABLE
      // READ the transaction's snapshot is taken at that first plain read. Another partition's batch
      // that records a referral marks the inviter here and holds the mark until it commits, so
      // this locking read waits for that commit. A snapshot taken after it sees the referral.
      // Taken before it (events read first), the inviter was counted from the old referrals
      // and the mark deleted, so the count stayed one short until the next referral.
      const [dirtyRows] = await conn.query<RowDataPacket[]>('SELECT hcp_id, at FROM engine_dirty WHERE MOD(hcp_id, ?) = ? ORDER BY at LIMIT 500 FOR UPDATE', [partitions, partition]);
      const [rows] = BigInt(horizon) > BigInt(cursor)
        ? await conn.query<RowDataPacket[]>(
            'SELECT id, hcp_id, type, client_ts, scene, props FROM events WHERE id > ? AND id <= ? AND MOD(hcp_id, ?) = ? ORDER BY id LIMIT ?',
            [cursor, horizon, partitions, partition, batchSize],
          )
        : [[] as RowDataPacket[]];
      if (rows.length === 0 && dirtyRows.length === 0) {
        if (BigInt(horizon) > BigInt(cursor)) await conn.query('UPDATE tagger_cursors SET last_event_id = ?, updated_at = ? WHERE partition_no = ?', [horizon, new Date(now), partition]);
        return { work: 0, touched: [] as string[] };
      }
      // The settings are read in the batch's snapshot too, not once per run: a run that read them
      // before an admin changed them would otherwise evaluate a doctor marked after the change
      // (a profile edit) by the old thresholds, and delete the mark.
      const settings = await loadSettings(conn);
      const events = rows.map(rowToEvent);
      const applied = events.length ? await applyEventBatch(conn, events, settings, itemSources, now) : { hcpIds: [] as string[], loaded: undefined };
      const dirty = dirtyRows.map((r) => String(r.hcp_id));
      const touched = [...new Set([...applied.hcpIds, ...dirty])];
      await evaluateDoctors(conn, touched, settings, now, applied.loaded);
      if (dirtyRows.length) {
        const latest = dirtyRows.reduce((m, r) => Math.max(m, (r.at as Date).getTime()), 0);
        await conn.query('DELETE FROM engine_dirty WHERE hcp_id IN (?) AND at <= ?', [dirty, new Date(latest)]);
      }
      // All of this partition's events up to the horizon are done when the batch was not full.
      const next = rows.length === batchSize ? String(rows[rows.length - 1]!.id) : BigInt(horizon) > BigInt(cursor) ? horizon : cursor;
      await conn.query('UPDATE tagger_cursors SET last_event_id = ?, lease_until = ?, updated_at = ? WHERE partition_no = ?', [next, new Date(now + this.opts.leaseMs), new Date(now), partition]);
      this.opts.beforeCommit?.(partition);
      return { work: rows.length + dirtyRows.length, touched };
    }));
    if (outcome.touched.length) {
      announceDoctorChanges(this.deps, outcome.touched);
      this.opts.onProcessed?.(outcome.touched);
    }
    return outcome.work;
  }
}
