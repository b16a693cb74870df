/**
 * Live streams (DESIGN §6 "Live stream", §7): a rep or marketer applies, the department
 * (manager) approves, compliance pre-approves, and only then are the stream key, the play URL
 * and the poster made. Request schemas the console, the mini-program and the server share, the
 * statuses of the workflow, and the response shapes.
 */
import { z } from 'zod';
import { TOPIC_CODES, type Topic } from './vocab.js';

/**
 * Statuses as everyone sees them. `live` and `ended` are read from the clock (a scheduled live
 * stream between its start and end, or after its end), unless staff ended it early.
 */
export const LIVE_STATUSES = ['applied', 'dept_approved', 'scheduled', 'live', 'ended', 'rejected', 'cancelled'] as const;
export type LiveStatus = (typeof LIVE_STATUSES)[number];

export const LIVE_STATUS_LABELS: Record<LiveStatus, string> = {
  applied: '待部门审批',
  dept_approved: '待合规审批',
  scheduled: '已排期',
  live: '直播中',
  ended: '已结束',
  rejected: '已驳回',
  cancelled: '已取消',
};

/** Workflow actions on a live stream (POST /api/admin/lives/:id/<action>). */
export const LIVE_ACTIONS = ['dept-approve', 'compliance-approve', 'reject', 'cancel', 'extend', 'end', 'replay'] as const;
export type LiveAction = (typeof LIVE_ACTIONS)[number];

/** The subscribe-message template of the reminder (WECHAT.md), unless LIVE_REMINDER_TEMPLATE_ID says otherwise. */
export const LIVE_REMINDER_TEMPLATE = 'hcp360-live-reminder';

/** How often the live page sends live_heartbeat while the player plays. */
export const LIVE_HEARTBEAT_MS = 30_000;

/** The longest live stream one application may book. */
export const MAX_LIVE_HOURS = 12;

const id = z.string().regex(/^[1-9][0-9]{0,18}$/, 'must be a positive integer id');
const timestamp = z.iso.datetime({ offset: true, message: '请填写时间（ISO 8601，如 2026-12-01T08:00:00+08:00）' });
const token = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');
const httpUrl = z
  .string()
  .trim()
  .max(500)
  .refine((v) => {
    if (/^\/media\/[0-9a-f]{32}\.mp4$/.test(v)) return true;
    try {
      const u = new URL(v);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, '回放地址须为 http(s) 链接');

export const LiveSpeaker = z.strictObject({
  name: z.string({ message: '请填写讲者姓名' }).trim().min(2, '讲者姓名至少 2 个字').max(20, '讲者姓名最多 20 个字'),
  hospital: z.string({ message: '请填写讲者医院' }).trim().min(2, '医院名称至少 2 个字').max(60, '医院名称最多 60 个字'),
  title: z.string({ message: '请填写讲者职称' }).trim().min(1, '请填写讲者职称').max(30, '职称最多 30 个字'),
});
export type LiveSpeaker = z.infer<typeof LiveSpeaker>;

/** POST /api/admin/lives (rep or marketing). */
export const LiveApplyInput = z
  .strictObject({
    title: z.string({ message: '请填写主题' }).trim().min(4, '主题至少 4 个字').max(60, '主题最多 60 个字'),
    description: z.string().trim().max(2000, '简介最多 2000 字').optional(),
    topics: z
      .array(z.enum(TOPIC_CODES as [Topic, ...Topic[]]), { message: '请选择话题' })
      .min(1, '请选择 1 到 5 个话题')
      .max(5, '请选择 1 到 5 个话题')
      .refine((t) => new Set(t).size === t.length, '话题不能重复'),
    speakers: z.array(LiveSpeaker, { message: '请填写讲者' }).min(1, '至少一位讲者').max(10, '最多 10 位讲者'),
    startAt: timestamp,
    endAt: timestamp,
    /** Audience: these segments; empty or absent means everyone. */
    segmentIds: z
      .array(id)
      .max(50)
      .refine((s) => new Set(s).size === s.length, 'segmentIds must not repeat')
      .default([]),
    rxOnly: z.boolean({ message: 'rxOnly must be true or false' }),
    expectedAttendance: z.number({ message: '预计人数须为数字' }).int().min(1, '预计人数至少 1').max(100_000, '预计人数最多 100000').optional(),
  })
  .superRefine((v, ctx) => {
    const start = Date.parse(v.startAt);
    const end = Date.parse(v.endAt);
    if (end <= start) ctx.addIssue({ code: 'custom', path: ['endAt'], message: '结束时间须晚于开始时间' });
    else if (end - start > MAX_LIVE_HOURS * 3_600_000) ctx.addIssue({ code: 'custom', path: ['endAt'], message: `单场直播最长 ${MAX_LIVE_HOURS} 小时` });
  });
export type LiveApplyInput = z.infer<typeof LiveApplyInput>;

/** dept-approve, compliance-approve, end. */
export const LiveActionInput = z.strictObject({ comment: z.string().trim().max(500).optional() });
/** reject: the reviewer says why; the applicant sees it. */
export const LiveRejectInput = z.strictObject({
  comment: z.string({ message: '驳回须填写原因' }).trim().min(1, '驳回须填写原因').max(500),
});
/** cancel (applicant or marketing, before the start): registered doctors are told. */
export const LiveCancelInput = z.strictObject({ comment: z.string().trim().max(500).optional() });
/** extend: an overrun; the live stream stays live until the new end. */
export const LiveExtendInput = z.strictObject({ endAt: timestamp, comment: z.string().trim().max(500).optional() });
/** replay: attached after the end. */
export const LiveReplayInput = z.strictObject({ replayUrl: httpUrl });

export const LiveAdminListQuery = z.strictObject({
  status: z.enum(LIVE_STATUSES).optional(),
  mine: z.enum(['0', '1']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** POST /api/lives/:id/registrations (doctor). `scene` (a poster code's) or `inviter` (a share card's) attribute the registration. */
export const LiveRegisterInput = z.strictObject({
  subscribed: z.boolean().optional(),
  scene: token(32).optional(),
  inviter: token(64).optional(),
});
export type LiveRegisterInput = z.infer<typeof LiveRegisterInput>;

export const SceneParam = z.strictObject({ token: token(32) });

// ---- responses ------------------------------------------------------------------------------

/** One live stream in GET /api/lives (DESIGN §7, fields only added). */
export interface LiveCard {
  id: string;
  title: string;
  startAt: string;
  endAt: string;
  status: LiveStatus;
  topics: Topic[];
  rxOnly: boolean;
  registered: boolean;
  speakers: LiveSpeaker[];
  hasReplay: boolean;
}

export interface LiveListResponse {
  items: LiveCard[];
}

/** GET /api/lives/:id: the card, the description, and what the doctor may play now. */
export interface LiveDetail extends LiveCard {
  description: string | null;
  /** Whether the doctor accepted the reminder subscription when registering. */
  subscribed: boolean;
  /** Only while live. */
  playUrl: string | null;
  /** Only after the end, once attached. */
  replayUrl: string | null;
  /** The template the register button asks the doctor to accept (Taro.requestSubscribeMessage). */
  reminderTemplateId: string;
  /** Minutes before the start that the reminder is sent. */
  reminderLeadMinutes: number;
  notice?: string;
}

export interface LiveRegisterResponse {
  registered: true;
  subscribed: boolean;
}

/** GET /api/lives/scenes/:token: what a poster code's scene stands for. */
export interface LiveSceneResponse {
  liveId: string;
  /** `r<staffId>` for a rep's poster (shared/vocab encodeInviter), null for marketing's. */
  inviter: string | null;
}

export interface LiveReview {
  step: 'dept' | 'compliance';
  by: string;
  byName: string;
  at: string;
  decision: 'approved' | 'rejected';
  comment: string | null;
}

/** A live stream as staff (and its applicant) see it. Secrets only for the applicant and non-rep staff. */
export interface LiveStaffView {
  id: string;
  status: LiveStatus;
  title: string;
  description: string | null;
  topics: Topic[];
  speakers: LiveSpeaker[];
  startAt: string;
  endAt: string;
  rxOnly: boolean;
  segmentIds: string[];
  expectedAttendance: number | null;
  applicant: { id: string; name: string; role: string };
  reviews: LiveReview[];
  cancelComment: string | null;
  registrations: number;
  streamKey?: string;
  pushUrl?: string;
  playUrl?: string;
  posterUrl?: string;
  sceneToken?: string;
  /** The mini-program path a share card opens. */
  sharePath?: string;
  replayUrl: string | null;
  allowedActions: LiveAction[];
  createdAt: string;
}

/** The answer of each workflow action: `{id, status}` plus, once scheduled, the stream and poster. */
export interface LiveTransitionResponse {
  id: string;
  status: LiveStatus;
  streamKey?: string;
  pushUrl?: string;
  playUrl?: string;
  posterUrl?: string;
}

export interface LiveAdminListResponse {
  items: LiveStaffView[];
}

export interface LiveShareResponse {
  sceneToken: string;
  posterUrl: string;
  sharePath: string;
}

export interface LiveReportRow {
  hcpId: string;
  name: string | null;
  hospital: string | null;
  department: string | null;
  registeredAt: string | null;
  subscribed: boolean;
  reminder: string;
  minutes: number;
  replayViews: number;
  via: 'poster' | 'share' | 'direct' | 'none';
  repId: string | null;
  repName: string | null;
}

export interface LiveReport {
  id: string;
  title: string;
  status: LiveStatus;
  startAt: string;
  endAt: string;
  registrations: number;
  attendees: number;
  attendanceMinutes: number;
  peakConcurrentViewers: number;
  remindersSent: number;
  remindersFailed: number;
  reps: { repId: string; repName: string; registrations: number; attendees: number; doctors: string[] }[];
  rows: LiveReportRow[];
}
