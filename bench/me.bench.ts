/**
 * Bench: GET /api/me (bearer verification + three indexed queries) against GET /healthz
 * (one `SELECT 1`) on the same server in the same run, with 20 concurrent clients for a fixed
 * time each. Prints requests/s and latency percentiles for both, and the ratio.
 */
import { randomBytes } from 'node:crypto';
import { startFakeWechat } from '../server/src/dev/fakeWechat.js';
import { seedDemoData } from '../server/src/dev/seed.js';
import { loadConfig } from '../server/src/platform/config.js';
import { dropDatabase, ensureDatabase, withDatabase } from '../server/src/platform/db.js';
import { findDatabaseServer } from '../server/src/platform/dbServer.js';
import { migrate } from '../server/src/platform/migrate.js';
import { buildDeps, startServer } from '../server/src/server.js';
import { runLoad } from './load.js';

const db = await findDatabaseServer({ mysqlUrl: process.env.MYSQL_URL, dataDir: '.data' });
const databaseUrl = withDatabase(db.serverUrl, `hcp360_bench_${randomBytes(3).toString('hex')}`);
await ensureDatabase(databaseUrl);
await migrate(databaseUrl);
const config = loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: 'b'.repeat(40), MYSQL_URL: databaseUrl, WECHAT_APPID: '' });
const fake = await startFakeWechat({ appid: config.wechat.appid, secret: config.wechat.secret, port: 0 });
const deps = buildDeps({ ...config, wechat: { ...config.wechat, apiBase: fake.url } }, databaseUrl);
await seedDemoData(deps);
const server = await startServer(deps, { port: 0 });

const tokens: string[] = [];
for (let i = 1; i <= 20; i++) {
  const { code } = await (await fetch(`${fake.url}/__fake/code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: `demo-hcp-${String(i).padStart(3, '0')}` }) })).json();
  const login = await (await fetch(`${server.url}/api/auth/wechat-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json();
  tokens.push(login.token);
}

const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const baseline = await runLoad({ url: `${server.url}/healthz`, connections: 20, seconds });
const me = await runLoad({ url: `${server.url}/api/me`, connections: 20, seconds, headers: (i) => ({ authorization: `Bearer ${tokens[i % tokens.length]}` }) });

const fmt = (name: string, r: typeof me) => `${name.padEnd(16)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms   errors ${r.errors}`;
console.log(fmt('GET /healthz', baseline));
console.log(fmt('GET /api/me', me));
console.log(`ratio /api/me ÷ /healthz throughput: ${(me.rps / baseline.rps).toFixed(2)}`);

await server.close();
await fake.close();
await dropDatabase(databaseUrl);
await db.stop();
