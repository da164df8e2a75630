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
 *   with v or u, computed by overlap-save over cache-sized blocks of the series whose
 *   spectra are computed once ({@link TrajectoryOperator}); two real columns travel as one
 *   complex vector. A block of p columns costs O(p N log min(L, K)) instead of the
 *   2 p L K flops of a dense product, and the L x K matrix is never formed (SSA of a
 *   100,000-point series with L = 1,000 would need 0.8 GB for it).
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

/**
 * The transform length of the blocked products for a short side S = min(L, K) and a long
 * side M = max(L, K): the power of two nb >= S that minimizes the work, (number of blocks
 * ceil(M / (nb - S + 1))) x nb log2 nb. Blocks of a few thousand points stay in cache.
 */
export function blockLength(S: number, M: number): number {
  let best = nextPowerOfTwo(S);
  let cost = Infinity;
  const top = nextPowerOfTwo(S + M - 1);
  for (let nb = nextPowerOfTwo(S); nb <= top; nb *= 2) {
    const c = Math.ceil(M / (nb - S + 1)) * nb * Math.max(1, Math.log2(nb));
    if (c < cost) [best, cost] = [nb, c];
  }
  return best;
}

/**
 * The trajectory matrix [X_1 : ... : X_s] (L x sK) of one or more series of equal length
 * as a {@link LinearOperator}: products by FFT, the matrix never formed.
 *
 * Both products are correlations c_t = sum_j x[t + j] w_j of the series with a vector w, one
 * side short (S = min(L, K) entries) and one long (M = max(L, K)): X v has w = v (K) and L
 * outputs, X^T u has w = u (L) and K outputs. They are computed by overlap-save over blocks
 * of B = nb - S + 1 positions of the long side, with segments x[bB, bB + nb) whose spectra are
 * computed once (nb from {@link blockLength}, 8192 for L = 1,000): when w is the short
 * side, one transform of w and one inverse per block; when w is the long side, one transform
 * per block of w, the products summed as spectra, and one inverse. Both cost about
 * (M / B) transforms of length nb per pair of columns, which is O(N log S) and runs in
 * cache, instead of two transforms of length N. Two real columns travel as the real and
 * imaginary parts of one complex vector (the products with the real x keep them apart).
 *
 * Memory: the segments' spectra, about 2 s (M / B) nb numbers, plus a few work vectors of nb.
 */
export class TrajectoryOperator implements LinearOperator {
  /** [L, sK]. */
  readonly shape: readonly [number, number];
  /** Products are float64. */
  readonly dtype = 'float64' as const;
  /** Window length L (rows). */
  readonly window: number;
  /** K = N - L + 1, columns per series. */
  readonly k: number;
  /** Number of series s. */
  readonly count: number;
  private readonly fft: Fft;
  private readonly S: number;
  private readonly M: number;
  private readonly B: number;
  private readonly blocks: number;
  // segRe[q][b * nb + p], segIm[...]: spectrum of x_q[bB, bB + nb), bit-reversed order.
  private readonly segRe: Float64Array[];
  private readonly segIm: Float64Array[];
  // Work vectors of nb: four for a product, two per series for per-series spectra or sums.
  private readonly work: [Float64Array, Float64Array, Float64Array, Float64Array];
  private readonly perSeries: Float64Array[];

  /**
   * The operator of `series` (each of length N; their segments' spectra are computed here)
   * with window L.
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
    this.S = Math.min(window, this.k);
    this.M = Math.max(window, this.k);
    const nb = blockLength(this.S, this.M);
    this.fft = fftOf(nb);
    this.B = nb - this.S + 1;
    this.blocks = Math.ceil(this.M / this.B);
    this.segRe = [];
    this.segIm = [];
    const mirror = this.fft.mirror;
    const zr = new Float64Array(nb);
    const zi = new Float64Array(nb);
    for (const x of series) {
      const re = new Float64Array(this.blocks * nb);
      const im = new Float64Array(this.blocks * nb);
      // Two real segments per transform (b in the real part, b + 1 in the imaginary), apart
      // by the symmetry of real sequences' spectra: A_k = (Z_k + conj Z_{-k}) / 2,
      // B_k = (Z_k - conj Z_{-k}) / 2i.
      for (let b = 0; b < this.blocks; b += 2) {
        zr.fill(0);
        zi.fill(0);
        const a0 = b * this.B;
        zr.set(x.subarray(a0, Math.min(N, a0 + nb)));
        const two = b + 1 < this.blocks;
        if (two) zi.set(x.subarray(a0 + this.B, Math.min(N, a0 + this.B + nb)));
        this.fft.forward(zr, zi);
        const oa = b * nb;
        const ob = oa + nb;
        for (let p = 0; p < nb; p++) {
          const m = mirror[p]!;
          const ar = zr[p]!;
          const ai = zi[p]!;
          const br = zr[m]!;
          const bi = -zi[m]!;
          re[oa + p] = (ar + br) / 2;
          im[oa + p] = (ai + bi) / 2;
          if (two) {
            re[ob + p] = (ai - bi) / 2;
            im[ob + p] = -(ar - br) / 2;
          }
        }
      }
      this.segRe.push(re);
      this.segIm.push(im);
    }
    this.work = [new Float64Array(nb), new Float64Array(nb), new Float64Array(nb), new Float64Array(nb)];
    this.perSeries = Array.from({ length: 2 * this.count }, () => new Float64Array(nb));
  }

  /**
   * (re, im) := the bit-reversed spectrum of rows row0 .. row0 + len - 1 of column c of M,
   * reversed and zero-padded (and of column c + 1 in the imaginary part for a pair).
   */
  private spectrumOf(M: Matrix, row0: number, len: number, c: number, pair: boolean, re: Float64Array, im: Float64Array): void {
    re.fill(0);
    im.fill(0);
    gatherReversed(M, row0, len, c, re);
    if (pair) gatherReversed(M, row0, len, c + 1, im);
    this.fft.forward(re, im);
  }

  /** X V for V of shape sK x p: a new L x p column-major matrix. */
  apply(V: Matrix): Matrix {
    return this.applyInto(V, Matrix.zeros(this.shape[0], V.cols));
  }

  /** X^T U for U of shape L x p: a new sK x p column-major matrix. */
  applyTranspose(U: Matrix): Matrix {
    return this.applyTransposeInto(U, Matrix.zeros(this.shape[1], U.cols));
  }

  /**
   * Y := X V for V of shape sK x p, into a caller-owned column-major L x p matrix (every
   * entry written), so repeated products need not allocate.
   * @returns Y.
   * @throws ShapeError when V or Y has the wrong shape, or Y is not column-major.
   */
  applyInto(V: Matrix, Y: Matrix): Matrix {
    const [L, cols] = this.shape;
    if (V.rows !== cols) throw new ShapeError(`TrajectoryOperator.apply: operand has ${V.rows} rows, the operator needs ${cols}`);
    checkOut(Y, L, V.cols, 'apply');
    const K = this.k;
    if (L <= K) {
      // w = v is the long side: sum over the series and the blocks of v, one inverse.
      this.pairs(V.cols, (c, pair, [zr, zi, ar, ai]) => {
        ar.fill(0);
        ai.fill(0);
        for (let q = 0; q < this.count; q++) {
          for (let b = 0; b < this.blocks; b++) {
            const j0 = b * this.B;
            const len = Math.min(this.B, K - j0);
            this.spectrumOf(V, q * K + j0, len, c, pair, zr, zi);
            this.multiplyAdd(zr, zi, q, b, ar, ai);
          }
        }
        this.fft.inverse(ar, ai);
        scatter(ar, ai, 0, L, Y, 0, c, pair);
      });
    } else {
      // w = v is the short side (K): one transform per series, inverse per block of outputs.
      const spectra = this.perSeries;
      this.pairs(V.cols, (c, pair, [, , ar, ai]) => {
        for (let q = 0; q < this.count; q++) {
          const sr = spectra[2 * q]!;
          const si = spectra[2 * q + 1]!;
          this.spectrumOf(V, q * K, K, c, pair, sr, si);
        }
        for (let b = 0; b < this.blocks; b++) {
          ar.fill(0);
          ai.fill(0);
          for (let q = 0; q < this.count; q++) this.multiplyAdd(spectra[2 * q]!, spectra[2 * q + 1]!, q, b, ar, ai);
          this.fft.inverse(ar, ai);
          const t0 = b * this.B;
          scatter(ar, ai, 0, Math.min(this.B, L - t0), Y, t0, c, pair);
        }
      });
    }
    return Y;
  }

  /**
   * Z := X^T U for U of shape L x p, into a caller-owned column-major sK x p matrix (every
   * entry written).
   * @returns Z.
   * @throws ShapeError when U or Z has the wrong shape, or Z is not column-major.
   */
  applyTransposeInto(U: Matrix, Z: Matrix): Matrix {
    const [L, cols] = this.shape;
    if (U.rows !== L) throw new ShapeError(`TrajectoryOperator.applyTranspose: operand has ${U.rows} rows, the operator needs ${L}`);
    checkOut(Z, cols, U.cols, 'applyTranspose');
    const K = this.k;
    if (L <= K) {
      // w = u is the short side: one transform, an inverse per series and block of outputs.
      this.pairs(U.cols, (c, pair, [zr, zi, ar, ai]) => {
        this.spectrumOf(U, 0, L, c, pair, zr, zi);
        for (let q = 0; q < this.count; q++) {
          for (let b = 0; b < this.blocks; b++) {
            ar.fill(0);
            ai.fill(0);
            this.multiplyAdd(zr, zi, q, b, ar, ai);
            this.fft.inverse(ar, ai);
            const t0 = b * this.B;
            scatter(ar, ai, 0, Math.min(this.B, K - t0), Z, q * K + t0, c, pair);
          }
        }
      });
    } else {
      // w = u is the long side (L): per block of u one transform, summed per series.
      const acc = this.perSeries;
      this.pairs(U.cols, (c, pair, [zr, zi]) => {
        for (const a of acc) a.fill(0);
        for (let b = 0; b < this.blocks; b++) {
          const j0 = b * this.B;
          const len = Math.min(this.B, L - j0);
          this.spectrumOf(U, j0, len, c, pair, zr, zi);
          for (let q = 0; q < this.count; q++) this.multiplyAdd(zr, zi, q, b, acc[2 * q]!, acc[2 * q + 1]!);
        }
        for (let q = 0; q < this.count; q++) {
          const ar = acc[2 * q]!;
          const ai = acc[2 * q + 1]!;
          this.fft.inverse(ar, ai);
          scatter(ar, ai, 0, K, Z, q * K, c, pair);
        }
      });
    }
    return Z;
  }

  // Columns in pairs (c, c + 1); the last alone when p is odd.
  private pairs(p: number, body: (c: number, pair: boolean, work: [Float64Array, Float64Array, Float64Array, Float64Array]) => void): void {
    for (let c = 0; c < p; c += 2) body(c, c + 1 < p, this.work);
  }

  // (ar, ai) += (zr, zi) * segment spectrum (q, b).
  private multiplyAdd(zr: Float64Array, zi: Float64Array, q: number, b: number, ar: Float64Array, ai: Float64Array): void {
    const nb = this.fft.n;
    const xr = this.segRe[q]!;
    const xi = this.segIm[q]!;
    const o = b * nb;
    for (let t = 0; t < nb; t++) {
      const a = zr[t]!;
      const c = zi[t]!;
      const u = xr[o + t]!;
      const w = xi[o + t]!;
      ar[t] = ar[t]! + (a * u - c * w);
      ai[t] = ai[t]! + (a * w + c * u);
    }
  }
}

function checkOut(Y: Matrix, rows: number, cols: number, what: string): void {
  if (Y.rows !== rows || Y.cols !== cols || (Y.rowStride !== 1 && rows > 1)) {
    throw new ShapeError(`TrajectoryOperator.${what}Into: the output must be a column-major ${rows}x${cols} matrix, got ${Y.rows}x${Y.cols}${Y.rowStride !== 1 ? ' (not column-major)' : ''}`);
  }
}

// dst[(n - j) mod n] = M[row0 + j, col] for j < len (n = dst.length): the reversed column, so
// that a circular convolution with a segment of x is the correlation sum_j x[t + j] w_j.
function gatherReversed(M: Matrix, row0: number, len: number, col: number, dst: Float64Array): void {
  const n = dst.length;
  const d = M.data;
  const rs = M.rowStride;
  let o = M.offset + row0 * rs + col * M.colStride;
  if (len > 0) dst[0] = d[o]!;
  for (let j = 1; j < len; j++) {
    o += rs;
    dst[n - j] = d[o]!;
  }
}

// Y[row0 + t, c] = re[from + t] (and Y[row0 + t, c + 1] = im[from + t] for a pair), t < len.
function scatter(re: Float64Array, im: Float64Array, from: number, len: number, Y: Matrix, row0: number, c: number, pair: boolean): void {
  const y = Y.data;
  const o1 = Y.offset + c * Y.colStride + row0;
  for (let t = 0; t < len; t++) y[o1 + t] = re[from + t]!;
  if (pair) {
    const o2 = Y.offset + (c + 1) * Y.colStride + row0;
    for (let t = 0; t < len; t++) y[o2 + t] = im[from + t]!;
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
