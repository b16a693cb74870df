/**
 * What the feed reads about a doctor, from the domains that own it: the doctor's record
 * (identity), segments and topic affinities (tags), content history (events) and the latest
 * impression times (this domain).
 *
 * Kept in memory per active doctor (a DoctorStateCache of FEED_CACHE_DOCTORS entries, least
 * recently used out first), so a feed request of a doctor seen recently reads nothing from the
 * database. An entry is dropped when the doctor's state changes: at once in the process that
 * changed it (ingest, the tagger, identity writes, segment and settings changes tell
 * `deps.doctorsChanged` once committed), and on other instances when they read the engine's change
 * log (tags/changeLog.ts, every FEED_CACHE_POLL_MS). An entry is also never older than
 * FEED_CACHE_MAX_AGE_MS, which bounds what a lost notice can cost. Impressions this process shows
 * are added to the entry as they are recorded, and a load adds those not written yet; other
 * instances' impressions of the same doctor count once the entry is loaded again.
 *
 * A miss loads through Coalescers: the requests in flight together share one indexed
 * `… WHERE hcp_id IN (…)` query per kind. A change told while an entry loads drops what that
 * load brings (it may predate the change). The staff preview reads fresh, never from the cache.
 */
import { LRUCache } from 'lru-cache';
import type { Deps } from '../../platform/deps.js';
import { Coalescer } from '../../platform/coalescer.js';
import { contentFactsOfMany, type DoctorContentFacts } from '../events/eventFacts.js';
import { doctorFactsOf, type DoctorFacts } from '../identity/service.js';
import type { Affinities } from '../tags/activity.js';
import { DoctorChangeFollower, FOLLOW, type ChangedDoctors } from '../tags/changeLog.js';
import { segmentIdsOfMany } from '../tags/segments.js';
import { affinitiesAt, affinityStateOf, type TopicAffinity } from '../tags/service.js';
import type { EngineSettings } from '../tags/settings.js';
import type { RankedEntry } from './feedRanker.js';
import { addImpressionTime, impressionTimesOf, impressionWindowStart, type ImpressionRecorder, type ImpressionTimes } from './impressions.js';

export interface DoctorReads {
  /** The doctor's state these were read from: another object once anything of it changed. */
  readonly version: object;
  readonly segmentIds: string[];
  readonly affinities: TopicAffinity[];
  /** Opens and reads (not likes or favourites: the ranking does not use them). */
  readonly history: DoctorContentFacts;
  readonly impressions: ImpressionTimes;
}

/** What is kept per doctor: affinities are kept as stored and decayed to the request's time. */
interface DoctorState {
  facts: DoctorFacts | undefined;
  segmentIds: string[];
  affinity: { cells: Affinities | undefined; settings: EngineSettings };
  history: DoctorContentFacts;
  impressions: ImpressionTimes;
  loadedAt: number;
  /** Identity of this state (DoctorReads.version). */
  version: object;
}

/** Impression times are read from this much before the window of a load (the entry lives on while the window slides). */
const IMPRESSION_LEAD_MS = 10 * 60_000;

export interface DoctorCacheOptions {
  /** Doctors kept; 0 turns the cache off (every request reads). */
  maxDoctors: number;
  maxAgeMs: number;
  pollMs: number;
}

/** Loads doctor states from the database, coalescing concurrent loads per kind. */
class StateLoader {
  private readonly facts: Coalescer<DoctorFacts>;
  private readonly segments: Coalescer<string[]>;
  private readonly affinity: Coalescer<{ cells: Affinities | undefined; settings: EngineSettings }>;
  private readonly history: Coalescer<DoctorContentFacts>;
  private readonly impressions: Coalescer<ImpressionTimes>;

  constructor(
    private readonly deps: Pick<Deps, 'pool' | 'clock'>,
    recorder: Pick<ImpressionRecorder, 'readWithUnwritten'>,
  ) {
    const { pool } = deps;
    this.facts = new Coalescer((ids) => doctorFactsOf(pool, ids));
    this.segments = new Coalescer((ids) => segmentIdsOfMany(pool, ids));
    this.affinity = new Coalescer(async (ids) => {
      const { cells, settings } = await affinityStateOf(pool, ids);
      return new Map(ids.map((id) => [id, { cells: cells.get(id), settings }]));
    });
    this.history = new Coalescer((ids) => contentFactsOfMany(pool, ids, { reactions: false }));
    // The table and, with it, what this process showed but has not written yet.
    this.impressions = new Coalescer(async (ids) => {
      const { value: times, unwritten } = await recorder.readWithUnwritten(ids, () => impressionTimesOf(pool, ids, impressionWindowStart(deps.clock()) - IMPRESSION_LEAD_MS));
      for (const page of unwritten) for (const s of page.items) addImpressionTime(times.get(page.hcpId)!, s.contentId, page.shownAt);
      return times;
    });
  }

  /** The doctor's record alone (following a merge reads only records). */
  factsOf(id: string): Promise<DoctorFacts | undefined> {
    return this.facts.get(id);
  }

  async stateOf(id: string): Promise<DoctorState> {
    const loadedAt = this.deps.clock();
    const [facts, segmentIds, affinity, history, impressions] = await Promise.all([
      this.facts.get(id),
      this.segments.get(id),
      this.affinity.get(id),
      this.history.get(id),
      this.impressions.get(id),
    ]);
    return { facts, segmentIds: segmentIds ?? [], affinity: affinity!, history: history!, impressions: impressions!, loadedAt, version: {} };
  }
}

/** Least-recently-used doctor states, dropped on change notices. */
class DoctorStateCache {
  /** Least recently used out first, moved without allocating (a Map moved by delete and set rebuilt its table as holes filled it). */
  private readonly entries: LRUCache<string, DoctorState>;
  /** Loads in flight; a change told meanwhile marks them stale so what they bring is not kept. */
  private readonly loading = new Map<string, { promise: Promise<DoctorState>; stale: boolean }>();

  constructor(
    private readonly loader: StateLoader,
    private readonly opts: DoctorCacheOptions,
    private readonly clock: () => number,
  ) {
    this.entries = new LRUCache({ max: Math.max(1, opts.maxDoctors) });
  }

  /** The doctor's kept state if it is fresh enough (marked as used), else undefined. */
  kept(id: string): DoctorState | undefined {
    const now = this.clock();
    // Asking marks the entry as the most recently used.
    const entry = this.entries.get(id);
    return entry && now - entry.loadedAt < this.opts.maxAgeMs && entry.loadedAt <= now ? entry : undefined;
  }

  async get(id: string): Promise<DoctorState> {
    const entry = this.kept(id);
    if (entry) return entry;
    const inFlight = this.loading.get(id);
    if (inFlight && !inFlight.stale) return inFlight.promise;
    const load = { promise: this.loader.stateOf(id), stale: false };
    this.loading.set(id, load);
    try {
      const state = await load.promise;
      if (!load.stale && this.opts.maxDoctors > 0) this.entries.set(id, state);
      return state;
    } finally {
      if (this.loading.get(id) === load) this.loading.delete(id);
    }
  }

  drop(ids: ChangedDoctors): void {
    if (ids === 'everyone') {
      this.entries.clear();
      for (const load of this.loading.values()) load.stale = true;
      return;
    }
    for (const id of ids) {
      this.entries.delete(id);
      const load = this.loading.get(id);
      if (load) load.stale = true;
    }
  }

  /**
   * Adds impressions this process showed to the doctor's entry, if kept: the items of `shown`, by
   * id or as ranked entries (which keep their item's list of times: RankedEntry.noteShownIn).
   */
  noteShown(hcpId: string, shown: readonly (string | RankedEntry)[], at: number): void {
    const entry = this.entries.peek(hcpId);
    if (!entry) return;
    for (const x of shown) {
      if (typeof x === 'string') addImpressionTime(entry.impressions, x, at);
      else x.noteShownIn(entry.impressions, at);
    }
  }
}

export class DoctorReader {
  private readonly loader: StateLoader;
  private readonly cache: DoctorStateCache;
  private readonly follower: DoctorChangeFollower;

  constructor(
    deps: Pick<Deps, 'pool' | 'clock' | 'log' | 'config'>,
    impressions: Pick<ImpressionRecorder, 'readWithUnwritten'>,
    opts: DoctorCacheOptions = deps.config.feedCache,
  ) {
    this.loader = new StateLoader(deps, impressions);
    this.cache = new DoctorStateCache(this.loader, opts, deps.clock);
    this.follower = new DoctorChangeFollower(deps, (ids) => this.cache.drop(ids), { pollMs: opts.pollMs, ...FOLLOW });
    if (opts.maxDoctors > 0) this.follower.start();
  }

  /** Drops what changed (deps.doctorsChanged is wired to this by the feed's routes). */
  changed(ids: ChangedDoctors): void {
    this.cache.drop(ids);
  }

  /** The doctor record `id` stands for now (following OneID merges), or undefined. */
  async liveDoctor(id: string): Promise<DoctorFacts | undefined> {
    let facts = (await this.cache.get(id)).facts;
    for (let hops = 0; facts?.mergedInto && hops < 10; hops++) facts = (await this.cache.get(facts.mergedInto)).facts;
    return facts?.mergedInto ? undefined : facts;
  }

  /**
   * The doctor behind `id` and their reads, when both are in memory and the record is live (not
   * merged): the feed's hot path, which then awaits nothing. Otherwise undefined (use liveDoctor
   * and readsOf).
   */
  keptDoctor(id: string, now: number): { doctor: DoctorFacts; reads: DoctorReads } | undefined {
    const state = this.cache.kept(id);
    return state?.facts && !state.facts.mergedInto ? { doctor: state.facts, reads: readsFrom(state, now) } : undefined;
  }

  async readsOf(hcpId: string, now: number): Promise<DoctorReads> {
    return readsFrom(await this.cache.get(hcpId), now);
  }

  /** Read from the database now, bypassing the cache (the staff preview). */
  async freshReadsOf(hcpId: string, now: number): Promise<DoctorReads> {
    return readsFrom(await this.loader.stateOf(hcpId), now);
  }

  noteShown(hcpId: string, shown: readonly (string | RankedEntry)[], at: number): void {
    this.cache.noteShown(hcpId, shown, at);
  }

  async close(): Promise<void> {
    await this.follower.stop();
  }
}

/**
 * The reads of a state at `now`; affinities are decayed to `now` when first asked for (a kept
 * ranking does not ask). A class, not an object literal with a getter: one is made per feed
 * request, and a literal's accessor made a closure and an accessor pair each time (about 650
 * bytes, measured, against some 40).
 */
class ReadsAt implements DoctorReads {
  #affinities: TopicAffinity[] | undefined;

  constructor(
    private readonly state: DoctorState,
    private readonly now: number,
  ) {}

  get version(): object {
    return this.state.version;
  }
  get segmentIds(): string[] {
    return this.state.segmentIds;
  }
  get affinities(): TopicAffinity[] {
    return (this.#affinities ??= affinitiesAt(this.state.affinity.cells, this.now, this.state.affinity.settings));
  }
  get history(): DoctorContentFacts {
    return this.state.history;
  }
  get impressions(): ImpressionTimes {
    return this.state.impressions;
  }
}

function readsFrom(state: DoctorState, now: number): DoctorReads {
  return new ReadsAt(state, now);
}
