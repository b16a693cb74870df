/**
 * What the feed reads about a doctor for one request, from the domains that own it: the doctor's
 * record (identity), segments and topic affinities (tags), content history (events) and an
 * impression summary (this domain). Each read goes through a Coalescer, so the requests in flight
 * together share one indexed `… WHERE hcp_id IN (…)` query per kind instead of one each: under
 * load a feed request costs a fraction of a query of each kind, and alone it costs one.
 */
import type { Deps } from '../../platform/deps.js';
import { Coalescer } from '../../platform/coalescer.js';
import { contentFactsOfMany, type DoctorContentFacts } from '../events/eventFacts.js';
import { doctorFactsOf, type DoctorFacts } from '../identity/service.js';
import type { Affinities } from '../tags/activity.js';
import { segmentIdsOfMany } from '../tags/segments.js';
import { affinitiesAt, affinityStateOf, type TopicAffinity } from '../tags/service.js';
import type { EngineSettings } from '../tags/settings.js';
import { FEED_WEIGHTS } from './feedWeights.js';
import { impressionSummariesOf, type ImpressionSummary } from './impressions.js';

export interface DoctorReads {
  segmentIds: string[];
  affinities: TopicAffinity[];
  /** Opens and reads (not likes or favourites: the ranking does not use them). */
  history: DoctorContentFacts;
  impressions: ImpressionSummary;
}

/** A batch's summaries start this much before the window of its earliest request (unclickedFrom counts exactly). */
const SUMMARY_LEAD_MS = 60_000;

export class DoctorReader {
  private readonly doctors: Coalescer<DoctorFacts>;
  private readonly segments: Coalescer<string[]>;
  private readonly affinity: Coalescer<{ cells: Affinities | undefined; settings: EngineSettings }>;
  private readonly history: Coalescer<DoctorContentFacts>;
  private readonly impressions: Coalescer<ImpressionSummary>;

  constructor(deps: Pick<Deps, 'pool' | 'clock'>) {
    const { pool } = deps;
    this.doctors = new Coalescer((ids) => doctorFactsOf(pool, ids));
    this.segments = new Coalescer((ids) => segmentIdsOfMany(pool, ids));
    this.affinity = new Coalescer(async (ids) => {
      const { cells, settings } = await affinityStateOf(pool, ids);
      return new Map(ids.map((id) => [id, { cells: cells.get(id), settings }]));
    });
    this.history = new Coalescer((ids) => contentFactsOfMany(pool, ids, { reactions: false }));
    this.impressions = new Coalescer((ids) => impressionSummariesOf(pool, ids, deps.clock() - FEED_WEIGHTS.impressionWindowDays * 86_400_000 - SUMMARY_LEAD_MS));
  }

  /** The doctor record `id` stands for now (following OneID merges), or undefined. */
  async liveDoctor(id: string): Promise<DoctorFacts | undefined> {
    let facts = await this.doctors.get(id);
    for (let hops = 0; facts?.mergedInto && hops < 10; hops++) facts = await this.doctors.get(facts.mergedInto);
    return facts?.mergedInto ? undefined : facts;
  }

  async readsOf(hcpId: string, now: number): Promise<DoctorReads> {
    const [segmentIds, affinity, history, impressions] = await Promise.all([this.segments.get(hcpId), this.affinity.get(hcpId), this.history.get(hcpId), this.impressions.get(hcpId)]);
    return {
      segmentIds: segmentIds ?? [],
      affinities: affinitiesAt(affinity!.cells, now, affinity!.settings),
      history: history!,
      impressions: impressions!,
    };
  }
}
