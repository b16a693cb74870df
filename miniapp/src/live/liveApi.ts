/**
 * Live streams for doctors (DESIGN §7) and the rep pages: one function per endpoint over the
 * app's one API client. Reps sign in through the same WeChat login and get a staff token.
 */
import Taro from '@tarojs/taro';
import type { LiveApplyInput, LiveAdminListResponse, LiveDetail, LiveListResponse, LiveRegisterInput, LiveRegisterResponse, LiveSceneResponse, LiveShareResponse, LiveStaffView } from '@hcp360/shared';
import { ApiError, describeError } from '../services/apiError';
import { api, API_BASE } from '../services/request';

export const fetchLives = () => api<LiveListResponse>({ path: '/api/lives' });
export const fetchLive = (id: string) => api<LiveDetail>({ path: `/api/lives/${encodeURIComponent(id)}` });
export const resolveScene = (token: string) => api<LiveSceneResponse>({ path: `/api/lives/scenes/${encodeURIComponent(token)}` });
export const registerLive = (id: string, body: LiveRegisterInput) =>
  api<LiveRegisterResponse>({ method: 'POST', path: `/api/lives/${encodeURIComponent(id)}/registrations`, body });

export const fetchMyApplications = () => api<LiveAdminListResponse>({ path: '/api/admin/lives?mine=1' });
export const fetchApplication = (id: string) => api<LiveStaffView>({ path: `/api/admin/lives/${encodeURIComponent(id)}` });
export const applyForLive = (body: LiveApplyInput) => api<{ id: string; status: string }>({ method: 'POST', path: '/api/admin/lives', body });
export const cancelApplication = (id: string, comment?: string) =>
  api<{ id: string; status: string }>({ method: 'POST', path: `/api/admin/lives/${encodeURIComponent(id)}/cancel`, body: comment ? { comment } : {} });
export const shareLive = (id: string) => api<LiveShareResponse>({ method: 'POST', path: `/api/admin/lives/${encodeURIComponent(id)}/share`, body: {} });

/** A path the API gave (`/media/…`, `/live-demo/…`) as a URL the player or image can load; other URLs pass through. */
export function servedUrl(path: string | null | undefined): string | undefined {
  if (!path) return undefined;
  return path.startsWith('/') ? `${API_BASE}${path}` : path;
}

/** What the live pages say differently from the shared wording (services/apiError.ts). */
const LIVE_MESSAGES: Record<string, string> = {
  NOT_FOUND: '直播不存在或您不在本场直播的邀请范围内',
};

/** An error as a message for the live pages. */
export function liveErrorText(err: unknown): string {
  if (err instanceof ApiError && LIVE_MESSAGES[err.code]) return LIVE_MESSAGES[err.code]!;
  return describeError(err);
}

/**
 * Asks the doctor for the one-time reminder subscription (WECHAT.md: one acceptance allows one
 * message). In WeChat: wx.requestSubscribeMessage. In the browser build there is none: the
 * backend's dev route records the acceptance in the fake WeChat, as tapping 允许 would.
 * Resolves whether it was accepted; a refusal or an error is simply "not subscribed".
 */
export async function requestReminderSubscription(templateId: string): Promise<boolean> {
  try {
    if (process.env.TARO_ENV === 'h5') {
      const res = await api<Record<string, string>>({ method: 'POST', path: '/api/dev/wechat-subscribe', body: { templateId } });
      return res[templateId] === 'accept';
    }
    const res = (await Taro.requestSubscribeMessage({ tmplIds: [templateId], entityIds: [] } as unknown as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, string>;
    return res[templateId] === 'accept';
  } catch {
    return false;
  }
}
