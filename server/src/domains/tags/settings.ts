/**
 * Engine settings: every threshold is configuration, not code (DESIGN §3: KOL/KOC are "rules with
 * configurable thresholds"). Defaults below; staff override them through the admin API, stored in
 * engine_settings and validated with the same schema.
 */
import { HOSPITAL_LEVELS, TITLES } from '@hcp360/shared';
import { z } from 'zod';
import type { Db, RowDataPacket } from '../../platform/db.js';

export const EngineSettingsSchema = z.strictObject({
  /** Topic-affinity half-life. */
  halfLifeDays: z.number().min(1).max(365),
  /** Decayed points at which the presented affinity reaches 1 − 1/e ≈ 0.63. */
  affinityScale: z.number().min(0.1).max(1000),
  /** Action weights (affinity points). A read is weighted by active dwell and scroll depth. */
  weights: z.strictObject({
    view: z.number().min(0),
    readBase: z.number().min(0),
    readDeep: z.number().min(0),
    readFullDwellSeconds: z.number().min(1),
    like: z.number().min(0),
    favorite: z.number().min(0),
    share: z.number().min(0),
    liveRegister: z.number().min(0),
    liveMinute: z.number().min(0),
    replay: z.number().min(0),
    caseSubmit: z.number().min(0),
    search: z.number().min(0),
  }),
  /** A read counts as deep at this dwell and depth. */
  deepRead: z.strictObject({ dwellSeconds: z.number().min(0), scrollDepth: z.number().min(0).max(1) }),
  /** Engagement level from meaningful actions in the last `windowDays`. */
  engagement: z.strictObject({ windowDays: z.number().int().min(1).max(365), medium: z.number().int().min(1), high: z.number().int().min(1) }),
  lifecycle: z.strictObject({
    /** verified → engaged at this many meaningful actions in the engagement window. */
    engagedActions: z.number().int().min(1),
    /** → advocate when KOC, or when this many doctors arrived through their shares. */
    advocateReferrals: z.number().int().min(1),
    /** engaged/advocate → dormant after this many days without a meaningful action. */
    dormantDays: z.number().int().min(1).max(3650),
  }),
  kol: z.strictObject({
    titles: z.array(z.enum(TITLES)).min(1),
    /** …and an academic role, or a hospital of one of these levels. */
    hospitalLevels: z.array(z.enum(HOSPITAL_LEVELS)),
  }),
  koc: z.strictObject({
    titles: z.array(z.enum(TITLES)).min(1),
    engagement: z.enum(['中', '高']),
    /** …and at least this many accepted cases, or at least `minReferred` referred doctors. */
    minAcceptedCases: z.number().int().min(0),
    minReferred: z.number().int().min(0),
  }),
});
export type EngineSettings = z.infer<typeof EngineSettingsSchema>;

export const DEFAULT_SETTINGS: EngineSettings = {
  halfLifeDays: 30,
  affinityScale: 10,
  weights: {
    view: 0.5,
    readBase: 1,
    readDeep: 9,
    readFullDwellSeconds: 120,
    like: 3,
    favorite: 5,
    share: 6,
    liveRegister: 6,
    liveMinute: 0.5,
    replay: 3,
    caseSubmit: 15,
    search: 2,
  },
  deepRead: { dwellSeconds: 60, scrollDepth: 0.6 },
  engagement: { windowDays: 30, medium: 2, high: 8 },
  lifecycle: { engagedActions: 5, advocateReferrals: 3, dormantDays: 45 },
  kol: { titles: ['主任医师', '副主任医师'], hospitalLevels: ['三级甲等'] },
  koc: { titles: ['住院医师', '主治医师'], engagement: '高', minAcceptedCases: 1, minReferred: 3 },
};

const KEY = 'engine';

export async function loadSettings(db: Db): Promise<EngineSettings> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT value FROM engine_settings WHERE setting_key = ?', [KEY]);
  if (!rows[0]) return DEFAULT_SETTINGS;
  return EngineSettingsSchema.parse({ ...DEFAULT_SETTINGS, ...JSON.parse(String(rows[0].value)) });
}

export async function saveSettings(db: Db, settings: EngineSettings, staffId: string, now: number): Promise<void> {
  await db.query(
    `INSERT INTO engine_settings (setting_key, value, updated_by, updated_at) VALUES (?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE value = VALUES(value), updated_by = VALUES(updated_by), updated_at = VALUES(updated_at)`,
    [KEY, JSON.stringify(settings), staffId, new Date(now)],
  );
}
