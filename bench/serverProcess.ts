/** Runs the real server (server/src/main.ts) in its own process on a fresh database, for benchmarks. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { dropDatabase, ensureDatabase, withDatabase } from '../server/src/platform/db.js';
import { findDatabaseServer, type DatabaseServer } from '../server/src/platform/dbServer.js';

export interface BenchServer {
  url: string;
  fakeUrl: string;
  databaseUrl: string;
  child: ChildProcess;
  /** Signs in `openid` through the fake WeChat; returns the access token. */
  login(openid: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startBenchServer(env: Record<string, string> = {}): Promise<BenchServer> {
  const db: DatabaseServer = await findDatabaseServer({ mysqlUrl: process.env.MYSQL_URL, dataDir: path.resolve('.data') });
  const databaseUrl = withDatabase(db.serverUrl, `hcp360_bench_${randomBytes(3).toString('hex')}`);
  await ensureDatabase(databaseUrl);
  // BENCH_PROFILE=dir writes a V8 CPU profile of the server into dir (open it in Chrome DevTools).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.resolve(import.meta.dirname, '../server/src/main.ts')], {
    env: { ...process.env, MYSQL_URL: databaseUrl, PORT: '0', FAKE_WECHAT_PORT: '0', LOG_LEVEL: 'warn', WECHAT_APPID: '', JWT_SECRET: 'bench-'.repeat(8), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const [url, fakeUrl] = await new Promise<[string, string]>((resolve, reject) => {
    const t = setInterval(() => {
      const api = /API\s+(http:\/\/\S+)\/api/.exec(out)?.[1];
      const fake = /Fake WeChat\s+(http:\/\/\S+)/.exec(out)?.[1];
      if (api && fake) (clearInterval(t), resolve([api, fake]));
    }, 100);
    child.once('exit', (code) => (clearInterval(t), reject(new Error(`server exited ${code}: ${out}`))));
  });
  const post = async (u: string, body: unknown) =>
    (await fetch(u, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<Record<string, any>>;
  return {
    url,
    fakeUrl,
    databaseUrl,
    child,
    async login(openid) {
      const { code } = await post(`${fakeUrl}/__fake/code`, { openid });
      return (await post(`${url}/api/auth/wechat-login`, { code })).token as string;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await dropDatabase(databaseUrl);
      await db.stop();
    },
  };
}
