/**
 * The NMF parts instrument's model, without DOM: glyphs drawn as sums of a few
 * overlapping strokes on a small pixel grid, stored as the columns of a nonnegative
 * matrix A (pixels x glyphs), so that A = W H exactly with W's columns = the strokes (the
 * parts) and H = which strokes each glyph uses. NMF (Lee & Seung 1999) with the true
 * number of strokes recovers them.
 */
import { Matrix, rng } from '../../src/browser.js';
import { NMF, type NMFSolver } from '../../src/browser.js';

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
  /** 1/2 ||A - W H||_F^2 after each iteration. */
  readonly lossHistory: Float64Array;
}

/** Fit NMF with k parts for exactly `iterations` iterations (tol 0) from a seeded random start. */
export function fitParts(A: Matrix, k: number, iterations: number, solver: NMFSolver = 'mu', seed = 0): PartsFit {
  const nmf = new NMF({ components: k, solver, init: 'random', maxIter: iterations, tol: 0, seed });
  const { model, transformed: W } = nmf.fitTransform(A);
  const H = model.components;
  const reconstruction = model.inverseTransform(W);
  let minEntry = Infinity;
  for (const M of [W, H]) for (let j = 0; j < M.cols; j++) for (let i = 0; i < M.rows; i++) minEntry = Math.min(minEntry, M.get(i, j));
  return {
    W,
    H,
    reconstruction,
    relError: A.sub(reconstruction).norm('fro') / A.norm('fro'),
    minEntry,
    iterations: model.iterations,
    lossHistory: model.lossHistory,
  };
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
