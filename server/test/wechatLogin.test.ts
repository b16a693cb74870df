import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginCode, loginDoctor, uniqueOpenid } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const login = (code: string) => stack.http.post('/api/auth/wechat-login', { code });

describe('POST /api/auth/wechat-login', () => {
  it('signs a new doctor in and returns tokens and the user, never the session_key', async () => {
    const res = await login(await loginCode(stack, uniqueOpenid()));
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({ id: expect.stringMatching(/^[0-9]+$/), role: 'doctor' });
    expect(res.body.token.split('.')).toHaveLength(3);
    expect(res.body.refreshToken.length).toBeGreaterThanOrEqual(40);
    expect(JSON.stringify(res.body)).not.toMatch(/session_key/i);
    const me = await stack.http.get('/api/me', res.body.token);
    expect(me.status).toBe(200);
    expect(me.body.lifecycle.stage).toBe('invited');
  });

  it('finds the same doctor when the same openid signs in again', async () => {
    const openid = uniqueOpenid();
    const first = await loginDoctor(stack, openid);
    const second = await loginDoctor(stack, openid);
    expect(second.id).toBe(first.id);
  });

  it('refuses an unknown code with WECHAT_CODE_INVALID', async () => {
    const res = await login('code-that-wechat-never-issued');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_CODE_INVALID');
  });

  it('refuses a code older than five minutes with WECHAT_CODE_INVALID', async () => {
    const code = await loginCode(stack, uniqueOpenid());
    stack.clock.advance(5 * 60_000 + 1000);
    const res = await login(code);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('WECHAT_CODE_INVALID');
  });

  it('refuses a code used twice with WECHAT_CODE_USED', async () => {
    const code = await loginCode(stack, uniqueOpenid());
    expect((await login(code)).status).toBe(200);
    const again = await login(code);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('WECHAT_CODE_USED');
  });

  it('retries once when WeChat is busy (-1) and succeeds', async () => {
    await stack.fakeCall('POST', '/__fake/faults', { api: 'jscode2session', errcode: -1, times: 1 });
    const res = await login(await loginCode(stack, uniqueOpenid()));
    expect(res.status).toBe(200);
  });

  it('answers 503 WECHAT_UNAVAILABLE when WeChat stays busy (-1)', async () => {
    await stack.fakeCall('POST', '/__fake/faults', { api: 'jscode2session', errcode: -1, times: 2 });
    const res = await login(await loginCode(stack, uniqueOpenid()));
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('WECHAT_UNAVAILABLE');
  });

  it('passes on WeChat rate limiting (45011) as 429 with Retry-After', async () => {
    await stack.fakeCall('POST', '/__fake/faults', { api: 'jscode2session', errcode: 45011 });
    const res = await login(await loginCode(stack, uniqueOpenid()));
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('WECHAT_RATE_LIMITED');
    expect(res.headers.get('retry-after')).toBe('60');
  });

  it('refuses a user WeChat blocked as high-risk (40226)', async () => {
    const res = await login(await loginCode(stack, uniqueOpenid('blocked')));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('WECHAT_USER_BLOCKED');
  });

  it('answers 503 WECHAT_UNAVAILABLE when WeChat cannot be reached at all', async () => {
    const { startStack: start } = await import('./harness.js');
    const offline = await start({ env: { WECHAT_API_BASE: 'http://127.0.0.1:9' } });
    try {
      const res = await offline.http.post('/api/auth/wechat-login', { code: 'any-code' });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('WECHAT_UNAVAILABLE');
    } finally {
      await offline.close();
    }
  });

  it('rejects a body without a code with VALIDATION_FAILED naming the field', async () => {
    const res = await stack.http.post('/api/auth/wechat-login', { code: { $ne: '' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details[0].path).toBe('code');
  });
});

describe('concurrent first sign-ins', () => {
  it('signs twenty new doctors in at once, and the same new openid ten times at once into one doctor', async () => {
    const many = await Promise.all(Array.from({ length: 20 }, async () => stack.http.post('/api/auth/wechat-login', { code: await loginCode(stack, uniqueOpenid()) })));
    expect(many.map((r) => r.status)).toEqual(Array.from({ length: 20 }, () => 200));
    expect(new Set(many.map((r) => r.body.user.id)).size).toBe(20);
    const openid = uniqueOpenid();
    const same = await Promise.all(Array.from({ length: 10 }, async () => stack.http.post('/api/auth/wechat-login', { code: await loginCode(stack, openid) })));
    expect(same.map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 200));
    expect(new Set(same.map((r) => r.body.user.id)).size).toBe(1);
  });
});
