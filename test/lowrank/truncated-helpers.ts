/** Shared checks of the truncated SVD tests: planted spectra and triplet accuracy. */
import assert from 'node:assert/strict';
import { matmul } from '../../src/linalg/matmul.js';
import { qr } from '../../src/linalg/qr.js';
import { svd } from '../../src/linalg/svd.js';
import type { LowRank } from '../../src/lowrank/low-rank.js';
import { Matrix } from '../../src/matrix/matrix.js';

/** An m x n matrix with singular values `s` (length <= min(m, n)) and random singular vectors. */
export function planted(m: number, n: number, s: ArrayLike<number>, seed: number): Matrix {
  const r = s.length;
  const U = qr(Matrix.random(m, r, { seed, distribution: 'normal' })).Q;
  const V = qr(Matrix.random(n, r, { seed: seed + 1000, distribution: 'normal' })).Q;
  const US = U.map((v, _i, j) => v * s[j]!);
  return matmul(US, V, { transB: true });
}

/** max_i |a_i - b_i| / scale over the first k entries. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>, k: number, scale = 1): number {
  let e = 0;
  for (let i = 0; i < k; i++) e = Math.max(e, Math.abs(a[i]! - b[i]!) / scale);
  return e;
}

/** ||X^T X - I||_F for X with orthonormal columns. */
export function orthLoss(X: Matrix): number {
  const G = matmul(X, X, { transA: true });
  return G.sub(Matrix.identity(X.cols)).norm();
}

/**
 * Check a truncated SVD of A against the full one: orthonormal factors, values within
 * `valueTol * s_1`, and each returned vector within `vectorTol` of the exact one's line
 * (1 - |u_i . u_i*| small) for triplets whose value is separated from the others.
 */
export function checkAgainstSvd(A: Matrix, r: LowRank, k: number, valueTol: number, vectorTol = Infinity): void {
  const f = svd(A.dtype === 'float32' ? A.copy({ dtype: 'float64' }) : A);
  const [m, n] = A.shape;
  assert.deepEqual(r.U.shape, [m, k]);
  assert.deepEqual(r.Vt.shape, [k, n]);
  assert.equal(r.s.length, k);
  const s1 = f.s[0]! || 1;
  const err = maxDiff(r.s, f.s, k, s1);
  assert.ok(err <= valueTol, `singular values off by ${err.toExponential(2)} * s1 (tol ${valueTol})`);
  for (let i = 1; i < k; i++) assert.ok(r.s[i]! <= r.s[i - 1]!, 'descending');
  const U = r.U.dtype === 'float32' ? r.U.copy({ dtype: 'float64' }) : r.U;
  const Vt = r.Vt.dtype === 'float32' ? r.Vt.copy({ dtype: 'float64' }) : r.Vt;
  const orthTol = r.U.dtype === 'float32' ? 1e-4 : 1e-12;
  assert.ok(orthLoss(U) < orthTol * Math.max(1, k), `U orthonormal: ${orthLoss(U)}`);
  assert.ok(orthLoss(Vt.T) < orthTol * Math.max(1, k), `V orthonormal: ${orthLoss(Vt.T)}`);
  if (vectorTol === Infinity) return;
  for (let i = 0; i < k; i++) {
    const gap = Math.min(i > 0 ? f.s[i - 1]! - f.s[i]! : Infinity, i + 1 < f.s.length ? f.s[i]! - f.s[i + 1]! : Infinity);
    if (gap < 1e-3 * s1) continue;
    let du = 0;
    let dv = 0;
    for (let t = 0; t < m; t++) du += U.get(t, i) * f.U.get(t, i);
    for (let t = 0; t < n; t++) dv += Vt.get(i, t) * f.Vt.get(i, t);
    assert.ok(1 - Math.abs(du) < vectorTol, `u_${i} off the exact line by ${1 - Math.abs(du)}`);
    assert.ok(1 - Math.abs(dv) < vectorTol, `v_${i} off the exact line by ${1 - Math.abs(dv)}`);
    assert.ok(du * dv > 0, `u_${i} and v_${i} have consistent signs`);
  }
}

/** ||A - U diag(s) Vt||_F. */
export function reconstructionError(A: Matrix, r: LowRank): number {
  return A.sub(r.reconstruct()).norm();
}

/** Eckart-Young: the smallest ||A - B||_F over rank-k B, sqrt(sum_{i >= k} s_i^2). */
export function optimalError(A: Matrix, k: number): number {
  const s = svd(A).s;
  let t = 0;
  for (let i = k; i < s.length; i++) t += s[i]! ** 2;
  return Math.sqrt(t);
}
