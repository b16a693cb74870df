/**
 * The Koa application: middleware in a fixed order (request id and logging → errors → security
 * headers → CORS → body parsing → authentication → routes), then static files: the staff console
 * at /console/ and the h5 build at /h5/.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { bodyParser } from '@koa/bodyparser';
import cors from '@koa/cors';
import Router from '@koa/router';
import Koa from 'koa';
import helmet from 'koa-helmet';
import send from 'koa-send';
import { z } from 'zod';
import { caseAdminRoutes } from './domains/cases/adminRoutes.js';
import { CASE_IMAGE_UPLOAD_PATH } from './domains/cases/caseImages.js';
import { caseRoutes } from './domains/cases/routes.js';
import { contentAdminRoutes } from './domains/content/adminRoutes.js';
import { mediaRoutes, UPLOAD_PATH } from './domains/content/mediaRoutes.js';
import { contentRoutes } from './domains/content/routes.js';
import { eventRoutes } from './domains/events/routes.js';
import { feedRoutes } from './domains/feed/routes.js';
import { identityAdminRoutes } from './domains/identity/adminRoutes.js';
import { identityRoutes } from './domains/identity/routes.js';
import { liveAdminRoutes } from './domains/live/adminRoutes.js';
import { liveRoutes } from './domains/live/routes.js';
import { engineRoutes } from './domains/tags/routes.js';
import { authenticate } from './platform/auth.js';
import type { Deps } from './platform/deps.js';
import { AppError, errorMiddleware, parseOrThrow } from './platform/errors.js';

export interface AppOptions {
  /** The mini-program's h5 build, served at /h5/. */
  h5Dir?: string;
  /** The staff console's build (server/console/dist), served at /console/. */
  consoleDir?: string;
  /** The fake WeChat server's base URL, when it stands in for WeChat (enables /api/dev/wechat-code). */
  fakeWechatUrl?: string;
}

/** Request bodies above this are refused with 413 before they are parsed. */
export const BODY_LIMIT = '256kb';

type Logger = Deps['log'];

/**
 * A request's logger (`ctx.state.log`), tagged with its request id. The child logger is made when
 * something logs: at the default level most requests log nothing. A class, not an accessor
 * defined on ctx.state: that made a hidden class, an accessor pair and a closure per request, which
 * the old generation kept until its next full collection (about 450 bytes a request, measured).
 */
export class RequestLog {
  #log: Logger | undefined;

  constructor(
    private readonly base: Logger,
    readonly reqId: string,
  ) {}

  private get log(): Logger {
    return (this.#log ??= this.base.child({ reqId: this.reqId }));
  }

  info(obj: object, msg: string): void {
    this.log.info(obj, msg);
  }

  warn(obj: object, msg: string): void {
    this.log.warn(obj, msg);
  }

  error(obj: object, msg: string): void {
    this.log.error(obj, msg);
  }
}

export function createApp(deps: Deps, opts: AppOptions = {}): Koa {
  const app = new Koa({ proxy: false });

  app.use(async function requestLog(ctx, next) {
    const incoming = ctx.get('x-request-id');
    const reqId = /^[A-Za-z0-9_-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', reqId);
    ctx.state.log = new RequestLog(deps.log, reqId);
    const started = performance.now();
    try {
      await next();
    } finally {
      if (deps.log.isLevelEnabled('info')) ctx.state.log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) }, 'request');
    }
  });
  app.use(errorMiddleware());
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          mediaSrc: ["'self'", 'blob:', 'https:'],
          connectSrc: ["'self'"],
          // Served over plain http on loopback in development; TLS terminates at the load balancer in production.
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: deps.config.env === 'production',
      crossOriginEmbedderPolicy: false,
    }),
  );
  if (deps.config.env !== 'production') {
    // The h5 dev server (taro build --watch) runs on another origin during development.
    const allowed = new Set(deps.config.corsOrigins);
    app.use(cors({ origin: (ctx) => (allowed.has(ctx.get('origin')) ? ctx.get('origin') : ''), allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'] }));
  }
  app.use(async function jsonOnly(ctx, next) {
    const hasBody = Number(ctx.get('content-length') || 0) > 0 || ctx.get('transfer-encoding') !== '';
    // Uploads are raw bytes (checked by their magic bytes); every other /api/ body is JSON.
    if (hasBody && ['POST', 'PUT', 'PATCH'].includes(ctx.method) && ctx.path.startsWith('/api/') && ctx.path !== UPLOAD_PATH && ctx.path !== CASE_IMAGE_UPLOAD_PATH && !ctx.is('application/json')) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE');
    }
    await next();
  });
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: BODY_LIMIT, encoding: 'utf-8' }));
  app.use(authenticate(deps.tokens));

  const root = new Router();
  root.get('/healthz', async (ctx) => {
    try {
      await deps.pool.query('SELECT 1');
    } catch {
      throw new AppError('DATABASE_UNAVAILABLE');
    }
    ctx.body = { ok: true };
  });
  if (deps.config.benchRoutes) {
    // The benchmarks' baseline (BENCH_ROUTES=1 only): the whole middleware stack, no database, no token.
    root.get('/bench/hello', (ctx) => {
      ctx.body = { ok: true };
    });
  }
  if (opts.fakeWechatUrl) {
    const fake = opts.fakeWechatUrl;
    // Development only: the h5 build has no wx.login, so it asks the fake WeChat for a login code.
    root.post('/api/dev/wechat-code', async (ctx) => {
      const body = parseOrThrow(z.strictObject({ openid: z.string().min(1).max(64), unionid: z.string().min(1).max(64).optional() }), ctx.request.body);
      const res = await fetch(`${fake}/__fake/code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new AppError('VALIDATION_FAILED', 'The fake WeChat refused that openid.', await res.json());
      ctx.body = await res.json();
    });
  }
  app.use(root.routes());
  const routers = [
    // The feed first: the busiest route, and before content's /api/content/:id (it has /api/content/search).
    ...[feedRoutes(deps), identityRoutes(deps), identityAdminRoutes(deps), eventRoutes(deps), engineRoutes(deps)],
    ...[contentRoutes(deps), contentAdminRoutes(deps), mediaRoutes(deps)],
    // Case collection: the doctors' routes and the console's.
    ...[caseRoutes(deps), caseAdminRoutes(deps)],
    // Live streams: the doctors' routes (with the demo stream) and the console's.
    ...[liveRoutes(deps, { fakeWechatUrl: opts.fakeWechatUrl }), liveAdminRoutes(deps)],
  ];
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }

  if (opts.consoleDir) {
    const consoleRoot = path.resolve(opts.consoleDir);
    app.use(async function serveConsole(ctx, next) {
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
      if (ctx.path === '/console') return ctx.redirect('/console/');
      if (!ctx.path.startsWith('/console/')) return next();
      // The console routes by the URL's hash: every path that is not one of its files is its page.
      const rel = ctx.path.slice('/console/'.length);
      const asset = rel.startsWith('assets/');
      try {
        await send(ctx, asset ? rel : 'index.html', { root: consoleRoot, maxage: asset ? 365 * 86_400_000 : 0, immutable: asset });
      } catch {
        await next();
      }
    });
  }

  if (opts.h5Dir) {
    const h5Root = path.resolve(opts.h5Dir);
    app.use(async function serveH5(ctx, next) {
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
      if (ctx.path === '/' || ctx.path === '/h5') return ctx.redirect('/h5/');
      if (!ctx.path.startsWith('/h5/')) return next();
      const rel = ctx.path.slice('/h5/'.length) || 'index.html';
      try {
        await send(ctx, rel, { root: h5Root, maxage: rel === 'index.html' ? 0 : 3600_000 });
      } catch {
        await next();
      }
    });
  }
  return app;
}
