import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, EventSchema, EventSchemas } from './events.js';

const envelope = { event_id: 'e-1', ts: 1_795_000_000_000, session_id: 's-1', page: 'pages/index/index' };

describe('event schemas', () => {
  it('has one strict schema per event type DESIGN §7 names', () => {
    expect(Object.keys(EventSchemas).sort()).toEqual([...EVENT_TYPES].sort());
    expect(EVENT_TYPES).toHaveLength(13);
  });

  it('accepts a flat content_read with ids as strings', () => {
    const e = { ...envelope, type: 'content_read', content_id: '42', dwell_ms: 65_000, scroll_depth: 0.9 };
    expect(EventSchema.parse(e)).toEqual(e);
  });

  it.each([
    ['an unknown property', { ...envelope, type: 'search', query: 'x', hcp_id: '7' }],
    ['a numeric id', { ...envelope, type: 'content_view', content_id: 42 }],
    ['scroll depth over 1', { ...envelope, type: 'content_read', content_id: '1', dwell_ms: 1, scroll_depth: 1.5 }],
    ['an event_id with spaces', { ...envelope, event_id: 'a b', type: 'app_launch' }],
    ['an event_id over 64 characters', { ...envelope, event_id: 'x'.repeat(65), type: 'app_launch' }],
    ['an unknown type', { ...envelope, type: 'content_teleport' }],
    ['an object as the query', { ...envelope, type: 'search', query: { $gt: '' } }],
  ])('rejects %s', (_label, e) => {
    expect(EventSchema.safeParse(e).success).toBe(false);
  });

  it('requires the launch scene on invite_open', () => {
    expect(EventSchema.safeParse({ ...envelope, type: 'invite_open', inviter: 'rep-7' }).success).toBe(false);
    expect(EventSchema.safeParse({ ...envelope, type: 'invite_open', inviter: 'rep-7', scene: 1047 }).success).toBe(true);
  });
});
