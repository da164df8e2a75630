/**
 * `lowrank qr|lu|cholesky A --out DIR` and `lowrank solve A b --out DIR`: dense
 * factorizations written as npy files with numpy-checkable names.
 */
import type { Command } from 'commander';
import { cholesky } from '../../linalg/cholesky.js';
import { eig } from '../../linalg/eig.js';
import { eigh, eigvalsh } from '../../linalg/eigh.js';
import { lstsq } from '../../linalg/lstsq.js';
import { lu, solve } from '../../linalg/lu.js';
import { qr } from '../../linalg/qr.js';
import { svd, svdvals } from '../../linalg/svd.js';
import { Matrix } from '../../matrix/matrix.js';
import { readInput, runFactorCommand, type FactorCommandOptions } from '../factor-files.js';
import { dtypeOption, UsageError } from '../options.js';
import { addSvdRankOptions, rejectStrayRankFlags, runSvdRank, type SvdRankFlags } from './svd-rank.js';

/** Options every decomposition command shares. */
export function factorCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .option('-o, --out <dir>', 'write the factors as .npy files into this directory (created if needed); without it they are printed')
    .addOption(dtypeOption('compute in this precision (default: as stored in the file)'))
    .option('--json', 'print one JSON object');
}

/** Register svd, qr, lu, cholesky, eigh, eig, solve and lstsq. */
export function registerFactorize(program: Command): void {
  const svdCommand = factorCommand(program, 'svd', 'singular value decomposition, A = U diag(s) Vt (U.npy, s.npy, Vt.npy; thin unless --full; top k only with --rank k)')
    .argument('<a>', 'matrix file (.npy, .mtx, .csv, .tsv, .txt)')
    .option('--full', 'full U (m x m) and Vt (n x n) instead of the thin factors')
    .option('--values-only', 'singular values only (faster): writes s.npy alone');
  addSvdRankOptions(svdCommand)
    .action(async (a: string, opts: FactorCommandOptions & SvdRankFlags & { full?: boolean; valuesOnly?: boolean }, cmd: Command) => {
      if (opts.rank !== undefined) return runSvdRank(a, opts, cmd);
      rejectStrayRankFlags(opts);
      if (opts.full && opts.valuesOnly) throw new UsageError('--full and --values-only exclude each other');
      const A = await readInput(a, opts.dtype);
      await runFactorCommand(cmd, 'svd', [A], opts, () => {
        if (opts.valuesOnly) return { factors: [{ name: 's', vector: svdvals(A) }] };
        const f = svd(A, { full: opts.full ?? false });
        return { factors: [{ name: 'U', matrix: f.U }, { name: 's', vector: f.s }, { name: 'Vt', matrix: f.Vt }] };
      });
    });

  factorCommand(program, 'qr', 'Householder QR, A = Q R (Q.npy, R.npy; with --pivot also perm.npy: A[:, perm] = Q R)')
    .argument('<a>', 'matrix file (.npy, .mtx, .csv, .tsv, .txt)')
    .option('--complete', 'complete Q (m x m) instead of the reduced m x min(m, n)')
    .option('--pivot', 'column pivoting (rank-revealing): also writes perm.npy and reports the numerical rank')
    .action(async (a: string, opts: FactorCommandOptions & { complete?: boolean; pivot?: boolean }, cmd: Command) => {
      const A = await readInput(a, opts.dtype);
      await runFactorCommand(cmd, 'qr', [A], opts, () => {
        const f = qr(A, { mode: opts.complete ? 'complete' : 'reduced', pivoting: opts.pivot ?? false });
        const factors = [{ name: 'Q', matrix: f.Q }, { name: 'R', matrix: f.R }];
        if (f.perm) return { factors: [...factors, { name: 'perm', indices: f.perm }], facts: { rank: f.rank! } };
        return { factors };
      });
    });

  factorCommand(program, 'lu', 'LU with partial pivoting, A[perm] = L U (perm.npy, L.npy, U.npy)')
    .argument('<a>', 'matrix file (.npy, .mtx, .csv, .tsv, .txt)')
    .action(async (a: string, opts: FactorCommandOptions, cmd: Command) => {
      const A = await readInput(a, opts.dtype);
      await runFactorCommand(cmd, 'lu', [A], opts, () => {
        const f = lu(A);
        return { factors: [{ name: 'perm', indices: f.perm }, { name: 'L', matrix: f.L }, { name: 'U', matrix: f.U }], facts: { singular: f.singular } };
      });
    });

  factorCommand(program, 'cholesky', 'Cholesky factor of a symmetric positive definite matrix, A = L L^T (L.npy)')
    .argument('<a>', 'matrix file (.npy, .mtx, .csv, .tsv, .txt); only the lower triangle is read')
    .action(async (a: string, opts: FactorCommandOptions, cmd: Command) => {
      const A = await readInput(a, opts.dtype);
      await runFactorCommand(cmd, 'cholesky', [A], opts, () => ({ factors: [{ name: 'L', matrix: cholesky(A).L }] }));
    });

  factorCommand(program, 'eigh', 'eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix, A V = V diag(w) (w.npy, V.npy)')
    .argument('<a>', 'symmetric matrix file; only the lower triangle is read (--upper: the upper)')
    .option('--upper', 'read the upper triangle instead of the lower one')
    .option('--values-only', 'eigenvalues only (faster): writes w.npy alone')
    .action(async (a: string, opts: FactorCommandOptions & { upper?: boolean; valuesOnly?: boolean }, cmd: Command) => {
      const A = await readInput(a, opts.dtype);
      const uplo = opts.upper ? 'U' : 'L';
      await runFactorCommand(cmd, 'eigh', [A], opts, () => {
        if (opts.valuesOnly) return { factors: [{ name: 'w', vector: eigvalsh(A, { uplo }) }] };
        const f = eigh(A, { uplo });
        return { factors: [{ name: 'w', vector: f.w }, { name: 'V', matrix: f.V }] };
      });
    });

  factorCommand(program, 'eig', 'eigenvalues and right eigenvectors of a real square matrix, complex parts separate (w_real.npy, w_imag.npy, V_real.npy, V_imag.npy)')
    .argument('<a>', 'square matrix file (.npy, .mtx, .csv, .tsv, .txt)')
    .action(async (a: string, opts: FactorCommandOptions, cmd: Command) => {
      const A = await readInput(a, opts.dtype);
      await runFactorCommand(cmd, 'eig', [A], opts, () => {
        const f = eig(A);
        let complex = 0;
        for (const v of f.wImag) if (v !== 0) complex++;
        return {
          factors: [{ name: 'w_real', vector: f.wReal }, { name: 'w_imag', vector: f.wImag }, { name: 'V_real', matrix: f.VReal }, { name: 'V_imag', matrix: f.VImag }],
          facts: { complex_eigenvalues: complex },
        };
      });
    });

  factorCommand(program, 'solve', 'solve the square system A x = b by LU with partial pivoting (x.npy)')
    .argument('<a>', 'square matrix file')
    .argument('<b>', 'right-hand side: a vector or a matrix with one system per column')
    .action(async (a: string, b: string, opts: FactorCommandOptions, cmd: Command) => {
      const [A, B] = await Promise.all([readInput(a, opts.dtype), readInput(b, opts.dtype)]);
      await runFactorCommand(cmd, 'solve', [A, B], opts, () => ({ factors: [rhsFactor('x', solve(A, rhsOf(B)), B)] }));
    });

  registerLstsq(program);
}

/** `lowrank lstsq A b`, registered after solve. */
function registerLstsq(program: Command): void {
  factorCommand(program, 'lstsq', 'minimum-norm least-squares solution of A x = b for any A, by the SVD (x.npy)')
    .argument('<a>', 'matrix file (m x n, any shape or rank)')
    .argument('<b>', 'right-hand side: a vector of length m or an m x r matrix')
    .option('--rcond <r>', 'singular values <= r * s_max count as zero (default: eps * max(m, n))')
    .action(async (a: string, b: string, opts: FactorCommandOptions & { rcond?: string }, cmd: Command) => {
      const rcond = opts.rcond === undefined ? undefined : Number(opts.rcond);
      if (rcond !== undefined && !(rcond >= 0)) throw new UsageError(`--rcond must be a number >= 0, got '${opts.rcond}'`);
      const [A, B] = await Promise.all([readInput(a, opts.dtype), readInput(b, opts.dtype)]);
      await runFactorCommand(cmd, 'lstsq', [A, B], opts, () => {
        const r = lstsq(A, rhsOf(B), { rcond });
        const facts: Record<string, number> = { rank: r.rank };
        if (r.residuals.length > 0) facts.residual_norm = Math.sqrt(r.residuals.reduce((t, v) => t + v, 0));
        return { factors: [rhsFactor('x', r.x, B)], facts };
      });
    });
}

/** A right-hand side file as a Matrix: a 1-D vector (stored 1 x n) becomes a column. */
export function rhsOf(B: Matrix): Matrix {
  return B.rows === 1 && B.cols > 1 ? B.transpose() : B;
}

/** The solution as a 1-D vector when b was one, else as a matrix. */
export function rhsFactor(name: string, X: Matrix, B: Matrix): { name: string; matrix: Matrix } | { name: string; vector: Float64Array | Float32Array } {
  return B.rows === 1 || B.cols === 1 ? { name, vector: X.toFlat() } : { name, matrix: X };
}
