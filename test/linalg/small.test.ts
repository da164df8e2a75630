// The one-call small-matrix paths of qr, svd and eigh (src/linalg/small.ts over assembly/small.ts):
// the same properties as the general paths, agreement with the TypeScript backend's blocked
// drivers on random shapes up to the crossover, the hard cases (graded, huge, tiny, rank
// deficient, cond 1e14), and that the kernels decline arrays outside WASM memory.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NonFiniteInputError } from '../../src/errors.js';
import { activeWasm } from '../../src/kernels/index.js';
import { geqrSmall, gesvdSmall, gesvdSmallWork } from '../../src/kernels/small-decomp.js';
import { matmul } from '../../src/linalg/matmul.js';
import { qr } from '../../src/linalg/qr.js';
import { EIGH_SMALL_MAX, LU_SMALL_MAX, QR_SMALL_MAX, SVD_SMALL_MAX } from '../../src/linalg/small.js';
import { det, lu } from '../../src/linalg/lu.js';
import { eigh } from '../../src/linalg/eigh.js';
import { svd, svdvals } from '../../src/linalg/svd.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { BACKEND_NAMES, rng, withBackend } from '../helpers.js';
import { geometric, graded, orthogonality, scaledDiff, withSingularValues } from './gallery.js';

const WASM = BACKEND_NAMES.filter((b) => b !== 'js');
const EPS = 2 ** -52;

function randomShapes(count: number, max: number, seed: number): [number, number][] {
  const r = rng(seed);
  const out: [number, number][] = [[1, 1], [max, max], [max, 1], [1, max], [2, max], [max, 3]];
  while (out.length < count) out.push([1 + r.nextInt(max), 1 + r.nextInt(max)]);
  return out;
}

function hardCases(): { name: string; A: Matrix }[] {
  const rnd = (m: number, n: number, seed: number): Matrix => Matrix.random(m, n, { seed, distribution: 'normal' });
  return [
    { name: 'cond 1e14 24x16', A: withSingularValues(24, 16, geometric(16, 1e14), 1) },
    { name: 'rank 3 of 30x20', A: withSingularValues(30, 20, [3, 2, 1], 2) },
    { name: 'graded rows 1e-150..1e150', A: graded(rnd(20, 20, 3), -150, 150) },
    { name: 'entries 1e-300', A: rnd(12, 9, 4).scale(1e-300) },
    { name: 'entries 1e300', A: rnd(9, 12, 5).scale(1e300) },
    { name: 'zero 6x4', A: Matrix.zeros(6, 4) },
    { name: 'ones 5x5 (rank 1)', A: Matrix.from(Array.from({ length: 5 }, () => [1, 1, 1, 1, 1])) },
    { name: 'identity 17', A: Matrix.identity(17) },
  ];
}

function checkQr(name: string, A: Matrix, complete: boolean): void {
  const { Q, R } = qr(A, { mode: complete ? 'complete' : 'reduced' });
  const m = A.rows, n = A.cols, k = Math.min(m, n);
  assert.deepEqual(Q.shape, [m, complete ? m : k], `${name}: Q shape`);
  assert.deepEqual(R.shape, [complete ? m : k, n], `${name}: R shape`);
  for (let j = 0; j < n; j++) for (let i = j + 1; i < R.rows; i++) assert.equal(R.get(i, j), 0, `${name}: R(${i}, ${j}) below the diagonal`);
  const res = scaledDiff(A, matmul(Q, R), Math.max(m, n));
  assert.ok(res < 30, `${name}: ||A - QR|| / (max(m, n) eps ||A||) = ${res}`);
  assert.ok(orthogonality(Q) < 30, `${name}: Q orthogonality ${orthogonality(Q)}`);
}

function checkSvd(name: string, A: Matrix): void {
  const r = svd(A);
  const m = A.rows, n = A.cols, k = Math.min(m, n);
  assert.deepEqual(r.U.shape, [m, k]);
  assert.deepEqual(r.Vt.shape, [k, n]);
  for (let i = 0; i < k; i++) {
    assert.ok(r.s[i]! >= 0, `${name}: s[${i}] negative`);
    if (i > 0) assert.ok(r.s[i]! <= r.s[i - 1]!, `${name}: s not descending at ${i}`);
  }
  const res = scaledDiff(A, r.reconstruct(), Math.max(m, n));
  assert.ok(res < 30, `${name}: residual ${res}`);
  assert.ok(orthogonality(r.U) < 30, `${name}: U orthogonality ${orthogonality(r.U)}`);
  assert.ok(orthogonality(r.Vt.T) < 30, `${name}: Vt orthogonality ${orthogonality(r.Vt.T)}`);
}

/** Checks A V = V diag(w), V^T V = I and ascending w, scaled as in LAPACK's tests. */
function checkEigh(name: string, S: Matrix, upper = false): void {
  const n = S.rows;
  const { w, V } = eigh(S, { upper });
  assert.equal(w.length, n);
  for (let i = 1; i < n; i++) assert.ok(w[i]! >= w[i - 1]!, `${name}: w not ascending at ${i}`);
  const VW = V.copy();
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) VW.set(i, j, V.get(i, j) * w[j]!);
  const res = scaledDiff(matmul(S, V), VW, n);
  assert.ok(res < 30, `${name}: ||A V - V W|| / (n eps ||A||) = ${res}`);
  assert.ok(orthogonality(V) < 30, `${name}: V orthogonality ${orthogonality(V)}`);
}

function symmetric(n: number, seed: number): Matrix {
  const B = Matrix.random(n, n, { seed, distribution: 'normal' });
  return B.add(B.T).scale(0.5);
}

describe('small-matrix paths', () => {
  it('cover up to 128 (the crossovers measured in bench/small.ts)', () => {
    assert.equal(QR_SMALL_MAX, 128);
    assert.equal(SVD_SMALL_MAX, 128);
    assert.equal(EIGH_SMALL_MAX, 64);
    assert.equal(LU_SMALL_MAX, 96);
  });

  for (const backend of WASM) {
    it(`qr: A = QR, orthonormal Q, upper R, reduced and complete, random shapes up to 128 and hard cases (${backend})`, () => withBackend(backend, () => {
      for (const [m, n] of randomShapes(24, QR_SMALL_MAX, 11)) {
        const A = Matrix.random(m, n, { seed: m * 1000 + n, distribution: 'normal' });
        checkQr(`random ${m}x${n}`, A, false);
        if (m <= 40) checkQr(`random ${m}x${n} complete`, A, true);
      }
      for (const { name, A } of hardCases()) checkQr(name, A, false);
    }));

    it(`qr: R agrees with the TypeScript backend's blocked dgeqrf (same reflector convention) (${backend})`, () => {
      for (const [m, n] of [[8, 8], [33, 20], [20, 33], [100, 100]] as const) {
        const A = Matrix.random(m, n, { seed: m + n, distribution: 'normal' });
        const small = withBackend(backend, () => qr(A).R);
        const blocked = withBackend('js', () => qr(A).R);
        const d = scaledDiff(small, blocked, Math.max(m, n));
        assert.ok(d < 30, `${m}x${n}: R differs by ${d} (max(m, n) eps ||R||)`);
      }
    });

    it(`svd: A = U S Vt, orthonormal factors, random shapes up to 128 and hard cases (${backend})`, () => withBackend(backend, () => {
      for (const [m, n] of randomShapes(16, SVD_SMALL_MAX, 12)) checkSvd(`random ${m}x${n}`, Matrix.random(m, n, { seed: m * 977 + n, distribution: 'normal' }));
      for (const { name, A } of hardCases()) checkSvd(name, A);
    }));

    it(`svd: singular values agree with svdvals (gebrd + bdsqr without vectors), relative to each value for cond 1e14 (${backend})`, () => withBackend(backend, () => {
      const s = geometric(20, 1e14);
      const A = withSingularValues(30, 20, s, 13);
      const got = svd(A).s;
      const ref = svdvals(A);
      for (let i = 0; i < 20; i++) {
        // withSingularValues forms A in floating point: its exact singular values differ from
        // s by about eps ||A||, so compare the two routines with each other.
        assert.ok(Math.abs(got[i]! - ref[i]!) <= 50 * EPS * ref[0]!, `s[${i}] = ${got[i]} vs ${ref[i]}`);
      }
      const B = Matrix.random(64, 64, { seed: 14, distribution: 'normal' });
      const g2 = svd(B).s;
      const r2 = withBackend('js', () => svd(B).s);
      for (let i = 0; i < 64; i++) assert.ok(Math.abs(g2[i]! - r2[i]!) <= 100 * EPS * r2[0]!, `64x64: s[${i}] = ${g2[i]} vs ${r2[i]} (TypeScript divide and conquer)`);
    }));

    it(`eigh: A V = V diag(w), orthonormal V, ascending w, orders 1..64, upper and lower, hard cases (${backend})`, () => withBackend(backend, () => {
      for (const n of [1, 2, 3, 5, 8, 13, 16, 25, 26, 32, 47, 64]) checkEigh(`random ${n}`, symmetric(n, n));
      const S = symmetric(20, 21);
      // Only the chosen triangle is read: garbage (even NaN) in the other one is ignored.
      const lowerOnly = S.copy();
      const upperOnly = S.copy();
      for (let j = 0; j < 20; j++) for (let i = 0; i < j; i++) { lowerOnly.set(i, j, NaN); upperOnly.set(j, i, NaN); }
      const ref = eigh(S).w;
      for (const [name, A, upper] of [['lower only', lowerOnly, false], ['upper only', upperOnly, true], ['row-major view', S.T, false], ['row-major view upper', S.T, true]] as const) {
        const w = eigh(A, { upper }).w;
        for (let i = 0; i < 20; i++) assert.ok(Math.abs(w[i]! - ref[i]!) <= 1e-13 * Math.abs(ref[19]!), `${name}: w[${i}] = ${w[i]} vs ${ref[i]}`);
      }
      checkEigh('upper', S, true);
      const G = graded(symmetric(16, 22), -100, 100);
      checkEigh('graded 1e-100..1e100 (symmetrized)', G.add(G.T).scale(0.5));
      checkEigh('entries 1e-300', symmetric(12, 23).scale(1e-300));
      checkEigh('entries 1e300', symmetric(12, 24).scale(1e300));
      checkEigh('zero', Matrix.zeros(9, 9));
      checkEigh('identity', Matrix.identity(10));
      // Clustered eigenvalues: Q diag(1 + i 1e-12) Q^T.
      const Q = qr(Matrix.random(30, 30, { seed: 25, distribution: 'normal' })).Q;
      const QD = Q.copy();
      for (let j = 0; j < 30; j++) for (let i = 0; i < 30; i++) QD.set(i, j, Q.get(i, j) * (1 + j * 1e-12));
      checkEigh('clustered', matmul(QD, Q, { transB: true }));
    }));

    it(`eigh: eigenvalues agree with the TypeScript backend's divide and conquer (${backend})`, () => {
      for (const n of [7, 33, 64]) {
        const S = symmetric(n, 100 + n);
        const got = withBackend(backend, () => eigh(S).w);
        const ref = withBackend('js', () => eigh(S).w);
        const scale = Math.max(Math.abs(ref[0]!), Math.abs(ref[n - 1]!));
        for (let i = 0; i < n; i++) assert.ok(Math.abs(got[i]! - ref[i]!) <= 20 * n * EPS * scale, `n = ${n}: w[${i}] = ${got[i]} vs ${ref[i]}`);
      }
    });

    it(`lu: P A = L U with |L| <= 1, pivots and zero pivots as the recursive panel gives them, shapes up to 96 (${backend})`, () => {
      for (const [m, n] of [...randomShapes(20, LU_SMALL_MAX, 31), [32, 32], [5, 9], [9, 5], [7, 90], [90, 7], [4, 4], [5, 5]] as [number, number][]) {
        const A = Matrix.random(m, n, { seed: m * 37 + n, distribution: 'normal' });
        const f = withBackend(backend, () => lu(A));
        const g = withBackend('js', () => lu(A));
        assert.deepEqual([...f.perm], [...g.perm], `${m}x${n}: the same pivots as the TypeScript getrf`);
        const PA = Matrix.zeros(m, n);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) PA.set(i, j, A.get(f.perm[i]!, j));
        const res = scaledDiff(PA, matmul(f.L, f.U), Math.max(m, n));
        assert.ok(res < 30, `${m}x${n}: ||P A - L U|| / (n eps ||A||) = ${res}`);
        for (const x of f.L.data) assert.ok(Math.abs(x) <= 1, `${m}x${n}: |L| > 1`);
        assert.ok(scaledDiff(f.U, g.U, Math.max(m, n)) < 30, `${m}x${n}: U differs from the TypeScript getrf's`);
      }
      withBackend(backend, () => {
        // A zero column: the first zero pivot is reported, and the factorization completed.
        const Z = Matrix.from([[1, 0, 2], [3, 0, 4], [5, 0, 7]]);
        const f = lu(Z);
        assert.equal(f.zeroPivot, 1);
        assert.equal(det(Z), 0);
        const x = lu(Matrix.from([[0, 2], [3, 4]])).solve([2, 7]);
        assert.deepEqual([...x], [1, 1]);
        assert.ok(Math.abs(det(Matrix.from([[2, 0, 0], [0, 3, 0], [0, 0, 4]])) - 24) < 1e-12);
        // Pivots below the safe minimum (subnormal entries): divided, not scaled by 1 / p.
        const B = Matrix.random(12, 12, { seed: 32, distribution: 'normal' }).scale(1e-310);
        const fb = lu(B);
        const PB = Matrix.zeros(12, 12);
        for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) PB.set(i, j, B.get(fb.perm[i]!, j));
        for (const v of fb.L.data) assert.ok(Number.isFinite(v) && Math.abs(v) <= 1, 'subnormal: L finite and <= 1');
        const LU = matmul(fb.L, fb.U);
        let err = 0;
        let big = 0;
        for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) { err = Math.max(err, Math.abs(LU.get(i, j) - PB.get(i, j))); big = Math.max(big, Math.abs(PB.get(i, j))); }
        assert.ok(err <= 1e-6 * big, `subnormal: ||P B - L U|| = ${err} vs ||B|| = ${big} (subnormals keep few digits)`);
      });
    });

    it(`float32 input: computed in float64, returned as float32 (${backend})`, () => withBackend(backend, () => {
      const A = Matrix.random(20, 12, { seed: 15, distribution: 'normal', dtype: 'float32' });
      const f = qr(A);
      assert.equal(f.Q.dtype, 'float32');
      assert.equal(f.R.dtype, 'float32');
      assert.ok(scaledDiff(A.copy({ dtype: 'float64' }), matmul(f.Q.copy({ dtype: 'float64' }), f.R.copy({ dtype: 'float64' })), 2 ** 29) < 30);
      const x = f.solve(Matrix.random(20, 2, { seed: 16, dtype: 'float32' }));
      assert.equal(x.dtype, 'float32');
      const r = svd(A);
      assert.equal(r.U.dtype, 'float32');
      assert.ok(r.s instanceof Float32Array);
      const S = symmetric(10, 18).copy({ dtype: 'float32' });
      const e = eigh(S);
      assert.ok(e.w instanceof Float32Array);
      assert.equal(e.V.dtype, 'float32');
    }));

    it(`NaN or Inf input is a NonFiniteInputError naming the entry (${backend})`, () => withBackend(backend, () => {
      const A = Matrix.random(5, 4, { seed: 17 });
      A.set(3, 2, NaN);
      assert.throws(() => qr(A), (e) => e instanceof NonFiniteInputError && /qr: .*NaN at \(3, 2\)/.test(e.message));
      A.set(3, 2, Infinity);
      assert.throws(() => svd(A), (e) => e instanceof NonFiniteInputError && /svd: .*Infinity at \(3, 2\)/.test(e.message));
      const S = symmetric(6, 19);
      S.set(4, 1, NaN);
      assert.throws(() => eigh(S), (e) => e instanceof NonFiniteInputError && /eigh: .*NaN at \(4, 1\)/.test(e.message));
    }));

    it(`the kernels decline arrays outside WASM memory and run on heap arrays (${backend})`, () => withBackend(backend, () => {
      assert.ok(activeWasm());
      const plain = new Float64Array(16);
      assert.equal(geqrSmall(4, 4, plain, 4, new Float64Array(4), new Float64Array(16), 4, 4, new Float64Array(4)), false);
      assert.equal(gesvdSmall(4, 4, plain, 4, new Float64Array(4), new Float64Array(16), 4, new Float64Array(16), 4, new Float64Array(gesvdSmallWork(4, 4))), undefined);
      const w = activeWasm()!;
      const arrays = [16, 4, 16, 16, gesvdSmallWork(4, 4)].map((n) => w.alloc('float64', n) as Float64Array);
      try {
        const [a, s, u, v, work] = arrays as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
        a.set([4, 0, 0, 0, 0, 3, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1]);
        assert.equal(gesvdSmall(4, 4, a, 4, s, u, 4, v, 4, work), 0);
        assert.deepEqual([...s], [4, 3, 2, 1]);
      } finally {
        for (const x of arrays) w.release(x);
      }
    }));
  }
});
