// One coordinate-descent (HALS) sweep of NMF over the k columns of W (Cichocki & Phan 2009;
// scikit-learn's _update_cdnmf_fast), f64, SIMD over the rows. Mirrors sweepColumns in
// src/models/nmf-cd.ts (the TypeScript fallback); see that file for the math.
import { vmadd } from './simd';

/**
 * W (m x k, column-major at `w`) updated in place, column order[s] for s = 0..k-1:
 *   grad = W G[:, t] - R[:, t] + l1 (G = `g` k x k symmetric, plus l2 on the diagonal;
 *   R = `xht` m x k), violation += |projected grad|, W[:, t] = max(W[:, t] - grad / G[t, t], 0).
 * `grad` is m doubles of scratch. Returns the violation.
 */
export function nmf_hals_sweep(w: usize, m: i32, k: i32, g: usize, xht: usize, order: usize, grad: usize, l1: f64, l2: f64): f64 {
  let violation: f64 = 0;
  const mb = <usize>m << 3;
  const m2 = m & ~1;
  for (let s = 0; s < k; s++) {
    const t = load<i32>(order + (<usize>s << 2));
    const wt = w + <usize>t * mb;
    const rt = xht + <usize>t * mb;
    const gt = g + ((<usize>t * <usize>k) << 3);
    const vl1 = f64x2.splat(l1);
    let i = 0;
    for (; i < m2; i += 2) v128.store(grad + (<usize>i << 3), f64x2.sub(vl1, v128.load(rt + (<usize>i << 3))));
    for (; i < m; i++) store<f64>(grad + (<usize>i << 3), l1 - load<f64>(rt + (<usize>i << 3)));
    let r = 0;
    for (; r + 2 <= k; r += 2) {
      const g0 = load<f64>(gt + (<usize>r << 3)) + (r == t ? l2 : 0);
      const g1 = load<f64>(gt + (<usize>(r + 1) << 3)) + (r + 1 == t ? l2 : 0);
      const v0 = f64x2.splat(g0);
      const v1 = f64x2.splat(g1);
      const w0 = w + <usize>r * mb;
      const w1 = w0 + mb;
      i = 0;
      for (; i < m2; i += 2) {
        const o = <usize>i << 3;
        let acc = v128.load(grad + o);
        acc = vmadd<f64>(v0, v128.load(w0 + o), acc);
        acc = vmadd<f64>(v1, v128.load(w1 + o), acc);
        v128.store(grad + o, acc);
      }
      for (; i < m; i++) {
        const o = <usize>i << 3;
        store<f64>(grad + o, load<f64>(grad + o) + g0 * load<f64>(w0 + o) + g1 * load<f64>(w1 + o));
      }
    }
    for (; r < k; r++) {
      const g0 = load<f64>(gt + (<usize>r << 3)) + (r == t ? l2 : 0);
      const v0 = f64x2.splat(g0);
      const w0 = w + <usize>r * mb;
      i = 0;
      for (; i < m2; i += 2) {
        const o = <usize>i << 3;
        v128.store(grad + o, vmadd<f64>(v0, v128.load(w0 + o), v128.load(grad + o)));
      }
      for (; i < m; i++) {
        const o = <usize>i << 3;
        store<f64>(grad + o, load<f64>(grad + o) + g0 * load<f64>(w0 + o));
      }
    }
    const hess = load<f64>(gt + (<usize>t << 3)) + l2;
    // One division per column, not per row (a division costs ~10 multiply-adds).
    const inv: f64 = hess != 0 ? 1 / hess : 0;
    for (i = 0; i < m; i++) {
      const o = <usize>i << 3;
      const wi = load<f64>(wt + o);
      const gi = load<f64>(grad + o);
      violation += abs<f64>(wi == 0 ? min<f64>(0, gi) : gi);
      if (hess != 0) store<f64>(wt + o, max<f64>(wi - gi * inv, 0));
    }
  }
  return violation;
}
