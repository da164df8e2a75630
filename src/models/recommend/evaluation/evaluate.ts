/**
 * Held-out evaluation of recommenders: rating accuracy (RMSE, MAE) and top-k ranking quality
 * (precision, recall, NDCG, MAP at k, catalog coverage), for one train/test split
 * ({@link evaluate}) or k-fold cross-validation with per-fold figures and their mean and
 * standard deviation ({@link crossValidate}, as Surprise's `cross_validate`).
 *
 * Ranking protocol: for every test user with at least one relevant test item, the model
 * ranks all items except those the user rated in training (`excludeSeen`), and the top k are
 * compared with the relevant test items (./metrics.ts has the formulas). Relevant: test rating
 * >= `relevanceThreshold` (default: 75% of the way up the test ratings' range, 4 on 1-5) for
 * explicit models; any test interaction for implicit models.
 */
import { InvalidArgumentError } from '../../../errors.js';
import { checkAborted, type LongTaskOptions } from '../../../progress.js';
import type { RecommenderEstimator } from '../algorithms/estimator.js';
import { catalogCoverage, mae, rankingMetrics, relevantItems, rmse, type RelevanceOptions } from './metrics.js';
import type { LatentFactorModel } from '../model/latent-factor-model.js';
import type { Ratings } from '../data/ratings.js';
import { kFold } from '../data/split.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Cutoff of the ranking metrics (default 10). */
  k?: number;
  /** Relevance threshold, or 'user-mean' (see `relevantItems` in ./metrics.ts); default as in the module comment. */
  relevanceThreshold?: number | 'user-mean';
  /** Skip the ranking metrics (they cost a full scoring pass per test user; default false). */
  skipRanking?: boolean;
}

/** Metrics of one evaluation. NaN where a metric is undefined (no test users with relevant items; RMSE/MAE of implicit models). */
export interface EvaluationResult {
  /** Root mean squared error of the predicted test ratings. */
  readonly rmse: number;
  /** Mean absolute error of the predicted test ratings. */
  readonly mae: number;
  /** precision@k */
  readonly precision: number;
  /** recall@k */
  readonly recall: number;
  /** NDCG@k */
  readonly ndcg: number;
  /** MAP@k */
  readonly map: number;
  /** Share of the catalogue in at least one top-k list. */
  readonly coverage: number;
  /** Cutoff of the ranking metrics. */
  readonly k: number;
  /** Test ratings evaluated. */
  readonly ratings: number;
  /** Users the ranking metrics average over. */
  readonly rankedUsers: number;
}

/** Metric names of an {@link EvaluationResult} that are averaged by {@link crossValidate}. */
export const METRIC_NAMES = ['rmse', 'mae', 'precision', 'recall', 'ndcg', 'map', 'coverage'] as const;
/** One of {@link METRIC_NAMES}. */
export type MetricName = (typeof METRIC_NAMES)[number];

/**
 * Evaluate a fitted model on held-out ratings. `test` may share the model's ID space (a split
 * of the training table) or have its own (IDs matched by string; unknown users and items
 * take the cold-start fallbacks). O(test * f) for RMSE/MAE, plus O(test users * nItems * f)
 * for the rankings (batched gemm).
 */
export function evaluate(model: LatentFactorModel, test: Ratings, options: EvaluateOptions = {}): EvaluationResult {
  const k = options.k ?? 10;
  if (!(Number.isInteger(k) && k >= 1)) throw new InvalidArgumentError(`evaluate: k must be an integer >= 1, got ${k}`);
  const explicit = model.kind === 'explicit';
  let r = NaN;
  let m = NaN;
  if (explicit && test.size > 0) {
    const pred = model.predictRatings(test);
    r = rmse(pred, test.values);
    m = mae(pred, test.values);
  }
  let ranking = { precision: NaN, recall: NaN, ndcg: NaN, map: NaN, users: 0 };
  let coverage = NaN;
  if (!options.skipRanking && test.size > 0 && model.nItems > 0) {
    const relOptions: RelevanceOptions = explicit
      ? (options.relevanceThreshold !== undefined ? { threshold: options.relevanceThreshold } : {})
      : { threshold: options.relevanceThreshold ?? Number.MIN_VALUE };
    const relTest = relevantItems(test, relOptions);
    // Test users with relevant items, as model user indices; relevant items as model item indices.
    const same = test.ids === model.state.ids;
    const testUsers: number[] = [];
    const relevant: Set<number>[] = [];
    for (let u = 0; u < relTest.length; u++) {
      const rel = relTest[u]!;
      if (rel.size === 0) continue;
      testUsers.push(same ? u : model.userIndex(test.ids.userIds[u]!));
      const set = new Set<number>();
      for (const i of rel.keys()) {
        const mi = same ? i : model.itemIndex(test.ids.itemIds[i]!);
        // An item the model has never heard of can never be recommended, but it still counts
        // as relevant (recall is about what the user liked); give it a distinct negative key.
        set.add(mi >= 0 ? mi : -1 - i);
      }
      relevant.push(set);
    }
    const lists = model.topNForUsers(Int32Array.from(testUsers), k, true);
    ranking = rankingMetrics(lists, relevant, k);
    coverage = catalogCoverage(lists, model.nItems, k);
  }
  return {
    rmse: r, mae: m,
    precision: ranking.precision, recall: ranking.recall, ndcg: ranking.ndcg, map: ranking.map,
    coverage, k, ratings: test.size, rankedUsers: ranking.users,
  };
}

/** Options of {@link crossValidate}. */
export interface CrossValidateOptions extends EvaluateOptions, LongTaskOptions {
  /** Number of folds (default 5). */
  folds?: number;
  /** Seed of the fold assignment (default 0). */
  seed?: number;
}

/** One fold of {@link crossValidate}. */
export interface FoldResult extends EvaluationResult {
  /** Wall-clock seconds of the fit. */
  readonly fitSeconds: number;
  /** Wall-clock seconds of the evaluation. */
  readonly evalSeconds: number;
}

/** Result of {@link crossValidate}: per-fold figures and their mean and (population) standard deviation. */
export interface CrossValidationResult {
  /** The estimator's `algorithm` name (e.g. 'funksvd'). */
  readonly algorithm: string;
  /** Metrics of each fold, in fold order. */
  readonly folds: readonly FoldResult[];
  /** Mean of each metric and timing over the folds. */
  readonly mean: Readonly<Record<MetricName | 'fitSeconds' | 'evalSeconds', number>>;
  /** Population standard deviation of each metric and timing over the folds. */
  readonly std: Readonly<Record<MetricName | 'fitSeconds' | 'evalSeconds', number>>;
}

/**
 * k-fold cross-validation (kFold from split.ts: shuffled, seeded, every rating tested once):
 * fit `estimator` on each training part and {@link evaluate} it on the held-out part.
 * Reports `{ stage: 'fold', done, total }` after each fold; `signal` also reaches the fits.
 * The standard deviation is the population one (numpy's default, as Surprise prints).
 */
export function crossValidate(estimator: RecommenderEstimator, ratings: Ratings, options: CrossValidateOptions = {}): CrossValidationResult {
  const { onProgress, signal, folds = 5, seed = 0, ...evalOptions } = options;
  const parts = kFold(ratings, { folds, seed });
  const results: FoldResult[] = [];
  for (const [train, test] of parts) {
    checkAborted(signal, 'crossValidate');
    const t0 = performance.now();
    const model = estimator.fit(train, signal ? { signal } : {});
    const t1 = performance.now();
    const res = evaluate(model, test, evalOptions);
    const t2 = performance.now();
    results.push({ ...res, fitSeconds: (t1 - t0) / 1000, evalSeconds: (t2 - t1) / 1000 });
    onProgress?.({ stage: 'fold', done: results.length, total: parts.length, metrics: { rmse: res.rmse, fitSeconds: (t1 - t0) / 1000 } });
  }
  const keys = [...METRIC_NAMES, 'fitSeconds', 'evalSeconds'] as const;
  const mean = {} as Record<(typeof keys)[number], number>;
  const std = {} as Record<(typeof keys)[number], number>;
  for (const key of keys) {
    const xs = results.map((r) => r[key]);
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    mean[key] = m;
    std[key] = Math.sqrt(xs.reduce((a, b) => a + (b - m) * (b - m), 0) / xs.length);
  }
  return { algorithm: estimator.algorithm, folds: results, mean, std };
}
