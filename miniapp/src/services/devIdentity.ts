/**
 * The browser build has no wx.login, so it signs in as a device-local fake WeChat identity
 * (DESIGN §8). The openid is kept in storage so a reload stays the same doctor; a
 * `?openid=…` query (e2e tests, the demo: `/h5/?openid=demo-hcp-001#/…`) picks one explicitly.
 */
import type { KeyValueStorage } from './apiClient';

export const DEV_OPENID_KEY = 'hcp360.devOpenid';

const OPENID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

function randomSuffix(random: () => number): string {
  let out = '';
  for (let i = 0; i < 12; i += 1) out += Math.floor(random() * 36).toString(36);
  return out;
}

/** The openid to sign in with: query override (stored), else the stored one, else a new `h5-…`. */
export function resolveDevOpenid(search: string, storage: KeyValueStorage, random: () => number = Math.random): string {
  const fromQuery = new URLSearchParams(search).get('openid')?.trim();
  if (fromQuery && OPENID_PATTERN.test(fromQuery)) {
    storage.set(DEV_OPENID_KEY, fromQuery);
    return fromQuery;
  }
  const stored = storage.get(DEV_OPENID_KEY);
  if (stored && OPENID_PATTERN.test(stored)) return stored;
  const fresh = `h5-${randomSuffix(random)}`;
  storage.set(DEV_OPENID_KEY, fresh);
  return fresh;
}

/**
 * True when the query names a different identity than the stored one: the tokens in storage
 * then belong to another doctor and must be dropped before anything is fetched.
 */
export function queryChangesDevOpenid(search: string, storage: KeyValueStorage): boolean {
  const fromQuery = new URLSearchParams(search).get('openid')?.trim();
  return !!fromQuery && OPENID_PATTERN.test(fromQuery) && storage.get(DEV_OPENID_KEY) !== fromQuery;
}
