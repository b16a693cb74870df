import { describe, expect, it } from 'vitest';
import type { MeResponse } from '@hcp360/shared';
import { launchRedirect, nextStepFor, onboardingChecklist, returnRouteOf, roleOfToken, ROUTES } from './onboarding';

function me(overrides: { upToDate?: boolean; complete?: boolean; status?: MeResponse['verification']['status'] } = {}) {
  const { upToDate = true, complete = true, status = 'none' } = overrides;
  return {
    consents: { currentVersion: '2026-11-01', accepted: [], upToDate },
    profile: {
      name: '张三',
      hospital: '协和医院',
      hospitalLevel: null,
      department: '心血管内科',
      title: '主治医师',
      province: null,
      city: null,
      phone: null,
      complete,
    },
    verification: { status, comment: null },
  } satisfies Pick<MeResponse, 'consents' | 'profile' | 'verification'>;
}

describe('nextStepFor', () => {
  it('asks for consent first, even before the profile', () => {
    expect(nextStepFor(me({ upToDate: false, complete: false }))).toBe('consent');
    expect(nextStepFor(me({ upToDate: false, complete: true }))).toBe('consent');
  });

  it('asks for the profile once consent is current', () => {
    expect(nextStepFor(me({ upToDate: true, complete: false }))).toBe('profile');
  });

  it('lets a consented doctor with a complete profile stay', () => {
    expect(nextStepFor(me())).toBe('home');
  });
});

describe('launchRedirect', () => {
  it('sends a doctor who must consent to the consent page from wherever they opened', () => {
    expect(launchRedirect(me({ upToDate: false }), 'pages/index/index')).toBe(ROUTES.consent);
    expect(launchRedirect(me({ upToDate: false }), null)).toBe(ROUTES.consent);
  });

  it('does not reload the page the doctor is already on (with or without a leading slash or query)', () => {
    expect(launchRedirect(me({ upToDate: false }), 'pages/consent/index')).toBeNull();
    expect(launchRedirect(me({ complete: false }), '/pages/profile/index?from=share')).toBeNull();
  });

  it('stays on any page once onboarding is done', () => {
    expect(launchRedirect(me(), 'pages/me/index')).toBeNull();
  });
});

describe('onboardingChecklist', () => {
  it('lists the three steps with their done state and where to complete them', () => {
    const items = onboardingChecklist(me({ upToDate: true, complete: false, status: 'none' }));
    expect(items.map((i) => [i.title, i.done, i.route])).toEqual([
      ['同意隐私政策', true, null],
      ['完善资料', false, ROUTES.profile],
      ['医师认证', false, ROUTES.me],
    ]);
  });

  it('marks verification done only when verified, and explains a rejection', () => {
    expect(onboardingChecklist(me({ status: 'verified' }))[2]).toMatchObject({ done: true, route: null });
    expect(onboardingChecklist(me({ status: 'rejected' }))[2]!.hint).toContain('未通过');
    expect(onboardingChecklist(me({ status: 'pending' }))[2]!.done).toBe(false);
  });
});

describe('roleOfToken', () => {
  const jwt = (claims: object) => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
  it('reads the role claim of an access token, so a rep is routed to the rep pages', () => {
    expect(roleOfToken(jwt({ sub: 's:12', role: 'rep', typ: 'access' }))).toBe('rep');
    expect(roleOfToken(jwt({ sub: 'h:123456789', role: 'doctor', typ: 'access', pad: 'x' }))).toBe('doctor');
  });
  it('answers null for no token, a malformed one, or one without a role', () => {
    expect(roleOfToken(null)).toBeNull();
    expect(roleOfToken('not-a-jwt')).toBeNull();
    expect(roleOfToken('a.%%%.c')).toBeNull();
    expect(roleOfToken(jwt({ sub: '1' }))).toBeNull();
  });
});

describe('returnRouteOf', () => {
  it('returns to a deep page opened before onboarding, with its scene or inviter', () => {
    expect(returnRouteOf('pages/live/index', { scene: 'L7 r2', $taroTimestamp: '123' })).toBe('/pages/live/index?scene=L7%20r2');
    expect(returnRouteOf('/pages/article/index', { id: '42', inviter: 'r3', from: 'share' })).toBe('/pages/article/index?id=42&inviter=r3&from=share');
  });
  it('has nothing to return to from home, 我的 or the onboarding pages themselves', () => {
    expect(returnRouteOf('pages/index/index', { inviter: 'r3' })).toBeNull();
    expect(returnRouteOf('pages/consent/index', {})).toBeNull();
    expect(returnRouteOf(null, {})).toBeNull();
  });
});
