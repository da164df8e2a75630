import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { InvalidArgumentError } from '../../src/errors.js';
import { svd, svdvals } from '../../src/linalg/svd.js';
import {
  aicRank, cumulativeEnergy, discardedEnergy, eckartYoungError, elbowRank, energy, energyRank, energyRatio, estimateNoiseSigma,
  gavishDonohoRank, largestGapRank, marchenkoPasturMedian, optimalThresholdLambda, optimalThresholdOmega, suggestRank,
} from '../../src/lowrank/rank-selection.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { rng } from '../../src/random.js';

interface Fixture {
  mp: { beta: number; mu: number; lambda: number; omega: number }[];
  noisy: { m: number; n: number; trueRank: number; sigma: number; A: number[]; s: number[] };
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/rank/rank.json', import.meta.url), 'utf8')) as Fixture;

const near = (a: number, b: number, tol: number, msg?: string): void => assert.ok(Math.abs(a - b) <= tol, `${msg ?? ''} ${a} vs ${b} (tol ${tol})`);

test('energy of the seed example sigma = (6, 3, 2, 1): rank 2 keeps 90%', () => {
  const s = [6, 3, 2, 1];
  assert.deepEqual(Array.from(energy(s)), [36, 9, 4, 1]);
  assert.deepEqual(Array.from(energyRatio(s)), [0.72, 0.18, 0.08, 0.02]);
  const c = cumulativeEnergy(s);
  [0.72, 0.9, 0.98, 1].forEach((v, i) => near(c[i]!, v, 1e-15));
  const r = energyRank(s, 0.9);
  assert.equal(r.k, 2);
  near(r.retained, 0.9, 1e-15);
  near(r.discarded, 0.1, 1e-15);
  assert.equal(energyRank(s, 0.91).k, 3);
  assert.equal(energyRank(s, 0.5).k, 1);
  assert.equal(energyRank(s, 1).k, 4);
  assert.equal(discardedEnergy(s, 2), 5);
  near(eckartYoungError(s, 2), Math.sqrt(5), 1e-15);
  assert.equal(eckartYoungError(s, 4), 0);
  assert.equal(eckartYoungError(s, 9), 0);
});

test('Eckart-Young: ||A - A_k||_F = sqrt(sum_{i>k} s_i^2) on random matrices', () => {
  const r = rng(7);
  for (let trial = 0; trial < 8; trial++) {
    const m = 1 + r.nextInt(30);
    const n = 1 + r.nextInt(30);
    const A = Matrix.random(m, n, { seed: 100 + trial, distribution: 'normal' });
    const f = svd(A);
    for (const k of [0, 1, Math.floor(Math.min(m, n) / 2), Math.min(m, n)]) {
      const err = A.sub(f.truncate(k).reconstruct()).norm('fro');
      const ey = eckartYoungError(f.s, k);
      near(err, ey, 1e-12 * Math.max(1, A.norm('fro')), `${m}x${n} k=${k}`);
      near(err * err, discardedEnergy(f.s, k), 1e-11 * Math.max(1, A.norm('fro') ** 2));
    }
  }
  // Scaling: tiny and huge values neither underflow nor overflow.
  near(eckartYoungError([1e300, 4e200, 3e200], 1), 5e200, 1e186);
  near(eckartYoungError([4e-200, 3e-200, 1e-300], 0), 5e-200, 1e-214);
});

test('energy rank handles the zero matrix, empty input and rejects bad values', () => {
  assert.equal(energyRank([0, 0, 0], 0.9).k, 0);
  assert.equal(energyRank([], 0.9).k, 0);
  assert.deepEqual(Array.from(cumulativeEnergy([0, 0])), [1, 1]);
  assert.throws(() => energyRank([3, 2], 0), InvalidArgumentError);
  assert.throws(() => energyRank([3, 2], 1.5), /fraction in \(0, 1\]/);
  assert.throws(() => energy([1, 2]), /descending/);
  assert.throws(() => energy([2, -1]), />= 0/);
  assert.throws(() => energy([2, NaN]), /finite/);
  assert.throws(() => eckartYoungError([2, 1], 1.5), /integer/);
});

test('elbow: the knee of the cumulative-energy curve', () => {
  // A cliff after 3 values.
  assert.equal(elbowRank([10, 9, 8, 1, 0.9, 0.8]).k, 3);
  // A steep convex decay: the first component dominates.
  assert.equal(elbowRank([100, 20, 5, 4, 3, 2, 1]).k, 1);
  // Exact rank 2 with trailing zeros.
  assert.equal(elbowRank([5, 4, 0, 0, 0, 0, 0, 0]).k, 2);
  // A flat spectrum has no knee: keep everything.
  assert.equal(elbowRank([1, 1, 1, 1]).k, 4);
  assert.equal(elbowRank([0, 0]).k, 0);
  const e = elbowRank([6, 3, 2, 1]);
  assert.equal(e.curve.length, 5);
  near(e.distance, 0.72 - 0.25, 1e-15);
});

test('largest gap, absolute and relative', () => {
  assert.equal(largestGapRank([50, 40, 30, 3.1, 3, 2.9]).k, 3);
  assert.equal(largestGapRank([50, 40, 30, 3.1, 3, 2.9], { kind: 'relative' }).k, 3);
  assert.equal(largestGapRank([6, 3, 2, 1]).k, 1);
  // Identity: the only drop is after the last value.
  assert.equal(largestGapRank([1, 1, 1]).k, 3);
  // Relative: an exactly rank-3 spectrum drops to (numerical) zero after 3 values.
  const r = largestGapRank([3, 2, 1, 1e-17, 0], { kind: 'relative' });
  assert.equal(r.k, 3);
  assert.equal(r.gap, Infinity);
  assert.equal(largestGapRank([0, 0]).k, 0);
  assert.equal(largestGapRank([7]).k, 1);
});

test('Gavish-Donoho constants: lambda*(1) = 4/sqrt(3), omega(1) = 2.858, MP medians match scipy', () => {
  near(optimalThresholdLambda(1), 4 / Math.sqrt(3), 1e-15);
  near(optimalThresholdOmega(1), 2.858, 5e-4);
  for (const { beta, mu, lambda, omega } of fx.mp) {
    near(marchenkoPasturMedian(beta), mu, 1e-10, `mu(${beta})`);
    near(optimalThresholdLambda(beta), lambda, 1e-14);
    near(optimalThresholdOmega(beta), omega, 1e-10, `omega(${beta})`);
    // The paper's cubic fit, accurate to about 0.02.
    near(omega, 0.56 * beta ** 3 - 0.95 * beta ** 2 + 1.82 * beta + 1.43, 0.02);
  }
  assert.throws(() => marchenkoPasturMedian(0), InvalidArgumentError);
  assert.throws(() => marchenkoPasturMedian(2), InvalidArgumentError);
});

test('Gavish-Donoho threshold, known and unknown noise', () => {
  // Square, unknown noise: tau = 2.858 * median(s).
  const s = [10, 5, 1, 0.9, 0.8];
  const u = gavishDonohoRank(s, { m: 5, n: 5 });
  near(u.threshold, optimalThresholdOmega(1) * 1, 1e-12); // median(s) = 1
  assert.equal(u.k, 2);
  assert.equal(u.noiseKnown, false);
  // Known noise: tau = 4/sqrt(3) sqrt(n) sigma.
  const k = gavishDonohoRank(s, { m: 5, n: 5, noiseSigma: 1 });
  near(k.threshold, (4 / Math.sqrt(3)) * Math.sqrt(5), 1e-12);
  assert.equal(k.k, 1);
  assert.equal(k.noiseKnown, true);
  // The noisy rank-3 fixture (sigma 0.1): both variants find rank 3, the estimate of sigma is close.
  const { m, n, s: fs, sigma, trueRank } = fx.noisy;
  assert.equal(gavishDonohoRank(fs, { m, n }).k, trueRank);
  assert.equal(gavishDonohoRank(fs, { m, n, noiseSigma: sigma }).k, trueRank);
  near(estimateNoiseSigma(fs, m, n), sigma, 0.015);
  near(gavishDonohoRank(fs, { m, n }).noiseSigma, estimateNoiseSigma(fs, m, n), 1e-15);
  assert.throws(() => gavishDonohoRank(fs.slice(0, 5), { m, n }), /all min\(m, n\) = 30 singular values/);
  assert.throws(() => gavishDonohoRank(fs, { m: 0, n }), /m and n/);
});

test('AIC with k_r = r (m + n - r) on a noisy low-rank matrix', () => {
  const { m, n, s, sigma, trueRank } = fx.noisy;
  const est = aicRank(s, { m, n });
  assert.equal(est.k, trueRank);
  assert.equal(est.noiseEstimated, true);
  assert.equal(est.scores.length, Math.min(m, n) + 1);
  const known = aicRank(s, { m, n, noiseSigma: sigma });
  assert.equal(known.k, trueRank);
  assert.equal(known.noiseVariance, sigma * sigma);
  // The score is exactly the documented formula.
  for (const r of [0, 2, 5, 30]) {
    let tail = 0;
    for (let i = s.length - 1; i >= r; i--) tail += s[i]! ** 2;
    near(known.scores[r]!, tail / sigma ** 2 + 2 * r * (m + n - r), 1e-9 * Math.max(1, known.scores[r]!));
  }
  assert.throws(() => aicRank(s, { m, n, noiseSigma: -1 }), /noiseSigma/);
});

test('random low-rank plus noise: every noise-aware rule finds the true rank (property)', () => {
  const r = rng(3);
  for (let trial = 0; trial < 4; trial++) {
    const m = 30 + r.nextInt(30);
    const n = 20 + r.nextInt(30);
    const k = 1 + r.nextInt(4);
    const L = Matrix.random(m, k, { seed: 10 + trial, distribution: 'normal' });
    const R = Matrix.random(k, n, { seed: 20 + trial, distribution: 'normal' });
    const N = Matrix.random(m, n, { seed: 30 + trial, distribution: 'normal' }).scale(0.01);
    const X = Matrix.zeros(m, n);
    for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) {
      let t = 0;
      for (let c = 0; c < k; c++) t += L.get(i, c) * R.get(c, j);
      X.set(i, j, t + N.get(i, j));
    }
    const s = svdvals(X);
    const all = suggestRank(s, { m, n, energy: 0.999 });
    assert.equal(all.gavishDonoho.k, k, `GD ${m}x${n} rank ${k}`);
    assert.equal(all.aic.k, k, `AIC ${m}x${n} rank ${k}`);
    // The absolute gap may stop before k on a decaying signal, never after it.
    assert.ok(all.gap.k >= 1 && all.gap.k <= k, `gap ${all.gap.k} vs ${k}`);
    assert.equal(largestGapRank(s, { kind: 'relative' }).k, k, `relative gap ${m}x${n} rank ${k}`);
    assert.ok(all.energy.k <= k + 1);
  }
});

test('suggestRank returns every rule', () => {
  const r = suggestRank([6, 3, 2, 1], { m: 4, n: 4 });
  assert.deepEqual(Object.keys(r).sort(), ['aic', 'elbow', 'energy', 'gap', 'gavishDonoho']);
  assert.equal(r.energy.k, 2);
  assert.equal(r.gap.k, 1);
});
