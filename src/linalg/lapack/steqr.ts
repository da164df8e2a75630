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
export function blockEnd(d: Float64Array, e: Float64Array, l1: number, n: number): number {
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
export function scaleBlock(d: Float64Array, e: Float64Array, l: number, lend: number, anorm: number): number {
  const target = anorm > SSFMAX ? SSFMAX : anorm < SSFMIN ? SSFMIN : 0;
  if (target === 0) return 1;
  scaleRange(d, l, lend, target / anorm);
  scaleRange(e, l, lend - 1, target / anorm);
  return anorm / target;
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
  let l1 = 0;
  while (l1 < n) {
    if (l1 > 0) e[l1 - 1] = 0;
    let m = blockEnd(d, e, l1, n);
    let l = l1;
    const lsv = l;
    let lend = m;
    const lendsv = lend;
    l1 = m + 1;
    if (lend === l) continue;
    const anorm = tridiagMaxAbs(d, e, l, lend);
    if (anorm === 0) continue;
    const unscale = scaleBlock(d, e, l, lend, anorm);
    if (Math.abs(d[lend]!) < Math.abs(d[l]!)) {
      lend = lsv;
      l = lendsv;
    }
    if (lend > l) {
      // QL iteration: chase from the bottom, eigenvalues converge at the top (index l).
      for (;;) {
        let mm = l;
        if (l !== lend) {
          for (; mm < lend; mm++) {
            const tst = Math.abs(e[mm]!) ** 2;
            if (tst <= EPS2 * Math.abs(d[mm]!) * Math.abs(d[mm + 1]!) + SAFMIN) break;
          }
        } else mm = lend;
        m = mm;
        if (m < lend) e[m] = 0;
        let p = d[l]!;
        if (m === l) {
          // Eigenvalue found.
          d[l] = p;
          l++;
          if (l <= lend) continue;
          break;
        }
        if (m === l + 1) {
          if (Z) {
            const [rt1, rt2, c, s] = laev2(d[l]!, e[l]!, d[l + 1]!);
            rotCols(Z, zoff, ldz, nz, l, c, s);
            d[l] = rt1;
            d[l + 1] = rt2;
          } else {
            const [rt1, rt2] = lae2(d[l]!, e[l]!, d[l + 1]!);
            d[l] = rt1;
            d[l + 1] = rt2;
          }
          e[l] = 0;
          l += 2;
          if (l <= lend) continue;
          break;
        }
        if (jtot === nmaxit) break;
        jtot++;
        // Wilkinson shift from the leading 2 x 2.
        let g = (d[l + 1]! - p) / (2 * e[l]!);
        let r = hypot2(g, 1);
        g = d[m]! - p + e[l]! / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
        let s = 1;
        let c = 1;
        p = 0;
        for (let i = m - 1; i >= l; i--) {
          const f = s * e[i]!;
          const b = c * e[i]!;
          // Plane rotation zeroing f against g (LAPACK dlartg).
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
          if (i !== m - 1) e[i + 1] = r;
          g = d[i + 1]! - p;
          r = (d[i]! - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
          // dlasr('R','V','B') applies the rotations from the bottom up: same order as here.
          if (Z) rotCols(Z, zoff, ldz, nz, i, c, -s);
        }
        d[l] = d[l]! - p;
        e[l] = g;
      }
    } else {
      // QR iteration: chase from the top, eigenvalues converge at the bottom (index l).
      for (;;) {
        let mm = l;
        if (l !== lend) {
          for (; mm > lend; mm--) {
            const tst = Math.abs(e[mm - 1]!) ** 2;
            if (tst <= EPS2 * Math.abs(d[mm]!) * Math.abs(d[mm - 1]!) + SAFMIN) break;
          }
        } else mm = lend;
        m = mm;
        if (m > lend) e[m - 1] = 0;
        let p = d[l]!;
        if (m === l) {
          d[l] = p;
          l--;
          if (l >= lend) continue;
          break;
        }
        if (m === l - 1) {
          if (Z) {
            const [rt1, rt2, c, s] = laev2(d[l - 1]!, e[l - 1]!, d[l]!);
            rotCols(Z, zoff, ldz, nz, l - 1, c, s);
            d[l - 1] = rt1;
            d[l] = rt2;
          } else {
            const [rt1, rt2] = lae2(d[l - 1]!, e[l - 1]!, d[l]!);
            d[l - 1] = rt1;
            d[l] = rt2;
          }
          e[l - 1] = 0;
          l -= 2;
          if (l >= lend) continue;
          break;
        }
        if (jtot === nmaxit) break;
        jtot++;
        let g = (d[l - 1]! - p) / (2 * e[l - 1]!);
        let r = hypot2(g, 1);
        g = d[m]! - p + e[l - 1]! / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
        let s = 1;
        let c = 1;
        p = 0;
        for (let i = m; i <= l - 1; i++) {
          const f = s * e[i]!;
          const b = c * e[i]!;
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
          if (i !== m) e[i - 1] = r;
          g = d[i]! - p;
          r = (d[i + 1]! - g) * s + 2 * c * b;
          p = s * r;
          d[i] = g + p;
          g = c * r - b;
          // dlasr('R','V','F') applies them top down: same order as here.
          if (Z) rotCols(Z, zoff, ldz, nz, i, c, s);
        }
        d[l] = d[l]! - p;
        e[l - 1] = g;
      }
    }
    if (unscale !== 1) {
      scaleRange(d, lsv, lendsv, unscale);
      scaleRange(e, lsv, lendsv - 1, unscale);
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
