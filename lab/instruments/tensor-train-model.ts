/**
 * The tensor-train instrument's model, without DOM: functions of d variables sampled on an
 * n x ... x n grid (or a 1-D signal on 2^L points folded into L modes of size 2, the
 * quantics view), their TT-SVD at a relative accuracy eps (Oseledets 2011, Algorithm 1:
 * ||T - TT||_F <= eps ||T||_F), and what the instrument shows for it: the bond ranks against
 * the largest possible ones, the numbers the train stores (sum_k r_{k-1} n_k r_k) against the
 * full tensor's n_1 ... n_d, the error measured on the full tensor, and the entanglement
 * entropy of the normalized tensor across each bond.
 */
import { Tensor, ttSvd, quantize, type TensorTrain } from '../../src/browser.js';

/** The functions and signals the instrument offers (the `source` control's values). */
export type TtSourceId = 'sin' | 'hilbert' | 'gauss' | 'random' | 'chirp';

/** One choice of the `source` control. */
export interface TtSource {
  readonly id: TtSourceId;
  /** Menu text. */
  readonly label: string;
  /** A d-variable function on a grid, or a 1-D signal in quantics form (d = L modes of size 2). */
  readonly kind: 'grid' | 'quantics';
  /** Range and default of the `d` control (for quantics: L, the signal has 2^L samples). */
  readonly dMin: number;
  readonly dMax: number;
  readonly dDefault: number;
  /** Mode size n for d modes (kept so that n^d stays at most ~2.6e5: one recompute well under 150 ms). */
  n(d: number): number;
  /** What to look for, one or two sentences. */
  readonly note: string;
}

/**
 * Grid sizes, chosen so that one TT-SVD with its measured error stays well under 150 ms in
 * a browser: n^d <= 248,832 for the smooth functions. The random tensor keeps full ranks,
 * whose SVDs cost far more, so its grids are smaller (at most 8^5 = 32,768 entries).
 */
const SMOOTH_N: Record<number, number> = { 4: 16, 5: 12, 6: 7 };
const RANDOM_N: Record<number, number> = { 4: 10, 5: 8, 6: 5 };

export const TT_SOURCES: readonly TtSource[] = [
  {
    id: 'sin',
    label: 'sin(x₁ + x₂ + ⋯)',
    kind: 'grid',
    dMin: 4,
    dMax: 6,
    dDefault: 5,
    n: (d) => SMOOTH_N[d]!,
    note: 'sin(a + b) = sin a cos b + cos a sin b splits every unfolding into two terms: rank 2 at every bond, for any ε and any d (x in [0, 1]).',
  },
  {
    id: 'hilbert',
    label: '1 / (1 + x₁ + x₂ + ⋯)',
    kind: 'grid',
    dMin: 4,
    dMax: 6,
    dDefault: 5,
    n: (d) => SMOOTH_N[d]!,
    note: 'Not a finite sum of products, but smooth: the singular values of every unfolding fall geometrically, so the ranks grow only like log(1/ε) (x in [0, 1]).',
  },
  {
    id: 'gauss',
    label: 'exp(−x₁² − x₂² − ⋯)',
    kind: 'grid',
    dMin: 4,
    dMax: 6,
    dDefault: 5,
    n: (d) => SMOOTH_N[d]!,
    note: 'exp(−x₁²)·exp(−x₂²)⋯ is a single product: rank 1 at every bond and no entanglement, d·n numbers for the whole grid (x in [−2, 2]).',
  },
  {
    id: 'random',
    label: 'random (Gaussian) numbers',
    kind: 'grid',
    dMin: 4,
    dMax: 6,
    dDefault: 5,
    n: (d) => RANDOM_N[d]!,
    note: 'No structure to exploit: every bond needs (nearly) its largest possible rank min(nᵏ, nᵈ⁻ᵏ) even at ε = 0.1, and the train stores more numbers than the tensor.',
  },
  {
    id: 'chirp',
    label: 'quantics chirp sin(100t²)',
    kind: 'quantics',
    dMin: 12,
    dMax: 16,
    dDefault: 14,
    n: () => 2,
    note: 'The 2ᴸ samples t = p/2ᴸ, p written in binary, become an L-way 2 × 2 × ⋯ × 2 tensor (quantics); here d = L. Ranks stay small as L grows: the storage grows like L, not like 2ᴸ.',
  },
];

/** The source named `id` (throws for an unknown one). */
export function sourceById(id: string): TtSource {
  const s = TT_SOURCES.find((x) => x.id === id);
  if (!s) throw new Error(`unknown source '${id}'; expected one of ${TT_SOURCES.map((x) => x.id).join(', ')}`);
  return s;
}

/** The eps control runs over 10^-12 .. 10^-1 in half decades (the control holds log10 eps). */
export const LOG_EPS_MIN = -12;
export const LOG_EPS_MAX = -1;
export const LOG_EPS_STEP = 0.5;
export const LOG_EPS_DEFAULT = -6;

/** A tensor to compress: the source, its shape and entries, and (quantics) the signal itself. */
export interface TtProblem {
  readonly source: TtSource;
  readonly d: number;
  readonly shape: readonly number[];
  readonly T: Tensor;
  /** ||T||_F. */
  readonly norm: number;
  /** Entries n_1 ... n_d. */
  readonly size: number;
  /** Quantics only: the 2^L samples (the tensor's entries in C order). */
  readonly signal?: Float64Array;
}

/** The chirp of the quantics source at t in [0, 1). */
export function chirp(t: number): number {
  return Math.sin(100 * t * t);
}

/**
 * Sample source `id` with d modes. Grid points are x = i/(n-1) in [0, 1] for sin and
 * 1/(1 + sum x), x = -2 + 4i/(n-1) in [-2, 2] for the Gaussian; the random tensor is seeded
 * (the same on every machine); the chirp is sampled at t = p / 2^L.
 */
export function makeProblem(id: string, d: number): TtProblem {
  const source = sourceById(id);
  if (!(Number.isInteger(d) && d >= source.dMin && d <= source.dMax)) throw new Error(`${id}: d must be an integer in ${source.dMin}..${source.dMax}, got ${d}`);
  const n = source.n(d);
  const shape = new Array<number>(d).fill(n);
  let T: Tensor;
  let signal: Float64Array | undefined;
  if (source.kind === 'quantics') {
    const N = 2 ** d;
    signal = Float64Array.from({ length: N }, (_, p) => chirp(p / N));
    T = quantize(signal, 2);
  } else if (id === 'random') {
    T = Tensor.random(shape, { seed: 7 });
  } else {
    // The entries in C order with a running sum of the coordinates (one pass, no index arrays).
    const h = 1 / (n - 1);
    const size = n ** d;
    const data = new Float64Array(size);
    const idx = new Array<number>(d).fill(0);
    for (let p = 0; p < size; p++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const x = id === 'gauss' ? -2 + 4 * idx[k]! * h : idx[k]! * h;
        s += id === 'gauss' ? x * x : x;
      }
      data[p] = id === 'sin' ? Math.sin(s) : id === 'hilbert' ? 1 / (1 + s) : Math.exp(-s);
      for (let k = d - 1; k >= 0; k--) {
        if (++idx[k]! < n) break;
        idx[k] = 0;
      }
    }
    T = new Tensor(data, shape);
  }
  return { source, d, shape, T, norm: T.norm(), size: T.size, ...(signal ? { signal } : {}) };
}

/**
 * The largest possible TT rank of each bond k = 1 .. d-1: the rank bound of the unfolding
 * T(i_1 .. i_k; i_{k+1} .. i_d), min(n_1 ... n_k, n_{k+1} ... n_d).
 */
export function maxBondRanks(shape: readonly number[]): number[] {
  const out: number[] = [];
  let left = 1;
  let right = shape.reduce((a, b) => a * b, 1);
  for (let k = 0; k < shape.length - 1; k++) {
    left *= shape[k]!;
    right /= shape[k]!;
    out.push(Math.min(left, right));
  }
  return out;
}

/** Numbers stored by a train with bond ranks r_1 .. r_{d-1}: sum_k r_{k-1} n_k r_k, r_0 = r_d = 1. */
export function ttParams(shape: readonly number[], bondRanks: readonly number[]): number {
  const r = [1, ...bondRanks, 1];
  let p = 0;
  for (let k = 0; k < shape.length; k++) p += r[k]! * shape[k]! * r[k + 1]!;
  return p;
}

/**
 * ||T - TT||_F / ||T||_F measured entry by entry against the full tensor (the train is
 * expanded with {@link TensorTrain.full}); 0 for the zero tensor.
 */
export function measuredError(T: Tensor, tt: TensorTrain, normT = T.norm()): { error: number; approx: Float64Array } {
  const approx = tt.full().data as Float64Array;
  const t = T.contiguous();
  const a = t.data;
  const off = t.offset;
  let s = 0;
  for (let p = 0; p < approx.length; p++) {
    const e = a[off + p]! - approx[p]!;
    s += e * e;
  }
  return { error: normT > 0 ? Math.sqrt(s) / normT : 0, approx };
}

/** What the instrument shows for one eps. */
export interface TtSummary {
  readonly eps: number;
  readonly tt: TensorTrain;
  /** Bond ranks r_1 .. r_{d-1} (the train's ranks without the end ones). */
  readonly bondRanks: readonly number[];
  /** The largest possible rank of each bond ({@link maxBondRanks}). */
  readonly maxRanks: readonly number[];
  /** Numbers the train stores, sum_k r_{k-1} n_k r_k. */
  readonly params: number;
  /** Entries of the full tensor, n_1 ... n_d. */
  readonly size: number;
  /** params / size: the train's storage as a fraction of the full tensor's. */
  readonly storage: number;
  /** ||T - TT||_F / ||T||_F measured on the full tensor. */
  readonly relError: number;
  /** The same error from the singular values TT-SVD discarded (what ttSvd reports). */
  readonly discardedError: number;
  /** The train's entries in C order (the full tensor it represents). */
  readonly approx: Float64Array;
}

/** TT-SVD of the problem's tensor at relative accuracy eps, and everything shown about it. */
export function compressAt(problem: TtProblem, eps: number): TtSummary {
  const { tt, relativeError } = ttSvd(problem.T, { eps });
  const { error, approx } = measuredError(problem.T, tt, problem.norm);
  const bondRanks = tt.ranks.slice(1, -1);
  return {
    eps,
    tt,
    bondRanks,
    maxRanks: maxBondRanks(problem.shape),
    params: tt.params,
    size: problem.size,
    storage: tt.params / problem.size,
    relError: error,
    discardedError: relativeError,
    approx,
  };
}

/**
 * The entanglement entropy of the normalized tensor T / ||T|| across each bond, in bits:
 * S_k = -sum_i p_i log2 p_i, p_i = s_i^2 / sum_j s_j^2 over the singular values s_i of the
 * unfolding T(i_1 .. i_k; i_{k+1} .. i_d). The left factors of TT-SVD are orthonormal, so
 * without truncation the singular values of its k-th step are those of T's k-th unfolding;
 * eps = 1e-14 drops only values whose p_i are below 1e-28, leaving S unchanged in double
 * precision while sparing the rounding-noise ranks of eps = 0. At most log2 of the bond's
 * largest possible rank; 0 for a product.
 */
export function tensorEntropy(problem: TtProblem): Float64Array {
  const { singularValues } = ttSvd(problem.T, { eps: 1e-14 });
  return Float64Array.from(singularValues, (s) => {
    let total = 0;
    for (const x of s) total += x * x;
    let h = 0;
    for (const x of s) {
      const p = (x * x) / total;
      if (p > 0) h -= p * Math.log2(p);
    }
    return total > 0 ? Math.max(0, h) : 0;
  });
}

/** One point of the error/storage sweep over eps. */
export interface SweepPoint {
  readonly logEps: number;
  readonly relError: number;
  readonly storage: number;
}

/** The eps values of the sweep chart: every whole decade from 10^-12 to 10^-1. */
export function sweepLogEps(): number[] {
  const out: number[] = [];
  for (let e = LOG_EPS_MIN; e <= LOG_EPS_MAX; e++) out.push(e);
  return out;
}

/** One sweep point: TT-SVD at 10^logEps, its measured error and storage fraction. */
export function sweepPoint(problem: TtProblem, logEps: number): SweepPoint {
  const { tt } = ttSvd(problem.T, { eps: 10 ** logEps });
  return { logEps, relError: measuredError(problem.T, tt, problem.norm).error, storage: tt.params / problem.size };
}
