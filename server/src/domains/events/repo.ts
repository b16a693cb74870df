/**
 * Event storage: one multi-row INSERT per batch, exactly once per (hcp_id, event_id).
 *
 * Known duplicates are looked up first and left out, so the INSERT normally contains only new
 * rows. That matters to the tagger: its cursor walks `events.id`, and an INSERT IGNORE that
 * skips duplicates still burns their auto-increment values, leaving gaps the tagger would have to
 * wait out. When two requests of the same doctor race, the plain INSERT hits the unique key; we
 * then fall back to INSERT IGNORE, which reports how many rows it stored. INSERT IGNORE would also
 * turn a bad value into a warning, so every field is validated against the column sizes first,
 * and any warning other than "duplicate entry" fails the request rather than storing a mangled row.
 */
import type { Db, ResultSetHeader, RowDataPacket } from '../../platform/db.js';
import type { EventRow } from './pipeline.js';

const ER_DUP_ENTRY = 1062;
const COLUMNS = '(hcp_id, event_id, type, client_ts, received_at, session_id, page, scene, props)';

export async function insertEvents(db: Db, hcpId: string, rows: EventRow[], receivedAt: Date): Promise<{ inserted: number }> {
  if (rows.length === 0) return { inserted: 0 };
  const [existing] = await db.query<RowDataPacket[]>('SELECT event_id FROM events WHERE hcp_id = ? AND event_id IN (?)', [
    hcpId,
    rows.map((r) => r.eventId),
  ]);
  const known = new Set(existing.map((r) => String(r.event_id)));
  const fresh = rows.filter((r) => !known.has(r.eventId));
  if (fresh.length === 0) return { inserted: 0 };

  const placeholders = fresh.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  const params: unknown[] = [];
  for (const r of fresh) {
    params.push(hcpId, r.eventId, r.type, r.clientTs, receivedAt, r.sessionId, r.page, r.scene, JSON.stringify(r.props));
  }
  try {
    const [res] = await db.query<ResultSetHeader>(`INSERT INTO events ${COLUMNS} VALUES ${placeholders}`, params);
    return { inserted: res.affectedRows };
  } catch (err) {
    if ((err as { errno?: number }).errno !== ER_DUP_ENTRY) throw err;
  }
  // A concurrent request of the same doctor stored some of these first. SHOW WARNINGS must run on
  // the connection that ran the INSERT, so take one from the pool for the pair.
  const conn = 'getConnection' in db ? await db.getConnection() : db;
  try {
    const [res] = await conn.query<ResultSetHeader>(`INSERT IGNORE INTO events ${COLUMNS} VALUES ${placeholders}`, params);
    if (res.warningStatus > 0) {
      const [warnings] = await conn.query<RowDataPacket[]>('SHOW WARNINGS');
      const unexpected = warnings.filter((w) => Number(w.Code) !== ER_DUP_ENTRY);
      if (unexpected.length > 0) {
        throw new Error(`event insert produced warnings: ${unexpected.map((w) => `${w.Code} ${w.Message}`).join('; ')}`);
      }
    }
    return { inserted: res.affectedRows };
  } finally {
    if (conn !== db) (conn as import('mysql2/promise').PoolConnection).release();
  }
}
