/**
 * The console's API client: same-origin JSON over fetch with the staff member's bearer token.
 * Access tokens last 15 minutes; a request answered 401 TOKEN_EXPIRED is sent again once after
 * POST /api/auth/refresh. The session lives in sessionStorage (this tab only, gone when it closes).
 */
import type { AuthUser, LoginResponse, RefreshResponse } from '@hcp360/shared';

export interface Session {
  token: string;
  refreshToken: string;
  user: AuthUser;
  username: string;
}

/** An answer other than 2xx: the server's machine-readable code, its message and field details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

const KEY = 'hcp360.console.session';
let session: Session | null = readSession();
const listeners = new Set<(s: Session | null) => void>();

function readSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function setSession(next: Session | null) {
  session = next;
  if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
  else sessionStorage.removeItem(KEY);
  for (const l of listeners) l(next);
}

export const currentSession = () => session;

export function onSessionChange(listener: (s: Session | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function signIn(username: string, password: string): Promise<Session> {
  const res = await send<LoginResponse>('POST', '/api/auth/staff-login', { username, password }, null);
  if (res.user.role === 'doctor') throw new ApiError(403, 'FORBIDDEN', '医生账号不能登录控制台。');
  const s = { token: res.token, refreshToken: res.refreshToken, user: res.user, username };
  setSession(s);
  return s;
}

export function signOut() {
  setSession(null);
}

async function send<T>(method: string, path: string, body: unknown, token: string | null, raw?: Blob): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        ...(token && { authorization: `Bearer ${token}` }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(raw && { 'content-type': raw.type || 'application/octet-stream' }),
      },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试。');
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    const details = Array.isArray(e?.details) ? (e.details as { path: string; message: string }[]) : undefined;
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? `服务器返回 ${res.status}`, details);
  }
  return json as T;
}

let refreshing: Promise<boolean> | null = null;

/** A new token pair for the session (once at a time however many requests found it expired). */
function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const s = session;
    if (!s) return false;
    try {
      const pair = await send<RefreshResponse>('POST', '/api/auth/refresh', { refreshToken: s.refreshToken }, null);
      setSession({ ...s, token: pair.token, refreshToken: pair.refreshToken });
      return true;
    } catch {
      setSession(null);
      return false;
    }
  })().finally(() => (refreshing = null));
  return refreshing;
}

/** A request as the signed-in staff member. A session that cannot be refreshed signs out. */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, raw?: Blob): Promise<T> {
  const token = session?.token ?? null;
  try {
    return await send<T>(method, path, body, token, raw);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401 && token) {
      if (err.code === 'TOKEN_EXPIRED' && (await refreshSession())) return send<T>(method, path, body, session!.token, raw);
      setSession(null);
    }
    throw err;
  }
}

/** A query string of the defined values. */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A file the API serves to the signed-in staff member (a CSV export), saved by the browser. */
export async function download(path: string, filename: string): Promise<void> {
  const get = (token: string | null) => fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  let res: Response;
  try {
    res = await get(session?.token ?? null);
    if (res.status === 401 && (await refreshSession())) res = await get(session!.token);
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试。');
  }
  if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, `下载失败（${res.status}）`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
