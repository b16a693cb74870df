/**
 * Demo case collection for `npm start`: two open campaigns with different forms (高血压真实世界病例,
 * 心力衰竭病例分享) and one closed (2型糖尿病胰岛素起始病例), made by the demo `marketing` account
 * through the campaign service, and de-identified cases from verified demo doctors in every review
 * state (under review, accepted, rejected, needs revision, and one revised back under review),
 * decided by `medical` / `compliance` through the review service (so the audit log and the engine's
 * cases_accepted are real). The cases are written as already checked (their text is clean demo
 * text; the demo doctors never signed in through WeChat, so content security cannot address them).
 * Idempotent: a campaign whose title exists is left alone with its cases.
 */
import type { CampaignInput, CaseAnswers, CaseFieldInput } from '@hcp360/shared';
import { CampaignInput as CampaignSchema } from '@hcp360/shared';
import type { Principal } from '../platform/auth.js';
import { inTransaction, type RowDataPacket } from '../platform/db.js';
import type { Deps } from '../platform/deps.js';
import { createCampaign } from '../domains/cases/campaigns.js';
import * as repo from '../domains/cases/repo.js';
import { decideCase } from '../domains/cases/review.js';
import { findStaffByUsername } from '../domains/identity/staffRepo.js';
import { recordAudit } from '../domains/audit/service.js';

const DAY = 86_400_000;

const HYPERTENSION_FIELDS: CaseFieldInput[] = [
  { key: 'patient', label: '患者代称', type: 'short_text', required: true, help: '请使用“张某”“患者A”等代称，勿填真实姓名' },
  { key: 'age', label: '年龄', type: 'number', unit: '岁', min: 18, max: 110, integer: true, required: true },
  { key: 'sex', label: '性别', type: 'single_choice', options: ['男', '女'], required: true },
  { key: 'first_visit', label: '首诊时间', type: 'month', required: true },
  { key: 'sbp', label: '基线诊室收缩压', type: 'number', unit: 'mmHg', min: 60, max: 300, integer: true, required: true },
  { key: 'dbp', label: '基线诊室舒张压', type: 'number', unit: 'mmHg', min: 30, max: 200, integer: true, required: true },
  { key: 'comorbidities', label: '合并症', type: 'multi_choice', options: ['糖尿病', '冠心病', '慢性肾脏病', '脑卒中史', '血脂异常', '无'] },
  { key: 'regimen', label: '降压方案及调整过程', type: 'long_text', maxLength: 2000, required: true, help: '药物、剂量、调整时间与理由' },
  { key: 'outcome', label: '随访结局', type: 'long_text', maxLength: 1000, required: true },
  { key: 'records', label: '动态血压/检查单', type: 'images', maxCount: 4, help: '请先遮挡检查单上的姓名、住院号' },
];

const HEART_FAILURE_FIELDS: CaseFieldInput[] = [
  { key: 'age', label: '年龄', type: 'number', unit: '岁', min: 18, max: 110, integer: true, required: true },
  { key: 'sex', label: '性别', type: 'single_choice', options: ['男', '女'], required: true },
  { key: 'nyha', label: 'NYHA 心功能分级', type: 'single_choice', options: ['I 级', 'II 级', 'III 级', 'IV 级'], required: true },
  { key: 'lvef', label: 'LVEF', type: 'number', unit: '%', min: 5, max: 80, required: true },
  { key: 'ntprobnp', label: 'NT-proBNP', type: 'number', unit: 'pg/mL', min: 0, max: 70000 },
  { key: 'gdmt', label: '指南导向药物治疗', type: 'multi_choice', options: ['ARNI', 'β受体阻滞剂', 'MRA', 'SGLT2抑制剂', '利尿剂'], required: true },
  { key: 'course', label: '诊疗经过', type: 'long_text', maxLength: 3000, required: true },
  { key: 'takeaway', label: '经验与体会', type: 'long_text', maxLength: 1000 },
  { key: 'echo', label: '超声心动图', type: 'images', maxCount: 3 },
];

const DIABETES_FIELDS: CaseFieldInput[] = [
  { key: 'age', label: '年龄', type: 'number', unit: '岁', min: 18, max: 110, integer: true, required: true },
  { key: 'hba1c', label: '起始前 HbA1c', type: 'number', unit: '%', min: 4, max: 20, required: true },
  { key: 'insulin', label: '起始方案', type: 'single_choice', options: ['基础胰岛素', '预混胰岛素', '基础-餐时'], required: true },
  { key: 'course', label: '起始与滴定过程', type: 'long_text', required: true },
];

interface DemoCampaign {
  input: CampaignInput;
  cases: { openid: string; answers: CaseAnswers; outcome: 'under_review' | 'accepted' | 'rejected' | 'needs_revision' | 'revised'; note?: string; flagged?: boolean; revisedAnswers?: CaseAnswers }[];
}

function demoCampaigns(now: number): DemoCampaign[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  const htn = (age: number, sex: string, sbp: number, dbp: number, regimen: string, outcome: string): CaseAnswers => ({
    patient: `患者${String.fromCharCode(65 + (age % 26))}`,
    age,
    sex,
    first_visit: '2025-03',
    sbp,
    dbp,
    comorbidities: ['血脂异常'],
    regimen,
    outcome,
  });
  const hf = (age: number, nyha: string, lvef: number, course: string): CaseAnswers => ({ age, sex: '男', nyha, lvef, ntprobnp: 3200, gdmt: ['ARNI', 'β受体阻滞剂', 'SGLT2抑制剂'], course });
  return [
    {
      input: CampaignSchema.parse({
        title: '高血压真实世界病例',
        description: '征集高血压患者真实世界诊疗病例，重点关注联合用药方案与血压达标过程。优秀病例将在区域学术会议中分享。',
        topics: ['hypertension'],
        opensAt: iso(now - 14 * DAY),
        closesAt: iso(now + 45 * DAY),
        maxPerDoctor: 5,
        form: { fields: HYPERTENSION_FIELDS },
      }),
      cases: [
        { openid: 'demo-hcp-001', outcome: 'under_review', answers: htn(58, '男', 168, 102, '氨氯地平5mg qd起始，2周后血压150/95mmHg，加用缬沙坦80mg qd。', '8周时诊室血压132/82mmHg，未诉不适。') },
        { openid: 'demo-hcp-003', outcome: 'accepted', note: '方案调整过程清晰，已采纳', answers: htn(66, '女', 172, 96, '原服用硝苯地平缓释片，血压控制不佳，改为ARB/CCB单片复方制剂。', '12周达标，家庭血压稳定在125-135/75-85mmHg。') },
        { openid: 'demo-hcp-005', outcome: 'rejected', note: '病例为继发性高血压，不符合本次征集范围', answers: htn(35, '男', 182, 110, '肾动脉超声提示右肾动脉狭窄，转介血管外科。', '支架术后血压明显下降。') },
        { openid: 'demo-hcp-007', outcome: 'needs_revision', note: '请补充随访期间的家庭血压记录与不良反应情况', answers: htn(71, '男', 160, 88, '吲达帕胺1.5mg qd联合培哚普利4mg qd。', '血压下降，具体数值待补充。') },
        {
          openid: 'demo-hcp-009',
          outcome: 'revised',
          note: '请说明血钾监测情况',
          answers: htn(62, '女', 158, 94, '螺内酯20mg qd加入三药联合方案。', '血压降至138/86mmHg。'),
          revisedAnswers: htn(62, '女', 158, 94, '螺内酯20mg qd加入三药联合方案，加药后第1、4周复查血钾分别为4.3、4.6mmol/L。', '血压降至128/80mmHg，血钾稳定。'),
        },
      ],
    },
    {
      input: CampaignSchema.parse({
        title: '心力衰竭病例分享',
        description: '分享射血分数降低的心力衰竭（HFrEF）患者应用指南导向药物治疗（GDMT）的真实病例，交流快速优化经验。',
        topics: ['heart_failure'],
        opensAt: iso(now - 7 * DAY),
        closesAt: iso(now + 60 * DAY),
        maxPerDoctor: 3,
        form: { fields: HEART_FAILURE_FIELDS },
      }),
      cases: [
        { openid: 'demo-hcp-011', outcome: 'under_review', flagged: true, answers: hf(67, 'III 级', 28, '因活动后气促加重入院，住院期间启动ARNI并逐步滴定，出院后4周复查。') },
        { openid: 'demo-hcp-013', outcome: 'accepted', note: '四联治疗优化过程完整，感谢分享', answers: hf(59, 'II 级', 33, '门诊启动四联治疗，6周内完成滴定，LVEF 3个月后升至42%。') },
      ],
    },
    {
      input: CampaignSchema.parse({
        title: '2型糖尿病胰岛素起始病例',
        description: '基层2型糖尿病患者胰岛素起始与滴定病例征集（已结束）。',
        topics: ['diabetes'],
        opensAt: iso(now - 90 * DAY),
        closesAt: iso(now - 10 * DAY),
        form: { fields: DIABETES_FIELDS },
      }),
      cases: [{ openid: 'demo-hcp-015', outcome: 'accepted', note: '已采纳', answers: { age: 54, hba1c: 9.6, insulin: '基础胰岛素', course: '甘精胰岛素10U睡前起始，每3天根据空腹血糖调整2U。' } }],
    },
  ];
}

export async function seedDemoCases(deps: Deps, say: (msg: string) => void = () => undefined): Promise<void> {
  const now = deps.clock();
  const [marketing, medical, compliance] = await Promise.all(['marketing', 'medical', 'compliance'].map((u) => findStaffByUsername(deps.pool, u)));
  if (!marketing || !medical || !compliance) return;
  const marketingP: Principal = { kind: 'staff', id: marketing.id, role: 'marketing' };
  const reviewers: Principal[] = [
    { kind: 'staff', id: medical.id, role: 'medical' },
    { kind: 'staff', id: compliance.id, role: 'compliance' },
  ];
  let made = 0;
  for (const demo of demoCampaigns(now)) {
    const [exists] = await deps.pool.query<RowDataPacket[]>('SELECT id FROM case_campaigns WHERE title = ? LIMIT 1', [demo.input.title]);
    if (exists.length) continue;
    const { id: campaignId } = await createCampaign(deps, marketingP, demo.input);
    for (const [k, c] of demo.cases.entries()) {
      const [who] = await deps.pool.query<RowDataPacket[]>('SELECT hcp_id FROM wechat_identities WHERE appid = ? AND openid = ?', [deps.config.wechat.appid, c.openid]);
      const hcpId = who[0]?.hcp_id ? String(who[0].hcp_id) : undefined;
      if (!hcpId) continue;
      const at = now - (demo.cases.length - k) * DAY;
      const sec = c.flagged ? { secSuggest: 'review', secLabel: 21000 } : { secSuggest: 'pass', secLabel: 100 };
      const submissionId = await inTransaction(deps.pool, async (conn) => {
        const id = await repo.insertSubmission(conn, { campaignId, hcpId, formVersion: 1, ...sec, notify: false }, new Date(at));
        await repo.insertSubmissionVersion(conn, { submissionId: id, versionNo: 1, answers: c.answers, ...sec }, new Date(at));
        await recordAudit(conn, { actor: { kind: 'hcp', id: hcpId, role: 'doctor' }, action: 'case.submit', targetType: 'case_submission', targetId: id, detail: { campaignId, version: 1, from: null, to: 'under_review', secCheck: sec.secSuggest, seeded: true } }, at);
        return id;
      });
      const reviewer = reviewers[k % 2]!;
      if (c.outcome === 'accepted') await decideCase(deps, reviewer, submissionId, 'accept', c.note);
      if (c.outcome === 'rejected') await decideCase(deps, reviewer, submissionId, 'reject', c.note);
      if (c.outcome === 'needs_revision' || c.outcome === 'revised') await decideCase(deps, reviewer, submissionId, 'request-revision', c.note);
      if (c.outcome === 'revised' && c.revisedAnswers) {
        await inTransaction(deps.pool, async (conn) => {
          await repo.insertSubmissionVersion(conn, { submissionId, versionNo: 2, answers: c.revisedAnswers!, secSuggest: 'pass', secLabel: 100 }, new Date(now));
          await repo.markRevised(conn, submissionId, { versionNo: 2, secSuggest: 'pass', secLabel: 100, notify: false }, new Date(now));
          await recordAudit(conn, { actor: { kind: 'hcp', id: hcpId, role: 'doctor' }, action: 'case.revise', targetType: 'case_submission', targetId: submissionId, detail: { version: 2, from: 'needs_revision', to: 'under_review', seeded: true } }, now);
        });
      }
      made++;
    }
  }
  if (made) say(`Seeded ${made} demo case submissions.`);
}
