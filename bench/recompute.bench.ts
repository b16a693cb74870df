/**
 * Bench: full recompute of the HCP360 engine over a synthetic world (default 100k doctors ×
 * 10M events; BENCH_RECOMPUTE_DOCTORS / BENCH_RECOMPUTE_EVENTS to change), against a plain full
 * scan of the events table (the same paged query, rows read and nothing else) in the same run.
 * Prints events/s for both and the ratio. Target: 10M events in ≤ 2 minutes.
 */
import mysql from 'mysql2/promise';
import { writeWorld } from '../server/src/dev/writeWorld.js';
import { recompute } from '../server/src/domains/tags/recompute.js';
import { ITEM_SOURCES } from '../server/src/itemSources.js';
import { loadConfig } from '../server/src/platform/config.js';
import { migrate } from '../server/src/platform/migrate.js';
import { buildDeps } from '../server/src/server.js';
import { freshDatabase } from '../tests/support/serverProcess.js';

const DOCTORS = Number(process.env.BENCH_RECOMPUTE_DOCTORS ?? 100_000);
const EVENTS = Number(process.env.BENCH_RECOMPUTE_EVENTS ?? 10_000_000);

const db = await freshDatabase('hcp360_bench_recompute');
await migrate(db.url);
const config = loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: 'r'.repeat(40), MYSQL_URL: db.url, WECHAT_APPID: '' });
const deps = buildDeps(config, db.url);
process.stdout.write(`writing ${DOCTORS} doctors and ${EVENTS} events …\n`);
const written = await writeWorld(deps, { doctors: DOCTORS, events: EVENTS, days: 120, seed: 3 });
process.stdout.write(`written in ${written.seconds.toFixed(0)} s\n`);

// Baseline: the same paged read recompute does, with nothing done to the rows.
const conn = await mysql.createConnection({ uri: db.url, supportBigNumbers: true, bigNumberStrings: true });
const scanStarted = performance.now();
let scanned = 0;
for (let cursor = '0'; ; ) {
  const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT id, hcp_id, type, client_ts, scene, props FROM events WHERE id > ? ORDER BY id LIMIT 50000', [cursor]);
  if (rows.length === 0) break;
  scanned += rows.length;
  cursor = String(rows[rows.length - 1]!.id);
}
const scanSeconds = (performance.now() - scanStarted) / 1000;
await conn.end();

const phases: string[] = [];
let phase = '';
let phaseStarted = performance.now();
const summary = await recompute(deps, {
  itemSources: ITEM_SOURCES,
  onProgress: (p) => {
    if (p.phase === phase) return;
    if (phase) phases.push(`${phase} ${((performance.now() - phaseStarted) / 1000).toFixed(1)} s`);
    phase = p.phase;
    phaseStarted = performance.now();
  },
});
phases.push(`${phase} ${((performance.now() - phaseStarted) / 1000).toFixed(1)} s`);
console.log(`plain scan      ${(scanned / scanSeconds).toFixed(0).padStart(8)} events/s   (${scanned} events in ${scanSeconds.toFixed(1)} s)`);
console.log(`recompute       ${summary.eventsPerSecond.toFixed(0).padStart(8)} events/s   (${summary.events} events, ${summary.doctors} doctors in ${summary.seconds.toFixed(1)} s; target ≤ 120 s for 10M)`);
console.log(`recompute phases: ${phases.join(', ')}`);
console.log(`ratio recompute ÷ plain scan: ${(summary.eventsPerSecond / (scanned / scanSeconds)).toFixed(2)}`);

await deps.pool.end();
await db.drop();
