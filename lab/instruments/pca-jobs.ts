/**
 * The PCA explorer's work, run in the Lab's compute worker: PCA of the digits (rows of X)
 * with every component's explained variance ratio, the scores on the first few components
 * and those components as 8 x 8 images.
 */
import { Matrix, PCA } from '../../src/browser.js';

/** Components offered on the scatter's axes (and drawn as images). */
export const SHOWN_COMPONENTS = 10;

/** Input of 'pca.fit': X row-major, n x p. */
export interface PcaInput {
  n: number;
  p: number;
  X: Float64Array;
}

/** Output of 'pca.fit'. */
export interface PcaOutput {
  n: number;
  p: number;
  /** Explained variance ratio of every component (p of them, descending). */
  ratio: Float64Array;
  /** Scores on the first SHOWN_COMPONENTS components, column-major n x SHOWN_COMPONENTS. */
  scores: Float64Array;
  /** The first SHOWN_COMPONENTS components, row-major SHOWN_COMPONENTS x p. */
  components: Float64Array;
}

/** Fit PCA (full SVD of the centered data) and return what the explorer draws. */
export function pcaFit(input: PcaInput): PcaOutput {
  const { n, p } = input;
  const X = Matrix.zeros(n, p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) X.set(i, j, input.X[i * p + j]!);
  const model = new PCA({ solver: 'full' }).fit(X);
  const Z = model.transform(X);
  const c = Math.min(SHOWN_COMPONENTS, Z.cols);
  const scores = new Float64Array(n * c);
  for (let j = 0; j < c; j++) for (let i = 0; i < n; i++) scores[j * n + i] = Z.get(i, j);
  const components = new Float64Array(c * p);
  for (let r = 0; r < c; r++) for (let j = 0; j < p; j++) components[r * p + j] = model.components.get(r, j);
  return { n, p, ratio: Float64Array.from(model.explainedVarianceRatio), scores, components };
}

/** The jobs this instrument runs in the worker. */
export const jobs = { 'pca.fit': pcaFit };
