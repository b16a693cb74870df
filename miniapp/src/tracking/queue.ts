/**
 * The tracker's persisted, bounded event queue. Every change is written through to one storage
 * key at once, so whatever the app has recorded survives a kill; events leave it only when the
 * server has answered for them (or when the bound forces a drop).
 *
 * Bound: at most `maxEvents` events (default 1,000) AND at most `maxBytes` of serialized value
 * (default 512 KiB of UTF-8, half of WeChat's 1 MB per key and ~5 % of its 10 MB per app).
 * A typical event is 150–300 bytes, so the count bound is the one that normally bites.
 * Drop policy when over the bound: the oldest `page_view` not in flight (lowest value, and
 * the most numerous), else the oldest event not in flight. Drops are counted in the stored
 * value, so the count survives restarts.
 */
import type { TrackedEvent } from '@hcp360/shared';
import type { PersistentStorage, TrackerLogger } from './types';

export const DEFAULT_MAX_QUEUE_EVENTS = 1_000;
export const DEFAULT_MAX_QUEUE_BYTES = 512 * 1024;
/** Room for the wrapper around the events (`{"dropped":…,"events":[…]}`). */
const WRAPPER_BYTES = 64;

interface Entry {
  event: TrackedEvent;
  /** UTF-8 size of the event's JSON. */
  bytes: number;
  inFlight: boolean;
}

interface StoredQueue {
  dropped: number;
  events: TrackedEvent[];
}

/** UTF-8 length of a string, without TextEncoder (not in every WeChat base library). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4; // a surrogate pair: one 4-byte character
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

function isStoredEvent(value: unknown): value is TrackedEvent {
  const e = value as Partial<TrackedEvent> | null;
  return typeof e === 'object' && e !== null && typeof e.event_id === 'string' && typeof e.type === 'string';
}

export interface EventQueueOptions {
  storage: PersistentStorage;
  key: string;
  maxEvents: number;
  maxBytes: number;
  logger: TrackerLogger;
}

export class EventQueue {
  private entries: Entry[] = [];
  private totalBytes = 0;
  private droppedTotal = 0;

  constructor(private readonly options: EventQueueOptions) {
    this.load();
  }

  get size(): number {
    return this.entries.length;
  }

  get dropped(): number {
    return this.droppedTotal;
  }

  /** Serialized size of the stored value, as the bound counts it. */
  get bytes(): number {
    return WRAPPER_BYTES + this.totalBytes + Math.max(0, this.entries.length - 1);
  }

  ids(): string[] {
    return this.entries.map((e) => e.event.event_id);
  }

  inFlightCount(): number {
    return this.entries.filter((e) => e.inFlight).length;
  }

  pendingCount(): number {
    return this.entries.length - this.inFlightCount();
  }

  /** Adds an event, applies the bound and persists. Returns the ids dropped to make room. */
  push(event: TrackedEvent): string[] {
    const bytes = utf8Length(JSON.stringify(event));
    this.entries.push({ event, bytes, inFlight: false });
    this.totalBytes += bytes;
    const dropped = this.enforceBound();
    this.persist();
    return dropped;
  }

  /** Up to `max` of the oldest events not in flight (optionally only those in `only`), now marked in flight. */
  takePending(max: number, only?: ReadonlySet<string>): TrackedEvent[] {
    const batch: TrackedEvent[] = [];
    for (const entry of this.entries) {
      if (batch.length >= max) break;
      if (entry.inFlight || (only && !only.has(entry.event.event_id))) continue;
      entry.inFlight = true;
      batch.push(entry.event);
    }
    return batch;
  }

  /** Puts events back to pending after a failed attempt (they stay stored). */
  release(ids: readonly string[]): void {
    const set = new Set(ids);
    for (const entry of this.entries) if (set.has(entry.event.event_id)) entry.inFlight = false;
  }

  /** Removes events the server answered for, or that were given up on (`countAsDropped`). */
  remove(ids: readonly string[], countAsDropped = false): void {
    const set = new Set(ids);
    const before = this.entries.length;
    this.entries = this.entries.filter((entry) => {
      if (!set.has(entry.event.event_id)) return true;
      this.totalBytes -= entry.bytes;
      return false;
    });
    if (countAsDropped) this.droppedTotal += before - this.entries.length;
    if (this.entries.length !== before || countAsDropped) this.persist();
  }

  private enforceBound(): string[] {
    const dropped: string[] = [];
    const { maxEvents, maxBytes } = this.options;
    while (this.entries.length > maxEvents || (this.entries.length > 0 && this.bytes > maxBytes)) {
      let index = this.entries.findIndex((e) => !e.inFlight && e.event.type === 'page_view');
      if (index < 0) index = this.entries.findIndex((e) => !e.inFlight);
      if (index < 0) index = this.entries.length - 1; // everything else is in flight: drop the newcomer
      const [entry] = this.entries.splice(index, 1);
      this.totalBytes -= entry!.bytes;
      this.droppedTotal += 1;
      dropped.push(entry!.event.event_id);
    }
    if (dropped.length > 0) this.options.logger.warn(`tracking: queue full, dropped ${dropped.length} event(s)`);
    return dropped;
  }

  private load(): void {
    const raw = this.options.storage.get(this.options.key);
    if (!raw) return;
    try {
      const stored = JSON.parse(raw) as Partial<StoredQueue>;
      this.droppedTotal = typeof stored.dropped === 'number' ? stored.dropped : 0;
      for (const event of Array.isArray(stored.events) ? stored.events : []) {
        if (!isStoredEvent(event)) continue;
        const bytes = utf8Length(JSON.stringify(event));
        this.entries.push({ event, bytes, inFlight: false });
        this.totalBytes += bytes;
      }
      if (this.enforceBound().length > 0) this.persist(); // e.g. a smaller bound than last time
    } catch {
      this.options.logger.warn('tracking: stored event queue was unreadable; starting empty');
      this.options.storage.remove(this.options.key);
    }
  }

  private persist(): void {
    const value: StoredQueue = { dropped: this.droppedTotal, events: this.entries.map((e) => e.event) };
    try {
      if (value.events.length === 0 && value.dropped === 0) this.options.storage.remove(this.options.key);
      else this.options.storage.set(this.options.key, JSON.stringify(value));
    } catch (err) {
      // Storage full or unavailable: keep going in memory rather than break the page.
      this.options.logger.warn('tracking: could not persist the event queue', err);
    }
  }
}
