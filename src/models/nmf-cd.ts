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
 * The factors, the products and the Gram matrices live in the kernels' (WASM) memory for
 * the whole fit, in the layout of the data's products (column-major for dense X, row-major
 * for sparse X), so an iteration moves nothing between JavaScript and WASM: at k = 10 the
 * copies cost about as much as the arithmetic.
 */
import { kernels } from '../kernels/index.js';
import { columnMajor, halsSweep, rowMajor, type FactorLayout } from '../kernels/nmf.js';
import type { Workspace } from '../linalg/lapack/workspace.js';
import type { NmfData } from './nmf-data.js';
import { frobeniusLoss } from './nmf-loss.js';

/** The state of one coordinate-descent fit (or transform, with H fixed). */
export class CdSolver {
  private readonly m: number;
  private readonly n: number;
  private readonly W: Float64Array;
  private readonly Ht: Float64Array;
  private readonly wLayout: FactorLayout;
  private readonly hLayout: FactorLayout;
  /** X Ht (m x k), from the last W sweep. */
  private readonly XHt: Float64Array;
  /** X^T W (n x k), from the last H sweep. */
  private readonly XtW: Float64Array;
  private readonly WtW: Float64Array;
  private readonly HtH: Float64Array;
  /** HtH holds Ht^T Ht of the current Ht (the loss computed it; the next W sweep reuses it). */
  private hthCurrent = false;

  /**
   * @param W0 - initial W, m x k column-major (copied).
   * @param Ht0 - initial H^T, n x k column-major (copied).
   */
  constructor(private readonly data: NmfData, W0: Float64Array, Ht0: Float64Array, private readonly k: number, ws: Workspace) {
    const { m, n } = data;
    this.m = m;
    this.n = n;
    const alloc = (size: number) => ws.alloc('float64', size, false) as Float64Array;
    const row = data.layout === 'row';
    this.wLayout = row ? rowMajor(k) : columnMajor(m);
    this.hLayout = row ? rowMajor(k) : columnMajor(n);
    this.W = toLayout(W0, m, k, this.wLayout, alloc(m * k));
    this.Ht = toLayout(Ht0, n, k, this.hLayout, alloc(n * k));
    this.XHt = alloc(m * k);
    this.XtW = alloc(n * k);
    this.WtW = alloc(k * k);
    this.HtH = alloc(k * k);
  }

  /** Update W with H fixed; returns the violation (sum of |projected gradient|). */
  sweepW(order: Int32Array, l1: number, l2: number): number {
    const { m, n, k } = this;
    if (!this.hthCurrent) gramInto(this.Ht, n, k, this.hLayout, this.HtH);
    this.hthCurrent = true;
    this.data.timesInto(this.Ht, k, this.XHt);
    return halsSweep(this.W, this.XHt, this.wLayout, m, k, this.HtH, order, l1, l2);
  }

  /** Update H with W fixed; returns the violation. */
  sweepH(order: Int32Array, l1: number, l2: number): number {
    const { m, n, k } = this;
    gramInto(this.W, m, k, this.wLayout, this.WtW);
    this.data.timesTInto(this.W, k, this.XtW);
    this.hthCurrent = false;
    return halsSweep(this.Ht, this.XtW, this.hLayout, n, k, this.WtW, order, l1, l2);
  }

  /**
   * 1/2 ||X - W H||_F^2 after {@link CdSolver.sweepH}: X^T W and W^T W are at the current W,
   * so only H H^T is new (and the next W sweep reuses it).
   */
  lossAfterH(): number {
    gramInto(this.Ht, this.n, this.k, this.hLayout, this.HtH);
    this.hthCurrent = true;
    return frobeniusLoss(this.data.sqNorm, dot(this.XtW, this.Ht), this.WtW, this.HtH);
  }

  /** 1/2 ||X - W H||_F^2 after {@link CdSolver.sweepW} with H fixed (transform). */
  lossAfterW(): number {
    gramInto(this.W, this.m, this.k, this.wLayout, this.WtW);
    return frobeniusLoss(this.data.sqNorm, dot(this.XHt, this.W), this.WtW, this.HtH);
  }

  /** W (m x k) column-major, in `out`. */
  readW(out: Float64Array): Float64Array {
    return fromLayout(this.W, this.m, this.k, this.wLayout, out);
  }

  /** H^T (n x k) column-major, in `out`. */
  readHt(out: Float64Array): Float64Array {
    return fromLayout(this.Ht, this.n, this.k, this.hLayout, out);
  }
}

/**
 * G := F^T F (k x k, both triangles) for F rows x k in `layout`: one syrk on the arrays in
 * place (a row-major F is the column-major k x rows matrix F^T, whose Gram is F^T (F^T)^T).
 */
function gramInto(F: Float64Array, rows: number, k: number, layout: FactorLayout, G: Float64Array): void {
  if (layout.rowStride === 1) kernels().syrk('L', true, k, rows, 1, F, 0, rows, 0, G, 0, k);
  else kernels().syrk('L', false, k, rows, 1, F, 0, k, 0, G, 0, k);
  for (let j = 1; j < k; j++) for (let i = 0; i < j; i++) G[i + j * k] = G[j + i * k]!;
}

/** Sum of A .* B (same layout, same length). */
function dot(A: Float64Array, B: Float64Array): number {
  return kernels().dot(A.length, A, 0, 1, B, 0, 1);
}

function toLayout(F: Float64Array, rows: number, k: number, layout: FactorLayout, out: Float64Array): Float64Array {
  const { rowStride: rs, colStride: cs } = layout;
  for (let c = 0; c < k; c++) for (let i = 0; i < rows; i++) out[i * rs + c * cs] = F[i + c * rows]!;
  return out;
}

function fromLayout(F: Float64Array, rows: number, k: number, layout: FactorLayout, out: Float64Array): Float64Array {
  const { rowStride: rs, colStride: cs } = layout;
  for (let c = 0; c < k; c++) for (let i = 0; i < rows; i++) out[i + c * rows] = F[i * rs + c * cs]!;
  return out;
}
