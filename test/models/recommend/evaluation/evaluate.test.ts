import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AbortedError } from '../../../../src/errors.js';
import { ALS } from '../../../../src/models/recommend/algorithms/als.js';
import { crossValidate, evaluate } from '../../../../src/models/recommend/evaluation/evaluate.js';
import { mapIdSpace } from '../../../../src/models/recommend/data/id-space.js';
import { mae, rmse } from '../../../../src/models/recommend/evaluation/metrics.js';
import { LatentFactorModel } from '../../../../src/models/recommend/model/latent-factor-model.js';
import { Ratings } from '../../../../src/models/recommend/data/ratings.js';
import { randomSplit } from '../../../../src/models/recommend/data/split.js';
import { syntheticRatings } from '../../../../src/models/recommend/data/synthetic.js';

// Two users, four items, f = 1: user a likes high-index items, user b the reverse.
function tinyModel(): LatentFactorModel {
  return new LatentFactorModel({
    algorithm: 'als', kind: 'explicit', ids: mapIdSpace(['a', 'b', 'c'], ['w', 'x', 'y', 'z']), factors: 1, globalMean: 3,
    userBias: new Float32Array(3), itemBias: new Float32Array(4),
    userFactors: Float32Array.from([1, -1, 0]), itemFactors: Float32Array.from([-1, -0.5, 0.5, 1]),
    ratingScale: [1, 5],
    // a rated z in training; b rated w; c rated everything (so every item has training data)
    seenIndptr: Int32Array.from([0, 1, 2, 6]), seenItems: Int32Array.from([3, 0, 0, 1, 2, 3]),
    hyperparameters: {},
  });
}

describe('evaluate', () => {
  it('computes rating and ranking metrics by hand on a tiny model', () => {
    const m = tinyModel();
    // a: liked y (5), disliked w (1) -> recommended (z seen) y, x, w: top-1 = y (hit)
    // b: liked y (4) -> recommended x, y, z: top-1 = x (miss), y at rank 2
    const test = Ratings.fromTriples(['a', 'a', 'b'], ['y', 'w', 'y'], [5, 1, 4]);
    const e = evaluate(m, test, { k: 2, relevanceThreshold: 4 });
    const pred = [3.5, 2, 2.5];
    assert.ok(Math.abs(e.rmse - rmse(pred, [5, 1, 4])) < 1e-6);
    assert.ok(Math.abs(e.mae - mae(pred, [5, 1, 4])) < 1e-6);
    assert.equal(e.rankedUsers, 2);
    // a: top-2 [y, x], relevant {y}: p = 1/2, r = 1, AP = 1, ndcg = 1; b: top-2 [x, y]: p = 1/2, r = 1, AP = 1/2, ndcg = 1/log2(3)
    assert.ok(Math.abs(e.precision - 0.5) < 1e-12);
    assert.ok(Math.abs(e.recall - 1) < 1e-12);
    assert.ok(Math.abs(e.map - 0.75) < 1e-12);
    assert.ok(Math.abs(e.ndcg - (1 + 1 / Math.log2(3)) / 2) < 1e-12);
    assert.equal(e.coverage, 0.5); // {x, y} of 4 items
  });

  it('gives the same answer for a split sharing the ID space and for separately loaded tables', () => {
    const data = syntheticRatings({ users: 120, items: 80, ratings: 4000, rank: 3, seed: 2 });
    const [train, test] = randomSplit(data, { test: 0.25, seed: 3 });
    const model = new ALS({ factors: 4, iterations: 4 }).fit(train);
    const shared = evaluate(model, test);
    const ids = test.ids;
    const foreign = Ratings.fromTriples(Array.from(test.users, (u) => ids.userIds[u]!), Array.from(test.items, (i) => ids.itemIds[i]!), test.values);
    const own = evaluate(model, foreign);
    for (const key of ['rmse', 'mae', 'precision', 'recall', 'ndcg', 'map', 'coverage'] as const) {
      assert.ok(Math.abs(shared[key] - own[key]) < 1e-9, `${key}: ${shared[key]} vs ${own[key]}`);
    }
    const mu = train.values.reduce((a, b) => a + b, 0) / train.size;
    assert.ok(shared.rmse < rmse(new Float32Array(test.size).fill(mu), test.values));
    assert.ok(shared.precision > 0);
    assert.throws(() => evaluate(model, test, { k: 0 }), /k must be/);
  });
});

describe('crossValidate', () => {
  const data = syntheticRatings({ users: 100, items: 60, ratings: 3000, rank: 3, seed: 6 });

  it('reports every fold and their mean and standard deviation', () => {
    const progress: number[] = [];
    const cv = crossValidate(new ALS({ factors: 3, iterations: 3 }), data, { folds: 3, seed: 1, onProgress: (p) => progress.push(p.done) });
    assert.equal(cv.algorithm, 'als');
    assert.equal(cv.folds.length, 3);
    assert.deepEqual(progress, [1, 2, 3]);
    assert.equal(cv.folds.reduce((a, f) => a + f.ratings, 0), data.size);
    const xs = cv.folds.map((f) => f.rmse);
    const mean = xs.reduce((a, b) => a + b, 0) / 3;
    assert.ok(Math.abs(cv.mean.rmse - mean) < 1e-12);
    assert.ok(Math.abs(cv.std.rmse - Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / 3)) < 1e-12);
    assert.ok(cv.folds.every((f) => f.fitSeconds >= 0 && f.k === 10));
    // deterministic for a seed
    const again = crossValidate(new ALS({ factors: 3, iterations: 3 }), data, { folds: 3, seed: 1 });
    assert.equal(again.mean.rmse, cv.mean.rmse);
  });

  it('stops on an aborted signal', () => {
    const ac = new AbortController();
    ac.abort();
    assert.throws(() => crossValidate(new ALS({ factors: 2 }), data, { signal: ac.signal }), AbortedError);
  });
});
