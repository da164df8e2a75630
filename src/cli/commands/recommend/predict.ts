/** `lowrank recommend predict --model model.lrm --user 196 --item 242`: one predicted rating. */
import type { Command } from 'commander';
import { formatPairs, human, printJson, stdoutOf } from '../../output.js';
import { addSparkModelOptions, modelOption, readModel, type SparkModelFlags } from './shared.js';

function coldNote(c: string, user: string, item: string): string | undefined {
  switch (c) {
    case 'user': return `user '${user}' is not in the model: mu + b_i`;
    case 'item': return `item '${item}' is not in the model: mu + b_u`;
    case 'both': return `neither user '${user}' nor item '${item}' is in the model: the global mean`;
    default: return undefined;
  }
}

/** Register `lowrank recommend predict`. */
export function registerPredict(rec: Command): void {
  const command = rec
    .command('predict')
    .description("predict a user's rating of an item (says when a cold-start fallback was used)")
    .addOption(modelOption())
    .requiredOption('--user <id>', 'user ID as in the ratings file')
    .requiredOption('--item <id>', 'item ID as in the ratings file')
    .option('--json', 'print one JSON object');
  addSparkModelOptions(command).action(async (opts: { model: string; user: string; item: string; json?: boolean } & SparkModelFlags, cmd: Command) => {
      const model = await readModel(opts.model, opts);
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
}
