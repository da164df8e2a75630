/**
 * `lowrank balred A.npy B.npy C.npy [--D D.npy] --order r --out DIR`: balanced truncation
 * of the stable system x' = A x + B u, y = C x + D u (src/models/dynamics/
 * balanced-truncation.ts; python-control's `balred(sys, r, method='truncate')`). Writes,
 * with these names (a contract):
 *
 * - hsv.npy  (n,), the Hankel singular values of the full system, descending
 * - Ar.npy   r x r, Br.npy r x m, Cr.npy p x r: the reduced model
 * - Dr.npy   p x m, with --D: the feedthrough (unchanged by truncation)
 *
 * `--tol t` instead of `--order` keeps the states whose Hankel singular value exceeds t.
 * The report gives the order and the a-priori bound 2 (sigma_{r+1} + ... + sigma_n) on
 * the H-infinity norm of the error.
 */
import type { Command } from 'commander';
import { balancedTruncation } from '../../models/dynamics/balanced-truncation.js';
import { memoryNeed, readInput, runFactorCommand, type Factor, type FactorCommandOptions, factorCommand } from '../factor-files.js';
import { flagOption, integer, number } from '../flags.js';
import { UsageError } from '../options.js';

interface BalredFlags extends FactorCommandOptions {
  D?: string;
  order?: number;
  tol?: number;
}

/** Register `lowrank balred`. */
export function registerBalred(program: Command): void {
  factorCommand(program, 'balred', 'balanced truncation of a stable system x\' = A x + B u, y = C x + D u: Hankel singular values (hsv.npy) and the reduced model (Ar.npy, Br.npy, Cr.npy, Dr.npy with --D)')
    .argument('<A>', 'n x n state matrix (stable: every eigenvalue with negative real part)')
    .argument('<B>', 'n x m input matrix')
    .argument('<C>', 'p x n output matrix')
    .option('--D <file>', 'p x m feedthrough matrix (written back as Dr.npy)')
    .addOption(flagOption('-r, --order <r>', 'order of the reduced model', integer({ min: 0 })))
    .addOption(flagOption('--tol <t>', 'instead of --order: keep the states whose Hankel singular value exceeds t', number({ min: 0 })))
    .action(async (a: string, b: string, c: string, opts: BalredFlags, cmd: Command) => {
      if ((opts.order === undefined) === (opts.tol === undefined)) {
        throw new UsageError(opts.order === undefined ? 'give --order r (the reduced order) or --tol t' : 'give either --order or --tol, not both');
      }
      const paths = opts.D !== undefined ? [a, b, c, opts.D] : [a, b, c];
      const inputs = await Promise.all(paths.map((p) => readInput(p, opts.dtype)));
      const [A, B, C, D] = inputs as [typeof inputs[0], typeof inputs[0], typeof inputs[0], typeof inputs[0] | undefined];
      if (opts.order !== undefined && opts.order > A.rows && A.rows === A.cols) {
        throw new UsageError(`--order must be at most the number of states ${A.rows}, got ${opts.order}`);
      }
      const memory = () => {
        const n = A.rows;
        return memoryNeed(`balred of a system with ${n} states`, 'float64', inputs.map((M) => ({ rows: M.rows, cols: M.cols, dtype: M.dtype, sparse: false })), [
          ['the Schur form and vectors', n, 2 * n],
          ['the Gramian factors', n, 2 * n],
          ['the SVD of their product', n, 3 * n],
        ]);
      };
      await runFactorCommand(cmd, 'balred', inputs, { ...opts, memory }, () => {
        const red = balancedTruncation({ A, B, C, D }, opts.order !== undefined ? { order: opts.order } : { tol: opts.tol! });
        const factors: Factor[] = [
          { name: 'hsv', vector: red.hsv },
          { name: 'Ar', matrix: red.Ar },
          { name: 'Br', matrix: red.Br },
          { name: 'Cr', matrix: red.Cr },
        ];
        if (D !== undefined) factors.push({ name: 'Dr', matrix: red.Dr });
        return { factors, facts: { order: red.order, states: A.rows, error_bound: red.errorBound, minimal_order: red.minimalOrder } };
      });
    });
}
