import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from '../../../../src/errors.js';
import type { Ratings } from '../../../../src/models/recommend/data/ratings.js';
import { kFold, randomSplit, timeSplit, userHoldout } from '../../../../src/models/recommend/data/split.js';
import { syntheticRatings } from '../../../../src/models/recommend/data/synthetic.js';

const table = syntheticRatings({ users: 120, items: 90, ratings: 4000, seed: 11, timestamps: true });

// Each rating of r, keyed by (user, item) (pairs are distinct in synthetic data).
function keys(r: Ratings): number[] {
  return Array.from(r.users, (u, k) => u * 1000 + r.items[k]!);
}

function assertPartition(whole: Ratings, parts: Ratings[]): void {
  const all = parts.flatMap(keys).sort((a, b) => a - b);
  assert.deepEqual(all, keys(whole).sort((a, b) => a - b), 'parts cover the table exactly once');
  for (const p of parts) assert.equal(p.ids, whole.ids, 'shared ID space');
}

test('randomSplit: sizes, partition, reproducible, seed matters', () => {
  const [train, test] = randomSplit(table, { test: 0.25, seed: 1 });
  assert.equal(test.size, 1000);
  assert.equal(train.size, 3000);
  assertPartition(table, [train, test]);
  const [, again] = randomSplit(table, { test: 0.25, seed: 1 });
  assert.deepEqual(keys(again), keys(test));
  const [, other] = randomSplit(table, { test: 0.25, seed: 2 });
  assert.notDeepEqual(keys(other), keys(test));
  assert.equal(randomSplit(table, { test: 17 })[1].size, 17);
  assert.throws(() => randomSplit(table, { test: 0 }), InvalidArgumentError);
  assert.throws(() => randomSplit(table, { test: 1.5 }), InvalidArgumentError);
});

test('userHoldout: per-user counts and fractions, every test user kept in train', () => {
  const [train, test] = userHoldout(table, { perUser: 2, seed: 3 });
  assertPartition(table, [train, test]);
  const cnt = (r: Ratings): Int32Array => {
    const c = new Int32Array(r.nUsers);
    for (const u of r.users) c[u]!++;
    return c;
  };
  const all = cnt(table);
  const te = cnt(test);
  const tr = cnt(train);
  for (let u = 0; u < table.nUsers; u++) {
    assert.equal(te[u], Math.min(2, all[u]! - 1));
    assert.ok(tr[u]! >= 1);
  }
  const [, frac] = userHoldout(table, { perUser: 0.3, seed: 3 });
  const tf = cnt(frac);
  for (let u = 0; u < table.nUsers; u++) assert.equal(tf[u], Math.min(Math.round(0.3 * all[u]!), all[u]! - 1));
  assert.deepEqual(keys(userHoldout(table, { perUser: 2, seed: 3 })[1]), keys(test));
  assert.throws(() => userHoldout(table, { perUser: 0 }), InvalidArgumentError);
});

test('timeSplit: global share cut, fixed time cut, per-user latest', () => {
  const ts = table.timestamps!;
  const [train, test] = timeSplit(table, { test: 0.2 });
  assert.equal(test.size, 800);
  assertPartition(table, [train, test]);
  const maxTrain = Math.max(...train.timestamps!);
  const minTest = Math.min(...test.timestamps!);
  assert.ok(maxTrain <= minTest, 'everything in test is at least as late as train');
  const cut = [...ts].sort((a, b) => a - b)[2000]!;
  const [b0, b1] = timeSplit(table, { before: cut });
  assert.ok(b0.timestamps!.every((t) => t < cut) && b1.timestamps!.every((t) => t >= cut));
  assertPartition(table, [b0, b1]);
  const [l0, l1] = timeSplit(table, { lastPerUser: 1 });
  assertPartition(table, [l0, l1]);
  const latest = new Map<number, number>();
  for (let k = 0; k < l0.size; k++) latest.set(l0.users[k]!, Math.max(latest.get(l0.users[k]!) ?? -Infinity, l0.timestamps![k]!));
  for (let k = 0; k < l1.size; k++) assert.ok(l1.timestamps![k]! >= latest.get(l1.users[k]!)!);
  const noTime = syntheticRatings({ users: 10, items: 10, ratings: 50 });
  assert.throws(() => timeSplit(noTime), InvalidArgumentError);
});

test('kFold: folds partition the table, each fold trains on the rest, sizes differ by <= 1', () => {
  const r = table.subset(Array.from({ length: 1003 }, (_, k) => k));
  const folds = kFold(r, { folds: 5, seed: 4 });
  assert.equal(folds.length, 5);
  assert.deepEqual(folds.map(([, t]) => t.size), [201, 201, 201, 200, 200]);
  assertPartition(r, folds.map(([, t]) => t));
  for (const [train, test] of folds) assertPartition(r, [train, test]);
  assert.deepEqual(keys(kFold(r, { folds: 5, seed: 4 })[2]![1]), keys(folds[2]![1]));
  assert.throws(() => kFold(r, { folds: 1 }), InvalidArgumentError);
});
