/** Fixtures and comparisons shared by the PCA, IncrementalPCA and TruncatedSVD tests. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseNpy } from '../../../src/io/npy.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { CsrMatrix } from '../../../src/sparse/csr.js';

/** scikit-learn results of one estimator (scripts/gen-pca-fixtures.py). */
export interface SkCase {
  solver?: string;
  n_components_?: number;
  components_: number[][] | null;
  explained_variance_: number[];
  explained_variance_ratio_: number[];
  singular_values_: number[];
  noise_variance_?: number;
  mean_?: number[];
  var_?: number[];
  n_samples_seen_?: number;
  batch_size_?: number;
  transform: number[][] | null;
  inverse_transform?: number[][] | null;
  covariance?: number[][] | null;
}

export const digitsFixture = JSON.parse(readFileSync(new URL('../../fixtures/pca/digits.json', import.meta.url), 'utf8')) as Record<string, SkCase>;
export const smallFixture = JSON.parse(readFileSync(new URL('../../fixtures/pca/small.json', import.meta.url), 'utf8')) as {
  tall: Record<string, SkCase> & { X: number[][] };
  wide: Record<string, SkCase> & { X: number[][] };
  sparse: Record<string, SkCase> & { shape: [number, number]; row: number[]; col: number[]; val: number[] };
};

/** The committed digits features (1797 x 64, float64). */
export function digits(): Matrix {
  return parseNpy(readFileSync(new URL('../../../data/digits/digits.npy', import.meta.url))).matrix;
}

export function sparseFixture(): CsrMatrix {
  const s = smallFixture.sparse;
  return CsrMatrix.fromCoo(s.row, s.col, s.val, s.shape[0], s.shape[1]);
}

/** max |a - b| elementwise, after checking the lengths agree. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'lengths');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  const d = maxDiff(a, b);
  assert.ok(d <= tol, `${what}: max difference ${d} > ${tol}`);
}

/** Compare a Matrix with nested rows (same signs), to an absolute tolerance. */
export function assertRows(M: Matrix, rows: number[][], tol: number, what: string, count = rows.length): void {
  assert.ok(M.rows >= count, `${what}: ${M.rows} rows, expected at least ${count}`);
  assert.equal(M.cols, rows[0]!.length, `${what}: columns`);
  for (let i = 0; i < count; i++) assertClose(Array.from(M.row(i).toFlat()), rows[i]!, tol, `${what} row ${i}`);
}

/** Rows equal up to the sign of each row. */
export function assertRowsUpToSign(M: Matrix, rows: number[][], tol: number, what: string, count = rows.length): void {
  for (let i = 0; i < count; i++) {
    const r = Array.from(M.row(i).toFlat());
    const e = rows[i]!;
    const d = Math.min(maxDiff(r, e), maxDiff(r.map((v) => -v), e));
    assert.ok(d <= tol, `${what} row ${i}: differs by ${d} even up to sign`);
  }
}

/** Columns equal up to the sign of each column (scores of components compared up to sign). */
export function assertColsUpToSign(M: Matrix, rows: number[][], tol: number, what: string): void {
  const E = Matrix.from(rows);
  for (let j = 0; j < E.cols; j++) {
    const a = Array.from(M.col(j).toFlat()).slice(0, E.rows);
    const e = Array.from(E.col(j).toFlat());
    const d = Math.min(maxDiff(a, e), maxDiff(a.map((v) => -v), e));
    assert.ok(d <= tol, `${what} column ${j}: differs by ${d} even up to sign`);
  }
}

/** ||Q Q^T - I||_max for the rows of Q. */
export function rowOrthogonality(Q: Matrix): number {
  let worst = 0;
  for (let a = 0; a < Q.rows; a++) {
    for (let b = a; b < Q.rows; b++) {
      let t = 0;
      for (let j = 0; j < Q.cols; j++) t += Q.get(a, j) * Q.get(b, j);
      worst = Math.max(worst, Math.abs(t - (a === b ? 1 : 0)));
    }
  }
  return worst;
}
