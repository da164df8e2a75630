/**
 * TT-cross: the tensor train of a function of d indices from a few of its values, never the
 * full grid -- DMRG-cross (Savostyanov & Oseledets 2011, "Fast adaptive interpolation of
 * multi-dimensional arrays in tensor train format"; Oseledets & Tyrtyshnikov 2010,
 * "TT-cross approximation"; Savostyanov 2014 for maxvol-based index selection).
 *
 * The approximation interpolates f on nested index sets: left sets I_k (r_k multi-indices of
 * the modes 0 .. k-1) and right sets J_k (r_k multi-indices of the modes k .. d-1). A sweep
 * visits the pairs of neighbouring modes (k, k+1); for each it evaluates the "supercore"
 *
 *   S[(alpha, i_k), (i_{k+1}, beta)] = f(I_k[alpha], i_k, i_{k+1}, J_{k+2}[beta]),
 *
 * an (r_k n_k) x (n_{k+1} r_{k+2}) matrix (r_k n_k n_{k+1} r_{k+2} evaluations), truncates
 * its SVD at eps ||S||_F / sqrt(d - 1) -- which sets the new rank r_{k+1}, so ranks adapt --
 * and picks r_{k+1} rows (left-to-right sweeps) or columns (right-to-left) of maximal
 * volume in the singular vectors (maxvol): they become the next index set, and the core is
 * the interpolation matrix U U[rows]^{-1} (entries of modulus <= 1.05). The sweep's last
 * supercore supplies the last (first) core. Sweeps alternate direction until the train's
 * values at random test points change by less than eps between two sweeps.
 *
 * Evaluations per sweep: about (d - 1) n^2 r^2 for ranks r (for a 2^30-point function in
 * quantics form, d = 30, n = 2, r = 4: ~2000).
 */
import { InvalidArgumentError, NonFiniteInputError, check } from '../../errors.js';
import { runSteps, runStepsAsync, type FitSteps } from '../../fit-async.js';
import { int, LONG_TASK_OPTIONS, maybe, num, opt, randomStateRule, resolveOptions, tableFor } from '../../options.js';
import { checkAborted, type LongTaskOptions } from '../../progress.js';
import { rng, type RandomState } from '../../random.js';
import { TensorTrain } from './tensor-train.js';
import { norm2, svdC, truncationRank } from './tt-dense.js';
import { maxvol } from './tt-maxvol.js';
import { MAX_RANK_RULE, rankCaps, showIndex, type MaxRank } from './tt-options.js';

/** A function of one multi-index (one integer per mode, 0-based), returning a finite number. */
export type TtCrossFunction = (index: readonly number[]) => number;

/**
 * The vectorized form: `batch(indices, count)` receives `count` multi-indices as one
 * Int32Array of count * d integers (row-major: point p is indices[p * d .. p * d + d)) and
 * returns their `count` values.
 */
export interface TtCrossBatchFunction {
  batch: (indices: Int32Array, count: number) => ArrayLike<number>;
}

/** Options of {@link ttCross}; unknown keys are an error. */
export interface TtCrossOptions extends LongTaskOptions {
  /**
   * Relative accuracy of each supercore's truncation (eps ||S||_F / sqrt(d - 1)) and the
   * stopping tolerance: stop when the train's values at the test points change by at most
   * eps (relative) between two sweeps. A number > 0; default 1e-8.
   */
  eps?: number;
  /** Rank cap: one integer >= 1 for every bond, or a list with one per bond (d - 1). Default: none. */
  maxRank?: MaxRank;
  /** Most sweeps (one direction each), an integer >= 1; default 20. */
  maxIter?: number;
  /** Rank of the random start (the number of random points whose tails seed the right sets), >= 1; default 2. */
  initialRank?: number;
  /** Random points at which successive sweeps are compared (and the error is estimated), >= 1; default 200. */
  testPoints?: number;
  /** Seed (or generator) of the start and the test points; default 0. */
  seed?: RandomState;
}

const TT_CROSS_OPTIONS = tableFor<TtCrossOptions>()({
  eps: opt(num(0, Infinity, 'low'), 1e-8),
  maxRank: maybe(MAX_RANK_RULE),
  maxIter: opt(int(1), 20),
  initialRank: opt(int(1), 2),
  testPoints: opt(int(1), 200),
  seed: opt(randomStateRule, 0),
  ...LONG_TASK_OPTIONS,
});

/** What {@link ttCross} returns. */
export interface TtCrossResult {
  /** The tensor train. */
  readonly tt: TensorTrain;
  /** ||f - tt|| / ||f|| over the random test points (an estimate of the relative error). */
  readonly relativeError: number;
  /** Whether the values at the test points settled (changed by <= eps) before maxIter sweeps. */
  readonly converged: boolean;
  /** Sweeps run (one direction each). */
  readonly sweeps: number;
  /** Calls of f (or points passed to its batch form), test points included. */
  readonly evaluations: number;
}

/**
 * TT-cross approximation (DMRG-cross with maxvol; see the file comment) of the tensor
 * T(i_0, ..., i_{d-1}) = f(index) of the given shape, from a few of its entries: the full
 * grid is never formed (a 2^30-entry function costs thousands of evaluations).
 *
 * Works well when T has low TT ranks and f is cheap to sample anywhere; a function with
 * isolated features the sampled fibers miss can be under-resolved (as for any cross method);
 * compare `relativeError`, and raise `initialRank` or lower `eps` if in doubt.
 *
 * @param f - f(index) -> number, or `{ batch(indices, count) }` for vectorized evaluation.
 * @param shape - mode sizes, at least 2 modes, each >= 1.
 * @param options - see {@link TtCrossOptions}; `onProgress` is called after each sweep
 *   (`{ stage: 'sweep', done, total, metrics: { change, error, maxRank, evaluations } }`) and
 *   `signal` stops the work between supercores.
 * @throws InvalidArgumentError for a bad shape or option, or when f returns something other
 *   than a number (naming the index); NonFiniteInputError when f returns NaN or Infinity,
 *   naming the index; AbortedError.
 * @example
 * // sin(x) on 2^30 points in quantics form: 30 modes of size 2, ranks 2.
 * const L = 30;
 * const { tt } = ttCross((bits) => Math.sin(quanticsIndex(bits) / 2 ** L * 10), new Array(L).fill(2));
 * tt.maxRank; // 2
 */
export function ttCross(f: TtCrossFunction | TtCrossBatchFunction, shape: readonly number[], options: TtCrossOptions = {}): TtCrossResult {
  return runSteps(ttCrossSteps(f, shape, options), options.signal, 'ttCross');
}

/** {@link ttCross} without blocking: the event loop gets a turn between supercores. */
export function ttCrossAsync(f: TtCrossFunction | TtCrossBatchFunction, shape: readonly number[], options: TtCrossOptions = {}): Promise<TtCrossResult> {
  return runStepsAsync(ttCrossSteps(f, shape, options), options.signal, 'ttCrossAsync');
}

/** {@link ttCross} as steps (a generator yielding after each supercore; see fit-async.ts). */
export function* ttCrossSteps(f: TtCrossFunction | TtCrossBatchFunction, shape: readonly number[], options: TtCrossOptions = {}): FitSteps<TtCrossResult> {
  const routine = 'ttCross';
  const o = resolveOptions(routine, TT_CROSS_OPTIONS, options);
  check(Array.isArray(shape), () => `${routine}: shape must be an array of mode sizes, got ${typeof shape}`);
  const d = shape.length;
  if (d < 2) throw new InvalidArgumentError(`${routine}: shape has ${d} mode${d === 1 ? '' : 's'}; a tensor train needs at least 2 (quantize a 1-d grid: n = 2^L points as L modes of size 2)`);
  shape.forEach((n, k) => {
    check(Number.isSafeInteger(n) && n >= 1, () => `${routine}: mode ${k} has size ${String(n)}; sizes must be integers >= 1`);
  });
  const n = [...shape];
  const caps = rankCaps(o.maxRank, d - 1, routine);
  const evalf = evaluator(f, d, routine);
  const random = rng(o.seed);

  // Test points (fixed for the run): f there once; the train there after every sweep.
  const P = o.testPoints;
  const test = new Int32Array(P * d);
  for (let p = 0; p < P; p++) for (let k = 0; k < d; k++) test[p * d + k] = random.nextInt(n[k]!);
  const fTest = evalf.values(test, P);
  const fTestNorm = norm2(fTest);

  // Index sets: left[k] holds r_k multi-indices of modes 0..k-1 (flat, k per point);
  // right[k] holds multi-indices of modes k..d-1 (d - k per point). left[0], right[d]: one empty index.
  const left: Int32Array[] = new Array<Int32Array>(d + 1);
  const right: Int32Array[] = new Array<Int32Array>(d + 1);
  left[0] = new Int32Array(0);
  right[d] = new Int32Array(0);
  const starts: number[][] = [];
  for (let p = 0; p < o.initialRank; p++) starts.push(n.map((nk) => random.nextInt(nk)));
  for (let k = 1; k < d; k++) right[k] = uniqueTails(starts, k);
  const count = (set: Int32Array, width: number) => (width === 0 ? 1 : set.length / width);

  const cores: Float64Array[] = new Array<Float64Array>(d);
  const ranks: number[] = new Array<number>(d + 1).fill(1);
  let prevValues: Float64Array | undefined;
  let change = Infinity;
  let error = Infinity;
  let converged = false;
  let sweeps = 0;
  let tt: TensorTrain | undefined;

  while (sweeps < o.maxIter) {
    const leftToRight = sweeps % 2 === 0;
    for (let step = 0; step < d - 1; step++) {
      const k = leftToRight ? step : d - 2 - step;
      const rl = count(left[k]!, k);
      const rr = count(right[k + 2]!, d - k - 2);
      const rows = rl * n[k]!;
      const cols = n[k + 1]! * rr;
      const S = evalf.values(supercorePoints(left[k]!, rl, k, n[k]!, n[k + 1]!, right[k + 2]!, rr, d), rows * cols);
      const { U, s, Vt, k: q } = svdC(S, rows, cols);
      let total = 0;
      for (let i = 0; i < q; i++) total += s[i]! * s[i]!;
      const delta2 = (o.eps * o.eps * total) / (d - 1);
      const { rank } = truncationRank(s.map((x) => x * x), delta2, caps[k]!);
      ranks[k + 1] = rank;
      if (leftToRight) {
        // Rows of maximal volume in U_r: the next left set; core k interpolates through them.
        const Ur = firstColumns(U, rows, q, rank);
        const mv = maxvol(Ur, rows, rank);
        cores[k] = mv.B;
        left[k + 1] = extendLeft(left[k]!, k, n[k]!, mv.rows);
        if (k === d - 2) {
          // Last core: the truncated supercore at the chosen rows, U[rows] S V^T (rank x n_{d-1}).
          const last = new Float64Array(rank * cols);
          for (let a = 0; a < rank; a++) {
            const ro = mv.rows[a]! * q;
            for (let j = 0; j < cols; j++) {
              let v = 0;
              for (let t = 0; t < rank; t++) v += U[ro + t]! * s[t]! * Vt[t * cols + j]!;
              last[a * cols + j] = v;
            }
          }
          cores[d - 1] = last;
        }
      } else {
        // Columns of maximal volume in V_r: the next right set; core k+1 interpolates through them.
        const Vr = new Float64Array(cols * rank);
        for (let j = 0; j < cols; j++) for (let t = 0; t < rank; t++) Vr[j * rank + t] = Vt[t * cols + j]!;
        const mv = maxvol(Vr, cols, rank);
        const core = new Float64Array(rank * cols);
        for (let j = 0; j < cols; j++) for (let t = 0; t < rank; t++) core[t * cols + j] = mv.B[j * rank + t]!;
        cores[k + 1] = core;
        right[k + 1] = extendRight(right[k + 2]!, d - k - 2, mv.rows);
        if (k === 0) {
          // First core: U S V[cols]^T (n_0 x rank).
          const first = new Float64Array(rows * rank);
          for (let i = 0; i < rows; i++) {
            for (let a = 0; a < rank; a++) {
              const c = mv.rows[a]!;
              let v = 0;
              for (let t = 0; t < rank; t++) v += U[i * q + t]! * s[t]! * Vt[t * cols + c]!;
              first[i * rank + a] = v;
            }
          }
          cores[0] = first;
        }
      }
      checkAborted(o.signal, routine);
      yield;
    }
    sweeps++;
    tt = TensorTrain.fromCoreData(n, ranks, cores.map((c) => c.slice()));
    const values = valuesAt(tt, test, P);
    error = relativeDistance(values, fTest, fTestNorm);
    if (prevValues) change = relativeDistance(values, prevValues, norm2(values));
    prevValues = values;
    o.onProgress?.({ stage: 'sweep', done: sweeps, total: o.maxIter, metrics: { change, error, maxRank: tt.maxRank, evaluations: evalf.count } });
    if (change <= o.eps) {
      converged = true;
      break;
    }
  }
  return { tt: tt!, relativeError: error, converged, sweeps, evaluations: evalf.count };
}

/** Calls f on points, counting them and checking each value. */
interface Evaluator {
  readonly count: number;
  values(points: Int32Array, count: number): Float64Array;
}

function evaluator(f: TtCrossFunction | TtCrossBatchFunction, d: number, routine: string): Evaluator {
  const scalar = typeof f === 'function';
  const batch = !scalar && typeof f === 'object' && f !== null && typeof (f as TtCrossBatchFunction).batch === 'function';
  check(scalar || batch, () => `${routine}: f must be a function of an index or an object { batch(indices, count) }, got ${f === null ? 'null' : typeof f}`);
  let calls = 0;
  const bad = (points: Int32Array, p: number, v: unknown): never => {
    const idx = showIndex(points.subarray(p * d, p * d + d));
    if (typeof v !== 'number') throw new InvalidArgumentError(`${routine}: f returned ${v === null ? 'null' : typeof v === 'string' ? `the string '${v}'` : String(v)} at index ${idx}, not a number`);
    throw new NonFiniteInputError(`${routine}: f returned ${v} at index ${idx}; the values must be finite`);
  };
  return {
    get count() {
      return calls;
    },
    values(points, count) {
      const out = new Float64Array(count);
      calls += count;
      if (scalar) {
        const fn = f as TtCrossFunction;
        const index = new Array<number>(d);
        for (let p = 0; p < count; p++) {
          for (let k = 0; k < d; k++) index[k] = points[p * d + k]!;
          const v = fn(index.slice());
          if (typeof v !== 'number' || !Number.isFinite(v)) bad(points, p, v);
          out[p] = v;
        }
        return out;
      }
      const got = (f as TtCrossBatchFunction).batch(points.slice(0, count * d), count);
      check(got !== null && typeof got === 'object' && got.length === count, () => `${routine}: f.batch returned ${got === null || typeof got !== 'object' ? String(got) : `${got.length} values`} for ${count} points`);
      for (let p = 0; p < count; p++) {
        const v = got[p];
        if (typeof v !== 'number' || !Number.isFinite(v)) bad(points, p, v);
        out[p] = v as number;
      }
      return out;
    },
  };
}

/** The points of a supercore, in C order of (alpha, i_k, i_{k+1}, beta). */
function supercorePoints(L: Int32Array, rl: number, k: number, nk: number, nk1: number, R: Int32Array, rr: number, d: number): Int32Array {
  const wr = d - k - 2;
  const pts = new Int32Array(rl * nk * nk1 * rr * d);
  let p = 0;
  for (let a = 0; a < rl; a++) {
    for (let i = 0; i < nk; i++) {
      for (let j = 0; j < nk1; j++) {
        for (let b = 0; b < rr; b++) {
          for (let t = 0; t < k; t++) pts[p + t] = L[a * k + t]!;
          pts[p + k] = i;
          pts[p + k + 1] = j;
          for (let t = 0; t < wr; t++) pts[p + k + 2 + t] = R[b * wr + t]!;
          p += d;
        }
      }
    }
  }
  return pts;
}

/** The left set of modes 0..k: for each chosen row (alpha, i) of a supercore, I_k[alpha] then i. */
function extendLeft(L: Int32Array, k: number, nk: number, rowsSel: Int32Array): Int32Array {
  const out = new Int32Array(rowsSel.length * (k + 1));
  rowsSel.forEach((row, a) => {
    const alpha = Math.floor(row / nk);
    out.set(L.subarray(alpha * k, alpha * k + k), a * (k + 1));
    out[a * (k + 1) + k] = row % nk;
  });
  return out;
}

/** The right set of modes k+1..: for each chosen column (j, beta), j then J_{k+2}[beta]. */
function extendRight(R: Int32Array, w: number, colsSel: Int32Array): Int32Array {
  const rr = w === 0 ? 1 : R.length / w;
  const out = new Int32Array(colsSel.length * (w + 1));
  colsSel.forEach((col, a) => {
    const j = Math.floor(col / rr);
    const beta = col % rr;
    out[a * (w + 1)] = j;
    out.set(R.subarray(beta * w, beta * w + w), a * (w + 1) + 1);
  });
  return out;
}

/** The distinct tails (modes k..d-1) of the start points, flat. */
function uniqueTails(points: number[][], k: number): Int32Array {
  const seen = new Set<string>();
  const out: number[] = [];
  for (const p of points) {
    const tail = p.slice(k);
    const key = tail.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(...tail);
  }
  return Int32Array.from(out);
}

function firstColumns(U: Float64Array, rows: number, q: number, r: number): Float64Array {
  const out = new Float64Array(rows * r);
  for (let i = 0; i < rows; i++) for (let a = 0; a < r; a++) out[i * r + a] = U[i * q + a]!;
  return out;
}

/** The train's values at P points (flat, d per point). */
function valuesAt(tt: TensorTrain, points: Int32Array, P: number): Float64Array {
  const d = tt.ndim;
  const out = new Float64Array(P);
  const idx = new Array<number>(d);
  for (let p = 0; p < P; p++) {
    for (let k = 0; k < d; k++) idx[k] = points[p * d + k]!;
    out[p] = tt.get(idx);
  }
  return out;
}

/** ||a - b|| / scale (0 when both are zero). */
function relativeDistance(a: Float64Array, b: Float64Array, scale: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  const dist = Math.sqrt(s);
  return dist === 0 ? 0 : scale === 0 ? Infinity : dist / scale;
}

