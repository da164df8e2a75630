/**
 * Baseline: the global mean plus regularized user and item biases, r_ui = mu + b_u + b_i
 * (Koren 2010, "Factor in the neighbors: scalable and accurate collaborative filtering",
 * section 2.1, the baseline estimates), as Surprise's `BaselineOnly`:
 *
 * - method 'als' (default): alternating exact minimisation of
 *   sum (r_ui - mu - b_u - b_i)^2 + regUser sum b_u^2 + regItem sum b_i^2,
 *   item biases first, b_i = sum_{u in U(i)} (r_ui - mu - b_u) / (regItem + |U(i)|), then
 *   b_u = sum_{i in I(u)} (r_ui - mu - b_i) / (regUser + |I(u)|); defaults 10 epochs,
 *   regUser 15, regItem 10. O(ratings) per epoch.
 * - method 'sgd': b_u += lr (e - reg b_u), b_i += lr (e - reg b_i) per rating (the FunkSVD
 *   kernel with zero factors), defaults 20 epochs, lr 0.005, reg 0.02, ratings shuffled once.
 */
import { allocSgdBuffers, funkSgd, releaseSgdBuffers } from '../../../kernels/sgd.js';
import { runSteps, runStepsAsync, type FitSteps } from '../../../fit-async.js';
import type { LongTaskOptions } from '../../../progress.js';
import { int, num, oneOf, opt, resolveOptions, tableFor } from '../../../options.js';
import { rng } from '../../../random.js';
import { LatentFactorModel } from '../model/latent-factor-model.js';
import type { Ratings } from '../data/ratings.js';
import { SGD_SEED, SGD_SHUFFLE, sgdSteps, type RecommenderEstimator } from './estimator.js';
import { checkSgdParameters, checkTrain, explicitState, loadInOrder, meanOf, sgdEpochDone } from './sgd-common.js';

// Default learning rate (Surprise's); also named in the divergence error.
const DEFAULT_LR = 0.005;

/** Options of {@link Baseline}. Defaults are Surprise's BaselineOnly. */
export interface BaselineOptions {
  /** 'als' (default) or 'sgd'. */
  method?: 'als' | 'sgd';
  /** Epochs, >= 0 (default 10 for 'als', 20 for 'sgd', as Surprise). */
  epochs?: number;
  /** 'als': ridge penalty of the user biases, >= 0 (default 15). */
  regUser?: number;
  /** 'als': ridge penalty of the item biases, >= 0 (default 10). */
  regItem?: number;
  /** 'sgd': learning rate, > 0 (default 0.005). */
  lr?: number;
  /** 'sgd': regularization, >= 0 (default 0.02). */
  reg?: number;
  /** 'sgd': seed of the rating order, an integer (default 0). */
  seed?: number;
  /** 'sgd': shuffle the ratings once (default true). */
  shuffle?: boolean;
}

/** Baseline's resolved hyperparameters. */
export interface BaselineResolved {
  /** 'als' or 'sgd'. */
  readonly method: 'als' | 'sgd';
  /** Epochs (resolved default: 10 for 'als', 20 for 'sgd'). */
  readonly epochs: number;
  /** 'als': ridge penalty of the user biases. */
  readonly regUser: number;
  /** 'als': ridge penalty of the item biases. */
  readonly regItem: number;
  /** 'sgd': learning rate. */
  readonly lr: number;
  /** 'sgd': regularization. */
  readonly reg: number;
  /** 'sgd': seed of the rating order. */
  readonly seed: number;
  /** 'sgd': whether the ratings are shuffled once. */
  readonly shuffle: boolean;
}

/** The rule and default of each {@link BaselineOptions} field, in the order of the resolved options. */
const BASELINE_OPTIONS = tableFor<BaselineOptions>()({
  /** 'als' (default) or 'sgd'. */
  method: opt(oneOf(['als', 'sgd']), 'als'),
  /** Epochs, >= 0 (default 10 for 'als', 20 for 'sgd', as Surprise). */
  epochs: opt(int(0), (r) => (r['method'] === 'als' ? 10 : 20)),
  /** 'als': ridge penalty of the user biases, >= 0 (default 15). */
  regUser: opt(num(0), 15),
  /** 'als': ridge penalty of the item biases, >= 0 (default 10). */
  regItem: opt(num(0), 10),
  // 'sgd': learning rate, regularization, seed of the rating order, shuffle.
  ...sgdSteps(DEFAULT_LR),
  ...SGD_SEED,
  ...SGD_SHUFFLE,
});

/**
 * The Baseline estimator (Surprise's `BaselineOnly`): a model with biases and no factors.
 * @example
 * const model = new Baseline().fit(train);
 * model.predict('u1', 'i9').value; // mu + b_u + b_i, clipped to the rating scale
 */
export class Baseline implements RecommenderEstimator {
  /** The CLI's --algo name. */
  readonly algorithm = 'baseline' as const;
  /** Resolved hyperparameters. */
  readonly options: BaselineResolved;

  /** @throws InvalidArgumentError naming the first bad or unknown option. */
  constructor(options: BaselineOptions = {}) {
    this.options = resolveOptions('Baseline', BASELINE_OPTIONS, options);
  }

  /**
   * Fit the biases. Reports `{ stage: 'epoch', done, total, metrics: { trainRmse } }` per
   * epoch ('als': RMSE after the epoch; 'sgd': errors met during it); checks the signal between epochs.
   * @throws InvalidArgumentError on an empty table; AbortedError when aborted;
   *   ConvergenceError when 'sgd' training diverges (a non-finite error sum or bias): lower `lr`.
   */
  fit(train: Ratings, options: LongTaskOptions = {}): LatentFactorModel {
    return runSteps(this.steps(train, options), options.signal, 'Baseline.fit');
  }

  /**
   * {@link Baseline.fit} with a turn of the event loop between epochs (see runStepsAsync in
   * fit-async.ts): the same model bit for bit and the same progress reports, abortable by a
   * timer or a button within about one epoch. The set-up (counts, the rating order) runs as
   * one block before the first epoch.
   * @throws (rejects with) the errors of {@link Baseline.fit}.
   */
  fitAsync(train: Ratings, options: LongTaskOptions = {}): Promise<LatentFactorModel> {
    return runStepsAsync(this.steps(train, options), options.signal, 'Baseline.fitAsync');
  }

  // The fit of fit and fitAsync; yields before each epoch.
  private *steps(train: Ratings, options: LongTaskOptions): FitSteps<LatentFactorModel> {
    checkTrain('Baseline', train);
    const o = this.options;
    const mu = meanOf(train.values);
    const { bu, bi } = o.method === 'als' ? yield* this.als(train, mu, options) : yield* this.sgd(train, mu, options);
    return new LatentFactorModel(explicitState(train, {
      algorithm: 'baseline',
      factors: 0,
      globalMean: mu,
      userBias: bu,
      itemBias: bi,
      userFactors: new Float32Array(0),
      itemFactors: new Float32Array(0),
      hyperparameters: { ...o },
    }));
  }

  private *als(train: Ratings, mu: number, options: LongTaskOptions): FitSteps<{ bu: Float32Array; bi: Float32Array }> {
    const { users, items, values } = train;
    const n = train.size;
    const o = this.options;
    const bu = new Float64Array(train.nUsers);
    const bi = new Float64Array(train.nItems);
    const uc = new Float64Array(train.nUsers);
    const ic = new Float64Array(train.nItems);
    for (let k = 0; k < n; k++) {
      uc[users[k]!] = uc[users[k]!]! + 1;
      ic[items[k]!] = ic[items[k]!]! + 1;
    }
    const sum = new Float64Array(Math.max(train.nUsers, train.nItems));
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      yield;
      sum.fill(0, 0, train.nItems);
      for (let k = 0; k < n; k++) sum[items[k]!] = sum[items[k]!]! + (values[k]! - mu - bu[users[k]!]!);
      for (let i = 0; i < train.nItems; i++) bi[i] = sum[i]! / (o.regItem + ic[i]!) || 0;
      sum.fill(0, 0, train.nUsers);
      for (let k = 0; k < n; k++) sum[users[k]!] = sum[users[k]!]! + (values[k]! - mu - bi[items[k]!]!);
      for (let u = 0; u < train.nUsers; u++) bu[u] = sum[u]! / (o.regUser + uc[u]!) || 0;
      if (options.onProgress) {
        let sse = 0;
        for (let k = 0; k < n; k++) {
          const e = values[k]! - mu - bu[users[k]!]! - bi[items[k]!]!;
          sse += e * e;
        }
        options.onProgress({ stage: 'epoch', done: epoch + 1, total: o.epochs, metrics: { trainRmse: Math.sqrt(sse / n) } });
      }
    }
    return { bu: Float32Array.from(bu), bi: Float32Array.from(bi) };
  }

  private *sgd(train: Ratings, mu: number, options: LongTaskOptions): FitSteps<{ bu: Float32Array; bi: Float32Array }> {
    const o = this.options;
    const buf = allocSgdBuffers({ nUsers: train.nUsers, nItems: train.nItems, nRatings: train.size, factors: 0 });
    try {
      loadInOrder(buf, train, o.shuffle, rng(o.seed));
      const step = { mu, lr: o.lr, reg: 0, lrBias: o.lr, regBias: o.reg, biased: true };
      for (let epoch = 0; epoch < o.epochs; epoch++) {
        yield;
        const sse = funkSgd(buf, step, 1);
        sgdEpochDone('Baseline (sgd)', o, DEFAULT_LR, epoch, sse, train.size, options.onProgress);
      }
      checkSgdParameters('Baseline (sgd)', o, DEFAULT_LR, buf, train.nUsers, train.nItems);
      return { bu: buf.bu.slice(), bi: buf.bi.slice() };
    } finally {
      releaseSgdBuffers(buf);
    }
  }
}
