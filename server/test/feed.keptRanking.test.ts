/**
 * A doctor's ranking kept between their requests (src/domains/feed/rankingCache.ts), end to end:
 * each next first page is what ranking the doctor's state afresh gives (the staff preview ranks
 * afresh from the database and the impressions not written yet), while the items shown again
 * sink; and anything else that changes the doctor's state (here: reading) is ranked afresh.
 */
import type { FeedItem } from '@hcp360/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDoctor, makeStaff, type TestDoctor, type TestStaff } from './factories.js';
import { feed, publisher, read, settle, type Publisher } from './feedSupport.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
let pub: Publisher;
let admin: TestStaff;
const hypertension: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  pub = await publisher(stack);
  admin = await makeStaff(stack, 'admin');
  for (let i = 0; i < 8; i++) hypertension.push(await pub.publish({ title: `高血压 ${i}`, topics: ['hypertension'], priority: 30 + i * 5 }));
  for (const [topic, n] of [['diabetes', 6], ['copd', 6], ['stroke', 6]] as const) {
    for (let i = 0; i < n; i++) await pub.publish({ title: `${topic} ${i}`, topics: [topic], priority: 20 + i * 10 });
  }
});
afterAll(() => stack.close());

const shape = (items: Pick<FeedItem, 'id' | 'reason' | 'reasonKind'>[]) => items.map((i) => `${i.id} ${i.reasonKind} ${i.reason}`);

async function preview(doctor: TestDoctor, limit: number): Promise<FeedItem[]> {
  const res = await stack.http.get(`/api/admin/hcps/${doctor.id}/feed-preview?limit=${limit}`, admin.token);
  expect(res.status).toBe(200);
  return res.body.items;
}

describe('a kept ranking', () => {
  it('gives each next first page exactly as ranking afresh would, as what was shown sinks', async () => {
    const doctor = await makeDoctor(stack);
    await read(stack, doctor, hypertension.slice(0, 2));
    await settle(stack);
    const shown = new Set<string>();
    let expected = shape(await preview(doctor, 10));
    // Ten first pages: past the three free impressions, the items shown keep sinking, page after page.
    for (let i = 0; i < 10; i++) {
      const page = await feed(stack, doctor, 'limit=10');
      expect(shape(page.items)).toEqual(expected);
      for (const item of page.items) shown.add(item.id);
      expected = shape(await preview(doctor, 10));
    }
    // Items shown without a click gave way to others.
    expect(shown.size).toBeGreaterThan(10);
  });

  it('is made afresh once the doctor read something: what they read leaves the top', async () => {
    const doctor = await makeDoctor(stack);
    await read(stack, doctor, hypertension.slice(0, 1));
    await settle(stack);
    const before = await feed(stack, doctor, 'limit=5');
    const top = before.items[0]!;
    expect(top.reasonKind).toBe('affinity');
    await read(stack, doctor, [top.id]);
    await settle(stack);
    const expected = shape(await preview(doctor, 5));
    const after = await feed(stack, doctor, 'limit=5');
    expect(after.items.map((i) => i.id)).not.toContain(top.id);
    expect(shape(after.items)).toEqual(expected);
  });
});
