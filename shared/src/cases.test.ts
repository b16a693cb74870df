/** The case form definition and answer validation, shared by the console, the server and the mini-program. */
import { describe, expect, it } from 'vitest';
import { CampaignInput, CaseFormSchema, SubmitCaseInput, answerProblem, phiFieldsOf, validateAnswers, type CaseForm } from './cases.js';
import { detectPhiInAnswers } from './phi.js';

const form: CaseForm = CaseFormSchema.parse({
  fields: [
    { key: 'name', label: '患者姓名', type: 'short_text' },
    { key: 'age', label: '年龄', type: 'number', unit: '岁', min: 0, max: 120, integer: true, required: true },
    { key: 'sex', label: '性别', type: 'single_choice', options: ['男', '女'], required: true },
    { key: 'drugs', label: '用药', type: 'multi_choice', options: ['ACEI', 'ARB', 'CCB'], maxSelected: 2 },
    { key: 'onset', label: '发病时间', type: 'month', required: true },
    { key: 'history', label: '病史', type: 'long_text', maxLength: 20, required: true },
    { key: 'ecg', label: '心电图', type: 'images', maxCount: 1 },
  ],
});
const NOW = Date.UTC(2026, 10, 26);
const good = { name: '张某', age: 60, sex: '男', drugs: ['ARB'], onset: '2025-01', history: '血压控制良好', ecg: ['0123456789abcdef0123456789abcdef.png'] };

describe('the form definition', () => {
  it('fills defaults and accepts every field type', () => {
    expect(form.fields[0]).toMatchObject({ required: false, maxLength: 100 });
    expect(form.fields.map((f) => f.type)).toEqual(['short_text', 'number', 'single_choice', 'multi_choice', 'month', 'long_text', 'images']);
  });

  it.each([
    ['repeated keys', { fields: [{ key: 'a', label: 'A', type: 'month' }, { key: 'a', label: 'B', type: 'month' }] }, 'fields.1.key'],
    ['a bad key', { fields: [{ key: 'Bad Key', label: 'A', type: 'month' }] }, 'fields.0.key'],
    ['a choice with one option', { fields: [{ key: 'a', label: 'A', type: 'single_choice', options: ['x'] }] }, 'fields.0.options'],
    ['repeated options', { fields: [{ key: 'a', label: 'A', type: 'multi_choice', options: ['x', 'x'] }] }, 'fields.0.options'],
    ['min above max', { fields: [{ key: 'a', label: 'A', type: 'number', min: 5, max: 1 }] }, 'fields.0.max'],
    ['too many images', { fields: [{ key: 'a', label: 'A', type: 'images', maxCount: 10 }] }, 'fields.0.maxCount'],
    ['an unknown type', { fields: [{ key: 'a', label: 'A', type: 'file' }] }, 'fields.0.type'],
    ['an unknown property', { fields: [{ key: 'a', label: 'A', type: 'month', hidden: true }] }, 'fields.0'],
    ['no fields', { fields: [] }, 'fields'],
  ])('refuses %s', (_name, input, path) => {
    const r = CaseFormSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('needs a campaign window that ends after it opens', () => {
    const base = { title: 't', topics: ['hypertension'], opensAt: '2026-12-01T00:00:00+08:00', closesAt: '2026-11-01T00:00:00+08:00', form: { fields: [{ key: 'a', label: 'A', type: 'month' }] } };
    expect(CampaignInput.safeParse(base).error?.issues[0]?.path).toEqual(['closesAt']);
  });
});

describe('answers', () => {
  it('validate when every field has the right kind of value', () => {
    const r = validateAnswers(form, { ...good, history: '  血压控制良好 ' }, { now: NOW });
    expect(r).toEqual({ ok: true, value: { ...good, history: '血压控制良好' } });
  });

  it('get one message per field, by type', () => {
    const r = validateAnswers(form, { name: 3, age: 60.5, sex: '未知', drugs: ['ACEI', 'ARB', 'CCB'], onset: '2099-01', history: 'x'.repeat(21), ecg: ['a.png', 'b.png'], extra: 1 }, { now: NOW });
    expect(r.ok).toBe(false);
    expect(Object.fromEntries((r as { errors: { field: string; message: string }[] }).errors.map((e) => [e.field, e.message]))).toEqual({
      name: '请填写文字',
      age: '请填写整数',
      sex: '请从选项中选择',
      drugs: '最多选择 2 项',
      onset: '不能晚于本月',
      history: '最多 20 个字',
      ecg: '图片无效，请重新上传',
      extra: '表单中没有这一项',
    });
  });

  it('treat blanks as missing: an error for required fields, nothing for optional ones, nothing at all for drafts', () => {
    const r = validateAnswers(form, { sex: '', history: '   ', drugs: [] }, { now: NOW });
    expect((r as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['age', 'sex', 'onset', 'history']);
    expect(validateAnswers(form, { sex: '', history: '   ' }, { partial: true }).ok).toBe(true);
  });

  it('check numbers against their range with the unit in the message', () => {
    expect(answerProblem(form.fields[1]!, 130)).toBe('不能大于 120岁');
    expect(answerProblem(form.fields[1]!, Number.NaN)).toBe('请填写数字');
    expect(answerProblem(form.fields[1]!, '60')).toBe('请填写数字');
  });

  it('refuse objects anywhere in the request', () => {
    expect(SubmitCaseInput.safeParse({ answers: { history: { text: 'x' } } }).success).toBe(false);
    expect(SubmitCaseInput.safeParse({ answers: { drugs: [{ x: 1 }] } }).success).toBe(false);
    expect(SubmitCaseInput.safeParse({ answers: good }).success).toBe(true);
  });

  it('are scanned for patient identifiers in text fields only, with name fields treated as such', () => {
    const fields = phiFieldsOf(form);
    expect(fields).toEqual([
      { key: 'name', label: '患者姓名', kind: 'name' },
      { key: 'history', label: '病史', kind: 'free_text' },
    ]);
    expect(detectPhiInAnswers({ name: '王建国', history: '电话13812345678' }, fields)).toEqual([
      { field: 'name', kind: 'patient_name', start: 0, end: 3 },
      { field: 'history', kind: 'mobile', start: 2, end: 13 },
    ]);
  });
});
