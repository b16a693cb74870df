/**
 * Where a doctor stands in onboarding and where the app must send them next. Pure, so the
 * launch routing is decided (and tested) without Taro: consent first (PIPL: nothing is
 * collected before consent), then the profile, then the doctor may use the app freely.
 */
import type { MeResponse } from '@hcp360/shared';

export type NextStep = 'consent' | 'profile' | 'home';

export const ROUTES = {
  home: '/pages/index/index',
  me: '/pages/me/index',
  consent: '/pages/consent/index',
  profile: '/pages/profile/index',
  /** Where a rep lands: their live-stream applications (rep subpackage). */
  repHome: '/rep/lives/index',
} as const;

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The role claim of an access token (a JWT), or null. Only for routing the launch (a rep has no
 * doctor profile to load); the server checks every token and role itself. The payload is ASCII
 * JSON, so a small base64url decoder does (atob is missing on older WeChat base libraries).
 */
export function roleOfToken(token: string | null): string | null {
  const payload = token?.split('.')[1];
  if (!payload) return null;
  let bits = 0;
  let value = 0;
  let json = '';
  for (const ch of payload) {
    const v = B64URL.indexOf(ch);
    if (v < 0) return null;
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      json += String.fromCharCode((value >> bits) & 0xff);
    }
  }
  try {
    const role: unknown = (JSON.parse(json) as { role?: unknown }).role;
    return typeof role === 'string' ? role : null;
  } catch {
    return null;
  }
}

type OnboardingFacts = Pick<MeResponse, 'consents' | 'profile' | 'verification'>;

export function nextStepFor(me: Pick<MeResponse, 'consents' | 'profile'>): NextStep {
  if (!me.consents.upToDate) return 'consent';
  if (!me.profile.complete) return 'profile';
  return 'home';
}

function normaliseRoute(route: string): string {
  return `/${route.replace(/^\/+/, '').split('?')[0]}`;
}

/**
 * The page the launch flow must open, or null to stay where the doctor is. "home" means the
 * doctor is free to be on any page (a share link may have opened a deep page).
 */
export function launchRedirect(me: Pick<MeResponse, 'consents' | 'profile'>, currentRoute: string | null): string | null {
  const step = nextStepFor(me);
  if (step === 'home') return null;
  const target = ROUTES[step];
  return currentRoute !== null && normaliseRoute(currentRoute) === target ? null : target;
}

/**
 * Where to return once onboarding is done: the page the app was opened on with its query (a
 * poster's `scene`, a share card's `inviter`), or null for the home tab and the onboarding pages.
 */
export function returnRouteOf(route: string | null, params: Record<string, string | undefined>): string | null {
  if (route === null) return null;
  const path = normaliseRoute(route);
  if (([ROUTES.home, ROUTES.me, ROUTES.consent, ROUTES.profile] as string[]).includes(path)) return null;
  const query = Object.entries(params)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '$taroTimestamp')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return query ? `${path}?${query}` : path;
}

export interface ChecklistItem {
  key: 'consent' | 'profile' | 'verification';
  title: string;
  hint: string;
  done: boolean;
  /** Where tapping the item goes; null when there is nothing left to do. */
  route: string | null;
}

/** The three onboarding steps shown on 首页, with the page each one is completed on. */
export function onboardingChecklist(me: OnboardingFacts): ChecklistItem[] {
  const consentDone = me.consents.upToDate;
  const profileDone = me.profile.complete;
  const status = me.verification.status;
  const verificationHint: Record<typeof status, string> = {
    none: '提交执业证书编码，解锁专业内容',
    pending: '已提交，审核通常需要 1–3 个工作日',
    verified: '已通过医师认证',
    rejected: '未通过审核，请查看原因后重新提交',
  };
  return [
    {
      key: 'consent',
      title: '同意隐私政策',
      hint: consentDone ? '已同意当前版本' : '阅读并同意后才能继续使用',
      done: consentDone,
      route: consentDone ? null : ROUTES.consent,
    },
    {
      key: 'profile',
      title: '完善资料',
      hint: profileDone ? '资料已完善，可随时修改' : '填写医院、科室和职称',
      done: profileDone,
      route: ROUTES.profile,
    },
    {
      key: 'verification',
      title: '医师认证',
      hint: verificationHint[status],
      done: status === 'verified',
      route: status === 'verified' ? null : ROUTES.me,
    },
  ];
}
