/**
 * Predictive tags, recomputed by a scheduled job with the time they were computed:
 *
 *   predict:dormancy_risk   高 / 中 / 低 with the probability as score — will this doctor take no
 *                           meaningful action in the next 30 days?
 *   predict:live:<topic>    高 / 中 / 低 with the probability as score, for the doctor's top topics —
 *                           will they register for a live stream on this topic in the next 4 weeks?
 *
 * Method (honest and inspectable): logistic regression on a handful of behavioural features.
 * The models learn from the population's own history: features are computed "as of" a past time T
 * from the time buckets every doctor's state keeps (daily meaningful actions; weekly affinity
 * points and live registrations per topic), labels from what happened after T. Training holds out
 * a fifth of the doctors and reports AUC there, next to a recency-only baseline (days since the
 * last meaningful action), so a model that does not beat "who was active lately" is visible.
 * Scoring applies the model to features as of now.
 */
import type { Db, RowDataPacket } from '../../platform/db.js';
import { actionsInWindow, POINT_UNITS, WEEK, weekOf, type ActivityState } from './activity.js';
import { applyTagChangesBatch, loadActivity, loadTags } from './repo.js';
import { auc, fitLogistic, predictLogistic, type LogisticModel } from './logistic.js';
import type { EngineSettings } from './settings.js';

const DAY = 86_400_000;
const CHINA_OFFSET = 8 * 3_600_000;
const chinaDay = (ts: number) => Math.floor((ts + CHINA_OFFSET) / DAY);
/** The start (epoch ms) of the China-time day `ts` falls in. */
export const dayStart = (ts: number) => chinaDay(ts) * DAY - CHINA_OFFSET;

export const DORMANCY_HORIZON_DAYS = 30;
export const LIVE_HORIZON_WEEKS = 4;
export const DORMANCY_FEATURES = ['days_since_active', 'actions_7d', 'actions_30d', 'actions_90d', 'active_days_30', 'trend_7_30', 'tenure_days'] as const;
export const LIVE_FEATURES = ['topic_interest', 'topic_lives_before', 'lives_before', 'days_since_active', 'actions_30d'] as const;

function lastActiveDay(state: ActivityState, today: number): number | null {
  let last: number | null = null;
  for (const [day, n] of Object.entries(state.days)) {
    const d = Number(day);
    if (n > 0 && d <= today && (last === null || d > last)) last = d;
  }
  return last;
}

/** Features as of `at`, or null when the doctor had done nothing meaningful by then. */
export function dormancyFeatures(state: ActivityState, at: number): number[] | null {
  const today = chinaDay(at);
  const last = lastActiveDay(state, today);
  if (last === null || state.firstEventAt === null || state.firstEventAt > at) return null;
  const a7 = actionsInWindow(state, at, 7);
  const a30 = actionsInWindow(state, at, 30);
  const a90 = actionsInWindow(state, at, 90);
  let activeDays30 = 0;
  for (const [day, n] of Object.entries(state.days)) if (n > 0 && Number(day) > today - 30 && Number(day) <= today) activeDays30++;
  return [today - last, a7, a30, a90, activeDays30, (a7 / 7 + 0.1) / (a30 / 30 + 0.1), (at - state.firstEventAt) / DAY];
}

/** 1 when the doctor took no meaningful action in the horizon after `at` (China days). */
export function dormancyLabel(state: ActivityState, at: number): 0 | 1 {
  const today = chinaDay(at);
  for (const [day, n] of Object.entries(state.days)) if (n > 0 && Number(day) > today && Number(day) <= today + DORMANCY_HORIZON_DAYS) return 0;
  return 1;
}

function sumWeeks(weeks: Record<string, number> | undefined, from: number, to: number): number {
  let n = 0;
  for (const [w, v] of Object.entries(weeks ?? {})) if (Number(w) >= from && Number(w) < to) n += v;
  return n;
}

/** Topics a doctor showed interest in before `at`, strongest first. */
export function topicsBefore(state: ActivityState, at: number, halfLifeDays: number, limit = 5): { topic: string; interest: number }[] {
  return Object.keys(state.topicWeeks)
    .map((topic) => ({ topic, interest: topicInterest(state, topic, at, halfLifeDays) }))
    .filter((t) => t.interest > 0)
    .sort((a, b) => b.interest - a.interest || a.topic.localeCompare(b.topic))
    .slice(0, limit);
}

/** Decayed affinity points of `topic` from whole weeks before the week of `at`. */
export function topicInterest(state: ActivityState, topic: string, at: number, halfLifeDays: number): number {
  const current = weekOf(at);
  let s = 0;
  for (const [w, points] of Object.entries(state.topicWeeks[topic] ?? {})) {
    const week = Number(w);
    if (week < current) s += (points / POINT_UNITS) * Math.pow(2, -(at - (week + 0.5) * WEEK) / (halfLifeDays * DAY));
  }
  return s;
}

export function liveFeatures(state: ActivityState, topic: string, at: number, halfLifeDays: number): number[] {
  const week = weekOf(at);
  const allLives = Object.values(state.liveWeeks).reduce((n, weeks) => n + sumWeeks(weeks, -Infinity, week), 0);
  const today = chinaDay(at);
  const last = lastActiveDay(state, today);
  return [topicInterest(state, topic, at, halfLifeDays), sumWeeks(state.liveWeeks[topic], -Infinity, week), allLives, last === null ? 365 : today - last, actionsInWindow(state, at, 30)];
}

export function liveLabel(state: ActivityState, topic: string, at: number): 0 | 1 {
  const week = weekOf(at);
  return sumWeeks(state.liveWeeks[topic], week, week + LIVE_HORIZON_WEEKS) > 0 ? 1 : 0;
}

export interface ModelSummary {
  features: readonly string[];
  model: LogisticModel;
  /** Training rows, positives among them. */
  rows: number;
  positives: number;
  /** On the held-out fifth of the doctors. */
  auc: number;
  baselineAuc: number;
  asOf: string;
}

export interface Models {
  trainedAt: string;
  dormancy: ModelSummary | null;
  live: ModelSummary | null;
}

/** Holds out doctors whose id hashes into the last fifth. */
const heldOut = (hcpId: string) => [...hcpId].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 5 === 4;

function train(features: readonly string[], rows: { hcpId: string; x: number[]; y: number; recency: number }[], asOf: number): ModelSummary | null {
  const trainRows = rows.filter((r) => !heldOut(r.hcpId));
  const testRows = rows.filter((r) => heldOut(r.hcpId));
  const positives = rows.reduce((n, r) => n + r.y, 0);
  if (trainRows.length < 50 || positives < 5 || positives === rows.length) return null;
  const model = fitLogistic([...features], trainRows.map((r) => r.x), trainRows.map((r) => r.y));
  const labels = testRows.map((r) => r.y);
  return {
    features,
    model,
    rows: rows.length,
    positives,
    auc: auc(testRows.map((r) => predictLogistic(model, r.x)), labels),
    // Recency-only baseline: the longer since the last action, the likelier the outcome for
    // dormancy (and the less likely a live registration).
    baselineAuc: auc(testRows.map((r) => r.recency), labels),
    asOf: new Date(asOf).toISOString(),
  };
}

/** Trains both models from doctors' states (each already holding everything up to now). */
export function trainModels(states: Iterable<[string, ActivityState]>, now: number, settings: EngineSettings): Models {
  const dormancyAt = dayStart(now - DORMANCY_HORIZON_DAYS * DAY);
  const liveAt = (weekOf(now) - LIVE_HORIZON_WEEKS) * WEEK;
  const dRows: { hcpId: string; x: number[]; y: number; recency: number }[] = [];
  const lRows: { hcpId: string; x: number[]; y: number; recency: number }[] = [];
  for (const [hcpId, state] of states) {
    const x = dormancyFeatures(state, dormancyAt);
    if (x) dRows.push({ hcpId, x, y: dormancyLabel(state, dormancyAt), recency: x[0]! });
    for (const { topic } of topicsBefore(state, liveAt, settings.halfLifeDays)) {
      const lx = liveFeatures(state, topic, liveAt, settings.halfLifeDays);
      lRows.push({ hcpId, x: lx, y: liveLabel(state, topic, liveAt), recency: -lx[3]! });
    }
  }
  return { trainedAt: new Date(now).toISOString(), dormancy: train(DORMANCY_FEATURES, dRows, dormancyAt), live: train(LIVE_FEATURES, lRows, liveAt) };
}

const level = (p: number) => (p >= 0.6 ? '高' : p >= 0.3 ? '中' : '低');
const round = (p: number) => Math.round(p * 1000) / 1000;

/** The predictive tags of one doctor now. */
export function predictTags(state: ActivityState, models: Models, now: number, settings: EngineSettings): Map<string, { value: string; score: number }> {
  const tags = new Map<string, { value: string; score: number }>();
  if (models.dormancy) {
    const x = dormancyFeatures(state, now);
    if (x) {
      const p = predictLogistic(models.dormancy.model, x);
      tags.set('predict:dormancy_risk', { value: level(p), score: round(p) });
    }
  }
  if (models.live) {
    for (const { topic } of topicsBefore(state, now, settings.halfLifeDays, 3)) {
      const p = predictLogistic(models.live.model, liveFeatures(state, topic, now, settings.halfLifeDays));
      tags.set(`predict:live:${topic}`, { value: level(p), score: round(p) });
    }
  }
  return tags;
}

const MODELS_KEY = 'models';

export async function loadModels(db: Db): Promise<Models | null> {
  const [rows] = await db.query<RowDataPacket[]>('SELECT value FROM engine_settings WHERE setting_key = ?', [MODELS_KEY]);
  return rows[0] ? (JSON.parse(String(rows[0].value)) as Models) : null;
}

/** Pages through every doctor's state. */
async function* allStates(db: Db, page = 5000): AsyncGenerator<[string, ActivityState][]> {
  let after = '0';
  for (;;) {
    const [rows] = await db.query<RowDataPacket[]>('SELECT hcp_id FROM hcp_activity WHERE hcp_id > ? ORDER BY hcp_id LIMIT ?', [after, page]);
    if (rows.length === 0) return;
    const ids = rows.map((r) => String(r.hcp_id));
    const loaded = await loadActivity(db, ids);
    yield ids.filter((id) => loaded.has(id)).map((id) => [id, loaded.get(id)!.state] as [string, ActivityState]);
    after = ids[ids.length - 1]!;
  }
}

/**
 * The scheduled job: trains both models from the stored states, keeps the summary (with the
 * training time and holdout AUCs) and rewrites every doctor's predictive tags.
 */
export async function runPredictions(db: Db, now: number, settings: EngineSettings): Promise<Models> {
  const states: [string, ActivityState][] = [];
  for await (const page of allStates(db)) states.push(...page);
  const models = trainModels(states, now, settings);
  await db.query(
    `INSERT INTO engine_settings (setting_key, value, updated_by, updated_at) VALUES (?, ?, NULL, ?)
     ON DUPLICATE KEY UPDATE value = VALUES(value), updated_at = VALUES(updated_at)`,
    [MODELS_KEY, JSON.stringify(models), new Date(now)],
  );
  for (let i = 0; i < states.length; i += 500) {
    const chunk = states.slice(i, i + 500);
    const current = await loadTags(db, chunk.map(([id]) => id), (k) => k.startsWith('predict:'));
    await applyTagChangesBatch(db, chunk.map(([id, state]) => ({ hcpId: id, current: current.get(id) ?? new Map(), wanted: predictTags(state, models, now, settings) })), now);
  }
  return models;
}
