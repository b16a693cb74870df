/**
 * The one error type every API call rejects with, and the one map from error codes to the
 * Chinese messages doctors see. The server's own messages are English and for developers;
 * pages only ever show `ApiError.message`, which comes from here.
 */
import type { ErrorCode } from '@hcp360/shared';

/** Codes the client makes up itself when no server answer can be read. */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE' | 'WECHAT_LOGIN_FAILED';

/** One field-level problem as the server reports it in VALIDATION_FAILED details. */
export interface FieldIssue {
  path: string;
  message: string;
}

const MESSAGES: Partial<Record<ErrorCode | ClientErrorCode, string>> = {
  NETWORK_ERROR: '网络不可用，请稍后重试',
  BAD_RESPONSE: '服务暂时不可用，请稍后重试',
  WECHAT_LOGIN_FAILED: '微信登录失败，请重试',
  INVALID_JSON: '请求格式有误，请稍后重试',
  VALIDATION_FAILED: '填写的信息有误，请检查后重试',
  PAYLOAD_TOO_LARGE: '提交的内容过大',
  UNSUPPORTED_MEDIA_TYPE: '请求格式有误，请稍后重试',
  NOT_FOUND: '内容不存在或已下线',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  INTERNAL: '服务开小差了，请稍后重试',
  UNAUTHENTICATED: '登录已失效，请重新进入小程序',
  TOKEN_INVALID: '登录已失效，请重新进入小程序',
  TOKEN_EXPIRED: '登录已过期，请重新进入小程序',
  REFRESH_TOKEN_INVALID: '登录已过期，请重新进入小程序',
  REFRESH_TOKEN_REUSED: '登录状态异常，请重新进入小程序',
  FORBIDDEN: '暂无权限进行此操作',
  ACCOUNT_DISABLED: '账号已停用',
  WECHAT_CODE_INVALID: '微信登录失败，请重试',
  WECHAT_CODE_USED: '微信登录失败，请重试',
  WECHAT_RATE_LIMITED: '登录太频繁，请一分钟后再试',
  WECHAT_USER_BLOCKED: '当前微信账号存在风险，暂无法登录',
  WECHAT_UNAVAILABLE: '微信服务暂时不可用，请稍后重试',
  PHONE_CODE_INVALID: '手机号授权已失效，请重新授权',
  CONSENT_VERSION_OUTDATED: '隐私政策已更新，请阅读最新版本后再同意',
  CONSENT_REQUIRED: '请先阅读并同意隐私政策',
  PROFILE_INCOMPLETE: '请先完善个人资料',
  VERIFICATION_PENDING: '认证申请正在审核中，请耐心等待',
  ALREADY_VERIFIED: '您已通过医师认证',
  INVALID_TRANSITION: '当前状态下无法进行此操作',
  RX_ONLY: '本内容仅向已认证的医疗卫生专业人士开放',
  FEED_CURSOR_INVALID: '推荐列表已更新，请下拉刷新',
  FEED_CURSOR_EXPIRED: '推荐列表已更新，请下拉刷新',
  SELF_REVIEW_FORBIDDEN: '作者不能审核自己的内容',
  REGISTRATION_CLOSED: '本场直播暂未开放报名或已结束',
  SCENE_INVALID: '小程序码已失效，请向分享人索取新的海报',
  SELF_APPROVAL_FORBIDDEN: '申请人不能审批自己的申请',
  VERIFICATION_REQUIRED: '仅限已认证的医生参与，请先完成医师认证',
  PHI_DETECTED: '内容中含有患者身份信息，请遮盖或删除后再提交',
  CONTENT_RISKY: '内容未通过微信内容安全检测，请修改后再提交',
  CAMPAIGN_CLOSED: '该征集已结束',
  SUBMISSION_LIMIT: '您在该征集中的投稿数量已达上限',
  DRAFT_CONFLICT: '草稿已在其他设备更新，请重新载入',
  IMAGE_NOT_FOUND: '有图片无效，请删除后重新上传',
  UNSUPPORTED_IMAGE: '仅支持 JPG 或 PNG 图片',
};

function fallbackMessage(status: number): string {
  if (status === 0) return MESSAGES.NETWORK_ERROR!;
  if (status === 401) return '登录已失效，请重新进入小程序';
  if (status === 403) return '暂无权限进行此操作';
  if (status === 404) return '内容不存在或已下线';
  if (status === 429) return '操作太频繁，请稍后再试';
  if (status >= 500) return '服务开小差了，请稍后重试';
  return '操作失败，请稍后重试';
}

/** The Chinese message for a code, falling back to one chosen by HTTP status. */
export function messageFor(code: string, status: number): string {
  return MESSAGES[code as ErrorCode | ClientErrorCode] ?? fallbackMessage(status);
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, details?: unknown) {
    super(messageFor(code, status));
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** Field issues of a VALIDATION_FAILED answer; empty for anything else. */
  get fieldIssues(): FieldIssue[] {
    if (this.code !== 'VALIDATION_FAILED' || !Array.isArray(this.details)) return [];
    return this.details.filter(
      (d): d is FieldIssue =>
        typeof d === 'object' && d !== null && typeof d.path === 'string' && typeof d.message === 'string',
    );
  }
}

export function networkError(): ApiError {
  return new ApiError(0, 'NETWORK_ERROR');
}

/** Builds the ApiError for a non-2xx answer, whatever its body looks like. */
export function errorFromResponse(status: number, body: unknown): ApiError {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string') {
    const { code, details } = error as { code: string; details?: unknown };
    return new ApiError(status, code, details);
  }
  // A proxy's HTML error page, an empty body…: nothing to switch on but the status.
  return new ApiError(status, 'BAD_RESPONSE');
}

/** Any thrown value as a message a doctor can read. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return '操作失败，请稍后重试';
}
