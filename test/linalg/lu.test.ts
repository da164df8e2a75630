import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { NonFiniteInputError, ShapeError, SingularMatrixError } from '../../src/errors.js';
import { det, inv, lu, slogdet, solve } from '../../src/linalg/lu.js';
import { matmul } from '../../src/linalg/matmul.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { BACKEND_NAMES, withBackend } from '../helpers.js';
import { permuteRows, scaledDiff, spd, standardCases } from './gallery.js';

const EPS = 2 ** -52;
interface SquareCase { kind: string; name: string; A: number[][]; b: number[][]; x: number[][]; det: number; sign: number; logabs: number; inv: number[][]; cond: number }
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/solve/cases.json', import.meta.url), 'utf8')) as SquareCase[];

function maxRelDiff(a: Matrix, b: Matrix): number {
  return a.sub(b).norm('max') / Math.max(b.norm('max'), Number.MIN_VALUE);
}

describe('lu', () => {
  for (const backend of BACKEND_NAMES) {
    it(`P A = L U with small scaled residual on every kind of matrix (${backend})`, () => withBackend(backend, () => {
      for (const { name, A } of [...standardCases(), ...([[300, 300], [300, 150], [150, 300]] as const).map(([m, n]) => ({ name: `random ${m}x${n}`, A: Matrix.random(m, n, { seed: m + n }) }))]) {
        const f = lu(A);
        const k = Math.min(A.rows, A.cols);
        assert.deepEqual(f.L.shape, [A.rows, k], name);
        assert.deepEqual(f.U.shape, [k, A.cols], name);
        const r = scaledDiff(permuteRows(A, f.perm), matmul(f.L, f.U), Math.max(A.rows, A.cols));
        assert.ok(r < 30, `${name}: residual ${r}`);
        for (let j = 0; j < k; j++) {
          assert.equal(f.L.get(j, j), 1);
          for (let i = 0; i < j; i++) assert.equal(f.L.get(i, j), 0);
          for (let i = j + 1; i < A.rows; i++) assert.ok(Math.abs(f.L.get(i, j)) <= 1, `${name}: |L| <= 1`);
        }
        for (let j = 0; j < A.cols; j++) for (let i = j + 1; i < k; i++) assert.equal(f.U.get(i, j), 0);
        assert.deepEqual([...f.perm].sort((a, b) => a - b), Array.from({ length: A.rows }, (_, i) => i));
      }
    }));
  }

  it('solves, inverts and takes determinants like numpy', () => {
    for (const c of fixtures.filter((f) => f.kind === 'square')) {
      const A = Matrix.from(c.A);
      const tol = 1e-14 * c.cond * 10;
      assert.ok(maxRelDiff(solve(A, Matrix.from(c.b)), Matrix.from(c.x)) < tol, `${c.name} solve`);
      assert.ok(maxRelDiff(inv(A), Matrix.from(c.inv)) < tol, `${c.name} inv`);
      assert.ok(Math.abs(det(A) - c.det) <= tol * Math.abs(c.det), `${c.name} det ${det(A)} vs ${c.det}`);
      const s = slogdet(A);
      assert.equal(s.sign, c.sign);
      assert.ok(Math.abs(s.logAbs - c.logabs) <= tol, `${c.name} logabs`);
    }
  });

  it('solve has a backward-stable residual and accepts vectors, matrices and A^T', () => {
    const n = 200;
    const A = Matrix.random(n, n, { seed: 4, distribution: 'normal' });
    const X = Matrix.random(n, 3, { seed: 5 });
    const B = matmul(A, X);
    const f = lu(A);
    const Y = f.solve(B);
    const res = matmul(A, Y).sub(B).norm('fro') / (A.norm('fro') * Y.norm('fro') * n * EPS);
    assert.ok(res < 30, `residual ${res}`);
    const y = f.solve(B.col(0).toFlat());
    assert.ok(y instanceof Float64Array && y.length === n);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(y[i]! - Y.get(i, 0)) < 1e-12 * Math.max(1, Math.abs(Y.get(i, 0))));
    const Z = f.solve(matmul(A, X, { transA: true }), { transpose: true });
    assert.ok(Z.sub(X).norm('max') < 1e-9);
    assert.ok(matmul(A, f.inverse()).sub(Matrix.identity(n)).norm('max') < 1e-11);
  });

  it('float32 factors in float32', () => {
    const A = spd(40, 1).astype('float32');
    const f = lu(A);
    assert.equal(f.L.dtype, 'float32');
    const r = scaledDiff(permuteRows(A, f.perm), matmul(f.L, f.U), 40);
    assert.ok(r < 30, `residual ${r}`);
  });

  it('flags singular matrices and refuses to solve with them', () => {
    const A = Matrix.from([[1, 2, 3], [2, 4, 6], [1, 0, 1]]);
    const f = lu(A);
    assert.ok(f.singular);
    assert.equal(det(A), 0);
    assert.deepEqual(slogdet(A), { sign: 0, logAbs: -Infinity });
    assert.throws(() => solve(A, [1, 2, 3]), SingularMatrixError);
    assert.throws(() => inv(Matrix.zeros(3, 3)), (e: unknown) => e instanceof SingularMatrixError && /pivot U\[0, 0\]/.test(e.message));
  });

  it('rejects non-finite input and wrong shapes', () => {
    assert.throws(() => lu(Matrix.from([[1, NaN], [0, 1]])), (e: unknown) => e instanceof NonFiniteInputError && /\(0, 1\)/.test(e.message));
    assert.throws(() => solve(Matrix.zeros(2, 3), [1, 2]), ShapeError);
    assert.throws(() => solve(Matrix.identity(3), [1, 2]), ShapeError);
    assert.equal(det(Matrix.zeros(0, 0)), 1);
  });
});
