/** `lowrank lstsq A b --out DIR`: the minimum-norm least-squares solution of A x = b, by the SVD. */
import type { Command } from 'commander';
import { lstsq } from '../../linalg/lstsq.js';
import { denseNeed, factorCommand, rhsFactor, rhsOf, runDenseCommand, type FactorCommandOptions } from '../factor-files.js';
import { flagOption, number } from '../flags.js';

/** Register `lowrank lstsq`. */
export function registerLstsq(program: Command): void {
  factorCommand(program, 'lstsq', 'minimum-norm least-squares solution of A x = b for any A, by the SVD (x.npy)')
    .argument('<a>', 'matrix file (m x n, any shape or rank)')
    .argument('<b>', 'right-hand side: a vector of length m or an m x r matrix')
    .addOption(flagOption('--rcond <r>', 'singular values <= r * s_max count as zero (default: eps * max(m, n))', number({ min: 0 })))
    .action(async (a: string, b: string, opts: FactorCommandOptions & { rcond?: number }, cmd: Command) => {
      const memory = denseNeed('lstsq', (m, n, r) => [['U', m, Math.min(m, n)], ['Vt', Math.min(m, n), n], ['a working copy of A', m, n], ['x', n, r]]);
      await runDenseCommand(cmd, 'lstsq', [a, b], opts, memory, (A, B) => {
        const r = lstsq(A, rhsOf(B), { rcond: opts.rcond });
        const facts: Record<string, number> = { rank: r.rank };
        if (r.residuals.length > 0) facts.residual_norm = Math.sqrt(r.residuals.reduce((t, v) => t + v, 0));
        return { factors: [rhsFactor('x', r.x, B)], facts };
      });
    });
}
