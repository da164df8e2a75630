/**
 * Multiplicative updates for beta-divergence NMF: Lee & Seung 2001, "Algorithms for
 * non-negative matrix factorization" (NIPS 13) for Frobenius (beta = 2) and KL (beta = 1),
 * and the majorization-minimization form of Févotte & Idier 2011 for any beta (the update
 * ratio raised to gamma = 1 / (2 - beta) for beta < 1, 1 / (beta - 1) for beta > 2), which
 * makes every update non-increasing in the loss. As scikit-learn's
 * `_multiplicative_update_w` / `_multiplicative_update_h`:
 *
 *   W <- W .* ((X .* (WH)^(beta-2)) H^T / ((WH)^(beta-1) H^T + l1 + l2 W))^gamma
 *   H <- H .* (W^T (X .* (WH)^(beta-2)) / (W^T (WH)^(beta-1) + l1 + l2 H))^gamma
 *
 * with the Frobenius special case W <- W .* (X H^T) / (W (H H^T)) (no m x n product), the KL
 * case whose denominator is the row sums of H, W H clamped below at EPSILON where a negative
 * power needs it, and zero denominators replaced by EPSILON. Factors are W (m x k) and
 * Ht = H^T (n x k), column-major; the H update is the W update of the transposed problem.
 */
import { kernels } from '../../kernels/index.js';
import { muRatio, type FactorLayout } from '../../kernels/nmf.js';
import type { Workspace } from '../../kernels/workspace.js';
import { gemm, type NmfData } from './data.js';
import { FrobeniusSolver } from './factors.js';
import { blockRows, NMF_EPSILON } from './loss.js';

/** Penalties on the factor being updated. */
export interface MuPenalty {
  l1: number;
  l2: number;
}

/**
 * One multiplicative update of W (side 'W') or of Ht (side 'H'), in place, for beta != 2
 * (the Frobenius loss has {@link MuFrobenius}). The other factor is fixed. `gamma` is the
 * MM exponent (1 for 1 <= beta <= 2). Cost: beta = 1: one W H at X's stored positions and
 * one weighted product, O(nnz k) sparse / O(m n k) dense; other beta: also (W H)^(beta-1)
 * times the fixed factor, O(m n k) in row blocks.
 */
export function muUpdate(X: NmfData, W: Float64Array, Ht: Float64Array, k: number, beta: number, gamma: number, side: 'W' | 'H', pen: MuPenalty): void {
  const { m, n } = X;
  const A = side === 'W' ? W : Ht; // the factor updated
  const B = side === 'W' ? Ht : W; // the fixed one
  const rows = side === 'W' ? m : n;
  const other = side === 'W' ? n : m;
  let den: Float64Array;
  const wh = X.productAt(W, Ht, k);
  const x = X.values;
  const s = new Float64Array(x.length);
  for (let p = 0; p < x.length; p++) {
    const xv = x[p]!;
    let w = wh[p]!;
    if (beta < 2 && w < NMF_EPSILON) w = NMF_EPSILON;
    s[p] = beta === 1 ? xv / w : beta === 0 ? xv / (w * w) : xv * w ** (beta - 2);
  }
  const S = X.withValues(s);
  const num = side === 'W' ? S.times(Ht, k) : S.timesT(W, k);
  if (beta === 1) {
    // Denominator: the column sums of the fixed factor, broadcast over rows.
    den = new Float64Array(rows * k);
    for (let r = 0; r < k; r++) {
      let t = 0;
      for (let i = 0; i < other; i++) t += B[i + r * other]!;
      if (side === 'H' && t === 0) t = 1; // scikit-learn's W_sum[W_sum == 0] = 1
      den.fill(t, r * rows, (r + 1) * rows);
    }
  } else {
    den = powerProduct(W, Ht, m, n, k, beta - 1, side);
  }
  applyRatio(A, num, den, pen, gamma);
}

/** A <- A .* (num ./ (den + l1 + l2 A))^gamma, a zero denominator replaced by EPSILON. */
function applyRatio(A: Float64Array, num: Float64Array, den: Float64Array, pen: MuPenalty, gamma: number): void {
  const { l1, l2 } = pen;
  if (gamma === 1) {
    muRatio(A, num, den, l1, l2, NMF_EPSILON);
    return;
  }
  for (let p = 0; p < A.length; p++) {
    let d = den[p]! + l1 + l2 * A[p]!;
    if (d === 0) d = NMF_EPSILON;
    A[p] = A[p]! * (num[p]! / d) ** gamma;
  }
}

/**
 * Multiplicative updates for the Frobenius loss (beta = 2) on factors that stay in the
 * kernels' memory for the whole fit (./factors.ts):
 *
 *   W <- W .* (X H^T) ./ (W (H H^T) + l1 + l2 W),   H^T <- H^T .* (X^T W) ./ (H^T (W^T W) + ...)
 *
 * The products and Gram matrices of the H update also give the loss of the new factors,
 * so recording it after every iteration costs O(n k + k^2), not another product with X.
 */
export class MuFrobenius extends FrobeniusSolver {
  /** Denominators of the W and of the H update (views of one workspace array). */
  private readonly denW: Float64Array;
  private readonly denH: Float64Array;

  /**
   * @param W0 - initial W, m x k column-major (copied).
   * @param Ht0 - initial H^T, n x k column-major (copied).
   */
  constructor(data: NmfData, W0: Float64Array, Ht0: Float64Array, k: number, ws: Workspace) {
    super(data, W0, Ht0, k, ws);
    const den = ws.alloc('float64', Math.max(data.m, data.n) * k, false) as Float64Array;
    this.denW = den.subarray(0, data.m * k);
    this.denH = den.subarray(0, data.n * k);
  }

  /** One update of W with H fixed. */
  updateW(pen: MuPenalty): void {
    this.prepareW();
    const f = this.f;
    timesGram(f.W, f.m, f.k, f.wLayout, f.HtH, this.denW);
    applyRatio(f.W, f.XHt, this.denW, pen, 1);
  }

  /** One update of H with W fixed. */
  updateH(pen: MuPenalty): void {
    this.prepareH();
    const f = this.f;
    timesGram(f.Ht, f.n, f.k, f.hLayout, f.WtW, this.denH);
    applyRatio(f.Ht, f.XtW, this.denH, pen, 1);
  }
}

/**
 * out := A G for A (rows x k in `layout`) and a symmetric k x k G, in A's layout: a
 * row-major A is the column-major k x rows matrix A^T, and (A G)^T = G A^T.
 */
function timesGram(A: Float64Array, rows: number, k: number, layout: FactorLayout, G: Float64Array, out: Float64Array): void {
  if (layout.rowStride === 1) kernels().gemm(false, false, rows, k, k, 1, A, 0, rows, G, 0, k, 0, out, 0, rows);
  else kernels().gemm(false, false, k, rows, k, 1, G, 0, k, A, 0, k, 0, out, 0, k);
}

/**
 * (W H)^p Ht (m x k, side 'W') or ((W H)^p)^T W (n x k, side 'H'), forming W H in blocks
 * of rows; entries of W H below EPSILON are raised to EPSILON first when p < 0.
 */
function powerProduct(W: Float64Array, Ht: Float64Array, m: number, n: number, k: number, p: number, side: 'W' | 'H'): Float64Array {
  const bs = blockRows(n);
  const buf = new Float64Array(bs * n);
  const out = new Float64Array((side === 'W' ? m : n) * k);
  for (let i0 = 0; i0 < m; i0 += bs) {
    const b = Math.min(bs, m - i0);
    gemm(false, true, b, n, k, W, m, Ht, n, buf, 0, i0, 0, b);
    for (let q = 0; q < b * n; q++) {
      let v = buf[q]!;
      if (p < 0 && v < NMF_EPSILON) v = NMF_EPSILON;
      buf[q] = v ** p;
    }
    // side W: out[i0:i0+b, :] = buf Ht; side H: out += buf^T W[i0:i0+b, :].
    if (side === 'W') kernelsGemmInto(false, b, k, n, buf, b, Ht, n, out, i0, m, 0);
    else kernelsGemmInto(true, n, k, b, buf, b, W, m, out, 0, n, i0 === 0 ? 0 : 1, i0);
  }
  return out;
}

/** C[offC..] (ld ldC) = op(A) B[offB..] + beta C, A b x n block (ld ldA). */
function kernelsGemmInto(transA: boolean, rows: number, cols: number, inner: number, A: Float64Array, ldA: number, B: Float64Array, ldB: number, C: Float64Array, offC: number, ldC: number, beta: number, offB = 0): void {
  if (offB === 0) {
    gemm(transA, false, rows, cols, inner, A, ldA, B, ldB, C, beta, 0, offC, ldC);
    return;
  }
  // B offset: copy the block of rows of B (small: inner x k).
  const Bb = new Float64Array(inner * cols);
  for (let r = 0; r < cols; r++) for (let i = 0; i < inner; i++) Bb[i + r * inner] = B[offB + i + r * ldB]!;
  gemm(transA, false, rows, cols, inner, A, ldA, Bb, inner, C, beta, 0, offC, ldC);
}

/** The MM exponent gamma of Févotte & Idier 2011 for a beta. */
export function muGamma(beta: number): number {
  if (beta < 1) return 1 / (2 - beta);
  if (beta > 2) return 1 / (beta - 1);
  return 1;
}
