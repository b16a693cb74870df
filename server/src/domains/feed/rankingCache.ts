/**
 * Doctors' rankings kept between their requests. A first page used to rank afresh every time; yet
 * between two requests of a doctor nothing that ranking reads changes but the impressions of what
 * was shown (any other change gives the doctor a new state in doctorReads.ts, new content a new
 * candidate index, a rebuilt aggregate new popularity objects). So a doctor's FeedRanking is kept,
 * told what was shown as it is shown (the items whose impression penalty moved are moved), and the
 * next first page interleaves it again: the same feed as ranking afresh with the same input
 * (test/feedRanker.property.test.ts checks that), for the cost of the interleaving.
 *
 * Scores are as of the moment a ranking was made, and a ranking is kept at most
 * RANKINGS_KEPT.maxAgeMs: freshness decays by about 0.0007 of a point a minute, below the cent
 * the scores are rounded to. Eligibility is never stale: a candidate index is the set served for
 * the request's instant (servingCatalogue.ts). At most RANKINGS_KEPT.doctors are kept, least
 * recently used out first; each holds what its walk reached (a few hundred scored candidates).
 */
import type { Topic } from '@hcp360/shared';
import { LRUCache } from 'lru-cache';
import type { DoctorReads } from './doctorReads.js';
import { FeedRanking, type Popularity, type RankedEntry, type RankInput } from './feedRanker.js';
import { RANKINGS_KEPT } from './feedWeights.js';
import { UnclickedView } from './impressions.js';
import type { CandidateIndex } from './rankIndexes.js';

/** What a kept ranking was made from: it serves a request only when all of it is the request's too. */
export interface RankingBasis {
  /** The doctor's state (DoctorReads.version) the ranking read. */
  version: object;
  candidates: CandidateIndex;
  cluster: Popularity;
  everyone: Popularity;
  topic: Topic | undefined;
}

export interface KeptRanking {
  ranking: FeedRanking;
  basis: RankingBasis;
  /** The first page's topic facets as UTF-8 JSON (they follow from the candidates and the doctor's affinities). */
  facetsJson?: Buffer;
}

/** A doctor's rankings, one per topic filter ('' for none). */
type DoctorRankings = Map<string, KeptRanking>;

export class RankingCache {
  /**
   * The doctors' rankings, least recently used out first. An LRU list that moves an entry without
   * allocating: moving a doctor to the end of a Map (delete, then set) grew and rebuilt its table
   * as the holes filled it, on every feed request.
   */
  private readonly doctors: LRUCache<string, DoctorRankings>;

  constructor(private readonly opts: { doctors: number; maxAgeMs: number } = RANKINGS_KEPT) {
    this.doctors = new LRUCache({ max: Math.max(1, opts.doctors) });
  }

  /**
   * The doctor's kept ranking for `basis` at `now`, or a new one made from `reads` (and kept).
   * `reads` must be the state `basis.version` names.
   */
  rankingFor(hcpId: string, basis: RankingBasis, reads: DoctorReads, now: number): KeptRanking {
    const key = basis.topic ?? '';
    // Asking marks the doctor as the most recently used.
    let mine = this.doctors.get(hcpId);
    const kept = mine?.get(key);
    if (kept && sameBasis(kept.basis, basis) && kept.ranking.input.now <= now && now - kept.ranking.input.now < this.opts.maxAgeMs) return kept;
    const made: KeptRanking = { ranking: new FeedRanking(rankInput(basis, reads, now)), basis };
    if (this.opts.doctors <= 0) return made;
    if (!mine) this.doctors.set(hcpId, (mine = new Map()));
    mine.set(key, made);
    return made;
  }

  /**
   * The doctor was shown `shown` (ids, or the page's entries), already added to the impression
   * times of `reads`, the doctor's state now: every kept ranking of that state reads its counts
   * from those times (UnclickedView) and moves the items whose penalty moved.
   */
  noteShown(hcpId: string, shown: readonly (string | RankedEntry)[], reads: DoctorReads): void {
    const mine = this.doctors.peek(hcpId);
    if (!mine) return;
    // forEach, not for-of: no [key, value] array per ranking (deleting the entry visited is allowed).
    mine.forEach((kept, key) => {
      if (kept.basis.version !== reads.version) mine.delete(key);
      else kept.ranking.rescore(shown);
    });
  }

  get size(): number {
    return this.doctors.size;
  }
}

const sameBasis = (a: RankingBasis, b: RankingBasis) =>
  a.version === b.version && a.candidates === b.candidates && a.cluster === b.cluster && a.everyone === b.everyone && a.topic === b.topic;

/** The ranker's input for the doctor whose state is `reads`, at `now`. */
export function rankInput(basis: RankingBasis, reads: DoctorReads, now: number): RankInput {
  return {
    now,
    candidates: basis.candidates,
    topic: basis.topic,
    affinities: new Map(reads.affinities.map((a) => [a.topic, a.score])),
    reads: reads.history.reads,
    unclickedImpressions: new UnclickedView(reads.impressions, reads.history.lastOpenedAt, now),
    cluster: basis.cluster,
    everyone: basis.everyone,
  };
}
