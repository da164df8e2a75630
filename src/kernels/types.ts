import type { FloatArray } from '../matrix/dtype.js';

/** Which implementation runs the kernels. */
export type BackendName = 'wasm-fma' | 'wasm' | 'js';

/** Backends in order of preference, as a runtime list. */
export const BACKENDS = ['wasm-fma', 'wasm', 'js'] as const;

/**
 * The kernel contract, in BLAS order and BLAS semantics, on flat typed arrays in the style
 * of stdlib's `.ndarray` functions: every matrix is `(array, offset, ld)` in column-major
 * order, every vector `(array, offset, inc)`. Both arrays of a call must have the same
 * dtype (f64 arrays run the d* routine, f32 arrays the s* routine). Kernels validate sizes
 * against the arrays (a bad size throws instead of reading out of bounds) but not values.
 * `beta == 0` overwrites the output without reading it (NaN there does not propagate).
 *
 * Each of the seven is defined in ./index.ts, like every other kernel routine, as a pair of
 * implementations (./registry.ts) of which one rule picks the backend at each call.
 */
export interface Kernels {
  /** The backend the routines run on (for `kernels()`, the active one). */
  readonly name: BackendName;
  /** C := alpha op(A) op(B) + beta C; op(A) is m x k, op(B) k x n, C m x n. */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    A: FloatArray, offA: number, ldA: number, B: FloatArray, offB: number, ldB: number,
    beta: number, C: FloatArray, offC: number, ldC: number,
  ): void;
  /** y := alpha op(A) x + beta y, A m x n. */
  gemv(
    trans: boolean, m: number, n: number, alpha: number, A: FloatArray, offA: number, ldA: number,
    x: FloatArray, offX: number, incX: number, beta: number, y: FloatArray, offY: number, incY: number,
  ): void;
  /** One triangle of C := alpha op(A) op(A)^T + beta C; op(A) = A (n x k) or A^T (A k x n). */
  syrk(
    uplo: 'L' | 'U', trans: boolean, n: number, k: number, alpha: number, A: FloatArray, offA: number, ldA: number,
    beta: number, C: FloatArray, offC: number, ldC: number,
  ): void;
  /** sum x_i y_i (returned as a double; f32 data may accumulate in f32 lanes, as BLAS sdot). */
  dot(n: number, x: FloatArray, offX: number, incX: number, y: FloatArray, offY: number, incY: number): number;
  /** y := alpha x + y. */
  axpy(n: number, alpha: number, x: FloatArray, offX: number, incX: number, y: FloatArray, offY: number, incY: number): void;
  /** x := alpha x. */
  scal(n: number, alpha: number, x: FloatArray, offX: number, incX: number): void;
  /** ||x||_2 without overflow or underflow (safe for entries near 1e±300). */
  nrm2(n: number, x: FloatArray, offX: number, incX: number): number;
}
