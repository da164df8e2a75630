// One panel of the blocked Householder tridiagonalization (LAPACK dlatrd, uplo 'L') in one
// call: the per-column loop of src/linalg/lapack/sytrd.ts (column update from the panel's
// earlier reflectors, the reflector, the symmetric product with the trailing matrix and its
// corrections). In TypeScript that loop is about ten kernel calls and some scalar work per
// column, which on a process's first call runs in V8's interpreter and baseline tiers
// (issue 20, item 2: a first eigh of order 400 spent 18-22 ms of main-thread CPU in sytrd
// against 11 ms warm). This performs the TypeScript loop's operations in its order on the
// same kernels (gemv, larfg with V8's hypot, the 8-part symv, scal, dot, axpy), so its
// results are bit-identical to the one-thread TypeScript path on the same build.
import { axpy, dot, scal } from './level1';
import { gemv } from './level2';
import { larfgV8 } from './householder';
import { symv_parts } from './pool';

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/**
 * Reduce columns j0 .. j0 + kb of the symmetric n x n matrix at a (lower triangle,
 * leading dimension lda), as sytrd.ts's panel loop does. P (n x 2 kb, leading dimension
 * ldp) receives the panel's reflectors v_c (column 2c) and w_c (column 2c + 1); e and tau
 * receive the panel's kb off-diagonal entries and reflector scalars (panel-relative; the
 * entry of column n - 1, when in the panel, is not written). t1, t2: 2 kb doubles each;
 * w: parts * n doubles for the split symmetric product (symv_parts with `parts` parts, run
 * on the calling thread).
 */
export function latrdLower(
  n: i32, j0: i32, kb: i32, a: usize, lda: i32, e: usize, tau: usize, p: usize, ldp: i32,
  t1: usize, t2: usize, w: usize, parts: i32,
): void {
  const cs = <usize>lda << 3;
  const ps = <usize>ldp << 3;
  for (let c = 0; c < kb; c++) {
    const i = j0 + c;
    const len = n - i;
    const aii = a + <usize>i * cs + (<usize>i << 3);
    // A(i:, i) -= P(i:, 0:2c) (row i of P with each column pair swapped)^T.
    if (c > 0) {
      for (let q = 0; q < c; q++) {
        st(t1, 2 * q, ld(p, i + (2 * q + 1) * ldp));
        st(t1, 2 * q + 1, ld(p, i + 2 * q * ldp));
      }
      gemv<f64>(false, len, 2 * c, -1, p + (<usize>i << 3), ldp, t1, 1, 1, aii, 1);
    }
    if (i == n - 1) break;
    const m = len - 1;
    const sub = aii + 8; // A(i + 1, i)
    const t = larfgV8(m, sub);
    st(e, c, load<f64>(sub));
    st(tau, c, t);
    store<f64>(sub, 1);
    const v = p + (<usize>(i + 1) << 3) + <usize>(2 * c) * ps;
    const wc = v + ps;
    memory.copy(v, sub, <usize>m << 3);
    // w = tau (A22 - V W^T - W V^T) v.
    symv_parts(0, m, parts, 1, sub + cs, lda, v, 0, wc, w, 0);
    if (c > 0) {
      const pr = p + (<usize>(i + 1) << 3);
      gemv<f64>(true, m, 2 * c, 1, pr, ldp, v, 1, 0, t1, 1);
      for (let q = 0; q < c; q++) {
        st(t2, 2 * q, ld(t1, 2 * q + 1));
        st(t2, 2 * q + 1, ld(t1, 2 * q));
      }
      gemv<f64>(false, m, 2 * c, -1, pr, ldp, t2, 1, 1, wc, 1);
    }
    scal<f64>(m, t, wc, 1);
    const alpha = -0.5 * t * dot<f64>(m, wc, 1, v, 1);
    axpy<f64>(m, alpha, v, 1, wc, 1);
  }
}
