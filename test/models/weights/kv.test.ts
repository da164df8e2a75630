/**
 * lowRankKV: on planted caches with known singular values the key and value errors equal
 * the SVD tail (Eckart-Young), and the score error on orthogonal queries equals it too; the
 * compressed scores are (Q P_K) keys^T; full rank is exact; memory counts caches and
 * projections; bad input.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ShapeError } from '../../../src/errors.js';
import { matmul } from '../../../src/linalg/matmul.js';
import { qr } from '../../../src/linalg/qr.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { lowRankKV } from '../../../src/models/weights/kv.js';

/** A random m x n matrix with singular values s. */
function withSpectrum(m: number, n: number, s: readonly number[], seed: number): Matrix {
  const k = s.length;
  const U = qr(Matrix.random(m, k, { seed, distribution: 'normal' })).Q;
  const V = qr(Matrix.random(n, k, { seed: seed + 1, distribution: 'normal' })).Q;
  const US = U.copy();
  for (let j = 0; j < k; j++) for (let i = 0; i < m; i++) US.set(i, j, U.get(i, j) * s[j]!);
  return matmul(US, V, { transB: true });
}

const tail = (s: readonly number[], r: number) => Math.sqrt(s.slice(r).reduce((a, v) => a + v * v, 0));
const norm = (s: readonly number[]) => tail(s, 0);

describe('lowRankKV', () => {
  const t = 120;
  const d = 16;
  const sK = Array.from({ length: d }, (_, i) => 10 * 0.7 ** i);
  const sV = Array.from({ length: d }, (_, i) => 5 / (i + 1));
  const K = withSpectrum(t, d, sK, 1);
  const V = withSpectrum(t, d, sV, 3);
  const Q = qr(Matrix.random(d, d, { seed: 5, distribution: 'normal' })).Q; // orthogonal queries

  test('key, value and score errors equal the SVD tail on planted caches', () => {
    for (const r of [1, 4, 8, 15]) {
      const kv = lowRankKV(K, V, { rank: r, queries: Q });
      assert.ok(Math.abs(kv.keyError - tail(sK, r) / norm(sK)) < 1e-12, `key r ${r}: ${kv.keyError}`);
      assert.ok(Math.abs(kv.valueError - tail(sV, r) / norm(sV)) < 1e-12, `value r ${r}`);
      // ||Q K^T - Q K_r^T||_F = ||K - K_r||_F for orthogonal Q.
      assert.ok(Math.abs(kv.scoreError! - tail(sK, r)) < 1e-11, `score r ${r}: ${kv.scoreError} vs ${tail(sK, r)}`);
      assert.ok(Math.abs(kv.scoreRelativeError! - tail(sK, r) / norm(sK)) < 1e-12);
      for (let i = 0; i < d; i++) assert.ok(Math.abs(kv.keySingularValues[i]! - sK[i]!) < 1e-12 * sK[0]!);
      assert.deepEqual(kv.keys.shape, [t, r]);
      assert.deepEqual(kv.keyProjection.shape, [d, r]);
      // Orthonormal projections.
      const PtP = matmul(kv.keyProjection, kv.keyProjection, { transA: true });
      assert.ok(PtP.sub(Matrix.identity(r)).norm() < 1e-12);
    }
  });

  test('the attention error shrinks with the rank and vanishes at full rank', () => {
    const Qs = Matrix.random(30, d, { seed: 9, distribution: 'normal' });
    const errs = [2, 6, 12, 16].map((r) => lowRankKV(K, V, { rank: r, queries: Qs }).attentionRelativeError!);
    for (let i = 1; i < errs.length; i++) assert.ok(errs[i]! < errs[i - 1]!, `${errs}`);
    assert.ok(errs.at(-1)! < 1e-12);
    const full = lowRankKV(K, V, { rank: 99, queries: Qs });
    assert.equal(full.rank, d);
    assert.ok(full.keyError < 1e-13 && full.valueError < 1e-13 && full.scoreRelativeError! < 1e-13);
  });

  test('scores from the compressed cache are Q K_r^T; reconstruction is keys P^T', () => {
    const kv = lowRankKV(K, V, { rank: 5, valueRank: 3 });
    const Kr = kv.reconstructKeys();
    const Qs = Matrix.random(7, d, { seed: 11 });
    assert.ok(kv.scores(Qs).sub(matmul(Qs, Kr, { transB: true })).norm() < 1e-12 * matmul(Qs, K, { transB: true }).norm());
    assert.deepEqual([kv.valueRank, kv.values.cols], [3, 3]);
    assert.equal(kv.scoreError, undefined);
    assert.equal(kv.attentionRelativeError, undefined);
    assert.deepEqual(kv.memory, { full: 2 * t * d, compressed: (t + d) * 8, saved: 1 - ((t + d) * 8) / (2 * t * d) });
  });

  test('float32 caches are computed in float64', () => {
    const kv = lowRankKV(K.astype('float32'), V.astype('float32'), { rank: 4 });
    assert.ok(Math.abs(kv.keyError - tail(sK, 4) / norm(sK)) < 1e-6);
  });

  test('bad input', () => {
    assert.throws(() => lowRankKV(K, V.colRange(0, 8), { rank: 2 }), ShapeError);
    assert.throws(() => lowRankKV(K, V, { rank: 2, queries: Matrix.random(3, 5) }), /queries must have d = 16 columns/);
    assert.throws(() => lowRankKV(K, V, { rank: -1 }), /option 'rank'/);
    assert.throws(() => lowRankKV(K, V, {} as never), /option 'rank' is required/);
    assert.throws(() => lowRankKV(Matrix.zeros(0, 4), Matrix.zeros(0, 4), { rank: 1 }), ShapeError);
    const bad = K.copy();
    bad.set(0, 0, NaN);
    assert.throws(() => lowRankKV(bad, V, { rank: 2 }), /NaN/);
  });
});
