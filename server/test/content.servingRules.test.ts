/**
 * The serving rules are written twice (content/eligibility.ts: SQL for GET /api/content/:id, and
 * in memory for the serving catalogue the feed, search and the library read). Here the two answer
 * the same on random content: items with several versions in every stored status, live_from and
 * expire_at around `now` (some equal to it), audiences, Rx-only, and random doctors (segments,
 * verification). Rows are written straight into a real database, read back by the SQL predicate
 * and by a fresh serving catalogue, and by the in-memory rules over the same rows. Also: a catalogue
 * that was not told of a change (another instance's) picks it up from content_revision.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serves, servingPredicate, type ServingFacts, type Viewer } from '../src/domains/content/eligibility.js';
import { publishSyntheticCatalogue } from '../src/domains/content/bulkPublish.js';
import { ServingCatalogue } from '../src/domains/content/servingCatalogue.js';
import type { RowDataPacket } from '../src/platform/db.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ engine: false });
});
afterAll(() => stack.close());

const T0 = Date.UTC(2026, 10, 26, 2);
const MIN = 60_000;
const SEGMENTS = ['7', '8', '9'];
const STATUSES = ['draft', 'in_review', 'approved', 'published', 'published', 'superseded', 'archived'];
const instant = fc.option(fc.constantFrom(-2, -1, 0, 1, 2).map((k) => T0 + k * MIN), { nil: null });

const version = fc.record({
  status: fc.constantFrom(...STATUSES),
  liveFrom: instant,
  expireAt: instant,
  audienceAll: fc.boolean(),
  segmentIds: fc.subarray(SEGMENTS),
  rxOnly: fc.boolean(),
});
const content = fc.array(fc.array(version, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 });
const viewer = fc.record({ segmentIds: fc.subarray(SEGMENTS), verified: fc.boolean() });
const now = fc.constantFrom(-2, -1, 0, 1, 2, 3).map((k) => T0 + k * MIN - (k % 2) * 1);

async function write(items: ServingFacts[][]): Promise<Map<string, ServingFacts>> {
  const { pool } = stack.deps;
  for (const t of ['content_audience', 'content_topics', 'content_versions', 'content_items']) await pool.query(`DELETE FROM ${t}`);
  const byVersionId = new Map<string, ServingFacts>();
  let versionId = 0;
  for (const [i, versions] of items.entries()) {
    const itemId = String(i + 1);
    await pool.query("INSERT INTO content_items (id, content_type, author_id, latest_version_no, created_at, updated_at) VALUES (?, 'article', 1, ?, NOW(3), NOW(3))", [itemId, versions.length]);
    for (const [k, v] of versions.entries()) {
      const id = String(++versionId);
      await pool.query(
        `INSERT INTO content_versions (id, item_id, version_no, status, title, rx_only, priority, audience_all, expire_at, live_from, author_id, edited_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 50, ?, ?, ?, 1, 1, NOW(3), NOW(3))`,
        [id, itemId, k + 1, v.status, `v${id}`, v.rxOnly ? 1 : 0, v.audienceAll ? 1 : 0, v.expireAt === null ? null : new Date(v.expireAt), v.liveFrom === null ? null : new Date(v.liveFrom)],
      );
      await pool.query("INSERT INTO content_topics (version_id, topic) VALUES (?, 'hypertension')", [id]);
      if (v.segmentIds.length) await pool.query('INSERT INTO content_audience (version_id, segment_id) VALUES ?', [v.segmentIds.map((s) => [id, s])]);
      byVersionId.set(id, { ...v, itemId, versionNo: k + 1 });
    }
  }
  return byVersionId;
}

async function bySql(w: Viewer, at: number, rx: boolean): Promise<string[]> {
  const where = servingPredicate(w, at, { rx });
  const [rows] = await stack.deps.pool.query<RowDataPacket[]>(`SELECT v.id FROM content_versions v WHERE ${where.sql} ORDER BY v.id`, where.params);
  return rows.map((r) => String(r.id));
}

describe('the serving rules', () => {
  it('select the same versions in SQL, in memory and through the serving catalogue', async () => {
    await fc.assert(
      fc.asyncProperty(content, fc.array(fc.tuple(viewer, now), { minLength: 1, maxLength: 4 }), async (items, asks) => {
        const facts = await write(items.map((vs, i) => vs.map((v, k) => ({ ...v, itemId: String(i + 1), versionNo: k + 1 }))));
        const all = [...facts.entries()];
        const siblingsOf = (f: ServingFacts) => all.map(([, g]) => g).filter((g) => g.itemId === f.itemId);
        const catalogue = new ServingCatalogue(stack.deps.pool);
        for (const [w, at] of asks) {
          for (const rx of [true, false]) {
            const inMemory = all.filter(([, f]) => serves(f, siblingsOf(f), w, at, { rx })).map(([id]) => id);
            expect(inMemory, JSON.stringify({ w, at, rx })).toEqual(await bySql(w, at, rx));
          }
          const served = (await catalogue.servedAt(at)).viewFor(w).items.map((c) => c.title.slice(1)).sort((a, b) => Number(a) - Number(b));
          expect(served).toEqual(await bySql(w, at, true));
        }
      }),
      { numRuns: 120 },
    );
  });
});

describe('a serving catalogue of another instance', () => {
  it('picks up content published elsewhere within its check interval', async () => {
    const elsewhere = new ServingCatalogue(stack.deps.pool, 50);
    const everyone: Viewer = { segmentIds: [], verified: true };
    const count = async () => (await elsewhere.servedAt(stack.clock.now())).viewFor(everyone).items.length;
    const before = await count();
    const staff = { author: { kind: 'staff' as const, id: '1', role: 'marketing' as const }, reviewer: { kind: 'staff' as const, id: '2', role: 'medical' as const } };
    await publishSyntheticCatalogue(stack.deps, staff, [
      { type: 'article', title: '别处发布', summary: null, body: '<p>正文</p>', videoUrl: null, topics: ['stroke'], rxOnly: false, priority: 50, segmentIds: [], liveFrom: stack.clock.now() - 1000, expireAt: null },
    ]);
    await expect.poll(count, { timeout: 3000, interval: 20 }).toBe(before + 1);
  });
});
