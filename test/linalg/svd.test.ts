import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InvalidArgumentError, NonFiniteInputError } from '../../src/errors.js';
import { bdsqr } from '../../src/linalg/lapack/bdsqr.js';
import { applyPT, applyQ, gebrd } from '../../src/linalg/lapack/gebrd.js';
import { withWorkspace } from '../../src/kernels/workspace.js';
import { matmul } from '../../src/linalg/matmul.js';
import { Svd, svd, svdvals } from '../../src/linalg/svd.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { BACKEND_NAMES, rng, withBackend } from '../helpers.js';
import { geometric, graded, orthogonality, scaledDiff, standardCases, withSingularValues } from './gallery.js';

const EPS = 2 ** -52;

/** Orthogonality of the rows of Vt (||Vt Vt^T - I|| / (k eps)). */
function rowOrthogonality(Vt: Matrix): number {
  return orthogonality(Vt.T);
}

/** Checks every property of a (thin or full) SVD of A; returns a description on failure. */
function checkSvd(name: string, A: Matrix, r: Svd, full: boolean): void {
  const m = A.rows, n = A.cols, k = Math.min(m, n);
  assert.deepEqual(r.U.shape, [m, full ? m : k], `${name}: U shape`);
  assert.deepEqual(r.Vt.shape, [full ? n : k, n], `${name}: Vt shape`);
  assert.equal(r.s.length, k, `${name}: s length`);
  for (let i = 0; i < k; i++) {
    assert.ok(r.s[i]! >= 0, `${name}: s[${i}] = ${r.s[i]} negative`);
    if (i > 0) assert.ok(r.s[i]! <= r.s[i - 1]!, `${name}: s not descending at ${i}`);
  }
  const res = scaledDiff(A, r.truncate(k).reconstruct(), Math.max(m, n));
  assert.ok(res < 30, `${name}${full ? ' full' : ''}: residual ${res}`);
  const ou = orthogonality(r.U);
  const ov = rowOrthogonality(r.Vt);
  assert.ok(ou < 30, `${name}${full ? ' full' : ''}: U orthogonality ${ou}`);
  assert.ok(ov < 30, `${name}${full ? ' full' : ''}: Vt orthogonality ${ov}`);
}

function extraCases(): { name: string; A: Matrix }[] {
  const rnd = (m: number, n: number, seed: number): Matrix => Matrix.random(m, n, { seed, distribution: 'normal' });
  return [
    { name: 'random 300x40 (QR first)', A: rnd(300, 40, 1) },
    { name: 'random 40x300 (QR first, transposed)', A: rnd(40, 300, 2) },
    { name: 'random 150x100 (blocked gebrd)', A: rnd(150, 100, 3) },
    { name: 'graded wide 12x40', A: graded(rnd(40, 12, 4), -150, 150).T },
    { name: 'tiny entries 1e-300', A: rnd(30, 20, 5).scale(1e-300) },
    { name: 'huge entries 1e300', A: rnd(20, 30, 6).scale(1e300) },
    { name: 'cond 1e14 wide', A: withSingularValues(35, 70, geometric(35, 1e14), 7) },
  ];
}

describe('svd', () => {
  for (const backend of BACKEND_NAMES) {
    it(`A = U S Vt with orthonormal factors on the standard cases (${backend})`, () => withBackend(backend, () => {
      for (const { name, A } of [...standardCases(), ...extraCases()]) checkSvd(name, A, svd(A), false);
    }));
  }

  it('does not depend on what scratch memory held before (square and tall, thin and full)', () => {
    // svd takes its U and VT scratch unzeroed where divide and conquer overwrites them:
    // fill the heap's free memory with NaN first and check the factorization still holds.
    for (const [m, n] of [[90, 90], [97, 60], [40, 40]] as const) {
      for (const full of [false, true]) {
        withWorkspace((ws) => ws.alloc('float64', 4 * m * m + 64 * m, false).fill(NaN));
        const A = Matrix.random(m, n, { seed: m + n, distribution: 'normal' });
        const r = svd(A, { full });
        const k = Math.min(m, n);
        const US = matmul(r.U.slice(0, m, 0, k), Matrix.diag(r.s));
        const err = scaledDiff(matmul(US, r.Vt.slice(0, k, 0, n)), A, Math.max(m, n));
        assert.ok(Number.isFinite(err) && err < 30, `${m} x ${n} full=${full}: residual ${err}`);
      }
    }
  });

  it('full: square orthogonal U and Vt', () => {
    for (const { name, A } of [...standardCases(), ...extraCases()]) {
      if (A.rows > 200 || A.cols > 200) continue;
      checkSvd(name, A, svd(A, { full: true }), true);
    }
    const r = svd(Matrix.random(300, 40, { seed: 8 }), { full: true });
    assert.deepEqual(r.U.shape, [300, 300]);
    assert.ok(orthogonality(r.U) < 30);
  });

  it('singular values equal numpy (dgesdd) within 1e-12 s_max on the fixtures', () => {
    const dir = join('test', 'fixtures', 'svd');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 10);
    for (const f of files) {
      const fx = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { name: string; rows: number; cols: number; data: number[][]; s: number[] };
      const A = Matrix.from(fx.data);
      assert.deepEqual(A.shape, [fx.rows, fx.cols]);
      const r = svd(A);
      const vals = svdvals(A);
      const smax = fx.s[0]!;
      for (let i = 0; i < fx.s.length; i++) {
        assert.ok(Math.abs(r.s[i]! - fx.s[i]!) <= 1e-12 * smax, `${fx.name}: s[${i}] = ${r.s[i]} vs numpy ${fx.s[i]}`);
        assert.ok(Math.abs(vals[i]! - fx.s[i]!) <= 1e-12 * smax, `${fx.name}: svdvals[${i}] = ${vals[i]} vs numpy ${fx.s[i]}`);
      }
      checkSvd(fx.name, A, r, false);
    }
  });

  it('svdvals equals svd().s', () => {
    for (const { name, A } of [...standardCases(), ...extraCases()]) {
      const s = svd(A).s;
      const v = svdvals(A);
      assert.equal(v.length, s.length, name);
      for (let i = 0; i < s.length; i++) assert.ok(Math.abs(v[i]! - s[i]!) <= 1e-14 * s[0]!, `${name}: ${v[i]} vs ${s[i]}`);
    }
  });

  it('truncate / reconstruct: ||A - A_k||_F = sqrt(sum of the discarded s^2) (Eckart-Young)', () => {
    const A = Matrix.random(60, 45, { seed: 9, distribution: 'normal' });
    const r = svd(A);
    for (const k of [0, 1, 5, 20, 44, 45]) {
      const t = r.truncate(k);
      assert.deepEqual([t.U.cols, t.s.length, t.Vt.rows], [k, k, k]);
      const err = A.sub(t.reconstruct()).norm('fro');
      let tail = 0;
      for (let i = k; i < r.s.length; i++) tail += r.s[i]! ** 2;
      const expect = Math.sqrt(tail);
      assert.ok(Math.abs(err - expect) <= 1e-12 * A.norm('fro') + 1e-12 * expect, `k = ${k}: ${err} vs ${expect}`);
    }
    assert.throws(() => r.truncate(46), InvalidArgumentError);
    assert.throws(() => r.truncate(-1), InvalidArgumentError);
    assert.throws(() => r.truncate(1.5), InvalidArgumentError);
  });

  it('singular values of a matrix with known ones, and exact cases', () => {
    const s = [10, 3, 1, 1e-5, 1e-12];
    const got = svdvals(withSingularValues(30, 20, s, 12));
    for (let i = 0; i < s.length; i++) assert.ok(Math.abs(got[i]! - s[i]!) < 30 * EPS * 10, `${got[i]} vs ${s[i]}`);
    for (let i = s.length; i < 20; i++) assert.ok(got[i]! < 30 * EPS * 10);
    assert.deepEqual(Array.from(svdvals(Matrix.identity(5))), [1, 1, 1, 1, 1]);
    assert.deepEqual(Array.from(svdvals(Matrix.zeros(4, 3))), [0, 0, 0]);
    assert.deepEqual(Array.from(svdvals(Matrix.from([[-3]]))), [3]);
    const d = svd(Matrix.from([[0, -2], [3, 0]]));
    assert.deepEqual(Array.from(d.s), [3, 2]);
    // A 1 x n row: s = ||row||, Vt's first row is row / ||row||.
    const row = Matrix.from([[3, 0, -4]]);
    const rr = svd(row);
    assert.ok(Math.abs(rr.s[0]! - 5) < 4 * EPS * 5);
    assert.ok(Math.abs(Math.abs(rr.Vt.get(0, 2)) - 0.8) < 4 * EPS);
  });

  it('empty shapes', () => {
    for (const [m, n] of [[0, 0], [0, 5], [5, 0]] as const) {
      const A = Matrix.zeros(m, n);
      const thin = svd(A);
      assert.deepEqual([thin.U.shape, thin.s.length, thin.Vt.shape], [[m, 0], 0, [0, n]]);
      const full = svd(A, { full: true });
      assert.deepEqual([full.U.shape, full.Vt.shape], [[m, m], [n, n]]);
      assert.ok(full.U.equals(Matrix.identity(m)) && full.Vt.equals(Matrix.identity(n)));
      assert.equal(svdvals(A).length, 0);
      assert.deepEqual(thin.reconstruct().shape, [m, n]);
    }
  });

  it('NaN or Inf input throws NonFiniteInputError', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const A = Matrix.random(6, 4, { seed: 13 });
      A.set(2, 3, bad);
      assert.throws(() => svd(A), NonFiniteInputError);
      assert.throws(() => svdvals(A), NonFiniteInputError);
      assert.throws(() => svd(A.T, { full: true }), NonFiniteInputError);
    }
  });

  for (const backend of BACKEND_NAMES) {
    it(`entries near overflow and underflow: dgesdd's scaling gives correctly scaled singular values (${backend})`, () => withBackend(backend, () => {
      // Rank 1 with the largest singular value 1.7e308, the entries finite (issue 15 item 11).
      for (const [m, n] of [[4, 3], [3, 4], [12, 3], [40, 30]] as const) {
        const c = 1.7e308 / Math.sqrt(m * n);
        const A = Matrix.zeros(m, n);
        A.data.fill(c);
        for (const [what, s] of [['svd', svd(A).s], ['svdvals', svdvals(A)]] as const) {
          const name = `${what} ${m}x${n} rank 1 at ${c}`;
          assert.ok(Math.abs(s[0]! - 1.7e308) <= 8 * EPS * 1.7e308, `${name}: s[0] = ${s[0]}`);
          // Rounding noise of a backward-stable SVD (numpy's dgesdd happens to give 0 here);
          // without the scaling, the intermediate norms overflow to Inf and NaN.
          for (let i = 1; i < s.length; i++) assert.ok(s[i]! <= 8 * EPS * Math.max(m, n) * s[0]!, `${name}: s[${i}] = ${s[i]}`);
        }
      }
      // Scaling by a power of two is exact, so the singular values scale exactly up to the
      // rounding of the SVD itself, down into the subnormals and up to the overflow threshold.
      const B = Matrix.random(30, 20, { seed: 21, distribution: 'normal' });
      const sB = svdvals(B);
      for (const k of [1000, 900, 500, -500, -1000, -1040]) {
        const f = 2 ** k;
        const sf = svdvals(B.scale(f));
        for (let i = 0; i < sB.length; i++) {
          // Subnormal entries keep fewer bits: compare against the spacing of the scaled data there.
          const tol = 64 * EPS * sB[0]! * f + (k < -1000 ? 2 ** -1074 * 64 : 0);
          assert.ok(Math.abs(sf[i]! - sB[i]! * f) <= tol, `2^${k}: s[${i}] = ${sf[i]}, want ${sB[i]! * f}`);
        }
      }
      // The true largest value overflows: Infinity, as numpy returns; the vectors, computed on
      // the scaled matrix, stay orthonormal.
      const H = Matrix.zeros(5, 4);
      H.data.fill(1.7e308);
      const r = svd(H);
      assert.equal(r.s[0], Infinity);
      assert.ok(orthogonality(r.U) < 30 && rowOrthogonality(r.Vt) < 30);
    }));
  }

  it('float32 input gives float32 output with float32 accuracy', () => {
    for (const [m, n] of [[50, 30], [30, 50], [120, 20]] as const) {
      const A = Matrix.random(m, n, { seed: m + n, dtype: 'float32' });
      const r = svd(A);
      assert.equal(r.U.dtype, 'float32');
      assert.equal(r.Vt.dtype, 'float32');
      assert.ok(r.s instanceof Float32Array);
      assert.ok(svdvals(A) instanceof Float32Array);
      assert.equal(r.reconstruct().dtype, 'float32');
      const res = scaledDiff(A, r.reconstruct(), Math.max(m, n));
      assert.ok(res < 30, `${m}x${n}: f32 residual ${res}`);
      assert.ok(orthogonality(r.U) < 30 && orthogonality(r.Vt.T) < 30);
    }
  });

  it('works on strided views (transposes and slices)', () => {
    const B = Matrix.random(40, 50, { seed: 14, distribution: 'normal' });
    const A = B.slice(5, 35, 3, 48).T;
    checkSvd('view', A, svd(A), false);
    const ref = svdvals(A.copy());
    const got = svdvals(A);
    for (let i = 0; i < ref.length; i++) assert.equal(got[i], ref[i]);
  });
});

describe('gebrd / bdsqr', () => {
  it('A = Q B P^T for blocked and unblocked sizes', () => withWorkspace((ws) => {
    for (const [m, n] of [[1, 1], [5, 1], [8, 8], [70, 65], [150, 100], [200, 130]] as const) {
      const A0 = Matrix.random(m, n, { seed: m * 7 + n, distribution: 'normal' });
      const a = ws.f64(m * n);
      for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) a[i + j * m] = A0.get(i, j);
      const d = new Float64Array(n), e = new Float64Array(n), tq = new Float64Array(n), tp = new Float64Array(n);
      gebrd(m, n, a, 0, m, d, e, tq, tp, ws);
      // C = [B; 0] (m x n), then Q C P^T.
      const C = ws.f64(m * n);
      for (let i = 0; i < n; i++) {
        C[i + i * m] = d[i]!;
        if (i < n - 1) C[i + (i + 1) * m] = e[i]!;
      }
      applyPT(m, n, a, 0, m, tp, C, 0, m, ws);
      applyQ(m, n, n, a, 0, m, tq, C, 0, m, ws);
      const R = Matrix.zeros(m, n);
      R.data.set(C.subarray(0, m * n));
      const res = scaledDiff(A0, R, m);
      assert.ok(res < 30, `${m}x${n}: ${res}`);
    }
  }));

  it('bdsqr: upper and lower bidiagonals, with and without vectors', () => {
    const r = rng(15);
    for (const n of [1, 2, 3, 10, 40]) for (const uplo of ['U', 'L'] as const) for (const kind of ['random', 'graded', 'zeros'] as const) {
      const d0 = new Float64Array(n), e0 = new Float64Array(Math.max(n - 1, 0));
      for (let i = 0; i < n; i++) d0[i] = (2 * r.nextDouble() - 1) * (kind === 'graded' ? 10 ** (-i / 2) : 1);
      for (let i = 0; i < n - 1; i++) e0[i] = (2 * r.nextDouble() - 1) * (kind === 'graded' ? 10 ** (-i / 2) : 1);
      if (kind === 'zeros') for (let i = 0; i < n; i += 3) { d0[i] = 0; if (i < n - 1) e0[i] = 0; }
      const B = Matrix.zeros(n, n);
      for (let i = 0; i < n; i++) B.set(i, i, d0[i]!);
      for (let i = 0; i < n - 1; i++) (uplo === 'U' ? B.set(i, i + 1, e0[i]!) : B.set(i + 1, i, e0[i]!));
      const d = d0.slice(), e = e0.slice();
      const U = Matrix.identity(n), VT = Matrix.identity(n), C = Matrix.identity(n);
      bdsqr(uplo, n, n, n, n, d, e, VT.data as Float64Array, 0, n, U.data as Float64Array, 0, n, C.data as Float64Array, 0, n);
      const name = `${kind} ${uplo} n=${n}`;
      for (let i = 1; i < n; i++) assert.ok(d[i]! <= d[i - 1]! && d[i]! >= 0, name);
      const S = Matrix.zeros(n, n);
      for (let i = 0; i < n; i++) S.set(i, i, d[i]!);
      assert.ok(scaledDiff(B, matmul(matmul(U, S), VT), n) < 30, `${name}: residual`);
      assert.ok(orthogonality(U) < 30 && orthogonality(VT.T) < 30, `${name}: orthogonality`);
      // C = Q^T when it starts as I: C = U^T.
      assert.ok(C.sub(U.T).norm('max') < 1e-15 * 10, `${name}: C = U^T`);
      // Values without vectors are the same.
      const dv = d0.slice(), ev = e0.slice();
      const z = new Float64Array(1);
      bdsqr(uplo, n, 0, 0, 0, dv, ev, z, 0, 1, z, 0, 1, z, 0, 1);
      for (let i = 0; i < n; i++) assert.ok(Math.abs(dv[i]! - d[i]!) <= 1e-14 * d[0]!, `${name}: values-only`);
    }
  });

  it('bdsqr keeps high relative accuracy on a strongly graded bidiagonal', () => {
    // B = diag(1, 1e-20, 1e-40, ...) plus tiny superdiagonal: singular values ~ the diagonal.
    const n = 12;
    const d = new Float64Array(n), e = new Float64Array(n - 1);
    for (let i = 0; i < n; i++) d[i] = 10 ** (-20 * i);
    for (let i = 0; i < n - 1; i++) e[i] = 10 ** (-20 * i - 10);
    const z = new Float64Array(1);
    bdsqr('U', n, 0, 0, 0, d, e, z, 0, 1, z, 0, 1, z, 0, 1);
    // sigma_i = d_i (1 + O(1e-20)) exactly to working precision.
    for (let i = 0; i < n; i++) {
      const want = 10 ** (-20 * i);
      assert.ok(Math.abs(d[i]! - want) <= 1e-14 * want, `s[${i}] = ${d[i]} vs ${want}`);
    }
  });
});

describe('bdsqr input checks', () => {
  it('NaN / Inf in the bidiagonal throws NonFiniteInputError instead of iterating', () => {
    const z = new Float64Array(1);
    assert.throws(() => bdsqr('U', 3, 0, 0, 0, new Float64Array([1, NaN, 2]), new Float64Array([1, 1]), z, 0, 1, z, 0, 1, z, 0, 1), NonFiniteInputError);
    assert.throws(() => bdsqr('L', 3, 0, 0, 0, new Float64Array([1, 1, 2]), new Float64Array([Infinity, 1]), z, 0, 1, z, 0, 1, z, 0, 1), NonFiniteInputError);
  });
});
