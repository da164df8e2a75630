/**
 * The kernels layer's entry: the {@link Kernels} contract (gemm, gemv, syrk, dot, axpy,
 * scal, nrm2), each routine defined once in ./registry.ts's shape (a WASM and a TypeScript
 * implementation, one rule between them), and the backend and thread controls.
 *
 * gemm and syrk run on the active WASM build whatever memory their operands live in: the
 * build copies foreign operands in, an O(n^2) copy next to O(n^3) work. For the O(n) and
 * O(n^2) routines a copy would cost as much as the work, so they run on WASM only when
 * every operand already lives in its memory, and in TypeScript otherwise. Their `select`
 * names the operands: the default one, a scan of every argument, costs about as much as a
 * 16-element dot (these run millions of times inside LAPACK's unblocked loops).
 */
import { jsKernels } from './js-kernels.js';
import { activeBackend, defineKernel, wasmFor } from './registry.js';
import type { Kernels } from './types.js';
import { checkGemv, checkVector, checkVectorPair } from './validate.js';

export type { BackendName, Kernels } from './types.js';
export { BACKENDS } from './types.js';
export { WasmKernels } from './wasm-kernels.js';
export { activeWasm, availableBackends, getThreads, ready, setBackend, setThreads, threadInfo, type ThreadInfo } from './registry.js';

const gemm = defineKernel<Parameters<Kernels['gemm']>, void>({
  name: 'gemm',
  select: () => wasmFor(),
  wasm: (w, ...args) => w.gemm(...args),
  js: jsKernels.gemm,
});

const syrk = defineKernel<Parameters<Kernels['syrk']>, void>({
  name: 'syrk',
  select: () => wasmFor(),
  wasm: (w, ...args) => w.syrk(...args),
  js: jsKernels.syrk,
});

const gemv = defineKernel<Parameters<Kernels['gemv']>, void>({
  name: 'gemv',
  select: (_trans, _m, _n, _alpha, A, _offA, _ldA, x, _offX, _incX, _beta, y) => wasmFor(A, x, y),
  wasm: (w, trans, m, n, alpha, A, offA, ldA, x, offX, incX, beta, y, offY, incY) => {
    const f32 = checkGemv(trans, m, n, A, offA, ldA, x, offX, incX, y, offY, incY);
    const s = f32 ? 4 : 8;
    const e = w.rt.exports;
    (f32 ? e.sgemv : e.dgemv)(+trans, m, n, alpha, A.byteOffset + offA * s, ldA, x.byteOffset + offX * s, incX, beta, y.byteOffset + offY * s, incY);
  },
  js: jsKernels.gemv,
});

const dot = defineKernel<Parameters<Kernels['dot']>, number>({
  name: 'dot',
  select: (_n, x, _offX, _incX, y) => wasmFor(x, y),
  wasm: (w, n, x, offX, incX, y, offY, incY) => {
    const f32 = checkVectorPair('dot', n, x, offX, incX, y, offY, incY);
    const s = f32 ? 4 : 8;
    return (f32 ? w.rt.exports.sdot : w.rt.exports.ddot)(n, x.byteOffset + offX * s, incX, y.byteOffset + offY * s, incY);
  },
  js: jsKernels.dot,
});

const axpy = defineKernel<Parameters<Kernels['axpy']>, void>({
  name: 'axpy',
  select: (_n, _alpha, x, _offX, _incX, y) => wasmFor(x, y),
  wasm: (w, n, alpha, x, offX, incX, y, offY, incY) => {
    const f32 = checkVectorPair('axpy', n, x, offX, incX, y, offY, incY);
    const s = f32 ? 4 : 8;
    (f32 ? w.rt.exports.saxpy : w.rt.exports.daxpy)(n, alpha, x.byteOffset + offX * s, incX, y.byteOffset + offY * s, incY);
  },
  js: jsKernels.axpy,
});

const scal = defineKernel<Parameters<Kernels['scal']>, void>({
  name: 'scal',
  select: (_n, _alpha, x) => wasmFor(x),
  wasm: (w, n, alpha, x, offX, incX) => {
    checkVector('scal', n, x, offX, incX);
    const s = x.BYTES_PER_ELEMENT;
    (s === 4 ? w.rt.exports.sscal : w.rt.exports.dscal)(n, alpha, x.byteOffset + offX * s, incX);
  },
  js: jsKernels.scal,
});

const nrm2 = defineKernel<Parameters<Kernels['nrm2']>, number>({
  name: 'nrm2',
  select: (_n, x) => wasmFor(x),
  wasm: (w, n, x, offX, incX) => {
    checkVector('nrm2', n, x, offX, incX);
    const s = x.BYTES_PER_ELEMENT;
    return (s === 4 ? w.rt.exports.snrm2 : w.rt.exports.dnrm2)(n, x.byteOffset + offX * s, incX);
  },
  js: jsKernels.nrm2,
});

// One object for every backend: each routine picks its implementation at the call.
const contract: Kernels = {
  get name() {
    return activeBackend();
  },
  gemm,
  gemv,
  syrk,
  dot,
  axpy,
  scal,
  nrm2,
};

/** The kernels, on the active backend (deciding it on first call). */
export function kernels(): Kernels {
  activeBackend();
  return contract;
}
