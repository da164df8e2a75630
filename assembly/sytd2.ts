// Unblocked Householder tridiagonalization of a small symmetric matrix and multiplication
// by its Q, each in one call (LAPACK dsytd2 and dorm2r as dormtr uses them for uplo 'L').
// For the n <= ~100 matrices of PCA covariances, the blocked TypeScript drivers spend most
// of their time in per-column calls (a symv, gemvs, dot, axpy, scal and a larfg per column)
// rather than in arithmetic; here the whole loop runs in WASM on data that stays in L1.
import { axpy, dot, nrm2, scal } from './level1';
import { symvLower } from './symv';
import { vmadd } from './simd';

/** LAPACK dlamch('S') / dlamch('E') for f64: below it |beta| is rescaled (larfg). */
const SAFMIN_OVER_EPS: f64 = 2.2250738585072014e-308 / 1.1102230246251565e-16;

/**
 * Reflector H with H [alpha; x] = [beta; 0] (LAPACK dlarfg), alpha at `p`, x the m - 1
 * contiguous elements after it. On return p holds beta, x holds v[1..m) and the result is
 * tau (0 when H = I). Mirrors larfg in src/linalg/lapack/householder.ts.
 */
export function larfg(m: i32, p: usize): f64 {
  if (m <= 1) return 0;
  const x = p + 8;
  let xnorm = nrm2<f64>(m - 1, x, 1);
  let alpha = load<f64>(p);
  if (xnorm == 0) return 0;
  let beta = alpha >= 0 ? -Math.hypot(alpha, xnorm) : Math.hypot(alpha, xnorm);
  let knt = 0;
  if (Math.abs(beta) < SAFMIN_OVER_EPS) {
    // x and beta may be inaccurate: scale up (at most 20 times) and recompute.
    const rsafmn = 1 / SAFMIN_OVER_EPS;
    do {
      knt++;
      scal<f64>(m - 1, rsafmn, x, 1);
      beta *= rsafmn;
      alpha *= rsafmn;
    } while (Math.abs(beta) < SAFMIN_OVER_EPS && knt < 20);
    xnorm = nrm2<f64>(m - 1, x, 1);
    beta = alpha >= 0 ? -Math.hypot(alpha, xnorm) : Math.hypot(alpha, xnorm);
  }
  const tau = (beta - alpha) / beta;
  scal<f64>(m - 1, 1 / (alpha - beta), x, 1);
  for (let j = 0; j < knt; j++) beta *= SAFMIN_OVER_EPS;
  store<f64>(p, beta);
  return tau;
}

// A := A - v w^T - w v^T on the lower triangle of the m x m matrix at a (BLAS dsyr2, 'L').
function syr2Lower(m: i32, a: usize, lda: i32, v: usize, w: usize): void {
  const cs = <usize>lda << 3;
  for (let j = 0; j < m; j++) {
    const col = a + <usize>j * cs;
    const vj = load<f64>(v + (<usize>j << 3));
    const wj = load<f64>(w + (<usize>j << 3));
    const nvj = f64x2.splat(-vj);
    const nwj = f64x2.splat(-wj);
    let i = j;
    for (; i + 2 <= m; i += 2) {
      const o = <usize>i << 3;
      v128.store(col + o, vmadd<f64>(v128.load(w + o), nvj, vmadd<f64>(v128.load(v + o), nwj, v128.load(col + o))));
    }
    if (i < m) {
      const o = <usize>i << 3;
      store<f64>(col + o, load<f64>(col + o) - load<f64>(v + o) * wj - load<f64>(w + o) * vj);
    }
  }
}

/**
 * Reduce the symmetric n x n matrix at a (column-major, leading dimension lda; lower
 * triangle read) to tridiagonal form Q^T A Q = T (LAPACK dsytd2, uplo 'L'): d[0..n) gets
 * the diagonal, e[0..n-1) the off-diagonal, tau[0..n-1) the reflector scalars, and the
 * reflectors' tails v_i[2..) lie below the subdiagonal of column i. w: n doubles of scratch.
 * Cost 4/3 n^3 flops, half in symv and half in the rank-2 updates.
 */
export function sytd2Lower(n: i32, a: usize, lda: i32, d: usize, e: usize, tau: usize, w: usize): void {
  if (n <= 0) return;
  const cs = <usize>lda << 3;
  for (let i = 0; i < n - 1; i++) {
    const m = n - 1 - i;
    // v = [1; A(i+2:, i)] with A(i+1, i) the pivot.
    const v = a + <usize>i * cs + (<usize>(i + 1) << 3);
    const a22 = v + cs;
    const t = larfg(m, v);
    const ei = load<f64>(v);
    if (t != 0) {
      store<f64>(v, 1);
      // w = tau A22 v; w -= (tau/2)(w^T v) v; A22 -= v w^T + w v^T.
      symvLower<f64>(m, t, a22, lda, v, 0, w);
      axpy<f64>(m, -0.5 * t * dot<f64>(m, w, 1, v, 1), v, 1, w, 1);
      syr2Lower(m, a22, lda, v, w);
      store<f64>(v, ei);
    }
    store<f64>(e + (<usize>i << 3), ei);
    store<f64>(tau + (<usize>i << 3), t);
    store<f64>(d + (<usize>i << 3), load<f64>(a + <usize>i * cs + (<usize>i << 3)));
  }
  store<f64>(d + (<usize>(n - 1) << 3), load<f64>(a + <usize>(n - 1) * cs + (<usize>(n - 1) << 3)));
}

/**
 * C := Q C for the Q of {@link sytd2Lower} (LAPACK dormtr, side 'L', uplo 'L', no
 * transpose, with dorm2r's reflector-by-reflector application), C n x ncols at c with
 * leading dimension ldc. Columns are taken four at a time and every reflector, last first,
 * is applied to them while they stay in L1: four dot products with v_i sharing its loads,
 * then four axpys. Row 0 of C is unchanged (Q fixes e_0). Cost 2 n^2 ncols flops.
 */
export function orm2trLower(n: i32, ncols: i32, a: usize, lda: i32, tau: usize, c: usize, ldc: i32): void {
  if (n <= 1) return;
  const cs = <usize>lda << 3;
  const ccs = <usize>ldc << 3;
  let j = 0;
  for (; j + 4 <= ncols; j += 4) {
    const c0 = c + <usize>j * ccs;
    for (let i = n - 2; i >= 0; i--) {
      const t = load<f64>(tau + (<usize>i << 3));
      if (t == 0) continue;
      apply4(n - 1 - i, a + <usize>i * cs + (<usize>(i + 1) << 3), t, c0 + (<usize>(i + 1) << 3), ccs);
    }
  }
  for (; j < ncols; j++) {
    const cj = c + <usize>j * ccs;
    for (let i = n - 2; i >= 0; i--) {
      const t = load<f64>(tau + (<usize>i << 3));
      if (t == 0) continue;
      const v = a + <usize>i * cs + (<usize>(i + 1) << 3);
      const x = cj + (<usize>(i + 1) << 3);
      const m = n - 1 - i;
      // v[0] = 1 is implicit (A holds the subdiagonal there).
      const s = load<f64>(x) + dot<f64>(m - 1, v + 8, 1, x + 8, 1);
      store<f64>(x, load<f64>(x) - t * s);
      axpy<f64>(m - 1, -t * s, v + 8, 1, x + 8, 1);
    }
  }
}

// (I - t v v^T) applied to rows [0, m) of four columns at x (column stride ccs bytes); v[0]
// = 1 is implicit (the pointer v holds the subdiagonal there), v[k] at v + 8k for k >= 1.
function apply4(m: i32, v: usize, t: f64, x: usize, ccs: usize): void {
  const x0 = x;
  const x1 = x0 + ccs;
  const x2 = x1 + ccs;
  const x3 = x2 + ccs;
  let a0 = f64x2.splat(0);
  let a1 = f64x2.splat(0);
  let a2 = f64x2.splat(0);
  let a3 = f64x2.splat(0);
  let i = 1;
  for (; i + 2 <= m; i += 2) {
    const o = <usize>i << 3;
    const vv = v128.load(v + o);
    a0 = vmadd<f64>(vv, v128.load(x0 + o), a0);
    a1 = vmadd<f64>(vv, v128.load(x1 + o), a1);
    a2 = vmadd<f64>(vv, v128.load(x2 + o), a2);
    a3 = vmadd<f64>(vv, v128.load(x3 + o), a3);
  }
  let s0 = load<f64>(x0) + f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1);
  let s1 = load<f64>(x1) + f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1);
  let s2 = load<f64>(x2) + f64x2.extract_lane(a2, 0) + f64x2.extract_lane(a2, 1);
  let s3 = load<f64>(x3) + f64x2.extract_lane(a3, 0) + f64x2.extract_lane(a3, 1);
  if (i < m) {
    const o = <usize>i << 3;
    const vi = load<f64>(v + o);
    s0 += vi * load<f64>(x0 + o);
    s1 += vi * load<f64>(x1 + o);
    s2 += vi * load<f64>(x2 + o);
    s3 += vi * load<f64>(x3 + o);
  }
  s0 *= -t;
  s1 *= -t;
  s2 *= -t;
  s3 *= -t;
  store<f64>(x0, load<f64>(x0) + s0);
  store<f64>(x1, load<f64>(x1) + s1);
  store<f64>(x2, load<f64>(x2) + s2);
  store<f64>(x3, load<f64>(x3) + s3);
  const f0 = f64x2.splat(s0);
  const f1 = f64x2.splat(s1);
  const f2 = f64x2.splat(s2);
  const f3 = f64x2.splat(s3);
  i = 1;
  for (; i + 2 <= m; i += 2) {
    const o = <usize>i << 3;
    const vv = v128.load(v + o);
    v128.store(x0 + o, vmadd<f64>(vv, f0, v128.load(x0 + o)));
    v128.store(x1 + o, vmadd<f64>(vv, f1, v128.load(x1 + o)));
    v128.store(x2 + o, vmadd<f64>(vv, f2, v128.load(x2 + o)));
    v128.store(x3 + o, vmadd<f64>(vv, f3, v128.load(x3 + o)));
  }
  if (i < m) {
    const o = <usize>i << 3;
    const vi = load<f64>(v + o);
    store<f64>(x0 + o, load<f64>(x0 + o) + s0 * vi);
    store<f64>(x1 + o, load<f64>(x1 + o) + s1 * vi);
    store<f64>(x2 + o, load<f64>(x2 + o) + s2 * vi);
    store<f64>(x3 + o, load<f64>(x3 + o) + s3 * vi);
  }
}
