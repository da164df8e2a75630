/**
 * Secular equation of the divide-and-conquer bidiagonal SVD (LAPACK dlasd4 / dlasd5 /
 * dlaed6; Ren-Cang Li's rational interpolation, Gu & Eisenstat 1995).
 *
 * The singular values of the merged problem are the square roots of the eigenvalues of
 * diag(d)^2 + rho z z^T (||z|| = 1, 0 <= d_0 < d_1 < ...). Each root sigma_i is found by
 * interpolating the secular function f(s) = 1/rho + sum_j z_j^2 / ((d_j - s)(d_j + s))
 * with simple rational functions built on the nearest poles. sigma is tracked as
 * d_origin + tau, where the origin is the closer pole, so that the differences
 * d_j - sigma (returned in `delta`) are computed without cancellation: they are what the
 * Löwner formula and the singular vectors need to be accurate and orthogonal.
 */
import { ConvergenceError } from '../../errors.js';
import { ROUNDOFF as EPS } from './machine.js';

const MAXIT = 64;
// dlaed6 scaling constants: powers of two near safmin^(1/3) and safmin^(2/3).
const SMALL1 = 2 ** -340;
const SMINV1 = 2 ** 340;
const SMALL2 = 2 ** -680;
const SMINV2 = 2 ** 680;

/**
 * Root of the three-pole rational model g(t) = rho + sum_k z_k / (d_k - t) * (t / d_k)
 * (LAPACK dlaed6, Gragg-Thornton-Warner cubically convergent iteration) between the two
 * poles selected by `orgati`. Returns NaN if it does not converge in 40 steps (the caller
 * then falls back to two-pole interpolation).
 */
function laed6(kniter: number, orgati: boolean, rho: number, d: Float64Array, z: Float64Array, finit: number): number {
  let lbd = orgati ? d[1]! : d[0]!;
  let ubd = orgati ? d[2]! : d[1]!;
  if (finit < 0) lbd = 0;
  else ubd = 0;
  let tau = 0;
  if (kniter === 2) {
    let a: number, b: number, c: number;
    if (orgati) {
      const temp = (d[2]! - d[1]!) / 2;
      c = rho + z[0]! / (d[0]! - d[1]! - temp);
      a = c * (d[1]! + d[2]!) + z[1]! + z[2]!;
      b = c * d[1]! * d[2]! + z[1]! * d[2]! + z[2]! * d[1]!;
    } else {
      const temp = (d[0]! - d[1]!) / 2;
      c = rho + z[2]! / (d[2]! - d[1]! - temp);
      a = c * (d[0]! + d[1]!) + z[0]! + z[1]!;
      b = c * d[0]! * d[1]! + z[0]! * d[1]! + z[1]! * d[0]!;
    }
    const scale = Math.max(Math.abs(a), Math.abs(b), Math.abs(c));
    a /= scale;
    b /= scale;
    c /= scale;
    if (c === 0) tau = b / a;
    else if (a <= 0) tau = (a - Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
    else tau = (2 * b) / (a + Math.sqrt(Math.abs(a * a - 4 * b * c)));
    if (tau < lbd || tau > ubd) tau = (lbd + ubd) / 2;
    if (d[0] === tau || d[1] === tau || d[2] === tau) {
      tau = 0;
    } else {
      const temp = finit + (tau * z[0]!) / (d[0]! * (d[0]! - tau)) + (tau * z[1]!) / (d[1]! * (d[1]! - tau)) + (tau * z[2]!) / (d[2]! * (d[2]! - tau));
      if (temp <= 0) lbd = tau;
      else ubd = tau;
      if (Math.abs(finit) <= Math.abs(temp)) tau = 0;
    }
  }
  // Scale up when a pole is within safmin^(1/3) of tau, so 1/(d - tau)^3 cannot overflow.
  const gap = orgati ? Math.min(Math.abs(d[1]! - tau), Math.abs(d[2]! - tau)) : Math.min(Math.abs(d[0]! - tau), Math.abs(d[1]! - tau));
  let sclfac = 1;
  let sclinv = 1;
  if (gap <= SMALL1) {
    if (gap <= SMALL2) {
      sclfac = SMINV2;
      sclinv = SMALL2;
    } else {
      sclfac = SMINV1;
      sclinv = SMALL1;
    }
  }
  const ds0 = d[0]! * sclfac, ds1 = d[1]! * sclfac, ds2 = d[2]! * sclfac;
  const zs0 = z[0]! * sclfac, zs1 = z[1]! * sclfac, zs2 = z[2]! * sclfac;
  tau *= sclfac;
  lbd *= sclfac;
  ubd *= sclfac;
  let fc = 0, df = 0, ddf = 0;
  for (let k = 0; k < 3; k++) {
    const dk = k === 0 ? ds0 : k === 1 ? ds1 : ds2;
    const zk = k === 0 ? zs0 : k === 1 ? zs1 : zs2;
    const t = 1 / (dk - tau);
    const t1 = zk * t, t2 = t1 * t, t3 = t2 * t;
    fc += t1 / dk;
    df += t2;
    ddf += t3;
  }
  let f = finit + tau * fc;
  if (Math.abs(f) <= 0) return tau * sclinv;
  if (f <= 0) lbd = tau;
  else ubd = tau;
  for (let niter = 2; niter <= 40; niter++) {
    const t1 = orgati ? ds1 - tau : ds0 - tau;
    const t2 = orgati ? ds2 - tau : ds1 - tau;
    let a = (t1 + t2) * f - t1 * t2 * df;
    let b = t1 * t2 * f;
    let c = f - (t1 + t2) * df + t1 * t2 * ddf;
    const scale = Math.max(Math.abs(a), Math.abs(b), Math.abs(c));
    a /= scale;
    b /= scale;
    c /= scale;
    let eta: number;
    if (c === 0) eta = b / a;
    else if (a <= 0) eta = (a - Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
    else eta = (2 * b) / (a + Math.sqrt(Math.abs(a * a - 4 * b * c)));
    if (f * eta >= 0) eta = -f / df;
    tau += eta;
    if (tau < lbd || tau > ubd) tau = (lbd + ubd) / 2;
    fc = 0;
    df = 0;
    ddf = 0;
    let erretm = 0;
    for (let k = 0; k < 3; k++) {
      const dk = k === 0 ? ds0 : k === 1 ? ds1 : ds2;
      const zk = k === 0 ? zs0 : k === 1 ? zs1 : zs2;
      const t = 1 / (dk - tau);
      const u1 = zk * t, u2 = u1 * t, u3 = u2 * t, u4 = u1 / dk;
      fc += u4;
      erretm += Math.abs(u4);
      df += u2;
      ddf += u3;
    }
    f = finit + tau * fc;
    erretm = 8 * (Math.abs(finit) + Math.abs(tau) * erretm) + Math.abs(tau) * df;
    if (Math.abs(f) <= EPS * erretm) return tau * sclinv;
    if (f <= 0) lbd = tau;
    else ubd = tau;
  }
  return NaN;
}

/**
 * The 2 x 2 case (LAPACK dlasd5), in closed form. Same contract as {@link lasd4}.
 */
function lasd5(i: number, d: Float64Array, z: Float64Array, delta: Float64Array, oDel: number, rho: number, work: Float64Array, oW: number): number {
  const d0 = d[0]!, d1 = d[1]!, z0 = z[0]!, z1 = z[1]!;
  const del = d1 - d0;
  const delsq = del * (d1 + d0);
  if (i === 0) {
    const w = 1 + (4 * rho * ((z1 * z1) / (d0 + 3 * d1) - (z0 * z0) / (3 * d0 + d1))) / del;
    if (w > 0) {
      const b = delsq + rho * (z0 * z0 + z1 * z1);
      const c = rho * z0 * z0 * delsq;
      // tau = sigma^2 - d0^2 (b > 0 always), then tau = sigma - d0.
      let tau = (2 * c) / (b + Math.sqrt(Math.abs(b * b - 4 * c)));
      tau = tau / (d0 + Math.sqrt(d0 * d0 + tau));
      delta[oDel] = -tau;
      delta[oDel + 1] = del - tau;
      work[oW] = 2 * d0 + tau;
      work[oW + 1] = d0 + tau + d1;
      return d0 + tau;
    }
    const b = -delsq + rho * (z0 * z0 + z1 * z1);
    const c = rho * z1 * z1 * delsq;
    let tau = b > 0 ? (-2 * c) / (b + Math.sqrt(b * b + 4 * c)) : (b - Math.sqrt(b * b + 4 * c)) / 2;
    tau = tau / (d1 + Math.sqrt(Math.abs(d1 * d1 + tau)));
    delta[oDel] = -(del + tau);
    delta[oDel + 1] = -tau;
    work[oW] = d0 + tau + d1;
    work[oW + 1] = 2 * d1 + tau;
    return d1 + tau;
  }
  const b = -delsq + rho * (z0 * z0 + z1 * z1);
  const c = rho * z1 * z1 * delsq;
  let tau = b > 0 ? (b + Math.sqrt(b * b + 4 * c)) / 2 : (2 * c) / (-b + Math.sqrt(b * b + 4 * c));
  tau = tau / (d1 + Math.sqrt(d1 * d1 + tau));
  delta[oDel] = -(del + tau);
  delta[oDel + 1] = -tau;
  work[oW] = d0 + tau + d1;
  work[oW + 1] = 2 * d1 + tau;
  return d1 + tau;
}

const dd3 = new Float64Array(3);
const zz3 = new Float64Array(3);
// Results of secularSums: psi, dpsi, phi, dphi, error-bound partial sum.
const PSI = 0, DPSI = 1, PHI = 2, DPHI = 3, ERR = 4;
const sums = new Float64Array(5);

/**
 * Sums of the secular function around the origin pole `ii`: psi (poles j < ii) and phi
 * (poles j > ii) with their derivatives, and LAPACK's running error bound
 * |sum of psi partial sums| + sum of phi partial sums. Uses the differences
 * (d_j - sigma)(d_j + sigma) = delta_j work_j, never d_j^2 - sigma^2.
 */
function secularSums(n: number, ii: number, z: Float64Array, delta: Float64Array, oDel: number, work: Float64Array, oW: number): void {
  let psi = 0, dpsi = 0, erretm = 0;
  for (let j = 0; j < ii; j++) {
    const zj = z[j]!;
    const t = zj / (work[oW + j]! * delta[oDel + j]!);
    psi += zj * t;
    dpsi += t * t;
    erretm += psi;
  }
  erretm = Math.abs(erretm);
  let phi = 0, dphi = 0;
  for (let j = n - 1; j > ii; j--) {
    const zj = z[j]!;
    const t = zj / (work[oW + j]! * delta[oDel + j]!);
    phi += zj * t;
    dphi += t * t;
    erretm += phi;
  }
  sums[PSI] = psi;
  sums[DPSI] = dpsi;
  sums[PHI] = phi;
  sums[DPHI] = dphi;
  sums[ERR] = erretm;
}

// Shift every difference by eta: delta_j -= eta, work_j += eta.
function shift(n: number, eta: number, delta: Float64Array, oDel: number, work: Float64Array, oW: number): void {
  for (let j = 0; j < n; j++) {
    delta[oDel + j] = delta[oDel + j]! - eta;
    work[oW + j] = work[oW + j]! + eta;
  }
}

/**
 * The `i`-th (0-based, ascending) root sigma of the secular equation
 * 1/rho + sum_j z_j^2 / (d_j^2 - sigma^2) = 0, i.e. the square root of the i-th
 * eigenvalue of diag(d)^2 + rho z z^T (LAPACK dlasd4).
 *
 * @param n number of poles (>= 1).
 * @param i root index, 0 <= i < n.
 * @param d poles d[0..n-1], 0 <= d_0 < d_1 < ... (strictly increasing).
 * @param z updating vector z[0..n-1] with ||z||_2 = 1.
 * @param delta out: delta[oDel + j] = d_j - sigma, computed without cancellation.
 * @param rho > 0.
 * @param work out: work[oW + j] = d_j + sigma.
 * @returns sigma.
 * @throws ConvergenceError if the iteration does not converge in 64 steps.
 * Complexity: O(n) per iteration, typically 2-4 iterations.
 */
export function lasd4(
  n: number, i: number, d: Float64Array, z: Float64Array,
  delta: Float64Array, oDel: number, rho: number, work: Float64Array, oW: number,
): number {
  if (n === 1) {
    delta[oDel] = 1;
    work[oW] = 1;
    return Math.sqrt(d[0]! * d[0]! + rho * z[0]! * z[0]!);
  }
  if (n === 2) return lasd5(i, d, z, delta, oDel, rho, work, oW);
  return i === n - 1 ? largestRoot(n, d, z, delta, oDel, rho, work, oW) : interiorRoot(n, i, d, z, delta, oDel, rho, work, oW);
}

// Largest root: origin at d_{n-1}; sigma lies in (d_{n-1}, sqrt(d_{n-1}^2 + rho)].
function largestRoot(n: number, d: Float64Array, z: Float64Array, delta: Float64Array, oDel: number, rho: number, work: Float64Array, oW: number): number {
  const rhoinv = 1 / rho;
  const dn = d[n - 1]!, dn1 = d[n - 2]!, zn = z[n - 1]!, zn1 = z[n - 2]!;
  let temp = rho / 2;
  let temp1 = temp / (dn + Math.sqrt(dn * dn + temp));
  for (let j = 0; j < n; j++) {
    work[oW + j] = d[j]! + dn + temp1;
    delta[oDel + j] = d[j]! - dn - temp1;
  }
  let psi = 0;
  for (let j = 0; j < n - 2; j++) psi += (z[j]! * z[j]!) / (delta[oDel + j]! * work[oW + j]!);
  let c = rhoinv + psi;
  let w = c + (zn1 * zn1) / (delta[oDel + n - 2]! * work[oW + n - 2]!) + (zn * zn) / (delta[oDel + n - 1]! * work[oW + n - 1]!);
  const delsq = (dn - dn1) * (dn + dn1);
  let tau: number;
  temp1 = Math.sqrt(dn * dn + rho);
  temp = (zn1 * zn1) / ((dn1 + temp1) * (dn - dn1 + rho / (dn + temp1))) + (zn * zn) / rho;
  if (w <= 0 && c <= temp) {
    tau = rho;
  } else {
    const a = -c * delsq + zn1 * zn1 + zn * zn;
    const b = zn * zn * delsq;
    const tau2 = a < 0 ? (2 * b) / (Math.sqrt(a * a + 4 * b * c) - a) : (a + Math.sqrt(a * a + 4 * b * c)) / (2 * c);
    tau = tau2 / (dn + Math.sqrt(dn * dn + tau2));
  }
  let sigma = dn + tau;
  for (let j = 0; j < n; j++) {
    delta[oDel + j] = d[j]! - dn - tau;
    work[oW + j] = d[j]! + dn + tau;
  }
  let dpsi: number, phi: number, dphi: number, erretm: number;
  for (let niter = 2; ; niter++) {
    secularSums(n, n - 1, z, delta, oDel, work, oW);
    psi = sums[PSI]!;
    dpsi = sums[DPSI]!;
    const t = zn / (work[oW + n - 1]! * delta[oDel + n - 1]!);
    phi = zn * t;
    dphi = t * t;
    erretm = 8 * (-phi - psi) + sums[ERR]! - phi + rhoinv;
    w = rhoinv + phi + psi;
    if (Math.abs(w) <= EPS * erretm) return sigma;
    if (niter > MAXIT) break;
    const dtnsq1 = work[oW + n - 2]! * delta[oDel + n - 2]!;
    const dtnsq = work[oW + n - 1]! * delta[oDel + n - 1]!;
    c = w - dtnsq1 * dpsi - dtnsq * dphi;
    const a = (dtnsq + dtnsq1) * w - dtnsq * dtnsq1 * (dpsi + dphi);
    const b = dtnsq * dtnsq1 * w;
    let eta: number;
    if (niter === 2) {
      if (c < 0) c = Math.abs(c);
      if (c === 0) eta = rho - sigma * sigma;
      else if (a >= 0) eta = (a + Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
      else eta = (2 * b) / (a - Math.sqrt(Math.abs(a * a - 4 * b * c)));
    } else if (a >= 0) {
      eta = (a + Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
    } else {
      eta = (2 * b) / (a - Math.sqrt(Math.abs(a * a - 4 * b * c)));
    }
    // The step must move against the sign of w; otherwise take a Newton step.
    if (w * eta > 0) eta = -w / (dpsi + dphi);
    temp = eta - dtnsq;
    if (niter === 2) {
      if (temp > rho) eta = rho + dtnsq;
    } else if (temp <= 0) {
      eta /= 2;
    }
    // eta approximates sigma'^2 - sigma^2; convert it to sigma' - sigma.
    eta = eta / (sigma + Math.sqrt(eta + sigma * sigma));
    tau += eta;
    sigma += eta;
    shift(n, eta, delta, oDel, work, oW);
  }
  throw new ConvergenceError(`lasd4: secular equation root ${n - 1} of ${n} did not converge in ${MAXIT} iterations`);
}

// Interior root: sigma_i lies in (d_i, d_{i+1}).
function interiorRoot(n: number, i: number, d: Float64Array, z: Float64Array, delta: Float64Array, oDel: number, rho: number, work: Float64Array, oW: number): number {
  const rhoinv = 1 / rho;
  const ip1 = i + 1;
  const di = d[i]!, dip1 = d[ip1]!, zi = z[i]!, zip1 = z[ip1]!;
  const delsq = (dip1 - di) * (dip1 + di);
  const delsq2 = delsq / 2;
  const sq2 = Math.sqrt((di * di + dip1 * dip1) / 2);
  let temp = delsq2 / (di + sq2);
  for (let j = 0; j < n; j++) {
    work[oW + j] = d[j]! + di + temp;
    delta[oDel + j] = d[j]! - di - temp;
  }
  let psi = 0;
  for (let j = 0; j < i; j++) psi += (z[j]! * z[j]!) / (work[oW + j]! * delta[oDel + j]!);
  let phi = 0;
  for (let j = n - 1; j >= i + 2; j--) phi += (z[j]! * z[j]!) / (work[oW + j]! * delta[oDel + j]!);
  let c = rhoinv + psi + phi;
  const w0 = c + (zi * zi) / (work[oW + i]! * delta[oDel + i]!) + (zip1 * zip1) / (work[oW + ip1]! * delta[oDel + ip1]!);

  let geomavg = false;
  const orgati = w0 > 0;
  let sglb: number, sgub: number, tau: number;
  if (orgati) {
    // sigma_i^2 is in (d_i^2, (d_i^2 + d_{i+1}^2)/2): take d_i as origin.
    sglb = 0;
    sgub = delsq2 / (di + sq2);
    const a = c * delsq + zi * zi + zip1 * zip1;
    const b = zi * zi * delsq;
    const tau2 = a > 0 ? (2 * b) / (a + Math.sqrt(Math.abs(a * a - 4 * b * c))) : (a - Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
    tau = tau2 / (di + Math.sqrt(di * di + tau2));
    const sqeps = Math.sqrt(EPS);
    if (di <= sqeps * dip1 && Math.abs(zi) <= sqeps && di > 0) {
      // Root very close to a tiny pole: bisect geometrically to keep relative accuracy.
      tau = Math.min(10 * di, sgub);
      geomavg = true;
    }
  } else {
    // Otherwise take d_{i+1} as origin.
    sglb = -delsq2 / (dip1 + sq2);
    sgub = 0;
    const a = c * delsq - zi * zi - zip1 * zip1;
    const b = zip1 * zip1 * delsq;
    const tau2 = a < 0 ? (2 * b) / (a - Math.sqrt(Math.abs(a * a + 4 * b * c))) : -(a + Math.sqrt(Math.abs(a * a + 4 * b * c))) / (2 * c);
    tau = tau2 / (dip1 + Math.sqrt(Math.abs(dip1 * dip1 + tau2)));
  }
  const ii = orgati ? i : ip1;
  const dii = d[ii]!;
  const zii = z[ii]!;
  let sigma = dii + tau;
  for (let j = 0; j < n; j++) {
    work[oW + j] = d[j]! + dii + tau;
    delta[oDel + j] = d[j]! - dii - tau;
  }
  const iim1 = ii - 1;
  const iip1 = ii + 1;

  let swtch3 = false;
  let swtch = false;
  let prew = 0;
  for (let niter = 2; ; niter++) {
    secularSums(n, ii, z, delta, oDel, work, oW);
    psi = sums[PSI]!;
    let dpsi = sums[DPSI]!;
    phi = sums[PHI]!;
    let dphi = sums[DPHI]!;
    const tii = zii / (work[oW + ii]! * delta[oDel + ii]!);
    const dw = dpsi + dphi + tii * tii;
    const tz = zii * tii;
    const w = rhoinv + phi + psi + tz;
    const erretm = 8 * (phi - psi) + sums[ERR]! + 2 * rhoinv + 3 * Math.abs(tz);
    if (niter === 2) {
      // w without the origin's term decides whether the three-pole model is worthwhile.
      swtch3 = orgati ? w - tz < 0 : w - tz > 0;
      if (ii === 0 || ii === n - 1) swtch3 = false;
    } else if (niter === 3) {
      swtch = orgati ? -w > Math.abs(prew) / 10 : w > Math.abs(prew) / 10;
    } else if (w * prew > 0 && Math.abs(w) > Math.abs(prew) / 10) {
      swtch = !swtch;
    }
    if (Math.abs(w) <= EPS * erretm) return sigma;
    if (niter > MAXIT) break;
    if (w <= 0) sglb = Math.max(sglb, tau);
    else sgub = Math.min(sgub, tau);

    let eta = NaN;
    if (swtch3) {
      // Three-pole interpolation (dlaed6).
      const dtiim = work[oW + iim1]! * delta[oDel + iim1]!;
      const dtiip = work[oW + iip1]! * delta[oDel + iip1]!;
      const t = rhoinv + psi + phi;
      if (swtch) {
        c = t - dtiim * dpsi - dtiip * dphi;
        zz3[0] = dtiim * dtiim * dpsi;
        zz3[2] = dtiip * dtiip * dphi;
      } else if (orgati) {
        let t1 = z[iim1]! / dtiim;
        t1 *= t1;
        c = t - dtiip * (dpsi + dphi) - (d[iim1]! - d[iip1]!) * (d[iim1]! + d[iip1]!) * t1;
        zz3[0] = z[iim1]! * z[iim1]!;
        zz3[2] = dpsi < t1 ? dtiip * dtiip * dphi : dtiip * dtiip * (dpsi - t1 + dphi);
      } else {
        let t1 = z[iip1]! / dtiip;
        t1 *= t1;
        c = t - dtiim * (dpsi + dphi) - (d[iip1]! - d[iim1]!) * (d[iim1]! + d[iip1]!) * t1;
        zz3[0] = dphi < t1 ? dtiim * dtiim * dpsi : dtiim * dtiim * (dpsi + (dphi - t1));
        zz3[2] = z[iip1]! * z[iip1]!;
      }
      zz3[1] = zii * zii;
      dd3[0] = dtiim;
      dd3[1] = delta[oDel + ii]! * work[oW + ii]!;
      dd3[2] = dtiip;
      eta = laed6(niter, orgati, c, dd3, zz3, w);
      // On failure fall back to two poles for good.
      if (Number.isNaN(eta)) swtch3 = false;
    }
    if (!swtch3) {
      // Two-pole interpolation (eta approximates sigma'^2 - sigma^2).
      const dtipsq = work[oW + ip1]! * delta[oDel + ip1]!;
      const dtisq = work[oW + i]! * delta[oDel + i]!;
      if (!swtch) {
        c = orgati ? w - dtipsq * dw + delsq * (zi / dtisq) ** 2 : w - dtisq * dw - delsq * (zip1 / dtipsq) ** 2;
      } else {
        if (orgati) dpsi += tii * tii;
        else dphi += tii * tii;
        c = w - dtisq * dpsi - dtipsq * dphi;
      }
      let a = (dtipsq + dtisq) * w - dtipsq * dtisq * dw;
      const b = dtipsq * dtisq * w;
      if (c === 0) {
        if (a === 0) {
          if (!swtch) a = orgati ? zi * zi + dtipsq * dtipsq * (dpsi + dphi) : zip1 * zip1 + dtisq * dtisq * (dpsi + dphi);
          else a = dtisq * dtisq * dpsi + dtipsq * dtipsq * dphi;
        }
        eta = b / a;
      } else if (a <= 0) {
        eta = (a - Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
      } else {
        eta = (2 * b) / (a + Math.sqrt(Math.abs(a * a - 4 * b * c)));
      }
    }
    // The step must move against the sign of w; otherwise take a Newton step.
    if (w * eta >= 0) eta = -w / dw;
    eta = eta / (sigma + Math.sqrt(sigma * sigma + eta));
    temp = tau + eta;
    if (temp > sgub || temp < sglb) {
      // Outside the bracket: bisect (geometrically near a tiny pole).
      eta = w < 0 ? (sgub - tau) / 2 : (sglb - tau) / 2;
      if (geomavg) {
        if (w < 0) {
          if (tau > 0) eta = Math.sqrt(sgub * tau) - tau;
        } else if (sglb > 0) {
          eta = Math.sqrt(sglb * tau) - tau;
        }
      }
    }
    prew = w;
    tau += eta;
    sigma += eta;
    shift(n, eta, delta, oDel, work, oW);
  }
  throw new ConvergenceError(`lasd4: secular equation root ${i} of ${n} did not converge in ${MAXIT} iterations`);
}
