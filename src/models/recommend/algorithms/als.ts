/**
 * Explicit alternating least squares with weighted-lambda regularization (ALS-WR; Zhou,
 * Wilkinson, Schreiber & Pan 2008, "Large-scale parallel collaborative filtering for the
 * Netflix prize"). Minimizes over the observed ratings
 *
 *     sum (r_ui - mu - b_u - b_i - p_u . q_i)^2 + lambda (sum_u n_u (|p_u|^2 + b_u^2) + sum_i n_i (|q_i|^2 + b_i^2))
 *
 * by solving, in turn, for every user with the items fixed and for every item with the users
 * fixed: each is a small (f+1) x (f+1) ridge system (Z^T Z + lambda n I) x = Z^T t, so each
 * half-step minimizes the objective exactly over its block and the objective never increases.
 *
 * Differences from the paper, documented: ratings are centred by the global mean mu, and by
 * default a user and an item bias are learned as an extra factor paired with a constant 1
 * (`biased: false` gives plain ALS-WR on the centred ratings). Zhou et al. penalize with
 * lambda n_u too, which makes lambda insensitive to how many ratings a user has.
 *
 * Cost per iteration: sum over users and items of n f^2 / 2 multiply-adds (the Grams) plus
 * (nUsers + nItems) f^3 / 6 (Cholesky), all in one WASM SIMD kernel call per half-step
 * (assembly/als.ts: the Gram in f32x4 register tiles, two rows' f64 Cholesky factorizations
 * at once, one per f64x2 lane; src/kernels/als.ts) with a TypeScript fallback. On a catalogue
 * of rarely rated items the Cholesky term dominates (every item with a rating pays f^3 / 6).
 * MovieLens-1M size (900k ratings), f = 50: about 0.75 s per iteration on one thread;
 * MovieLens ml-latest-small (80k training ratings, 9066 items), 15 iterations: about 1 s
 * (bench/recommend-als.ts). The rows of a half-step are independent and the kernel takes a
 * row range, so `threads` > 1 splits them over the worker pool.
 */
import { ConvergenceError, InvalidArgumentError } from '../../../errors.js';
import { allFinite, runSteps, runStepsAsync, type FitSteps } from '../../../fit-async.js';
import { AlsWasm } from '../../../kernels/als.js';
import { getThreads } from '../../../kernels/index.js';
import { bool, num, opt, resolveOptions, tableFor } from '../../../options.js';
import type { LongTaskOptions } from '../../../progress.js';
import { rng } from '../../../random.js';
import { AlsScratch, solveExplicitRow } from '../../../kernels/als-row-solve.js';
import { ALS_ITERATIONS, ALS_RUN, alsFactorCount, type RecommenderEstimator } from './estimator.js';
import { LatentFactorModel, ratingScaleOf, seenItemsOf } from '../model/latent-factor-model.js';
import type { Ratings } from '../data/ratings.js';

/** Options of {@link ALS}. */
export interface AlsOptions {
  /**
   * Latent factors f, in [1, 4096] (default 50: on MovieLens-sized data accuracy stops
   * improving well before 100 once lambda is tuned, and the cost grows as f^2; Spark's default is 10).
   */
  factors?: number;
  /** Alternations (one user half-step plus one item half-step each), in [0, 1e6] (default 15). */
  iterations?: number;
  /** lambda, multiplied by each row's number of ratings, >= 0 (default 0.05). */
  reg?: number;
  /** Learn user and item biases (default true). */
  biased?: boolean;
  /** Standard deviation of the initial item factors, N(0, initStd^2), >= 0 (default 0.1). */
  initStd?: number;
  /** Seed of the initial item factors, an integer in [0, 2^32 - 1] (default 0). */
  seed?: number;
  /**
   * Threads for the half-steps, in [1, 256] (default: the library's thread count, see
   * setThreads). Rows are solved independently, so the result does not depend on it.
   */
  threads?: number;
}

/** Resolved {@link AlsOptions}. */
export interface ResolvedAlsOptions {
  /** Latent factors f. */
  readonly factors: number;
  /** Alternations (one user half-step plus one item half-step each). */
  readonly iterations: number;
  /** lambda, multiplied by each row's number of ratings. */
  readonly reg: number;
  /** Whether user and item biases are learned. */
  readonly biased: boolean;
  /** Standard deviation of the initial item factors. */
  readonly initStd: number;
  /** Seed of the initial item factors. */
  readonly seed: number;
  /** Threads for the half-steps; undefined: the library's thread count at fit time. */
  readonly threads: number | undefined;
}

/** The rule and default of each {@link AlsOptions} field, in the order of the resolved options. */
const ALS_OPTIONS = tableFor<AlsOptions>()({
  /** Latent factors f, in [1, 4096] (default 50). */
  factors: opt(alsFactorCount, 50),
  ...ALS_ITERATIONS,
  /** lambda, multiplied by each row's number of ratings, >= 0 (default 0.05). */
  reg: opt(num(0), 0.05),
  /** Learn user and item biases (default true). */
  biased: opt(bool, true),
  /** Standard deviation of the initial item factors, >= 0 (default 0.1). */
  initStd: opt(num(0), 0.1),
  ...ALS_RUN,
});

/**
 * ALS-WR estimator for explicit ratings.
 * @example
 * const model = new ALS({ factors: 50, iterations: 15 }).fit(train, { onProgress: (p) => console.log(p) });
 * model.predict('196', '242');
 */
export class ALS implements RecommenderEstimator {
  readonly algorithm = 'als' as const;
  readonly options: ResolvedAlsOptions;

  /** @throws InvalidArgumentError naming the first bad or unknown option. */
  constructor(options: AlsOptions = {}) {
    this.options = resolveOptions('ALS', ALS_OPTIONS, options);
  }

  /**
   * Fit on `train`. Reports `{ stage: 'epoch', done, total, metrics: { trainRmse, objective } }`
   * after each iteration and checks `signal` between half-steps.
   * @throws InvalidArgumentError on an empty table; AbortedError when aborted;
   *   ConvergenceError when a factor or bias becomes NaN/Infinity (checked after each
   *   iteration by one pass over the factors): raise `reg`.
   */
  fit(train: Ratings, options: LongTaskOptions = {}): LatentFactorModel {
    return runSteps(this.steps(train, options), options.signal, 'ALS.fit');
  }

  /**
   * {@link ALS.fit} with a turn of the event loop between half-steps (see runStepsAsync in
   * fit-async.ts): the same model bit for bit and the same progress reports, abortable by a
   * timer or a button within about one half-step. The set-up (the user and item CSR copies)
   * runs as one block before the first half-step.
   * @throws (rejects with) the errors of {@link ALS.fit}.
   */
  fitAsync(train: Ratings, options: LongTaskOptions = {}): Promise<LatentFactorModel> {
    return runStepsAsync(this.steps(train, options), options.signal, 'ALS.fitAsync');
  }

  // The training loop of fit and fitAsync; yields before the first and after each half-step.
  private *steps(train: Ratings, options: LongTaskOptions): FitSteps<LatentFactorModel> {
    const { onProgress } = options;
    const { factors: f, iterations, reg, biased, initStd, seed } = this.options;
    const threads = this.options.threads ?? getThreads();
    if (train.size === 0) throw new InvalidArgumentError('ALS.fit: the training table has no ratings');
    yield;
    const nu = train.nUsers;
    const ni = train.nItems;
    let sum = 0;
    for (const v of train.values) sum += v;
    const mu = sum / train.size;
    const byUser = train.byUser();
    const byItem = train.byItem();
    const n = f + (biased ? 1 : 0);
    // WASM: everything in WebAssembly memory, one kernel call per half-step; else the TS row solver.
    const wasm = AlsWasm.create(byUser, byItem, f, n);
    const P = wasm ? wasm.P : new Float32Array(nu * f);
    const Q = wasm ? wasm.Q : new Float32Array(ni * f);
    const bu = wasm ? wasm.bu : new Float32Array(nu);
    const bi = wasm ? wasm.bi : new Float32Array(ni);
    const r = rng(seed);
    for (let k = 0; k < Q.length; k++) Q[k] = initStd * r.nextNormal();
    const scratch = wasm ? undefined : new AlsScratch(n);
    let out: { P: Float32Array; Q: Float32Array; bu: Float32Array; bi: Float32Array };
    try {
      for (let it = 0; it < iterations; it++) {
        if (wasm) wasm.explicit('users', mu, reg, threads);
        else halfStep(byUser.indptr, byUser.indices, byUser.values, nu, Q, bi, P, bu, f, mu, reg, biased, scratch!);
        yield;
        if (wasm) wasm.explicit('items', mu, reg, threads);
        else halfStep(byItem.indptr, byItem.indices, byItem.values, ni, P, bu, Q, bi, f, mu, reg, biased, scratch!);
        // One pass over the factors, O((users + items) f), against an iteration's O(ratings f^2).
        if (!(allFinite(P) && allFinite(Q) && allFinite(bu) && allFinite(bi))) {
          throw new ConvergenceError(
            `ALS: the factors became NaN/Infinity in iteration ${it + 1} of ${iterations}; ` +
            `raise the regularization (reg is ${reg}; try ${reg > 0 ? reg * 10 : 0.05})`,
          );
        }
        yield;
        if (onProgress) {
          const { sse, penalty } = alsObjectiveParts(byUser.indptr, byUser.indices, byUser.values, byItem.indptr, P, Q, bu, bi, f, mu);
          onProgress({
            stage: 'epoch', done: it + 1, total: iterations,
            metrics: { trainRmse: Math.sqrt(sse / train.size), objective: sse + reg * penalty },
          });
        }
      }
      // Copy out of WASM memory before it is released (plain arrays otherwise: no copy).
      out = wasm ? { P: P.slice(), Q: Q.slice(), bu: bu.slice(), bi: bi.slice() } : { P, Q, bu, bi };
    } finally {
      scratch?.dispose();
      wasm?.release();
    }
    return new LatentFactorModel({
      algorithm: 'als',
      kind: 'explicit',
      ids: train.ids,
      factors: f,
      globalMean: mu,
      userBias: out.bu,
      itemBias: out.bi,
      userFactors: out.P,
      itemFactors: out.Q,
      ratingScale: ratingScaleOf(train),
      ...seenItemsOf(train),
      hyperparameters: { ...this.options, threads },
    });
  }
}

// Solve every row of one side (users or items) with the other side fixed. Rows without
// ratings get zero factors and bias (they are cold-start rows of a shared ID space).
function halfStep(
  indptr: Int32Array, indices: Int32Array, values: Float32Array, rows: number,
  fixed: Float32Array, fixedBias: Float32Array, out: Float32Array, outBias: Float32Array,
  f: number, mu: number, reg: number, biased: boolean, s: AlsScratch,
): void {
  for (let row = 0; row < rows; row++) {
    const start = indptr[row]!;
    const end = indptr[row + 1]!;
    if (start === end) {
      out.fill(0, row * f, row * f + f);
      outBias[row] = 0;
      continue;
    }
    outBias[row] = solveExplicitRow(fixed, fixedBias, f, indices, values, start, end, mu, reg, biased, s, out, row * f);
  }
}

/**
 * The two parts of the ALS-WR objective: the squared error over the ratings, and the
 * count-weighted penalty sum_u n_u (|p_u|^2 + b_u^2) + sum_i n_i (|q_i|^2 + b_i^2) (multiply by
 * lambda). O(ratings * f).
 */
export function alsObjectiveParts(
  userIndptr: Int32Array, userItems: Int32Array, userValues: Float32Array, itemIndptr: Int32Array,
  P: Float32Array, Q: Float32Array, bu: Float32Array, bi: Float32Array, f: number, mu: number,
): { sse: number; penalty: number } {
  let sse = 0;
  let penalty = 0;
  const nu = bu.length;
  for (let u = 0; u < nu; u++) {
    const start = userIndptr[u]!;
    const end = userIndptr[u + 1]!;
    if (start === end) continue;
    const pu = u * f;
    let norm = bu[u]! * bu[u]!;
    for (let a = 0; a < f; a++) norm += P[pu + a]! * P[pu + a]!;
    penalty += (end - start) * norm;
    for (let p = start; p < end; p++) {
      const i = userItems[p]!;
      const qi = i * f;
      let d = 0;
      for (let a = 0; a < f; a++) d += P[pu + a]! * Q[qi + a]!;
      const e = userValues[p]! - mu - bu[u]! - bi[i]! - d;
      sse += e * e;
    }
  }
  for (let i = 0; i < bi.length; i++) {
    const n = itemIndptr[i + 1]! - itemIndptr[i]!;
    if (n === 0) continue;
    const qi = i * f;
    let norm = bi[i]! * bi[i]!;
    for (let a = 0; a < f; a++) norm += Q[qi + a]! * Q[qi + a]!;
    penalty += n * norm;
  }
  return { sse, penalty };
}
