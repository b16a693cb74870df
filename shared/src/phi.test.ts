import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from './errors.js';
import { PHI_KINDS, detectPhi, detectPhiInAnswers, idCheckCharacter, isValidIdNumber, maskPhi, type PhiKind } from './phi.js';
import { PHI_CORPUS, makeIdNumber, withWrongCheck, type PhiCorpusCase } from './phiCorpus.js';

const kinds = (text: string, opts?: Parameters<typeof detectPhi>[1]) => detectPhi(text, opts).map((f) => [f.kind, f.text]);
const optsOf = (c: PhiCorpusCase) => ({ fieldKind: c.fieldKind, label: c.label });

function expectedSpans(c: PhiCorpusCase) {
  return c.expect.map((e) => {
    let start = -1;
    for (let k = 0; k <= (e.nth ?? 0); k++) start = c.text.indexOf(e.text, start + 1);
    return { kind: e.kind, start, end: start + e.text.length };
  });
}

describe('the labelled corpus', () => {
  const positives = PHI_CORPUS.flatMap((c) => c.expect.map((e) => e.kind));
  const count = (...k: PhiKind[]) => positives.filter((p) => k.includes(p)).length;

  it('is large and varied enough to measure the detector', () => {
    expect(PHI_CORPUS.length).toBeGreaterThanOrEqual(150);
    expect(count('id_number')).toBeGreaterThanOrEqual(30);
    expect(count('mobile', 'landline')).toBeGreaterThanOrEqual(30);
    expect(PHI_CORPUS.filter((c) => c.lookalike).length).toBeGreaterThanOrEqual(60);
    for (const k of PHI_KINDS) expect(count(k), k).toBeGreaterThanOrEqual(10);
    expect(new Set(PHI_CORPUS.map((c) => c.id)).size).toBe(PHI_CORPUS.length);
    for (const c of PHI_CORPUS) for (const s of expectedSpans(c)) expect(s.start, `${c.id}: ${c.text}`).toBeGreaterThanOrEqual(0);
  });

  it('meets the recall and precision bars, and prints the per-kind table', () => {
    const stats = new Map<PhiKind, { tp: number; fp: number; fn: number }>(PHI_KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }]));
    const lookalikeHits: string[] = [];
    const misses: string[] = [];
    for (const c of PHI_CORPUS) {
      const got = detectPhi(c.text, optsOf(c));
      const want = expectedSpans(c);
      const same = (a: { kind: string; start: number; end: number }, b: typeof a) => a.kind === b.kind && a.start === b.start && a.end === b.end;
      for (const g of got) {
        const s = stats.get(g.kind)!;
        if (want.some((w) => same(w, g))) s.tp++;
        else (s.fp++, misses.push(`FP ${c.id} ${g.kind} "${g.text}" in ${c.text}`));
        if (c.lookalike) lookalikeHits.push(`${c.id}: ${g.kind} "${g.text}" in ${c.text}`);
      }
      for (const w of want) {
        if (!got.some((g) => same(w, g))) (stats.get(w.kind)!.fn++, misses.push(`FN ${c.id} ${w.kind} "${c.text.slice(w.start, w.end)}" in ${c.text}`));
      }
    }
    const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
    const pad = (s: string | number, n: number) => String(s).padStart(n);
    const lines = [`PHI corpus: ${PHI_CORPUS.length} snippets, ${PHI_CORPUS.filter((c) => c.lookalike).length} look-alike negatives`, `${'kind'.padEnd(14)}${pad('expected', 9)}${pad('tp', 5)}${pad('fp', 5)}${pad('fn', 5)}${pad('precision', 11)}${pad('recall', 8)}`];
    const total = { tp: 0, fp: 0, fn: 0 };
    for (const [k, s] of stats) {
      total.tp += s.tp;
      total.fp += s.fp;
      total.fn += s.fn;
      lines.push(`${k.padEnd(14)}${pad(s.tp + s.fn, 9)}${pad(s.tp, 5)}${pad(s.fp, 5)}${pad(s.fn, 5)}${pad(ratio(s.tp, s.tp + s.fp).toFixed(3), 11)}${pad(ratio(s.tp, s.tp + s.fn).toFixed(3), 8)}`);
    }
    lines.push(`${'all'.padEnd(14)}${pad(total.tp + total.fn, 9)}${pad(total.tp, 5)}${pad(total.fp, 5)}${pad(total.fn, 5)}${pad(ratio(total.tp, total.tp + total.fp).toFixed(3), 11)}${pad(ratio(total.tp, total.tp + total.fn).toFixed(3), 8)}`);
    process.stdout.write(`\n${[...lines, ...misses].join('\n')}\n\n`);

    const id = stats.get('id_number')!;
    const mobile = stats.get('mobile')!;
    const landline = stats.get('landline')!;
    expect(ratio(id.tp, id.tp + id.fn)).toBeGreaterThanOrEqual(0.98);
    expect(ratio(mobile.tp + landline.tp, mobile.tp + landline.tp + mobile.fn + landline.fn)).toBeGreaterThanOrEqual(0.98);
    expect(lookalikeHits).toEqual([]);
    expect(ratio(total.tp, total.tp + total.fp)).toBeGreaterThanOrEqual(0.95);
  });

  it('gives sorted, non-overlapping findings whose text is the span', () => {
    for (const c of PHI_CORPUS) {
      const got = detectPhi(c.text, optsOf(c));
      got.forEach((f, i) => {
        expect(f.text).toBe(c.text.slice(f.start, f.end));
        if (i > 0) expect(f.start).toBeGreaterThanOrEqual(got[i - 1]!.end);
      });
    }
  });

  it('leaves nothing to find once masked', () => {
    for (const c of PHI_CORPUS) {
      const masked = maskPhi(c.text, detectPhi(c.text, optsOf(c)));
      expect(detectPhi(masked, optsOf(c)), `${c.text} → ${masked}`).toEqual([]);
      if (c.expect.length) expect(masked).not.toBe(c.text);
    }
  });
});

describe('ID numbers', () => {
  it('computes the check character from the GB 11643 weights, X included', () => {
    // 1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2 = 167; 167 mod 11 = 2 → 'X'
    expect(idCheckCharacter('11010519491231002')).toBe('X');
    // 296 mod 11 = 10 → '2'
    expect(idCheckCharacter('44030519780921031')).toBe('2');
    expect(() => idCheckCharacter('1101051949123100')).toThrow();
  });

  it('validates area, birth date and check character; x counts as X', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false); // wrong check character
    expect(isValidIdNumber(makeIdNumber('110105', '19510229', '002'))).toBe(false); // 1951 is not a leap year
    expect(isValidIdNumber(makeIdNumber('110105', '19520229', '002'))).toBe(true);
    expect(isValidIdNumber(makeIdNumber('990105', '19491231', '002'))).toBe(false); // no province 99
    expect(isValidIdNumber(makeIdNumber('110105', '18991231', '002'))).toBe(false); // before 1900
  });

  it('accepts the old 15-digit form with a valid YYMMDD date', () => {
    expect(isValidIdNumber('110105491231002')).toBe(true);
    expect(isValidIdNumber('110105491331002')).toBe(false);
    expect(kinds('旧证 110105491231002 已换领')).toEqual([['id_number', '110105491231002']]);
  });

  it('reports the exact span inside surrounding text, and nothing inside a longer digit run', () => {
    const text = '患者，男，身份证11010519491231002X，已核对。';
    expect(detectPhi(text)).toEqual([{ kind: 'id_number', start: 8, end: 26, text: '11010519491231002X' }]);
    expect(detectPhi('911010519491231002X')).toEqual([]);
    expect(detectPhi('11010519491231002X5')).toEqual([]);
  });

  it('ignores a wrong check character unless a 身份证 label says it is an ID', () => {
    const bad = withWrongCheck('11010519491231002X');
    expect(detectPhi(`标本条码 ${bad}`)).toEqual([]);
    expect(kinds(`身份证号：${bad}`)).toEqual([['id_number', bad]]);
  });
});

describe('phone numbers', () => {
  it('finds mainland mobiles, grouped 3-4-4 and with +86 / 0086', () => {
    expect(kinds('电话13812345678，或 138 1234 5678，或 138-1234-5678')).toEqual([
      ['mobile', '13812345678'],
      ['mobile', '138 1234 5678'],
      ['mobile', '138-1234-5678'],
    ]);
    expect(kinds('+8613812345678 / 0086 139 1234 5678')).toEqual([
      ['mobile', '+8613812345678'],
      ['mobile', '0086 139 1234 5678'],
    ]);
  });

  it('skips 11 digits that do not start with 1[3-9] and mobiles inside longer runs', () => {
    expect(detectPhi('12345678901 10012345678 213812345678 138123456789')).toEqual([]);
  });

  it('finds landlines with an area code, and 7–8 digit numbers after 电话', () => {
    expect(kinds('010-12345678；(0755)12345678；021 6123 4567；0591-8765432')).toEqual([
      ['landline', '010-12345678'],
      ['landline', '(0755)12345678'],
      ['landline', '021 6123 4567'],
      ['landline', '0591-8765432'],
    ]);
    expect(kinds('家庭电话：62345678')).toEqual([['landline', '62345678']]);
    expect(detectPhi('血小板 62345678')).toEqual([]);
  });
});

describe('names', () => {
  it('treats a name-shaped value of a name field as a name, keeping de-identified forms', () => {
    expect(kinds('欧阳娜娜', { fieldKind: 'name' })).toEqual([['patient_name', '欧阳娜娜']]);
    expect(kinds('高峰', { label: '患者姓名' })).toEqual([['patient_name', '高峰']]);
    for (const v of ['张某', '李某某', '王先生', '匿名', '赵X']) expect(detectPhi(v, { fieldKind: 'name' })).toEqual([]);
    expect(detectPhi('高峰', { fieldKind: 'free_text' })).toEqual([]);
  });

  it('finds a name after 患者 / 病人 / 患儿 / 姓名 and stops at the next word', () => {
    expect(kinds('患者张伟因胸痛入院，患儿司马小雨发热，病人姓名：于丹')).toEqual([
      ['patient_name', '张伟'],
      ['patient_name', '司马小雨'],
      ['patient_name', '于丹'],
    ]);
  });

  it('does not read clinical words after 患者 as names', () => {
    expect(detectPhi('患者于3天前胸痛，患者高血压10年，患者陈旧性心梗，患者房颤，患者男 65岁，患者张某某')).toEqual([]);
  });
});

describe('record numbers, birth dates and addresses', () => {
  it('flags the number after a record label, not 床号', () => {
    expect(kinds('住院号：2024001234，病案号为 A0012345，床号：1203')).toEqual([
      ['record_number', '2024001234'],
      ['record_number', 'A0012345'],
    ]);
    expect(kinds('2024001234', { label: '住院号' })).toEqual([['record_number', '2024001234']]);
  });

  it('flags exact birth dates in every written form, not month precision or other dates', () => {
    expect(kinds('出生日期：1965-03-12；生于1958年7月23日；生日 1972.11.5；出生日期 19650312')).toEqual([
      ['birth_date', '1965-03-12'],
      ['birth_date', '1958年7月23日'],
      ['birth_date', '1972.11.5'],
      ['birth_date', '19650312'],
    ]);
    expect(kinds('1949年10月1日出生')).toEqual([['birth_date', '1949年10月1日']]);
    expect(detectPhi('1965年3月出生，出生日期：1965年3月，2024-03-05 复查，入院时间 2024年3月5日')).toEqual([]);
    expect(kinds('1978-09-21', { fieldKind: 'date', label: '出生日期' })).toEqual([['birth_date', '1978-09-21']]);
    expect(detectPhi('2024-03-05', { fieldKind: 'date', label: '入院日期' })).toEqual([]);
  });

  it('flags street-level addresses, not a city or a hospital', () => {
    expect(kinds('家住北京市朝阳区建国路88号院3号楼2单元301室，就诊于北京协和医院')).toEqual([['address', '北京市朝阳区建国路88号院3号楼2单元301室']]);
    expect(detectPhi('患者来自上海市，转诊至上海市第六人民医院，消化道出血3次')).toEqual([]);
  });
});

describe('overlapping candidates', () => {
  it('keeps the more specific kind: a checksum over a label, a label over a shape', () => {
    expect(kinds('ID:11010519491231002X')).toEqual([['id_number', '11010519491231002X']]);
    expect(kinds('住院号：13812345678')).toEqual([['record_number', '13812345678']]);
  });
});

describe('maskPhi', () => {
  it('masks each kind the way the mini-program offers it', () => {
    const text =
      '患者欧阳娜娜，身份证11010519491231002X，手机13012345612，电话010-12345678，住院号：2024001234，出生日期：1965年3月12日，家住北京市朝阳区建国路88号。';
    expect(maskPhi(text, detectPhi(text))).toBe(
      '患者欧阳**，身份证1101************2X，手机130******12，电话010-****5678，住院号：**********，出生日期：1965年**月**日，家住北京市朝阳区***。',
    );
    expect(maskPhi('+86 138 1234 5678，(0755)12345678，1965-03-12出生', detectPhi('+86 138 1234 5678，(0755)12345678，1965-03-12出生'))).toBe(
      '+86 138 **** **78，(0755)****5678，1965-**-**出生',
    );
  });

  it('leaves text without findings unchanged', () => {
    expect(maskPhi('血压 150/95 mmHg', [])).toBe('血压 150/95 mmHg');
  });
});

describe('detectPhiInAnswers', () => {
  const fields = [
    { key: 'patient', kind: 'name' as const, label: '患者姓名' },
    { key: 'history', kind: 'free_text' as const, label: '现病史' },
    { key: 'admission', kind: 'short_text' as const, label: '住院号' },
    { key: 'notes', kind: 'free_text' as const },
  ];

  it('answers 422 details with the field key, list index and offsets in that string', () => {
    const details = detectPhiInAnswers(
      { patient: '张伟', history: '患者于3天前胸痛，电话13812345678', admission: '2024001234', notes: ['无', '家住北京市朝阳区建国路88号'], age: 65 },
      fields,
    );
    expect(details).toEqual([
      { field: 'patient', kind: 'patient_name', start: 0, end: 2 },
      { field: 'history', kind: 'mobile', start: 11, end: 22 },
      { field: 'admission', kind: 'record_number', start: 0, end: 10 },
      { field: 'notes.1', kind: 'address', start: 2, end: 14 },
    ]);
  });

  it('checks answers without a field as free text and ignores values that are not text', () => {
    expect(detectPhiInAnswers({ extra: '身份证11010519491231002X', n: 13812345678, flag: true, obj: { a: '13812345678' } }, [])).toEqual([
      { field: 'extra', kind: 'id_number', start: 3, end: 21 },
    ]);
    expect(detectPhiInAnswers({ history: '血压 150/95 mmHg，HbA1c 7.2%' }, fields)).toEqual([]);
  });

  it('has its error code in the shared list, 422', () => {
    expect(ERROR_CODES.PHI_DETECTED.status).toBe(422);
  });
});
