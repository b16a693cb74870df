/**
 * Demo data for `npm start`: the staff accounts of every role and 48 demo doctors across
 * departments, titles, hospital levels and cities, about half verified, all with consent and
 * profiles. Idempotent: what exists already is left alone, so it is safe on every start.
 * Doctors are created through the same service functions the API uses, so lifecycle history,
 * verification requests and the audit log look exactly as they would in real use. Demo content
 * (seedContent.ts) comes next, and last the demo doctors' reading history (seedHistory.ts).
 */
import { CURRENT_POLICY_VERSION, DEPARTMENTS, TITLES, type ProfileInput, type StaffRole } from '@hcp360/shared';
import type { Principal } from '../platform/auth.js';
import type { RowDataPacket } from '../platform/db.js';
import type { Deps } from '../platform/deps.js';
import { insertHcp } from '../domains/identity/hcpRepo.js';
import { acceptConsent, requestVerification, updateProfile } from '../domains/identity/me.js';
import { hashPassword } from '../domains/identity/passwords.js';
import { bindRepWechat } from '../domains/identity/staffAdmin.js';
import { findStaffByUsername, insertStaff } from '../domains/identity/staffRepo.js';
import { reviewVerification } from '../domains/identity/verificationReview.js';
import { seedDemoCases } from './seedCases.js';
import { seedDemoContent } from './seedContent.js';
import { seedDemoLives } from './seedLives.js';
import { seedDemoHistory } from './seedHistory.js';

export const DEMO_STAFF: { username: string; displayName: string; role: StaffRole }[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin' },
  { username: 'marketing', displayName: '市场部 王芳', role: 'marketing' },
  { username: 'compliance', displayName: '合规部 李明', role: 'compliance' },
  { username: 'medical', displayName: '医学部 陈静', role: 'medical' },
  { username: 'manager', displayName: '大区经理 赵强', role: 'manager' },
  { username: 'rep01', displayName: '医药代表 刘洋', role: 'rep' },
  { username: 'rep02', displayName: '医药代表 孙悦', role: 'rep' },
];

/** WeChat openids the demo reps sign into the mini-program with. */
export const DEMO_REP_OPENIDS: Record<string, string> = { rep01: 'demo-rep-01', rep02: 'demo-rep-02' };

export const DEMO_DOCTOR_COUNT = 48;

const HOSPITALS: { name: string; level: ProfileInput['hospitalLevel']; province: ProfileInput['province']; city: string }[] = [
  { name: '北京协和医院', level: '三级甲等', province: '北京市', city: '北京' },
  { name: '复旦大学附属中山医院', level: '三级甲等', province: '上海市', city: '上海' },
  { name: '四川大学华西医院', level: '三级甲等', province: '四川省', city: '成都' },
  { name: '中山大学附属第一医院', level: '三级甲等', province: '广东省', city: '广州' },
  { name: '浙江大学医学院附属第一医院', level: '三级甲等', province: '浙江省', city: '杭州' },
  { name: '武汉大学人民医院', level: '三级甲等', province: '湖北省', city: '武汉' },
  { name: '西安交通大学第一附属医院', level: '三级甲等', province: '陕西省', city: '西安' },
  { name: '南京鼓楼医院', level: '三级甲等', province: '江苏省', city: '南京' },
  { name: '郑州市第三人民医院', level: '三级乙等', province: '河南省', city: '郑州' },
  { name: '杭州市余杭区第一人民医院', level: '二级甲等', province: '浙江省', city: '杭州' },
  { name: '成都市武侯区人民医院', level: '二级甲等', province: '四川省', city: '成都' },
  { name: '上海市徐汇区枫林街道社区卫生服务中心', level: '社区卫生服务中心', province: '上海市', city: '上海' },
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '建华', '晓东', '海燕', '志强', '丽华', '国平', '雪梅'];

/** Departments the demo leans on (cardiology, endocrinology, oncology, respiratory) plus a spread of others. */
const FOCUS_DEPARTMENTS = ['心血管内科', '内分泌科', '肿瘤内科', '呼吸与危重症医学科', '神经内科', '肾内科'] as const;

export function demoDoctor(i: number): { openid: string; profile: ProfileInput; licenseNo: string; verified: boolean } {
  const n = i + 1;
  const hospital = HOSPITALS[i % HOSPITALS.length]!;
  const department = i % 4 === 3 ? DEPARTMENTS[(i * 7) % DEPARTMENTS.length]! : FOCUS_DEPARTMENTS[i % FOCUS_DEPARTMENTS.length]!;
  return {
    openid: `demo-hcp-${String(n).padStart(3, '0')}`,
    profile: {
      name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 5) % GIVEN.length]}`,
      hospital: hospital.name,
      hospitalLevel: hospital.level,
      department,
      title: TITLES[(i * 3) % TITLES.length]!,
      province: hospital.province,
      city: hospital.city,
    },
    licenseNo: `1101${String(10_000_000_000 + n * 7919).slice(-11)}`,
    // about half verified; a few pending and one rejected so the compliance queue has work in it
    verified: i % 2 === 0,
  };
}

export async function seedDemoData(deps: Deps, say: (msg: string) => void = () => undefined): Promise<void> {
  const now = deps.clock();
  let created = 0;
  for (const s of DEMO_STAFF) {
    if (await findStaffByUsername(deps.pool, s.username)) continue;
    await insertStaff(deps.pool, { ...s, passwordHash: await hashPassword(deps.config.demoPassword) }, now);
    created++;
  }
  if (created) say(`Seeded ${created} staff accounts.`);

  const admin = await findStaffByUsername(deps.pool, 'admin');
  const compliance = await findStaffByUsername(deps.pool, 'compliance');
  const adminP: Principal = { kind: 'staff', id: admin!.id, role: 'admin' };
  const complianceP: Principal = { kind: 'staff', id: compliance!.id, role: 'compliance' };

  for (const [username, openid] of Object.entries(DEMO_REP_OPENIDS)) {
    const rep = await findStaffByUsername(deps.pool, username);
    const [bound] = await deps.pool.query<RowDataPacket[]>('SELECT id FROM wechat_identities WHERE staff_id = ?', [rep!.id]);
    if (bound.length === 0) await bindRepWechat(deps, adminP, rep!.id, openid);
  }

  const appid = deps.config.wechat.appid;
  const [existing] = await deps.pool.query<RowDataPacket[]>("SELECT openid FROM wechat_identities WHERE appid = ? AND openid LIKE 'demo-hcp-%'", [appid]);
  const have = new Set(existing.map((r) => String(r.openid)));
  const todo = Array.from({ length: DEMO_DOCTOR_COUNT }, (_, i) => i).filter((i) => !have.has(demoDoctor(i).openid));
  if (todo.length === 0) {
    await seedDemoContent(deps, say);
    await seedDemoLives(deps, say);
    await seedDemoCases(deps, say);
    return seedDemoHistory(deps, say);
  }

  say(`Seeding ${todo.length} demo doctors …`);
  for (const [k, i] of todo.entries()) {
    const d = demoDoctor(i);
    const hcpId = await insertHcp(deps.pool, now, 'demo_seed');
    await deps.pool.query('INSERT INTO wechat_identities (appid, openid, hcp_id, created_at) VALUES (?, ?, ?, ?)', [appid, d.openid, hcpId, new Date(now)]);
    await acceptConsent(deps, hcpId, { policyVersion: CURRENT_POLICY_VERSION, sensitive: true });
    await updateProfile(deps, hcpId, d.profile);
    if (i % 8 !== 7) {
      const request = await requestVerification(deps, hcpId, d.licenseNo);
      if (d.verified) await reviewVerification(deps, complianceP, request.id, 'approved', '执业信息核验通过');
      else if (i % 8 === 5) await reviewVerification(deps, complianceP, request.id, 'rejected', '执业证书编码与姓名不符，请核对后重新提交');
    }
    if ((k + 1) % 12 === 0 || k === todo.length - 1) say(`  … ${k + 1}/${todo.length}`);
  }

  await seedDemoContent(deps, say);
  await seedDemoLives(deps, say);
  await seedDemoCases(deps, say);
  await seedDemoHistory(deps, say);
}
