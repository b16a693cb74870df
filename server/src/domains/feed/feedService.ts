/**
 * GET /api/feed and the staff preview: gathers what the ranker needs from the domains that own it
 * (candidates from content's serving catalogue, affinities from the engine, history from events,
 * the doctor's department, title and verification from identity, segments from tags, popularity
 * and impressions from this domain), ranks, and pages through the snapshot its cursor carries (snapshots.ts).
 *
 * A first page takes the doctor's record and what is theirs (segments, affinities, content
 * history, latest impressions) from memory when the doctor was seen recently, or reads them,
 * each read shared with the other requests in flight (doctorReads.ts, which drops a doctor's
 * state when it changes); the catalogue and the popularity aggregate are in memory, so a doctor
 * seen recently is answered without awaiting anything. The doctor's ranking is kept between their
 * requests (rankingCache.ts: what was shown moves the items whose impression penalty changed), and
 * a first page interleaves PAGING.rankAhead entries of it; they go into the signed cursor, its
 * impressions are buffered and written after the response, and the page is copied from JSON made
 * once per card.
 */
import { TOPICS, type FeedPreviewResponse, type FeedQuery, type FeedTopicFacet, type Topic } from '@hcp360/shared';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import type { Viewer } from '../content/eligibility.js';
import { servingCatalogueOf, type ServedContent } from '../content/servingCatalogue.js';
import { doctorFactsOf, type DoctorFacts } from '../identity/service.js';
import { clustersOf, type Cluster } from './clusters.js';
import type { DoctorReader, DoctorReads } from './doctorReads.js';
import type { FeedJobs } from './feedJobs.js';
import { FeedRanking, isColdStart, type RankedEntry } from './feedRanker.js';
import { PAGING } from './feedWeights.js';
import type { ImpressionRecorder, ShownItem } from './impressions.js';
import { popularityFor, type ClusterPopularity } from './popularity.js';
import { feedItemBytes, feedResponseBody, presentFeedItem, type FeedItemBytes } from './presenters.js';
import { rankInput, type RankingBasis, type RankingCache } from './rankingCache.js';
import { candidateIndex, type CandidateIndex } from './rankIndexes.js';
import { reasonText } from './feedReasons.js';
import { newSnapshotToken, type RankedRef, type Snapshot, type SnapshotCursors } from './snapshots.js';

export interface FeedServices {
  deps: Deps;
  jobs: FeedJobs;
  impressions: ImpressionRecorder;
  snapshots: SnapshotCursors;
  doctors: DoctorReader;
  rankings: RankingCache;
}

/** The doctor record a token or id stands for now (following OneID merges), or undefined. */
export async function liveDoctorFacts(deps: Pick<Deps, 'pool'>, id: string): Promise<DoctorFacts | undefined> {
  let facts = (await doctorFactsOf(deps.pool, [id])).get(id);
  for (let hops = 0; facts?.mergedInto && hops < 10; hops++) facts = (await doctorFactsOf(deps.pool, [facts.mergedInto])).get(facts.mergedInto);
  return facts?.mergedInto ? undefined : facts;
}

/**
 * The live doctor behind `principalId` and their reads. Both start together (a token almost
 * always names the live record); after a OneID merge the survivor's are read again.
 */
async function doctorAndReads(svc: FeedServices, principalId: string, now: number): Promise<{ doctor: DoctorFacts; reads: DoctorReads }> {
  const early = svc.doctors.readsOf(principalId, now);
  early.catch(() => undefined);
  const doctor = await svc.doctors.liveDoctor(principalId);
  if (!doctor) throw new AppError('TOKEN_INVALID', 'This doctor record no longer exists; sign in again.');
  return { doctor, reads: await (doctor.id === principalId ? early : svc.doctors.readsOf(doctor.id, now)) };
}

const viewerOf = (doctor: DoctorFacts, reads: DoctorReads): Viewer => ({ segmentIds: reads.segmentIds, verified: doctor.verification === 'verified' });

/** The ranker's index of what `viewer` may see, built once per catalogue view and kind of viewer. */
const candidatesFor = (served: ServedContent, viewer: Viewer): CandidateIndex => served.viewFor(viewer).derived('feed.candidates', candidateIndex);

/** The candidates of the doctor state `reads` is of, per served set (the viewer follows from the state). */
const candidatesMemo = new WeakMap<object, { served: ServedContent; candidates: CandidateIndex }>();
function candidatesOf(served: ServedContent, doctor: DoctorFacts, reads: DoctorReads): CandidateIndex {
  const memo = candidatesMemo.get(reads.version);
  if (memo?.served === served) return memo.candidates;
  const candidates = candidatesFor(served, viewerOf(doctor, reads));
  candidatesMemo.set(reads.version, { served, candidates });
  return candidates;
}

/** A doctor record's clusters, once per record object (clustersOf makes a new list, and popularity answers per list). */
const clustersMemo = new WeakMap<DoctorFacts, Cluster[]>();
function clustersOfDoctor(doctor: DoctorFacts): Cluster[] {
  let c = clustersMemo.get(doctor);
  if (!c) clustersMemo.set(doctor, (c = clustersOf(doctor.department, doctor.title)));
  return c;
}

interface Basis {
  basis: RankingBasis;
  popularity: ClusterPopularity;
}

/**
 * What a ranking of the doctor's feed is made from now (rankingCache.ts keeps rankings per basis).
 * When the catalogue and the popularity aggregate are in memory and no feed job is due, at once.
 */
function basisOf(svc: FeedServices, doctor: DoctorFacts, reads: DoctorReads, now: number, topic: Topic | undefined): Basis | Promise<Basis> {
  const { deps } = svc;
  const due = svc.jobs.beforeRanking();
  if (due) return basisAfter(svc, due, doctor, reads, now, topic);
  const served = servingCatalogueOf(deps).servedAt(now);
  const popularity = popularityFor(deps, clustersOfDoctor(doctor));
  if (served instanceof Promise || popularity instanceof Promise) return basisAfter(svc, undefined, doctor, reads, now, topic, served, popularity);
  return basisFrom(served, popularity, doctor, reads, topic);
}

/** basisOf once the feed job due and what is not in memory are awaited. */
async function basisAfter(
  svc: FeedServices,
  due: Promise<void> | undefined,
  doctor: DoctorFacts,
  reads: DoctorReads,
  now: number,
  topic: Topic | undefined,
  served?: ServedContent | Promise<ServedContent>,
  popularity?: ClusterPopularity | Promise<ClusterPopularity>,
): Promise<Basis> {
  await due;
  const [s, p] = await Promise.all([served ?? servingCatalogueOf(svc.deps).servedAt(now), popularity ?? popularityFor(svc.deps, clustersOfDoctor(doctor))]);
  return basisFrom(s, p, doctor, reads, topic);
}

function basisFrom(served: ServedContent, p: ClusterPopularity, doctor: DoctorFacts, reads: DoctorReads, topic: Topic | undefined): Basis {
  return { basis: { version: reads.version, candidates: candidatesOf(served, doctor, reads), cluster: p.chosen, everyone: p.everyone, topic }, popularity: p };
}

/** Topics to filter by: the doctor's interests first, then by how many items there are. */
function facetsOf(counts: Map<Topic, number>, affinities: { topic: string; score: number }[]): FeedTopicFacet[] {
  const interest = new Map(affinities.map((a) => [a.topic, a.score]));
  return [...counts]
    .sort(([a, na], [b, nb]) => (interest.get(b) ?? 0) - (interest.get(a) ?? 0) || nb - na || a.localeCompare(b))
    .slice(0, 12)
    .map(([t, count]) => ({ topic: t, label: TOPICS[t], count }));
}

/** GET /api/feed: a page of the doctor's feed, as the UTF-8 JSON of a FeedResponse (presenters.ts). */
export async function feedPage(svc: FeedServices, principalId: string, q: FeedQuery): Promise<Buffer> {
  const { deps } = svc;
  const now = deps.clock();
  if (q.cursor) return nextPage(svc, principalId, q, q.cursor, now);
  // A doctor seen recently, with the catalogue and popularity in memory, is answered without awaiting anything.
  const { doctor, reads } = svc.doctors.keptDoctor(principalId, now) ?? (await doctorAndReads(svc, principalId, now));
  const made = basisOf(svc, doctor, reads, now, q.topic);
  const { basis } = made instanceof Promise ? await made : made;
  // The doctor's ranking kept since their last request (told since what they were shown), or a new one.
  const kept = svc.rankings.rankingFor(doctor.id, basis, reads, now);
  // Rank a few pages ahead (one more entry says whether the ranking goes on); later pages extend it.
  const ahead = Math.min(PAGING.maxRanked, Math.max(q.limit, PAGING.rankAhead));
  const ranked = kept.ranking.rank({ maxRanked: ahead + 1 });
  const entries = ranked.slice(0, ahead);
  const complete = ranked.length <= ahead;
  const page = entries.slice(0, q.limit);
  let token: string | null = null;
  let nextCursor: string | null = null;
  if (entries.length > page.length || !complete) {
    token = newSnapshotToken();
    const payload = svc.snapshots.create(doctor.id, { token, topic: q.topic ?? null, entries, complete }, now);
    nextCursor = svc.snapshots.cursorAt(payload, page.length);
  }
  svc.impressions.recordRun(doctor.id, now, token, 0, page.map((e) => e.packed));
  noteShown(svc, doctor.id, reads, page, now);
  kept.facetsJson ??= Buffer.from(JSON.stringify(facetsOf(basis.candidates.topicCounts, reads.affinities)));
  return feedResponseBody(
    page.map((e) => e.bytes),
    { nextCursor },
    kept.facetsJson,
  );
}

/**
 * Impressions: the page buffered for the database (one row; ImpressionRecorder.record, or
 * recordRun for a first page), then noteShown. Each item keeps its own position in the snapshot:
 * a later page skips what stopped being eligible, so its positions need not run on without gaps.
 */
function recordShown(svc: FeedServices, hcpId: string, reads: DoctorReads, shown: ShownItem[], token: string | null, now: number): void {
  svc.impressions.record({ hcpId, shownAt: now, snapshotToken: token, items: shown });
  noteShown(svc, hcpId, reads, shown.map((s) => s.contentId), now);
}

/**
 * What was shown, added to the doctor's state in memory at once and told to the doctor's kept
 * rankings (whose scores it moves): ids, or a first page's ranked entries, which keep their item's
 * list of impression times and the ranking that made them finds their scores through them.
 */
function noteShown(svc: FeedServices, hcpId: string, reads: DoctorReads, shown: readonly (string | RankedEntry)[], now: number): void {
  svc.doctors.noteShown(hcpId, shown, now);
  svc.rankings.noteShown(hcpId, shown, reads);
}

async function nextPage(svc: FeedServices, principalId: string, q: FeedQuery, cursor: string, now: number): Promise<Buffer> {
  const { deps } = svc;
  const doctor = await svc.doctors.liveDoctor(principalId);
  if (!doctor) throw new AppError('TOKEN_INVALID', 'This doctor record no longer exists; sign in again.');
  const opened = svc.snapshots.open(doctor.id, cursor, now);
  let { snapshot: snap, payload } = opened;
  if ((q.topic ?? null) !== snap.topic) throw new AppError('FEED_CURSOR_INVALID', 'The cursor belongs to a feed with another topic filter.');
  const [reads, served] = await Promise.all([svc.doctors.readsOf(doctor.id, now), servingCatalogueOf(deps).servedAt(now)]);
  // Eligibility is checked again: what stopped being servable since page one is left out.
  const viewer = viewerOf(doctor, reads);
  const items: FeedItemBytes[] = [];
  const shown: ShownItem[] = [];
  let i = opened.offset;
  for (;;) {
    for (; i < snap.entries.length && items.length < q.limit; i++) {
      const { id, kind, topic } = snap.entries[i]!;
      const c = served.itemFor(viewer, id);
      if (!c) continue;
      items.push(feedItemBytes(c, kind, reasonText(kind, topic)));
      shown.push({ contentId: id, reasonKind: kind, position: i });
    }
    // At the end of what the snapshot holds while the ranking may go on: rank the next entries first.
    if (i < snap.entries.length || snap.complete) break;
    const before = snap.entries.length;
    ({ snap, payload } = await extendSnapshot(svc, doctor, reads, snap, payload, served, now));
    if (snap.entries.length === before) break;
  }
  recordShown(svc, doctor.id, reads, shown, snap.token, now);
  return feedResponseBody(items, { nextCursor: i < snap.entries.length ? svc.snapshots.cursorAt(payload, i) : null });
}

/**
 * The session's ranking continued as of now: what it does not hold yet, after what it holds (from
 * the doctor's kept ranking), and the payload of the next cursors.
 */
async function extendSnapshot(
  svc: FeedServices,
  doctor: DoctorFacts,
  reads: DoctorReads,
  snap: Snapshot,
  payload: string,
  served: ServedContent,
  now: number,
): Promise<{ snap: Snapshot; payload: string }> {
  const room = PAGING.maxRanked - snap.entries.length;
  const ahead = Math.min(PAGING.rankAhead, room);
  let more: RankedEntry[] = [];
  let complete = true;
  if (ahead > 0) {
    const after = {
      ids: new Set(snap.entries.map((e) => e.id)),
      positions: snap.entries.length,
      lastMainTopics: snap.entries.slice(-2).map((e) => served.topicsOf(e.id)?.[0] ?? ''),
    };
    const { basis } = await basisOf(svc, doctor, reads, now, snap.topic ?? undefined);
    // The doctor's kept ranking continues after what the session holds (as ranking afresh would), or a new one is made and kept.
    const r = svc.rankings.rankingFor(doctor.id, basis, reads, now).ranking.rank({ maxRanked: ahead + 1, after });
    more = r.slice(0, ahead);
    complete = r.length <= ahead || more.length >= room;
  }
  const refs = more.map((e): RankedRef => (e.reasonTopic ? { id: e.item.id, kind: e.reasonKind, topic: e.reasonTopic } : { id: e.item.id, kind: e.reasonKind }));
  return { snap: { ...snap, entries: [...snap.entries, ...refs], complete }, payload: svc.snapshots.extend(doctor.id, payload, more, complete) };
}

/** GET /api/admin/hcps/:id/feed-preview: the doctor's feed now, each score broken down. Records nothing. */
export async function feedPreview(svc: FeedServices, hcpId: string, q: { limit: number; topic?: Topic }): Promise<FeedPreviewResponse> {
  const doctor = (await doctorFactsOf(svc.deps.pool, [hcpId])).get(hcpId);
  if (!doctor || doctor.mergedInto) throw new AppError('NOT_FOUND', `No doctor ${hcpId}.`);
  const now = svc.deps.clock();
  const reads = await svc.doctors.freshReadsOf(hcpId, now);
  const { basis, popularity } = await basisOf(svc, doctor, reads, now, q.topic);
  const input = rankInput(basis, reads, now);
  const entries = new FeedRanking(input).rank({ maxRanked: q.limit });
  return {
    hcpId,
    coldStart: isColdStart(input.affinities, input.reads),
    cluster: popularity.cluster,
    affinities: reads.affinities.map((a) => ({ ...a, score: Math.round(a.score * 1000) / 1000 })),
    items: entries.slice(0, q.limit).map((e, position) => ({ ...presentFeedItem(e.item, e.reasonKind, e.reason), position, slot: e.slot, score: e.score })),
  };
}
