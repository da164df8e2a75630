import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ShapeError } from '../../src/errors.js';
import { lstsq, matrixRank, pinv } from '../../src/linalg/lstsq.js';
import { matmul } from '../../src/linalg/matmul.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { geometric, withSingularValues } from './gallery.js';

interface Case { kind: string; name: string; A: number[][]; b: number[][]; x: number[][]; rank?: number; pinv?: number[][]; matrix_rank?: number }
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/solve/cases.json', import.meta.url), 'utf8')) as Case[];

const relDiff = (a: Matrix, b: Matrix): number => a.sub(b).norm('max') / Math.max(b.norm('max'), Number.MIN_VALUE);

describe('lstsq, pinv, matrixRank', () => {
  it('agree with numpy on tall, wide and rank-deficient matrices', () => {
    for (const c of fixtures.filter((f) => f.kind === 'lstsq')) {
      const A = Matrix.from(c.A);
      const r = lstsq(A, Matrix.from(c.b));
      assert.equal(r.rank, c.rank, c.name);
      assert.ok(relDiff(r.x, Matrix.from(c.x)) < 1e-12, `${c.name} x`);
      assert.ok(relDiff(pinv(A), Matrix.from(c.pinv!)) < 1e-12, `${c.name} pinv`);
      assert.equal(matrixRank(A), c.matrix_rank, c.name);
    }
  });

  it('lstsq: residuals of a full-rank tall system, vector right-hand side, minimum norm when rank-deficient', () => {
    const A = Matrix.random(30, 5, { seed: 1, distribution: 'normal' });
    const b = Matrix.random(30, 1, { seed: 2 });
    const r = lstsq(A, b);
    const res = matmul(A, r.x).sub(b).norm('fro');
    assert.ok(Math.abs(r.residuals[0]! - res * res) < 1e-12);
    // The normal equations hold: A^T (A x - b) = 0.
    assert.ok(matmul(A, matmul(A, r.x).sub(b), { transA: true }).norm('max') < 1e-12);
    const v = lstsq(A, b.toFlat());
    assert.ok(v.x instanceof Float64Array && v.x.length === 5);
    // Rank 3 of 20x10: the solution lies in the row space (minimum norm) and residuals are empty.
    const D = withSingularValues(20, 10, [3, 2, 1], 3);
    const d = lstsq(D, Matrix.random(20, 2, { seed: 4 }));
    assert.equal(d.rank, 3);
    assert.equal(d.residuals.length, 0);
    const P = matmul(pinv(D), D);
    assert.ok(matmul(P, d.x).sub(d.x).norm('max') < 1e-12);
    // rcond decides what counts as zero: s_i = 1e-10^(i/14) > 1e-5 for i < 7.
    const C = withSingularValues(15, 15, geometric(15, 1e10), 5);
    assert.equal(lstsq(C, Matrix.zeros(15, 1), { rcond: 1e-5 }).rank, 7);
  });

  it('edge cases: zero, singular, empty, bad shapes', () => {
    assert.equal(matrixRank(Matrix.zeros(4, 3)), 0);
    assert.ok(pinv(Matrix.zeros(3, 2)).equals(Matrix.zeros(2, 3)));
    assert.throws(() => lstsq(Matrix.zeros(3, 2), [1, 2]), ShapeError);
  });
});
