/**
 * How the feed ranks for a doctor with history: a strong interest leads with the matching reason,
 * what was read sinks, one main topic never fills three slots in a row, items shown often without
 * a click fall, and the topic filter and its facets. Affinity comes from real events processed by
 * the stack's engine.
 */
import type { FeedItem } from '@hcp360/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { impressionsOf } from '../src/domains/feed/impressions.js';
import { anEvent, makeDoctor, makeStaff, postEvents, type TestDoctor } from './factories.js';
import { feed, ids, publisher, read, settle, wholeFeed, type Publisher } from './feedSupport.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
let pub: Publisher;
const H: string[] = [];
const other: Record<string, string> = {};
let fan: TestDoctor;

beforeAll(async () => {
  stack = await startStack();
  pub = await publisher(stack);
  for (let i = 1; i <= 6; i++) H.push(await pub.publish({ title: `高血压管理要点 ${i}`, topics: ['hypertension'], priority: 40 }));
  for (const [topic, priority] of [['diabetes', 90], ['lung_cancer', 60], ['copd', 50], ['asthma', 50], ['stroke', 50], ['osteoporosis', 50], ['thyroid', 50]] as const) {
    other[topic] = await pub.publish({ title: `${topic} 临床进展`, topics: [topic], priority });
  }
  fan = await makeDoctor(stack);
  await read(stack, fan, [H[0]!, H[1]!]);
  await settle(stack);
});
afterAll(() => stack.close());

const mainTopicRuns = (items: FeedItem[]) => {
  let longest = 0;
  let run = 0;
  items.forEach((item, i) => {
    run = i > 0 && item.topics[0] === items[i - 1]!.topics[0] ? run + 1 : 1;
    longest = Math.max(longest, run);
  });
  return longest;
};

describe('a doctor who reads hypertension', () => {
  it('gets unread hypertension items first, each saying 因为你关注「高血压」', async () => {
    const page = await feed(stack, fan, 'limit=2');
    expect(ids(page.items).every((id) => H.slice(2).includes(id))).toBe(true);
    for (const item of page.items) {
      expect(item.reason).toBe('因为你关注「高血压」');
      expect(item.reasonKind).toBe('affinity');
      expect(item).toMatchObject({ type: 'article', topics: ['hypertension'], topicLabels: ['高血压'], rxOnly: false, summary: '测试摘要' });
    }
  });

  it('sees what they already read below everything unread', async () => {
    const all = ids(await wholeFeed(stack, fan));
    expect(all).toHaveLength(H.length + Object.keys(other).length);
    const firstRead = Math.min(all.indexOf(H[0]!), all.indexOf(H[1]!));
    expect(firstRead).toBe(all.length - 2);
  });

  it('never gets three items of one main topic in a row', async () => {
    const items = await wholeFeed(stack, fan);
    expect(ids(items.slice(0, 5)).filter((id) => H.includes(id))).toHaveLength(4);
    expect(mainTopicRuns(items)).toBeLessThanOrEqual(2);
  });

  it('explains items without a matching interest by priority or freshness', async () => {
    const items = await wholeFeed(stack, fan);
    expect(items.find((i) => i.id === other.diabetes)).toMatchObject({ reason: '编辑推荐', reasonKind: 'editor' });
    expect(items.find((i) => i.id === other.copd)).toMatchObject({ reason: '新上线', reasonKind: 'fresh' });
  });
});

describe('impressions without a click', () => {
  it('push an item down after it was shown more than three times, until the doctor opens it', async () => {
    const doctor = await makeDoctor(stack);
    const admin = await makeStaff(stack, 'admin');
    const preview = async () => (await stack.http.get(`/api/admin/hcps/${doctor.id}/feed-preview?limit=50`, admin.token)).body.items as { id: string; score: { impressionPenalty: number } }[];
    const top = (await feed(stack, doctor, 'limit=1')).items[0]!.id;
    for (let i = 0; i < 5; i++) await feed(stack, doctor, 'limit=1');
    // Impressions are written by a buffer flushed every second: wait for all six.
    const shown = async () => (await impressionsOf(stack.deps.pool, doctor.id)).length;
    await expect.poll(shown, { timeout: 5000 }).toBe(6);
    expect((await preview()).find((p) => p.id === top)!.score.impressionPenalty).toBeGreaterThan(0);
    expect((await feed(stack, doctor, 'limit=1')).items[0]!.id).not.toBe(top);

    stack.clock.advance(60_000);
    await postEvents(stack, doctor, [anEvent(stack, 'content_view', { content_id: top })]);
    expect((await preview()).find((p) => p.id === top)!.score.impressionPenalty).toBe(0);
  });
});

describe('the topic filter', () => {
  it('keeps only items of the topic, and the first page lists topics with the doctor’s interests first', async () => {
    const first = await feed(stack, fan);
    expect(first.topics![0]).toEqual({ topic: 'hypertension', label: '高血压', count: 6 });
    expect(first.topics!.map((t) => t.topic)).toEqual(expect.arrayContaining(['diabetes', 'copd', 'thyroid']));
    const diabetes = await feed(stack, fan, 'topic=diabetes');
    expect(ids(diabetes.items)).toEqual([other.diabetes]);
    expect(diabetes.nextCursor).toBeNull();
  });

  it('refuses an unknown topic and a limit out of range', async () => {
    expect((await stack.http.get('/api/feed?topic=cardio', fan.token)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await stack.http.get('/api/feed?limit=51', fan.token)).status).toBe(400);
  });
});
