/**
 * Bench: event ingest over HTTP. 50 autocannon connections post realistic 50-event batches
 * with real doctor tokens to POST /api/events on the real server (its own process). Reports
 * stored events/s and p50/p99 latency, and in the same run the raw ceiling: the same kind of rows
 * written by 50-row multi-row INSERTs straight through mysql2. Prints the ratio.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import mysql from 'mysql2/promise';
import { freshDatabase, signIn, spawnServer } from '../tests/support/serverProcess.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = 50;
const BATCH = 50;

const db = await freshDatabase('hcp360_bench');
const server = await spawnServer({ databaseUrl: db.url, env: { EVENTS_RATE_LIMIT_PER_MINUTE: '1000000' } });
const tokens: string[] = [];
for (let i = 1; i <= 48; i++) tokens.push((await signIn(server, `demo-hcp-${String(i).padStart(3, '0')}`)).token);

const TYPES = ['page_view', 'content_view', 'content_read', 'content_like', 'search'] as const;
let seq = 0;
function batchBody(): string {
  const now = Date.now();
  const run = randomBytes(4).toString('hex');
  const events = Array.from({ length: BATCH }, (_, i) => {
    const type = TYPES[i % TYPES.length]!;
    const base = { event_id: `${run}-${++seq}`, type, ts: now - (BATCH - i) * 1000, session_id: `s-${run}`, page: 'pages/article/index', scene: 1007 };
    switch (type) {
      case 'page_view':
        return { ...base, dwell_ms: 4200 };
      case 'content_view':
        return { ...base, content_id: String(1 + (i % 40)) };
      case 'content_read':
        return { ...base, content_id: String(1 + (i % 40)), dwell_ms: 65_000, scroll_depth: 0.85 };
      case 'content_like':
        return { ...base, content_id: String(1 + (i % 40)), on: true };
      case 'search':
        return { ...base, query: '高血压 指南' };
    }
  });
  return JSON.stringify({ events });
}

const pool = mysql.createPool({ uri: db.url, connectionLimit: 8 });
const countEvents = async () => ((await pool.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM events'))[0][0]!.n as number);

// ---- over HTTP --------------------------------------------------------------------------------
const rawFirst = await rawPhase(SECONDS / 2);
const before = await countEvents();
let tokenTurn = 0;
const result = await autocannon({
  url: server.url,
  connections: CONNECTIONS,
  duration: SECONDS,
  requests: [
    {
      method: 'POST',
      path: '/api/events',
      setupRequest: (req) => ({
        ...req,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[tokenTurn++ % tokens.length]}` },
        body: batchBody(),
      }),
    },
  ],
});
const storedHttp = (await countEvents()) - before;
const httpRate = storedHttp / SECONDS;

// ---- raw ceiling: the same rows through mysql2, 50-row multi-row INSERTs, 8 connections ------------
async function rawPhase(seconds: number): Promise<number> {
  const rawBefore = await countEvents();
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: 8 }, async (_, c) => {
      while (Date.now() < deadline) {
        const { events } = JSON.parse(batchBody()) as { events: Record<string, unknown>[] };
        const now = new Date();
        const params: unknown[] = [];
        for (const e of events) {
          const { event_id, type, ts, session_id, page, scene, ...props } = e;
          params.push(String(1 + (c % 48)), event_id, type, new Date(ts as number), now, session_id, page, scene, JSON.stringify(props));
        }
        await pool.query(
          `INSERT IGNORE INTO events (hcp_id, event_id, type, client_ts, received_at, session_id, page, scene, props) VALUES ${events.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
          params,
        );
      }
    }),
  );
  return ((await countEvents()) - rawBefore) / ((Date.now() - started) / 1000);
}
// The machine is noisy: measure the ceiling before and after the HTTP run and use the mean.
const rawAfter = await rawPhase(SECONDS / 2);
const rawRate = (rawFirst + rawAfter) / 2;

console.log(`HTTP ingest     ${httpRate.toFixed(0).padStart(7)} events/s stored   (${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors})`);
console.log(`raw INSERTs     ${rawRate.toFixed(0).padStart(7)} rows/s   (mysql2, 50-row multi-row INSERT, 8 connections; ${rawFirst.toFixed(0)} before, ${rawAfter.toFixed(0)} after)`);
console.log(`ratio HTTP ingest ÷ raw ceiling: ${(httpRate / rawRate).toFixed(2)}   (target ≥ 0.5)`);

await pool.end();
server.child.kill('SIGTERM');
await server.exited;
await db.drop();
