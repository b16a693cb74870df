import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginDoctor, makeDoctor, makeStaff, uniqueOpenid, type TestStaff } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
let admin: TestStaff;
beforeAll(async () => {
  stack = await startStack();
  admin = await makeStaff(stack, 'admin');
});
afterAll(() => stack.close());

const unionid = () => uniqueOpenid('union');

describe('OneID', () => {
  it('joins a new openid to the doctor who already has its unionid', async () => {
    const u = unionid();
    const first = await loginDoctor(stack, uniqueOpenid(), u);
    const second = await loginDoctor(stack, uniqueOpenid(), u);
    expect(second.id).toBe(first.id);
  });

  it('merges two doctor records that turn out to share a unionid, and records the merge', async () => {
    const u = unionid();
    // A: signed in before the app was bound to the Open Platform (no unionid), and completed a profile.
    const a = await makeDoctor(stack, { until: 'registered' });
    // B: another identity of the same person, which arrived with the unionid.
    const b = await loginDoctor(stack, uniqueOpenid(), u);
    expect(b.id).not.toBe(a.id);
    // A signs in again and WeChat now tells us its unionid: the two are one person.
    const again = await loginDoctor(stack, a.openid, u);
    expect([a.id, b.id]).toContain(again.id);

    // The survivor is the older record, with the profile, and either old token reaches it.
    expect(again.id).toBe(a.id);
    const viaB = await stack.http.get('/api/me', b.token);
    expect(viaB.status).toBe(200);
    expect(viaB.body.id).toBe(a.id);
    expect(viaB.body.profile.name).toBe('张伟');

    const merges = await stack.http.get(`/api/admin/merges?hcpId=${a.id}`, admin.token);
    expect(merges.status).toBe(200);
    expect(merges.body.items[0]).toMatchObject({ survivorId: a.id, mergedId: b.id, reason: 'unionid', actor: 'system', undoneAt: null });
    expect(merges.body.items[0].moved.rows.wechat_identities).toHaveLength(1);
  });

  it('undoes a merge exactly, and never merges that pair automatically again', async () => {
    const u = unionid();
    const a = await makeDoctor(stack, { until: 'registered' });
    const b = await loginDoctor(stack, uniqueOpenid(), u);
    await loginDoctor(stack, a.openid, u);
    const [merge] = (await stack.http.get(`/api/admin/merges?hcpId=${a.id}`, admin.token)).body.items;

    const undo = await stack.http.post(`/api/admin/merges/${merge.id}/undo`, {}, admin.token);
    expect(undo.status).toBe(200);
    // B's identity is B's again.
    expect((await loginDoctor(stack, b.openid, u)).id).toBe(b.id);
    expect((await loginDoctor(stack, a.openid, u)).id).toBe(a.id);
    const bMe = await stack.http.get('/api/me', (await loginDoctor(stack, b.openid, u)).token);
    expect(bMe.body.id).toBe(b.id);
    expect(bMe.body.profile.name).toBeNull();

    const twice = await stack.http.post(`/api/admin/merges/${merge.id}/undo`, {}, admin.token);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('MERGE_ALREADY_UNDONE');
    const audit = await stack.http.get(`/api/admin/audit?targetType=hcp&targetId=${a.id}`, admin.token);
    expect(audit.body.items.map((i: { action: string }) => i.action)).toEqual(['hcp.merge_undo', 'hcp.merge']);
  });

  it('merges two records that bind the same WeChat-verified phone; the verified record survives', async () => {
    const verified = await makeDoctor(stack, { until: 'verified' });
    const fresh = await loginDoctor(stack);
    const phone = '13812345678';
    for (const d of [verified, fresh]) {
      const { code } = await stack.fakeCall('POST', '/__fake/phone-code', { phoneNumber: phone });
      const res = await stack.http.post('/api/me/phone', { code }, d.token);
      expect(res.status).toBe(200);
      expect(res.body.profile.phone).toBe(phone);
    }
    const me = await stack.http.get('/api/me', fresh.token);
    expect(me.body.id).toBe(verified.id);
    expect(me.body.verification.status).toBe('verified');
    const merges = await stack.http.get(`/api/admin/merges?hcpId=${verified.id}`, admin.token);
    expect(merges.body.items[0]).toMatchObject({ reason: 'phone', matched: '138****5678', survivorId: verified.id, mergedId: fresh.id });
  });

  it('refuses an invalid phone code with PHONE_CODE_INVALID', async () => {
    const d = await loginDoctor(stack);
    const res = await stack.http.post('/api/me/phone', { code: 'not-a-phone-code' }, d.token);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('PHONE_CODE_INVALID');
  });

  it('does not let a merge be undone while a later merge involves the same doctors', async () => {
    const u1 = unionid();
    const a = await makeDoctor(stack, { until: 'registered' });
    const b = await loginDoctor(stack, uniqueOpenid(), u1);
    await loginDoctor(stack, a.openid, u1);
    // A second merge into the same survivor, through a shared verified phone.
    const c = await loginDoctor(stack);
    for (const d of [c, a]) {
      const { code } = await stack.fakeCall('POST', '/__fake/phone-code', { phoneNumber: '13900001111' });
      expect((await stack.http.post('/api/me/phone', { code }, d.token)).status).toBe(200);
    }
    const items = (await stack.http.get(`/api/admin/merges?hcpId=${a.id}`, admin.token)).body.items as { id: string; mergedId: string }[];
    const first = items.find((m) => m.mergedId === b.id)!;
    expect(items.find((m) => m.mergedId === c.id)).toBeDefined();
    const res = await stack.http.post(`/api/admin/merges/${first.id}/undo`, {}, admin.token);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('MERGE_NOT_UNDOABLE');
  });
});
