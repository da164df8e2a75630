// The Lab instruments' models without a browser: the ratings grid and its gradient
// descent, the scree quantities, the NMF glyphs, the per-channel image SVD, the tensor
// trains of the TT instrument and the small parsers the page uses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Matrix, parseNpy, svd, ttSvd } from '../../src/browser.js';
import { ChannelSvd } from '../../lab/instruments/compress-model.js';
import { GLYPH, TRUE_PARTS, fitParts, makeGlyphs, strokeMatrix, strokeRecovery } from '../../lab/instruments/nmf-model.js';
import { fitFactors, makeRatingsGrid } from '../../lab/instruments/ratings-model.js';
import { Spectrum, matrixWithSpectrum, parseNumberTable, plantedSpectrum } from '../../lab/instruments/scree-model.js';
import { LOG_EPS_MAX, LOG_EPS_MIN, TT_SOURCES, chirp, compressAt, makeProblem, maxBondRanks, sweepLogEps, sweepPoint, tensorEntropy, ttParams } from '../../lab/instruments/tensor-train-model.js';

test('ratings grid: planted, in 1..5, deterministic per seed', () => {
  const g = makeRatingsGrid({ seed: 5 });
  assert.equal(g.truth.rows, 16);
  assert.equal(g.truth.cols, 12);
  for (let i = 0; i < 16; i++) for (let j = 0; j < 12; j++) assert.ok(g.truth.get(i, j) >= 1 && g.truth.get(i, j) <= 5);
  const obs = g.observed.reduce((a, b) => a + b, 0);
  assert.ok(obs > 0.4 * 192 && obs < 0.8 * 192);
  assert.ok(makeRatingsGrid({ seed: 5 }).truth.equals(g.truth));
});

test('gradient descent: the objective falls with steps; extra rank overfits on several seeds', () => {
  for (const seed of [1, 5]) {
    const g = makeRatingsGrid({ seed });
    const train = [0, 20, 100, 400].map((steps) => fitFactors(g, { k: 2, steps }).trainRmse);
    for (let i = 1; i < train.length; i++) assert.ok(train[i]! < train[i - 1]!, `seed ${seed}: ${train.join(' ')}`);
    const k2 = fitFactors(g, { k: 2, steps: 2000 });
    const k8 = fitFactors(g, { k: 8, steps: 2000 });
    assert.ok(k8.trainRmse < 0.5 * k2.trainRmse, 'k = 8 fits the training cells better');
    assert.ok(k8.heldOutRmse > 1.2 * k2.heldOutRmse, `seed ${seed}: held-out ${k8.heldOutRmse} vs ${k2.heldOutRmse}`);
    assert.equal(k8.parameters, 8 * 28);
    assert.equal(k2.curve.at(-1)!.step, 2000);
    assert.ok(Math.abs(k2.curve.at(-1)!.train - k2.trainRmse) < 1e-12);
  }
});

test('scree: planted spectra are recovered; measured error = Eckart-Young; energy rises', () => {
  const s = plantedSpectrum('fast', 40);
  const sp = new Spectrum(matrixWithSpectrum(s, 60, 40));
  for (let i = 0; i < 10; i++) assert.ok(Math.abs(sp.s[i]! - s[i]!) < 1e-12);
  let prev = 0;
  for (const k of [1, 2, 5, 10, 40]) {
    const r = sp.at(k);
    assert.ok(r.energy > prev);
    prev = r.energy;
    assert.ok(Math.abs(r.relError - r.eckartYoung) < 1e-10, `k=${k}`);
    assert.ok(Math.abs(r.energy + r.relError ** 2 - 1) < 1e-10);
    assert.equal(r.storage, (k * 101) / 2400);
  }
  const slow = new Spectrum(matrixWithSpectrum(plantedSpectrum('slow', 40), 60, 40));
  assert.ok(slow.at(3).energy < sp.at(3).energy);
});

test('parseNumberTable: CSV/TSV with a header, errors name the line', () => {
  assert.ok(parseNumberTable('x,y\n1,2\n3,4\n').equals(Matrix.from([[1, 2], [3, 4]])));
  assert.ok(parseNumberTable('1\t2\n3\t4').equals(Matrix.from([[1, 2], [3, 4]])));
  assert.throws(() => parseNumberTable('1,2\n3,x'), /line 2/);
  assert.throws(() => parseNumberTable('1,2\n3'), /row 2 has 1 values/);
  assert.throws(() => parseNumberTable('a,b\n'), /no numeric rows/);
});

test('NMF glyphs: exact nonnegative rank-5 data; k = 5 recovers the strokes, W, H >= 0', () => {
  const A = makeGlyphs();
  assert.equal(A.rows, GLYPH * GLYPH);
  assert.equal(strokeMatrix().cols, TRUE_PARTS);
  for (const solver of ['mu', 'cd'] as const) {
    const f = fitParts(A, TRUE_PARTS, 300, solver);
    assert.ok(f.minEntry >= 0);
    assert.ok(f.relError < 0.01, `${solver}: ${f.relError}`);
    assert.ok(strokeRecovery(f.W) > 0.99);
    const short = fitParts(A, TRUE_PARTS, 5, solver);
    assert.ok(short.relError > f.relError);
  }
  assert.ok(fitParts(A, 3, 300).relError > 0.1);
});

test('image SVD per channel: error falls with k, zero at full rank', () => {
  const C = [0, 1, 2].map((c) => Matrix.random(30, 20, { seed: c + 1 }));
  const m = new ChannelSvd(C);
  assert.equal(m.maxK, 20);
  let prev = Infinity;
  for (const k of [1, 3, 10, 20]) {
    const r = m.at(k);
    assert.ok(r.relError < prev);
    prev = r.relError;
    assert.equal(r.stored, 3 * k * 51);
  }
  assert.ok(m.at(20).relError < 1e-12);
});

test('the browser entry reads the digits the page ships', () => {
  const read = (f: string) => parseNpy(new Uint8Array(readFileSync(new URL(`../../data/digits/${f}.npy`, import.meta.url))), f);
  const X = read('digits');
  assert.deepEqual(X.shape, [1797, 64]);
  assert.deepEqual(X.matrix.shape, [1797, 64]);
  assert.ok(X.matrix.min() === 0 && X.matrix.max() === 16);
  const y = read('target');
  assert.deepEqual(y.shape, [1797]);
  const labels = Array.from(y.matrix.toFlat());
  assert.deepEqual([...new Set(labels)].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('tensor train: exact ranks of known functions (sin 2, exp(-|x|^2) 1, random full), storage sum r n r', () => {
  for (const d of [4, 5, 6]) {
    const sin = compressAt(makeProblem('sin', d), 1e-10);
    assert.deepEqual(sin.bondRanks, new Array(d - 1).fill(2), `sin, d = ${d}`);
    const n = sin.tt.shape[0]!;
    assert.equal(sin.params, 2 * n + (d - 2) * 4 * n + 2 * n);
    assert.equal(sin.size, n ** d);
    assert.equal(sin.params, ttParams(sin.tt.shape, sin.bondRanks));
    const gauss = compressAt(makeProblem('gauss', d), 1e-10);
    assert.deepEqual(gauss.bondRanks, new Array(d - 1).fill(1), `gauss, d = ${d}`);
    assert.equal(gauss.params, d * n);
    for (const s of tensorEntropy(makeProblem('gauss', d))) assert.ok(s < 1e-12, 'a product has no entanglement');
    const random = compressAt(makeProblem('random', d), 1e-12);
    assert.deepEqual(random.bondRanks, maxBondRanks(random.tt.shape), `random, d = ${d}`);
    assert.ok(random.storage > 1, `the random tensor's train is larger than the tensor: ${random.storage}`);
  }
  assert.deepEqual(maxBondRanks([8, 8, 8, 8, 8, 8]), [8, 64, 512, 64, 8]);
  assert.equal(ttParams([3, 4, 5], [2, 3]), 3 * 2 + 2 * 4 * 3 + 3 * 5);
});

test('tensor train: ||T - TT||_F <= eps ||T||_F measured on the full tensor; ranks fall as eps grows', () => {
  for (const src of TT_SOURCES) {
    const p = makeProblem(src.id, src.dDefault);
    assert.equal(p.size, src.n(src.dDefault) ** src.dDefault);
    let prevRanks: readonly number[] | undefined;
    for (const logEps of [-12, -9, -6, -3, -2, -1]) {
      const eps = 10 ** logEps;
      const r = compressAt(p, eps);
      assert.ok(r.relError <= eps * (1 + 1e-9), `${src.id} eps ${eps}: error ${r.relError}`);
      assert.ok(Math.abs(r.relError - r.discardedError) <= 1e-12 + 1e-6 * r.relError, `${src.id}: measured ${r.relError} vs discarded ${r.discardedError}`);
      r.bondRanks.forEach((rk, k) => assert.ok(rk >= 1 && rk <= r.maxRanks[k]!));
      if (prevRanks) r.bondRanks.forEach((rk, k) => assert.ok(rk <= prevRanks![k]!, `${src.id}: ranks do not grow with eps`));
      prevRanks = r.bondRanks;
    }
  }
  // The Hilbert-like tensor: ranks grow slowly as eps falls, past 2 and well below the bound.
  const h = makeProblem('hilbert', 5);
  const loose = compressAt(h, 1e-2).bondRanks;
  const tight = compressAt(h, 1e-12).bondRanks;
  assert.ok(Math.max(...loose) <= 3 && Math.min(...tight) >= 6 && Math.max(...tight) <= 12, `${loose} / ${tight}`);
  // The random tensor cannot be compressed: even eps = 0.1 keeps most of every bound.
  const rand = compressAt(makeProblem('random', 5), 0.1);
  rand.bondRanks.forEach((rk, k) => assert.ok(rk >= 0.75 * rand.maxRanks[k]!, `random: ${rand.bondRanks} vs ${rand.maxRanks}`));
});

test('tensor train: quantics chirp (2^L samples, L modes of size 2) keeps small ranks as L grows', () => {
  const params: number[] = [];
  for (const L of [12, 14, 16]) {
    const p = makeProblem('chirp', L);
    assert.deepEqual(p.shape, new Array(L).fill(2));
    assert.equal(p.signal!.length, 2 ** L);
    assert.equal(p.signal![2 ** (L - 1)], chirp(0.5));
    assert.equal(p.T.get([1, ...new Array(L - 1).fill(0)]), chirp(0.5), 'the first mode is the most significant bit');
    const r = compressAt(p, 1e-6);
    assert.ok(r.relError <= 1e-6);
    assert.ok(Math.max(...r.bondRanks) <= 16, `L = ${L}: ranks ${r.bondRanks}`);
    params.push(r.params);
  }
  assert.ok(params[2]! < 1.5 * params[0]!, `storage grows like L, not 2^L: ${params}`);
  assert.throws(() => makeProblem('chirp', 20), /12\.\.16/);
  assert.throws(() => makeProblem('nope', 5), /unknown source/);
});

test('tensor train: entropy per bond = that of the unfolding\'s singular values, <= log2 of the largest rank', () => {
  // Bond 2 of the 12^5 Hilbert-like tensor, straight from the SVD of its 144 x 1728 unfolding.
  const h = makeProblem('hilbert', 5);
  const S = tensorEntropy(h);
  const s = svd(Matrix.fromArray(h.T.toFlat(), 144, 1728, { order: 'C' })).s;
  let total = 0;
  for (const x of s) total += x * x;
  let direct = 0;
  for (const x of s) if (x > 0) direct -= ((x * x) / total) * Math.log2((x * x) / total);
  assert.ok(Math.abs(S[1]! - direct) < 1e-10, `${S[1]} vs ${direct}`);
  for (const src of TT_SOURCES) {
    const p = makeProblem(src.id, src.dDefault);
    const e = tensorEntropy(p);
    const viaTrain = ttSvd(p.T, { eps: 1e-14 }).tt.entanglementEntropy({ base: 2 });
    const caps = maxBondRanks(p.shape);
    e.forEach((v, k) => {
      assert.ok(Math.abs(v - viaTrain[k]!) < 1e-9, `${src.id} bond ${k + 1}: ${v} vs the train's ${viaTrain[k]}`);
      assert.ok(v >= 0 && v <= Math.log2(caps[k]!) + 1e-9);
    });
  }
  // sin(a + b) = sin a cos b + cos a sin b: two terms, so at most 1 bit; a random tensor is near the cap.
  for (const v of tensorEntropy(makeProblem('sin', 5))) assert.ok(v > 0.01 && v <= 1 + 1e-12);
  const rand = makeProblem('random', 4);
  tensorEntropy(rand).forEach((v, k) => assert.ok(v > Math.log2(maxBondRanks(rand.shape)[k]!) - 1.5, `random: ${v}`));
});

test('tensor train sweep: whole decades, error below eps, storage falls with eps', () => {
  const p = makeProblem('hilbert', 4);
  const pts = sweepLogEps().map((e) => sweepPoint(p, e));
  assert.equal(pts.length, LOG_EPS_MAX - LOG_EPS_MIN + 1);
  for (let i = 0; i < pts.length; i++) {
    assert.ok(pts[i]!.relError <= 10 ** pts[i]!.logEps);
    if (i > 0) assert.ok(pts[i]!.storage <= pts[i - 1]!.storage);
  }
  assert.ok(pts[0]!.storage > pts.at(-1)!.storage);
});

test('ratings trajectory: the fit at every checkpoint is fitFactors at that many steps', async () => {
  const { fitTrajectory } = await import('../../lab/instruments/ratings-model.js');
  const g = makeRatingsGrid({ seed: 5 });
  const t = fitTrajectory(g, 3, 200, 10);
  assert.equal(t.steps.length, 21);
  assert.equal(t.steps[20], 200);
  for (const at of [0, 1, 7, 20]) {
    const f = fitFactors(g, { k: 3, steps: t.steps[at]! });
    assert.ok(Math.abs(f.trainRmse - t.train[at]!) < 1e-13 && Math.abs(f.heldOutRmse - t.heldOut[at]!) < 1e-13, `checkpoint ${at}`);
    for (let i = 0; i < 16; i++) for (let j = 0; j < 12; j++) assert.ok(Math.abs(f.prediction.get(i, j) - t.predictions[at * 192 + i * 12 + j]!) < 1e-13);
  }
  // A maxSteps off the checkpoint grid still ends with the last step.
  const odd = fitTrajectory(g, 2, 25, 10);
  assert.deepEqual(Array.from(odd.steps), [0, 10, 20, 25]);
});

test('parseNumberTable: label columns, quoted numbers, semicolons with decimal commas, empty cells', () => {
  const M = Matrix.from([[1, 2], [3, 4]]);
  assert.ok(parseNumberTable(',a,b\nr1,1,2\nr2,3,4\n').equals(M), 'a header and a label column');
  assert.ok(parseNumberTable('name,a,b\n"Smith, J",1,2\n"Doe",3,4\n').equals(M), 'quoted labels with commas');
  assert.ok(parseNumberTable('"a","b"\n"1","2"\n"3","4"\n').equals(M), 'quoted numbers');
  assert.ok(parseNumberTable('r1 1 2\nr2 3 4').equals(M), 'whitespace with labels, no header');
  assert.ok(parseNumberTable('a;b\n1,5;2\n3;4,25\n').equals(Matrix.from([[1.5, 2], [3, 4.25]])), 'semicolons and decimal commas');
  assert.throws(() => parseNumberTable('1,2\n3,\n'), /line 2: an empty cell in column 2/);
  assert.throws(() => parseNumberTable(''), /no numeric rows/);
  assert.equal(parseNumberTable('0,0\n0,0').rows, 2);
});
