/**
 * The serving catalogue: every stored-published version (the only ones any serving rule can pass),
 * with its card, topics and audience, held in memory so a feed request applies the rules
 * (eligibility.ts, in memory) instead of reading 10k rows with their topics from the database.
 *
 * Freshness:
 *  - a content write in this process (authoring.ts, transitions.ts, bulkPublish.ts) calls
 *    `changed()` once its transaction has committed; the next reader reloads before answering;
 *  - writes by other instances: every CHECK_EVERY_MS a reader looks at content_revision (one
 *    primary-key read, in the background) and reloads when it moved (migration 006), so instances
 *    converge within about that long. GET /api/content/:id reads the database, not this, so an item
 *    archived elsewhere cannot be opened in that window, only listed;
 *  - the clock: going live, expiring and supersession are evaluated at the request's `now`. The
 *    served set is cached for the interval between two consecutive live_from/expire_at instants,
 *    inside which no rule can change its answer.
 * One catalogue per connection pool (so per process and database; tests and tools that build
 * their own pool get their own).
 */
import type { ContentType, Topic } from '@hcp360/shared';
import type { Pool, RowDataPacket } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { isServedAt, SERVING_RULES, visibleTo, type EligibleContent, type ServingFacts, type Viewer } from './eligibility.js';
import { contentRevision } from './repo.js';

/** How often a reader checks whether another instance changed content. */
export const CHECK_EVERY_MS = 2_000;
/** Viewer views kept per served set (one per combination of verification and targeted segments). */
const MAX_VIEWS = 256;

export interface CatalogueEntry extends ServingFacts {
  versionId: string;
  /** Shared by every request: never mutate. */
  card: EligibleContent;
}

interface Loaded {
  seq: number;
  gen: number;
  revision: string;
  /** Newest first: live_from, then item id (the order eligibleContentFor promises). */
  entries: CatalogueEntry[];
  byItem: Map<string, CatalogueEntry[]>;
  /** Every live_from and expire_at, ascending: the only instants a time rule can change its answer. */
  instants: number[];
}

/** Decimal ids compared as numbers (BIGINT ids arrive as strings). */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

async function readCatalogue(pool: Pool): Promise<Omit<Loaded, 'seq' | 'gen'>> {
  const published = SERVING_RULES.published.sql({ segmentIds: [], verified: false }, new Date(0), true)!.sql;
  const conn = await pool.getConnection();
  try {
    // One snapshot for the revision and the three reads, so they describe the same moment.
    await conn.beginTransaction();
    const revision = await contentRevision(conn);
    const [[rows], [topics], [audience]] = [
      await conn.query<RowDataPacket[]>(
        `SELECT v.id, v.item_id, v.version_no, v.status, v.title, v.summary, v.cover_url, v.rx_only, v.priority, v.audience_all, v.live_from, v.expire_at, i.content_type
           FROM content_versions v JOIN content_items i ON i.id = v.item_id WHERE ${published}`,
      ),
      await conn.query<RowDataPacket[]>(`SELECT t.version_id, t.topic FROM content_topics t JOIN content_versions v ON v.id = t.version_id WHERE ${published} ORDER BY t.version_id, t.topic`),
      await conn.query<RowDataPacket[]>(`SELECT a.version_id, a.segment_id FROM content_audience a JOIN content_versions v ON v.id = a.version_id WHERE ${published} ORDER BY a.version_id, a.segment_id`),
    ];
    await conn.commit();
    const topicsOf = groupBy(topics, (r) => String(r.topic));
    const segmentsOf = groupBy(audience, (r) => String(r.segment_id));
    const entries = rows.map((r): CatalogueEntry => {
      const versionId = String(r.id);
      const liveFrom = r.live_from ? (r.live_from as Date).getTime() : null;
      return {
        versionId,
        itemId: String(r.item_id),
        versionNo: Number(r.version_no),
        status: String(r.status),
        liveFrom,
        expireAt: r.expire_at ? (r.expire_at as Date).getTime() : null,
        audienceAll: Number(r.audience_all) === 1,
        segmentIds: segmentsOf.get(versionId) ?? [],
        rxOnly: Number(r.rx_only) === 1,
        card: {
          id: String(r.item_id),
          type: r.content_type as ContentType,
          title: String(r.title),
          summary: r.summary === null ? null : String(r.summary),
          cover: r.cover_url === null ? null : String(r.cover_url),
          topics: (topicsOf.get(versionId) ?? []) as Topic[],
          rxOnly: Number(r.rx_only) === 1,
          priority: Number(r.priority),
          publishedAt: liveFrom === null ? '' : new Date(liveFrom).toISOString(),
        },
      };
    });
    entries.sort((a, b) => (b.liveFrom ?? -Infinity) - (a.liveFrom ?? -Infinity) || compareIds(b.itemId, a.itemId));
    const byItem = new Map<string, CatalogueEntry[]>();
    for (const e of entries) (byItem.get(e.itemId) ?? byItem.set(e.itemId, []).get(e.itemId)!).push(e);
    const instants = [...new Set(entries.flatMap((e) => [e.liveFrom, e.expireAt]).filter((t): t is number => t !== null))].sort((a, b) => a - b);
    return { revision, entries, byItem, instants };
  } catch (err) {
    await conn.rollback().catch(() => undefined);
    throw err;
  } finally {
    conn.release();
  }
}

function groupBy(rows: RowDataPacket[], value: (r: RowDataPacket) => string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const key = String(r.version_id);
    (out.get(key) ?? out.set(key, []).get(key)!).push(value(r));
  }
  return out;
}

/** What one kind of viewer may see in a served set, and whatever callers derive from it (memoised). */
export class ViewerView {
  private readonly memo = new Map<string, unknown>();
  constructor(readonly items: EligibleContent[]) {}

  /** `build(items)` once per view and `key`: for indexes a caller keeps over the same items. */
  derived<T>(key: string, build: (items: EligibleContent[]) => T): T {
    if (!this.memo.has(key)) this.memo.set(key, build(this.items));
    return this.memo.get(key) as T;
  }
}

/** The versions served at instants in [from, until): the same for every `now` in it. */
export class ServedContent {
  private readonly byItem = new Map<string, CatalogueEntry>();
  /** Segments some served version is aimed at; a viewer's other segments change nothing. */
  private readonly targeted = new Set<string>();
  private readonly views = new Map<string, ViewerView>();

  constructor(
    readonly loaded: Loaded,
    readonly entries: CatalogueEntry[],
    readonly from: number,
    readonly until: number,
  ) {
    for (const e of entries) {
      this.byItem.set(e.itemId, e);
      if (!e.audienceAll) for (const s of e.segmentIds) this.targeted.add(s);
    }
  }

  covers(now: number): boolean {
    return this.from <= now && now < this.until;
  }

  /** Everything `viewer` may see, newest first; views are shared by viewers the rules cannot tell apart. */
  viewFor(viewer: Viewer): ViewerView {
    const canonical: Viewer = { verified: viewer.verified, segmentIds: viewer.segmentIds.filter((s) => this.targeted.has(s)).sort(compareIds) };
    const key = `${canonical.verified ? 1 : 0}|${canonical.segmentIds.join(',')}`;
    let view = this.views.get(key);
    if (view) {
      this.views.delete(key); // most recently used last
    } else {
      view = new ViewerView(this.entries.filter((e) => visibleTo(e, canonical)).map((e) => e.card));
      if (this.views.size >= MAX_VIEWS) this.views.delete(this.views.keys().next().value!);
    }
    this.views.set(key, view);
    return view;
  }

  /** The topics of the item's served version (whoever may see it), for callers that only order by topic. */
  topicsOf(itemId: string): readonly Topic[] | undefined {
    return this.byItem.get(itemId)?.card.topics;
  }

  /** The item's served card if `viewer` may see it. */
  itemFor(viewer: Viewer, itemId: string): EligibleContent | undefined {
    const e = this.byItem.get(itemId);
    return e && visibleTo(e, viewer) ? e.card : undefined;
  }
}

export class ServingCatalogue {
  private loaded: Loaded | undefined;
  private served: ServedContent | undefined;
  private gen = 0;
  private seq = 0;
  private loading: { gen: number; promise: Promise<Loaded> } | undefined;
  private checking: Promise<void> | undefined;
  private checkedAt = 0;

  constructor(
    private readonly pool: Pool,
    private readonly checkEveryMs = CHECK_EVERY_MS,
  ) {}

  /** Content changed in this process (call after the transaction committed): the next read reloads. */
  changed(): void {
    this.gen++;
  }

  /** The versions served at `now`. */
  /** The versions served at `now`: at once when the catalogue is loaded (the feed's hot path awaits nothing then). */
  servedAt(now: number): ServedContent | Promise<ServedContent> {
    const loaded = this.current();
    return loaded instanceof Promise ? loaded.then((l) => this.servedFrom(l, now)) : this.servedFrom(loaded, now);
  }

  private servedFrom(loaded: Loaded, now: number): ServedContent {
    const s = this.served;
    if (s && s.loaded === loaded && s.covers(now)) return s;
    return (this.served = serve(loaded, now));
  }

  private current(): Promise<Loaded> | Loaded {
    const l = this.loaded;
    if (!l || l.gen !== this.gen) return this.load();
    if (performance.now() - this.checkedAt >= this.checkEveryMs) this.check();
    return l;
  }

  private load(): Promise<Loaded> {
    const gen = this.gen;
    if (this.loading?.gen === gen) return this.loading.promise;
    const seq = ++this.seq;
    const promise = readCatalogue(this.pool)
      .then((data) => {
        const l: Loaded = { ...data, seq, gen };
        // A slower, older load never replaces a newer one.
        if (!this.loaded || this.loaded.seq < seq) this.loaded = l;
        this.checkedAt = performance.now();
        return l;
      })
      .finally(() => {
        if (this.loading?.promise === promise) this.loading = undefined;
      });
    this.loading = { gen, promise };
    return promise;
  }

  /** In the background: reload when another instance changed content. A failed check is retried by the next reader. */
  private check(): void {
    this.checkedAt = performance.now();
    this.checking ??= contentRevision(this.pool)
      .then(async (revision) => {
        if (revision !== this.loaded?.revision) await this.load();
      })
      .catch(() => undefined)
      .finally(() => (this.checking = undefined));
  }
}

function serve(l: Loaded, now: number): ServedContent {
  const entries = l.entries.filter((e) => isServedAt(e, l.byItem.get(e.itemId)!, now));
  // The instants around `now`: the served set cannot change strictly between them.
  let lo = 0;
  let hi = l.instants.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (l.instants[mid]! <= now) lo = mid + 1;
    else hi = mid;
  }
  return new ServedContent(l, entries, lo > 0 ? l.instants[lo - 1]! : -Infinity, lo < l.instants.length ? l.instants[lo]! : Infinity);
}

const catalogues = new WeakMap<Pool, ServingCatalogue>();

export function servingCatalogueOf(deps: Pick<Deps, 'pool'>): ServingCatalogue {
  let c = catalogues.get(deps.pool);
  if (!c) catalogues.set(deps.pool, (c = new ServingCatalogue(deps.pool)));
  return c;
}
