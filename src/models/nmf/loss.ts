/**
 * The beta-divergence D_beta(X | W H) minimised by NMF (Févotte & Idier 2011, "Algorithms
 * for nonnegative matrix factorization with the beta-divergence", Neural Computation 23(9)),
 * computed as scikit-learn's `_beta_divergence`:
 *
 * - beta = 2: 1/2 ||X - W H||_F^2, from Gram matrices (||X||^2 - 2 <X H^T, W> + <W^T W, H H^T>)
 *   so W H is never formed (O((m + n) k^2) once the products are known);
 * - beta = 1 (generalised Kullback-Leibler): sum x log(x / wh) - x + wh;
 * - beta = 0 (Itakura-Saito): sum x / wh - log(x / wh) - 1;
 * - other beta: sum (x^b + (b - 1) wh^b - b x wh^(b-1)) / (b (b - 1)).
 *
 * As scikit-learn: only entries with x > EPSILON enter the x-dependent terms (so 0 log 0 = 0
 * and sparse data costs O(nnz k)), and wh is clamped below at EPSILON there.
 */
import { gemm, type NmfData } from './data.js';

/** scikit-learn's EPSILON: float32 machine epsilon, the floor of divisions and logs. */
export const NMF_EPSILON = 1.1920928955078125e-7;

/** Sum of A .* B over the first len entries. */
export function traceDot(A: Float64Array, B: Float64Array): number {
  let t = 0;
  for (let p = 0; p < A.length; p++) t += A[p]! * B[p]!;
  return t;
}

/** Ht^T Ht or W^T W: the k x k Gram matrix of a column-major rows x k array. */
export function gram(A: Float64Array, rows: number, k: number): Float64Array {
  const G = new Float64Array(k * k);
  gemm(true, false, k, k, rows, A, rows, A, rows, G);
  return G;
}

/**
 * 1/2 ||X - W H||_F^2 from ||X||^2, the cross term <X^T W, Ht> (or <X Ht, W>) and the two
 * Gram matrices; clamped at 0 against rounding.
 */
export function frobeniusLoss(sqNormX: number, cross: number, WtW: Float64Array, HHt: Float64Array): number {
  return Math.max(0, 0.5 * (sqNormX - 2 * cross + traceDot(WtW, HHt)));
}

/**
 * D_beta(X | W H), W m x k and Ht n x k column-major. For beta = 2 this costs two small
 * products and a pass over X's products; use {@link frobeniusLoss} when the products are
 * already at hand. O(nnz k) for sparse X and beta = 1, O(m n k) otherwise.
 */
export function betaDivergence(X: NmfData, W: Float64Array, Ht: Float64Array, k: number, beta: number, WH?: Float64Array): number {
  const { m, n } = X;
  if (beta === 2) {
    const XHt = X.times(Ht, k);
    return frobeniusLoss(X.sqNorm, traceDot(XHt, W), gram(W, m, k), gram(Ht, n, k));
  }
  const wh = WH ?? X.productAt(W, Ht, k);
  const x = X.values;
  if (beta === 1) {
    // sum(W H) = colSums(W) . rowSums(H) without forming W H.
    let sumWH = 0;
    for (let r = 0; r < k; r++) {
      let sw = 0;
      let sh = 0;
      for (let i = 0; i < m; i++) sw += W[i + r * m]!;
      for (let j = 0; j < n; j++) sh += Ht[j + r * n]!;
      sumWH += sw * sh;
    }
    let res = sumWH;
    for (let p = 0; p < x.length; p++) {
      const xv = x[p]!;
      if (!(xv > NMF_EPSILON)) continue;
      const w = Math.max(wh[p]!, NMF_EPSILON);
      res += xv * Math.log(xv / w) - xv;
    }
    return res;
  }
  if (beta === 0) {
    let res = 0;
    for (let p = 0; p < x.length; p++) {
      const xv = x[p]!;
      if (!(xv > NMF_EPSILON)) continue;
      const div = xv / Math.max(wh[p]!, NMF_EPSILON);
      res += div - Math.log(div);
    }
    // scikit-learn subtracts m n (every entry's "- 1"); keep its formula so the numbers agree.
    return res - m * n;
  }
  // General beta: sum over all entries of (W H)^beta, plus the x-dependent terms.
  let sumWHbeta = 0;
  if (X.sparse) sumWHbeta = sumPowerOfProduct(W, Ht, m, n, k, beta);
  else for (let p = 0; p < wh.length; p++) sumWHbeta += wh[p]! ** beta;
  let sumX = 0;
  let sumXWH = 0;
  for (let p = 0; p < x.length; p++) {
    const xv = x[p]!;
    if (!(xv > NMF_EPSILON)) continue;
    const w = Math.max(wh[p]!, NMF_EPSILON);
    sumX += xv ** beta;
    sumXWH += xv * w ** (beta - 1);
  }
  return (sumX - beta * sumXWH + sumWHbeta * (beta - 1)) / (beta * (beta - 1));
}

/** Rows of W H per block when W H is formed piecewise (bounded memory for sparse X). */
export function blockRows(n: number): number {
  return Math.max(1, Math.min(4096, Math.floor((1 << 20) / Math.max(1, n))));
}

/** sum over all (i, j) of (W H)_ij^p, in row blocks of W H (never all of it at once). */
function sumPowerOfProduct(W: Float64Array, Ht: Float64Array, m: number, n: number, k: number, p: number): number {
  const bs = blockRows(n);
  const buf = new Float64Array(bs * n);
  let s = 0;
  for (let i0 = 0; i0 < m; i0 += bs) {
    const b = Math.min(bs, m - i0);
    gemm(false, true, b, n, k, W, m, Ht, n, buf, 0, i0, 0, b);
    for (let q = 0; q < b * n; q++) s += buf[q]! ** p;
  }
  return s;
}
