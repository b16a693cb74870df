/**
 * The shared vocabulary: doctor titles, departments, hospital levels, regions, roles and
 * lifecycle stages. Stored values are the Chinese names themselves (the API contract says
 * department and title are "the shared vocabulary's Chinese names"), so a profile row reads
 * the same in SQL, in the console and in the mini-program.
 *
 * This module has no dependencies so the mini-program can import it without pulling in zod.
 */

/** Professional titles (职称), junior to senior. The order is meaningful (title bands, KOL/KOC rules). */
export const TITLES = ['住院医师', '主治医师', '副主任医师', '主任医师'] as const;
export type Title = (typeof TITLES)[number];

/** Clinical departments (科室) a doctor can pick; about 25, covering the therapy areas we market to. */
export const DEPARTMENTS = [
  '心血管内科',
  '心胸外科',
  '神经内科',
  '神经外科',
  '内分泌科',
  '呼吸与危重症医学科',
  '消化内科',
  '肾内科',
  '血液科',
  '肿瘤内科',
  '肿瘤外科',
  '放疗科',
  '普通外科',
  '骨科',
  '风湿免疫科',
  '感染科',
  '儿科',
  '妇产科',
  '皮肤科',
  '眼科',
  '耳鼻咽喉科',
  '精神科',
  '急诊科',
  '重症医学科',
  '全科医学科',
  '药剂科',
] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** Hospital grades (医院等级) under the national grading scheme, highest first. */
export const HOSPITAL_LEVELS = [
  '三级甲等',
  '三级乙等',
  '三级',
  '二级甲等',
  '二级乙等',
  '二级',
  '一级',
  '社区卫生服务中心',
  '其他',
] as const;
export type HospitalLevel = (typeof HOSPITAL_LEVELS)[number];

/** Province-level divisions of the mainland (省/自治区/直辖市). */
export const PROVINCES = [
  '北京市', '天津市', '河北省', '山西省', '内蒙古自治区', '辽宁省', '吉林省', '黑龙江省',
  '上海市', '江苏省', '浙江省', '安徽省', '福建省', '江西省', '山东省', '河南省',
  '湖北省', '湖南省', '广东省', '广西壮族自治区', '海南省', '重庆市', '四川省', '贵州省',
  '云南省', '西藏自治区', '陕西省', '甘肃省', '青海省', '宁夏回族自治区', '新疆维吾尔自治区',
] as const;
export type Province = (typeof PROVINCES)[number];

/** Staff roles (DESIGN §7). `rep` may also sign into the mini-program once bound to a WeChat identity. */
export const STAFF_ROLES = ['admin', 'marketing', 'compliance', 'medical', 'manager', 'rep'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Every role a token can carry. */
export const ROLES = ['doctor', ...STAFF_ROLES] as const;
export type Role = (typeof ROLES)[number];

/** Lifecycle stages (DESIGN §3). `dormant` applies to engaged/advocate doctors gone quiet. */
export const LIFECYCLE_STAGES = ['invited', 'registered', 'verified', 'engaged', 'advocate', 'dormant'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const VERIFICATION_STATUSES = ['none', 'pending', 'verified', 'rejected'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/**
 * The privacy policy version doctors must accept. Bumping it makes every doctor consent again
 * (PIPL Art. 14: a change of purpose or manner of processing needs new consent).
 */
export const CURRENT_POLICY_VERSION = '2026-11-01';

/** Chinese labels for statuses shown to doctors. */
export const VERIFICATION_STATUS_LABELS: Record<VerificationStatus, string> = {
  none: '未认证',
  pending: '审核中',
  verified: '已认证',
  rejected: '未通过',
};

export const LIFECYCLE_STAGE_LABELS: Record<LifecycleStage, string> = {
  invited: '已邀请',
  registered: '已注册',
  verified: '已认证',
  engaged: '活跃',
  advocate: '推荐者',
  dormant: '沉睡',
};

/**
 * Therapy-area topics (stable codes, Chinese labels). Content, live streams and case campaigns
 * carry topics; the HCP360 engine keeps each doctor's affinity per topic.
 */
export const TOPICS = {
  hypertension: '高血压',
  heart_failure: '心力衰竭',
  coronary_heart_disease: '冠心病',
  atrial_fibrillation: '心房颤动',
  dyslipidemia: '血脂异常',
  diabetes: '糖尿病',
  obesity: '肥胖症',
  thyroid: '甲状腺疾病',
  ckd: '慢性肾脏病',
  stroke: '脑卒中',
  alzheimers: '阿尔茨海默病',
  copd: '慢阻肺',
  asthma: '哮喘',
  lung_cancer: '肺癌',
  breast_cancer: '乳腺癌',
  gastric_cancer: '胃癌',
  liver_cancer: '肝癌',
  colorectal_cancer: '结直肠癌',
  rheumatoid_arthritis: '类风湿关节炎',
  osteoporosis: '骨质疏松',
  hepatitis_b: '乙型肝炎',
  depression: '抑郁症',
} as const;
export type Topic = keyof typeof TOPICS;
export const TOPIC_CODES = Object.keys(TOPICS) as Topic[];

/**
 * Who shared a link or code: `d<id>` for a doctor, `r<id>` for a rep (staff id). Carried as
 * `inviter` in share paths and mini-program code scenes, and in app_launch / invite_open events.
 */
export type Inviter = { kind: 'hcp' | 'rep'; id: string };
export function encodeInviter(inviter: Inviter): string {
  return `${inviter.kind === 'hcp' ? 'd' : 'r'}${inviter.id}`;
}
export function decodeInviter(code: string | undefined | null): Inviter | undefined {
  const m = code ? /^([dr])([1-9][0-9]{0,18})$/.exec(code) : null;
  return m ? { kind: m[1] === 'd' ? 'hcp' : 'rep', id: m[2]! } : undefined;
}
