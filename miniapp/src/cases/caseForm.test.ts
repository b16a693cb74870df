import { CaseFormSchema, idCheckCharacter } from '@hcp360/shared';
import { describe, expect, it } from 'vitest';
import { answersOf, fieldErrorsOf, highlightPieces, phiWarningsFromDetails, phiWarningsOf, valuesFrom } from './caseForm';

const form = CaseFormSchema.parse({
  fields: [
    { key: 'age', label: '年龄', type: 'number', unit: '岁', required: true },
    { key: 'history', label: '病史摘要', type: 'long_text', required: true },
    { key: 'ecg', label: '心电图', type: 'images', maxCount: 2 },
  ],
});
const ID = `11010519491231002${idCheckCharacter('11010519491231002')}`;

describe('the case form state', () => {
  it('keeps half-typed numbers as text and sends real numbers as numbers', () => {
    expect(answersOf(form, { age: '62', history: ' ', ecg: [] })).toEqual({ age: 62 });
    expect(answersOf(form, { age: '6x' })).toEqual({ age: '6x' });
    expect(fieldErrorsOf(form, { age: '6x' }, { partial: true })).toEqual({ age: '请填写数字' });
    expect(fieldErrorsOf(form, {})).toEqual({ age: '此项必填', history: '此项必填' });
    expect(valuesFrom(form, { age: 62, ecg: ['a.png'], gone: 'x' })).toEqual({ age: '62', ecg: ['a.png'] });
  });

  it('warns about an ID number as the doctor types and offers the masked text', () => {
    const text = `患者身份证${ID}，血压高。`;
    const w = phiWarningsOf(form, { history: text }).history!;
    expect(w.findings.map((f) => f.kind)).toEqual(['id_number']);
    expect(w.masked).toBe(`患者身份证1101************${ID.slice(-2)}，血压高。`);
    expect(phiWarningsOf(form, { history: w.masked })).toEqual({});
    expect(highlightPieces(text, w.findings).filter((p) => p.flagged).map((p) => p.text)).toEqual([ID]);
  });

  it('turns the server\'s PHI_DETECTED details into the same warnings', () => {
    const text = `电话13812345678`;
    const w = phiWarningsFromDetails({ history: text }, [{ field: 'history', kind: 'mobile', start: 2, end: 13 }]);
    expect(w.history!.masked).toBe('电话138******78');
  });
});
