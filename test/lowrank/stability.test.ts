import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AbortedError, InvalidArgumentError } from '../../src/errors.js';
import { matmul } from '../../src/linalg/matmul.js';
import { svd } from '../../src/linalg/svd.js';
import { LowRank } from '../../src/lowrank/low-rank.js';
import { subspaceStability } from '../../src/lowrank/stability.js';
import { singularValueThreshold, softThreshold } from '../../src/lowrank/svt.js';
import { Matrix } from '../../src/matrix/matrix.js';
import type { Progress } from '../../src/progress.js';

/** m x n data: rank-k signal with singular values ~ `signal`, plus N(0, noise^2) entries. */
function data(m: number, n: number, k: number, signal: number, noise: number, seed: number): Matrix {
  const L = Matrix.random(m, k, { seed, distribution: 'normal' });
  const R = Matrix.random(k, n, { seed: seed + 1, distribution: 'normal' });
  return matmul(L, R).scale(signal / Math.sqrt(m * n)).add(Matrix.random(m, n, { seed: seed + 2, distribution: 'normal' }).scale(noise));
}

test('a subspace behind a clear gap is stable, one cut inside the noise is not', () => {
  const A = data(120, 15, 3, 60, 0.05, 1);
  const progress: Progress[] = [];
  const good = subspaceStability(A, 3, { resamples: 8, seed: 1, onProgress: (p) => progress.push(p) });
  assert.equal(good.samples.length, 8);
  assert.equal(progress.length, 8);
  assert.deepEqual(progress.at(-1), { stage: 'resample', done: 8, total: 8, metrics: { maxAngle: good.samples[7]!.maxAngle } });
  assert.ok(good.maxAngle.max < 0.05, `stable max angle ${good.maxAngle.max}`);
  assert.ok(good.relativeGap > 0.9);
  const bad = subspaceStability(A, 5, { resamples: 8, seed: 1 });
  assert.ok(bad.maxAngle.mean > 10 * good.maxAngle.mean, `unstable ${bad.maxAngle.mean} vs ${good.maxAngle.mean}`);
  assert.ok(bad.relativeGap < 0.5);
  // Summaries are consistent with the samples.
  const maxes = bad.samples.map((s) => s.maxAngle);
  assert.equal(bad.maxAngle.max, Math.max(...maxes));
  assert.ok(Math.abs(bad.maxAngle.mean - maxes.reduce((a, b) => a + b) / maxes.length) < 1e-15);
});

test('fraction 1 without replacement refits the same data: zero angles; same seed, same report', () => {
  const A = data(30, 8, 2, 20, 0.1, 5);
  const r = subspaceStability(A, 2, { resamples: 3, fraction: 1 });
  assert.ok(r.maxAngle.max < 1e-12, `${r.maxAngle.max}`);
  const x = subspaceStability(A, 2, { resamples: 4, seed: 9, replace: true });
  const y = subspaceStability(A, 2, { resamples: 4, seed: 9, replace: true });
  assert.deepEqual(x.samples.map((s) => s.maxAngle), y.samples.map((s) => s.maxAngle));
  assert.ok(x.maxAngle.max > 0);
});

test("side 'left' resamples columns; the factorize hook is used", () => {
  const A = data(10, 80, 2, 40, 0.05, 7);
  const left = subspaceStability(A, 2, { resamples: 4, side: 'left', seed: 2 });
  assert.equal(left.side, 'left');
  assert.ok(left.maxAngle.max < 0.05);
  let calls = 0;
  const r = subspaceStability(A, 2, {
    resamples: 3, side: 'left', factorize: (X, k) => {
      calls++;
      return LowRank.fromSvd(svd(X)).truncate(k);
    },
  });
  assert.equal(calls, 4);
  assert.ok(Math.abs(r.sk - svd(A).s[1]!) < 1e-12);
  assert.ok(Math.abs(r.sk1 - svd(A).s[2]!) < 1e-12);
});

test('stability: bad arguments and abort', () => {
  const A = data(20, 6, 2, 10, 0.1, 3);
  assert.throws(() => subspaceStability(A, 0), InvalidArgumentError);
  assert.throws(() => subspaceStability(A, 7), /k must be an integer in \[1, 6\]/);
  assert.throws(() => subspaceStability(A, 2, { fraction: 0 }), /fraction/);
  assert.throws(() => subspaceStability(A, 5, { fraction: 0.2 }), /cannot determine/);
  assert.throws(() => subspaceStability(A, 2, { resamples: 0 }), /resamples/);
  const ac = new AbortController();
  ac.abort();
  assert.throws(() => subspaceStability(A, 2, { signal: ac.signal }), AbortedError);
});

test('singular value thresholding is the prox of tau ||.||_*', () => {
  assert.deepEqual(Array.from(softThreshold([5, 3, 1], 2)), [3, 1, 0]);
  assert.throws(() => softThreshold([1], -1), InvalidArgumentError);
  const A = Matrix.random(9, 6, { seed: 4, distribution: 'normal' });
  const s = svd(A).s;
  const tau = 0.5 * (s[1]! + s[2]!);
  const X = singularValueThreshold(A, tau);
  assert.equal(X.rank, 2);
  assert.ok(Math.abs(X.s[0]! - (s[0]! - tau)) < 1e-13);
  // Optimality: the objective 1/2 ||X - A||_F^2 + tau ||X||_* does not decrease in any direction.
  const nuclear = (M: Matrix): number => Array.from(svd(M).s).reduce((a, b) => a + b, 0);
  const objective = (M: Matrix): number => 0.5 * M.sub(A).norm('fro') ** 2 + tau * nuclear(M);
  const Xd = X.reconstruct();
  const f0 = objective(Xd);
  for (let t = 0; t < 10; t++) {
    const E = Matrix.random(9, 6, { seed: 50 + t, distribution: 'normal' }).scale(1e-3);
    assert.ok(objective(Xd.add(E)) >= f0 - 1e-12, `direction ${t}`);
  }
  // tau above s_1 gives zero; tau = 0 gives A back; an SVD at hand is thresholded directly.
  assert.equal(singularValueThreshold(A, s[0]! + 1).rank, 0);
  assert.ok(singularValueThreshold(A, 0).reconstruct().sub(A).norm('max') < 1e-13);
  assert.equal(singularValueThreshold(svd(A), tau).rank, 2);
  assert.throws(() => singularValueThreshold(A, NaN), /tau/);
});
