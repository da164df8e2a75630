// CSR/CSC construction, conversions and reductions against scipy.sparse fixtures
// (scripts/gen-sparse-fixtures.py), plus property checks and input validation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { DType } from '../../src/matrix/dtype.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { isLinearOperator } from '../../src/matrix/operator.js';
import { centeredOperator } from '../../src/lowrank/operator.js';
import { CscMatrix, CsrMatrix, isSparse } from '../../src/sparse/index.js';
import { BACKEND_NAMES, rng, withBackend } from '../helpers.js';

interface Case {
  name: string; rows: number; cols: number; dtype: DType;
  row: number[]; col: number[]; val: number[];
  csr: { indptr: number[]; indices: number[]; data: number[] };
  csc: { indptr: number[]; indices: number[]; data: number[] };
  rowSums: number[]; colSums: number[]; fro: number; norm1: number; normInf: number;
  x: number[]; y: number[]; p: number; X: number[]; Y: number[];
  Ax: number[]; ATy: number[]; AX: number[]; ATY: number[];
}
const cases = JSON.parse(readFileSync(new URL('../fixtures/sparse/cases.json', import.meta.url), 'utf8')) as Case[];

function near(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let k = 0; k < a.length; k++) {
    const d = Math.abs(a[k]! - b[k]!);
    assert.ok(d <= tol * (1 + Math.abs(b[k]!)), `${what}[${k}]: ${a[k]} vs ${b[k]}`);
  }
}

describe('agreement with scipy.sparse', () => {
  for (const c of cases) {
    it(c.name, () => {
      const tol = c.dtype === 'float32' ? 2e-6 : 1e-13;
      const A = CsrMatrix.fromCoo(c.row, c.col, c.val, c.rows, c.cols, { dtype: c.dtype });
      assert.equal(A.dtype, c.dtype);
      assert.deepEqual([...A.indptr], c.csr.indptr);
      assert.deepEqual([...A.indices], c.csr.indices);
      near(A.data, c.csr.data, tol, 'csr data');
      assert.ok(A.canonical);
      const C = CscMatrix.fromCoo(c.row, c.col, c.val, c.rows, c.cols, { dtype: c.dtype });
      assert.deepEqual([...C.indptr], c.csc.indptr);
      assert.deepEqual([...C.indices], c.csc.indices);
      near(C.data, c.csc.data, tol, 'csc data');
      // Conversions reach the same arrays.
      const C2 = A.toCsc();
      assert.deepEqual([...C2.indptr], c.csc.indptr);
      assert.deepEqual([...C2.indices], c.csc.indices);
      const A2 = C.toCsr();
      assert.deepEqual([...A2.indptr], c.csr.indptr);
      assert.deepEqual([...A2.indices], c.csr.indices);
      near(A.rowSums(), c.rowSums, tol, 'rowSums');
      near(A.colSums(), c.colSums, tol, 'colSums');
      near(C.rowSums(), c.rowSums, tol, 'CSC rowSums');
      near(C.colSums(), c.colSums, tol, 'CSC colSums');
      near([A.norm('fro'), A.norm(1), A.norm('inf')], [c.fro, c.norm1, c.normInf], tol, 'norms');
      near([C.norm('fro'), C.norm(1), C.norm('inf')], [c.fro, c.norm1, c.normInf], tol, 'CSC norms');
      const X = Matrix.fromArray(c.X, c.cols, c.p, { dtype: c.dtype });
      const Y = Matrix.fromArray(c.Y, c.rows, c.p, { dtype: c.dtype });
      for (const backend of BACKEND_NAMES) {
        withBackend(backend, () => {
          const ptol = c.dtype === 'float32' ? 1e-5 : 1e-12;
          near(A.matvec(c.x), c.Ax, ptol, `${backend} A x`);
          near(A.rmatvec(c.y), c.ATy, ptol, `${backend} A^T y`);
          near(A.apply(X).toFlat(), c.AX, ptol, `${backend} A X`);
          near(A.applyTranspose(Y).toFlat(), c.ATY, ptol, `${backend} A^T Y`);
          near(C.apply(X).toFlat(), c.AX, ptol, `${backend} CSC A X`);
          near(C.applyTranspose(Y).toFlat(), c.ATY, ptol, `${backend} CSC A^T Y`);
        });
      }
      A.dispose();
      C.dispose();
    });
  }
});

describe('construction', () => {
  it('fromCoo keeps duplicates apart when asked, and sums them on sumDuplicates()', () => {
    const A = CsrMatrix.fromCoo([1, 0, 1, 1], [2, 1, 0, 2], [1, 2, 3, 4], 2, 3, { sumDuplicates: false });
    assert.equal(A.nnz, 4);
    assert.equal(A.canonical, false);
    assert.deepEqual([...A.indptr], [0, 1, 4]);
    assert.deepEqual([...A.indices], [1, 0, 2, 2]);
    assert.equal(A.get(1, 2), 5);
    const S = A.sumDuplicates();
    assert.equal(S.nnz, 3);
    assert.ok(S.canonical);
    assert.deepEqual(S.toDense().toArray(), [[0, 2, 0], [3, 0, 5]]);
    assert.deepEqual(A.toDense().toArray(), S.toDense().toArray());
    assert.deepEqual([...A.rowNorms()], [2, Math.hypot(3, 5)]);
    assert.equal(A.norm('fro'), Math.hypot(2, 3, 5));
  });

  it('accepts a constant value (pattern) and typed index arrays without modifying them', () => {
    const row = new Int32Array([2, 0, 2]);
    const col = new Int32Array([1, 1, 1]);
    const A = CsrMatrix.fromCoo(row, col, 1, 3, 2);
    assert.deepEqual(A.toDense().toArray(), [[0, 1], [0, 0], [0, 2]]);
    assert.deepEqual([...row], [2, 0, 2]);
  });

  it('fromDense / toDense round trip with a tolerance', () => {
    const M = Matrix.from([[1, 0, 1e-9], [0, 0, 0], [-2, 3, 0]]);
    const A = CsrMatrix.fromDense(M);
    assert.equal(A.nnz, 4);
    assert.ok(A.toDense().equals(M));
    assert.equal(CsrMatrix.fromDense(M, { tol: 1e-6 }).nnz, 3);
    const C = CscMatrix.fromDense(M);
    assert.ok(C.toDense().equals(M));
    assert.deepEqual([...C.indptr], [0, 2, 3, 4]);
    const F = CsrMatrix.fromDense(M.T, { dtype: 'float32' }); // a row-major view in, float32 out
    assert.equal(F.dtype, 'float32');
    assert.ok(F.toDense().equals(M.T.copy({ dtype: 'float32' })));
  });

  it('identity, random: shapes, determinism, sorted indices, density and value ranges', () => {
    const I = CsrMatrix.identity(4, { dtype: 'float32' });
    assert.ok(I.toDense().equals(Matrix.identity(4, 4, { dtype: 'float32' })));
    const A = CsrMatrix.random(300, 200, 0.05, { seed: 11 });
    const B = CsrMatrix.random(300, 200, 0.05, { seed: 11 });
    assert.deepEqual(A.indices, B.indices);
    assert.deepEqual(A.data, B.data);
    assert.ok(A.canonical);
    const expected = 300 * 200 * 0.05;
    assert.ok(Math.abs(A.nnz - expected) < 5 * Math.sqrt(expected), `nnz ${A.nnz}`);
    for (let i = 0; i < 300; i++) for (let k = A.indptr[i]! + 1; k < A.indptr[i + 1]!; k++) assert.ok(A.indices[k]! > A.indices[k - 1]!);
    assert.ok(A.data.every((v) => v >= 0 && v < 1));
    // Columns are used uniformly: every column count is near its mean.
    const perCol = new Float64Array(200);
    for (const j of A.indices) perCol[j]!++;
    assert.ok(Math.max(...perCol) < 15 * 5 && Math.min(...perCol) > 0);
    const N = CsrMatrix.random(50, 40, 0.5, { seed: 2, distribution: 'normal', dtype: 'float32' });
    assert.equal(N.dtype, 'float32');
    assert.ok(N.data.some((v) => v < 0));
    assert.equal(CsrMatrix.random(10, 10, 0).nnz, 0);
    assert.equal(CsrMatrix.random(10, 10, 1).nnz, 100);
    assert.equal(CsrMatrix.random(0, 10, 0.5).nnz, 0);
    const C = CscMatrix.random(30, 20, 0.1, { seed: 1 });
    assert.deepEqual(C.shape, [30, 20]);
    assert.equal(C.indptr.length, 21);
  });

  it('random 100000 x 50000 with ~5M nonzeros builds quickly', () => {
    const t0 = performance.now();
    const A = CsrMatrix.random(100000, 50000, 0.001, { seed: 1 });
    const ms = performance.now() - t0;
    assert.ok(Math.abs(A.nnz - 5e6) < 5 * Math.sqrt(5e6), `nnz ${A.nnz}`);
    // Generous bound: the machine is shared; typically ~0.5 s.
    assert.ok(ms < 10000, `took ${ms} ms`);
  });
});

describe('views and conversions', () => {
  const A = CsrMatrix.random(9, 7, 0.4, { seed: 3, distribution: 'normal' });
  const D = A.toDense();

  it('transpose shares arrays and T.T is the same matrix', () => {
    const T = A.transpose();
    assert.ok(T instanceof CscMatrix);
    assert.equal(T.data, A.data);
    assert.deepEqual(T.shape, [7, 9]);
    assert.ok(T.toDense().equals(D.T.copy()));
    assert.equal(T.T.data, A.data);
    assert.ok(T.T.toDense().equals(D));
    assert.ok(A.toCsc().toCsr().toDense().equals(D));
    assert.ok(A.T.toCsr().toDense().equals(D.T.copy()));
  });

  it('get, rowSlice, colSlice, astype, scaling, toCoo', () => {
    for (let i = 0; i < 9; i++) for (let j = 0; j < 7; j++) {
      assert.equal(A.get(i, j), D.get(i, j));
      assert.equal(A.T.get(j, i), D.get(i, j));
    }
    assert.ok(A.rowSlice(2, 6).toDense().equals(D.rowRange(2, 6).copy()));
    assert.equal(A.rowSlice(3, 3).nnz, 0);
    const C = A.toCsc();
    assert.ok(C.colSlice(1, 4).toDense().equals(D.colRange(1, 4).copy()));
    const F = A.astype('float32');
    assert.equal(F.dtype, 'float32');
    assert.ok(F.toDense().equals(D.astype('float32')));
    assert.ok(A.scale(-2).toDense().equals(D.scale(-2)));
    const d = Array.from({ length: 9 }, (_, k) => k - 4);
    const e = Array.from({ length: 7 }, (_, k) => 1 + k);
    assert.ok(A.scaleRows(d).toDense().equals(D.map((v, i) => v * d[i]!)));
    assert.ok(A.scaleCols(e).toDense().equals(D.map((v, _i, j) => v * e[j]!)));
    assert.ok(C.scaleRows(d).toDense().equals(D.map((v, i) => v * d[i]!)));
    assert.ok(C.scaleCols(e).toDense().equals(D.map((v, _i, j) => v * e[j]!)));
    const coo = A.toCoo();
    assert.ok(CsrMatrix.fromCoo(coo.row, coo.col, coo.val, 9, 7).toDense().equals(D));
    const cc = C.toCoo();
    assert.ok(CsrMatrix.fromCoo(cc.row, cc.col, cc.val, 9, 7).toDense().equals(D));
  });

  it('row/column norms and max norm match the dense matrix, without overflow', () => {
    const big = A.scale(1e300);
    const rn = big.rowNorms();
    const cn = big.toCsc().colNorms();
    for (let i = 0; i < 9; i++) {
      const ref = Math.hypot(...D.row(i).toFlat());
      assert.ok(Math.abs(rn[i]! / 1e300 - ref) <= 1e-14 * (1 + ref));
    }
    for (let j = 0; j < 7; j++) {
      const ref = Math.hypot(...D.col(j).toFlat());
      assert.ok(Math.abs(cn[j]! / 1e300 - ref) <= 1e-14 * (1 + ref));
    }
    assert.ok(Number.isFinite(big.norm('fro')));
    assert.ok(Math.abs(A.norm('fro') - D.norm('fro')) < 1e-14 * D.norm('fro'));
    assert.equal(A.norm('max'), D.norm('max'));
    assert.equal(A.toCsc().norm('max'), D.norm('max'));
  });

  it('is a LinearOperator: centeredOperator works on it without densifying', () => {
    assert.ok(isLinearOperator(A));
    assert.ok(isLinearOperator(A.toCsc()));
    assert.ok(isSparse(A) && isSparse(A.T) && !isSparse(D));
    const op = centeredOperator(A);
    const mu = A.colSums().map((s) => s / 9);
    const Dc = D.map((v, _i, j) => v - mu[j]!);
    const X = Matrix.random(7, 3, { seed: 9 });
    const got = op.apply(X);
    for (let i = 0; i < 9; i++) for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let j = 0; j < 7; j++) s += Dc.get(i, j) * X.get(j, c);
      assert.ok(Math.abs(got.get(i, c) - s) < 1e-12);
    }
  });
});

describe('input validation', () => {
  const ok = { indptr: new Int32Array([0, 1, 2]), indices: new Int32Array([0, 1]), data: new Float64Array([1, 2]) };

  it('constructor checks array lengths, indptr and index ranges', () => {
    assert.ok(new CsrMatrix(ok.indptr, ok.indices, ok.data, 2, 2).canonical);
    assert.throws(() => new CsrMatrix(ok.indptr, ok.indices, ok.data, 3, 2), { name: 'ShapeError' });
    assert.throws(() => new CsrMatrix(ok.indptr, ok.indices, new Float64Array(3), 2, 2), { name: 'ShapeError' });
    assert.throws(() => new CsrMatrix(new Int32Array([1, 1, 2]), ok.indices, ok.data, 2, 2), { name: 'InvalidArgumentError' });
    assert.throws(() => new CsrMatrix(new Int32Array([0, 2, 1]), ok.indices, ok.data, 2, 2), { name: 'InvalidArgumentError' });
    assert.throws(() => new CsrMatrix(new Int32Array([0, 1, 3]), ok.indices, ok.data, 2, 2), { name: 'InvalidArgumentError' });
    assert.throws(() => new CsrMatrix(ok.indptr, new Int32Array([0, 2]), ok.data, 2, 2), /column index 2 at position 1 is outside \[0, 2\)/);
    assert.throws(() => new CsrMatrix(ok.indptr, new Int32Array([-1, 0]), ok.data, 2, 2), { name: 'InvalidArgumentError' });
    assert.throws(() => new CsrMatrix(ok.indptr, ok.indices, new Float64Array([1, NaN]), 2, 2), { name: 'NonFiniteInputError' });
    assert.throws(() => new CsrMatrix(ok.indptr, ok.indices, ok.data, -1, 2), { name: 'InvalidArgumentError' });
    assert.throws(() => new CsrMatrix(ok.indptr, ok.indices, ok.data, 2.5, 2), { name: 'InvalidArgumentError' });
    assert.throws(() => new CsrMatrix([0, 1, 2] as unknown as Int32Array, ok.indices, ok.data, 2, 2), { name: 'InvalidArgumentError' });
    assert.throws(() => new CscMatrix(ok.indptr, new Int32Array([0, 5]), ok.data, 2, 2), /row index 5/);
    assert.equal(new CsrMatrix(ok.indptr, new Int32Array([1, 1]), ok.data, 2, 2).canonical, true);
    assert.equal(new CsrMatrix(new Int32Array([0, 2, 2]), new Int32Array([1, 0]), ok.data, 2, 2).canonical, false);
  });

  it('fromCoo rejects bad indices, lengths and values with typed errors', () => {
    assert.throws(() => CsrMatrix.fromCoo([0, 1], [0], [1, 2], 2, 2), { name: 'ShapeError' });
    assert.throws(() => CsrMatrix.fromCoo([0, 1], [0, 1], [1], 2, 2), { name: 'ShapeError' });
    assert.throws(() => CsrMatrix.fromCoo([0, 2], [0, 1], [1, 2], 2, 2), /row index 2 at position 1 is outside \[0, 2\)/);
    assert.throws(() => CsrMatrix.fromCoo([0, 1], [0, -1], [1, 2], 2, 2), { name: 'InvalidArgumentError' });
    assert.throws(() => CsrMatrix.fromCoo([0, 0.5], [0, 1], [1, 2], 2, 2), { name: 'InvalidArgumentError' });
    assert.throws(() => CsrMatrix.fromCoo(new Int32Array([0, 7]), [0, 1], [1, 2], 2, 2), { name: 'InvalidArgumentError' });
    assert.throws(() => CsrMatrix.fromCoo([0, 1], [0, 1], [1, NaN], 2, 2), { name: 'NonFiniteInputError' });
    assert.throws(() => CsrMatrix.fromCoo([0, 1], [0, 1], [Infinity, 1], 2, 2), { name: 'NonFiniteInputError' });
    assert.throws(() => CsrMatrix.fromCoo([0], [0], NaN, 2, 2), { name: 'NonFiniteInputError' });
    assert.throws(() => CsrMatrix.fromCoo([], [], [], 2, 2, { dtype: 'int8' as DType }), { name: 'InvalidArgumentError' });
    assert.throws(() => CsrMatrix.fromCoo([], [], [], 2 ** 31, 2), { name: 'InvalidArgumentError' });
    assert.throws(() => CscMatrix.fromCoo([0], [3], [1], 2, 2), /column index 3/);
  });

  it('other methods validate their arguments', () => {
    const A = CsrMatrix.identity(3);
    assert.throws(() => CsrMatrix.fromDense(Matrix.from([[1, NaN]])), { name: 'NonFiniteInputError' });
    assert.throws(() => CsrMatrix.fromDense(Matrix.from([[1]]), { tol: -1 }), { name: 'InvalidArgumentError' });
    assert.throws(() => CsrMatrix.random(3, 3, 1.5), { name: 'InvalidArgumentError' });
    assert.throws(() => CsrMatrix.random(3, 3, 0.5, { distribution: 'cauchy' as 'normal' }), { name: 'InvalidArgumentError' });
    assert.throws(() => A.get(3, 0), { name: 'InvalidArgumentError' });
    assert.throws(() => A.T.get(0, -1), { name: 'InvalidArgumentError' });
    assert.throws(() => A.rowSlice(2, 1), { name: 'InvalidArgumentError' });
    assert.throws(() => A.scaleRows([1, 2]), { name: 'ShapeError' });
    assert.throws(() => A.scaleCols([1, 2, NaN]), { name: 'NonFiniteInputError' });
    assert.throws(() => A.scale(Infinity), { name: 'NonFiniteInputError' });
    assert.throws(() => A.norm(2 as 1), { name: 'InvalidArgumentError' });
    assert.throws(() => A.astype('float16' as DType), { name: 'InvalidArgumentError' });
  });
});

describe('fromCoo property: equals the dense sum of the triples', () => {
  it('a row of more than 2^21 unsorted entries (merge-sort path) comes out sorted and summed', () => {
    const len = 2 ** 21 + 5;
    const n = 3000000;
    const r = rng(5);
    const col = new Int32Array(len);
    const val = new Float64Array(len);
    for (let k = 0; k < len; k++) {
      col[k] = r.nextInt(n);
      val[k] = 1 + (k % 3);
    }
    col[len - 1] = col[0]!; // one certain duplicate
    const A = CsrMatrix.fromCoo(new Int32Array(len), col, val, 1, n);
    assert.ok(A.canonical);
    for (let k = 1; k < A.nnz; k++) assert.ok(A.indices[k]! > A.indices[k - 1]!);
    let total = 0;
    for (let k = 0; k < len; k++) total += val[k]!;
    let got = 0;
    for (let k = 0; k < A.nnz; k++) got += A.data[k]!;
    assert.equal(got, total);
    let dup = 0;
    for (let k = 0; k < len; k++) if (col[k] === col[0]) dup += val[k]!;
    assert.equal(A.get(0, col[0]!), dup);
    const B = CsrMatrix.fromCoo(new Int32Array(len), col, val, 1, n, { sumDuplicates: false });
    assert.equal(B.nnz, len);
    for (let k = 1; k < len; k++) assert.ok(B.indices[k]! >= B.indices[k - 1]!);
  });

  it('random triples in random order, with long rows', () => {
    const r = rng(99);
    for (let t = 0; t < 30; t++) {
      const m = 1 + r.nextInt(6);
      const n = 1 + r.nextInt(t < 10 ? 8 : 400);
      const nnz = r.nextInt(3 * n + 1);
      const row = Array.from({ length: nnz }, () => r.nextInt(m));
      const col = Array.from({ length: nnz }, () => r.nextInt(n));
      const val = Array.from({ length: nnz }, () => r.nextInt(7) - 3);
      const D = Matrix.zeros(m, n);
      for (let k = 0; k < nnz; k++) D.set(row[k]!, col[k]!, D.get(row[k]!, col[k]!) + val[k]!);
      const A = CsrMatrix.fromCoo(row, col, val, m, n);
      assert.ok(A.canonical);
      assert.ok(A.toDense().equals(D));
      const B = CsrMatrix.fromCoo(row, col, val, m, n, { sumDuplicates: false });
      assert.equal(B.nnz, nnz);
      for (let i = 0; i < m; i++) for (let k = B.indptr[i]! + 1; k < B.indptr[i + 1]!; k++) assert.ok(B.indices[k]! >= B.indices[k - 1]!);
      assert.ok(B.toDense().equals(D));
      assert.ok(CscMatrix.fromCoo(row, col, val, m, n).toDense().equals(D));
      // Already sorted triples take the one-pass path; typed inputs are left untouched.
      const order = Array.from({ length: nnz }, (_, k) => k).sort((a, b) => row[a]! - row[b]! || col[a]! - col[b]!);
      const sr = Int32Array.from(order, (k) => row[k]!);
      const sc = Int32Array.from(order, (k) => col[k]!);
      const sv = Float64Array.from(order, (k) => val[k]!);
      const before = [sc.slice(), sv.slice()];
      const S = CsrMatrix.fromCoo(sr, sc, sv, m, n);
      assert.ok(S.canonical);
      assert.ok(S.toDense().equals(D));
      assert.deepEqual([sc, sv], before);
      assert.deepEqual(S.indices, A.indices);
    }
  });
});
