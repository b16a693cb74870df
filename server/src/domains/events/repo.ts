/**
 * Event storage: one multi-row INSERT per batch. Exactly-once comes from the unique key
 * (hcp_id, event_id): INSERT IGNORE skips rows already stored and reports how many it inserted.
 * INSERT IGNORE would also turn a bad value into a warning instead of an error, so the pipeline
 * validates every field against the column sizes first, and any warning other than "duplicate
 * entry" fails the request rather than storing a mangled row.
 */
import type { Db, ResultSetHeader, RowDataPacket } from '../../platform/db.js';
import type { EventRow } from './pipeline.js';

const ER_DUP_ENTRY = 1062;

export async function insertEvents(db: Db, hcpId: string, rows: EventRow[], receivedAt: Date): Promise<{ inserted: number }> {
  if (rows.length === 0) return { inserted: 0 };
  const placeholders = rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  const params: unknown[] = [];
  for (const r of rows) {
    params.push(hcpId, r.eventId, r.type, r.clientTs, receivedAt, r.sessionId, r.page, r.scene, JSON.stringify(r.props));
  }
  const [res] = await db.query<ResultSetHeader>(
    `INSERT IGNORE INTO events (hcp_id, event_id, type, client_ts, received_at, session_id, page, scene, props) VALUES ${placeholders}`,
    params,
  );
  if (res.warningStatus > 0) {
    const [warnings] = await db.query<RowDataPacket[]>('SHOW WARNINGS');
    const unexpected = warnings.filter((w) => Number(w.Code) !== ER_DUP_ENTRY);
    if (unexpected.length > 0) {
      throw new Error(`event insert produced warnings: ${unexpected.map((w) => `${w.Code} ${w.Message}`).join('; ')}`);
    }
  }
  return { inserted: res.affectedRows };
}
