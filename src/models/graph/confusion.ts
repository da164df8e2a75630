/**
 * The "axis of confusion" of a classifier: which classes it mixes up, read off the leading
 * factor of the off-diagonal part of its confusion matrix.
 *
 * Steps (each a documented choice, see {@link ConfusionOptions}):
 *
 * 1. D = C with its diagonal set to zero: the errors only. C[i][j] counts samples of true
 *    class i predicted as class j (scikit-learn's `confusion_matrix` layout).
 * 2. `normalize: 'rows'` (default) divides row i by the row total of C, making D[i][j] the
 *    rate P(predicted j | true i) (scikit-learn's `normalize='true'`), so a large class
 *    does not dominate the factors only by being large. `'none'` keeps counts.
 * 3. `symmetrize: true` (default) takes S = (D + D^T) / 2, the confusion affinity of
 *    Bengio, Weston & Grangier (2010, "Label embedding trees for large multi-class tasks",
 *    NeurIPS; the affinity they cluster spectrally): "i and j are confused" regardless of
 *    direction. Its eigenvectors (symmetric eigendecomposition, LAPACK dsyevd's path), by
 *    decreasing |eigenvalue| — the terms of the best rank-k approximation of S — are the
 *    axes. By Perron-Frobenius the leading eigenvector of the non-negative S can be taken
 *    non-negative: the classes loading on it form the group most confused among itself.
 *    An axis with a negative eigenvalue has mixed signs: its positive classes are confused
 *    with its negative ones but not among themselves (a two-sided "A vs B" pattern).
 *    `symmetrize: false` factors D itself by the SVD: `loadings` (left singular vector)
 *    are the true classes that are misclassified, `targetLoadings` (right singular vector)
 *    the classes they are mistaken for.
 *
 * Signs follow scikit-learn's `svd_flip` convention: the largest-magnitude loading of each
 * axis is positive.
 */
import { InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../errors.js';
import { eigh } from '../../linalg/eigh.js';
import { svd } from '../../linalg/svd.js';
import { Matrix } from '../../matrix/matrix.js';

/** Options of {@link confusionAxes}. */
export interface ConfusionOptions {
  /** Class names, one per row/column; default '0', '1', ... */
  labels?: readonly string[];
  /** Number of axes (factors) to return, 1 <= k <= number of classes; default 1. */
  k?: number;
  /** `'rows'` (default): error rates per true class; `'none'`: raw counts. */
  normalize?: 'rows' | 'none';
  /** `true` (default): factor (D + D^T) / 2 by eigh; `false`: factor D by the SVD (direction-aware). */
  symmetrize?: boolean;
}

/** One class on an axis. */
export interface ConfusionClass {
  /** The class name. */
  readonly label: string;
  /** Row/column index in the confusion matrix. */
  readonly index: number;
  /** Its entry in the axis vector (unit norm over all classes). */
  readonly loading: number;
}

/** One factor of the (normalized, symmetrized) off-diagonal confusion. */
export interface ConfusionAxis {
  /** Eigenvalue of S (symmetrized; may be negative) or singular value of D. */
  readonly value: number;
  /** value^2 / ||M||_F^2: the share of the factored matrix's squared Frobenius norm this axis holds. */
  readonly explained: number;
  /** Unit vector over the classes (as true classes when not symmetrized). */
  readonly loadings: Float64Array;
  /** Unit vector over the predicted classes: the same array as `loadings` when symmetrized. */
  readonly targetLoadings: Float64Array;
  /**
   * The classes that load on the axis — those with loading^2 >= 1/n (more than a uniform
   * share of the unit vector) — by decreasing |loading|.
   */
  readonly classes: readonly ConfusionClass[];
  /** The same for `targetLoadings` (equal to `classes` when symmetrized). */
  readonly targets: readonly ConfusionClass[];
  /**
   * Share of the off-diagonal mass (sum of the factored matrix's entries, rates or counts)
   * that lies between the axis's `classes` (as true classes) and its `targets` (as predicted).
   */
  readonly massShare: number;
}

/** Result of {@link confusionAxes}. */
export interface ConfusionAnalysis {
  /** Class names, one per row/column (given, or '0', '1', ...). */
  readonly labels: readonly string[];
  /** The matrix that was factored (n x n, zero diagonal): D, its row-normalized rates, or their symmetrization. */
  readonly matrix: Matrix;
  /** Sum of C. */
  readonly total: number;
  /** Sum of C's off-diagonal entries: the misclassified samples. */
  readonly errors: number;
  /** errors / total (0 for an empty matrix). */
  readonly errorRate: number;
  /** The `normalize` option used: 'rows' (rates per true class) or 'none' (raw counts). */
  readonly normalize: 'rows' | 'none';
  /** The `symmetrize` option used: whether (D + D^T) / 2 was factored instead of D. */
  readonly symmetrize: boolean;
  /** The k leading axes; empty when there is no confusion at all (a zero off-diagonal). */
  readonly axes: readonly ConfusionAxis[];
}

/**
 * Find the axes of confusion of a classifier from its confusion matrix (see the module
 * comment for the method and its sources).
 *
 * Cost: one n x n symmetric eigendecomposition (or SVD), O(n^3); n is the number of classes.
 *
 * @param C - n x n confusion matrix, n >= 2: C[i][j] = samples of true class i predicted as
 * class j (counts or any non-negative weights); rows are true classes as in scikit-learn.
 * @throws ShapeError unless C is square with n >= 2; NonFiniteInputError on NaN/Inf;
 * InvalidArgumentError for negative entries, labels of the wrong length or a bad option.
 * @example
 * const { axes } = confusionAxes(C, { labels: ['0', '1', ..., '9'] });
 * axes[0].classes.map((c) => c.label); // e.g. ['3', '5', '8']
 */
export function confusionAxes(C: Matrix, options: ConfusionOptions = {}): ConfusionAnalysis {
  const n = C.rows;
  if (C.cols !== n || n < 2) throw new ShapeError(`confusionAxes: expected a square confusion matrix of at least 2 classes, got ${C.rows}x${C.cols}`);
  const labels = options.labels ? [...options.labels] : Array.from({ length: n }, (_, i) => String(i));
  if (labels.length !== n) throw new InvalidArgumentError(`confusionAxes: ${labels.length} labels for ${n} classes`);
  const k = options.k ?? 1;
  if (!(Number.isInteger(k) && k >= 1 && k <= n)) throw new InvalidArgumentError(`confusionAxes: k must be an integer in [1, ${n}], got ${String(k)}`);
  const normalize = options.normalize ?? 'rows';
  if (normalize !== 'rows' && normalize !== 'none') throw new InvalidArgumentError(`confusionAxes: normalize must be 'rows' or 'none', got '${String(normalize)}'`);
  const symmetrize = options.symmetrize ?? true;
  if (typeof symmetrize !== 'boolean') throw new InvalidArgumentError('confusionAxes: symmetrize must be true or false');

  let total = 0;
  let errors = 0;
  const rowTotal = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = C.get(i, j);
      if (!Number.isFinite(v)) throw new NonFiniteInputError(`confusionAxes: entry (${i}, ${j}) is ${v}`);
      if (v < 0) throw new InvalidArgumentError(`confusionAxes: entry (${i}, ${j}) is ${v}; a confusion matrix holds counts >= 0`);
      rowTotal[i] = rowTotal[i]! + v;
      total += v;
      if (i !== j) errors += v;
    }
  }

  // D (zero diagonal), optionally as rates per true class, optionally symmetrized.
  const D = Matrix.zeros(n, n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      if (i === j) continue;
      const scale = normalize === 'rows' ? (rowTotal[i]! > 0 ? 1 / rowTotal[i]! : 0) : 1;
      D.set(i, j, C.get(i, j) * scale);
    }
  }
  const M = symmetrize ? symmetrized(D) : D;
  let norm2 = 0;
  let mass = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const v = M.get(i, j);
      norm2 += v * v;
      mass += v;
    }
  }
  const base = { labels, matrix: M, total, errors, errorRate: total > 0 ? errors / total : 0, normalize, symmetrize };
  if (norm2 === 0) return { ...base, axes: [] };

  const factors = symmetrize ? eigenAxes(M, k) : singularAxes(M, k);
  const axes = factors.map(({ value, u, v }): ConfusionAxis => {
    flipLargestPositive(u, v);
    const classes = members(u, labels);
    const targets = symmetrize ? classes : members(v, labels);
    let share = 0;
    for (const a of classes) for (const b of targets) share += M.get(a.index, b.index);
    return { value, explained: (value * value) / norm2, loadings: u, targetLoadings: symmetrize ? u : v, classes, targets, massShare: share / mass };
  });
  return { ...base, axes };
}

/** (D + D^T) / 2. */
function symmetrized(D: Matrix): Matrix {
  const n = D.rows;
  const S = Matrix.zeros(n, n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) S.set(i, j, (D.get(i, j) + D.get(j, i)) / 2);
  return S;
}

interface Factor {
  value: number;
  u: Float64Array;
  v: Float64Array;
}

/** The k eigenpairs of the symmetric S with the largest |eigenvalue| (ties: the positive one first). */
function eigenAxes(S: Matrix, k: number): Factor[] {
  const { w, V } = eigh(S);
  const n = S.rows;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.abs(w[b]!) - Math.abs(w[a]!) || w[b]! - w[a]!);
  return order.slice(0, k).map((c) => {
    const u = new Float64Array(n);
    for (let i = 0; i < n; i++) u[i] = V.get(i, c);
    return { value: w[c]!, u, v: u };
  });
}

/** The k leading singular triplets of D. */
function singularAxes(D: Matrix, k: number): Factor[] {
  const { U, s, Vt } = svd(D);
  const n = D.rows;
  return Array.from({ length: k }, (_, c) => {
    const u = new Float64Array(n);
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      u[i] = U.get(i, c);
      v[i] = Vt.get(c, i);
    }
    return { value: s[c]!, u, v };
  });
}

/** Make the largest-magnitude entry of u positive (first on ties), flipping v with it (svd_flip). */
function flipLargestPositive(u: Float64Array, v: Float64Array): void {
  let best = 0;
  for (let i = 1; i < u.length; i++) if (Math.abs(u[i]!) > Math.abs(u[best]!)) best = i;
  if (u[best]! >= 0) return;
  for (let i = 0; i < u.length; i++) u[i] = -u[i]!;
  if (v !== u) for (let i = 0; i < v.length; i++) v[i] = -v[i]!;
}

/** Classes with loading^2 >= 1/n, by decreasing |loading|. */
function members(x: Float64Array, labels: readonly string[]): ConfusionClass[] {
  const n = x.length;
  const out: ConfusionClass[] = [];
  for (let i = 0; i < n; i++) if (x[i]! * x[i]! * n >= 1 - 1e-12) out.push({ label: labels[i]!, index: i, loading: x[i]! });
  return out.sort((a, b) => Math.abs(b.loading) - Math.abs(a.loading) || a.index - b.index);
}
