import { CURRENT_POLICY_VERSION } from '@hcp360/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A_PROFILE, loginDoctor, makeDoctor, makeStaff, type TestStaff } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
let compliance: TestStaff;
beforeAll(async () => {
  stack = await startStack();
  compliance = await makeStaff(stack, 'compliance');
});
afterAll(() => stack.close());

const request = (token: string, licenseNo = '110101199003070') => stack.http.post('/api/me/verification', { licenseNo }, token);

describe('HCP verification', () => {
  it('needs consent first, then a complete profile', async () => {
    const d = await loginDoctor(stack);
    expect((await request(d.token)).body.error.code).toBe('CONSENT_REQUIRED');
    await stack.http.post('/api/me/consents', { policyVersion: CURRENT_POLICY_VERSION, sensitive: true }, d.token);
    const noProfile = await request(d.token);
    expect(noProfile.status).toBe(409);
    expect(noProfile.body.error.code).toBe('PROFILE_INCOMPLETE');
    await stack.http.put('/api/me/profile', A_PROFILE, d.token);
    expect((await request(d.token)).status).toBe(201);
  });

  it('validates the licence number', async () => {
    const d = await makeDoctor(stack, { until: 'registered' });
    const res = await request(d.token, '12345');
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'licenseNo', message: '执业证书编码为 15 位数字' }]);
  });

  it('goes pending, shows in the compliance queue, and becomes verified on approval', async () => {
    const d = await makeDoctor(stack, { until: 'registered' });
    const created = await request(d.token);
    expect(created.body).toEqual({ id: expect.any(String), status: 'pending' });
    expect((await stack.http.get('/api/me', d.token)).body.verification.status).toBe('pending');
    expect((await request(d.token)).body.error.code).toBe('VERIFICATION_PENDING');

    const queue = await stack.http.get('/api/admin/verifications?status=pending', compliance.token);
    expect(queue.status).toBe(200);
    expect(queue.body.items).toContainEqual(
      expect.objectContaining({ id: created.body.id, hcpId: d.id, licenseNo: '110101199003070', name: A_PROFILE.name, createdAt: expect.any(String) }),
    );

    const ok = await stack.http.post(`/api/admin/verifications/${created.body.id}/approve`, { comment: '核验通过' }, compliance.token);
    expect(ok.body).toEqual({ id: created.body.id, status: 'approved' });
    const me = (await stack.http.get('/api/me', d.token)).body;
    expect(me.verification).toEqual({ status: 'verified', comment: '核验通过' });
    expect(me.lifecycle.stage).toBe('verified');
    expect((await request(d.token)).body.error.code).toBe('ALREADY_VERIFIED');

    const again = await stack.http.post(`/api/admin/verifications/${created.body.id}/reject`, {}, compliance.token);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVALID_TRANSITION');
  });

  it('shows the reviewer comment on rejection and lets the doctor ask again', async () => {
    const d = await makeDoctor(stack, { until: 'pending' });
    const [pending] = (await stack.http.get('/api/admin/verifications', compliance.token)).body.items.filter((i: { hcpId: string }) => i.hcpId === d.id);
    const res = await stack.http.post(`/api/admin/verifications/${pending.id}/reject`, { comment: '证书编码与姓名不符' }, compliance.token);
    expect(res.body.status).toBe('rejected');
    const me = (await stack.http.get('/api/me', d.token)).body;
    expect(me.verification).toEqual({ status: 'rejected', comment: '证书编码与姓名不符' });
    expect(me.lifecycle.stage).toBe('registered');
    expect((await request(d.token)).status).toBe(201);
    const rejected = await stack.http.get('/api/admin/verifications?status=rejected', compliance.token);
    expect(rejected.body.items.map((i: { id: string }) => i.id)).toContain(pending.id);
  });

  it('writes every decision to the audit log with the reviewer', async () => {
    const d = await makeDoctor(stack, { until: 'pending' });
    const [pending] = (await stack.http.get('/api/admin/verifications', compliance.token)).body.items.filter((i: { hcpId: string }) => i.hcpId === d.id);
    await stack.http.post(`/api/admin/verifications/${pending.id}/approve`, {}, compliance.token);
    const audit = await stack.http.get(`/api/admin/audit?targetType=verification_request&targetId=${pending.id}`, compliance.token);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ action: 'verification.approve', actor: { type: 'staff', id: compliance.id, role: 'compliance' }, detail: { hcpId: d.id, comment: null } }),
    ]);
  });

  it('answers 404 for an unknown request and 400 for a malformed id', async () => {
    expect((await stack.http.post('/api/admin/verifications/424242/approve', {}, compliance.token)).status).toBe(404);
    expect((await stack.http.post('/api/admin/verifications/abc/approve', {}, compliance.token)).status).toBe(400);
  });
});
