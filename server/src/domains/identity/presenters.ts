/** What leaves the server about a doctor: exactly these fields. */
import { CURRENT_POLICY_VERSION, type MeResponse, type Profile } from '@hcp360/shared';
import { consentUpToDate, isProfileComplete, type HcpRow } from './hcpRepo.js';

export function presentProfile(h: HcpRow): Profile {
  return {
    name: h.name,
    hospital: h.hospital,
    hospitalLevel: h.hospital_level,
    department: h.department,
    title: h.title,
    province: h.province,
    city: h.city,
    phone: h.phone,
    complete: isProfileComplete(h),
  };
}

export function presentMe(
  h: HcpRow,
  consents: MeResponse['consents']['accepted'],
  verificationComment: string | null,
): MeResponse {
  return {
    id: h.id,
    role: 'doctor',
    profile: presentProfile(h),
    lifecycle: { stage: h.lifecycle_stage, since: h.lifecycle_since.toISOString() },
    verification: { status: h.verification_status, comment: verificationComment },
    consents: { currentVersion: CURRENT_POLICY_VERSION, accepted: consents, upToDate: consentUpToDate(consents) },
  };
}
