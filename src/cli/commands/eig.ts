/** `lowrank eig A --out DIR`: eigenvalues and right eigenvectors of a real square A, complex parts apart. */
import type { Command } from 'commander';
import { eig } from '../../linalg/eig.js';
import { denseNeed, factorCommand, runDenseCommand, type FactorCommandOptions } from '../factor-files.js';

/** Register `lowrank eig`. */
export function registerEig(program: Command): void {
  factorCommand(program, 'eig', 'eigenvalues and right eigenvectors of a real square matrix, complex parts separate (w_real.npy, w_imag.npy, V_real.npy, V_imag.npy)')
    .argument('<a>', 'square matrix file (.npy, .mtx, .csv, .tsv, .txt)')
    .action(async (a: string, opts: FactorCommandOptions, cmd: Command) => {
      const memory = denseNeed('eig', (m, n) => [['V_real', m, n], ['V_imag', m, n], ['the Schur form', m, n], ['the Schur vectors', m, n]]);
      await runDenseCommand(cmd, 'eig', [a], opts, memory, (A) => {
        const f = eig(A);
        let complex = 0;
        for (const v of f.wImag) if (v !== 0) complex++;
        return {
          factors: [{ name: 'w_real', vector: f.wReal }, { name: 'w_imag', vector: f.wImag }, { name: 'V_real', matrix: f.VReal }, { name: 'V_imag', matrix: f.VImag }],
          facts: { complex_eigenvalues: complex },
        };
      });
    });
}
