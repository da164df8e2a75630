// Baseline (Surprise BaselineOnly): ALS fixed point, SGD, accuracy, options, abort.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AbortedError, InvalidArgumentError } from '../../../../src/errors.js';
import { Baseline } from '../../../../src/models/recommend/algorithms/baseline.js';
import { Ratings } from '../../../../src/models/recommend/data/ratings.js';
import { heldOutRmse, meanRmse, smallSplit } from './sgd-fixtures.js';

test('Baseline ALS: after the last epoch the user biases solve their ridge equations exactly', () => {
  const { train } = smallSplit();
  const m = new Baseline({ epochs: 5 }).fit(train);
  const s = m.state;
  assert.equal(s.factors, 0);
  const sum = new Float64Array(train.nUsers);
  const cnt = new Float64Array(train.nUsers);
  for (let k = 0; k < train.size; k++) {
    const u = train.users[k]!;
    sum[u] = sum[u]! + (train.values[k]! - s.globalMean - s.itemBias[train.items[k]!]!);
    cnt[u] = cnt[u]! + 1;
  }
  for (let u = 0; u < train.nUsers; u++) {
    const want = cnt[u]! > 0 ? sum[u]! / (15 + cnt[u]!) : 0;
    assert.ok(Math.abs(s.userBias[u]! - want) < 1e-4, `user ${u}: ${s.userBias[u]} vs ${want}`);
  }
});

test('Baseline ALS on a tiny table matches the hand computation', () => {
  // mu = 3; one epoch: b_i = sum(r - mu) / (regItem + n_i), then b_u with the new b_i.
  const r = Ratings.fromTriples(['a', 'a', 'b'], ['x', 'y', 'x'], [5, 3, 1]);
  const m = new Baseline({ epochs: 1, regUser: 1, regItem: 2 }).fit(r);
  const bx = (2 + -2) / (2 + 2);
  const by = 0 / (2 + 1);
  const ba = (5 - 3 - bx + (3 - 3 - by)) / (1 + 2);
  const bb = (1 - 3 - bx) / (1 + 1);
  assert.ok(Math.abs(m.state.itemBias[0]! - bx) < 1e-6 && Math.abs(m.state.itemBias[1]! - by) < 1e-6);
  assert.ok(Math.abs(m.state.userBias[0]! - ba) < 1e-6 && Math.abs(m.state.userBias[1]! - bb) < 1e-6);
  assert.equal(m.state.globalMean, 3);
});

test('Baseline (ALS and SGD) beats the global mean on held-out data; progress per epoch', () => {
  const { train, test: held } = smallSplit();
  const mean = meanRmse(train, held);
  let reports = 0;
  const als = new Baseline().fit(train, { onProgress: (p) => { reports++; assert.equal(p.total, 10); } });
  assert.equal(reports, 10);
  const sgd = new Baseline({ method: 'sgd' });
  assert.equal(sgd.options.epochs, 20);
  const rAls = heldOutRmse(als, held);
  const rSgd = heldOutRmse(sgd.fit(train), held);
  assert.ok(rAls < mean - 0.1, `als ${rAls} vs mean ${mean}`);
  assert.ok(rSgd < mean - 0.1, `sgd ${rSgd} vs mean ${mean}`);
  assert.ok(Math.abs(rAls - rSgd) < 0.03);
});

test('Baseline options are validated and abort works', () => {
  assert.throws(() => new Baseline({ method: 'svd' as never }), (e: Error) => e instanceof InvalidArgumentError && e.message.includes("'method'"));
  assert.throws(() => new Baseline({ regUser: -1 }), /regUser/);
  assert.throws(() => new Baseline({ epochs: 1.5 }), /epochs/);
  assert.throws(() => new Baseline({ regs: 1 } as never), /unknown option 'regs'/);
  assert.equal(new Baseline().algorithm, 'baseline');
  const { train } = smallSplit();
  assert.throws(() => new Baseline().fit(train, { signal: AbortSignal.abort() }), AbortedError);
  assert.throws(() => new Baseline({ method: 'sgd' }).fit(train, { signal: AbortSignal.abort() }), AbortedError);
});
