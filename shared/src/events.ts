/**
 * Behaviour events (DESIGN §4 and §7): one flat object per event, the envelope and the type's own
 * fields side by side, ids as strings. One strict zod schema per type, so unknown types and
 * unknown properties are rejected with a clear code. Add types and optional fields; never rename.
 */
import { z } from 'zod';

/** Event types, in the order DESIGN §7 lists them. */
export const EVENT_TYPES = [
  'app_launch',
  'page_view',
  'content_view',
  'content_read',
  'content_like',
  'content_favorite',
  'content_share',
  'live_register',
  'live_heartbeat',
  'live_replay_view',
  'case_submit',
  'invite_open',
  'search',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The most events one POST /api/events may carry. */
export const MAX_EVENTS_PER_BATCH = 100;
/** How far in the future (client clock ahead) and how old an event may be. */
export const EVENT_MAX_FUTURE_MS = 10 * 60 * 1000;
export const EVENT_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

const token = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');
const refId = z.string().regex(/^[1-9][0-9]{0,18}$/, 'an id is a positive integer in a string');

/** Fields every event carries. */
const envelope = {
  event_id: token(64),
  ts: z.number().int().positive(),
  session_id: token(64),
  page: z.string().min(1).max(128),
  /** The WeChat launch scene (1007 single-chat card, 1047 code scan …). */
  scene: z.number().int().min(1000).max(9999).optional(),
};

const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ ...envelope, type: z.literal(type), ...shape });

const ms = z.number().int().min(0).max(24 * 60 * 60 * 1000);

export const EventSchemas = {
  app_launch: event('app_launch', {
    path: z.string().max(128).optional(),
    inviter: token(64).optional(),
    share_id: token(64).optional(),
  }),
  page_view: event('page_view', {
    /** Active time on the page (hidden time excluded). */
    dwell_ms: ms.optional(),
    referrer: z.string().max(128).optional(),
  }),
  content_view: event('content_view', { content_id: refId }),
  content_read: event('content_read', {
    content_id: refId,
    /** Active reading time only. */
    dwell_ms: ms,
    scroll_depth: z.number().min(0).max(1),
  }),
  content_like: event('content_like', { content_id: refId, on: z.boolean() }),
  content_favorite: event('content_favorite', { content_id: refId, on: z.boolean() }),
  content_share: event('content_share', {
    content_id: refId.optional(),
    share_id: token(64),
    target: z.enum(['chat', 'group', 'timeline', 'qrcode', 'poster', 'link']),
  }),
  live_register: event('live_register', { live_id: refId }),
  live_heartbeat: event('live_heartbeat', { live_id: refId, position_s: z.number().int().min(0).max(86_400).optional() }),
  live_replay_view: event('live_replay_view', {
    live_id: refId,
    position_s: z.number().int().min(0).max(86_400).optional(),
    watched_ms: ms.optional(),
  }),
  case_submit: event('case_submit', { campaign_id: refId, submission_id: refId.optional() }),
  invite_open: event('invite_open', {
    inviter: token(64),
    share_id: token(64).optional(),
    scene: z.number().int().min(1000).max(9999),
  }),
  search: event('search', { query: z.string().trim().min(1).max(100) }),
} as const satisfies Record<EventType, z.ZodType>;

export const EventSchema = z.discriminatedUnion('type', Object.values(EventSchemas) as unknown as [
  (typeof EventSchemas)[EventType],
  ...(typeof EventSchemas)[EventType][],
]);
export type TrackedEvent = z.infer<typeof EventSchema>;
export type EventOf<T extends EventType> = z.infer<(typeof EventSchemas)[T]>;
/** What a caller of the SDK passes: the type's own fields; the SDK fills in the envelope. */
export type EventProps<T extends EventType> = Omit<EventOf<T>, keyof typeof envelope | 'type'> & { scene?: number };

/** Envelope field names, so the server can split an event into columns and type properties. */
export const ENVELOPE_FIELDS = ['event_id', 'type', 'ts', 'session_id', 'page', 'scene'] as const;

export const EventBatchInput = z.strictObject({
  events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_BATCH),
});

/** Codes for a single rejected event inside an accepted batch. */
export const EVENT_REJECTION_CODES = ['EVENT_INVALID', 'EVENT_TYPE_UNKNOWN', 'TS_OUT_OF_RANGE'] as const;
export type EventRejectionCode = (typeof EVENT_REJECTION_CODES)[number];

export interface EventBatchResponse {
  accepted: number;
  duplicates: number;
  rejected: { index: number; code: EventRejectionCode; message: string }[];
}
