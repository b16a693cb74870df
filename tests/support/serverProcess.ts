/**
 * The real server (server/src/main.ts) in its own process, as `npm start` runs it, for the fault
 * tests and the benchmarks: killable with SIGKILL and restartable on the same port and database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { dropDatabase, ensureDatabase, withDatabase } from '../../server/src/platform/db.js';
import { findDatabaseServer, type DatabaseServer } from '../../server/src/platform/dbServer.js';

const MAIN = path.resolve(import.meta.dirname, '../../server/src/main.ts');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface ServerProcess {
  url: string;
  fakeUrl: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<number | string>;
}

/** Starts main.ts; resolves once it printed its URLs. */
export async function spawnServer(opts: { databaseUrl: string; port?: number; fakePort?: number; env?: Record<string, string> }): Promise<ServerProcess> {
  // BENCH_PROFILE=dir writes a V8 CPU profile of the server into dir (open it in Chrome DevTools).
  // It samples the main thread's wall time: on shared cores, time the thread is preempted shows up
  // in whatever it was running (often a socket write). BENCH_PERF=1 writes a symbol map for JIT
  // code (--perf-basic-prof) and prints the pid, for on-CPU samples with `perf record -p <pid>`.
  const profile = [
    ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
    ...(process.env.BENCH_PERF === '1' ? ['--perf-basic-prof'] : []),
  ];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      MYSQL_URL: opts.databaseUrl,
      PORT: String(opts.port ?? 0),
      FAKE_WECHAT_PORT: String(opts.fakePort ?? 0),
      LOG_LEVEL: 'warn',
      WECHAT_APPID: '',
      JWT_SECRET: 'server-process-secret-'.repeat(3),
      // Demo media goes to a scratch folder, not the repository's .data/.
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'hcp360-server-')),
      // The fault test and the benchmarks count the events they send: no seeded reading history.
      DEMO_HISTORY: 'off',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const [url, fakeUrl] = await new Promise<[string, string]>((resolve, reject) => {
    const t = setInterval(() => {
      const api = /API\s+(http:\/\/\S+)\/api/.exec(out)?.[1];
      const fake = /Fake WeChat\s+(http:\/\/\S+)/.exec(out)?.[1];
      if (api && fake) (clearInterval(t), resolve([api, fake]));
    }, 50);
    void exited.then((code) => (clearInterval(t), reject(new Error(`server exited (${code}) before it was ready:\n${out}`))));
  });
  if (process.env.BENCH_PERF === '1') process.stderr.write(`server pid ${child.pid}: perf record -e cpu-clock -g -p ${child.pid}\n`);
  return { url, fakeUrl, child, exited };
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database on the discovered MySQL/MariaDB server. */
export async function freshDatabase(prefix: string, serverUrl?: string): Promise<TestDatabase & { server?: DatabaseServer }> {
  let server: DatabaseServer | undefined;
  if (!serverUrl) {
    server = await findDatabaseServer({ mysqlUrl: process.env.MYSQL_URL, dataDir: path.resolve(import.meta.dirname, '../../.data') });
    serverUrl = server.serverUrl;
  }
  const url = withDatabase(serverUrl, `${prefix}_${randomBytes(3).toString('hex')}`);
  await ensureDatabase(url);
  return {
    url,
    server,
    async drop() {
      await dropDatabase(url);
      await server?.stop();
    },
  };
}

export async function postJson<T = Record<string, any>>(url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}

/** Signs `openid` in through the fake WeChat; returns the token pair. */
export async function signIn(server: Pick<ServerProcess, 'url' | 'fakeUrl'>, openid: string): Promise<{ token: string; refreshToken: string; id: string }> {
  const { code } = await postJson<{ code: string }>(`${server.fakeUrl}/__fake/code`, { openid });
  const res = await postJson<{ token: string; refreshToken: string; user: { id: string } }>(`${server.url}/api/auth/wechat-login`, { code });
  return { token: res.token, refreshToken: res.refreshToken, id: res.user.id };
}
