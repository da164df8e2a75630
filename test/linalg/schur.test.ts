/**
 * Real Schur form A = Z T Z^T: LAPACK-style scaled residual and orthogonality on the test
 * gallery and on larger matrices that take the multishift QR path (n >= 75, with
 * aggressive early deflation and block swaps), the form of T (quasi-triangular, standard
 * 2 x 2 blocks), the eigenvalues against numpy's (the eig fixtures) and eigvals, and the
 * building blocks: block swaps (laexc/trexcUp) and the quasi-triangular Sylvester solver.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ConvergenceError, NonFiniteInputError, ShapeError } from '../../src/errors.js';
import { eigvals } from '../../src/linalg/eig.js';
import { laexc, trexcUp } from '../../src/linalg/lapack/laqr.js';
import { trsyl } from '../../src/linalg/lapack/trsyl.js';
import { matmul } from '../../src/linalg/matmul.js';
import { schur, type Schur } from '../../src/linalg/schur.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { BACKEND_NAMES, withBackend } from '../helpers.js';
import { geometric, graded, orthogonality, scaledDiff, standardCases, withSingularValues } from './gallery.js';

const EPS = 2 ** -52;

/** Checks every Schur form must pass; returns the scaled residual. */
function checkSchur(A: Matrix, s: Schur, label: string, tol = 30): void {
  const n = A.rows;
  const { T, Z } = s;
  assert.deepEqual(T.shape, [n, n], label);
  assert.deepEqual(Z.shape, [n, n], label);
  if (n === 0) return;
  const res = scaledDiff(A, matmul(matmul(Z, T), Z, { transB: true }), n);
  assert.ok(res < tol, `${label}: ||A - Z T Z^T|| / (n eps ||A||) = ${res}`);
  const orth = orthogonality(Z);
  assert.ok(orth < tol, `${label}: ||Z^T Z - I|| / (n eps) = ${orth}`);
  // Quasi-triangular with standardized 2 x 2 blocks, eigenvalues read off T.
  for (let j = 0; j < n; j++) for (let i = j + 2; i < n; i++) assert.equal(T.get(i, j), 0, `${label}: T(${i}, ${j}) below the subdiagonal`);
  for (let i = 0; i < n; ) {
    if (i + 1 < n && T.get(i + 1, i) !== 0) {
      assert.ok(i + 2 >= n || T.get(i + 2, i + 1) === 0, `${label}: consecutive subdiagonal entries at ${i}`);
      assert.equal(T.get(i, i), T.get(i + 1, i + 1), `${label}: 2x2 block at ${i} has unequal diagonal`);
      assert.ok(Math.sign(T.get(i + 1, i)) * Math.sign(T.get(i, i + 1)) < 0, `${label}: 2x2 block at ${i} has real eigenvalues`);
      const im = Math.sqrt(Math.abs(T.get(i + 1, i))) * Math.sqrt(Math.abs(T.get(i, i + 1)));
      assert.equal(s.wReal[i], T.get(i, i));
      assert.equal(s.wReal[i + 1], T.get(i, i));
      assert.ok(Math.abs(s.wImag[i]! - im) <= 4 * EPS * im, `${label}: wImag at ${i}`);
      assert.equal(s.wImag[i + 1], -s.wImag[i]!);
      i += 2;
    } else {
      assert.equal(s.wReal[i], T.get(i, i));
      assert.equal(s.wImag[i], 0);
      i += 1;
    }
  }
}

/** Largest distance between two eigenvalue multisets (greedy nearest matching). */
function multisetDistance(ar: ArrayLike<number>, ai: ArrayLike<number>, br: ArrayLike<number>, bi: ArrayLike<number>): number {
  const used = new Array<boolean>(br.length).fill(false);
  let worst = 0;
  for (let i = 0; i < ar.length; i++) {
    let best = Infinity;
    let bj = -1;
    for (let j = 0; j < br.length; j++) {
      if (used[j]) continue;
      const d = Math.hypot(ar[i]! - br[j]!, ai[i]! - bi[j]!);
      if (d < best) {
        best = d;
        bj = j;
      }
    }
    used[bj] = true;
    worst = Math.max(worst, best);
  }
  return worst;
}

/** Larger matrices: every kind goes through the multishift QR (n >= 75). */
function largeCases(): { name: string; A: Matrix }[] {
  const rnd = (n: number, seed: number) => Matrix.random(n, n, { seed, distribution: 'normal' });
  const cases: { name: string; A: Matrix }[] = [];
  cases.push({ name: 'random 80', A: rnd(80, 1) });
  cases.push({ name: 'random 203', A: rnd(203, 2) });
  const S = rnd(150, 3);
  cases.push({ name: 'symmetric 150 (real spectrum)', A: S.add(S.T) });
  cases.push({ name: 'skew 120 (imaginary spectrum)', A: rnd(120, 4).sub(rnd(120, 4).T) });
  cases.push({ name: 'cond 1e12 of 100', A: withSingularValues(100, 100, geometric(100, 1e12), 5) });
  cases.push({ name: 'graded rows 1e-8..1e8 of 90', A: graded(rnd(90, 6), -8, 8) });
  // Companion matrix of (x - 1)(x - 2)...: clustered, ill-conditioned real eigenvalues.
  const m = 90;
  const C = Matrix.zeros(m, m);
  for (let i = 1; i < m; i++) C.set(i, i - 1, 1);
  const c = rnd(m, 7);
  for (let i = 0; i < m; i++) C.set(i, m - 1, c.get(i, 0));
  cases.push({ name: 'companion 90', A: C });
  // Upper Hessenberg with tiny subdiagonal entries (deflation on the way).
  const H = rnd(110, 8);
  for (let j = 0; j < 110; j++) for (let i = j + 2; i < 110; i++) H.set(i, j, 0);
  for (let j = 0; j < 109; j += 7) H.set(j + 1, j, 1e-18);
  cases.push({ name: 'Hessenberg 110 with tiny subdiagonals', A: H });
  // A stable system matrix like the Lyapunov benchmark's.
  cases.push({ name: 'shifted 300 (complex pairs)', A: rnd(300, 9).scale(1 / Math.sqrt(300)).sub(Matrix.identity(300).scale(2)) });
  cases.push({ name: 'zero 90', A: Matrix.zeros(90, 90) });
  cases.push({ name: 'identity 85', A: Matrix.identity(85) });
  return cases;
}

describe('schur: the gallery', () => {
  for (const backend of BACKEND_NAMES) {
    it(`square gallery matrices (${backend})`, () => withBackend(backend, () => {
      for (const { name, A } of standardCases()) {
        if (A.rows !== A.cols) continue;
        checkSchur(A, schur(A), name);
      }
    }));
  }
  it('larger matrices through the multishift QR: residual, orthogonality, form of T, eigenvalues of eigvals', () => {
    for (const { name, A } of largeCases()) {
      const s = schur(A);
      checkSchur(A, s, name);
      const e = eigvals(A);
      const scale = Math.max(A.norm('fro'), Number.MIN_VALUE);
      const d = multisetDistance(s.wReal, s.wImag, e.wReal, e.wImag);
      // Companion matrices have ill-conditioned eigenvalues: looser.
      const tol = name.startsWith('companion') ? 1e-6 : 1e-9;
      assert.ok(d <= tol * scale, `${name}: eigenvalues differ from eigvals by ${d}`);
    }
  });
  it('the multishift path on both backends (gemm dispatch)', () => {
    const A = Matrix.random(160, 160, { seed: 11, distribution: 'normal' });
    for (const backend of BACKEND_NAMES) withBackend(backend, () => checkSchur(A, schur(A), `random 160 (${backend})`));
  });
});

describe('schur: numpy eigenvalues (the eig fixtures)', () => {
  const dir = new URL('../fixtures/eig/', import.meta.url);
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    it(f, () => {
      const fx = JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { n: number; a: number[][]; wr: number[]; wi: number[]; compare: boolean };
      const A = fx.n === 0 ? Matrix.zeros(0, 0) : Matrix.from(fx.a);
      const s = schur(A);
      checkSchur(A, s, f);
      if (fx.compare && fx.n > 0) {
        let scale = 0;
        for (let i = 0; i < fx.n; i++) scale = Math.max(scale, Math.hypot(fx.wr[i]!, fx.wi[i]!));
        const d = multisetDistance(s.wReal, s.wImag, fx.wr, fx.wi);
        // numpy balances before the QR iteration; schur cannot (Z must stay orthogonal), so a
        // badly scaled matrix has eigenvalues only as accurate as eps ||A|| allows.
        const tol = f === 'needs-balancing.json' ? 1e-3 : 1e-10;
        assert.ok(d <= tol * Math.max(scale, 1), `${f}: ${d}`);
      }
    });
  }
});

describe('schur: dtypes, views, scaling, errors', () => {
  it('float32 in, float32 out (computed in float64)', () => {
    const A = Matrix.random(30, 30, { seed: 3, dtype: 'float32' });
    const s = schur(A);
    assert.equal(s.T.dtype, 'float32');
    assert.equal(s.Z.dtype, 'float32');
    assert.ok(s.wReal instanceof Float32Array);
    const res = scaledDiff(A.astype('float64'), matmul(matmul(s.Z, s.T), s.Z, { transB: true }).astype('float64'), 30);
    assert.ok(res < 2 ** 29 * 30, `float32 residual ${res}`);
  });
  it('a transposed view gives the Schur form of the transpose', () => {
    const B = Matrix.random(40, 40, { seed: 4, distribution: 'normal' });
    checkSchur(B.T.copy(), schur(B.T), 'B^T');
  });
  it('tiny and huge matrices are scaled (exactly, by a power of two) and come back', () => {
    const B = Matrix.random(20, 20, { seed: 5, distribution: 'normal' });
    for (const f of [1e-300, 1e300]) {
      const A = B.scale(f);
      const s = schur(A);
      checkSchur(A, s, `scaled ${f}`);
      const ref = schur(B);
      const d = multisetDistance(s.wReal, s.wImag, ref.wReal.map((x) => x * f), ref.wImag.map((x) => x * f));
      assert.ok(d <= 1e-12 * f * B.norm('fro'), `scaled ${f}: ${d}`);
    }
  });
  it('rejects non-square and non-finite input', () => {
    assert.throws(() => schur(Matrix.zeros(3, 4)), ShapeError);
    const A = Matrix.identity(3);
    A.set(1, 2, NaN);
    assert.throws(() => schur(A), (e: unknown) => e instanceof NonFiniteInputError && /schur: .*\(1, 2\)/.test((e as Error).message));
    assert.ok(ConvergenceError); // the QR iteration's failure type (never seen in practice)
  });
});

/** A random n x n quasi-triangular matrix in standard Schur form with the given block sizes. */
function quasiTriangular(sizes: number[], seed: number): Matrix {
  const n = sizes.reduce((a, b) => a + b, 0);
  const R = Matrix.random(n, n, { seed, distribution: 'normal' });
  const T = Matrix.zeros(n, n);
  for (let j = 0; j < n; j++) for (let i = 0; i <= j; i++) T.set(i, j, R.get(i, j));
  let i = 0;
  for (const sz of sizes) {
    if (sz === 2) {
      // [a b; c a] with b c < 0.
      const a = T.get(i, i);
      const b = Math.abs(R.get(i + 1, i)) + 0.5;
      const c = -(Math.abs(R.get(i, i + 1)) + 0.5);
      T.set(i, i, a);
      T.set(i + 1, i + 1, a);
      T.set(i, i + 1, b);
      T.set(i + 1, i, c);
    }
    i += sz;
  }
  return T;
}

describe('block swaps (laexc, trexcUp)', () => {
  const lv = { a: 0, b: 0, c: 0, d: 0, rt1r: 0, rt1i: 0, rt2r: 0, rt2i: 0, cs: 0, sn: 0 };
  for (const [n1, n2] of [[1, 1], [1, 2], [2, 1], [2, 2]] as const) {
    it(`swaps a ${n1}x${n1} block with a ${n2}x${n2} block: Q^T T0 Q = T1, eigenvalues exchanged`, () => {
      const sizes = [1, n1, n2, 2, 1];
      const T0 = quasiTriangular(sizes, 10 * n1 + n2);
      const n = T0.rows;
      const T = T0.copy();
      const Q = Matrix.identity(n);
      const ok = laexc(n, T.data, n, Q.data, n, 1, n1, n2, lv);
      assert.ok(ok);
      assert.ok(scaledDiff(T0, matmul(matmul(Q, T), Q, { transB: true }), n) < 30);
      assert.ok(orthogonality(Q) < 30);
      const before = schurEigs(T0);
      const after = schurEigs(T);
      // Blocks exchanged: the n2 block's eigenvalues now come first at row 1.
      const moved = (e: [number, number][], from: number, len: number) => e.slice(from, from + len).map(([r, i]) => `${r.toFixed(9)},${Math.abs(i).toFixed(9)}`).sort();
      assert.deepEqual(moved(after, 1, n2), moved(before, 1 + n1, n2));
      assert.deepEqual(moved(after, 1 + n2, n1), moved(before, 1, n1));
    });
  }
  it('trexcUp moves a block to the top past mixed blocks', () => {
    const sizes = [2, 1, 2, 1, 1, 2];
    const T0 = quasiTriangular(sizes, 77);
    const n = T0.rows;
    const T = T0.copy();
    const Q = Matrix.identity(n);
    const before = schurEigs(T0);
    assert.ok(trexcUp(n, T.data, n, Q.data, n, 7, 0, lv));
    assert.ok(scaledDiff(T0, matmul(matmul(Q, T), Q, { transB: true }), n) < 50);
    const after = schurEigs(T);
    const key = (e: [number, number]) => `${e[0].toFixed(8)},${Math.abs(e[1]).toFixed(8)}`;
    assert.deepEqual([key(after[0]!), key(after[1]!)].sort(), [key(before[7]!), key(before[8]!)].sort());
  });
});

/** Eigenvalues read off a quasi-triangular T in order. */
function schurEigs(T: Matrix): [number, number][] {
  const n = T.rows;
  const out: [number, number][] = [];
  for (let i = 0; i < n; ) {
    if (i + 1 < n && T.get(i + 1, i) !== 0) {
      const a = T.get(i, i);
      const d = T.get(i + 1, i + 1);
      const tr = (a + d) / 2;
      const disc = ((a - d) / 2) ** 2 + T.get(i, i + 1) * T.get(i + 1, i);
      const im = Math.sqrt(Math.max(-disc, 0));
      out.push([tr, im], [tr, -im]);
      i += 2;
    } else {
      out.push([T.get(i, i), 0]);
      i += 1;
    }
  }
  return out;
}

describe('trsyl: the quasi-triangular Sylvester equation', () => {
  it('op(A) X + s X op(B) = C for all transposes and signs, leaf and recursive sizes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }), fc.boolean(), fc.boolean(), fc.constantFrom(1, -1), fc.integer({ min: 0, max: 1000 }), (m, n, ta, tb, sgn, seed) => {
        const A = schur(Matrix.random(m, m, { seed, distribution: 'normal' })).T;
        // Shift B so that A and -s B have no common eigenvalue.
        const B = schur(Matrix.random(n, n, { seed: seed + 1, distribution: 'normal' }).add(Matrix.identity(n).scale(sgn * 8))).T;
        const C = Matrix.random(m, n, { seed: seed + 2, distribution: 'normal' });
        const X = C.copy();
        const info = trsyl(ta, tb, sgn as 1 | -1, m, n, A.data, 0, m, B.data, 0, n, X.data, 0, m);
        assert.equal(info, 0);
        const opA = ta ? A.T : A;
        const opB = tb ? B.T : B;
        const R = matmul(opA, X).add(matmul(X, opB).scale(sgn)).sub(C);
        const scale = (A.norm('fro') + B.norm('fro')) * X.norm('fro') * EPS;
        assert.ok(R.norm('fro') <= 50 * Math.max(m, n) * scale, `residual ${R.norm('fro') / scale}`);
      }),
      { numRuns: 40, seed: 19 },
    );
  });
  it('a singular equation (A and -B share an eigenvalue) is solved for a nearby one and reported', () => {
    const A = Matrix.from([[1, 2], [0, 3]]);
    const B = Matrix.from([[-3, 1], [0, 5]]);
    const X = Matrix.from([[1, 1], [1, 1]]);
    assert.equal(trsyl(false, false, 1, 2, 2, A.data, 0, 2, B.data, 0, 2, X.data, 0, 2), 1);
  });
});
