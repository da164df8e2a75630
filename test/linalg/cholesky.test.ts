import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError, NonFiniteInputError, NotPositiveDefiniteError, ShapeError } from '../../src/errors.js';
import { cholesky } from '../../src/linalg/cholesky.js';
import { lu } from '../../src/linalg/lu.js';
import { matmul } from '../../src/linalg/matmul.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { BACKEND_NAMES, withBackend } from '../helpers.js';
import { geometric, scaledDiff, spd, withSingularValues } from './gallery.js';

// Symmetric positive definite with eigenvalues s (V diag(s) V^T).
function spdWith(s: number[], seed: number): Matrix {
  const n = s.length;
  const A = withSingularValues(n, n, s, seed);
  const B = matmul(A, A, { transB: true });
  return B.add(B.T).scale(0.5);
}

describe('cholesky', () => {
  for (const backend of BACKEND_NAMES) {
    it(`A = L L^T with small scaled residual (${backend})`, () => withBackend(backend, () => {
      const cases: [string, Matrix][] = [
        ['1x1', Matrix.from([[4]])],
        ['random 5', spd(5, 1)],
        ['random 40', spd(40, 2)],
        ['random 257', spd(257, 3)],
        ['cond 1e8', spdWith(geometric(50, 1e4), 4)],
        ['cond 1e14', spdWith(geometric(50, 1e7), 5)],
        ['repeated eigenvalues', spdWith(Array.from({ length: 30 }, (_, i) => (i < 15 ? 1 : 2)), 6)],
        ['identity', Matrix.identity(20)],
        ['diagonal 1e-150..1e150', Matrix.diag(Array.from({ length: 11 }, (_, i) => 10 ** (-150 + 30 * i)))],
        ['0x0', Matrix.zeros(0, 0)],
      ];
      for (const [name, A] of cases) {
        const { L } = cholesky(A);
        const n = A.rows;
        const r = scaledDiff(A, matmul(L, L, { transB: true }), n);
        assert.ok(r < 30, `${name}: residual ${r}`);
        for (let j = 0; j < n; j++) {
          assert.ok(L.get(j, j) > 0, `${name}: positive diagonal`);
          for (let i = 0; i < j; i++) assert.equal(L.get(i, j), 0);
        }
      }
    }));
  }

  it('reads only the chosen triangle', () => {
    const A = spd(30, 7);
    const lowerOnly = A.map((v, i, j) => (i >= j ? v : 1e9));
    const upperOnly = A.map((v, i, j) => (i <= j ? v : -1e9));
    assert.ok(cholesky(lowerOnly).L.equals(cholesky(A).L, { rtol: 0, atol: 0 }));
    assert.ok(cholesky(upperOnly, { upper: true }).L.equals(cholesky(A).L, { rtol: 1e-15, atol: 0 }));
  });

  it('solves and gives the log-determinant', () => {
    const A = spd(100, 8);
    const X = Matrix.random(100, 2, { seed: 9 });
    const c = cholesky(A);
    const Y = c.solve(matmul(A, X));
    assert.ok(Y.sub(X).norm('max') < 1e-12);
    const y = c.solve(matmul(A, X).col(1).toFlat());
    assert.ok(Math.abs(y[5]! - X.get(5, 1)) < 1e-12);
    const d = Matrix.diag([2, 3, 4]);
    assert.ok(Math.abs(cholesky(d).det() - 24) < 1e-12);
    assert.ok(Math.abs(cholesky(d).logdet() - Math.log(24)) < 1e-14);
  });

  it('slogdet has the shape of Lu.slogdet; logdet is its logAbs', () => {
    const A = spd(60, 12);
    const c = cholesky(A);
    const s = c.slogdet();
    assert.deepEqual(Object.keys(s).sort(), Object.keys(lu(A).slogdet()).sort());
    assert.equal(s.sign, 1);
    assert.equal(s.logAbs, c.logdet());
    const l = lu(A).slogdet();
    assert.equal(l.sign, 1);
    assert.ok(Math.abs(l.logAbs - s.logAbs) <= 1e-13 * Math.abs(s.logAbs), `${l.logAbs} vs ${s.logAbs}`);
    // det overflows where slogdet does not: det(1e3 I_400) = 1e1200.
    const big = cholesky(Matrix.identity(400).scale(1e3));
    assert.equal(big.det(), Infinity);
    const sb = big.slogdet();
    assert.equal(sb.sign, 1);
    assert.ok(Math.abs(sb.logAbs - 400 * Math.log(1e3)) <= 1e-13 * sb.logAbs, `${sb.logAbs}`);
    assert.deepEqual(cholesky(Matrix.zeros(0, 0)).slogdet(), { sign: 1, logAbs: 0 });
  });

  it('checks its options', () => {
    assert.throws(() => cholesky(Matrix.identity(2), { upper: 'yes' as unknown as boolean }), (e: unknown) => e instanceof InvalidArgumentError && /option 'upper' must be true or false/.test(e.message));
    assert.throws(() => cholesky(Matrix.identity(2), { lower: true } as never), (e: unknown) => e instanceof InvalidArgumentError && /unknown option 'lower'/.test(e.message));
    assert.ok(cholesky(Matrix.identity(2), { upper: false }).L.equals(Matrix.identity(2)));
  });

  it('names the failing pivot of a matrix that is not positive definite', () => {
    const A = Matrix.from([[4, 2, 0], [2, 1, 0], [0, 0, 1]]);
    assert.throws(() => cholesky(A), (e: unknown) => e instanceof NotPositiveDefiniteError && e.pivot === 1 && /pivot 1/.test(e.message));
    const B = spd(60, 10).map((v, i, j) => (i === 45 && j === 45 ? -1e6 : v));
    assert.throws(() => cholesky(B), (e: unknown) => e instanceof NotPositiveDefiniteError && e.pivot === 45);
    assert.throws(() => cholesky(Matrix.from([[-1]])), NotPositiveDefiniteError);
  });

  it('rejects non-finite and non-square input', () => {
    assert.throws(() => cholesky(Matrix.from([[1, 0], [Infinity, 1]])), NonFiniteInputError);
    assert.throws(() => cholesky(Matrix.zeros(2, 3)), ShapeError);
  });

  it('float32 stays float32', () => {
    const A = spd(30, 11).astype('float32');
    const { L } = cholesky(A);
    assert.equal(L.dtype, 'float32');
    assert.ok(scaledDiff(A, matmul(L, L, { transB: true }), 30) < 30);
  });
});
