/**
 * Starts the HCP360 engine inside a server process: the tagger (woken by ingest, and on a short
 * timer) and the periodic refresh that keeps time-dependent state true as time passes (affinity
 * decay moves doctors across segment thresholds; quiet doctors become dormant). The refresh takes
 * a named lock so one instance does it at a time, and hands dormancy to each doctor's own writer
 * by marking them dirty. Once a day it also retrains the predictive models and rescores everyone.
 */
import type { Deps } from '../../platform/deps.js';
import type { RowDataPacket } from '../../platform/db.js';
import type { ItemSources } from './evaluate.js';
import { loadModels, runPredictions } from './predict.js';
import { markDirty } from './repo.js';
import { listRuleDefinitions, refreshMembership } from './rules.js';
import { loadSettings } from './settings.js';
import { Tagger, type TaggerOptions } from './tagger.js';

/** How often the predictive models are retrained and every doctor rescored. */
export const PREDICTION_INTERVAL_MS = 24 * 3_600_000;

export interface Engine {
  tagger: Tagger;
  /** One periodic refresh now (exposed for tests and the scheduler). */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

export function startEngine(deps: Deps, opts: { itemSources: ItemSources; refreshMs?: number } & Partial<TaggerOptions>): Engine {
  const tagger = new Tagger(deps, opts);
  deps.onEventsStored = () => tagger.wake();
  tagger.start();

  async function refresh(): Promise<void> {
    const conn = await deps.pool.getConnection();
    try {
      const [lock] = await conn.query<RowDataPacket[]>("SELECT GET_LOCK('hcp360_engine_refresh', 0) AS got");
      if (lock[0]?.got !== 1) return;
      try {
        const now = deps.clock();
        const settings = await loadSettings(conn);
        const quietSince = new Date(now - settings.lifecycle.dormantDays * 86_400_000);
        const [quiet] = await conn.query<RowDataPacket[]>(
          `SELECT a.hcp_id FROM hcp_activity a JOIN hcps h ON h.id = a.hcp_id
            WHERE h.lifecycle_stage IN ('engaged', 'advocate') AND a.last_active_at < ?`,
          [quietSince],
        );
        await markDirty(conn, quiet.map((r) => String(r.hcp_id)), 'dormancy', now);
        await refreshMembership(conn, await listRuleDefinitions(conn), now, settings);
        // Predictive tags: retrain and rescore once a day.
        const models = await loadModels(conn);
        if (!models || now - Date.parse(models.trainedAt) >= PREDICTION_INTERVAL_MS) await runPredictions(conn, now, settings);
      } finally {
        await conn.query("SELECT RELEASE_LOCK('hcp360_engine_refresh')");
      }
    } finally {
      conn.release();
    }
    tagger.wake();
  }

  const refreshMs = opts.refreshMs ?? 15 * 60_000;
  const timer = setInterval(() => void refresh().catch((err) => deps.log.error({ err: { message: (err as Error).message } }, 'engine refresh failed')), refreshMs);
  timer.unref();
  return {
    tagger,
    refresh,
    async stop() {
      clearInterval(timer);
      deps.onEventsStored = undefined;
      await tagger.stop();
    },
  };
}
