import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import { matmul } from '../../src/linalg/matmul.js';
import { svd } from '../../src/linalg/svd.js';
import { LowRank } from '../../src/lowrank/low-rank.js';
import { isLinearOperator } from '../../src/matrix/operator.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { BACKEND_NAMES, withBackend } from '../helpers.js';

const rel = (X: Matrix, Y: Matrix): number => X.sub(Y).norm('fro') / Math.max(Number.MIN_VALUE, Y.norm('fro'));

function randomLowRank(m: number, n: number, k: number, seed: number): { lr: LowRank; dense: Matrix } {
  const A = matmul(Matrix.random(m, k, { seed, distribution: 'normal' }), Matrix.random(k, n, { seed: seed + 1, distribution: 'normal' }));
  const lr = LowRank.fromSvd(svd(A)).truncate(k);
  return { lr, dense: A };
}

test('a LowRank is a LinearOperator: apply / applyTranspose agree with the dense matrix', () => {
  for (const backend of BACKEND_NAMES) {
    withBackend(backend, () => {
      const { lr, dense } = randomLowRank(13, 9, 3, 1);
      assert.ok(isLinearOperator(lr));
      assert.deepEqual(lr.shape, [13, 9]);
      const X = Matrix.random(9, 4, { seed: 2 });
      const Y = Matrix.random(13, 2, { seed: 3 });
      assert.ok(rel(lr.apply(X), matmul(dense, X)) < 1e-13, backend);
      assert.ok(rel(lr.applyTranspose(Y), matmul(dense, Y, { transA: true })) < 1e-13, backend);
      assert.ok(rel(lr.reconstruct(), dense) < 1e-13);
      assert.ok(rel(lr.T.reconstruct(), dense.T.copy()) < 1e-13);
      assert.throws(() => lr.apply(Y), ShapeError);
      assert.throws(() => lr.applyTranspose(X), ShapeError);
    });
  }
});

test('parameter counts: rank 2 of 10 x 10 is 40 numbers against 100 (the seed example)', () => {
  const lr = new LowRank(Matrix.zeros(10, 2), [2, 1], Matrix.zeros(2, 10));
  assert.equal(lr.parameterCount, 40);
  assert.equal(lr.storedCount, 42);
  assert.equal(lr.denseParameterCount, 100);
  assert.equal(lr.compressionRatio, 2.5);
  const empty = new LowRank(Matrix.zeros(4, 0), [], Matrix.zeros(0, 5));
  assert.equal(empty.compressionRatio, Infinity);
  assert.equal(empty.frobeniusNorm(), 0);
  assert.equal(empty.apply(Matrix.random(5, 2, { seed: 1 })).norm('fro'), 0);
});

test('frobeniusNorm through the factors, orthonormal or not', () => {
  const { lr, dense } = randomLowRank(11, 7, 4, 5);
  assert.ok(Math.abs(lr.frobeniusNorm() - dense.norm('fro')) < 1e-12 * dense.norm('fro'));
  // Non-orthonormal factors.
  const U = Matrix.random(6, 3, { seed: 8, distribution: 'normal' });
  const Vt = Matrix.random(3, 5, { seed: 9, distribution: 'normal' });
  const g = new LowRank(U, [3, -2, 0.5], Vt);
  assert.ok(Math.abs(g.frobeniusNorm() - g.reconstruct().norm('fro')) < 1e-12 * g.reconstruct().norm('fro'));
  // Huge weights do not overflow.
  const h = new LowRank(lr.U, lr.s.map((v) => v * 1e300), lr.Vt);
  assert.ok(Math.abs(h.frobeniusNorm() / 1e300 - dense.norm('fro')) < 1e-12 * dense.norm('fro'));
});

function densePower(A: Matrix, p: number): Matrix {
  let P = A;
  for (let i = 1; i < p; i++) P = matmul(P, A);
  return P;
}

test('power(p) = U (Vt U)^(p-1) Vt matches dense matrix powers', () => {
  for (const [n, k] of [[12, 3], [20, 5], [7, 1]] as const) {
    const { lr, dense } = randomLowRank(n, n, k, 10 + n);
    // Scale to spectral radius around 1 so powers stay O(1).
    const scaled = new LowRank(lr.U, lr.s.map((v) => v / lr.s[0]!), lr.Vt);
    const D = dense.scale(1 / lr.s[0]!);
    for (const p of [1, 2, 3, 6, 11]) {
      const P = scaled.power(p);
      assert.equal(P.rank, k);
      const ref = densePower(D, p);
      assert.ok(rel(P.reconstruct(), ref) < 1e-11, `n=${n} k=${k} p=${p}: ${rel(P.reconstruct(), ref)}`);
      // Re-diagonalized: the values are the singular values of A^p, descending.
      const sv = svd(ref).s;
      for (let i = 0; i < k; i++) assert.ok(Math.abs(P.s[i]! - sv[i]!) < 1e-11 * sv[0]!, `sigma_${i}`);
      // Orthonormal factors.
      const I = Matrix.identity(k);
      assert.ok(matmul(P.U, P.U, { transA: true }).sub(I).norm('max') < 1e-13);
      assert.ok(matmul(P.Vt, P.Vt, { transB: true }).sub(I).norm('max') < 1e-13);
    }
  }
  // A projector (U = V orthonormal, s = 1) is idempotent: P^5 = P.
  const Q = svd(Matrix.random(8, 2, { seed: 4 })).U;
  const proj = new LowRank(Q, [1, 1], Q.T);
  assert.ok(rel(proj.power(5).reconstruct(), proj.reconstruct()) < 1e-14);
  // Nilpotent: u v^T with v orthogonal to u squares to zero.
  const u = Matrix.fromArray([1, 0, 0], 3, 1);
  const v = Matrix.fromArray([0, 1, 0], 1, 3);
  assert.equal(new LowRank(u, [2], v).power(2).reconstruct().norm('max'), 0);
});

test('power rejects p = 0, non-integers and non-square matrices', () => {
  const { lr } = randomLowRank(5, 5, 2, 3);
  assert.throws(() => lr.power(0), InvalidArgumentError);
  assert.throws(() => lr.power(1.5), /integer >= 1/);
  assert.throws(() => randomLowRank(5, 4, 2, 3).lr.power(2), ShapeError);
});

test('toJSON / fromJSON round trip, and fromSvd shares the factors', () => {
  const A = Matrix.random(5, 4, { seed: 6 });
  const f = svd(A);
  const lr = LowRank.fromSvd(f);
  assert.equal(lr.U, f.U);
  const back = LowRank.fromJSON(JSON.parse(JSON.stringify(lr)));
  assert.ok(rel(back.reconstruct(), A) < 1e-14);
  assert.deepEqual(back.shape, [5, 4]);
  const zero = LowRank.fromJSON(JSON.parse(JSON.stringify(lr.truncate(0))));
  assert.deepEqual(zero.shape, [5, 4]);
  assert.equal(zero.rank, 0);
  assert.throws(() => LowRank.fromJSON({ ...lr.toJSON(), shape: [6, 4] }), ShapeError);
});

test('float32 factors: apply keeps the dtype', () => {
  const A = Matrix.random(6, 5, { seed: 1, dtype: 'float32' });
  const lr = LowRank.fromSvd(svd(A));
  assert.equal(lr.dtype, 'float32');
  const Y = lr.apply(Matrix.random(5, 2, { seed: 2 }));
  assert.equal(Y.dtype, 'float32');
  assert.ok(rel(Y.copy({ dtype: 'float64' }), matmul(A.copy({ dtype: 'float64' }), Matrix.random(5, 2, { seed: 2 }))) < 1e-5);
});
