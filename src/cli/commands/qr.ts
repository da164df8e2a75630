/** `lowrank qr A --out DIR`: Householder QR, A = Q R (with --pivot, A[:, perm] = Q R). */
import type { Command } from 'commander';
import { qr } from '../../linalg/qr.js';
import { denseNeed, factorCommand, runDenseCommand, type FactorCommandOptions } from '../factor-files.js';

/** Register `lowrank qr`. */
export function registerQr(program: Command): void {
  factorCommand(program, 'qr', 'Householder QR, A = Q R (Q.npy, R.npy; with --pivot also perm.npy: A[:, perm] = Q R)')
    .argument('<a>', 'matrix file (.npy, .mtx, .csv, .tsv, .txt)')
    .option('--complete', 'complete Q (m x m) instead of the reduced m x min(m, n)')
    .option('--pivot', 'column pivoting (rank-revealing): also writes perm.npy and reports the numerical rank')
    .action(async (a: string, opts: FactorCommandOptions & { complete?: boolean; pivot?: boolean }, cmd: Command) => {
      const memory = denseNeed(opts.complete ? 'qr --complete' : 'qr', (m, n) => {
        const p = Math.min(m, n);
        return opts.complete ? [['Q', m, m], ['R', m, n], ['a working copy of A', m, n]] : [['Q', m, p], ['R', p, n], ['a working copy of A', m, n]];
      });
      await runDenseCommand(cmd, 'qr', [a], opts, memory, (A) => {
        const f = qr(A, { mode: opts.complete ? 'complete' : 'reduced', pivoting: opts.pivot ?? false });
        const factors = [{ name: 'Q', matrix: f.Q }, { name: 'R', matrix: f.R }];
        if (f.perm) return { factors: [...factors, { name: 'perm', indices: f.perm }], facts: { rank: f.rank! } };
        return { factors };
      });
    });
}
