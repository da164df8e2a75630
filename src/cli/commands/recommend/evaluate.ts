/**
 * `lowrank recommend evaluate --ratings r.csv --cv 5 --algo als` (k-fold cross-validation)
 * or `--train a.csv --test b.csv`: held-out accuracy of a recommender.
 */
import type { Command } from 'commander';
import { crossValidate, evaluate, METRIC_NAMES, type EvaluateOptions, type EvaluationResult } from '../../../models/recommend/evaluation/evaluate.js';
import { count, flagOption, integer, number } from '../../flags.js';
import { addTextInputOptions, UsageError, type TextInputFlags } from '../../options.js';
import { formatPairs, human, printJson, stdoutOf } from '../../output.js';
import { withProgress } from '../../progress-bar.js';
import { addHyperOptions, fitWithBar, loadRatings, makeEstimator, type HyperFlags } from './shared.js';

interface EvaluateFlags extends HyperFlags, TextInputFlags {
  ratings?: string;
  cv?: number;
  train?: string;
  test?: string;
  k: number;
  threshold?: number;
  json?: boolean;
}

function fmt(v: number): string {
  return Number.isNaN(v) ? '-' : v.toFixed(4);
}

function metricPairs(r: EvaluationResult & { fitSeconds: number }, k: number): [string, string][] {
  return [
    ['rmse', human(r.rmse)],
    ['mae', human(r.mae)],
    [`precision@${k}`, human(r.precision)],
    [`recall@${k}`, human(r.recall)],
    [`ndcg@${k}`, human(r.ndcg)],
    [`map@${k}`, human(r.map)],
    ['coverage', human(r.coverage)],
    ['fit_seconds', human(r.fitSeconds)],
    ['test_ratings', String(r.ratings)],
  ];
}

/** Register `lowrank recommend evaluate`. */
export function registerEvaluate(rec: Command): void {
  addTextInputOptions(addHyperOptions(rec.command('evaluate')))
    .description('held-out accuracy: rmse, mae, precision/recall/ndcg/map@k, coverage and fit seconds (k-fold with --cv, or a given train/test pair)')
    .option('--ratings <file>', 'ratings file to cross-validate (with --cv)')
    .addOption(flagOption('--cv <folds>', 'k-fold cross-validation with this many folds (with --ratings; default 5)', integer({ min: 2 })))
    .option('--train <file>', 'training ratings file (with --test)')
    .option('--test <file>', 'test ratings file (with --train)')
    .addOption(flagOption('-k, --k <k>', 'cutoff of the ranking metrics', count, { default: '10', name: '-k' }))
    .addOption(flagOption('--threshold <r>', 'a test rating >= r is relevant (default: 75% up the rating range, 4 on 1-5; any interaction for implicit-als)', number()))
    .option('--json', 'print one JSON object')
    .action(async (opts: EvaluateFlags, cmd: Command) => {
      const k = opts.k;
      const evalOptions: EvaluateOptions = { k, ...(opts.threshold !== undefined ? { relevanceThreshold: opts.threshold } : {}) };
      const split = opts.train !== undefined || opts.test !== undefined;
      if (split && (opts.ratings !== undefined || opts.cv !== undefined)) throw new UsageError('give either --ratings (with --cv) or --train and --test, not both');
      if (split && (opts.train === undefined || opts.test === undefined)) throw new UsageError('--train and --test go together');
      if (!split && opts.ratings === undefined) throw new UsageError('missing input: --ratings r.csv [--cv 5], or --train a.csv --test b.csv');
      const estimator = makeEstimator(opts);
      if (split) {
        const [train, test] = await Promise.all([loadRatings(opts.train!, opts), loadRatings(opts.test!, opts)]);
        const { result: model, seconds } = await fitWithBar(estimator, train);
        const res = { ...evaluate(model, test, evalOptions), fitSeconds: seconds };
        if (opts.json) printJson(cmd, { algorithm: estimator.algorithm, train: train.size, test: test.size, ...res, hyperparameters: estimator.options });
        else stdoutOf(cmd)(formatPairs(metricPairs(res, k)));
        return;
      }
      const folds = opts.cv ?? 5;
      const ratings = await loadRatings(opts.ratings!, opts);
      if (ratings.size < folds) throw new UsageError(`--cv ${folds} needs at least ${folds} ratings; the file has ${ratings.size}`);
      const res = withProgress(`cv ${estimator.algorithm}`, (onProgress) => crossValidate(estimator, ratings, { ...evalOptions, folds, seed: opts.seed ?? 0, onProgress }));
      if (opts.json) {
        printJson(cmd, { algorithm: res.algorithm, ratings: ratings.size, k, folds: res.folds, mean: res.mean, std: res.std, hyperparameters: estimator.options });
        return;
      }
      const names = [...METRIC_NAMES, 'fitSeconds'] as const;
      const label = (m: string): string => (m === 'fitSeconds' ? 'fit_s' : ['precision', 'recall', 'ndcg', 'map'].includes(m) ? `${m}@${k}` : m);
      const cols = ['fold', ...names.map(label)];
      const rows: string[][] = res.folds.map((f, i) => [String(i + 1), ...names.map((m) => fmt(f[m]))]);
      rows.push(['mean', ...names.map((m) => fmt(res.mean[m]))]);
      rows.push(['std', ...names.map((m) => fmt(res.std[m]))]);
      const widths = cols.map((c, j) => Math.max(c.length, ...rows.map((r) => r[j]!.length)));
      const line = (cells: string[]): string => cells.map((c, j) => c.padStart(widths[j]!)).join('  ') + '\n';
      const out = stdoutOf(cmd);
      out(`${res.algorithm}, ${folds}-fold cross-validation on ${ratings.size} ratings\n`);
      out(line(cols));
      for (const r of rows) out(line(r));
    });
}
