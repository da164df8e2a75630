/**
 * `lowrank recommend train|predict|top|similar|evaluate|export`: latent-factor recommenders
 * from ratings files (`user,item,rating[,timestamp]`; CSV, TSV or `::`).
 *
 *     lowrank recommend train --ratings r.csv --algo funksvd --out model.lrm
 *     lowrank recommend predict --model model.lrm --user 196 --item 242
 *     lowrank recommend top --model model.lrm --user 196 -n 10
 *     lowrank recommend evaluate --ratings r.csv --cv 5 --algo als --json
 *     lowrank recommend evaluate --train a.csv --test b.csv --algo baseline
 *     lowrank recommend export --model model.lrm --out factors/
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { readRatings } from '../../io/ratings.js';
import { writeNpy } from '../../io/npy.js';
import { Matrix } from '../../matrix/matrix.js';
import { ALS } from '../../models/recommend/als.js';
import { Baseline } from '../../models/recommend/baseline.js';
import type { RecommenderEstimator } from '../../models/recommend/estimator.js';
import { crossValidate, evaluate, METRIC_NAMES, type EvaluateOptions, type EvaluationResult } from '../../models/recommend/evaluate.js';
import { FunkSVD } from '../../models/recommend/funk-svd.js';
import { ImplicitALS } from '../../models/recommend/implicit-als.js';
import { rmse } from '../../models/recommend/metrics.js';
import { loadModel, saveModel } from '../../models/recommend/model-file-node.js';
import type { LatentFactorModel } from '../../models/recommend/model.js';
import type { Ratings } from '../../models/recommend/ratings.js';
import { SVDpp } from '../../models/recommend/svdpp.js';
import { delimiterOption, headerMode, headerOption, onFile, UsageError } from '../options.js';
import { formatPairs, human, printJson, stdoutOf } from '../output.js';
import { progressBar } from '../progress-bar.js';

/** `--algo` values, as the estimators' `algorithm` names. */
export const ALGORITHMS = ['funksvd', 'svdpp', 'als', 'implicit-als', 'baseline'] as const;
type Algo = (typeof ALGORITHMS)[number];

interface HyperFlags {
  algo: Algo;
  factors?: string;
  epochs?: string;
  lr?: string;
  reg?: string;
  seed?: string;
  alpha?: string;
}

interface ReadFlags {
  delimiter?: string;
  header?: string;
}

/** Register `lowrank recommend` and its subcommands. */
export function registerRecommend(program: Command): void {
  const rec = program
    .command('recommend')
    .description('latent-factor recommenders (FunkSVD, SVD++, ALS, implicit ALS, baseline) from ratings files');

  withRead(withHyper(rec.command('train')))
    .description('fit a recommender on a ratings file and save it as a model file')
    .requiredOption('--ratings <file>', 'ratings file: user,item,rating[,timestamp] lines (CSV, TSV or ::)')
    .requiredOption('-o, --out <model>', 'model file to write (.lrm)')
    .option('--json', 'print one JSON object')
    .action(async (opts: HyperFlags & ReadFlags & { ratings: string; out: string; json?: boolean }, cmd: Command) => {
      const estimator = makeEstimator(opts);
      const ratings = await loadRatings(opts.ratings, opts);
      // A fit that fails (diverges, is interrupted) throws here, before anything is written:
      // an existing --out file stays as it was.
      const { model, seconds } = await fitWithBar(estimator, ratings);
      const trainRmse = model.kind === 'explicit' ? rmse(model.predictRatings(ratings), ratings.values) : NaN;
      await onFile(opts.out, () => saveModel(opts.out, model));
      const summary = {
        algorithm: estimator.algorithm, ratings: ratings.size, users: ratings.nUsers, items: ratings.nItems,
        factors: model.factors, fit_seconds: seconds, train_rmse: trainRmse, model: opts.out,
      };
      if (opts.json) printJson(cmd, { ...summary, hyperparameters: estimator.options });
      else stdoutOf(cmd)(formatPairs(Object.entries(summary).map(([k, v]) => [k, typeof v === 'number' ? human(v) : String(v)])));
    });

  rec
    .command('predict')
    .description("predict a user's rating of an item (says when a cold-start fallback was used)")
    .requiredOption('--model <file>', 'model file from `recommend train`')
    .requiredOption('--user <id>', 'user ID as in the ratings file')
    .requiredOption('--item <id>', 'item ID as in the ratings file')
    .option('--json', 'print one JSON object')
    .action(async (opts: { model: string; user: string; item: string; json?: boolean }, cmd: Command) => {
      const model = await readModel(opts.model);
      const p = model.predict(opts.user, opts.item);
      const note = coldNote(p.coldStart, opts.user, opts.item);
      if (opts.json) {
        printJson(cmd, { user: opts.user, item: opts.item, prediction: p.value, clipped: p.clipped, cold_start: p.coldStart, kind: model.kind });
        return;
      }
      const pairs: [string, string][] = [['user', opts.user], ['item', opts.item], [model.kind === 'explicit' ? 'rating' : 'score', human(p.value)]];
      if (p.clipped) pairs.push(['clipped', `to the rating scale [${model.state.ratingScale.join(', ')}]`]);
      if (note) pairs.push(['cold start', note]);
      stdoutOf(cmd)(formatPairs(pairs));
    });

  rec
    .command('top')
    .description('top-n items for a user (items the user rated in training are left out)')
    .requiredOption('--model <file>', 'model file from `recommend train`')
    .requiredOption('--user <id>', 'user ID as in the ratings file')
    .addOption(new Option('-n, --n <count>', 'how many items').default('10'))
    .option('--include-seen', 'also rank items the user rated in training')
    .option('--json', 'print one JSON object')
    .action(async (opts: { model: string; user: string; n: string; includeSeen?: boolean; json?: boolean }, cmd: Command) => {
      const n = intFlag(opts.n, '-n', 0);
      const model = await readModel(opts.model);
      const known = model.hasUser(opts.user);
      const items = model.recommend(opts.user, { n, excludeSeen: !opts.includeSeen });
      if (opts.json) {
        printJson(cmd, { user: opts.user, cold_start: !known, items });
        return;
      }
      const out = stdoutOf(cmd);
      if (!known) out(`# user '${opts.user}' is not in the model: ranked by item ${model.kind === 'explicit' ? 'bias (mu + b_i)' : 'popularity'}\n`);
      const w = Math.max(4, ...items.map((r) => r.item.length));
      out(`rank  ${'item'.padEnd(w)}  score\n`);
      items.forEach((r, k) => out(`${String(k + 1).padStart(4)}  ${r.item.padEnd(w)}  ${human(r.score)}\n`));
    });

  rec
    .command('similar')
    .description('items most similar to an item (cosine of the item factors)')
    .requiredOption('--model <file>', 'model file from `recommend train`')
    .requiredOption('--item <id>', 'item ID as in the ratings file')
    .addOption(new Option('-n, --n <count>', 'how many items').default('10'))
    .option('--json', 'print one JSON object')
    .action(async (opts: { model: string; item: string; n: string; json?: boolean }, cmd: Command) => {
      const n = intFlag(opts.n, '-n', 0);
      const model = await readModel(opts.model);
      const items = model.similarItems(opts.item, n);
      if (opts.json) {
        printJson(cmd, { item: opts.item, items });
        return;
      }
      stdoutOf(cmd)(formatPairs(items.map((r) => [r.item, human(r.score)])));
    });

  withRead(withHyper(rec.command('evaluate')))
    .description('held-out accuracy: rmse, mae, precision/recall/ndcg/map@k, coverage and fit seconds (k-fold with --cv, or a given train/test pair)')
    .option('--ratings <file>', 'ratings file to cross-validate (with --cv)')
    .option('--cv <folds>', 'k-fold cross-validation with this many folds (with --ratings; default 5)')
    .option('--train <file>', 'training ratings file (with --test)')
    .option('--test <file>', 'test ratings file (with --train)')
    .addOption(new Option('-k, --k <k>', 'cutoff of the ranking metrics').default('10'))
    .option('--threshold <r>', 'a test rating >= r is relevant (default: 75% up the rating range, 4 on 1-5; any interaction for implicit-als)')
    .option('--json', 'print one JSON object')
    .action(async (opts: HyperFlags & ReadFlags & { ratings?: string; cv?: string; train?: string; test?: string; k: string; threshold?: string; json?: boolean }, cmd: Command) => {
      const k = intFlag(opts.k, '-k', 1);
      const evalOptions: EvaluateOptions = { k, ...(opts.threshold !== undefined ? { relevanceThreshold: numFlag(opts.threshold, '--threshold') } : {}) };
      const split = opts.train !== undefined || opts.test !== undefined;
      if (split && (opts.ratings !== undefined || opts.cv !== undefined)) throw new UsageError('give either --ratings (with --cv) or --train and --test, not both');
      if (split && (opts.train === undefined || opts.test === undefined)) throw new UsageError('--train and --test go together');
      if (!split && opts.ratings === undefined) throw new UsageError('missing input: --ratings r.csv [--cv 5], or --train a.csv --test b.csv');
      const estimator = makeEstimator(opts);
      if (split) {
        const [train, test] = await Promise.all([loadRatings(opts.train!, opts), loadRatings(opts.test!, opts)]);
        const { model, seconds } = await fitWithBar(estimator, train);
        const res = { ...evaluate(model, test, evalOptions), fitSeconds: seconds };
        if (opts.json) printJson(cmd, { algorithm: estimator.algorithm, train: train.size, test: test.size, ...res, hyperparameters: estimator.options });
        else stdoutOf(cmd)(formatPairs(metricPairs(res, k)));
        return;
      }
      const folds = opts.cv === undefined ? 5 : intFlag(opts.cv, '--cv', 2);
      const ratings = await loadRatings(opts.ratings!, opts);
      if (ratings.size < folds) throw new UsageError(`--cv ${folds} needs at least ${folds} ratings; the file has ${ratings.size}`);
      const bar = progressBar(`cv ${estimator.algorithm}`);
      let res;
      try {
        res = crossValidate(estimator, ratings, { ...evalOptions, folds, seed: seedOf(opts), onProgress: bar.onProgress });
      } finally {
        bar.stop();
      }
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

  rec
    .command('export')
    .description('write a model as .npy files: user_factors, item_factors, user_bias, item_bias, global_mean (prediction = mu + b_u + b_i + p_u . q_i; rows follow the order of first appearance in the ratings file)')
    .requiredOption('--model <file>', 'model file from `recommend train`')
    .requiredOption('-o, --out <dir>', 'directory to write into (created if needed)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { model: string; out: string; json?: boolean }, cmd: Command) => {
      const model = await readModel(opts.model);
      const f = model.exportFactors();
      await mkdir(opts.out, { recursive: true });
      const files: [string, Matrix][] = [
        ['user_factors.npy', f.userFactors],
        ['item_factors.npy', f.itemFactors],
        ['user_bias.npy', new Matrix(f.userBias, 1, f.userBias.length)],
        ['item_bias.npy', new Matrix(f.itemBias, 1, f.itemBias.length)],
        ['global_mean.npy', new Matrix(Float64Array.of(model.state.globalMean), 1, 1)],
      ];
      for (const [name, M] of files) {
        const path = join(opts.out, name);
        // Biases are 1-D vectors in numpy terms.
        await onFile(path, () => writeNpy(path, M, M.rows === 1 ? { shape1d: true } : {}));
      }
      const written = files.map(([name]) => join(opts.out, name));
      if (opts.json) printJson(cmd, { users: model.nUsers, items: model.nItems, factors: model.factors, global_mean: model.state.globalMean, files: written });
      else stdoutOf(cmd)(written.join('\n') + '\n');
    });
}

function withHyper(cmd: Command): Command {
  return cmd
    .addOption(new Option('--algo <name>', 'algorithm').choices([...ALGORITHMS]).makeOptionMandatory())
    .option('--factors <f>', 'latent factors (default: the algorithm\'s; funksvd/svdpp 100, als 50, implicit-als 100)')
    .option('--epochs <n>', 'epochs (SGD) or iterations (ALS)')
    .option('--lr <rate>', 'learning rate (funksvd, svdpp, baseline: selects its sgd method)')
    .option('--reg <lambda>', 'regularization (baseline: selects its sgd method)')
    .option('--alpha <a>', 'implicit-als confidence slope: c = 1 + alpha r (default 40)')
    .option('--seed <n>', 'random seed (initialisation, shuffles, folds)');
}

function withRead(cmd: Command): Command {
  return cmd.addOption(delimiterOption()).addOption(headerOption());
}

function intFlag(v: string, name: string, min: number): number {
  const n = Number(v);
  if (!(v.trim() !== '' && Number.isInteger(n) && n >= min)) throw new UsageError(`${name} must be an integer >= ${min}, got '${v}'`);
  return n;
}

function numFlag(v: string, name: string): number {
  const n = Number(v);
  if (!(v.trim() !== '' && Number.isFinite(n))) throw new UsageError(`${name} must be a number, got '${v}'`);
  return n;
}

function seedOf(o: HyperFlags): number {
  return o.seed === undefined ? 0 : intFlag(o.seed, '--seed', 0);
}

/** The estimator for `--algo` with the hyperparameter flags that apply to it; a flag that does not apply is a usage error. */
export function makeEstimator(o: HyperFlags): RecommenderEstimator {
  const given = (['factors', 'epochs', 'lr', 'reg', 'alpha'] as const).filter((k) => o[k] !== undefined);
  const allowed: Record<Algo, readonly string[]> = {
    funksvd: ['factors', 'epochs', 'lr', 'reg'],
    svdpp: ['factors', 'epochs', 'lr', 'reg'],
    baseline: ['epochs', 'lr', 'reg'],
    als: ['factors', 'epochs', 'reg'],
    'implicit-als': ['factors', 'epochs', 'reg', 'alpha'],
  };
  for (const k of given) if (!allowed[o.algo].includes(k)) throw new UsageError(`--${k} does not apply to --algo ${o.algo} (it takes ${allowed[o.algo].map((a) => `--${a}`).join(', ')}, --seed)`);
  const factors = o.factors === undefined ? undefined : intFlag(o.factors, '--factors', 1);
  const epochs = o.epochs === undefined ? undefined : intFlag(o.epochs, '--epochs', 0);
  const lr = o.lr === undefined ? undefined : numFlag(o.lr, '--lr');
  const reg = o.reg === undefined ? undefined : numFlag(o.reg, '--reg');
  const alpha = o.alpha === undefined ? undefined : numFlag(o.alpha, '--alpha');
  const seed = seedOf(o);
  const def = <T extends object>(x: T): T => Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as T;
  try {
    switch (o.algo) {
      case 'funksvd':
        return new FunkSVD(def({ factors, epochs, lr, reg, seed }));
      case 'svdpp':
        return new SVDpp(def({ factors, epochs, lr, reg, seed }));
      case 'baseline':
        // lr and reg are parameters of Baseline's 'sgd' method only ('als' has regUser and
        // regItem): giving either selects 'sgd' instead of being silently ignored.
        return new Baseline(def({ method: lr !== undefined || reg !== undefined ? ('sgd' as const) : undefined, epochs, lr, reg, seed }));
      case 'als':
        return new ALS(def({ factors, iterations: epochs, reg, seed }));
      case 'implicit-als':
        return new ImplicitALS(def({ factors, iterations: epochs, reg, alpha, seed }));
    }
  } catch (e) {
    // An out-of-range hyperparameter is a usage error of the flag.
    if (e instanceof Error && e.name === 'InvalidArgumentError') throw new UsageError(e.message);
    throw e;
  }
}

async function loadRatings(path: string, o: ReadFlags): Promise<Ratings> {
  const bar = progressBar(`read ${path}`);
  try {
    return await onFile(path, () => readRatings(path, {
      ...(o.delimiter !== undefined ? { delimiter: o.delimiter } : {}),
      header: headerMode(o.header),
      onProgress: bar.onProgress,
    }));
  } finally {
    bar.stop();
  }
}

async function readModel(path: string): Promise<LatentFactorModel> {
  return onFile(path, () => loadModel(path));
}

// fitAsync, not fit: the same model, but the event loop gets a turn every few milliseconds,
// so Ctrl-C (main.ts's SIGINT handler) stops a long fit at once instead of after it, and the
// bar redraws on its timer.
async function fitWithBar(estimator: RecommenderEstimator, train: Ratings): Promise<{ model: LatentFactorModel; seconds: number }> {
  const bar = progressBar(`fit ${estimator.algorithm}`);
  const t0 = performance.now();
  try {
    // Progress reports cost a training-loss pass per epoch: ask for them only when a bar is drawn.
    const model = await estimator.fitAsync(train, process.stderr.isTTY === true ? { onProgress: bar.onProgress } : {});
    return { model, seconds: (performance.now() - t0) / 1000 };
  } finally {
    bar.stop();
  }
}

function coldNote(c: string, user: string, item: string): string | undefined {
  switch (c) {
    case 'user': return `user '${user}' is not in the model: mu + b_i`;
    case 'item': return `item '${item}' is not in the model: mu + b_u`;
    case 'both': return `neither user '${user}' nor item '${item}' is in the model: the global mean`;
    default: return undefined;
  }
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
