import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError } from '../../../../src/errors.js';
import { plantedRatings, syntheticRatings } from '../../../../src/models/recommend/data/synthetic.js';
import { sequentialIdSpace } from '../../../../src/models/recommend/data/id-space.js';

test('syntheticRatings: sizes, distinct pairs, scale, >= 20 ratings per user, skewed items', () => {
  const r = syntheticRatings({ users: 500, items: 300, ratings: 40_000, seed: 3 });
  assert.equal(r.size, 40_000);
  assert.equal(r.nUsers, 500);
  assert.equal(r.nItems, 300);
  const pairs = new Set<number>();
  for (let k = 0; k < r.size; k++) pairs.add(r.users[k]! * 300 + r.items[k]!);
  assert.equal(pairs.size, r.size, 'pairs are distinct');
  const s = r.stats();
  assert.deepEqual(s.scale, [1, 2, 3, 4, 5]);
  assert.ok(s.perUser.min >= 20, `min per user ${s.perUser.min}`);
  assert.ok(s.mean > 3.2 && s.mean < 4.0, `mean ${s.mean}`);
  assert.ok(s.perItem.max > 3 * s.perItem.median, `item popularity is skewed: max ${s.perItem.max}, median ${s.perItem.median}`);
  const u = syntheticRatings({ users: 500, items: 300, ratings: 40_000, seed: 3, popularity: 'uniform' }).stats();
  assert.ok(u.perItem.max < 2 * u.perItem.median, 'uniform popularity is flat');
});

test('syntheticRatings: reproducible for a seed, different across seeds', () => {
  const a = syntheticRatings({ users: 200, items: 100, ratings: 5000, seed: 7, timestamps: true });
  const b = syntheticRatings({ users: 200, items: 100, ratings: 5000, seed: 7, timestamps: true });
  const c = syntheticRatings({ users: 200, items: 100, ratings: 5000, seed: 8 });
  assert.deepEqual(a.users, b.users);
  assert.deepEqual(a.items, b.items);
  assert.deepEqual(a.values, b.values);
  assert.deepEqual(a.timestamps, b.timestamps);
  assert.notDeepEqual(a.items, c.items);
});

test('plantedRatings: unrounded ratings match the planted model up to the noise', () => {
  const { ratings: r, truth } = plantedRatings({ users: 300, items: 200, ratings: 20_000, rank: 4, noise: 0.1, integer: false, scale: [-100, 100], seed: 1 });
  let se = 0;
  let sv = 0;
  let n = 0;
  for (let k = 0; k < r.size; k++) {
    if (r.values[k] === -100 || r.values[k] === 100) continue; // clipped
    const u = r.users[k]!;
    const i = r.items[k]!;
    let x = truth.globalMean + truth.userBias[u]! + truth.itemBias[i]!;
    for (let f = 0; f < 4; f++) x += truth.userFactors[u * 4 + f]! * truth.itemFactors[i * 4 + f]!;
    se += (x - r.values[k]!) ** 2;
    sv += (r.values[k]! - truth.globalMean) ** 2;
    n++;
  }
  assert.ok(n > 0.8 * r.size);
  const rmse = Math.sqrt(se / n);
  assert.ok(Math.abs(rmse - 0.1) < 0.01, `residual rmse ${rmse} ~ noise 0.1`);
  assert.ok(Math.sqrt(sv / n) > 10 * rmse, 'signal dominates');
});

test('syntheticRatings: dense corner (every pair rated) and bad options', () => {
  const r = syntheticRatings({ users: 30, items: 25, ratings: 750, order: 'user' });
  assert.equal(r.stats().density, 1);
  for (let k = 1; k < r.size; k++) assert.ok(r.users[k]! >= r.users[k - 1]!, 'grouped by user');
  assert.throws(() => syntheticRatings({ users: 10, items: 10, ratings: 101 }), InvalidArgumentError);
  assert.throws(() => syntheticRatings({ users: 0 }), InvalidArgumentError);
  assert.throws(() => syntheticRatings({ scale: [5, 1] }), InvalidArgumentError);
  assert.throws(() => syntheticRatings({ noise: -1 }), InvalidArgumentError);
});

test('syntheticRatings: MovieLens-1M size in well under a few seconds', () => {
  const t = performance.now();
  const r = syntheticRatings();
  const ms = performance.now() - t;
  assert.equal(r.size, 1_000_000);
  assert.ok(ms < 5000, `${ms} ms`);
});

test('sequentialIdSpace: computed lookups, lazy ID lists', () => {
  const ids = sequentialIdSpace(3, 2, 1);
  assert.equal(ids.userIndex.size, 3);
  assert.equal(ids.userIndex.get('1'), 0);
  assert.equal(ids.userIndex.get('3'), 2);
  assert.equal(ids.userIndex.get('4'), undefined);
  assert.equal(ids.userIndex.get('01'), undefined);
  assert.equal(ids.userIndex.get('0'), undefined);
  assert.equal(ids.itemIndex.get('2'), 1);
  assert.deepEqual(ids.userIds, ['1', '2', '3']);
  assert.deepEqual([...ids.itemIndex], [['1', 0], ['2', 1]]);
});
