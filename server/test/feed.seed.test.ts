/**
 * The demo reading history `npm start` seeds: demo doctors' feeds differ (each leads with what
 * their own reading points at), cold-start demo doctors lead with what their peers read, and
 * seeding again stores nothing new.
 */
import type { FeedResponse } from '@hcp360/shared';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../src/dev/seed.js';
import type { RowDataPacket } from '../src/platform/db.js';
import { loginDoctor } from './factories.js';
import { settleAll } from './feedSupport.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp360-media-'));
beforeAll(async () => {
  stack = await startStack({ env: { DATA_DIR: dataDir } });
  await seedDemoData(stack.deps);
  await settleAll(stack);
}, 120_000);
afterAll(async () => {
  await stack.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const countEvents = async () => Number((await stack.deps.pool.query<RowDataPacket[]>("SELECT COUNT(*) AS n FROM events WHERE event_id LIKE 'seed-%'"))[0][0]!.n);

async function feedOf(openid: string): Promise<FeedResponse> {
  const doctor = await loginDoctor(stack, openid);
  const res = await stack.http.get('/api/feed?limit=6', doctor.token);
  expect(res.status).toBe(200);
  return res.body;
}

describe('demo reading history', () => {
  it('gives demo doctors of different departments visibly different feeds, led by their own interests', async () => {
    const cardio = await feedOf('demo-hcp-001'); // 心血管内科
    const endo = await feedOf('demo-hcp-002'); // 内分泌科
    expect(cardio.items[0]!.reasonKind).toBe('affinity');
    expect(endo.items[0]!.reasonKind).toBe('affinity');
    expect(cardio.items[0]!.reason).not.toBe(endo.items[0]!.reason);
    const overlap = cardio.items.filter((i) => endo.items.some((j) => j.id === i.id));
    expect(overlap.length).toBeLessThanOrEqual(2);
  });

  it('leaves one demo doctor in six without history, whose feed starts from what peers read', async () => {
    const cold = await feedOf('demo-hcp-006');
    expect(['cluster', 'peers']).toContain(cold.items[0]!.reasonKind);
  });

  it('stores nothing new when seeded again', async () => {
    const before = await countEvents();
    expect(before).toBeGreaterThan(200);
    await seedDemoData(stack.deps);
    expect(await countEvents()).toBe(before);
  });
});
