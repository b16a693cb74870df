/**
 * A doctor's library: 我的收藏 (latest content_favorite on), 阅读历史 (most recent read first),
 * search over what they may see, and their own like/favourite state of an item. Each list holds
 * only items the doctor may still see, and pages with nextCursor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anEvent, makeDoctor, postEvents, type TestDoctor } from './factories.js';
import { ids, publisher, type Publisher } from './feedSupport.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
let pub: Publisher;
let doctor: TestDoctor;
const SECOND = 1000;
const at = (secondsAgo: number) => stack.clock.now() - secondsAgo * SECOND;

beforeAll(async () => {
  stack = await startStack();
  pub = await publisher(stack);
  doctor = await makeDoctor(stack, { until: 'registered' });
});
afterAll(() => stack.close());

const get = async (path: string, d = doctor) => {
  const res = await stack.http.get(path, d.token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const favorite = (id: string, on: boolean, secondsAgo: number) => anEvent(stack, 'content_favorite', { content_id: id, on }, at(secondsAgo));

describe('我的收藏', () => {
  it('lists items whose latest favourite is on, newest first, leaving out what the doctor may no longer see', async () => {
    const [a, b, c, gone] = [await pub.publish(), await pub.publish(), await pub.publish(), await pub.publish()];
    const rx = await pub.publish({ rxOnly: true });
    await postEvents(stack, doctor, [favorite(a, true, 50), favorite(b, true, 40), favorite(c, true, 30), favorite(b, false, 20), favorite(gone, true, 10), favorite(rx, true, 5)]);
    await stack.http.post(`/api/admin/content/${gone}/archive`, {}, pub.marketing.token);

    const body = await get('/api/me/favorites');
    expect(ids(body.items)).toEqual([c, a]);
    expect(body.items[0]).toMatchObject({ title: expect.any(String), topicLabels: ['高血压'], at: new Date(at(30)).toISOString() });
    const first = await get('/api/me/favorites?limit=1');
    expect(ids(first.items)).toEqual([c]);
    expect(ids((await get(`/api/me/favorites?limit=1&cursor=${first.nextCursor}`)).items)).toEqual([a]);
  });
});

describe('阅读历史', () => {
  it('lists what was read, most recently read first, each once', async () => {
    const reader = await makeDoctor(stack);
    const [x, y, z] = [await pub.publish(), await pub.publish(), await pub.publish()];
    const readOf = (id: string, secondsAgo: number) => anEvent(stack, 'content_read', { content_id: id, dwell_ms: 20_000, scroll_depth: 0.5 }, at(secondsAgo));
    await postEvents(stack, reader, [readOf(x, 300), readOf(y, 200), readOf(x, 100), anEvent(stack, 'content_view', { content_id: z })]);
    const body = await get('/api/me/history', reader);
    expect(ids(body.items)).toEqual([x, y]);
    expect(body.items[0].at).toBe(new Date(at(100)).toISOString());
    expect(body.nextCursor).toBeNull();
  });
});

describe('search', () => {
  it('matches every word in the title, summary or topic label, title hits first, only among visible items', async () => {
    const inTitle = await pub.publish({ title: '房颤抗凝新进展', topics: ['atrial_fibrillation'] });
    const inSummary = await pub.publish({ title: '心律失常专题', topics: ['atrial_fibrillation'] });
    const rx = await pub.publish({ title: '房颤抗凝药物剂量', topics: ['atrial_fibrillation'], rxOnly: true });
    const search = async (q: string, d = doctor) => ids((await get(`/api/content/search?q=${encodeURIComponent(q)}`, d)).items);

    expect(await search('抗凝')).toEqual([inTitle]);
    expect(await search('房颤')).toEqual([inTitle, inSummary]);
    expect(await search('房颤 抗凝')).toEqual([inTitle]);
    expect(await search('测试摘要 心律')).toEqual([inSummary]);
    const verified = await makeDoctor(stack, { until: 'verified' });
    expect(await search('抗凝', verified)).toEqual([rx, inTitle]);
  });

  it('needs a query', async () => {
    const res = await stack.http.get('/api/content/search?q=%20', doctor.token);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('reactions', () => {
  it("are the doctor's own latest like and favourite of an item", async () => {
    const id = await pub.publish();
    expect(await get(`/api/content/${id}/reactions`)).toEqual({ liked: false, favorited: false });
    await postEvents(stack, doctor, [anEvent(stack, 'content_like', { content_id: id, on: true }, at(3)), favorite(id, true, 2)]);
    expect(await get(`/api/content/${id}/reactions`)).toEqual({ liked: true, favorited: true });
    await postEvents(stack, doctor, [anEvent(stack, 'content_like', { content_id: id, on: false }, at(1))]);
    expect(await get(`/api/content/${id}/reactions`)).toEqual({ liked: false, favorited: true });
    const other = await makeDoctor(stack);
    expect(await get(`/api/content/${id}/reactions`, other)).toEqual({ liked: false, favorited: false });
  });
});
