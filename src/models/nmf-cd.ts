/**
 * Coordinate descent (HALS) for Frobenius NMF with L1/L2 penalties: Cichocki & Phan 2009,
 * "Fast local algorithms for large scale nonnegative matrix and tensor factorizations",
 * IEICE Trans. Fundamentals E92-A(3), as scikit-learn's `_fit_coordinate_descent`.
 *
 * One sweep updates every column t of W exactly (the objective is quadratic in it):
 *
 *   W[:, t] <- max(0, W[:, t] - (W G[:, t] - R[:, t]) / G[t, t]),
 *   G = Ht^T Ht + l2 I (k x k),  R = X Ht - l1 (m x k),
 *
 * so the expensive products are one X Ht (gemm, or a sparse product) and a k x k Gram per
 * sweep, and the column updates cost O(m k^2). Rows of W are independent within a column,
 * so updating W[:, t] as a whole is the same as scikit-learn's row loop. H is updated by
 * the same sweep on the transposed problem (X^T, Ht, W).
 */
import { activeWasm } from '../kernels/index.js';
import { gram } from './nmf-loss.js';

/** Products a sweep needs from the data: X Ht (m x k). */
export type TimesFactor = (Ht: Float64Array, k: number) => Float64Array;

/** Outcome of one sweep over the columns of W. */
export interface CdSweep {
  /** Sum of |projected gradient| before the updates (scikit-learn's violation). */
  violation: number;
  /** X Ht - l1 (m x k), for the loss. */
  XHt: Float64Array;
  /** G = Ht^T Ht (without the l2 term), for the loss. */
  HtH: Float64Array;
}

/**
 * One HALS sweep on W (m x k, updated in place) with Ht (n x k) fixed, columns visited in
 * `order`. Returns the violation and the products used. Cost: one X Ht product, one n x k
 * Gram (skipped when `HtHKnown` = Ht^T Ht is passed), O(m k^2) for the column updates.
 */
export function cdSweep(times: TimesFactor, W: Float64Array, Ht: Float64Array, m: number, n: number, k: number, l1: number, l2: number, order: Int32Array, HtHKnown?: Float64Array): CdSweep {
  const HtH = HtHKnown ?? gram(Ht, n, k);
  const XHt = times(Ht, k);
  const violation = sweepWasm(W, m, k, HtH, XHt, order, l1, l2) ?? sweepColumns(W, m, k, HtH, XHt, order, l1, l2);
  if (l1 !== 0) for (let p = 0; p < XHt.length; p++) XHt[p] = XHt[p]! - l1;
  return { violation, XHt, HtH };
}

/** Raw export of assembly/nmf.ts. */
type HalsSweep = (w: number, m: number, k: number, g: number, xht: number, order: number, grad: number, l1: number, l2: number) => number;

/**
 * The column updates on the WASM build (assembly/nmf.ts, SIMD over rows): W, G, R, the order
 * and the scratch are copied into WASM memory (O(m k), small next to the O(m k^2) sweep).
 * Undefined on the 'js' backend, where {@link sweepColumns} runs instead.
 */
function sweepWasm(W: Float64Array, m: number, k: number, G: Float64Array, R: Float64Array, order: Int32Array, l1: number, l2: number): number | undefined {
  const wasm = activeWasm();
  const fn = (wasm?.rt.exports as unknown as { nmf_hals_sweep?: HalsSweep } | undefined)?.nmf_hals_sweep;
  if (!wasm || !fn) return undefined;
  const heap = wasm.heap;
  const bytes = 8 * (2 * m * k + k * k + m) + 4 * k + 16;
  const base = heap.malloc(bytes);
  try {
    const pw = base;
    const pg = pw + 8 * m * k;
    const pr = pg + 8 * k * k;
    const pgrad = pr + 8 * m * k;
    const po = pgrad + 8 * m;
    heap.f64(pw, m * k).set(W);
    heap.f64(pg, k * k).set(G);
    heap.f64(pr, m * k).set(R);
    heap.i32(po, k).set(order);
    const violation = fn(pw, m, k, pg, pr, po, pgrad, l1, l2);
    W.set(heap.f64(pw, m * k));
    return violation;
  } finally {
    heap.free(base);
  }
}

/** The column updates in TypeScript (the 'js' backend); same arithmetic as assembly/nmf.ts. */
function sweepColumns(W: Float64Array, m: number, k: number, HtH: Float64Array, XHt: Float64Array, order: Int32Array, l1: number, l2: number): number {
  const grad = new Float64Array(m);
  let violation = 0;
  for (let s = 0; s < k; s++) {
    const t = order[s]!;
    const tm = t * m;
    // grad = W G[:, t] - (X Ht)[:, t] + l1, with G = HtH + l2 I.
    for (let i = 0; i < m; i++) grad[i] = l1 - XHt[tm + i]!;
    addColumns(grad, W, HtH, t, m, k, l2);
    const hess = HtH[t + t * k]! + l2;
    const inv = hess !== 0 ? 1 / hess : 0;
    for (let i = 0; i < m; i++) {
      const w = W[tm + i]!;
      const gi = grad[i]!;
      // Projected gradient: at a zero entry only a descent direction into w > 0 counts.
      violation += Math.abs(w === 0 ? Math.min(0, gi) : gi);
      if (hess !== 0) W[tm + i] = Math.max(w - gi * inv, 0);
    }
  }
  return violation;
}

/**
 * grad += W G[:, t] with G = HtH + l2 I, four columns of W per pass over grad (a quarter of
 * the loads and stores of grad: this loop is the sweep's O(m k^2) cost).
 */
function addColumns(grad: Float64Array, W: Float64Array, HtH: Float64Array, t: number, m: number, k: number, l2: number): void {
  const gt = t * k;
  let r = 0;
  for (; r + 4 <= k; r += 4) {
    const g0 = HtH[gt + r]! + (r === t ? l2 : 0);
    const g1 = HtH[gt + r + 1]! + (r + 1 === t ? l2 : 0);
    const g2 = HtH[gt + r + 2]! + (r + 2 === t ? l2 : 0);
    const g3 = HtH[gt + r + 3]! + (r + 3 === t ? l2 : 0);
    const o0 = r * m;
    const o1 = o0 + m;
    const o2 = o1 + m;
    const o3 = o2 + m;
    for (let i = 0; i < m; i++) grad[i] = grad[i]! + g0 * W[o0 + i]! + g1 * W[o1 + i]! + g2 * W[o2 + i]! + g3 * W[o3 + i]!;
  }
  for (; r < k; r++) {
    const g = HtH[gt + r]! + (r === t ? l2 : 0);
    const o = r * m;
    for (let i = 0; i < m; i++) grad[i] = grad[i]! + g * W[o + i]!;
  }
}
