/**
 * The tracker's public types: what a platform must provide (storage, transport, clock,
 * context) and what it gets back. Platform-free: the Taro adapter and a Node client (load and
 * fault tests) implement the same interfaces.
 */
import type { EventProps, EventType, TrackedEvent } from '@hcp360/shared';

/** Synchronous string storage: Taro storage in the app, a Map in tests and in Node. */
export interface PersistentStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** What one POST /api/events produced. `data` is the parsed JSON body (null if none). */
export interface TransportResult {
  status: number;
  data: unknown;
  /** From the Retry-After header (seconds), when the answer had one. */
  retryAfterSeconds?: number;
}

/** Sends one batch. Resolves for every HTTP status; rejects only when no answer arrived. */
export type EventTransport = (events: TrackedEvent[]) => Promise<TransportResult>;

export type TimerHandle = unknown;

export interface TrackerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface TrackerLogger {
  warn(message: string, details?: unknown): void;
}

/** Envelope fields the platform knows at the moment an event is recorded. */
export interface TrackerContext {
  session_id: string;
  page: string;
  scene?: number;
}

export interface TrackerOptions {
  storage: PersistentStorage;
  transport: EventTransport;
  context: () => TrackerContext;
  /** Defaults: Date.now and the global timers. */
  clock?: TrackerClock;
  /** Uniform in [0, 1): event ids and back-off jitter. Default Math.random. */
  random?: () => number;
  /** False while there is no session: events are kept and sent once it turns true. Default always true. */
  isReady?: () => boolean;
  /** Default console.warn. */
  logger?: TrackerLogger;
  /** Storage key of the queue. Default 'hcp360.events'. One live tracker per key. */
  storageKey?: string;
  /** Events per request (default 50). */
  batchSize?: number;
  /** Requests in flight at once (default 2). */
  maxInFlight?: number;
  /** How long a recorded event waits for more before a send (default 3,000 ms). */
  flushIntervalMs?: number;
  /** Queue bound in events (default 1,000). */
  maxQueueEvents?: number;
  /** Queue bound in UTF-8 bytes of the stored value (default 512 KiB). */
  maxQueueBytes?: number;
  /** Back-off: first retry within base, doubling up to max (defaults 1,000 and 60,000 ms), full jitter. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

export interface TrackerStats {
  /** Events stored and not yet answered for (including those in flight). */
  queued: number;
  /** Events in requests that have not answered yet. */
  inFlight: number;
  /** Events the server newly stored (`accepted`), since this tracker was created. */
  sent: number;
  /** Events the server already had (`duplicates`), since this tracker was created. */
  duplicates: number;
  /** Events the server refused one by one (never retried), since this tracker was created. */
  rejected: number;
  /**
   * Events given up on without a per-event answer, in total (kept in storage across restarts):
   * dropped by the queue bound, a 400 answer to their batch, or a 413 for a single event.
   */
  dropped: number;
}

/** Envelope fields a caller may set instead of taking them from `context()`. */
export interface EnvelopeOverrides {
  page?: string;
}

export interface Tracker {
  /** Records an event (stored before anything is sent) and returns its event_id. */
  track<T extends EventType>(type: T, props: EventProps<T>, envelope?: EnvelopeOverrides): string;
  /**
   * Sends now. Resolves once every event queued at call time has been attempted (answered,
   * failed, or dropped) — after any back-off or Retry-After still running. Resolves at once
   * when not ready (no session) or stopped.
   */
  flush(): Promise<void>;
  /** Clears every timer and stops sending; answers arriving later are ignored (the events stay stored). */
  stop(): void;
  stats(): TrackerStats;
}
