// The NMF parts, image compression and PCA instruments' models and worker jobs without a
// browser: iteration 0 is the start, flags for too many parts, the SVD's signed components,
// the error/size curve against k from the singular values, the break-even rank, "lossless"
// meaning the 8-bit picture is unchanged, and PCA's explained variance against scikit-learn.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Matrix, parseNpy } from '../../src/browser.js';
import { compressView } from '../../lab/instruments/compress-jobs.js';
import { ChannelSvd, breakEvenRank } from '../../lab/instruments/compress-model.js';
import { ITER_MAX, nmfFit } from '../../lab/instruments/nmf-jobs.js';
import { TRUE_PARTS, fitParts, makeGlyphs, partFlags, startingPoint, strokeMatrix, svdParts } from '../../lab/instruments/nmf-model.js';
import { pcaFit } from '../../lab/instruments/pca-jobs.js';

test('NMF: iteration 0 is the seeded start; the loss history starts there and falls', () => {
  const A = makeGlyphs();
  const f0 = fitParts(A, 5, 0);
  const start = startingPoint(A, 5);
  assert.ok(f0.W.equals(start.W) && f0.H.equals(start.H), 'no iterations: W, H are the start');
  assert.equal(f0.lossHistory.length, 1);
  const f = fitParts(A, 5, 40);
  assert.equal(f.lossHistory.length, 41);
  assert.equal(f.lossHistory[0], f0.lossHistory[0]);
  const E = A.sub(f.reconstruction);
  assert.ok(Math.abs(f.lossHistory[40]! - 0.5 * E.norm('fro') ** 2) <= 1e-9 * f.lossHistory[0]!, 'the last loss is that of the returned W, H');
  for (let i = 1; i < f.lossHistory.length; i++) assert.ok(f.lossHistory[i]! <= f.lossHistory[i - 1]! * (1 + 1e-12), `MU never raises the loss (iteration ${i})`);
  // A run of 60 iterations begins with the 40 above (same start, tol 0): the chart's fixed axis can come from the whole run.
  const g = fitParts(A, 5, 60);
  for (let i = 0; i <= 40; i++) assert.ok(Math.abs(g.lossHistory[i]! - f.lossHistory[i]!) <= 1e-12 * f.lossHistory[0]!);
});

test('NMF flags: none at the true k; too many parts are flagged; empty and duplicate parts detected', () => {
  const A = makeGlyphs();
  const S = strokeMatrix();
  for (const solver of ['mu', 'cd'] as const) {
    const ok = fitParts(A, TRUE_PARTS, 400, solver);
    assert.deepEqual(partFlags(ok.W, ok.H, { truth: S }), new Array(TRUE_PARTS).fill('ok'), solver);
    for (const k of [7, 8]) {
      const over = fitParts(A, k, 400, solver);
      const flags = partFlags(over.W, over.H, { truth: S });
      assert.ok(flags.filter((x) => x !== 'ok').length >= k - TRUE_PARTS - 1 && flags.some((x) => x !== 'ok'), `${solver} k = ${k}: ${flags}`);
    }
  }
  // Built by hand: part 3 copies part 1's direction, part 4 contributes nothing.
  const W = Matrix.from([[1, 0, 2, 1], [0, 1, 0, 0], [1, 0, 2, 0]]);
  const H = Matrix.from([[1, 1], [1, 0], [0.5, 0.5], [0, 0]]);
  assert.deepEqual(partFlags(W, H), ['ok', 'ok', 'duplicate', 'empty']);
});

test('SVD beside NMF: signed vectors, exact at the true rank, orthonormal, no larger error than NMF', () => {
  const A = makeGlyphs();
  const s = svdParts(A, TRUE_PARTS);
  assert.ok(s.relError < 1e-12, `the glyphs have rank 5: ${s.relError}`);
  assert.ok(s.negativeShare > 0.05 && s.minEntry < 0, 'the SVD needs negative entries');
  const G = s.U.transpose();
  for (let a = 0; a < TRUE_PARTS; a++) {
    for (let b = 0; b < TRUE_PARTS; b++) {
      let dot = 0;
      for (let i = 0; i < A.rows; i++) dot += G.get(a, i) * G.get(b, i);
      assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-10);
    }
  }
  for (const k of [2, 3, 4]) assert.ok(svdParts(A, k).relError <= fitParts(A, k, 300).relError + 1e-12, `Eckart-Young at k = ${k}`);
});

test('NMF job: plain arrays of the right sizes; loss over the whole run for a fixed axis', () => {
  const r = nmfFit({ k: 6, iterations: 30, solver: 'cd' });
  assert.equal(r.W.length, r.pixels * 6);
  assert.equal(r.H.length, 6 * r.glyphs);
  assert.equal(r.lossFull.length, ITER_MAX + 1);
  assert.equal(r.flags.length, 6);
  assert.equal(r.svdU.length, r.pixels * 6);
  assert.ok(r.minEntry >= 0);
  const again = nmfFit({ k: 6, iterations: 30, solver: 'cd' });
  assert.equal(again.relError, r.relError, 'deterministic');
  // The fit at 30 iterations sits on the whole run's curve.
  const direct = fitParts(makeGlyphs(), 6, 30, 'cd');
  assert.ok(Math.abs(direct.lossHistory[30]! - r.lossFull[30]!) <= 1e-12 * r.lossFull[0]!);
});

test('compression curve: error from the singular values = measured; storage k(h+w+1)/(hw); break-even', () => {
  const h = 24, w = 30;
  const rand = (seed: number): Matrix => {
    let x = seed;
    return Matrix.zeros(h, w).map(() => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648));
  };
  const m = new ChannelSvd([rand(1), rand(2), rand(3)]);
  const c = m.curve();
  assert.equal(c.relError.length, m.maxK + 1);
  assert.equal(c.relError[0], 1);
  assert.ok(c.relError[m.maxK]! < 1e-7);
  for (const k of [1, 5, 12, 24]) {
    const at = m.at(k);
    assert.ok(Math.abs(at.relError - c.relError[k]!) < 1e-10, `k = ${k}: ${at.relError} vs ${c.relError[k]}`);
    assert.ok(Math.abs(c.storage[k]! - (k * (h + w + 1)) / (h * w)) < 1e-15);
    assert.ok(Math.abs(at.ratio - c.storage[k]!) < 1e-15);
  }
  assert.equal(c.breakEven, breakEvenRank(h, w));
  assert.ok(c.breakEven * (h + w + 1) >= h * w && (c.breakEven - 1) * (h + w + 1) < h * w);
  assert.equal(breakEvenRank(200, 200), 100);
});

test('compression: lossless means every 8-bit value is the original; the job returns the picture and residual', () => {
  const w = 16, h = 12;
  const rgba = new Uint8ClampedArray(4 * w * h);
  for (let p = 0; p < w * h; p++) {
    rgba[4 * p] = (p * 37) % 256;
    rgba[4 * p + 1] = (p * 91) % 256;
    rgba[4 * p + 2] = (p * 13) % 256;
    rgba[4 * p + 3] = 255;
  }
  const full = compressView({ id: 1, width: w, height: h, rgba, gray: false, k: 12 });
  assert.equal(full.lossless, true);
  assert.equal(full.changed, 0);
  assert.deepEqual(Array.from(full.rgba), Array.from(rgba), 'full rank gives back the bytes');
  assert.ok(full.residual.every((v) => Math.abs(v) < 1e-6));
  const low = compressView({ id: 1, width: w, height: h, rgba, gray: false, k: 2 });
  assert.equal(low.lossless, false);
  assert.ok(low.changed > 0 && low.relError > 0.05);
  // Residual = original - rank-k, averaged over the channels (before clamping to [0, 1]).
  const chans = [0, 1, 2].map((c) => Matrix.zeros(h, w).map((_, y, x) => rgba[4 * (y * w + x) + c]! / 255));
  const ref = new ChannelSvd(chans).at(2);
  let worst = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let r = 0;
      for (let c = 0; c < 3; c++) r += chans[c]!.get(y, x) - ref.channels[c]!.get(y, x);
      worst = Math.max(worst, Math.abs(r / 3 - low.residual[y * w + x]!));
    }
  }
  assert.ok(worst < 1e-6, `residual = mean of C - C_k: off by ${worst}`);
  assert.ok(Math.abs(low.relError - ref.relError) < 1e-12);
  assert.equal(low.curveError.length, 13);
  assert.equal(low.breakEven, breakEvenRank(h, w));
});

test('PCA job on the digits: explained variance ratios as scikit-learn, sum 1, scores of the right shape', () => {
  const X = parseNpy(new Uint8Array(readFileSync(new URL('../../data/digits/digits.npy', import.meta.url))), 'digits.npy').matrix;
  const flat = new Float64Array(X.rows * X.cols);
  for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) flat[i * X.cols + j] = X.get(i, j);
  const r = pcaFit({ n: X.rows, p: X.cols, X: flat });
  // scikit-learn 1.x: PCA().fit(load_digits().data).explained_variance_ratio_[:2]
  assert.ok(Math.abs(r.ratio[0]! - 0.14890593584063852) < 1e-9);
  assert.ok(Math.abs(r.ratio[1]! - 0.13618771239635444) < 1e-9);
  assert.ok(Math.abs(r.ratio.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.equal(r.scores.length, X.rows * 10);
  // Scores have variance proportional to the ratios: var(z_1) / var(z_2) = r_1 / r_2.
  const variance = (c: number): number => {
    let s = 0;
    for (let i = 0; i < r.n; i++) s += r.scores[c * r.n + i]! ** 2;
    return s;
  };
  assert.ok(Math.abs(variance(0) / variance(1) - r.ratio[0]! / r.ratio[1]!) < 1e-9);
});
