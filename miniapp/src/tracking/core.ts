/**
 * The behaviour-event tracker (DESIGN §4.1), platform-free: storage, transport, clock, random,
 * readiness and envelope context are injected, so the same core runs in the mini-program (see
 * taro.ts), in unit tests with a fake clock, and in Node against the real server.
 *
 * Delivery is at least once; the server stores each (doctor, event_id) once. An event is
 * written to storage before anything is sent and removed only when the server answered for it
 * (accepted, duplicate, or rejected on its own). Sending: batches of up to 50, at most 2
 * requests in flight, a send as soon as 50 are waiting, else 3 s after the first waiting event,
 * or on flush(). Network errors, 5xx, 429 and any other unexpected answer put the batch back and
 * back off exponentially with full jitter (429: never sooner than Retry-After). 413 splits the
 * batch in halves; 400 means the batch itself is broken: it is logged and dropped.
 */
import type { EventBatchResponse, EventProps, EventType, TrackedEvent } from '@hcp360/shared';
import { randomToken } from './ids';
import { DEFAULT_MAX_QUEUE_BYTES, DEFAULT_MAX_QUEUE_EVENTS, EventQueue } from './queue';
import type { Tracker, TrackerClock, TrackerLogger, TrackerOptions, TrackerStats, TransportResult } from './types';

export type {
  EnvelopeOverrides,
  EventTransport,
  PersistentStorage,
  TimerHandle,
  Tracker,
  TrackerClock,
  TrackerContext,
  TrackerLogger,
  TrackerOptions,
  TrackerStats,
  TransportResult,
} from './types';
export { ActiveTimer } from './activeTimer';
export { ReadingTracker, type ReadingSnapshot } from './readingTracker';
export { DEFAULT_MAX_QUEUE_BYTES, DEFAULT_MAX_QUEUE_EVENTS, utf8Length } from './queue';
export { randomToken } from './ids';

export const DEFAULT_STORAGE_KEY = 'hcp360.events';
export const DEFAULT_BATCH_SIZE = 50;
export const DEFAULT_MAX_IN_FLIGHT = 2;
export const DEFAULT_FLUSH_INTERVAL_MS = 3_000;
export const DEFAULT_BACKOFF_BASE_MS = 1_000;
export const DEFAULT_BACKOFF_MAX_MS = 60_000;
/** The server takes at most 100 events per request (MAX_EVENTS_PER_BATCH in @hcp360/shared). */
const SERVER_MAX_BATCH = 100;
/** Full jitter may draw ~0; a floor keeps a failing server from being hammered. */
const MIN_RETRY_DELAY_MS = 100;
const PAGE_MAX_LENGTH = 128;

export const systemClock: TrackerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const consoleLogger: TrackerLogger = {
  warn: (message, details) => (details === undefined ? console.warn(message) : console.warn(message, details)),
};

function parseBatchAnswer(data: unknown): EventBatchResponse | null {
  const d = data as Partial<EventBatchResponse> | null;
  if (typeof d !== 'object' || d === null) return null;
  if (typeof d.accepted !== 'number' || typeof d.duplicates !== 'number' || !Array.isArray(d.rejected)) return null;
  return d as EventBatchResponse;
}

interface FlushWaiter {
  ids: Set<string>;
  resolve: () => void;
}

export function createTracker(options: TrackerOptions): Tracker {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const isReady = options.isReady ?? (() => true);
  const logger = options.logger ?? consoleLogger;
  const batchSize = Math.min(Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE), SERVER_MAX_BATCH);
  const maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT);
  const flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
  const backoffBaseMs = options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const backoffMaxMs = options.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS;

  const queue = new EventQueue({
    storage: options.storage,
    key: options.storageKey ?? DEFAULT_STORAGE_KEY,
    maxEvents: options.maxQueueEvents ?? DEFAULT_MAX_QUEUE_EVENTS,
    maxBytes: options.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES,
    logger,
  });
  const counts = { sent: 0, duplicates: 0, rejected: 0 };
  /** Halves of a batch the server found too large (413), sent before anything else. */
  const splitBatches: string[][] = [];
  let waiters: FlushWaiter[] = [];
  let requestsInFlight = 0;
  let failures = 0;
  let blockedUntil = 0;
  let wake: { handle: unknown; at: number } | null = null;
  let stopped = false;
  let sequence = 0;

  function newEventId(ts: number): string {
    sequence = (sequence + 1) % 1_679_616; // 36^4: the id stays short
    return `${ts.toString(36)}-${randomToken(random, 12)}-${sequence.toString(36)}`;
  }

  /** The events' attempt is over (answered, failed or dropped): flush() callers may stop waiting for them. */
  function settle(ids: readonly string[]): void {
    if (waiters.length === 0 || ids.length === 0) return;
    waiters = waiters.filter((waiter) => {
      for (const id of ids) waiter.ids.delete(id);
      if (waiter.ids.size > 0) return true;
      waiter.resolve();
      return false;
    });
  }

  function scheduleWake(at: number): void {
    if (stopped || (wake && wake.at <= at)) return;
    if (wake) clock.clearTimeout(wake.handle);
    const handle = clock.setTimeout(
      () => {
        wake = null;
        pump();
      },
      Math.max(0, at - clock.now()),
    );
    wake = { handle, at };
  }

  function nextBatch(): TrackedEvent[] {
    while (splitBatches.length > 0) {
      const batch = queue.takePending(batchSize, new Set(splitBatches.shift()));
      if (batch.length > 0) return batch;
    }
    return queue.takePending(batchSize);
  }

  /** Sends whatever may be sent now; otherwise arranges to try again when it may. */
  function pump(): void {
    if (stopped || queue.pendingCount() === 0) return;
    const now = clock.now();
    if (!isReady()) return scheduleWake(now + flushIntervalMs);
    if (now < blockedUntil) return scheduleWake(blockedUntil);
    while (requestsInFlight < maxInFlight) {
      const batch = nextBatch();
      if (batch.length === 0) break;
      void send(batch);
    }
  }

  function retryLater(ids: string[], retryAfterSeconds?: number): void {
    queue.release(ids);
    failures = Math.min(failures + 1, 30);
    const ceiling = Math.min(backoffMaxMs, backoffBaseMs * 2 ** (failures - 1));
    let delay = Math.max(MIN_RETRY_DELAY_MS, random() * ceiling);
    if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) delay = Math.max(delay, retryAfterSeconds * 1000);
    blockedUntil = Math.max(blockedUntil, clock.now() + delay);
    settle(ids);
  }

  function acknowledge(batch: TrackedEvent[], answer: EventBatchResponse): void {
    counts.sent += answer.accepted;
    counts.duplicates += answer.duplicates;
    counts.rejected += answer.rejected.length;
    for (const r of answer.rejected) {
      const event = batch[r.index];
      logger.warn(`tracking: server rejected ${event?.type ?? '?'} ${event?.event_id ?? `#${r.index}`}: ${r.code} ${r.message}`);
    }
    failures = 0;
    const ids = batch.map((e) => e.event_id);
    queue.remove(ids);
    settle(ids);
  }

  function giveUp(ids: string[], why: string, details?: unknown): void {
    logger.warn(`tracking: dropped ${ids.length} event(s): ${why}`, details);
    queue.remove(ids, true);
    settle(ids);
  }

  function handleAnswer(batch: TrackedEvent[], result: TransportResult | null): void {
    const ids = batch.map((e) => e.event_id);
    if (result === null) return retryLater(ids);
    const { status } = result;
    if (status >= 200 && status < 300) {
      const answer = parseBatchAnswer(result.data);
      // Stored or not, we cannot tell: resending is safe, the server dedupes.
      return answer ? acknowledge(batch, answer) : retryLater(ids);
    }
    if (status === 400) return giveUp(ids, 'the server refused the batch (400)', result.data);
    if (status === 413) {
      if (ids.length === 1) return giveUp(ids, 'a single event is too large (413)');
      queue.release(ids);
      const half = Math.ceil(ids.length / 2);
      splitBatches.unshift(ids.slice(0, half), ids.slice(half));
      return;
    }
    // 401 the API client could not cure, 429, 5xx and anything else unexpected: try again later.
    return retryLater(ids, status === 429 ? result.retryAfterSeconds : undefined);
  }

  async function send(batch: TrackedEvent[]): Promise<void> {
    requestsInFlight += 1;
    let result: TransportResult | null;
    try {
      result = await options.transport(batch);
    } catch {
      result = null;
    }
    requestsInFlight -= 1;
    if (stopped) return; // a later tracker over the same storage resends them
    handleAnswer(batch, result);
    pump();
  }

  function track<T extends EventType>(type: T, props: EventProps<T>, envelope?: { page?: string }): string {
    const ctx = options.context();
    const ts = clock.now();
    const eventId = newEventId(ts);
    const page = (envelope?.page ?? ctx.page).slice(0, PAGE_MAX_LENGTH) || 'unknown';
    const event: Record<string, unknown> = { session_id: ctx.session_id, page };
    if (ctx.scene !== undefined) event.scene = ctx.scene;
    for (const [key, value] of Object.entries(props)) if (value !== undefined) event[key] = value;
    Object.assign(event, { event_id: eventId, type, ts });
    settle(queue.push(event as TrackedEvent));
    if (stopped) logger.warn('tracking: track() after stop(); the event is stored but not sent');
    else if (queue.pendingCount() >= batchSize) pump();
    else scheduleWake(ts + flushIntervalMs);
    return eventId;
  }

  function flush(): Promise<void> {
    const ids = queue.ids();
    if (stopped || ids.length === 0 || !isReady()) return Promise.resolve();
    const done = new Promise<void>((resolve) => waiters.push({ ids: new Set(ids), resolve }));
    pump();
    return done;
  }

  function stop(): void {
    stopped = true;
    if (wake) clock.clearTimeout(wake.handle);
    wake = null;
    const pending = waiters;
    waiters = [];
    pending.forEach((w) => w.resolve());
  }

  function stats(): TrackerStats {
    return { queued: queue.size, inFlight: queue.inFlightCount(), ...counts, dropped: queue.dropped };
  }

  return { track, flush, stop, stats };
}
