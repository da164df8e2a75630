/**
 * Plane rotations and 2 x 2 triangular SVDs, the scalar building blocks of the bidiagonal
 * QR iteration (LAPACK dlartg, dlas2, dlasv2, dlasr). All of them are careful about
 * overflow and underflow: they are called on bidiagonals whose entries may span the whole
 * exponent range, and relative accuracy of tiny singular values depends on them.
 */
import { ROUNDOFF as EPS, SAFMIN } from './machine.js';

/** Scaling thresholds of dlartg, derived from the safe minimum. */
const SAFMAX = 1 / SAFMIN;
const RTMIN = Math.sqrt(SAFMIN);
const RTMAX = Math.sqrt(SAFMAX / 2);

/** Output of {@link lartg}: c, s, r with [c s; -s c] [f; g] = [r; 0]. */
export interface Rotation {
  c: number;
  s: number;
  r: number;
}

/**
 * Givens rotation with [c s; -s c] [f; g] = [r; 0], c >= 0 and r carrying the sign of f
 * (LAPACK 3.10 dlartg, Anderson's safe scaling: no overflow or harmful underflow for any
 * finite f, g). Writes into `out` (no allocation; the QR sweep calls this O(n^2) times).
 */
export function lartg(f: number, g: number, out: Rotation): Rotation {
  if (g === 0) {
    out.c = 1;
    out.s = 0;
    out.r = f;
  } else if (f === 0) {
    out.c = 0;
    out.s = g > 0 ? 1 : -1;
    out.r = Math.abs(g);
  } else {
    const f1 = Math.abs(f);
    const g1 = Math.abs(g);
    if (f1 > RTMIN && f1 < RTMAX && g1 > RTMIN && g1 < RTMAX) {
      const d = Math.sqrt(f * f + g * g);
      out.c = f1 / d;
      const r = f > 0 ? d : -d;
      out.s = g / r;
      out.r = r;
    } else {
      // Scale into the safe range first (one division each way).
      const u = Math.min(SAFMAX, Math.max(SAFMIN, f1, g1));
      const fs = f / u;
      const gs = g / u;
      const d = Math.sqrt(fs * fs + gs * gs);
      out.c = Math.abs(fs) / d;
      const r = f > 0 ? d : -d;
      out.s = gs / r;
      out.r = r * u;
    }
  }
  return out;
}

/** |a| with the sign of b (Fortran SIGN; -0 counts as positive). */
function sign(a: number, b: number): number {
  return b >= 0 ? Math.abs(a) : -Math.abs(a);
}

/**
 * Smaller singular value of the 2 x 2 upper triangular [f g; 0 h] (LAPACK dlas2),
 * accurate to a few ulps, no overflow when the entries are representable. The larger one is stored in `out.max` when `out` is given.
 */
export function las2(f: number, g: number, h: number, out?: { max: number }): number {
  const fa = Math.abs(f);
  const ga = Math.abs(g);
  const ha = Math.abs(h);
  const fhmn = Math.min(fa, ha);
  const fhmx = Math.max(fa, ha);
  let ssmin: number;
  let ssmax: number;
  if (fhmn === 0) {
    ssmin = 0;
    if (fhmx === 0) ssmax = ga;
    else {
      const mx = Math.max(fhmx, ga);
      const mn = Math.min(fhmx, ga);
      ssmax = mx * Math.sqrt(1 + (mn / mx) * (mn / mx));
    }
  } else if (ga < fhmx) {
    const as = 1 + fhmn / fhmx;
    const at = (fhmx - fhmn) / fhmx;
    const au = (ga / fhmx) * (ga / fhmx);
    const c = 2 / (Math.sqrt(as * as + au) + Math.sqrt(at * at + au));
    ssmin = fhmn * c;
    ssmax = fhmx / c;
  } else {
    const au = fhmx / ga;
    if (au === 0) {
      // Huge off-diagonal: avoid forming 1 + au^2 (the products below would underflow).
      ssmin = (fhmn * fhmx) / ga;
      ssmax = ga;
    } else {
      const as = 1 + fhmn / fhmx;
      const at = (fhmx - fhmn) / fhmx;
      const c = 1 / (Math.sqrt(1 + (as * au) * (as * au)) + Math.sqrt(1 + (at * au) * (at * au)));
      ssmin = fhmn * c * au;
      ssmin = ssmin + ssmin;
      ssmax = ga / (c + c);
    }
  }
  if (out) out.max = ssmax;
  return ssmin;
}

/** Output of {@link lasv2}. */
export interface Svd2 {
  /** Singular value of larger magnitude (signed). */
  ssmax: number;
  /** Singular value of smaller magnitude (signed). */
  ssmin: number;
  /** Right rotation (csr, snr) and left rotation (csl, snl). */
  csr: number;
  snr: number;
  csl: number;
  snl: number;
}

/**
 * SVD of the 2 x 2 upper triangular [f g; 0 h] (LAPACK dlasv2):
 * [csl snl; -snl csl] [f g; 0 h] [csr -snr; snr csr] = diag(ssmax, ssmin), |ssmax| >= |ssmin|.
 * Singular values are accurate to a few ulps (relative), the vectors to a few ulps
 * absolutely, barring underflow (Demmel & Kahan 1990).
 */
export function lasv2(f: number, g: number, h: number, out: Svd2): Svd2 {
  let ft = f;
  let fa = Math.abs(ft);
  let ht = h;
  let ha = Math.abs(h);
  // pmax: which entry has the largest magnitude (1 = f, 2 = g, 3 = h); it fixes the signs.
  let pmax = 1;
  const swap = ha > fa;
  if (swap) {
    pmax = 3;
    [ft, ht] = [ht, ft];
    [fa, ha] = [ha, fa];
  }
  const gt = g;
  const ga = Math.abs(gt);
  let clt: number;
  let crt: number;
  let slt: number;
  let srt: number;
  let ssmin: number;
  let ssmax: number;
  if (ga === 0) {
    ssmin = ha;
    ssmax = fa;
    clt = 1;
    crt = 1;
    slt = 0;
    srt = 0;
  } else {
    let gasmal = true;
    clt = crt = slt = srt = ssmin = ssmax = 0;
    if (ga > fa) {
      pmax = 2;
      if (fa / ga < EPS) {
        // g dominates so strongly that the formulas below would lose f and h.
        gasmal = false;
        ssmax = ga;
        ssmin = ha > 1 ? fa / (ga / ha) : (fa / ga) * ha;
        clt = 1;
        slt = ht / gt;
        srt = 1;
        crt = ft / gt;
      }
    }
    if (gasmal) {
      const dd = fa - ha;
      let l = dd === fa ? 1 : dd / fa;
      const m = gt / ft;
      let t = 2 - l;
      const mm = m * m;
      const tt = t * t;
      const s = Math.sqrt(tt + mm);
      const r = l === 0 ? Math.abs(m) : Math.sqrt(l * l + mm);
      const a = 0.5 * (s + r);
      ssmin = ha / a;
      ssmax = fa * a;
      if (mm === 0) {
        t = l === 0 ? sign(2, ft) * sign(1, gt) : gt / sign(dd, ft) + m / t;
      } else {
        t = (m / (s + t) + m / (r + l)) * (1 + a);
      }
      l = Math.sqrt(t * t + 4);
      crt = 2 / l;
      srt = t / l;
      clt = (crt + srt * m) / a;
      slt = (ht / ft) * srt / a;
    }
  }
  if (swap) {
    out.csl = srt;
    out.snl = crt;
    out.csr = slt;
    out.snr = clt;
  } else {
    out.csl = clt;
    out.snl = slt;
    out.csr = crt;
    out.snr = srt;
  }
  let tsign: number;
  if (pmax === 1) tsign = sign(1, out.csr) * sign(1, out.csl) * sign(1, f);
  else if (pmax === 2) tsign = sign(1, out.snr) * sign(1, out.csl) * sign(1, g);
  else tsign = sign(1, out.snr) * sign(1, out.snl) * sign(1, h);
  out.ssmax = sign(ssmax, tsign);
  out.ssmin = sign(ssmin, tsign * sign(1, f) * sign(1, h));
  return out;
}

/**
 * Apply the rotation sequence P_k ... P_1 (forward: P_1 first) or P_1 ... P_k (backward:
 * P_k first) from the left to rows r0 .. r0+k of the column-major A (`ncols` columns),
 * where P_j rotates rows (r0+j-1, r0+j) by (c[j-1], s[j-1]) as
 * [x; y] := [c x + s y; c y - s x] (LAPACK dlasr SIDE='L', PIVOT='V').
 * Columns are the outer loop and the moving row is carried in a register, so every pass
 * streams through contiguous memory once, whatever k is.
 */
export function rotateRows(
  forward: boolean, k: number, ncols: number, c: Float64Array, s: Float64Array, cs0: number,
  A: Float64Array, offA: number, ldA: number,
): void {
  if (k <= 0 || ncols <= 0) return;
  let col = 0;
  // Four columns at a time: four independent carried values hide the latency of the
  // dependency chain through the rotation sequence.
  for (; col + 4 <= ncols; col += 4) {
    const b0 = offA + col * ldA;
    const b1 = b0 + ldA;
    const b2 = b1 + ldA;
    const b3 = b2 + ldA;
    if (forward) {
      let x0 = A[b0]!;
      let x1 = A[b1]!;
      let x2 = A[b2]!;
      let x3 = A[b3]!;
      for (let j = 0; j < k; j++) {
        const cj = c[cs0 + j]!;
        const sj = s[cs0 + j]!;
        const y0 = A[b0 + j + 1]!;
        const y1 = A[b1 + j + 1]!;
        const y2 = A[b2 + j + 1]!;
        const y3 = A[b3 + j + 1]!;
        A[b0 + j] = cj * x0 + sj * y0;
        A[b1 + j] = cj * x1 + sj * y1;
        A[b2 + j] = cj * x2 + sj * y2;
        A[b3 + j] = cj * x3 + sj * y3;
        x0 = cj * y0 - sj * x0;
        x1 = cj * y1 - sj * x1;
        x2 = cj * y2 - sj * x2;
        x3 = cj * y3 - sj * x3;
      }
      A[b0 + k] = x0;
      A[b1 + k] = x1;
      A[b2 + k] = x2;
      A[b3 + k] = x3;
    } else {
      let y0 = A[b0 + k]!;
      let y1 = A[b1 + k]!;
      let y2 = A[b2 + k]!;
      let y3 = A[b3 + k]!;
      for (let j = k - 1; j >= 0; j--) {
        const cj = c[cs0 + j]!;
        const sj = s[cs0 + j]!;
        const x0 = A[b0 + j]!;
        const x1 = A[b1 + j]!;
        const x2 = A[b2 + j]!;
        const x3 = A[b3 + j]!;
        A[b0 + j + 1] = cj * y0 - sj * x0;
        A[b1 + j + 1] = cj * y1 - sj * x1;
        A[b2 + j + 1] = cj * y2 - sj * x2;
        A[b3 + j + 1] = cj * y3 - sj * x3;
        y0 = cj * x0 + sj * y0;
        y1 = cj * x1 + sj * y1;
        y2 = cj * x2 + sj * y2;
        y3 = cj * x3 + sj * y3;
      }
      A[b0] = y0;
      A[b1] = y1;
      A[b2] = y2;
      A[b3] = y3;
    }
  }
  for (; col < ncols; col++) {
    const b = offA + col * ldA;
    if (forward) {
      let x = A[b]!;
      for (let j = 0; j < k; j++) {
        const cj = c[cs0 + j]!;
        const sj = s[cs0 + j]!;
        const y = A[b + j + 1]!;
        A[b + j] = cj * x + sj * y;
        x = cj * y - sj * x;
      }
      A[b + k] = x;
    } else {
      let y = A[b + k]!;
      for (let j = k - 1; j >= 0; j--) {
        const cj = c[cs0 + j]!;
        const sj = s[cs0 + j]!;
        const x = A[b + j]!;
        A[b + j + 1] = cj * y - sj * x;
        y = cj * x + sj * y;
      }
      A[b] = y;
    }
  }
}

/**
 * Apply the same rotation sequence as {@link rotateRows}, transposed, from the right to
 * columns c0 .. c0+k of the column-major A (`nrows` rows): P_j rotates columns
 * (j-1, j) as [x y] := [c x + s y, c y - s x] (LAPACK dlasr SIDE='R', PIVOT='V').
 * Rotation by rotation, each a contiguous sweep over two columns (the second column of
 * one rotation is the first of the next, so it is still in cache).
 */
export function rotateCols(
  forward: boolean, k: number, nrows: number, c: Float64Array, s: Float64Array, cs0: number,
  A: Float64Array, offA: number, ldA: number,
): void {
  if (k <= 0 || nrows <= 0) return;
  for (let t = 0; t < k; t++) {
    const j = forward ? t : k - 1 - t;
    const cj = c[cs0 + j]!;
    const sj = s[cs0 + j]!;
    if (cj === 1 && sj === 0) continue;
    const x0 = offA + j * ldA;
    const y0 = x0 + ldA;
    for (let i = 0; i < nrows; i++) {
      const x = A[x0 + i]!;
      const y = A[y0 + i]!;
      A[x0 + i] = cj * x + sj * y;
      A[y0 + i] = cj * y - sj * x;
    }
  }
}
