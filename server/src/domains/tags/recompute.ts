/**
 * Full recompute: rebuilds every derived table from the raw events and profiles, with the same
 * fold (applyEvent) and evaluation (evaluateDoctors) the live tagger uses, so the result equals
 * the incrementally kept state. Events are folded in memory in id order, in large pages; state is
 * then written in bulk and every doctor evaluated once.
 *
 * While it runs it holds every tagger partition's lease, so live taggers pause; when it finishes,
 * the cursors point at the last event it folded and the taggers carry on from there.
 */
import type { RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { applyEvent, emptyActivity, type ActivityState, type Affinities, type Catalogue, type ItemInfo } from './activity.js';
import { evaluateDoctors, type ItemSources } from './evaluate.js';
import { saveAffinities, syncReferrals } from './repo.js';
import { listRuleDefinitions, refreshMembership } from './rules.js';
import { loadSettings } from './settings.js';
import { DEFAULT_TAGGER_OPTIONS, rowToEvent } from './tagger.js';

const OWNER = 'recompute';

export interface RecomputeProgress {
  phase: 'events' | 'write' | 'evaluate' | 'segments';
  done: number;
  total: number;
}

export interface RecomputeSummary {
  events: number;
  doctors: number;
  affinityCells: number;
  seconds: number;
  eventsPerSecond: number;
}

export async function recompute(
  deps: Pick<Deps, 'pool' | 'clock'>,
  opts: { itemSources: ItemSources; partitions?: number; pageSize?: number; gapWaitMs?: number; onProgress?: (p: RecomputeProgress) => void },
): Promise<RecomputeSummary> {
  const started = performance.now();
  const { pool } = deps;
  const pageSize = opts.pageSize ?? 50_000;
  const now = deps.clock();
  const settings = await loadSettings(pool);

  // Pause the taggers: take every partition's lease for an hour (released at the end). The cursors
  // are made first if no tagger ever ran here, so a tagger started later carries on after the
  // events folded here instead of folding them all again.
  const partitions = Array.from({ length: opts.partitions ?? DEFAULT_TAGGER_OPTIONS.partitions }, (_, p) => [p, new Date(now)]);
  await pool.query('INSERT IGNORE INTO tagger_cursors (partition_no, updated_at) VALUES ?', [partitions]);
  await pool.query('UPDATE tagger_cursors SET lease_owner = ?, lease_until = ?', [OWNER, new Date(now + 3_600_000)]);
  try {
    const [[maxRow]] = (await pool.query<RowDataPacket[]>('SELECT COALESCE(MAX(id), 0) AS m FROM events')) as unknown as [RowDataPacket[]];
    const maxId = String(maxRow!.m);
    // Ids below maxId that are still being written commit within the gap wait.
    await new Promise((r) => setTimeout(r, opts.gapWaitMs ?? 0));
    const [[countRow]] = (await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM events WHERE id <= ?', [maxId])) as unknown as [RowDataPacket[]];
    const total = Number(countRow!.n);

    // Facts that do not come from events survive the rebuild.
    const [accepted] = await pool.query<RowDataPacket[]>('SELECT hcp_id, cases_accepted FROM hcp_activity WHERE cases_accepted > 0');
    const casesAccepted = new Map(accepted.map((r) => [String(r.hcp_id), Number(r.cases_accepted)]));

    const states = new Map<string, { state: ActivityState; aff: Affinities }>();
    const itemCache: Record<keyof Catalogue, Map<string, ItemInfo>> = { content: new Map(), live: new Map(), campaign: new Map() };
    let folded = 0;
    const page = (after: string) =>
      pool.query<RowDataPacket[]>('SELECT id, hcp_id, type, client_ts, scene, props FROM events WHERE id > ? AND id <= ? ORDER BY id LIMIT ?', [after, maxId, pageSize]).then(([rows]) => rows);
    // Read the next page while folding this one.
    let next = page('0');
    for (;;) {
      const rows = await next;
      if (rows.length === 0) break;
      next = rows.length === pageSize ? page(String(rows[rows.length - 1]!.id)) : Promise.resolve([]);
      const events = rows.map(rowToEvent);
      // Look up only the items not seen in earlier pages.
      for (const kind of ['content', 'live', 'campaign'] as const) {
        const key = kind === 'content' ? 'content_id' : kind === 'live' ? 'live_id' : 'campaign_id';
        const wanted = [...new Set(events.map((e) => e.props[key]).filter((v): v is string => typeof v === 'string' && !itemCache[kind].has(v)))];
        const source = opts.itemSources[kind];
        if (source && wanted.length) for (const [id, info] of await source(pool, wanted)) itemCache[kind].set(id, info);
      }
      for (const e of events) {
        let s = states.get(e.hcpId);
        if (!s) states.set(e.hcpId, (s = { state: emptyActivity(), aff: new Map() }));
        applyEvent(s.state, s.aff, e, itemCache, settings);
      }
      folded += events.length;
      opts.onProgress?.({ phase: 'events', done: folded, total });
    }

    // Write the folded state in bulk.
    await pool.query('DELETE FROM hcp_topic_affinity');
    await pool.query('DELETE FROM referrals');
    await pool.query('DELETE FROM engine_dirty');
    await pool.query('DELETE FROM hcp_activity');
    const ids = [...states.keys()];
    const cells = ids.flatMap((hcpId) => [...states.get(hcpId)!.aff.entries()].map(([topic, c]) => ({ hcpId, topic, raw: c.raw, asOf: c.asOf })));
    await saveAffinities(pool, cells);
    // Referrals first (evaluation counts them); activity rows are written once, by the evaluation.
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      await syncReferrals(pool, chunk.map((hcpId) => ({ hcpId, arrival: states.get(hcpId)!.state.arrival })));
      opts.onProgress?.({ phase: 'write', done: Math.min(ids.length, i + 1000), total: ids.length });
    }

    // Evaluate every doctor (those without events too: their static tags and membership).
    const [doctors] = await pool.query<RowDataPacket[]>('SELECT id FROM hcps WHERE merged_into IS NULL ORDER BY id');
    const all = doctors.map((r) => String(r.id));
    // Two chunks at a time, each in its own transaction: the database works on one while Node
    // derives the tags of the other (chunks are disjoint sets of doctors).
    const chunks: string[][] = [];
    for (let i = 0; i < all.length; i += 500) chunks.push(all.slice(i, i + 500));
    let evaluated = 0;
    const evaluateChunk = async (chunk: string[]) => {
      const activity = new Map(chunk.filter((id) => states.has(id)).map((id) => [id, { state: states.get(id)!.state, casesAccepted: casesAccepted.get(id) ?? 0 }]));
      const affinities = new Map(chunk.filter((id) => states.has(id)).map((id) => [id, states.get(id)!.aff]));
      const conn = await pool.getConnection();
      try {
        await conn.beginTransaction();
        await evaluateDoctors(conn, chunk, settings, now, { activity, affinities });
        await conn.commit();
      } catch (err) {
        await conn.rollback();
        throw err;
      } finally {
        conn.release();
      }
      evaluated += chunk.length;
      opts.onProgress?.({ phase: 'evaluate', done: evaluated, total: all.length });
    };
    let nextChunk = 0;
    await Promise.all(
      [0, 1].map(async () => {
        while (nextChunk < chunks.length) await evaluateChunk(chunks[nextChunk++]!);
      }),
    );
    await refreshMembership(pool, await listRuleDefinitions(pool), now, settings);
    opts.onProgress?.({ phase: 'segments', done: 1, total: 1 });

    await pool.query('UPDATE tagger_cursors SET last_event_id = ?, updated_at = ?', [maxId, new Date(deps.clock())]);
    const seconds = (performance.now() - started) / 1000;
    return { events: folded, doctors: all.length, affinityCells: cells.length, seconds, eventsPerSecond: folded / seconds };
  } finally {
    await pool.query('UPDATE tagger_cursors SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?', [OWNER]);
  }
}
