/**
 * The ratings instrument's work, run in the Lab's compute worker (lab/worker.ts): the grid
 * for a seed, the fit at (k, steps) with its curve along the steps, and the final train and
 * held-out RMSE for every k from 1 to K_MAX at the same steps (the lesson's chart: train
 * error keeps falling with k, held-out error turns up past the planted rank).
 */
import { fitFactors, makeRatingsGrid, type RatingsGrid } from './ratings-model.js';

/** The largest k the instrument offers. */
export const K_MAX = 8;

/** Input of 'ratings.fit'. */
export interface RatingsFitInput {
  seed: number;
  k: number;
  steps: number;
}

/** Output of 'ratings.fit': plain data (structured-cloneable). */
export interface RatingsFitOutput {
  users: number;
  items: number;
  plantedRank: number;
  /** True ratings, row-major users x items. */
  truth: Float64Array;
  /** 1 where observed. */
  observed: Uint8Array;
  /** mu + U V^T, row-major users x items. */
  prediction: Float64Array;
  trainRmse: number;
  heldOutRmse: number;
  parameters: number;
  curve: { step: number; train: number; heldOut: number }[];
  /** Final RMSEs for k = 1 .. K_MAX at the same steps. */
  byK: { k: number; train: number; heldOut: number }[];
}

let cachedGrid: { seed: number; grid: RatingsGrid } | undefined;
const byKCache = new Map<string, { k: number; train: number; heldOut: number }>();

function gridFor(seed: number): RatingsGrid {
  if (cachedGrid?.seed !== seed) {
    cachedGrid = { seed, grid: makeRatingsGrid({ seed }) };
    byKCache.clear();
  }
  return cachedGrid.grid;
}

/** The fit for one (seed, k, steps) and the RMSE against k (cached per (k, steps)). */
export function ratingsFit(input: RatingsFitInput): RatingsFitOutput {
  const grid = gridFor(input.seed);
  const r = fitFactors(grid, { k: input.k, steps: input.steps });
  byKCache.set(`${input.k}:${input.steps}`, { k: input.k, train: r.trainRmse, heldOut: r.heldOutRmse });
  const byK: RatingsFitOutput['byK'] = [];
  for (let k = 1; k <= K_MAX; k++) {
    const key = `${k}:${input.steps}`;
    let e = byKCache.get(key);
    if (!e) {
      const f = fitFactors(grid, { k, steps: input.steps, every: Math.max(1, input.steps) });
      e = { k, train: f.trainRmse, heldOut: f.heldOutRmse };
      byKCache.set(key, e);
    }
    byK.push(e);
  }
  const { users: m, items: n } = grid;
  const truth = new Float64Array(m * n);
  const prediction = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      truth[i * n + j] = grid.truth.get(i, j);
      prediction[i * n + j] = r.prediction.get(i, j);
    }
  }
  return {
    users: m,
    items: n,
    plantedRank: grid.plantedRank,
    truth,
    observed: grid.observed.slice(),
    prediction,
    trainRmse: r.trainRmse,
    heldOutRmse: r.heldOutRmse,
    parameters: r.parameters,
    curve: r.curve.map((p) => ({ ...p })),
    byK,
  };
}

/** The jobs this instrument runs in the worker. */
export const jobs = { 'ratings.fit': ratingsFit };
