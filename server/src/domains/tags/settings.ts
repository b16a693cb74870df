/**
 * Engine settings: every threshold is configuration, not code (DESIGN §3: KOL/KOC are "rules with
 * configurable thresholds"). Defaults below; staff override them through the admin API (and the
 * console), stored in engine_settings and validated with the same schema (shared/src/engine.ts).
 */
import { EngineSettingsSchema, type EngineSettings } from '@hcp360/shared';
import type { Db, RowDataPacket } from '../../platform/db.js';

export { EngineSettingsSchema, type EngineSettings } from '@hcp360/shared';

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
