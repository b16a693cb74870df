/**
 * Bench: freshness of the HCP360 profile under sustained ingest. The real server (its own
 * process, with its tagger) takes a steady load of realistic 50-event batches from 48 doctors
 * (default 5,000 events/s for 30 s: BENCH_FRESHNESS_RATE, BENCH_SECONDS); meanwhile probe doctors
 * post single events, and the time from the ingest acknowledgement to the doctor's derived
 * profile (hcp_activity) reflecting the event is measured. Baseline: the same probes on the idle
 * server in the same run. Target: p99 ≤ 1 s under load.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import mysql from 'mysql2/promise';
import { freshDatabase, signIn, spawnServer } from '../tests/support/serverProcess.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const RATE = Number(process.env.BENCH_FRESHNESS_RATE ?? 5000);

const db = await freshDatabase('hcp360_bench_fresh');
const server = await spawnServer({ databaseUrl: db.url, env: { EVENTS_RATE_LIMIT_PER_MINUTE: '1000000' } });
const loadTokens: string[] = [];
for (let i = 1; i <= 48; i++) loadTokens.push((await signIn(server, `demo-hcp-${String(i).padStart(3, '0')}`)).token);
const probes = await Promise.all(Array.from({ length: 8 }, (_, i) => signIn(server, `probe-${i}-${randomBytes(3).toString('hex')}`)));
const seen = new Map(probes.map((p) => [p.id, 0]));
const conn = await mysql.createConnection({ uri: db.url });

async function probeOnce(i: number): Promise<number> {
  const p = probes[i % probes.length]!;
  const res = await fetch(`${server.url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${p.token}` },
    body: JSON.stringify({ events: [{ event_id: `probe-${randomBytes(6).toString('hex')}`, type: 'search', ts: Date.now(), session_id: 'probe', page: 'pages/index/index', query: '高血压' }] }),
  });
  const acked = performance.now();
  if (!res.ok) throw new Error(`probe answered ${res.status}`);
  const want = seen.get(p.id)! + 1;
  for (;;) {
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT searches FROM hcp_activity WHERE hcp_id = ?', [p.id]);
    if (Number(rows[0]?.searches ?? 0) >= want) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  seen.set(p.id, want);
  return performance.now() - acked;
}

async function probeFor(ms: number, gapMs: number): Promise<number[]> {
  const out: number[] = [];
  const until = performance.now() + ms;
  for (let i = 0; performance.now() < until; i++) {
    out.push(await probeOnce(i));
    await new Promise((r) => setTimeout(r, gapMs));
  }
  return out;
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

const idle = await probeFor(5000, 100);

let turn = 0;
let seq = 0;
const body = () => {
  const now = Date.now();
  const run = randomBytes(4).toString('hex');
  return JSON.stringify({ events: Array.from({ length: 50 }, (_, i) => ({ event_id: `${run}-${++seq}`, type: 'content_view', ts: now - i * 100, session_id: `s-${run}`, page: 'pages/index/index', content_id: String(1 + (i % 40)) })) });
};
const load = autocannon({
  url: server.url,
  connections: 20,
  duration: SECONDS,
  overallRate: RATE / 50,
  requests: [{ method: 'POST', path: '/api/events', setupRequest: (req) => ({ ...req, headers: { 'content-type': 'application/json', authorization: `Bearer ${loadTokens[turn++ % loadTokens.length]}` }, body: body() }) }],
});
await new Promise((r) => setTimeout(r, 2000));
const loaded = await probeFor((SECONDS - 3) * 1000, 100);
const result = await load;

console.log(`load            ${(result.requests.average * 50).toFixed(0)} events/s offered as ${result.requests.average.toFixed(0)} req/s of 50 (p99 ${result.latency.p99} ms, non-2xx ${result.non2xx})`);
console.log(`idle freshness  p50 ${pct(idle, 0.5).toFixed(0)} ms   p99 ${pct(idle, 0.99).toFixed(0)} ms   (${idle.length} probes)`);
console.log(`under load      p50 ${pct(loaded, 0.5).toFixed(0)} ms   p99 ${pct(loaded, 0.99).toFixed(0)} ms   (${loaded.length} probes; target p99 ≤ 1000 ms)`);
console.log(`ratio p99 under load ÷ idle: ${(pct(loaded, 0.99) / pct(idle, 0.99)).toFixed(2)}`);

await conn.end();
server.child.kill('SIGTERM');
await server.exited;
await db.drop();

