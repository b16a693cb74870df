/**
 * Read-only aggregates over the events table for other domains (the feed, a doctor's library):
 * what one doctor did with content items, and how much each item was engaged with across all
 * doctors in a time window. Domains never read `events` themselves; they call these.
 * Props are JSON text written by ingest (JSON.stringify), parsed here.
 */
import type { Db, RowDataPacket } from '../../platform/db.js';

export interface ReadFacts {
  count: number;
  lastAt: number;
  /** Longest active dwell and deepest scroll of any one read. */
  maxDwellMs: number;
  maxDepth: number;
}

/** One doctor's history with content items, as of the events stored so far. */
export interface DoctorContentFacts {
  reads: Map<string, ReadFacts>;
  /** Last time the doctor opened each item (content_view or content_read). */
  lastOpenedAt: Map<string, number>;
  /** Items whose latest content_like is on. */
  liked: Set<string>;
  /** Items whose latest content_favorite is on, with when it was turned on; newest first. */
  favorites: { contentId: string; at: number }[];
}

const CONTENT_TYPES = ['content_view', 'content_read', 'content_like', 'content_favorite'];
const OPEN_TYPES = ['content_view', 'content_read'];

function parseProps(text: unknown): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(String(text));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Folds `hcpId`'s content events (in event time order) into per-item facts. */
export async function contentFactsOf(db: Db, hcpId: string): Promise<DoctorContentFacts> {
  return (await contentFactsOfMany(db, [hcpId])).get(hcpId)!;
}

/**
 * contentFactsOf for many doctors in one query (every doctor asked for has an entry). With
 * `reactions: false` only opens and reads are read (`liked` and `favorites` stay empty): what the
 * feed's ranking needs.
 */
export async function contentFactsOfMany(db: Db, hcpIds: string[], opts: { reactions: boolean } = { reactions: true }): Promise<Map<string, DoctorContentFacts>> {
  const byDoctor = new Map<string, RowDataPacket[]>(hcpIds.map((id) => [id, []]));
  if (hcpIds.length) {
    const [rows] = await db.query<RowDataPacket[]>(
      'SELECT hcp_id, type, client_ts, props FROM events WHERE hcp_id IN (?) AND type IN (?) ORDER BY hcp_id, client_ts, id',
      [hcpIds, opts.reactions ? CONTENT_TYPES : OPEN_TYPES],
    );
    for (const r of rows) byDoctor.get(String(r.hcp_id))?.push(r);
  }
  return new Map([...byDoctor].map(([id, rows]) => [id, foldContentEvents(rows)]));
}

function foldContentEvents(rows: RowDataPacket[]): DoctorContentFacts {
  const reads = new Map<string, ReadFacts>();
  const lastOpenedAt = new Map<string, number>();
  const liked = new Map<string, boolean>();
  const favorite = new Map<string, { on: boolean; at: number }>();
  for (const r of rows) {
    const props = parseProps(r.props);
    const id = props.content_id;
    if (typeof id !== 'string') continue;
    const at = (r.client_ts as Date).getTime();
    switch (r.type) {
      case 'content_view':
        lastOpenedAt.set(id, at);
        break;
      case 'content_read': {
        lastOpenedAt.set(id, at);
        const prev = reads.get(id);
        const dwell = Number(props.dwell_ms) || 0;
        const depth = Number(props.scroll_depth) || 0;
        reads.set(id, {
          count: (prev?.count ?? 0) + 1,
          lastAt: at,
          maxDwellMs: Math.max(prev?.maxDwellMs ?? 0, dwell),
          maxDepth: Math.max(prev?.maxDepth ?? 0, depth),
        });
        break;
      }
      case 'content_like':
        liked.set(id, props.on === true);
        break;
      case 'content_favorite':
        favorite.set(id, { on: props.on === true, at });
        break;
    }
  }
  return {
    reads,
    lastOpenedAt,
    liked: new Set([...liked].filter(([, on]) => on).map(([id]) => id)),
    favorites: [...favorite]
      .filter(([, f]) => f.on)
      .map(([contentId, f]) => ({ contentId, at: f.at }))
      .sort((a, b) => b.at - a.at || Number(b.contentId) - Number(a.contentId)),
  };
}

/** One doctor's engagement with one item over a window. Likes and favourites count only when turned on. */
export interface EngagementRow {
  hcpId: string;
  contentId: string;
  reads: number;
  likes: number;
  favorites: number;
  shares: number;
}

/**
 * Every doctor's engagement with every item since `since` (event time), grouped in SQL so only
 * one row per (doctor, item) leaves the database. Uses idx_events_type_ts.
 */
export async function contentEngagementSince(db: Db, since: number): Promise<EngagementRow[]> {
  const contentId = "JSON_UNQUOTE(JSON_EXTRACT(props, '$.content_id'))";
  const on = "JSON_UNQUOTE(JSON_EXTRACT(props, '$.on')) = 'true'";
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT hcp_id, ${contentId} AS content_id,
            SUM(CASE WHEN type = 'content_read' THEN 1 ELSE 0 END) AS n_reads,
            SUM(CASE WHEN type = 'content_like' AND ${on} THEN 1 ELSE 0 END) AS n_likes,
            SUM(CASE WHEN type = 'content_favorite' AND ${on} THEN 1 ELSE 0 END) AS n_favorites,
            SUM(CASE WHEN type = 'content_share' THEN 1 ELSE 0 END) AS n_shares
       FROM events
      WHERE type IN ('content_read', 'content_like', 'content_favorite', 'content_share') AND client_ts >= ?
      GROUP BY hcp_id, ${contentId}`,
    [new Date(since)],
  );
  return rows
    .filter((r) => typeof r.content_id === 'string' && /^[1-9][0-9]{0,18}$/.test(r.content_id))
    .map((r) => ({
      hcpId: String(r.hcp_id),
      contentId: String(r.content_id),
      reads: Number(r.n_reads),
      likes: Number(r.n_likes),
      favorites: Number(r.n_favorites),
      shares: Number(r.n_shares),
    }));
}
