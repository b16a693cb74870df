/** What the console shows staff, in Chinese: statuses, actions, roles and error codes. */
import type { ContentAction, ContentStatus, FeedReasonKind, Role } from '@hcp360/shared';
import { ApiError } from './api.js';

export const STATUS_TEXT: Record<ContentStatus, string> = {
  draft: '草稿',
  in_review: '审核中',
  approved: '已批准',
  scheduled: '定时发布',
  published: '已发布',
  expired: '已过期',
  superseded: '已被新版本替代',
  archived: '已归档',
};

export const ACTION_TEXT: Record<ContentAction, string> = {
  edit: '编辑',
  submit: '提交审核',
  approve: '批准',
  reject: '驳回',
  publish: '发布',
  archive: '归档',
};

/** History entries name their action as the server recorded it. */
export const HISTORY_TEXT: Record<string, string> = { ...ACTION_TEXT, create: '创建', edit: '修改草稿', new_version: '新建版本' };

export const ROLE_TEXT: Record<Role, string> = {
  doctor: '医生',
  admin: '管理员',
  marketing: '市场',
  compliance: '合规',
  medical: '医学',
  manager: '经理',
  rep: '医药代表',
};

export const REASON_KIND_TEXT: Record<FeedReasonKind, string> = {
  affinity: '兴趣匹配',
  cluster: '同类医生',
  peers: '同科室',
  fresh: '新上线',
  editor: '编辑推荐',
  picked: '精选',
};

/** Which role may take each workflow action (the server checks again; this only hides buttons). */
export const ACTION_ROLES: Record<ContentAction, readonly Role[]> = {
  edit: ['marketing'],
  submit: ['marketing'],
  approve: ['compliance', 'medical'],
  reject: ['compliance', 'medical'],
  publish: ['marketing'],
  archive: ['marketing'],
};

/** The engine's per-doctor counters (shared RULE_COUNTERS). */
export const COUNTER_TEXT: Record<string, string> = {
  content_views: '内容浏览',
  content_reads: '阅读',
  deep_reads: '深度阅读',
  article_reads: '文章阅读',
  video_reads: '视频观看',
  likes: '点赞',
  favorites: '收藏',
  shares: '分享',
  searches: '搜索',
  lives_registered: '直播报名',
  lives_attended: '直播出席',
  live_minutes: '直播观看分钟',
  replays: '回放',
  cases_submitted: '提交病例',
  cases_accepted: '病例被采纳',
  referred: '带来同行',
  meaningful_30d: '近 30 天有效互动',
};

const ERROR_TEXT: Record<string, string> = {
  NETWORK: '无法连接服务器，请检查网络后重试。',
  INVALID_CREDENTIALS: '用户名或密码错误。',
  ACCOUNT_LOCKED: '登录失败次数过多，账号已暂时锁定，请稍后再试。',
  ACCOUNT_DISABLED: '该账号已停用。',
  FORBIDDEN: '你的角色无权执行此操作。',
  NOT_FOUND: '没有找到该内容。',
  VALIDATION_FAILED: '部分字段缺失或不符合要求。',
  INVALID_TRANSITION: '当前状态下不能执行此操作，请刷新后重试。',
  SELF_REVIEW_FORBIDDEN: '作者不能审核自己撰写的内容，请由其他审核人审核。',
  UNKNOWN_SEGMENT: '所选受众分群不存在。',
  UNSUPPORTED_IMAGE: '请上传 PNG 或 JPEG 图片。',
  PAYLOAD_TOO_LARGE: '文件过大（上限 5 MB）。',
  RATE_LIMITED: '操作过于频繁，请稍后再试。',
  USERNAME_TAKEN: '该用户名已被使用。',
  TAG_KEY_TAKEN: '这个标签键已被其他规则标签使用。',
  NOT_A_REP: '只有医药代表账号可以绑定微信。',
  WECHAT_IDENTITY_TAKEN: '这个微信身份已绑定给其他员工。',
  INTERNAL: '服务器出错了，请稍后重试。',
  DATABASE_UNAVAILABLE: '数据库暂不可用，请稍后重试。',
};

/** A message a person can act on: ours for the codes we know, else the server's. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return ERROR_TEXT[err.code] ?? err.message;
  return err instanceof Error ? err.message : String(err);
}

const BEIJING_MS = 8 * 3_600_000;
/** An instant as a datetime-local value in Beijing time (the console's times are Beijing times). */
export const toBeijingLocal = (iso: string | null) => (iso ? new Date(Date.parse(iso) + BEIJING_MS).toISOString().slice(0, 16) : '');
/** A datetime-local value read as Beijing time, as ISO 8601 with its offset. */
export const fromBeijingLocal = (v: string) => `${v}:00+08:00`;

/** An ISO time as Beijing time, e.g. 2026-12-06 18:30. */
export function timeText(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}
