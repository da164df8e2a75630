/** `lowrank eigh A --out DIR`: eigenvalues (ascending) and eigenvectors of a symmetric A. */
import type { Command } from 'commander';
import { eigh, eigvalsh } from '../../linalg/eigh.js';
import { denseNeed, factorCommand, runDenseCommand, type FactorCommandOptions } from '../factor-files.js';

/** Register `lowrank eigh`. */
export function registerEigh(program: Command): void {
  factorCommand(program, 'eigh', 'eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix, A V = V diag(w) (w.npy, V.npy)')
    .argument('<a>', 'symmetric matrix file; only the lower triangle is read (--upper: the upper)')
    .option('--upper', 'read the upper triangle instead of the lower one')
    .option('--values-only', 'eigenvalues only (faster): writes w.npy alone')
    .action(async (a: string, opts: FactorCommandOptions & { upper?: boolean; valuesOnly?: boolean }, cmd: Command) => {
      const upper = opts.upper ?? false;
      const memory = denseNeed('eigh', (m, n) => (opts.valuesOnly ? [['a working copy of A', m, n]] : [['V', m, n], ['a working copy of A', m, n]]));
      await runDenseCommand(cmd, 'eigh', [a], opts, memory, (A) => {
        if (opts.valuesOnly) return { factors: [{ name: 'w', vector: eigvalsh(A, { upper }) }] };
        const f = eigh(A, { upper });
        return { factors: [{ name: 'w', vector: f.w }, { name: 'V', matrix: f.V }] };
      });
    });
}
