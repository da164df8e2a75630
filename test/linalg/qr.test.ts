import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError, NonFiniteInputError } from '../../src/errors.js';
import { matmul } from '../../src/linalg/matmul.js';
import { qr, Qr, QrPivoted } from '../../src/linalg/qr.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { BACKEND_NAMES, withBackend } from '../helpers.js';
import { orthogonality, permuteCols, scaledDiff, standardCases, withSingularValues } from './gallery.js';

function upper(R: Matrix): boolean {
  for (let j = 0; j < R.cols; j++) for (let i = j + 1; i < R.rows; i++) if (R.get(i, j) !== 0) return false;
  return true;
}

describe('qr', () => {
  for (const backend of BACKEND_NAMES) {
    it(`reduced and complete A = Q R, orthonormal Q (${backend})`, () => withBackend(backend, () => {
      for (const { name, A } of [...standardCases(), { name: 'random 300x200', A: Matrix.random(300, 200, { seed: 2 }) }]) {
        const m = A.rows, n = A.cols, k = Math.min(m, n);
        for (const mode of ['reduced', 'complete'] as const) {
          const { Q, R } = qr(A, { mode });
          const qc = mode === 'complete' ? m : k;
          assert.deepEqual(Q.shape, [m, qc], `${name} ${mode}`);
          assert.deepEqual(R.shape, [qc, n], `${name} ${mode}`);
          const r = scaledDiff(A, matmul(Q, R), Math.max(m, n));
          assert.ok(r < 30, `${name} ${mode}: residual ${r}`);
          const o = orthogonality(Q);
          assert.ok(o < 30, `${name} ${mode}: orthogonality ${o}`);
          assert.ok(upper(R), `${name} ${mode}: R upper`);
        }
      }
    }));

    it(`column pivoting reveals rank (${backend})`, () => withBackend(backend, () => {
      for (const { name, A } of standardCases()) {
        const { Q, R, perm, rank } = qr(A, { pivoting: true });
        const r = scaledDiff(permuteCols(A, perm), matmul(Q, R), Math.max(A.rows, A.cols));
        assert.ok(r < 30, `${name}: residual ${r}`);
        assert.ok(orthogonality(Q) < 30, name);
        for (let i = 1; i < Math.min(A.rows, A.cols); i++) assert.ok(Math.abs(R.get(i, i)) <= Math.abs(R.get(i - 1, i - 1)) * (1 + 1e-12), `${name}: |R_ii| decreasing`);
        if (name.startsWith('rank 5')) assert.equal(rank, 5);
        if (name.startsWith('zero')) assert.equal(rank, 0);
        if (name.startsWith('identity')) assert.equal(rank, 33);
      }
    }));
  }

  it('rank of a 100x60 matrix of rank 17', () => {
    const A = withSingularValues(100, 60, Array.from({ length: 17 }, (_, i) => 1 + i), 3);
    assert.equal(qr(A, { pivoting: true }).rank, 17);
    assert.equal(qr(A, { pivoting: true, rcond: 0 }).rank > 17, true);
  });

  it('float32 input gives float32 factors with float32 accuracy', () => {
    const A = Matrix.random(70, 40, { seed: 4, dtype: 'float32' });
    const { Q, R } = qr(A);
    assert.equal(Q.dtype, 'float32');
    assert.ok(scaledDiff(A, matmul(Q, R), 70) < 30);
    assert.ok(orthogonality(Q) < 30);
  });

  it('rejects bad input', () => {
    assert.throws(() => qr(Matrix.from([[NaN]])), NonFiniteInputError);
    assert.throws(() => qr(Matrix.identity(2), { mode: 'r' as 'reduced' }), (e: unknown) => e instanceof InvalidArgumentError && /option 'mode'/.test(e.message));
    assert.throws(() => qr(Matrix.identity(2), { rcond: 1e-3 }), (e: unknown) => e instanceof InvalidArgumentError && /pivoting: true/.test(e.message));
    assert.throws(() => qr(Matrix.identity(2), { pivoting: true, rcond: -1 }), InvalidArgumentError);
    assert.throws(() => qr(Matrix.identity(2), { pivot: true } as never), (e: unknown) => e instanceof InvalidArgumentError && /unknown option 'pivot'/.test(e.message));
  });

  it('the result type follows the pivoting option', () => {
    const A = Matrix.random(6, 4, { seed: 5 });
    const plain = qr(A);
    assert.ok(plain instanceof Qr && !(plain instanceof QrPivoted));
    assert.equal(plain.perm, undefined);
    assert.equal('perm' in plain, false);
    const pivoted = qr(A, { pivoting: true });
    assert.ok(pivoted instanceof QrPivoted);
    // perm and rank are always there: no `!` needed (this line is also a compile-time check).
    const perm: Int32Array = pivoted.perm;
    const rank: number = pivoted.rank;
    assert.equal(perm.length, 4);
    assert.equal(rank, 4);
    // @ts-expect-error an unpivoted factorization has no permutation to read
    assert.throws(() => plain.perm.length, TypeError);
    for (const flag of [false, true]) {
      const f = qr(A, { pivoting: flag }); // Qr | QrPivoted
      if (f.perm) assert.ok(flag && f instanceof QrPivoted && f.rank === 4);
      else assert.ok(!flag && f instanceof Qr);
      assert.equal(f.solve(Matrix.random(6, 1, { seed: 6 })).rows, 4);
    }
  });
});
