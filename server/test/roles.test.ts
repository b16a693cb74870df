import { STAFF_ROLES, type StaffRole } from '@hcp360/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginDoctor, makeDoctor, makeStaff, type TestDoctor } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
const tokens = {} as Record<StaffRole, string>;
let doctor: TestDoctor;
beforeAll(async () => {
  stack = await startStack();
  for (const role of STAFF_ROLES) tokens[role] = (await makeStaff(stack, role)).token;
  doctor = await makeDoctor(stack, { until: 'pending' });
});
afterAll(() => stack.close());

/** Every staff route and the roles allowed on it. Bodies are valid where the route needs one. */
const ROUTES: { method: string; path: string; body?: unknown; allowed: StaffRole[] }[] = [
  { method: 'GET', path: '/api/admin/verifications', allowed: ['compliance'] },
  { method: 'POST', path: '/api/admin/verifications/999999/approve', body: {}, allowed: ['compliance'] },
  { method: 'POST', path: '/api/admin/verifications/999999/reject', body: {}, allowed: ['compliance'] },
  // Reps pass the role check here but see only doctors they brought in (404 otherwise).
  { method: 'GET', path: '/api/admin/hcps/:hcp', allowed: ['admin', 'marketing', 'compliance', 'medical', 'manager', 'rep'] },
  { method: 'GET', path: '/api/admin/hcps', allowed: ['admin', 'marketing', 'compliance', 'medical', 'manager', 'rep'] },
  { method: 'GET', path: '/api/admin/hcps/:hcp/timeline', allowed: ['admin', 'marketing', 'compliance', 'medical', 'manager', 'rep'] },
  { method: 'PUT', path: '/api/admin/hcps/:hcp/attributes', body: { specialty: '高血压' }, allowed: ['admin', 'medical'] },
  { method: 'GET', path: '/api/admin/segments', allowed: ['admin', 'marketing', 'compliance', 'medical', 'manager', 'rep'] },
  { method: 'POST', path: '/api/admin/segments', body: { name: 'r', rule: { attr: 'title', op: 'eq', value: '主任医师' } }, allowed: ['admin', 'marketing'] },
  { method: 'POST', path: '/api/admin/segments/preview', body: { rule: { attr: 'title', op: 'eq', value: '主任医师' } }, allowed: ['admin', 'marketing', 'compliance', 'medical', 'manager', 'rep'] },
  { method: 'PUT', path: '/api/admin/segments/999999', body: { name: 'r', rule: { attr: 'title', op: 'eq', value: '主任医师' } }, allowed: ['admin', 'marketing'] },
  { method: 'DELETE', path: '/api/admin/segments/999999', allowed: ['admin', 'marketing'] },
  { method: 'GET', path: '/api/admin/tag-rules', allowed: ['admin', 'marketing', 'compliance', 'medical', 'manager', 'rep'] },
  { method: 'POST', path: '/api/admin/tag-rules', body: { name: 'r', tagKey: 'rule:seniors', rule: { attr: 'title', op: 'eq', value: '主任医师' } }, allowed: ['admin', 'marketing'] },
  { method: 'GET', path: '/api/admin/engine/settings', allowed: ['admin', 'marketing'] },
  { method: 'PUT', path: '/api/admin/engine/settings', body: {}, allowed: ['admin'] },
  { method: 'GET', path: '/api/admin/staff', allowed: ['admin'] },
  { method: 'POST', path: '/api/admin/staff', body: { username: 'x_new', displayName: 'X', role: 'rep', password: 'long enough password' }, allowed: ['admin'] },
  { method: 'POST', path: '/api/admin/staff/999999/wechat-binding', body: { openid: 'o-x' }, allowed: ['admin'] },
  { method: 'DELETE', path: '/api/admin/staff/999999/wechat-binding', allowed: ['admin'] },
  { method: 'GET', path: '/api/admin/merges', allowed: ['admin'] },
  { method: 'POST', path: '/api/admin/merges/999999/undo', body: {}, allowed: ['admin'] },
  { method: 'GET', path: '/api/admin/audit', allowed: ['admin', 'compliance'] },
];

describe('role checks on every staff route', () => {
  for (const route of ROUTES) {
    const label = `${route.method} ${route.path.replace(/[0-9]+/g, ':id')}`;
    it(`${label}: 401 without a token, 403 for doctors and for roles other than ${route.allowed.join('/')}`, async () => {
      const call = (token?: string) => stack.http.request(route.method, route.path.replace(':hcp', doctor.id), { body: route.body, token });
      const anonymous = await call();
      expect(anonymous.status).toBe(401);
      const asDoctor = await call(doctor.token);
      expect(asDoctor.status).toBe(403);
      expect(asDoctor.body.error.code).toBe('FORBIDDEN');
      for (const role of STAFF_ROLES) {
        const res = await call(tokens[role]);
        if (route.allowed.includes(role)) {
          expect(res.status, `${role} should pass the role check`).not.toBe(403);
          expect(res.status).not.toBe(401);
        } else {
          expect(res.status, `${role} should be refused`).toBe(403);
          expect(res.body.error.code).toBe('FORBIDDEN');
        }
      }
    });
  }

  it('doctor routes refuse staff tokens', async () => {
    for (const role of STAFF_ROLES) {
      const res = await stack.http.get('/api/me', tokens[role]);
      expect(res.status).toBe(403);
    }
  });
});

describe('rep WeChat binding', () => {
  it('lets a rep bound by an admin sign into the mini-program with role rep', async () => {
    const admin = tokens.admin;
    const rep = await makeStaff(stack, 'rep');
    const openid = 'rep-wechat-openid-1';
    // Before the binding, that WeChat user is just a doctor.
    expect((await loginDoctor(stack, openid)).token).toBeTruthy();
    const bind = await stack.http.post(`/api/admin/staff/${rep.id}/wechat-binding`, { openid }, admin);
    expect(bind.status).toBe(200);
    expect(bind.body.wechatBound).toBe(true);
    const { code } = await stack.fakeCall('POST', '/__fake/code', { openid });
    const res = await stack.http.post('/api/auth/wechat-login', { code });
    expect(res.body.user).toEqual({ id: rep.id, role: 'rep' });
    expect((await stack.http.get('/api/me', res.body.token)).status).toBe(403);

    const other = await makeStaff(stack, 'rep');
    const taken = await stack.http.post(`/api/admin/staff/${other.id}/wechat-binding`, { openid }, admin);
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('WECHAT_IDENTITY_TAKEN');

    const unbind = await stack.http.del(`/api/admin/staff/${rep.id}/wechat-binding`, admin);
    expect(unbind.status).toBe(200);
    const { code: code2 } = await stack.fakeCall('POST', '/__fake/code', { openid });
    expect((await stack.http.post('/api/auth/wechat-login', { code: code2 })).body.user.role).toBe('doctor');
  });

  it('refuses to bind a WeChat identity to a non-rep account', async () => {
    const m = await makeStaff(stack, 'marketing');
    const res = await stack.http.post(`/api/admin/staff/${m.id}/wechat-binding`, { openid: 'o-m' }, tokens.admin);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NOT_A_REP');
  });

  it('creates staff accounts, refusing a taken username and a short password', async () => {
    const body = { username: 'new_marketer', displayName: '新同事', role: 'marketing', password: 'a long enough password' };
    const created = await stack.http.post('/api/admin/staff', body, tokens.admin);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'new_marketer', role: 'marketing', active: true });
    expect(JSON.stringify(created.body)).not.toMatch(/password|scrypt/);
    expect((await stack.http.post('/api/admin/staff', body, tokens.admin)).body.error.code).toBe('USERNAME_TAKEN');
    const weak = await stack.http.post('/api/admin/staff', { ...body, username: 'another', password: 'short' }, tokens.admin);
    expect(weak.status).toBe(400);
    expect(weak.body.error.details[0].path).toBe('password');
    expect((await stack.http.post('/api/auth/staff-login', { username: 'new_marketer', password: body.password })).status).toBe(200);
  });
});
