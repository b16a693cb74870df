import { describe, expect, it, vi } from 'vitest';
import { createApiClient, REFRESH_TOKEN_KEY, TOKEN_KEY, type HttpRequest, type HttpResponse, type KeyValueStorage } from './apiClient';
import { ApiError } from './apiError';

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get: (key) => data.get(key) ?? null,
    set: (key, value) => void data.set(key, value),
    remove: (key) => void data.delete(key),
  };
}

const error = (status: number, code: string, details?: unknown): HttpResponse => ({
  status,
  data: { error: { code, message: 'server text', details } },
});

/**
 * A small fake of the auth half of the backend: login codes become token pairs, refresh tokens
 * rotate and work once, GET /api/me needs a live access token. Every request is recorded.
 */
function fakeBackend() {
  let issued = 0;
  const liveAccess = new Set<string>();
  const liveRefresh = new Set<string>();
  const calls: HttpRequest[] = [];
  let refreshOverride: HttpResponse | null = null;
  const delays: number[] = [];

  function issuePair(): HttpResponse {
    issued += 1;
    const pair = { token: `access-${issued}`, refreshToken: `refresh-${issued}-${'x'.repeat(20)}` };
    liveAccess.add(pair.token);
    liveRefresh.add(pair.refreshToken);
    return { status: 200, data: { ...pair, user: { id: '7', role: 'doctor' } } };
  }

  function handle(req: HttpRequest): HttpResponse {
    const route = `${req.method} ${req.url.replace('https://api.test', '')}`;
    const body = req.body as Record<string, string> | undefined;
    if (route === 'POST /api/auth/wechat-login') return issuePair();
    if (route === 'POST /api/auth/refresh') {
      if (refreshOverride) return refreshOverride;
      return liveRefresh.delete(body?.refreshToken ?? '') ? issuePair() : error(401, 'REFRESH_TOKEN_REUSED');
    }
    const token = req.headers.Authorization?.replace('Bearer ', '');
    if (!token) return error(401, 'UNAUTHENTICATED');
    if (!liveAccess.has(token)) return error(401, 'TOKEN_EXPIRED');
    return { status: 200, data: { id: '7', seenToken: token } };
  }

  return {
    calls,
    callsTo: (path: string) => calls.filter((c) => c.url.endsWith(path)),
    transport: vi.fn(async (req: HttpRequest) => {
      calls.push(req);
      // answers arrive later, as on a network
      await new Promise((resolve) => setTimeout(resolve, delays.shift() ?? 1));
      return handle(req);
    }),
    expireAccessTokens: () => liveAccess.clear(),
    delayNextCalls: (ms: number[]) => void delays.push(...ms),
    revokeRefreshTokens: () => liveRefresh.clear(),
    answerRefreshWith: (res: HttpResponse) => {
      refreshOverride = res;
    },
  };
}

function setup(initialStorage: Record<string, string> = {}) {
  const backend = fakeBackend();
  const storage = memoryStorage(initialStorage);
  let codes = 0;
  const getLoginCode = vi.fn(async () => `code-${++codes}`);
  const client = createApiClient({ baseUrl: 'https://api.test', transport: backend.transport, storage, getLoginCode });
  return { backend, storage, getLoginCode, client };
}

async function signedIn() {
  const ctx = setup();
  await ctx.client.login();
  ctx.backend.calls.length = 0;
  ctx.getLoginCode.mockClear();
  return ctx;
}

describe('api client: tokens and silent login', () => {
  it('sends the stored access token as a bearer header to the base URL', async () => {
    const { client, backend } = await signedIn();
    const me = await client.request<{ seenToken: string }>({ path: '/api/me' });
    expect(me.seenToken).toBe('access-1');
    expect(backend.calls[0]).toMatchObject({ method: 'GET', url: 'https://api.test/api/me' });
    expect(backend.calls[0]!.headers.Authorization).toBe('Bearer access-1');
  });

  it('logs in silently with a WeChat code before the first protected request and keeps the tokens', async () => {
    const { client, backend, storage, getLoginCode } = setup();
    await client.request({ path: '/api/me' });
    expect(getLoginCode).toHaveBeenCalledTimes(1);
    expect(backend.calls.map((c) => c.url)).toEqual(['https://api.test/api/auth/wechat-login', 'https://api.test/api/me']);
    expect(backend.calls[0]!.body).toEqual({ code: 'code-1' });
    expect(storage.data.get(TOKEN_KEY)).toBe('access-1');
    expect(storage.data.get(REFRESH_TOKEN_KEY)).toMatch(/^refresh-1-/);
  });

  it('shares one login between requests that start together without a session', async () => {
    const { client, getLoginCode, backend } = setup();
    await Promise.all([client.request({ path: '/api/me' }), client.request({ path: '/api/me' })]);
    expect(getLoginCode).toHaveBeenCalledTimes(1);
    expect(backend.callsTo('/api/auth/wechat-login')).toHaveLength(1);
  });

  it('sends unauthenticated calls without a token and without logging in', async () => {
    const { client, backend, getLoginCode } = setup();
    await client.request({ method: 'POST', path: '/api/auth/wechat-login', body: { code: 'c' }, auth: false });
    expect(getLoginCode).not.toHaveBeenCalled();
    expect(backend.calls[0]!.headers.Authorization).toBeUndefined();
    expect(backend.calls[0]!.headers['Content-Type']).toBe('application/json');
  });
});

describe('api client: a path built from a missing id', () => {
  it('answers 404 NOT_FOUND without sending it (the server would read /api/lives/ as the list)', async () => {
    const { client, backend } = await signedIn();
    for (const path of ['/api/lives/', '/api/content//reactions', '/api/lives/?from=share']) {
      const err = await client.request({ path }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ status: 404, code: 'NOT_FOUND', message: '内容不存在或已下线' });
    }
    expect(backend.calls).toHaveLength(0);
    // A slash inside the query is no empty segment.
    await client.request({ path: '/api/me?next=/pages/' });
    expect(backend.calls.map((c) => c.url)).toEqual(['https://api.test/api/me?next=/pages/']);
  });
});

describe('api client: refresh on 401', () => {
  it('refreshes once on TOKEN_EXPIRED, stores the rotated pair and retries the request once', async () => {
    const { client, backend, storage } = await signedIn();
    backend.expireAccessTokens();
    const me = await client.request<{ seenToken: string }>({ path: '/api/me' });
    expect(me.seenToken).toBe('access-2');
    expect(backend.calls.map((c) => c.url.replace('https://api.test', ''))).toEqual([
      '/api/me',
      '/api/auth/refresh',
      '/api/me',
    ]);
    expect(backend.calls[1]!.body).toEqual({ refreshToken: expect.stringMatching(/^refresh-1-/) });
    expect(storage.data.get(TOKEN_KEY)).toBe('access-2');
    expect(storage.data.get(REFRESH_TOKEN_KEY)).toMatch(/^refresh-2-/);
  });

  it('lets concurrent 401s share a single refresh (refresh tokens work only once)', async () => {
    const { client, backend, getLoginCode } = await signedIn();
    backend.expireAccessTokens();
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => client.request<{ seenToken: string }>({ path: '/api/me' })),
    );
    expect(results.map((r) => r.seenToken)).toEqual(['access-2', 'access-2', 'access-2', 'access-2']);
    expect(backend.callsTo('/api/auth/refresh')).toHaveLength(1);
    expect(getLoginCode).not.toHaveBeenCalled();
  });

  it('uses a token another request already refreshed instead of refreshing again', async () => {
    const { client, backend } = await signedIn();
    backend.expireAccessTokens();
    backend.delayNextCalls([30]); // the first request's 401 arrives late…
    const late = client.request<{ seenToken: string }>({ path: '/api/me' });
    const early = client.request<{ seenToken: string }>({ path: '/api/me' }); // …after this one refreshed
    expect((await early).seenToken).toBe('access-2');
    expect((await late).seenToken).toBe('access-2');
    expect(backend.callsTo('/api/auth/refresh')).toHaveLength(1);
  });

  it('logs in again silently when the refresh token was already used, then retries', async () => {
    const { client, backend, getLoginCode, storage } = await signedIn();
    backend.expireAccessTokens();
    backend.revokeRefreshTokens();
    const me = await client.request<{ seenToken: string }>({ path: '/api/me' });
    expect(me.seenToken).toBe('access-2');
    expect(getLoginCode).toHaveBeenCalledTimes(1);
    expect(backend.calls.map((c) => c.url.replace('https://api.test', ''))).toEqual([
      '/api/me',
      '/api/auth/refresh',
      '/api/auth/wechat-login',
      '/api/me',
    ]);
    expect(storage.data.get(TOKEN_KEY)).toBe('access-2');
  });

  it('logs in again when there is no refresh token at all', async () => {
    const { client, backend, getLoginCode } = setup({ [TOKEN_KEY]: 'stale-token' });
    const me = await client.request<{ seenToken: string }>({ path: '/api/me' });
    expect(me.seenToken).toBe('access-1');
    expect(getLoginCode).toHaveBeenCalledTimes(1);
    expect(backend.callsTo('/api/auth/refresh')).toHaveLength(0);
  });

  it('gives up with the 401 when the retried request is refused again (no loop)', async () => {
    const { client, backend } = await signedIn();
    backend.expireAccessTokens();
    backend.answerRefreshWith({ status: 200, data: { token: 'never-valid', refreshToken: 'r'.repeat(24) } });
    const err = await client.request({ path: '/api/me' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
    expect(backend.callsTo('/api/me')).toHaveLength(2);
    expect(backend.callsTo('/api/auth/refresh')).toHaveLength(1);
  });

  it('does not log in again when the refresh fails for a reason other than the token', async () => {
    const { client, backend, getLoginCode } = await signedIn();
    backend.expireAccessTokens();
    backend.answerRefreshWith(error(503, 'WECHAT_UNAVAILABLE'));
    await expect(client.request({ path: '/api/me' })).rejects.toMatchObject({ status: 503, code: 'WECHAT_UNAVAILABLE' });
    expect(getLoginCode).not.toHaveBeenCalled();
  });

  it('does not refresh on a 401 that is not about the access token', async () => {
    const storage = memoryStorage({ [TOKEN_KEY]: 't', [REFRESH_TOKEN_KEY]: 'r'.repeat(24) });
    const transport = vi.fn(async () => error(401, 'WECHAT_CODE_INVALID'));
    const client = createApiClient({ baseUrl: '', transport, storage, getLoginCode: async () => 'c' });
    await expect(client.request({ path: '/api/x' })).rejects.toMatchObject({ code: 'WECHAT_CODE_INVALID' });
    expect(transport).toHaveBeenCalledTimes(1);
  });
});

describe('api client: error mapping', () => {
  function answering(res: HttpResponse | Error) {
    const transport = vi.fn(async () => {
      if (res instanceof Error) throw res;
      return res;
    });
    return createApiClient({
      baseUrl: '',
      transport,
      storage: memoryStorage({ [TOKEN_KEY]: 't' }),
      getLoginCode: async () => 'c',
    });
  }

  it('turns a VALIDATION_FAILED answer into an ApiError with a Chinese message and field issues', async () => {
    const details = [{ path: 'name', message: '姓名至少 2 个字' }];
    const err = (await answering(error(400, 'VALIDATION_FAILED', details))
      .request({ path: '/api/me/profile', method: 'PUT', body: {} })
      .catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', message: '填写的信息有误，请检查后重试' });
    expect(err.details).toEqual(details);
    expect(err.fieldIssues).toEqual(details);
  });

  it.each([
    [409, 'CONSENT_VERSION_OUTDATED', '隐私政策已更新，请阅读最新版本后再同意'],
    [409, 'VERIFICATION_PENDING', '认证申请正在审核中，请耐心等待'],
    [429, 'RATE_LIMITED', '操作太频繁，请稍后再试'],
    [503, 'WECHAT_UNAVAILABLE', '微信服务暂时不可用，请稍后重试'],
    [500, 'INTERNAL', '服务开小差了，请稍后重试'],
    [409, 'SOME_FUTURE_CODE', '操作失败，请稍后重试'],
  ])('maps %i %s to its Chinese message', async (status, code, message) => {
    await expect(answering(error(status, code)).request({ path: '/api/x' })).rejects.toMatchObject({ status, code, message });
  });

  it('reports a failed transport as a network error', async () => {
    await expect(answering(new Error('request:fail timeout')).request({ path: '/api/x' })).rejects.toMatchObject({
      status: 0,
      code: 'NETWORK_ERROR',
      message: '网络不可用，请稍后重试',
    });
  });

  it('copes with an error answer that is not our JSON (e.g. a proxy page)', async () => {
    await expect(answering({ status: 502, data: '<html>Bad Gateway</html>' }).request({ path: '/api/x' })).rejects.toMatchObject({
      status: 502,
      code: 'BAD_RESPONSE',
      message: '服务暂时不可用，请稍后重试',
    });
  });

  it('reports a failed login with the login error, and a broken wx.login as WECHAT_LOGIN_FAILED', async () => {
    const transport = vi.fn(async () => error(503, 'WECHAT_UNAVAILABLE'));
    const down = createApiClient({ baseUrl: '', transport, storage: memoryStorage(), getLoginCode: async () => 'c' });
    await expect(down.request({ path: '/api/me' })).rejects.toMatchObject({ code: 'WECHAT_UNAVAILABLE' });

    const noCode = createApiClient({
      baseUrl: '',
      transport,
      storage: memoryStorage(),
      getLoginCode: async () => {
        throw new Error('login:fail');
      },
    });
    await expect(noCode.request({ path: '/api/me' })).rejects.toMatchObject({
      code: 'WECHAT_LOGIN_FAILED',
      message: '微信登录失败，请重试',
    });
  });
});

describe('api client: exchange (raw answers for the event tracker)', () => {
  it('hands back any status with its headers instead of throwing', async () => {
    const transport = vi.fn(async () => ({ status: 429, data: error(429, 'RATE_LIMITED').data, headers: { 'retry-after': '30' } }));
    const client = createApiClient({ baseUrl: '', transport, storage: memoryStorage({ [TOKEN_KEY]: 't' }), getLoginCode: async () => 'c' });
    await expect(client.exchange({ method: 'POST', path: '/api/events', body: { events: [] } })).resolves.toMatchObject({
      status: 429,
      headers: { 'retry-after': '30' },
    });
  });

  it('still refreshes an expired token once, like request()', async () => {
    const { client, backend } = await signedIn();
    backend.expireAccessTokens();
    const res = await client.exchange({ path: '/api/me' });
    expect(res).toMatchObject({ status: 200, data: { seenToken: 'access-2' } });
    expect(backend.callsTo('/api/auth/refresh')).toHaveLength(1);
  });

  it('rejects with NETWORK_ERROR when no answer arrived', async () => {
    const transport = vi.fn(async () => Promise.reject(new Error('offline')));
    const client = createApiClient({ baseUrl: '', transport, storage: memoryStorage({ [TOKEN_KEY]: 't' }), getLoginCode: async () => 'c' });
    await expect(client.exchange({ path: '/api/events' })).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 });
  });
});
