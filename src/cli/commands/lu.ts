/** `lowrank lu A --out DIR`: LU with partial pivoting, A[perm] = L U. */
import type { Command } from 'commander';
import { lu } from '../../linalg/lu.js';
import { denseNeed, factorCommand, runDenseCommand, type FactorCommandOptions } from '../factor-files.js';

/** Register `lowrank lu`. */
export function registerLu(program: Command): void {
  factorCommand(program, 'lu', 'LU with partial pivoting, A[perm] = L U (perm.npy, L.npy, U.npy)')
    .argument('<a>', 'matrix file (.npy, .mtx, .csv, .tsv, .txt)')
    .action(async (a: string, opts: FactorCommandOptions, cmd: Command) => {
      const memory = denseNeed('lu', (m, n) => [['L', m, Math.min(m, n)], ['U', Math.min(m, n), n], ['a working copy of A', m, n]]);
      await runDenseCommand(cmd, 'lu', [a], opts, memory, (A) => {
        const f = lu(A);
        return { factors: [{ name: 'perm', indices: f.perm }, { name: 'L', matrix: f.L }, { name: 'U', matrix: f.U }], facts: { singular: f.singular } };
      });
    });
}
