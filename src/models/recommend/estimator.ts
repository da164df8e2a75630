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
  /** Fit on `train`; reports one progress per epoch/iteration and honours `signal`. */
  fit(train: Ratings, options?: LongTaskOptions): LatentFactorModel;
}

/** `value ?? fallback`, checked to be an integer in [min, max]; the error names `what`. */
export function intOption(value: number | undefined, fallback: number, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = value ?? fallback;
  if (!(Number.isInteger(v) && v >= min && v <= max)) {
    throw new InvalidArgumentError(`${what} must be an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? 'inf' : max}], got ${v}`);
  }
  return v;
}

/** `value ?? fallback`, checked to be a finite number >= min (> min when `strict`). */
export function numberOption(value: number | undefined, fallback: number, what: string, min: number, strict = false): number {
  const v = value ?? fallback;
  if (!(typeof v === 'number' && Number.isFinite(v) && (strict ? v > min : v >= min))) {
    throw new InvalidArgumentError(`${what} must be a finite number ${strict ? '>' : '>='} ${min}, got ${v}`);
  }
  return v;
}
