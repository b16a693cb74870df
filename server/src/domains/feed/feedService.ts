/**
 * GET /api/feed and the staff preview: gathers what the ranker needs from the domains that own it
 * (candidates from content, affinities from the engine, history from events, the doctor's
 * department and title from identity, popularity and impressions from this domain), ranks, and
 * pages through a stored snapshot (snapshots.ts).
 */
import { TOPICS, type FeedPreviewResponse, type FeedQuery, type FeedResponse, type FeedTopicFacet, type Topic } from '@hcp360/shared';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { eligibleContentFor, type EligibleContent } from '../content/eligibility.js';
import { contentFactsOf } from '../events/eventFacts.js';
import { doctorFactsOf, type DoctorFacts } from '../identity/service.js';
import { topicAffinitiesOf } from '../tags/service.js';
import { clustersOf } from './clusters.js';
import type { FeedJobs } from './feedJobs.js';
import { isColdStart, rankFeed, type RankedEntry } from './feedRanker.js';
import { unclickedImpressionsOf, type ImpressionRecorder } from './impressions.js';
import { popularityFor, type ClusterPopularity } from './popularity.js';
import { presentFeedItem } from './presenters.js';
import { decodeCursor, encodeCursor, loadSnapshot, newSnapshotToken, saveSnapshot } from './snapshots.js';

export interface FeedServices {
  deps: Deps;
  jobs: FeedJobs;
  impressions: ImpressionRecorder;
}

/** The doctor record a token or id stands for now (following OneID merges), or undefined. */
export async function liveDoctorFacts(deps: Pick<Deps, 'pool'>, id: string): Promise<DoctorFacts | undefined> {
  let facts = (await doctorFactsOf(deps.pool, [id])).get(id);
  for (let hops = 0; facts?.mergedInto && hops < 10; hops++) facts = (await doctorFactsOf(deps.pool, [facts.mergedInto])).get(facts.mergedInto);
  return facts?.mergedInto ? undefined : facts;
}

interface Ranking {
  entries: RankedEntry[];
  candidates: EligibleContent[];
  affinities: { topic: string; label: string; score: number }[];
  popularity: ClusterPopularity;
  coldStart: boolean;
}

async function rank(deps: Deps, doctor: DoctorFacts, now: number, topic: Topic | undefined): Promise<Ranking> {
  const hcpId = doctor.id;
  const [candidates, affinities, history, popularity] = await Promise.all([
    eligibleContentFor(deps, hcpId, now),
    topicAffinitiesOf(deps.pool, hcpId, now),
    contentFactsOf(deps.pool, hcpId),
    popularityFor(deps.pool, clustersOf(doctor.department, doctor.title)),
  ]);
  const unclicked = await unclickedImpressionsOf(deps.pool, hcpId, history.lastOpenedAt, now);
  const affinityMap = new Map(affinities.map((a) => [a.topic, a.score]));
  const entries = rankFeed({
    now,
    candidates: topic ? candidates.filter((c) => c.topics.includes(topic)) : candidates,
    affinities: affinityMap,
    reads: history.reads,
    unclickedImpressions: unclicked,
    cluster: popularity.chosen,
    everyone: popularity.everyone,
  });
  return { entries, candidates, affinities, popularity, coldStart: isColdStart(affinityMap, history.reads) };
}

/** Topics to filter by: the doctor's interests first, then by how many items there are. */
function facetsOf(candidates: EligibleContent[], affinities: { topic: string; score: number }[]): FeedTopicFacet[] {
  const counts = new Map<Topic, number>();
  for (const c of candidates) for (const t of c.topics) counts.set(t, (counts.get(t) ?? 0) + 1);
  const interest = new Map(affinities.map((a) => [a.topic, a.score]));
  return [...counts]
    .sort(([a, na], [b, nb]) => (interest.get(b) ?? 0) - (interest.get(a) ?? 0) || nb - na || a.localeCompare(b))
    .slice(0, 12)
    .map(([t, count]) => ({ topic: t, label: TOPICS[t], count }));
}

export async function feedPage(svc: FeedServices, principalId: string, q: FeedQuery): Promise<FeedResponse> {
  const { deps } = svc;
  const doctor = await liveDoctorFacts(deps, principalId);
  if (!doctor) throw new AppError('TOKEN_INVALID', 'This doctor record no longer exists; sign in again.');
  const now = deps.clock();
  const show = (token: string | null, shown: { id: string; reasonKind: string; position: number }[]) =>
    svc.impressions.record(shown.map((s) => ({ hcpId: doctor.id, contentId: s.id, position: s.position, reasonKind: s.reasonKind, snapshotToken: token, shownAt: now })));

  if (!q.cursor) {
    await svc.jobs.beforeRanking();
    const r = await rank(deps, doctor, now, q.topic);
    const page = r.entries.slice(0, q.limit);
    let token: string | null = null;
    if (r.entries.length > page.length) {
      token = newSnapshotToken();
      await saveSnapshot(deps.pool, doctor.id, { token, topic: q.topic ?? null, entries: r.entries.map((e) => [e.item.id, e.reasonKind, e.reason]) }, now);
    }
    show(token, page.map((e, position) => ({ id: e.item.id, reasonKind: e.reasonKind, position })));
    return {
      items: page.map((e) => presentFeedItem(e.item, e.reasonKind, e.reason)),
      nextCursor: token ? encodeCursor(token, page.length) : null,
      topics: facetsOf(r.candidates, r.affinities),
    };
  }

  const { token, offset } = decodeCursor(q.cursor);
  const snap = await loadSnapshot(deps.pool, doctor.id, token, now);
  if ((q.topic ?? null) !== snap.topic) throw new AppError('FEED_CURSOR_INVALID', 'The cursor belongs to a feed with another topic filter.');
  if (offset > snap.entries.length) throw new AppError('FEED_CURSOR_INVALID');
  // Eligibility is checked again: what stopped being servable since page one is left out.
  const eligible = new Map((await eligibleContentFor(deps, doctor.id, now)).map((c) => [c.id, c]));
  const items: FeedResponse['items'] = [];
  const shown: { id: string; reasonKind: string; position: number }[] = [];
  let i = offset;
  for (; i < snap.entries.length && items.length < q.limit; i++) {
    const [id, reasonKind, reason] = snap.entries[i]!;
    const c = eligible.get(id);
    if (!c) continue;
    items.push(presentFeedItem(c, reasonKind, reason));
    shown.push({ id, reasonKind, position: i });
  }
  show(token, shown);
  return { items, nextCursor: i < snap.entries.length ? encodeCursor(token, i) : null };
}

/** GET /api/admin/hcps/:id/feed-preview: the doctor's feed now, each score broken down. Records nothing. */
export async function feedPreview(svc: FeedServices, hcpId: string, q: { limit: number; topic?: Topic }): Promise<FeedPreviewResponse> {
  const doctor = (await doctorFactsOf(svc.deps.pool, [hcpId])).get(hcpId);
  if (!doctor || doctor.mergedInto) throw new AppError('NOT_FOUND', `No doctor ${hcpId}.`);
  await svc.jobs.beforeRanking();
  const r = await rank(svc.deps, doctor, svc.deps.clock(), q.topic);
  return {
    hcpId,
    coldStart: r.coldStart,
    cluster: r.popularity.cluster,
    affinities: r.affinities.map((a) => ({ ...a, score: Math.round(a.score * 1000) / 1000 })),
    items: r.entries.slice(0, q.limit).map((e, position) => ({ ...presentFeedItem(e.item, e.reasonKind, e.reason), position, slot: e.slot, score: e.score })),
  };
}
