/**
 * What every recommender estimator looks like (Baseline, FunkSVD, SVDpp, ALS, ImplicitALS),
 * so evaluation, cross-validation and the CLI can treat them alike, plus the option fields
 * their tables share (checked by resolveOptions, src/options.ts): the SGD group of FunkSVD,
 * SVDpp and Baseline's 'sgd' method, and the ALS group of ALS and ImplicitALS. Each
 * estimator spreads the groups it takes into its own table, in the order of its options.
 */
import { bool, int, maybe, num, opt, seedRule } from '../../../options.js';
import type { LongTaskOptions } from '../../../progress.js';
import type { LatentFactorModel } from '../model/latent-factor-model.js';
import type { RecommenderAlgorithm } from '../model/state.js';
import type { Ratings } from '../data/ratings.js';

/** A recommender estimator: validated hyperparameters, and a fit returning a model. */
export interface RecommenderEstimator {
  /** Algorithm name, equal to the CLI's `--algo` value. */
  readonly algorithm: RecommenderAlgorithm;
  /** Resolved hyperparameters (defaults filled in), a record of numbers, strings and booleans. */
  readonly options: object;
  /**
   * Fit on `train`; reports one progress per epoch/iteration and honours `signal`.
   * @throws ConvergenceError when training diverges (a non-finite loss or factor), AbortedError when aborted.
   */
  fit(train: Ratings, options?: LongTaskOptions): LatentFactorModel;
  /**
   * {@link RecommenderEstimator.fit} with a turn of the event loop between epochs or
   * half-steps: the same model bit for bit and the same progress, and `AbortSignal.timeout`
   * or a button can stop it within about one epoch. Rejects with the errors of `fit`.
   */
  fitAsync(train: Ratings, options?: LongTaskOptions): Promise<LatentFactorModel>;
}

/**
 * Options FunkSVD and SVDpp share (the fields of the SGD fragments below): each estimator's
 * options interface extends it, as its table spreads the fragments.
 */
export interface SgdFactorOptions {
  /** Passes over the training ratings, >= 0 (default 20). */
  epochs?: number;
  /** Learning rate gamma of every parameter, > 0 (default: FunkSVD 0.005, SVDpp 0.007, as Surprise). */
  lr?: number;
  /** L2 regularization lambda of every parameter, >= 0 (default 0.02). */
  reg?: number;
  /** Learning rate of the biases, >= 0 (default: lr). */
  lrBias?: number;
  /** Regularization of the biases, >= 0 (default: reg). */
  regBias?: number;
  /** Mean of the initial factors (SVDpp: p, q and y), a finite number (default 0). */
  initMean?: number;
  /** Standard deviation of the initial factors (SVDpp: p, q and y), >= 0 (default 0.1). */
  initStd?: number;
  /** Seed of the factor initialisation and the rating order, an integer (default 0). */
  seed?: number;
  /** Shuffle the ratings once before the first epoch (SVDpp: the users and each user's ratings; default true). */
  shuffle?: boolean;
}

/** {@link SgdFactorOptions} resolved (defaults filled in). */
export interface SgdFactorResolved {
  /** Passes over the training ratings. */
  readonly epochs: number;
  /** Learning rate gamma of the factors. */
  readonly lr: number;
  /** L2 regularization lambda of the factors. */
  readonly reg: number;
  /** Learning rate of the biases. */
  readonly lrBias: number;
  /** Regularization of the biases. */
  readonly regBias: number;
  /** Mean of the initial factors (SVDpp: p, q and y). */
  readonly initMean: number;
  /** Standard deviation of the initial factors (SVDpp: p, q and y). */
  readonly initStd: number;
  /** Seed of the factor initialisation and the rating order. */
  readonly seed: number;
  /** Whether the ratings are shuffled once before the first epoch (SVDpp: users and each user's ratings). */
  readonly shuffle: boolean;
}

/** Threads of a recommender fit: an integer in [1, 256]. */
export const threadCount = int(1, 256);

/**
 * The SGD group's step sizes (FunkSVD, SVDpp, Baseline's 'sgd' method), with the
 * estimator's default learning rate (Surprise's: 0.005 for SVD and BaselineOnly, 0.007 for
 * SVDpp).
 */
export function sgdSteps(defaultLr: number) {
  return {
    /** Learning rate gamma of every parameter, > 0 (default: FunkSVD and Baseline 0.005, SVDpp 0.007, as Surprise). */
    lr: opt(num(0, Infinity, 'low'), defaultLr),
    /** L2 regularization lambda of every parameter, >= 0 (default 0.02). */
    reg: opt(num(0), 0.02),
  };
}

/** The SGD group's epoch count (FunkSVD, SVDpp; Baseline's default depends on its method). */
export const SGD_EPOCHS = {
  /** Passes over the training ratings, >= 0 (default 20, Surprise's). */
  epochs: opt(int(0), 20),
};

/** The SGD group's bias step sizes (FunkSVD, SVDpp): the factors' by default. */
export const SGD_BIAS_STEPS = {
  /** Learning rate of the biases, >= 0 (default: lr). */
  lrBias: opt(num(0), (r) => r['lr'] as number),
  /** Regularization of the biases, >= 0 (default: reg). */
  regBias: opt(num(0), (r) => r['reg'] as number),
};

/** The SGD group's factor initialisation (FunkSVD, SVDpp): N(initMean, initStd^2). */
export const SGD_INIT = {
  /** Mean of the initial factors (SVDpp: p, q and y), a finite number (default 0). */
  initMean: opt(num(), 0),
  /** Standard deviation of the initial factors (SVDpp: p, q and y), >= 0 (default 0.1). */
  initStd: opt(num(0), 0.1),
};

// The seed and the shuffle are two fragments because FunkSVD has its threads between them:
// a table's order is the order of the resolved options, so of the hyperparameters in a model
// file, which stay as they were.

/** The SGD group's seed (FunkSVD, SVDpp, Baseline's 'sgd' method). */
export const SGD_SEED = {
  /** Seed of the factor initialisation and the rating order, an integer (default 0). */
  seed: opt(seedRule, 0),
};

/** The SGD group's rating order (FunkSVD, SVDpp, Baseline's 'sgd' method). */
export const SGD_SHUFFLE = {
  /** Shuffle the ratings once before the first epoch (SVDpp: the users and each user's ratings; default true). */
  shuffle: opt(bool, true),
};

/** Latent factors of an ALS fit: an integer in [1, 4096]. */
export const alsFactorCount = int(1, 4096);

/** The ALS group's iteration count (ALS, ImplicitALS). */
export const ALS_ITERATIONS = {
  /** Alternations, one user half-step plus one item half-step each, in [0, 1e6] (default 15). */
  iterations: opt(int(0, 1e6), 15),
};

/** The ALS group's seed and threads (ALS, ImplicitALS). */
export const ALS_RUN = {
  /** Seed of the initial factors, an integer in [0, 2^32 - 1] (default 0). */
  seed: opt(int(0, 2 ** 32 - 1), 0),
  /**
   * Threads for the half-steps, in [1, 256] (default: the library's thread count at fit
   * time, see setThreads). Rows are solved independently, so the result does not depend on it.
   */
  threads: maybe(threadCount),
};
