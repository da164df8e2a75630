/**
 * The numerical steps of SoftImpute on the "sparse + low rank" structure of the filled-in
 * matrix: with L = U diag(d) V^T the current estimate and S = P_Omega(X - L) its residual
 * on the observed entries,
 *
 *   Z = P_Omega(X) + P_Omega^perp(L) = S + L,
 *
 * so Z x = S x + U (d .* (V^T x)) costs O(|Omega| p + (m + n) k p) for a block of p
 * vectors and Z is never formed (Mazumder, Hastie & Tibshirani 2010, section 5.1).
 *
 * - {@link subspaceSvd}: top-p SVD of such an operator by warm-started block subspace
 *   iteration with a Rayleigh-Ritz step (Halko, Martinsson & Tropp 2011, Alg. 4.4 + 5.1).
 * - {@link alsHalfStep}: one ridge update of softImpute-ALS (Hastie, Mazumder, Lee &
 *   Zadeh 2015, Algorithm 3.1, steps 2(a)-(b) / 3(a)-(b)).
 */
import { gemmInto, matmul } from '../../linalg/matmul.js';
import { qr } from '../../linalg/qr.js';
import { svd } from '../../linalg/svd.js';
import { Matrix } from '../../matrix/matrix.js';
import type { Rng } from '../../random.js';
import { observedResidual, rowMajor, rowMajorView, sparseTimes, sparseTransposeTimes, type ObservedCsr } from './observed-entries.js';

/** A low-rank matrix U diag(d) V^T, U m x r and V n x r column-major (d may hold zeros). */
export interface LowRankState {
  readonly U: Matrix;
  readonly d: Float64Array;
  readonly V: Matrix;
}

/** The zero matrix of shape m x n as a rank-0 state. */
export function zeroState(m: number, n: number): LowRankState {
  return { U: Matrix.zeros(m, 0), d: new Float64Array(0), V: Matrix.zeros(n, 0) };
}

/** S = P_Omega(X - L) into `out`; returns ||S||_F^2. Cost 2 |Omega| r + O((m + n) r). */
export function residualOf(obs: ObservedCsr, L: LowRankState, out: Float64Array): number {
  const r = L.d.length;
  if (r === 0) {
    out.set(obs.values);
    let ss = 0;
    for (let e = 0; e < out.length; e++) ss += out[e]! * out[e]!;
    return ss;
  }
  return observedResidual(obs, rowMajor(L.U, L.d), rowMajor(L.V), r, out);
}

/** Sum over i, j of a.d_i (a.U^T b.U)_ij b.d_j (a.V^T b.V)_ij = <L_a, L_b>_F. Cost O((m + n) r_a r_b). */
export function innerProduct(a: LowRankState, b: LowRankState): number {
  const ra = a.d.length;
  const rb = b.d.length;
  if (ra === 0 || rb === 0) return 0;
  const G = matmul(a.U, b.U, { transA: true });
  const H = matmul(a.V, b.V, { transA: true });
  let t = 0;
  for (let j = 0; j < rb; j++) {
    for (let i = 0; i < ra; i++) t += a.d[i]! * G.data[i + j * ra]! * b.d[j]! * H.data[i + j * ra]!;
  }
  return t;
}

/**
 * The paper's convergence measure ||L_old - L_new||_F^2 / ||L_old||_F^2 from the factors
 * (no m x n matrix). 0 when both are zero, Infinity when only L_old is.
 */
export function relativeChange(old: LowRankState, next: LowRankState): number {
  const oo = innerProduct(old, old);
  const nn = innerProduct(next, next);
  const diff = Math.max(0, oo + nn - 2 * innerProduct(old, next));
  if (oo === 0) return nn === 0 ? 0 : Infinity;
  return diff / oo;
}

/** Nuclear norm of U diag(d) V^T for orthonormal U, V: sum of |d|. */
export function nuclearNorm(d: Float64Array): number {
  let t = 0;
  for (const v of d) t += Math.abs(v);
  return t;
}

/** The operator Z = S + U diag(d) V^T on column-major blocks (results as views). */
export class SparsePlusLowRank {
  private readonly us: Matrix;
  constructor(
    private readonly obs: ObservedCsr,
    private readonly s: Float64Array,
    private readonly L: LowRankState,
  ) {
    const d = L.d;
    this.us = L.U.map((v, _i, j) => v * d[j]!);
  }

  /** Z X for X n x p. */
  apply(X: Matrix): Matrix {
    const p = X.cols;
    const Y = new Float64Array(this.obs.rows * p);
    sparseTimes(this.obs, this.s, rowMajor(X), p, Y);
    const out = rowMajorView(Y, this.obs.rows, p);
    if (this.L.d.length > 0 && p > 0 && this.obs.rows > 0) {
      const W = matmul(this.L.V, X, { transA: true }); // r x p
      gemmInto(W.T, this.us.T, out.T, 1, 1); // Y^T += W^T (U diag d)^T
    }
    return out;
  }

  /** Z^T Y for Y m x p. */
  applyTranspose(Y: Matrix): Matrix {
    const p = Y.cols;
    const Z = new Float64Array(this.obs.cols * p);
    sparseTransposeTimes(this.obs, this.s, rowMajor(Y), p, Z);
    const out = rowMajorView(Z, this.obs.cols, p);
    if (this.L.d.length > 0 && p > 0 && this.obs.cols > 0) {
      const W = matmul(this.us, Y, { transA: true }); // r x p
      gemmInto(W.T, this.L.V.T, out.T, 1, 1); // Z^T += W^T V^T
    }
    return out;
  }
}

/** Result of {@link subspaceSvd}: Z ~ U diag(s) V^T with p columns, s descending. */
export interface SubspaceSvd {
  U: Matrix;
  s: Float64Array;
  V: Matrix;
  /** Block iterations run. */
  steps: number;
}

/**
 * Top-p singular triplets of `op` by block subspace iteration started from the n x p
 * orthonormal-ish block `V0`: Q = orth(Z V), then the SVD of the small p x n B = Q^T Z
 * (Rayleigh-Ritz), V <- right singular vectors. Stops when the first `watch` singular
 * values move by at most tol * s_1 between steps, or after `maxSteps` steps (at least one).
 * Cost per step: two products with Z plus O((m + n) p^2).
 */
export function subspaceSvd(op: SparsePlusLowRank, V0: Matrix, watch: number, tol: number, maxSteps: number): SubspaceSvd {
  let V = V0;
  let prev: Float64Array | undefined;
  let result: SubspaceSvd | undefined;
  for (let step = 1; step <= Math.max(1, maxSteps); step++) {
    const Q = qr(op.apply(V)).Q; // m x p
    const W = op.applyTranspose(Q); // n x p = Z^T Q = (Q^T Z)^T
    const f = svd(W); // W = Wu diag(s) Wvt  =>  Q^T Z = Wvt^T diag(s) Wu^T
    const s = Float64Array.from(f.s);
    V = f.U;
    result = { U: matmul(Q, f.Vt, { transB: true }), s, V, steps: step };
    if (prev !== undefined) {
      let moved = 0;
      for (let i = 0; i < Math.min(watch, s.length); i++) moved = Math.max(moved, Math.abs(s[i]! - prev[i]!));
      if (moved <= tol * (s[0] ?? 0)) break;
    }
    prev = s;
  }
  return result!;
}

/** An n x p block of standard normal numbers from `r`. */
export function gaussianBlock(n: number, p: number, r: Rng): Matrix {
  const M = Matrix.zeros(n, p);
  const d = M.data;
  for (let i = 0; i < d.length; i++) d[i] = r.nextNormal();
  return M;
}

/** [V, G] with G n x extra Gaussian columns (warm start padded to a larger block). */
export function padColumns(V: Matrix, extra: number, r: Rng): Matrix {
  if (extra <= 0) return V;
  const n = V.rows;
  const out = Matrix.zeros(n, V.cols + extra);
  for (let j = 0; j < V.cols; j++) for (let i = 0; i < n; i++) out.data[i + j * n] = V.get(i, j);
  const g = gaussianBlock(n, extra, r);
  out.data.set(g.data, n * V.cols);
  return out;
}

/** The ALS state: L = U diag(D^2) V^T with U, V orthonormal (V may have zero columns after growth). */
export interface AlsState {
  U: Matrix;
  D: Float64Array;
  V: Matrix;
}

/** L of an ALS state. */
export function alsLowRank(st: AlsState): LowRankState {
  return { U: st.U, d: st.D.map((x) => x * x), V: st.V };
}

/**
 * One ridge half-step of softImpute-ALS (HMLZ 2015, Alg. 3.1 step 2, or step 3 with
 * `side = 'A'`). For side 'B', with A = U D fixed:
 *   B~ = X*^T U D (D^2 + lambda I)^-1,  X*^T U = S^T U + V D^2   (S the current residual),
 *   B~ D = V~ D~^2 R^T (thin SVD),   V <- V~, D <- D~, U <- U R,
 * which keeps A B^T = U D^2 V^T with orthonormal U, V. Side 'A' is the same on X*^T.
 * Cost: one sparse product (2 |Omega| r) plus O((m + n) r^2).
 */
export function alsHalfStep(obs: ObservedCsr, s: Float64Array, st: AlsState, lambda: number, side: 'A' | 'B'): AlsState {
  const fixed = side === 'B' ? st.U : st.V; // the factor held fixed (rows: m for B, n for A)
  const other = side === 'B' ? st.V : st.U;
  const r = st.D.length;
  const rows = other.rows;
  const G = new Float64Array(rows * r);
  if (side === 'B') sparseTransposeTimes(obs, s, rowMajor(fixed), r, G);
  else sparseTimes(obs, s, rowMajor(fixed), r, G);
  // M = (S^T U + V D^2) diag(D^2 / (D^2 + lambda)) = B~ D, column-major.
  const M = Matrix.zeros(rows, r);
  for (let t = 0; t < r; t++) {
    const d2 = st.D[t]! * st.D[t]!;
    const f = d2 === 0 ? 0 : d2 / (d2 + lambda);
    for (let i = 0; i < rows; i++) M.data[i + t * rows] = (G[i * r + t]! + other.get(i, t) * d2) * f;
  }
  const f = svd(M);
  const D = Float64Array.from(f.s, (x) => Math.sqrt(x));
  const rotated = matmul(fixed, f.Vt, { transB: true }); // U R
  return side === 'B' ? { U: rotated, D, V: f.U } : { U: f.U, D, V: rotated };
}

/**
 * The closing step of softImpute-ALS (HMLZ 2015, Alg. 3.1 step 4): M = X* V = S V + U D^2,
 * M = U' diag(sigma) R^T, V <- V R, singular values soft-thresholded: (sigma - lambda)_+.
 * Returns the kept triplets (sigma > lambda) and the unthresholded sigma.
 */
export function alsFinish(obs: ObservedCsr, s: Float64Array, st: AlsState, lambda: number): { L: LowRankState; sigma: Float64Array } {
  const r = st.D.length;
  const m = obs.rows;
  const G = new Float64Array(m * r);
  sparseTimes(obs, s, rowMajor(st.V), r, G);
  const M = Matrix.zeros(m, r);
  for (let t = 0; t < r; t++) {
    const d2 = st.D[t]! * st.D[t]!;
    for (let i = 0; i < m; i++) M.data[i + t * m] = G[i * r + t]! + st.U.get(i, t) * d2;
  }
  const f = svd(M);
  const sigma = Float64Array.from(f.s);
  const V = matmul(st.V, f.Vt, { transB: true });
  return { L: threshold(f.U, sigma, V, lambda, r), sigma };
}

/** Keep the first at most `maxRank` triplets with sigma > lambda, values sigma - lambda (copies). */
export function threshold(U: Matrix, sigma: Float64Array, V: Matrix, lambda: number, maxRank: number): LowRankState {
  let k = 0;
  while (k < Math.min(maxRank, sigma.length) && sigma[k]! > lambda) k++;
  const d = new Float64Array(k);
  for (let i = 0; i < k; i++) d[i] = sigma[i]! - lambda;
  return { U: U.colRange(0, k).copy(), d, V: V.colRange(0, k).copy() };
}
