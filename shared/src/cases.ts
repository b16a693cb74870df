/**
 * Case collection (DESIGN §6 "Case submission", §7): a campaign's form definition, the answers a
 * doctor gives to it, and the API shapes around them. The form schema is shared so the console
 * validates what marketing designs, and the answer validator is shared so the mini-program shows
 * the same per-field errors as the doctor types that the server answers on submit.
 *
 * Answer values are scalars or lists of strings only (JSON objects are refused anywhere):
 *   short_text / long_text → string, number → number, single_choice → one option,
 *   multi_choice → options (no repeats), month → "YYYY-MM", images → case image names.
 * Doctor-facing messages are Simplified Chinese (the mini-program shows them as they are).
 */
import { z } from 'zod';
import type { UploadResponse } from './content.js';
import type { PhiDetail, PhiField, PhiFieldKind } from './phi.js';
import { TOPIC_CODES, type Topic } from './vocab.js';

export const CASE_FIELD_TYPES = ['short_text', 'long_text', 'number', 'single_choice', 'multi_choice', 'month', 'images'] as const;
export type CaseFieldType = (typeof CASE_FIELD_TYPES)[number];

/** Names of case images: 32 hex characters and the format (the server makes them, like media names). */
export const CASE_IMAGE_NAME_RE = /^[0-9a-f]{32}\.(png|jpg)$/;
export const MAX_CASE_IMAGES_PER_FIELD = 9;
export const MAX_CASE_FIELDS = 40;

const fieldKey = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,31}$/, 'key: lower-case letters, digits and _, starting with a letter, at most 32 characters');
const label = z.string().trim().min(1, 'label is required').max(40, 'label: at most 40 characters');
const base = {
  key: fieldKey,
  label,
  required: z.boolean().default(false),
  help: z.string().trim().max(200, 'help: at most 200 characters').optional(),
};
const options = z
  .array(z.string().trim().min(1, 'an option cannot be empty').max(40, 'an option has at most 40 characters'))
  .min(2, 'give 2 to 20 options')
  .max(20, 'give 2 to 20 options')
  .refine((o) => new Set(o).size === o.length, 'options must not repeat');

export const CaseFieldSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('short_text'), maxLength: z.number().int().min(1).max(200).default(100) }),
  z.strictObject({ ...base, type: z.literal('long_text'), maxLength: z.number().int().min(1).max(5000).default(2000) }),
  z
    .strictObject({
      ...base,
      type: z.literal('number'),
      unit: z.string().trim().max(16).optional(),
      min: z.number().finite().optional(),
      max: z.number().finite().optional(),
      integer: z.boolean().default(false),
    })
    .refine((f) => f.min === undefined || f.max === undefined || f.min <= f.max, { message: 'min must not exceed max', path: ['max'] }),
  z.strictObject({ ...base, type: z.literal('single_choice'), options }),
  z
    .strictObject({ ...base, type: z.literal('multi_choice'), options, maxSelected: z.number().int().min(1).max(20).optional() }),
  z.strictObject({ ...base, type: z.literal('month') }),
  z.strictObject({ ...base, type: z.literal('images'), maxCount: z.number().int().min(1).max(MAX_CASE_IMAGES_PER_FIELD).default(3) }),
]);
export type CaseField = z.output<typeof CaseFieldSchema>;
export type CaseFieldInput = z.input<typeof CaseFieldSchema>;

export const CaseFormSchema = z
  .strictObject({ fields: z.array(CaseFieldSchema).min(1, 'a form needs at least one field').max(MAX_CASE_FIELDS, `a form has at most ${MAX_CASE_FIELDS} fields`) })
  .superRefine((form, ctx) => {
    const seen = new Set<string>();
    form.fields.forEach((f, i) => {
      if (seen.has(f.key)) ctx.addIssue({ code: 'custom', path: ['fields', i, 'key'], message: `key "${f.key}" is used twice` });
      seen.add(f.key);
    });
  });
export type CaseForm = z.output<typeof CaseFormSchema>;

// ---- answers ----------------------------------------------------------------------------------

export type AnswerValue = string | number | string[];
export type CaseAnswers = Record<string, AnswerValue>;

export interface AnswerError {
  /** The field's key. */
  field: string;
  message: string;
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Whether a month answer ("YYYY-MM") is a real month not later than `now`'s (a case is in the past). */
function monthProblem(v: string, now: number | undefined): string | null {
  const m = MONTH_RE.exec(v);
  if (!m || Number(m[1]) < 1900) return '请选择年月（如 2024-03）';
  if (now !== undefined) {
    const d = new Date(now + 8 * 3600_000); // China time
    const current = d.getUTCFullYear() * 12 + d.getUTCMonth();
    if (Number(m[1]) * 12 + Number(m[2]) - 1 > current) return '不能晚于本月';
  }
  return null;
}

const isBlank = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** The problem with one answer, or null. A blank answer is a problem only for a required field (unless `partial`). */
export function answerProblem(field: CaseField, value: unknown, opts: { partial?: boolean; now?: number } = {}): string | null {
  if (isBlank(value)) return field.required && !opts.partial ? (field.type === 'images' ? '请上传图片' : field.type.endsWith('choice') || field.type === 'month' ? '请选择' : '此项必填') : null;
  switch (field.type) {
    case 'short_text':
    case 'long_text':
      if (typeof value !== 'string') return '请填写文字';
      if (value.trim() === '') return field.required && !opts.partial ? '此项必填' : null;
      return value.length > field.maxLength ? `最多 ${field.maxLength} 个字` : null;
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return '请填写数字';
      if (field.integer && !Number.isInteger(value)) return '请填写整数';
      if (field.min !== undefined && value < field.min) return `不能小于 ${field.min}${field.unit ?? ''}`;
      if (field.max !== undefined && value > field.max) return `不能大于 ${field.max}${field.unit ?? ''}`;
      return null;
    }
    case 'single_choice':
      return typeof value === 'string' && field.options.includes(value) ? null : '请从选项中选择';
    case 'multi_choice': {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && field.options.includes(v))) return '请从选项中选择';
      if (new Set(value).size !== value.length) return '选项不能重复';
      return field.maxSelected !== undefined && value.length > field.maxSelected ? `最多选择 ${field.maxSelected} 项` : null;
    }
    case 'month':
      return typeof value === 'string' ? monthProblem(value, opts.now) : '请选择年月（如 2024-03）';
    case 'images': {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && CASE_IMAGE_NAME_RE.test(v))) return '图片无效，请重新上传';
      if (new Set(value).size !== value.length) return '图片重复';
      return value.length > field.maxCount ? `最多 ${field.maxCount} 张图片` : null;
    }
  }
}

/**
 * Checks answers against a form: one error per field, in form order; keys the form does not have
 * are errors too. `partial` (drafts) skips the required checks. The value is the answers with
 * text trimmed and blanks left out.
 */
export function validateAnswers(
  form: CaseForm,
  answers: unknown,
  opts: { partial?: boolean; now?: number } = {},
): { ok: true; value: CaseAnswers } | { ok: false; errors: AnswerError[] } {
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) return { ok: false, errors: [{ field: '', message: '答案格式无效' }] };
  const given = answers as Record<string, unknown>;
  const errors: AnswerError[] = [];
  const value: CaseAnswers = {};
  const keys = new Set(form.fields.map((f) => f.key));
  for (const f of form.fields) {
    const v = Object.prototype.hasOwnProperty.call(given, f.key) ? given[f.key] : undefined;
    const problem = answerProblem(f, v, opts);
    if (problem) errors.push({ field: f.key, message: problem });
    else if (!isBlank(v) && !(typeof v === 'string' && v.trim() === '')) value[f.key] = typeof v === 'string' ? v.trim() : (v as AnswerValue);
  }
  for (const k of Object.keys(given)) if (!keys.has(k)) errors.push({ field: k, message: '表单中没有这一项' });
  return errors.length ? { ok: false, errors } : { ok: true, value };
}

/** The form's fields as the PHI detector sees them: only free-text fields can carry identifiers. */
export function phiFieldsOf(form: CaseForm): PhiField[] {
  return form.fields.filter(isTextField).map((f) => ({ key: f.key, label: f.label, kind: phiKindOf(f) }));
}

/** A short text field labelled as a name (姓名, 名字, 称呼) is where patient names appear: names there are found without a cue. */
function phiKindOf(f: Extract<CaseField, { type: 'short_text' | 'long_text' }>): PhiFieldKind {
  if (f.type === 'long_text') return 'free_text';
  return /姓名|名字|称呼/.test(f.label) ? 'name' : 'short_text';
}

export const isTextField = (f: CaseField): f is Extract<CaseField, { type: 'short_text' | 'long_text' }> => f.type === 'short_text' || f.type === 'long_text';

/** The text answers only (what PHI detection and content security read). */
export function textAnswersOf(form: CaseForm, answers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of form.fields) if (isTextField(f) && typeof answers[f.key] === 'string') out[f.key] = answers[f.key] as string;
  return out;
}

// ---- requests ---------------------------------------------------------------------------------

const id = z.string().regex(/^[1-9][0-9]{0,18}$/, 'must be a positive integer id');
const timestamp = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-12-01T08:00:00+08:00' });

/** A value a draft may hold while the doctor types: scalars and lists of strings, never objects. */
const draftValue = z.union([z.string().max(5000), z.number().finite(), z.array(z.string().max(200)).max(20), z.null()], {
  message: 'an answer is text, a number or a list of texts',
});
export const AnswersInput = z.record(fieldKey, draftValue).refine((a) => Object.keys(a).length <= MAX_CASE_FIELDS, 'too many answers');

/** POST /api/admin/cases/campaigns and PUT …/:id (the whole campaign again). */
export const CampaignInput = z
  .strictObject({
    title: z.string().trim().min(1, 'title is required').max(100),
    description: z.string().trim().max(2000).default(''),
    topics: z
      .array(z.enum(TOPIC_CODES as [Topic, ...Topic[]]))
      .min(1, 'give 1 to 5 topics')
      .max(5, 'give 1 to 5 topics')
      .refine((t) => new Set(t).size === t.length, 'topics must not repeat'),
    opensAt: timestamp,
    closesAt: timestamp,
    /** Audience: these segments; empty means every doctor. */
    segmentIds: z
      .array(id)
      .max(50)
      .refine((s) => new Set(s).size === s.length, 'segmentIds must not repeat')
      .default([]),
    /** How many cases one doctor may submit to this campaign. */
    maxPerDoctor: z.number().int().min(1).max(50).default(5),
    form: CaseFormSchema,
  })
  .refine((c) => Date.parse(c.closesAt) > Date.parse(c.opensAt), { message: 'closesAt must be after opensAt', path: ['closesAt'] });
export type CampaignInput = z.output<typeof CampaignInput>;

/** POST /api/cases/campaigns/:id/submissions and POST /api/cases/submissions/:id/revisions. */
export const SubmitCaseInput = z.strictObject({
  answers: AnswersInput,
  /** The doctor accepted the hcp360-case-result subscribe message just before submitting. */
  notify: z.boolean().optional(),
});
/** PUT …/draft: the answers so far and the revision they were based on (absent: overwrite). */
export const SaveDraftInput = z.strictObject({ answers: AnswersInput, revision: z.number().int().min(0).optional() });

export const CASE_STATUSES = ['under_review', 'accepted', 'rejected', 'needs_revision'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_DECISIONS = ['accept', 'reject', 'request-revision'] as const;
export type CaseDecision = (typeof CASE_DECISIONS)[number];

/** accept: an optional note for the doctor. */
export const CaseAcceptInput = z.strictObject({ note: z.string().trim().max(500).optional() });
/** reject and request-revision: the doctor is told why. */
export const CaseNoteInput = z.strictObject({
  note: z.string({ message: 'a note for the doctor is required' }).trim().min(1, 'a note for the doctor is required').max(500),
});

export const CaseReviewQuery = z.strictObject({
  status: z.enum(CASE_STATUSES).optional(),
  campaignId: id.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().regex(/^[0-9]+$/).optional(),
});

// ---- answers of the API ---------------------------------------------------------------------

export type CampaignState = 'upcoming' | 'open' | 'closed';

export interface CampaignCard {
  id: string;
  title: string;
  description: string;
  topics: Topic[];
  opensAt: string;
  closesAt: string;
  state: CampaignState;
}
export interface CampaignDetail extends CampaignCard {
  formVersion: number;
  form: CaseForm;
  maxPerDoctor: number;
  /** How many cases this doctor has submitted to it. */
  mySubmissions: number;
}

export interface CaseDraft {
  answers: Record<string, AnswerValue | null>;
  /** 0 when nothing is saved. */
  revision: number;
  savedAt: string | null;
  /** Viewing URLs of the images the answers name (short-lived). */
  imageUrls: Record<string, string>;
}

export interface SubmitCaseResponse {
  id: string;
  status: 'under_review';
  version: number;
}

export interface CaseVersionView {
  version: number;
  submittedAt: string;
  decision: CaseStatus | null;
  note: string | null;
  decidedAt: string | null;
}

/** GET /api/cases/submissions/:id (the contract's {id, status, answers, reviewerNote?} and more). */
export interface SubmissionView {
  id: string;
  status: CaseStatus;
  answers: CaseAnswers;
  reviewerNote?: string;
  campaignId: string;
  campaignTitle: string;
  version: number;
  formVersion: number;
  form: CaseForm;
  submittedAt: string;
  updatedAt: string;
  versions: CaseVersionView[];
  imageUrls: Record<string, string>;
  /** Reviewers only: what content security said and who wrote it. */
  review?: { secCheck: { suggest: string; label: number } | null; author: { id: string; name: string | null; hospital: string | null } };
}

export interface SubmissionCard {
  id: string;
  campaignId: string;
  campaignTitle: string;
  status: CaseStatus;
  version: number;
  reviewerNote: string | null;
  submittedAt: string;
  updatedAt: string;
  /** Reviewers only: content security asked for a human look. */
  flagged?: boolean;
}

/** POST /api/cases/images: what any image upload answers (the same checks and re-encoding as content's). */
export type CaseImageUpload = UploadResponse;

export type { PhiDetail };

/** UI labels of the statuses (mini-program and console). */
export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  under_review: '审核中',
  accepted: '已采纳',
  rejected: '未采纳',
  needs_revision: '需修改',
};
