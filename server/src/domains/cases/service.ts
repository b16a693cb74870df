/** What the cases domain offers other domains: the topics of campaigns (the engine's `campaign` item source). */
import type { Topic } from '@hcp360/shared';
import type { Db, RowDataPacket } from '../../platform/db.js';

/** Topics of each campaign (case_submit events carry campaign_id); unknown ids are left out. */
export async function campaignInfoOf(db: Db, ids: string[]): Promise<Map<string, { topics: Topic[] }>> {
  const out = new Map<string, { topics: Topic[] }>();
  const wanted = [...new Set(ids)].filter((id) => /^[1-9][0-9]{0,18}$/.test(id));
  if (wanted.length === 0) return out;
  const [rows] = await db.query<RowDataPacket[]>('SELECT id, topics FROM case_campaigns WHERE id IN (?)', [wanted]);
  for (const r of rows) out.set(String(r.id), { topics: JSON.parse(String(r.topics)) as Topic[] });
  return out;
}
