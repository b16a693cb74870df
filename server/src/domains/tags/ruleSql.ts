/**
 * Compiles a rule (shared/src/rules.ts) into a portable SQL condition over `hcps h`, so segment
 * previews, membership refreshes and staff filters all run in the database with one
 * implementation. Column and table names come from fixed maps, never from the rule; every value
 * is a placeholder. Affinity thresholds are compared on the lazily decayed raw score:
 *   score ≥ v  ⇔  raw · 2^(−Δt / halfLife) ≥ −scale · ln(1 − v)
 * with Δt measured in seconds up to the evaluation time, which is passed in (time is explicit).
 */
import { RULE_COUNTERS, type Rule, type RuleAttribute, type RuleCounter } from '@hcp360/shared';
import { rawForScore } from './affinity.js';
import type { EngineSettings } from './settings.js';

const ATTRIBUTE_COLUMNS: Record<RuleAttribute, string> = {
  title: 'h.title',
  department: 'h.department',
  hospital_level: 'h.hospital_level',
  province: 'h.province',
  city: 'h.city',
  specialty: 'h.specialty',
  verification: 'h.verification_status',
  lifecycle: 'h.lifecycle_stage',
};

const COMPARE = { gte: '>=', gt: '>', lte: '<=', lt: '<', eq: '=' } as const;

export interface CompiledRule {
  sql: string;
  params: unknown[];
}

export function compileRule(rule: Rule, now: number, settings: EngineSettings): CompiledRule {
  const params: unknown[] = [];
  const walk = (r: Rule): string => {
    if ('all' in r) return `(${r.all.map(walk).join(' AND ')})`;
    if ('any' in r) return `(${r.any.map(walk).join(' OR ')})`;
    if ('not' in r) return `(NOT ${walk(r.not)})`;
    if ('attr' in r) {
      const col = ATTRIBUTE_COLUMNS[r.attr];
      if (!col) throw new Error(`unknown attribute ${String(r.attr)}`);
      if (r.op === 'eq') return params.push(r.value), `(${col} = ?)`;
      if (r.op === 'ne') return params.push(r.value), `(${col} IS NULL OR ${col} <> ?)`;
      if (r.op === 'in') return params.push(r.value), `(${col} IN (?))`;
      return params.push(r.value), `(${col} IS NULL OR ${col} NOT IN (?))`;
    }
    if ('tag' in r) {
      const base = 'SELECT 1 FROM hcp_tags t WHERE t.hcp_id = h.id AND t.tag_key = ?';
      params.push(r.tag);
      if (r.op === 'exists') return `EXISTS (${base})`;
      if (r.op === 'missing') return `NOT EXISTS (${base})`;
      if (r.op === 'eq') return params.push(r.value), `EXISTS (${base} AND t.value = ?)`;
      if (r.op === 'in') return params.push(r.value), `EXISTS (${base} AND t.value IN (?))`;
      return params.push((r as { value: string }).value), `NOT EXISTS (${base} AND t.value = ?)`;
    }
    if ('affinity' in r) {
      // "≥ v" holds when a row reaches the threshold; "< v" when none does (no row = score 0).
      const inclusive = r.op === 'gte' || r.op === 'lt';
      const threshold = rawForScore(r.value, settings.affinityScale);
      const holds = r.op === 'gte' || r.op === 'gt';
      if (!Number.isFinite(threshold)) return holds ? '(1 = 0)' : '(1 = 1)';
      params.push(r.affinity, new Date(now), settings.halfLifeDays * 86_400, threshold);
      const cmp = inclusive ? '>=' : '>';
      const exists = `EXISTS (SELECT 1 FROM hcp_topic_affinity a WHERE a.hcp_id = h.id AND a.topic = ?
        AND a.raw_score * POW(2, -GREATEST(0, TIMESTAMPDIFF(SECOND, a.as_of, ?)) / ?) ${cmp} ?)`;
      return holds ? exists : `NOT ${exists}`;
    }
    const column: RuleCounter = r.counter;
    // Rules are validated on the way in; this guard keeps the column list closed even if one is not.
    if (!RULE_COUNTERS.includes(column)) throw new Error(`unknown counter ${String(column)}`);
    params.push(r.value);
    return `(COALESCE((SELECT c.${column} FROM hcp_activity c WHERE c.hcp_id = h.id), 0) ${COMPARE[r.op]} ?)`;
  };
  const sql = walk(rule);
  return { sql, params };
}
