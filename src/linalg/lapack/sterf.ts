/**
 * Eigenvalues of a symmetric tridiagonal matrix by the root-free QL/QR iteration of Pal,
 * Walker and Kahan (LAPACK dsterf; B. N. Parlett, "The Symmetric Eigenvalue Problem",
 * section 8.15): the same implicitly shifted sweeps as {@link steqr} but on the squared
 * off-diagonals, with no square roots in the inner loop.
 */
import { ROUNDOFF as EPS } from './machine.js';
import {
  MAXIT, checkConverged, deflate2x2, hypot2, nextBlock, scaleRange, type TridiagBlock,
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
  const blk: TridiagBlock = { lo: 0, hi: -1, l: 0, lend: 0, unscale: 1 };
  while (nextBlock(d, e, n, blk.hi + 1, blk)) {
    for (let i = blk.lo; i < blk.hi; i++) e[i] = e[i]! * e[i]!;
    let l = blk.l;
    const lend = blk.lend;
    if (lend > l) {
      // QL iteration.
      while (l <= lend) {
        let m = l;
        for (; m < lend; m++) if (Math.abs(e[m]!) <= EPS2 * Math.abs(d[m]! * d[m + 1]!)) break;
        if (m < lend) e[m] = 0;
        if (m === l) {
          l++;
          continue;
        }
        if (m === l + 1) {
          deflate2x2(d, e, l, Math.sqrt(e[l]!));
          l += 2;
          continue;
        }
        if (jtot === nmaxit) break;
        jtot++;
        const sigma = rootFreeShift(d[l]!, d[l + 1]!, e[l]!);
        let c = 1;
        let s = 0;
        let gamma = d[m]! - sigma;
        let p = gamma * gamma;
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
      while (l >= lend) {
        let m = l;
        for (; m > lend; m--) if (Math.abs(e[m - 1]!) <= EPS2 * Math.abs(d[m]! * d[m - 1]!)) break;
        if (m > lend) e[m - 1] = 0;
        if (m === l) {
          l--;
          continue;
        }
        if (m === l - 1) {
          deflate2x2(d, e, l - 1, Math.sqrt(e[l - 1]!));
          l -= 2;
          continue;
        }
        if (jtot === nmaxit) break;
        jtot++;
        const sigma = rootFreeShift(d[l]!, d[l - 1]!, e[l - 1]!);
        let c = 1;
        let s = 0;
        let gamma = d[m]! - sigma;
        let p = gamma * gamma;
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
    if (blk.unscale !== 1) scaleRange(d, blk.lo, blk.hi, blk.unscale);
    checkConverged('sterf', e, n, jtot, nmaxit, 'sweeps');
  }
  d.set(Float64Array.from(d.subarray(0, n)).sort());
}

/**
 * dsterf's shift sigma for the block whose converging end holds dl, its neighbour dl1 inside
 * the block and the squared off-diagonal e2 between them: the eigenvalue of
 * [[dl, sqrt(e2)], [sqrt(e2), dl1]] nearer to dl (the square root is taken once per sweep).
 */
function rootFreeShift(dl: number, dl1: number, e2: number): number {
  const rte = Math.sqrt(e2);
  const sigma = (dl1 - dl) / (2 * rte);
  const r = hypot2(sigma, 1);
  return dl - rte / (sigma + (sigma >= 0 ? r : -r));
}
