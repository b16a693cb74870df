/**
 * A fake of POST /api/events for the tracker's tests: validates each event with the shared
 * schema, stores each event_id once (as the real server does per doctor), answers
 * {accepted, duplicates, rejected}. Failures are scripted per request. Answers take
 * `latencyMs` of (fake) time, so requests overlap as on a network.
 */
import { EventSchema, EVENT_TYPES, type TrackedEvent } from '@hcp360/shared';
import type { TransportResult } from '../types';

export type ScriptedAnswer =
  | { kind: 'network' }
  | { kind: 'status'; status: number; retryAfterSeconds?: number; data?: unknown }
  /** The server stores the batch but the answer never reaches the app (killed, connection lost). */
  | { kind: 'store-then-hang' }
  /** The request never reaches the server and never answers. */
  | { kind: 'hang' };

export interface FakeRequest {
  at: number;
  events: TrackedEvent[];
}

export function fakeEventServer(options: { latencyMs?: number; maxEventsPerRequest?: number } = {}) {
  const stored = new Map<string, TrackedEvent>();
  const requests: FakeRequest[] = [];
  const script: ScriptedAnswer[] = [];
  let offline = false;
  let inFlight = 0;
  let maxInFlight = 0;
  const latencyMs = options.latencyMs ?? 50;

  function store(events: TrackedEvent[]) {
    let accepted = 0;
    let duplicates = 0;
    const rejected: { index: number; code: string; message: string }[] = [];
    events.forEach((event, index) => {
      const parsed = EventSchema.safeParse(event);
      if (!parsed.success) {
        const known = (EVENT_TYPES as readonly string[]).includes((event as { type?: string }).type ?? '');
        const message = parsed.error.issues[0]?.message ?? 'invalid';
        rejected.push({ index, code: known ? 'EVENT_INVALID' : 'EVENT_TYPE_UNKNOWN', message });
      } else if (stored.has(event.event_id)) duplicates += 1;
      else {
        stored.set(event.event_id, event);
        accepted += 1;
      }
    });
    return { accepted, duplicates, rejected };
  }

  async function transport(events: TrackedEvent[]): Promise<TransportResult> {
    requests.push({ at: Date.now(), events: JSON.parse(JSON.stringify(events)) as TrackedEvent[] });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const answer = script.shift();
    if (answer?.kind === 'hang') return new Promise<TransportResult>(() => undefined);
    if (answer?.kind === 'store-then-hang') {
      store(events);
      return new Promise<TransportResult>(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, latencyMs));
    inFlight -= 1;
    if (offline || answer?.kind === 'network') throw new TypeError('Failed to fetch');
    if (answer?.kind === 'status') {
      const data = answer.data ?? { error: { code: 'SCRIPTED', message: 'scripted' } };
      return { status: answer.status, data, retryAfterSeconds: answer.retryAfterSeconds };
    }
    if (options.maxEventsPerRequest !== undefined && events.length > options.maxEventsPerRequest) {
      return { status: 413, data: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'too large' } } };
    }
    return { status: 200, data: store(events) };
  }

  return {
    transport,
    stored,
    requests,
    script,
    get maxInFlight() {
      return maxInFlight;
    },
    setOffline(value: boolean) {
      offline = value;
    },
    /** How many times the server was sent each event id. */
    sendCounts(): Map<string, number> {
      const counts = new Map<string, number>();
      for (const r of requests) for (const e of r.events) counts.set(e.event_id, (counts.get(e.event_id) ?? 0) + 1);
      return counts;
    },
  };
}

export function memoryStorage() {
  const data = new Map<string, string>();
  return {
    data,
    get: (key: string) => data.get(key) ?? null,
    set: (key: string, value: string) => void data.set(key, value),
    remove: (key: string) => void data.delete(key),
  };
}
