/** Snapshots carried by cursors: what goes in comes back, only to the doctor it was made for, and not after it expired. */
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PAGING } from './feedWeights.js';
import { CursorMac, newSnapshotToken, SnapshotCursors, snapshotRef, type RankedRef } from './snapshots.js';

const cursors = new SnapshotCursors('a test secret of more than thirty-two characters');
const NOW = Date.parse('2026-12-05T10:00:00Z');
const entries: RankedRef[] = [
  { id: '12', kind: 'affinity', topic: 'heart_failure' },
  { id: '7', kind: 'cluster' },
  { id: '123456789012', kind: 'picked' },
  { id: '0', kind: 'affinity' },
];
const held = entries.map(snapshotRef);
const errorCode = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return 'no error';
};

describe('snapshot cursors', () => {
  it('give back the entries, topic, session token and time they were made with, and the offset', () => {
    const token = newSnapshotToken();
    const payload = cursors.create('42', { token, topic: 'copd', entries: held, complete: false }, NOW);
    const opened = cursors.open('42', cursors.cursorAt(payload, 3), NOW + 1000);
    expect(opened).toEqual({ snapshot: { token, topic: 'copd', createdAt: NOW, entries, complete: false }, payload, offset: 3 });
    const none = cursors.create('42', { token, topic: null, entries: [], complete: true }, NOW);
    expect(cursors.open('42', cursors.cursorAt(none, 0), NOW).snapshot).toMatchObject({ topic: null, entries: [], complete: true });
  });

  it('are extended with more entries, keeping the session', () => {
    const token = newSnapshotToken();
    const payload = cursors.create('42', { token, topic: null, entries: held.slice(0, 2), complete: false }, NOW);
    const longer = cursors.extend('42', payload, held.slice(2), true);
    expect(cursors.open('42', cursors.cursorAt(longer, 2), NOW).snapshot).toEqual({ token, topic: null, createdAt: NOW, entries, complete: true });
  });

  it("refuse another doctor's cursor, an altered one, one past its end and a made-up one; expire after the TTL", () => {
    const payload = cursors.create('42', { token: newSnapshotToken(), topic: null, entries: held, complete: true }, NOW);
    const cursor = cursors.cursorAt(payload, 1);
    expect(errorCode(() => cursors.open('43', cursor, NOW))).toBe('FEED_CURSOR_INVALID');
    for (const at of [0, 5, 30, payload.length - 2]) {
      const altered = payload.slice(0, at) + (payload[at] === 'A' ? 'B' : 'A') + payload.slice(at + 1);
      expect(errorCode(() => cursors.open('42', cursors.cursorAt(altered, 1), NOW))).toBe('FEED_CURSOR_INVALID');
    }
    expect(errorCode(() => cursors.open('42', cursors.cursorAt(payload, entries.length + 1), NOW))).toBe('FEED_CURSOR_INVALID');
    expect(errorCode(() => cursors.open('42', 'abc.1', NOW))).toBe('FEED_CURSOR_INVALID');
    expect(errorCode(() => cursors.open('42', `${'A'.repeat(80)}.1`, NOW))).toBe('FEED_CURSOR_INVALID');
    // Signed with another secret: not this server's.
    const foreign = new SnapshotCursors('another secret of more than thirty-two characters!');
    expect(errorCode(() => cursors.open('42', foreign.cursorAt(foreign.create('42', { token: newSnapshotToken(), topic: null, entries: held, complete: true }, NOW), 1), NOW))).toBe('FEED_CURSOR_INVALID');
    expect(errorCode(() => cursors.open('42', cursor, NOW + PAGING.snapshotTtlMs - 1))).toBe('no error');
    expect(errorCode(() => cursors.open('42', cursor, NOW + PAGING.snapshotTtlMs))).toBe('FEED_CURSOR_EXPIRED');
  });

  it('stay short: fifty entries with six-digit ids in about 330 characters', () => {
    const fifty = Array.from({ length: 50 }, (_, i): RankedRef => ({ id: String(100_000 + i * 7919), kind: i % 2 ? 'affinity' : 'editor', topic: i % 2 ? 'diabetes' : undefined }));
    const payload = cursors.create('42', { token: newSnapshotToken(), topic: null, entries: fifty.map((e) => snapshotRef(e.topic ? e : { id: e.id, kind: e.kind })), complete: false }, NOW);
    expect(payload.length).toBeLessThanOrEqual(330);
    expect(cursors.open('42', cursors.cursorAt(payload, 10), NOW).snapshot.entries).toHaveLength(50);
  });

  it('hold only content keys', () => {
    for (const id of ['x1', '012', '1.5', '9007199254740993']) expect(() => snapshotRef({ id, kind: 'picked' })).toThrow(/not a key/);
    expect(() => cursors.create('42', { token: newSnapshotToken(), topic: null, entries: [{ key: Number.NaN, code: 0 }], complete: true }, NOW)).toThrow(/not one a cursor/);
  });

  it('use session tokens impressions accept, never the same twice', () => {
    const tokens = Array.from({ length: 600 }, newSnapshotToken);
    expect(tokens.every((t) => /^[A-Za-z0-9_-]{22}$/.test(t))).toBe(true);
    expect(new Set(tokens).size).toBe(600);
  });
});

describe('the cursor MAC', () => {
  it('is HMAC-SHA256 of the id, a zero byte and the body, for any key up to a block, id and body length', () => {
    for (const keyLength of [1, 32, 64]) {
      const key = randomBytes(keyLength);
      const mac = new CursorMac(key);
      // Growing bodies, past the room the MAC starts with, and back to short ones (the room is reused).
      for (const [id, bodyLength] of [['42', 0], ['123456789012', 24], ['医生-7', 300], ['9', 5000], ['42', 40]] as const) {
        const body = randomBytes(bodyLength);
        const expected = createHmac('sha256', key).update(id).update('\0').update(body).digest();
        expect(Buffer.from(mac.mac(id, body), 'latin1').equals(expected)).toBe(true);
      }
    }
  });

  it('refuses a key longer than a block (HMAC would hash it first)', () => {
    expect(() => new CursorMac(randomBytes(65))).toThrow(/longer than a block/);
  });
});
