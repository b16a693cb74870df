/**
 * Content (DESIGN §6 "Content", §7): articles and videos written by marketing, approved by
 * compliance or medical (MLR review), published on a schedule to an audience. Request schemas
 * the console and the server share, the statuses of the workflow, and the response shapes.
 */
import { z } from 'zod';
import { TOPIC_CODES, type Topic } from './vocab.js';

export const CONTENT_TYPES = ['article', 'video'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

/**
 * Statuses as staff see them. `scheduled`, `expired` and `superseded` are read from the clock
 * (a published version before its publish time, after its expiry, or replaced by a newer live
 * version): no job has to run for an item to go live or expire.
 */
export const CONTENT_STATUSES = ['draft', 'in_review', 'approved', 'scheduled', 'published', 'expired', 'superseded', 'archived'] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];

/** Workflow actions; `edit` is PUT /api/admin/content/:id. */
export const CONTENT_ACTIONS = ['edit', 'submit', 'approve', 'reject', 'publish', 'archive'] as const;
export type ContentAction = (typeof CONTENT_ACTIONS)[number];

/**
 * The notice Rx-only material carries (WECHAT.md "Chinese rules": prescription-drug information is
 * for healthcare professionals only; this is the wording for non-advertising material).
 */
export const RX_NOTICE = '本资料仅供医学药学专业人士阅读';

/** Names the media store makes: 32 hex characters and the format's extension. */
export const MEDIA_NAME_RE = /^[0-9a-f]{32}\.(png|jpg|mp4)$/;
/** A path to an image in our media store, as content bodies and covers reference it. */
export const MEDIA_IMAGE_PATH_RE = /^\/media\/[0-9a-f]{32}\.(png|jpg)$/;
const MEDIA_VIDEO_PATH_RE = /^\/media\/[0-9a-f]{32}\.mp4$/;

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
export const MAX_BODY_CHARS = 100_000;

const id = z.string().regex(/^[1-9][0-9]{0,18}$/, 'must be a positive integer id');
const httpUrl = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    }, 'must be an http(s) URL');
const timestamp = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-12-01T08:00:00+08:00' });

const fields = {
  title: z.string().trim().min(1, 'title is required').max(100),
  summary: z.string().trim().max(300).optional(),
  /** Our media path (`/media/…`, from POST /api/admin/uploads) or an http(s) URL. */
  cover: z.union([z.string().regex(MEDIA_IMAGE_PATH_RE), httpUrl(500)], { message: 'must be a /media/… image path or an http(s) URL' }).optional(),
  /** Rich HTML; sanitised on save (allow-list), so what is stored is what is shown. */
  body: z.string().max(MAX_BODY_CHARS).optional(),
  videoUrl: z.union([z.string().regex(MEDIA_VIDEO_PATH_RE), httpUrl(500)], { message: 'must be an http(s) URL or a /media/….mp4 path' }).optional(),
  topics: z
    .array(z.enum(TOPIC_CODES as [Topic, ...Topic[]]))
    .min(1, 'give 1 to 5 topics')
    .max(5, 'give 1 to 5 topics')
    .refine((t) => new Set(t).size === t.length, 'topics must not repeat'),
  rxOnly: z.boolean({ message: 'rxOnly must be true or false' }),
  priority: z.number().int().min(0).max(100).default(50),
  publishAt: timestamp.optional(),
  expireAt: timestamp.optional(),
  /** Audience: these segments; empty or absent means everyone. */
  segmentIds: z
    .array(id)
    .max(50)
    .refine((s) => new Set(s).size === s.length, 'segmentIds must not repeat')
    .default([]),
};

type ShapeFields = { type?: ContentType; body?: string; videoUrl?: string; publishAt?: string; expireAt?: string };

/**
 * What is wrong with an item's fields taken together (an article needs a body, a video a
 * videoUrl, expiry after publication). Used by the schemas and by the server once it knows the
 * type of an item being edited.
 */
export function contentShapeProblems(v: ShapeFields): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (v.type === 'article' && !v.body?.trim()) problems.push({ path: 'body', message: 'an article needs a body' });
  if (v.type === 'article' && v.videoUrl) problems.push({ path: 'videoUrl', message: 'an article has no videoUrl' });
  if (v.type === 'video' && !v.videoUrl) problems.push({ path: 'videoUrl', message: 'a video needs a videoUrl' });
  if (v.publishAt && v.expireAt && Date.parse(v.expireAt) <= Date.parse(v.publishAt)) {
    problems.push({ path: 'expireAt', message: 'expireAt must be after publishAt' });
  }
  return problems;
}

function checkShape(v: ShapeFields, ctx: z.RefinementCtx) {
  for (const p of contentShapeProblems(v)) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
}

/** POST /api/admin/content. */
export const ContentCreateInput = z.strictObject({ type: z.enum(CONTENT_TYPES), ...fields }).superRefine(checkShape);
export type ContentCreateInput = z.infer<typeof ContentCreateInput>;

/**
 * PUT /api/admin/content/:id: the whole item again (absent optional fields are cleared). `type`
 * may be sent but cannot change; the server checks the fields together once it knows the type.
 */
export const ContentUpdateInput = z.strictObject({ type: z.enum(CONTENT_TYPES).optional(), ...fields });
export type ContentUpdateInput = z.infer<typeof ContentUpdateInput>;

/** submit, approve, publish, archive. */
export const ContentActionInput = z.strictObject({ comment: z.string().trim().max(500).optional() });
/** reject: the reviewer says why; the author sees it on the draft. */
export const ContentRejectInput = z.strictObject({
  comment: z.string({ message: 'a rejection needs a comment' }).trim().min(1, 'a rejection needs a comment').max(500),
});

export const ContentListQuery = z.strictObject({
  status: z.enum(CONTENT_STATUSES).optional(),
  type: z.enum(CONTENT_TYPES).optional(),
  topic: z.enum(TOPIC_CODES as [Topic, ...Topic[]]).optional(),
  /** Text in the title or summary. */
  q: z
    .string()
    .trim()
    .max(50)
    .optional()
    .transform((v) => v || undefined),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().regex(/^[0-9]+$/).optional(),
});
export type ContentListQuery = z.infer<typeof ContentListQuery>;

// ---- answers ---------------------------------------------------------------------------------

export interface ContentTransitionResponse {
  id: string;
  status: ContentStatus;
  version: number;
}

/** What every doctor-facing view of an item shows (feed, article page, library lists, ranking). */
export interface ContentCard {
  id: string;
  type: ContentType;
  title: string;
  summary: string | null;
  /** A `/media/…` path (prefix the API origin outside the h5 build) or an http(s) URL. */
  cover: string | null;
  topics: Topic[];
  rxOnly: boolean;
  /** When the live version went live (ISO 8601). */
  publishedAt: string;
}

/** GET /api/content/:id (doctor): the version live now. */
export interface DoctorContent extends ContentCard {
  body?: string;
  videoUrl?: string;
  /** Present on Rx-only material: shown with it, always. */
  notice?: typeof RX_NOTICE;
}

export interface ContentVersionView {
  version: number;
  status: ContentStatus;
  title: string;
  summary: string | null;
  cover: string | null;
  body: string | null;
  videoUrl: string | null;
  topics: Topic[];
  rxOnly: boolean;
  priority: number;
  audience: { everyone: boolean; segmentIds: string[] };
  publishAt: string | null;
  expireAt: string | null;
  /** When the version went (or goes) live; set by publish. */
  liveFrom: string | null;
  authorId: string;
  review: { by: string; at: string; comment: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

/** GET /api/admin/content/:id. `status` is the status of the newest version (or `archived`). */
export interface ContentAdminView {
  id: string;
  type: ContentType;
  authorId: string;
  status: ContentStatus;
  version: number;
  /** The version doctors see now, if any. */
  liveVersion: number | null;
  allowedActions: ContentAction[];
  versions: ContentVersionView[];
}

export interface ContentListItem {
  id: string;
  type: ContentType;
  title: string;
  status: ContentStatus;
  version: number;
  liveVersion: number | null;
  topics: Topic[];
  rxOnly: boolean;
  priority: number;
  authorId: string;
  publishAt: string | null;
  expireAt: string | null;
  updatedAt: string;
}

export interface ContentHistoryEntry {
  action: string;
  version: number | null;
  from: ContentStatus | null;
  to: ContentStatus | null;
  actor: { id: string | null; role: string };
  comment: string | null;
  at: string;
}

/** POST /api/admin/uploads. */
export interface UploadResponse {
  name: string;
  url: string;
  contentType: 'image/png' | 'image/jpeg';
  bytes: number;
  width: number;
  height: number;
}
