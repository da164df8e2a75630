/**
 * Singular value decomposition A = U diag(s) Vt of a dense matrix (numpy.linalg.svd), the
 * LAPACK dgesdd path:
 *
 * 1. scale A into [smlnum, bignum] when its largest entry is outside (exactly, by a power
 *    of two), so nothing overflows or underflows on the way;
 * 2. for tall matrices (m >= 11/6 n, dgesdd's crossover) QR-factor first, A = Q R, and
 *    continue with the n x n R: the bidiagonalization then costs 8/3 n^3 instead of
 *    4 m n^2 - 4/3 n^3 flops; wide matrices are handled through their transpose;
 * 3. bidiagonalize, A = Q_B B P^T (gebrd, blocked);
 * 4. SVD of the bidiagonal, B = U_B S V_B^T: divide and conquer (bdsdc) with vectors,
 *    implicit zero-shift QR (bdsqr, high relative accuracy) for small orders and for
 *    the values alone;
 * 5. U = Q_B U_B and Vt = V_B^T P^T with block reflectors (gemm).
 *
 * Singular values only ({@link svdvals}) skip steps 4's vectors and 5.
 */
import { check } from '../errors.js';
import { kernels } from '../kernels/index.js';
import type { DType, FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { bdsdc } from './lapack/bdsdc.js';
import { bdsqr } from './lapack/bdsqr.js';
import { workCopy } from './lapack/dense.js';
import { applyPT, applyQ, gebrd } from './lapack/gebrd.js';
import { geqrf } from './lapack/geqrf.js';
import { smallSvd } from './small.js';
import { withWorkspace, type Workspace } from '../kernels/workspace.js';

/** Options of {@link svd}. */
export interface SvdOptions {
  /**
   * Full U (m x m) and Vt (n x n) instead of thin ones (U m x k, Vt k x n, k = min(m, n)).
   * Default false, i.e. numpy's `full_matrices=False`.
   */
  full?: boolean;
}

/**
 * A singular value decomposition A = U diag(s) Vt: U m x k, s of length k (descending,
 * >= 0), Vt k x n with k = min(m, n) for a thin SVD; with `full`, U is m x m and Vt n x n
 * (the extra columns/rows complete orthonormal bases; s still has min(m, n) entries).
 * U and Vt have the input's dtype.
 */
export class Svd {
  /** Left singular vectors, one per column. */
  readonly U: Matrix;
  /** Singular values, descending and non-negative. */
  readonly s: Float64Array | Float32Array;
  /** Right singular vectors, one per row. */
  readonly Vt: Matrix;

  /** Wrap factors (no checks; {@link svd} builds these). */
  constructor(U: Matrix, s: Float64Array | Float32Array, Vt: Matrix) {
    this.U = U;
    this.s = s;
    this.Vt = Vt;
  }

  /**
   * Factors of the best rank-k approximation in the Frobenius and spectral norms
   * (Eckart-Young): the first k columns of U, values of s and rows of Vt, as views sharing
   * storage with this decomposition. O(1).
   * @throws InvalidArgumentError unless k is an integer with 0 <= k <= s.length.
   */
  truncate(k: number): Svd {
    check(Number.isInteger(k) && k >= 0 && k <= this.s.length, () => `truncate: k must be an integer in [0, ${this.s.length}], got ${k}`);
    return new Svd(this.U.colRange(0, k), this.s.subarray(0, k), this.Vt.rowRange(0, k));
  }

  /**
   * U diag(s) Vt as a new column-major Matrix of the factors' dtype (the columns of U are
   * scaled by s, then one gemm). Cost m n k flops.
   */
  reconstruct(): Matrix {
    const k = this.s.length;
    const m = this.U.rows;
    const n = this.Vt.cols;
    const dtype = this.U.dtype;
    const out = Matrix.zeros(m, n, { dtype });
    if (k === 0 || m === 0 || n === 0) return out;
    const us = Matrix.zeros(m, k, { dtype });
    for (let j = 0; j < k; j++) {
      const sj = this.s[j]!;
      for (let i = 0; i < m; i++) us.data[i + j * m] = this.U.get(i, j) * sj;
    }
    const vt = this.Vt.isColumnMajor ? this.Vt : this.Vt.copy();
    kernels().gemm(false, false, m, n, k, 1, us.data, 0, m, vt.data, vt.offset, Math.max(1, vt.colStride), 0, out.data, 0, m);
    return out;
  }
}

/**
 * Singular value decomposition A = U diag(s) Vt (numpy.linalg.svd; LAPACK dgesdd's
 * algorithm, see the file comment). Singular values have high relative accuracy with
 * respect to the bidiagonal; ||A - U S Vt|| and the loss of orthogonality of U and Vt are
 * a small multiple of eps ||A||. float32 input is computed in float64 and returned as
 * float32.
 *
 * Cost: about 4 m n^2 + 8 n^3 flops for m >= n (mostly gemm), plus the bidiagonal SVD.
 * @param options.full - full square U and Vt (default false: thin).
 * @throws NonFiniteInputError when A holds NaN or Inf.
 * @throws ConvergenceError if the bidiagonal QR iteration hits its cap (never seen).
 */
export function svd(A: Matrix, options: SvdOptions = {}): Svd {
  const full = options.full ?? false;
  const m = A.rows;
  const n = A.cols;
  const dtype = A.dtype;
  const k = Math.min(m, n);
  if (k === 0) {
    return new Svd(
      full ? Matrix.identity(m, m, { dtype }) : Matrix.zeros(m, 0, { dtype }),
      dtype === 'float32' ? new Float32Array(0) : new Float64Array(0),
      full ? Matrix.identity(n, n, { dtype }) : Matrix.zeros(0, n, { dtype }),
    );
  }
  // Small matrices: one WASM call (src/linalg/small.ts).
  const small = smallSvd(A, full);
  if (small) return new Svd(small.U, small.s, small.Vt);
  // Work on a tall matrix: A itself, or A^T (whose SVD V S U^T swaps the factors).
  const trans = m < n;
  return withWorkspace((ws) => {
    const w = workCopy(trans ? A.T : A, 'svd', ws, 'float64');
    const a = w.a as Float64Array;
    const mm = w.m;
    const nn = w.n;
    const scale = scaleIntoRange(a, mm * nn);
    const r = tallSvd(mm, nn, a, w.ld, full, ws);
    const s = unscale(r.d, scale, dtype);
    const ucols = full ? mm : nn;
    if (!trans) {
      return new Svd(copyOut(r.U, mm, mm, ucols, false, dtype), s, copyOut(r.VT, nn, nn, nn, false, dtype));
    }
    // A = (A^T)^T = VT^T S U^T.
    return new Svd(copyOut(r.VT, nn, nn, nn, true, dtype), s, copyOut(r.U, mm, mm, ucols, true, dtype));
  });
}

/**
 * Singular values of A only, descending (numpy.linalg.svd(A, compute_uv=False)):
 * bidiagonalization (after a QR factorization when one side is >= 11/6 the other) and the bidiagonal
 * QR iteration without vectors. Cost about 4 m n^2 - 4/3 n^3 flops (m >= n) plus O(n^2).
 * @throws NonFiniteInputError when A holds NaN or Inf.
 */
export function svdvals(A: Matrix): Float64Array | Float32Array {
  const m = A.rows;
  const n = A.cols;
  const dtype = A.dtype;
  if (Math.min(m, n) === 0) return dtype === 'float32' ? new Float32Array(0) : new Float64Array(0);
  return withWorkspace((ws) => {
    const w = workCopy(m < n ? A.T : A, 'svdvals', ws, 'float64');
    const a = w.a as Float64Array;
    const scale = scaleIntoRange(a, w.m * w.n);
    const { d, e } = bidiagonalize(w.m, w.n, a, w.ld, ws).bd;
    const dummy = new Float64Array(1);
    bdsqr('U', w.n, 0, 0, 0, d, e, dummy, 0, 1, dummy, 0, 1, dummy, 0, 1);
    return unscale(d, scale, dtype);
  });
}

// ------------------------------------------------------------------ internals

/** float64 constants of dgesdd's scaling: smlnum = sqrt(safmin) / eps, bignum = 1 / smlnum. */
const SMLNUM = Math.sqrt(2 ** -1022) / 2 ** -52;
const BIGNUM = 1 / SMLNUM;

/**
 * Scale `a` (its first `len` entries) by a power of two so its largest magnitude lies in
 * [SMLNUM, BIGNUM] when it is outside (as dgesdd, but exact: a power of two introduces no
 * rounding). Returns the factor applied (1 when none).
 */
function scaleIntoRange(a: Float64Array, len: number): number {
  let anrm = 0;
  for (let i = 0; i < len; i++) {
    const v = Math.abs(a[i]!);
    if (v > anrm) anrm = v;
  }
  let f = 1;
  if (anrm > 0 && anrm < SMLNUM) f = 2 ** Math.floor(Math.log2(SMLNUM / anrm));
  else if (anrm > BIGNUM) f = 2 ** Math.ceil(Math.log2(BIGNUM / anrm));
  if (f !== 1) kernels().scal(len, f, a, 0, 1);
  return f;
}

/** Singular values divided by the scaling factor, in `dtype`. */
function unscale(d: Float64Array, f: number, dtype: DType): Float64Array | Float32Array {
  const out = dtype === 'float32' ? new Float32Array(d.length) : new Float64Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i]! / f;
  return out;
}

/**
 * Tall matrices (m >= QR_RATIO n) are QR-factored first and the bidiagonalization runs on
 * the n x n R (LAPACK dgesdd's MNTHR = 11/6 min(m, n)). Set to Infinity to disable.
 */
const QR_RATIO = 11 / 6;

/** Reflectors of a bidiagonalization, possibly preceded by a QR factorization. */
interface Bidiag {
  /** The bidiagonal: diagonal d (n), superdiagonal e (n - 1). */
  bd: { d: Float64Array; e: Float64Array };
  /** Array, offset and ld of the n-column matrix holding the gebrd reflectors. */
  br: { a: Float64Array; off: number; ld: number };
  tauq: Float64Array;
  taup: Float64Array;
  /** QR reflectors (in the original work array) when the QR-first path was taken. */
  qr?: { a: Float64Array; ld: number; tau: Float64Array };
}

/**
 * Reduce the m x n (m >= n) work matrix to bidiagonal form, through a QR factorization
 * first when the matrix is tall enough for it to pay off.
 */
function bidiagonalize(m: number, n: number, a: Float64Array, ld: number, ws: Workspace): Bidiag {
  const d = new Float64Array(n);
  const e = new Float64Array(n); // n - 1 used
  const tauq = new Float64Array(n);
  const taup = new Float64Array(n);
  if (m >= QR_RATIO * n && n > 1) {
    // A = Q R; bidiagonalize R (n x n upper triangular, copied with zeros below).
    const tau = ws.f64(n);
    geqrf(m, n, a, 0, ld, tau, ws);
    const R = ws.f64(n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i <= j; i++) R[i + j * n] = a[i + j * ld]!;
    gebrd(n, n, R, 0, n, d, e, tauq, taup, ws);
    return { bd: { d, e }, br: { a: R, off: 0, ld: n }, tauq, taup, qr: { a, ld, tau } };
  }
  gebrd(m, n, a, 0, ld, d, e, tauq, taup, ws);
  return { bd: { d, e }, br: { a, off: 0, ld }, tauq, taup };
}

/**
 * SVD of the m x n work matrix, m >= n >= 1: returns the singular values d (descending),
 * U (m x n, or m x m when `full`; ld m) and VT (n x n, ld n), all in workspace memory.
 */
function tallSvd(m: number, n: number, a: Float64Array, ld: number, full: boolean, ws: Workspace): { d: Float64Array; U: Float64Array; VT: Float64Array } {
  const b = bidiagonalize(m, n, a, ld, ws);
  const { d, e } = b.bd;
  const ucols = full ? m : n;
  // Divide and conquer (n > DC_MIN) writes every entry of the leading n x n blocks, so VT,
  // and U when it is square, need no zeroing (16 MB at n = 1024); bdsqr starts from zeros.
  const dc = n > DC_MIN;
  const U = ws.alloc('float64', m * ucols, !(dc && m === n && ucols === n)) as Float64Array;
  const VT = ws.alloc('float64', n * n, !dc) as Float64Array;
  // Bidiagonal SVD into the leading n x n blocks: U_B (ld m) and V_B^T.
  bidiagonalSvd(n, d, e, U, m, VT, n, ws);
  // Vt = V_B^T P^T.
  applyPT(n, n, b.br.a, b.br.off, b.br.ld, b.taup, VT, 0, n, ws);
  // Columns n.. of a full U start as identity columns: [U_B 0; 0 I].
  for (let j = n; j < ucols; j++) U[j + j * m] = 1;
  if (b.qr) {
    // U = Q_qr [Q_B U_B, 0; 0, I]: first Q_B on the leading n rows, then the QR's Q.
    applyQ(n, n, n, b.br.a, b.br.off, b.br.ld, b.tauq, U, 0, m, ws);
    applyQ(m, ucols, n, b.qr.a, 0, b.qr.ld, b.qr.tau, U, 0, m, ws);
  } else {
    applyQ(m, ucols, n, b.br.a, b.br.off, b.br.ld, b.tauq, U, 0, m, ws);
  }
  return { d, U, VT };
}

/**
 * Order above which the bidiagonal SVD with vectors uses divide and conquer (LAPACK
 * dbdsdc's SMLSIZ); set to Infinity to use implicit QR (bdsqr) at every size.
 */
const DC_MIN = 25;

/**
 * B = U_B diag(d) V_B^T for the n x n upper bidiagonal (d, e): U_B into U (ld ldU),
 * V_B^T into VT (ld ldVT), both overwritten; d gets the singular values, descending.
 *
 * Large n: divide and conquer (bdsdc, LAPACK dbdsdc: Gu & Eisenstat), whose vector
 * updates are gemm calls. Small n: implicit zero-shift QR (bdsqr) on identity matrices,
 * about 12 n^3 flops of plane rotations in TypeScript loops.
 */
function bidiagonalSvd(n: number, d: Float64Array, e: Float64Array, U: Float64Array, ldU: number, VT: Float64Array, ldVT: number, ws: Workspace): void {
  if (n > DC_MIN) {
    bdsdc(n, d, e, U, 0, ldU, VT, 0, ldVT);
    return;
  }
  // bdsqr rotates the rows of VT and C faster (column by column, the moving row carried
  // in registers) than the columns of U, so U_B is accumulated transposed in C.
  const Ct = ws.f64(n * n);
  for (let i = 0; i < n; i++) {
    Ct[i + i * n] = 1;
    VT[i + i * ldVT] = 1;
  }
  bdsqr('U', n, n, 0, n, d, e, VT, 0, ldVT, Ct, 0, n, Ct, 0, n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) U[i + j * ldU] = Ct[j + i * n]!;
}

/**
 * The rows x cols block of a work array (ld `ld`) as a new Matrix of `dtype`, or its
 * transpose (cols x rows) when `transpose`.
 */
function copyOut(a: FloatArray, ld: number, rows: number, cols: number, transpose: boolean, dtype: DType): Matrix {
  if (!transpose) {
    const out = Matrix.zeros(rows, cols, { dtype });
    const o = out.data;
    if (ld === rows && o instanceof Float64Array === a instanceof Float64Array) o.set(a.subarray(0, rows * cols));
    else for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) o[i + j * rows] = a[i + j * ld]!;
    return out;
  }
  const out = Matrix.zeros(cols, rows, { dtype });
  const o = out.data;
  // Blocked transpose keeps both sides cache-friendly.
  const B = 32;
  for (let j0 = 0; j0 < cols; j0 += B) {
    const j1 = Math.min(cols, j0 + B);
    for (let i0 = 0; i0 < rows; i0 += B) {
      const i1 = Math.min(rows, i0 + B);
      for (let j = j0; j < j1; j++) for (let i = i0; i < i1; i++) o[j + i * cols] = a[i + j * ld]!;
    }
  }
  return out;
}
