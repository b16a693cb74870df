/** Factories for the live-stream tests: the staff of the workflow, applications, scheduled live streams, segments. */
import type { ResultSetHeader } from 'mysql2';
import { expect } from 'vitest';
import { makeStaff, type TestDoctor, type TestStaff } from './factories.js';
import type { Stack } from './harness.js';

export interface LiveStaff {
  rep: TestStaff;
  rep2: TestStaff;
  marketing: TestStaff;
  manager: TestStaff;
  compliance: TestStaff;
}

export async function liveStaff(stack: Stack): Promise<LiveStaff> {
  const [rep, rep2, marketing, manager, compliance] = await Promise.all([
    makeStaff(stack, 'rep'),
    makeStaff(stack, 'rep'),
    makeStaff(stack, 'marketing'),
    makeStaff(stack, 'manager'),
    makeStaff(stack, 'compliance'),
  ]);
  return { rep, rep2, marketing, manager, compliance };
}

const HOUR = 3_600_000;

export function anApplication(stack: Stack, over: Record<string, unknown> = {}): Record<string, unknown> {
  const start = stack.clock.now() + 2 * 24 * HOUR;
  return {
    title: '高血压联合用药的临床实践',
    description: '围绕最新指南讨论高血压联合用药方案。',
    topics: ['hypertension'],
    speakers: [{ name: '王建国', hospital: '北京协和医院', title: '主任医师' }],
    startAt: new Date(start).toISOString(),
    endAt: new Date(start + HOUR).toISOString(),
    rxOnly: false,
    expectedAttendance: 200,
    ...over,
  };
}

export async function applyLive(stack: Stack, applicant: TestStaff, over: Record<string, unknown> = {}): Promise<string> {
  const res = await stack.http.post('/api/admin/lives', anApplication(stack, over), applicant.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.status).toBe('applied');
  return res.body.id as string;
}

/** Applied by `applicant` (the rep by default), approved by the manager and compliance: scheduled. */
export async function scheduledLive(stack: Stack, s: LiveStaff, over: Record<string, unknown> = {}, applicant: TestStaff = s.rep): Promise<{ id: string; approval: Record<string, any> }> {
  const id = await applyLive(stack, applicant, over);
  const dept = await stack.http.post(`/api/admin/lives/${id}/dept-approve`, {}, s.manager.token);
  expect(dept.status, JSON.stringify(dept.body)).toBe(200);
  const approval = await stack.http.post(`/api/admin/lives/${id}/compliance-approve`, { comment: '合规预审通过' }, s.compliance.token);
  expect(approval.status, JSON.stringify(approval.body)).toBe(200);
  expect(approval.body.status).toBe('scheduled');
  return { id, approval: approval.body };
}

/** Start and end a few minutes from now (tests that move the clock stay inside the 15-minute token lifetime). */
export function soon(stack: Stack, startInMin = 5, minutes = 5): { startAt: string; endAt: string } {
  const start = stack.clock.now() + startInMin * 60_000;
  return { startAt: new Date(start).toISOString(), endAt: new Date(start + minutes * 60_000).toISOString() };
}

/** Runs `work` with the clock at `ms`, then puts it back. */
export async function atTime<T>(stack: Stack, ms: number, work: () => Promise<T>): Promise<T> {
  const saved = stack.clock.ms;
  stack.clock.ms = ms;
  try {
    return await work();
  } finally {
    stack.clock.ms = saved;
  }
}

let seq = 0;
/**
 * A segment of the doctors in `city` (a real rule, so the running engine agrees with it), with
 * `members` (made in that city) entered at once instead of waiting for the engine.
 */
export async function makeSegment(stack: Stack, createdBy: TestStaff, members: TestDoctor[], city: string): Promise<string> {
  const [res] = await stack.deps.pool.query<ResultSetHeader>(
    "INSERT INTO rule_definitions (kind, name, rule, created_by, created_at, updated_at) VALUES ('segment', ?, ?, ?, NOW(3), NOW(3))",
    [`直播人群 ${process.pid}-${++seq}`, JSON.stringify({ attr: 'city', op: 'eq', value: city }), createdBy.id],
  );
  const segmentId = String(res.insertId);
  for (const m of members) await stack.deps.pool.query('INSERT INTO segment_members (segment_id, hcp_id, since) VALUES (?, ?, NOW(3))', [segmentId, m.id]);
  return segmentId;
}

export async function auditActions(stack: Stack, liveId: string): Promise<string[]> {
  const [rows] = await stack.deps.pool.query("SELECT action FROM audit_log WHERE target_type = 'live' AND target_id = ? ORDER BY id", [liveId]);
  return (rows as { action: string }[]).map((r) => r.action);
}
