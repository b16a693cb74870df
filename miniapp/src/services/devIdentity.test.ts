import { describe, expect, it } from 'vitest';
import type { KeyValueStorage } from './apiClient';
import { DEV_OPENID_KEY, queryChangesDevOpenid, resolveDevOpenid } from './devIdentity';

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return { data, get: (k) => data.get(k) ?? null, set: (k, v) => void data.set(k, v), remove: (k) => void data.delete(k) };
}

describe('dev openid for the browser build', () => {
  it('creates an h5- openid once and keeps using it', () => {
    const storage = memoryStorage();
    const first = resolveDevOpenid('', storage);
    expect(first).toMatch(/^h5-[0-9a-z]{12}$/);
    expect(storage.data.get(DEV_OPENID_KEY)).toBe(first);
    expect(resolveDevOpenid('', storage)).toBe(first);
  });

  it('lets ?openid= in the query pick the identity and remembers it', () => {
    const storage = memoryStorage({ [DEV_OPENID_KEY]: 'h5-old' });
    expect(resolveDevOpenid('?openid=demo-hcp-001', storage)).toBe('demo-hcp-001');
    expect(resolveDevOpenid('', storage)).toBe('demo-hcp-001');
  });

  it('ignores a malformed openid in the query', () => {
    const storage = memoryStorage({ [DEV_OPENID_KEY]: 'h5-kept' });
    expect(resolveDevOpenid('?openid=%3Cscript%3E', storage)).toBe('h5-kept');
  });

  it('tells when the query switches to another doctor, so the old session is dropped', () => {
    const storage = memoryStorage({ [DEV_OPENID_KEY]: 'demo-hcp-001' });
    expect(queryChangesDevOpenid('?openid=demo-hcp-002', storage)).toBe(true);
    expect(queryChangesDevOpenid('?openid=demo-hcp-001', storage)).toBe(false);
    expect(queryChangesDevOpenid('', storage)).toBe(false);
  });
});
