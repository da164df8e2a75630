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
 * sweep, and the column updates cost O(m k^2) (src/kernels/nmf.ts). H is updated by the same
 * sweep on the transposed problem (X^T, Ht, W).
 *
 * The factors, products and Gram matrices stay in the kernels' memory for the whole fit
 * (./factors.ts).
 */
import { halsSweep } from '../../kernels/nmf.js';
import { FrobeniusSolver } from './factors.js';

/** The state of one coordinate-descent fit (or transform, with H fixed). */
export class CdSolver extends FrobeniusSolver {
  /** Update W with H fixed; returns the violation (sum of |projected gradient|). */
  sweepW(order: Int32Array, l1: number, l2: number): number {
    this.prepareW();
    const f = this.f;
    return halsSweep(f.W, f.XHt, f.wLayout, f.m, f.k, f.HtH, order, l1, l2);
  }

  /** Update H with W fixed; returns the violation. */
  sweepH(order: Int32Array, l1: number, l2: number): number {
    this.prepareH();
    const f = this.f;
    return halsSweep(f.Ht, f.XtW, f.hLayout, f.n, f.k, f.WtW, order, l1, l2);
  }
}
