/** `lowrank recommend similar --model model.lrm --item 242 -n 10`: the items nearest an item. */
import type { Command } from 'commander';
import { formatPairs, human, printJson, stdoutOf } from '../../output.js';
import { countOption, modelOption, readModel } from './shared.js';

/** Register `lowrank recommend similar`. */
export function registerSimilar(rec: Command): void {
  rec
    .command('similar')
    .description('items most similar to an item (cosine of the item factors)')
    .addOption(modelOption())
    .requiredOption('--item <id>', 'item ID as in the ratings file')
    .addOption(countOption())
    .option('--json', 'print one JSON object')
    .action(async (opts: { model: string; item: string; n: number; json?: boolean }, cmd: Command) => {
      const model = await readModel(opts.model);
      const items = model.similarItems(opts.item, opts.n);
      if (opts.json) {
        printJson(cmd, { item: opts.item, items });
        return;
      }
      stdoutOf(cmd)(formatPairs(items.map((r) => [r.item, human(r.score)])));
    });
}
