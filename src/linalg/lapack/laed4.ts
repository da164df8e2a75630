/**
 * The secular equation of a symmetric rank-one update of a diagonal matrix (LAPACK dlaed4,
 * after R.-C. Li, "Solving secular equations stably and efficiently", LAPACK Working Note
 * 89, 1993): the i-th eigenvalue of diag(d) + rho z z^T is the root in (d_i, d_{i+1}) (or
 * (d_n, d_n + rho) for the last) of
 *
 *     f(lambda) = 1/rho + sum_j z_j^2 / (d_j - lambda).
 *
 * The root is computed as an offset tau from the nearer pole (the origin), so that the
 * differences d_j - lambda, which the eigenvectors are built from, are accurate to full
 * relative precision even for roots very close to a pole. Each step fits a rational model
 * with the two poles bracketing the root (Li's "middle way", alternating with the "fixed
 * weight" model when progress stalls, as dlaed4 does) and is safeguarded by a bracket that
 * falls back to bisection; convergence is tested against dlaed4's running error bound.
 */
import { ConvergenceError } from '../../errors.js';
import { ROUNDOFF as EPS } from './machine.js';

/** Iterations allowed per root (bisection alone would need at most about 110). */
const MAXIT = 200;

/**
 * The i-th (0-based) eigenvalue of diag(d) + rho z z^T, n >= 2, d strictly increasing,
 * rho > 0, ||z|| = 1, every z_j nonzero (LAPACK dlaed4). Writes delta[doff + j] = d_j -
 * lambda for all j (to full relative accuracy) and returns lambda. O(n) per iteration,
 * typically 2 to 5 iterations.
 * @throws ConvergenceError if the safeguarded iteration does not converge.
 */
export function laed4(
  n: number, i: number, d: Float64Array, z: Float64Array, rho: number,
  delta: Float64Array, doff: number, dorig: Float64Array,
): number {
  const rhoinv = 1 / rho;
  const last = i === n - 1;
  // Origin pole `ii`, bracket [lo, hi] for tau, initial guess: as dlaed4, from the model
  // with the two nearest poles and the rest frozen at the interval's midpoint.
  let ii: number;
  let lo: number;
  let hi: number;
  let tau: number;
  if (last) {
    ii = n - 1;
    const midpt = rho / 2;
    const dn = d[n - 1]!;
    let psi = 0;
    for (let j = 0; j < n - 2; j++) psi += (z[j]! * z[j]!) / (d[j]! - dn - midpt);
    const c = rhoinv + psi;
    const zm = z[n - 2]! * z[n - 2]!;
    const zn = z[n - 1]! * z[n - 1]!;
    const del = dn - d[n - 2]!;
    const w = c + zm / (d[n - 2]! - dn - midpt) + zn / -midpt;
    if (w <= 0) {
      const temp = zm / (del + rho) + zn / rho;
      tau = c <= temp ? rho : lastGuess(c, del, zm, zn);
      lo = midpt;
      hi = rho;
    } else {
      tau = lastGuess(c, del, zm, zn);
      lo = 0;
      hi = midpt;
    }
  } else {
    const di = d[i]!;
    const del = d[i + 1]! - di;
    const midpt = del / 2;
    let c = rhoinv;
    for (let j = 0; j < n; j++) {
      if (j === i || j === i + 1) continue;
      c += (z[j]! * z[j]!) / (d[j]! - di - midpt);
    }
    const zi = z[i]! * z[i]!;
    const zp = z[i + 1]! * z[i + 1]!;
    const w = c + zi / -midpt + zp / (del - midpt);
    if (w > 0) {
      // Root in (d_i, midpoint]: origin d_i.
      ii = i;
      const a = c * del + zi + zp;
      const b = zi * del;
      const disc = Math.sqrt(Math.abs(a * a - 4 * b * c));
      tau = a > 0 ? (2 * b) / (a + disc) : (a - disc) / (2 * c);
      lo = 0;
      hi = midpt;
    } else {
      // Root in (midpoint, d_{i+1}): origin d_{i+1}, tau < 0.
      ii = i + 1;
      const a = c * del - zi - zp;
      const b = zp * del;
      const disc = Math.sqrt(Math.abs(a * a + 4 * b * c));
      tau = a < 0 ? (2 * b) / (a - disc) : -(a + disc) / (2 * c);
      lo = -midpt;
      hi = 0;
    }
  }
  if (!(tau >= lo && tau <= hi) || tau === 0) tau = (lo + hi) / 2;
  const dii = d[ii]!;
  for (let j = 0; j < n; j++) dorig[j] = d[j]! - dii;
  // The two poles bracketing the root: (left, right) = (i, i+1), or (n-2, n-1) for the last.
  const left = last ? n - 2 : i;
  const right = left + 1;
  let middle = true;
  let prevW = Infinity;
  for (let iter = 0; iter < MAXIT; iter++) {
    // Evaluate f, split into the left group psi (poles <= left) and right group phi.
    let psi = 0;
    let dpsi = 0;
    let phi = 0;
    let dphi = 0;
    let absSum = 0;
    for (let j = 0; j <= left; j++) {
      const dl = dorig[j]! - tau;
      delta[doff + j] = dl;
      const t = z[j]! / dl;
      const v = z[j]! * t;
      psi += v;
      dpsi += t * t;
      absSum -= v;
    }
    for (let j = right; j < n; j++) {
      const dl = dorig[j]! - tau;
      delta[doff + j] = dl;
      const t = z[j]! / dl;
      const v = z[j]! * t;
      phi += v;
      dphi += t * t;
      absSum += Math.abs(v);
    }
    const w = rhoinv + psi + phi;
    const dw = dpsi + dphi;
    // Running error bound of the evaluation (cf. dlaed4's ERRETM).
    const erretm = 8 * absSum + 2 * rhoinv + Math.abs(tau) * dw;
    if (Math.abs(w) <= EPS * erretm) return dii + tau;
    if (w <= 0) lo = Math.max(lo, tau);
    else hi = Math.min(hi, tau);
    if (hi - lo <= 4 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) return dii + tau;
    // Step from the rational model c + s/(delta_left - eta) + S/(delta_right - eta).
    const dl = delta[doff + left]!;
    const dr = delta[doff + right]!;
    let c: number;
    if (middle) {
      c = w - dl * dpsi - dr * dphi;
    } else if (ii === left) {
      // Fixed weight: the origin pole keeps its exact weight z_ii^2.
      const t = z[ii]! / dl;
      c = w - dr * dw - (d[left]! - d[right]!) * t * t;
    } else {
      const t = z[ii]! / dr;
      c = w - dl * dw - (d[right]! - d[left]!) * t * t;
    }
    const a = (dl + dr) * w - dl * dr * dw;
    const b = dl * dr * w;
    let eta: number;
    if (last) {
      // The root lies right of both poles: the larger root of the model's quadratic.
      const cc = Math.abs(c);
      if (cc === 0) eta = hi - tau;
      else {
        const disc = Math.sqrt(Math.abs(a * a - 4 * b * cc));
        eta = a >= 0 ? (a + disc) / (2 * cc) : (2 * b) / (a - disc);
      }
    } else if (c === 0) {
      eta = a === 0 ? -w / dw : b / a;
    } else {
      const disc = Math.sqrt(Math.abs(a * a - 4 * b * c));
      eta = a <= 0 ? (a - disc) / (2 * c) : (2 * b) / (a + disc);
    }
    // eta must move against the sign of w (f increases with lambda); else take Newton's step.
    if (!(w * eta < 0)) eta = -w / dw;
    let next = tau + eta;
    // Stay inside the bracket (bisect otherwise), and bisect when progress stalls.
    const stalled = iter > 8 && Math.abs(w) > Math.abs(prevW) / 2;
    if (!(next > lo && next < hi) || stalled) next = (lo + hi) / 2;
    if (!last && Math.abs(w) > Math.abs(prevW) / 10 && w * prevW > 0) middle = !middle;
    prevW = w;
    tau = next;
  }
  throw new ConvergenceError(`laed4: secular equation root ${i} of ${n} did not converge in ${MAXIT} iterations`);
}

// Initial tau of the last root (dlaed4, case i = n): the positive root of c tau^2 - a tau -
// b = 0, the model with the two largest poles kept and the rest frozen, without cancellation.
function lastGuess(c: number, del: number, zm: number, zn: number): number {
  const a = -c * del + zm + zn;
  const b = zn * del;
  const disc = Math.sqrt(a * a + 4 * b * c);
  return a < 0 ? (2 * b) / (disc - a) : (a + disc) / (2 * c);
}
