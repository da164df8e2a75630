/**
 * `lowrank cp T.npy --rank r [--nonnegative] --out DIR`: CP (CANDECOMP/PARAFAC)
 * decomposition of an n-d array by ALS (HALS with --nonnegative). Writes, with
 * numpy-checkable names (a contract):
 *
 * - weights.npy    (r,), the weights λ, descending
 * - factor_k.npy   n_k x r for each mode k, unit-norm columns
 *
 * numpy rebuilds the tensor as the sum over c of weights[c] times the outer product of the
 * factors' columns c, e.g. for three modes `np.einsum('r,ir,jr,kr->ijk', w, A, B, C)`.
 */
import { Option, type Command } from 'commander';
import { CP_INITS, cp, type CPInit } from '../../models/tensor/cp.js';
import { count, flagOption, integer, number } from '../flags.js';
import { dtypeOption, UsageError } from '../options.js';
import { withProgress } from '../progress-bar.js';
import { readTensorInput } from '../read-input.js';
import { runTensorCommand, type TensorCommandFlags } from './tucker.js';

interface CpFlags extends TensorCommandFlags {
  rank: number;
  nonnegative?: boolean;
  init: CPInit;
  maxIter: number;
  tol: number;
  seed: number;
  lineSearch?: boolean;
}

/** Register `lowrank cp`. */
export function registerCp(program: Command): void {
  program
    .command('cp')
    .description('CP (CANDECOMP/PARAFAC) decomposition of an n-d array by ALS: weights.npy (r,) and factor_k.npy (n_k x r, unit-norm columns)')
    .argument('<t>', 'the tensor, an .npy file with 2 or more dimensions')
    .addOption(flagOption('-r, --rank <r>', 'number of rank-one components', count).makeOptionMandatory())
    .option('--nonnegative', 'non-negative factors and weights (HALS)')
    .addOption(new Option('--init <name>', 'svd (leading singular vectors of the unfoldings) or random').choices(CP_INITS).default('svd'))
    .addOption(flagOption('--max-iter <n>', 'sweep cap', count, { default: '100' }))
    .addOption(flagOption('--tol <t>', 'stop when a sweep lowers the squared relative error by at most t (0: run --max-iter)', number({ min: 0 }), { default: '1e-10' }))
    .option('--line-search', "Bro's extrapolation after each sweep (not with --nonnegative)")
    .addOption(flagOption('--seed <s>', 'seed of --init random (and of the columns svd cannot fill)', integer(), { default: '0' }))
    .option('-o, --out <dir>', 'write weights.npy and factor_0.npy ... into this directory (created if needed); without it they are printed')
    .addOption(dtypeOption('read the file in this precision (the decomposition runs in float64)'))
    .option('--json', 'print one JSON object')
    .action(async (t: string, opts: CpFlags, cmd: Command) => {
      if (opts.nonnegative && opts.lineSearch) throw new UsageError('--line-search applies to the unconstrained CP-ALS only; drop it or --nonnegative');
      const T = await readTensorInput(t, { dtype: opts.dtype });
      if (T.ndim < 2) throw new UsageError(`${t}: holds a ${T.ndim}-d array (shape [${T.shape.join(', ')}]); CP needs 2 or more dimensions`);
      await runTensorCommand(cmd, 'cp', T, opts, () => {
        const f = withProgress('cp', (onProgress) =>
          cp(T, opts.rank, { nonnegative: opts.nonnegative ?? false, init: opts.init, maxIter: opts.maxIter, tol: opts.tol, seed: opts.seed, lineSearch: opts.lineSearch ?? false, onProgress }),
        );
        return {
          outputs: [{ name: 'weights', vector: f.weights }, ...f.factors.map((A, k) => ({ name: `factor_${k}`, matrix: A }))],
          facts: {
            rank: f.rank,
            nonnegative: opts.nonnegative ?? false,
            relative_error: f.relativeError,
            fit: f.fit,
            iterations: f.iterations,
            converged: f.converged,
            params: f.params,
            compression: f.compressionRatio,
          },
        };
      });
    });
}
