/**
 * A whole HCP360 stack per test file, built from real parts: a fresh database on the real
 * MariaDB/MySQL (migrated, dropped at the end), the fake WeChat server on a loopback port, and
 * the Koa app listening over HTTP. Tests talk to it with `stack.http`, as any client would.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { startFakeWechat, type FakeWechat } from '../src/dev/fakeWechat.js';
import { loadConfig, type Config } from '../src/platform/config.js';
import { dropDatabase, ensureDatabase, withDatabase } from '../src/platform/db.js';
import type { Deps } from '../src/platform/deps.js';
import { createLogger } from '../src/platform/logger.js';
import { migrate } from '../src/platform/migrate.js';
import { buildDeps, startServer, type RunningServer } from '../src/server.js';
import { startEngine, type Engine } from '../src/domains/tags/engine.js';
import { ITEM_SOURCES } from '../src/itemSources.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The MySQL/MariaDB server (no database in the path) found by globalSetup. */
    mysqlServerUrl: string;
  }
}

/** A clock tests can move: services, tokens and the fake WeChat all read it. */
export class TestClock {
  constructor(public ms = Date.UTC(2026, 10, 26, 2, 0, 0)) {}
  readonly now = () => this.ms;
  advance(ms: number) {
    this.ms += ms;
  }
}

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface Http {
  request<T = any>(method: string, path: string, opts?: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string }): Promise<HttpResult<T>>;
  get<T = any>(path: string, token?: string): Promise<HttpResult<T>>;
  post<T = any>(path: string, body?: unknown, token?: string): Promise<HttpResult<T>>;
  put<T = any>(path: string, body?: unknown, token?: string): Promise<HttpResult<T>>;
  del<T = any>(path: string, token?: string): Promise<HttpResult<T>>;
}

export interface Stack {
  url: string;
  databaseUrl: string;
  clock: TestClock;
  config: Config;
  deps: Deps;
  fake: FakeWechat;
  server: RunningServer;
  /** The tagger and periodic refresh, when the stack runs them (`engine: true`, the default). */
  engine?: Engine;
  http: Http;
  /** Calls the fake WeChat's test routes. */
  fakeCall<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export const TEST_JWT_SECRET = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

export function makeHttp(base: string): Http {
  const request = async (method: string, p: string, opts: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string } = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${base}${p}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as any, headers: res.headers };
  };
  return {
    request,
    get: (p, token) => request('GET', p, { token }),
    post: (p, body, token) => request('POST', p, { body: body ?? {}, token }),
    put: (p, body, token) => request('PUT', p, { body: body ?? {}, token }),
    del: (p, token) => request('DELETE', p, { token }),
  };
}

export async function startStack(opts: { h5Dir?: string; consoleDir?: string; env?: Record<string, string>; engine?: boolean } = {}): Promise<Stack> {
  const clock = new TestClock();
  const serverUrl = inject('mysqlServerUrl');
  const databaseUrl = withDatabase(serverUrl, `hcp360_t_${process.pid}_${randomBytes(4).toString('hex')}`);
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);

  const appid = 'wxtest000000000001';
  const secret = 'test-app-secret';
  const fake = await startFakeWechat({ appid, secret, now: clock.now });
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: path.join(os.tmpdir(), 'hcp360-test-data'),
    WECHAT_APPID: appid,
    WECHAT_SECRET: secret,
    WECHAT_API_BASE: fake.url,
    MYSQL_URL: databaseUrl,
    ...opts.env,
  });
  const deps = buildDeps(config, databaseUrl, { clock: clock.now, log: createLogger(config.logLevel) });
  const engine = opts.engine === false ? undefined : startEngine(deps, { itemSources: ITEM_SOURCES, pollMs: 200, gapWaitMs: 500, refreshMs: 3_600_000 });
  const server = await startServer(deps, { port: 0, h5Dir: opts.h5Dir, consoleDir: opts.consoleDir, fakeWechatUrl: fake.url });
  const http = makeHttp(server.url);
  return {
    url: server.url,
    databaseUrl,
    clock,
    config,
    deps,
    fake,
    server,
    engine,
    http,
    async fakeCall(method, p, body) {
      const res = await fetch(`${fake.url}${p}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await res.json()) as any;
    },
    async close() {
      await engine?.stop();
      await server.close(1000);
      await fake.close();
      await dropDatabase(databaseUrl);
    },
  };
}
