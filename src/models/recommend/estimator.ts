/**
 * What every recommender estimator looks like (Baseline, FunkSVD, SVDpp, ALS, ImplicitALS),
 * so evaluation, cross-validation and the CLI can treat them alike, plus the option checks
 * their constructors share.
 */
import { InvalidArgumentError } from '../../errors.js';
import type { LongTaskOptions } from '../../progress.js';
import type { LatentFactorModel } from './model.js';
import type { RecommenderAlgorithm } from './model-state.js';
import type { Ratings } from './ratings.js';

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

/** Throw InvalidArgumentError naming `name` unless `v` is an integer in [lo, hi]. */
export function checkInt(owner: string, name: string, v: number, lo: number, hi = Number.MAX_SAFE_INTEGER): number {
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi)) {
    throw new InvalidArgumentError(`${owner}: option '${name}' must be an integer in [${lo}, ${hi === Number.MAX_SAFE_INTEGER ? 'inf' : hi}], got ${String(v)}`);
  }
  return v;
}

/** Throw InvalidArgumentError naming `name` unless `v` is a finite number >= lo (> lo when `strict`). */
export function checkNumber(owner: string, name: string, v: number, lo: number, strict = false): number {
  if (!(typeof v === 'number' && Number.isFinite(v) && (strict ? v > lo : v >= lo))) {
    throw new InvalidArgumentError(`${owner}: option '${name}' must be a finite number ${strict ? '>' : '>='} ${lo}, got ${String(v)}`);
  }
  return v;
}

/** Throw InvalidArgumentError naming `name` unless `v` is a boolean. */
export function checkBool(owner: string, name: string, v: boolean): boolean {
  if (typeof v !== 'boolean') throw new InvalidArgumentError(`${owner}: option '${name}' must be true or false, got ${String(v)}`);
  return v;
}

/** Reject unknown option names (a typo such as `factor` would otherwise be silently ignored). */
export function checkKnownKeys(owner: string, options: object, known: readonly string[]): void {
  for (const k of Object.keys(options)) {
    if (!known.includes(k) && (options as Record<string, unknown>)[k] !== undefined) {
      throw new InvalidArgumentError(`${owner}: unknown option '${k}' (known: ${known.join(', ')})`);
    }
  }
}
