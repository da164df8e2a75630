/**
 * `lowrank stationary P.mtx --out DIR`: the stationary distribution of a Markov chain with
 * row-stochastic transition matrix P (src/models/graph/markov.ts). Writes (a contract):
 *
 * - pi.npy  (n,)  pi P = pi, pi >= 0, sum 1 (zero on transient states)
 *
 * A matrix that is not stochastic (a negative entry, a row not summing to 1) or a reducible
 * chain with several closed classes: errors naming the row or the classes (exit 1).
 */
import { Option, type Command } from 'commander';
import { STATIONARY_METHODS, stationaryDistribution, type StationaryMethod } from '../../models/graph/markov.js';
import { CsrMatrix } from '../../sparse/csr.js';
import { factorCommand, runFactorCommand, type FactorCommandOptions } from '../factor-files.js';
import { flagOption, number } from '../flags.js';
import { readDenseOrSparseInput } from '../read-input.js';

interface StationaryFlags extends FactorCommandOptions {
  method: StationaryMethod;
  tol?: number;
  rowSumTol?: number;
}

/** Register `lowrank stationary`. */
export function registerStationary(program: Command): void {
  factorCommand(program, 'stationary', 'stationary distribution of a Markov chain (row-stochastic P): pi.npy')
    .argument('<P>', 'row-stochastic transition matrix (.mtx stays sparse; .npy, .csv, .tsv, .txt)')
    .addOption(new Option('--method <m>', 'direct (GTH elimination), arnoldi (eigs on the lazy chain), auto: direct up to 1000 states').choices(STATIONARY_METHODS).default('auto'))
    .addOption(flagOption('--tol <t>', 'arnoldi: residual tolerance (default 1e-12)', number({ above: 0, below: 1 })))
    .addOption(flagOption('--row-sum-tol <t>', 'how far a row sum may be from 1 (default 1e-6)', number({ min: 0 })))
    .action(async (path: string, opts: StationaryFlags, cmd: Command) => {
      const P = (await readDenseOrSparseInput(path, { dtype: opts.dtype })).matrix;
      await runFactorCommand(cmd, 'stationary', [P], opts, () => {
        const r = stationaryDistribution(P, { method: opts.method, tol: opts.tol, rowSumTol: opts.rowSumTol });
        const facts: Record<string, number | string> = {
          method: r.method,
          period: r.period,
          transient_states: r.transient.length,
          residual: r.residual,
        };
        if (P instanceof CsrMatrix) facts.nnz = P.nnz;
        return { factors: [{ name: 'pi', vector: r.pi }], facts };
      });
    });
}
