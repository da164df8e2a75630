/**
 * Synthetic explicit ratings with planted low-rank structure, shaped like MovieLens: for
 * benchmarks at any scale (MovieLens-1M: 6040 x 3706, 1M ratings; Netflix Prize: 480k x
 * 17.8k, 100M ratings) and for tests that need to know the truth.
 *
 * Model (Koren, Bell & Volinsky 2009, the biased latent-factor model, used generatively):
 *
 *     r_ui = clip(round(mu + b_u + b_i + p_u . q_i + eps)),   eps ~ N(0, noise^2)
 *
 * with, for a scale [lo, hi] of width w = hi - lo: mu = lo + 0.65 w (3.6 on 1-5),
 * b_u ~ N(0, (0.1 w)^2), b_i ~ N(0, (0.125 w)^2) and p_u, q_i ~ N(0, s^2 I_rank) with
 * s = (0.15 w)^(1/2) / rank^(1/4), so that p_u . q_i has standard deviation 0.15 w (0.6 on 1-5).
 * On 1-5 with the default noise the ratings' standard deviation is about 1.0 (MovieLens-1M: 1.1).
 *
 * Who rates what:
 * - Users: every user gets min(20, floor(ratings / users), items) ratings (MovieLens keeps
 *   users with >= 20), the rest is spread by log-normal activity weights (sigma 1.1,
 *   truncated at 3 sigma), capped at the number of items.
 * - Items: with `popularity: 'zipf'` each draw picks the item of popularity rank j (1-based)
 *   with probability proportional to (j + 0.05 * items)^-1.5 (a Zipf-Mandelbrot law); ranks
 *   are assigned to item indices by a random permutation. With 'uniform' all items are
 *   equally likely.
 * - With the MovieLens-1M defaults this gives per-user counts median 101, max ~2200
 *   (MovieLens-1M: 96, 2314) and per-item counts median 120, max ~2300 (124, 3428).
 * - (user, item) pairs are distinct: a user's items are drawn from the popularity law without
 *   replacement (rejection of repeats; a heavy user whose repeats pile up completes her list
 *   with uniformly chosen unrated items).
 *
 * Cost: O(ratings * rank) time, and only the output arrays (12 bytes per rating, 20 with
 * timestamps) plus O(users + items) scratch, so 100M ratings fit in about 1.2 GiB.
 * Reproducible: the same options give the same table (on a given JS engine: the popularity
 * and activity weights use Math.pow/Math.exp, whose last bit may differ between engines).
 */
import { InvalidArgumentError } from '../../../errors.js';
import { rng, type Rng } from '../../../random.js';
import { sequentialIdSpace } from './id-space.js';
import { Ratings } from './ratings.js';

/** Options of {@link syntheticRatings}. */
export interface SyntheticRatingsOptions {
  /** Number of users (default 6040, MovieLens-1M). IDs are '1'..'users'. */
  users?: number;
  /** Number of items (default 3706). IDs are '1'..'items'. */
  items?: number;
  /** Number of ratings, at most users * items (default 1,000,000). */
  ratings?: number;
  /** Rank of the planted interaction p_u . q_i (default 10; 0 = biases only). */
  rank?: number;
  /** Standard deviation of the additive Gaussian noise, in rating units (default 0.5). */
  noise?: number;
  /** Rating scale [lo, hi] (default [1, 5]); ratings are clipped to it. */
  scale?: readonly [number, number];
  /** Seed of the generator (default 0). */
  seed?: number;
  /** Round ratings to integers (default true). */
  integer?: boolean;
  /** Item popularity law: 'zipf' (MovieLens-like skew, default) or 'uniform'. */
  popularity?: 'zipf' | 'uniform';
  /** Output order: 'shuffled' (default; SGD can iterate it directly) or 'user' (grouped by user, like MovieLens files). */
  order?: 'shuffled' | 'user';
  /** Attach timestamps (seconds, uniform over 2000-01-01 .. 2003-01-01) for time splits (default false). */
  timestamps?: boolean;
}

/** The planted parameters behind a synthetic table. Factors are row-major (user u at u * rank). */
export interface PlantedTruth {
  /** mu, the global mean rating: lo + 0.65 (hi - lo). */
  readonly globalMean: number;
  /** b_u of each user. */
  readonly userBias: Float32Array;
  /** b_i of each item. */
  readonly itemBias: Float32Array;
  /** p_u of each user, users x rank, row-major. */
  readonly userFactors: Float32Array;
  /** q_i of each item, items x rank, row-major. */
  readonly itemFactors: Float32Array;
  /** Rank of the planted interaction (0: biases only). */
  readonly rank: number;
  /** Noise standard deviation: the RMSE floor of any model on unrounded ratings. */
  readonly noise: number;
}

/**
 * A MovieLens-shaped synthetic ratings table with planted biases and low-rank structure.
 * See the module comment for the model and the sampling.
 * @example
 * const r = syntheticRatings({ users: 1000, items: 500, ratings: 50_000, seed: 1 });
 * @throws InvalidArgumentError on a non-positive size, more ratings than user-item pairs, or a bad scale.
 */
export function syntheticRatings(options: SyntheticRatingsOptions = {}): Ratings {
  return plantedRatings(options).ratings;
}

/** {@link syntheticRatings} together with the planted parameters (for tests that compare a fit with the truth). */
export function plantedRatings(options: SyntheticRatingsOptions = {}): { ratings: Ratings; truth: PlantedTruth } {
  const nUsers = options.users ?? 6040;
  const nItems = options.items ?? 3706;
  const nRatings = options.ratings ?? 1_000_000;
  const rank = options.rank ?? 10;
  const noise = options.noise ?? 0.5;
  const [lo, hi] = options.scale ?? [1, 5];
  const integer = options.integer ?? true;
  const popularity = options.popularity ?? 'zipf';
  const order = options.order ?? 'shuffled';
  const seed = options.seed ?? 0;
  const positiveInt = (v: number, name: string): void => {
    if (!(Number.isSafeInteger(v) && v >= 1 && v <= 2 ** 31 - 1)) throw new InvalidArgumentError(`syntheticRatings: ${name} must be a positive integer below 2^31, got ${v}`);
  };
  positiveInt(nUsers, 'users');
  positiveInt(nItems, 'items');
  positiveInt(nRatings, 'ratings');
  if (nRatings > nUsers * nItems) throw new InvalidArgumentError(`syntheticRatings: ${nRatings} ratings do not fit in ${nUsers} users x ${nItems} items (distinct pairs)`);
  if (!(Number.isInteger(rank) && rank >= 0 && rank <= 1024)) throw new InvalidArgumentError(`syntheticRatings: rank must be an integer in 0..1024, got ${rank}`);
  if (!(Number.isFinite(noise) && noise >= 0)) throw new InvalidArgumentError(`syntheticRatings: noise must be a finite number >= 0, got ${noise}`);
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) throw new InvalidArgumentError(`syntheticRatings: scale must be [lo, hi] with lo < hi, got [${lo}, ${hi}]`);
  if (popularity !== 'zipf' && popularity !== 'uniform') throw new InvalidArgumentError(`syntheticRatings: popularity must be 'zipf' or 'uniform', got '${String(popularity)}'`);
  if (order !== 'shuffled' && order !== 'user') throw new InvalidArgumentError(`syntheticRatings: order must be 'shuffled' or 'user', got '${String(order)}'`);
  if (!Number.isFinite(seed)) throw new InvalidArgumentError(`syntheticRatings: seed must be a finite number, got ${seed}`);

  const r = rng(seed);
  const w = hi - lo;
  const truth = plantParameters(r, nUsers, nItems, rank, lo + 0.65 * w, w, noise);
  const counts = userCounts(r, nUsers, nItems, nRatings);

  const users = new Int32Array(nRatings);
  const items = new Int32Array(nRatings);
  const values = new Float32Array(nRatings);
  drawItems(r, counts, nItems, popularity, users, items);

  const { globalMean: mu, userBias: bu, itemBias: bi, userFactors: P, itemFactors: Q } = truth;
  for (let k = 0; k < nRatings; k++) {
    const u = users[k]!;
    const i = items[k]!;
    let x = mu + bu[u]! + bi[i]!;
    const pu = u * rank;
    const qi = i * rank;
    for (let f = 0; f < rank; f++) x += P[pu + f]! * Q[qi + f]!;
    if (noise > 0) x += noise * r.nextNormal();
    if (integer) x = Math.round(x);
    values[k] = x < lo ? lo : x > hi ? hi : x;
  }

  let timestamps: Float64Array | undefined;
  if (options.timestamps) {
    timestamps = new Float64Array(nRatings);
    const t0 = 946684800; // 2000-01-01T00:00:00Z
    const span = 3 * 365 * 86400;
    for (let k = 0; k < nRatings; k++) timestamps[k] = t0 + r.nextInt(span);
  }
  if (order === 'shuffled') shuffleTogether(r, users, items, values, timestamps);
  const ratings = new Ratings(sequentialIdSpace(nUsers, nItems, 1), users, items, values, timestamps);
  return { ratings, truth };
}

function plantParameters(r: Rng, nUsers: number, nItems: number, rank: number, mu: number, w: number, noise: number): PlantedTruth {
  const userBias = new Float32Array(nUsers);
  const itemBias = new Float32Array(nItems);
  for (let u = 0; u < nUsers; u++) userBias[u] = 0.1 * w * r.nextNormal();
  for (let i = 0; i < nItems; i++) itemBias[i] = 0.125 * w * r.nextNormal();
  // Entries N(0, s^2) give p.q a variance of rank * s^4; choose s for a std of 0.15 w.
  const s = rank > 0 ? Math.sqrt(0.15 * w) / Math.sqrt(Math.sqrt(rank)) : 0;
  const userFactors = new Float32Array(nUsers * rank);
  const itemFactors = new Float32Array(nItems * rank);
  for (let k = 0; k < userFactors.length; k++) userFactors[k] = s * r.nextNormal();
  for (let k = 0; k < itemFactors.length; k++) itemFactors[k] = s * r.nextNormal();
  return { globalMean: mu, userBias, itemBias, userFactors, itemFactors, rank, noise };
}

// Ratings per user: a floor of min(20, N / users, items) each, the rest by log-normal
// activity weights, capped at `items` with the overflow handed to the uncapped users.
function userCounts(r: Rng, nUsers: number, nItems: number, nRatings: number): Int32Array {
  const floor = Math.min(20, Math.floor(nRatings / nUsers), nItems);
  const counts = new Int32Array(nUsers).fill(floor);
  let rest = nRatings - floor * nUsers;
  if (rest === 0) return counts;
  const weight = new Float64Array(nUsers);
  for (let u = 0; u < nUsers; u++) {
    // Truncated at 3 sigma: MovieLens-1M's heaviest user rated 62% of the catalogue, not all of it.
    const z = r.nextNormal();
    weight[u] = Math.exp(1.1 * (z > 3 ? 3 : z < -3 ? -3 : z));
  }
  // Each pass gives every uncapped user floor(rest * share) more (capped); a final pass adds
  // the few leftover ratings one at a time, in a random rotation, to users with room.
  for (let pass = 0; pass < 64 && rest > nUsers; pass++) {
    let total = 0;
    for (let u = 0; u < nUsers; u++) if (counts[u]! < nItems) total += weight[u]!;
    if (total === 0) break;
    let given = 0;
    const scale = rest / total;
    for (let u = 0; u < nUsers; u++) {
      const c = counts[u]!;
      if (c >= nItems) continue;
      const add = Math.min(Math.floor(weight[u]! * scale), nItems - c);
      counts[u] = c + add;
      given += add;
    }
    rest -= given;
    if (given === 0) break;
  }
  let u = r.nextInt(nUsers);
  while (rest > 0) {
    if (counts[u]! < nItems) {
      counts[u] = counts[u]! + 1;
      rest--;
    }
    u = u + 1 === nUsers ? 0 : u + 1;
  }
  return counts;
}

// Vose's alias method: O(items) setup, O(1) per draw.
function aliasTable(weights: Float64Array): { prob: Float64Array; alias: Int32Array } {
  const n = weights.length;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += weights[k]!;
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const small = new Int32Array(n);
  const large = new Int32Array(n);
  let ns = 0;
  let nl = 0;
  for (let k = 0; k < n; k++) {
    prob[k] = (weights[k]! * n) / sum;
    if (prob[k]! < 1) small[ns++] = k;
    else large[nl++] = k;
  }
  while (ns > 0 && nl > 0) {
    const s = small[--ns]!;
    const l = large[nl - 1]!;
    alias[s] = l;
    prob[l] = prob[l]! + prob[s]! - 1;
    if (prob[l]! < 1) {
      nl--;
      small[ns++] = l;
    }
  }
  while (nl > 0) prob[large[--nl]!] = 1;
  while (ns > 0) prob[small[--ns]!] = 1;
  return { prob, alias };
}

function drawItems(r: Rng, counts: Int32Array, nItems: number, popularity: 'zipf' | 'uniform', users: Int32Array, items: Int32Array): void {
  // Popularity rank -> item index by a random permutation, so index order says nothing.
  const perm = new Int32Array(nItems);
  for (let k = 0; k < nItems; k++) perm[k] = k;
  for (let k = nItems - 1; k > 0; k--) {
    const j = r.nextInt(k + 1);
    const t = perm[k]!;
    perm[k] = perm[j]!;
    perm[j] = t;
  }
  const weights = new Float64Array(nItems);
  const offset = 0.05 * nItems;
  for (let j = 0; j < nItems; j++) weights[perm[j]!] = popularity === 'zipf' ? 1 / ((j + 1 + offset) * Math.sqrt(j + 1 + offset)) : 1;
  const { prob, alias } = aliasTable(weights);
  const mark = new Int32Array(nItems).fill(-1); // mark[i] === u: user u already has item i
  let pos = 0;
  for (let u = 0; u < counts.length; u++) {
    const c = counts[u]!;
    let got = 0;
    // Rejection of repeats; bounded so a user rating most of the catalogue cannot stall.
    let budget = 4 * c + 64;
    while (got < c && budget-- > 0) {
      const x = r.nextDouble() * nItems;
      const j = x | 0;
      const i = x - j < prob[j]! ? j : alias[j]!;
      if (mark[i] === u) continue;
      mark[i] = u;
      users[pos] = u;
      items[pos++] = i;
      got++;
    }
    while (got < c) {
      let i = r.nextInt(nItems);
      while (mark[i] === u) i = i + 1 === nItems ? 0 : i + 1;
      mark[i] = u;
      users[pos] = u;
      items[pos++] = i;
      got++;
    }
  }
}

function shuffleTogether(r: Rng, a: Int32Array, b: Int32Array, c: Float32Array, d: Float64Array | undefined): void {
  for (let k = a.length - 1; k > 0; k--) {
    const j = r.nextInt(k + 1);
    let t = a[k]!;
    a[k] = a[j]!;
    a[j] = t;
    t = b[k]!;
    b[k] = b[j]!;
    b[j] = t;
    const x = c[k]!;
    c[k] = c[j]!;
    c[j] = x;
    if (d) {
      const y = d[k]!;
      d[k] = d[j]!;
      d[j] = y;
    }
  }
}
