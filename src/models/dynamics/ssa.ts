/**
 * Singular spectrum analysis (Golyandina, Nekrutkin & Zhigljavsky, "Analysis of Time Series
 * Structure: SSA and Related Techniques", 2001; Golyandina & Zhigljavsky, "Singular Spectrum
 * Analysis for Time Series", 2013), univariate and multivariate:
 *
 * 1. Embedding: the series x (length N) and a window L give the trajectory matrix
 *    X[i, j] = x[i + j], L x K with K = N - L + 1 (for several series of equal length,
 *    MSSA, their matrices side by side: L x sK).
 * 2. Decomposition: the SVD X = sum_i s_i U_i V_i^T; (s_i, U_i, V_i) are the eigentriples
 *    (s_i^2 the eigenvalues of the lag-covariance matrix X X^T, U_i its eigenvectors).
 * 3. Grouping: the eigentriples are split into groups I (trend, each oscillation's pair,
 *    noise), helped by the w-correlations of the elementary reconstructions.
 * 4. Diagonal averaging: each group's matrix X_I = sum_{i in I} s_i U_i V_i^T is turned back
 *    into a series by averaging its anti-diagonals (the projection onto Hankel matrices).
 *
 * A series governed by a linear recurrence (sums of exponentials, polynomials, sinusoids)
 * has a trajectory matrix of low rank, so its eigentriples continue it: the recurrent (LRR)
 * forecast and the vector forecast of Golyandina et al. 2001, section 2.3.
 *
 * Computation. Short series: the trajectory matrix is formed once and given to the dense
 * SVD. Long series: a truncated SVD (randomized subspace iteration, or Lanczos
 * bidiagonalization with a tolerance) of the trajectory matrix as a LinearOperator whose
 * products are FFT convolutions with the series (ssa-hankel.ts; Korobeynikov 2010, as in
 * the R package Rssa), so the L x K matrix is never formed and a product with a block of p
 * columns costs O(p N log min(L, K)). Diagonal averaging is an FFT convolution per
 * eigentriple too.
 */
import { InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../errors.js';
import { runSteps, runStepsAsync, type FitSteps } from '../../fit-async.js';
import { matmul } from '../../linalg/matmul.js';
import { svd } from '../../linalg/svd.js';
import { lanczosSvdSteps } from '../../lowrank/lanczos-svd.js';
import { randomizedSvdSteps } from '../../lowrank/randomized-svd.js';
import { flipSigns } from '../../lowrank/truncated-result.js';
import { Matrix } from '../../matrix/matrix.js';
import type { LinearOperator } from '../../matrix/operator.js';
import { int, LONG_TASK_OPTIONS, maybe, num, oneOf, opt, RANDOMIZED_SOLVER_OPTIONS, resolveOptions, satisfies, tableFor, type RandomizedSolverOptions } from '../../options.js';
import { checkAborted, type Progress } from '../../progress.js';
import { antiDiagonalCounts, diagonalAverages, TrajectoryOperator, trajectoryMatrix } from './ssa-hankel.js';

export { TrajectoryOperator, trajectoryMatrix } from './ssa-hankel.js';

/** How the SVD of the trajectory matrix is computed (see {@link SsaOptions.solver}). */
export const SSA_SOLVERS = ['auto', 'full', 'randomized', 'lanczos'] as const;
/** An SSA solver: 'full' (dense SVD), 'randomized' or 'lanczos' (truncated, matrix-free), or 'auto'. */
export type SsaSolver = (typeof SSA_SOLVERS)[number];

/** Forecasting methods of {@link SsaBase.forecast}. */
export const SSA_FORECAST_METHODS = ['recurrent', 'vector'] as const;
/** 'recurrent' (the LRR continues the series) or 'vector' (lagged vectors continued in the signal subspace). */
export type SsaForecastMethod = (typeof SSA_FORECAST_METHODS)[number];

/**
 * Groups of eigentriples (0-based indices): each entry is one group, an index or a list of
 * indices, e.g. `[0, [1, 2], [3, 4]]` (the trend alone, then two pairs).
 */
export type SsaGroups = readonly (number | readonly number[])[];

/**
 * Above this many flops (min(L, sK)^2 max(L, sK), the dense SVD's leading term) 'auto'
 * leaves the dense SVD for the matrix-free randomized one: about a second of dense SVD.
 */
const FULL_SVD_MAX_WORK = 2 ** 28;

/** Eigentriples a truncated solver computes when `rank` is not given (Rssa's default neig). */
const DEFAULT_TRUNCATED_RANK = 50;


/**
 * Options of {@link ssa} and {@link mssa}. Unknown keys are an error. The randomized
 * solver's tuning (powerIters, oversample, normalizer) and `seed` are those of
 * {@link RandomizedSolverOptions}, with k the `rank`.
 */
export interface SsaOptions extends RandomizedSolverOptions {
  /**
   * Window length L, 2 <= L <= N - 1 (N the series length). Default floor((N + 1) / 2)
   * (Rssa's default; L near N/2 separates components best, Golyandina & Zhigljavsky 2013,
   * section 2.4.3). A multiple of a known period helps separate that period's harmonics.
   */
  window?: number;
  /**
   * Eigentriples to compute, 1 <= rank <= min(L, sK). Default: all min(L, sK) with the
   * 'full' solver, min(50, L, sK) with a truncated one.
   */
  rank?: number;
  /**
   * SVD of the trajectory matrix: 'full' forms the L x sK matrix and runs the dense SVD;
   * 'randomized' (randomized subspace iteration) and 'lanczos' (Lanczos bidiagonalization
   * to tolerance `tol`) only multiply by it, through FFT products, and never form it.
   * Default 'auto': 'full' when min(L, sK)^2 max(L, sK) <= 2^28 (about a second of dense
   * SVD), else 'lanczos' when `tol` is given, else 'randomized'.
   */
  solver?: SsaSolver;
  /** Lanczos: residual tolerance relative to s_1, in (0, 1); default 1e-10. Giving it makes 'auto' choose Lanczos for long series. */
  tol?: number;
  /** Progress of a truncated solver (`stage: 'power iteration'` or Lanczos' stages). */
  onProgress?: (progress: Progress) => void;
  /** Cancels a truncated solver between its iterations (AbortedError). */
  signal?: AbortSignal;
}

const SSA_OPTIONS = tableFor<SsaOptions>()({
  window: maybe(int(2)),
  rank: maybe(int(1)),
  solver: opt(oneOf(SSA_SOLVERS), 'auto'),
  tol: maybe(num(0, 1, 'both')),
  ...RANDOMIZED_SOLVER_OPTIONS,
  ...LONG_TASK_OPTIONS,
});

/** Options of {@link SsaBase.forecast}. */
export interface SsaForecastOptions {
  /**
   * The eigentriples of the signal: a list of groups (see {@link SsaGroups}) whose union is
   * used, e.g. `[0, [1, 2]]`. Default: every computed eigentriple.
   */
  groups?: SsaGroups;
  /** 'recurrent' (default) or 'vector'. */
  method?: SsaForecastMethod;
}

/** The linear recurrence found by {@link SsaBase.lrr}. */
export interface SsaRecurrence {
  /**
   * a_0 .. a_{L-2}: y_k = sum_i a_i y_{k-L+1+i} (the last coefficient multiplies y_{k-1}),
   * R = (1 / (1 - nu^2)) sum_{i in I} pi_i U_i^∇.
   */
  readonly coefficients: Float64Array;
  /** nu^2 = sum_{i in I} pi_i^2, pi_i the last entry of U_i ("verticality"; must be < 1). */
  readonly verticality: number;
}

interface SsaParts {
  series: Float64Array[];
  window: number;
  U: Matrix;
  s: Float64Array;
  V: Matrix;
  solver: 'full' | 'randomized' | 'lanczos';
  norm2: number;
}

/**
 * An SSA decomposition: the eigentriples and what is computed from them. {@link Ssa} (one
 * series) and {@link Mssa} (several) add reconstruction and forecasting in their shapes.
 */
export abstract class SsaBase {
  /** Window length L. */
  readonly window: number;
  /** Series length N. */
  readonly length: number;
  /** K = N - L + 1, lagged vectors per series. */
  readonly k: number;
  /** Number of series s (1 for {@link Ssa}). */
  readonly count: number;
  /** Singular values s_i (square roots of the eigenvalues), descending. */
  readonly s: Float64Array;
  /** Left singular vectors (eigenvectors of X X^T, "empirical orthogonal functions"), L x r. */
  readonly U: Matrix;
  /** Right singular vectors (factor vectors, unit norm), sK x r: rows qK .. qK + K - 1 belong to series q. */
  readonly V: Matrix;
  /** The solver that ran: 'full', 'randomized' or 'lanczos'. */
  readonly solver: 'full' | 'randomized' | 'lanczos';
  /** ||X||_F^2 = sum_q sum_k w_k x_q[k]^2, the total of all N-series eigenvalues. */
  readonly totalEnergy: number;
  /** @internal */
  protected readonly series: Float64Array[];
  private weightsCache?: Float64Array;

  /** @internal Built by {@link ssa} and {@link mssa}. */
  constructor(parts: SsaParts) {
    this.series = parts.series;
    this.window = parts.window;
    this.length = parts.series[0]!.length;
    this.k = this.length - this.window + 1;
    this.count = parts.series.length;
    this.s = parts.s;
    this.U = parts.U;
    this.V = parts.V;
    this.solver = parts.solver;
    this.totalEnergy = parts.norm2;
  }

  // The class name in messages (constructor.name would not survive minification).
  private get kind(): string {
    return this.count === 1 && !(this instanceof Mssa) ? 'Ssa' : 'Mssa';
  }

  /** Eigentriples computed, r. */
  get rank(): number {
    return this.s.length;
  }

  /** Eigenvalues s_i^2 of the lag-covariance matrix X X^T. */
  get eigenvalues(): Float64Array {
    return this.s.map((v) => v * v);
  }

  /** Share of ||X||_F^2 of each eigentriple, s_i^2 / ||X||_F^2 (sums to 1 over all min(L, sK)). */
  get contributions(): Float64Array {
    const t = this.totalEnergy;
    return this.s.map((v) => (t > 0 ? (v * v) / t : 0));
  }

  /** w_k = min(k + 1, L, K, N - k), the weights of the w-inner product (k < N). */
  get weights(): Float64Array {
    this.weightsCache ??= antiDiagonalCounts(this.length, this.window);
    return this.weightsCache.slice();
  }

  /**
   * The w-correlation matrix of the groups' reconstructions (Golyandina et al. 2001,
   * section 1.6): rho_ij = (F_i, F_j)_w / (||F_i||_w ||F_j||_w) with
   * (F, G)_w = sum_k w_k F_k G_k (summed over the series for MSSA). Values near 0 mean the
   * groups are separable; a block of large values marks eigentriples that belong together.
   * A group whose reconstruction is zero has correlation 0 with the others.
   * @param groups - default: every eigentriple alone ([0], [1], ..., [r - 1]).
   * @returns G x G symmetric, ones on the diagonal.
   * @throws InvalidArgumentError for an index outside [0, rank) or an empty group.
   */
  wcorr(groups?: SsaGroups): Matrix {
    const gs = groups === undefined ? Array.from({ length: this.rank }, (_, i) => [i]) : this.checkGroups(groups, 'wcorr');
    const parts = diagonalAverages(this.U, this.s, this.V, this.count, gs);
    const w = antiDiagonalCounts(this.length, this.window);
    const N = this.length;
    const G = gs.length;
    // F: (s N) x G with rows scaled by sqrt(w_k), so F^T F holds the w-inner products.
    const F = Matrix.zeros(this.count * N, G);
    const d = F.data;
    const rows = this.count * N;
    for (let g = 0; g < G; g++) {
      for (let q = 0; q < this.count; q++) {
        const y = parts[g]![q]!;
        const o = g * rows + q * N;
        for (let k = 0; k < N; k++) d[o + k] = Math.sqrt(w[k]!) * y[k]!;
      }
    }
    const C = matmul(F, F, { transA: true });
    const R = Matrix.zeros(G, G);
    for (let i = 0; i < G; i++) {
      for (let j = 0; j < G; j++) {
        const den = Math.sqrt(C.get(i, i) * C.get(j, j));
        R.set(i, j, i === j ? 1 : den > 0 ? Math.max(-1, Math.min(1, C.get(i, j) / den)) : 0);
      }
    }
    return R;
  }

  /**
   * The linear recurrence of the signal subspace span{U_i : i in groups} (Golyandina et al.
   * 2001, section 2.1, theorem 5.2): with pi_i the last entry of U_i, U_i^∇ its first L - 1
   * entries and nu^2 = sum pi_i^2 < 1, R = sum pi_i U_i^∇ / (1 - nu^2), and every series
   * whose lagged vectors lie in the subspace satisfies y_k = sum_i R_i y_{k-L+1+i}.
   * @param groups - default: every eigentriple.
   * @throws InvalidArgumentError for bad groups, or when nu^2 >= 1 - 1e-12 (the vector
   *   e_L lies in the subspace: no recurrence exists; drop the groups that carry it).
   */
  lrr(groups?: SsaGroups): SsaRecurrence {
    const idx = this.union(groups, 'lrr');
    const L = this.window;
    let nu2 = 0;
    for (const t of idx) nu2 += this.U.get(L - 1, t) ** 2;
    if (!(nu2 < 1 - 1e-12)) {
      throw new InvalidArgumentError(`${this.kind}.lrr: the last entries of the chosen eigenvectors have nu^2 = ${nu2.toPrecision(6)} >= 1 (verticality): no linear recurrence exists for this subspace; leave out the eigentriples whose vectors end in large values`);
    }
    const R = new Float64Array(L - 1);
    for (const t of idx) {
      const pi = this.U.get(L - 1, t) / (1 - nu2);
      for (let i = 0; i < L - 1; i++) R[i] = R[i]! + pi * this.U.get(i, t);
    }
    return { coefficients: R, verticality: nu2 };
  }

  /**
   * Reconstruct each group in each series: result[g][q].
   * @internal
   */
  protected reconstructAll(groups: SsaGroups, routine: string): Float64Array[][] {
    const gs = this.checkGroups(groups, routine);
    return diagonalAverages(this.U, this.s, this.V, this.count, gs);
  }

  /**
   * The forecast of each series (h values after the last), from the reconstruction of the
   * union of `groups`.
   * @internal
   */
  protected forecastAll(h: number, options: SsaForecastOptions, routine: string): Float64Array[] {
    if (!(Number.isSafeInteger(h) && h >= 0)) throw new InvalidArgumentError(`${routine}: the horizon must be an integer >= 0, got ${String(h)}`);
    const opts = resolveOptions(routine, FORECAST_OPTIONS, options);
    const idx = this.union(opts.groups, routine);
    const { coefficients: R, verticality: nu2 } = this.lrr([idx]);
    const signal = diagonalAverages(this.U, this.s, this.V, this.count, [idx])[0]!;
    const L = this.window;
    const N = this.length;
    if (opts.method === 'recurrent') {
      // y_k = sum_i R_i y_{k-L+1+i}, started from the reconstructed series.
      return signal.map((y) => {
        const z = new Float64Array(N + h);
        z.set(y);
        for (let k = N; k < N + h; k++) {
          let v = 0;
          const o = k - L + 1;
          for (let i = 0; i < L - 1; i++) v += R[i]! * z[o + i]!;
          z[k] = v;
        }
        return z.slice(N);
      });
    }
    // Vector forecast (Golyandina et al. 2001, section 2.3.1): continue the lagged vectors by
    // Z -> (Pi Z_Δ ; R^T Z_Δ), Z_Δ the last L - 1 entries, Pi = V∇ V∇^T + (1 - nu^2) R R^T
    // the orthogonal projector onto span{U_i^∇}; then average the anti-diagonals of the new
    // vectors. Only vectors K .. K + h + L - 2 reach the anti-diagonals N .. N + h - 1.
    const r = idx.length;
    const Vn = new Float64Array((L - 1) * r); // V∇, column-major
    idx.forEach((t, c) => {
      for (let i = 0; i < L - 1; i++) Vn[c * (L - 1) + i] = this.U.get(i, t);
    });
    const c1 = 1 - nu2;
    return signal.map((y) => {
      const steps = h + L - 1;
      const Z = new Float64Array(steps * L);
      let prev = y.subarray(N - L, N); // the last lagged vector of the reconstruction
      const a = new Float64Array(r);
      for (let t = 0; t < steps; t++) {
        const cur = Z.subarray(t * L, (t + 1) * L);
        // Z_Δ = prev[1..L-1]
        let b = 0;
        for (let i = 0; i < L - 1; i++) b += R[i]! * prev[i + 1]!;
        for (let c = 0; c < r; c++) {
          let v = 0;
          const o = c * (L - 1);
          for (let i = 0; i < L - 1; i++) v += Vn[o + i]! * prev[i + 1]!;
          a[c] = v;
        }
        for (let i = 0; i < L - 1; i++) {
          let v = c1 * R[i]! * b;
          for (let c = 0; c < r; c++) v += Vn[c * (L - 1) + i]! * a[c]!;
          cur[i] = v;
        }
        cur[L - 1] = b;
        prev = cur;
      }
      // Forecast j (series index N + j) averages entry N + j - (K + t) of vector t.
      const out = new Float64Array(h);
      for (let j = 0; j < h; j++) {
        let v = 0;
        for (let t = j; t < j + L; t++) v += Z[t * L + (j + L - 1 - t)]!;
        out[j] = v / L;
      }
      return out;
    });
  }

  /** The groups as arrays of checked indices. @internal */
  protected checkGroups(groups: SsaGroups, routine: string): number[][] {
    const where = `${this.kind}.${routine}`;
    if (!Array.isArray(groups) || groups.length === 0) throw new InvalidArgumentError(`${where}: groups must be a non-empty array of eigentriple indices or lists of them, such as [0, [1, 2]]`);
    const r = this.rank;
    return groups.map((g, gi) => {
      const list = typeof g === 'number' ? [g] : g;
      if (!Array.isArray(list) || list.length === 0) throw new InvalidArgumentError(`${where}: group ${gi} must be an index or a non-empty list of indices, got ${Array.isArray(list) ? 'an empty list' : typeof g}`);
      for (const t of list as unknown[]) {
        if (!(typeof t === 'number' && Number.isInteger(t) && t >= 0 && t < r)) {
          throw new InvalidArgumentError(`${where}: group ${gi} holds eigentriple ${String(t)}, but the indices run from 0 to ${r - 1} (${r} eigentriples computed; raise rank for more)`);
        }
      }
      return [...(list as number[])];
    });
  }

  private union(groups: SsaGroups | undefined, routine: string): number[] {
    const gs = groups === undefined ? [Array.from({ length: this.rank }, (_, i) => i)] : this.checkGroups(groups, routine);
    return [...new Set(gs.flat())].sort((a, b) => a - b);
  }
}

const FORECAST_OPTIONS = tableFor<SsaForecastOptions>()({
  groups: maybe(satisfies('an array of eigentriple indices or lists of them', (v): v is SsaGroups => Array.isArray(v))),
  method: opt(oneOf(SSA_FORECAST_METHODS), 'recurrent'),
});

/** SSA of one series: made by {@link ssa}. */
export class Ssa extends SsaBase {
  /** The series analysed (a copy). */
  get x(): Float64Array {
    return this.series[0]!.slice();
  }

  /**
   * Reconstruct each group by diagonal averaging of its matrix sum_{i in g} s_i U_i V_i^T.
   * The reconstructions of a partition of all min(L, K) eigentriples sum to the series.
   * @param groups - e.g. `[0, [1, 2], [3, 4]]`.
   * @returns one series of length N per group.
   * @throws InvalidArgumentError for an index outside [0, rank) or an empty group.
   * @example
   * const [trend, season] = ssa(x, { window: 24 }).reconstruct([0, [1, 2]]);
   */
  reconstruct(groups: SsaGroups): Float64Array[] {
    return this.reconstructAll(groups, 'reconstruct').map((g) => g[0]!);
  }

  /**
   * Forecast h values after the end of the series from the signal made of `groups`:
   * 'recurrent' continues the reconstructed signal with its linear recurrence
   * ({@link SsaBase.lrr}); 'vector' continues its lagged vectors within the signal
   * subspace (Golyandina et al. 2001, section 2.3).
   * @throws InvalidArgumentError for a bad horizon, groups or method, or when no recurrence
   *   exists (see {@link SsaBase.lrr}).
   * @example
   * const next12 = ssa(x, { window: 24 }).forecast(12, { groups: [0, [1, 2]] });
   */
  forecast(h: number, options: SsaForecastOptions = {}): Float64Array {
    return this.forecastAll(h, options, 'forecast')[0]!;
  }
}

/** Multivariate SSA of several series of equal length: made by {@link mssa}. */
export class Mssa extends SsaBase {
  /** The series analysed (copies), one per entry. */
  get x(): Float64Array[] {
    return this.series.map((y) => y.slice());
  }

  /**
   * Reconstruct each group in each series by diagonal averaging of the series' block of
   * sum_{i in g} s_i U_i V_i^T.
   * @returns result[g][q]: group g in series q (length N).
   * @throws InvalidArgumentError for an index outside [0, rank) or an empty group.
   */
  reconstruct(groups: SsaGroups): Float64Array[][] {
    return this.reconstructAll(groups, 'reconstruct');
  }

  /**
   * Forecast h values of every series: the recurrence of the common signal subspace
   * span{U_i} (the column forecast of Rssa's MSSA) applied to each series' reconstruction,
   * or its vector forecast.
   * @returns one array of h values per series.
   */
  forecast(h: number, options: SsaForecastOptions = {}): Float64Array[] {
    return this.forecastAll(h, options, 'forecast');
  }
}

function seriesOf(x: unknown, routine: string, label: string): Float64Array {
  let out: Float64Array;
  if (x instanceof Matrix) {
    if (x.rows !== 1 && x.cols !== 1) throw new ShapeError(`${routine}: ${label} must be a vector (1 x N or N x 1), got a ${x.rows}x${x.cols} matrix`);
    out = Float64Array.from(x.toFlat());
  } else if (x !== null && typeof x === 'object' && typeof (x as ArrayLike<number>).length === 'number') {
    const a = x as ArrayLike<unknown>;
    out = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (typeof v !== 'number') throw new InvalidArgumentError(`${routine}: ${label}[${i}] is ${v === null ? 'null' : typeof v}, not a number`);
      out[i] = v;
    }
  } else {
    throw new InvalidArgumentError(`${routine}: ${label} must be an array of numbers, got ${x === null ? 'null' : typeof x}`);
  }
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) throw new NonFiniteInputError(`${routine}: ${label}[${i}] is ${out[i]}; SSA needs finite values (fill or drop missing values first)`);
  }
  return out;
}

/**
 * The solver 'auto' picks and the default rank, for series of length N, window L and
 * `count` series (the rules of {@link SsaOptions.solver} and {@link SsaOptions.rank}).
 * @internal Used by ssa/mssa and by the CLI, which checks --groups against the rank first.
 */
export function ssaPlan(N: number, L: number, count: number, o: Pick<SsaOptions, 'solver' | 'rank' | 'tol'>): { solver: 'full' | 'randomized' | 'lanczos'; rank: number; maxRank: number } {
  const cols = count * (N - L + 1);
  const maxRank = Math.min(L, cols);
  const work = maxRank ** 2 * Math.max(L, cols);
  const requested = o.solver ?? 'auto';
  const solver = requested === 'auto' ? (work <= FULL_SVD_MAX_WORK ? 'full' : o.tol !== undefined ? 'lanczos' : 'randomized') : requested;
  const rank = o.rank ?? (solver === 'full' ? maxRank : Math.min(DEFAULT_TRUNCATED_RANK, maxRank));
  return { solver, rank, maxRank };
}

/**
 * The operator for the truncated solvers, writing its products into buffers it reuses: a
 * fresh 16 MB result per product (L = 1,000, N = 100,000, 20 columns) costs more in first-
 * touch page faults than the FFTs of the product. Safe because the solvers copy every
 * product out at once (productsOf in src/lowrank/products.ts) before asking for the next.
 */
function reusing(op: TrajectoryOperator): LinearOperator {
  const buffers = new Map<string, Matrix>();
  const buffer = (rows: number, cols: number) => {
    const key = `${rows}x${cols}`;
    let M = buffers.get(key);
    if (!M) {
      M = Matrix.zeros(rows, cols);
      buffers.set(key, M);
    }
    return M;
  };
  return {
    shape: op.shape,
    dtype: op.dtype,
    apply: (V) => op.applyInto(V, buffer(op.shape[0], V.cols)),
    applyTranspose: (U) => op.applyTransposeInto(U, buffer(op.shape[1], U.cols)),
  };
}

function* ssaSteps(series: Float64Array[], options: SsaOptions | undefined, routine: string): FitSteps<SsaParts> {
  const o = resolveOptions(routine, SSA_OPTIONS, options);
  const N = series[0]!.length;
  if (N < 3) throw new ShapeError(`${routine}: the series has ${N} values; SSA needs at least 3`);
  const L = o.window ?? Math.floor((N + 1) / 2);
  if (!(L >= 2 && L <= N - 1)) throw new InvalidArgumentError(`${routine}: window must be an integer in [2, ${N - 1}] for a series of length ${N}, got ${L}`);
  const { solver, rank, maxRank } = ssaPlan(N, L, series.length, o);
  if (rank > maxRank) throw new InvalidArgumentError(`${routine}: rank must be at most min(L, ${series.length > 1 ? 'sK' : 'K'}) = ${maxRank} for window ${L} and length ${N}, got ${rank}`);
  checkAborted(o.signal, routine);
  // ||X||_F^2 = sum_k w_k x_k^2 (each value appears w_k times in the trajectory matrix).
  const w = antiDiagonalCounts(N, L);
  let norm2 = 0;
  for (const x of series) for (let k = 0; k < N; k++) norm2 += w[k]! * x[k]! * x[k]!;
  let U: Matrix;
  let s: Float64Array;
  let V: Matrix;
  if (solver === 'full') {
    const f = svd(trajectoryMatrix(series, L));
    U = f.U.colRange(0, rank).copy();
    s = Float64Array.from(f.s.subarray(0, rank));
    const Vt = f.Vt.rowRange(0, rank).copy();
    flipSigns(U, Vt);
    V = Vt.T.copy();
    yield;
  } else {
    const op = reusing(new TrajectoryOperator(series, L));
    const common = { seed: o.seed, onProgress: o.onProgress, signal: o.signal };
    const f =
      solver === 'lanczos'
        ? yield* lanczosSvdSteps(op, rank, { ...common, tol: o.tol })
        : yield* randomizedSvdSteps(op, rank, { ...common, powerIters: o.powerIters, oversample: o.oversample, normalizer: o.normalizer });
    U = f.U;
    s = Float64Array.from(f.s);
    V = f.Vt.T.copy();
  }
  return { series, window: L, U, s, V, solver, norm2 };
}

/**
 * Singular spectrum analysis of one series (see the module comment): the eigentriples of
 * its trajectory matrix, ready for grouping ({@link SsaBase.wcorr}), reconstruction
 * ({@link Ssa.reconstruct}) and forecasting ({@link Ssa.forecast}).
 *
 * Cost: short series (min(L, K)^2 max(L, K) <= 2^28) a dense SVD of the L x K matrix; long
 * ones (2q + 2) products of the FFT operator with (rank + oversample) columns, each
 * O(N log min(L, K)) per column, and no L x K matrix (a 100,000-point series with
 * L = 1,000 and rank 10 takes about a second on two cores, bench/ssa.ts). Reconstruction and
 * w-correlations: one FFT convolution of length N per eigentriple used.
 * @param x - the series: an array, a typed array, or a 1 x N / N x 1 Matrix; finite values.
 * @param options - window, rank, solver, ... (see {@link SsaOptions}).
 * @throws InvalidArgumentError for a window outside [2, N - 1], a rank above min(L, K), or
 *   a bad option; NonFiniteInputError for NaN or Inf (naming the index); ShapeError for a
 *   series shorter than 3 or a matrix that is not a vector; AbortedError when `signal` fires.
 * @example
 * const f = ssa(monthly, { window: 36 });
 * const [trend, yearly] = f.reconstruct([0, [1, 2]]);
 * const next = f.forecast(12, { groups: [0, [1, 2]] });
 */
export function ssa(x: ArrayLike<number> | Matrix, options?: SsaOptions): Ssa {
  const series = [seriesOf(x, 'ssa', 'x')];
  return new Ssa(runSteps(ssaSteps(series, options, 'ssa'), options?.signal, 'ssa'));
}

/**
 * {@link ssa} without blocking: the event loop gets a turn between the solver's steps
 * (power iterations or Lanczos restarts), and `signal` (for instance
 * `AbortSignal.timeout(ms)`) stops it there with an AbortedError.
 * @example
 * const f = await ssaAsync(x, { window: 1000, rank: 20, signal: AbortSignal.timeout(5000) });
 */
export async function ssaAsync(x: ArrayLike<number> | Matrix, options?: SsaOptions): Promise<Ssa> {
  const series = [seriesOf(x, 'ssaAsync', 'x')];
  return new Ssa(await runStepsAsync(ssaSteps(series, options, 'ssaAsync'), options?.signal, 'ssaAsync'));
}

/**
 * Multivariate SSA (MSSA) of several series of equal length: the SVD of their trajectory
 * matrices side by side, [X_1 : ... : X_s] (L x sK; Golyandina, Korobeynikov, Shlemov &
 * Usevich 2015), so the eigenvectors U_i are common to all series and each V_i has one
 * block of K entries per series. Reconstruction and forecasting as for {@link ssa}, per
 * series.
 * @param series - an array of series (arrays or typed arrays of one length N), or an
 *   N x s Matrix whose columns are the series.
 * @param options - as for {@link ssa}; rank is at most min(L, sK).
 * @throws ShapeError for no series or series of different lengths; otherwise as {@link ssa}.
 * @example
 * const f = mssa([temperature, pressure], { window: 24 });
 * const [[tTrend, pTrend]] = f.reconstruct([0]);
 */
export function mssa(series: readonly ArrayLike<number>[] | Matrix, options?: SsaOptions): Mssa {
  return new Mssa(runSteps(ssaSteps(seriesListOf(series, 'mssa'), options, 'mssa'), options?.signal, 'mssa'));
}

/** {@link mssa} without blocking, as {@link ssaAsync}. */
export async function mssaAsync(series: readonly ArrayLike<number>[] | Matrix, options?: SsaOptions): Promise<Mssa> {
  return new Mssa(await runStepsAsync(ssaSteps(seriesListOf(series, 'mssaAsync'), options, 'mssaAsync'), options?.signal, 'mssaAsync'));
}

/** The series of an MSSA input, checked: one length, at least one series, finite values. */
function seriesListOf(series: readonly ArrayLike<number>[] | Matrix, routine: string): Float64Array[] {
  let list: Float64Array[];
  if (series instanceof Matrix) {
    list = [];
    for (let q = 0; q < series.cols; q++) list.push(seriesOf(series.col(q), routine, `column ${q}`));
  } else {
    if (!Array.isArray(series)) throw new InvalidArgumentError(`${routine}: series must be an array of series or a Matrix whose columns are the series`);
    list = series.map((x, q) => seriesOf(x, routine, `series[${q}]`));
  }
  if (list.length === 0) throw new ShapeError(`${routine}: no series given`);
  const N = list[0]!.length;
  list.forEach((x, q) => {
    if (x.length !== N) throw new ShapeError(`${routine}: series ${q} has ${x.length} values, series 0 has ${N}; MSSA needs series of equal length`);
  });
  return list;
}
