/**
 * Real Schur form A = Z T Z^T of a general real square matrix (scipy.linalg.schur with
 * output='real'; LAPACK dgees without sorting): reduce to Hessenberg form (gehrd), form its
 * orthogonal factor (orghr), and run the QR algorithm on it with the transformations
 * accumulated into Z: for n >= 75 the small-bulge multishift QR with aggressive early
 * deflation (lapack/laqr.ts, LAPACK dlaqr0), whose sweeps update the far-from-diagonal
 * parts of T and Z with gemm; below that the Francis double-shift QR (hseqr, dlahqr).
 *
 * No balancing: scaling rows and columns would make Z non-orthogonal (dgees permutes only,
 * which changes nothing but speed). A matrix whose largest entry is outside
 * [sqrt(safmin)/eps, eps/sqrt(safmin)] is scaled by a power of two first (as dgees does),
 * so the QR iteration neither underflows nor overflows; T is scaled back exactly.
 */
import type { FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { kernels } from '../kernels/index.js';
import { requireSquare } from './args.js';
import { toMatrix, workCopy } from './lapack/dense.js';
import { gehrd, orghr } from './lapack/gehrd.js';
import { hseqr } from './lapack/hseqr.js';
import { hseqrMultishift, NMIN } from './lapack/laqr.js';
import { PRECISION as EPS, SAFMIN } from './lapack/machine.js';
import { withWorkspace, type Workspace } from '../kernels/workspace.js';

/**
 * A = Z T Z^T with Z orthogonal and T upper quasi-triangular: 1 x 1 diagonal blocks hold
 * the real eigenvalues, 2 x 2 blocks the complex conjugate pairs, each in the standard form
 * [a b; c a] with b c < 0 (eigenvalues a +- i sqrt(-b c)). Entries of T below the first
 * subdiagonal are exactly zero, and so is T(i+1, i) between blocks.
 */
export interface Schur {
  /** The quasi-upper-triangular factor T (n x n). */
  readonly T: Matrix;
  /** The orthogonal Schur vectors Z (n x n). */
  readonly Z: Matrix;
  /**
   * Real parts of the eigenvalues, in the order of T's diagonal (a pair occupies two
   * consecutive entries, positive imaginary part first): the same values and order as
   * {@link eigvals} and numpy.
   */
  readonly wReal: Float64Array | Float32Array;
  /** Imaginary parts of the eigenvalues. */
  readonly wImag: Float64Array | Float32Array;
}

/** What {@link schurInPlace} computes. */
export interface SchurWork {
  /** The Schur vectors, n x n column-major with leading dimension n. */
  Z: Float64Array;
  wr: Float64Array;
  wi: Float64Array;
}

/**
 * Real Schur form of the n x n float64 matrix in `a` (column-major, leading dimension
 * `ld`), which is overwritten by T; Z comes from `ws`. The building block of
 * {@link schur} and of the Bartels-Stewart solvers (src/models/dynamics/lyapunov.ts).
 * @internal
 * @throws ConvergenceError when the QR algorithm does not converge.
 */
export function schurInPlace(n: number, a: Float64Array, ld: number, ws: Workspace, routine = 'schur'): SchurWork {
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  const Z = ws.f64(Math.max(1, n * n));
  if (n === 0) return { Z, wr, wi };
  let anrm = 0;
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) anrm = Math.max(anrm, Math.abs(a[i + j * ld]!));
  const smlnum = Math.sqrt(SAFMIN) / EPS;
  const bignum = 1 / smlnum;
  let factor = 1;
  if (anrm > 0 && anrm < smlnum) factor = 2 ** Math.floor(Math.log2(smlnum / anrm));
  else if (anrm > bignum) factor = 2 ** Math.ceil(Math.log2(bignum / anrm));
  if (factor !== 1) for (let j = 0; j < n; j++) kernels().scal(n, factor, a, j * ld, 1);

  const tau = new Float64Array(Math.max(1, n - 1));
  gehrd(n, 0, n - 1, a, 0, ld, tau, ws);
  orghr(n, 0, n - 1, a, 0, ld, tau, Z, 0, n, ws);
  if (n >= NMIN) {
    hseqrMultishift(true, true, n, 0, n - 1, a, ld, wr, wi, Z, n, ws, routine);
  } else {
    try {
      hseqr(true, true, n, 0, n - 1, a, 0, ld, wr, wi, Z, 0, n);
    } catch (e) {
      if (e instanceof Error) e.message = e.message.replace(/^eig:/, `${routine}:`);
      throw e;
    }
  }
  if (factor !== 1) {
    const f = 1 / factor;
    for (let j = 0; j < n; j++) kernels().scal(Math.min(j + 2, n), f, a, j * ld, 1);
    for (let i = 0; i < n; i++) {
      wr[i] = wr[i]! * f;
      wi[i] = wi[i]! * f;
    }
  }
  return { Z, wr, wi };
}

function vec(a: Float64Array, like: Matrix): FloatArray {
  return like.dtype === 'float32' ? Float32Array.from(a) : a;
}

/**
 * Real Schur decomposition A = Z T Z^T (scipy.linalg.schur(A), output='real'; LAPACK
 * dgees without eigenvalue sorting). See {@link Schur} for the form of T. float32 input is
 * computed in float64 and returned as float32.
 *
 * Cost: about 10/3 n^3 flops for the Hessenberg reduction and 4/3 n^3 for its Q (blocked,
 * gemm-based), then the QR iteration with Schur vectors: about 25 n^3 flops, for n >= 75
 * mostly in gemm (multishift sweeps) and in small windows (aggressive early deflation).
 * @param A - the n x n matrix.
 * @returns T, Z and the eigenvalues in T's order.
 * @throws ShapeError when A is not square.
 * @throws NonFiniteInputError when A holds NaN or Inf.
 * @throws ConvergenceError when the QR algorithm exceeds 30 max(10, n) iterations for one
 *   eigenvalue (not observed in practice).
 * @example
 * const { T, Z } = schur(Matrix.from([[0, 2], [-2, 0]]));  // T = [[0, 2], [-2, 0]], a 2 x 2 block
 */
export function schur(A: Matrix): Schur {
  requireSquare(A, 'schur');
  const n = A.rows;
  return withWorkspace((ws) => {
    const { a, ld } = workCopy(A, 'schur', ws, 'float64');
    const { Z, wr, wi } = schurInPlace(n, a as Float64Array, ld, ws);
    const T = toMatrix(a, 0, ld, n, n, A.dtype);
    // Zero below the first subdiagonal (hseqr leaves zeros there; the copy keeps them).
    for (let j = 0; j < n; j++) for (let i = j + 2; i < n; i++) T.data[i + j * n] = 0;
    return { T, Z: toMatrix(Z, 0, n, n, n, A.dtype), wReal: vec(wr, A), wImag: vec(wi, A) };
  });
}
