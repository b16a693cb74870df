import { describe, expect, it, vi } from 'vitest';
import type { TrackedEvent } from '@hcp360/shared';
import { createTracker, DEFAULT_STORAGE_KEY, utf8Length } from './core';
import { EventQueue } from './queue';
import { memoryStorage } from './testing/fakeEventServer';

let n = 0;
function event(type: 'page_view' | 'search' | 'content_view', extra: Record<string, unknown> = {}): TrackedEvent {
  n += 1;
  return { event_id: `e${n}`, type, ts: 1_795_000_000_000 + n, session_id: 's', page: 'pages/index/index', ...extra } as TrackedEvent;
}

function queueOver(storage = memoryStorage(), maxEvents = 5, maxBytes = 512 * 1024) {
  const logger = { warn: vi.fn() };
  return { storage, logger, queue: new EventQueue({ storage, key: 'q', maxEvents, maxBytes, logger }) };
}

describe('the persisted queue bound and drop policy', () => {
  it('drops page_view first (oldest first), then the oldest event, and counts the drops', () => {
    const { queue, storage } = queueOver();
    const [pv1, s1, pv2, s2, s3] = [event('page_view'), event('search'), event('page_view'), event('search'), event('search')];
    [pv1, s1, pv2, s2, s3].forEach((e) => queue.push(e!));

    expect(queue.push(event('content_view'))).toEqual([pv1!.event_id]);
    expect(queue.push(event('search'))).toEqual([pv2!.event_id]);
    expect(queue.push(event('search'))).toEqual([s1!.event_id]); // no page_view left: the oldest
    expect(queue.size).toBe(5);
    expect(queue.dropped).toBe(3);
    expect(JSON.parse(storage.get('q')!)).toMatchObject({ dropped: 3 });
  });

  it('never drops an event in flight to make room', () => {
    const { queue } = queueOver(memoryStorage(), 3);
    const first = event('page_view');
    queue.push(first);
    queue.takePending(1);
    queue.push(event('search'));
    queue.push(event('page_view'));
    const dropped = queue.push(event('search'));
    expect(dropped).not.toContain(first.event_id);
    expect(queue.ids()).toContain(first.event_id);
  });

  it('keeps the drop count across restarts', () => {
    const { queue, storage } = queueOver(memoryStorage(), 1);
    queue.push(event('search'));
    queue.push(event('search'));
    expect(queueOver(storage, 1).queue.dropped).toBe(1);
  });

  it('keeps the stored value under the byte bound', () => {
    const { queue, storage } = queueOver(memoryStorage(), 1_000, 8 * 1024);
    for (let i = 0; i < 200; i += 1) queue.push(event('search', { query: '高血压合并糖尿病的降压药物选择'.repeat(3) }));
    expect(utf8Length(storage.get('q')!)).toBeLessThanOrEqual(8 * 1024);
    expect(queue.size).toBeLessThan(200);
    expect(queue.size + queue.dropped).toBe(200);
  });

  it('starts empty (and says so) when the stored value is unreadable', () => {
    const storage = memoryStorage();
    storage.set('q', '{not json');
    const { queue, logger } = queueOver(storage);
    expect(queue.size).toBe(0);
    expect(logger.warn).toHaveBeenCalled();
  });

  it('the default tracker holds at most 1,000 events, well under 1 MB, while offline', () => {
    vi.useFakeTimers();
    const storage = memoryStorage();
    const tracker = createTracker({
      storage,
      transport: async () => Promise.reject(new Error('offline')),
      isReady: () => false,
      context: () => ({ session_id: 's-1', page: 'pages/content/index', scene: 1007 }),
      logger: { warn: () => undefined },
    });
    for (let i = 0; i < 300; i += 1) tracker.track('page_view', { dwell_ms: i });
    for (let i = 0; i < 1_000; i += 1) tracker.track('search', { query: `心血管内科 指南 ${i}` });
    const stats = tracker.stats();
    expect(stats).toMatchObject({ queued: 1_000, dropped: 300 });
    const stored = JSON.parse(storage.get(DEFAULT_STORAGE_KEY)!) as { events: TrackedEvent[]; dropped: number };
    expect(stored.events.every((e) => e.type === 'search')).toBe(true); // every page_view went first
    expect(stored.dropped).toBe(300);
    expect(utf8Length(storage.get(DEFAULT_STORAGE_KEY)!)).toBeLessThan(512 * 1024);
    tracker.stop();
    vi.useRealTimers();
  });
});

describe('utf8Length', () => {
  it('counts UTF-8 bytes, including Chinese and astral characters', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('高血压')).toBe(9);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('😀')).toBe(4);
  });
});
