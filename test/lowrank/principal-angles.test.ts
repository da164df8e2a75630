import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ShapeError } from '../../src/errors.js';
import { matmul } from '../../src/linalg/matmul.js';
import { qr } from '../../src/linalg/qr.js';
import { distancesFromAngles, principalAngles, subspaceDistance, subspaceDistances } from '../../src/lowrank/principal-angles.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { rng } from '../../src/random.js';

interface Fixture { angles: { m: number; p: number; q: number; A: number[]; B: number[]; angles: number[] }[] }
const fx = JSON.parse(readFileSync(new URL('../fixtures/rank/rank.json', import.meta.url), 'utf8')) as Fixture;

/** Columns e_0 and cos(t) e_1 + sin(t) e_2 against e_0, e_1 in R^m: angles 0 and t. */
function planes(t: number, m = 4): [Matrix, Matrix] {
  const A = Matrix.zeros(m, 2);
  A.set(0, 0, 1).set(1, 1, 1);
  const B = Matrix.zeros(m, 2);
  B.set(0, 0, 1).set(1, 1, Math.cos(t)).set(2, 1, Math.sin(t));
  return [A, B];
}

/** A random rotation of R^m (Q of a random matrix). */
const rotation = (m: number, seed: number): Matrix => qr(Matrix.random(m, m, { seed, distribution: 'normal' })).Q;

test('planes at a known angle, rotated into general position', () => {
  for (const t of [0.3, 1.0, Math.PI / 2, Math.PI / 4]) {
    const [A, B] = planes(t, 6);
    const R = rotation(6, 1);
    const r = principalAngles(matmul(R, A), matmul(matmul(R, B), Matrix.from([[2, 1], [0, 3]])));
    assert.ok(Math.abs(r.angles[0]!) < 1e-14, `first angle ${r.angles[0]}`);
    assert.ok(Math.abs(r.angles[1]! - t) < 1e-14, `angle ${r.angles[1]} vs ${t}`);
    assert.ok(Math.abs(r.sines[1]! - Math.sin(t)) < 1e-14);
    assert.ok(Math.abs(r.cosines[1]! - Math.cos(t)) < 1e-14);
  }
});

test('identical subspaces give zeros, orthogonal ones pi/2', () => {
  const A = Matrix.random(10, 3, { seed: 2, distribution: 'normal' });
  const same = principalAngles(A, matmul(A, Matrix.random(3, 3, { seed: 3, distribution: 'normal' })));
  for (const a of same.angles) assert.ok(a < 1e-14, `angle ${a}`);
  const R = rotation(7, 4);
  const orth = principalAngles(R.colRange(0, 3), R.colRange(3, 6));
  for (const a of orth.angles) assert.ok(Math.abs(a - Math.PI / 2) < 1e-14);
  assert.equal(orth.angles.length, 3);
});

test('tiny angles (1e-10, 1e-14) are recovered to high relative accuracy through the sines', () => {
  for (const t of [1e-10, 1e-14, 1e-7]) {
    const [A, B] = planes(t, 5);
    const R = rotation(5, 9);
    const r = principalAngles(matmul(R, A), matmul(R, B));
    // Rotation by R costs about eps in absolute terms.
    assert.ok(Math.abs(r.angles[1]! - t) < 1e-15 + 1e-6 * t, `t=${t}: got ${r.angles[1]}`);
    // Unrotated axes: exact to full relative precision.
    const e = principalAngles(A, B);
    assert.ok(Math.abs(e.angles[1]! - t) <= 4 * Number.EPSILON * t, `t=${t}: got ${e.angles[1]}`);
    assert.ok(e.angles[0]! === 0);
  }
});

test('agrees with scipy.linalg.subspace_angles on random subspaces (different dimensions too)', () => {
  for (const c of fx.angles) {
    const A = Matrix.fromArray(c.A, c.m, c.p);
    const B = Matrix.fromArray(c.B, c.m, c.q);
    const r = principalAngles(A, B);
    assert.equal(r.angles.length, Math.min(c.p, c.q));
    c.angles.forEach((a, i) => assert.ok(Math.abs(r.angles[i]! - a) < 1e-13, `${c.m}x${c.p} vs ${c.q}: ${r.angles[i]} vs ${a}`));
    const rb = principalAngles(B, A);
    c.angles.forEach((a, i) => assert.ok(Math.abs(rb.angles[i]! - a) < 1e-13));
  }
});

test('principal vectors: orthonormal, u_i^T v_i = cos(theta_i), in the right spans', () => {
  const r0 = rng(5);
  for (let trial = 0; trial < 4; trial++) {
    const m = 6 + r0.nextInt(10);
    const p = 1 + r0.nextInt(4);
    const q = 1 + r0.nextInt(4);
    const A = Matrix.random(m, p, { seed: trial * 3 + 1, distribution: 'normal' });
    const B = Matrix.random(m, q, { seed: trial * 3 + 2, distribution: 'normal' });
    const r = principalAngles(A, B, { vectors: true });
    const k = Math.min(p, q);
    const U = r.U!;
    const V = r.V!;
    assert.deepEqual(U.shape, [m, k]);
    assert.ok(matmul(U, U, { transA: true }).sub(Matrix.identity(k)).norm('max') < 1e-13);
    assert.ok(matmul(V, V, { transA: true }).sub(Matrix.identity(k)).norm('max') < 1e-13);
    const C = matmul(U, V, { transA: true });
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
      assert.ok(Math.abs(C.get(i, j) - (i === j ? Math.cos(r.angles[i]!) : 0)) < 1e-12, `C[${i},${j}]`);
    }
    // U lies in span(A): its angles to A are all zero.
    for (const a of principalAngles(A, U).angles) assert.ok(a < 1e-7);
    for (const a of principalAngles(B, V).angles) assert.ok(a < 1e-7);
  }
});

test('principal vectors of a cluster of tiny angles: ||u_i - v_i|| = 2 sin(theta_i / 2) accurately', () => {
  const th = [1e-10, 3e-10, 0.7];
  const A = Matrix.zeros(8, 3);
  const B = Matrix.zeros(8, 3);
  th.forEach((t, i) => {
    A.set(i, i, 1);
    B.set(i, i, Math.cos(t)).set(3 + i, i, Math.sin(t));
  });
  const R = rotation(8, 12);
  const r = principalAngles(matmul(R, A), matmul(matmul(R, B), Matrix.from([[1, 1, 0], [0, 1, 0], [0, 0, 2]])), { vectors: true });
  th.forEach((t, i) => {
    assert.ok(Math.abs(r.angles[i]! - t) < 1e-15 + 1e-5 * t, `angle ${i}: ${r.angles[i]}`);
    const d = r.U!.col(i).sub(r.V!.col(i)).norm('fro');
    assert.ok(Math.abs(d - 2 * Math.sin(t / 2)) < 1e-15 + 1e-5 * t, `||u_${i} - v_${i}|| = ${d} vs ${t}`);
  });
  const C = matmul(r.U!, r.V!, { transA: true });
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (i !== j) assert.ok(Math.abs(C.get(i, j)) < 1e-14);
});

test('rank-deficient spanning sets, empty subspaces and shape errors', () => {
  const a = Matrix.random(6, 1, { seed: 1 });
  const A = Matrix.zeros(6, 3);
  for (let i = 0; i < 6; i++) {
    A.set(i, 0, a.get(i, 0));
    A.set(i, 1, 2 * a.get(i, 0));
    A.set(i, 2, (i === 0 ? 1 : 0));
  }
  const r = principalAngles(A, Matrix.random(6, 3, { seed: 2 }));
  assert.equal(r.dimA, 2);
  assert.equal(r.angles.length, 2);
  assert.equal(principalAngles(Matrix.zeros(4, 0), Matrix.random(4, 2, { seed: 1 })).angles.length, 0);
  assert.throws(() => principalAngles(Matrix.zeros(4, 1), Matrix.zeros(5, 1)), ShapeError);
  assert.throws(() => principalAngles(Matrix.from([[NaN], [1]]), Matrix.from([[1], [0]])), /finite/);
});

test('distances of Edelman-Arias-Smith from the angles', () => {
  const t = 0.4;
  const [A, B] = planes(t, 5);
  const d = subspaceDistances(A, B);
  const near = (x: number, y: number): void => assert.ok(Math.abs(x - y) < 1e-14, `${x} vs ${y}`);
  near(d.geodesic, t);
  near(d.projection, Math.sin(t));
  near(d.spectral, Math.sin(t));
  near(d.chordal, 2 * Math.sin(t / 2));
  near(d.chordal2, 2 * Math.sin(t / 2));
  near(d.fubiniStudy, t);
  // projection = ||P_A - P_B||_F / sqrt(2), spectral = ||P_A - P_B||_2 for random subspaces.
  const X = qr(Matrix.random(8, 3, { seed: 7, distribution: 'normal' })).Q;
  const Y = qr(Matrix.random(8, 3, { seed: 8, distribution: 'normal' })).Q;
  const D = matmul(X, X, { transB: true }).sub(matmul(Y, Y, { transB: true }));
  near(subspaceDistance(X, Y, 'projection'), D.norm('fro') / Math.SQRT2);
  const th = principalAngles(X, Y).angles;
  near(subspaceDistance(X, Y, 'geodesic'), Math.hypot(...th));
  near(subspaceDistance(X, Y, 'spectral'), Math.sin(th[2]!));
  // Different dimensions: completed with pi/2 angles (a subspace is at distance 0 only from itself).
  near(distancesFromAngles([0], 1).geodesic, Math.PI / 2);
  assert.ok(subspaceDistance(X, X.colRange(0, 2), 'projection') > 0.99);
  assert.throws(() => subspaceDistance(X, Y, 'nope' as 'geodesic'), /kind must be one of/);
});
