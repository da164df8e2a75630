import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError, ShapeError } from '../../../../src/errors.js';
import { catalogCoverage, mae, mapAtK, ndcgAtK, precisionAtK, rankingMetrics, recallAtK, relevantItems, rmse } from '../../../../src/models/recommend/evaluation/metrics.js';
import { Ratings } from '../../../../src/models/recommend/data/ratings.js';

const close = (a: number, b: number, tol = 1e-12): void => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('rmse and mae by hand', () => {
  close(rmse([1, 2, 3], [1, 4, 0]), Math.sqrt((0 + 4 + 9) / 3));
  close(mae([1, 2, 3], [1, 4, 0]), 5 / 3);
  assert.ok(Number.isNaN(rmse([], [])));
  assert.throws(() => rmse([1], [1, 2]), ShapeError);
  assert.throws(() => mae([1], []), ShapeError);
});

test('ranking metrics: hand-computed example (users without relevant items are skipped)', () => {
  const recommended = [[1, 2, 3, 4], [5, 6], [7, 8]];
  const relevant = [new Set([2, 4, 9]), new Set([5]), new Set<number>()];
  // user 0, top 3 = [1, 2, 3]: one hit at rank 2. user 1, top = [5, 6]: one hit at rank 1.
  const m = rankingMetrics(recommended, relevant, 3);
  assert.equal(m.users, 2);
  close(m.precision, (1 / 3 + 1 / 3) / 2);
  close(m.recall, (1 / 3 + 1) / 2);
  // user 0: DCG = 1/log2(3), IDCG = 1 + 1/log2(3) + 1/2 -> 0.2960819109658652 (sklearn.metrics.ndcg_score)
  close(m.ndcg, (0.2960819109658652 + 1) / 2);
  // user 0: AP = (1/min(3,3)) * precision@2 = 1/6; user 1: AP = 1
  close(m.map, (1 / 6 + 1) / 2);
  close(precisionAtK(recommended, relevant, 3), m.precision);
  close(recallAtK(recommended, relevant, 3), m.recall);
  close(ndcgAtK(recommended, relevant, 3), m.ndcg);
  close(mapAtK(recommended, relevant, 3), m.map);
  // arrays work as relevance sets too
  close(precisionAtK(recommended, [[2, 4, 9], [5], []], 3), m.precision);
});

test('ranking metrics: perfect and empty rankings, graded NDCG, edge cases', () => {
  const perfect = rankingMetrics([[3, 1, 2]], [new Set([1, 2, 3])], 3);
  assert.deepEqual(perfect, { precision: 1, recall: 1, ndcg: 1, map: 1, users: 1 });
  const none = rankingMetrics([[7, 8, 9]], [new Set([1])], 3);
  assert.deepEqual(none, { precision: 0, recall: 0, ndcg: 0, map: 0, users: 1 });
  // graded gains 2 -> 3, 4 -> 5 ranked [2, 4]: sklearn.metrics.ndcg_score gives 0.892911205473213
  close(ndcgAtK([[2, 4]], [new Map([[2, 3], [4, 5]])], 2), 0.892911205473213, 1e-12);
  // MAP normalizes by min(k, |R|): one relevant item found first is AP 1 even with k = 10
  close(mapAtK([[1, 2, 3]], [new Set([1])], 10), 1);
  assert.ok(Number.isNaN(precisionAtK([[1]], [new Set()], 1)), 'no user with relevant items');
  assert.throws(() => rankingMetrics([[1]], [new Set([1])], 0), InvalidArgumentError);
  assert.throws(() => rankingMetrics([[1]], [], 1), ShapeError);
});

test('catalogCoverage counts distinct items of the top-k lists', () => {
  close(catalogCoverage([[0, 1, 2], [1, 2, 3]], 10), 0.4);
  close(catalogCoverage([[0, 1, 2], [1, 2, 3]], 10, 1), 0.2);
  assert.throws(() => catalogCoverage([[11]], 10), InvalidArgumentError);
});

test('relevantItems: default threshold (4 on 1-5), fixed, per-user mean, graded', () => {
  const t = Ratings.fromTriples(['a', 'a', 'a', 'b', 'b'], ['x', 'y', 'z', 'x', 'y'], [5, 4, 1, 2, 3]);
  const d = relevantItems(t);
  assert.deepEqual([...d[0]!.keys()], [0, 1]);
  assert.equal(d[1]!.size, 0);
  assert.deepEqual([...relevantItems(t, { threshold: 3 })[1]!.keys()], [1]);
  const um = relevantItems(t, { threshold: 'user-mean' });
  assert.deepEqual([...um[0]!.keys()], [0, 1]); // mean 10/3
  assert.deepEqual([...um[1]!.keys()], [1]); // mean 2.5
  const g = relevantItems(t, { graded: true })[0] as Map<number, number>;
  assert.equal(g.get(0), 5);
});
