import { describe, expect, it } from 'vitest';
import { ApiError } from '../services/apiError';
import { fieldErrorsFromApi } from './fieldErrors';
import { draftFromProfile, PROFILE_FIELDS, validateLicenseNo, validateProfileDraft } from './profileForm';

const valid = {
  name: '张三',
  hospital: '北京协和医院',
  hospitalLevel: '三级甲等',
  department: '心血管内科',
  title: '主治医师',
  province: '北京市',
  city: '北京',
};

describe('profile form validation (shared ProfileInput)', () => {
  it('gives each missing required field its own Chinese message', () => {
    const result = validateProfileDraft(draftFromProfile(null));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      name: '请填写姓名',
      hospital: '请填写医院',
      department: '请选择科室',
      title: '请选择职称',
    });
  });

  it('reports rule violations per field', () => {
    const result = validateProfileDraft({ ...valid, name: '张', hospital: '医' });
    expect(result).toEqual({ ok: false, errors: { name: '姓名至少 2 个字', hospital: '医院名称至少 2 个字' } });
  });

  it('returns the trimmed input and leaves blank optional fields out', () => {
    const result = validateProfileDraft({ ...valid, name: ' 张三 ', hospitalLevel: '', province: '', city: '' });
    expect(result).toEqual({
      ok: true,
      value: { name: '张三', hospital: '北京协和医院', department: '心血管内科', title: '主治医师' },
    });
  });

  it('prefills from a saved profile, turning nulls into empty fields', () => {
    const draft = draftFromProfile({ ...valid, city: null, phone: null, complete: true });
    expect(draft).toEqual({ ...valid, city: '' });
  });
});

describe('server validation errors on the form', () => {
  it('maps VALIDATION_FAILED details onto the fields they name', () => {
    const err = new ApiError(400, 'VALIDATION_FAILED', [
      { path: 'name', message: '姓名只能包含汉字、字母或间隔号' },
      { path: 'name', message: 'second message is ignored' },
      { path: 'department', message: '请选择科室' },
    ]);
    expect(fieldErrorsFromApi(err, PROFILE_FIELDS)).toEqual({
      name: '姓名只能包含汉字、字母或间隔号',
      department: '请选择科室',
    });
  });

  it('returns null for errors that are not about known fields, so the page shows the general message', () => {
    expect(fieldErrorsFromApi(new ApiError(409, 'CONSENT_REQUIRED'), PROFILE_FIELDS)).toBeNull();
    expect(fieldErrorsFromApi(new ApiError(400, 'VALIDATION_FAILED', [{ path: 'role', message: 'x' }]), PROFILE_FIELDS)).toBeNull();
    expect(fieldErrorsFromApi(new Error('boom'), PROFILE_FIELDS)).toBeNull();
  });
});

describe('licence number', () => {
  it('accepts exactly 15 digits', () => {
    expect(validateLicenseNo(' 110101199001011 ')).toEqual({ ok: true, value: '110101199001011' });
  });

  it('explains the format in Chinese', () => {
    expect(validateLicenseNo('12345')).toEqual({ ok: false, errors: { licenseNo: '执业证书编码为 15 位数字' } });
    expect(validateLicenseNo('')).toEqual({ ok: false, errors: { licenseNo: '请填写执业证书编码' } });
  });
});
