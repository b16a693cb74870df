/** Helpers for the case-collection tests: a campaign made through the console API, and the usual form. */
import type { CaseFieldInput } from '@hcp360/shared';
import { expect } from 'vitest';
import { makeStaff, type TestStaff } from './factories.js';
import type { Stack } from './harness.js';

export const HYPERTENSION_FORM: { fields: CaseFieldInput[] } = {
  fields: [
    { key: 'patient_name', label: '患者姓名（请用化名）', type: 'short_text', required: false, help: '请勿填写真实姓名，可写“张某”' },
    { key: 'age', label: '年龄', type: 'number', unit: '岁', min: 0, max: 120, integer: true, required: true },
    { key: 'sex', label: '性别', type: 'single_choice', options: ['男', '女'], required: true },
    { key: 'onset', label: '首次就诊', type: 'month', required: true },
    { key: 'comorbid', label: '合并症', type: 'multi_choice', options: ['糖尿病', '冠心病', '慢性肾病', '无'], required: false },
    { key: 'sbp', label: '诊室收缩压', type: 'number', unit: 'mmHg', min: 60, max: 300, required: true },
    { key: 'history', label: '病史摘要', type: 'long_text', maxLength: 2000, required: true, help: '请去除患者身份信息' },
    { key: 'ecg', label: '心电图', type: 'images', maxCount: 2, required: false },
  ],
};

export const GOOD_ANSWERS = {
  patient_name: '张某',
  age: 62,
  sex: '男',
  onset: '2024-03',
  comorbid: ['糖尿病'],
  sbp: 168,
  history: '高血压病史10年，氨氯地平5mg qd，血压控制不佳，加用ARB后降至135/85mmHg。',
};

export interface CampaignOpts {
  title?: string;
  opensAt?: number;
  closesAt?: number;
  segmentIds?: string[];
  maxPerDoctor?: number;
  form?: { fields: CaseFieldInput[] };
}

export function campaignBody(stack: Stack, o: CampaignOpts = {}) {
  return {
    title: o.title ?? '高血压真实世界病例',
    description: '征集高血压真实世界诊疗病例',
    topics: ['hypertension'],
    opensAt: new Date(o.opensAt ?? stack.clock.now() - 86_400_000).toISOString(),
    closesAt: new Date(o.closesAt ?? stack.clock.now() + 30 * 86_400_000).toISOString(),
    segmentIds: o.segmentIds ?? [],
    ...(o.maxPerDoctor && { maxPerDoctor: o.maxPerDoctor }),
    form: o.form ?? HYPERTENSION_FORM,
  };
}

export async function makeCampaign(stack: Stack, o: CampaignOpts = {}, marketing?: TestStaff): Promise<string> {
  const m = marketing ?? (await makeStaff(stack, 'marketing'));
  const res = await stack.http.post('/api/admin/cases/campaigns', campaignBody(stack, o), m.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/** Uploads bytes as a doctor (raw body, or multipart with a file name and declared type). */
export async function uploadCaseImage(stack: Stack, token: string, bytes: Buffer, opts: { filename?: string; type?: string; multipart?: boolean } = {}) {
  let body: BodyInit;
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (opts.multipart) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type: opts.type ?? 'application/octet-stream' }), opts.filename ?? 'upload.bin');
    body = form;
  } else {
    body = new Uint8Array(bytes);
    headers['content-type'] = opts.type ?? 'application/octet-stream';
  }
  const res = await fetch(`${stack.url}/api/cases/images`, { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed };
}
