/**
 * Bench: GET /api/feed (first page, a fresh ranking) for random doctors of a synthetic world
 * (default 100k doctors, 10k content items, 2M events over 120 days, engine state recomputed),
 * against GET /bench/hello (Koa answering {ok:true}, no database, no token) on the same server
 * process in the same run. The server runs as `npm start` runs it (its own process, BENCH_ROUTES=1
 * to mount the hello route). Each route is loaded lightly (BENCH_FEED_LIGHT connections, default 1)
 * for latency and saturated (BENCH_FEED_HEAVY, default 20) for throughput, BENCH_SECONDS each, the
 * two routes in alternating slices of about two seconds (see alternated()).
 * Targets: feed p99 ≤ 10 ms at light load; feed throughput ≥ 0.4 × hello's.
 *
 * Smaller world: BENCH_FEED_DOCTORS, BENCH_FEED_CONTENTS, BENCH_FEED_EVENTS. To measure again
 * without writing the world again: BENCH_FEED_KEEP=1 keeps the database and prints its URL,
 * BENCH_FEED_DATABASE=<that url> reuses it.
 */
import autocannon from 'autocannon';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import mysql from 'mysql2/promise';
import { mulberry32 } from '../server/src/dev/generator.js';
import { writeWorld } from '../server/src/dev/writeWorld.js';
import { POPULARITY_JOB } from '../server/src/domains/feed/popularity.js';
import { recompute } from '../server/src/domains/tags/recompute.js';
import { ITEM_SOURCES } from '../server/src/itemSources.js';
import { loadConfig } from '../server/src/platform/config.js';
import { migrate } from '../server/src/platform/migrate.js';
import { buildDeps } from '../server/src/server.js';
import { freshDatabase, signIn, spawnServer } from '../tests/support/serverProcess.js';

const env = (name: string, dflt: number) => Number(process.env[name] ?? dflt);
const DOCTORS = env('BENCH_FEED_DOCTORS', 100_000);
const CONTENTS = env('BENCH_FEED_CONTENTS', 10_000);
const EVENTS = env('BENCH_FEED_EVENTS', 2_000_000);
const SIGNED_IN = env('BENCH_FEED_SIGNED_IN', 1000);
const SECONDS = env('BENCH_SECONDS', 10);
const LIGHT = env('BENCH_FEED_LIGHT', 1);
const HEAVY = env('BENCH_FEED_HEAVY', 20);
const SEED = 7;
const say = (msg: string) => process.stdout.write(`${msg}\n`);

// ---- the world ---------------------------------------------------------------------------------
const reused = process.env.BENCH_FEED_DATABASE;
const db = reused ? { url: reused, drop: async () => undefined } : await freshDatabase('hcp360_bench_feed');
const config = loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: 'f'.repeat(40), MYSQL_URL: db.url, WECHAT_APPID: '' });
if (!reused) {
  await migrate(db.url);
  const deps = buildDeps(config, db.url);
  say(`writing ${DOCTORS} doctors, ${CONTENTS} content items and ${EVENTS} events …`);
  const written = await writeWorld(deps, { doctors: DOCTORS, contents: CONTENTS, events: EVENTS, days: 120, seed: SEED });
  const rebuilt = await recompute(deps, { itemSources: ITEM_SOURCES });
  say(`written in ${written.seconds.toFixed(0)} s; engine state (${rebuilt.affinityCells} topic affinities) recomputed in ${rebuilt.seconds.toFixed(0)} s`);
  await deps.pool.end();
}

// ---- doctors to sign in as: random generated ones, given a WeChat openid -------------------------
const conn = await mysql.createConnection({ uri: db.url, supportBigNumbers: true, bigNumberStrings: true });
// A reused world starts as a fresh one would: no feed history from earlier runs (TRUNCATE, not
// DELETE: the purge of a deleted history would run in the database during the measurement), and
// no popularity aggregate, so the first request builds it as on a fresh world (an aggregate older
// than EXPLORATION.refreshEveryMs would be rebuilt in the background while the routes are loaded).
if (reused) {
  await conn.query('TRUNCATE TABLE feed_page_impressions');
  await conn.query('DELETE FROM feed_jobs WHERE job_key = ?', [POPULARITY_JOB]);
}
const [generated] = await conn.query<mysql.RowDataPacket[]>("SELECT id FROM hcps WHERE name LIKE '合成医生%' AND merged_into IS NULL ORDER BY id");
const rng = mulberry32(SEED);
const chosen = new Set<string>();
while (chosen.size < Math.min(SIGNED_IN, generated.length)) chosen.add(String(generated[Math.floor(rng() * generated.length)]!.id));
const openidOf = (hcpId: string) => `bench-feed-${hcpId}`;
await conn.query('INSERT IGNORE INTO wechat_identities (appid, openid, hcp_id, created_at) VALUES ?', [[...chosen].map((id) => [config.wechat.appid, openidOf(id), id, new Date()])]);
await conn.end();

const server = await spawnServer({ databaseUrl: db.url, env: { BENCH_ROUTES: '1' } });
try {
  const tokens: string[] = [];
  for (const id of chosen) {
    const s = await signIn(server, openidOf(id));
    if (s.id !== id) throw new Error(`signed in as ${s.id}, expected ${id}`);
    tokens.push(s.token);
  }

  // The first feed request builds the popularity aggregate; then a short warm-up for the JIT and caches.
  const first = await fetch(`${server.url}/api/feed`, { headers: { authorization: `Bearer ${tokens[0]}` } });
  if (!first.ok) throw new Error(`GET /api/feed answered ${first.status}: ${await first.text()}`);
  const sample = (await first.json()) as { items: unknown[]; nextCursor: string | null };
  say(`signed in ${tokens.length} doctors; a first page has ${sample.items.length} items (next cursor: ${sample.nextCursor ? 'yes' : 'no'})`);

  interface Figures {
    rps: number;
    p50: number;
    p99: number;
    requests: number;
    bad: number;
    /** The server process's CPU time (user + system) per request answered, in µs; undefined where /proc is not there. */
    cpuPerRequest: number | undefined;
  }

  /** What loading a route for `seconds` gave: each 200's latency in ms, how many were not 200, and the server's CPU time meanwhile. */
  interface Run {
    times: number[];
    seconds: number;
    bad: number;
    cpuMicros: number | undefined;
  }

  // The server's CPU time from /proc (Linux): the load generator shares this machine's cores, so
  // requests a second also move with its own cost; CPU per request is the server's share alone.
  const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;
  function serverCpuMicros(): number | undefined {
    try {
      const fields = fs.readFileSync(`/proc/${server.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1e6;
    } catch {
      return undefined;
    }
  }

  async function load(path: string, connections: number, seconds: number, auth: boolean): Promise<Run> {
    const times: number[] = [];
    const cpuBefore = serverCpuMicros();
    const run = autocannon({
      url: server.url,
      connections,
      duration: seconds,
      requests: [
        {
          method: 'GET',
          path,
          ...(auth && { setupRequest: (req) => ({ ...req, headers: { authorization: `Bearer ${tokens[Math.floor(Math.random() * tokens.length)]}` } }) }),
        },
      ],
    });
    run.on('response', (_client, status, _bytes, ms) => {
      if (status === 200) times.push(ms);
    });
    const result = await run;
    const cpuAfter = serverCpuMicros();
    return { times, seconds, bad: result.non2xx + result.errors + result.timeouts, cpuMicros: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
  }

  function figures(runs: Run[]): Figures {
    const times = runs.flatMap((r) => r.times).sort((a, b) => a - b);
    const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
    const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))] ?? NaN;
    const bad = runs.reduce((sum, r) => sum + r.bad, 0);
    const cpu = runs.every((r) => r.cpuMicros !== undefined) ? runs.reduce((sum, r) => sum + r.cpuMicros!, 0) : undefined;
    return { rps: times.length / seconds, p50: pct(0.5), p99: pct(0.99), requests: times.length, bad, cpuPerRequest: cpu === undefined ? undefined : cpu / (times.length + bad) };
  }

  /**
   * Hello and the feed loaded in turn, in slices of about two seconds (SECONDS each in all), the
   * first of each pair alternating: the speed of this shared machine drifts over seconds, and so
   * it falls on both routes alike instead of on whichever ran during a slow spell.
   */
  async function alternated(connections: number): Promise<{ hello: Figures; feed: Figures }> {
    const slices = Math.max(1, Math.round(SECONDS / 2));
    const runs = { hello: [] as Run[], feed: [] as Run[] };
    for (let i = 0; i < slices; i++) {
      for (const route of i % 2 ? (['feed', 'hello'] as const) : (['hello', 'feed'] as const)) {
        runs[route].push(await load(route === 'hello' ? '/bench/hello' : '/api/feed', connections, SECONDS / slices, route === 'feed'));
      }
    }
    return { hello: figures(runs.hello), feed: figures(runs.feed) };
  }

  await load('/api/feed', HEAVY, Math.min(5, SECONDS), true);
  await load('/bench/hello', HEAVY, 2, false);

  const { hello: helloLight, feed: feedLight } = await alternated(LIGHT);
  const { hello: helloHeavy, feed: feedHeavy } = await alternated(HEAVY);

  const line = (name: string, f: Figures) =>
    `${name.padEnd(34)} p50 ${f.p50.toFixed(2).padStart(6)} ms   p99 ${f.p99.toFixed(2).padStart(6)} ms   ${f.rps.toFixed(0).padStart(6)} req/s   (${f.requests} ok, ${f.bad} not ok)`;
  say(`\nworld: ${DOCTORS} doctors, ${CONTENTS} items, ${EVENTS} events; ${tokens.length} doctors signed in; ${SECONDS} s per run`);
  say(line(`GET /bench/hello  light (${LIGHT} conn)`, helloLight));
  say(line(`GET /api/feed     light (${LIGHT} conn)`, feedLight));
  say(line(`GET /bench/hello  saturated (${HEAVY} conn)`, helloHeavy));
  say(line(`GET /api/feed     saturated (${HEAVY} conn)`, feedHeavy));
  say(`feed p99 at light load: ${feedLight.p99.toFixed(2)} ms (target ≤ 10 ms; hello ${helloLight.p99.toFixed(2)} ms)`);
  say(`ratio feed ÷ hello throughput, saturated: ${(feedHeavy.rps / helloHeavy.rps).toFixed(2)} (target ≥ 0.4); light: ${(feedLight.rps / helloLight.rps).toFixed(2)}`);
  if (helloHeavy.cpuPerRequest !== undefined && feedHeavy.cpuPerRequest !== undefined) {
    say(
      `server CPU per request, saturated: hello ${helloHeavy.cpuPerRequest.toFixed(0)} µs, feed ${feedHeavy.cpuPerRequest.toFixed(0)} µs (hello ÷ feed ${(helloHeavy.cpuPerRequest / feedHeavy.cpuPerRequest).toFixed(2)}; the load generator's share of the cores is left out)`,
    );
  }
} finally {
  server.child.kill('SIGTERM');
  await server.exited;
  if (process.env.BENCH_FEED_KEEP === '1') say(`kept the database: BENCH_FEED_DATABASE=${db.url}`);
  else await db.drop();
}
