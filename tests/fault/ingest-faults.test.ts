/**
 * Fault test: 20,000 events from ten doctors, sent by the mini-program's own tracking core (the
 * same code that runs in WeChat, with an in-memory storage and a fetch transport), while the
 * server process is killed with SIGKILL and restarted twice and its database connections are
 * killed once. At the end every event is stored exactly once: none missing, none doubled.
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createTracker } from '../../miniapp/src/tracking/core.js';
import type { PersistentStorage, Tracker, TransportResult } from '../../miniapp/src/tracking/types.js';
import { freePort, freshDatabase, signIn, spawnServer, type ServerProcess, type TestDatabase } from '../support/serverProcess.js';

const DOCTORS = 10;
const EVENTS = 20_000;

let db: TestDatabase;
let server: ServerProcess | undefined;
afterAll(async () => {
  server?.child.kill('SIGKILL');
  await db?.drop();
});

class MemoryStorage implements PersistentStorage {
  private readonly m = new Map<string, string>();
  get(k: string) {
    return this.m.get(k) ?? null;
  }
  set(k: string, v: string) {
    this.m.set(k, v);
  }
  remove(k: string) {
    this.m.delete(k);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('event delivery under faults', () => {
  it('stores 20,000 events exactly once across two SIGKILLs and a dropped database connection', async () => {
    db = await freshDatabase('hcp360_fault', inject('mysqlServerUrl'));
    const port = await freePort();
    const fakePort = await freePort();
    const env = { EVENTS_RATE_LIMIT_PER_MINUTE: '100000' };
    const start = () => spawnServer({ databaseUrl: db.url, port, fakePort, env });
    server = await start();
    const base = server.url;

    const stats = { networkErrors: 0, serverErrors: 0, ok: 0 };
    const trackers: Tracker[] = [];
    const doctorIds: string[] = [];
    for (let d = 0; d < DOCTORS; d++) {
      const { token, id } = await signIn(server, `fault-doctor-${d}-${randomBytes(3).toString('hex')}`);
      doctorIds.push(id);
      trackers.push(
        createTracker({
          storage: new MemoryStorage(),
          context: () => ({ session_id: `fault-session-${d}`, page: 'pages/article/index' }),
          transport: async (events): Promise<TransportResult> => {
            try {
              const res = await fetch(`${base}/api/events`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
                body: JSON.stringify({ events }),
                signal: AbortSignal.timeout(5000),
              });
              const data = await res.json().catch(() => null);
              if (res.status >= 500) stats.serverErrors++;
              else stats.ok++;
              const retryAfter = res.headers.get('retry-after');
              return { status: res.status, data, ...(retryAfter && { retryAfterSeconds: Number(retryAfter) }) };
            } catch (err) {
              stats.networkErrors++;
              throw err;
            }
          },
          flushIntervalMs: 100,
          backoffBaseMs: 50,
          backoffMaxMs: 1000,
          // The queue's bound is the client's storage policy (the oldest go past 1,000 events:
          // core.test.ts). This test sends about 400 events a second per doctor, so a tracker
          // backing off for up to a second after a fault on a slow machine can hold more than
          // that; here every event must survive, so the bound is above all it sends.
          maxQueueEvents: EVENTS,
          maxQueueBytes: 64 * 1024 * 1024,
          logger: { warn: () => undefined },
        }),
      );
    }

    const admin = await mysql.createConnection({ uri: db.url });
    const sent = new Set<string>();
    const started = Date.now();
    const faults: string[] = [];
    for (let i = 0; i < EVENTS; i++) {
      const id = trackers[i % DOCTORS]!.track('content_read', { content_id: String(1 + (i % 50)), dwell_ms: 1000 + (i % 90_000), scroll_depth: (i % 100) / 100 });
      sent.add(`${i % DOCTORS}:${id}`);
      if (i % 400 === 399) await sleep(15);
      if (i === 5000 || i === 15_000) {
        server.child.kill('SIGKILL');
        await server.exited;
        faults.push(`SIGKILL at event ${i}`);
        await sleep(300);
        server = await start();
      }
      if (i === 10_000) {
        const [rows] = await admin.query<mysql.RowDataPacket[]>('SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()', [new URL(db.url).pathname.slice(1)]);
        for (const r of rows) await admin.query(`KILL ${Number(r.ID)}`).catch(() => undefined);
        faults.push(`killed ${rows.length} database connections at event ${i}`);
      }
    }

    // Let every tracker drain its queue.
    const deadline = Date.now() + 90_000;
    while (trackers.some((t) => t.stats().queued > 0) && Date.now() < deadline) {
      await Promise.all(trackers.map((t) => t.flush()));
      await sleep(50);
    }
    for (const t of trackers) t.stop();
    const elapsed = (Date.now() - started) / 1000;

    const [totals] = await admin.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n, COUNT(DISTINCT hcp_id, event_id) AS u FROM events');
    const total = totals[0];
    const [perDoctor] = await admin.query<mysql.RowDataPacket[]>('SELECT hcp_id, COUNT(*) AS n FROM events GROUP BY hcp_id');
    const [storedIds] = await admin.query<mysql.RowDataPacket[]>('SELECT hcp_id, event_id FROM events');
    await admin.end();

    const byDoctor = new Map(doctorIds.map((id, d) => [id, d]));
    const stored = new Set(storedIds.map((r) => `${byDoctor.get(String(r.hcp_id))}:${r.event_id}`));
    const missing = [...sent].filter((k) => !stored.has(k));
    const acknowledged = trackers.reduce((n, t) => n + t.stats().sent + t.stats().duplicates, 0);
    const duplicatesSeen = trackers.reduce((n, t) => n + t.stats().duplicates, 0);
    process.stdout.write(
      `fault test: ${EVENTS} events from ${DOCTORS} doctors in ${elapsed.toFixed(1)} s; faults: ${faults.join('; ')}; ` +
        `requests ok ${stats.ok}, 5xx ${stats.serverErrors}, network errors ${stats.networkErrors}; ` +
        `server answered "duplicate" for ${duplicatesSeen} resent events; stored ${total!.n}; dropped by the trackers ${trackers.reduce((n, t) => n + t.stats().dropped, 0)}, rejected by the server ${trackers.reduce((n, t) => n + t.stats().rejected, 0)}\n`,
    );

    expect(faults).toHaveLength(3);
    expect(stats.networkErrors + stats.serverErrors, 'the faults must actually have hit requests').toBeGreaterThan(0);
    expect(missing).toEqual([]);
    expect(Number(total!.n)).toBe(EVENTS);
    expect(Number(total!.u)).toBe(EVENTS);
    expect(perDoctor.map((r) => Number(r.n))).toEqual(Array.from({ length: DOCTORS }, () => EVENTS / DOCTORS));
    expect(acknowledged).toBeGreaterThanOrEqual(EVENTS);
    expect(trackers.every((t) => t.stats().queued === 0 && t.stats().dropped === 0)).toBe(true);
  }, 180_000);
});
