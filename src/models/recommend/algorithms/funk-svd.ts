/**
 * FunkSVD: the biased latent-factor model r_ui = mu + b_u + b_i + p_u . q_i trained by
 * stochastic gradient descent on the observed ratings only (Simon Funk 2006; Koren, Bell &
 * Volinsky 2009, "Matrix factorization techniques for recommender systems", eq. 5), with the
 * update and the defaults of Surprise's `SVD` (100 factors, 20 epochs, lr 0.005, reg 0.02,
 * factors initialised N(0, 0.1^2), biases 0).
 *
 * Order of the ratings: Surprise walks the training set in its stored order every epoch; we
 * shuffle it once with the seed (`shuffle: false` keeps the table's order), as LIBMF does,
 * because a table grouped by user or by time makes plain SGD drift.
 *
 * Threads and blocks: with `threads` t > 1 (default: the library's thread count, see
 * `setThreads`) and at least 50,000 ratings, ratings are grouped into a g x g grid of
 * user-group x item-group blocks, g >= 2t, and each epoch runs g sub-epochs; in a sub-epoch
 * the threads share out the g blocks of one Latin-square diagonal, which have no user and no
 * item in common, so no locks are needed (LIBMF: Chin, Zhuang, Juan & Lin 2015, "A fast
 * parallel stochastic gradient method for matrix factorization in shared memory systems").
 * Large problems use a finer grid (also on one thread) so that a group's factor rows stay in
 * cache ({@link gridSize}); ratings keep a seeded random order inside each block, except when
 * the user factors exceed 16 MiB: then each block is ordered by user (FPSGD's "partial random"
 * order, Zhuang et al. 2013), so a user's row stays in cache across her ratings. The result
 * is deterministic for a given seed, thread count and data (which thread runs which block
 * does not matter, and the error sums are added in block order); it differs from the
 * small-problem single-thread result, which visits all ratings in one seeded order.
 *
 * Cost per epoch: O(ratings * factors); memory: 12 bytes per rating plus 4 * factors bytes
 * per user and item (f32), in WebAssembly memory on the WASM backends.
 */
import { getThreads } from '../../../kernels/index.js';
import { allocSgdBuffers, funkSgd, releaseSgdBuffers, type FunkStep } from '../../../kernels/sgd.js';
import { runSteps, runStepsAsync, type FitSteps } from '../../../fit-async.js';
import type { LongTaskOptions } from '../../../progress.js';
import { rng } from '../../../random.js';
import { bool, int, maybe, opt, resolveOptions, tableFor } from '../../../options.js';
import { SGD_BIAS_STEPS, SGD_EPOCHS, SGD_INIT, SGD_SEED, SGD_SHUFFLE, sgdSteps, threadCount, type RecommenderEstimator, type SgdFactorOptions, type SgdFactorResolved } from './estimator.js';
import { LatentFactorModel } from '../model/latent-factor-model.js';
import type { Ratings } from '../data/ratings.js';
import {
  checkSgdParameters, checkTrain, explicitState, gatherRows, initNormal, loadInBlocks, loadInOrder,
  meanOf, permutation, setDiagonalTasks, sgdEpochDone, unpad,
} from './sgd-common.js';

// Default learning rate (Surprise's); also named in the divergence error.
const DEFAULT_LR = 0.005;

/** Options of {@link FunkSVD}. Defaults are Surprise's SVD. */
export interface FunkSvdOptions extends SgdFactorOptions {
  /** Latent factors f, in [1, 65536] (default 100). */
  factors?: number;
  /** Learn mu, b_u and b_i (default true). Unbiased: r = p_u . q_i (probabilistic MF). */
  biased?: boolean;
  /** Threads, in [1, 256] (default: the library's thread count). Results depend on it; see the module comment. */
  threads?: number;
}

/** FunkSVD's resolved hyperparameters. */
export interface FunkSvdResolved extends SgdFactorResolved {
  /** Latent factors f. */
  readonly factors: number;
  /** Whether mu, b_u and b_i are learned. */
  readonly biased: boolean;
  /** Undefined: use the library's thread count at fit time. */
  readonly threads: number | undefined;
}

/** The rule and default of each {@link FunkSvdOptions} field, in the order of the resolved options. */
const FUNK_SVD_OPTIONS = tableFor<FunkSvdOptions>()({
  /** Latent factors f, in [1, 65536] (default 100). */
  factors: opt(int(1, 65536), 100),
  ...SGD_EPOCHS,
  ...sgdSteps(DEFAULT_LR),
  ...SGD_BIAS_STEPS,
  ...SGD_INIT,
  /** Learn mu, b_u and b_i (default true). */
  biased: opt(bool, true),
  ...SGD_SEED,
  /** Threads, in [1, 256] (default: the library's thread count at fit time). */
  threads: maybe(threadCount),
  ...SGD_SHUFFLE,
});

/** Fewer ratings than this train on one thread: waking workers would cost more than it saves. */
export const PARALLEL_MIN_RATINGS = 50_000;

// Factor rows of one user (or item) group should stay in cache while its blocks run.
const GROUP_BYTES = 4 * 1024 * 1024;

// Above this size of the user factor matrix, blocks are ordered by user (see loadInBlocks).
const CACHE_BYTES = 16 * 1024 * 1024;

function factorBytes(rows: number, factors: number): number {
  return rows * Math.ceil(factors / 4) * 16;
}

/**
 * Side g of the block grid: 1 (no grid: one seeded order) for small problems on one thread;
 * else at least 2t (so every sub-epoch has work for each thread), and more when the factor
 * rows are large, so that one user group's and one item group's rows fit in GROUP_BYTES
 * (4 MiB): at Netflix scale (480k users x 100 f32 factors = 192 MB) random rows would
 * otherwise come from DRAM with a TLB miss each.
 */
export function gridSize(nUsers: number, nItems: number, nRatings: number, factors: number, threads: number): number {
  const rowBytes = Math.ceil(factors / 4) * 16;
  const byCache = Math.ceil((Math.max(nUsers, nItems) * rowBytes) / GROUP_BYTES);
  const parallel = threads > 1 && nRatings >= PARALLEL_MIN_RATINGS;
  if (!parallel && byCache <= 1) return 1;
  const g = Math.max(parallel ? 2 * threads : 1, byCache);
  return Math.min(g, 64, Math.max(1, Math.min(nUsers, nItems)));
}

/**
 * The FunkSVD estimator (Surprise's `SVD`).
 * @example
 * const model = new FunkSVD({ factors: 50, epochs: 20, seed: 1 }).fit(train, { onProgress });
 * model.predict('u1', 'i9'); // { value, clipped, coldStart }
 */
export class FunkSVD implements RecommenderEstimator {
  /** The CLI's --algo name. */
  readonly algorithm = 'funksvd' as const;
  /** Resolved hyperparameters. */
  readonly options: FunkSvdResolved;

  /** @throws InvalidArgumentError naming the first bad or unknown option. */
  constructor(options: FunkSvdOptions = {}) {
    this.options = resolveOptions('FunkSVD', FUNK_SVD_OPTIONS, options);
  }

  /**
   * Train on `train`. Reports `{ stage: 'epoch', done, total, metrics: { trainRmse } }` after
   * each epoch (the RMSE of the errors met during the epoch, each taken before its update: free
   * from the kernel). The signal is checked between epochs and between blocks.
   * @throws InvalidArgumentError on an empty table; AbortedError when aborted;
   *   ConvergenceError when training diverges (the epoch's error sum, or a factor at the end,
   *   is not finite): lower `lr`.
   */
  fit(train: Ratings, options: LongTaskOptions = {}): LatentFactorModel {
    return runSteps(this.steps(train, options), options.signal, 'FunkSVD.fit');
  }

  /**
   * {@link FunkSVD.fit} with a turn of the event loop between epochs and between blocks of
   * the grid (see runStepsAsync in fit-async.ts): the same model bit for bit and the same
   * progress reports, and a timer or a button can abort it within about one epoch (one block
   * on large problems). The set-up (initialising the factors, ordering the ratings into the
   * kernel's buffers) runs as one block before the first epoch.
   * @throws (rejects with) the errors of {@link FunkSVD.fit}.
   */
  fitAsync(train: Ratings, options: LongTaskOptions = {}): Promise<LatentFactorModel> {
    return runStepsAsync(this.steps(train, options), options.signal, 'FunkSVD.fitAsync');
  }

  // The training loop of fit and fitAsync; yields before each epoch and each block.
  private *steps(train: Ratings, options: LongTaskOptions): FitSteps<LatentFactorModel> {
    checkTrain('FunkSVD', train);
    const o = this.options;
    const threads = o.threads ?? getThreads();
    const n = train.size;
    const g = gridSize(train.nUsers, train.nItems, n, o.factors, threads);
    const parallel = g > 1;
    const mu = o.biased ? meanOf(train.values) : 0;
    const step: FunkStep = { mu, lr: o.lr, reg: o.reg, lrBias: o.lrBias, regBias: o.regBias, biased: o.biased };
    const r = rng(o.seed);
    const buf = allocSgdBuffers({ nUsers: train.nUsers, nItems: train.nItems, nRatings: n, factors: o.factors, maxTasks: g });
    try {
      initNormal(buf.P, train.nUsers, o.factors, buf.ld, o.initMean, o.initStd, r);
      initNormal(buf.Q, train.nItems, o.factors, buf.ld, o.initMean, o.initStd, r);
      const grid = parallel ? loadInBlocks(buf, train, g, o.shuffle, r, factorBytes(train.nUsers, o.factors) > CACHE_BYTES) : undefined;
      if (!grid) loadInOrder(buf, train, o.shuffle, r);
      for (let epoch = 0; epoch < o.epochs; epoch++) {
        yield;
        let sse = 0;
        if (!grid) sse = funkSgd(buf, step, 1);
        else {
          // The order of the diagonals changes every epoch (seeded), as LIBMF's scheduler varies it.
          for (const s of permutation(g, r)) {
            yield;
            setDiagonalTasks(buf, grid, s);
            sse += funkSgd(buf, step, g, threads);
          }
        }
        sgdEpochDone('FunkSVD', o, DEFAULT_LR, epoch, sse, n, options.onProgress);
      }
      checkSgdParameters('FunkSVD', o, DEFAULT_LR, buf, train.nUsers, train.nItems);
      return new LatentFactorModel(explicitState(train, {
        algorithm: 'funksvd',
        factors: o.factors,
        globalMean: mu,
        userBias: grid ? gatherRows(buf.bu, grid.userRow, 1, 1) : buf.bu.slice(),
        itemBias: grid ? gatherRows(buf.bi, grid.itemRow, 1, 1) : buf.bi.slice(),
        userFactors: grid ? gatherRows(buf.P, grid.userRow, o.factors, buf.ld) : unpad(buf.P, train.nUsers, o.factors, buf.ld),
        itemFactors: grid ? gatherRows(buf.Q, grid.itemRow, o.factors, buf.ld) : unpad(buf.Q, train.nItems, o.factors, buf.ld),
        hyperparameters: { ...hyper(o), threads, grid: g },
      }));
    } finally {
      releaseSgdBuffers(buf);
    }
  }
}

function hyper(o: FunkSvdResolved): Record<string, number | string | boolean> {
  const h: Record<string, number | string | boolean> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) h[k] = v as number | boolean;
  return h;
}
