/**
 * The app's one API client: the platform-free core (apiClient.ts) bound to Taro.request and
 * Taro storage. This is the only module that calls Taro.request; services/*.ts build on `api`.
 */
import Taro from '@tarojs/taro';
import { createApiClient, type HttpResponse, type KeyValueStorage, type Transport } from './apiClient';
import { devIdentitySwitched, getLoginCode } from './auth';

/** '' in h5 (served by the backend on the same origin); set TARO_APP_API_BASE for weapp. */
export const API_BASE: string = process.env.TARO_APP_API_BASE ?? '';

const REQUEST_TIMEOUT_MS = 15_000;

export const taroStorage: KeyValueStorage = {
  get(key) {
    try {
      const value: unknown = Taro.getStorageSync(key);
      return typeof value === 'string' && value !== '' ? value : null;
    } catch {
      return null;
    }
  },
  set(key, value) {
    Taro.setStorageSync(key, value);
  },
  remove(key) {
    Taro.removeStorageSync(key);
  },
};

const taroTransport: Transport = async (req) => {
  const res = await Taro.request({
    url: req.url,
    method: req.method,
    header: req.headers,
    data: req.body as TaroGeneral.IAnyObject | undefined,
    dataType: 'json',
    timeout: REQUEST_TIMEOUT_MS,
  });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries((res.header ?? {}) as Record<string, unknown>)) {
    if (typeof value === 'string') headers[name.toLowerCase()] = value;
  }
  const response: HttpResponse = { status: res.statusCode, data: res.data ?? null, headers };
  return response;
};

export const apiClient = createApiClient({
  baseUrl: API_BASE,
  transport: taroTransport,
  storage: taroStorage,
  getLoginCode: (client) => getLoginCode(client, taroStorage),
});

// e2e tests and the demo pick a doctor with /h5/?openid=…; a stored session of another doctor must go.
if (devIdentitySwitched(taroStorage)) apiClient.clearSession();

export const api = apiClient.request;
