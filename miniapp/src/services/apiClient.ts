/**
 * Platform-free core of the API client: base URL, bearer token, silent login, one token
 * refresh on 401 (shared by every request that hit it at the same time), and error mapping.
 * It knows nothing about Taro: the transport, the storage and the source of WeChat login
 * codes are injected, so the whole retry logic runs in plain unit tests. `request.ts` binds
 * it to Taro.
 */
import type { LoginResponse, RefreshResponse } from '@hcp360/shared';
import { ApiError, errorFromResponse, networkError } from './apiError';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

export interface HttpResponse {
  status: number;
  /** Parsed JSON body, or null when the body was empty or not JSON. */
  data: unknown;
  /** Response headers, names lower-cased (when the transport provides them). */
  headers?: Record<string, string>;
}

/** Sends one HTTP request. Resolves for every HTTP status; rejects only when no answer arrived. */
export type Transport = (req: HttpRequest) => Promise<HttpResponse>;

/** Synchronous key-value storage (Taro storage in the app, a Map in tests). */
export interface KeyValueStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export interface ApiClientOptions {
  /** '' for same-origin relative URLs (h5), an absolute origin for weapp. */
  baseUrl: string;
  transport: Transport;
  storage: KeyValueStorage;
  /**
   * A one-time WeChat login code: wx.login in WeChat, the dev route in the browser build.
   * Gets the client itself so it can make unauthenticated calls without an import cycle.
   */
  getLoginCode: (client: Pick<ApiClient, 'request'>) => Promise<string>;
}

export interface RequestOptions {
  method?: HttpMethod;
  path: string;
  body?: unknown;
  /** Send the bearer token (and log in first if there is none). Default true. */
  auth?: boolean;
}

export const TOKEN_KEY = 'hcp360.token';
export const REFRESH_TOKEN_KEY = 'hcp360.refreshToken';

/** 401 codes that mean "this access token will not do", as opposed to e.g. a bad login code. */
const ACCESS_TOKEN_REJECTIONS = new Set(['TOKEN_EXPIRED', 'TOKEN_INVALID', 'UNAUTHENTICATED']);

function errorCodeOf(data: unknown): string | undefined {
  const error = typeof data === 'object' && data !== null ? (data as { error?: { code?: unknown } }).error : undefined;
  return typeof error?.code === 'string' ? error.code : undefined;
}

function isTokenPair(data: unknown): data is RefreshResponse {
  const d = data as Partial<RefreshResponse> | null;
  return typeof d?.token === 'string' && typeof d.refreshToken === 'string';
}

export interface ApiClient {
  request<T>(options: RequestOptions): Promise<T>;
  /**
   * Like `request` (login, one refresh on 401) but resolves with the raw answer whatever its
   * status, headers included, for callers that act on the status themselves (the event
   * tracker: 413, 429 + Retry-After). Rejects only when no answer arrived (NETWORK_ERROR) or
   * when logging in failed.
   */
  exchange(options: RequestOptions): Promise<HttpResponse>;
  /** Logs in now (single-flight) and stores the tokens. */
  login(): Promise<void>;
  /** Forgets the tokens; the next protected request logs in again. */
  clearSession(): void;
  hasSession(): boolean;
}

/** An empty segment in a path, before its query (`/api/lives/`, `/api/content//reactions`): built from a missing id. */
const EMPTY_SEGMENT = /^[^?#]*\/(?=\/|\?|#|$)/;

export function createApiClient({ baseUrl, transport, storage, getLoginCode }: ApiClientOptions): ApiClient {
  let loginInFlight: Promise<string> | null = null;
  let renewalInFlight: Promise<string> | null = null;

  async function send(options: RequestOptions, token: string | null): Promise<HttpResponse> {
    const headers: Record<string, string> = {};
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await transport({ method: options.method ?? 'GET', url: baseUrl + options.path, headers, body: options.body });
    } catch {
      throw networkError();
    }
  }

  function parse<T>(res: HttpResponse): T {
    if (res.status >= 200 && res.status < 300) return res.data as T;
    throw errorFromResponse(res.status, res.data);
  }

  function saveTokens(pair: RefreshResponse): string {
    storage.set(TOKEN_KEY, pair.token);
    storage.set(REFRESH_TOKEN_KEY, pair.refreshToken);
    return pair.token;
  }

  function clearSession(): void {
    storage.remove(TOKEN_KEY);
    storage.remove(REFRESH_TOKEN_KEY);
  }

  async function loginNow(): Promise<string> {
    let code: string;
    try {
      code = await getLoginCode({ request });
    } catch (err) {
      throw err instanceof ApiError ? err : new ApiError(0, 'WECHAT_LOGIN_FAILED');
    }
    const res = await send({ method: 'POST', path: '/api/auth/wechat-login', body: { code } }, null);
    const data = parse<LoginResponse>(res);
    if (!isTokenPair(data)) throw new ApiError(res.status, 'BAD_RESPONSE');
    return saveTokens(data);
  }

  /** Concurrent callers share one login: one wx.login code, one session. */
  function login(): Promise<string> {
    loginInFlight ??= loginNow().finally(() => {
      loginInFlight = null;
    });
    return loginInFlight;
  }

  async function refreshOrLogin(): Promise<string> {
    const refreshToken = storage.get(REFRESH_TOKEN_KEY);
    if (refreshToken) {
      const res = await send({ method: 'POST', path: '/api/auth/refresh', body: { refreshToken } }, null);
      if (res.status >= 200 && res.status < 300 && isTokenPair(res.data)) return saveTokens(res.data);
      // 401 (REFRESH_TOKEN_INVALID / _REUSED) or 400 (a malformed stored token): the session is
      // gone, so log in again. Anything else (429, 503…) is not the token's fault: give up now.
      if (res.status !== 401 && res.status !== 400) throw errorFromResponse(res.status, res.data);
    }
    clearSession();
    return login();
  }

  /**
   * A fresh access token after `staleToken` was refused. Refresh tokens rotate and work once,
   * so every request that was refused at the same time must share one refresh; a request
   * refused after that refresh finished simply picks up the new token.
   */
  function renewToken(staleToken: string): Promise<string> {
    const current = storage.get(TOKEN_KEY);
    if (current && current !== staleToken) return Promise.resolve(current);
    renewalInFlight ??= refreshOrLogin().finally(() => {
      renewalInFlight = null;
    });
    return renewalInFlight;
  }

  async function exchange(options: RequestOptions): Promise<HttpResponse> {
    // A page opened from a link without its id (/pages/live/index) would ask for /api/lives/,
    // which the server reads as the list: answer as the server does for an id that is not there.
    if (EMPTY_SEGMENT.test(options.path)) return { status: 404, data: { error: { code: 'NOT_FOUND', message: `No resource at ${options.path}.` } } };
    if (options.auth === false) return send(options, null);
    const token = storage.get(TOKEN_KEY) ?? (await login());
    const res = await send(options, token);
    if (res.status === 401 && ACCESS_TOKEN_REJECTIONS.has(errorCodeOf(res.data) ?? '')) {
      return send(options, await renewToken(token));
    }
    return res;
  }

  async function request<T>(options: RequestOptions): Promise<T> {
    return parse<T>(await exchange(options));
  }

  return {
    request,
    exchange,
    login: async () => {
      await login();
    },
    clearSession,
    hasSession: () => storage.get(TOKEN_KEY) !== null,
  };
}
