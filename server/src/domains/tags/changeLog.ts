/**
 * The engine's change log (doctor_changes): which doctors' HCP360 state changed, for read-side
 * caches on every BFF instance (the feed keeps each active doctor's state in memory,
 * feed/doctorState.ts). The engine writes one row per batch it evaluates, in that batch's
 * transaction, so a change is in the log exactly when it is committed; rule and settings changes
 * write `everyone`. In process the writer also tells `deps.doctorsChanged` once committed, so the
 * instance that did the work drops stale entries at once; other instances follow the log
 * (DoctorChangeFollower) a fraction of a second later.
 */
import type { Db, RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';

export type ChangedDoctors = readonly string[] | 'everyone';

const EVERYONE = '*';
const MAX_LISTED = 5000;

/** How a follower reads the log: rows of the last 10 s each time (late commits), swept after an hour, every 10 minutes. */
export const FOLLOW = { lookbackMs: 10_000, keepMs: 3_600_000, sweepEveryMs: 600_000 };

/** Records that `ids` (or everyone) changed, in the caller's transaction. */
export async function recordDoctorChanges(db: Db, ids: ChangedDoctors, now: number): Promise<void> {
  if (ids !== 'everyone' && ids.length === 0) return;
  // A change to most of a large programme (a new segment) is cheaper told as everyone.
  if (ids !== 'everyone' && ids.length > MAX_LISTED) ids = 'everyone';
  await db.query('INSERT INTO doctor_changes (changed_at, hcp_ids) VALUES (?, ?)', [new Date(now), ids === 'everyone' ? EVERYONE : ids.join(',')]);
}

/** Tells this process's caches, once the change is committed. */
export function announceDoctorChanges(deps: Pick<Deps, 'doctorsChanged'>, ids: ChangedDoctors): void {
  if (ids !== 'everyone' && ids.length === 0) return;
  deps.doctorsChanged?.(ids);
}

export interface ChangeRow {
  id: string;
  at: number;
  ids: ChangedDoctors;
}

/** Log rows written at or after `since`, oldest first. */
export async function doctorChangesSince(db: Db, since: number): Promise<ChangeRow[]> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT id, changed_at, hcp_ids FROM doctor_changes WHERE changed_at >= ? ORDER BY id', [new Date(since)]);
  return rows.map((r) => ({ id: String(r.id), at: (r.changed_at as Date).getTime(), ids: r.hcp_ids === EVERYONE ? 'everyone' : String(r.hcp_ids).split(',') }));
}

/** Deletes log rows older than `before`, a bounded batch at a time. */
export async function sweepDoctorChanges(db: Db, before: number): Promise<number> {
  const [res] = await db.query<import('mysql2').ResultSetHeader>('DELETE FROM doctor_changes WHERE changed_at < ? LIMIT 5000', [new Date(before)]);
  return res.affectedRows;
}

/**
 * Follows the log for one process: every `pollMs` it reads the rows of the last `lookbackMs` (a
 * batch can commit a moment after its `changed_at`, so rows are read again for a while and told
 * once each, by id) and tells `onChange`. Every `sweepEveryMs` it deletes rows past `keepMs`.
 */
export class DoctorChangeFollower {
  private readonly told = new Map<string, number>();
  private since: number;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private lastSweep = 0;

  constructor(
    private readonly deps: Pick<Deps, 'pool' | 'clock' | 'log'>,
    private readonly onChange: (ids: ChangedDoctors) => void,
    private readonly opts: { pollMs: number; lookbackMs: number; keepMs: number; sweepEveryMs: number } = { pollMs: 250, ...FOLLOW },
  ) {
    this.since = deps.clock();
  }

  start(): void {
    this.timer ??= setInterval(() => void this.poll(), this.opts.pollMs);
    this.timer.unref();
  }

  /** Reads the log once (concurrent calls share one read). */
  poll(): Promise<void> {
    this.polling ??= this.read().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async read(): Promise<void> {
    const now = this.deps.clock();
    try {
      const rows = await doctorChangesSince(this.deps.pool, this.since - this.opts.lookbackMs);
      for (const row of rows) {
        if (this.told.has(row.id)) continue;
        this.told.set(row.id, row.at);
        this.onChange(row.ids);
      }
      this.since = now;
      for (const [id, at] of this.told) if (at < now - 2 * this.opts.lookbackMs) this.told.delete(id);
      if (now - this.lastSweep >= this.opts.sweepEveryMs) {
        this.lastSweep = now;
        await sweepDoctorChanges(this.deps.pool, now - this.opts.keepMs);
      }
    } catch (err) {
      this.deps.log.warn({ err: { message: (err as Error).message } }, 'reading the doctor change log failed; will retry');
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
  }
}
