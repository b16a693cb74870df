/**
 * Case collection over HTTP: campaigns (marketing), what doctors see, drafts across devices,
 * submission checks (verification, per-field errors, patient identifiers, WeChat content
 * security), who may read a submission (no IDOR), review with revision, the audit log, the
 * result message, and an accepted case reaching the HCP360 engine.
 */
import { detectPhi, idCheckCharacter, maskPhi } from '@hcp360/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anEvent, loginDoctor, makeDoctor, makeStaff, postEvents, type TestDoctor, type TestStaff } from './factories.js';
import { startStack, type Stack } from './harness.js';
import { GOOD_ANSWERS, HYPERTENSION_FORM, campaignBody, makeCampaign } from './casesSupport.js';

let stack: Stack;
let marketing: TestStaff;
let medical: TestStaff;
let compliance: TestStaff;
let doctorA: TestDoctor;
let doctorB: TestDoctor;
let campaign: string;

const ID17 = '11010519491231002';
const ID_NUMBER = ID17 + idCheckCharacter(ID17);

beforeAll(async () => {
  stack = await startStack();
  [marketing, medical, compliance] = await Promise.all([makeStaff(stack, 'marketing'), makeStaff(stack, 'medical'), makeStaff(stack, 'compliance')]);
  doctorA = await makeDoctor(stack, { until: 'verified' });
  doctorB = await makeDoctor(stack, { until: 'verified' });
  campaign = await makeCampaign(stack, { maxPerDoctor: 20 }, marketing);
});
afterAll(async () => {
  await stack?.close();
});

const submit = (doctor: TestDoctor, answers: Record<string, unknown>, id = campaign, extra: Record<string, unknown> = {}) =>
  stack.http.post(`/api/cases/campaigns/${id}/submissions`, { answers, ...extra }, doctor.token);

async function auditOf(targetId: string) {
  const [rows] = await stack.deps.pool.query('SELECT action, actor_role, detail FROM audit_log WHERE target_type = ? AND target_id = ? ORDER BY id', ['case_submission', targetId]);
  return rows as { action: string; actor_role: string; detail: string }[];
}

describe('campaigns', () => {
  it('are created by marketing only, with the form validated by the shared schema', async () => {
    expect((await stack.http.post('/api/admin/cases/campaigns', campaignBody(stack), medical.token)).status).toBe(403);
    const dup = campaignBody(stack, { form: { fields: [HYPERTENSION_FORM.fields[0]!, HYPERTENSION_FORM.fields[0]!] } });
    const bad = await stack.http.post('/api/admin/cases/campaigns', dup, marketing.token);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toContainEqual(expect.objectContaining({ path: 'form.fields.1.key' }));
    const backwards = await stack.http.post('/api/admin/cases/campaigns', campaignBody(stack, { opensAt: stack.clock.now(), closesAt: stack.clock.now() - 1 }), marketing.token);
    expect(backwards.status).toBe(400);
  });

  it('lists for doctors only the open campaigns aimed at them, and hides the others (404)', async () => {
    const closed = await makeCampaign(stack, { title: '已结束的征集', opensAt: stack.clock.now() - 10 * 86_400_000, closesAt: stack.clock.now() - 86_400_000 }, marketing);
    const upcoming = await makeCampaign(stack, { title: '即将开始', opensAt: stack.clock.now() + 86_400_000 }, marketing);
    const seg = await stack.http.post('/api/admin/segments', { name: `cases-seg-${Date.now()}`, rule: { all: [{ attr: 'department', op: 'eq', value: '肿瘤内科' }] } }, marketing.token);
    const targeted = seg.status === 201 ? await makeCampaign(stack, { title: '肿瘤科专属', segmentIds: [seg.body.id] }, marketing) : undefined;
    const list = await stack.http.get('/api/cases/campaigns', doctorA.token);
    expect(list.status).toBe(200);
    const ids = list.body.items.map((c: { id: string }) => c.id);
    expect(ids).toContain(campaign);
    expect(ids).not.toContain(closed);
    expect(ids).not.toContain(upcoming);
    if (targeted) expect(ids).not.toContain(targeted);
    expect((await stack.http.get(`/api/cases/campaigns/${closed}`, doctorA.token)).status).toBe(404);
    const detail = await stack.http.get(`/api/cases/campaigns/${campaign}`, doctorA.token);
    expect(detail.body).toMatchObject({ id: campaign, state: 'open', formVersion: 1 });
    expect(detail.body.form.fields).toHaveLength(HYPERTENSION_FORM.fields.length);
    expect((await submit(doctorA, GOOD_ANSWERS, closed)).body.error.code).toBe('CAMPAIGN_CLOSED');
  });

  it('keeps the form version a submission answered when marketing changes the form', async () => {
    const id = await makeCampaign(stack, { title: '版本测试' }, marketing);
    const first = await submit(doctorA, GOOD_ANSWERS, id);
    expect(first.status).toBe(201);
    const changed = campaignBody(stack, { title: '版本测试', form: { fields: [...HYPERTENSION_FORM.fields, { key: 'followup', label: '随访', type: 'long_text', required: true }] } });
    const edit = await stack.http.put(`/api/admin/cases/campaigns/${id}`, changed, marketing.token);
    expect(edit.body).toEqual({ id, formVersion: 2 });
    const view = await stack.http.get(`/api/cases/submissions/${first.body.id}`, doctorA.token);
    expect(view.body.formVersion).toBe(1);
    expect(view.body.form.fields.map((f: { key: string }) => f.key)).not.toContain('followup');
    expect((await submit(doctorA, GOOD_ANSWERS, id)).body.error.details).toContainEqual(expect.objectContaining({ field: 'followup', message: '此项必填' }));
  });
});

describe('submitting a case', () => {
  it('needs a verified doctor (403 VERIFICATION_REQUIRED), for drafts and images too', async () => {
    const unverified = await makeDoctor(stack, { until: 'pending' });
    const res = await submit(unverified, GOOD_ANSWERS);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('VERIFICATION_REQUIRED');
    expect((await stack.http.put(`/api/cases/campaigns/${campaign}/draft`, { answers: {} }, unverified.token)).body.error.code).toBe('VERIFICATION_REQUIRED');
  });

  it('answers per-field errors for missing, mistyped and non-scalar answers', async () => {
    const res = await submit(doctorA, { ...GOOD_ANSWERS, age: 'sixty', sex: '其他', onset: '2024-13', history: '' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const byField = Object.fromEntries(res.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
    expect(byField).toEqual({ age: '请填写数字', sex: '请从选项中选择', onset: '请选择年月（如 2024-03）', history: '此项必填' });
    const nested = await submit(doctorA, { ...GOOD_ANSWERS, history: { text: 'x' } });
    expect(nested.status).toBe(400);
    expect(nested.body.error.details[0].path).toBe('answers.history');
    expect((await submit(doctorA, { ...GOOD_ANSWERS, extra: 'x' })).body.error.details).toContainEqual(expect.objectContaining({ field: 'extra' }));
  });

  it('refuses patient identifiers with 422 PHI_DETECTED and their exact spans', async () => {
    const history = `患者身份证号${ID_NUMBER}，联系电话13812345678，住院号20231234。`;
    const res = await submit(doctorA, { ...GOOD_ANSWERS, patient_name: '王建国', history });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('PHI_DETECTED');
    const details = res.body.error.details as { field: string; kind: string; start: number; end: number }[];
    const at = (text: string) => ({ start: history.indexOf(text), end: history.indexOf(text) + text.length });
    expect(details).toContainEqual({ field: 'history', kind: 'id_number', ...at(ID_NUMBER) });
    expect(details).toContainEqual({ field: 'history', kind: 'mobile', ...at('13812345678') });
    expect(details.find((d) => d.kind === 'record_number')).toMatchObject({ field: 'history' });
    expect(details).toContainEqual({ field: 'patient_name', kind: 'patient_name', start: 0, end: 3 });
    const [rows] = await stack.deps.pool.query('SELECT COUNT(*) AS n FROM case_submission_versions WHERE answers LIKE ?', [`%${ID_NUMBER}%`]);
    expect(Number((rows as { n: number }[])[0]!.n)).toBe(0);
  });

  it('accepts the same case once the doctor masked what was found', async () => {
    const history = `患者身份证号${ID_NUMBER}，高血压病史10年。`;
    const masked = maskPhi(history, detectPhi(history, { fieldKind: 'free_text', label: '病史摘要' }));
    expect(masked).toContain('1101************');
    const res = await submit(doctorA, { ...GOOD_ANSWERS, history: masked });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), status: 'under_review', version: 1 });
    const mine = await stack.http.get(`/api/cases/submissions/${res.body.id}`, doctorA.token);
    expect(mine.body).toMatchObject({ id: res.body.id, status: 'under_review', answers: { history: masked } });
  });

  it('follows WeChat content security: risky refused, review accepted but flagged, WeChat down 503', async () => {
    const risky = await submit(doctorA, { ...GOOD_ANSWERS, history: '患者长期赌博，作息紊乱，血压波动。' });
    expect(risky.status).toBe(422);
    expect(risky.body.error.code).toBe('CONTENT_RISKY');

    const review = await submit(doctorA, { ...GOOD_ANSWERS, history: '用药后血压平稳，咨询可加微信了解。' });
    expect(review.status).toBe(201);
    const staffView = await stack.http.get(`/api/cases/submissions/${review.body.id}`, medical.token);
    expect(staffView.body.review.secCheck).toEqual({ suggest: 'review', label: 10001 });
    const queue = await stack.http.get(`/api/admin/cases/submissions?status=under_review&campaignId=${campaign}`, compliance.token);
    expect(queue.body.items.find((s: { id: string }) => s.id === review.body.id)).toMatchObject({ flagged: true });

    await stack.fakeCall('POST', '/__fake/faults', { api: 'msg_sec_check', errcode: -1, times: 1 });
    const [before] = await stack.deps.pool.query('SELECT COUNT(*) AS n FROM case_submissions');
    const down = await submit(doctorA, GOOD_ANSWERS);
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('WECHAT_UNAVAILABLE');
    const [after] = await stack.deps.pool.query('SELECT COUNT(*) AS n FROM case_submissions');
    expect((after as { n: number }[])[0]!.n).toEqual((before as { n: number }[])[0]!.n);
  });

  it('stops at the campaign\'s limit per doctor (409 SUBMISSION_LIMIT)', async () => {
    const id = await makeCampaign(stack, { title: '限一例', maxPerDoctor: 1 }, marketing);
    expect((await submit(doctorB, GOOD_ANSWERS, id)).status).toBe(201);
    expect((await submit(doctorB, GOOD_ANSWERS, id)).body.error.code).toBe('SUBMISSION_LIMIT');
  });
});

describe('drafts', () => {
  it('are saved as the doctor types, resume on another device, refuse stale saves and go once submitted', async () => {
    const id = await makeCampaign(stack, { title: '草稿测试' }, marketing);
    const phone = await makeDoctor(stack, { until: 'verified' });
    expect((await stack.http.get(`/api/cases/campaigns/${id}/draft`, phone.token)).body).toEqual({ answers: {}, revision: 0, savedAt: null, imageUrls: {} });
    const s1 = await stack.http.put(`/api/cases/campaigns/${id}/draft`, { answers: { age: '6', history: '高血压' }, revision: 0 }, phone.token);
    expect(s1.body.revision).toBe(1);
    const s2 = await stack.http.put(`/api/cases/campaigns/${id}/draft`, { answers: { age: 62, history: '高血压病史10年' }, revision: 1 }, phone.token);
    expect(s2.body.revision).toBe(2);
    // The same doctor signs in on a tablet.
    const tablet = await loginDoctor(stack, phone.openid);
    const resumed = await stack.http.get(`/api/cases/campaigns/${id}/draft`, tablet.token);
    expect(resumed.body).toMatchObject({ answers: { age: 62, history: '高血压病史10年' }, revision: 2 });
    const stale = await stack.http.put(`/api/cases/campaigns/${id}/draft`, { answers: { age: 1 }, revision: 1 }, phone.token);
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'DRAFT_CONFLICT', details: { revision: 2 } });
    expect((await stack.http.put(`/api/cases/campaigns/${id}/draft`, { answers: { age: { v: 1 } } }, phone.token)).status).toBe(400);
    expect((await stack.http.get(`/api/cases/campaigns/${id}/draft`, doctorB.token)).body.revision).toBe(0);
    expect((await submit(tablet, GOOD_ANSWERS, id)).status).toBe(201);
    expect((await stack.http.get(`/api/cases/campaigns/${id}/draft`, phone.token)).body.revision).toBe(0);
  });
});

describe('who may read a submission', () => {
  it('is its author and reviewers; another doctor and other staff get 404', async () => {
    const mine = await submit(doctorA, GOOD_ANSWERS);
    expect(mine.status).toBe(201);
    const path = `/api/cases/submissions/${mine.body.id}`;
    expect((await stack.http.get(path, doctorA.token)).status).toBe(200);
    expect((await stack.http.get(path, doctorB.token)).status).toBe(404);
    expect((await stack.http.get(path, marketing.token)).status).toBe(404);
    expect((await stack.http.get('/api/cases/submissions/999999999', doctorA.token)).status).toBe(404);
    const reviewer = await stack.http.get(path, medical.token);
    expect(reviewer.status).toBe(200);
    expect(reviewer.body.review.author.id).toBe(doctorA.id);
    const listB = await stack.http.get('/api/cases/submissions', doctorB.token);
    expect(listB.body.items.map((s: { id: string }) => s.id)).not.toContain(mine.body.id);
    expect((await stack.http.post(`${path}/revisions`, { answers: GOOD_ANSWERS }, doctorB.token)).status).toBe(404);
  });
});

describe('review', () => {
  it('returns a case for revision with a note, takes the revision as version 2, then accepts it; all in the audit log', async () => {
    await stack.fakeCall('POST', '/__fake/subscriptions', { openid: doctorA.openid, template_id: 'hcp360-case-result' });
    const { body } = await submit(doctorA, GOOD_ANSWERS, campaign, { notify: true });
    const id = body.id as string;
    expect((await stack.http.post(`/api/admin/cases/submissions/${id}/accept`, {}, marketing.token)).status).toBe(403);
    expect((await stack.http.post(`/api/admin/cases/submissions/${id}/reject`, {}, medical.token)).status).toBe(400);
    expect((await stack.http.post(`/api/cases/submissions/${id}/revisions`, { answers: GOOD_ANSWERS }, doctorA.token)).body.error.code).toBe('INVALID_TRANSITION');

    const back = await stack.http.post(`/api/admin/cases/submissions/${id}/request-revision`, { note: '请补充降压药物剂量调整过程' }, medical.token);
    expect(back.body).toEqual({ id, status: 'needs_revision', version: 1 });
    const seen = await stack.http.get(`/api/cases/submissions/${id}`, doctorA.token);
    expect(seen.body).toMatchObject({ status: 'needs_revision', reviewerNote: '请补充降压药物剂量调整过程' });
    const sent = await stack.fakeCall<{ items?: unknown[] } | unknown[]>('GET', '/__fake/sent-messages');
    const messages = (Array.isArray(sent) ? sent : (sent as { items: unknown[] }).items) as { template_id: string; page: string; data: Record<string, { value: string }> }[];
    expect(messages.find((m) => m.page === `cases/submission/index?id=${id}`)).toMatchObject({ template_id: 'hcp360-case-result', data: { phrase2: { value: '需修改' } } });

    const revised = await stack.http.post(`/api/cases/submissions/${id}/revisions`, { answers: { ...GOOD_ANSWERS, history: `${GOOD_ANSWERS.history}氨氯地平加量至10mg。` } }, doctorA.token);
    expect(revised.status).toBe(201);
    expect(revised.body).toEqual({ id, status: 'under_review', version: 2 });
    const accepted = await stack.http.post(`/api/admin/cases/submissions/${id}/accept`, { note: '病例完整，已采纳' }, compliance.token);
    expect(accepted.body).toEqual({ id, status: 'accepted', version: 2 });
    expect((await stack.http.post(`/api/admin/cases/submissions/${id}/reject`, { note: 'x' }, medical.token)).status).toBe(409);

    const view = await stack.http.get(`/api/cases/submissions/${id}`, doctorA.token);
    expect(view.body.versions).toEqual([
      expect.objectContaining({ version: 1, decision: 'needs_revision', note: '请补充降压药物剂量调整过程' }),
      expect.objectContaining({ version: 2, decision: 'accepted', note: '病例完整，已采纳' }),
    ]);
    expect(view.body.answers.history).toContain('10mg');
    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual(['case.submit', 'case.request-revision', 'case.revise', 'case.accept']);
    expect(audit[1]!.actor_role).toBe('medical');
    expect(JSON.parse(audit[3]!.detail)).toMatchObject({ version: 2, from: 'under_review', to: 'accepted' });
    const rejected = await submit(doctorA, GOOD_ANSWERS);
    expect((await stack.http.post(`/api/admin/cases/submissions/${rejected.body.id}/reject`, { note: '与征集主题不符' }, medical.token)).body.status).toBe('rejected');
    const list = await stack.http.get('/api/cases/submissions', doctorA.token);
    expect(list.body.items.find((s: { id: string }) => s.id === rejected.body.id)).toMatchObject({ status: 'rejected', reviewerNote: '与征集主题不符' });
  });

  it('reports an accepted case to the engine: cases_accepted counts it and the doctor becomes a KOC', async () => {
    const koc = await makeDoctor(stack, { until: 'verified', profile: { title: '主治医师' } });
    // Enough meaningful actions for high engagement; case_submit events also point at the campaign's topics.
    await postEvents(stack, koc, Array.from({ length: 10 }, () => anEvent(stack, 'case_submit', { campaign_id: campaign })));
    const staffView = async () => (await stack.http.get(`/api/admin/hcps/${koc.id}`, marketing.token)).body;
    await expect.poll(async () => (await staffView()).counters?.cases_submitted, { timeout: 15_000 }).toBe(10);
    expect((await staffView()).affinities[0]).toMatchObject({ topic: 'hypertension' });
    const { body } = await submit(koc, GOOD_ANSWERS);
    await stack.http.post(`/api/admin/cases/submissions/${body.id}/accept`, {}, medical.token);
    await expect.poll(async () => (await staffView()).counters?.cases_accepted, { timeout: 15_000 }).toBe(1);
    await expect.poll(async () => (await staffView()).tags.find((t: { key: string }) => t.key === 'koc')?.value, { timeout: 15_000 }).toBe('true');
    expect((await staffView()).lifecycle.stage).toBe('advocate');
  });
});
