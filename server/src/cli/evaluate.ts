/**
 * `npm run evaluate [-- --doctors N --events M --seed S]`: trains the predictive models on a
 * synthetic world (server/src/dev/generator.ts) with exactly the code the scheduled job uses, and
 * prints each model's AUC on held-out doctors next to a recency-only baseline. Needs no database.
 */
import { parseArgs } from 'node:util';
import { applyEvent, emptyActivity, type ActivityState, type Affinities, type Catalogue } from '../domains/tags/activity.js';
import { trainModels, type ModelSummary } from '../domains/tags/predict.js';
import { DEFAULT_SETTINGS } from '../domains/tags/settings.js';
import { makeWorld, worldEvents } from '../dev/generator.js';

const { values } = parseArgs({
  options: { doctors: { type: 'string', default: '20000' }, events: { type: 'string', default: '2000000' }, days: { type: 'string', default: '180' }, seed: { type: 'string', default: '7' } },
});
const opts = { doctors: Number(values.doctors), events: Number(values.events), days: Number(values.days), seed: Number(values.seed), end: Date.UTC(2026, 10, 26, 4) };

const started = performance.now();
const world = makeWorld(opts);
const catalogue: Catalogue = {
  content: new Map(world.contents.map((c) => [String(c.index + 1), { topics: c.topics, format: c.format }])),
  live: new Map(world.lives.map((l) => [String(l.index + 1), { topics: l.topics }])),
  campaign: new Map(),
};
const states = new Map<string, { state: ActivityState; aff: Affinities }>();
let n = 0;
for (const e of worldEvents(world, opts)) {
  const key = String(e.doctor + 1);
  let s = states.get(key);
  if (!s) states.set(key, (s = { state: emptyActivity(), aff: new Map() }));
  applyEvent(s.state, s.aff, { id: String(++n), hcpId: key, type: e.type, ts: e.ts, scene: e.scene, props: e.props }, catalogue, DEFAULT_SETTINGS);
}
const models = trainModels([...states.entries()].map(([id, s]) => [id, s.state]), opts.end, DEFAULT_SETTINGS);

const line = (name: string, m: ModelSummary | null) =>
  m
    ? `${name.padEnd(26)} AUC ${m.auc.toFixed(3)}   recency-only baseline ${m.baselineAuc.toFixed(3)}   (${m.rows} rows, ${m.positives} positive, as of ${m.asOf.slice(0, 10)})`
    : `${name.padEnd(26)} not enough data to train`;
process.stdout.write(`Synthetic world: ${opts.doctors} doctors, ${n} events over ${opts.days} days (seed ${opts.seed}), folded and trained in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
process.stdout.write(`${line('dormancy risk (30 days)', models.dormancy)}\n${line('live propensity per topic', models.live)}\n`);
for (const [name, m] of [['dormancy', models.dormancy], ['live', models.live]] as const) {
  if (m) process.stdout.write(`  ${name} coefficients (standardised): ${m.features.map((f, i) => `${f} ${m.model.weights[i]!.toFixed(2)}`).join(', ')}\n`);
}
