/**
 * One-call WASM kernels for the scalar parts of the blocked Householder drivers
 * (assembly/householder.ts): the unblocked panel QR (LAPACK dgeqr2) and the recurrence of
 * the block reflector's triangular factor (LAPACK dlarft). They exist only on the WASM
 * backends, for float64 arrays that all live in WASM memory; each returns false without
 * touching anything otherwise, and the caller runs its TypeScript loop
 * (src/linalg/lapack/geqrf.ts, householder.ts), which performs the same operations in the
 * same order: the results are bit-identical either way on a given build.
 */
import { defineKernel, wasmFor } from './registry.js';
import type { WasmKernels } from './wasm-kernels.js';
import { checkMatrixArg, checkSize, checkVectorArg } from './validate.js';
import type { FloatArray } from '../matrix/dtype.js';

// The WASM kernels when every array is float64 and lives in their memory.
function float64Resident(...arrays: FloatArray[]): WasmKernels | undefined {
  for (const x of arrays) if (!(x instanceof Float64Array)) return undefined;
  return wasmFor(...arrays);
}

type Geqr2Args = [m: number, n: number, A: FloatArray, offA: number, ldA: number, tau: FloatArray, offTau: number, work: FloatArray];
type LarftTriArgs = [k: number, T: FloatArray, offT: number, ldT: number];

const geqr2 = defineKernel<Geqr2Args, boolean>({
  name: 'geqr2',
  select: (_m, _n, A, _offA, _ldA, tau, _offTau, work) => float64Resident(A, tau, work),
  wasm: (w, m, n, A, offA, ldA, tau, offTau, work) => {
    checkSize('geqr2: m', m);
    checkSize('geqr2: n', n);
    checkMatrixArg('geqr2: A', A, offA, ldA, m, n);
    checkVectorArg('geqr2: tau', tau, offTau, 1, Math.min(m, n));
    checkVectorArg('geqr2: work', work, 0, 1, n);
    w.rt.exports.dgeqr2(m, n, A.byteOffset + offA * 8, ldA, tau.byteOffset + offTau * 8, work.byteOffset);
    return true;
  },
  js: () => false,
});

const larftTri = defineKernel<LarftTriArgs, boolean>({
  name: 'larft_tri',
  select: (_k, T) => float64Resident(T),
  wasm: (w, k, T, offT, ldT) => {
    checkSize('larftTri: k', k);
    checkMatrixArg('larftTri: T', T, offT, ldT, k, k);
    w.rt.exports.dlarft_tri(k, T.byteOffset + offT * 8, ldT);
    return true;
  },
  js: () => false,
});

/**
 * Unblocked QR of the m x n A in place (LAPACK dgeqr2) in one call: tau[offTau + i] for
 * i < min(m, n); `work` holds at least n elements.
 * @returns false (nothing done) unless every array is float64 in WASM memory.
 */
export function geqr2Kernel(
  m: number, n: number, A: FloatArray, offA: number, ldA: number, tau: FloatArray, offTau: number, work: FloatArray,
): boolean {
  return geqr2(m, n, A, offA, ldA, tau, offTau, work);
}

/**
 * The recurrence of LAPACK dlarft (forward, columnwise) on the k x k T at offT (leading
 * dimension ldT) that holds V^T V above its diagonal and tau on it: on return T is the
 * upper triangular factor of I - V T V^T, zeros below the diagonal.
 * @returns false (nothing done) unless T is float64 in WASM memory.
 */
export function larftTriangle(k: number, T: FloatArray, offT: number, ldT: number): boolean {
  return larftTri(k, T, offT, ldT);
}
