/** `lowrank recommend top --model model.lrm --user 196 -n 10`: a user's top-n items. */
import type { Command } from 'commander';
import { human, printJson, stdoutOf } from '../../output.js';
import { countOption, modelOption, readModel } from './shared.js';

/** Register `lowrank recommend top`. */
export function registerTop(rec: Command): void {
  rec
    .command('top')
    .description('top-n items for a user (items the user rated in training are left out)')
    .addOption(modelOption())
    .requiredOption('--user <id>', 'user ID as in the ratings file')
    .addOption(countOption())
    .option('--include-seen', 'also rank items the user rated in training')
    .option('--json', 'print one JSON object')
    .action(async (opts: { model: string; user: string; n: number; includeSeen?: boolean; json?: boolean }, cmd: Command) => {
      const model = await readModel(opts.model);
      const known = model.hasUser(opts.user);
      const items = model.recommend(opts.user, { n: opts.n, excludeSeen: !opts.includeSeen });
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
}
