/**
 * `lowrank recommend train|predict|top|similar|evaluate|export`: latent-factor recommenders
 * from ratings files (`user,item,rating[,timestamp]`; CSV, TSV or `::`). One file per
 * subcommand in recommend/, what they share in recommend/shared.ts.
 *
 *     lowrank recommend train --ratings r.csv --algo funksvd --out model.lrm
 *     lowrank recommend predict --model model.lrm --user 196 --item 242
 *     lowrank recommend top --model model.lrm --user 196 -n 10
 *     lowrank recommend top --model model.lrm --all --out recs.parquet
 *     lowrank recommend evaluate --ratings r.csv --cv 5 --algo als --json
 *     lowrank recommend evaluate --train a.csv --test b.csv --algo baseline
 *     lowrank recommend export --model model.lrm --out factors/
 */
import type { Command } from 'commander';
import { registerEvaluate } from './recommend/evaluate.js';
import { registerExport } from './recommend/export.js';
import { registerPredict } from './recommend/predict.js';
import { registerSimilar } from './recommend/similar.js';
import { registerTop } from './recommend/top.js';
import { registerTrain } from './recommend/train.js';

/** Register `lowrank recommend` and its subcommands. */
export function registerRecommend(program: Command): void {
  const rec = program
    .command('recommend')
    .description('latent-factor recommenders (FunkSVD, SVD++, ALS, implicit ALS, baseline) from ratings files');
  registerTrain(rec);
  registerPredict(rec);
  registerTop(rec);
  registerSimilar(rec);
  registerEvaluate(rec);
  registerExport(rec);
}
