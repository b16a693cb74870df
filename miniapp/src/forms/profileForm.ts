/**
 * The profile form's values (all strings, as the inputs and pickers hold them) and their
 * conversion to the shared ProfileInput, validated with the same schema the server uses.
 */
import { ProfileInput, VerificationInput, type Profile } from '@hcp360/shared';
import { fieldErrorsFromZod, type FieldErrors } from './fieldErrors';

export interface ProfileDraft {
  name: string;
  hospital: string;
  hospitalLevel: string;
  department: string;
  title: string;
  province: string;
  city: string;
}

export const PROFILE_FIELDS: ReadonlyArray<keyof ProfileDraft> = [
  'name',
  'hospital',
  'hospitalLevel',
  'department',
  'title',
  'province',
  'city',
];

export function draftFromProfile(profile: Profile | null | undefined): ProfileDraft {
  return {
    name: profile?.name ?? '',
    hospital: profile?.hospital ?? '',
    hospitalLevel: profile?.hospitalLevel ?? '',
    department: profile?.department ?? '',
    title: profile?.title ?? '',
    province: profile?.province ?? '',
    city: profile?.city ?? '',
  };
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Blank fields are sent as absent, so a missing name reads 请填写姓名 rather than a length rule. */
export function validateProfileDraft(draft: ProfileDraft): Validation<ProfileInput> {
  const candidate: Record<string, string> = {};
  for (const field of PROFILE_FIELDS) {
    const value = draft[field].trim();
    if (value !== '') candidate[field] = value;
  }
  const result = ProfileInput.safeParse(candidate);
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: fieldErrorsFromZod(result.error) };
}

export function validateLicenseNo(licenseNo: string): Validation<string> {
  const result = VerificationInput.safeParse({ licenseNo: licenseNo.trim() === '' ? undefined : licenseNo });
  return result.success
    ? { ok: true, value: result.data.licenseNo }
    : { ok: false, errors: fieldErrorsFromZod(result.error) };
}
