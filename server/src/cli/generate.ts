/**
 * `npm run generate -- --doctors N --events M [--days D] [--seed S]`: writes a synthetic world
 * (doctors with latent interests and rhythms, a content catalogue, and their events) into the
 * database by bulk insert, with progress. 100k doctors × 10M events takes a few minutes here.
 * Then `npm run recompute` builds their profiles.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { writeWorld, type WriteProgress } from '../dev/writeWorld.js';
import { cliDeps } from './database.js';

const { values } = parseArgs({
  options: {
    doctors: { type: 'string', default: '1000' },
    events: { type: 'string', default: '100000' },
    days: { type: 'string', default: '120' },
    seed: { type: 'string', default: '42' },
  },
});
const opts = { doctors: Number(values.doctors), events: Number(values.events), days: Number(values.days), seed: Number(values.seed) };
for (const [k, v] of Object.entries(opts)) {
  if (!Number.isInteger(v) || v <= 0) {
    process.stderr.write(`--${k} must be a positive whole number\n`);
    process.exit(2);
  }
}

const { deps, close } = await cliDeps();
const bar = new cliProgress.SingleBar({ format: '{what} [{bar}] {percentage}% {value}/{total} {rate}', hideCursor: true }, cliProgress.Presets.shades_classic);

let current: WriteProgress['what'] | undefined;
try {
  const summary = await writeWorld(deps, opts, (p) => {
    if (p.what !== current) {
      if (current) bar.stop();
      current = p.what;
      bar.start(p.total, 0, { what: p.what.padEnd(9), rate: '' });
    }
    bar.update(Math.min(p.done, p.total));
  });
  bar.stop();
  process.stdout.write(`Generated ${summary.doctors} doctors, ${summary.contents} content items and ${summary.events} events in ${summary.seconds.toFixed(1)} s. Run \`npm run recompute\` to build their profiles.\n`);
} finally {
  await close();
}
