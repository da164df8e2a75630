/**
 * The low-rank ratings instrument's model, without DOM: a synthetic ratings grid with a
 * planted rank, and latent factors fitted by full-batch gradient descent on the observed
 * cells only (the "Funk SVD" objective, Koren, Bell & Volinsky 2009):
 *
 *   min_{U,V} sum_{(i,j) observed} (r_ij - mu - u_i . v_j)^2 + lambda (||U||_F^2 + ||V||_F^2)
 *
 * Because the grid is synthetic, the true value behind every blank is known, so the
 * held-out RMSE over the blanks shows generalization: raising k past the planted rank
 * drives the train RMSE towards zero while the held-out RMSE stops improving or rises.
 */
import { Matrix, rng } from '../../src/browser.js';

/** A ratings grid: every cell has a true value; `observed` marks the ones shown. */
export interface RatingsGrid {
  readonly users: number;
  readonly items: number;
  readonly plantedRank: number;
  /** True ratings (users x items), planted low rank plus noise, in [1, 5]. */
  readonly truth: Matrix;
  /** 1 where the rating is observed (training data), 0 where it is blank. */
  readonly observed: Uint8Array;
}

/** Options of {@link makeRatingsGrid}. */
export interface RatingsGridOptions {
  users?: number;
  items?: number;
  rank?: number;
  /** Fraction of cells observed; default 0.6. */
  density?: number;
  /** Standard deviation of the rating noise; default 0.2. */
  noise?: number;
  seed?: number;
}

/** A users x items grid of rank `rank` (default 2) plus noise, squashed into 1..5 stars. */
export function makeRatingsGrid(o: RatingsGridOptions = {}): RatingsGrid {
  const m = o.users ?? 16, n = o.items ?? 12, r = o.rank ?? 2;
  const g = rng(o.seed ?? 4);
  const P = Matrix.random(m, r, { seed: g, distribution: 'normal' });
  const Q = Matrix.random(r, n, { seed: g, distribution: 'normal' });
  const truth = Matrix.zeros(m, n);
  let sum = 0, sumsq = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let v = 0;
      for (let p = 0; p < r; p++) v += P.get(i, p) * Q.get(p, j);
      truth.set(i, j, v);
      sum += v;
      sumsq += v * v;
    }
  }
  const mean = sum / (m * n), sd = Math.sqrt(Math.max(1e-12, sumsq / (m * n) - mean * mean));
  const noise = o.noise ?? 0.2;
  const observed = new Uint8Array(m * n);
  const density = o.density ?? 0.6;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const v = 3 + (1.2 * (truth.get(i, j) - mean)) / sd + noise * g.nextNormal();
      truth.set(i, j, Math.min(5, Math.max(1, v)));
      observed[i * n + j] = g.nextDouble() < density ? 1 : 0;
    }
  }
  return { users: m, items: n, plantedRank: r, truth, observed };
}

/** Options of {@link fitFactors}. */
export interface FitOptions {
  /** Latent dimension k. */
  k: number;
  /** Gradient steps over all observed cells. */
  steps: number;
  /** Step size; default 0.03. */
  learningRate?: number;
  /** L2 penalty lambda; default 0.05. */
  lambda?: number;
  /** Seed of the N(0, 0.3^2) initial factors; default 0. */
  seed?: number;
  /** Record the curve every this many steps; default steps/60 rounded up. */
  every?: number;
}

/** Result of {@link fitFactors}. */
export interface FitResult {
  /** Predictions mu + U V^T for every cell (users x items). */
  readonly prediction: Matrix;
  readonly trainRmse: number;
  readonly heldOutRmse: number;
  /** Parameters of the factorization, k (m + n). */
  readonly parameters: number;
  /** (step, train RMSE, held-out RMSE) along the descent. */
  readonly curve: readonly { step: number; train: number; heldOut: number }[];
}

/** Row-major predictions mu + U V^T and the RMSE over the observed cells and over the blanks. */
function evaluate(grid: RatingsGrid, truth: Float64Array, mu: number, u: Float64Array, v: Float64Array, k: number, prediction: Float64Array): { train: number; heldOut: number } {
  const { users: m, items: n, observed } = grid;
  let st = 0, nt = 0, sh = 0, nh = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let p = mu;
      for (let q = 0; q < k; q++) p += u[i + q * m]! * v[j + q * n]!;
      prediction[i * n + j] = p;
      const e = truth[i * n + j]! - p;
      if (observed[i * n + j]) { st += e * e; nt++; } else { sh += e * e; nh++; }
    }
  }
  return { train: Math.sqrt(st / Math.max(1, nt)), heldOut: Math.sqrt(sh / Math.max(1, nh)) };
}

/**
 * Full-batch gradient descent on the observed cells from a seeded start, calling
 * `checkpoint(step, mu, u, v)` at step 0, every `every` steps and at the last step:
 *   E = mask .* (R - mu - U V^T);  U += lr (E V - lambda U);  V += lr (E^T U - lambda V).
 * u (m x k) and v (n x k) are column-major. Cost O(steps * |observed| * k).
 */
function descend(grid: RatingsGrid, k: number, steps: number, every: number, o: { learningRate?: number; lambda?: number; seed?: number }, checkpoint: (step: number, mu: number, u: Float64Array, v: Float64Array) => void): void {
  const { users: m, items: n, observed } = grid;
  const lr = o.learningRate ?? 0.03, lambda = o.lambda ?? 0.05;
  const g = rng(o.seed ?? 0);
  const u = Matrix.random(m, k, { seed: g, distribution: 'normal' }).scale(0.3).data as Float64Array; // column-major, ld = m (float64: the default dtype)
  const v = Matrix.random(n, k, { seed: g, distribution: 'normal' }).scale(0.3).data as Float64Array;
  let mu = 0;
  const cells: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      if (!observed[i * n + j]) continue;
      const r = grid.truth.get(i, j);
      mu += r;
      cells.push(i, j);
      values.push(r);
    }
  }
  mu /= Math.max(1, values.length);
  const gU = new Float64Array(m * k), gV = new Float64Array(n * k);
  for (let s = 0; s <= steps; s++) {
    if (s % every === 0 || s === steps) checkpoint(s, mu, u, v);
    if (s === steps) break;
    gU.fill(0);
    gV.fill(0);
    for (let c = 0, t = 0; c < cells.length; c += 2, t++) {
      const i = cells[c]!, j = cells[c + 1]!;
      let pred = mu;
      for (let p = 0; p < k; p++) pred += u[i + p * m]! * v[j + p * n]!;
      const e = values[t]! - pred;
      for (let p = 0; p < k; p++) {
        gU[i + p * m] = gU[i + p * m]! + e * v[j + p * n]!;
        gV[j + p * n] = gV[j + p * n]! + e * u[i + p * m]!;
      }
    }
    for (let t = 0; t < m * k; t++) u[t] = u[t]! + lr * (gU[t]! - lambda * u[t]!);
    for (let t = 0; t < n * k; t++) v[t] = v[t]! + lr * (gV[t]! - lambda * v[t]!);
  }
}

/** The true ratings as a row-major array. */
function truthRowMajor(grid: RatingsGrid): Float64Array {
  const { users: m, items: n } = grid;
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[i * n + j] = grid.truth.get(i, j);
  return t;
}

/**
 * Fit U (users x k), V (items x k) by `steps` full-batch gradient steps on the observed
 * cells, from a seeded start (so a given (k, steps) always gives the same picture).
 */
export function fitFactors(grid: RatingsGrid, o: FitOptions): FitResult {
  const { users: m, items: n } = grid;
  const k = o.k;
  const truth = truthRowMajor(grid);
  const every = o.every ?? Math.max(1, Math.ceil(o.steps / 60));
  const curve: { step: number; train: number; heldOut: number }[] = [];
  const pred = new Float64Array(m * n);
  let last = { train: NaN, heldOut: NaN };
  descend(grid, k, o.steps, every, o, (step, mu, u, v) => {
    last = evaluate(grid, truth, mu, u, v, k, pred);
    curve.push({ step, train: last.train, heldOut: last.heldOut });
  });
  const prediction = Matrix.zeros(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) prediction.set(i, j, pred[i * n + j]!);
  return { prediction, trainRmse: last.train, heldOutRmse: last.heldOut, parameters: k * (m + n), curve };
}

/** The whole descent for one k, kept at every checkpoint (see {@link fitTrajectory}). */
export interface Trajectory {
  readonly k: number;
  /** Checkpoint steps 0, every, 2 every, ..., maxSteps. */
  readonly steps: Int32Array;
  readonly train: Float64Array;
  readonly heldOut: Float64Array;
  /** Row-major users x items predictions at checkpoint c: predictions[c * m * n + i * n + j]. */
  readonly predictions: Float64Array;
}

/**
 * One descent of `maxSteps` steps for rank k, with the predictions and both RMSEs at every
 * `every`-th step: the fit at any checkpoint s equals {@link fitFactors} with steps = s
 * (the same iterates from the same seeded start), so a steps slider on that grid is a lookup.
 */
export function fitTrajectory(grid: RatingsGrid, k: number, maxSteps: number, every: number, o: { learningRate?: number; lambda?: number; seed?: number } = {}): Trajectory {
  const { users: m, items: n } = grid;
  const count = Math.floor(maxSteps / every) + 1 + (maxSteps % every === 0 ? 0 : 1);
  const steps = new Int32Array(count), train = new Float64Array(count), heldOut = new Float64Array(count);
  const predictions = new Float64Array(count * m * n);
  const truth = truthRowMajor(grid);
  let c = 0;
  descend(grid, k, maxSteps, every, o, (step, mu, u, v) => {
    const r = evaluate(grid, truth, mu, u, v, k, predictions.subarray(c * m * n, (c + 1) * m * n));
    steps[c] = step;
    train[c] = r.train;
    heldOut[c] = r.heldOut;
    c++;
  });
  return { k, steps, train, heldOut, predictions };
}
