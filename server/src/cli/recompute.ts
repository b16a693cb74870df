/**
 * `npm run recompute`: rebuilds every table the HCP360 engine derives from events (affinities,
 * counters, tags, lifecycle moves, rule tags and segments), with a progress bar and a summary.
 */
import cliProgress from 'cli-progress';
import { recompute, type RecomputeProgress } from '../domains/tags/recompute.js';
import { ITEM_SOURCES } from '../itemSources.js';
import { cliDeps } from './database.js';

const LABELS: Record<RecomputeProgress['phase'], string> = {
  events: 'folding events  ',
  write: 'writing state   ',
  evaluate: 'evaluating tags ',
  segments: 'segments        ',
};

const { deps, close } = await cliDeps();
const bar = new cliProgress.SingleBar({ format: '{phase} [{bar}] {percentage}% {value}/{total}', hideCursor: true }, cliProgress.Presets.shades_classic);
let phase: RecomputeProgress['phase'] | undefined;
try {
  const summary = await recompute(deps, {
    itemSources: ITEM_SOURCES,
    gapWaitMs: 3000,
    onProgress: (p) => {
      if (p.phase !== phase) {
        if (phase) bar.stop();
        phase = p.phase;
        bar.start(p.total, 0, { phase: LABELS[p.phase] });
      }
      bar.update(p.done);
    },
  });
  bar.stop();
  process.stdout.write(
    `Recomputed ${summary.events} events for ${summary.doctors} doctors (${summary.affinityCells} topic affinities) ` +
      `in ${summary.seconds.toFixed(1)} s — ${Math.round(summary.eventsPerSecond)} events/s.\n`,
  );
} finally {
  await close();
}
