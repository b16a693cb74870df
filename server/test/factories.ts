/**
 * Factories that build doctors and staff through the public surface (the fake WeChat and the
 * HTTP API), so a test starts from the same state a real user would be in.
 */
import { CURRENT_POLICY_VERSION, type ProfileInput, type StaffRole } from '@hcp360/shared';
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { hashPassword } from '../src/domains/identity/passwords.js';
import { insertStaff } from '../src/domains/identity/staffRepo.js';
import type { Stack } from './harness.js';

export const A_PROFILE: ProfileInput = {
  name: '张伟',
  hospital: '北京协和医院',
  hospitalLevel: '三级甲等',
  department: '心血管内科',
  title: '主治医师',
  province: '北京市',
  city: '北京',
};

export const uniqueOpenid = (prefix = 'o') => `${prefix}-${randomBytes(6).toString('hex')}`;

export async function loginCode(stack: Stack, openid: string, unionid?: string): Promise<string> {
  const { code } = await stack.fakeCall<{ code: string }>('POST', '/__fake/code', { openid, ...(unionid && { unionid }) });
  return code;
}

export interface TestDoctor {
  id: string;
  openid: string;
  token: string;
  refreshToken: string;
}

export async function loginDoctor(stack: Stack, openid = uniqueOpenid(), unionid?: string): Promise<TestDoctor> {
  const res = await stack.http.post('/api/auth/wechat-login', { code: await loginCode(stack, openid, unionid) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { id: res.body.user.id, openid, token: res.body.token, refreshToken: res.body.refreshToken };
}

/** A doctor at the chosen point of onboarding: `registered` (consent + profile), `pending`, or `verified`. */
export async function makeDoctor(
  stack: Stack,
  opts: { until?: 'registered' | 'pending' | 'verified'; profile?: Partial<ProfileInput>; openid?: string } = {},
): Promise<TestDoctor> {
  const d = await loginDoctor(stack, opts.openid);
  const consent = await stack.http.post('/api/me/consents', { policyVersion: CURRENT_POLICY_VERSION, sensitive: true }, d.token);
  expect(consent.status).toBe(200);
  const profile = await stack.http.put('/api/me/profile', { ...A_PROFILE, ...opts.profile }, d.token);
  expect(profile.status, JSON.stringify(profile.body)).toBe(200);
  if (opts.until === 'pending' || opts.until === 'verified') {
    const v = await stack.http.post('/api/me/verification', { licenseNo: '110101199003070' }, d.token);
    expect(v.status).toBe(201);
    if (opts.until === 'verified') {
      const compliance = await makeStaff(stack, 'compliance');
      const ok = await stack.http.post(`/api/admin/verifications/${v.body.id}/approve`, {}, compliance.token);
      expect(ok.status).toBe(200);
    }
  }
  return d;
}

export interface TestStaff {
  id: string;
  username: string;
  password: string;
  token: string;
  refreshToken: string;
}

let staffSeq = 0;
export async function makeStaff(stack: Stack, role: StaffRole, password = 'correct horse battery'): Promise<TestStaff> {
  const username = `${role}_${process.pid}_${++staffSeq}_${randomBytes(2).toString('hex')}`;
  const id = await insertStaff(stack.deps.pool, { username, displayName: `Test ${role}`, role, passwordHash: await hashPassword(password) }, stack.clock.now());
  const res = await stack.http.post('/api/auth/staff-login', { username, password });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return { id, username, password, token: res.body.token, refreshToken: res.body.refreshToken };
}
