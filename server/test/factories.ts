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

/**
 * A published content item, made the way staff make one: marketing writes and submits it,
 * medical approves it, marketing publishes it. Returns the item id.
 */
export async function makeContent(
  stack: Stack,
  over: { type?: 'article' | 'video'; title?: string; topics?: string[]; rxOnly?: boolean; priority?: number; segmentIds?: string[] } = {},
  staff?: { marketing: TestStaff; medical: TestStaff },
): Promise<string> {
  const marketing = staff?.marketing ?? (await makeStaff(stack, 'marketing'));
  const medical = staff?.medical ?? (await makeStaff(stack, 'medical'));
  const type = over.type ?? 'article';
  const body = {
    type,
    title: over.title ?? `测试内容 ${randomBytes(3).toString('hex')}`,
    summary: '测试摘要',
    topics: over.topics ?? ['hypertension'],
    rxOnly: over.rxOnly ?? false,
    priority: over.priority ?? 50,
    segmentIds: over.segmentIds ?? [],
    ...(type === 'article' ? { body: '<p>正文</p>' } : { videoUrl: 'https://example.com/v.mp4' }),
  };
  const created = await stack.http.post('/api/admin/content', body, marketing.token);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  for (const [action, token] of [['submit', marketing.token], ['approve', medical.token], ['publish', marketing.token]] as const) {
    const res = await stack.http.post(`/api/admin/content/${id}/${action}`, {}, token);
    expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
  }
  return id;
}

let eventSeq = 0;
/** An event of `type` at the stack's current time (or `ts`), with a fresh event_id. */
export function anEvent(stack: Stack, type: string, props: Record<string, unknown> = {}, ts?: number): Record<string, unknown> {
  return { event_id: `t-${process.pid}-${++eventSeq}-${randomBytes(3).toString('hex')}`, type, ts: ts ?? stack.clock.now() - 1000, session_id: 'test-session', page: 'pages/article/index', ...props };
}

/** Posts events as `doctor` and checks they were all accepted. */
export async function postEvents(stack: Stack, doctor: TestDoctor, events: Record<string, unknown>[]): Promise<void> {
  const res = await stack.http.post('/api/events', { events }, doctor.token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.rejected, JSON.stringify(res.body.rejected)).toEqual([]);
}

/** Signs staff in again (after a test moved the clock past their token's lifetime). */
export async function signInAgain(stack: Stack, staff: TestStaff): Promise<TestStaff> {
  const res = await stack.http.post('/api/auth/staff-login', { username: staff.username, password: staff.password });
  expect(res.status).toBe(200);
  return { ...staff, token: res.body.token, refreshToken: res.body.refreshToken };
}

let segmentSeq = 0;
/**
 * A segment whose members are exactly `members`, made as staff make one: a medical editor gives
 * each member a specialty of their own, then marketing saves the segment `specialty = that` through
 * the API, which computes its membership. The engine keeps it as it is when it re-evaluates them.
 */
export async function makeSegment(stack: Stack, members: TestDoctor[], staff?: { marketing: TestStaff; medical: TestStaff }): Promise<string> {
  const marketing = staff?.marketing ?? (await makeStaff(stack, 'marketing'));
  const medical = staff?.medical ?? (await makeStaff(stack, 'medical'));
  const specialty = `测试专长-${process.pid}-${++segmentSeq}`;
  for (const m of members) {
    const res = await stack.http.put(`/api/admin/hcps/${m.id}/attributes`, { specialty }, medical.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  const res = await stack.http.post('/api/admin/segments', { name: `测试人群 ${specialty}`, rule: { attr: 'specialty', op: 'eq', value: specialty } }, marketing.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.members).toBe(members.length);
  return String(res.body.id);
}

