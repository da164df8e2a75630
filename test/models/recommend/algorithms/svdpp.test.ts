// SVDpp: accuracy against Baseline, effective user factors, determinism, options, abort.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AbortedError, ConvergenceError, InvalidArgumentError } from '../../../../src/errors.js';
import { Baseline } from '../../../../src/models/recommend/algorithms/baseline.js';
import { SVDpp } from '../../../../src/models/recommend/algorithms/svdpp.js';
import { BACKEND_NAMES, withBackend } from '../../../helpers.js';
import { heldOutRmse, smallSplit } from './sgd-fixtures.js';

test('SVDpp improves over Baseline on held-out planted data', () => {
  const { train, test: held } = smallSplit();
  const base = heldOutRmse(new Baseline().fit(train), held);
  const pp = heldOutRmse(new SVDpp({ seed: 1 }).fit(train), held);
  assert.ok(pp < base - 0.05, `svdpp ${pp} vs baseline ${base}`);
});

test('SVDpp state: user factors are p_u + |N(u)|^-1/2 sum y_j; y and p kept in extra', () => {
  const { train } = smallSplit();
  const f = 4;
  const m = new SVDpp({ factors: f, epochs: 3, seed: 2 }).fit(train);
  const s = m.state;
  assert.equal(s.algorithm, 'svdpp');
  const y = s.extra!['y']!;
  const p = s.extra!['p']!;
  assert.equal(y.length, train.nItems * f);
  const csr = train.byUser();
  for (const u of [0, 7, 123]) {
    const st = csr.indptr[u]!;
    const en = csr.indptr[u + 1]!;
    for (let c = 0; c < f; c++) {
      let z = 0;
      for (let k = st; k < en; k++) z += y[csr.indices[k]! * f + c]!;
      const want = p[u * f + c]! + (en > st ? z / Math.sqrt(en - st) : 0);
      assert.ok(Math.abs(s.userFactors[u * f + c]! - want) < 1e-5);
    }
  }
});

test('SVDpp is deterministic for a seed and agrees across backends', () => {
  const { train } = smallSplit();
  const small = train.subset(Int32Array.from({ length: 2000 }, (_, k) => k));
  const fit = () => new SVDpp({ factors: 8, epochs: 2, seed: 3 }).fit(small).state;
  const js = withBackend('js', fit);
  assert.deepEqual(withBackend('js', fit).userFactors, js.userFactors);
  for (const be of BACKEND_NAMES.filter((b) => b !== 'js')) {
    const w = withBackend(be, fit);
    if (be === 'wasm') assert.deepEqual(w.userFactors, js.userFactors);
    else {
      let d = 0;
      for (let k = 0; k < w.userFactors.length; k++) d = Math.max(d, Math.abs(w.userFactors[k]! - js.userFactors[k]!));
      assert.ok(d < 1e-4, `${be} ${d}`);
    }
  }
});

test('SVDpp options and abort', () => {
  assert.deepEqual({ ...new SVDpp().options }, {
    factors: 20, epochs: 20, lr: 0.007, reg: 0.02, lrBias: 0.007, regBias: 0.02, lrY: 0.007, regY: 0.02,
    initMean: 0, initStd: 0.1, seed: 0, shuffle: true,
  });
  assert.throws(() => new SVDpp({ factors: -3 }), (e: Error) => e instanceof InvalidArgumentError && e.message.includes("'factors'"));
  assert.throws(() => new SVDpp({ regY: -1 }), /regY/);
  assert.throws(() => new SVDpp({ biased: false } as never), /unknown option 'biased'/);
  const { train } = smallSplit();
  assert.throws(() => new SVDpp().fit(train, { signal: AbortSignal.abort() }), AbortedError);
  const ctl = new AbortController();
  assert.throws(() => new SVDpp({ epochs: 5 }).fit(train, { signal: ctl.signal, onProgress: () => ctl.abort() }), AbortedError);
});

test('SVDpp and Baseline (sgd) with lr 1000 diverge: ConvergenceError naming the epoch and the learning rate', () => {
  const { train } = smallSplit();
  assert.throws(() => new SVDpp({ factors: 4, epochs: 3, lr: 1000 }).fit(train),
    (e: Error) => e instanceof ConvergenceError && /^SVDpp: training diverged in epoch 1 of 3 .*lr \(now 1000; the default is 0.007\)/.test(e.message));
  assert.throws(() => new Baseline({ method: 'sgd', epochs: 3, lr: 1000 }).fit(train),
    (e: Error) => e instanceof ConvergenceError && /^Baseline \(sgd\): training diverged in epoch 1 of 3 /.test(e.message));
  // A sane learning rate trains as before.
  assert.ok(Number.isFinite(new SVDpp({ factors: 4, epochs: 2 }).fit(train).predict('1', '2').value));
});
