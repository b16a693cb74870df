/**
 * Writes a synthetic world (generator.ts) into the database: a content catalogue written in bulk
 * by the content domain (bulkPublish.ts: the rows its workflow leaves), doctors by bulk insert, and
 * their events by multi-row INSERTs, four in flight. The catalogue went live over the world's
 * days, with priorities from 10 to 90 and one item in ten Rx-only. Used by `npm run generate`
 * and the recompute and feed benchmarks.
 */
import type { Principal } from '../platform/auth.js';
import type { RowDataPacket } from '../platform/db.js';
import type { Deps } from '../platform/deps.js';
import { publishSyntheticCatalogue } from '../domains/content/bulkPublish.js';
import { hashPassword } from '../domains/identity/passwords.js';
import { findStaffByUsername, insertStaff } from '../domains/identity/staffRepo.js';
import { makeWorld, mulberry32, worldEvents, type WorldOptions } from './generator.js';

export interface WriteProgress {
  what: 'content' | 'doctors' | 'events';
  done: number;
  total: number;
}

export async function writeWorld(deps: Deps, opts: Omit<WorldOptions, 'end'>, onProgress: (p: WriteProgress) => void = () => undefined): Promise<{ doctors: number; contents: number; events: number; seconds: number }> {
  const { pool } = deps;
  const end = deps.clock();
  const world = makeWorld({ ...opts, end });
  const started = Date.now();
  // Staff that author and review the synthetic catalogue.
  const staff: Record<'marketing' | 'medical', Principal> = {} as never;
  for (const role of ['marketing', 'medical'] as const) {
    const username = `synthetic_${role}`;
    let row = await findStaffByUsername(pool, username);
    if (!row) await insertStaff(pool, { username, displayName: `合成数据 ${role}`, role, passwordHash: await hashPassword(`${username}-${Math.random()}`) }, end);
    row = await findStaffByUsername(pool, username);
    staff[role] = { kind: 'staff', id: row!.id, role };
  }

  // Catalogue details from their own generator, so the world's doctors and events stay as they were.
  const rng = mulberry32(opts.seed ^ 0xc0de);
  const contentIds = await publishSyntheticCatalogue(
    deps,
    { author: staff.marketing, reviewer: staff.medical },
    world.contents.map((item) => ({
      type: item.format,
      title: `合成内容 ${item.index + 1}`,
      summary: '用于基准测试与模型评估的合成内容',
      body: item.format === 'article' ? '<p>合成正文</p>' : null,
      videoUrl: item.format === 'video' ? 'https://example.com/synthetic.mp4' : null,
      topics: item.topics,
      rxOnly: rng() < 0.1,
      priority: 10 + 10 * Math.floor(rng() * 9),
      segmentIds: [],
      liveFrom: end - Math.floor(rng() * opts.days * 86_400_000),
      expireAt: null,
    })),
  );
  onProgress({ what: 'content', done: contentIds.length, total: world.contents.length });

  const doctorIds: string[] = [];
  const at = new Date(end - opts.days * 86_400_000);
  for (let i = 0; i < world.doctors.length; i += 2000) {
    const chunk = world.doctors.slice(i, i + 2000);
    const rows = chunk.map((d) => {
      const verified = d.index % 5 !== 0;
      return [`合成医生${opts.seed}-${d.index + 1}`, `${d.city}合成医院${(d.index % 50) + 1}`, d.hospitalLevel, d.department, d.title, d.province, d.city, verified ? 'verified' : 'registered', at, verified ? 'verified' : 'none', at, at];
    });
    await pool.query(
      `INSERT INTO hcps (name, hospital, hospital_level, department, title, province, city, lifecycle_stage, lifecycle_since, verification_status, created_at, updated_at) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      rows.flat(),
    );
    // Read the ids back by name rather than assume a multi-row INSERT's ids are consecutive
    // (they are not under interleaved auto-increment, nor on TiDB).
    const names = chunk.map((d) => `合成医生${opts.seed}-${d.index + 1}`);
    const [idRows] = await pool.query<RowDataPacket[]>('SELECT id, name FROM hcps WHERE name IN (?) ORDER BY id', [names]);
    const byName = new Map(idRows.map((r) => [String(r.name), String(r.id)]));
    for (const n of names) doctorIds.push(byName.get(n)!);
    onProgress({ what: 'doctors', done: doctorIds.length, total: world.doctors.length });
  }

  const received = new Date(end);
  let batch: unknown[][] = [];
  let written = 0;
  const inFlight = new Set<Promise<void>>();
  const flush = async (rows: unknown[][]) => {
    await pool.query(`INSERT INTO events (hcp_id, event_id, type, client_ts, received_at, session_id, page, scene, props) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`, rows.flat());
    written += rows.length;
    onProgress({ what: 'events', done: written, total: opts.events });
  };
  for (const e of worldEvents(world, { ...opts, end })) {
    const props = { ...e.props };
    if (typeof props.content_id === 'string') props.content_id = contentIds[Number(props.content_id) - 1];
    batch.push([doctorIds[e.doctor], e.eventId, e.type, new Date(e.ts), received, e.sessionId, 'pages/index/index', e.scene, JSON.stringify(props)]);
    if (batch.length === 2000) {
      const p = flush(batch).finally(() => inFlight.delete(p));
      inFlight.add(p);
      batch = [];
      if (inFlight.size >= 4) await Promise.race(inFlight);
    }
  }
  if (batch.length) await flush(batch);
  await Promise.all(inFlight);
  return { doctors: world.doctors.length, contents: world.contents.length, events: written, seconds: (Date.now() - started) / 1000 };
}
