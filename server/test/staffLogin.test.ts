import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockoutFor } from '../src/domains/identity/login.js';
import { makeStaff } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const signIn = (username: string, password: string) => stack.http.post('/api/auth/staff-login', { username, password });

describe('POST /api/auth/staff-login', () => {
  it('returns a token whose role is the account role', async () => {
    const s = await makeStaff(stack, 'marketing');
    const res = await signIn(s.username, s.password);
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({ id: s.id, role: 'marketing' });
    const payload = JSON.parse(Buffer.from(res.body.token.split('.')[1], 'base64url').toString());
    expect(payload).toMatchObject({ sub: s.id, role: 'marketing', kind: 'staff', iss: 'hcp360', aud: 'hcp360-api' });
    expect(payload.exp - payload.iat).toBe(900);
  });

  it('answers INVALID_CREDENTIALS alike for a wrong password and an unknown user', async () => {
    const s = await makeStaff(stack, 'medical');
    const wrong = await signIn(s.username, 'not the password');
    const unknown = await signIn('nobody-here', 'whatever');
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('locks the account after five failures, refusing even the right password, with Retry-After', async () => {
    const s = await makeStaff(stack, 'compliance');
    for (let i = 0; i < 4; i++) expect((await signIn(s.username, 'bad')).body.error.code).toBe('INVALID_CREDENTIALS');
    const fifth = await signIn(s.username, 'bad');
    expect(fifth.status).toBe(429);
    expect(fifth.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(fifth.headers.get('retry-after')).toBe('60');
    const right = await signIn(s.username, s.password);
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('ACCOUNT_LOCKED');
  });

  it('backs off: each further failure after the lock doubles it, and success resets the count', async () => {
    const s = await makeStaff(stack, 'manager');
    for (let i = 0; i < 5; i++) await signIn(s.username, 'bad');
    stack.clock.advance(61_000);
    const sixth = await signIn(s.username, 'bad');
    expect(sixth.headers.get('retry-after')).toBe('120');
    stack.clock.advance(121_000);
    expect((await signIn(s.username, s.password)).status).toBe(200);
    // The count was reset: four more failures are not a lock-out yet.
    for (let i = 0; i < 4; i++) expect((await signIn(s.username, 'bad')).status).toBe(401);
  });

  it('caps the back-off at an hour', () => {
    expect(lockoutFor(4)).toBe(0);
    expect(lockoutFor(5)).toBe(60_000);
    expect(lockoutFor(7)).toBe(4 * 60_000);
    expect(lockoutFor(30)).toBe(60 * 60_000);
  });

  it('refuses a disabled account', async () => {
    const s = await makeStaff(stack, 'rep');
    await stack.deps.pool.query('UPDATE staff SET active = 0 WHERE id = ?', [s.id]);
    const res = await signIn(s.username, s.password);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ACCOUNT_DISABLED');
    const refreshed = await stack.http.post('/api/auth/refresh', { refreshToken: s.refreshToken });
    expect(refreshed.body.error.code).toBe('ACCOUNT_DISABLED');
  });
});
