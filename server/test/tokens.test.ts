import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginDoctor } from './factories.js';
import { startStack, TEST_JWT_SECRET, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const claims = (sub: string) => ({ sub, kind: 'hcp', role: 'doctor', typ: 'access' });
const signOpts = { issuer: 'hcp360', audience: 'hcp360-api', expiresIn: 600 } as const;

describe('refresh tokens', () => {
  it('rotates: the new pair works and the old access token still verifies until it expires', async () => {
    const d = await loginDoctor(stack);
    const res = await stack.http.post('/api/auth/refresh', { refreshToken: d.refreshToken });
    expect(res.status).toBe(200);
    expect(res.body.refreshToken).not.toBe(d.refreshToken);
    expect((await stack.http.get('/api/me', res.body.token)).status).toBe(200);
    const next = await stack.http.post('/api/auth/refresh', { refreshToken: res.body.refreshToken });
    expect(next.status).toBe(200);
  });

  it('detects reuse of a rotated token and revokes the whole family', async () => {
    const d = await loginDoctor(stack);
    const rotated = await stack.http.post('/api/auth/refresh', { refreshToken: d.refreshToken });
    expect(rotated.status).toBe(200);
    const reuse = await stack.http.post('/api/auth/refresh', { refreshToken: d.refreshToken });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe('REFRESH_TOKEN_REUSED');
    // The legitimate latest token of that family is dead too.
    const latest = await stack.http.post('/api/auth/refresh', { refreshToken: rotated.body.refreshToken });
    expect(latest.status).toBe(401);
    expect(latest.body.error.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('keeps other sign-ins (families) of the same doctor alive after a reuse', async () => {
    const phone = await loginDoctor(stack);
    const tablet = await loginDoctor(stack, phone.openid);
    await stack.http.post('/api/auth/refresh', { refreshToken: phone.refreshToken });
    await stack.http.post('/api/auth/refresh', { refreshToken: phone.refreshToken });
    expect((await stack.http.post('/api/auth/refresh', { refreshToken: tablet.refreshToken })).status).toBe(200);
  });

  it('refuses an unknown refresh token', async () => {
    const res = await stack.http.post('/api/auth/refresh', { refreshToken: 'x'.repeat(43) });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('refuses an expired refresh token', async () => {
    const d = await loginDoctor(stack);
    stack.clock.advance(31 * 86_400_000);
    const res = await stack.http.post('/api/auth/refresh', { refreshToken: d.refreshToken });
    expect(res.body.error.code).toBe('REFRESH_TOKEN_INVALID');
  });
});

describe('access tokens', () => {
  it('are refused without a bearer token on doctor routes (UNAUTHENTICATED)', async () => {
    const res = await stack.http.get('/api/me');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('expire after 15 minutes (TOKEN_EXPIRED)', async () => {
    const d = await loginDoctor(stack);
    stack.clock.advance(14 * 60_000);
    expect((await stack.http.get('/api/me', d.token)).status).toBe(200);
    stack.clock.advance(2 * 60_000);
    const res = await stack.http.get('/api/me', d.token);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('TOKEN_EXPIRED');
  });

  it('are remembered once verified only as the exact signed string: the same claims with a changed signature are refused', async () => {
    const d = await loginDoctor(stack);
    expect((await stack.http.get('/api/me', d.token)).status).toBe(200);
    const [head, body, sig] = d.token.split('.') as [string, string, string];
    const flipped = `${head}.${body}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    const res = await stack.http.get('/api/me', flipped);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('TOKEN_INVALID');
    expect((await stack.http.get('/api/me', d.token)).status).toBe(200);
  });

  it('refuses alg "none" tokens', async () => {
    const d = await loginDoctor(stack);
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const now = Math.floor(stack.clock.now() / 1000);
    const payload = Buffer.from(JSON.stringify({ ...claims(d.id), iss: 'hcp360', aud: 'hcp360-api', iat: now, exp: now + 600 })).toString('base64url');
    const res = await stack.http.get('/api/me', `${header}.${payload}.`);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('TOKEN_INVALID');
  });

  it('refuses forged RS256 tokens', async () => {
    const d = await loginDoctor(stack);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = jwt.sign(claims(d.id), privateKey, { ...signOpts, algorithm: 'RS256' });
    const res = await stack.http.get('/api/me', forged);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('TOKEN_INVALID');
  });

  it('refuses HS256 tokens signed with another secret, another audience or another type', async () => {
    const d = await loginDoctor(stack);
    const ts = Math.floor(stack.clock.now() / 1000);
    const base = { ...claims(d.id), iat: ts, exp: ts + 600 };
    const wrongSecret = jwt.sign(base, 'another-secret-another-secret-another', { issuer: 'hcp360', audience: 'hcp360-api' });
    const wrongAud = jwt.sign(base, TEST_JWT_SECRET, { issuer: 'hcp360', audience: 'someone-else' });
    const wrongTyp = jwt.sign({ ...base, typ: 'refresh' }, TEST_JWT_SECRET, { issuer: 'hcp360', audience: 'hcp360-api' });
    const roleForged = jwt.sign({ ...base, role: 'admin' }, TEST_JWT_SECRET, { issuer: 'hcp360', audience: 'hcp360-api' });
    for (const token of [wrongSecret, wrongAud, wrongTyp, roleForged]) {
      const res = await stack.http.get('/api/me', token);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('TOKEN_INVALID');
    }
    // A correctly signed token with the same claims is accepted, so the refusals above are about the defect.
    const good = jwt.sign(base, TEST_JWT_SECRET, { issuer: 'hcp360', audience: 'hcp360-api' });
    expect((await stack.http.get('/api/me', good)).status).toBe(200);
  });

  it('refuses a malformed Authorization header', async () => {
    const res = await stack.http.request('GET', '/api/me', { headers: { authorization: 'Token abc' } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('TOKEN_INVALID');
  });
});
