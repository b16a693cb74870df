import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventSchema } from '@hcp360/shared';
import { createTracker, DEFAULT_STORAGE_KEY, type TrackerOptions } from './core';
import { fakeEventServer, memoryStorage } from './testing/fakeEventServer';

type Server = ReturnType<typeof fakeEventServer>;

function setup(overrides: Partial<TrackerOptions> & { server?: Server; storage?: ReturnType<typeof memoryStorage> } = {}) {
  const server = overrides.server ?? fakeEventServer();
  const storage = overrides.storage ?? memoryStorage();
  const logger = { warn: vi.fn() };
  const tracker = createTracker({
    storage,
    transport: server.transport,
    context: () => ({ session_id: 's-1', page: 'pages/index/index', scene: 1007 }),
    logger,
    ...overrides,
  });
  return { server, storage, logger, tracker };
}

function trackSearches(tracker: ReturnType<typeof createTracker>, n: number): string[] {
  return Array.from({ length: n }, (_, i) => tracker.track('search', { query: `高血压 ${i}` }));
}

/** flush() under fake timers: lets (fake) time run until the flush resolves. */
async function flushed(tracker: ReturnType<typeof createTracker>, limitMs = 120_000): Promise<void> {
  let done = false;
  const flushing = tracker.flush().then(() => {
    done = true;
  });
  for (let waited = 0; !done; waited += 10) {
    if (waited > limitMs) throw new Error('flush() did not resolve');
    await vi.advanceTimersByTimeAsync(10);
  }
  await flushing;
}

function storedQueue(storage: ReturnType<typeof memoryStorage>) {
  const raw = storage.get(DEFAULT_STORAGE_KEY);
  return raw ? (JSON.parse(raw) as { dropped: number; events: { event_id: string; type: string }[] }) : null;
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('recording', () => {
  it('fills the envelope from the context and returns a valid, unique event_id', () => {
    const { tracker, storage } = setup();
    const ids = new Set(trackSearches(tracker, 200));
    const id = tracker.track('content_read', { content_id: '42', dwell_ms: 65_000, scroll_depth: 0.9 }, { page: 'pages/content/index' });
    expect(ids.size).toBe(200);
    expect(id).toMatch(/^[A-Za-z0-9_.:-]{1,64}$/);
    const event = storedQueue(storage)!.events.find((e) => e.event_id === id);
    expect(event).toEqual({
      event_id: id,
      type: 'content_read',
      ts: Date.now(),
      session_id: 's-1',
      page: 'pages/content/index',
      scene: 1007,
      content_id: '42',
      dwell_ms: 65_000,
      scroll_depth: 0.9,
    });
    expect(EventSchema.safeParse(event).success).toBe(true);
  });

  it('writes every event to storage before anything is sent', () => {
    const { tracker, storage, server } = setup();
    const id = tracker.track('app_launch', { path: 'pages/index/index' });
    expect(server.requests).toHaveLength(0);
    expect(storedQueue(storage)!.events.map((e) => e.event_id)).toEqual([id]);
  });

  it('starts no timer until the first track, and stop() clears them all', () => {
    const { tracker } = setup();
    expect(vi.getTimerCount()).toBe(0);
    tracker.track('search', { query: 'x' });
    expect(vi.getTimerCount()).toBe(1);
    tracker.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('delivery', () => {
  it('sends a lone event on the 3 s timer, and at once when 50 are waiting', async () => {
    const { tracker, server } = setup();
    tracker.track('search', { query: 'x' });
    await vi.advanceTimersByTimeAsync(2_900);
    expect(server.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);

    trackSearches(tracker, 50);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.events).toHaveLength(50);
  });

  it('offline for a while, then online: every event reaches the server exactly once and none stays queued', async () => {
    const { tracker, server, storage } = setup();
    server.setOffline(true);
    const ids: string[] = [];
    for (let minute = 0; minute < 5; minute += 1) {
      ids.push(...trackSearches(tracker, 30));
      await vi.advanceTimersByTimeAsync(60_000);
    }
    expect(server.stored.size).toBe(0);
    expect(tracker.stats().queued).toBe(150);

    server.setOffline(false);
    await vi.advanceTimersByTimeAsync(120_000);
    expect([...server.stored.keys()].sort()).toEqual([...ids].sort());
    expect(tracker.stats()).toMatchObject({ queued: 0, inFlight: 0, sent: 150, dropped: 0 });
    expect(storedQueue(storage)).toBeNull();
  });

  it('a 500 then a 200: nothing is lost, the batch is retried after a back-off', async () => {
    const { tracker, server } = setup({ random: () => 0.5 });
    server.script.push({ kind: 'status', status: 500 }, { kind: 'status', status: 503 });
    const ids = trackSearches(tracker, 10);
    await flushed(tracker);
    expect(tracker.stats().queued).toBe(10);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.requests).toHaveLength(3);
    expect([...server.stored.keys()].sort()).toEqual(ids.sort());
    expect(tracker.stats()).toMatchObject({ queued: 0, sent: 10 });
  });

  it('backs off exponentially with full jitter on network errors', async () => {
    const { tracker, server } = setup({ random: () => 0.999 });
    server.setOffline(true);
    tracker.track('search', { query: 'x' });
    await vi.advanceTimersByTimeAsync(40_000);
    const starts = server.requests.map((r) => r.at);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]! - 50); // minus the 50 ms answer time
    expect(gaps.slice(0, 5).map((g) => Math.round(g / 100) * 100)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);

    const jittered = setup({ random: () => 0.25 });
    jittered.server.setOffline(true);
    jittered.tracker.track('search', { query: 'x' });
    await vi.advanceTimersByTimeAsync(10_000);
    const t = jittered.server.requests.map((r) => r.at);
    expect(t[2]! - t[1]! - 50).toBeCloseTo(500, -1); // a quarter of the 2 s ceiling
  });

  it('the app killed mid-flight: a new tracker over the same storage resends, and the server stores each once', async () => {
    const server = fakeEventServer();
    const storage = memoryStorage();
    const first = setup({ server, storage });
    server.script.push({ kind: 'store-then-hang' }, { kind: 'hang' });
    const ids = trackSearches(first.tracker, 80); // 50 reach the server, 30 never do
    void first.tracker.flush(); // never resolves: the answers never come
    await vi.advanceTimersByTimeAsync(1_000);
    expect(first.tracker.stats()).toMatchObject({ queued: 80, inFlight: 80 });
    first.tracker.stop(); // the process dies; storage is what is left

    const second = setup({ server, storage });
    expect(second.tracker.stats()).toMatchObject({ queued: 80, inFlight: 0 });
    await flushed(second.tracker);
    expect(server.stored.size).toBe(80);
    expect([...server.stored.keys()].sort()).toEqual(ids.sort());
    expect(second.tracker.stats()).toMatchObject({ queued: 0, sent: 30, duplicates: 50 });
    expect(storedQueue(storage)).toBeNull();
  });

  it('a batch in flight is never sent again while it is in flight', async () => {
    const { tracker, server } = setup({ server: fakeEventServer({ latencyMs: 5_000 }) });
    trackSearches(tracker, 10);
    void tracker.flush();
    await vi.advanceTimersByTimeAsync(100);
    void tracker.flush();
    await vi.advanceTimersByTimeAsync(3_100);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect([...server.sendCounts().values()].every((n) => n === 1)).toBe(true);
  });

  it('keeps at most 2 requests in flight and at most 50 events per request', async () => {
    const { tracker, server } = setup({ server: fakeEventServer({ latencyMs: 400 }) });
    const ids = trackSearches(tracker, 480);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(server.maxInFlight).toBe(2);
    expect(Math.max(...server.requests.map((r) => r.events.length))).toBe(50);
    expect(server.requests).toHaveLength(10);
    expect(server.stored.size).toBe(ids.length);
    expect([...server.sendCounts().values()].every((n) => n === 1)).toBe(true);
  });

  it('holds events recorded before login until isReady(), then sends them', async () => {
    let ready = false;
    const { tracker, server } = setup({ isReady: () => ready });
    const ids = trackSearches(tracker, 5);
    await tracker.flush(); // nothing can be attempted: resolves at once (no timers needed)
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.requests).toHaveLength(0);
    expect(tracker.stats().queued).toBe(5);

    ready = true;
    await vi.advanceTimersByTimeAsync(3_100);
    expect([...server.stored.keys()].sort()).toEqual(ids.sort());
  });

  it('flush() sends at once and resolves when the events queued at call time were attempted', async () => {
    const { tracker, server } = setup();
    trackSearches(tracker, 3);
    let done = false;
    const flushing = tracker.flush().then(() => {
      done = true;
    });
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(50);
    await flushing;
    expect(done).toBe(true);
    expect(tracker.stats()).toMatchObject({ queued: 0, sent: 3 });
  });
});

describe('answers', () => {
  it('429: no request before Retry-After has elapsed, then the events go', async () => {
    const { tracker, server } = setup({ random: () => 0.999 });
    server.script.push({ kind: 'status', status: 429, retryAfterSeconds: 30 });
    const ids = trackSearches(tracker, 5);
    void tracker.flush();
    await vi.advanceTimersByTimeAsync(50);
    const refusedAt = Date.now();
    trackSearches(tracker, 60); // even a full batch waits
    void tracker.flush();
    await vi.advanceTimersByTimeAsync(29_900);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(server.requests.length).toBeGreaterThan(1);
    expect(server.requests[1]!.at - refusedAt).toBeGreaterThanOrEqual(30_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.stored.size).toBe(65);
    expect(ids.every((id) => server.stored.has(id))).toBe(true);
  });

  it('a rejected event does not hold up the others and is never retried', async () => {
    const { tracker, server, logger } = setup();
    trackSearches(tracker, 2);
    const bad = tracker.track('content_view', { content_id: 'not-a-number' });
    trackSearches(tracker, 2);
    await flushed(tracker);
    expect(server.stored.size).toBe(4);
    expect(server.stored.has(bad)).toBe(false);
    expect(tracker.stats()).toMatchObject({ queued: 0, sent: 4, rejected: 1 });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining(`content_view ${bad}: EVENT_INVALID`));

    trackSearches(tracker, 1);
    await flushed(tracker);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(server.sendCounts().get(bad)).toBe(1);
  });

  it('413 splits the batch into halves until they fit', async () => {
    const { tracker, server } = setup({ server: fakeEventServer({ maxEventsPerRequest: 12 }) });
    const ids = trackSearches(tracker, 50);
    await vi.advanceTimersByTimeAsync(5_000);
    const sizes = server.requests.map((r) => r.events.length);
    expect(sizes.slice(0, 3)).toEqual([50, 25, 25]);
    expect([...sizes].sort((a, b) => a - b)).toEqual([6, 6, 7, 7, 12, 12, 13, 13, 25, 25, 50]);
    expect([...server.stored.keys()].sort()).toEqual(ids.sort());
    expect(tracker.stats()).toMatchObject({ queued: 0, sent: 50, dropped: 0 });
  });

  it('413 for a single event drops it (logged, counted) and sends the rest', async () => {
    const { tracker, server, logger } = setup({ server: fakeEventServer({ maxEventsPerRequest: 0 }) });
    tracker.track('search', { query: 'x' });
    await flushed(tracker);
    await flushed(tracker);
    expect(tracker.stats()).toMatchObject({ queued: 0, dropped: 1 });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('too large (413)'), undefined);
    expect(server.requests.map((r) => r.events.length)).toEqual([1]);
  });

  it('400 means the batch itself is broken: logged and dropped, not retried', async () => {
    const { tracker, server, logger } = setup();
    server.script.push({ kind: 'status', status: 400, data: { error: { code: 'VALIDATION_FAILED', message: 'bad' } } });
    trackSearches(tracker, 4);
    await flushed(tracker);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.requests).toHaveLength(1);
    expect(tracker.stats()).toMatchObject({ queued: 0, dropped: 4 });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('(400)'), expect.anything());
  });

  it('a 200 whose body is not an answer counts as in doubt: resent (the server dedupes)', async () => {
    const { tracker, server } = setup();
    server.script.push({ kind: 'status', status: 200, data: '<html>proxy</html>' });
    trackSearches(tracker, 3);
    await flushed(tracker);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.requests).toHaveLength(2);
    expect(tracker.stats()).toMatchObject({ queued: 0, sent: 3 });
  });
});
