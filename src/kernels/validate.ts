import { InvalidArgumentError, ShapeError } from '../errors.js';
import type { FloatArray } from '../matrix/dtype.js';

/** Throw unless `n` is a non-negative 32-bit integer size. */
export function checkSize(name: string, n: number): void {
  if (!(Number.isInteger(n) && n >= 0 && n < 2 ** 31)) {
    throw new InvalidArgumentError(`${name} must be a non-negative integer, got ${n}`);
  }
}

/**
 * Throw unless a column-major `rows` x `cols` block at `off` with leading dimension `ld`
 * fits in `a` (BLAS: ld >= max(1, rows)).
 */
export function checkMatrixArg(name: string, a: FloatArray, off: number, ld: number, rows: number, cols: number): void {
  if (!(Number.isInteger(ld) && ld >= Math.max(1, rows))) {
    throw new InvalidArgumentError(`${name}: leading dimension must be an integer >= max(1, ${rows}), got ${ld}`);
  }
  if (!(Number.isInteger(off) && off >= 0)) throw new InvalidArgumentError(`${name}: offset must be a non-negative integer, got ${off}`);
  if (rows === 0 || cols === 0) return;
  const need = off + (cols - 1) * ld + rows;
  if (need > a.length) {
    throw new ShapeError(`${name}: a ${rows}x${cols} block at offset ${off} with ld ${ld} needs ${need} elements, array has ${a.length}`);
  }
}

/** Throw unless a vector of `n` elements with increment `inc` fits in `x` from `off`. */
export function checkVectorArg(name: string, x: FloatArray, off: number, inc: number, n: number): void {
  if (!(Number.isInteger(inc) && inc !== 0)) throw new InvalidArgumentError(`${name}: increment must be a non-zero integer, got ${inc}`);
  if (!(Number.isInteger(off) && off >= 0)) throw new InvalidArgumentError(`${name}: offset must be a non-negative integer, got ${off}`);
  if (n === 0) return;
  const need = off + (n - 1) * Math.abs(inc) + 1;
  if (need > x.length) throw new ShapeError(`${name}: ${n} elements with increment ${inc} from offset ${off} need ${need}, array has ${x.length}`);
}

/** Throw unless all arrays share one dtype; returns true for float32. */
export function sameDtype(op: string, ...arrays: FloatArray[]): boolean {
  const f32 = arrays[0] instanceof Float32Array;
  for (const a of arrays) {
    if (a instanceof Float32Array !== f32) {
      throw new InvalidArgumentError(`${op}: all arrays must have the same dtype (float64 or float32); convert with Matrix.astype`);
    }
  }
  return f32;
}

/** Validate a full gemm call. */
export function checkGemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  A: FloatArray, offA: number, ldA: number, B: FloatArray, offB: number, ldB: number,
  C: FloatArray, offC: number, ldC: number,
): boolean {
  checkSize('gemm: m', m);
  checkSize('gemm: n', n);
  checkSize('gemm: k', k);
  const f32 = sameDtype('gemm', A, B, C);
  checkMatrixArg('gemm: A', A, offA, ldA, transA ? k : m, transA ? m : k);
  checkMatrixArg('gemm: B', B, offB, ldB, transB ? n : k, transB ? k : n);
  checkMatrixArg('gemm: C', C, offC, ldC, m, n);
  return f32;
}

/** Validate a gemv call (A m x n, x and y sized by `trans`); returns true for float32. */
export function checkGemv(
  trans: boolean, m: number, n: number, A: FloatArray, offA: number, ldA: number,
  x: FloatArray, offX: number, incX: number, y: FloatArray, offY: number, incY: number,
): boolean {
  checkSize('gemv: m', m);
  checkSize('gemv: n', n);
  const f32 = sameDtype('gemv', A, x, y);
  checkMatrixArg('gemv: A', A, offA, ldA, m, n);
  checkVectorArg('gemv: x', x, offX, incX, trans ? m : n);
  checkVectorArg('gemv: y', y, offY, incY, trans ? n : m);
  return f32;
}

/** Validate a syrk call; returns true for float32. */
export function checkSyrk(trans: boolean, n: number, k: number, A: FloatArray, offA: number, ldA: number, C: FloatArray, offC: number, ldC: number): boolean {
  checkSize('syrk: n', n);
  checkSize('syrk: k', k);
  const f32 = sameDtype('syrk', A, C);
  checkMatrixArg('syrk: A', A, offA, ldA, trans ? k : n, trans ? n : k);
  checkMatrixArg('syrk: C', C, offC, ldC, n, n);
  return f32;
}

/** Validate a one-vector level-1 call (`op` names it in messages). */
export function checkVector(op: string, n: number, x: FloatArray, offX: number, incX: number): void {
  checkSize(`${op}: n`, n);
  checkVectorArg(`${op}: x`, x, offX, incX, n);
}

/** Validate a two-vector level-1 call; returns true for float32. */
export function checkVectorPair(op: string, n: number, x: FloatArray, offX: number, incX: number, y: FloatArray, offY: number, incY: number): boolean {
  checkSize(`${op}: n`, n);
  const f32 = sameDtype(op, x, y);
  checkVectorArg(`${op}: x`, x, offX, incX, n);
  checkVectorArg(`${op}: y`, y, offY, incY, n);
  return f32;
}
