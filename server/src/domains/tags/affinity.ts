/**
 * Topic affinity: an exponentially decayed sum of weighted actions. Stored as a raw score and the
 * time it is valid at; decay is applied lazily when read:
 *     decayed(t) = raw · 2^(−(t − asOf) / halfLife)
 * Adding an action at time `at` is exact in any order (an action older than asOf is decayed to
 * asOf before adding), so processing events out of order, or in other batches, gives the same
 * state: incremental = recompute.
 * The presented score maps the decayed sum onto 0–1 with a saturating curve, 1 − e^(−s / scale):
 * one deep read (≈10 points) is ≈ 0.63 at the default scale, three deep reads ≈ 0.95.
 */
export interface AffinityCell {
  raw: number;
  asOf: number;
}

const DAY = 86_400_000;

export function decayFactor(elapsedMs: number, halfLifeDays: number): number {
  return Math.pow(2, -elapsedMs / (halfLifeDays * DAY));
}

export function addAction(cell: AffinityCell | undefined, points: number, at: number, halfLifeDays: number): AffinityCell {
  if (!cell) return { raw: points, asOf: at };
  if (at >= cell.asOf) return { raw: cell.raw * decayFactor(at - cell.asOf, halfLifeDays) + points, asOf: at };
  return { raw: cell.raw + points * decayFactor(cell.asOf - at, halfLifeDays), asOf: cell.asOf };
}

export function decayedRaw(cell: AffinityCell, now: number, halfLifeDays: number): number {
  return now <= cell.asOf ? cell.raw : cell.raw * decayFactor(now - cell.asOf, halfLifeDays);
}

export function presentScore(decayed: number, scale: number): number {
  return 1 - Math.exp(-Math.max(0, decayed) / scale);
}

/** The decayed raw sum a 0–1 threshold corresponds to (for SQL comparisons). */
export function rawForScore(score: number, scale: number): number {
  if (score >= 1) return Number.POSITIVE_INFINITY;
  return -scale * Math.log(1 - score);
}
