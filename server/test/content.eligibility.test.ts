/**
 * What doctors may see: GET /api/content/:id and eligibleContentFor (the feed's candidates) apply
 * the same rules. One test per rule: each refused item is refused by the route with the right
 * status and is absent from eligibleContentFor. Also the Rx notice, going live and expiring by the
 * clock alone, versions replacing each other, and topicsOfContent.
 */
import { RX_NOTICE } from '@hcp360/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentInfoOf, eligibleContentFor, topicsOfContent } from '../src/domains/content/eligibility.js';
import { makeDoctor, makeSegment, makeStaff, type TestDoctor, type TestStaff } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
let marketing: TestStaff;
let medical: TestStaff;
let verified: TestDoctor;
let unverified: TestDoctor;
beforeAll(async () => {
  stack = await startStack();
  [marketing, medical] = await Promise.all([makeStaff(stack, 'marketing'), makeStaff(stack, 'medical')]);
  verified = await makeDoctor(stack, { until: 'verified' });
  unverified = await makeDoctor(stack, { until: 'registered' });
});
afterAll(() => stack.close());

const MINUTE = 60_000;
let seq = 0;
const article = (over: Record<string, unknown> = {}) => ({
  type: 'article',
  title: `高血压指南解读 ${++seq}`,
  summary: '降压目标与联合用药',
  body: '<h2>要点</h2><p>多数患者降压目标 &lt;130/80 mmHg。</p>',
  topics: ['hypertension', 'ckd'],
  rxOnly: false,
  priority: 60,
  ...over,
});
async function step(id: string, action: string, token: string, body: unknown = {}) {
  const res = await stack.http.post(`/api/admin/content/${id}/${action}`, body, token);
  expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}
/** An item taken as far as `until` through the API. */
async function makeContent(over: Record<string, unknown> = {}, until: 'draft' | 'in_review' | 'approved' | 'published' | 'archived' = 'published'): Promise<string> {
  const res = await stack.http.post('/api/admin/content', article(over), marketing.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id: string = res.body.id;
  const steps: [string, string][] = [['submit', marketing.token], ['approve', medical.token], ['publish', marketing.token], ['archive', marketing.token]];
  const stops = ['draft', 'in_review', 'approved', 'published', 'archived'];
  for (const [action, token] of steps.slice(0, stops.indexOf(until))) await step(id, action, token);
  return id;
}
const read = (id: string, d: TestDoctor) => stack.http.get(`/api/content/${id}`, d.token);
const eligibleIds = async (d: TestDoctor) => (await eligibleContentFor(stack.deps, d.id, stack.clock.now())).map((c) => c.id);

/** Refused by GET /api/content/:id with `status` (and `code`), and absent from eligibleContentFor. */
async function expectRefused(id: string, d: TestDoctor, status = 404, code = 'NOT_FOUND') {
  const res = await read(id, d);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(await eligibleIds(d)).not.toContain(id);
}
async function expectServed(id: string, d: TestDoctor) {
  const res = await read(id, d);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(await eligibleIds(d)).toContain(id);
  return res.body;
}

const segmentOf = (members: TestDoctor[]) => makeSegment(stack, members, { marketing, medical });

describe('a published item for everyone', () => {
  it('is served with its fields, and is one of the eligible items with what the feed ranks on', async () => {
    const id = await makeContent({ cover: '/media/0123456789abcdef0123456789abcdef.png' });
    const body = await expectServed(id, unverified);
    expect(body).toEqual({
      id,
      type: 'article',
      title: expect.stringContaining('高血压指南解读'),
      summary: '降压目标与联合用药',
      cover: '/media/0123456789abcdef0123456789abcdef.png',
      topics: ['ckd', 'hypertension'],
      rxOnly: false,
      body: '<h2>要点</h2><p>多数患者降压目标 &lt;130/80 mmHg。</p>',
      publishedAt: new Date(stack.clock.now()).toISOString(),
    });
    expect(body.notice).toBeUndefined();
    const item = (await eligibleContentFor(stack.deps, unverified.id, stack.clock.now())).find((c) => c.id === id);
    expect(item).toEqual({ id, type: 'article', title: body.title, summary: body.summary, cover: body.cover, topics: ['ckd', 'hypertension'], rxOnly: false, priority: 60, publishedAt: body.publishedAt });
  });

  it('serves a video with its videoUrl', async () => {
    const id = await makeContent({ type: 'video', body: undefined, videoUrl: 'https://v.example.com/talk.mp4' });
    const body = await expectServed(id, unverified);
    expect(body).toMatchObject({ type: 'video', videoUrl: 'https://v.example.com/talk.mp4' });
    expect(body.body).toBeUndefined();
  });
});

describe('eligibility rules: refused by GET /api/content/:id and absent from eligibleContentFor', () => {
  it('a draft is 404', async () => expectRefused(await makeContent({}, 'draft'), verified));
  it('an item in review is 404', async () => expectRefused(await makeContent({}, 'in_review'), verified));
  it('an approved item not yet published is 404', async () => expectRefused(await makeContent({}, 'approved'), verified));
  it('an archived item is 404', async () => expectRefused(await makeContent({}, 'archived'), verified));

  it('an item scheduled in the future is 404 until its publish time, then live without any job running', async () => {
    const id = await makeContent({ publishAt: new Date(stack.clock.now() + 2 * MINUTE).toISOString() });
    await expectRefused(id, verified);
    stack.clock.advance(3 * MINUTE);
    await expectServed(id, verified);
  });

  it('an expired item is 404 once its expiry time has passed', async () => {
    const id = await makeContent({ expireAt: new Date(stack.clock.now() + 2 * MINUTE).toISOString() });
    await expectServed(id, verified);
    stack.clock.advance(3 * MINUTE);
    await expectRefused(id, verified);
    expect((await stack.http.get(`/api/admin/content/${id}`, marketing.token)).body).toMatchObject({ status: 'expired', liveVersion: null });
  });

  it('an item for segments the doctor is not in is 404; a member of one of them is served', async () => {
    const mine = await segmentOf([verified]);
    const other = await segmentOf([]);
    const id = await makeContent({ segmentIds: [other, mine] });
    await expectServed(id, verified);
    await expectRefused(id, unverified);
    const onlyOther = await makeContent({ segmentIds: [other] });
    await expectRefused(onlyOther, verified);
  });

  it('ignores membership of a deleted segment', async () => {
    const seg = await segmentOf([verified]);
    const id = await makeContent({ segmentIds: [seg] });
    await expectServed(id, verified);
    await stack.deps.pool.query('UPDATE rule_definitions SET deleted_at = NOW(3) WHERE id = ?', [seg]);
    await expectRefused(id, verified);
  });

  it('Rx-only material for a doctor who is not a verified HCP is 403 RX_ONLY', async () => {
    const id = await makeContent({ rxOnly: true });
    await expectRefused(id, unverified, 403, 'RX_ONLY');
    const pending = await makeDoctor(stack, { until: 'pending' });
    await expectRefused(id, pending, 403, 'RX_ONLY');
  });

  it('Rx-only material outside the audience is 404, not 403 (existence is not revealed)', async () => {
    const seg = await segmentOf([verified]);
    const id = await makeContent({ rxOnly: true, segmentIds: [seg] });
    await expectRefused(id, unverified, 404);
  });

  it('an unknown item is 404, a malformed id 400, and staff tokens are refused', async () => {
    expect((await read('999999', verified)).status).toBe(404);
    expect((await read('abc', verified)).status).toBe(400);
    expect((await stack.http.get('/api/content/1', marketing.token)).status).toBe(403);
    expect((await stack.http.get('/api/content/1')).status).toBe(401);
  });
});

describe('Rx-only material for verified HCPs', () => {
  it('is served with the notice 本资料仅供医学药学专业人士阅读', async () => {
    const id = await makeContent({ rxOnly: true });
    const body = await expectServed(id, verified);
    expect(body).toMatchObject({ rxOnly: true, notice: RX_NOTICE });
    expect(RX_NOTICE).toBe('本资料仅供医学药学专业人士阅读');
    expect((await eligibleContentFor(stack.deps, verified.id, stack.clock.now())).find((c) => c.id === id)?.rxOnly).toBe(true);
  });
});

describe('versions', () => {
  it('keeps serving the published version while a new one is reviewed, and switches when it is published', async () => {
    const id = await makeContent({ title: '第一版' });
    expect((await read(id, verified)).body.title).toBe('第一版');
    expect((await stack.http.put(`/api/admin/content/${id}`, article({ title: '第二版' }), marketing.token)).body).toEqual({ id, status: 'draft', version: 2 });
    expect((await read(id, verified)).body.title).toBe('第一版');
    await step(id, 'submit', marketing.token);
    await step(id, 'approve', medical.token);
    expect((await read(id, verified)).body.title).toBe('第一版');
    expect(await step(id, 'publish', marketing.token)).toEqual({ id, status: 'published', version: 2 });
    expect((await read(id, verified)).body.title).toBe('第二版');
    const eligible = (await eligibleContentFor(stack.deps, verified.id, stack.clock.now())).filter((c) => c.id === id);
    expect(eligible.map((c) => c.title)).toEqual(['第二版']);
    const item = (await stack.http.get(`/api/admin/content/${id}`, marketing.token)).body;
    expect(item).toMatchObject({ status: 'published', version: 2, liveVersion: 2 });
    expect(item.versions.map((v: { status: string }) => v.status)).toEqual(['superseded', 'published']);
  });

  it('a new version scheduled for later replaces the old one at its publish time', async () => {
    const id = await makeContent({ title: '旧版' });
    await stack.http.put(`/api/admin/content/${id}`, article({ title: '新版', publishAt: new Date(stack.clock.now() + 2 * MINUTE).toISOString() }), marketing.token);
    await step(id, 'submit', marketing.token);
    await step(id, 'approve', medical.token);
    expect((await step(id, 'publish', marketing.token)).status).toBe('scheduled');
    expect((await read(id, verified)).body.title).toBe('旧版');
    stack.clock.advance(3 * MINUTE);
    expect((await read(id, verified)).body.title).toBe('新版');
    const item = (await stack.http.get(`/api/admin/content/${id}`, marketing.token)).body;
    expect(item.versions.map((v: { status: string }) => v.status)).toEqual(['superseded', 'published']);
  });

  it('a new version that narrows the audience hides the item from those outside it', async () => {
    const seg = await segmentOf([verified]);
    const id = await makeContent();
    await stack.http.put(`/api/admin/content/${id}`, article({ segmentIds: [seg] }), marketing.token);
    await step(id, 'submit', marketing.token);
    await step(id, 'approve', medical.token);
    await expectServed(id, unverified);
    await step(id, 'publish', marketing.token);
    await expectRefused(id, unverified);
    await expectServed(id, verified);
  });
});

describe('topicsOfContent and contentInfoOf', () => {
  it('gives each item its topics (of the published version), skipping unknown ids', async () => {
    const a = await makeContent({ topics: ['diabetes', 'obesity'] });
    const b = await makeContent({ topics: ['asthma'] }, 'draft');
    // a new draft version of `a` with other topics does not change what doctors read
    await stack.http.put(`/api/admin/content/${a}`, article({ topics: ['copd'] }), marketing.token);
    const topics = await topicsOfContent(stack.deps.pool, [a, b, '999999', 'junk']);
    expect(topics).toEqual(
      new Map([
        [a, ['diabetes', 'obesity']],
        [b, ['asthma']],
      ]),
    );
    const v = await makeContent({ type: 'video', body: undefined, videoUrl: 'https://v.example.com/a.mp4', topics: ['stroke'] });
    expect(await contentInfoOf(stack.deps.pool, [a, v])).toEqual(
      new Map([
        [a, { topics: ['diabetes', 'obesity'], format: 'article' }],
        [v, { topics: ['stroke'], format: 'video' }],
      ]),
    );
  });
});
