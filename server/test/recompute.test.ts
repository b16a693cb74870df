/**
 * Incremental = recompute, property-based: random event streams for a few doctors (out of time
 * order, with invites between them, likes and unlikes, reads of items of several topics), posted
 * in random batches with the live tagger running in between, give exactly the derived state a
 * full recompute from the raw events gives.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recompute } from '../src/domains/tags/recompute.js';
import { Tagger } from '../src/domains/tags/tagger.js';
import { ITEM_SOURCES } from '../src/itemSources.js';
import { anEvent, loginDoctor, makeContent, makeDoctor, makeStaff, postEvents, type TestDoctor } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
// A tagger only this test drives (no timer), so a snapshot never races a background run.
let tagger: Tagger;
const items: string[] = [];
beforeAll(async () => {
  stack = await startStack({ env: { EVENTS_RATE_LIMIT_PER_MINUTE: '100000' }, engine: false });
  tagger = new Tagger(stack.deps, { itemSources: ITEM_SOURCES });
  const staff = { marketing: await makeStaff(stack, 'marketing'), medical: await makeStaff(stack, 'medical') };
  items.push(await makeContent(stack, { topics: ['hypertension'] }, staff));
  items.push(await makeContent(stack, { topics: ['diabetes', 'obesity'], type: 'video' }, staff));
  items.push(await makeContent(stack, { topics: ['lung_cancer'] }, staff));
  await stack.http.post('/api/admin/segments', { name: 'ht', rule: { affinity: 'hypertension', op: 'gte', value: 0.4 } }, staff.marketing.token);
});
afterAll(async () => {
  await tagger.stop();
  await stack.close();
});

/** Every derived table, in a comparable form (floats rounded: sums are added up in a different order). */
async function snapshot() {
  const q = async (sql: string) => (await stack.deps.pool.query(sql))[0] as Record<string, unknown>[];
  const round = (rows: Record<string, unknown>[]) =>
    rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(9)) : v instanceof Date ? v.toISOString() : v])));
  return {
    // as_of is the latest action time in any processing order, so raw scores compare directly.
    affinity: round(await q('SELECT hcp_id, topic, raw_score, as_of FROM hcp_topic_affinity ORDER BY hcp_id, topic')),
    activity: round(await q('SELECT hcp_id, content_views, content_reads, deep_reads, article_reads, video_reads, likes, favorites, shares, searches, cases_submitted, referred, meaningful_30d, arrival_channel, arrival_at, first_event_at, last_event_at, last_active_at, detail FROM hcp_activity ORDER BY hcp_id')).map(
      (r) => ({ ...r, detail: JSON.parse(String(r.detail)) }),
    ),
    tags: round(await q("SELECT hcp_id, tag_key, value, score FROM hcp_tags ORDER BY hcp_id, tag_key")),
    referrals: round(await q('SELECT referred_hcp_id, inviter_kind, inviter_id, share_id, at FROM referrals ORDER BY referred_hcp_id')),
    segments: round(await q('SELECT segment_id, hcp_id FROM segment_members ORDER BY segment_id, hcp_id')),
    stages: round(await q('SELECT id, lifecycle_stage FROM hcps ORDER BY id')),
  };
}

describe('incremental = recompute', () => {
  it('gives the same derived state for random event streams, whatever the batching', async () => {
    const doctors: TestDoctor[] = [await makeDoctor(stack, { until: 'verified' }), await makeDoctor(stack, { until: 'verified' }), await loginDoctor(stack), await loginDoctor(stack)];
    const now = stack.clock.now();
    const doctorIdx = fc.nat({ max: doctors.length - 1 });
    const at = fc.integer({ min: now - 20 * 86_400_000, max: now - 1000 });
    const item = fc.constantFrom(...items);
    const eventArb = fc.oneof(
      fc.record({ who: doctorIdx, e: fc.record({ type: fc.constant('content_read'), content_id: item, dwell_ms: fc.nat({ max: 300_000 }), scroll_depth: fc.double({ min: 0, max: 1, noNaN: true }), ts: at }) }),
      fc.record({ who: doctorIdx, e: fc.record({ type: fc.constant('content_like'), content_id: item, on: fc.boolean(), ts: at }) }),
      fc.record({ who: doctorIdx, e: fc.record({ type: fc.constant('content_view'), content_id: item, ts: at }) }),
      fc.record({ who: doctorIdx, e: fc.record({ type: fc.constant('search'), query: fc.constantFrom('高血压', '糖尿病 新药', '指南'), ts: at }) }),
      fc.record({ who: doctorIdx, e: fc.record({ type: fc.constant('invite_open'), inviter: doctorIdx.map((i) => `d${doctors[i]!.id}`), scene: fc.constantFrom(1007, 1008, 1047), ts: at }) }),
      fc.record({ who: doctorIdx, e: fc.record({ type: fc.constant('app_launch'), ts: at }) }),
    );
    const stream = fc.record({ events: fc.array(eventArb, { minLength: 1, maxLength: 60 }), cuts: fc.array(fc.nat({ max: 60 }), { maxLength: 6 }) });

    await fc.assert(
      fc.asyncProperty(stream, async ({ events, cuts }) => {
        // Post in batches cut at random points, letting the live tagger run after each.
        const bounds = [...new Set([0, ...cuts.filter((c) => c < events.length), events.length])].sort((a, b) => a - b);
        for (let b = 0; b + 1 < bounds.length; b++) {
          const slice = events.slice(bounds[b], bounds[b + 1]);
          for (let d = 0; d < doctors.length; d++) {
            const mine = slice.filter((x) => x.who === d).map(({ e }) => anEvent(stack, e.type, Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'type' && k !== 'ts')), e.ts));
            if (mine.length) await postEvents(stack, doctors[d]!, mine);
          }
          await tagger.runUntilIdle();
        }
        await tagger.runUntilIdle();
        const incremental = await snapshot();
        await recompute(stack.deps, { itemSources: ITEM_SOURCES, pageSize: 37 });
        const rebuilt = await snapshot();
        expect(rebuilt).toEqual(incremental);
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
