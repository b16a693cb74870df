/**
 * The predictive tags job on the real database: a synthetic world written through the events
 * table, folded by recompute, then the job trains both models, stores their summaries (with the
 * training time and holdout AUCs) and writes predict: tags with scores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEvent, emptyActivity, type Catalogue } from '../src/domains/tags/activity.js';
import { dormancyFeatures, dormancyLabel, liveFeatures, liveLabel } from '../src/domains/tags/predict.js';
import { recompute } from '../src/domains/tags/recompute.js';
import { DEFAULT_SETTINGS } from '../src/domains/tags/settings.js';
import { makeWorld, worldEvents } from '../src/dev/generator.js';
import { makeStaff } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ engine: false });
});
afterAll(() => stack.close());

const DAY = 86_400_000;

describe('features and labels', () => {
  it('read the past only for features and the future only for labels', () => {
    const T = Date.UTC(2026, 9, 1, 16); // 00:00 China time, Oct 2
    const state = emptyActivity();
    const aff = new Map();
    const cat: Catalogue = { content: new Map([['1', { topics: ['hypertension'] }]]), live: new Map([['9', { topics: ['hypertension'] }]]), campaign: new Map() };
    const ev = (type: 'content_read' | 'live_register', ts: number) =>
      applyEvent(state, aff, { id: '1', hcpId: '1', type, ts, scene: null, props: type === 'live_register' ? { live_id: '9' } : { content_id: '1', dwell_ms: 90_000, scroll_depth: 1 } }, cat, DEFAULT_SETTINGS);
    ev('content_read', T - 10 * DAY);
    ev('content_read', T - 3 * DAY);
    ev('live_register', T - 20 * DAY);
    const before = dormancyFeatures(state, T)!;
    expect(before.slice(0, 5)).toEqual([3, 1, 3, 3, 3]);
    expect(dormancyLabel(state, T)).toBe(1);
    ev('content_read', T + 5 * DAY);
    ev('live_register', T + 8 * DAY);
    // Later events change labels, never the features as of T.
    expect(dormancyFeatures(state, T)).toEqual(before);
    expect(dormancyLabel(state, T)).toBe(0);
    const week0 = Math.floor(T / (7 * DAY)) * 7 * DAY;
    expect(liveFeatures(state, 'hypertension', week0, 30)[1]).toBe(1);
    expect(liveLabel(state, 'hypertension', week0)).toBe(1);
  });
});

describe('the prediction job', () => {
  it('trains on the stored history, reports holdout AUCs and writes scored predict: tags', async () => {
    const end = stack.clock.now();
    const o = { doctors: 400, events: 60_000, days: 120, end, seed: 11, contents: 40, lives: 20 };
    const world = makeWorld(o);
    const at = new Date(end - 120 * DAY);
    const ids: string[] = [];
    for (const d of world.doctors) {
      const [res] = await stack.deps.pool.query<import('mysql2').ResultSetHeader>(
        "INSERT INTO hcps (name, department, title, lifecycle_stage, lifecycle_since, verification_status, created_at, updated_at) VALUES (?, ?, ?, 'verified', ?, 'verified', ?, ?)",
        [`预测${d.index}`, d.department, d.title, at, at, at],
      );
      ids.push(String(res.insertId));
    }
    const rows: unknown[][] = [];
    for (const e of worldEvents(world, o)) rows.push([ids[e.doctor], e.eventId, e.type, new Date(e.ts), new Date(end), e.sessionId, 'pages/index/index', e.scene, JSON.stringify(e.props)]);
    for (let i = 0; i < rows.length; i += 2000) {
      const chunk = rows.slice(i, i + 2000);
      await stack.deps.pool.query(`INSERT INTO events (hcp_id, event_id, type, client_ts, received_at, session_id, page, scene, props) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`, chunk.flat());
    }
    // The generator's catalogue stands in for content and live streams.
    const itemSources = {
      content: async (_db: unknown, wanted: string[]) => new Map(wanted.filter((id) => world.contents[Number(id) - 1]).map((id) => [id, { topics: world.contents[Number(id) - 1]!.topics, format: world.contents[Number(id) - 1]!.format }])),
      live: async (_db: unknown, wanted: string[]) => new Map(wanted.filter((id) => world.lives[Number(id) - 1]).map((id) => [id, { topics: world.lives[Number(id) - 1]!.topics }])),
    };
    await recompute(stack.deps, { itemSources });

    const admin = await makeStaff(stack, 'admin');
    expect((await stack.http.get('/api/admin/engine/models', admin.token)).status).toBe(404);
    const res = await stack.http.post('/api/admin/engine/models/retrain', {}, admin.token);
    expect(res.status).toBe(200);
    expect(res.body.trainedAt).toBe(new Date(end).toISOString());
    for (const m of [res.body.dormancy, res.body.live]) {
      expect(m.rows).toBeGreaterThan(100);
      expect(m.auc).toBeGreaterThan(0.6);
      expect(m.features.length).toBe(m.model.weights.length);
    }
    expect((await stack.http.get('/api/admin/engine/models', admin.token)).body.trainedAt).toBe(res.body.trainedAt);

    const [tags] = await stack.deps.pool.query<import('mysql2').RowDataPacket[]>("SELECT tag_key, value, score, updated_at FROM hcp_tags WHERE tag_key LIKE 'predict:%'");
    const risk = tags.filter((t) => t.tag_key === 'predict:dormancy_risk');
    expect(risk.length).toBeGreaterThan(200);
    expect(new Set(risk.map((t) => t.value))).toEqual(new Set(['高', '中', '低']));
    for (const t of tags) {
      expect(t.score).toBeGreaterThanOrEqual(0);
      expect(t.score).toBeLessThanOrEqual(1);
      expect((t.updated_at as Date).getTime()).toBe(end);
    }
    expect(tags.some((t) => String(t.tag_key).startsWith('predict:live:'))).toBe(true);
  }, 120_000);
});
