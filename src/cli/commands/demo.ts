import type { Command } from 'commander';
import { runDemo } from '../demo-lowrank.js';
import { getThreads, kernels } from '../../kernels/index.js';
import { flagOption, integer, number } from '../flags.js';
import { printJson, stdoutOf } from '../output.js';

/** `lowrank demo`: the low-rank approximation table that `npm start` prints. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('rank-k approximation of a matrix with a planted spectrum: energy, optimal and randomized errors')
    .addOption(flagOption('--rows <m>', 'rows of the generated matrix', integer({ min: 0 }), { default: '2000' }))
    .addOption(flagOption('--cols <n>', 'columns of the generated matrix', integer({ min: 0 }), { default: '1000' }))
    .addOption(flagOption('--seed <s>', 'random seed', number(), { default: '1' }))
    .option('--json', 'print one JSON object')
    .action((opts: { rows: number; cols: number; seed: number; json?: boolean }, cmd: Command) => {
      const { rows: m, cols: n, seed } = opts;
      const { rows, seconds } = runDemo({ m, n, seed });
      const backend = kernels().name;
      if (opts.json) {
        printJson(cmd, { m, n, seed, backend, threads: getThreads(), seconds, rows });
        return;
      }
      const out: string[] = [];
      out.push(`lowrank demo: best rank-k approximations of a ${m}x${n} matrix`);
      out.push('A = U diag(s) V^T with 8 strong directions (s_i = 100 * 0.6^i) over a noise floor.');
      out.push('Eckart-Young: the best rank-k error is sqrt(sum_{i>k} s_i^2); the randomized range');
      out.push('finder (Halko-Martinsson-Tropp 2011, 2 power iterations) should come close to it.');
      out.push('');
      out.push('   k   energy kept   optimal ||A-A_k||/||A||   randomized   storage k(m+n)/mn');
      for (const r of rows) {
        out.push(
          `${String(r.k).padStart(4)}   ${(100 * r.energy).toFixed(3).padStart(9)}%   ${r.optimalError.toExponential(4).padStart(22)}   ${r.randomizedError.toExponential(4).padStart(10)}   ${(100 * r.storage).toFixed(2).padStart(8)}%`,
        );
      }
      out.push('');
      out.push(`${seconds.toFixed(2)} s on the '${backend}' kernels with ${getThreads()} thread(s). Try: npx lowrank --help`);
      stdoutOf(cmd)(out.join('\n') + '\n');
    });
}
