// Small planted low-rank ratings split 80/20, shared by the SGD model tests.
import { rmse } from '../../../../src/models/recommend/evaluation/metrics.js';
import type { LatentFactorModel } from '../../../../src/models/recommend/model/latent-factor-model.js';
import type { Ratings } from '../../../../src/models/recommend/data/ratings.js';
import { randomSplit } from '../../../../src/models/recommend/data/split.js';
import { plantedRatings } from '../../../../src/models/recommend/data/synthetic.js';

let cached: { train: Ratings; test: Ratings } | undefined;

/** 400 users x 300 items, 30k ratings of rank 5 plus noise 0.5, split 80/20 (seeded). */
export function smallSplit(): { train: Ratings; test: Ratings } {
  if (!cached) {
    const { ratings } = plantedRatings({ users: 400, items: 300, ratings: 30_000, rank: 5, seed: 3 });
    const [train, test] = randomSplit(ratings, { test: 0.2, seed: 7 });
    cached = { train, test };
  }
  return cached;
}

/** Held-out RMSE of a model. */
export function heldOutRmse(model: LatentFactorModel, test: Ratings): number {
  return rmse(model.predictRatings(test), test.values);
}

/** RMSE of always predicting the training mean. */
export function meanRmse(train: Ratings, test: Ratings): number {
  let mu = 0;
  for (const v of train.values) mu += v;
  mu /= train.size;
  return rmse(new Float32Array(test.size).fill(mu), test.values);
}
