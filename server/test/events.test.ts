import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginDoctor, type TestDoctor } from './factories.js';
import { startStack, type Stack } from './harness.js';

let stack: Stack;
let doctor: TestDoctor;
beforeAll(async () => {
  stack = await startStack({ env: { EVENTS_RATE_LIMIT_PER_MINUTE: '100000' } });
  doctor = await loginDoctor(stack);
});
afterAll(() => stack.close());

let seq = 0;
const ev = (over: Record<string, unknown> = {}) => ({
  event_id: `ev-${process.pid}-${++seq}`,
  type: 'content_read',
  ts: stack.clock.now() - 1000,
  session_id: 'sess-1',
  page: 'pages/article/index',
  content_id: '42',
  dwell_ms: 65_000,
  scroll_depth: 0.9,
  ...over,
});
const post = (events: unknown, token = doctor.token) => stack.http.post('/api/events', { events }, token);

async function stored(hcpId: string) {
  const [rows] = await stack.deps.pool.query('SELECT event_id, type, client_ts, received_at, session_id, page, scene, props FROM events WHERE hcp_id = ? ORDER BY id', [hcpId]);
  return rows as { event_id: string; type: string; client_ts: Date; received_at: Date; page: string; scene: number | null; props: string }[];
}

describe('POST /api/events', () => {
  it('stores a valid batch with the client time and the server receive time', async () => {
    const d = await loginDoctor(stack);
    const e = ev({ scene: 1047 });
    const res = await post([e], d.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const [row] = await stored(d.id);
    expect(row).toMatchObject({ event_id: e.event_id, type: 'content_read', page: 'pages/article/index', scene: 1047 });
    expect(row!.client_ts.getTime()).toBe(e.ts);
    expect(row!.received_at.getTime()).toBe(stack.clock.now());
    expect(JSON.parse(row!.props)).toEqual({ content_id: '42', dwell_ms: 65_000, scroll_depth: 0.9 });
  });

  it('accepts the valid events of a batch and rejects the others by index with a code', async () => {
    const d = await loginDoctor(stack);
    const batch = [
      ev(),
      ev({ type: 'content_teleport' }),
      ev({ scroll_depth: 2 }),
      ev({ ts: stack.clock.now() + 11 * 60_000 }),
      ev({ ts: stack.clock.now() - 31 * 86_400_000 }),
      'not an object',
      ev({ type: 'search', query: '高血压', content_id: undefined, dwell_ms: undefined, scroll_depth: undefined }),
    ];
    const res = await post(batch, d.token);
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected.map((r: { index: number; code: string }) => [r.index, r.code])).toEqual([
      [1, 'EVENT_TYPE_UNKNOWN'],
      [2, 'EVENT_INVALID'],
      [3, 'TS_OUT_OF_RANGE'],
      [4, 'TS_OUT_OF_RANGE'],
      [5, 'EVENT_INVALID'],
    ]);
    expect(res.body.rejected[1].message).toMatch(/scroll_depth/);
    expect((await stored(d.id)).map((r) => r.type)).toEqual(['content_read', 'search']);
  });

  it('counts duplicates within a batch and across batches, storing each event once', async () => {
    const d = await loginDoctor(stack);
    const a = ev();
    const b = ev();
    expect((await post([a, b, a], d.token)).body).toEqual({ accepted: 2, duplicates: 1, rejected: [] });
    const c = ev();
    expect((await post([b, c, a], d.token)).body).toEqual({ accepted: 1, duplicates: 2, rejected: [] });
    expect((await stored(d.id)).map((r) => r.event_id)).toEqual([a.event_id, b.event_id, c.event_id]);
  });

  it('stores each event once when the same batch arrives twice at the same time', async () => {
    const d = await loginDoctor(stack);
    const batch = Array.from({ length: 40 }, () => ev());
    const answers = await Promise.all([post(batch, d.token), post(batch, d.token), post(batch, d.token)]);
    for (const a of answers) expect(a.status).toBe(200);
    expect(answers.reduce((n, a) => n + a.body.accepted, 0)).toBe(40);
    expect(answers.reduce((n, a) => n + a.body.duplicates, 0)).toBe(80);
    expect(await stored(d.id)).toHaveLength(40);
  });

  it('leaves no holes in event ids when a batch repeats stored events', async () => {
    const d = await loginDoctor(stack);
    const first = [ev(), ev()];
    await post(first, d.token);
    await post([...first, ev(), ev()], d.token);
    const [rows] = await stack.deps.pool.query('SELECT id FROM events WHERE hcp_id = ? ORDER BY id', [d.id]);
    const ids = (rows as { id: string }[]).map((r) => Number(r.id));
    expect(ids).toHaveLength(4);
    expect(ids[3]! - ids[2]!).toBe(1);
    expect(ids[2]! - ids[1]!).toBe(1);
  });

  it('keeps event_ids per doctor: the same id from two doctors is two events', async () => {
    const d1 = await loginDoctor(stack);
    const d2 = await loginDoctor(stack);
    const e = ev();
    expect((await post([e], d1.token)).body.accepted).toBe(1);
    expect((await post([e], d2.token)).body.accepted).toBe(1);
  });

  it('takes the doctor from the token: a body naming another doctor cannot write to that doctor', async () => {
    const victim = await loginDoctor(stack);
    const attacker = await loginDoctor(stack);
    const res = await post([ev({ hcp_id: victim.id }), ev({ hcpId: victim.id })], attacker.token);
    expect(res.body.accepted).toBe(0);
    expect(res.body.rejected.map((r: { code: string }) => r.code)).toEqual(['EVENT_INVALID', 'EVENT_INVALID']);
    const forged = await stack.http.post('/api/events', { events: [ev()], hcp_id: victim.id }, attacker.token);
    expect(forged.status).toBe(400);
    expect(await stored(victim.id)).toEqual([]);
  });

  it.each([
    ['no events', () => [], 400, 'BATCH_SIZE'],
    ['101 events', () => Array.from({ length: 101 }, () => ev()), 400, 'BATCH_SIZE'],
    ['events that is not an array', () => 'lots', 400, 'BATCH_SIZE'],
  ])('refuses %s with %s %s', async (_label, events, status, code) => {
    const res = await post(events());
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it('refuses malformed JSON with INVALID_JSON and a body over 256 KB with PAYLOAD_TOO_LARGE', async () => {
    const bad = await stack.http.request('POST', '/api/events', { raw: '{"events": [', headers: { 'content-type': 'application/json' }, token: doctor.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_JSON');
    const big = await post(Array.from({ length: 100 }, () => ev({ type: 'search', query: 'x'.repeat(3000), content_id: undefined, dwell_ms: undefined, scroll_depth: undefined })));
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('needs a doctor token', async () => {
    expect((await stack.http.post('/api/events', { events: [ev()] })).status).toBe(401);
  });

  it('rate-limits each doctor with 429 RATE_LIMITED and Retry-After, without touching other doctors', async () => {
    const limited = await startStack({ env: { EVENTS_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const d = await loginDoctor(limited);
      const other = await loginDoctor(limited);
      const send = (t: string) => limited.http.post('/api/events', { events: [ev()] }, t);
      for (let i = 0; i < 3; i++) expect((await send(d.token)).status).toBe(200);
      const res = await send(d.token);
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('RATE_LIMITED');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await send(other.token)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('fuzz: random bodies never cause a 5xx and never store an invalid event', async () => {
    const d = await loginDoctor(stack);
    let fuzzSeq = 0;
    // Mostly well-formed events of each type, with now and then a field gone wrong or an extra
    // field, plus arbitrary junk.
    const usually = <T,>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: good, weight: 8 }, { arbitrary: bad, weight: 1 });
    const envelope = {
      event_id: usually(fc.uuid(), fc.string({ maxLength: 80 })),
      ts: usually(fc.integer({ min: stack.clock.now() - 86_400_000, max: stack.clock.now() }), fc.oneof(fc.integer(), fc.double(), fc.string())),
      session_id: usually(fc.constant('sess-fuzz'), fc.string()),
      page: usually(fc.constant('pages/index/index'), fc.string({ maxLength: 200 })),
    };
    const contentId = usually(fc.constantFrom('7', '42'), fc.oneof(fc.string(), fc.integer(), fc.object()));
    const typed = {
      content_read: { content_id: contentId, dwell_ms: usually(fc.nat({ max: 600_000 }), fc.oneof(fc.double(), fc.string())), scroll_depth: usually(fc.double({ min: 0, max: 1, noNaN: true }), fc.double()) },
      search: { query: usually(fc.string({ minLength: 1, maxLength: 50 }).filter((q) => q.trim().length > 0), fc.object()) },
      content_like: { content_id: contentId, on: usually(fc.boolean(), fc.string()) },
      content_view: { content_id: contentId },
      page_view: {},
    };
    const wellFormed = fc.constantFrom(...(Object.keys(typed) as (keyof typeof typed)[])).chain((type) =>
      fc.record({
        ...envelope,
        type: usually(fc.constant(type), fc.string()),
        ...typed[type],
        // an unknown extra field one time in ten
        extra: fc.oneof({ arbitrary: fc.constant(undefined), weight: 9 }, { arbitrary: fc.anything(), weight: 1 }),
      }).map(({ extra, ...e }) => {
        // fast-check favours a few uuids; make well-formed ids unique so valid events are not all repeats.
        const id = typeof e.event_id === 'string' && /^[0-9a-f-]{36}$/.test(e.event_id) ? `${e.event_id}-${++fuzzSeq}` : e.event_id;
        return extra === undefined ? { ...e, event_id: id } : { ...e, event_id: id, extra };
      }),
    );
    const anyEvent = fc.oneof({ arbitrary: fc.anything(), weight: 1 }, { arbitrary: wellFormed, weight: 6 });
    const body = fc.oneof(fc.record({ events: fc.array(anyEvent, { minLength: 0, maxLength: 110 }) }), fc.anything());
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await stack.http.post('/api/events', b, d.token);
        expect(res.status).toBeLessThan(500);
        if (res.status === 200) expect(res.body.accepted + res.body.duplicates + res.body.rejected.length).toBe((b as { events: unknown[] }).events.length);
      }),
      // 300 runs: with 150, some seeds stored fewer than the 100 valid events checked below.
      { numRuns: 300 },
    );
    const { EventSchema } = await import('@hcp360/shared');
    const rows = await stored(d.id);
    expect(rows.length, 'the fuzz should also produce valid events').toBeGreaterThan(100);
    for (const row of rows) {
      const event = { ...JSON.parse(row.props), event_id: row.event_id, type: row.type, ts: row.client_ts.getTime(), session_id: 'x', page: row.page, ...(row.scene !== null && { scene: row.scene }) };
      expect(EventSchema.safeParse(event).success, JSON.stringify(event)).toBe(true);
    }
  }, 60_000);
});
