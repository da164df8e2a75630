/**
 * The NMF parts instrument's model, without DOM: glyphs drawn as sums of a few
 * overlapping strokes on a small pixel grid, stored as the columns of a nonnegative
 * matrix A (pixels x glyphs), so that A = W H exactly with W's columns = the strokes (the
 * parts) and H = which strokes each glyph uses. NMF (Lee & Seung 1999) with the true
 * number of strokes recovers them.
 */
import { Matrix, NMF, matmul, rng, svd, type NMFSolver } from '../../src/browser.js';

/** Side of the square glyph images, in pixels. */
export const GLYPH = 12;

/** The strokes, as functions of (row, col) -> ink: 2-pixel-wide bars and a diagonal. */
const STROKES: readonly ((r: number, c: number) => boolean)[] = [
  (r, c) => r >= 1 && r <= 2 && c >= 1 && c <= 10, // top bar
  (r, c) => r >= 5 && r <= 6 && c >= 1 && c <= 10, // middle bar
  (r, c) => c >= 1 && c <= 2 && r >= 1 && r <= 10, // left post
  (r, c) => c >= 9 && c <= 10 && r >= 1 && r <= 10, // right post
  (r, c) => Math.abs(r - c) <= 0.5 && r >= 1 && r <= 10, // diagonal
];

/** Number of strokes the glyphs are built from (the true k). */
export const TRUE_PARTS = STROKES.length;

/** The true parts as a (pixels x parts) matrix. */
export function strokeMatrix(): Matrix {
  const S = Matrix.zeros(GLYPH * GLYPH, STROKES.length);
  STROKES.forEach((f, j) => {
    for (let r = 0; r < GLYPH; r++) for (let c = 0; c < GLYPH; c++) if (f(r, c)) S.set(r * GLYPH + c, j, 1);
  });
  return S;
}

/**
 * `count` glyphs (default 60), each the sum of a random nonempty subset of the strokes
 * with weights in [0.6, 1]: A = S H_true, pixels x glyphs, every entry >= 0.
 */
export function makeGlyphs(count = 60, seed = 3): Matrix {
  const g = rng(seed);
  const S = strokeMatrix();
  const k = S.cols;
  const A = Matrix.zeros(S.rows, count);
  for (let j = 0; j < count; j++) {
    let used = 0;
    const w = new Float64Array(k);
    while (used === 0) {
      for (let p = 0; p < k; p++) {
        w[p] = g.nextDouble() < 0.45 ? 0.6 + 0.4 * g.nextDouble() : 0;
        if (w[p]! > 0) used++;
      }
    }
    for (let i = 0; i < S.rows; i++) {
      let v = 0;
      for (let p = 0; p < k; p++) v += S.get(i, p) * w[p]!;
      A.set(i, j, v);
    }
  }
  return A;
}

/** What the instrument shows for one fit. */
export interface PartsFit {
  /** Parts, pixels x k (columns are glyph-shaped images), every entry >= 0. */
  readonly W: Matrix;
  /** Weights, k x glyphs. */
  readonly H: Matrix;
  /** W H. */
  readonly reconstruction: Matrix;
  /** ||A - W H||_F / ||A||_F. */
  readonly relError: number;
  /** Smallest entry of W and H (>= 0 by construction of the solvers). */
  readonly minEntry: number;
  readonly iterations: number;
  /** 1/2 ||A - W H||_F^2 at the start (index 0) and after each iteration (index t). */
  readonly lossHistory: Float64Array;
}

/**
 * The seeded random start both solvers begin from (iteration 0): entries |N(0, 1)| times
 * sqrt(mean(A) / k), scikit-learn's 'random' init scale, so W H has A's mean.
 */
export function startingPoint(A: Matrix, k: number, seed = 0): { W: Matrix; H: Matrix } {
  const g = rng(seed + 1000 * k);
  let total = 0;
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < A.rows; i++) total += A.get(i, j);
  const scale = Math.sqrt(total / (A.rows * A.cols) / k);
  const W = Matrix.zeros(A.rows, k);
  const H = Matrix.zeros(k, A.cols);
  for (let j = 0; j < k; j++) for (let i = 0; i < A.rows; i++) W.set(i, j, Math.abs(scale * g.nextNormal()));
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < k; i++) H.set(i, j, Math.abs(scale * g.nextNormal()));
  return { W, H };
}

/**
 * Fit NMF with k parts for exactly `iterations` iterations (tol 0) from the seeded start
 * of {@link startingPoint}; `iterations` = 0 returns the start itself.
 */
export function fitParts(A: Matrix, k: number, iterations: number, solver: NMFSolver = 'mu', seed = 0): PartsFit {
  const start = startingPoint(A, k, seed);
  let W = start.W, H = start.H;
  const loss0 = 0.5 * A.sub(matmul(W, H)).norm('fro') ** 2;
  let history: ArrayLike<number> = [];
  if (iterations > 0) {
    const nmf = new NMF({ components: k, solver, init: 'custom', W: start.W, H: start.H, maxIter: iterations, tol: 0, seed });
    const fit = nmf.fitTransform(A);
    W = fit.transformed;
    H = fit.model.components;
    history = fit.model.lossHistory;
  }
  const reconstruction = matmul(W, H);
  let minEntry = Infinity;
  for (const M of [W, H]) for (let j = 0; j < M.cols; j++) for (let i = 0; i < M.rows; i++) minEntry = Math.min(minEntry, M.get(i, j));
  const lossHistory = new Float64Array(1 + history.length);
  lossHistory[0] = loss0;
  lossHistory.set(Array.from(history), 1);
  return {
    W,
    H,
    reconstruction,
    relError: A.sub(reconstruction).norm('fro') / A.norm('fro'),
    minEntry,
    iterations,
    lossHistory,
  };
}

/** What is wrong with a part, if anything (see {@link partFlags}). */
export type PartFlag = 'ok' | 'empty' | 'duplicate' | 'mixed';

/**
 * Flag the parts that a k larger than needed produces: 'empty' when the part's contribution
 * ||w_p|| ||h_p|| (the Frobenius norm of the rank-one term w_p h_p) is under `emptyShare`
 * of the largest part's; 'duplicate' when its column of W points the same way as an earlier
 * nonempty part's (cosine >= `cosine`); with the true strokes given, 'mixed' when it is
 * none of them (best cosine < `cosine`: a piece of a stroke, or pieces of several).
 */
export function partFlags(W: Matrix, H: Matrix, options: { emptyShare?: number; cosine?: number; truth?: Matrix } = {}): PartFlag[] {
  const k = W.cols;
  const emptyShare = options.emptyShare ?? 0.02, cosine = options.cosine ?? 0.95;
  const wn = new Float64Array(k), contrib = new Float64Array(k);
  for (let p = 0; p < k; p++) {
    let a = 0, b = 0;
    for (let i = 0; i < W.rows; i++) a += W.get(i, p) ** 2;
    for (let j = 0; j < H.cols; j++) b += H.get(p, j) ** 2;
    wn[p] = Math.sqrt(a);
    contrib[p] = Math.sqrt(a * b);
  }
  const top = Math.max(...contrib);
  const flags: PartFlag[] = Array.from(contrib, (c) => (c <= emptyShare * top ? 'empty' : 'ok'));
  const cos = (X: Matrix, p: number, Y: Matrix, q: number): number => {
    let dot = 0, a = 0, b = 0;
    for (let i = 0; i < X.rows; i++) {
      dot += X.get(i, p) * Y.get(i, q);
      a += X.get(i, p) ** 2;
      b += Y.get(i, q) ** 2;
    }
    return a > 0 && b > 0 ? dot / Math.sqrt(a * b) : 0;
  };
  for (let p = 0; p < k; p++) {
    if (flags[p] !== 'ok') continue;
    for (let q = 0; q < p; q++) {
      if (flags[q] !== 'empty' && cos(W, p, W, q) >= cosine) {
        flags[p] = 'duplicate';
        break;
      }
    }
    const T = options.truth;
    if (flags[p] === 'ok' && T) {
      let best = 0;
      for (let t = 0; t < T.cols; t++) best = Math.max(best, cos(W, p, T, t));
      if (best < cosine) flags[p] = 'mixed';
    }
  }
  return flags;
}

/**
 * The SVD's view of the same glyphs: the first k left singular vectors (pixels x k, signed:
 * an image needs both signs to be built from them), the rank-k error (Eckart–Young: the
 * smallest any rank-k product, NMF's included, can reach) and the share of negative entries.
 */
export function svdParts(A: Matrix, k: number): { U: Matrix; relError: number; negativeShare: number; minEntry: number } {
  const f = svd(A);
  const kk = Math.min(k, f.s.length);
  const U = Matrix.zeros(A.rows, kk);
  let neg = 0, min = Infinity;
  for (let p = 0; p < kk; p++) {
    // Sign fixed so the largest-magnitude entry is positive (an SVD vector's sign is arbitrary).
    let big = 0;
    for (let i = 0; i < A.rows; i++) if (Math.abs(f.U.get(i, p)) > Math.abs(big)) big = f.U.get(i, p);
    const sgn = big < 0 ? -1 : 1;
    for (let i = 0; i < A.rows; i++) {
      const v = sgn * f.U.get(i, p);
      U.set(i, p, v);
      if (v < -1e-12) neg++;
      min = Math.min(min, v);
    }
  }
  let tail = 0, all = 0;
  for (let i = 0; i < f.s.length; i++) {
    all += f.s[i]! ** 2;
    if (i >= kk) tail += f.s[i]! ** 2;
  }
  return { U, relError: all > 0 ? Math.sqrt(tail / all) : 0, negativeShare: neg / (A.rows * kk), minEntry: min };
}

/**
 * How well the fitted parts match the true strokes: for each stroke, the best cosine
 * similarity with any fitted part (1 = recovered exactly, up to scale). Returns the mean.
 */
export function strokeRecovery(W: Matrix): number {
  const S = strokeMatrix();
  let total = 0;
  for (let p = 0; p < S.cols; p++) {
    let best = 0;
    for (let q = 0; q < W.cols; q++) {
      let dot = 0, a = 0, b = 0;
      for (let i = 0; i < S.rows; i++) {
        dot += S.get(i, p) * W.get(i, q);
        a += S.get(i, p) ** 2;
        b += W.get(i, q) ** 2;
      }
      if (a > 0 && b > 0) best = Math.max(best, dot / Math.sqrt(a * b));
    }
    total += best;
  }
  return total / S.cols;
}
