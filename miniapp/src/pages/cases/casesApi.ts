/**
 * Case collection endpoints (DESIGN §7), one function each, over the app's one API client; the
 * image upload goes through Taro.uploadFile (multipart, with upload progress) with the same token.
 * Also the Chinese messages of the case-specific error codes.
 */
import Taro from '@tarojs/taro';
import type { CampaignCard, CampaignDetail, CaseDraft, CaseImageUpload, SubmissionCard, SubmissionView, SubmitCaseResponse } from '@hcp360/shared';
import { ApiError, describeError, errorFromResponse, networkError } from '../../services/apiError';
import { TOKEN_KEY } from '../../services/apiClient';
import { API_BASE, api, apiClient, taroStorage } from '../../services/request';

export type Answers = Record<string, unknown>;
/** A draft is for a new case in a campaign, or for revising a submission. */
export type DraftTarget = { campaignId: string } | { submissionId: string };

const draftPath = (t: DraftTarget) => ('campaignId' in t ? `/api/cases/campaigns/${t.campaignId}/draft` : `/api/cases/submissions/${t.submissionId}/draft`);

export const fetchOpenCampaigns = () => api<{ items: CampaignCard[] }>({ path: '/api/cases/campaigns' });
export const fetchCampaign = (id: string) => api<CampaignDetail>({ path: `/api/cases/campaigns/${encodeURIComponent(id)}` });
export const fetchDraft = (t: DraftTarget) => api<CaseDraft>({ path: draftPath(t) });
export const saveDraft = (t: DraftTarget, answers: Answers, revision: number) =>
  api<{ revision: number; savedAt: string }>({ method: 'PUT', path: draftPath(t), body: { answers, revision } });
export const submitCase = (campaignId: string, answers: Answers, notify: boolean) =>
  api<SubmitCaseResponse>({ method: 'POST', path: `/api/cases/campaigns/${encodeURIComponent(campaignId)}/submissions`, body: { answers, notify } });
export const reviseCase = (submissionId: string, answers: Answers, notify: boolean) =>
  api<SubmitCaseResponse>({ method: 'POST', path: `/api/cases/submissions/${encodeURIComponent(submissionId)}/revisions`, body: { answers, notify } });
export const fetchMySubmissions = (cursor: string | null) =>
  api<{ items: SubmissionCard[]; nextCursor: string | null }>({ path: `/api/cases/submissions?limit=20${cursor ? `&cursor=${cursor}` : ''}` });
export const fetchSubmission = (id: string) => api<SubmissionView>({ path: `/api/cases/submissions/${encodeURIComponent(id)}` });

/** Case image URLs from the API are relative; in WeChat they load from the API origin. */
export const caseImageUrl = (url: string) => (url.startsWith('/') ? `${API_BASE}${url}` : url);

/** Uploads one picked image, reporting progress 0–100; retries once with a fresh token after a 401. */
export async function uploadCaseImage(filePath: string, onProgress: (percent: number) => void): Promise<CaseImageUpload> {
  const attempt = async (): Promise<{ status: number; data: unknown }> => {
    const token = taroStorage.get(TOKEN_KEY);
    return new Promise((resolve, reject) => {
      const task = Taro.uploadFile({
        url: `${API_BASE}/api/cases/images`,
        filePath,
        name: 'file',
        header: token ? { Authorization: `Bearer ${token}` } : {},
        success: (res) => {
          let data: unknown = null;
          try {
            data = typeof res.data === 'string' ? JSON.parse(res.data) : res.data;
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode, data });
        },
        fail: () => reject(networkError()),
      });
      task?.progress?.((p) => onProgress(p.progress));
    });
  };
  if (!apiClient.hasSession()) await apiClient.login();
  let res = await attempt();
  if (res.status === 401) {
    // Any authenticated call renews the token (refresh or login) in the one client.
    await apiClient.exchange({ path: '/api/me' });
    res = await attempt();
  }
  if (res.status >= 200 && res.status < 300) return res.data as CaseImageUpload;
  throw errorFromResponse(res.status, res.data);
}

/** What the case pages say differently from the shared wording (services/apiError.ts). */
const CASE_MESSAGES: Record<string, string> = {
  VERIFICATION_REQUIRED: '仅限已认证的医生投稿，请先完成医师认证',
  DRAFT_CONFLICT: '草稿已在其他设备更新，已为您载入最新内容',
  PAYLOAD_TOO_LARGE: '图片不能超过 5MB',
  WECHAT_UNAVAILABLE: '内容安全检测暂时不可用，草稿已保存，请稍后重试',
};

/** The Chinese message for any error on the case pages. */
export function caseErrorMessage(err: unknown): string {
  return err instanceof ApiError && CASE_MESSAGES[err.code] ? CASE_MESSAGES[err.code]! : describeError(err);
}
