/**
 * Ingestion as a chain of small pure steps (validate → normalise → dedupe within the batch),
 * each deciding "continue" or "drop with a reason". Storage is the last step (repo.ts).
 * Every event is judged on its own: one bad event never sinks the batch.
 */
import {
  ENVELOPE_FIELDS,
  EVENT_MAX_AGE_MS,
  EVENT_MAX_FUTURE_MS,
  EVENT_TYPES,
  EventSchemas,
  type EventBatchResponse,
  type EventType,
  type TrackedEvent,
} from '@hcp360/shared';

export type Rejection = EventBatchResponse['rejected'][number];

/** One event ready to store: envelope columns plus its type's own properties. */
export interface EventRow {
  eventId: string;
  type: EventType;
  clientTs: Date;
  sessionId: string;
  page: string;
  scene: number | null;
  props: Record<string, unknown>;
}

export type StepResult = { ok: true; event: TrackedEvent } | { ok: false; rejection: Rejection };

/** Step 1: the event is an object of a known type that matches its schema exactly. */
export function validateEvent(raw: unknown, index: number): StepResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return reject(index, 'EVENT_INVALID', 'an event must be a JSON object');
  }
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    return reject(index, 'EVENT_TYPE_UNKNOWN', `unknown event type ${JSON.stringify(type)}; known: ${EVENT_TYPES.join(', ')}`);
  }
  const parsed = EventSchemas[type as EventType].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    const what = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message;
    return reject(index, 'EVENT_INVALID', `${where}${what}`);
  }
  return { ok: true, event: parsed.data as TrackedEvent };
}

/** Step 2: the client's timestamp is plausible: at most 10 minutes ahead and 30 days old. */
export function checkTimestamp(event: TrackedEvent, index: number, now: number): StepResult {
  if (event.ts > now + EVENT_MAX_FUTURE_MS) return reject(index, 'TS_OUT_OF_RANGE', 'ts is more than 10 minutes in the future');
  if (event.ts < now - EVENT_MAX_AGE_MS) return reject(index, 'TS_OUT_OF_RANGE', 'ts is more than 30 days old');
  return { ok: true, event };
}

/** Step 3: split the flat event into stored columns and the type's own properties. */
export function normalise(event: TrackedEvent): EventRow {
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(event)) {
    if (!(ENVELOPE_FIELDS as readonly string[]).includes(k)) props[k] = v;
  }
  // invite_open carries `scene` as its own required field; keep it in the column as for every event.
  return {
    eventId: event.event_id,
    type: event.type,
    clientTs: new Date(event.ts),
    sessionId: event.session_id,
    page: event.page,
    scene: event.scene ?? null,
    props,
  };
}

/**
 * Runs the steps over a batch. Returns the rows to store (first occurrence of each event_id),
 * how many were repeats inside the batch, and the rejections with their indexes.
 */
export function prepareBatch(raws: unknown[], now: number): { rows: EventRow[]; duplicatesInBatch: number; rejected: Rejection[] } {
  const rows: EventRow[] = [];
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  let duplicatesInBatch = 0;
  raws.forEach((raw, index) => {
    const valid = validateEvent(raw, index);
    if (!valid.ok) return void rejected.push(valid.rejection);
    const timely = checkTimestamp(valid.event, index, now);
    if (!timely.ok) return void rejected.push(timely.rejection);
    if (seen.has(timely.event.event_id)) return void duplicatesInBatch++;
    seen.add(timely.event.event_id);
    rows.push(normalise(timely.event));
  });
  return { rows, duplicatesInBatch, rejected };
}

function reject(index: number, code: Rejection['code'], message: string): { ok: false; rejection: Rejection } {
  return { ok: false, rejection: { index, code, message } };
}
