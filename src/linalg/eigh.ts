/**
 * Eigen-decomposition of real symmetric matrices (numpy.linalg.eigh / eigvalsh; LAPACK
 * dsyevd): Householder tridiagonalization, then divide and conquer (vectors) or root-free
 * QL/QR (values only) on the tridiagonal matrix, then back-transformation of the vectors.
 */
import { NonFiniteInputError } from '../errors.js';
import type { DType, FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { bool, maybe, oneOf, opt, resolveOptions, type Constraint, type Field } from '../options.js';
import { requireSquare } from './args.js';
import { toMatrix, toVector } from './lapack/dense.js';
import { stedc } from './lapack/stedc.js';
import { steqr } from './lapack/steqr.js';
import { sterf } from './lapack/sterf.js';
import { ormtr, sytrd } from './lapack/sytrd.js';
import { smallEigh } from './small.js';
import { withWorkspace, type Workspace } from '../kernels/workspace.js';
import { kernels } from '../kernels/index.js';
import { ROUNDOFF as EPS, SAFMIN } from './lapack/machine.js';

/** Tridiagonal eigensolvers {@link eigh} can use for the vectors (see {@link EighOptions.method}). */
const EIGH_METHODS = ['dc', 'qr'] as const;
/** LAPACK's names of the triangles (see {@link EighOptions.uplo}). */
const UPLO = ['L', 'U'] as const;

/** Options of {@link eigh} and {@link eigvalsh}. */
export interface EighOptions {
  /**
   * Read the upper triangle instead of the lower one (default false, as numpy). The other
   * triangle is never read. The same option, with the same meaning, as `cholesky`'s
   * (numpy's eigh spells it `UPLO`, its cholesky `upper`).
   */
  upper?: boolean;
  /**
   * The triangle to read: 'L' (lower) or 'U' (upper), numpy's `UPLO`.
   * @deprecated Use `upper` (`uplo: 'U'` is `upper: true`). Still accepted; giving both is
   * an error when they disagree.
   */
  uplo?: (typeof UPLO)[number];
  /**
   * Tridiagonal eigensolver for the vectors: 'dc' (default: divide and conquer, as
   * dsyevd) or 'qr' (implicit QL/QR, as dsyev; slower, for cross-checking).
   * @internal
   */
  method?: (typeof EIGH_METHODS)[number];
}

const EIGH_OPTIONS = {
  upper: maybe(bool),
  uplo: maybe(oneOf(UPLO)),
  method: opt(oneOf(EIGH_METHODS), 'dc'),
} satisfies { [K in keyof Required<EighOptions>]: Field<NonNullable<EighOptions[K]>> };

const EIGH_CONSTRAINTS: Constraint<typeof EIGH_OPTIONS>[] = [
  {
    ok: (o) => o.upper === undefined || o.uplo === undefined || o.upper === (o.uplo === 'U'),
    message: (o) => `options 'upper' (${o.upper}) and 'uplo' ('${o.uplo}', its deprecated spelling) disagree; pass only upper`,
  },
];

/** The checked options: whether to read the upper triangle, and the vector method. */
function eighOptions(routine: string, options: EighOptions | undefined): { upper: boolean; method: 'dc' | 'qr' } {
  const o = resolveOptions(routine, EIGH_OPTIONS, options, EIGH_CONSTRAINTS);
  return { upper: o.upper ?? o.uplo === 'U', method: o.method };
}

/** Result of {@link eigh}: A = V diag(w) V^T. */
export interface Eigh {
  /** Eigenvalues, ascending. */
  readonly w: Float64Array | Float32Array;
  /** Orthonormal eigenvectors as columns: A V = V diag(w). */
  readonly V: Matrix;
}

// LAPACK dsyevd's safe range for ||A||_max: outside [RMIN, RMAX] the matrix is scaled so
// that neither squaring in the reduction nor the tridiagonal solvers over/underflow.
const RMIN = Math.sqrt(SAFMIN / EPS);
const RMAX = Math.sqrt(1 / (SAFMIN / EPS));

interface Prepared {
  n: number;
  a: Float64Array;
  d: Float64Array;
  e: Float64Array;
  tau: Float64Array;
  /** The factor A was multiplied by (eigenvalues are divided by it at the end). */
  sigma: number;
}

// Copy the chosen triangle of A into the lower triangle of f64 storage (sytrd reads only
// that), scale it into the safe range, and reduce it to tridiagonal form.
function prepare(A: Matrix, upper: boolean, routine: string, ws: Workspace): Prepared {
  const n = A.rows;
  const a = ws.f64(n * n);
  const sigma = copyLower(A, upper, routine, a);
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const tau = new Float64Array(Math.max(n - 1, 0));
  // sytrd's scratch in a workspace of its own, released before the caller allocates Z and
  // the solvers' scratch, which then reuse those pages (see eigh).
  withWorkspace((inner) => sytrd(n, a, 0, n, d, e, tau, inner));
  return { n, a, d, e, tau, sigma };
}

/**
 * Copy the chosen triangle of A into the lower triangle of the zeroed n x n `a` and scale
 * it into [RMIN, RMAX] (dsyevd's test on ||A||_max); returns the factor (1: unscaled).
 * @throws NonFiniteInputError naming the first NaN or Inf entry of the triangle.
 */
function copyLower(A: Matrix, upper: boolean, routine: string, a: Float64Array): number {
  const n = A.rows;
  if (!upper && A.rowStride === 1 && n > 0) {
    // The lower triangle of a column-major A: bulk copies of the columns' lower parts, then
    // one SIMD sum of squares s. Finite s means finite entries, and with c = n (n + 1) / 2
    // entries, sqrt(s / c) <= ||A||_max <= sqrt(s): when those bounds lie inside the safe
    // range (with a factor 2 to spare for the sum's rounding) no scaling is needed, which is
    // all the exact scan below would decide (sigma = 1 there too). Otherwise (rare: huge,
    // tiny or non-finite entries) the scan runs.
    // On a process's first call this saves the scalar loop's time in V8's lower tiers.
    for (let j = 0; j < n; j++) {
      const s = A.offset + j * A.colStride;
      a.set(A.data.subarray(s + j, s + n), j + j * n);
    }
    const s = kernels().dot(n * n, a, 0, 1, a, 0, 1);
    if (Number.isFinite(s) && s <= 0.5 * RMAX * RMAX && s / ((n * (n + 1)) / 2) >= 2 * RMIN * RMIN) return 1;
  }
  const src = A.data;
  let anrm = 0;
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) {
      // Element (i, j) of the lower triangle, or (j, i) of the upper one.
      const idx = upper ? A.offset + j * A.rowStride + i * A.colStride : A.offset + i * A.rowStride + j * A.colStride;
      const v = src[idx]!;
      if (!Number.isFinite(v)) {
        const [r, c] = upper ? [j, i] : [i, j];
        throw new NonFiniteInputError(`${routine}: the input holds ${v} at (${r}, ${c}); decompositions need finite numbers`);
      }
      a[i + j * n] = v;
      const m = Math.abs(v);
      if (m > anrm) anrm = m;
    }
  }
  let sigma = 1;
  if (anrm > 0 && anrm < RMIN) sigma = RMIN / anrm;
  else if (anrm > RMAX) sigma = RMAX / anrm;
  if (sigma !== 1) for (let i = 0; i < n * n; i++) a[i] = a[i]! * sigma;
  return sigma;
}

function unscale(d: Float64Array, sigma: number): void {
  if (sigma !== 1) for (let i = 0; i < d.length; i++) d[i] = d[i]! / sigma;
}

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix, A = V diag(w) V^T
 * (numpy.linalg.eigh; LAPACK dsyevd). Only one triangle is read: the lower by default, as
 * numpy; the upper with `upper: true`. Float32 input is computed in float64 and returned as
 * float32.
 *
 * Steps: scale ||A||_max into a safe range if needed; Householder tridiagonalization
 * (blocked dsytrd, 4/3 n^3 flops; one WASM call of the unblocked dsytd2 for n <= 256);
 * Cuppen's divide and conquer for the tridiagonal eigenvectors (dstedc; subproblems of
 * order <= 25 by implicit QL/QR); back-transformation by the block reflectors (dormtr,
 * 2 n^3 flops in gemm; reflector by reflector in one WASM call for n <= 128).
 * Eigenvector signs are arbitrary.
 *
 * @param A - the n x n symmetric matrix (only the chosen triangle is read).
 * @param options - {@link EighOptions}: `upper` (default false; `uplo` is its deprecated
 *   spelling).
 * @returns w, the n eigenvalues ascending, and V, n x n with orthonormal eigenvector
 *   columns, both of A's dtype.
 * @throws ShapeError when A is not square; NonFiniteInputError on NaN or Inf in the read
 * triangle; InvalidArgumentError on a bad or unknown option, or `upper` and `uplo` that
 * disagree; ConvergenceError if an iteration fails (not expected for finite input).
 * @example
 * const { w, V } = eigh(Matrix.from([[2, 1], [1, 2]])); // w = [1, 3]
 * eigh(A, { upper: true });                             // reads A's upper triangle
 */
export function eigh(A: Matrix, options?: EighOptions): Eigh {
  requireSquare(A, 'eigh');
  const o = eighOptions('eigh', options);
  const dtype: DType = A.dtype;
  const n = A.rows;
  if (n === 0) return { w: toVector([], 0, 0, dtype), V: Matrix.zeros(0, 0, { dtype }) };
  if (o.method === 'dc') {
    // Small matrices: one WASM call (src/linalg/small.ts).
    const small = smallEigh(A, o.upper);
    if (small) return small;
  }
  return withWorkspace((ws) => {
    const p = prepare(A, o.upper, 'eigh', ws);
    const Z = ws.f64(n * n);
    if (o.method === 'qr') {
      for (let j = 0; j < n; j++) Z[j + j * n] = 1;
      steqr(n, p.d, p.e, Z, 0, n, n);
    } else {
      // stedc's 2 n^2 doubles of scratch are released before ormtr's scratch is taken, which
      // then reuses pages already touched: a process's first call pays for every fresh page
      // of WASM memory (about 3.5 ms per MB on this VM), warm calls for none.
      withWorkspace((inner) => stedc(n, p.d, p.e, Z, 0, n, inner));
    }
    ormtr(n, n, p.a, 0, n, p.tau, Z, 0, n, ws);
    unscale(p.d, p.sigma);
    return { w: toVector(p.d, 0, n, dtype), V: toMatrix(Z, 0, n, n, n, dtype) };
  });
}

/**
 * Eigenvalues of a real symmetric matrix, ascending (numpy.linalg.eigvalsh; LAPACK dsyevd
 * with jobz = 'N'): tridiagonalization (4/3 n^3 flops) then the root-free QL/QR of Pal,
 * Walker and Kahan (dsterf, O(n^2)); no vectors are accumulated. Only one triangle is read
 * (the lower, or the upper with `upper: true`).
 * @param A - the n x n symmetric matrix (only the chosen triangle is read).
 * @param options - {@link EighOptions}: `upper` (default false; `uplo` is its deprecated
 *   spelling). `method` does not apply.
 * @returns the n eigenvalues, ascending: a Float32Array for float32 A, else Float64Array.
 * @throws ShapeError when A is not square; NonFiniteInputError on NaN or Inf in the read
 * triangle; InvalidArgumentError on a bad or unknown option, or `upper` and `uplo` that
 * disagree; ConvergenceError if the iteration fails.
 * @example
 * eigvalsh(Matrix.from([[2, 1], [1, 2]])); // Float64Array [1, 3]
 */
export function eigvalsh(A: Matrix, options?: EighOptions): FloatArray {
  requireSquare(A, 'eigvalsh');
  const o = eighOptions('eigvalsh', options);
  const dtype: DType = A.dtype;
  const n = A.rows;
  if (n === 0) return toVector([], 0, 0, dtype);
  return withWorkspace((ws) => {
    const p = prepare(A, o.upper, 'eigvalsh', ws);
    sterf(n, p.d, p.e);
    unscale(p.d, p.sigma);
    return toVector(p.d, 0, n, dtype);
  });
}
