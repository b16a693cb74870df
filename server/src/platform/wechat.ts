/**
 * The backend's WeChat client (shared/WECHAT.md). Talks only to `apiBase`, so pointing
 * WECHAT_API_BASE at the real host is the only change between the fake and production.
 * The access token is cached server-wide (one fetch shared by concurrent callers) and
 * refreshed once when WeChat says it is invalid (40001) or expired (42001).
 * session_key is dropped the moment jscode2session answers: it is never returned, stored or logged.
 */
import { AppError } from './errors.js';

export interface WechatClientOptions {
  appid: string;
  secret: string;
  apiBase: string;
  now?: () => number;
  timeoutMs?: number;
}

/** WeChat answered with a non-zero errcode. */
export class WechatApiError extends Error {
  constructor(
    readonly api: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat ${api} answered errcode ${errcode}: ${errmsg}`);
  }
}

interface WechatJson {
  errcode?: number;
  errmsg?: string;
  [key: string]: unknown;
}

export type SecCheckVerdict = { suggest: 'pass' | 'review' | 'risky'; label: number };

export class WechatClient {
  private token?: { value: string; expiresAt: number };
  private tokenInFlight?: Promise<string>;
  private readonly now: () => number;

  constructor(private readonly opts: WechatClientOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Exchanges a wx.login code for the user's identity. Maps WeChat's errors onto ours. */
  async code2Session(code: string): Promise<{ openid: string; unionid?: string }> {
    const url = this.url('/sns/jscode2session', {
      appid: this.opts.appid,
      secret: this.opts.secret,
      js_code: code,
      grant_type: 'authorization_code',
    });
    // -1 means "system busy, retry": retry once before giving up.
    for (let attempt = 0; ; attempt++) {
      const res = await this.fetchJson('jscode2session', url, { method: 'GET' });
      const errcode = res.errcode ?? 0;
      if (errcode === 0 && typeof res.openid === 'string') {
        return { openid: res.openid, ...(typeof res.unionid === 'string' && { unionid: res.unionid }) };
      }
      if (errcode === -1 && attempt === 0) continue;
      throw loginError(errcode);
    }
  }

  /** The phone number behind a getPhoneNumber button code. */
  async getPhoneNumber(code: string): Promise<{ phoneNumber: string; purePhoneNumber: string; countryCode: string }> {
    try {
      const res = await this.withToken('getuserphonenumber', (t) =>
        this.postJson('getuserphonenumber', this.url('/wxa/business/getuserphonenumber', { access_token: t }), { code }),
      );
      const info = res.phone_info as { phoneNumber: string; purePhoneNumber: string; countryCode: string };
      return info;
    } catch (err) {
      if (err instanceof WechatApiError && err.errcode === 40029) throw new AppError('PHONE_CODE_INVALID');
      throw err;
    }
  }

  /** Sends a subscribe message. Throws WechatApiError (43101, 40003, 47003…) for the caller to record. */
  async sendSubscribeMessage(msg: {
    touser: string;
    template_id: string;
    page?: string;
    data: Record<string, { value: string }>;
    miniprogram_state?: 'developer' | 'trial' | 'formal';
  }): Promise<void> {
    await this.withToken('subscribe_send', (t) =>
      this.postJson('subscribe_send', this.url('/cgi-bin/message/subscribe/send', { access_token: t }), { lang: 'zh_CN', ...msg }),
    );
  }

  /** A mini-program code (PNG bytes) whose `scene` arrives in the page's options.scene. */
  async getUnlimitedQrCode(params: { scene: string; page: string; width?: number; check_path?: boolean; env_version?: 'release' | 'trial' | 'develop' }): Promise<Buffer> {
    return this.withToken('getwxacodeunlimit', async (t) => {
      const res = await this.request('getwxacodeunlimit', this.url('/wxa/getwxacodeunlimit', { access_token: t }), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
      });
      const type = res.headers.get('content-type') ?? '';
      if (type.startsWith('image/')) return Buffer.from(await res.arrayBuffer());
      const json = (await res.json()) as WechatJson;
      throw new WechatApiError('getwxacodeunlimit', json.errcode ?? -1, json.errmsg ?? 'no image returned');
    });
  }

  /** Content security check (v2) of user text that others will see. */
  async msgSecCheck(params: { content: string; openid: string; scene: 1 | 2 | 3 | 4 }): Promise<SecCheckVerdict> {
    const res = await this.withToken('msg_sec_check', (t) =>
      this.postJson('msg_sec_check', this.url('/wxa/msg_sec_check', { access_token: t }), { ...params, version: 2 }),
    );
    return res.result as SecCheckVerdict;
  }

  // ---- access token ---------------------------------------------------------------------------

  /** The cached access token, fetched once for all concurrent callers when missing or near expiry. */
  async accessToken(forceRefresh = false): Promise<string> {
    if (!forceRefresh && this.token && this.token.expiresAt > this.now()) return this.token.value;
    if (!this.tokenInFlight) {
      this.tokenInFlight = this.fetchToken(forceRefresh).finally(() => (this.tokenInFlight = undefined));
    }
    return this.tokenInFlight;
  }

  private async fetchToken(forceRefresh: boolean): Promise<string> {
    const res = await this.postJson('stable_token', this.url('/cgi-bin/stable_token', {}), {
      grant_type: 'client_credential',
      appid: this.opts.appid,
      secret: this.opts.secret,
      ...(forceRefresh && { force_refresh: true }),
    });
    const value = res.access_token as string;
    const expiresIn = typeof res.expires_in === 'number' ? res.expires_in : 7200;
    // Refresh five minutes early so a token never expires mid-request.
    this.token = { value, expiresAt: this.now() + Math.max(60, expiresIn - 300) * 1000 };
    return value;
  }

  /** Runs `call` with the token; on 40001/42001 refreshes once and retries once. */
  private async withToken<T>(api: string, call: (token: string) => Promise<T>): Promise<T> {
    const first = await this.accessToken();
    try {
      return await call(first);
    } catch (err) {
      if (!(err instanceof WechatApiError) || (err.errcode !== 40001 && err.errcode !== 42001)) throw err;
      if (this.token?.value === first) this.token = undefined;
      return call(await this.accessToken(true));
    }
  }

  // ---- HTTP -------------------------------------------------------------------------------------

  private url(path: string, query: Record<string, string>): string {
    const u = new URL(path, this.opts.apiBase);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    return u.toString();
  }

  private async request(api: string, url: string, init: RequestInit): Promise<Response> {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000) });
      if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
      return res;
    } catch (err) {
      throw new AppError('WECHAT_UNAVAILABLE', `WeChat ${api} is not answering (${(err as Error).message}).`);
    }
  }

  private async fetchJson(api: string, url: string, init: RequestInit): Promise<WechatJson> {
    const res = await this.request(api, url, init);
    try {
      return (await res.json()) as WechatJson;
    } catch {
      throw new AppError('WECHAT_UNAVAILABLE', `WeChat ${api} answered something that is not JSON.`);
    }
  }

  private async postJson(api: string, url: string, body: unknown): Promise<WechatJson> {
    const json = await this.fetchJson(api, url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (json.errcode && json.errcode !== 0) throw new WechatApiError(api, json.errcode, json.errmsg ?? '');
    return json;
  }
}

function loginError(errcode: number): AppError {
  switch (errcode) {
    case 40029:
      return new AppError('WECHAT_CODE_INVALID');
    case 40163:
      return new AppError('WECHAT_CODE_USED');
    case 45011:
      return new AppError('WECHAT_RATE_LIMITED', undefined, undefined, { 'Retry-After': '60' });
    case 40226:
      return new AppError('WECHAT_USER_BLOCKED');
    case -1:
      return new AppError('WECHAT_UNAVAILABLE', 'WeChat is busy (errcode -1); retry shortly.');
    default:
      return new AppError('WECHAT_UNAVAILABLE', `WeChat login failed with errcode ${errcode}.`);
  }
}
