/**
 * Alternating least squares for implicit feedback (Hu, Koren & Volinsky 2008, "Collaborative
 * filtering for implicit feedback datasets"). Every (user, item) pair is an observation: the
 * preference p_ui is 1 when the user interacted with the item (value r_ui > 0) and 0
 * otherwise, weighted by the confidence c_ui = 1 + alpha r_ui (1 for unobserved pairs):
 *
 *     min sum_{u,i} c_ui (p_ui - x_u . y_i)^2 + lambda (sum_u |x_u|^2 + sum_i |y_i|^2).
 *
 * Each half-step solves (Y^T Y + Y_u^T (C_u - I) Y_u + lambda I) x_u = Y_u^T C_u p_u for every
 * user (then the same for items), where Y^T Y is computed once per half-step, so a user
 * costs O(n_u f^2 + f^3) with `solver: 'cholesky'` (the paper), or O(cgSteps (f^2 + n_u f))
 * with `solver: 'cg'` (default): a few conjugate-gradient steps warm-started from the current
 * factors (Takacs, Pilaszy & Tikk 2011, "Applications of the conjugate gradient method for
 * implicit feedback collaborative filtering"; as the `implicit` library's default solver).
 *
 * Values must be >= 0 (counts, play time, or ratings used as strength). The defaults follow
 * Hu et al. (alpha 40 on raw counts) and `implicit` (100 factors, lambda 0.01, 15
 * iterations); with values already scaled to about 1 per interaction use alpha near 1-10.
 * Predictions are preference scores x_u . y_i (kind 'implicit'): not clipped, no biases.
 */
import { ConvergenceError, InvalidArgumentError } from '../../../errors.js';
import { allFinite, runSteps, runStepsAsync, type FitSteps } from '../../../fit-async.js';
import { AlsWasm } from '../../../kernels/als.js';
import { getThreads } from '../../../kernels/index.js';
import { bool, int, num, oneOf, opt, resolveOptions, tableFor } from '../../../options.js';
import type { LongTaskOptions } from '../../../progress.js';
import { rng } from '../../../random.js';
import { AlsScratch, gramPlusRidge, solveImplicitRowCg, solveImplicitRowCholesky } from '../../../kernels/als-row-solve.js';
import { ALS_ITERATIONS, ALS_RUN, alsFactorCount, type RecommenderEstimator } from './estimator.js';
import { LatentFactorModel, ratingScaleOf, seenItemsOf } from '../model/latent-factor-model.js';
import type { Ratings } from '../data/ratings.js';

/** Options of {@link ImplicitALS}. */
export interface ImplicitAlsOptions {
  /** Latent factors f, in [1, 4096] (default 100). */
  factors?: number;
  /** Alternations, in [0, 1e6] (default 15). */
  iterations?: number;
  /** lambda, >= 0 (default 0.01; not scaled by counts, as in Hu et al.). */
  reg?: number;
  /** Confidence slope: c = 1 + alpha r, >= 0 (default 40, Hu et al.). */
  alpha?: number;
  /** 'cg' (default, fast, approximate per sweep) or 'cholesky' (exact per sweep). */
  solver?: 'cg' | 'cholesky';
  /** Conjugate-gradient steps per row and sweep, in [1, 1000] (default 3). */
  cgSteps?: number;
  /** Standard deviation of the initial factors, N(0, initStd^2), >= 0 (default 0.01). */
  initStd?: number;
  /** Seed of the initial factors, an integer in [0, 2^32 - 1] (default 0). */
  seed?: number;
  /** Compute the loss after each iteration for progress reports (default true; O(ratings f + users f^2)). */
  computeLoss?: boolean;
  /**
   * Threads for the half-steps, in [1, 256] (default: the library's thread count, see
   * setThreads). Rows are solved independently, so the result does not depend on it.
   */
  threads?: number;
}

/** Resolved {@link ImplicitAlsOptions}. */
export interface ResolvedImplicitAlsOptions {
  /** Latent factors f. */
  readonly factors: number;
  /** Alternations. */
  readonly iterations: number;
  /** Ridge penalty lambda. */
  readonly reg: number;
  /** Confidence slope: c = 1 + alpha r. */
  readonly alpha: number;
  /** 'cg' (approximate per sweep) or 'cholesky' (exact per sweep). */
  readonly solver: 'cg' | 'cholesky';
  /** Conjugate-gradient steps per row and sweep. */
  readonly cgSteps: number;
  /** Standard deviation of the initial factors. */
  readonly initStd: number;
  /** Seed of the initial factors. */
  readonly seed: number;
  /** Whether the loss is computed after each iteration for progress reports. */
  readonly computeLoss: boolean;
  /** Threads for the half-steps; undefined: the library's thread count at fit time. */
  readonly threads: number | undefined;
}

/** The rule and default of each {@link ImplicitAlsOptions} field, in the order of the resolved options. */
const IMPLICIT_ALS_OPTIONS = tableFor<ImplicitAlsOptions>()({
  /** Latent factors f, in [1, 4096] (default 100). */
  factors: opt(alsFactorCount, 100),
  ...ALS_ITERATIONS,
  /** lambda, >= 0 (default 0.01). */
  reg: opt(num(0), 0.01),
  /** Confidence slope alpha, >= 0 (default 40). */
  alpha: opt(num(0), 40),
  /** 'cg' (default) or 'cholesky'. */
  solver: opt(oneOf(['cg', 'cholesky']), 'cg'),
  /** Conjugate-gradient steps per row and sweep, in [1, 1000] (default 3). */
  cgSteps: opt(int(1, 1000), 3),
  /** Standard deviation of the initial factors, >= 0 (default 0.01). */
  initStd: opt(num(0), 0.01),
  ...ALS_RUN,
  /** Compute the loss after each iteration for progress reports (default true). */
  computeLoss: opt(bool, true),
});

/**
 * Implicit-feedback ALS estimator (Hu, Koren & Volinsky 2008).
 * @example
 * const model = new ImplicitALS({ factors: 64, alpha: 20 }).fit(plays);
 * model.recommend('user42', { n: 10 });
 */
export class ImplicitALS implements RecommenderEstimator {
  readonly algorithm = 'implicit-als' as const;
  readonly options: ResolvedImplicitAlsOptions;

  /** @throws InvalidArgumentError naming the first bad or unknown option. */
  constructor(options: ImplicitAlsOptions = {}) {
    this.options = resolveOptions('ImplicitALS', IMPLICIT_ALS_OPTIONS, options);
  }

  /**
   * Fit on `train` (values = interaction strengths >= 0). Reports
   * `{ stage: 'epoch', done, total, metrics: { loss } }` after each iteration (loss per
   * user-item pair, when computeLoss) and checks `signal` between half-steps.
   * @throws InvalidArgumentError on an empty table or a negative value; AbortedError when
   *   aborted; ConvergenceError when a factor becomes NaN/Infinity (checked after each
   *   iteration by one pass over the factors): raise `reg` or lower `alpha`.
   */
  fit(train: Ratings, options: LongTaskOptions = {}): LatentFactorModel {
    return runSteps(this.steps(train, options), options.signal, 'ImplicitALS.fit');
  }

  /**
   * {@link ImplicitALS.fit} with a turn of the event loop between half-steps (see
   * runStepsAsync in fit-async.ts): the same model bit for bit and the same progress
   * reports, abortable by a timer or a button within about one half-step. The set-up (the
   * value check, the user and item CSR copies) runs as one block before the first half-step.
   * @throws (rejects with) the errors of {@link ImplicitALS.fit}.
   */
  fitAsync(train: Ratings, options: LongTaskOptions = {}): Promise<LatentFactorModel> {
    return runStepsAsync(this.steps(train, options), options.signal, 'ImplicitALS.fitAsync');
  }

  // The training loop of fit and fitAsync; yields before the first and after each half-step.
  private *steps(train: Ratings, options: LongTaskOptions): FitSteps<LatentFactorModel> {
    const { onProgress } = options;
    const { factors: f, iterations, reg, alpha, solver, cgSteps, initStd, seed, computeLoss } = this.options;
    const threads = this.options.threads ?? getThreads();
    if (train.size === 0) throw new InvalidArgumentError('ImplicitALS.fit: the training table has no interactions');
    for (let k = 0; k < train.size; k++) {
      const v = train.values[k]!;
      if (!(v >= 0)) throw new InvalidArgumentError(`ImplicitALS.fit: interaction ${k} has value ${v}; implicit feedback must be >= 0`);
    }
    yield;
    const nu = train.nUsers;
    const ni = train.nItems;
    const byUser = train.byUser();
    const byItem = train.byItem();
    // WASM: ratings, factors and scratch in WebAssembly memory, one kernel call per half-step.
    const wasm = AlsWasm.create(byUser, byItem, f, f);
    const X = wasm ? wasm.P : new Float32Array(nu * f);
    const Y = wasm ? wasm.Q : new Float32Array(ni * f);
    const r = rng(seed);
    for (let k = 0; k < X.length; k++) X[k] = initStd * r.nextNormal();
    for (let k = 0; k < Y.length; k++) Y[k] = initStd * r.nextNormal();
    const s = new AlsScratch(f, false);
    const step = (indptr: Int32Array, idx: Int32Array, vals: Float32Array, rows: number, fixed: Float32Array, fixedRows: number, out: Float32Array): void => {
      const G = gramPlusRidge(fixed, fixedRows, f, reg);
      if (wasm) {
        wasm.implicit(out === X ? 'users' : 'items', G, alpha, solver === 'cg' ? cgSteps : 0, threads);
        return;
      }
      for (let row = 0; row < rows; row++) {
        const start = indptr[row]!;
        const end = indptr[row + 1]!;
        if (start === end) {
          out.fill(0, row * f, row * f + f);
        } else if (solver === 'cg') {
          solveImplicitRowCg(G, fixed, f, idx, vals, start, end, alpha, cgSteps, s, out, row * f);
        } else {
          solveImplicitRowCholesky(G, fixed, f, idx, vals, start, end, alpha, s, out, row * f);
        }
      }
    };
    let userFactors: Float32Array;
    let itemFactors: Float32Array;
    try {
      for (let it = 0; it < iterations; it++) {
        step(byUser.indptr, byUser.indices, byUser.values, nu, Y, ni, X);
        yield;
        step(byItem.indptr, byItem.indices, byItem.values, ni, X, nu, Y);
        // One pass over the factors, O((users + items) f), against an iteration's O(ratings f^2).
        if (!(allFinite(X) && allFinite(Y))) {
          throw new ConvergenceError(
            `ImplicitALS: the factors became NaN/Infinity in iteration ${it + 1} of ${iterations}; ` +
            `raise the regularization (reg is ${reg}; try ${reg > 0 ? reg * 10 : 0.01}) or lower alpha (${alpha})`,
          );
        }
        yield;
        if (onProgress) {
          const metrics = computeLoss ? { loss: implicitLoss(byUser.indptr, byUser.indices, byUser.values, X, Y, nu, ni, f, alpha, reg) / (nu * ni) } : undefined;
          onProgress({ stage: 'epoch', done: it + 1, total: iterations, ...(metrics ? { metrics } : {}) });
        }
      }
      // Copy out of WASM memory before it is released.
      userFactors = wasm ? X.slice() : X;
      itemFactors = wasm ? Y.slice() : Y;
    } finally {
      wasm?.release();
    }
    return new LatentFactorModel({
      algorithm: 'implicit-als',
      kind: 'implicit',
      ids: train.ids,
      factors: f,
      globalMean: 0,
      userBias: new Float32Array(nu),
      itemBias: new Float32Array(ni),
      userFactors,
      itemFactors,
      ratingScale: ratingScaleOf(train),
      ...seenItemsOf(train),
      hyperparameters: { ...this.options, threads },
    });
  }
}

/**
 * The full Hu et al. objective over all nUsers x nItems pairs without visiting them:
 * sum_u x_u^T (Y^T Y) x_u + sum_{observed} [c (1 - s)^2 - s^2] + lambda (|X|^2 + |Y|^2), with
 * s = x_u . y_i (the unobserved pairs contribute (0 - s)^2 with confidence 1, which the Y^T Y
 * term counts for every pair and the observed sum corrects). O(ratings f + users f^2).
 */
export function implicitLoss(
  indptr: Int32Array, idx: Int32Array, vals: Float32Array, X: Float32Array, Y: Float32Array,
  nu: number, ni: number, f: number, alpha: number, reg: number,
): number {
  const G = gramPlusRidge(Y, ni, f, 0);
  let loss = 0;
  let norms = 0;
  for (let u = 0; u < nu; u++) {
    const xu = u * f;
    for (let a = 0; a < f; a++) {
      let acc = 0;
      for (let b = 0; b < f; b++) acc += G[a * f + b]! * X[xu + b]!;
      loss += X[xu + a]! * acc;
      norms += X[xu + a]! * X[xu + a]!;
    }
    for (let p = indptr[u]!; p < indptr[u + 1]!; p++) {
      const yi = idx[p]! * f;
      let sc = 0;
      for (let a = 0; a < f; a++) sc += X[xu + a]! * Y[yi + a]!;
      const c = 1 + alpha * vals[p]!;
      loss += c * (1 - sc) * (1 - sc) - sc * sc;
    }
  }
  for (let k = 0; k < Y.length; k++) norms += Y[k]! * Y[k]!;
  return loss + reg * norms;
}
