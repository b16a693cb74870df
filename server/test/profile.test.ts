import { CURRENT_POLICY_VERSION } from '@hcp360/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A_PROFILE, loginDoctor } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const consent = (token: string, body: unknown = { policyVersion: CURRENT_POLICY_VERSION, sensitive: true }) =>
  stack.http.post('/api/me/consents', body, token);

async function transitions(hcpId: string) {
  const [rows] = await stack.deps.pool.query('SELECT from_stage, to_stage, cause FROM lifecycle_transitions WHERE hcp_id = ? ORDER BY id', [hcpId]);
  return rows as { from_stage: string | null; to_stage: string; cause: string }[];
}

describe('PUT /api/me/profile', () => {
  it('saves the profile and returns it', async () => {
    const d = await loginDoctor(stack);
    const res = await stack.http.put('/api/me/profile', A_PROFILE, d.token);
    expect(res.status).toBe(200);
    expect(res.body.profile).toMatchObject({ ...A_PROFILE, complete: true, phone: null });
  });

  it.each([
    ['name too short', { name: '张' }, 'name', '姓名至少 2 个字'],
    ['name with digits', { name: '张3' }, 'name', '姓名只能包含汉字、字母或间隔号'],
    ['department not in the vocabulary', { department: '外星科' }, 'department', '请选择科室'],
    ['title not in the vocabulary', { title: '院长' }, 'title', '请选择职称'],
    ['hospital level not in the vocabulary', { hospitalLevel: '五星级' }, 'hospitalLevel', '请选择医院等级'],
    ['province not in the vocabulary', { province: '火星' }, 'province', '请选择省份'],
    ['hospital missing', { hospital: undefined }, 'hospital', '请填写医院'],
    ['an object where text belongs', { name: { toString: 'x' } }, 'name', '请填写姓名'],
  ])('refuses %s with VALIDATION_FAILED naming the field', async (_label, patch, path, message) => {
    const d = await loginDoctor(stack);
    const res = await stack.http.put('/api/me/profile', { ...A_PROFILE, ...patch }, d.token);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toContainEqual({ path, message });
  });

  it('refuses fields it does not know, so a client cannot set its own verification', async () => {
    const d = await loginDoctor(stack);
    const res = await stack.http.put('/api/me/profile', { ...A_PROFILE, verification_status: 'verified' }, d.token);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].message).toMatch(/verification_status/);
    expect((await stack.http.get('/api/me', d.token)).body.verification.status).toBe('none');
  });

  it('keeps the stored profile when a later update is invalid', async () => {
    const d = await loginDoctor(stack);
    await stack.http.put('/api/me/profile', A_PROFILE, d.token);
    await stack.http.put('/api/me/profile', { ...A_PROFILE, title: 'nope' }, d.token);
    expect((await stack.http.get('/api/me', d.token)).body.profile.title).toBe(A_PROFILE.title);
  });
});

describe('consent and the registered stage', () => {
  it('moves invited → registered once both consent and profile are complete, recording the cause', async () => {
    const d = await loginDoctor(stack);
    await stack.http.put('/api/me/profile', A_PROFILE, d.token);
    expect((await stack.http.get('/api/me', d.token)).body.lifecycle.stage).toBe('invited');
    const res = await consent(d.token);
    expect(res.status).toBe(200);
    expect(res.body.consents).toMatchObject({ currentVersion: CURRENT_POLICY_VERSION, upToDate: true });
    const me = await stack.http.get('/api/me', d.token);
    expect(me.body.lifecycle).toEqual({ stage: 'registered', since: new Date(stack.clock.now()).toISOString() });
    expect(await transitions(d.id)).toEqual([
      { from_stage: null, to_stage: 'invited', cause: 'wechat_login' },
      { from_stage: 'invited', to_stage: 'registered', cause: 'consent_and_profile_complete' },
    ]);
  });

  it('does not count a consent without the separate sensitive-information consent', async () => {
    const d = await loginDoctor(stack);
    const res = await consent(d.token, { policyVersion: CURRENT_POLICY_VERSION, sensitive: false });
    expect(res.status).toBe(200);
    expect(res.body.consents.upToDate).toBe(false);
    await stack.http.put('/api/me/profile', A_PROFILE, d.token);
    expect((await stack.http.get('/api/me', d.token)).body.lifecycle.stage).toBe('invited');
  });

  it('refuses a stale policy version with CONSENT_VERSION_OUTDATED', async () => {
    const d = await loginDoctor(stack);
    const res = await consent(d.token, { policyVersion: '2020-01-01', sensitive: true });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONSENT_VERSION_OUTDATED');
    expect(res.body.error.details).toEqual({ currentVersion: CURRENT_POLICY_VERSION });
  });

  it('asks again when the policy changed since the doctor consented', async () => {
    const d = await loginDoctor(stack);
    // The doctor consented to an earlier version of the policy.
    await stack.deps.pool.query('INSERT INTO hcp_consents (hcp_id, policy_version, sensitive_consent, accepted_at) VALUES (?, ?, 1, ?)', [
      d.id,
      '2025-06-01',
      new Date(stack.clock.now()),
    ]);
    const before = (await stack.http.get('/api/me', d.token)).body.consents;
    expect(before.upToDate).toBe(false);
    expect(before.accepted).toEqual([{ policyVersion: '2025-06-01', sensitive: true, at: expect.any(String) }]);
    await consent(d.token);
    const after = (await stack.http.get('/api/me', d.token)).body.consents;
    expect(after.upToDate).toBe(true);
    expect(after.accepted.map((c: { policyVersion: string }) => c.policyVersion)).toEqual(['2025-06-01', CURRENT_POLICY_VERSION]);
  });

  it('refuses a non-boolean sensitive flag', async () => {
    const d = await loginDoctor(stack);
    const res = await consent(d.token, { policyVersion: CURRENT_POLICY_VERSION, sensitive: 'yes' });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].path).toBe('sensitive');
  });
});
