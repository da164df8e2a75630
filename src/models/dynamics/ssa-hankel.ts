/**
 * The trajectory (Hankel) matrix of singular spectrum analysis and the two computations on
 * it that never need it formed: products with it, and diagonal averaging of rank-one terms.
 *
 * For a series x of length N and a window L (K = N - L + 1) the trajectory matrix is
 * X[i, j] = x[i + j] (L x K, constant along anti-diagonals); for several series of equal
 * length (multivariate SSA) the matrices stand side by side, [X_1 : X_2 : ...], L x sK
 * (the horizontal stacking of Golyandina, Korobeynikov, Shlemov & Usevich, "Multivariate
 * and 2D extensions of singular spectrum analysis with the Rssa package", JSS 67(2), 2015).
 *
 * Both computations are convolutions with the series, done by FFT as in Rssa
 * (Korobeynikov 2010):
 * - (X v)_i = sum_j x[i + j] v_j and (X^T u)_j = sum_i x[i + j] u_i are correlations of x
 *   with v or u: one forward transform of the (reversed, zero-padded) vector, a pointwise
 *   product with the precomputed spectrum of x, one inverse transform. Two real columns
 *   travel as the real and imaginary parts of one complex vector: the products with the
 *   real x keep them apart, so a block of p columns costs p/2 pairs of transforms of length
 *   n >= N, O(p N log N) instead of the 2 p L K flops of a dense product, and the L x K
 *   matrix is never formed (SSA of a 100,000-point series with L = 1,000 would need 0.8 GB).
 * - Diagonal averaging of sigma u v^T sums its anti-diagonals, g_k = sigma sum_{i+j=k}
 *   u_i v_j: the linear convolution sigma (u * v). The spectra of u and v come from one
 *   transform of u + i v (U_k = (Z_k + conj Z_{-k}) / 2, V_k = (Z_k - conj Z_{-k}) / 2i, so
 *   U_k V_k = (Z_k^2 - conj(Z_{-k})^2) / 4i); a group's terms are summed as spectra and
 *   inverted once (two groups share an inverse transform), then divided by the number of
 *   entries on each anti-diagonal, w_k = min(k + 1, L, K, N - k). Cost per component
 *   O(N log N), not O(L K).
 *
 * Internal to the dynamics family; the public names are re-exported by ssa.ts.
 */
import { ShapeError } from '../../errors.js';
import { Matrix } from '../../matrix/matrix.js';
import type { LinearOperator } from '../../matrix/operator.js';
import { fftOf, type Fft, nextPowerOfTwo } from './ssa-fft.js';

/** Spectra of the series, in the bit-reversed order of {@link Fft.forward}. */
interface SeriesSpectra {
  fft: Fft;
  re: Float64Array[];
  im: Float64Array[];
}

// One FFT length per series length: the smallest power of two >= N (no wrap-around: the
// correlations and convolutions above never reach index N).
function spectraOf(series: readonly Float64Array[]): SeriesSpectra {
  const N = series[0]!.length;
  const fft = fftOf(nextPowerOfTwo(N));
  const re: Float64Array[] = [];
  const im: Float64Array[] = [];
  // Two real series per transform; their spectra are separated with the mirror table.
  for (let q = 0; q < series.length; q += 2) {
    const a = new Float64Array(fft.n);
    const b = new Float64Array(fft.n);
    a.set(series[q]!);
    if (q + 1 < series.length) b.set(series[q + 1]!);
    fft.forward(a, b);
    if (q + 1 >= series.length) {
      re.push(a);
      im.push(b);
      continue;
    }
    const mirror = fft.mirror;
    const ar = new Float64Array(fft.n);
    const ai = new Float64Array(fft.n);
    const br = new Float64Array(fft.n);
    const bi = new Float64Array(fft.n);
    for (let p = 0; p < fft.n; p++) {
      const m = mirror[p]!;
      const zr = a[p]!;
      const zi = b[p]!;
      const wr = a[m]!;
      const wi = -b[m]!; // conj(Z_{-k})
      ar[p] = (zr + wr) / 2;
      ai[p] = (zi + wi) / 2;
      // (Z - conj Z_{-k}) / 2i = (d) * (-i/2)
      const dr = zr - wr;
      const di = zi - wi;
      br[p] = di / 2;
      bi[p] = -dr / 2;
    }
    re.push(ar, br);
    im.push(ai, bi);
  }
  return { fft, re, im };
}

/**
 * The trajectory matrix [X_1 : ... : X_s] (L x sK) of one or more series of equal length
 * as a {@link LinearOperator}: products by FFT (see the file comment), the matrix never
 * formed. Memory: the series' spectra, 2 s n numbers (n the power of two >= N), plus four
 * work vectors of n.
 */
export class TrajectoryOperator implements LinearOperator {
  readonly shape: readonly [number, number];
  readonly dtype = 'float64' as const;
  /** Window length L (rows). */
  readonly window: number;
  /** K = N - L + 1, columns per series. */
  readonly k: number;
  /** Number of series s. */
  readonly count: number;
  private readonly spectra: SeriesSpectra;
  private readonly work: Float64Array[];

  /**
   * The operator of `series` (each of length N, copied into their spectra) with window L.
   * @throws ShapeError for no series, series of different lengths, or L outside [1, N].
   */
  constructor(series: readonly Float64Array[], window: number) {
    if (series.length === 0) throw new ShapeError('TrajectoryOperator: no series');
    const N = series[0]!.length;
    for (const x of series) if (x.length !== N) throw new ShapeError(`TrajectoryOperator: the series have different lengths (${N} and ${x.length})`);
    if (!(Number.isInteger(window) && window >= 1 && window <= N)) throw new ShapeError(`TrajectoryOperator: window must be in [1, ${N}], got ${window}`);
    this.window = window;
    this.k = N - window + 1;
    this.count = series.length;
    this.shape = [window, this.count * this.k];
    this.spectra = spectraOf(series);
    const n = this.spectra.fft.n;
    this.work = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  }

  /** X V for V of shape sK x p: L x p, column-major. */
  apply(V: Matrix): Matrix {
    const [L, cols] = this.shape;
    if (V.rows !== cols) throw new ShapeError(`TrajectoryOperator.apply: operand has ${V.rows} rows, the operator needs ${cols}`);
    const p = V.cols;
    const Y = Matrix.zeros(L, p);
    const { fft, re, im } = this.spectra;
    const n = fft.n;
    const [zr, zi, ar, ai] = this.work as [Float64Array, Float64Array, Float64Array, Float64Array];
    const K = this.k;
    for (let c = 0; c < p; c += 2) {
      const pair = c + 1 < p;
      ar.fill(0);
      ai.fill(0);
      for (let q = 0; q < this.count; q++) {
        // z_{(n - j) mod n} = v_j (+ i w_j): the reversed column, so that the circular
        // convolution with x is the correlation sum_j x[i + j] v_j.
        zr.fill(0);
        zi.fill(0);
        gatherReversed(V, q * K, K, c, zr, n);
        if (pair) gatherReversed(V, q * K, K, c + 1, zi, n);
        fft.forward(zr, zi);
        const xr = re[q]!;
        const xi = im[q]!;
        for (let t = 0; t < n; t++) {
          const a = zr[t]!;
          const b = zi[t]!;
          const u = xr[t]!;
          const w = xi[t]!;
          ar[t] = ar[t]! + (a * u - b * w);
          ai[t] = ai[t]! + (a * w + b * u);
        }
      }
      fft.inverse(ar, ai);
      const y = Y.data;
      const o1 = c * L;
      for (let i = 0; i < L; i++) y[o1 + i] = ar[i]!;
      if (pair) {
        const o2 = (c + 1) * L;
        for (let i = 0; i < L; i++) y[o2 + i] = ai[i]!;
      }
    }
    return Y;
  }

  /** X^T U for U of shape L x p: sK x p, column-major. */
  applyTranspose(U: Matrix): Matrix {
    const [L, cols] = this.shape;
    if (U.rows !== L) throw new ShapeError(`TrajectoryOperator.applyTranspose: operand has ${U.rows} rows, the operator needs ${L}`);
    const p = U.cols;
    const Z = Matrix.zeros(cols, p);
    const { fft, re, im } = this.spectra;
    const n = fft.n;
    const [zr, zi, ar, ai] = this.work as [Float64Array, Float64Array, Float64Array, Float64Array];
    const K = this.k;
    const out = Z.data;
    for (let c = 0; c < p; c += 2) {
      const pair = c + 1 < p;
      zr.fill(0);
      zi.fill(0);
      gatherReversed(U, 0, L, c, zr, n);
      if (pair) gatherReversed(U, 0, L, c + 1, zi, n);
      fft.forward(zr, zi);
      for (let q = 0; q < this.count; q++) {
        const xr = re[q]!;
        const xi = im[q]!;
        for (let t = 0; t < n; t++) {
          const a = zr[t]!;
          const b = zi[t]!;
          const u = xr[t]!;
          const w = xi[t]!;
          ar[t] = a * u - b * w;
          ai[t] = a * w + b * u;
        }
        fft.inverse(ar, ai);
        const o1 = c * cols + q * K;
        for (let j = 0; j < K; j++) out[o1 + j] = ar[j]!;
        if (pair) {
          const o2 = (c + 1) * cols + q * K;
          for (let j = 0; j < K; j++) out[o2 + j] = ai[j]!;
        }
      }
    }
    return Z;
  }
}

// dst[(n - j) mod n] = M[row0 + j, col] for j < len.
function gatherReversed(M: Matrix, row0: number, len: number, col: number, dst: Float64Array, n: number): void {
  const d = M.data;
  const rs = M.rowStride;
  let o = M.offset + row0 * rs + col * M.colStride;
  if (len > 0) dst[0] = d[o]!;
  for (let j = 1; j < len; j++) {
    o += rs;
    dst[n - j] = d[o]!;
  }
}

/**
 * The trajectory matrix [X_1 : ... : X_s] formed densely (L x sK, column-major), for the
 * full SVD of short series.
 */
export function trajectoryMatrix(series: readonly Float64Array[], window: number): Matrix {
  const N = series[0]!.length;
  const K = N - window + 1;
  const X = Matrix.zeros(window, series.length * K);
  const d = X.data;
  series.forEach((x, q) => {
    for (let j = 0; j < K; j++) d.set(x.subarray(j, j + window), (q * K + j) * window);
  });
  return X;
}

/** w_k = min(k + 1, L, K, N - k): the number of entries on anti-diagonal k of an L x K matrix. */
export function antiDiagonalCounts(N: number, L: number): Float64Array {
  const K = N - L + 1;
  const lo = Math.min(L, K);
  const w = new Float64Array(N);
  for (let k = 0; k < N; k++) w[k] = Math.min(k + 1, lo, N - k);
  return w;
}

/**
 * Diagonal averaging of grouped rank-one terms: for each group g and series q, the series
 * y_k = (1/w_k) sum_{t in g} s_t sum_{i + j = k} U[i, t] V[qK + j, t] (k < N), by FFT (see
 * the file comment). Components used by several groups are transformed once per series.
 * @param U - L x r left singular vectors.
 * @param s - the r singular values.
 * @param V - sK x r right singular vectors.
 * @param groups - indices into [0, r) (checked by the caller).
 * @returns result[g][q]: the reconstruction of group g in series q, length N.
 */
export function diagonalAverages(U: Matrix, s: ArrayLike<number>, V: Matrix, count: number, groups: readonly (readonly number[])[]): Float64Array[][] {
  const L = U.rows;
  const K = V.rows / count;
  const N = L + K - 1;
  const fft = fftOf(nextPowerOfTwo(N));
  const n = fft.n;
  const mirror = fft.mirror;
  const w = antiDiagonalCounts(N, L);
  const G = groups.length;
  const out: Float64Array[][] = groups.map(() => []);
  const zr = new Float64Array(n);
  const zi = new Float64Array(n);
  const pr = new Float64Array(n);
  const pi = new Float64Array(n);
  // Components used, and the groups each one feeds.
  const feeds = new Map<number, number[]>();
  groups.forEach((g, gi) => {
    for (const t of g) {
      const list = feeds.get(t) ?? [];
      if (!list.includes(gi)) list.push(gi);
      feeds.set(t, list);
    }
  });
  // Group spectra in pairs: group 2h in the real accumulators, 2h+1 in the imaginary ones,
  // as the spectra P of real sequences (P_{-k} = conj P_k), so that one inverse transform of
  // P_{2h} + i P_{2h+1} gives the two sequences as its real and imaginary parts.
  const pairs = Math.ceil(G / 2);
  const accRe: Float64Array[] = [];
  const accIm: Float64Array[] = [];
  for (let h = 0; h < pairs; h++) {
    accRe.push(new Float64Array(n));
    accIm.push(new Float64Array(n));
  }
  for (let q = 0; q < count; q++) {
    for (let h = 0; h < pairs; h++) {
      accRe[h]!.fill(0);
      accIm[h]!.fill(0);
    }
    for (const [t, gs] of feeds) {
      zr.fill(0);
      zi.fill(0);
      const u = U.col(t);
      const v = V.col(t);
      for (let i = 0; i < L; i++) zr[i] = u.get(i, 0);
      for (let j = 0; j < K; j++) zi[j] = v.get(q * K + j, 0);
      fft.forward(zr, zi);
      // P_k = sigma (Z_k^2 - conj(Z_{-k})^2) / 4i, the spectrum of sigma (u * v), into (pr, pi).
      const f = s[t]! / 4;
      for (let p = 0; p < n; p++) {
        const m = mirror[p]!;
        const ar = zr[p]!;
        const ai = zi[p]!;
        const br = zr[m]!;
        const bi = -zi[m]!;
        // A^2 - B^2 = x + i y, and (x + i y) (-i/4) = (y - i x) / 4.
        const x = ar * ar - ai * ai - (br * br - bi * bi);
        const y = 2 * (ar * ai - br * bi);
        pr[p] = f * y;
        pi[p] = -f * x;
      }
      for (const gi of gs) {
        const re = accRe[gi >> 1]!;
        const im = accIm[gi >> 1]!;
        if ((gi & 1) === 0) {
          // + P
          for (let p = 0; p < n; p++) {
            re[p] = re[p]! + pr[p]!;
            im[p] = im[p]! + pi[p]!;
          }
        } else {
          // + i P = (-Im P, Re P)
          for (let p = 0; p < n; p++) {
            re[p] = re[p]! - pi[p]!;
            im[p] = im[p]! + pr[p]!;
          }
        }
      }
    }
    for (let h = 0; h < pairs; h++) {
      const ar = accRe[h]!;
      const ai = accIm[h]!;
      fft.inverse(ar, ai);
      const a = new Float64Array(N);
      for (let k = 0; k < N; k++) a[k] = ar[k]! / w[k]!;
      out[2 * h]!.push(a);
      if (2 * h + 1 < G) {
        const b = new Float64Array(N);
        for (let k = 0; k < N; k++) b[k] = ai[k]! / w[k]!;
        out[2 * h + 1]!.push(b);
      }
    }
  }
  return out;
}
