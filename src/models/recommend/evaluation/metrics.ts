/**
 * Accuracy metrics of recommenders, as pure functions of arrays.
 *
 * Rating prediction: {@link rmse}, {@link mae}.
 *
 * Top-k ranking, over per-user lists: `recommended[u]` is user u's ranked list of item
 * indices (best first, no repeats) and `relevant[u]` her relevant test items — a Set or array
 * of item indices (binary relevance), or a Map item -> gain (graded relevance, used by NDCG
 * only; the other metrics treat every key of the Map as relevant). Each ranking metric is the
 * mean over users with at least one relevant item (recall, NDCG and AP are undefined for the
 * others, and skipping them is what Surprise's FAQ and most libraries do); NaN when no user
 * has any. For user u with top-k list L = recommended[u].slice(0, k), R = relevant items,
 * rel(j) = 1 if L[j] in R:
 *
 * - precision@k = |L ∩ R| / k (denominator k even when fewer than k items were recommended)
 * - recall@k    = |L ∩ R| / |R|
 * - NDCG@k      = DCG / IDCG, DCG = sum_{j<k} g(L[j]) / log2(j + 2), IDCG = the same sum over
 *   the items of R sorted by gain, best first (Järvelin & Kekäläinen 2002, linear gain as
 *   scikit-learn's `ndcg_score`); g = 1 for binary relevance, g = Map value for graded.
 * - AP@k        = (1 / min(k, |R|)) sum_{j<k} rel(j) * precision@(j+1)  (MAP@k = mean AP@k,
 *   normalized as in the `ml_metrics` apk reference implementation)
 *
 * Catalog coverage = |distinct items in the top-k lists| / nItems.
 *
 * Turning test ratings into relevance: {@link relevantItems} (rating >= threshold, default 4
 * on a 1–5 scale, i.e. 75% of the way up the test ratings' range; or each user's own mean).
 */
import { InvalidArgumentError, ShapeError } from '../../../errors.js';
import type { Ratings } from '../data/ratings.js';

/** Relevant items of one user: a set/array of item indices, or a Map item -> gain (graded NDCG). */
export type Relevance = ReadonlySet<number> | ArrayLike<number> | ReadonlyMap<number, number>;

/** Root mean squared error sqrt(mean((pred - truth)^2)). NaN for empty input. @throws ShapeError on a length mismatch. */
export function rmse(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  sameLength(pred, truth, 'rmse');
  let s = 0;
  for (let k = 0; k < pred.length; k++) {
    const d = pred[k]! - truth[k]!;
    s += d * d;
  }
  return pred.length > 0 ? Math.sqrt(s / pred.length) : NaN;
}

/** Mean absolute error mean(|pred - truth|). NaN for empty input. @throws ShapeError on a length mismatch. */
export function mae(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  sameLength(pred, truth, 'mae');
  let s = 0;
  for (let k = 0; k < pred.length; k++) s += Math.abs(pred[k]! - truth[k]!);
  return pred.length > 0 ? s / pred.length : NaN;
}

/** All four ranking metrics at once (one pass), and the number of users they average over. */
export interface RankingMetrics {
  /** Mean precision@k, in [0, 1] (NaN when no user has relevant items). */
  readonly precision: number;
  /** Mean recall@k, in [0, 1] (NaN when no user has relevant items). */
  readonly recall: number;
  /** Mean NDCG@k, in [0, 1] (NaN when no user has relevant items). */
  readonly ndcg: number;
  /** MAP@k, in [0, 1] (NaN when no user has relevant items). */
  readonly map: number;
  /** Users with at least one relevant item (the denominators). */
  readonly users: number;
}

/**
 * precision@k, recall@k, NDCG@k and MAP@k averaged over users with relevant items
 * (see the module comment for the formulas). O(sum of list lengths + sum |R| log |R|).
 * @param recommended - per user, ranked item indices (best first, no repeats); missing entries count as empty lists.
 * @param relevant - per user, the relevant items; same length as `recommended`.
 * @param k - cutoff, an integer >= 1.
 */
export function rankingMetrics(
  recommended: readonly (ArrayLike<number> | undefined)[], relevant: readonly (Relevance | undefined)[], k: number,
): RankingMetrics {
  checkK(k);
  if (recommended.length !== relevant.length) {
    throw new ShapeError(`ranking metrics: ${recommended.length} recommendation lists but ${relevant.length} relevance sets (one of each per user)`);
  }
  let users = 0;
  let precision = 0;
  let recall = 0;
  let ndcg = 0;
  let map = 0;
  for (let u = 0; u < relevant.length; u++) {
    const rel = relevant[u];
    if (rel === undefined) continue;
    const has = asLookup(rel);
    if (has.size === 0) continue;
    users++;
    const list = recommended[u] ?? [];
    const top = Math.min(k, list.length);
    let hits = 0;
    let dcg = 0;
    let ap = 0;
    for (let j = 0; j < top; j++) {
      const g = has.gain(list[j]!);
      if (g === undefined) continue;
      hits++;
      dcg += g / Math.log2(j + 2);
      ap += hits / (j + 1);
    }
    precision += hits / k;
    recall += hits / has.size;
    map += ap / Math.min(k, has.size);
    const idcg = idealDcg(has.gains(), k);
    ndcg += idcg > 0 ? dcg / idcg : 0;
  }
  if (users === 0) return { precision: NaN, recall: NaN, ndcg: NaN, map: NaN, users };
  return { precision: precision / users, recall: recall / users, ndcg: ndcg / users, map: map / users, users };
}

/** Mean precision@k = |top-k ∩ relevant| / k over users with relevant items. */
export function precisionAtK(recommended: readonly (ArrayLike<number> | undefined)[], relevant: readonly (Relevance | undefined)[], k: number): number {
  return rankingMetrics(recommended, relevant, k).precision;
}

/** Mean recall@k = |top-k ∩ relevant| / |relevant| over users with relevant items. */
export function recallAtK(recommended: readonly (ArrayLike<number> | undefined)[], relevant: readonly (Relevance | undefined)[], k: number): number {
  return rankingMetrics(recommended, relevant, k).recall;
}

/** Mean NDCG@k (log2 discount; binary gain, or graded with Map relevance) over users with relevant items. */
export function ndcgAtK(recommended: readonly (ArrayLike<number> | undefined)[], relevant: readonly (Relevance | undefined)[], k: number): number {
  return rankingMetrics(recommended, relevant, k).ndcg;
}

/** MAP@k: mean over users with relevant items of AP@k, normalized by min(k, |relevant|). */
export function mapAtK(recommended: readonly (ArrayLike<number> | undefined)[], relevant: readonly (Relevance | undefined)[], k: number): number {
  return rankingMetrics(recommended, relevant, k).map;
}

/**
 * Catalog coverage: the share of the catalogue that appears in at least one top-k list,
 * |union of recommended[u].slice(0, k)| / nItems.
 * @param k - cutoff (default: whole lists).
 */
export function catalogCoverage(recommended: readonly (ArrayLike<number> | undefined)[], nItems: number, k = Infinity): number {
  if (!(Number.isSafeInteger(nItems) && nItems >= 1)) throw new InvalidArgumentError(`catalogCoverage: nItems must be a positive integer, got ${nItems}`);
  const seen = new Uint8Array(nItems);
  let distinct = 0;
  for (const list of recommended) {
    if (!list) continue;
    const top = Math.min(k, list.length);
    for (let j = 0; j < top; j++) {
      const i = list[j]!;
      if (!(Number.isInteger(i) && i >= 0 && i < nItems)) throw new InvalidArgumentError(`catalogCoverage: item index ${i} outside 0..${nItems - 1}`);
      if (seen[i] === 0) {
        seen[i] = 1;
        distinct++;
      }
    }
  }
  return distinct / nItems;
}

/** Options of {@link relevantItems}. */
export interface RelevanceOptions {
  /**
   * A rating is relevant when >= threshold. A number, or 'user-mean' (>= the user's own mean
   * test rating, for users who rate everything high). Default: min + 0.75 (max - min) of the
   * test ratings, which is 4 on a 1–5 scale.
   */
  threshold?: number | 'user-mean';
  /** Return Map item -> rating (graded gains for NDCG) instead of Sets (default false). */
  graded?: boolean;
}

/**
 * Relevant test items per user index (length test.nUsers; users without relevant items get
 * an empty Set/Map). Pairs with recommendation lists indexed by the same ID space.
 */
export function relevantItems(test: Ratings, options: RelevanceOptions = {}): (Set<number> | Map<number, number>)[] {
  const nUsers = test.nUsers;
  let fixed: number | undefined;
  let userMean: Float64Array | undefined;
  if (options.threshold === 'user-mean') {
    userMean = new Float64Array(nUsers);
    const cnt = new Float64Array(nUsers);
    for (let r = 0; r < test.size; r++) {
      const u = test.users[r]!;
      userMean[u] = userMean[u]! + test.values[r]!;
      cnt[u] = cnt[u]! + 1;
    }
    for (let u = 0; u < nUsers; u++) if (cnt[u]! > 0) userMean[u] = userMean[u]! / cnt[u]!;
  } else if (options.threshold !== undefined) {
    if (typeof options.threshold !== 'number' || Number.isNaN(options.threshold)) {
      throw new InvalidArgumentError(`relevantItems: threshold must be a number or 'user-mean', got ${String(options.threshold)}`);
    }
    fixed = options.threshold;
  } else {
    let lo = Infinity;
    let hi = -Infinity;
    for (let r = 0; r < test.size; r++) {
      const v = test.values[r]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    fixed = lo + 0.75 * (hi - lo);
  }
  const out: (Set<number> | Map<number, number>)[] = [];
  for (let u = 0; u < nUsers; u++) out.push(options.graded ? new Map<number, number>() : new Set<number>());
  for (let r = 0; r < test.size; r++) {
    const u = test.users[r]!;
    const v = test.values[r]!;
    if (v >= (fixed ?? userMean![u]!)) {
      const s = out[u]!;
      if (s instanceof Map) s.set(test.items[r]!, v);
      else s.add(test.items[r]!);
    }
  }
  return out;
}

interface Lookup {
  readonly size: number;
  gain(item: number): number | undefined;
  gains(): number[];
}

function asLookup(rel: Relevance): Lookup {
  if (rel instanceof Map) {
    const m = rel as ReadonlyMap<number, number>;
    return { size: m.size, gain: (i) => m.get(i), gains: () => [...m.values()] };
  }
  const set: ReadonlySet<number> = rel instanceof Set ? (rel as ReadonlySet<number>) : new Set(Array.from(rel as ArrayLike<number>));
  return { size: set.size, gain: (i) => (set.has(i) ? 1 : undefined), gains: () => new Array<number>(set.size).fill(1) };
}

function idealDcg(gains: number[], k: number): number {
  gains.sort((a, b) => b - a);
  let s = 0;
  const top = Math.min(k, gains.length);
  for (let j = 0; j < top; j++) s += gains[j]! / Math.log2(j + 2);
  return s;
}

function checkK(k: number): void {
  if (!(Number.isSafeInteger(k) && k >= 1)) throw new InvalidArgumentError(`ranking metrics: k must be an integer >= 1, got ${k}`);
}

function sameLength(a: ArrayLike<number>, b: ArrayLike<number>, who: string): void {
  if (a.length !== b.length) throw new ShapeError(`${who}: ${a.length} predictions but ${b.length} true ratings`);
}
