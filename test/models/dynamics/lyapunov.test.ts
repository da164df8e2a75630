/**
 * Sylvester and Lyapunov equations, Hammarling's Cholesky factor and the Gramians: scaled
 * residuals, agreement with scipy (solve_sylvester, solve_continuous_lyapunov) and
 * python-control (gram) fixtures from scripts/gen-control-fixtures.py, random shapes
 * (fast-check), and the errors.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvalidArgumentError, NonFiniteInputError, ShapeError, SingularMatrixError } from '../../../src/errors.js';
import { matmul } from '../../../src/linalg/matmul.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { gramians, lyapunov, lyapunovCholesky, sylvester } from '../../../src/models/dynamics/lyapunov.js';
import { randomOrthonormal } from '../../linalg/gallery.js';

const EPS = 2 ** -52;
const DIR = new URL('../../fixtures/control/', import.meta.url);

function load<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, DIR), 'utf8')) as T;
}

function fixtures(prefix: string): string[] {
  return readdirSync(DIR).filter((f) => f.startsWith(prefix) && f.endsWith('.json')).sort();
}

/** ||A X + X B - C||_F / ((||A||_F + ||B||_F) ||X||_F eps). */
function sylvesterResidual(A: Matrix, B: Matrix, C: Matrix, X: Matrix): number {
  const R = matmul(A, X).add(matmul(X, B)).sub(C);
  return R.norm('fro') / ((A.norm('fro') + B.norm('fro')) * Math.max(X.norm('fro'), Number.MIN_VALUE) * EPS);
}

/** A random stable matrix (eigenvalues with real part about -shift +- 1, complex pairs included). */
function stable(n: number, seed: number, shift = 1.5): Matrix {
  return Matrix.random(n, n, { seed, distribution: 'normal' }).scale(1 / Math.sqrt(Math.max(n, 1))).sub(Matrix.identity(n).scale(shift));
}

function isLowerTriangular(L: Matrix): boolean {
  for (let j = 0; j < L.cols; j++) for (let i = 0; i < j; i++) if (L.get(i, j) !== 0) return false;
  for (let i = 0; i < L.rows; i++) if (!(L.get(i, i) >= 0)) return false;
  return true;
}

describe('sylvester: A X + X B = C', () => {
  for (const f of fixtures('sylvester-')) {
    it(`scipy.linalg.solve_sylvester (${f})`, () => {
      const fx = load<{ A: number[][]; B: number[][]; C: number[][]; X: number[][] }>(f);
      const A = Matrix.from(fx.A);
      const B = Matrix.from(fx.B);
      const C = Matrix.from(fx.C);
      const X = sylvester(A, B, C);
      const ref = Matrix.from(fx.X);
      assert.ok(sylvesterResidual(A, B, C, X) < 20 * Math.max(A.rows, B.rows), `residual ${sylvesterResidual(A, B, C, X)}`);
      assert.ok(X.sub(ref).norm('fro') <= 1e-10 * ref.norm('fro'), `differs from scipy by ${X.sub(ref).norm('fro') / ref.norm('fro')}`);
    });
  }
  it('random shapes (property): scaled residual, both orders of magnitude of m and n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 1, max: 90 }), fc.integer({ min: 0, max: 1e6 }), (m, n, seed) => {
        const A = Matrix.random(m, m, { seed, distribution: 'normal' }).add(Matrix.identity(m).scale(Math.sqrt(m) + 2));
        const B = Matrix.random(n, n, { seed: seed + 1, distribution: 'normal' }).add(Matrix.identity(n).scale(Math.sqrt(n) + 2));
        const C = Matrix.random(m, n, { seed: seed + 2, distribution: 'normal' });
        const X = sylvester(A, B, C);
        const r = sylvesterResidual(A, B, C, X);
        assert.ok(r < 20 * Math.max(m, n), `m ${m} n ${n}: residual ${r}`);
      }),
      { numRuns: 25, seed: 7 },
    );
  });
  it('empty and 1 x 1 problems, float32 in and out', () => {
    assert.deepEqual(sylvester(Matrix.zeros(0, 0), Matrix.identity(3), Matrix.zeros(0, 3)).shape, [0, 3]);
    assert.equal(sylvester(Matrix.from([[2]]), Matrix.from([[3]]), Matrix.from([[10]])).get(0, 0), 2);
    const X = sylvester(Matrix.identity(2, 2, { dtype: 'float32' }), Matrix.identity(2, 2, { dtype: 'float32' }), Matrix.full(2, 2, 4, { dtype: 'float32' }));
    assert.equal(X.dtype, 'float32');
    assert.ok(X.sub(Matrix.full(2, 2, 2, { dtype: 'float32' })).norm('max') < 1e-6);
  });
  it('errors: shapes, NaN, and a singular equation', () => {
    assert.throws(() => sylvester(Matrix.zeros(2, 3), Matrix.identity(2), Matrix.zeros(2, 2)), ShapeError);
    assert.throws(() => sylvester(Matrix.identity(2), Matrix.identity(3), Matrix.zeros(3, 2)), /C must be 2x3/);
    assert.throws(() => sylvester(Matrix.identity(2), Matrix.identity(2), Matrix.from([[1, NaN], [0, 0]])), NonFiniteInputError);
    // A and -B share the eigenvalue 1.
    assert.throws(() => sylvester(Matrix.diag([1, 2]), Matrix.diag([-1, 5]), Matrix.full(2, 2, 1)), SingularMatrixError);
  });
});

describe('lyapunov: A X + X A^T = Q (scipy convention)', () => {
  for (const f of fixtures('lyapunov-')) {
    it(`scipy.linalg.solve_continuous_lyapunov (${f})`, () => {
      const fx = load<{ A: number[][]; Q: number[][]; X: number[][] }>(f);
      const A = Matrix.from(fx.A);
      const Q = Matrix.from(fx.Q);
      const X = lyapunov(A, Q);
      const ref = Matrix.from(fx.X);
      const r = sylvesterResidual(A, A.T, Q, X);
      assert.ok(r < 20 * A.rows, `residual ${r}`);
      assert.ok(X.sub(ref).norm('fro') <= 1e-10 * ref.norm('fro'), `differs from scipy by ${X.sub(ref).norm('fro') / ref.norm('fro')}`);
    });
  }
  it('a symmetric Q gives an exactly symmetric X; random sizes through the blocked solver', () => {
    for (const n of [1, 2, 3, 25, 80, 131]) {
      const A = stable(n, n);
      const G = Matrix.random(n, n, { seed: n + 1, distribution: 'normal' });
      const Q = G.add(G.T);
      const X = lyapunov(A, Q);
      for (let j = 0; j < n; j++) for (let i = 0; i < j; i++) assert.equal(X.get(i, j), X.get(j, i));
      const r = sylvesterResidual(A, A.T, Q, X);
      assert.ok(r < 20 * n, `n ${n}: residual ${r}`);
    }
  });
  it('errors: shapes, NaN, and eigenvalues summing to zero', () => {
    assert.throws(() => lyapunov(Matrix.identity(3), Matrix.identity(2)), /Q must be 3x3/);
    assert.throws(() => lyapunov(Matrix.zeros(2, 3), Matrix.identity(2)), ShapeError);
    assert.throws(() => lyapunov(Matrix.from([[Infinity]]), Matrix.identity(1)), NonFiniteInputError);
    assert.throws(() => lyapunov(Matrix.diag([1, -1]), Matrix.identity(2)), (e: unknown) => e instanceof SingularMatrixError && /two eigenvalues of A sum to/.test((e as Error).message));
  });
});

describe("lyapunovCholesky: Hammarling's method", () => {
  it('L is lower triangular with a non-negative diagonal and L L^T solves A X + X A^T + B B^T = 0', () => {
    for (const [n, m] of [[1, 1], [2, 1], [5, 2], [30, 1], [40, 3], [12, 20], [90, 4]] as const) {
      const A = stable(n, 100 + n);
      const B = Matrix.random(n, m, { seed: 200 + n, distribution: 'normal' });
      const L = lyapunovCholesky(A, B);
      assert.ok(isLowerTriangular(L), `n ${n} m ${m}: not lower triangular with a non-negative diagonal`);
      const X = matmul(L, L, { transB: true });
      const BB = matmul(B, B, { transB: true });
      const r = sylvesterResidual(A, A.T, BB.neg(), X);
      assert.ok(r < 20 * n, `n ${n} m ${m}: residual ${r}`);
      const ref = lyapunov(A, BB.neg());
      assert.ok(X.sub(ref).norm('fro') <= 1e-11 * ref.norm('fro'), `n ${n} m ${m}: differs from Bartels-Stewart`);
    }
  });
  it('complex eigenvalues in 2 x 2 blocks (a lightly damped oscillator chain), and B = 0', () => {
    // Blocks [-d w; -w -d]: eigenvalues -d +- i w.
    const n = 12;
    const A = Matrix.zeros(n, n);
    for (let k = 0; k < n; k += 2) {
      const w = 1 + k;
      A.set(k, k, -0.01);
      A.set(k + 1, k + 1, -0.01);
      A.set(k, k + 1, w);
      A.set(k + 1, k, -w);
    }
    const Q = randomOrthonormal(n, n, 3);
    const Ar = matmul(matmul(Q, A), Q, { transB: true });
    const B = Matrix.random(n, 1, { seed: 4, distribution: 'normal' });
    for (const M of [A, Ar]) {
      const L = lyapunovCholesky(M, B);
      const X = matmul(L, L, { transB: true });
      const ref = lyapunov(M, matmul(B, B, { transB: true }).neg());
      assert.ok(X.sub(ref).norm('fro') <= 1e-10 * ref.norm('fro'), `differs from Bartels-Stewart by ${X.sub(ref).norm('fro') / ref.norm('fro')}`);
    }
    assert.equal(lyapunovCholesky(A, Matrix.zeros(n, 2)).norm('fro'), 0);
    assert.equal(lyapunovCholesky(A, Matrix.zeros(n, 0)).norm('fro'), 0);
  });
  it('keeps the tiny eigenvalues of a Gramian that the Cholesky factor of the computed X would lose', () => {
    // Diagonal A with one input: the Gramian is a Cauchy-like matrix with eigenvalues decaying
    // to far below eps * its norm. Hammarling's factor stays positive semidefinite and exact
    // in its diagonal: X_ii = b_i^2 / (2 |a_i|).
    const n = 30;
    const a = Array.from({ length: n }, (_, i) => -(1 + i));
    const A = Matrix.diag(a);
    const B = Matrix.full(n, 1, 1);
    const L = lyapunovCholesky(A, B);
    const X = matmul(L, L, { transB: true });
    for (let i = 0; i < n; i++) assert.ok(Math.abs(X.get(i, i) - 1 / (2 * (1 + i))) <= 1e-14, `X(${i}, ${i})`);
    // L is a triangular factor of a rank-deficient-to-working-precision matrix: still finite.
    assert.ok(L.isFinite());
  });
  it('an unstable A is an error naming the eigenvalue', () => {
    assert.throws(() => lyapunovCholesky(Matrix.diag([-1, 0.5]), Matrix.full(2, 1, 1)), (e: unknown) => e instanceof InvalidArgumentError && /A is not stable: its eigenvalue 0\.5 has real part >= 0/.test((e as Error).message));
    assert.throws(() => lyapunovCholesky(Matrix.from([[0, 1], [-1, 0]]), Matrix.full(2, 1, 1)), /eigenvalue 0\+1i has real part >= 0/);
    assert.throws(() => lyapunovCholesky(Matrix.identity(2), Matrix.full(3, 1, 1)), ShapeError);
  });
});

describe('gramians', () => {
  for (const f of fixtures('balred-')) {
    it(`python-control gram(sys, 'c') and gram(sys, 'o') (${f})`, () => {
      const fx = load<{ A: number[][]; B: number[][]; C: number[][]; Wc: number[][]; Wo: number[][] }>(f);
      const A = Matrix.from(fx.A);
      const g = gramians(A, Matrix.from(fx.B), Matrix.from(fx.C));
      const Wc = Matrix.from(fx.Wc);
      const Wo = Matrix.from(fx.Wo);
      assert.ok(g.Wc.sub(Wc).norm('fro') <= 1e-10 * Wc.norm('fro'), `Wc differs by ${g.Wc.sub(Wc).norm('fro') / Wc.norm('fro')}`);
      assert.ok(g.Wo.sub(Wo).norm('fro') <= 1e-10 * Wo.norm('fro'), `Wo differs by ${g.Wo.sub(Wo).norm('fro') / Wo.norm('fro')}`);
      assert.ok(isLowerTriangular(g.Lc) && isLowerTriangular(g.Lo));
      assert.ok(matmul(g.Lc, g.Lc, { transB: true }).sub(g.Wc).norm('fro') <= 1e-13 * g.Wc.norm('fro'));
      assert.ok(matmul(g.Lo, g.Lo, { transB: true }).sub(g.Wo).norm('fro') <= 1e-13 * g.Wo.norm('fro'));
      for (let j = 0; j < A.rows; j++) for (let i = 0; i < j; i++) assert.equal(g.Wc.get(i, j), g.Wc.get(j, i));
    });
  }
  it('errors: shapes and an unstable A', () => {
    assert.throws(() => gramians(Matrix.identity(2).neg(), Matrix.zeros(3, 1), Matrix.zeros(1, 2)), /B must have 2 rows/);
    assert.throws(() => gramians(Matrix.identity(2).neg(), Matrix.zeros(2, 1), Matrix.zeros(1, 3)), /C must have 2 columns/);
    assert.throws(() => gramians(Matrix.identity(2), Matrix.zeros(2, 1), Matrix.zeros(1, 2)), /gramians: A is not stable: its eigenvalue 1 has real part/);
    const g = gramians(Matrix.zeros(0, 0), Matrix.zeros(0, 1), Matrix.zeros(1, 0));
    assert.deepEqual(g.Wc.shape, [0, 0]);
  });
});
