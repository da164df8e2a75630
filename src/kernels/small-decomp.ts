/**
 * One-call WASM kernels for small dense decompositions (assembly/small.ts): Householder QR
 * with its Q (LAPACK dgeqr2 + dorg2r), the thin SVD of a tall matrix (dgebd2 + dorgbr +
 * dbdsqr), the symmetric eigenproblem (dsytd2 + dorm2r + dsteqr) and LU (dgetrf, rank-4 blocks). They exist only on the WASM backends, for float64 arrays that all live in WASM
 * memory; each function declines (returns false / undefined, touching nothing) otherwise,
 * and the caller runs its blocked TypeScript path (src/linalg/small.ts).
 */
import { InvalidArgumentError } from '../errors.js';
import { defineKernel, wasmFor } from './registry.js';
import type { WasmKernels } from './wasm-kernels.js';
import { checkMatrixArg, checkSize, checkVectorArg } from './validate.js';

// The WASM kernels when every array is float64 (pivots: int32) and lives in their memory.
function float64Resident(...arrays: ArrayBufferView[]): WasmKernels | undefined {
  for (const x of arrays) if (!(x instanceof Float64Array || x instanceof Int32Array)) return undefined;
  return wasmFor(...arrays);
}

type GeqrArgs = [m: number, n: number, A: Float64Array, ldA: number, tau: Float64Array, Q: Float64Array, ldQ: number, qcols: number, diag: Float64Array];
type GetrfArgs = [m: number, n: number, A: Float64Array, ldA: number, piv: Int32Array];
type SyevArgs = [n: number, A: Float64Array, ldA: number, upper: boolean, w: Float64Array, Z: Float64Array, ldZ: number, work: Float64Array];
type GesvdArgs = [m: number, n: number, A: Float64Array, ldA: number, s: Float64Array, U: Float64Array, ldU: number, V: Float64Array, ldV: number, work: Float64Array];

const geqr = defineKernel<GeqrArgs, boolean>({
  name: 'geqr_small',
  select: (_m, _n, A, _ldA, tau, Q, _ldQ, _qcols, diag) => float64Resident(A, tau, Q, diag),
  wasm: (w, m, n, A, ldA, tau, Q, ldQ, qcols, diag) => {
    const k = Math.min(m, n);
    checkSize('geqrSmall: m', m);
    checkSize('geqrSmall: n', n);
    if (!(Number.isInteger(qcols) && qcols >= k && qcols <= m)) throw new InvalidArgumentError(`geqrSmall: qcols must be an integer in [${k}, ${m}], got ${qcols}`);
    checkMatrixArg('geqrSmall: A', A, 0, ldA, m, n);
    checkVectorArg('geqrSmall: tau', tau, 0, 1, k);
    checkMatrixArg('geqrSmall: Q', Q, 0, ldQ, m, qcols);
    checkVectorArg('geqrSmall: diag', diag, 0, 1, k);
    w.rt.exports.dgeqr_small(m, n, A.byteOffset, ldA, tau.byteOffset, Q.byteOffset, ldQ, qcols, diag.byteOffset);
    return true;
  },
  js: () => false,
});

const gesvd = defineKernel<GesvdArgs, number | undefined>({
  name: 'gesvd_small',
  select: (_m, _n, A, _ldA, s, U, _ldU, V, _ldV, work) => float64Resident(A, s, U, V, work),
  wasm: (w, m, n, A, ldA, s, U, ldU, V, ldV, work) => {
    checkSize('gesvdSmall: n', n);
    if (!(Number.isInteger(m) && m >= n && n >= 1)) throw new InvalidArgumentError(`gesvdSmall: needs m >= n >= 1, got ${m} x ${n}`);
    checkMatrixArg('gesvdSmall: A', A, 0, ldA, m, n);
    checkVectorArg('gesvdSmall: s', s, 0, 1, n);
    checkMatrixArg('gesvdSmall: U', U, 0, ldU, m, n);
    checkMatrixArg('gesvdSmall: V', V, 0, ldV, n, n);
    const e = w.rt.exports;
    checkVectorArg('gesvdSmall: work', work, 0, 1, Math.ceil(e.dgesvd_small_work(m, n) / 8));
    return e.dgesvd_small(m, n, A.byteOffset, ldA, s.byteOffset, U.byteOffset, ldU, V.byteOffset, ldV, work.byteOffset);
  },
  js: () => undefined,
});

const getrf = defineKernel<GetrfArgs, number | undefined>({
  name: 'getrf_small',
  select: (_m, _n, A, _ldA, piv) => float64Resident(A, piv),
  wasm: (w, m, n, A, ldA, piv) => {
    checkSize('getrfSmall: m', m);
    checkSize('getrfSmall: n', n);
    checkMatrixArg('getrfSmall: A', A, 0, ldA, m, n);
    if (piv.length < Math.min(m, n)) throw new InvalidArgumentError(`getrfSmall: piv needs ${Math.min(m, n)} entries, has ${piv.length}`);
    return w.rt.exports.dgetrf_small(m, n, A.byteOffset, ldA, piv.byteOffset);
  },
  js: () => undefined,
});

const syev = defineKernel<SyevArgs, number | undefined>({
  name: 'syev_small',
  select: (_n, A, _ldA, _upper, w, Z, _ldZ, work) => float64Resident(A, w, Z, work),
  wasm: (wk, n, A, ldA, upper, w, Z, ldZ, work) => {
    checkSize('syevSmall: n', n);
    checkMatrixArg('syevSmall: A', A, 0, ldA, n, n);
    checkVectorArg('syevSmall: w', w, 0, 1, n);
    checkMatrixArg('syevSmall: Z', Z, 0, ldZ, n, n);
    const e = wk.rt.exports;
    checkVectorArg('syevSmall: work', work, 0, 1, Math.ceil(e.dsyev_small_work(n) / 8));
    return e.dsyev_small(n, A.byteOffset, ldA, upper ? 1 : 0, w.byteOffset, Z.byteOffset, ldZ, work.byteOffset);
  },
  js: () => undefined,
});

/**
 * Householder QR of the m x n A (column-major, leading dimension ldA) and the first `qcols`
 * columns of its Q (k = min(m, n) <= qcols <= m) into Q (ldQ), in one call: R on and above
 * A's diagonal, the reflectors below it and their scalars in tau[0..k), as LAPACK dgeqrf +
 * dorgqr leave them. diag: k doubles of scratch.
 * @returns false (nothing done) unless every array is float64 in WASM memory.
 */
export function geqrSmall(
  m: number, n: number, A: Float64Array, ldA: number, tau: Float64Array,
  Q: Float64Array, ldQ: number, qcols: number, diag: Float64Array,
): boolean {
  return geqr(m, n, A, ldA, tau, Q, ldQ, qcols, diag);
}

/** Doubles of `work` {@link gesvdSmall} needs for an m x n matrix (m >= n). */
export function gesvdSmallWork(m: number, n: number): number {
  // Mirrors dgesvd_small_work in assembly/small.ts (checked there on every call).
  return 8 * n + n + m + n * n + 8;
}

/**
 * Thin SVD of the m x n (m >= n >= 1) A (ldA; overwritten) in one call: A = U diag(s) V^T
 * with U m x n (ldU), V n x n (ldV) holding the right singular vectors as columns, s
 * descending. work: {@link gesvdSmallWork} doubles.
 * @returns 0 (or the number of unconverged off-diagonal entries of the bidiagonal QR
 *   iteration), or undefined (nothing done) unless every array is float64 in WASM memory.
 */
export function gesvdSmall(
  m: number, n: number, A: Float64Array, ldA: number, s: Float64Array,
  U: Float64Array, ldU: number, V: Float64Array, ldV: number, work: Float64Array,
): number | undefined {
  return gesvd(m, n, A, ldA, s, U, ldU, V, ldV, work);
}

/** Doubles of `work` {@link syevSmall} needs for order n. */
export function syevSmallWork(n: number): number {
  // Mirrors dsyev_small_work in assembly/small.ts (checked there on every call).
  return 3 * n + 8;
}

/**
 * Eigenvalues w (ascending) and orthonormal eigenvectors Z (n x n, ldZ) of the symmetric
 * n x n A (ldA; overwritten) in one call (LAPACK dsyev: dsytd2, Q formed by dorm2r, dsteqr),
 * reading A's lower triangle, or its upper one when `upper`. work: {@link syevSmallWork}
 * doubles.
 * @returns 0; -1 (nothing computed) when the read triangle holds NaN or Inf; the number of
 *   unconverged off-diagonal entries (never seen); or undefined (nothing done) unless every
 *   array is float64 in WASM memory.
 */
export function syevSmall(
  n: number, A: Float64Array, ldA: number, upper: boolean, w: Float64Array,
  Z: Float64Array, ldZ: number, work: Float64Array,
): number | undefined {
  return syev(n, A, ldA, upper, w, Z, ldZ, work);
}

/**
 * LU with partial pivoting of the m x n A (ldA) in one call (LAPACK dgetrf with rank-4
 * blocks and an unblocked panel): L and U overwrite A, piv[i] (0-based) is the row
 * interchanged with row i, i < min(m, n).
 * @returns 0 or 1 + the index of the first exactly zero pivot; undefined (nothing done)
 *   unless A and piv live in WASM memory.
 */
export function getrfSmall(m: number, n: number, A: Float64Array, ldA: number, piv: Int32Array): number | undefined {
  return getrf(m, n, A, ldA, piv);
}
