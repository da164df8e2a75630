/**
 * `lowrank dmd X.npy --rank r [--dt t] [--predict k] --out DIR`: exact dynamic mode
 * decomposition of snapshots (the columns of X; src/models/dynamics/dmd.ts). Complex
 * results are written as real and imaginary parts apart, named as `lowrank eig` names them
 * (a contract):
 *
 * - w_real.npy, w_imag.npy                    (r,) the eigenvalues lambda_j
 * - modes_real.npy, modes_imag.npy            n x r, the modes Phi (column j for lambda_j)
 * - amplitudes_real.npy, amplitudes_imag.npy  (r,) b = Phi^+ x_0
 * - frequencies.npy, growth_rates.npy         (r,) Im and Re of log(lambda_j) / dt (frequency in cycles per unit)
 * - predict.npy                               n x k, with --predict k: the k states after the last snapshot
 */
import type { Command } from 'commander';
import type { Matrix } from '../../matrix/matrix.js';
import { dmd } from '../../models/dynamics/dmd.js';
import { denseNeed, factorCommand, runDenseCommand, type Factor, type FactorCommandOptions } from '../factor-files.js';
import { atMost, count, flagOption, integer, number } from '../flags.js';

interface DmdFlags extends FactorCommandOptions {
  rank?: number;
  dt: number;
  predict?: number;
}

/** Register `lowrank dmd`. */
export function registerDmd(program: Command): void {
  factorCommand(program, 'dmd', 'exact dynamic mode decomposition of snapshots (columns of X): eigenvalues (w_real.npy, w_imag.npy), modes (modes_real.npy, modes_imag.npy), amplitudes, frequencies, growth rates')
    .argument('<X>', 'snapshot matrix, one snapshot per column (.npy, .mtx, .csv, .tsv, .txt)')
    .addOption(flagOption('-r, --rank <r>', 'modes: rank of the SVD of X[:, :-1] (default: its numerical rank)', count))
    .addOption(flagOption('--dt <t>', 'time between snapshots, for frequencies and growth rates', number({ above: 0 }), { default: '1' }))
    .addOption(flagOption('--predict <k>', 'also write predict.npy: the k states after the last snapshot', integer({ min: 1 })))
    .action(async (path: string, opts: DmdFlags, cmd: Command) => {
      const memory = denseNeed('dmd', (n, m) => [['the SVD of X[:, :-1]', n, Math.min(n, m)], ['modes_real', n, Math.min(n, m)], ['modes_imag', n, Math.min(n, m)], ['predict', n, opts.predict ?? 0]]);
      await runDenseCommand(cmd, 'dmd', [path], opts, memory, (X: Matrix) => {
        if (opts.rank !== undefined && X.cols >= 2) atMost('--rank', opts.rank, Math.min(X.rows, X.cols - 1), `min(rows, snapshots - 1) = ${Math.min(X.rows, X.cols - 1)} for this ${X.rows}x${X.cols} matrix`);
        const f = dmd(X, { rank: opts.rank, dt: opts.dt });
        const factors: Factor[] = [
          { name: 'w_real', vector: f.wReal },
          { name: 'w_imag', vector: f.wImag },
          { name: 'modes_real', matrix: f.modesReal },
          { name: 'modes_imag', matrix: f.modesImag },
          { name: 'amplitudes_real', vector: f.amplitudesReal },
          { name: 'amplitudes_imag', vector: f.amplitudesImag },
          { name: 'frequencies', vector: f.frequencies },
          { name: 'growth_rates', vector: f.growthRates },
        ];
        if (opts.predict !== undefined) factors.push({ name: 'predict', matrix: f.predict(opts.predict) });
        const mags = f.magnitudes;
        return { factors, facts: { modes: f.rank, dt: opts.dt, largest_magnitude: mags[0] ?? 0 } };
      });
    });
}
