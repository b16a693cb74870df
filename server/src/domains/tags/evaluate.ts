/**
 * The engine's two steps over a set of doctors, shared by the live tagger, the periodic refresh
 * and `npm run recompute`:
 *   applyEventBatch — fold events into activity state and affinities;
 *   evaluateDoctors — derive tags, lifecycle stage and rule/segment membership from that state.
 */
import { afterCommit, type Db } from '../../platform/db.js';
import type { Deps } from '../../platform/deps.js';
import { doctorFactsOf, moveLifecycleStage } from '../identity/service.js';
import { actionsInWindow, applyEvent, emptyActivity, pruneDays, type ActivityState, type Affinities, type Catalogue, type ItemInfo, type StoredEvent } from './activity.js';
import { announceDoctorChanges, recordDoctorChanges } from './changeLog.js';
import { deriveTags, targetStage } from './derive.js';
import { applyTagChangesBatch, loadActivity, loadAffinities, loadTags, markDirty, referredCounts, saveActivity, saveAffinities, syncReferrals, type ActivityRecord } from './repo.js';
import { listRuleDefinitions, refreshMembership } from './rules.js';
import type { EngineSettings } from './settings.js';

/** Where the engine looks up the topics (and format) of the items events point at. */
export type ItemSources = Partial<Record<keyof Catalogue, (db: Db, ids: string[]) => Promise<Map<string, ItemInfo>>>>;

/** Tags the engine derives itself; rule tags (`rule:`) and predictions (`predict:`) have their own writers. */
export const isEngineTag = (key: string) => !key.startsWith('rule:') && !key.startsWith('predict:');

async function loadCatalogue(db: Db, events: StoredEvent[], sources: ItemSources): Promise<Catalogue> {
  const ids = { content: new Set<string>(), live: new Set<string>(), campaign: new Set<string>() };
  for (const e of events) {
    if (typeof e.props.content_id === 'string') ids.content.add(e.props.content_id);
    if (typeof e.props.live_id === 'string') ids.live.add(e.props.live_id);
    if (typeof e.props.campaign_id === 'string') ids.campaign.add(e.props.campaign_id);
  }
  const load = async (kind: keyof Catalogue) => {
    const source = sources[kind];
    const wanted = [...ids[kind]];
    return source && wanted.length ? source(db, wanted) : new Map<string, ItemInfo>();
  };
  return { content: await load('content'), live: await load('live'), campaign: await load('campaign') };
}

export interface Loaded {
  activity: Map<string, ActivityRecord>;
  affinities: Map<string, Affinities>;
}

/** Folds `events` (in id order) into the state of their doctors; writes affinities; returns the loaded state for evaluation. */
export async function applyEventBatch(db: Db, events: StoredEvent[], settings: EngineSettings, sources: ItemSources, now: number): Promise<{ hcpIds: string[]; loaded: Loaded }> {
  const hcpIds = [...new Set(events.map((e) => e.hcpId))];
  const [catalogue, activity, affinities] = await Promise.all([loadCatalogue(db, events, sources), loadActivity(db, hcpIds), loadAffinities(db, hcpIds)]);
  const changed = new Map<string, Set<string>>();
  for (const e of events) {
    let rec = activity.get(e.hcpId);
    if (!rec) activity.set(e.hcpId, (rec = { state: emptyActivity(), casesAccepted: 0 }));
    let aff = affinities.get(e.hcpId);
    if (!aff) affinities.set(e.hcpId, (aff = new Map()));
    const before = new Map(aff);
    applyEvent(rec.state, aff, e, catalogue, settings);
    for (const [topic, cell] of aff) {
      if (before.get(topic) !== cell) {
        let set = changed.get(e.hcpId);
        if (!set) changed.set(e.hcpId, (set = new Set()));
        set.add(topic);
      }
    }
  }
  const cells = [...changed.entries()].flatMap(([hcpId, topics]) => [...topics].map((topic) => ({ hcpId, topic, ...affinities.get(hcpId)!.get(topic)! })));
  await saveAffinities(db, cells);
  const inviters = await syncReferrals(db, hcpIds.map((hcpId) => ({ hcpId, arrival: activity.get(hcpId)!.state.arrival })));
  // Inviters may belong to another partition (another writer): they re-evaluate themselves.
  await markDirty(db, inviters.filter((id) => !hcpIds.includes(id)), 'referral', now);
  return { hcpIds, loaded: { activity, affinities } };
}

/**
 * Derives and writes tags, lifecycle and membership for `hcpIds` at `now`. `loaded` carries state
 * the caller already holds (after applyEventBatch); the rest is read here.
 */
export async function evaluateDoctors(db: Db, hcpIds: string[], settings: EngineSettings, now: number, loaded?: Loaded): Promise<void> {
  if (hcpIds.length === 0) return;
  const facts = await doctorFactsOf(db, hcpIds);
  const ids = hcpIds.filter((id) => facts.has(id) && facts.get(id)!.mergedInto === null);
  const missing = ids.filter((id) => !loaded?.activity.has(id));
  const [activity, affinities, referred, tags] = await Promise.all([
    loadActivity(db, missing),
    loadAffinities(db, ids.filter((id) => !loaded?.affinities.has(id))),
    referredCounts(db, ids),
    loadTags(db, ids, isEngineTag),
  ]);
  const writes = [];
  const tagChanges = [];
  /** Doctors with a row that now records nothing. */
  const emptied: string[] = [];
  for (const id of ids) {
    const rec = loaded?.activity.get(id) ?? activity.get(id) ?? { state: emptyActivity(), casesAccepted: 0 };
    const aff = loaded?.affinities.get(id) ?? affinities.get(id) ?? new Map();
    const state: ActivityState = rec.state;
    pruneDays(state, now);
    const ext = { referred: referred.get(id) ?? 0, casesAccepted: rec.casesAccepted };
    const profile = facts.get(id)!;
    const wanted = deriveTags(profile, state, aff, ext, now, settings);
    tagChanges.push({ hcpId: id, current: tags.get(id) ?? new Map(), wanted });
    const move = targetStage(profile, state, ext, wanted, now, settings);
    if (move) await moveLifecycleStage(db, id, move.stage, move.cause, move.at);
    // A doctor with nothing recorded has no activity row (counters read as 0), however they got here.
    if (state.firstEventAt !== null || ext.referred > 0 || ext.casesAccepted > 0) {
      writes.push({ hcpId: id, state, referred: ext.referred, casesAccepted: ext.casesAccepted, meaningful30d: actionsInWindow(state, now, settings.engagement.windowDays) });
    } else if (loaded?.activity.has(id) || activity.has(id)) {
      // Its row counted what is gone (the doctor's only referral moved to the inviter of an
      // earlier touch): no row, as a recompute leaves it, not a row still counting the referral.
      emptied.push(id);
    }
  }
  await applyTagChangesBatch(db, tagChanges, now);
  await saveActivity(db, writes, now);
  if (emptied.length) await db.query('DELETE FROM hcp_activity WHERE hcp_id IN (?)', [emptied]);
  await refreshMembership(db, await listRuleDefinitions(db), now, settings, ids);
  await recordDoctorChanges(db, hcpIds, now);
}

/** Called by other domains when a doctor's inputs changed outside events (profile, verification, merge). */
export async function noteDoctorChanged(deps: Pick<Deps, 'onEventsStored' | 'doctorsChanged'>, db: Db, hcpId: string, reason: string, now: number): Promise<void> {
  await markDirty(db, [hcpId], reason, now);
  // Once committed: the tagger picks the mark up, and caches of the doctor's state drop it.
  afterCommit(db, () => {
    announceDoctorChanges(deps, [hcpId]);
    deps.onEventsStored?.(hcpId);
  });
}
