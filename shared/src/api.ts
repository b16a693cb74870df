/**
 * Request schemas and response types of the HTTP API (DESIGN §7). The server validates every
 * body with these; the mini-program uses the same schemas to validate forms before sending.
 * Doctor-facing messages are Simplified Chinese because the mini-program shows them as they are.
 * Objects are strict: an unknown field is an error, so a client cannot smuggle in `role` or `verified`.
 */
import { z } from 'zod';
import { DEPARTMENTS, HOSPITAL_LEVELS, PROVINCES, STAFF_ROLES, TITLES } from './vocab.js';
import type { LifecycleStage, Role, StaffRole, VerificationStatus } from './vocab.js';

const id = z.string().regex(/^[1-9][0-9]{0,18}$/, 'must be a positive integer id');

// ---- auth -------------------------------------------------------------------------------
export const WechatLoginInput = z.strictObject({ code: z.string().trim().min(1).max(128) });
export const RefreshInput = z.strictObject({ refreshToken: z.string().min(20).max(200) });
export const StaffLoginInput = z.strictObject({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
});

export interface AuthUser {
  id: string;
  role: Role;
}
export interface LoginResponse {
  token: string;
  refreshToken: string;
  user: AuthUser;
}
export interface RefreshResponse {
  token: string;
  refreshToken: string;
}

// ---- doctor profile -----------------------------------------------------------------------
const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

export const ProfileInput = z.strictObject({
  name: z
    .string({ message: '请填写姓名' })
    .trim()
    .min(2, '姓名至少 2 个字')
    .max(20, '姓名最多 20 个字')
    .regex(/^[\p{Script=Han}A-Za-z][\p{Script=Han}A-Za-z·. ]*$/u, '姓名只能包含汉字、字母或间隔号'),
  hospital: z.string({ message: '请填写医院' }).trim().min(2, '医院名称至少 2 个字').max(60, '医院名称最多 60 个字'),
  hospitalLevel: z.enum(HOSPITAL_LEVELS, { message: '请选择医院等级' }).optional(),
  department: z.enum(DEPARTMENTS, { message: '请选择科室' }),
  title: z.enum(TITLES, { message: '请选择职称' }),
  province: z.enum(PROVINCES, { message: '请选择省份' }).optional(),
  city: optionalText(20, '城市最多 20 个字'),
});
export type ProfileInput = z.infer<typeof ProfileInput>;

export const ConsentInput = z.strictObject({
  policyVersion: z.string().trim().min(1).max(32),
  sensitive: z.boolean({ message: 'sensitive must be true or false' }),
});

export const VerificationInput = z.strictObject({
  licenseNo: z
    .string({ message: '请填写执业证书编码' })
    .trim()
    .regex(/^[0-9]{15}$/, '执业证书编码为 15 位数字'),
});

export const PhoneInput = z.strictObject({ code: z.string().trim().min(1).max(128) });

export interface Profile {
  name: string | null;
  hospital: string | null;
  hospitalLevel: string | null;
  department: string | null;
  title: string | null;
  province: string | null;
  city: string | null;
  phone: string | null;
  complete: boolean;
}

export interface ConsentRecord {
  policyVersion: string;
  sensitive: boolean;
  at: string;
}

export interface MeResponse {
  id: string;
  role: 'doctor';
  profile: Profile;
  lifecycle: { stage: LifecycleStage; since: string };
  verification: { status: VerificationStatus; comment?: string | null };
  consents: { currentVersion: string; accepted: ConsentRecord[]; upToDate: boolean };
}

// ---- compliance and admin -----------------------------------------------------------------
export const ReviewInput = z.strictObject({ comment: z.string().trim().max(500).optional() });

export const VerificationListQuery = z.strictObject({
  status: z.enum(['pending', 'approved', 'rejected']).default('pending'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export interface VerificationItem {
  id: string;
  hcpId: string;
  licenseNo: string;
  status: 'pending' | 'approved' | 'rejected';
  name: string | null;
  hospital: string | null;
  department: string | null;
  title: string | null;
  createdAt: string;
  reviewedAt: string | null;
  comment: string | null;
}

export const StaffCreateInput = z.strictObject({
  username: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_.-]{2,31}$/, 'username: 3–32 lower-case letters, digits, _ . -, starting with a letter'),
  displayName: z.string().trim().min(1).max(40),
  role: z.enum(STAFF_ROLES),
  password: z.string().min(10, 'password: at least 10 characters').max(200),
});

export const WechatBindingInput = z.strictObject({
  openid: z.string().trim().min(1).max(64),
});

export const IdParam = z.strictObject({ id });

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  active: boolean;
  wechatBound: boolean;
}
