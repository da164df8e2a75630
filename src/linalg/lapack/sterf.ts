/**
 * Eigenvalues of a symmetric tridiagonal matrix by the root-free QL/QR iteration of Pal,
 * Walker and Kahan (LAPACK dsterf; B. N. Parlett, "The Symmetric Eigenvalue Problem",
 * section 8.15): the same implicitly shifted sweeps as {@link steqr} but on the squared
 * off-diagonals, with no square roots in the inner loop.
 */
import { ROUNDOFF as EPS } from './machine.js';
import {
  MAXIT, blockEnd, checkConverged, hypot2, lae2, scaleBlock, scaleRange, tridiagMaxAbs,
} from './steqr.js';

const EPS2 = EPS * EPS;

/**
 * Eigenvalues of the symmetric tridiagonal matrix with diagonal d[0..n) and off-diagonal
 * e[0..n-1) (LAPACK dsterf). On return d holds them in ascending order; e is destroyed.
 * Blocks are split at negligible off-diagonals and scaled into a safe range; each runs QL
 * or QR depending on which end is smaller. Cost about 2.5 n^2 flops on average.
 * @throws ConvergenceError if more than 30 n sweeps are needed in total.
 */
export function sterf(n: number, d: Float64Array, e: Float64Array): void {
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
    for (let i = l; i < lend; i++) e[i] = e[i]! * e[i]!;
    if (Math.abs(d[lend]!) < Math.abs(d[l]!)) {
      lend = lsv;
      l = lendsv;
    }
    if (lend >= l) {
      // QL iteration.
      for (;;) {
        m = l;
        if (l !== lend) {
          for (; m < lend; m++) if (Math.abs(e[m]!) <= EPS2 * Math.abs(d[m]! * d[m + 1]!)) break;
        } else m = lend;
        if (m < lend) e[m] = 0;
        let p = d[l]!;
        if (m === l) {
          d[l] = p;
          l++;
          if (l <= lend) continue;
          break;
        }
        if (m === l + 1) {
          const [rt1, rt2] = lae2(d[l]!, Math.sqrt(e[l]!), d[l + 1]!);
          d[l] = rt1;
          d[l + 1] = rt2;
          e[l] = 0;
          l += 2;
          if (l <= lend) continue;
          break;
        }
        if (jtot === nmaxit) break;
        jtot++;
        const rte = Math.sqrt(e[l]!);
        let sigma = (d[l + 1]! - p) / (2 * rte);
        const r0 = hypot2(sigma, 1);
        sigma = p - rte / (sigma + (sigma >= 0 ? r0 : -r0));
        let c = 1;
        let s = 0;
        let gamma = d[m]! - sigma;
        p = gamma * gamma;
        for (let i = m - 1; i >= l; i--) {
          const bb = e[i]!;
          const r = p + bb;
          if (i !== m - 1) e[i + 1] = s * r;
          const oldc = c;
          c = p / r;
          s = bb / r;
          const oldgam = gamma;
          const alpha = d[i]!;
          gamma = c * (alpha - sigma) - s * oldgam;
          d[i + 1] = oldgam + (alpha - gamma);
          p = c !== 0 ? (gamma * gamma) / c : oldc * bb;
        }
        e[l] = s * p;
        d[l] = sigma + gamma;
      }
    } else {
      // QR iteration.
      for (;;) {
        m = l;
        for (; m > lend; m--) if (Math.abs(e[m - 1]!) <= EPS2 * Math.abs(d[m]! * d[m - 1]!)) break;
        if (m > lend) e[m - 1] = 0;
        let p = d[l]!;
        if (m === l) {
          d[l] = p;
          l--;
          if (l >= lend) continue;
          break;
        }
        if (m === l - 1) {
          const [rt1, rt2] = lae2(d[l]!, Math.sqrt(e[l - 1]!), d[l - 1]!);
          d[l] = rt1;
          d[l - 1] = rt2;
          e[l - 1] = 0;
          l -= 2;
          if (l >= lend) continue;
          break;
        }
        if (jtot === nmaxit) break;
        jtot++;
        const rte = Math.sqrt(e[l - 1]!);
        let sigma = (d[l - 1]! - p) / (2 * rte);
        const r0 = hypot2(sigma, 1);
        sigma = p - rte / (sigma + (sigma >= 0 ? r0 : -r0));
        let c = 1;
        let s = 0;
        let gamma = d[m]! - sigma;
        p = gamma * gamma;
        for (let i = m; i <= l - 1; i++) {
          const bb = e[i]!;
          const r = p + bb;
          if (i !== m) e[i - 1] = s * r;
          const oldc = c;
          c = p / r;
          s = bb / r;
          const oldgam = gamma;
          const alpha = d[i + 1]!;
          gamma = c * (alpha - sigma) - s * oldgam;
          d[i] = oldgam + (alpha - gamma);
          p = c !== 0 ? (gamma * gamma) / c : oldc * bb;
        }
        e[l - 1] = s * p;
        d[l] = sigma + gamma;
      }
    }
    if (unscale !== 1) scaleRange(d, lsv, lendsv, unscale);
    checkConverged('sterf', e, n, jtot, nmaxit, 'sweeps');
  }
  d.set(Float64Array.from(d.subarray(0, n)).sort());
}
