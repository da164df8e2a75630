/** `lowrank cholesky A --out DIR`: the Cholesky factor of a symmetric positive definite A = L L^T. */
import type { Command } from 'commander';
import { cholesky } from '../../linalg/cholesky.js';
import { denseNeed, factorCommand, runDenseCommand, type FactorCommandOptions } from '../factor-files.js';

/** Register `lowrank cholesky`. */
export function registerCholesky(program: Command): void {
  factorCommand(program, 'cholesky', 'Cholesky factor of a symmetric positive definite matrix, A = L L^T (L.npy)')
    .argument('<a>', 'matrix file (.npy, .mtx, .csv, .tsv, .txt); only the lower triangle is read')
    .action(async (a: string, opts: FactorCommandOptions, cmd: Command) => {
      const memory = denseNeed('cholesky', (m, n) => [['L', m, n], ['a working copy of A', m, n]]);
      await runDenseCommand(cmd, 'cholesky', [a], opts, memory, (A) => ({ factors: [{ name: 'L', matrix: cholesky(A).L }] }));
    });
}
