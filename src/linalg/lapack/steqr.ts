/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by implicit QL/QR with
 * Wilkinson shifts (LAPACK dsteqr; Bowdler, Martin, Reinsch & Wilkinson 1968; Golub & Van
 * Loan, "Matrix Computations", 4th ed., section 8.3). Also the 2 x 2 symmetric eigensolvers
 * (LAPACK dlae2 / dlaev2) and the plane rotation (dlartg) shared by the tridiagonal solvers.
 */
import { ConvergenceError } from '../../errors.js';
import type { FloatArray } from '../../matrix/dtype.js';
import { ROUNDOFF as EPS, SAFMIN } from './machine.js';

/** Iterations allowed per eigenvalue before giving up (LAPACK's MAXIT). */
export const MAXIT = 30;

const EPS2 = EPS * EPS;
/** Blocks whose largest entry is outside [SSFMIN, SSFMAX] are scaled into it first. */
const SSFMAX = Math.sqrt(1 / SAFMIN) / 3;
const SSFMIN = Math.sqrt(SAFMIN) / EPS2;

/** sqrt(a^2 + b^2) without avoidable overflow/underflow; fast path when squaring is safe. */
export function hypot2(a: number, b: number): number {
  const s = a * a + b * b;
  if (s > 1e-290 && s < 1e290) return Math.sqrt(s);
  return Math.hypot(a, b);
}

/**
 * Eigenvalues of [[a, b], [b, c]]: `rt1` of larger absolute value, `rt2` the other
 * (LAPACK dlae2). rt2 is computed as det / rt1 so that it is accurate even when tiny.
 */
export function lae2(a: number, b: number, c: number): [number, number] {
  const sm = a + c;
  const adf = Math.abs(a - c);
  const ab = Math.abs(b + b);
  const [acmx, acmn] = Math.abs(a) > Math.abs(c) ? [a, c] : [c, a];
  let rt: number;
  if (adf > ab) rt = adf * Math.sqrt(1 + (ab / adf) ** 2);
  else if (adf < ab) rt = ab * Math.sqrt(1 + (adf / ab) ** 2);
  else rt = ab * Math.SQRT2;
  if (sm < 0) {
    const rt1 = 0.5 * (sm - rt);
    return [rt1, (acmx / rt1) * acmn - (b / rt1) * b];
  }
  if (sm > 0) {
    const rt1 = 0.5 * (sm + rt);
    return [rt1, (acmx / rt1) * acmn - (b / rt1) * b];
  }
  return [0.5 * rt, -0.5 * rt];
}

/**
 * Eigen-decomposition of [[a, b], [b, c]] (LAPACK dlaev2): eigenvalues rt1 (larger absolute
 * value) and rt2, and (cs, sn) with [cs sn] the unit eigenvector of rt1, i.e.
 * [cs sn; -sn cs] [a b; b c] [cs -sn; sn cs] = diag(rt1, rt2).
 */
export function laev2(a: number, b: number, c: number): [number, number, number, number] {
  const sm = a + c;
  const df = a - c;
  const adf = Math.abs(df);
  const tb = b + b;
  const ab = Math.abs(tb);
  const [acmx, acmn] = Math.abs(a) > Math.abs(c) ? [a, c] : [c, a];
  let rt: number;
  if (adf > ab) rt = adf * Math.sqrt(1 + (ab / adf) ** 2);
  else if (adf < ab) rt = ab * Math.sqrt(1 + (adf / ab) ** 2);
  else rt = ab * Math.SQRT2;
  let rt1: number;
  let rt2: number;
  let sgn1: number;
  if (sm < 0) {
    rt1 = 0.5 * (sm - rt);
    sgn1 = -1;
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else if (sm > 0) {
    rt1 = 0.5 * (sm + rt);
    sgn1 = 1;
    rt2 = (acmx / rt1) * acmn - (b / rt1) * b;
  } else {
    rt1 = 0.5 * rt;
    rt2 = -0.5 * rt;
    sgn1 = 1;
  }
  let cs: number;
  let sgn2: number;
  if (df >= 0) {
    cs = df + rt;
    sgn2 = 1;
  } else {
    cs = df - rt;
    sgn2 = -1;
  }
  let cs1: number;
  let sn1: number;
  if (Math.abs(cs) > ab) {
    const ct = -tb / cs;
    sn1 = 1 / Math.sqrt(1 + ct * ct);
    cs1 = ct * sn1;
  } else if (ab === 0) {
    cs1 = 1;
    sn1 = 0;
  } else {
    const tn = -cs / tb;
    cs1 = 1 / Math.sqrt(1 + tn * tn);
    sn1 = tn * cs1;
  }
  if (sgn1 === sgn2) {
    const tn = cs1;
    cs1 = -sn1;
    sn1 = tn;
  }
  return [rt1, rt2, cs1, sn1];
}

/**
 * Deflate the 2 x 2 block [[d_i, b], [b, d_i+1]] found by a QL/QR iteration: its eigenvalues
 * replace d[i], d[i+1] and e[i] becomes 0. b is e[i], or its square root in dsterf, which
 * keeps the off-diagonals squared. With `Z` (dsteqr computing vectors) the eigenvalues come
 * from dlaev2 and its rotation is applied to columns i, i+1 of Z; without, from dlae2.
 * (dsterf's QR branch stores the pair the other way round; it sorts the eigenvalues at the
 * end and dlae2 is symmetric in the two diagonal entries, so the result is the same.)
 */
export function deflate2x2(
  d: Float64Array, e: Float64Array, i: number, b: number,
  Z?: FloatArray, zoff = 0, ldz = 1, nz = 0,
): void {
  if (Z) {
    const [rt1, rt2, c, s] = laev2(d[i]!, b, d[i + 1]!);
    rotCols(Z, zoff, ldz, nz, i, c, s);
    d[i] = rt1;
    d[i + 1] = rt2;
  } else {
    const [rt1, rt2] = lae2(d[i]!, b, d[i + 1]!);
    d[i] = rt1;
    d[i + 1] = rt2;
  }
  e[i] = 0;
}

/** Largest |d_i|, |e_i| of the tridiagonal block d[l..m], e[l..m-1] (LAPACK dlanst('M')). */
export function tridiagMaxAbs(d: Float64Array, e: Float64Array, l: number, m: number): number {
  let a = 0;
  for (let i = l; i <= m; i++) {
    const v = Math.abs(d[i]!);
    if (v > a || Number.isNaN(v)) a = v;
  }
  for (let i = l; i < m; i++) {
    const v = Math.abs(e[i]!);
    if (v > a || Number.isNaN(v)) a = v;
  }
  return a;
}

/** x[from..to] *= s. */
export function scaleRange(x: Float64Array, from: number, to: number, s: number): void {
  for (let i = from; i <= to; i++) x[i] = x[i]! * s;
}

/**
 * End m of the unreduced block of the tridiagonal starting at l1: the first m >= l1 whose
 * off-diagonal e[m] is negligible, |e_m| <= sqrt|d_m| sqrt|d_m+1| eps (then set to zero),
 * or n - 1. Splitting test of LAPACK dsteqr / dsterf.
 */
function blockEnd(d: Float64Array, e: Float64Array, l1: number, n: number): number {
  let m = l1;
  for (; m < n - 1; m++) {
    const tst = Math.abs(e[m]!);
    if (tst === 0) break;
    if (tst <= Math.sqrt(Math.abs(d[m]!)) * Math.sqrt(Math.abs(d[m + 1]!)) * EPS) {
      e[m] = 0;
      break;
    }
  }
  return m;
}

/**
 * Scale the block d[l..lend], e[l..lend-1] into [SSFMIN, SSFMAX] when its largest entry
 * `anorm` is outside (as dsteqr/dsterf do). @returns the factor that undoes it, or 1.
 */
function scaleBlock(d: Float64Array, e: Float64Array, l: number, lend: number, anorm: number): number {
  const target = anorm > SSFMAX ? SSFMAX : anorm < SSFMIN ? SSFMIN : 0;
  if (target === 0) return 1;
  scaleRange(d, l, lend, target / anorm);
  scaleRange(e, l, lend - 1, target / anorm);
  return anorm / target;
}

/** An unreduced block of the tridiagonal, as {@link nextBlock} finds it. */
export interface TridiagBlock {
  /** The block is d[lo..hi], e[lo..hi-1] (lo < hi). */
  lo: number;
  hi: number;
  /**
   * The end to iterate from and the end to iterate towards: QL when l < lend (l = lo),
   * QR when l > lend (l = hi).
   */
  l: number;
  lend: number;
  /** Factor that undoes the block's scaling (1 when it was not scaled). */
  unscale: number;
}

/**
 * The next block of the tridiagonal that needs iterating, at or after row `from` (the block
 * loop head of LAPACK dsteqr / dsterf, shared by both): split at the first negligible
 * off-diagonal ({@link blockEnd}), pass over 1 x 1 and zero blocks (already diagonal), scale
 * the block into [SSFMIN, SSFMAX] ({@link scaleBlock}) and orient it: QL when its top is
 * larger in magnitude than its bottom, QR otherwise, so that the small eigenvalues converge
 * first, which keeps graded matrices accurate. Fills `blk` and returns true, or returns false
 * when every remaining block is diagonal. The next call starts at `blk.hi + 1`.
 */
export function nextBlock(d: Float64Array, e: Float64Array, n: number, from: number, blk: TridiagBlock): boolean {
  let l1 = from;
  while (l1 < n) {
    if (l1 > 0) e[l1 - 1] = 0;
    const lo = l1;
    const hi = blockEnd(d, e, l1, n);
    l1 = hi + 1;
    if (hi === lo) continue;
    const anorm = tridiagMaxAbs(d, e, lo, hi);
    if (anorm === 0) continue;
    blk.lo = lo;
    blk.hi = hi;
    blk.unscale = scaleBlock(d, e, lo, hi, anorm);
    const ql = !(Math.abs(d[hi]!) < Math.abs(d[lo]!));
    blk.l = ql ? lo : hi;
    blk.lend = ql ? hi : lo;
    return true;
  }
  return false;
}

/** @throws ConvergenceError when the sweep budget is spent and some e[i] is still nonzero. */
export function checkConverged(routine: string, e: Float64Array, n: number, sweeps: number, maxSweeps: number, what: string): void {
  if (sweeps < maxSweeps) return;
  let bad = 0;
  for (let i = 0; i < n - 1; i++) if (e[i] !== 0) bad++;
  if (bad > 0) throw new ConvergenceError(`${routine}: ${bad} off-diagonal elements did not converge to zero after ${maxSweeps} ${what}`);
}

// Apply the plane rotation [c -s; s c] from the right to columns j, j+1 of Z (rows nz):
// (z_j, z_j1) := (c z_j - s z_j1 ... ) in LAPACK dlasr('R', 'V', ...) convention:
// z_j1' = c z_j1 - s z_j, z_j' = s z_j1 + c z_j.
function rotCols(Z: FloatArray, zoff: number, ldz: number, nz: number, j: number, c: number, s: number): void {
  if (c === 1 && s === 0) return;
  const a = zoff + j * ldz;
  const b = a + ldz;
  for (let r = 0; r < nz; r++) {
    const t = Z[b + r]!;
    const u = Z[a + r]!;
    Z[b + r] = c * t - s * u;
    Z[a + r] = s * t + c * u;
  }
}

/**
 * Start of one implicit QL/QR sweep of dsteqr: g = d_m - sigma, with sigma Wilkinson's shift,
 * the eigenvalue of the 2 x 2 [[dl, el], [el, dl1]] at the converging end l that is nearer
 * to dl (dl1 is the diagonal entry next to dl inside the block, m the far end).
 */
function wilkinsonStart(dl: number, dl1: number, el: number, dm: number): number {
  const g = (dl1 - dl) / (2 * el);
  const r = hypot2(g, 1);
  return dm - dl + el / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
}

/**
 * One implicit QL sweep (`ql`, LAPACK dsteqr's label 70 loop: the bulge is chased from the
 * bottom m up to the converging end l < m) or QR sweep (label 120: from the top m down to
 * l > m) with Wilkinson's shift, on the unreduced block between l and m. The rotations
 * are applied to the columns of Z when it is given.
 *
 * The two sweeps are mirror images: off-diagonal e[i] couples d[i] and d[i + 1], the sweep
 * moves by `step` (-1 for QL, +1 for QR), and of the two diagonal entries next to e[i] the
 * one on m's side is d[i + near]. Every operation is that of LAPACK's two loops, in the
 * same order, so results are bit-identical to writing them out twice.
 */
function sweep(
  ql: boolean, l: number, m: number, d: Float64Array, e: Float64Array,
  Z: FloatArray | undefined, zoff: number, ldz: number, nz: number,
): void {
  const step = ql ? -1 : 1;
  const near = ql ? 1 : 0;
  const far = 1 - near;
  const first = ql ? m - 1 : m; // the off-diagonals visited: e[first], ..., e[last]
  const last = ql ? l : l - 1;
  // dlasr('R','V','B') applies QL's rotations from the bottom up and dlasr('R','V','F')
  // QR's top down, both in the order computed here; QL's act with the opposite sign.
  const zsign = ql ? -1 : 1;
  let g = wilkinsonStart(d[l]!, d[l - step]!, e[last]!, d[m]!);
  let s = 1;
  let c = 1;
  let p = 0;
  for (let i = first; i !== last + step; i += step) {
    const f = s * e[i]!;
    const b = c * e[i]!;
    // Plane rotation zeroing f against g (LAPACK 3.9 dlartg(g, f, c, s, r), with r from
    // hypot2 in place of its rescaling loop). Not lartg of givens.ts: LAPACK 3.10's signs
    // differ (c >= 0 always), which would change the results in the last bits.
    let r: number;
    if (f === 0) {
      c = 1;
      s = 0;
      r = g;
    } else if (g === 0) {
      c = 0;
      s = 1;
      r = f;
    } else {
      r = hypot2(g, f);
      c = g / r;
      s = f / r;
      if (Math.abs(g) > Math.abs(f) && c < 0) {
        c = -c;
        s = -s;
        r = -r;
      }
    }
    if (i !== first) e[i - step] = r;
    g = d[i + near]! - p;
    r = (d[i + far]! - g) * s + 2 * c * b;
    p = s * r;
    d[i + near] = g + p;
    g = c * r - b;
    if (Z) rotCols(Z, zoff, ldz, nz, i, c, zsign * s);
  }
  d[l] = d[l]! - p;
  e[last] = g;
}

/**
 * Eigenvalues and (optionally) eigenvectors of the symmetric tridiagonal matrix with
 * diagonal d[0..n) and off-diagonal e[0..n-1), by implicit QL or QR with Wilkinson shifts
 * (LAPACK dsteqr). The matrix is split where an off-diagonal is negligible; each block is
 * scaled into a safe range when its entries are huge or tiny, and runs QL when its top is
 * larger than its bottom, QR otherwise (so the smallest eigenvalues converge first, which
 * keeps graded matrices accurate).
 *
 * On return d holds the eigenvalues in ascending order and e is destroyed. When `Z` is
 * given (nz rows, leading dimension ldz, n columns starting at zoff) the rotations are
 * applied to its columns: pass the identity to get the tridiagonal's eigenvectors, or the
 * orthogonal matrix that reduced a full matrix to tridiagonal form to get its eigenvectors.
 * Columns are permuted along with the eigenvalues.
 *
 * Cost: about 3 n^2 flops for the values plus 6 nz n^2 for the vectors (plain loops).
 * @throws ConvergenceError if more than 30 n QL/QR sweeps are needed in total.
 */
export function steqr(
  n: number, d: Float64Array, e: Float64Array,
  Z?: FloatArray, zoff = 0, ldz = 1, nz = n,
): void {
  if (n <= 1) return;
  const nmaxit = n * MAXIT;
  let jtot = 0;
  const blk: TridiagBlock = { lo: 0, hi: -1, l: 0, lend: 0, unscale: 1 };
  while (nextBlock(d, e, n, blk.hi + 1, blk)) {
    let l = blk.l;
    const lend = blk.lend;
    if (lend > l) {
      // QL iteration: chase from the bottom, eigenvalues converge at the top (index l).
      while (l <= lend) {
        let m = l;
        for (; m < lend; m++) {
          const tst = Math.abs(e[m]!) ** 2;
          if (tst <= EPS2 * Math.abs(d[m]!) * Math.abs(d[m + 1]!) + SAFMIN) break;
        }
        if (m < lend) e[m] = 0;
        if (m === l) {
          // Eigenvalue found.
          l++;
          continue;
        }
        if (m === l + 1) {
          deflate2x2(d, e, l, e[l]!, Z, zoff, ldz, nz);
          l += 2;
          continue;
        }
        if (jtot === nmaxit) break;
        jtot++;
        sweep(true, l, m, d, e, Z, zoff, ldz, nz);
      }
    } else {
      // QR iteration: chase from the top, eigenvalues converge at the bottom (index l).
      while (l >= lend) {
        let m = l;
        for (; m > lend; m--) {
          const tst = Math.abs(e[m - 1]!) ** 2;
          if (tst <= EPS2 * Math.abs(d[m]!) * Math.abs(d[m - 1]!) + SAFMIN) break;
        }
        if (m > lend) e[m - 1] = 0;
        if (m === l) {
          l--;
          continue;
        }
        if (m === l - 1) {
          deflate2x2(d, e, l - 1, e[l - 1]!, Z, zoff, ldz, nz);
          l -= 2;
          continue;
        }
        if (jtot === nmaxit) break;
        jtot++;
        sweep(false, l, m, d, e, Z, zoff, ldz, nz);
      }
    }
    if (blk.unscale !== 1) {
      scaleRange(d, blk.lo, blk.hi, blk.unscale);
      scaleRange(e, blk.lo, blk.hi - 1, blk.unscale);
    }
    checkConverged('steqr', e, n, jtot, nmaxit, 'QL/QR sweeps');
  }
  sortEigen(n, d, Z, zoff, ldz, nz);
}

/**
 * Sort d[0..n) ascending, permuting the columns of Z alike (selection sort, as LAPACK:
 * at most n - 1 column swaps).
 */
export function sortEigen(n: number, d: Float64Array, Z: FloatArray | undefined, zoff: number, ldz: number, nz: number): void {
  if (!Z) {
    const s = Float64Array.from(d.subarray(0, n)).sort();
    d.set(s);
    return;
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i]!;
    for (let j = i + 1; j < n; j++) {
      if (d[j]! < p) {
        k = j;
        p = d[j]!;
      }
    }
    if (k !== i) {
      d[k] = d[i]!;
      d[i] = p;
      const a = zoff + i * ldz;
      const b = zoff + k * ldz;
      for (let r = 0; r < nz; r++) {
        const t = Z[a + r]!;
        Z[a + r] = Z[b + r]!;
        Z[b + r] = t;
      }
    }
  }
}
