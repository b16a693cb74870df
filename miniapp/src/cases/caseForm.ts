/**
 * The case form's state, free of Taro so it is unit-tested: what each input holds (raw text for
 * numbers, so half-typed values are kept and saved in the draft), the answers sent to the
 * server, per-field errors from the shared validator, and the patient-identifier warnings the
 * shared detector finds as the doctor types, with the masked text offered for each field.
 */
import {
  answerProblem,
  detectPhi,
  maskPhi,
  phiFieldsOf,
  type AnswerValue,
  type CaseForm,
  type PhiDetail,
  type PhiFinding,
  type PhiKind,
} from '@hcp360/shared';

/** What the inputs hold: text (numbers as typed), a choice, choices, or image names. */
export type FormValues = Record<string, string | string[]>;

export const PHI_KIND_LABELS: Record<PhiKind, string> = {
  id_number: '身份证号',
  mobile: '手机号',
  landline: '电话号码',
  patient_name: '患者姓名',
  record_number: '住院号/病案号',
  birth_date: '出生日期',
  address: '详细地址',
};

/** Values from a saved draft or submission, as the inputs hold them. */
export function valuesFrom(form: CaseForm, answers: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  for (const f of form.fields) {
    const v = answers[f.key];
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) out[f.key] = v.filter((x): x is string => typeof x === 'string');
    else out[f.key] = String(v);
  }
  return out;
}

/** One input's value as an answer: numbers parsed when they look like numbers, text as typed. */
export function answerOf(form: CaseForm, key: string, value: string | string[] | undefined): AnswerValue | undefined {
  const field = form.fields.find((f) => f.key === key);
  if (value === undefined || field === undefined) return undefined;
  if (Array.isArray(value)) return value.length ? value : undefined;
  if (value.trim() === '') return undefined;
  if (field.type === 'number') {
    const n = Number(value.trim());
    return /^-?\d+(\.\d+)?$/.test(value.trim()) && Number.isFinite(n) ? n : value;
  }
  return value;
}

/** The answers to send (blank inputs left out). */
export function answersOf(form: CaseForm, values: FormValues): Record<string, AnswerValue> {
  const out: Record<string, AnswerValue> = {};
  for (const f of form.fields) {
    const a = answerOf(form, f.key, values[f.key]);
    if (a !== undefined) out[f.key] = a;
  }
  return out;
}

/** Per-field error messages (Chinese, from the shared validator); `partial` leaves required fields alone. */
export function fieldErrorsOf(form: CaseForm, values: FormValues, opts: { partial?: boolean; now?: number } = {}): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of form.fields) {
    const problem = answerProblem(f, answerOf(form, f.key, values[f.key]), opts);
    if (problem) errors[f.key] = problem;
  }
  return errors;
}

export interface PhiWarning {
  field: string;
  findings: PhiFinding[];
  /** The field's text with every finding masked, offered to the doctor to confirm. */
  masked: string;
}

/** Patient identifiers in the text fields, as the server would find them. */
export function phiWarningsOf(form: CaseForm, values: FormValues): Record<string, PhiWarning> {
  const out: Record<string, PhiWarning> = {};
  for (const f of phiFieldsOf(form)) {
    const text = values[f.key];
    if (typeof text !== 'string' || text === '') continue;
    const findings = detectPhi(text, { fieldKind: f.kind, label: f.label });
    if (findings.length) out[f.key] = { field: f.key, findings, masked: maskPhi(text, findings) };
  }
  return out;
}

/** Warnings from the server's 422 PHI_DETECTED details (in case the server finds more than the app did). */
export function phiWarningsFromDetails(values: FormValues, details: readonly PhiDetail[]): Record<string, PhiWarning> {
  const out: Record<string, PhiWarning> = {};
  for (const d of details) {
    const text = values[d.field];
    if (typeof text !== 'string') continue;
    const w = (out[d.field] ??= { field: d.field, findings: [], masked: text });
    w.findings.push({ kind: d.kind, start: d.start, end: d.end, text: text.slice(d.start, d.end) });
  }
  for (const w of Object.values(out)) w.masked = maskPhi(values[w.field] as string, w.findings);
  return out;
}

/** The text cut into plain and flagged pieces, for highlighting. */
export function highlightPieces(text: string, findings: readonly PhiFinding[]): { text: string; flagged: boolean }[] {
  const pieces: { text: string; flagged: boolean }[] = [];
  let at = 0;
  for (const f of [...findings].sort((a, b) => a.start - b.start)) {
    if (f.start < at) continue;
    if (f.start > at) pieces.push({ text: text.slice(at, f.start), flagged: false });
    pieces.push({ text: text.slice(f.start, f.end), flagged: true });
    at = f.end;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), flagged: false });
  return pieces;
}
