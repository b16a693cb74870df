/**
 * Rule tags and segments: definitions, previews and membership. Membership is computed in SQL
 * (ruleSql.ts) and written as a difference, either for a set of doctors (after their inputs
 * changed) or for everyone (after a rule changed, and periodically as affinities decay).
 */
import type { Rule } from '@hcp360/shared';
import type { Db, ResultSetHeader, RowDataPacket } from '../../platform/db.js';
import { recordDoctorChanges } from './changeLog.js';
import { compileRule } from './ruleSql.js';
import type { EngineSettings } from './settings.js';

export interface RuleDefinition {
  id: string;
  kind: 'tag' | 'segment';
  tagKey: string | null;
  name: string;
  description: string | null;
  rule: Rule;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

function present(r: RowDataPacket): RuleDefinition {
  return {
    id: String(r.id),
    kind: r.kind,
    tagKey: r.tag_key,
    name: r.name,
    description: r.description,
    rule: JSON.parse(String(r.rule)) as Rule,
    createdBy: String(r.created_by),
    createdAt: (r.created_at as Date).toISOString(),
    updatedAt: (r.updated_at as Date).toISOString(),
  };
}

export async function listRuleDefinitions(db: Db, kind?: 'tag' | 'segment'): Promise<RuleDefinition[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT * FROM rule_definitions WHERE deleted_at IS NULL ${kind ? 'AND kind = ?' : ''} ORDER BY id`,
    kind ? [kind] : [],
  );
  return rows.map(present);
}

export async function getRuleDefinition(db: Db, id: string, kind: 'tag' | 'segment'): Promise<RuleDefinition | undefined> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT * FROM rule_definitions WHERE id = ? AND kind = ? AND deleted_at IS NULL', [id, kind]);
  return rows[0] ? present(rows[0]) : undefined;
}

export async function insertRuleDefinition(
  db: Db,
  def: { kind: 'tag' | 'segment'; tagKey?: string; name: string; description?: string; rule: Rule; createdBy: string },
  now: number,
): Promise<string> {
  const at = new Date(now);
  const [res] = await db.query<ResultSetHeader>(
    'INSERT INTO rule_definitions (kind, tag_key, name, description, rule, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [def.kind, def.tagKey ?? null, def.name, def.description ?? null, JSON.stringify(def.rule), def.createdBy, at, at],
  );
  return String(res.insertId);
}

export async function updateRuleDefinition(db: Db, id: string, def: { name: string; description?: string; rule: Rule }, now: number): Promise<void> {
  await db.query('UPDATE rule_definitions SET name = ?, description = ?, rule = ?, updated_at = ? WHERE id = ?', [
    def.name,
    def.description ?? null,
    JSON.stringify(def.rule),
    new Date(now),
    id,
  ]);
}

export async function deleteRuleDefinition(db: Db, def: RuleDefinition, now: number): Promise<void> {
  const at = new Date(now);
  // The tag key is freed so a new rule tag may take it.
  await db.query('UPDATE rule_definitions SET deleted_at = ?, tag_key = NULL, updated_at = ? WHERE id = ?', [at, at, def.id]);
  if (def.kind === 'segment') {
    await db.query('DELETE FROM segment_members WHERE segment_id = ?', [def.id]);
    await recordDoctorChanges(db, 'everyone', now);
  }
  else if (def.tagKey) {
    await db.query(
      'INSERT INTO hcp_tag_history (hcp_id, tag_key, old_value, new_value, at) SELECT hcp_id, tag_key, value, NULL, ? FROM hcp_tags WHERE tag_key = ?',
      [at, def.tagKey],
    );
    await db.query('DELETE FROM hcp_tags WHERE tag_key = ?', [def.tagKey]);
  }
}

/** Doctors (live records) matching `rule` now; `within` limits the check to some doctors. */
export async function matchingDoctors(db: Db, rule: Rule, now: number, settings: EngineSettings, within?: string[]): Promise<string[]> {
  if (within && within.length === 0) return [];
  const { sql, params } = compileRule(rule, now, settings);
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT h.id FROM hcps h WHERE h.merged_into IS NULL ${within ? 'AND h.id IN (?)' : ''} AND ${sql}`,
    within ? [within, ...params] : params,
  );
  return rows.map((r) => String(r.id));
}

export async function previewRule(db: Db, rule: Rule, now: number, settings: EngineSettings, sampleSize = 10) {
  const { sql, params } = compileRule(rule, now, settings);
  const [counted] = await db.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM hcps h WHERE h.merged_into IS NULL AND ${sql}`, params);
  const [sample] = await db.query<RowDataPacket[]>(
    `SELECT h.id, h.name, h.hospital, h.department, h.title FROM hcps h WHERE h.merged_into IS NULL AND ${sql} ORDER BY h.id LIMIT ?`,
    [...params, sampleSize],
  );
  return {
    count: Number(counted[0]!.n),
    sample: sample.map((r) => ({ id: String(r.id), name: r.name, hospital: r.hospital, department: r.department, title: r.title })),
  };
}

/**
 * Brings membership of `defs` up to date for `within` doctors (or everyone). Segments write
 * segment_members; rule tags write hcp_tags (value "true") with history. Returns changes made.
 */
export async function refreshMembership(db: Db, defs: RuleDefinition[], now: number, settings: EngineSettings, within?: string[]): Promise<number> {
  let changes = 0;
  const at = new Date(now);
  for (const def of defs) {
    const members = new Set(await matchingDoctors(db, def.rule, now, settings, within));
    const scope = within ? 'AND hcp_id IN (?)' : '';
    const scopeParams = within ? [within] : [];
    if (def.kind === 'segment') {
      const [rows] = await db.query<RowDataPacket[]>(`SELECT hcp_id FROM segment_members WHERE segment_id = ? ${scope}`, [def.id, ...scopeParams]);
      const have = new Set(rows.map((r) => String(r.hcp_id)));
      const add = [...members].filter((id) => !have.has(id));
      const drop = [...have].filter((id) => !members.has(id));
      for (let i = 0; i < add.length; i += 1000) {
        const chunk = add.slice(i, i + 1000);
        await db.query(`INSERT IGNORE INTO segment_members (segment_id, hcp_id, since) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`, chunk.flatMap((id) => [def.id, id, at]));
      }
      for (let i = 0; i < drop.length; i += 1000) {
        await db.query('DELETE FROM segment_members WHERE segment_id = ? AND hcp_id IN (?)', [def.id, drop.slice(i, i + 1000)]);
      }
      changes += add.length + drop.length;
      // Audiences follow segments: caches of these doctors' state (the feed's) are out of date.
      await recordDoctorChanges(db, [...add, ...drop], now);
    } else if (def.tagKey) {
      const [rows] = await db.query<RowDataPacket[]>(`SELECT hcp_id FROM hcp_tags WHERE tag_key = ? ${scope}`, [def.tagKey, ...scopeParams]);
      const have = new Set(rows.map((r) => String(r.hcp_id)));
      const add = [...members].filter((id) => !have.has(id));
      const drop = [...have].filter((id) => !members.has(id));
      for (let i = 0; i < add.length; i += 1000) {
        const chunk = add.slice(i, i + 1000);
        await db.query(`INSERT IGNORE INTO hcp_tags (hcp_id, tag_key, value, score, since, updated_at) VALUES ${chunk.map(() => "(?, ?, 'true', NULL, ?, ?)").join(', ')}`, chunk.flatMap((id) => [id, def.tagKey, at, at]));
        await db.query(`INSERT INTO hcp_tag_history (hcp_id, tag_key, old_value, new_value, at) VALUES ${chunk.map(() => "(?, ?, NULL, 'true', ?)").join(', ')}`, chunk.flatMap((id) => [id, def.tagKey, at]));
      }
      for (let i = 0; i < drop.length; i += 1000) {
        const chunk = drop.slice(i, i + 1000);
        await db.query('DELETE FROM hcp_tags WHERE tag_key = ? AND hcp_id IN (?)', [def.tagKey, chunk]);
        await db.query(`INSERT INTO hcp_tag_history (hcp_id, tag_key, old_value, new_value, at) VALUES ${chunk.map(() => "(?, ?, 'true', NULL, ?)").join(', ')}`, chunk.flatMap((id) => [id, def.tagKey, at]));
      }
      changes += add.length + drop.length;
    }
  }
  return changes;
}
