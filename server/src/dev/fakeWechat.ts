/**
 * A fake of the WeChat server APIs HCP360 calls (shared/WECHAT.md): same paths, parameters,
 * answers and error codes, as a real HTTP server on loopback. `npm start` runs it when no
 * WECHAT_APPID is configured, and the tests run it the same way.
 *
 * Test-only routes live under /__fake/:
 *   POST /__fake/code            {openid, unionid?}   → {code}   one-time login code (5 min, single use)
 *   POST /__fake/phone-code      {phoneNumber}        → {code}   code as the getPhoneNumber button gives
 *   POST /__fake/subscriptions   {openid, template_id}           record one accepted one-time subscription
 *   POST /__fake/faults          {api, errcode, times?}          the next `times` calls of `api` answer errcode
 *   POST /__fake/expire-tokens                                   every issued access token becomes invalid (40001)
 *   GET  /__fake/sent-messages                                   subscribe messages received, oldest first
 *   GET  /__fake/stats                                           call counters
 *   POST /__fake/reset                                           forget everything
 * Openids starting with `blocked-` are refused by jscode2session with 40226 (high-risk user).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import QRCode from 'qrcode';

export type FakeApi =
  | 'jscode2session'
  | 'token'
  | 'stable_token'
  | 'getuserphonenumber'
  | 'subscribe_send'
  | 'getwxacodeunlimit'
  | 'msg_sec_check';

/**
 * msg_sec_check verdicts are deterministic: the first rule whose keyword occurs in the content
 * decides. Labels follow WeChat's: 100 normal, 10001 ads, 20001 politics, 20002 porn,
 * 20003 abuse, 20006 illegal, 21000 other.
 */
export const SEC_CHECK_RULES: { keyword: string; label: number; suggest: 'review' | 'risky' }[] = [
  { keyword: '法轮', label: 20001, suggest: 'risky' },
  { keyword: '色情', label: 20002, suggest: 'risky' },
  { keyword: '傻逼', label: 20003, suggest: 'risky' },
  { keyword: '赌博', label: 20006, suggest: 'risky' },
  { keyword: '代开发票', label: 20006, suggest: 'risky' },
  { keyword: '加微信', label: 10001, suggest: 'review' },
  { keyword: '返利', label: 10001, suggest: 'review' },
  { keyword: '疑似违规', label: 21000, suggest: 'review' },
];

/** Subscribe-message templates the fake knows, with the data keys each requires. */
export const DEFAULT_TEMPLATES: Record<string, string[]> = {
  'hcp360-live-reminder': ['thing1', 'time2', 'thing3'],
  'hcp360-case-result': ['thing1', 'phrase2', 'thing3'],
};

/**
 * Mini-program pages the fake accepts in `page` parameters (41030 otherwise): the app's pages and
 * subpackage pages. tests/build/weapp-size.test.ts checks this list against the built app.json.
 */
export const DEFAULT_PAGES = [
  'pages/index/index',
  'pages/me/index',
  'pages/consent/index',
  'pages/profile/index',
  'pages/article/index',
  'pages/video/index',
  'pages/lives/index',
  'pages/live/index',
  'rep/apply/index',
  'rep/lives/index',
  'rep/poster/index',
  'library/favorites/index',
  'library/history/index',
  'library/search/index',
  'pages/cases/index',
  'cases/campaign/index',
  'cases/form/index',
  'cases/submissions/index',
  'cases/submission/index',
];

export interface FakeWechatOptions {
  appid: string;
  secret: string;
  port?: number;
  host?: string;
  now?: () => number;
  pages?: string[];
  templates?: Record<string, string[]>;
}

export interface FakeWechat {
  url: string;
  port: number;
  close(): Promise<void>;
}

const CODE_TTL_MS = 5 * 60 * 1000;
const TOKEN_TTL_S = 7200;

interface LoginCode {
  openid: string;
  unionid?: string;
  issuedAt: number;
  used: boolean;
}

export async function startFakeWechat(opts: FakeWechatOptions): Promise<FakeWechat> {
  const now = opts.now ?? Date.now;
  const pages = new Set(opts.pages ?? DEFAULT_PAGES);
  const templates = { ...DEFAULT_TEMPLATES, ...opts.templates };

  const state = {
    codes: new Map<string, LoginCode>(),
    phoneCodes: new Map<string, { phoneNumber: string; used: boolean }>(),
    tokens: new Map<string, { expiresAt: number; revoked: boolean }>(),
    knownOpenids: new Set<string>(),
    subscriptions: new Map<string, number>(),
    faults: new Map<FakeApi, { errcode: number; times: number }>(),
    sent: [] as Record<string, unknown>[],
    stats: { jscode2session: 0, tokensIssued: 0, phone: 0, subscribeSend: 0, wxacode: 0, secCheck: 0 },
  };
  const newToken = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

  /** Answers an injected fault for `api`, if one is queued. */
  function fault(api: FakeApi): { errcode: number; errmsg: string } | undefined {
    const f = state.faults.get(api);
    if (!f) return undefined;
    if (--f.times <= 0) state.faults.delete(api);
    return { errcode: f.errcode, errmsg: `injected fault ${f.errcode}` };
  }

  function issueAccessToken() {
    const token = newToken('fake-at-');
    state.tokens.set(token, { expiresAt: now() + TOKEN_TTL_S * 1000, revoked: false });
    state.stats.tokensIssued++;
    return { access_token: token, expires_in: TOKEN_TTL_S };
  }

  /** 40001 for an unknown/revoked token, 42001 for an expired one, undefined when valid. */
  function tokenError(token: unknown): { errcode: number; errmsg: string } | undefined {
    const t = typeof token === 'string' ? state.tokens.get(token) : undefined;
    if (!t || t.revoked) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    if (t.expiresAt <= now()) return { errcode: 42001, errmsg: 'access_token expired' };
    return undefined;
  }

  const credentialsError = (appid: unknown, secret: unknown) => {
    if (appid !== opts.appid) return { errcode: 40013, errmsg: 'invalid appid' };
    if (secret !== opts.secret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    return undefined;
  };

  const router = new Router();

  router.get('/sns/jscode2session', (ctx) => {
    state.stats.jscode2session++;
    const q = ctx.query;
    const injected = fault('jscode2session');
    if (injected) return void (ctx.body = injected);
    const cred = credentialsError(q.appid, q.secret);
    if (cred) return void (ctx.body = cred);
    if (q.grant_type !== 'authorization_code') return void (ctx.body = { errcode: 40002, errmsg: 'invalid grant_type' });
    const code = typeof q.js_code === 'string' ? state.codes.get(q.js_code) : undefined;
    if (!code || now() - code.issuedAt > CODE_TTL_MS) return void (ctx.body = { errcode: 40029, errmsg: 'invalid code' });
    if (code.used) return void (ctx.body = { errcode: 40163, errmsg: 'code been used' });
    code.used = true;
    if (code.openid.startsWith('blocked-')) return void (ctx.body = { errcode: 40226, errmsg: 'high risk user' });
    state.knownOpenids.add(code.openid);
    ctx.body = {
      openid: code.openid,
      session_key: randomBytes(16).toString('base64'),
      ...(code.unionid && { unionid: code.unionid }),
    };
  });

  router.get('/cgi-bin/token', (ctx) => {
    const injected = fault('token');
    if (injected) return void (ctx.body = injected);
    if (ctx.query.grant_type !== 'client_credential') return void (ctx.body = { errcode: 40002, errmsg: 'invalid grant_type' });
    ctx.body = credentialsError(ctx.query.appid, ctx.query.secret) ?? issueAccessToken();
  });

  router.post('/cgi-bin/stable_token', (ctx) => {
    const injected = fault('stable_token');
    if (injected) return void (ctx.body = injected);
    const b = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (b.grant_type !== 'client_credential') return void (ctx.body = { errcode: 40002, errmsg: 'invalid grant_type' });
    ctx.body = credentialsError(b.appid, b.secret) ?? issueAccessToken();
  });

  router.post('/wxa/business/getuserphonenumber', (ctx) => {
    state.stats.phone++;
    const injected = fault('getuserphonenumber');
    if (injected) return void (ctx.body = injected);
    const bad = tokenError(ctx.query.access_token);
    if (bad) return void (ctx.body = bad);
    const b = (ctx.request.body ?? {}) as Record<string, unknown>;
    const entry = typeof b.code === 'string' ? state.phoneCodes.get(b.code) : undefined;
    if (!entry || entry.used) return void (ctx.body = { errcode: 40029, errmsg: 'invalid code' });
    entry.used = true;
    ctx.body = {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: entry.phoneNumber,
        purePhoneNumber: entry.phoneNumber,
        countryCode: '86',
        watermark: { appid: opts.appid, timestamp: Math.floor(now() / 1000) },
      },
    };
  });

  router.post('/cgi-bin/message/subscribe/send', (ctx) => {
    state.stats.subscribeSend++;
    const injected = fault('subscribe_send');
    if (injected) return void (ctx.body = injected);
    const bad = tokenError(ctx.query.access_token);
    if (bad) return void (ctx.body = bad);
    const b = (ctx.request.body ?? {}) as Record<string, unknown>;
    const touser = typeof b.touser === 'string' ? b.touser : '';
    const templateId = typeof b.template_id === 'string' ? b.template_id : '';
    if (!state.knownOpenids.has(touser)) return void (ctx.body = { errcode: 40003, errmsg: 'invalid openid' });
    const keys = templates[templateId];
    if (!keys) return void (ctx.body = { errcode: 40037, errmsg: 'invalid template_id' });
    if (b.page !== undefined && (typeof b.page !== 'string' || !pages.has(b.page.split('?')[0] ?? ''))) {
      return void (ctx.body = { errcode: 41030, errmsg: 'invalid page' });
    }
    const data = b.data as Record<string, { value?: unknown }> | undefined;
    const dataOk =
      !!data &&
      typeof data === 'object' &&
      keys.every((k) => typeof data[k]?.value === 'string') &&
      Object.keys(data).every((k) => keys.includes(k));
    if (!dataOk) return void (ctx.body = { errcode: 47003, errmsg: 'argument invalid! data.format invalid' });
    const subKey = `${touser}\u0000${templateId}`;
    const left = state.subscriptions.get(subKey) ?? 0;
    if (left <= 0) return void (ctx.body = { errcode: 43101, errmsg: 'user refuse to accept the msg' });
    state.subscriptions.set(subKey, left - 1);
    state.sent.push({ ...b, receivedAt: now() });
    ctx.body = { errcode: 0, errmsg: 'ok', msgid: Date.now() };
  });

  router.post('/wxa/getwxacodeunlimit', async (ctx) => {
    state.stats.wxacode++;
    const injected = fault('getwxacodeunlimit');
    if (injected) return void (ctx.body = injected);
    const bad = tokenError(ctx.query.access_token);
    if (bad) return void (ctx.body = bad);
    const b = (ctx.request.body ?? {}) as Record<string, unknown>;
    const scene = b.scene;
    if (typeof scene !== 'string' || scene.length === 0 || scene.length > 32 || !/^[\x21-\x7e]+$/.test(scene)) {
      return void (ctx.body = { errcode: 40169, errmsg: 'invalid length for scene, or the data is not json' });
    }
    const page = typeof b.page === 'string' ? b.page : 'pages/index/index';
    if (page.startsWith('/') || (b.check_path !== false && !pages.has(page))) {
      return void (ctx.body = { errcode: 41030, errmsg: 'invalid page' });
    }
    const width = Math.min(1280, Math.max(280, typeof b.width === 'number' ? b.width : 430));
    ctx.type = 'image/png';
    ctx.body = await QRCode.toBuffer(`${page}?scene=${encodeURIComponent(scene)}`, { type: 'png', width, margin: 2 });
  });

  router.post('/wxa/msg_sec_check', (ctx) => {
    state.stats.secCheck++;
    const injected = fault('msg_sec_check');
    if (injected) return void (ctx.body = injected);
    const bad = tokenError(ctx.query.access_token);
    if (bad) return void (ctx.body = bad);
    const b = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (b.version !== 2 || ![1, 2, 3, 4].includes(b.scene as number)) {
      return void (ctx.body = { errcode: 40003, errmsg: 'invalid version or scene' });
    }
    if (typeof b.openid !== 'string' || !state.knownOpenids.has(b.openid)) {
      return void (ctx.body = { errcode: 40003, errmsg: 'invalid openid' });
    }
    if (typeof b.content !== 'string' || b.content.length > 2500) {
      return void (ctx.body = { errcode: 47003, errmsg: 'content missing or longer than 2500 characters' });
    }
    const content = b.content;
    const hit = SEC_CHECK_RULES.find((r) => content.includes(r.keyword));
    const verdict = hit ? { suggest: hit.suggest, label: hit.label } : { suggest: 'pass', label: 100 };
    ctx.body = {
      errcode: 0,
      errmsg: 'ok',
      result: verdict,
      detail: [{ strategy: 'content_model', errcode: 0, ...verdict, ...(hit && { keyword: hit.keyword }), prob: hit ? 90 : 0 }],
      trace_id: randomBytes(8).toString('hex'),
    };
  });

  // ---- test-only routes ---------------------------------------------------------------------
  const visible = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max && /^[\x21-\x7e]+$/.test(v);

  router.post('/__fake/code', (ctx) => {
    const b = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (!visible(b.openid, 64) || (b.unionid !== undefined && !visible(b.unionid, 64))) {
      ctx.status = 400;
      return void (ctx.body = { error: 'openid (and unionid, when given) must be 1–64 visible ASCII characters' });
    }
    const code = newToken('code-');
    state.codes.set(code, { openid: b.openid, unionid: b.unionid as string | undefined, issuedAt: now(), used: false });
    ctx.body = { code };
  });

  router.post('/__fake/phone-code', (ctx) => {
    const b = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (typeof b.phoneNumber !== 'string' || !/^1[3-9][0-9]{9}$/.test(b.phoneNumber)) {
      ctx.status = 400;
      return void (ctx.body = { error: 'phoneNumber must be a mainland mobile number' });
    }
    const code = newToken('phone-');
    state.phoneCodes.set(code, { phoneNumber: b.phoneNumber, used: false });
    ctx.body = { code };
  });

  router.post('/__fake/subscriptions', (ctx) => {
    const b = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (typeof b.openid !== 'string' || typeof b.template_id !== 'string') {
      ctx.status = 400;
      return void (ctx.body = { error: 'openid and template_id are required' });
    }
    const key = `${b.openid}\u0000${b.template_id}`;
    state.subscriptions.set(key, (state.subscriptions.get(key) ?? 0) + 1);
    ctx.body = { ok: true };
  });

  router.post('/__fake/faults', (ctx) => {
    const b = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (typeof b.api !== 'string' || typeof b.errcode !== 'number') {
      ctx.status = 400;
      return void (ctx.body = { error: 'api and errcode are required' });
    }
    state.faults.set(b.api as FakeApi, { errcode: b.errcode, times: typeof b.times === 'number' ? b.times : 1 });
    ctx.body = { ok: true };
  });

  router.post('/__fake/expire-tokens', (ctx) => {
    for (const t of state.tokens.values()) t.revoked = true;
    ctx.body = { ok: true };
  });

  router.get('/__fake/sent-messages', (ctx) => {
    ctx.body = { items: state.sent };
  });

  router.get('/__fake/stats', (ctx) => {
    ctx.body = state.stats;
  });

  router.post('/__fake/reset', (ctx) => {
    state.codes.clear();
    state.phoneCodes.clear();
    state.tokens.clear();
    state.knownOpenids.clear();
    state.subscriptions.clear();
    state.faults.clear();
    state.sent.length = 0;
    for (const k of Object.keys(state.stats) as (keyof typeof state.stats)[]) state.stats[k] = 0;
    ctx.body = { ok: true };
  });

  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch {
      // Real WeChat answers malformed bodies with 47001 rather than an HTTP error.
      ctx.status = 200;
      ctx.body = { errcode: 47001, errmsg: 'data format error' };
    }
  });
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '1mb' }));
  app.use(router.routes());
  app.use(router.allowedMethods());

  const server = http.createServer(app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
