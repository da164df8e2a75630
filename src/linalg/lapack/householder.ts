/**
 * Householder reflectors H = I - tau v v^T with v[0] = 1, single (LAPACK larfg, larf) and
 * blocked in compact WY form H_1 ... H_k = I - V T V^T (Schreiber & Van Loan 1989; LAPACK
 * larft, larfb), the building block of QR, tridiagonal, bidiagonal and Hessenberg
 * reductions. Block application is three gemm calls on an explicit copy of V.
 */
import { kernels } from '../../kernels/index.js';
import type { FloatArray } from '../../matrix/dtype.js';
import { ger } from './blas.js';
import { larftTriangle } from '../../kernels/householder.js';

/** Smallest x with 1/x finite and x / eps normal, per dtype (LAPACK's safmin / eps). */
function safeMin(x: FloatArray): number {
  return x instanceof Float32Array ? 2 ** -126 / 2 ** -24 : 2 ** -1022 / 2 ** -53;
}

/**
 * Generate a reflector H with H [alpha; x] = [beta; 0] (LAPACK larfg). `alpha` is
 * `X[iAlpha]`, x is the n-1 elements at `offX` with stride `incX`. On return
 * `X[iAlpha] = beta`, x holds v[1..n) and the result is tau (0 when H = I).
 */
export function larfg(n: number, X: FloatArray, iAlpha: number, offX: number, incX: number): number {
  if (n <= 1) return 0;
  const k = kernels();
  let xnorm = k.nrm2(n - 1, X, offX, incX);
  let alpha = X[iAlpha]!;
  if (xnorm === 0) return 0;
  let beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
  const safmin = safeMin(X);
  let knt = 0;
  if (Math.abs(beta) < safmin) {
    // x and beta may be inaccurate: scale up (at most 20 times) and recompute.
    const rsafmn = 1 / safmin;
    do {
      knt++;
      k.scal(n - 1, rsafmn, X, offX, incX);
      beta *= rsafmn;
      alpha *= rsafmn;
    } while (Math.abs(beta) < safmin && knt < 20);
    xnorm = k.nrm2(n - 1, X, offX, incX);
    beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
  }
  const tau = (beta - alpha) / beta;
  k.scal(n - 1, 1 / (alpha - beta), X, offX, incX);
  for (let j = 0; j < knt; j++) beta *= safmin;
  X[iAlpha] = beta;
  return tau;
}

/**
 * Apply H = I - tau v v^T to C (m x n) from the left (H C, v of length m) or the right
 * (C H, v of length n) (LAPACK larf). v is read with stride incV including v[0], which the
 * caller must have set to 1. `work` needs n (left) or m (right) elements.
 */
export function larf(
  side: 'L' | 'R', m: number, n: number, v: FloatArray, offV: number, incV: number, tau: number,
  C: FloatArray, offC: number, ldC: number, work: FloatArray,
): void {
  if (tau === 0 || m === 0 || n === 0) return;
  const k = kernels();
  if (side === 'L') {
    k.gemv(true, m, n, 1, C, offC, ldC, v, offV, incV, 0, work, 0, 1);
    ger(m, n, -tau, v, offV, incV, work, 0, 1, C, offC, ldC);
  } else {
    k.gemv(false, m, n, 1, C, offC, ldC, v, offV, incV, 0, work, 0, 1);
    ger(m, n, -tau, work, 0, 1, v, offV, incV, C, offC, ldC);
  }
}

/**
 * Copy the k reflectors stored below the diagonal of A (m x k, LAPACK storage: v[0] = 1
 * implicit, first row index `row0` of reflector j is j) into an explicit unit lower
 * trapezoidal V (m x k, leading dimension ldV): ones on the diagonal, zeros above.
 */
export function explicitV(m: number, k: number, A: FloatArray, offA: number, ldA: number, V: FloatArray, offV: number, ldV: number): void {
  // Bulk fills and copies per column (native, fast even before the JIT has compiled this).
  for (let j = 0; j < k; j++) {
    const v = offV + j * ldV;
    V.fill(0, v, v + Math.min(j, m));
    if (j < m) V[v + j] = 1;
    if (j + 1 < m) V.set(A.subarray(offA + j * ldA + j + 1, offA + j * ldA + m), v + j + 1);
  }
}

/**
 * Triangular factor T (k x k, upper; zeros written below the diagonal) of the block
 * reflector H_1 H_2 ... H_k = I - V T V^T, V explicit m x k (LAPACK larft, forward,
 * columnwise). V^T V comes from one gemm; the recurrence
 * T(0:i, i) = -tau_i T(0:i, 0:i) V(:, 0:i)^T v_i then costs k^3/6.
 */
export function larft(
  m: number, k: number, V: FloatArray, offV: number, ldV: number, tau: ArrayLike<number>,
  T: FloatArray, offT: number, ldT: number,
): void {
  if (k === 0) return;
  kernels().gemm(true, false, k, k, m, 1, V, offV, ldV, V, offV, ldV, 0, T, offT, ldT);
  // tau on the diagonal first: column i's recurrence never reads T(i, i), and reads the
  // earlier columns' diagonals as tau (LAPACK stores T(i, i) = tau_i).
  for (let i = 0; i < k; i++) T[offT + i + i * ldT] = tau[i]!;
  // One WASM call on the WASM backends (src/kernels/householder.ts), else the same loop here.
  if (!larftTriangle(k, T, offT, ldT)) larftLoop(k, T, offT, ldT);
}

/**
 * The recurrence of {@link larft} in TypeScript, on T holding V^T V above its diagonal and
 * tau on it.
 * @internal Exported for the test that the WASM kernel matches it bit for bit.
 */
export function larftLoop(k: number, T: FloatArray, offT: number, ldT: number): void {
  for (let i = 0; i < k; i++) {
    const ti = offT + i * ldT;
    const t = T[ti + i]!;
    // Row r reads entries r..i-1 of column i, which still hold V^T v_i (rows above r are
    // already overwritten): in place, no copy of the column.
    for (let r = 0; r < i; r++) {
      let s = 0;
      for (let c = r; c < i; c++) s += T[offT + r + c * ldT]! * T[ti + c]!;
      T[ti + r] = -t * s;
    }
    for (let r = i + 1; r < k; r++) T[ti + r] = 0;
  }
}

/**
 * Apply the block reflector H = I - V T V^T (or H^T when `transT`) to C (m x n) from the
 * left (V m x k) or the right (V n x k) (LAPACK larfb, forward, columnwise): three gemms.
 * `work` needs 2 k n (left) or 2 m k (right) elements.
 */
export function larfb(
  side: 'L' | 'R', transT: boolean, m: number, n: number, k: number,
  V: FloatArray, offV: number, ldV: number, T: FloatArray, offT: number, ldT: number,
  C: FloatArray, offC: number, ldC: number, work: FloatArray,
): void {
  if (m === 0 || n === 0 || k === 0) return;
  const g = kernels();
  if (side === 'L') {
    const w2 = k * n;
    g.gemm(true, false, k, n, m, 1, V, offV, ldV, C, offC, ldC, 0, work, 0, k);
    g.gemm(transT, false, k, n, k, 1, T, offT, ldT, work, 0, k, 0, work, w2, k);
    g.gemm(false, false, m, n, k, -1, V, offV, ldV, work, w2, k, 1, C, offC, ldC);
  } else {
    const w2 = m * k;
    g.gemm(false, false, m, k, n, 1, C, offC, ldC, V, offV, ldV, 0, work, 0, m);
    g.gemm(false, transT, m, k, k, 1, work, 0, m, T, offT, ldT, 0, work, w2, m);
    g.gemm(false, true, m, n, k, -1, work, w2, m, V, offV, ldV, 1, C, offC, ldC);
  }
}
