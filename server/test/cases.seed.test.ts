/**
 * The demo case collection `npm start` seeds: two open campaigns with different forms and one
 * closed, cases from demo doctors in every review state, and seeding twice adds nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../src/dev/seed.js';
import { seedDemoCases } from '../src/dev/seedCases.js';
import { loginDoctor } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp360-cases-seed-'));
const login = async (username: string) => (await stack.http.post('/api/auth/staff-login', { username, password: stack.config.demoPassword })).body.token as string;

beforeAll(async () => {
  stack = await startStack({ env: { DATA_DIR: dataDir, DEMO_HISTORY: 'off' } });
  await seedDemoData(stack.deps);
}, 180_000);
afterAll(async () => {
  await stack?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the demo case collection', () => {
  it('has two open campaigns with different forms and one closed', async () => {
    const { body } = await stack.http.get('/api/admin/cases/campaigns', await login('marketing'));
    const byTitle = Object.fromEntries(body.items.map((c: { title: string }) => [c.title, c]));
    expect(byTitle['高血压真实世界病例'].state).toBe('open');
    expect(byTitle['心力衰竭病例分享'].state).toBe('open');
    expect(byTitle['2型糖尿病胰岛素起始病例'].state).toBe('closed');
    const forms = await Promise.all(['高血压真实世界病例', '心力衰竭病例分享'].map(async (t) => (await stack.http.get(`/api/admin/cases/campaigns/${byTitle[t].id}`, await login('marketing'))).body.form.fields.map((f: { key: string }) => f.key).join()));
    expect(forms[0]).not.toBe(forms[1]);
  });

  it('has cases in every review state, one of them revised, one flagged by content security', async () => {
    const token = await login('medical');
    const { body } = await stack.http.get('/api/admin/cases/submissions?limit=100', token);
    const statuses = new Set(body.items.map((s: { status: string }) => s.status));
    expect([...statuses].sort()).toEqual(['accepted', 'needs_revision', 'rejected', 'under_review']);
    expect(body.items.some((s: { version: number; status: string }) => s.version === 2 && s.status === 'under_review')).toBe(true);
    expect(body.items.some((s: { flagged: boolean }) => s.flagged)).toBe(true);
    const [rows] = await stack.deps.pool.query('SELECT COUNT(*) AS n FROM hcp_activity WHERE cases_accepted > 0');
    expect(Number((rows as { n: number }[])[0]!.n)).toBeGreaterThanOrEqual(3);
  });

  it('shows a demo doctor the open campaigns and their own case with its status', async () => {
    const doctor = await loginDoctor(stack, 'demo-hcp-007');
    const open = await stack.http.get('/api/cases/campaigns', doctor.token);
    expect(open.body.items.map((c: { title: string }) => c.title).sort()).toEqual(['心力衰竭病例分享', '高血压真实世界病例']);
    const mine = await stack.http.get('/api/cases/submissions', doctor.token);
    expect(mine.body.items[0]).toMatchObject({ status: 'needs_revision', reviewerNote: expect.stringContaining('家庭血压') });
  });

  it('adds nothing when seeded again', async () => {
    const [before] = await stack.deps.pool.query('SELECT COUNT(*) AS n FROM case_submissions');
    await seedDemoCases(stack.deps);
    const [after] = await stack.deps.pool.query('SELECT COUNT(*) AS n FROM case_submissions');
    expect(after).toEqual(before);
  });
});
