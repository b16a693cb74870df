/**
 * Builds the platform (pool, clock, logger, tokens, WeChat client) and serves the app over HTTP.
 * Used by main.ts and by tests, so tests run the same wiring as production.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppOptions } from './app.js';
import { AccessTokens } from './platform/auth.js';
import { systemClock, type Clock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import { createPool } from './platform/db.js';
import type { Deps } from './platform/deps.js';
import { createLogger, type Logger } from './platform/logger.js';
import { WechatClient } from './platform/wechat.js';

export interface RunningServer {
  url: string;
  port: number;
  deps: Deps;
  /** Graceful: stop accepting, let in-flight requests finish (up to `graceMs`), close the pool. */
  close(graceMs?: number): Promise<void>;
}

export function buildDeps(config: Config, databaseUrl: string, overrides: { clock?: Clock; log?: Logger } = {}): Deps {
  const clock = overrides.clock ?? systemClock;
  return {
    config,
    clock,
    log: overrides.log ?? createLogger(config.logLevel),
    pool: createPool(databaseUrl),
    tokens: new AccessTokens(config.jwt, clock),
    wechat: new WechatClient({ ...config.wechat, now: clock }),
  };
}

export async function startServer(deps: Deps, opts: AppOptions & { port?: number; host?: string } = {}): Promise<RunningServer> {
  const app = createApp(deps, opts);
  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? deps.config.port, opts.host ?? deps.config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    deps,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await closed;
        clearTimeout(timer);
        for (const hook of deps.closeHooks ?? []) {
          await hook().catch((err) => deps.log.error({ err: { message: (err as Error).message } }, 'close hook failed'));
        }
        await deps.pool.end();
      })();
      return closing;
    },
  };
}
