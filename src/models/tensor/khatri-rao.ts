/**
 * The Khatri-Rao product of matrices, the column-wise Kronecker product behind CP
 * (Kolda & Bader 2009, section 2.6), as a public function on {@link Matrix}.
 */
import { InvalidArgumentError, ShapeError } from '../../errors.js';
import { Matrix } from '../../matrix/matrix.js';
import { khatriRaoRows } from './mttkrp.js';

/**
 * A_0 ⊙ A_1 ⊙ ... ⊙ A_{p-1}: column c is the Kronecker product of the columns c, so the
 * result has prod n_j rows (A_0's row index varies slowest, as in TensorLy's `khatri_rao`
 * and scipy.linalg.khatri_rao) and r columns. With the C-order unfolding X_(k) of a CP
 * tensor [[λ; A_0, ..., A_{d-1}]], X_(k) = A_k diag(λ) (⊙_{j != k} A_j)^T. float64.
 * @throws InvalidArgumentError for an empty list; ShapeError when the column counts differ.
 * @example
 * khatriRao([Matrix.from([[1, 2], [3, 4]]), Matrix.from([[1, 1], [0, 2]])]).toArray();
 * // [[1, 2], [0, 4], [3, 4], [0, 8]]
 */
export function khatriRao(matrices: readonly Matrix[]): Matrix {
  if (!Array.isArray(matrices) || matrices.length === 0) throw new InvalidArgumentError('khatriRao: give a non-empty list of matrices');
  const r = matrices[0]!.cols;
  matrices.forEach((A, j) => {
    if (!(A instanceof Matrix)) throw new InvalidArgumentError(`khatriRao: entry ${j} is not a Matrix`);
    if (A.cols !== r) throw new ShapeError(`khatriRao: every matrix needs the same number of columns; matrix 0 has ${r}, matrix ${j} has ${A.cols}`);
  });
  const rows = matrices.map((A) => Float64Array.from(A.toFlat('C')));
  const K = khatriRaoRows(rows, matrices.map((A) => A.rows), r);
  const n = K.length / Math.max(r, 1);
  return Matrix.fromArray(K, n, r, { order: 'C' });
}
