/**
 * The ratings instrument's work, run in the Lab's compute worker (lab/worker.ts). For a grid
 * (a seed) it runs one descent of MAX_STEPS steps per rank k = 1..K_MAX and keeps the
 * predictions and RMSEs at every STEP-th step ({@link fitTrajectory}): the fit at any
 * (k, steps) on the slider's grid is then a lookup, so dragging or playing the steps costs
 * nothing, and the lesson's chart (final train and held-out RMSE against k at the current
 * steps) comes from the same trajectories.
 */
import { fitFactors, fitTrajectory, makeRatingsGrid, type RatingsGrid, type Trajectory } from './ratings-model.js';

/** The largest k the instrument offers. */
export const K_MAX = 8;
/** The steps slider's range and step. */
export const MAX_STEPS = 2000;
export const STEP = 10;

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
  /** mu + U V^T at (k, steps), row-major users x items. */
  prediction: Float64Array;
  trainRmse: number;
  heldOutRmse: number;
  parameters: number;
  /** Train and held-out RMSE along the descent for this k, steps 0..`steps` (every STEP). */
  curve: { step: number; train: number; heldOut: number }[];
  /** The largest RMSE on this k's whole descent (a fixed y axis for the curve). */
  curveMax: number;
  /** Final train and held-out RMSE for k = 1 .. K_MAX at the same steps. */
  byK: { k: number; train: number; heldOut: number }[];
}

let cache: { seed: number; grid: RatingsGrid; truth: Float64Array; traj: Map<number, Trajectory> } | undefined;

function forSeed(seed: number): NonNullable<typeof cache> {
  if (cache?.seed !== seed) {
    const grid = makeRatingsGrid({ seed });
    const { users: m, items: n } = grid;
    const truth = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) truth[i * n + j] = grid.truth.get(i, j);
    cache = { seed, grid, truth, traj: new Map() };
  }
  return cache;
}

function trajectory(c: NonNullable<typeof cache>, k: number): Trajectory {
  let t = c.traj.get(k);
  if (!t) {
    t = fitTrajectory(c.grid, k, MAX_STEPS, STEP);
    c.traj.set(k, t);
  }
  return t;
}

/** The fit at (seed, k, steps), its curve, and the RMSE against k at those steps. */
export function ratingsFit(input: RatingsFitInput): RatingsFitOutput {
  const c = forSeed(input.seed);
  const { grid } = c;
  const { users: m, items: n } = grid;
  const onGrid = Number.isInteger(input.steps / STEP) && input.steps >= 0 && input.steps <= MAX_STEPS;
  let prediction: Float64Array, trainRmse: number, heldOutRmse: number;
  let curve: RatingsFitOutput['curve'];
  let curveMax = 0;
  const byK: RatingsFitOutput['byK'] = [];
  if (onGrid) {
    const at = input.steps / STEP;
    const t = trajectory(c, input.k);
    prediction = t.predictions.slice(at * m * n, (at + 1) * m * n);
    trainRmse = t.train[at]!;
    heldOutRmse = t.heldOut[at]!;
    curve = [];
    for (let i = 0; i <= at; i++) curve.push({ step: t.steps[i]!, train: t.train[i]!, heldOut: t.heldOut[i]! });
    for (let i = 0; i < t.steps.length; i++) curveMax = Math.max(curveMax, t.train[i]!, t.heldOut[i]!);
    for (let k = 1; k <= K_MAX; k++) {
      const tk = trajectory(c, k);
      byK.push({ k, train: tk.train[at]!, heldOut: tk.heldOut[at]! });
    }
  } else {
    // Off the slider's grid (not reachable from the page): fit directly.
    const r = fitFactors(grid, { k: input.k, steps: input.steps });
    prediction = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) prediction[i * n + j] = r.prediction.get(i, j);
    trainRmse = r.trainRmse;
    heldOutRmse = r.heldOutRmse;
    curve = r.curve.map((p) => ({ ...p }));
    curveMax = Math.max(...curve.map((p) => Math.max(p.train, p.heldOut)));
    for (let k = 1; k <= K_MAX; k++) {
      const f = k === input.k ? r : fitFactors(grid, { k, steps: input.steps, every: Math.max(1, input.steps) });
      byK.push({ k, train: f.trainRmse, heldOut: f.heldOutRmse });
    }
  }
  return {
    users: m,
    items: n,
    plantedRank: grid.plantedRank,
    truth: c.truth,
    observed: grid.observed,
    prediction,
    trainRmse,
    heldOutRmse,
    parameters: input.k * (m + n),
    curve,
    curveMax,
    byK,
  };
}

/** The jobs this instrument runs in the worker. */
export const jobs = { 'ratings.fit': ratingsFit };
