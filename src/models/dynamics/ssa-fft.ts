/**
 * A complex fast Fourier transform of power-of-two length, for the Hankel (trajectory
 * matrix) products and the diagonal averaging of singular spectrum analysis: both are
 * convolutions of the series with a vector, which an FFT computes in O(n log n) instead of
 * O(L K) (Korobeynikov, "Computation- and space-efficient implementation of SSA",
 * Statistics and Its Interface 3, 2010).
 *
 * A convolution needs the spectrum only to multiply it pointwise, in any order, so the
 * forward transform is a decimation in frequency that leaves its output in bit-reversed
 * order and the inverse a decimation in time that takes its input in that order: neither
 * permutes (a bit-reversal permutation of 2^17 points costs as much as half the transform,
 * in cache misses). Both run radix-4 passes (each is two radix-2 stages, with three complex
 * twiddle multiplications per four points), plus one radix-2 pass when log2 n is odd.
 * Real and imaginary parts live in separate Float64Arrays; every pass reads its twiddles
 * from a contiguous table of its own, so the inner loops stream memory.
 *
 * Internal to the dynamics family (not exported from the package).
 */
import { InvalidArgumentError } from '../../errors.js';

/** The smallest power of two >= n (and >= 1). */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

// Transforms by length, most recently used last: building one costs about as much as five
// transforms (its twiddles), and SSA asks for the same length again and again.
const CACHE = new Map<number, Fft>();
const CACHE_SIZE = 4;

/** The {@link Fft} of length n (a power of two), from a small cache of recent lengths. */
export function fftOf(n: number): Fft {
  let f = CACHE.get(n);
  if (f) {
    CACHE.delete(n);
  } else {
    f = new Fft(n);
    if (CACHE.size >= CACHE_SIZE) CACHE.delete(CACHE.keys().next().value!);
  }
  CACHE.set(n, f);
  return f;
}

// One radix-4 pass over blocks of 4m: twiddles w^k, w^2k, w^3k with w = e^{-2 pi i/(4m)}, k < m.
interface Pass4 {
  m: number;
  c1: Float64Array;
  s1: Float64Array;
  c2: Float64Array;
  s2: Float64Array;
  c3: Float64Array;
  s3: Float64Array;
}

function pass4(m: number): Pass4 {
  const t = { m, c1: new Float64Array(m), s1: new Float64Array(m), c2: new Float64Array(m), s2: new Float64Array(m), c3: new Float64Array(m), s3: new Float64Array(m) };
  for (let k = 0; k < m; k++) {
    const a = (-2 * Math.PI * k) / (4 * m);
    t.c1[k] = Math.cos(a);
    t.s1[k] = Math.sin(a);
    t.c2[k] = Math.cos(2 * a);
    t.s2[k] = Math.sin(2 * a);
    t.c3[k] = Math.cos(3 * a);
    t.s3[k] = Math.sin(3 * a);
  }
  return t;
}

/**
 * Forward and inverse complex FFTs of one length n (a power of two), tables precomputed.
 * Spectra are in bit-reversed order: entry p holds frequency {@link Fft.rev}[p].
 */
export class Fft {
  /** Transform length. */
  readonly n: number;
  /** rev[p]: the frequency stored at position p of a spectrum (bit reversal of p). */
  readonly rev: Uint32Array;
  // Radix-4 passes, largest blocks first (m = n/4, n/16, ...).
  private readonly passes: Pass4[] = [];
  // Whether one radix-2 stage of blocks of 2 (twiddle-free) completes the transform.
  private readonly odd: boolean;
  private mirrorTable?: Uint32Array;

  /**
   * Tables for length `n`: the twiddles of every pass (2 n numbers in all) and the bit
   * reversal.
   * @throws InvalidArgumentError unless n is a power of two in [1, 2^30].
   */
  constructor(n: number) {
    if (!(Number.isSafeInteger(n) && n >= 1 && n <= 2 ** 30 && (n & (n - 1)) === 0)) throw new InvalidArgumentError(`Fft: length must be a power of two in [1, 2^30], got ${n}`);
    this.n = n;
    let bits = 0;
    while (2 ** bits < n) bits++;
    const rev = new Uint32Array(n);
    for (let i = 1; i < n; i++) rev[i] = (rev[i >> 1]! >>> 1) | ((i & 1) << (bits - 1));
    this.rev = rev;
    let m = n / 4;
    let stages = bits;
    while (stages >= 2) {
      this.passes.push(pass4(m));
      m /= 4;
      stages -= 2;
    }
    this.odd = stages === 1;
  }

  /**
   * mirror[p]: the position of frequency -rev[p] (mod n), to pair X_k with X_{-k} in a
   * bit-reversed spectrum (the spectra of two real sequences packed into one complex one).
   */
  get mirror(): Uint32Array {
    if (!this.mirrorTable) {
      const { n, rev } = this;
      const t = new Uint32Array(n);
      for (let p = 0; p < n; p++) t[p] = rev[(n - rev[p]!) & (n - 1)]!;
      this.mirrorTable = t;
    }
    return this.mirrorTable;
  }

  /**
   * In place: (re, im) := DFT(re + i im), X_k = sum_j x_j e^{-2 pi i jk/n}, in bit-reversed
   * order (X_{rev[p]} at p). Both arrays must hold at least n numbers; only n are used.
   */
  forward(re: Float64Array, im: Float64Array): void {
    this.dif(re, im, 0, 0, this.n);
    if (this.odd) radix2(re, im, this.n);
  }

  /**
   * In place: the inverse of {@link Fft.forward} times `scale`: from a bit-reversed
   * spectrum to x_j = scale sum_k X_k e^{+2 pi i jk/n} in natural order (scale 1/n gives
   * the inverse DFT). Computed as the decimation-in-time forward transform with real and
   * imaginary parts swapped (F(i conj z) = i conj(n F^-1 z)).
   */
  inverse(re: Float64Array, im: Float64Array, scale = 1 / this.n): void {
    if (this.odd) radix2(im, re, this.n);
    this.dit(im, re, 0, 0, this.n);
    if (scale !== 1) {
      const n = this.n;
      for (let i = 0; i < n; i++) {
        re[i] = re[i]! * scale;
        im[i] = im[i]! * scale;
      }
    }
  }

  // Radix-4 passes q, q+1, ... of the decimation in frequency on the segment [base, base +
  // len) (len = 4 m of pass q). Pass q runs over the whole segment; once a segment fits in
  // cache (CACHE_POINTS), the remaining passes run over it breadth first, else each of its
  // four quarters recurses, so the later passes find their data in cache (the depth-first
  // order of the recursive FFT) instead of streaming the whole array once per pass.
  private dif(re: Float64Array, im: Float64Array, q: number, base: number, len: number): void {
    const passes = this.passes;
    if (q >= passes.length) return;
    if (len <= CACHE_POINTS) {
      for (let p = q; p < passes.length; p++) this.difPass(re, im, passes[p]!, base, len);
      return;
    }
    this.difPass(re, im, passes[q]!, base, len);
    const quarter = len / 4;
    for (let b = 0; b < 4; b++) this.dif(re, im, q + 1, base + b * quarter, quarter);
  }

  // The decimation in time, mirror image of dif: the quarters first, then pass q.
  private dit(re: Float64Array, im: Float64Array, q: number, base: number, len: number): void {
    const passes = this.passes;
    if (q >= passes.length) return;
    if (len <= CACHE_POINTS) {
      for (let p = passes.length - 1; p >= q; p--) this.ditPass(re, im, passes[p]!, base, len);
      return;
    }
    const quarter = len / 4;
    for (let b = 0; b < 4; b++) this.dit(re, im, q + 1, base + b * quarter, quarter);
    this.ditPass(re, im, passes[q]!, base, len);
  }

  // One radix-4 DIF pass over the blocks of 4m in [base, base + len).
  private difPass(re: Float64Array, im: Float64Array, t: Pass4, base: number, len: number): void {
    const { m, c1, s1, c2, s2, c3, s3 } = t;
    const step = 4 * m;
    for (let j0 = base, end = base + len; j0 < end; j0 += step) {
      for (let k = 0; k < m; k++) {
          const i0 = j0 + k;
          const i1 = i0 + m;
          const i2 = i1 + m;
          const i3 = i2 + m;
          const x0r = re[i0]!;
          const x0i = im[i0]!;
          const x1r = re[i1]!;
          const x1i = im[i1]!;
          const x2r = re[i2]!;
          const x2i = im[i2]!;
          const x3r = re[i3]!;
          const x3i = im[i3]!;
          // Radix-4 decimation in frequency (two radix-2 DIF stages fused):
          // z0 = (x0 + x2) + (x1 + x3), z1 = ((x0 + x2) - (x1 + x3)) w^2k,
          // z2 = ((x0 - x2) - i (x1 - x3)) w^k, z3 = ((x0 - x2) + i (x1 - x3)) w^3k.
          const ar = x0r + x2r;
          const ai = x0i + x2i;
          const br = x0r - x2r;
          const bi = x0i - x2i;
          const cr = x1r + x3r;
          const ci = x1i + x3i;
          const dr = x1r - x3r;
          const di = x1i - x3i;
          re[i0] = ar + cr;
          im[i0] = ai + ci;
          const y1r = ar - cr;
          const y1i = ai - ci;
          const y2r = br + di;
          const y2i = bi - dr;
          const y3r = br - di;
          const y3i = bi + dr;
          const w2r = c2[k]!;
          const w2i = s2[k]!;
          re[i1] = y1r * w2r - y1i * w2i;
          im[i1] = y1r * w2i + y1i * w2r;
          const w1r = c1[k]!;
          const w1i = s1[k]!;
          re[i2] = y2r * w1r - y2i * w1i;
          im[i2] = y2r * w1i + y2i * w1r;
          const w3r = c3[k]!;
          const w3i = s3[k]!;
          re[i3] = y3r * w3r - y3i * w3i;
          im[i3] = y3r * w3i + y3i * w3r;
      }
    }
  }

  // One radix-4 DIT pass over the blocks of 4m in [base, base + len) (bit-reversed input).
  // It shares difPass's loop nest but not its arithmetic (twiddles before the butterfly, not
  // after), and stays a loop of its own: one loop taking the butterfly as a function ran
  // forward + inverse 1.55x slower at n = 2^12 and 2^17 (CPU time, 2026-12-06), as V8 does
  // not inline a call that sees two functions.
  private ditPass(re: Float64Array, im: Float64Array, t: Pass4, base: number, len: number): void {
    const { m, c1, s1, c2, s2, c3, s3 } = t;
    const step = 4 * m;
    for (let j0 = base, end = base + len; j0 < end; j0 += step) {
      for (let k = 0; k < m; k++) {
          const i0 = j0 + k;
          const i1 = i0 + m;
          const i2 = i1 + m;
          const i3 = i2 + m;
          // Quarter-blocks in bit-reversed order hold the DFTs of x_{4j}, x_{4j+2},
          // x_{4j+1}, x_{4j+3}: t0 = A0, t1 = A1 w^2k, t2 = A2 w^k, t3 = A3 w^3k, and
          // X_k = t0 + t1 + t2 + t3, X_{k+m} = t0 - t1 - i (t2 - t3),
          // X_{k+2m} = t0 + t1 - (t2 + t3), X_{k+3m} = t0 - t1 + i (t2 - t3).
          const t0r = re[i0]!;
          const t0i = im[i0]!;
          const a1r = re[i1]!;
          const a1i = im[i1]!;
          const w2r = c2[k]!;
          const w2i = s2[k]!;
          const t1r = a1r * w2r - a1i * w2i;
          const t1i = a1r * w2i + a1i * w2r;
          const a2r = re[i2]!;
          const a2i = im[i2]!;
          const w1r = c1[k]!;
          const w1i = s1[k]!;
          const t2r = a2r * w1r - a2i * w1i;
          const t2i = a2r * w1i + a2i * w1r;
          const a3r = re[i3]!;
          const a3i = im[i3]!;
          const w3r = c3[k]!;
          const w3i = s3[k]!;
          const t3r = a3r * w3r - a3i * w3i;
          const t3i = a3r * w3i + a3i * w3r;
          const sr = t0r + t1r;
          const si = t0i + t1i;
          const dr = t0r - t1r;
          const di = t0i - t1i;
          const ur = t2r + t3r;
          const ui = t2i + t3i;
          const vr = t2r - t3r;
          const vi = t2i - t3i;
          re[i0] = sr + ur;
          im[i0] = si + ui;
          re[i2] = sr - ur;
          im[i2] = si - ui;
          // -i v = (vi, -vr)
          re[i1] = dr + vi;
          im[i1] = di - vr;
          re[i3] = dr - vi;
          im[i3] = di + vr;
      }
    }
  }
}

// Segments up to this many points (2 x 128 KiB of doubles) stay in a core's L2 cache.
const CACHE_POINTS = 2 ** 13;

// The radix-2 stage of blocks of 2 (twiddle-free): last in the DIF, first in the DIT.
function radix2(re: Float64Array, im: Float64Array, n: number): void {
  for (let i = 0; i < n; i += 2) {
    const ar = re[i]!;
    const ai = im[i]!;
    const br = re[i + 1]!;
    const bi = im[i + 1]!;
    re[i] = ar + br;
    im[i] = ai + bi;
    re[i + 1] = ar - br;
    im[i + 1] = ai - bi;
  }
}
