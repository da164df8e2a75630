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
import { readMtxHeader } from '../../io/mtx.js';
import { readNpyHeader } from '../../io/npy.js';
import { npyDefaultDtype, npyMatrixShape } from '../../io/npy-codec.js';
import type { DType } from '../../matrix/dtype.js';
import { Matrix } from '../../matrix/matrix.js';
import { checkMemory, type MemoryBlock } from '../../matrix/memory.js';
import { readInput, runFactorCommand, type FactorCommandOptions, type InputShape, type MemoryNeed } from '../factor-files.js';
import { dtypeOption, fileFormat, onFile, UsageError } from '../options.js';
import { addSvdRankOptions, rejectStrayRankFlags, runSvdRank, type SvdRankFlags } from './svd-rank.js';

// ------------------------------------------------------------------ memory estimates
//
// Each command states what it will allocate for the inputs as read (its outputs, a working
// copy of A where the routine factors in place, and the inputs themselves, which are held
// throughout), and runFactorCommand refuses before computing when that cannot fit: a
// 2147483647 x 0 file asking for `svd --full` then gets one line naming U's size instead of
// the engine's "Invalid typed array length". Estimates count the large arrays only.

type Block = [name: string, rows: number, cols: number];
type MemoryEstimate = (inputs: readonly InputShape[]) => MemoryNeed;

function need(what: string, dtype: DType, inputs: readonly InputShape[], blocks: Block[]): MemoryNeed {
  const size = dtype === 'float32' ? 4 : 8;
  const held: MemoryBlock[] = inputs.map((A, i) =>
    A.sparse
      ? { name: `the sparse input's row pointers`, rows: A.rows + 1, cols: 1, bytesPerElement: 4 }
      : { name: inputs.length > 1 ? `input ${i + 1}` : 'A', rows: A.rows, cols: A.cols, bytesPerElement: A.dtype === 'float32' ? 4 : 8 },
  );
  return { what, blocks: [...blocks.map(([name, rows, cols]) => ({ name, rows, cols, bytesPerElement: size })), ...held] };
}

/** `svd` without --rank: U, Vt (m x m and n x n with --full) and a working copy of A. */
function svdNeed(full: boolean, valuesOnly: boolean): MemoryEstimate {
  return (inputs) => {
    const A = inputs[0]!;
    const { rows: m, cols: n } = A;
    const p = Math.min(m, n);
    const flag = full ? ' --full' : valuesOnly ? ' --values-only' : '';
    const blocks: Block[] = [['a working copy of A', m, n]];
    if (!valuesOnly) blocks.unshift(['U', m, full ? m : p], ['Vt', full ? n : p, n]);
    return need(`svd${flag} of ${m} x ${n}`, A.dtype, inputs, blocks);
  };
}

/**
 * `svd --rank k`: the truncated solver's work arrays, as lanczos-svd.ts and
 * randomized-svd.ts allocate them (their 'Memory:' notes), plus U (m x k) and Vt (k x n).
 * The flags were validated by runSvdRank before this runs. The method follows
 * chooseTruncatedSvdMethod: Lanczos for sparse input or with --tol, else randomized.
 */
function truncatedSvdNeed(opts: SvdRankFlags): MemoryEstimate {
  return (inputs) => {
    const A = inputs[0]!;
    const { rows: m, cols: n } = A;
    const k = Number(opts.rank);
    // Both solvers work on A or A^T, whichever has at least as many rows as columns.
    const mw = Math.max(m, n);
    const nw = Math.min(m, n);
    const method = opts.method === 'lanczos' || opts.method === 'randomized' ? opts.method : A.sparse || opts.tol !== undefined ? 'lanczos' : 'randomized';
    const what = `svd --rank ${k} (${method}) of ${m} x ${n}`;
    const out: Block[] = [['U', m, k], ['Vt', k, n]];
    if (!A.sparse) out.push(['a working copy of A', m, n]);
    if (method === 'lanczos') {
      // (An --ncv above min(m, n) is the solver's error to report, not a memory need.)
      const ncv = Math.min(nw, opts.ncv !== undefined ? Number(opts.ncv) : Math.max(2 * k + 1, k + 20));
      // The Krylov bases and the Gram-Schmidt scratch are float64 whatever A's dtype.
      const basis = need(what, 'float64', [], [['the right Krylov basis', nw, ncv + 1], ['the left Krylov basis', mw, ncv], ['the Gram-Schmidt scratch', mw, ncv]]);
      const rest = need(what, A.dtype, inputs, out);
      return { what, blocks: [...basis.blocks, ...rest.blocks] };
    }
    const l = Math.min(k + (opts.oversample !== undefined ? Number(opts.oversample) : 10), nw);
    return need(what, A.dtype, inputs, [['the sketch', mw, l], ['the test matrix', nw, l], ['the SVD of the projected matrix', nw, l], ...out]);
  };
}

/**
 * The shape and storage of a matrix file from its header alone (.npy header, .mtx banner
 * and size line), as the readers will return it; undefined for text files, whose shape is
 * known only once read (and which are bounded by their size anyway).
 */
async function shapeFromHeader(path: string, dtype: DType | undefined): Promise<InputShape | undefined> {
  const format = fileFormat(path);
  if (format === 'npy') {
    const h = await onFile(path, () => readNpyHeader(path));
    const [rows, cols] = npyMatrixShape(h);
    return { rows, cols, dtype: dtype ?? npyDefaultDtype(h), sparse: false };
  }
  if (format === 'mtx') {
    const h = await onFile(path, () => readMtxHeader(path));
    return { rows: h.rows, cols: h.cols, dtype: dtype ?? 'float64', sparse: h.format === 'coordinate' };
  }
  return undefined;
}

/**
 * `svd --rank k` on a file whose header shows the need cannot be met: refused before the
 * file is read, since reading a coordinate .mtx builds row pointers as long as the matrix
 * is tall (8.6 GB for 2^31 rows) before any estimate after reading could run. A --rank
 * that is not an integer in [1, min(m, n)] is left to runSvdRank to report as a usage error.
 */
async function precheckSvdRank(path: string, opts: FactorCommandOptions & SvdRankFlags & { full?: boolean }): Promise<void> {
  if (opts.full) return; // --full with --rank: runSvdRank's usage error comes first
  const shape = await shapeFromHeader(path, opts.dtype);
  const k = Number(opts.rank);
  if (!shape || !(Number.isInteger(k) && k >= 1 && k <= Math.min(shape.rows, shape.cols))) return;
  const need = truncatedSvdNeed(opts)([shape]);
  checkMemory(need.what, need.blocks);
}

/** Outputs of the dense factorizations, by command, for an m x n A (and r right-hand sides). */
function denseNeed(command: string, blocks: (m: number, n: number, r: number) => Block[]): MemoryEstimate {
  return (inputs) => {
    const A = inputs[0]!;
    const r = inputs[1] ? (inputs[1].rows === 1 ? 1 : inputs[1].cols) : 0;
    return need(`${command} of ${A.rows} x ${A.cols}`, A.dtype, inputs, blocks(A.rows, A.cols, r));
  };
}

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
      if (opts.rank !== undefined) {
        await precheckSvdRank(a, opts);
        return runSvdRank(a, { ...opts, memory: truncatedSvdNeed(opts) }, cmd);
      }
      rejectStrayRankFlags(opts);
      if (opts.full && opts.valuesOnly) throw new UsageError('--full and --values-only exclude each other');
      const A = await readInput(a, opts.dtype);
      await runFactorCommand(cmd, 'svd', [A], { ...opts, memory: svdNeed(opts.full ?? false, opts.valuesOnly ?? false) }, () => {
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
      const memory = denseNeed(opts.complete ? 'qr --complete' : 'qr', (m, n) => {
        const p = Math.min(m, n);
        return opts.complete ? [['Q', m, m], ['R', m, n], ['a working copy of A', m, n]] : [['Q', m, p], ['R', p, n], ['a working copy of A', m, n]];
      });
      await runFactorCommand(cmd, 'qr', [A], { ...opts, memory }, () => {
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
      const memory = denseNeed('lu', (m, n) => [['L', m, Math.min(m, n)], ['U', Math.min(m, n), n], ['a working copy of A', m, n]]);
      await runFactorCommand(cmd, 'lu', [A], { ...opts, memory }, () => {
        const f = lu(A);
        return { factors: [{ name: 'perm', indices: f.perm }, { name: 'L', matrix: f.L }, { name: 'U', matrix: f.U }], facts: { singular: f.singular } };
      });
    });

  factorCommand(program, 'cholesky', 'Cholesky factor of a symmetric positive definite matrix, A = L L^T (L.npy)')
    .argument('<a>', 'matrix file (.npy, .mtx, .csv, .tsv, .txt); only the lower triangle is read')
    .action(async (a: string, opts: FactorCommandOptions, cmd: Command) => {
      const A = await readInput(a, opts.dtype);
      const memory = denseNeed('cholesky', (m, n) => [['L', m, n], ['a working copy of A', m, n]]);
      await runFactorCommand(cmd, 'cholesky', [A], { ...opts, memory }, () => ({ factors: [{ name: 'L', matrix: cholesky(A).L }] }));
    });

  factorCommand(program, 'eigh', 'eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix, A V = V diag(w) (w.npy, V.npy)')
    .argument('<a>', 'symmetric matrix file; only the lower triangle is read (--upper: the upper)')
    .option('--upper', 'read the upper triangle instead of the lower one')
    .option('--values-only', 'eigenvalues only (faster): writes w.npy alone')
    .action(async (a: string, opts: FactorCommandOptions & { upper?: boolean; valuesOnly?: boolean }, cmd: Command) => {
      const A = await readInput(a, opts.dtype);
      const uplo = opts.upper ? 'U' : 'L';
      const memory = denseNeed('eigh', (m, n) => (opts.valuesOnly ? [['a working copy of A', m, n]] : [['V', m, n], ['a working copy of A', m, n]]));
      await runFactorCommand(cmd, 'eigh', [A], { ...opts, memory }, () => {
        if (opts.valuesOnly) return { factors: [{ name: 'w', vector: eigvalsh(A, { uplo }) }] };
        const f = eigh(A, { uplo });
        return { factors: [{ name: 'w', vector: f.w }, { name: 'V', matrix: f.V }] };
      });
    });

  factorCommand(program, 'eig', 'eigenvalues and right eigenvectors of a real square matrix, complex parts separate (w_real.npy, w_imag.npy, V_real.npy, V_imag.npy)')
    .argument('<a>', 'square matrix file (.npy, .mtx, .csv, .tsv, .txt)')
    .action(async (a: string, opts: FactorCommandOptions, cmd: Command) => {
      const A = await readInput(a, opts.dtype);
      const memory = denseNeed('eig', (m, n) => [['V_real', m, n], ['V_imag', m, n], ['the Schur form', m, n], ['the Schur vectors', m, n]]);
      await runFactorCommand(cmd, 'eig', [A], { ...opts, memory }, () => {
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
      const memory = denseNeed('solve', (m, n, r) => [['the LU factors', m, n], ['x', n, r]]);
      await runFactorCommand(cmd, 'solve', [A, B], { ...opts, memory }, () => ({ factors: [rhsFactor('x', solve(A, rhsOf(B)), B)] }));
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
      const memory = denseNeed('lstsq', (m, n, r) => [['U', m, Math.min(m, n)], ['Vt', Math.min(m, n), n], ['a working copy of A', m, n], ['x', n, r]]);
      await runFactorCommand(cmd, 'lstsq', [A, B], { ...opts, memory }, () => {
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
