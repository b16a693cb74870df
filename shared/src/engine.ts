/**
 * The HCP360 engine's settings (DESIGN §3: KOL/KOC are "rules with configurable thresholds"):
 * every threshold of the tagging engine is configuration, validated with this schema by the
 * server (GET/PUT /api/admin/engine/settings) and by the console's settings page.
 */
import { z } from 'zod';
import { HOSPITAL_LEVELS, TITLES } from './vocab.js';

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
