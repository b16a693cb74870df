/**
 * `npm run generate -- --doctors N --events M [--days D] [--seed S]`: writes a synthetic world
 * (doctors with latent interests and rhythms, a content catalogue, and their events) into the
 * database by bulk insert, with progress. 100k doctors × 10M events takes a few minutes here.
 * Then `npm run recompute` builds their profiles.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { Principal } from '../platform/auth.js';
import type { ResultSetHeader } from '../platform/db.js';
import { createContent } from '../domains/content/authoring.js';
import { transitionContent } from '../domains/content/transitions.js';
import { hashPassword } from '../domains/identity/passwords.js';
import { findStaffByUsername, insertStaff } from '../domains/identity/staffRepo.js';
import { makeWorld, worldEvents } from '../dev/generator.js';
import { cliDeps } from './database.js';

const { values } = parseArgs({
  options: {
    doctors: { type: 'string', default: '1000' },
    events: { type: 'string', default: '100000' },
    days: { type: 'string', default: '120' },
    seed: { type: 'string', default: '42' },
  },
});
const opts = { doctors: Number(values.doctors), events: Number(values.events), days: Number(values.days), seed: Number(values.seed) };
for (const [k, v] of Object.entries(opts)) {
  if (!Number.isInteger(v) || v <= 0) {
    process.stderr.write(`--${k} must be a positive whole number\n`);
    process.exit(2);
  }
}

const { deps, close } = await cliDeps();
const { pool } = deps;
const end = deps.clock();
const world = makeWorld({ ...opts, end });
const bar = new cliProgress.SingleBar({ format: '{what} [{bar}] {percentage}% {value}/{total} {rate}', hideCursor: true }, cliProgress.Presets.shades_classic);

try {
  // Staff that author and review the synthetic catalogue.
  const staff: Record<'marketing' | 'medical', Principal> = {} as never;
  for (const role of ['marketing', 'medical'] as const) {
    const username = `synthetic_${role}`;
    let row = await findStaffByUsername(pool, username);
    if (!row) await insertStaff(pool, { username, displayName: `合成数据 ${role}`, role, passwordHash: await hashPassword(`${username}-${Math.random()}`) }, end);
    row = await findStaffByUsername(pool, username);
    staff[role] = { kind: 'staff', id: row!.id, role };
  }

  bar.start(world.contents.length, 0, { what: 'content  ', rate: '' });
  const contentIds: string[] = [];
  for (const item of world.contents) {
    const created = await createContent(deps, staff.marketing, {
      type: item.format,
      title: `合成内容 ${item.index + 1}`,
      summary: '用于基准测试与模型评估的合成内容',
      topics: item.topics,
      rxOnly: false,
      priority: 50,
      segmentIds: [],
      ...(item.format === 'article' ? { body: '<p>合成正文</p>' } : { videoUrl: 'https://example.com/synthetic.mp4' }),
    });
    await transitionContent(deps, staff.marketing, created.id, 'submit', undefined);
    await transitionContent(deps, staff.medical, created.id, 'approve', undefined);
    await transitionContent(deps, staff.marketing, created.id, 'publish', undefined);
    contentIds.push(created.id);
    bar.increment();
  }
  bar.stop();

  bar.start(world.doctors.length, 0, { what: 'doctors  ', rate: '' });
  const doctorIds: string[] = [];
  const at = new Date(end - opts.days * 86_400_000);
  for (let i = 0; i < world.doctors.length; i += 2000) {
    const chunk = world.doctors.slice(i, i + 2000);
    const rows = chunk.map((d) => {
      const verified = d.index % 5 !== 0;
      return [`合成医生${opts.seed}-${d.index + 1}`, `${d.city}合成医院${(d.index % 50) + 1}`, d.hospitalLevel, d.department, d.title, d.province, d.city, verified ? 'verified' : 'registered', at, verified ? 'verified' : 'none', at, at];
    });
    await pool.query<ResultSetHeader>(
      `INSERT INTO hcps (name, hospital, hospital_level, department, title, province, city, lifecycle_stage, lifecycle_since, verification_status, created_at, updated_at) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      rows.flat(),
    );
    // Read the ids back by name rather than assume a multi-row INSERT's ids are consecutive
    // (they are not under interleaved auto-increment, nor on TiDB).
    const names = chunk.map((d) => `合成医生${opts.seed}-${d.index + 1}`);
    const [idRows] = await pool.query<import('../platform/db.js').RowDataPacket[]>('SELECT id, name FROM hcps WHERE name IN (?) ORDER BY id', [names]);
    const byName = new Map(idRows.map((r) => [String(r.name), String(r.id)]));
    for (const n of names) doctorIds.push(byName.get(n)!);
    bar.increment(chunk.length);
  }
  bar.stop();

  bar.start(opts.events, 0, { what: 'events   ', rate: '' });
  const started = Date.now();
  const received = new Date(end);
  let batch: unknown[][] = [];
  let written = 0;
  const inFlight = new Set<Promise<void>>();
  const flush = async (rows: unknown[][]) => {
    await pool.query(`INSERT INTO events (hcp_id, event_id, type, client_ts, received_at, session_id, page, scene, props) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`, rows.flat());
    written += rows.length;
    bar.update(Math.min(written, opts.events), { rate: `${Math.round(written / ((Date.now() - started) / 1000))} events/s` });
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
  bar.stop();
  process.stdout.write(`Generated ${world.doctors.length} doctors, ${world.contents.length} content items and ${written} events in ${((Date.now() - started) / 1000).toFixed(1)} s. Run \`npm run recompute\` to build their profiles.\n`);
} finally {
  await close();
}
