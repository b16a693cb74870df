/**
 * The demo live streams `npm start` seeds: every state present, one live now playing the sample
 * video, registrations and attendance on the demo doctors (the 直播 tab and the staff report look
 * like a real programme), and seeding again makes nothing new.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../src/dev/seed.js';
import { DEMO_LIVES } from '../src/dev/seedLives.js';
import { loginDoctor } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp360-live-seed-'));
let marketingToken: string;

beforeAll(async () => {
  stack = await startStack({ env: { DATA_DIR: dataDir, DEMO_HISTORY: 'on' }, engine: false });
  await seedDemoData(stack.deps);
  const login = await stack.http.post('/api/auth/staff-login', { username: 'marketing', password: 'hcp360-demo' });
  marketingToken = login.body.token;
}, 180_000);
afterAll(async () => {
  await stack?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('demo live streams', () => {
  it('holds live streams in every state', async () => {
    const items = (await stack.http.get('/api/admin/lives?limit=200', marketingToken)).body.items as any[];
    const statuses = new Set(items.map((l) => l.status));
    for (const s of ['applied', 'dept_approved', 'scheduled', 'live', 'ended', 'rejected', 'cancelled']) expect(statuses, s).toContain(s);
    expect(items.some((l) => l.status === 'scheduled' && l.rxOnly)).toBe(true);
    expect(items.some((l) => l.status === 'scheduled' && l.segmentIds.length > 0)).toBe(true);
    expect(items.some((l) => l.status === 'ended' && l.replayUrl)).toBe(true);
    expect(items.filter((l) => DEMO_LIVES.some((d) => d.title === l.title)).length).toBe(DEMO_LIVES.length);
  });

  it('puts every programme but the one playing now at a time doctors attend: the evening, or noon for a department meeting (China time)', async () => {
    const items = (await stack.http.get('/api/admin/lives?limit=200', marketingToken)).body.items as any[];
    const others = items.filter((l) => DEMO_LIVES.some((d) => d.title === l.title) && l.status !== 'live');
    expect(others.length).toBe(DEMO_LIVES.length - 1);
    const chinaTime = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(11, 16);
    for (const l of others) expect(['12:30', '19:00', '19:30', '20:00'], l.title).toContain(chinaTime(l.startAt));
  });

  it('shows a demo doctor the live stream now playing the sample video, upcoming ones and replays', async () => {
    const doctor = await loginDoctor(stack, 'demo-hcp-001');
    const items = (await stack.http.get('/api/lives', doctor.token)).body.items as any[];
    const live = items.find((l) => l.status === 'live');
    expect(live).toMatchObject({ registered: true });
    expect(items.some((l) => l.status === 'scheduled')).toBe(true);
    const detail = (await stack.http.get(`/api/lives/${live.id}`, doctor.token)).body;
    const video = await fetch(`${stack.url}${detail.playUrl}`);
    expect([video.status, video.headers.get('content-type')]).toEqual([200, 'video/mp4']);
  });

  it('gives the staff report registrations, minutes, a peak and reps who brought doctors', async () => {
    const items = (await stack.http.get('/api/admin/lives?status=ended', marketingToken)).body.items as any[];
    const replay = items.find((l) => l.replayUrl);
    const report = (await stack.http.get(`/api/admin/lives/${replay.id}/report`, marketingToken)).body;
    expect(report.registrations).toBeGreaterThan(10);
    expect(report.attendees).toBeGreaterThan(5);
    expect(report.peakConcurrentViewers).toBeGreaterThan(3);
    expect(report.attendanceMinutes).toBeGreaterThan(report.attendees * 10);
    expect(report.reps.length).toBeGreaterThan(0);
    expect(report.rows.some((r: any) => r.replayViews > 0)).toBe(true);
  });

  it('makes nothing new when seeded again', async () => {
    const count = async () => Number(((await stack.deps.pool.query('SELECT (SELECT COUNT(*) FROM lives) + (SELECT COUNT(*) FROM live_registrations) AS n'))[0] as any[])[0].n);
    const before = await count();
    await seedDemoData(stack.deps);
    expect(await count()).toBe(before);
  });
});
