/**
 * Pure-TypeScript kernels: the fallback where WebAssembly SIMD is missing, and the
 * reference the WASM kernels are tested against (`LOWRANK_BACKEND=js` selects it).
 * Same contract as the WASM build (see {@link Kernels}); loops are ordered for unit-stride
 * inner access, but there is no packing or register tiling, so expect ~1/4-1/10 the speed.
 */
import type { FloatArray } from '../matrix/dtype.js';
import type { Kernels } from './types.js';
import { checkGemm, checkGemv, checkSyrk, checkVector, checkVectorPair } from './validate.js';

/** First element index of a BLAS vector (negative increments start at the far end). */
function first(n: number, off: number, inc: number): number {
  return inc >= 0 ? off : off + (n - 1) * -inc;
}

function scaleBlock(m: number, n: number, beta: number, C: FloatArray, offC: number, ldC: number): void {
  if (beta === 1) return;
  for (let j = 0; j < n; j++) {
    const c0 = offC + j * ldC;
    if (beta === 0) C.fill(0, c0, c0 + m);
    else for (let i = 0; i < m; i++) C[c0 + i] = beta * C[c0 + i]!;
  }
}

function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  A: FloatArray, offA: number, ldA: number, B: FloatArray, offB: number, ldB: number,
  beta: number, C: FloatArray, offC: number, ldC: number,
): void {
  checkGemm(transA, transB, m, n, k, A, offA, ldA, B, offB, ldB, C, offC, ldC);
  if (m === 0 || n === 0) return;
  scaleBlock(m, n, beta, C, offC, ldC);
  if (k === 0 || alpha === 0) return;
  // op(B)[p, j] at offB + p * bps + j * bjs
  const bps = transB ? ldB : 1;
  const bjs = transB ? 1 : ldB;
  if (!transA) {
    // C[:, j] += (alpha * op(B)[p, j]) * A[:, p]: unit stride down the columns of A and C.
    for (let j = 0; j < n; j++) {
      const c0 = offC + j * ldC;
      for (let p = 0; p < k; p++) {
        const b = alpha * B[offB + p * bps + j * bjs]!;
        if (b === 0) continue;
        const a0 = offA + p * ldA;
        for (let i = 0; i < m; i++) C[c0 + i] = C[c0 + i]! + b * A[a0 + i]!;
      }
    }
  } else {
    // C[i, j] += alpha * dot(A[:, i], op(B)[:, j]): unit stride down the columns of A.
    for (let j = 0; j < n; j++) {
      const c0 = offC + j * ldC;
      const b0 = offB + j * bjs;
      for (let i = 0; i < m; i++) {
        const a0 = offA + i * ldA;
        let s = 0;
        for (let p = 0; p < k; p++) s += A[a0 + p]! * B[b0 + p * bps]!;
        C[c0 + i] = C[c0 + i]! + alpha * s;
      }
    }
  }
}

function gemv(
  trans: boolean, m: number, n: number, alpha: number, A: FloatArray, offA: number, ldA: number,
  x: FloatArray, offX: number, incX: number, beta: number, y: FloatArray, offY: number, incY: number,
): void {
  checkGemv(trans, m, n, A, offA, ldA, x, offX, incX, y, offY, incY);
  const lenX = trans ? m : n;
  const lenY = trans ? n : m;
  const y0 = first(lenY, offY, incY);
  const x0 = first(lenX, offX, incX);
  for (let i = 0; i < lenY; i++) {
    const p = y0 + i * incY;
    y[p] = beta === 0 ? 0 : beta * y[p]!;
  }
  if (lenX === 0 || alpha === 0) return;
  for (let j = 0; j < n; j++) {
    const a0 = offA + j * ldA;
    if (!trans) {
      const b = alpha * x[x0 + j * incX]!;
      for (let i = 0; i < m; i++) y[y0 + i * incY] = y[y0 + i * incY]! + b * A[a0 + i]!;
    } else {
      let s = 0;
      for (let i = 0; i < m; i++) s += A[a0 + i]! * x[x0 + i * incX]!;
      y[y0 + j * incY] = y[y0 + j * incY]! + alpha * s;
    }
  }
}

function syrk(
  uplo: 'L' | 'U', trans: boolean, n: number, k: number, alpha: number, A: FloatArray, offA: number, ldA: number,
  beta: number, C: FloatArray, offC: number, ldC: number,
): void {
  checkSyrk(trans, n, k, A, offA, ldA, C, offC, ldC);
  // op(A)[i, p] at offA + i * ais + p * aps
  const ais = trans ? ldA : 1;
  const aps = trans ? 1 : ldA;
  for (let j = 0; j < n; j++) {
    const i0 = uplo === 'L' ? j : 0;
    const i1 = uplo === 'L' ? n : j + 1;
    for (let i = i0; i < i1; i++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[offA + i * ais + p * aps]! * A[offA + j * ais + p * aps]!;
      const c = offC + i + j * ldC;
      C[c] = (beta === 0 ? 0 : beta * C[c]!) + alpha * s;
    }
  }
}

function dot(n: number, x: FloatArray, offX: number, incX: number, y: FloatArray, offY: number, incY: number): number {
  checkVectorPair('dot', n, x, offX, incX, y, offY, incY);
  const x0 = first(n, offX, incX);
  const y0 = first(n, offY, incY);
  let s = 0;
  for (let i = 0; i < n; i++) s += x[x0 + i * incX]! * y[y0 + i * incY]!;
  return s;
}

function axpy(n: number, alpha: number, x: FloatArray, offX: number, incX: number, y: FloatArray, offY: number, incY: number): void {
  checkVectorPair('axpy', n, x, offX, incX, y, offY, incY);
  if (alpha === 0) return;
  const x0 = first(n, offX, incX);
  const y0 = first(n, offY, incY);
  for (let i = 0; i < n; i++) y[y0 + i * incY] = y[y0 + i * incY]! + alpha * x[x0 + i * incX]!;
}

function scal(n: number, alpha: number, x: FloatArray, offX: number, incX: number): void {
  checkVector('scal', n, x, offX, incX);
  if (incX < 0) return; // BLAS: no-op for non-positive increments
  for (let i = 0; i < n; i++) x[offX + i * incX] = alpha * x[offX + i * incX]!;
}

/** Two-pass scaled norm; see assembly/level1.ts for the reasoning. */
function nrm2(n: number, x: FloatArray, offX: number, incX: number): number {
  checkVector('nrm2', n, x, offX, incX);
  if (n === 0 || incX < 0) return 0;
  let amax = 0;
  let ssq = 0;
  for (let i = 0; i < n; i++) {
    const v = x[offX + i * incX]!;
    const a = Math.abs(v);
    if (Number.isNaN(a)) return NaN;
    if (a > amax) amax = a;
    ssq += v * v;
  }
  if (amax === Infinity) return Infinity;
  if (amax === 0) return 0;
  if (amax >= 2 ** -300 && amax <= 2 ** 300) return Math.sqrt(ssq);
  // Scale by a power of two near 1/amax (exact), in two factors so none overflows.
  const pre = amax < 2 ** -1000 ? 2 ** 600 : 1;
  const t = 2 ** -Math.floor(Math.log2(amax * pre));
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const v = x[offX + i * incX]! * pre * t;
    acc += v * v;
  }
  return Math.sqrt(acc) / t / pre;
}

/** The pure-TypeScript kernel set. */
export const jsKernels: Kernels = { name: 'js', gemm, gemv, syrk, dot, axpy, scal, nrm2 };
