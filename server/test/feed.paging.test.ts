/**
 * Paging through the feed: a ranking snapshot makes the pages of one session add up to exactly
 * the first ranking (no item twice, none skipped) even when the doctor's reading changes the
 * ranking between pages; cursors are the doctor's own and expire; and every item shown is
 * recorded as an impression with its position, in batches. A session paging past the first
 * ranking has it continued without repeating or skipping anything.
 */
import type { FeedItem } from '@hcp360/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishSyntheticCatalogue, type SyntheticItem } from '../src/domains/content/bulkPublish.js';
import { PAGING } from '../src/domains/feed/feedWeights.js';
import { impressionsOf } from '../src/domains/feed/impressions.js';
import { SnapshotCursors } from '../src/domains/feed/snapshots.js';
import type { RowDataPacket } from '../src/platform/db.js';
import { makeDoctor, type TestDoctor } from './factories.js';
import { feed, ids, publisher, read, settle, wholeFeed, type Publisher } from './feedSupport.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
let pub: Publisher;
const TOPICS = ['hypertension', 'diabetes', 'copd', 'stroke', 'lung_cancer', 'thyroid'] as const;
const byTopic = new Map<string, string[]>();
let doctor: TestDoctor;

beforeAll(async () => {
  stack = await startStack();
  pub = await publisher(stack);
  for (const topic of TOPICS) {
    const list: string[] = [];
    for (let i = 0; i < 4; i++) list.push(await pub.publish({ title: `${topic} ${i}`, topics: [topic], priority: 20 + i * 10 }));
    byTopic.set(topic, list);
  }
  doctor = await makeDoctor(stack);
  await read(stack, doctor, byTopic.get('hypertension')!.slice(0, 1));
  await settle(stack);
});
afterAll(() => stack.close());

const cursorOf = (c: string | null) => encodeURIComponent(c!);

describe('paging', () => {
  it('returns every item exactly once across pages, even when reading between pages changes the ranking', async () => {
    const first = await feed(stack, doctor, 'limit=5');
    expect(first.items).toHaveLength(5);
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]{54,}\.5$/);

    // Between pages the doctor reads all of diabetes: a new ranking would now lead with it.
    await read(stack, doctor, byTopic.get('diabetes')!.slice(0, 2));
    await settle(stack);
    const fresh = ids((await feed(stack, doctor, 'limit=24')).items);

    const seen: FeedItem[] = [...first.items];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await feed(stack, doctor, `limit=5&cursor=${cursorOf(cursor)}`);
      expect(page.topics).toBeUndefined();
      seen.push(...page.items);
      cursor = page.nextCursor;
    }
    const all = ids(seen);
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(new Set([...byTopic.values()].flat()));
    // The session kept its own order: the items it had not reached yet were not re-ranked.
    expect(all.slice(5)).not.toEqual(fresh.filter((id) => !ids(first.items).includes(id)));
  });

  it('answers one page with no cursor when everything fits', async () => {
    const page = await feed(stack, doctor, 'limit=50');
    expect(page.items).toHaveLength(24);
    expect(page.nextCursor).toBeNull();
  });
});

describe('cursors', () => {
  it("refuse another doctor's cursor, an altered one, a made-up one, and one for another topic filter", async () => {
    const other = await makeDoctor(stack);
    const mine = (await feed(stack, doctor, 'limit=2')).nextCursor!;
    const theirs = await stack.http.get(`/api/feed?cursor=${cursorOf(mine)}`, other.token);
    expect(theirs.status).toBe(400);
    expect(theirs.body.error.code).toBe('FEED_CURSOR_INVALID');
    // The snapshot travels in the cursor, signed: a changed character is not a cursor this server made.
    const altered = `${mine.slice(0, 30)}${mine[30] === 'A' ? 'B' : 'A'}${mine.slice(31)}`;
    const tampered = await stack.http.get(`/api/feed?cursor=${cursorOf(altered)}`, doctor.token);
    expect(tampered.status).toBe(400);
    expect(tampered.body.error.code).toBe('FEED_CURSOR_INVALID');
    const madeUp = await stack.http.get('/api/feed?cursor=not-a-cursor', doctor.token);
    expect(madeUp.body.error.code).toBe('FEED_CURSOR_INVALID');
    const otherTopic = await stack.http.get(`/api/feed?topic=copd&cursor=${cursorOf(mine)}`, doctor.token);
    expect(otherTopic.body.error.code).toBe('FEED_CURSOR_INVALID');
  });

  it('refuse a query that is not one (bad limit, unknown topic, a field twice or unknown) with 400 VALIDATION_FAILED naming the field', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=51', 'limit'],
      ['limit=ten', 'limit'],
      ['limit=2&limit=3', 'limit'],
      ['topic=not_a_topic', 'topic'],
      ['topic=copd&topic=stroke', 'topic'],
      ['cursor=', 'cursor'],
      ['sort=newest', ''],
    ] as const) {
      const res = await stack.http.get(`/api/feed?${query}`, doctor.token);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { path: string }) => d.path), query).toContain(field);
      expect(res.body.error.message, query).toEqual(expect.any(String));
    }
  });

  it('expire after 30 minutes', async () => {
    const page = await feed(stack, doctor, 'limit=2');
    stack.clock.advance(31 * 60_000);
    // The access token expired too (15 minutes): refresh it as the app would.
    doctor.token = (await stack.http.post('/api/auth/refresh', { refreshToken: doctor.refreshToken })).body.token;
    const late = await stack.http.get(`/api/feed?cursor=${cursorOf(page.nextCursor)}`, doctor.token);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('FEED_CURSOR_EXPIRED');
  });
});

describe('impressions', () => {
  it('record each item shown with its position and reason, written in batches shortly after', async () => {
    const viewer = await makeDoctor(stack);
    const items = await wholeFeed(stack, viewer, 'limit=10');
    expect(items).toHaveLength(24);
    const rows = async () => (await impressionsOf(stack.deps.pool, viewer.id)).sort((a, b) => a.position - b.position);
    await expect.poll(async () => (await rows()).length, { timeout: 5000 }).toBe(24);
    const written = await rows();
    expect(written.map((r) => r.contentId)).toEqual(ids(items));
    expect(written.map((r) => r.position)).toEqual(items.map((_, i) => i));
    expect(written.map((r) => r.reasonKind)).toEqual(items.map((i) => i.reasonKind));
    expect(new Set(written.map((r) => r.snapshotToken)).size).toBe(1);
    expect(written[0]!.snapshotToken).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // One row per page shown: 24 items at 10 a page.
    const [pages] = await stack.deps.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM feed_page_impressions WHERE hcp_id = ?', [viewer.id]);
    expect(Number(pages[0]!.n)).toBe(3);
  });
});

describe('paging past the first ranking', () => {
  it('ranks further when a session reaches the end of its snapshot: still every item once, new items included', async () => {
    const staff = { author: { kind: 'staff' as const, id: pub.marketing.id, role: 'marketing' as const }, reviewer: { kind: 'staff' as const, id: pub.medical.id, role: 'medical' as const } };
    const synthetic = (n: number, from: number): SyntheticItem[] =>
      Array.from({ length: n }, (_, i) => ({
        type: 'article',
        title: `更多内容 ${from + i}`,
        summary: '摘要',
        body: '<p>正文</p>',
        videoUrl: null,
        topics: [TOPICS[i % TOPICS.length]!],
        rxOnly: false,
        priority: 10 + (i % 9) * 10,
        segmentIds: [],
        liveFrom: stack.clock.now() - (i + 1) * 3_600_000,
        expireAt: null,
      }));
    const more = await publishSyntheticCatalogue(stack.deps, staff, synthetic(PAGING.rankAhead, 0));
    const reader = await makeDoctor(stack);
    const first = await feed(stack, reader, 'limit=20');
    // Published after the first page: not in the first ranking, but in its continuation.
    const [late] = await publishSyntheticCatalogue(stack.deps, staff, synthetic(1, 1000));
    const seen = ids(first.items);
    let cursor = first.nextCursor;
    let lastCursor = cursor!;
    while (cursor) {
      lastCursor = cursor;
      const page = await feed(stack, reader, `limit=20&cursor=${cursorOf(cursor)}`);
      seen.push(...ids(page.items));
      cursor = page.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set([...byTopic.values()].flat().concat(more, [late!])));
    // The last cursor carried the session's ranking as extended past its first PAGING.rankAhead entries, in the order served.
    const { snapshot } = new SnapshotCursors(stack.deps.config.jwt.secret).open(reader.id, lastCursor, stack.clock.now());
    expect(snapshot.entries.length).toBeGreaterThan(PAGING.rankAhead);
    expect(snapshot.entries.map((e) => e.id)).toEqual(seen.slice(0, snapshot.entries.length));

    // Nothing changes while another doctor pages to the end: their kept ranking is continued, still every item once.
    const other = await makeDoctor(stack);
    const all: string[] = [];
    let next: string | null = null;
    do {
      const page = await feed(stack, other, next ? `limit=20&cursor=${cursorOf(next)}` : 'limit=20');
      all.push(...ids(page.items));
      next = page.nextCursor;
    } while (next);
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(new Set(seen));
  });
});
