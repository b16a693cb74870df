/** The signed-in doctor's own endpoints (DESIGN §7), one function each. */
import type { MeResponse, Profile, ProfileInput } from '@hcp360/shared';
import { api } from './request';

export function fetchMe(): Promise<MeResponse> {
  return api<MeResponse>({ path: '/api/me' });
}

export async function saveProfile(input: ProfileInput): Promise<Profile> {
  const { profile } = await api<{ profile: Profile }>({ method: 'PUT', path: '/api/me/profile', body: input });
  return profile;
}

/** Accepts the privacy policy version the server presented, including the separate sensitive-data consent. */
export async function acceptConsents(policyVersion: string): Promise<MeResponse['consents']> {
  const { consents } = await api<{ consents: MeResponse['consents'] }>({
    method: 'POST',
    path: '/api/me/consents',
    body: { policyVersion, sensitive: true },
  });
  return consents;
}

export function requestVerification(licenseNo: string): Promise<{ id: string; status: 'pending' }> {
  return api({ method: 'POST', path: '/api/me/verification', body: { licenseNo } });
}

/** Binds the phone number behind a getPhoneNumber button code (weapp only). */
export async function bindPhone(code: string): Promise<Profile> {
  const { profile } = await api<{ profile: Profile }>({ method: 'POST', path: '/api/me/phone', body: { code } });
  return profile;
}
