/** `lowrank recommend train --ratings r.csv --algo funksvd --out model.lrm`: fit and save a model. */
import type { Command } from 'commander';
import { rmse } from '../../../models/recommend/evaluation/metrics.js';
import { saveModel } from '../../../io/model-file.js';
import { addTextInputOptions, onFile, type TextInputFlags } from '../../options.js';
import { formatPairs, human, printJson, stdoutOf } from '../../output.js';
import { addHyperOptions, fitWithBar, loadRatings, makeEstimator, type HyperFlags } from './shared.js';

interface TrainFlags extends HyperFlags, TextInputFlags {
  ratings: string;
  out: string;
  json?: boolean;
}

/** Register `lowrank recommend train`. */
export function registerTrain(rec: Command): void {
  addTextInputOptions(addHyperOptions(rec.command('train')))
    .description('fit a recommender on a ratings file and save it as a model file')
    .requiredOption('--ratings <file>', 'ratings file: user,item,rating[,timestamp] lines (CSV, TSV or ::)')
    .requiredOption('-o, --out <model>', 'model file to write (.lrm)')
    .option('--json', 'print one JSON object')
    .action(async (opts: TrainFlags, cmd: Command) => {
      const estimator = makeEstimator(opts);
      const ratings = await loadRatings(opts.ratings, opts);
      // A fit that fails (diverges, is interrupted) throws here, before anything is written:
      // an existing --out file stays as it was.
      const { result: model, seconds } = await fitWithBar(estimator, ratings);
      const trainRmse = model.kind === 'explicit' ? rmse(model.predictRatings(ratings), ratings.values) : NaN;
      await onFile(opts.out, () => saveModel(opts.out, model));
      const summary = {
        algorithm: estimator.algorithm, ratings: ratings.size, users: ratings.nUsers, items: ratings.nItems,
        factors: model.factors, fit_seconds: seconds, train_rmse: trainRmse, model: opts.out,
      };
      if (opts.json) printJson(cmd, { ...summary, hyperparameters: estimator.options });
      else stdoutOf(cmd)(formatPairs(Object.entries(summary).map(([k, v]) => [k, typeof v === 'number' ? human(v) : String(v)])));
    });
}
