/**
 * What the `lowrank recommend` subcommands share: the `--algo` hyperparameter flags and the
 * estimator they make, the `--model` and `-n` options, reading ratings and model files, and
 * the fit under a progress bar.
 */
import { Command, Option } from 'commander';
import { readRatings } from '../../../io/ratings.js';
import { ALS } from '../../../models/recommend/algorithms/als.js';
import { Baseline } from '../../../models/recommend/algorithms/baseline.js';
import type { RecommenderEstimator } from '../../../models/recommend/algorithms/estimator.js';
import { FunkSVD } from '../../../models/recommend/algorithms/funk-svd.js';
import { ImplicitALS } from '../../../models/recommend/algorithms/implicit-als.js';
import { loadModel } from '../../../io/model-file.js';
import { isSparkModelDir, type LoadSparkModelOptions } from '../../../io/spark.js';
import type { LatentFactorModel } from '../../../models/recommend/model/latent-factor-model.js';
import type { Ratings } from '../../../models/recommend/data/ratings.js';
import { SVDpp } from '../../../models/recommend/algorithms/svdpp.js';
import { count, flagOption, integer, list, number } from '../../flags.js';
import { onFile, textReadOptions, UsageError, type TextInputFlags } from '../../options.js';
import { withProgressAsync } from '../../progress-bar.js';
import { timedAsync, type Timed } from '../../timing.js';

/** `--algo` values, as the estimators' `algorithm` names. */
export const ALGORITHMS = ['funksvd', 'svdpp', 'als', 'implicit-als', 'baseline'] as const;
type Algo = (typeof ALGORITHMS)[number];

/** The flags of {@link addHyperOptions}, as their rules read them. */
export interface HyperFlags {
  algo: Algo;
  factors?: number;
  epochs?: number;
  lr?: number;
  reg?: number;
  seed?: number;
  alpha?: number;
}

/** Add `--algo` and its hyperparameters to a subcommand that fits. */
export function addHyperOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--algo <name>', 'algorithm').choices([...ALGORITHMS]).makeOptionMandatory())
    .addOption(flagOption('--factors <f>', 'latent factors (default: the algorithm\'s; funksvd/svdpp 100, als 50, implicit-als 100)', count))
    .addOption(flagOption('--epochs <n>', 'epochs (SGD) or iterations (ALS)', integer({ min: 0 })))
    .addOption(flagOption('--lr <rate>', 'learning rate (funksvd, svdpp, baseline: selects its sgd method)', number()))
    .addOption(flagOption('--reg <lambda>', 'regularization (baseline: selects its sgd method)', number()))
    .addOption(flagOption('--alpha <a>', 'implicit-als confidence slope: c = 1 + alpha r (default 40)', number()))
    .addOption(flagOption('--seed <n>', 'random seed (initialisation, shuffles, folds)', integer({ min: 0 })));
}

/** `--model <file>`, required. */
export function modelOption(): Option {
  return new Option('--model <file>', 'model file from `recommend train`').makeOptionMandatory();
}

/** `-n <count>`: how many items to list (default 10). */
export function countOption(): Option {
  return flagOption('-n, --n <count>', 'how many items', integer({ min: 0 }), { default: '10', name: '-n' });
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
  const { factors, epochs, lr, reg, alpha, seed = 0 } = o;
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

/** A ratings file, read with the `--delimiter`/`--header` flags under a progress bar. */
export async function loadRatings(path: string, o: TextInputFlags): Promise<Ratings> {
  return withProgressAsync(`read ${path}`, (onProgress) => onFile(path, () => readRatings(path, { ...textReadOptions(o), onProgress })));
}

/**
 * What a Spark ALSModel directory cannot say about itself (its metadata records rank and
 * columns only): flags of the commands that read `--model`.
 */
export interface SparkModelFlags {
  ratingRange?: number[];
  implicit?: boolean;
}

/** Add the {@link SparkModelFlags} options to a command that reads `--model`. */
export function addSparkModelOptions(command: Command): Command {
  return command
    .addOption(flagOption('--rating-range <min,max>', 'Spark model directories: clip predictions to [min, max] (default: no clipping, as Spark)', list(number())))
    .option('--implicit', 'Spark model directories: the model was trained with implicitPrefs (its predictions are preference scores)');
}

/**
 * A model: a file written by `recommend train`, or a Spark ALSModel directory read with the
 * {@link SparkModelFlags} (which a lowrank model file does not take: it keeps what it was
 * trained with).
 */
export async function readModel(path: string, spark: SparkModelFlags = {}): Promise<LatentFactorModel> {
  const given = (['ratingRange', 'implicit'] as const).filter((k) => spark[k] !== undefined);
  const flag = { ratingRange: '--rating-range', implicit: '--implicit' } as const;
  const r = spark.ratingRange;
  if (r !== undefined && !(r.length === 2 && r[0]! <= r[1]!)) throw new UsageError(`--rating-range must be two numbers min,max with min <= max, got '${r.join(',')}'`);
  if (given.length > 0 && !(await isSparkModelDir(path))) {
    throw new UsageError(`${given.map((k) => flag[k]).join(', ')} ${given.length > 1 ? 'apply' : 'applies'} to Spark model directories; ${path} is a lowrank model, which keeps the settings it was trained with`);
  }
  const options: LoadSparkModelOptions = { implicit: spark.implicit, ratingRange: r && [r[0]!, r[1]!] };
  return onFile(path, () => loadModel(path, options));
}

// fitAsync, not fit: the same model, but the event loop gets a turn every few milliseconds,
// so Ctrl-C (main.ts's SIGINT handler) stops a long fit at once instead of after it, and the
// bar redraws on its timer.
/** Fit `estimator` on `train` under a progress bar: the model and the seconds it took. */
export async function fitWithBar(estimator: RecommenderEstimator, train: Ratings): Promise<Timed<LatentFactorModel>> {
  return withProgressAsync(`fit ${estimator.algorithm}`, (onProgress) =>
    // Progress reports cost a training-loss pass per epoch: ask for them only when a bar is drawn.
    timedAsync(() => estimator.fitAsync(train, process.stderr.isTTY === true ? { onProgress } : {})),
  );
}
