// Sparse x dense products against dense reference products, on every kernel backend.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { residentCsrBytes } from '../../src/kernels/sparse.js';
import type { DType } from '../../src/matrix/dtype.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { CscMatrix, CsrMatrix } from '../../src/sparse/index.js';
import { BACKEND_NAMES, rng, withBackend } from '../helpers.js';

/** Dense op(A) X with plain double loops (the reference). */
function denseProduct(A: Matrix, X: Matrix, trans: boolean): Matrix {
  const m = trans ? A.cols : A.rows;
  const n = trans ? A.rows : A.cols;
  const out = Matrix.zeros(m, X.cols);
  for (let c = 0; c < X.cols; c++) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += (trans ? A.get(j, i) : A.get(i, j)) * X.get(j, c);
      out.set(i, c, s);
    }
  }
  return out;
}

/** max |Y - R| / (||A||_F ||X||_max-col n eps): a scaled residual, < 30 when correct. */
function assertClose(Y: Matrix, R: Matrix, A: Matrix, X: Matrix, dtype: DType, what: string): void {
  assert.equal(Y.rows, R.rows, `${what}: rows`);
  assert.equal(Y.cols, R.cols, `${what}: cols`);
  const eps = dtype === 'float32' ? 1.2e-7 : 2.2e-16;
  const scale = Math.max(A.norm('fro') * X.norm('fro'), 1e-300) * Math.max(A.rows, A.cols, 1) * eps;
  let worst = 0;
  for (let j = 0; j < Y.cols; j++) for (let i = 0; i < Y.rows; i++) worst = Math.max(worst, Math.abs(Y.get(i, j) - R.get(i, j)));
  assert.ok(worst / scale < 30, `${what}: scaled error ${worst / scale}`);
}

/** Random COO triples with duplicates, empty rows and empty columns. */
function randomCoo(m: number, n: number, r: ReturnType<typeof rng>): { row: number[]; col: number[]; val: number[] } {
  const nnz = m === 0 || n === 0 ? 0 : r.nextInt(Math.max(1, Math.floor(m * n * 0.4)) + 1);
  const row: number[] = [];
  const col: number[] = [];
  const val: number[] = [];
  // Leave the last row and column empty half of the time.
  const mm = m > 1 && r.nextDouble() < 0.5 ? m - 1 : m;
  const nn = n > 1 && r.nextDouble() < 0.5 ? n - 1 : n;
  for (let k = 0; k < nnz; k++) {
    row.push(r.nextInt(mm));
    col.push(r.nextInt(nn));
    val.push(2 * r.nextDouble() - 1);
  }
  return { row, col, val };
}

for (const backend of BACKEND_NAMES) {
  describe(`sparse products (${backend})`, () => {
    it('apply / applyTranspose / matvec / rmatvec match dense products on random shapes', () => {
      withBackend(backend, () => {
        const r = rng(7);
        const shapes: [number, number][] = [[0, 0], [0, 4], [4, 0], [1, 1], [1, 7], [7, 1], [5, 3], [3, 5], [17, 9], [33, 40], [64, 31]];
        const ps = [1, 2, 3, 4, 5, 8, 9, 16, 17, 20];
        for (const dtype of ['float64', 'float32'] as DType[]) {
          for (const [m, n] of shapes) {
            const coo = randomCoo(m, n, r);
            const sum = r.nextDouble() < 0.7;
            const A = CsrMatrix.fromCoo(coo.row, coo.col, coo.val, m, n, { dtype, sumDuplicates: sum });
            const C = CscMatrix.fromCoo(coo.row, coo.col, coo.val, m, n, { dtype, sumDuplicates: sum });
            const D = A.toDense();
            assert.ok(C.toDense().equals(D), `CSC and CSR of the same triples agree ${m}x${n}`);
            const p = ps[r.nextInt(ps.length)]!;
            const X = Matrix.random(n, p, { seed: r.nextUint32(), dtype, low: -1, high: 1 });
            const Y = Matrix.random(m, p, { seed: r.nextUint32(), dtype, low: -1, high: 1 });
            const tag = `${dtype} ${m}x${n} p=${p}`;
            assertClose(A.apply(X), denseProduct(D, X, false), D, X, dtype, `CSR A X ${tag}`);
            assertClose(A.applyTranspose(Y), denseProduct(D, Y, true), D, Y, dtype, `CSR A^T Y ${tag}`);
            assertClose(C.apply(X), denseProduct(D, X, false), D, X, dtype, `CSC A X ${tag}`);
            assertClose(C.applyTranspose(Y), denseProduct(D, Y, true), D, Y, dtype, `CSC A^T Y ${tag}`);
            const x = X.col(0).toFlat();
            const y = Y.col(0).toFlat();
            if (n > 0 || p > 0) {
              const ax = A.matvec(x);
              assert.equal(ax.constructor, dtype === 'float32' ? Float32Array : Float64Array);
              assertClose(new Matrix(ax, m, 1), denseProduct(D, X.col(0), false), D, X.col(0), dtype, `matvec ${tag}`);
              assertClose(new Matrix(A.rmatvec(y), n, 1), denseProduct(D, Y.col(0), true), D, Y.col(0), dtype, `rmatvec ${tag}`);
              assertClose(new Matrix(C.matvec(x), m, 1), denseProduct(D, X.col(0), false), D, X.col(0), dtype, `CSC matvec ${tag}`);
              assertClose(new Matrix(C.rmatvec(y), n, 1), denseProduct(D, Y.col(0), true), D, Y.col(0), dtype, `CSC rmatvec ${tag}`);
            }
            A.dispose();
          }
        }
      });
    });

    it('takes strided, row-major, sub-block and other-dtype operands', () => {
      withBackend(backend, () => {
        const A = CsrMatrix.random(30, 20, 0.3, { seed: 3, distribution: 'normal' });
        const D = A.toDense();
        const big = Matrix.random(40, 25, { seed: 4 });
        const views = [big.slice(5, 25, 2, 9), big.T.slice(3, 23, 1, 12), big.slice(0, 20, 4, 5), big.T.slice(0, 20, 7, 8), big.slice(0, 20, 0, 6).astype('float32')];
        for (const X of views) assertClose(A.apply(X), denseProduct(D, X, false), D, X, 'float64', `view ${X.rows}x${X.cols} rs=${X.rowStride}`);
        const Y = big.T.slice(0, 25, 0, 30).T; // 30 x 25 column-major view of a transposed view
        assertClose(A.applyTranspose(Y), denseProduct(D, Y, true), D, Y, 'float64', 'transposed view');
      });
    });

    it('matvec writes into out and accepts plain arrays; repeated products reuse the WASM copy', () => {
      withBackend(backend, () => {
        const A = CsrMatrix.random(50, 40, 0.2, { seed: 5 });
        const D = A.toDense();
        const x = Array.from({ length: 40 }, (_, k) => Math.sin(k));
        const out = new Float64Array(50);
        const got = A.matvec(x, out);
        assert.equal(got, out);
        const ref = denseProduct(D, Matrix.fromArray(x, 40, 1), false);
        for (let i = 0; i < 50; i++) assert.ok(Math.abs(out[i]! - ref.get(i, 0)) < 1e-12);
        const before = residentCsrBytes();
        // The first product made a WASM copy of the arrays (12 bytes per entry + indptr).
        if (backend !== 'js') assert.ok(before >= A.nnz * 12, `resident bytes ${before}`);
        A.matvec(x);
        A.rmatvec(out);
        assert.equal(residentCsrBytes(), before, 'no new copy on later products');
        A.dispose();
        if (backend !== 'js') assert.ok(residentCsrBytes() < before, 'dispose frees the copy');
        A.dispose(); // twice is fine
        const again = A.matvec(x);
        for (let i = 0; i < 50; i++) assert.ok(Math.abs(again[i]! - ref.get(i, 0)) < 1e-12, 'usable after dispose');
        A.dispose();
      });
    });
  });
}

describe('product errors', () => {
  const A = CsrMatrix.identity(3);
  it('rejects wrong shapes and out arrays', () => {
    assert.throws(() => A.matvec([1, 2]), { name: 'ShapeError' });
    assert.throws(() => A.rmatvec([1, 2, 3, 4]), { name: 'ShapeError' });
    assert.throws(() => A.apply(Matrix.zeros(2, 2)), { name: 'ShapeError' });
    assert.throws(() => A.applyTranspose(Matrix.zeros(4, 1)), { name: 'ShapeError' });
    assert.throws(() => A.matvec([1, 2, 3], new Float64Array(2)), { name: 'ShapeError' });
    assert.throws(() => A.matvec([1, 2, 3], new Float32Array(3)), { name: 'InvalidArgumentError' });
    assert.throws(() => A.T.matvec([1, 2]), { name: 'ShapeError' });
  });
});
