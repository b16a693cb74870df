import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginDoctor } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

describe('HTTP surface', () => {
  it('GET /healthz answers {ok: true} once the database answers', async () => {
    const res = await stack.http.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it('answers malformed JSON with 400 INVALID_JSON', async () => {
    const res = await stack.http.request('POST', '/api/auth/wechat-login', { raw: '{"code": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'INVALID_JSON', message: expect.any(String) });
  });

  it('answers a body over 256 KB with 413 PAYLOAD_TOO_LARGE', async () => {
    const d = await loginDoctor(stack);
    const res = await stack.http.request('PUT', '/api/me/profile', { body: { name: 'x'.repeat(300 * 1024) }, token: d.token });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers a non-JSON body with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await stack.http.request('POST', '/api/auth/wechat-login', { raw: 'code=abc', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a JSON array where an object belongs with VALIDATION_FAILED', async () => {
    const res = await stack.http.request('POST', '/api/auth/wechat-login', { body: ['code'] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('answers unknown routes with 404 NOT_FOUND in the error shape', async () => {
    const res = await stack.http.get('/api/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('sends security headers and a request id on every response', async () => {
    const res = await stack.http.get('/healthz');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await stack.http.request('GET', '/healthz', { headers: { 'x-request-id': 'client-req-12345' } });
    expect(echoed.headers.get('x-request-id')).toBe('client-req-12345');
  });

  it('allows CORS only for the configured h5 dev origin', async () => {
    const ok = await stack.http.request('OPTIONS', '/api/me', { headers: { origin: 'http://localhost:10086', 'access-control-request-method': 'GET' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:10086');
    const evil = await stack.http.request('OPTIONS', '/api/me', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('/api/dev/wechat-code hands out a fake login code (fake WeChat only)', async () => {
    const res = await stack.http.post('/api/dev/wechat-code', { openid: 'dev-user-1' });
    expect(res.status).toBe(200);
    const login = await stack.http.post('/api/auth/wechat-login', { code: res.body.code });
    expect(login.status).toBe(200);
  });

  it('answers 503 DATABASE_UNAVAILABLE from /healthz when the database is gone', async () => {
    const { startStack: start } = await import('./harness.js');
    const other = await start();
    await other.deps.pool.end();
    const res = await other.http.get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('DATABASE_UNAVAILABLE');
    await other.fake.close();
    const { dropDatabase } = await import('../src/platform/db.js');
    await dropDatabase(other.databaseUrl);
  });
});
