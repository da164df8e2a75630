// FunkSVD: accuracy ordering on planted data, determinism, 2-thread LIBMF blocks, backends,
// options, progress and abort.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AbortedError, ConvergenceError, InvalidArgumentError } from '../../../../src/errors.js';
import { Baseline } from '../../../../src/models/recommend/algorithms/baseline.js';
import type { RecommenderEstimator } from '../../../../src/models/recommend/algorithms/estimator.js';
import { SVDpp } from '../../../../src/models/recommend/algorithms/svdpp.js';
import { FunkSVD, gridSize, PARALLEL_MIN_RATINGS } from '../../../../src/models/recommend/algorithms/funk-svd.js';
import { LatentFactorModel } from '../../../../src/models/recommend/model/latent-factor-model.js';
import { Ratings } from '../../../../src/models/recommend/data/ratings.js';
import { randomSplit } from '../../../../src/models/recommend/data/split.js';
import { plantedRatings } from '../../../../src/models/recommend/data/synthetic.js';
import { BACKEND_NAMES, withBackend } from '../../../helpers.js';
import { heldOutRmse, meanRmse, smallSplit } from './sgd-fixtures.js';

test('FunkSVD beats Baseline, which beats the global mean, on held-out planted data', () => {
  const { train, test: held } = smallSplit();
  const mean = meanRmse(train, held);
  const base = heldOutRmse(new Baseline().fit(train), held);
  const funk = heldOutRmse(new FunkSVD({ factors: 10, epochs: 30, lr: 0.01, seed: 1, threads: 1 }).fit(train), held);
  const funkDefaults = heldOutRmse(new FunkSVD({ threads: 1 }).fit(train), held);
  assert.ok(base < mean - 0.1, `baseline ${base} vs mean ${mean}`);
  assert.ok(funk < base - 0.1, `funk ${funk} vs baseline ${base}`);
  assert.ok(funkDefaults < base - 0.03, `funk (Surprise defaults) ${funkDefaults} vs baseline ${base}`);
});

test('FunkSVD fit: state, defaults, progress with a decreasing train RMSE', () => {
  const { train } = smallSplit();
  const est = new FunkSVD({ factors: 8, epochs: 5, threads: 1 });
  assert.equal(est.algorithm, 'funksvd');
  assert.deepEqual({ ...new FunkSVD().options }, {
    factors: 100, epochs: 20, lr: 0.005, reg: 0.02, lrBias: 0.005, regBias: 0.02, initMean: 0, initStd: 0.1,
    biased: true, seed: 0, threads: undefined, shuffle: true,
  });
  const reports: number[] = [];
  const m = est.fit(train, { onProgress: (p) => {
    assert.equal(p.stage, 'epoch');
    assert.equal(p.total, 5);
    reports.push(p.metrics!.trainRmse!);
  } });
  assert.equal(reports.length, 5);
  for (let k = 1; k < 5; k++) assert.ok(reports[k]! < reports[k - 1]!);
  const s = m.state;
  assert.equal(s.algorithm, 'funksvd');
  assert.equal(s.factors, 8);
  assert.equal(s.userFactors.length, train.nUsers * 8);
  assert.equal(s.itemFactors.length, train.nItems * 8);
  assert.ok(Math.abs(s.globalMean - train.values.reduce((a, b) => a + b, 0) / train.size) < 1e-9);
  assert.equal(s.hyperparameters.factors, 8);
  assert.equal(s.hyperparameters.threads, 1);
  // The prediction is mu + b_u + b_i + p_u . q_i (clipped).
  const u = train.users[0]!;
  const i = train.items[0]!;
  let dot = 0;
  for (let c = 0; c < 8; c++) dot += s.userFactors[u * 8 + c]! * s.itemFactors[i * 8 + c]!;
  const raw = s.globalMean + s.userBias[u]! + s.itemBias[i]! + dot;
  assert.ok(Math.abs(m.predictIndex(u, i) - Math.min(5, Math.max(1, raw))) < 1e-5);
});

test('FunkSVD is deterministic for a seed on one thread; the seed matters', () => {
  const { train } = smallSplit();
  const fit = (seed: number) => new FunkSVD({ factors: 6, epochs: 3, seed, threads: 1 }).fit(train).state;
  const a = fit(5);
  const b = fit(5);
  const c = fit(6);
  assert.deepEqual(a.userFactors, b.userFactors);
  assert.deepEqual(a.itemBias, b.itemBias);
  assert.notDeepEqual(a.userFactors, c.userFactors);
});

test('FunkSVD gives the same model on the baseline WASM build and the TypeScript fallback', () => {
  const { train } = smallSplit();
  const small = train.subset(Int32Array.from({ length: 3000 }, (_, k) => k));
  const fit = () => new FunkSVD({ factors: 12, epochs: 3, seed: 2, threads: 1 }).fit(small).state;
  const js = withBackend('js', fit);
  for (const be of BACKEND_NAMES.filter((b) => b !== 'js')) {
    const w = withBackend(be, fit);
    if (be === 'wasm') {
      assert.deepEqual(w.userFactors, js.userFactors);
      assert.deepEqual(w.itemBias, js.itemBias);
    } else {
      let d = 0;
      for (let k = 0; k < w.userFactors.length; k++) d = Math.max(d, Math.abs(w.userFactors[k]! - js.userFactors[k]!));
      assert.ok(d < 1e-4, `${be}: ${d}`);
    }
  }
});

test('FunkSVD on 2 threads (LIBMF blocks): deterministic, and as accurate as 1 thread', () => {
  const { ratings } = plantedRatings({ users: 1500, items: 800, ratings: 80_000, rank: 5, seed: 11 });
  assert.ok(ratings.size * 0.8 >= PARALLEL_MIN_RATINGS);
  const [train, held] = randomSplit(ratings, { test: 0.2, seed: 1 });
  const opts = { factors: 10, epochs: 15, lr: 0.01, seed: 4 };
  const one = new FunkSVD({ ...opts, threads: 1 }).fit(train);
  const two = new FunkSVD({ ...opts, threads: 2 }).fit(train);
  const twoAgain = new FunkSVD({ ...opts, threads: 2 }).fit(train);
  assert.equal(two.state.hyperparameters.grid, 4);
  assert.equal(one.state.hyperparameters.grid, 1);
  assert.deepEqual(two.state.userFactors, twoAgain.state.userFactors);
  assert.deepEqual(two.state.itemBias, twoAgain.state.itemBias);
  const r1 = heldOutRmse(one, held);
  const r2 = heldOutRmse(two, held);
  assert.ok(Math.abs(r1 - r2) < 0.02 * r1, `1 thread ${r1}, 2 threads ${r2}`);
  assert.ok(r2 < meanRmse(train, held) - 0.2);
});

test('unbiased FunkSVD has no mean and no biases', () => {
  const { train, test: held } = smallSplit();
  const m = new FunkSVD({ factors: 10, epochs: 25, lr: 0.01, biased: false, threads: 1 }).fit(train);
  assert.equal(m.state.globalMean, 0);
  assert.ok(m.state.userBias.every((x) => x === 0) && m.state.itemBias.every((x) => x === 0));
  assert.ok(heldOutRmse(m, held) < meanRmse(train, held));
});

test('FunkSVD options are validated in the constructor, naming the option', () => {
  const bad: [object, string][] = [
    [{ factors: 0 }, 'factors'], [{ factors: 2.5 }, 'factors'], [{ epochs: -1 }, 'epochs'], [{ lr: 0 }, 'lr'],
    [{ lr: NaN }, 'lr'], [{ reg: -0.1 }, 'reg'], [{ initStd: -1 }, 'initStd'], [{ threads: 0 }, 'threads'],
    [{ biased: 'yes' }, 'biased'], [{ seed: 1.5 }, 'seed'], [{ factor: 10 }, 'factor'], [{ shuffle: 1 }, 'shuffle'],
  ];
  for (const [o, name] of bad) {
    assert.throws(() => new FunkSVD(o as never), (e: Error) => e instanceof InvalidArgumentError && e.message.includes(`'${name}'`), JSON.stringify(o));
  }
  assert.throws(() => new FunkSVD().fit(Ratings.fromTriples([], [], [])), InvalidArgumentError);
});

test("FunkSVD's resolved options: Surprise's defaults, in the order the model file stores them", () => {
  const defaults = new FunkSVD().options;
  assert.deepEqual({ ...defaults }, {
    factors: 100, epochs: 20, lr: 0.005, reg: 0.02, lrBias: 0.005, regBias: 0.02,
    initMean: 0, initStd: 0.1, biased: true, seed: 0, threads: undefined, shuffle: true,
  });
  const o = new FunkSVD({ lr: 0.01, reg: 0.1, threads: 2 }).options;
  assert.deepEqual([o.lrBias, o.regBias], [0.01, 0.1]);
  assert.deepEqual(Object.keys(o), ['factors', 'epochs', 'lr', 'reg', 'lrBias', 'regBias', 'initMean', 'initStd', 'biased', 'seed', 'threads', 'shuffle']);
});

test('FunkSVD honours an AbortSignal before and between epochs', () => {
  const { train } = smallSplit();
  const est = new FunkSVD({ factors: 4, epochs: 10, threads: 1 });
  assert.throws(() => est.fit(train, { signal: AbortSignal.abort() }), AbortedError);
  const ctl = new AbortController();
  let seen = 0;
  assert.throws(() => est.fit(train, { signal: ctl.signal, onProgress: () => { seen++; if (seen === 2) ctl.abort(); } }), AbortedError);
  assert.equal(seen, 2);
});

test('FunkSVD with lr 1000 diverges: ConvergenceError naming the epoch and the learning rate, on one thread and on the 2-thread grid', () => {
  const { train } = smallSplit();
  assert.throws(() => new FunkSVD({ factors: 4, epochs: 5, lr: 1000, threads: 1 }).fit(train),
    (e: Error) => e instanceof ConvergenceError && /^FunkSVD: training diverged in epoch 1 of 5 .*lower the learning rate lr \(now 1000; the default is 0.005\)/.test(e.message));
  const { ratings } = plantedRatings({ users: 600, items: 400, ratings: PARALLEL_MIN_RATINGS + 1000, rank: 3, seed: 5 });
  assert.throws(() => new FunkSVD({ factors: 4, epochs: 3, lr: 1000, threads: 2 }).fit(ratings), ConvergenceError);
  // Each rating's error is taken before its update, so the last updates' overflow is not in
  // any error sum: here the epoch's RMSE is finite (1e12) while the biases (lr e = 1e40) overflow
  // f32; the scan of the parameters after the last epoch catches it.
  const rmses: number[] = [];
  const huge = Ratings.fromTriples(['a', 'b'], ['x', 'y'], [1e12, -1e12]);
  assert.throws(() => new FunkSVD({ factors: 2, epochs: 1, lr: 1e28, threads: 1 }).fit(huge, { onProgress: (p) => rmses.push(p.metrics!.trainRmse!) }),
    (e: Error) => e instanceof ConvergenceError && /epoch 1 of 1/.test(e.message));
  assert.equal(rmses.length, 1);
  assert.ok(Number.isFinite(rmses[0]));
});

test('seed 001 worked example: a FunkSVD model with mu 3.5, b_u -0.2, b_i 0.1, p (1, 0.5), q (0.2, 0.6) predicts 3.9', () => {
  const m = new FunkSVD({ factors: 2, epochs: 0, threads: 1 }).fit(Ratings.fromTriples(['u', 'v'], ['i', 'i'], [1, 5]));
  const s = m.state;
  s.userBias.set([-0.2, 0]);
  s.itemBias.set([0.1]);
  s.userFactors.set([1, 0.5, 0, 0]);
  s.itemFactors.set([0.2, 0.6]);
  const model = new LatentFactorModel({ ...s, globalMean: 3.5 });
  assert.ok(Math.abs(model.predict('u', 'i').value - 3.9) < 1e-6);
});

test('gridSize: no grid for small single-thread fits, >= 2t blocks in parallel, finer grids when factor rows outgrow the cache', () => {
  assert.equal(gridSize(6040, 3706, 1_000_000, 100, 1), 1);
  assert.equal(gridSize(6040, 3706, 1_000_000, 100, 2), 4);
  assert.equal(gridSize(6040, 3706, 10_000, 100, 2), 1);
  assert.ok(gridSize(480_189, 17_770, 100_000_000, 100, 2) >= 23);
  assert.ok(gridSize(480_189, 17_770, 100_000_000, 100, 1) >= 23);
  assert.equal(gridSize(3, 2, 100_000, 10, 8), 2);
});

test('Baseline, FunkSVD and SVDpp satisfy the RecommenderEstimator contract', () => {
  const ests: RecommenderEstimator[] = [new Baseline(), new FunkSVD(), new SVDpp()];
  assert.deepEqual(ests.map((e) => e.algorithm), ['baseline', 'funksvd', 'svdpp']);
});
