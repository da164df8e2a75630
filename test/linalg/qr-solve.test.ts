import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { NonFiniteInputError, ShapeError, SingularMatrixError } from '../../src/errors.js';
import { lstsq } from '../../src/linalg/lstsq.js';
import { matmul } from '../../src/linalg/matmul.js';
import { cond } from '../../src/linalg/norms.js';
import { qr, type Qr, type QrPivoted } from '../../src/linalg/qr.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { BACKEND_NAMES, withBackend } from '../helpers.js';
import { geometric, standardCases, withSingularValues } from './gallery.js';

const EPS = 2 ** -52;

interface Fixture { kind: string; name: string; A: number[][]; b: number[][]; x: number[][]; cond?: number; rank?: number }
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/solve/cases.json', import.meta.url), 'utf8')) as Fixture[];

/** a / b, or 0 when a is 0 (empty and exactly solved problems). */
const ratio = (a: number, b: number): number => (a === 0 ? 0 : a / b);

/**
 * LAPACK's least-squares test ratio (TESTING/LIN dqrt17 with IRESID = 1, as dchkls calls
 * it): ||(B - A X)^T A||_1 / (||A||_1 ||B||_1 max(m, n, r) eps). Small when the residual is
 * orthogonal to A's columns, i.e. X solves the normal equations.
 */
function lsOrthogonality(A: Matrix, X: Matrix, B: Matrix): number {
  const R = B.sub(matmul(A, X));
  return ratio(matmul(R, A, { transA: true }).norm(1), A.norm(1) * B.norm(1) * Math.max(A.rows, A.cols, B.cols) * EPS);
}

/** LAPACK dget02's ||B - A X||_1 / (||A||_1 ||X||_1 max(m, n) eps): backward error of a solve. */
function solveResidual(A: Matrix, X: Matrix, B: Matrix): number {
  return ratio(B.sub(matmul(A, X)).norm(1), A.norm(1) * X.norm(1) * Math.max(A.rows, A.cols) * EPS);
}

/**
 * ||X - P X||_F / (||X||_F n eps cond(A)) with P the projector on A's row space: X has
 * minimum norm. A perturbation of A by eps ||A|| turns its row space by up to eps cond(A)
 * (Wedin), so that is as close as any backward-stable solver (or P itself) can be.
 */
function rowSpaceDistance(A: Matrix, X: Matrix): number {
  const V = qr(A.T.copy()).Q;
  const away = X.sub(matmul(V, matmul(V, X, { transA: true })));
  return ratio(away.norm('fro'), X.norm('fro') * Math.max(A.cols, 1) * EPS * cond(A));
}

/** G with its component in span(Q) removed: a residual the least-squares solution keeps. */
function orthogonalTo(Q: Matrix, G: Matrix): Matrix {
  return G.sub(matmul(Q, matmul(Q, G, { transA: true })));
}

const isSingular = (e: unknown): boolean => e instanceof SingularMatrixError;

// Gallery matrices whose R has a diagonal entry at or below max(m, n) eps max|R_ii|: exactly
// rank-deficient, zero, and rows graded over 1e300 (the first two columns dwarf the rest).
const deficient = (name: string): boolean => /^(rank 5|zero|graded)/.test(name);

describe('qr solve', () => {
  for (const backend of BACKEND_NAMES) {
    it(`square, tall and wide gallery systems, with and without pivoting (${backend})`, () => withBackend(backend, () => {
      const cases = [
        ...standardCases(),
        { name: 'tall cond 1e6', A: withSingularValues(80, 40, geometric(40, 1e6), 12) },
        { name: 'wide cond 1e8', A: withSingularValues(30, 70, geometric(30, 1e8), 13) },
        { name: 'tall 300x200', A: Matrix.random(300, 200, { seed: 2 }) },
      ];
      for (const { name, A } of cases) {
        const m = A.rows;
        const n = A.cols;
        for (const f of [qr(A), qr(A, { pivoting: true })] as (Qr | QrPivoted)[]) {
          const label = `${name}${f.perm ? ' pivoted' : ''}`;
          const G = Matrix.random(m, 3, { seed: m + n, distribution: 'normal' });
          if (deficient(name)) {
            assert.throws(() => f.solve(G), isSingular, label);
            continue;
          }
          // Zero-residual problems (dchkls: B = A X for random X) for every shape.
          const B0 = matmul(A, Matrix.random(n, 3, { seed: 7, distribution: 'normal' }));
          const X0 = f.solve(B0);
          assert.deepEqual(X0.shape, [n, 3], label);
          const t0 = lsOrthogonality(A, X0, B0);
          assert.ok(t0 < 30, `${label}: ||r^T A|| ratio ${t0} (consistent)`);
          if (m === n) {
            const X = f.solve(G);
            const r = solveResidual(A, X, G);
            assert.ok(r < 30, `${label}: residual ${r}`);
          } else if (m > n) {
            // A residual orthogonal to range(A) as large as A X: the solution must not move.
            const N = orthogonalTo(f.Q, G);
            const B = N.norm('fro') === 0 ? B0 : B0.add(N.scale(B0.norm('fro') / N.norm('fro')));
            const t = lsOrthogonality(A, f.solve(B), B);
            assert.ok(t < 30, `${label}: ||r^T A|| ratio ${t}`);
          } else {
            // Full row rank: every B is consistent; the solution is the one of minimum norm.
            const X = f.solve(G);
            const r = solveResidual(A, X, G);
            assert.ok(r < 30, `${label}: residual ${r}`);
            const d = rowSpaceDistance(A, X);
            assert.ok(d < 30, `${label}: distance from the row space ${d}`);
          }
        }
      }
    }));
  }

  it('agrees with numpy: solve on square systems, lstsq on tall and wide ones', () => {
    const rel = (a: Matrix, b: Matrix): number => a.sub(b).norm('max') / b.norm('max');
    for (const c of fixtures) {
      const A = Matrix.from(c.A);
      const B = Matrix.from(c.b);
      for (const f of [qr(A), qr(A, { pivoting: true })] as (Qr | QrPivoted)[]) {
        const label = `${c.name}${f.perm ? ' pivoted' : ''}`;
        if (c.rank !== undefined && c.rank < Math.min(A.rows, A.cols)) {
          assert.throws(() => f.solve(B), isSingular, label);
          continue;
        }
        // numpy's own solution is accurate to about cond eps; ours too (fixture conds up to 1e14).
        const tol = c.kind === 'square' ? 1e-14 * c.cond! * 10 : 1e-12;
        const d = rel(f.solve(B), Matrix.from(c.x));
        assert.ok(d < tol, `${label}: ${d} vs numpy`);
      }
    }
  });

  it('equals lstsq on full-rank tall and wide matrices, to within the perturbation bound', () => {
    for (const [m, n, seed] of [[90, 31, 1], [17, 1, 2], [300, 200, 3], [31, 90, 4], [1, 17, 5]] as const) {
      const A = Matrix.random(m, n, { seed, distribution: 'normal' });
      const B = Matrix.random(m, 2, { seed: seed + 100, distribution: 'normal' });
      const ref = lstsq(A, B);
      assert.equal(ref.rank, Math.min(m, n));
      for (const f of [qr(A), qr(A, { pivoting: true })] as (Qr | QrPivoted)[]) {
        const X = f.solve(B);
        // Relative error of a least-squares solution: eps (k + k^2 ||r|| / (||A|| ||x||)).
        const k = cond(A);
        const rnorm = B.sub(matmul(A, ref.x)).norm('fro');
        const bound = Math.max(m, n) * EPS * (k + (k * k * rnorm) / (ref.s[0]! * ref.x.norm('fro')));
        const d = X.sub(ref.x).norm('fro') / ref.x.norm('fro');
        assert.ok(d < 30 * bound, `${m}x${n}${f.perm ? ' pivoted' : ''}: ${d} vs lstsq, bound ${bound}`);
      }
    }
  });

  it('names the column that makes A rank-deficient', () => {
    // Column 2 = column 0 + column 1.
    const A = Matrix.from([[1, 0, 1, 4], [0, 1, 1, 1], [2, 1, 3, 0], [1, 1, 2, 5], [3, 0, 3, 1]]);
    assert.throws(() => qr(A).solve([1, 2, 3, 4, 5]), (e: unknown) => isSingular(e) && /R\[2, 2\]/.test((e as Error).message) && /column 2 of A is numerically a combination of columns 0\.\.1/.test((e as Error).message));
    const p = qr(A, { pivoting: true });
    assert.equal(p.rank, 3);
    assert.throws(() => p.solve([1, 2, 3, 4, 5]), (e: unknown) => isSingular(e) && new RegExp(`column ${p.perm[3]} of A`).test((e as Error).message));
    assert.throws(() => qr(Matrix.zeros(4, 2)).solve([1, 2, 3, 4]), (e: unknown) => isSingular(e) && /column 0 of A is numerically zero/.test((e as Error).message));
    // Wide with two equal rows: no solution of A x = b for most b.
    const W = Matrix.from([[1, 2, 3, 4], [1, 2, 3, 4], [0, 1, 0, 1]]);
    assert.throws(() => qr(W).solve([1, 2, 3]), (e: unknown) => isSingular(e) && /does not have full row rank/.test((e as Error).message));
    assert.throws(() => qr(W, { pivoting: true }).solve([1, 2, 3]), isSingular);
    // Full row rank although R's leading entry is 0: the RZ step, not R1, decides.
    const x = qr(Matrix.from([[0, 1]])).solve([3]);
    assert.deepEqual([...x], [0, 3]);
  });

  it('the pivoted solution is in the original column order', () => {
    const A = Matrix.from([[1, 100, 0], [0, 1, 10], [1, 0, 1], [2, 3, 4]]);
    const f = qr(A, { pivoting: true });
    assert.notDeepEqual([...f.perm], [0, 1, 2]);
    const x = [1, -2, 3];
    const b = matmul(A, Matrix.fromArray(x, 3, 1)).toFlat();
    const y = f.solve(b);
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(y[i]! - x[i]!) < 1e-13, `x[${i}] = ${y[i]}`);
  });

  it('vector and matrix right-hand sides, dtypes, and bad input', () => {
    const A = Matrix.random(40, 12, { seed: 21, distribution: 'normal' });
    const B = Matrix.random(40, 3, { seed: 22 });
    const f = qr(A);
    const X = f.solve(B);
    const x = f.solve(B.col(1).toFlat());
    assert.ok(x instanceof Float64Array && x.length === 12);
    for (let i = 0; i < 12; i++) assert.equal(x[i], X.get(i, 1));
    // A strided (row-major) right-hand side gives the same numbers.
    assert.ok(f.solve(B.T.copy().T).equals(X, { rtol: 0, atol: 0 }));
    const W = qr(A.T.copy());
    const first = W.solve(B.rowRange(0, 12));
    assert.ok(W.solve(B.rowRange(0, 12)).equals(first, { rtol: 0, atol: 0 }), 'the RZ step is made once and reused');
    const A32 = A.astype('float32');
    const X32 = qr(A32).solve(B.astype('float32'));
    assert.equal(X32.dtype, 'float32');
    assert.ok(X32.sub(X).norm('max') < 1e-4 * X.norm('max'));
    assert.ok(qr(A32).solve(B.col(0).toFlat()) instanceof Float64Array, 'a float64 right-hand side solves in float64');
    assert.throws(() => f.solve([1, 2, 3]), ShapeError);
    assert.throws(() => f.solve(Matrix.zeros(12, 1)), ShapeError);
    assert.throws(() => f.solve(B.map((v, i, j) => (i === 5 && j === 2 ? NaN : v))), (e: unknown) => e instanceof NonFiniteInputError && /qr\.solve/.test((e as Error).message));
    assert.deepEqual(qr(Matrix.zeros(0, 3)).solve(Matrix.zeros(0, 2)).shape, [3, 2]);
  });
});
