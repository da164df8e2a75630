/**
 * One-call WASM kernels for small symmetric eigenproblems: the unblocked Householder
 * tridiagonalization (LAPACK dsytd2, uplo 'L') and the multiplication by its Q (dormtr,
 * side 'L', uplo 'L', no transpose, reflector by reflector). They exist only on the WASM
 * backends, for float64 arrays that all live in WASM memory; each function returns false
 * without touching anything otherwise (its TypeScript side declines), and the caller runs
 * its blocked TypeScript path (src/linalg/lapack/sytrd.ts).
 */
import { defineKernel, wasmFor } from './registry.js';
import type { WasmKernels } from './wasm-kernels.js';
import { checkMatrixArg, checkSize, checkVectorArg } from './validate.js';

// The WASM kernels when every array is float64 and lives in their memory.
function float64Resident(...arrays: ArrayBufferView[]): WasmKernels | undefined {
  return arrays.every((x) => x instanceof Float64Array) ? wasmFor(...arrays) : undefined;
}

type Sytd2Args = [n: number, A: Float64Array, offA: number, ldA: number, d: Float64Array, e: Float64Array, tau: Float64Array, work: Float64Array];
type Orm2trArgs = [n: number, ncols: number, A: Float64Array, offA: number, ldA: number, tau: Float64Array, C: Float64Array, offC: number, ldC: number];

const sytd2 = defineKernel<Sytd2Args, boolean>({
  name: 'sytd2_lower',
  select: (_n, A, _offA, _ldA, d, e, tau, work) => float64Resident(A, d, e, tau, work),
  wasm: (w, n, A, offA, ldA, d, e, tau, work) => {
    checkSize('sytd2Lower: n', n);
    checkMatrixArg('sytd2Lower: A', A, offA, ldA, n, n);
    checkVectorArg('sytd2Lower: d', d, 0, 1, n);
    checkVectorArg('sytd2Lower: e', e, 0, 1, Math.max(n - 1, 0));
    checkVectorArg('sytd2Lower: tau', tau, 0, 1, Math.max(n - 1, 0));
    checkVectorArg('sytd2Lower: work', work, 0, 1, n);
    w.rt.exports.dsytd2_lower(n, A.byteOffset + offA * 8, ldA, d.byteOffset, e.byteOffset, tau.byteOffset, work.byteOffset);
    return true;
  },
  js: () => false,
});

const orm2tr = defineKernel<Orm2trArgs, boolean>({
  name: 'orm2tr_lower',
  select: (_n, _ncols, A, _offA, _ldA, tau, C) => float64Resident(A, tau, C),
  wasm: (w, n, ncols, A, offA, ldA, tau, C, offC, ldC) => {
    checkSize('orm2trLower: n', n);
    checkSize('orm2trLower: ncols', ncols);
    checkMatrixArg('orm2trLower: A', A, offA, ldA, n, n);
    checkVectorArg('orm2trLower: tau', tau, 0, 1, Math.max(n - 1, 0));
    checkMatrixArg('orm2trLower: C', C, offC, ldC, n, ncols);
    w.rt.exports.dorm2tr_lower(n, ncols, A.byteOffset + offA * 8, ldA, tau.byteOffset, C.byteOffset + offC * 8, ldC);
    return true;
  },
  js: () => false,
});

/**
 * Tridiagonalize the symmetric n x n matrix A (lower triangle read; column-major at offA,
 * leading dimension ldA): d[0..n), e[0..n-1) and tau[0..n-1) as LAPACK dsytd2 returns them,
 * reflector tails below the subdiagonal of A. `work` holds at least n doubles.
 * @returns false (nothing done) unless every array is float64 in WASM memory.
 */
export function sytd2Lower(
  n: number, A: Float64Array, offA: number, ldA: number,
  d: Float64Array, e: Float64Array, tau: Float64Array, work: Float64Array,
): boolean {
  return sytd2(n, A, offA, ldA, d, e, tau, work);
}

/**
 * C := Q C with Q from {@link sytd2Lower} (or the blocked sytrd: the storage is the same),
 * C n x ncols at offC with leading dimension ldC.
 * @returns false (nothing done) unless every array is float64 in WASM memory.
 */
export function orm2trLower(
  n: number, ncols: number, A: Float64Array, offA: number, ldA: number, tau: Float64Array,
  C: Float64Array, offC: number, ldC: number,
): boolean {
  return orm2tr(n, ncols, A, offA, ldA, tau, C, offC, ldC);
}
