/** `lowrank solve A b --out DIR`: the square system A x = b by LU with partial pivoting. */
import type { Command } from 'commander';
import { solve } from '../../linalg/lu.js';
import { denseNeed, factorCommand, rhsFactor, rhsOf, runDenseCommand, type FactorCommandOptions } from '../factor-files.js';

/** Register `lowrank solve`. */
export function registerSolve(program: Command): void {
  factorCommand(program, 'solve', 'solve the square system A x = b by LU with partial pivoting (x.npy)')
    .argument('<a>', 'square matrix file')
    .argument('<b>', 'right-hand side: a vector or a matrix with one system per column')
    .action(async (a: string, b: string, opts: FactorCommandOptions, cmd: Command) => {
      const memory = denseNeed('solve', (m, n, r) => [['the LU factors', m, n], ['x', n, r]]);
      await runDenseCommand(cmd, 'solve', [a, b], opts, memory, (A, B) => ({ factors: [rhsFactor('x', solve(A, rhsOf(B)), B)] }));
    });
}
