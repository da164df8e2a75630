/**
 * One panel of the blocked Householder tridiagonalization in one WASM call (LAPACK dlatrd,
 * uplo 'L'; assembly/latrd.ts): the per-column loop of src/linalg/lapack/sytrd.ts, whose
 * ten-odd kernel calls per column run in V8's lower tiers on a process's first call. The
 * kernel performs that loop's operations in its order on the same WASM kernels, so the
 * results are bit-identical to the TypeScript loop running on one thread.
 *
 * It runs only where the TypeScript loop's products would run on the calling thread anyway:
 * one thread, or a trailing matrix below the split symmetric product's cut-over (the panel's
 * gemvs, at most n x 2 nb, are far below gemvParallel's). Elsewhere, on the JS backend, or
 * when an array is not in WASM memory, {@link latrdLower} returns false and sytrd runs its
 * TypeScript loop (which shares the symmetric products among the threads).
 */
import { defineKernel, wasmFor } from './registry.js';
import { SYMV_PARALLEL_MIN, SYMV_PARTS } from './symv.js';
import { InvalidArgumentError } from '../errors.js';
import { checkMatrixArg, checkSize, checkVectorArg } from './validate.js';

type LatrdArgs = [
  n: number, j0: number, kb: number, A: Float64Array, offA: number, ldA: number,
  e: Float64Array, tau: Float64Array, P: Float64Array, ldP: number,
  t1: Float64Array, t2: Float64Array, work: Float64Array,
];

const latrd = defineKernel<LatrdArgs, boolean>({
  name: 'latrd_lower',
  select: (n, j0, _kb, A, _offA, _ldA, e, tau, P, _ldP, t1, t2, work) => {
    if (!(A instanceof Float64Array && P instanceof Float64Array && work instanceof Float64Array)) return undefined;
    const w = wasmFor(A, e, tau, P, t1, t2, work);
    // The panel's symmetric products run on the calling thread inside the kernel: keep the
    // TypeScript loop where symvLowerParts would share them among the threads.
    return w && (w.threadCount === 1 || n - j0 - 1 < SYMV_PARALLEL_MIN) ? w : undefined;
  },
  wasm: (w, n, j0, kb, A, offA, ldA, e, tau, P, ldP, t1, t2, work) => {
    checkSize('latrdLower: n', n);
    if (!(Number.isInteger(j0) && Number.isInteger(kb) && j0 >= 0 && kb >= 1 && j0 + kb <= n)) {
      throw new InvalidArgumentError(`latrdLower: panel ${j0} + ${kb} outside the order ${n}`);
    }
    checkMatrixArg('latrdLower: A', A, offA, ldA, n, n);
    checkMatrixArg('latrdLower: P', P, 0, ldP, n, 2 * kb);
    checkVectorArg('latrdLower: e', e, 0, 1, kb);
    checkVectorArg('latrdLower: tau', tau, 0, 1, kb);
    checkVectorArg('latrdLower: t1', t1, 0, 1, 2 * kb);
    checkVectorArg('latrdLower: t2', t2, 0, 1, 2 * kb);
    checkVectorArg('latrdLower: work', work, 0, 1, SYMV_PARTS * n);
    w.rt.exports.dlatrd_lower(n, j0, kb, A.byteOffset + offA * 8, ldA, e.byteOffset, tau.byteOffset, P.byteOffset, ldP, t1.byteOffset, t2.byteOffset, work.byteOffset, SYMV_PARTS);
    return true;
  },
  js: () => false,
});

/**
 * Reduce the panel of columns j0 .. j0 + kb of the symmetric n x n matrix A (lower triangle,
 * column-major at offA, leading dimension ldA) as sytrd's per-column loop does: P (n x 2 kb,
 * leading dimension ldP) receives the reflectors v_c and vectors w_c interleaved (columns 2c,
 * 2c + 1), e[0..kb) and tau[0..kb) the panel's off-diagonal entries and reflector scalars
 * (e[c], tau[c] for column j0 + c; not written for column n - 1). t1, t2: 2 kb doubles;
 * work: SYMV_PARTS * n doubles.
 * @returns false (nothing done) unless every array is float64 in WASM memory and the
 *   products would run on the calling thread (see the module comment).
 */
export function latrdLower(...args: LatrdArgs): boolean {
  return latrd(...args);
}
