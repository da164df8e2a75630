// The scalar parts of the blocked Householder drivers (src/linalg/lapack/geqrf.ts and
// householder.ts), each one call: the unblocked panel QR (LAPACK dgeqr2) and the triangular
// factor's recurrence (LAPACK dlarft, forward, columnwise). In TypeScript these are loops of
// small kernel calls and scalar arithmetic that run in V8's interpreter and baseline tiers on
// a process's first factorization (issue 20, item 2: a first qr of order 400 spent 11-18 ms
// of main-thread CPU in geqr2 against 3-4 ms warm). Both perform the TypeScript path's
// operations in its order, on the same level-1/2 kernels (nrm2, scal, gemv, axpy) and with
// V8's hypot, so their results are bit-identical to it on the same build.
import { axpy, nrm2, scal } from './level1';
import { gemv } from './level2';
import { hypot } from './hypot';

/** 2^-1022 / 2^-53: below it |beta| is rescaled (householder.ts safeMin for f64). */
const SAFMIN_OVER_EPS: f64 = 2.2250738585072014e-308 / 1.1102230246251565e-16;

/**
 * Reflector H with H [alpha; x] = [beta; 0] (LAPACK dlarfg), alpha at p, x the n - 1
 * contiguous elements after it; returns tau, leaves beta at p and v[1..n) in x. The
 * statements of larfg in src/linalg/lapack/householder.ts (V8's hypot; sytd2.ts's larfg
 * uses musl's, which can differ in the last bit).
 */
export function larfgV8(n: i32, p: usize): f64 {
  if (n <= 1) return 0;
  const x = p + 8;
  let xnorm = nrm2<f64>(n - 1, x, 1);
  let alpha = load<f64>(p);
  if (xnorm == 0) return 0;
  // -sign(alpha || 1): alpha = +-0 counts as positive.
  let beta = alpha < 0 ? hypot(alpha, xnorm) : -hypot(alpha, xnorm);
  let knt = 0;
  if (Math.abs(beta) < SAFMIN_OVER_EPS) {
    const rsafmn = 1 / SAFMIN_OVER_EPS;
    do {
      knt++;
      scal<f64>(n - 1, rsafmn, x, 1);
      beta *= rsafmn;
      alpha *= rsafmn;
    } while (Math.abs(beta) < SAFMIN_OVER_EPS && knt < 20);
    xnorm = nrm2<f64>(n - 1, x, 1);
    beta = alpha < 0 ? hypot(alpha, xnorm) : -hypot(alpha, xnorm);
  }
  const tau = (beta - alpha) / beta;
  scal<f64>(n - 1, 1 / (alpha - beta), x, 1);
  for (let j = 0; j < knt; j++) beta *= SAFMIN_OVER_EPS;
  store<f64>(p, beta);
  return tau;
}

/**
 * Unblocked QR of the m x n matrix at a (leading dimension lda) in place (LAPACK dgeqr2):
 * tau[0..min(m, n)) gets the reflector scalars. Each reflector is applied to the columns on
 * its right as larf does (w = C^T v by gemv, then C -= tau v w^T one axpy per column, as
 * blas.ts ger). work: n doubles.
 */
export function geqr2(m: i32, n: i32, a: usize, lda: i32, tau: usize, work: usize): void {
  const k = min(m, n);
  const cs = <usize>lda << 3;
  for (let i = 0; i < k; i++) {
    const p = a + <usize>i * cs + (<usize>i << 3);
    const t = larfgV8(m - i, p);
    store<f64>(tau + (<usize>i << 3), t);
    if (i < n - 1 && t != 0) {
      const d = load<f64>(p);
      store<f64>(p, 1);
      const rows = m - i;
      const cols = n - i - 1;
      const c = p + cs;
      gemv<f64>(true, rows, cols, 1, c, lda, p, 1, 0, work, 1);
      const alpha = -t;
      for (let j = 0; j < cols; j++) {
        const tj = alpha * load<f64>(work + (<usize>j << 3));
        if (tj != 0) axpy<f64>(rows, tj, p, 1, c + <usize>j * cs, 1);
      }
      store<f64>(p, d);
    }
  }
}

/**
 * The k x k upper triangular factor T of H_0 ... H_{k-1} = I - V T V^T (LAPACK dlarft,
 * forward, columnwise) from t holding V^T V above the diagonal and tau_i on it:
 * T(0:i, i) = -tau_i T(0:i, 0:i) (V^T v_i)(0:i), row by row from the top (row r reads
 * entries r.. of column i, which are still V^T v_i), then zeros below the diagonal.
 * The statements of larft's recurrence in src/linalg/lapack/householder.ts.
 */
export function larftTri(k: i32, t: usize, ldt: i32): void {
  const cs = <usize>ldt << 3;
  for (let i = 0; i < k; i++) {
    const ti = t + <usize>i * cs;
    const ta = load<f64>(ti + (<usize>i << 3));
    for (let r = 0; r < i; r++) {
      let s: f64 = 0;
      for (let c = r; c < i; c++) s += load<f64>(t + <usize>c * cs + (<usize>r << 3)) * load<f64>(ti + (<usize>c << 3));
      store<f64>(ti + (<usize>r << 3), -ta * s);
    }
    for (let r = i + 1; r < k; r++) store<f64>(ti + (<usize>r << 3), 0);
  }
}
