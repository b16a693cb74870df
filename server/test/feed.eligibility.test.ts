/**
 * The feed never shows what the doctor may not see. The rules live in content (eligibleContentFor);
 * each is checked here through GET /api/feed, reading every page: unapproved, scheduled, expired,
 * archived, outside the audience, Rx-only for a doctor who is not verified. Also: an item that
 * stops being eligible between two pages is left out of the next one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDoctor, makeSegment, makeStaff, type TestDoctor, type TestStaff } from './factories.js';
import { feed, ids, wholeFeed } from './feedSupport.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
let marketing: TestStaff;
let medical: TestStaff;
let verified: TestDoctor;
let unverified: TestDoctor;
const MINUTE = 60_000;
let seq = 0;

beforeAll(async () => {
  stack = await startStack();
  [marketing, medical] = await Promise.all([makeStaff(stack, 'marketing'), makeStaff(stack, 'medical')]);
  verified = await makeDoctor(stack, { until: 'verified' });
  unverified = await makeDoctor(stack, { until: 'registered' });
});
afterAll(() => stack.close());

type Stop = 'draft' | 'in_review' | 'approved' | 'published' | 'archived';
/** An item taken as far as `until` through the staff API. */
async function item(over: Record<string, unknown> = {}, until: Stop = 'published'): Promise<string> {
  const res = await stack.http.post(
    '/api/admin/content',
    { type: 'article', title: `心衰管理 ${++seq}`, summary: '要点', body: '<p>正文</p>', topics: ['heart_failure'], rxOnly: false, priority: 50, ...over },
    marketing.token,
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const steps: [string, string][] = [['submit', marketing.token], ['approve', medical.token], ['publish', marketing.token], ['archive', marketing.token]];
  for (const [action, token] of steps.slice(0, ['draft', 'in_review', 'approved', 'published', 'archived'].indexOf(until))) {
    const r = await stack.http.post(`/api/admin/content/${res.body.id}/${action}`, {}, token);
    expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(200);
  }
  return res.body.id;
}

async function inFeed(id: string, d: TestDoctor): Promise<boolean> {
  return ids(await wholeFeed(stack, d, 'limit=3')).includes(id);
}

const segmentOf = (members: TestDoctor[]) => makeSegment(stack, members, { marketing, medical });

describe('the feed shows', () => {
  it('a published item for everyone, to verified and unverified doctors', async () => {
    const id = await item();
    expect(await inFeed(id, verified)).toBe(true);
    expect(await inFeed(id, unverified)).toBe(true);
  });
});

describe('the feed never shows', () => {
  it('a draft', async () => expect(await inFeed(await item({}, 'draft'), verified)).toBe(false));
  it('an item in review', async () => expect(await inFeed(await item({}, 'in_review'), verified)).toBe(false));
  it('an approved item not yet published', async () => expect(await inFeed(await item({}, 'approved'), verified)).toBe(false));
  it('an archived item', async () => expect(await inFeed(await item({}, 'archived'), verified)).toBe(false));

  it('an item scheduled for later, until its publish time', async () => {
    const id = await item({ publishAt: new Date(stack.clock.now() + 2 * MINUTE).toISOString() });
    expect(await inFeed(id, verified)).toBe(false);
    stack.clock.advance(3 * MINUTE);
    expect(await inFeed(id, verified)).toBe(true);
  });

  it('an item past its expiry time', async () => {
    const id = await item({ expireAt: new Date(stack.clock.now() + 2 * MINUTE).toISOString() });
    expect(await inFeed(id, verified)).toBe(true);
    stack.clock.advance(3 * MINUTE);
    expect(await inFeed(id, verified)).toBe(false);
  });

  it('an item for a segment the doctor is not in', async () => {
    const id = await item({ segmentIds: [await segmentOf([verified])] });
    expect(await inFeed(id, verified)).toBe(true);
    expect(await inFeed(id, unverified)).toBe(false);
  });

  it('Rx-only material to a doctor who is not a verified HCP', async () => {
    const id = await item({ rxOnly: true });
    expect(await inFeed(id, unverified)).toBe(false);
    expect(await inFeed(id, verified)).toBe(true);
  });
});

describe('between two pages', () => {
  it('an item archived after the first page is left out of the next ones', async () => {
    const doctor = await makeDoctor(stack, { until: 'verified' });
    const first = await feed(stack, doctor, 'limit=2');
    const all = ids(await wholeFeed(stack, doctor, 'limit=50'));
    const later = all.find((id) => !ids(first.items).includes(id))!;
    const archived = await stack.http.post(`/api/admin/content/${later}/archive`, {}, marketing.token);
    expect(archived.status).toBe(200);
    const rest: string[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await feed(stack, doctor, `limit=2&cursor=${cursor}`);
      rest.push(...ids(page.items));
      cursor = page.nextCursor;
    }
    expect([...ids(first.items), ...rest]).toEqual(all.filter((id) => id !== later));
  });
});
