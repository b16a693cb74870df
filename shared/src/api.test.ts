import { describe, expect, it } from 'vitest';
import { ProfileInput, VerificationInput } from './api.js';
import { DEPARTMENTS, TITLES } from './vocab.js';

describe('ProfileInput', () => {
  const ok = { name: '张伟', hospital: '北京协和医院', department: '心血管内科', title: '主治医师' };

  it('accepts the vocabulary and trims text', () => {
    expect(ProfileInput.parse({ ...ok, name: ' 张伟 ', city: '' })).toEqual({ ...ok, city: undefined });
  });

  it('keeps the vocabulary at the sizes DESIGN promises', () => {
    expect(TITLES).toEqual(['住院医师', '主治医师', '副主任医师', '主任医师']);
    expect(DEPARTMENTS.length).toBeGreaterThanOrEqual(25);
  });

  it('refuses unknown fields and non-text values with Chinese messages', () => {
    const r = ProfileInput.safeParse({ ...ok, name: 12, role: 'admin' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message)).toContain('请填写姓名');
  });

  it('accepts a 15-digit licence number only', () => {
    expect(VerificationInput.safeParse({ licenseNo: '110101199003070' }).success).toBe(true);
    expect(VerificationInput.safeParse({ licenseNo: '11010119900307' }).success).toBe(false);
    expect(VerificationInput.safeParse({ licenseNo: '11010119900307X' }).success).toBe(false);
  });
});
