/**
 * The segment editor's rule builder as plain functions (pages/Segments.tsx draws it): "all of" or
 * "any of" a list of conditions, each on an attribute, a tag, a topic affinity or a counter, each
 * negatable; how such a list is written in the rule language (shared/src/rules.ts), how a rule is
 * read back into it (null when the rule is shaped otherwise), and a rule in words.
 */
import { LIFECYCLE_STAGE_LABELS, TOPICS, TOPIC_CODES, VERIFICATION_STATUS_LABELS, type Rule, type RuleAttribute, type RuleCounter, type Topic } from '@hcp360/shared';
import { COUNTER_TEXT } from './labels.js';

export const ATTR_TEXT: Record<RuleAttribute, string> = {
  title: '职称',
  department: '科室',
  hospital_level: '医院等级',
  province: '省份',
  city: '城市',
  specialty: '专长',
  verification: '认证状态',
  lifecycle: '生命周期',
};
/** Attributes whose values are codes, with the labels staff pick from. */
export const ATTR_CHOICES: Partial<Record<RuleAttribute, Record<string, string>>> = { verification: VERIFICATION_STATUS_LABELS, lifecycle: LIFECYCLE_STAGE_LABELS };

export const OP_TEXT: Record<string, string> = { eq: '等于', ne: '不等于', in: '属于', nin: '不属于', exists: '存在', missing: '不存在', gte: '≥', gt: '>', lte: '≤', lt: '<' };

/** One condition of the builder. */
export interface Cond {
  type: 'attr' | 'tag' | 'affinity' | 'counter';
  field: string;
  op: string;
  value: string;
  not: boolean;
}
export interface Built {
  join: 'all' | 'any';
  conds: Cond[];
}

export const OPS: Record<Cond['type'], string[]> = { attr: ['eq', 'ne', 'in', 'nin'], tag: ['eq', 'ne', 'exists', 'missing'], affinity: ['gte', 'gt', 'lte', 'lt'], counter: ['gte', 'gt', 'lte', 'lt', 'eq'] };
const FIRST_FIELD: Record<Cond['type'], string> = { attr: 'department', tag: 'kol', affinity: TOPIC_CODES[0]!, counter: 'content_reads' };
export const newCond = (type: Cond['type'] = 'attr'): Cond => ({ type, field: FIRST_FIELD[type], op: OPS[type][0]!, value: type === 'tag' ? 'true' : '', not: false });

/** A condition as the rule language writes it. */
export function condRule(c: Cond): Rule {
  const list = () => c.value.split(/[,，、]/).map((v) => v.trim()).filter(Boolean);
  let r: Rule;
  if (c.type === 'attr') r = c.op === 'in' || c.op === 'nin' ? { attr: c.field as RuleAttribute, op: c.op, value: list() } : { attr: c.field as RuleAttribute, op: c.op as 'eq', value: c.value.trim() };
  else if (c.type === 'tag') r = c.op === 'exists' || c.op === 'missing' ? { tag: c.field.trim(), op: c.op } : { tag: c.field.trim(), op: c.op as 'eq', value: c.value.trim() };
  else if (c.type === 'affinity') r = { affinity: c.field as Topic, op: c.op as 'gte', value: Number(c.value) };
  else r = { counter: c.field as RuleCounter, op: c.op as 'gte', value: Number(c.value) };
  return c.not ? { not: r } : r;
}

export const toRule = (b: Built): Rule => (b.conds.length === 1 && b.join === 'all' ? condRule(b.conds[0]!) : b.join === 'all' ? { all: b.conds.map(condRule) } : { any: b.conds.map(condRule) });

/** The builder's view of a rule, or null when the rule is shaped otherwise (nested groups). */
export function fromRule(rule: Rule): Built | null {
  const one = (r: Rule, not = false): Cond | null => {
    if ('not' in r) return not ? null : one(r.not, true);
    if ('attr' in r) return { type: 'attr', field: r.attr, op: r.op, value: Array.isArray(r.value) ? r.value.join('，') : r.value, not };
    if ('tag' in r) return { type: 'tag', field: r.tag, op: r.op, value: 'value' in r ? (Array.isArray(r.value) ? r.value.join('，') : r.value) : '', not };
    if ('affinity' in r) return { type: 'affinity', field: r.affinity, op: r.op, value: String(r.value), not };
    if ('counter' in r) return { type: 'counter', field: r.counter, op: r.op, value: String(r.value), not };
    return null;
  };
  const list = 'all' in rule ? rule.all : 'any' in rule ? rule.any : [rule];
  const conds = list.map((r) => one(r));
  if (conds.some((c) => c === null || (c.type === 'tag' && c.op === 'in'))) return null;
  return { join: 'any' in rule ? 'any' : 'all', conds: conds as Cond[] };
}

/** A rule in words, e.g. 科室 等于 心血管内科 且 兴趣「高血压」 ≥ 0.5. */
export function ruleText(rule: Rule): string {
  if ('all' in rule) return rule.all.map(ruleText).join(' 且 ');
  if ('any' in rule) return `（${rule.any.map(ruleText).join(' 或 ')}）`;
  if ('not' in rule) return `非（${ruleText(rule.not)}）`;
  if ('attr' in rule) return `${ATTR_TEXT[rule.attr]} ${OP_TEXT[rule.op]} ${Array.isArray(rule.value) ? rule.value.join('、') : (ATTR_CHOICES[rule.attr]?.[rule.value] ?? rule.value)}`;
  if ('tag' in rule) return `标签 ${rule.tag} ${OP_TEXT[rule.op]}${'value' in rule ? ` ${Array.isArray(rule.value) ? rule.value.join('、') : rule.value}` : ''}`;
  if ('affinity' in rule) return `兴趣「${TOPICS[rule.affinity]}」 ${OP_TEXT[rule.op]} ${rule.value}`;
  return `${COUNTER_TEXT[rule.counter] ?? rule.counter} ${OP_TEXT[rule.op]} ${rule.value}`;
}

