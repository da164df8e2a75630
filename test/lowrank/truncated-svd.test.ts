import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from '../../src/errors.js';
import { asLinearOperator } from '../../src/lowrank/operator.js';
import { chooseTruncatedSvdMethod, truncatedSvd } from '../../src/lowrank/truncated-svd.js';
import { LowRank } from '../../src/lowrank/low-rank.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { CsrMatrix } from '../../src/sparse/csr.js';
import { checkAgainstSvd, planted } from './truncated-helpers.js';

const A = planted(80, 50, Array.from({ length: 50 }, (_, i) => 10 * 0.75 ** i), 3);

test("'auto' picks randomized for a dense matrix, Lanczos for operators, sparse input or a tolerance", () => {
  assert.equal(chooseTruncatedSvdMethod(A), 'randomized');
  assert.equal(chooseTruncatedSvdMethod(A, { tol: 1e-8 }), 'lanczos');
  assert.equal(chooseTruncatedSvdMethod(asLinearOperator(A)), 'lanczos');
  assert.equal(chooseTruncatedSvdMethod(CsrMatrix.random(30, 20, 0.2, { seed: 1 })), 'lanczos');
  assert.equal(truncatedSvd(A, 3).info.method, 'randomized');
  assert.equal(truncatedSvd(A, 3, { tol: 1e-9 }).info.method, 'lanczos');
  assert.equal(truncatedSvd(asLinearOperator(A), 3).info.method, 'lanczos');
});

test('both methods agree with the full SVD and pass their options through', () => {
  for (const method of ['randomized', 'lanczos'] as const) {
    const r = truncatedSvd(A, 5, { method, seed: 2, powerIters: 5, ncv: 20 });
    assert.ok(r instanceof LowRank);
    assert.equal(r.info.method, method);
    if (method === 'randomized') assert.equal(r.info.powerIters, 5);
    else assert.equal(r.info.ncv, 20);
    checkAgainstSvd(A, r, 5, 1e-10, 1e-8);
  }
});

test('rejects an unknown method', () => {
  assert.throws(() => truncatedSvd(A, 2, { method: 'arpack' as 'lanczos' }), InvalidArgumentError);
});

test('1 x n and n x 1 inputs, for both methods', () => {
  const row = Matrix.from([[3, 4, 0, 0, 0]]);
  for (const A of [row, row.T, row.T.copy()]) {
    for (const method of ['randomized', 'lanczos'] as const) {
      const r = truncatedSvd(A, 1, { method });
      assert.ok(Math.abs(r.s[0]! - 5) < 1e-14, `${method} ${A.rows}x${A.cols}: ${r.s[0]}`);
      assert.ok(r.reconstruct().sub(A).norm() < 1e-14);
    }
  }
});
