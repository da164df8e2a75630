/**
 * SVD++: the biased latent-factor model with implicit feedback (Koren 2008, "Factorization
 * meets the neighborhood: a multifaceted collaborative filtering model", eq. 15),
 *
 *     r_ui = mu + b_u + b_i + q_i . (p_u + |N(u)|^-1/2 sum_{j in N(u)} y_j),
 *
 * N(u) the items u rated in training, trained by SGD with Surprise's `SVDpp` update and
 * defaults (20 factors, 20 epochs, lr 0.007, reg 0.02, factors and y_j initialised
 * N(0, 0.1^2)). Ratings are visited user by user (as Surprise's trainset does), users in one
 * seeded random order and each user's ratings shuffled once (`shuffle: false`: users in index
 * order, ratings in the table's order).
 *
 * Cost: Surprise updates every y_j of N(u) after each rating, O(|N(u)| f) per rating; the
 * kernel (assembly/sgd.ts `sgd_svdpp`) reaches the same values in O(f) per rating by
 * carrying the implicit sum and the common y_j increment as running vectors, so an epoch
 * costs O(ratings * f). N(u) is taken as a set: a (user, item) pair rated twice makes the
 * two differ slightly. Single-threaded (a rating touches the y_j of all the user's items, so
 * user/item blocks are not independent).
 *
 * The fitted model stores the effective user vectors p_u + |N(u)|^-1/2 sum y_j as its user
 * factors (so predict/recommend are plain dot products) and keeps y ('y') and the raw p_u
 * ('p') in `state.extra`.
 */
import { allocSgdBuffers, releaseSgdBuffers, svdppSgd, type SvdppStep } from '../../../kernels/sgd.js';
import { runSteps, runStepsAsync, type FitSteps } from '../../../fit-async.js';
import type { LongTaskOptions } from '../../../progress.js';
import { rng } from '../../../random.js';
import { int, num, opt, resolveOptions, tableFor } from '../../../options.js';
import { SGD_BIAS_STEPS, SGD_EPOCHS, SGD_INIT, SGD_SEED, SGD_SHUFFLE, sgdSteps, type RecommenderEstimator, type SgdFactorOptions, type SgdFactorResolved } from './estimator.js';
import { LatentFactorModel } from '../model/latent-factor-model.js';
import type { Ratings } from '../data/ratings.js';
import {
  checkSgdParameters, checkTrain, explicitState, initNormal, meanOf, permutation, sgdEpochDone, unpad,
} from './sgd-common.js';

// Default learning rate (Surprise's); also named in the divergence error.
const DEFAULT_LR = 0.007;

/** Options of {@link SVDpp}. Defaults are Surprise's SVDpp (lr 0.007). */
export interface SvdppOptions extends SgdFactorOptions {
  /** Latent factors f, in [1, 65536] (default 20). */
  factors?: number;
  /** Learning rate of the implicit factors y_j, >= 0 (default lr). */
  lrY?: number;
  /** Regularization of the implicit factors y_j, >= 0 (default reg). */
  regY?: number;
}

/** SVDpp's resolved hyperparameters. */
export interface SvdppResolved extends SgdFactorResolved {
  /** Latent factors f. */
  readonly factors: number;
  /** Learning rate of the implicit factors y_j. */
  readonly lrY: number;
  /** Regularization of the implicit factors y_j. */
  readonly regY: number;
}

/** The rule and default of each {@link SvdppOptions} field, in the order of the resolved options. */
const SVDPP_OPTIONS = tableFor<SvdppOptions>()({
  /** Latent factors f, in [1, 65536] (default 20). */
  factors: opt(int(1, 65536), 20),
  ...SGD_EPOCHS,
  ...sgdSteps(DEFAULT_LR),
  ...SGD_BIAS_STEPS,
  /** Learning rate of the implicit factors y_j, >= 0 (default: lr). */
  lrY: opt(num(0), (r) => r['lr'] as number),
  /** Regularization of the implicit factors y_j, >= 0 (default: reg). */
  regY: opt(num(0), (r) => r['reg'] as number),
  ...SGD_INIT,
  ...SGD_SEED,
  ...SGD_SHUFFLE,
});

/**
 * The SVD++ estimator (Surprise's `SVDpp`).
 * @example
 * const model = new SVDpp({ factors: 20, seed: 1 }).fit(train);
 */
export class SVDpp implements RecommenderEstimator {
  /** The CLI's --algo name. */
  readonly algorithm = 'svdpp' as const;
  /** Resolved hyperparameters. */
  readonly options: SvdppResolved;

  /** @throws InvalidArgumentError naming the first bad or unknown option. */
  constructor(options: SvdppOptions = {}) {
    this.options = resolveOptions('SVDpp', SVDPP_OPTIONS, options);
  }

  /**
   * Train on `train`. Reports `{ stage: 'epoch', done, total, metrics: { trainRmse } }` per
   * epoch (errors met during the epoch); checks the signal between epochs.
   * @throws InvalidArgumentError on an empty table; AbortedError when aborted;
   *   ConvergenceError when training diverges (the epoch's error sum, or a parameter at the
   *   end, is not finite): lower `lr`.
   */
  fit(train: Ratings, options: LongTaskOptions = {}): LatentFactorModel {
    return runSteps(this.steps(train, options), options.signal, 'SVDpp.fit');
  }

  /**
   * {@link SVDpp.fit} with a turn of the event loop between epochs (see runStepsAsync in
   * fit-async.ts): the same model bit for bit and the same progress reports, abortable by a
   * timer or a button within about one epoch. The set-up (initialisation, the per-user
   * shuffle) runs as one block before the first epoch.
   * @throws (rejects with) the errors of {@link SVDpp.fit}.
   */
  fitAsync(train: Ratings, options: LongTaskOptions = {}): Promise<LatentFactorModel> {
    return runStepsAsync(this.steps(train, options), options.signal, 'SVDpp.fitAsync');
  }

  // The training loop of fit and fitAsync; yields before each epoch.
  private *steps(train: Ratings, options: LongTaskOptions): FitSteps<LatentFactorModel> {
    checkTrain('SVDpp', train);
    const o = this.options;
    const f = o.factors;
    const n = train.size;
    const nu = train.nUsers;
    const ni = train.nItems;
    const mu = meanOf(train.values);
    const r = rng(o.seed);
    const csr = train.byUser();
    const buf = allocSgdBuffers({ nUsers: nu, nItems: ni, nRatings: n, factors: f, svdpp: true });
    try {
      initNormal(buf.P, nu, f, buf.ld, o.initMean, o.initStd, r);
      initNormal(buf.Q, ni, f, buf.ld, o.initMean, o.initStd, r);
      initNormal(buf.Y!, ni, f, buf.ld, o.initMean, o.initStd, r);
      buf.indptr!.set(csr.indptr);
      buf.items.set(csr.indices);
      buf.values.set(csr.values);
      if (o.shuffle) {
        buf.order!.set(permutation(nu, r));
        // Shuffle each user's ratings (items and values together).
        for (let u = 0; u < nu; u++) {
          const s = csr.indptr[u]!;
          for (let k = csr.indptr[u + 1]! - 1; k > s; k--) {
            const j = s + r.nextInt(k - s + 1);
            const ti = buf.items[k]!;
            buf.items[k] = buf.items[j]!;
            buf.items[j] = ti;
            const tv = buf.values[k]!;
            buf.values[k] = buf.values[j]!;
            buf.values[j] = tv;
          }
        }
      } else {
        for (let u = 0; u < nu; u++) buf.order![u] = u;
      }
      const step: SvdppStep = { mu, lr: o.lr, reg: o.reg, lrBias: o.lrBias, regBias: o.regBias, biased: true, lrY: o.lrY, regY: o.regY };
      for (let epoch = 0; epoch < o.epochs; epoch++) {
        yield;
        const sse = svdppSgd(buf, step, nu);
        sgdEpochDone('SVDpp', o, DEFAULT_LR, epoch, sse, n, options.onProgress);
      }
      checkSgdParameters('SVDpp', o, DEFAULT_LR, buf, nu, ni);
      const p = unpad(buf.P, nu, f, buf.ld);
      const y = unpad(buf.Y!, ni, f, buf.ld);
      return new LatentFactorModel(explicitState(train, {
        algorithm: 'svdpp',
        factors: f,
        globalMean: mu,
        userBias: buf.bu.slice(),
        itemBias: buf.bi.slice(),
        userFactors: effectiveUserFactors(p, y, csr.indptr, csr.indices, f),
        itemFactors: unpad(buf.Q, ni, f, buf.ld),
        hyperparameters: { ...o },
        extra: { y, p },
      }));
    } finally {
      releaseSgdBuffers(buf);
    }
  }
}

/** p_u + |N(u)|^-1/2 sum_{j in N(u)} y_j for every user (users with no rating keep p_u). */
export function effectiveUserFactors(p: Float32Array, y: Float32Array, indptr: Int32Array, items: Int32Array, f: number): Float32Array {
  const out = p.slice();
  const z = new Float64Array(f);
  for (let u = 0; u + 1 < indptr.length; u++) {
    const s = indptr[u]!;
    const e = indptr[u + 1]!;
    if (e <= s) continue;
    z.fill(0);
    for (let k = s; k < e; k++) {
      const j = items[k]! * f;
      for (let c = 0; c < f; c++) z[c] = z[c]! + y[j + c]!;
    }
    const inv = 1 / Math.sqrt(e - s);
    for (let c = 0; c < f; c++) out[u * f + c] = out[u * f + c]! + z[c]! * inv;
  }
  return out;
}
