/**
 * The demo content `npm start` seeds: enough items over enough topics, in every place of the
 * workflow, with real history, covers and a playable sample video; and seeding twice adds nothing.
 */
import { RX_NOTICE } from '@hcp360/shared';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../src/dev/seed.js';
import { eligibleContentFor } from '../src/domains/content/eligibility.js';
import { loginDoctor } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
// A media folder of this file's own, removed afterwards.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp360-media-'));
let staffToken: string;
beforeAll(async () => {
  stack = await startStack({ env: { DATA_DIR: dataDir } });
  await seedDemoData(stack.deps);
  staffToken = (await stack.http.post('/api/auth/staff-login', { username: 'compliance', password: stack.config.demoPassword })).body.token;
}, 120_000);
afterAll(async () => {
  await stack.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface ListItem {
  id: string;
  type: string;
  status: string;
  topics: string[];
  rxOnly: boolean;
}
async function all(): Promise<ListItem[]> {
  const items: ListItem[] = [];
  let cursor: string | null = null;
  do {
    const res: { body: { items: ListItem[]; nextCursor: string | null } } = await stack.http.get(`/api/admin/content?limit=100${cursor ? `&cursor=${cursor}` : ''}`, staffToken);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

describe('demo content', () => {
  it('has at least 40 items over at least 8 topics, about a quarter Rx-only, in every place of the workflow', async () => {
    const items = await all();
    expect(items.length).toBeGreaterThanOrEqual(40);
    expect(new Set(items.flatMap((i) => i.topics)).size).toBeGreaterThanOrEqual(8);
    const rx = items.filter((i) => i.rxOnly).length / items.length;
    expect(rx).toBeGreaterThan(0.18);
    expect(rx).toBeLessThan(0.32);
    const count = (s: string) => items.filter((i) => i.status === s).length;
    expect(count('scheduled')).toBeGreaterThanOrEqual(2);
    expect(count('expired')).toBeGreaterThanOrEqual(2);
    expect(count('in_review')).toBe(1);
    expect(count('draft')).toBe(1);
    expect(count('published')).toBe(items.length - count('scheduled') - count('expired') - 2);
    expect(items.filter((i) => i.type === 'video').length).toBeGreaterThanOrEqual(5);
  });

  it('was reviewed through the workflow: the rejected item carries its comment, published ones their history', async () => {
    const items = await all();
    const rejected = items.find((i) => i.status === 'draft')!;
    const view = (await stack.http.get(`/api/admin/content/${rejected.id}`, staffToken)).body;
    expect(view.versions[0].review.comment).toMatch(/请补充/);
    const published = items.find((i) => i.status === 'published')!;
    const history = (await stack.http.get(`/api/admin/content/${published.id}/history`, staffToken)).body.items;
    expect(history.map((h: { action: string; actor: { role: string } }) => `${h.action}:${h.actor.role}`)).toEqual([
      'create:marketing',
      'submit:marketing',
      expect.stringMatching(/^approve:(medical|compliance)$/),
      'publish:marketing',
    ]);
  });

  it('serves covers as PNG and videos from a playable sample file', async () => {
    const doctor = await loginDoctor(stack, 'demo-hcp-001');
    const eligible = await eligibleContentFor(stack.deps, doctor.id, stack.clock.now());
    const video = eligible.find((c) => c.type === 'video')!;
    const cover = await fetch(`${stack.url}${video.cover}`);
    expect(cover.headers.get('content-type')).toBe('image/png');
    const body = (await stack.http.get(`/api/content/${video.id}`, doctor.token)).body;
    const mp4 = await fetch(`${stack.url}${body.videoUrl}`);
    expect(mp4.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await mp4.arrayBuffer()).subarray(4, 8).toString('latin1')).toBe('ftyp');
    const rx = eligible.find((c) => c.rxOnly && c.type === 'article')!;
    const article = (await stack.http.get(`/api/content/${rx.id}`, doctor.token)).body;
    expect(article.notice).toBe(RX_NOTICE);
    expect(article.body).toMatch(/<h2>/);
  });

  it('adds nothing when seeded again', async () => {
    const before = (await all()).length;
    await seedDemoData(stack.deps);
    expect((await all()).length).toBe(before);
  });
});
