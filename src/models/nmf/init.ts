/**
 * Starting points of NMF (scikit-learn's `_initialize_nmf`):
 *
 * - `'random'`: |N(0, 1)| entries scaled by sqrt(mean(X) / k), so W H has X's mean;
 * - `'nndsvd'`: Nonnegative Double SVD (Boutsidis & Gallopoulos 2008, "SVD based
 *   initialization: a head start for nonnegative matrix factorization", Pattern Recognition
 *   41(4)): from the top-k singular triplets (randomized SVD, as scikit-learn), the first
 *   kept as |u1|, |v1| scaled by sqrt(s1); for j > 1 the dominant of the positive and the
 *   negative parts of (u_j, v_j); entries below 1e-6 set to 0 (better for sparse factors);
 * - `'nndsvda'`: NNDSVD with the zeros replaced by mean(X) (better when sparsity is not
 *   wanted; scikit-learn's default when k <= min(m, n));
 * - `'nndsvdar'`: NNDSVD with the zeros replaced by |N(0, 1)| mean(X) / 100.
 *
 * Factors are returned as W (m x k) and Ht = H^T (n x k), both column-major float64.
 */
import { InvalidArgumentError } from '../../errors.js';
import { randomizedSvd } from '../../lowrank/randomized-svd.js';
import type { Matrix } from '../../matrix/matrix.js';
import { rng, type Rng } from '../../random.js';
import type { NmfData } from './data.js';

/** Initialization methods computed from the data. */
export const NMF_INIT_METHODS = ['random', 'nndsvd', 'nndsvda', 'nndsvdar'] as const;
/** An initialization method computed from the data. */
export type NMFInitMethod = (typeof NMF_INIT_METHODS)[number];

/** Starting factors: W m x k and Ht = H^T n x k, column-major. */
export interface NmfFactors {
  W: Float64Array;
  Ht: Float64Array;
}

/** Entries of the NNDSVD factors below this are set to zero (scikit-learn's eps). */
const NNDSVD_EPS = 1e-6;

/**
 * Starting factors for `X` by `method` (see the module comment). `seed` drives the random
 * entries and the randomized SVD. Cost: O(m n k) for dense X ('random' O((m + n) k)).
 * @throws InvalidArgumentError when an NNDSVD method is asked for k > min(m, n).
 */
export function initializeNmf(X: NmfData, k: number, method: NMFInitMethod, seed: number): NmfFactors {
  const { m, n } = X;
  const mean = X.sum / (m * n);
  if (method === 'random') {
    const r = rng(seed);
    const avg = Math.sqrt(mean / k);
    // scikit-learn draws H (k x n, row-major) first, then W (m x k, row-major).
    const Ht = new Float64Array(n * k);
    for (let r0 = 0; r0 < k; r0++) for (let j = 0; j < n; j++) Ht[j + r0 * n] = Math.abs(avg * r.nextNormal());
    const W = new Float64Array(m * k);
    for (let i = 0; i < m; i++) for (let r0 = 0; r0 < k; r0++) W[i + r0 * m] = Math.abs(avg * r.nextNormal());
    return { W, Ht };
  }
  if (k > Math.min(m, n)) {
    throw new InvalidArgumentError(`NMF: init '${method}' needs components <= min(rows, cols) = ${Math.min(m, n)}, got ${k}; use init 'random'`);
  }
  const svd = randomizedSvd(X.operand(), k, { seed });
  const { W, Ht } = nndsvd(svd.U, svd.s, svd.Vt, m, n, k);
  if (method === 'nndsvda') {
    fillZeros(W, () => mean);
    fillZeros(Ht, () => mean);
  } else if (method === 'nndsvdar') {
    const r: Rng = rng(seed);
    fillZeros(W, () => Math.abs((mean * r.nextNormal()) / 100));
    fillZeros(Ht, () => Math.abs((mean * r.nextNormal()) / 100));
  }
  return { W, Ht };
}

/** The NNDSVD factors (Boutsidis & Gallopoulos 2008, Table 1) from U (m x k), s, Vt (k x n). */
function nndsvd(U: Matrix, s: ArrayLike<number>, Vt: Matrix, m: number, n: number, k: number): NmfFactors {
  const W = new Float64Array(m * k);
  const Ht = new Float64Array(n * k);
  const x = new Float64Array(m);
  const y = new Float64Array(n);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < m; i++) x[i] = U.get(i, j);
    for (let i = 0; i < n; i++) y[i] = Vt.get(j, i);
    const sj = Math.max(s[j]!, 0);
    if (j === 0) {
      // The leading singular pair of a nonnegative matrix can be taken nonnegative.
      const f = Math.sqrt(sj);
      for (let i = 0; i < m; i++) W[i] = f * Math.abs(x[i]!);
      for (let i = 0; i < n; i++) Ht[i] = f * Math.abs(y[i]!);
    } else {
      const xp = partNorm(x, 1);
      const xn = partNorm(x, -1);
      const yp = partNorm(y, 1);
      const yn = partNorm(y, -1);
      const mp = xp * yp;
      const mn = xn * yn;
      const sign = mp > mn ? 1 : -1;
      const sigma = sign > 0 ? mp : mn;
      const lbd = Math.sqrt(sj * sigma);
      const nx = sign > 0 ? xp : xn;
      const ny = sign > 0 ? yp : yn;
      for (let i = 0; i < m; i++) W[i + j * m] = nx > 0 ? (lbd * Math.max(sign * x[i]!, 0)) / nx : 0;
      for (let i = 0; i < n; i++) Ht[i + j * n] = ny > 0 ? (lbd * Math.max(sign * y[i]!, 0)) / ny : 0;
    }
  }
  for (let p = 0; p < W.length; p++) if (W[p]! < NNDSVD_EPS) W[p] = 0;
  for (let p = 0; p < Ht.length; p++) if (Ht[p]! < NNDSVD_EPS) Ht[p] = 0;
  return { W, Ht };
}

/** 2-norm of the positive (sign 1) or negative (sign -1) part of v. */
function partNorm(v: Float64Array, sign: number): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) {
    const t = Math.max(sign * v[i]!, 0);
    s += t * t;
  }
  return Math.sqrt(s);
}

/** Replace the zeros of A by `value()` (in storage order). */
function fillZeros(A: Float64Array, value: () => number): void {
  for (let p = 0; p < A.length; p++) if (A[p] === 0) A[p] = value();
}
