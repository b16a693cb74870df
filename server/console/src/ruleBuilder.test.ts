/**
 * The segment editor's builder against the rule language: what it writes is a valid rule
 * (shared RuleSchema) that reads back into the same conditions, rules of other shapes are left to
 * the JSON editor, and the words describe the rule.
 */
import { RULE_ATTRIBUTES, RULE_COUNTERS, RuleSchema, TOPIC_CODES, type Rule } from '@hcp360/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromRule, ruleText, toRule, type Built, type Cond } from './ruleBuilder.js';

const text = fc.stringMatching(/^[一-龥A-Za-z0-9]{1,12}$/);
const cond: fc.Arbitrary<Cond> = fc.oneof(
  fc.record({ type: fc.constant('attr' as const), field: fc.constantFrom(...RULE_ATTRIBUTES), op: fc.constantFrom('eq', 'ne'), value: text, not: fc.boolean() }),
  fc.record({ type: fc.constant('attr' as const), field: fc.constantFrom(...RULE_ATTRIBUTES), op: fc.constantFrom('in', 'nin'), value: fc.uniqueArray(text, { minLength: 1, maxLength: 4 }).map((v) => v.join('，')), not: fc.boolean() }),
  fc.record({ type: fc.constant('tag' as const), field: fc.constantFrom('kol', 'koc', 'engagement_level', 'rule:cardio'), op: fc.constantFrom('eq', 'ne'), value: text, not: fc.boolean() }),
  fc.record({ type: fc.constant('tag' as const), field: fc.constantFrom('kol', 'top_topic'), op: fc.constantFrom('exists', 'missing'), value: fc.constant(''), not: fc.boolean() }),
  fc.record({ type: fc.constant('affinity' as const), field: fc.constantFrom(...TOPIC_CODES), op: fc.constantFrom('gte', 'gt', 'lte', 'lt'), value: fc.integer({ min: 0, max: 100 }).map((n) => String(n / 100)), not: fc.boolean() }),
  fc.record({ type: fc.constant('counter' as const), field: fc.constantFrom(...RULE_COUNTERS), op: fc.constantFrom('gte', 'gt', 'lte', 'lt', 'eq'), value: fc.nat(500).map(String), not: fc.boolean() }),
);
const built: fc.Arbitrary<Built> = fc.record({ join: fc.constantFrom('all' as const, 'any' as const), conds: fc.array(cond, { minLength: 1, maxLength: 6 }) });

describe('the rule builder', () => {
  it('writes valid rules that read back into the same conditions', () => {
    fc.assert(
      fc.property(built, (b) => {
        const rule = toRule(b);
        expect(RuleSchema.safeParse(rule).success).toBe(true);
        // (One condition under "all" is written as the condition alone, and reads back as "all".)
        expect(fromRule(rule)).toEqual(b);
      }),
      { numRuns: 300 },
    );
  });

  it('writes lists from values separated by commas of either width or 、', () => {
    const b: Built = { join: 'all', conds: [{ type: 'attr', field: 'city', op: 'in', value: '上海, 北京，广州、深圳', not: false }] };
    expect(toRule(b)).toEqual({ attr: 'city', op: 'in', value: ['上海', '北京', '广州', '深圳'] });
  });

  it('leaves nested groups, double negation and tag lists to the JSON editor', () => {
    const nested: Rule[] = [
      { any: [{ all: [{ attr: 'city', op: 'eq', value: '上海' }] }, { counter: 'shares', op: 'gte', value: 1 }] },
      { not: { not: { tag: 'kol', op: 'exists' } } },
      { tag: 'engagement_level', op: 'in', value: ['中', '高'] },
    ];
    for (const r of nested) expect(fromRule(r)).toBeNull();
  });

  it('says a rule in words', () => {
    const rule: Rule = {
      all: [
        { attr: 'department', op: 'eq', value: '心血管内科' },
        { affinity: 'hypertension', op: 'gte', value: 0.5 },
        { not: { attr: 'verification', op: 'eq', value: 'verified' } },
        { any: [{ counter: 'shares', op: 'gt', value: 2 }, { tag: 'kol', op: 'exists' }] },
      ],
    };
    expect(ruleText(rule)).toBe('科室 等于 心血管内科 且 兴趣「高血压」 ≥ 0.5 且 非（认证状态 等于 已认证） 且 （分享 > 2 或 标签 kol 存在）');
  });
});
