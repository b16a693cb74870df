/**
 * The rule language of rule tags and segments (DESIGN §3 "Segment"): JSON over a doctor's
 * attributes, tags, topic affinities and counters, combined with all / any / not.
 *
 *   {"all": [
 *     {"attr": "department", "op": "eq", "value": "心血管内科"},
 *     {"attr": "hospital_level", "op": "eq", "value": "三级甲等"},
 *     {"affinity": "hypertension", "op": "gte", "value": 0.6}
 *   ]}
 *
 * `RuleSchema` is a zod schema whose errors point at the bad node (`all.2.value`), so an editor
 * can underline it.
 */
import { z } from 'zod';
import { TOPICS } from './vocab.js';

export const RULE_ATTRIBUTES = ['title', 'department', 'hospital_level', 'province', 'city', 'specialty', 'verification', 'lifecycle'] as const;
export type RuleAttribute = (typeof RULE_ATTRIBUTES)[number];

/** Counters the engine keeps per doctor (hcp_activity columns). */
export const RULE_COUNTERS = [
  'content_views',
  'content_reads',
  'deep_reads',
  'article_reads',
  'video_reads',
  'likes',
  'favorites',
  'shares',
  'searches',
  'lives_registered',
  'lives_attended',
  'live_minutes',
  'replays',
  'cases_submitted',
  'cases_accepted',
  'referred',
  'meaningful_30d',
] as const;
export type RuleCounter = (typeof RULE_COUNTERS)[number];

export type Rule =
  | { all: Rule[] }
  | { any: Rule[] }
  | { not: Rule }
  | { attr: RuleAttribute; op: 'eq' | 'ne'; value: string }
  | { attr: RuleAttribute; op: 'in' | 'nin'; value: string[] }
  | { tag: string; op: 'eq' | 'ne'; value: string }
  | { tag: string; op: 'in'; value: string[] }
  | { tag: string; op: 'exists' | 'missing' }
  | { affinity: keyof typeof TOPICS; op: 'gte' | 'gt' | 'lte' | 'lt'; value: number }
  | { counter: RuleCounter; op: 'gte' | 'gt' | 'lte' | 'lt' | 'eq'; value: number };

export const RULE_LIMITS = { maxDepth: 6, maxNodes: 60, maxListValues: 50 };

interface Issue {
  path: (string | number)[];
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const TAG_KEY = /^[a-z][a-z0-9_:.-]{0,63}$/;

function checkKeys(node: Record<string, unknown>, allowed: string[], path: Issue['path'], issues: Issue[]) {
  for (const k of Object.keys(node)) if (!allowed.includes(k)) issues.push({ path: [...path, k], message: `unknown field "${k}"` });
}

function checkString(v: unknown, path: Issue['path'], issues: Issue[]) {
  if (typeof v !== 'string' || v.length === 0 || v.length > 64) issues.push({ path, message: 'expected a text value of 1–64 characters' });
}

function checkList(v: unknown, path: Issue['path'], issues: Issue[]) {
  if (!Array.isArray(v) || v.length === 0 || v.length > RULE_LIMITS.maxListValues) {
    issues.push({ path, message: `expected a list of 1–${RULE_LIMITS.maxListValues} text values` });
    return;
  }
  v.forEach((x, i) => checkString(x, [...path, i], issues));
}

function checkOp(node: Record<string, unknown>, ops: readonly string[], path: Issue['path'], issues: Issue[]): string | undefined {
  if (typeof node.op !== 'string' || !ops.includes(node.op)) {
    issues.push({ path: [...path, 'op'], message: `op must be one of ${ops.join(', ')}` });
    return undefined;
  }
  return node.op;
}

function validate(node: unknown, path: Issue['path'], depth: number, count: { n: number }, issues: Issue[]): void {
  if (++count.n > RULE_LIMITS.maxNodes) {
    if (count.n === RULE_LIMITS.maxNodes + 1) issues.push({ path, message: `a rule may have at most ${RULE_LIMITS.maxNodes} nodes` });
    return;
  }
  if (depth > RULE_LIMITS.maxDepth) return void issues.push({ path, message: `rules nest at most ${RULE_LIMITS.maxDepth} levels deep` });
  if (!isObject(node)) return void issues.push({ path, message: 'expected a rule object' });

  if ('all' in node || 'any' in node) {
    const key = 'all' in node ? 'all' : 'any';
    checkKeys(node, [key], path, issues);
    const list = node[key];
    if (!Array.isArray(list) || list.length === 0) return void issues.push({ path: [...path, key], message: `"${key}" needs a non-empty list of rules` });
    list.forEach((child, i) => validate(child, [...path, key, i], depth + 1, count, issues));
    return;
  }
  if ('not' in node) {
    checkKeys(node, ['not'], path, issues);
    return validate(node.not, [...path, 'not'], depth + 1, count, issues);
  }
  if ('attr' in node) {
    checkKeys(node, ['attr', 'op', 'value'], path, issues);
    if (!RULE_ATTRIBUTES.includes(node.attr as RuleAttribute)) issues.push({ path: [...path, 'attr'], message: `attr must be one of ${RULE_ATTRIBUTES.join(', ')}` });
    const op = checkOp(node, ['eq', 'ne', 'in', 'nin'], path, issues);
    if (op === 'in' || op === 'nin') checkList(node.value, [...path, 'value'], issues);
    else if (op) checkString(node.value, [...path, 'value'], issues);
    return;
  }
  if ('tag' in node) {
    checkKeys(node, ['tag', 'op', 'value'], path, issues);
    if (typeof node.tag !== 'string' || !TAG_KEY.test(node.tag)) issues.push({ path: [...path, 'tag'], message: 'tag must be a tag key like "kol" or "engagement_level"' });
    const op = checkOp(node, ['eq', 'ne', 'in', 'exists', 'missing'], path, issues);
    if (op === 'in') checkList(node.value, [...path, 'value'], issues);
    else if (op === 'eq' || op === 'ne') checkString(node.value, [...path, 'value'], issues);
    else if (op && 'value' in node) issues.push({ path: [...path, 'value'], message: `"${op}" takes no value` });
    return;
  }
  if ('affinity' in node) {
    checkKeys(node, ['affinity', 'op', 'value'], path, issues);
    if (typeof node.affinity !== 'string' || !(node.affinity in TOPICS)) issues.push({ path: [...path, 'affinity'], message: 'affinity must be a topic code from the shared vocabulary' });
    checkOp(node, ['gte', 'gt', 'lte', 'lt'], path, issues);
    if (typeof node.value !== 'number' || !(node.value >= 0 && node.value <= 1)) issues.push({ path: [...path, 'value'], message: 'an affinity is compared with a number from 0 to 1' });
    return;
  }
  if ('counter' in node) {
    checkKeys(node, ['counter', 'op', 'value'], path, issues);
    if (!RULE_COUNTERS.includes(node.counter as RuleCounter)) issues.push({ path: [...path, 'counter'], message: `counter must be one of ${RULE_COUNTERS.join(', ')}` });
    checkOp(node, ['gte', 'gt', 'lte', 'lt', 'eq'], path, issues);
    if (typeof node.value !== 'number' || !Number.isInteger(node.value) || node.value < 0) issues.push({ path: [...path, 'value'], message: 'a counter is compared with a whole number ≥ 0' });
    return;
  }
  issues.push({ path, message: 'a rule is one of all, any, not, attr, tag, affinity or counter' });
}

/** Validates a rule; its issues carry the path of the bad node. */
export const RuleSchema = z.unknown().superRefine((value, ctx) => {
  const issues: Issue[] = [];
  validate(value, [], 1, { n: 0 }, issues);
  for (const issue of issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}) as unknown as z.ZodType<Rule>;

export const RuleDefinitionInput = z.strictObject({
  name: z.string().trim().min(1).max(80),
  description: z.string().trim().max(500).optional(),
  rule: RuleSchema,
});
export const RuleTagInput = RuleDefinitionInput.extend({
  tagKey: z.string().regex(/^rule:[a-z][a-z0-9_]{1,40}$/, 'a rule tag key looks like "rule:cardio_active"'),
});
