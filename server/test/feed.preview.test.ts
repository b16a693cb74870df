/**
 * GET /api/admin/hcps/:id/feed-preview: the doctor's feed as staff see it, each score broken down.
 * Admin, marketing, medical and compliance may look; managers, reps and doctors may not. A preview
 * records no impressions (it is not something the doctor saw).
 */
import type { StaffRole } from '@hcp360/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RowDataPacket } from '../src/platform/db.js';
import { makeDoctor, makeStaff, type TestDoctor } from './factories.js';
import { publisher, read, settle } from './feedSupport.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
let doctor: TestDoctor;
let readId: string;
let unreadId: string;
let editorId: string;

beforeAll(async () => {
  stack = await startStack();
  const pub = await publisher(stack);
  readId = await pub.publish({ topics: ['diabetes'], priority: 50 });
  unreadId = await pub.publish({ topics: ['diabetes', 'obesity'], priority: 50 });
  editorId = await pub.publish({ topics: ['copd'], priority: 100 });
  doctor = await makeDoctor(stack);
  await read(stack, doctor, [readId]);
  await settle(stack);
});
afterAll(() => stack.close());

const path = () => `/api/admin/hcps/${doctor.id}/feed-preview`;

describe('who may preview a feed', () => {
  it.each(['admin', 'marketing', 'medical', 'compliance'] as StaffRole[])('%s may', async (role) => {
    const staff = await makeStaff(stack, role);
    const res = await stack.http.get(path(), staff.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  it.each(['manager', 'rep'] as StaffRole[])('%s may not (403)', async (role) => {
    const staff = await makeStaff(stack, role);
    const res = await stack.http.get(path(), staff.token);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('a doctor may not (403), nobody without a token (401), and an unknown doctor is 404', async () => {
    expect((await stack.http.get(path(), doctor.token)).status).toBe(403);
    expect((await stack.http.get(path())).body.error.code).toBe('UNAUTHENTICATED');
    const admin = await makeStaff(stack, 'admin');
    const missing = await stack.http.get('/api/admin/hcps/999999/feed-preview', admin.token);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });
});

describe('the preview', () => {
  it('breaks each score into affinity, freshness, priority, read and impression penalties and exploration', async () => {
    const admin = await makeStaff(stack, 'admin');
    const body = (await stack.http.get(path(), admin.token)).body;
    expect(body).toMatchObject({ hcpId: doctor.id, coldStart: false, cluster: { level: 'everyone' } });
    expect(body.affinities[0]).toMatchObject({ topic: 'diabetes', label: '糖尿病' });
    const byId = new Map<string, any>(body.items.map((i: any) => [i.id, i]));

    const unread = byId.get(unreadId);
    expect(unread.reason).toBe('因为你关注「糖尿病」');
    expect(unread.score.affinity).toBeGreaterThan(30);
    expect(unread.score).toMatchObject({ freshness: 20, priority: 7.5, readPenalty: 0, impressionPenalty: 0, exploration: 0 });

    const done = byId.get(readId);
    expect(done.score.readPenalty).toBe(80);
    const s = done.score;
    expect(s.total).toBeCloseTo(s.affinity + s.freshness + s.priority - s.readPenalty - s.impressionPenalty, 1);

    expect(byId.get(editorId)).toMatchObject({ reason: '编辑推荐', score: { affinity: 0, priority: 15 } });
    expect(body.items.map((i: any) => i.position)).toEqual([0, 1, 2]);
    expect(body.items.map((i: any) => i.id)).toEqual([unreadId, editorId, readId]);
  });

  it('records no impressions', async () => {
    await new Promise((r) => setTimeout(r, 1200)); // longer than the impression buffer's flush interval
    const [rows] = await stack.deps.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM feed_page_impressions WHERE hcp_id = ?', [doctor.id]);
    expect(Number(rows[0]!.n)).toBe(0);
  });
});
