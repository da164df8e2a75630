// Scalar cores of the divide-and-conquer bidiagonal SVD (LAPACK dbdsdc / dlasd0; Gu &
// Eisenstat, SIAM J. Matrix Anal. Appl. 16, 1995) as WebAssembly: the one-sided Jacobi
// leaf (the role of dlasdq), the merge's deflation (dlasd2) and its secular equation with
// the Löwner z and the arrow matrix's singular vectors (dlasd3 with dlasd4 / dlasd5 /
// dlaed6). They mirror src/linalg/lapack/bdsdc-leaf.ts, lasd-merge.ts and lasd4.ts
// statement by statement (the TypeScript stays as the JS backend's path); the gemms that
// carry the O(n^3) flops stay with the TypeScript caller, which runs them on the pool.
//
// Why here: these O(n^2)-per-merge loops are cheap once V8 has optimized them, but a
// process's first call ran them in the interpreter and baseline tiers, boxing every
// floating-point intermediate (5-7x the warm time at n = 400 plus the garbage collections:
// issue 20). WebAssembly has no such warm-up.
//
// Indexing: as in the TypeScript, LAPACK's 1-based formulas over shifted offsets, e.g.
// U(i, j) at index uo + i + j * ldu with uo = -1 - ldu. Indices are i32 and may be negative
// in intermediate sums only; an address is base + index * 8 modulo 2^32 (wasm32).
import { hypot } from './hypot';
import { PoolControl as C } from './generated/abi';
import { dcPool, dcRootChunk, runDcJob } from './pool';
import { nrm2 } from './level1';

@inline function ld(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function st(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline function li(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
@inline function si(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }

/** Unit roundoff 2^-53 (machine.ts ROUNDOFF) and precision 2^-52 (PRECISION). */
const ROUNDOFF: f64 = 1.1102230246251565e-16;
const PRECISION: f64 = 2.220446049250313e-16;

// ------------------------------------------------------------------ Jacobi leaf

const MAX_SWEEPS = 80;

// ||a[0 .. len)|| without overflow or harmful underflow (bdsdc-leaf.ts norm).
function vnorm(a: usize, len: i32): f64 {
  let ssq: f64 = 0;
  for (let i = 0; i < len; i++) {
    const t = ld(a, i);
    ssq += t * t;
  }
  if (ssq > 1e-280 && ssq < 1e280) return Math.sqrt(ssq);
  let amax: f64 = 0;
  for (let i = 0; i < len; i++) amax = Math.max(amax, Math.abs(ld(a, i)));
  if (amax == 0) return 0;
  ssq = 0;
  for (let i = 0; i < len; i++) {
    const t = ld(a, i) / amax;
    ssq += t * t;
  }
  return amax * Math.sqrt(ssq);
}

// Cosine of the angle between the columns at p and q (norms np, nq > 0).
function cosine(p: usize, q: usize, n: i32, np: f64, nq: f64): f64 {
  let g: f64 = 0;
  if (np > 1e-140 && nq > 1e-140 && np < 1e140 && nq < 1e140) {
    for (let i = 0; i < n; i++) g += ld(p, i) * ld(q, i);
    return g / np / nq;
  }
  for (let i = 0; i < n; i++) g += (ld(p, i) / np) * (ld(q, i) / nq);
  return g;
}

// x -= its components along U's columns skip+1 .. n-1, twice (bdsdc-leaf.ts orthogonalize).
function orthogonalize(x: usize, u: usize, ldu: i32, n: i32, skip: i32): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = skip + 1; j < n; j++) {
      const uc = u + (<usize>(j * ldu) << 3);
      let dot: f64 = 0;
      for (let i = 0; i < n; i++) dot += ld(uc, i) * ld(x, i);
      for (let i = 0; i < n; i++) st(x, i, ld(x, i) - dot * ld(uc, i));
    }
  }
}

/**
 * SVD of the n x (n + sqre) upper bidiagonal block d[0..n), e[0..n-1+sqre) by one-sided
 * Jacobi (bdsdc-leaf.ts leafSvd): d gets the singular values ascending, U (n x n, ldu) and
 * VT (m x m, ldvt) the vectors; work: 2 n^2 + m^2 + 3 n doubles. Returns 0, or 1 if Jacobi
 * did not converge in 80 sweeps.
 */
export function lasdqLeaf(n: i32, sqre: i32, d: usize, e: usize, u: usize, ldu: i32, vt: usize, ldvt: i32, work: usize): i32 {
  if (n == 0) return 0;
  const m = n + sqre;
  const W = work;
  const V = W + (<usize>(n * n) << 3);
  const R = V + (<usize>(n * n) << 3);
  const nrm = R + (<usize>(m * m) << 3);
  const cand = nrm + (<usize>n << 3);
  const perm = cand + (<usize>n << 3); // n i32
  memory.fill(W, 0, <usize>(2 * n * n + m * m) << 3);
  for (let j = 0; j < n; j++) st(V, j + j * n, 1);
  for (let j = 0; j < m; j++) st(R, j + j * m, 1);
  if (sqre == 0) {
    for (let i = 0; i < n; i++) {
      st(W, i + i * n, ld(d, i));
      if (i + 1 < n) st(W, i + (i + 1) * n, ld(e, i));
    }
  } else {
    // As dlasdq: rotations from the right make [L 0] R with L lower bidiagonal.
    let dn = ld(d, 0);
    for (let i = 0; i < n; i++) {
      const f = dn;
      const g = ld(e, i);
      const r = hypot(f, g);
      const c = r == 0 ? 1 : f / r;
      const s = r == 0 ? 0 : g / r;
      st(W, i + i * n, r);
      if (i + 1 < n) {
        const next = ld(d, i + 1);
        st(W, i + 1 + i * n, s * next);
        dn = c * next;
      }
      for (let j = 0; j < m; j++) {
        const a = ld(R, i + j * m), b = ld(R, i + 1 + j * m);
        st(R, i + j * m, c * a + s * b);
        st(R, i + 1 + j * m, c * b - s * a);
      }
    }
  }
  let fro: f64 = 0;
  for (let j = 0; j < n; j++) {
    const v = vnorm(W + (<usize>(j * n) << 3), n);
    st(nrm, j, v);
    fro = hypot(fro, v);
  }
  // Columns below eps^2 ||B|| are not rotated (see bdsdc-leaf.ts).
  const negligible = PRECISION * PRECISION * fro;
  const tol = PRECISION * Math.sqrt(<f64>n);

  let converged = n < 2;
  for (let sweep = 0; sweep < MAX_SWEEPS && !converged; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const np = ld(nrm, p), nq = ld(nrm, q);
        if (np <= negligible || nq <= negligible) continue;
        const wp = W + (<usize>(p * n) << 3), wq = W + (<usize>(q * n) << 3);
        const g = cosine(wp, wq, n, np, nq);
        if (!(Math.abs(g) > tol)) continue;
        rotated = true;
        const zeta = (nq / np - np / nq) / (2 * g);
        const az = Math.abs(zeta);
        let t = az > 1e150 ? 0.5 / az : 1 / (az + Math.sqrt(1 + az * az));
        if (zeta < 0) t = -t;
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        const vp = V + (<usize>(p * n) << 3), vq = V + (<usize>(q * n) << 3);
        for (let i = 0; i < n; i++) {
          const x = ld(wp, i), y = ld(wq, i);
          st(wp, i, c * x - s * y);
          st(wq, i, s * x + c * y);
          const vx = ld(vp, i), vy = ld(vq, i);
          st(vp, i, c * vx - s * vy);
          st(vq, i, s * vx + c * vy);
        }
        st(nrm, p, vnorm(wp, n));
        st(nrm, q, vnorm(wq, n));
      }
    }
    if (!rotated) converged = true;
  }
  if (!converged) return 1;

  for (let j = 0; j < n; j++) {
    si(perm, j, j);
    const nj = ld(nrm, j);
    if (nj == 0 || nj > negligible) continue;
    for (let p = 0; p < n; p++) {
      const np = ld(nrm, p);
      if (p == j || np <= nj) continue;
      const g = cosine(W + (<usize>(p * n) << 3), W + (<usize>(j * n) << 3), n, np, nj);
      if (!(Math.abs(g) <= tol)) {
        st(nrm, j, 0);
        break;
      }
    }
  }
  // Stable sort by norm, descending (insertion: n <= 25).
  for (let j = 1; j < n; j++) {
    const key = li(perm, j);
    const v = ld(nrm, key);
    let q = j;
    while (q > 0 && ld(nrm, li(perm, q - 1)) < v) {
      si(perm, q, li(perm, q - 1));
      q--;
    }
    si(perm, q, key);
  }
  for (let r = 0; r < n; r++) {
    const src = li(perm, r);
    const dst = n - 1 - r;
    const s = ld(nrm, src);
    st(d, dst, s);
    const uc = u + (<usize>(dst * ldu) << 3);
    const wc = W + (<usize>(src * n) << 3);
    if (s > 0) for (let i = 0; i < n; i++) st(uc, i, ld(wc, i) / s);
    const vc = V + (<usize>(src * n) << 3);
    for (let j = 0; j < m; j++) {
      let acc: f64 = 0;
      for (let i = 0; i < n; i++) acc += ld(vc, i) * ld(R, i + j * m);
      st(vt, dst + j * ldvt, acc);
    }
  }
  if (sqre == 1) for (let j = 0; j < m; j++) st(vt, n + j * ldvt, ld(R, n + j * m));
  // Zero singular values: complete U with unit vectors orthogonalised against the rest.
  for (let r = 0; r < n; r++) {
    if (ld(nrm, li(perm, r)) > 0) continue;
    const dst = n - 1 - r;
    const uc = u + (<usize>(dst * ldu) << 3);
    let best = 0;
    let bestNorm: f64 = -1;
    for (let kk = 0; kk < n; kk++) {
      memory.fill(cand, 0, <usize>n << 3);
      st(cand, kk, 1);
      orthogonalize(cand, u, ldu, n, dst);
      const c = vnorm(cand, n);
      if (c > bestNorm) {
        bestNorm = c;
        best = kk;
      }
    }
    memory.fill(cand, 0, <usize>n << 3);
    st(cand, best, 1);
    orthogonalize(cand, u, ldu, n, dst);
    const c = vnorm(cand, n);
    for (let i = 0; i < n; i++) st(uc, i, ld(cand, i) / c);
  }
  return 0;
}

// ------------------------------------------------------------------ secular equation

const MAXIT = 64;
const SMALL1: f64 = 4.464794497196387e-103; // 2^-340
const SMINV1: f64 = 2.2397447421778042e+102; // 2^340
const SMALL2: f64 = 1.9934389902195135e-205; // 2^-680
const SMINV2: f64 = 5.016456510113119e+204; // 2^680

// Root of dlaed6's three-pole model between the poles `orgati` selects (lasd4.ts laed6);
// NaN when 40 steps do not converge.
function laed6(kniter: i32, orgati: bool, rho: f64, d0: f64, d1: f64, d2: f64, z0: f64, z1: f64, z2: f64, finit: f64): f64 {
  let lbd = orgati ? d1 : d0;
  let ubd = orgati ? d2 : d1;
  if (finit < 0) lbd = 0;
  else ubd = 0;
  let tau: f64 = 0;
  if (kniter == 2) {
    let a: f64, b: f64, c: f64;
    if (orgati) {
      const temp = (d2 - d1) / 2;
      c = rho + z0 / (d0 - d1 - temp);
      a = c * (d1 + d2) + z1 + z2;
      b = c * d1 * d2 + z1 * d2 + z2 * d1;
    } else {
      const temp = (d0 - d1) / 2;
      c = rho + z2 / (d2 - d1 - temp);
      a = c * (d0 + d1) + z0 + z1;
      b = c * d0 * d1 + z0 * d1 + z1 * d0;
    }
    const scale = Math.max(Math.abs(a), Math.max(Math.abs(b), Math.abs(c)));
    a /= scale;
    b /= scale;
    c /= scale;
    if (c == 0) tau = b / a;
    else if (a <= 0) tau = (a - Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
    else tau = (2 * b) / (a + Math.sqrt(Math.abs(a * a - 4 * b * c)));
    if (tau < lbd || tau > ubd) tau = (lbd + ubd) / 2;
    if (d0 == tau || d1 == tau || d2 == tau) {
      tau = 0;
    } else {
      const temp = finit + (tau * z0) / (d0 * (d0 - tau)) + (tau * z1) / (d1 * (d1 - tau)) + (tau * z2) / (d2 * (d2 - tau));
      if (temp <= 0) lbd = tau;
      else ubd = tau;
      if (Math.abs(finit) <= Math.abs(temp)) tau = 0;
    }
  }
  const gap = orgati ? Math.min(Math.abs(d1 - tau), Math.abs(d2 - tau)) : Math.min(Math.abs(d0 - tau), Math.abs(d1 - tau));
  let sclfac: f64 = 1;
  let sclinv: f64 = 1;
  if (gap <= SMALL1) {
    if (gap <= SMALL2) {
      sclfac = SMINV2;
      sclinv = SMALL2;
    } else {
      sclfac = SMINV1;
      sclinv = SMALL1;
    }
  }
  const ds0 = d0 * sclfac, ds1 = d1 * sclfac, ds2 = d2 * sclfac;
  const zs0 = z0 * sclfac, zs1 = z1 * sclfac, zs2 = z2 * sclfac;
  tau *= sclfac;
  lbd *= sclfac;
  ubd *= sclfac;
  let fc: f64 = 0, df: f64 = 0, ddf: f64 = 0;
  {
    let t = 1 / (ds0 - tau);
    let t1 = zs0 * t, t2 = t1 * t, t3 = t2 * t;
    fc += t1 / ds0; df += t2; ddf += t3;
    t = 1 / (ds1 - tau);
    t1 = zs1 * t; t2 = t1 * t; t3 = t2 * t;
    fc += t1 / ds1; df += t2; ddf += t3;
    t = 1 / (ds2 - tau);
    t1 = zs2 * t; t2 = t1 * t; t3 = t2 * t;
    fc += t1 / ds2; df += t2; ddf += t3;
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
    const scale = Math.max(Math.abs(a), Math.max(Math.abs(b), Math.abs(c)));
    a /= scale;
    b /= scale;
    c /= scale;
    let eta: f64;
    if (c == 0) eta = b / a;
    else if (a <= 0) eta = (a - Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
    else eta = (2 * b) / (a + Math.sqrt(Math.abs(a * a - 4 * b * c)));
    if (f * eta >= 0) eta = -f / df;
    tau += eta;
    if (tau < lbd || tau > ubd) tau = (lbd + ubd) / 2;
    fc = 0;
    df = 0;
    ddf = 0;
    let erretm: f64 = 0;
    for (let k = 0; k < 3; k++) {
      const dk = k == 0 ? ds0 : k == 1 ? ds1 : ds2;
      const zk = k == 0 ? zs0 : k == 1 ? zs1 : zs2;
      const t = 1 / (dk - tau);
      const u1 = zk * t, u2 = u1 * t, u3 = u2 * t, u4 = u1 / dk;
      fc += u4;
      erretm += Math.abs(u4);
      df += u2;
      ddf += u3;
    }
    f = finit + tau * fc;
    erretm = 8 * (Math.abs(finit) + Math.abs(tau) * erretm) + Math.abs(tau) * df;
    if (Math.abs(f) <= ROUNDOFF * erretm) return tau * sclinv;
    if (f <= 0) lbd = tau;
    else ubd = tau;
  }
  return NaN;
}

// The 2 x 2 case (dlasd5), closed form.
function lasd5(i: i32, d: usize, z: usize, delta: usize, rho: f64, work: usize): f64 {
  const d0 = ld(d, 0), d1 = ld(d, 1), z0 = ld(z, 0), z1 = ld(z, 1);
  const del = d1 - d0;
  const delsq = del * (d1 + d0);
  if (i == 0) {
    const w = 1 + (4 * rho * ((z1 * z1) / (d0 + 3 * d1) - (z0 * z0) / (3 * d0 + d1))) / del;
    if (w > 0) {
      const b = delsq + rho * (z0 * z0 + z1 * z1);
      const c = rho * z0 * z0 * delsq;
      let tau = (2 * c) / (b + Math.sqrt(Math.abs(b * b - 4 * c)));
      tau = tau / (d0 + Math.sqrt(d0 * d0 + tau));
      st(delta, 0, -tau);
      st(delta, 1, del - tau);
      st(work, 0, 2 * d0 + tau);
      st(work, 1, d0 + tau + d1);
      return d0 + tau;
    }
    const b = -delsq + rho * (z0 * z0 + z1 * z1);
    const c = rho * z1 * z1 * delsq;
    let tau = b > 0 ? (-2 * c) / (b + Math.sqrt(b * b + 4 * c)) : (b - Math.sqrt(b * b + 4 * c)) / 2;
    tau = tau / (d1 + Math.sqrt(Math.abs(d1 * d1 + tau)));
    st(delta, 0, -(del + tau));
    st(delta, 1, -tau);
    st(work, 0, d0 + tau + d1);
    st(work, 1, 2 * d1 + tau);
    return d1 + tau;
  }
  const b = -delsq + rho * (z0 * z0 + z1 * z1);
  const c = rho * z1 * z1 * delsq;
  let tau = b > 0 ? (b + Math.sqrt(b * b + 4 * c)) / 2 : (2 * c) / (-b + Math.sqrt(b * b + 4 * c));
  tau = tau / (d1 + Math.sqrt(d1 * d1 + tau));
  st(delta, 0, -(del + tau));
  st(delta, 1, -tau);
  st(work, 0, d0 + tau + d1);
  st(work, 1, 2 * d1 + tau);
  return d1 + tau;
}

// Results of secularSums.
let sPsi: f64 = 0, sDpsi: f64 = 0, sPhi: f64 = 0, sDphi: f64 = 0, sErr: f64 = 0;

// psi, phi, their derivatives and dlasd4's running error bound around pole ii, from the
// differences delta_j work_j (lasd4.ts secularSums).
function secularSums(n: i32, ii: i32, z: usize, delta: usize, work: usize): void {
  let psi: f64 = 0, dpsi: f64 = 0, erretm: f64 = 0;
  for (let j = 0; j < ii; j++) {
    const zj = ld(z, j);
    const t = zj / (ld(work, j) * ld(delta, j));
    psi += zj * t;
    dpsi += t * t;
    erretm += psi;
  }
  erretm = Math.abs(erretm);
  let phi: f64 = 0, dphi: f64 = 0;
  for (let j = n - 1; j > ii; j--) {
    const zj = ld(z, j);
    const t = zj / (ld(work, j) * ld(delta, j));
    phi += zj * t;
    dphi += t * t;
    erretm += phi;
  }
  sPsi = psi;
  sDpsi = dpsi;
  sPhi = phi;
  sDphi = dphi;
  sErr = erretm;
}

function shiftBy(n: i32, eta: f64, delta: usize, work: usize): void {
  for (let j = 0; j < n; j++) {
    st(delta, j, ld(delta, j) - eta);
    st(work, j, ld(work, j) + eta);
  }
}

/**
 * The i-th (0-based, ascending) root of 1/rho + sum_j z_j^2 / (d_j^2 - sigma^2) (LAPACK
 * dlasd4; lasd4.ts): delta_j = d_j - sigma and work_j = d_j + sigma. NaN when the
 * iteration does not converge in 64 steps.
 */
export function lasd4(n: i32, i: i32, d: usize, z: usize, delta: usize, rho: f64, work: usize): f64 {
  if (n == 1) {
    st(delta, 0, 1);
    st(work, 0, 1);
    return Math.sqrt(ld(d, 0) * ld(d, 0) + rho * ld(z, 0) * ld(z, 0));
  }
  if (n == 2) return lasd5(i, d, z, delta, rho, work);
  return i == n - 1 ? largestRoot(n, d, z, delta, rho, work) : interiorRoot(n, i, d, z, delta, rho, work);
}

function largestRoot(n: i32, d: usize, z: usize, delta: usize, rho: f64, work: usize): f64 {
  const rhoinv = 1 / rho;
  const dn = ld(d, n - 1), dn1 = ld(d, n - 2), zn = ld(z, n - 1), zn1 = ld(z, n - 2);
  let temp = rho / 2;
  let temp1 = temp / (dn + Math.sqrt(dn * dn + temp));
  for (let j = 0; j < n; j++) {
    st(work, j, ld(d, j) + dn + temp1);
    st(delta, j, ld(d, j) - dn - temp1);
  }
  let psi: f64 = 0;
  for (let j = 0; j < n - 2; j++) psi += (ld(z, j) * ld(z, j)) / (ld(delta, j) * ld(work, j));
  let c = rhoinv + psi;
  let w = c + (zn1 * zn1) / (ld(delta, n - 2) * ld(work, n - 2)) + (zn * zn) / (ld(delta, n - 1) * ld(work, n - 1));
  const delsq = (dn - dn1) * (dn + dn1);
  let tau: f64;
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
    st(delta, j, ld(d, j) - dn - tau);
    st(work, j, ld(d, j) + dn + tau);
  }
  for (let niter = 2; ; niter++) {
    secularSums(n, n - 1, z, delta, work);
    psi = sPsi;
    const dpsi = sDpsi;
    const t = zn / (ld(work, n - 1) * ld(delta, n - 1));
    const phi = zn * t;
    const dphi = t * t;
    const erretm = 8 * (-phi - psi) + sErr - phi + rhoinv;
    w = rhoinv + phi + psi;
    if (Math.abs(w) <= ROUNDOFF * erretm) return sigma;
    if (niter > MAXIT) break;
    const dtnsq1 = ld(work, n - 2) * ld(delta, n - 2);
    const dtnsq = ld(work, n - 1) * ld(delta, n - 1);
    c = w - dtnsq1 * dpsi - dtnsq * dphi;
    const a = (dtnsq + dtnsq1) * w - dtnsq * dtnsq1 * (dpsi + dphi);
    const b = dtnsq * dtnsq1 * w;
    let eta: f64;
    if (niter == 2) {
      if (c < 0) c = Math.abs(c);
      if (c == 0) eta = rho - sigma * sigma;
      else if (a >= 0) eta = (a + Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
      else eta = (2 * b) / (a - Math.sqrt(Math.abs(a * a - 4 * b * c)));
    } else if (a >= 0) {
      eta = (a + Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
    } else {
      eta = (2 * b) / (a - Math.sqrt(Math.abs(a * a - 4 * b * c)));
    }
    if (w * eta > 0) eta = -w / (dpsi + dphi);
    temp = eta - dtnsq;
    if (niter == 2) {
      if (temp > rho) eta = rho + dtnsq;
    } else if (temp <= 0) {
      eta /= 2;
    }
    eta = eta / (sigma + Math.sqrt(eta + sigma * sigma));
    tau += eta;
    sigma += eta;
    shiftBy(n, eta, delta, work);
  }
  return NaN;
}

function interiorRoot(n: i32, i: i32, d: usize, z: usize, delta: usize, rho: f64, work: usize): f64 {
  const rhoinv = 1 / rho;
  const ip1 = i + 1;
  const di = ld(d, i), dip1 = ld(d, ip1), zi = ld(z, i), zip1 = ld(z, ip1);
  const delsq = (dip1 - di) * (dip1 + di);
  const delsq2 = delsq / 2;
  const sq2 = Math.sqrt((di * di + dip1 * dip1) / 2);
  let temp = delsq2 / (di + sq2);
  for (let j = 0; j < n; j++) {
    st(work, j, ld(d, j) + di + temp);
    st(delta, j, ld(d, j) - di - temp);
  }
  let psi: f64 = 0;
  for (let j = 0; j < i; j++) psi += (ld(z, j) * ld(z, j)) / (ld(work, j) * ld(delta, j));
  let phi: f64 = 0;
  for (let j = n - 1; j >= i + 2; j--) phi += (ld(z, j) * ld(z, j)) / (ld(work, j) * ld(delta, j));
  let c = rhoinv + psi + phi;
  const w0 = c + (zi * zi) / (ld(work, i) * ld(delta, i)) + (zip1 * zip1) / (ld(work, ip1) * ld(delta, ip1));

  let geomavg = false;
  const orgati = w0 > 0;
  let sglb: f64, sgub: f64, tau: f64;
  if (orgati) {
    sglb = 0;
    sgub = delsq2 / (di + sq2);
    const a = c * delsq + zi * zi + zip1 * zip1;
    const b = zi * zi * delsq;
    const tau2 = a > 0 ? (2 * b) / (a + Math.sqrt(Math.abs(a * a - 4 * b * c))) : (a - Math.sqrt(Math.abs(a * a - 4 * b * c))) / (2 * c);
    tau = tau2 / (di + Math.sqrt(di * di + tau2));
    const sqeps = Math.sqrt(ROUNDOFF);
    if (di <= sqeps * dip1 && Math.abs(zi) <= sqeps && di > 0) {
      tau = Math.min(10 * di, sgub);
      geomavg = true;
    }
  } else {
    sglb = -delsq2 / (dip1 + sq2);
    sgub = 0;
    const a = c * delsq - zi * zi - zip1 * zip1;
    const b = zip1 * zip1 * delsq;
    const tau2 = a < 0 ? (2 * b) / (a - Math.sqrt(Math.abs(a * a + 4 * b * c))) : -(a + Math.sqrt(Math.abs(a * a + 4 * b * c))) / (2 * c);
    tau = tau2 / (dip1 + Math.sqrt(Math.abs(dip1 * dip1 + tau2)));
  }
  const ii = orgati ? i : ip1;
  const dii = ld(d, ii);
  const zii = ld(z, ii);
  let sigma = dii + tau;
  for (let j = 0; j < n; j++) {
    st(work, j, ld(d, j) + dii + tau);
    st(delta, j, ld(d, j) - dii - tau);
  }
  const iim1 = ii - 1;
  const iip1 = ii + 1;

  let swtch3 = false;
  let swtch = false;
  let prew: f64 = 0;
  for (let niter = 2; ; niter++) {
    secularSums(n, ii, z, delta, work);
    psi = sPsi;
    let dpsi = sDpsi;
    phi = sPhi;
    let dphi = sDphi;
    const tii = zii / (ld(work, ii) * ld(delta, ii));
    const dw = dpsi + dphi + tii * tii;
    const tz = zii * tii;
    const w = rhoinv + phi + psi + tz;
    const erretm = 8 * (phi - psi) + sErr + 2 * rhoinv + 3 * Math.abs(tz);
    if (niter == 2) {
      swtch3 = orgati ? w - tz < 0 : w - tz > 0;
      if (ii == 0 || ii == n - 1) swtch3 = false;
    } else if (niter == 3) {
      swtch = orgati ? -w > Math.abs(prew) / 10 : w > Math.abs(prew) / 10;
    } else if (w * prew > 0 && Math.abs(w) > Math.abs(prew) / 10) {
      swtch = !swtch;
    }
    if (Math.abs(w) <= ROUNDOFF * erretm) return sigma;
    if (niter > MAXIT) break;
    if (w <= 0) sglb = Math.max(sglb, tau);
    else sgub = Math.min(sgub, tau);

    let eta: f64 = NaN;
    if (swtch3) {
      const dtiim = ld(work, iim1) * ld(delta, iim1);
      const dtiip = ld(work, iip1) * ld(delta, iip1);
      const t = rhoinv + psi + phi;
      let zz0: f64, zz2: f64;
      if (swtch) {
        c = t - dtiim * dpsi - dtiip * dphi;
        zz0 = dtiim * dtiim * dpsi;
        zz2 = dtiip * dtiip * dphi;
      } else if (orgati) {
        let t1 = ld(z, iim1) / dtiim;
        t1 *= t1;
        c = t - dtiip * (dpsi + dphi) - (ld(d, iim1) - ld(d, iip1)) * (ld(d, iim1) + ld(d, iip1)) * t1;
        zz0 = ld(z, iim1) * ld(z, iim1);
        zz2 = dpsi < t1 ? dtiip * dtiip * dphi : dtiip * dtiip * (dpsi - t1 + dphi);
      } else {
        let t1 = ld(z, iip1) / dtiip;
        t1 *= t1;
        c = t - dtiim * (dpsi + dphi) - (ld(d, iip1) - ld(d, iim1)) * (ld(d, iim1) + ld(d, iip1)) * t1;
        zz0 = dphi < t1 ? dtiim * dtiim * dpsi : dtiim * dtiim * (dpsi + (dphi - t1));
        zz2 = ld(z, iip1) * ld(z, iip1);
      }
      eta = laed6(niter, orgati, c, dtiim, ld(delta, ii) * ld(work, ii), dtiip, zz0, zii * zii, zz2, w);
      if (isNaN(eta)) swtch3 = false;
    }
    if (!swtch3) {
      const dtipsq = ld(work, ip1) * ld(delta, ip1);
      const dtisq = ld(work, i) * ld(delta, i);
      if (!swtch) {
        if (orgati) {
          const r = zi / dtisq;
          c = w - dtipsq * dw + delsq * (r * r);
        } else {
          const r = zip1 / dtipsq;
          c = w - dtisq * dw - delsq * (r * r);
        }
      } else {
        if (orgati) dpsi += tii * tii;
        else dphi += tii * tii;
        c = w - dtisq * dpsi - dtipsq * dphi;
      }
      let a = (dtipsq + dtisq) * w - dtipsq * dtisq * dw;
      const b = dtipsq * dtisq * w;
      if (c == 0) {
        if (a == 0) {
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
    if (w * eta >= 0) eta = -w / dw;
    eta = eta / (sigma + Math.sqrt(sigma * sigma + eta));
    temp = tau + eta;
    if (temp > sgub || temp < sglb) {
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
    shiftBy(n, eta, delta, work);
  }
  return NaN;
}

// ------------------------------------------------------------------ merge

// Merge permutation (dlamrg; lasd-merge.ts lamrg): A(i) = a[ao + i], INDEX(i) = index[io + i].
function lamrg(n1: i32, n2: i32, a: usize, ao: i32, s1: i32, s2: i32, index: usize, io: i32): void {
  let n1sv = n1;
  let n2sv = n2;
  let ind1 = s1 > 0 ? 1 : n1;
  let ind2 = s2 > 0 ? 1 + n1 : n1 + n2;
  let i = 1;
  while (n1sv > 0 && n2sv > 0) {
    if (ld(a, ao + ind1) <= ld(a, ao + ind2)) {
      si(index, io + i++, ind1);
      ind1 += s1;
      n1sv--;
    } else {
      si(index, io + i++, ind2);
      ind2 += s2;
      n2sv--;
    }
  }
  for (; n1sv > 0; n1sv--) {
    si(index, io + i++, ind1);
    ind1 += s1;
  }
  for (; n2sv > 0; n2sv--) {
    si(index, io + i++, ind2);
    ind2 += s2;
  }
}

/**
 * The scalar part of one merge (lasd-merge.ts: lasd2, then lasd3 up to the left vectors of
 * the arrow matrix), D already scaled to max entry 1. d = &D(1), u = &U(1,1), vt = &VT(1,1),
 * idxq = &IDXQ(1); z, dsigma: 1-based f64 scratch; u2, vt2, q: f64 scratch; ints: five i32
 * arrays of ilen entries (idx, idxc, idxp, coltyp, srcOf). On return coltyp[1..4] hold the
 * column-type counts, q the left vectors (k > 1), VT(1..k, 1..k) the right vectors'
 * unnormalised components. When k = 1 the merge is complete (D(1), U(:, 1), VT(1, :)).
 * Returns k, or -1 when the secular equation did not converge.
 */
export function lasd23(
  nl: i32, nr: i32, sqre: i32, d: usize, alpha: f64, beta: f64,
  U: usize, ldu: i32, VT: usize, ldvt: i32, idxq: usize,
  z: usize, dsigma: usize, u2: usize, vt2: usize, q: usize, ints: usize, ilen: i32,
): i32 {
  const idx = ints;
  const idxc = ints + (<usize>ilen << 2);
  const idxp = ints + (<usize>(2 * ilen) << 2);
  const coltyp = ints + (<usize>(3 * ilen) << 2);
  const srcOf = ints + (<usize>(4 * ilen) << 2);
  const dO = -1;
  const qo = -1;
  const n = nl + nr + 1;
  const m = n + sqre;
  const nlp1 = nl + 1;
  const nlp2 = nl + 2;
  const uo = -1 - ldu;
  const vo = -1 - ldvt;
  const ldu2 = n;
  const ldvt2 = m;
  const u2o = -1 - ldu2;
  const v2o = -1 - ldvt2;

  // ---- lasd2: z, sorted poles, deflation, grouped vectors.
  const z1 = alpha * ld(VT, vo + nlp1 + nlp1 * ldvt);
  st(z, 1, z1);
  for (let i = nl; i >= 1; i--) {
    st(z, i + 1, alpha * ld(VT, vo + i + nlp1 * ldvt));
    st(d, dO + i + 1, ld(d, dO + i));
    si(idxq, qo + i + 1, li(idxq, qo + i) + 1);
  }
  for (let i = nlp2; i <= m; i++) st(z, i, beta * ld(VT, vo + i + nlp2 * ldvt));
  for (let i = 2; i <= nlp1; i++) si(coltyp, i, 1);
  for (let i = nlp2; i <= n; i++) si(coltyp, i, 2);
  for (let i = nlp2; i <= n; i++) si(idxq, qo + i, li(idxq, qo + i) + nlp1);

  for (let i = 2; i <= n; i++) {
    const qq = li(idxq, qo + i);
    st(dsigma, i, ld(d, dO + qq));
    st(u2, u2o + i + ldu2, ld(z, qq));
    si(idxc, i, li(coltyp, qq));
  }
  lamrg(nl, nr, dsigma, 1, 1, 1, idx, 1);
  for (let i = 2; i <= n; i++) {
    const idxi = 1 + li(idx, i);
    st(d, dO + i, ld(dsigma, idxi));
    st(z, i, ld(u2, u2o + idxi + ldu2));
    si(coltyp, i, li(idxc, idxi));
  }

  const tol = 8 * ROUNDOFF * Math.max(Math.abs(ld(d, dO + n)), Math.max(Math.abs(alpha), Math.abs(beta)));

  let k = 1;
  let k2 = n + 1;
  let jprev = 0;
  for (let j = 2; j <= n; j++) {
    if (Math.abs(ld(z, j)) <= tol) {
      k2--;
      si(idxp, k2, j);
      si(coltyp, j, 4);
    } else {
      jprev = j;
      break;
    }
  }
  if (jprev != 0) {
    for (let j = jprev + 1; j <= n; j++) {
      if (Math.abs(ld(z, j)) <= tol) {
        k2--;
        si(idxp, k2, j);
        si(coltyp, j, 4);
      } else if (Math.abs(ld(d, dO + j) - ld(d, dO + jprev)) <= tol) {
        let sn = ld(z, jprev);
        let cs = ld(z, j);
        const tau = hypot(cs, sn);
        cs /= tau;
        sn = -sn / tau;
        st(z, j, tau);
        st(z, jprev, 0);
        let idxjp = li(idxq, qo + li(idx, jprev) + 1);
        let idxj = li(idxq, qo + li(idx, j) + 1);
        if (idxjp <= nlp1) idxjp--;
        if (idxj <= nlp1) idxj--;
        const up = uo + 1 + idxjp * ldu;
        const uq = uo + 1 + idxj * ldu;
        for (let r = 0; r < n; r++) {
          const x = ld(U, up + r), y = ld(U, uq + r);
          st(U, up + r, cs * x + sn * y);
          st(U, uq + r, cs * y - sn * x);
        }
        for (let c = 1; c <= m; c++) {
          const pi = vo + idxjp + c * ldvt, qi = vo + idxj + c * ldvt;
          const x = ld(VT, pi), y = ld(VT, qi);
          st(VT, pi, cs * x + sn * y);
          st(VT, qi, cs * y - sn * x);
        }
        if (li(coltyp, j) != li(coltyp, jprev)) si(coltyp, j, 3);
        si(coltyp, jprev, 4);
        k2--;
        si(idxp, k2, jprev);
        jprev = j;
      } else {
        k++;
        st(u2, u2o + k + ldu2, ld(z, jprev));
        st(dsigma, k, ld(d, dO + jprev));
        si(idxp, k, jprev);
        jprev = j;
      }
    }
    k++;
    st(u2, u2o + k + ldu2, ld(z, jprev));
    st(dsigma, k, ld(d, dO + jprev));
    si(idxp, k, jprev);
  }

  // Column-type counts and IDXC grouping the columns by type.
  let ct1 = 0, ct2 = 0, ct3 = 0, ct4 = 0;
  for (let j = 2; j <= n; j++) {
    const t = li(coltyp, j);
    if (t == 1) ct1++;
    else if (t == 2) ct2++;
    else if (t == 3) ct3++;
    else ct4++;
  }
  let p1 = 2, p2 = 2 + ct1, p3 = 2 + ct1 + ct2, p4 = 2 + ct1 + ct2 + ct3;
  for (let j = 2; j <= n; j++) {
    const t = li(coltyp, li(idxp, j));
    if (t == 1) si(idxc, p1++, j);
    else if (t == 2) si(idxc, p2++, j);
    else if (t == 3) si(idxc, p3++, j);
    else si(idxc, p4++, j);
  }

  for (let j = 2; j <= n; j++) st(dsigma, j, ld(d, dO + li(idxp, j)));
  for (let j = 2; j <= n; j++) {
    let idxj = li(idxq, qo + li(idx, li(idxp, li(idxc, j))) + 1);
    if (idxj <= nlp1) idxj--;
    si(srcOf, j, idxj);
    memory.copy(u2 + (<usize>(u2o + 1 + j * ldu2) << 3), U + (<usize>(uo + 1 + idxj * ldu) << 3), <usize>n << 3);
  }
  for (let c = 1; c <= m; c++) {
    const src = vo + c * ldvt;
    const dst = v2o + c * ldvt2;
    for (let j = 2; j <= n; j++) st(vt2, dst + j, ld(VT, src + li(srcOf, j)));
  }

  st(dsigma, 1, 0);
  const hlftol = tol / 2;
  if (Math.abs(ld(dsigma, 2)) <= hlftol) st(dsigma, 2, hlftol);
  let c: f64 = 1;
  let sn: f64 = 0;
  if (m > n) {
    st(z, 1, hypot(z1, ld(z, m)));
    if (ld(z, 1) <= tol) {
      c = 1;
      sn = 0;
      st(z, 1, tol);
    } else {
      c = z1 / ld(z, 1);
      sn = ld(z, m) / ld(z, 1);
    }
  } else {
    st(z, 1, Math.abs(z1) <= tol ? tol : z1);
  }
  for (let i = 2; i <= k; i++) st(z, i, ld(u2, u2o + i + ldu2));

  memory.fill(u2, 0, <usize>n << 3);
  st(u2, u2o + nlp1 + ldu2, 1);
  if (m > n) {
    for (let i = 1; i <= nlp1; i++) {
      const v = ld(VT, vo + nlp1 + i * ldvt);
      st(VT, vo + m + i * ldvt, -sn * v);
      st(vt2, v2o + 1 + i * ldvt2, c * v);
    }
    for (let i = nlp2; i <= m; i++) {
      const v = ld(VT, vo + m + i * ldvt);
      st(vt2, v2o + 1 + i * ldvt2, sn * v);
      st(VT, vo + m + i * ldvt, c * v);
    }
  } else {
    for (let i = 1; i <= m; i++) st(vt2, v2o + 1 + i * ldvt2, ld(VT, vo + nlp1 + i * ldvt));
  }
  if (m > n) for (let i = 1; i <= m; i++) st(vt2, v2o + m + i * ldvt2, ld(VT, vo + m + i * ldvt));

  if (n > k) {
    for (let i = k + 1; i <= n; i++) st(d, dO + i, ld(dsigma, i));
    for (let j = k + 1; j <= n; j++) {
      memory.copy(U + (<usize>(uo + 1 + j * ldu) << 3), u2 + (<usize>(u2o + 1 + j * ldu2) << 3), <usize>n << 3);
    }
    for (let c2 = 1; c2 <= m; c2++) for (let i = k + 1; i <= n; i++) st(VT, vo + i + c2 * ldvt, ld(vt2, v2o + i + c2 * ldvt2));
  }
  si(coltyp, 1, ct1);
  si(coltyp, 2, ct2);
  si(coltyp, 3, ct3);
  si(coltyp, 4, ct4);

  // ---- lasd3 up to the left vectors.
  const ldq = k;
  const qo2 = -1 - ldq;
  if (k == 1) {
    st(d, dO + 1, Math.abs(ld(z, 1)));
    for (let cc = 1; cc <= m; cc++) st(VT, vo + 1 + cc * ldvt, ld(vt2, v2o + 1 + cc * ldvt2));
    const sg: f64 = ld(z, 1) > 0 ? 1 : -1;
    for (let r = 1; r <= n; r++) st(U, uo + r + ldu, sg * ld(u2, u2o + r + ldu2));
    return 1;
  }
  for (let i = 1; i <= k; i++) st(q, qo2 + i + ldq, ld(z, i));
  let rho: f64 = 0;
  {
    let amax: f64 = 0;
    for (let i = 1; i <= k; i++) amax = Math.max(amax, Math.abs(ld(z, i)));
    let ssq: f64 = 0;
    for (let i = 1; i <= k; i++) {
      const t = ld(z, i) / amax;
      ssq += t * t;
    }
    rho = amax * Math.sqrt(ssq);
  }
  for (let i = 1; i <= k; i++) st(z, i, ld(z, i) / rho);
  rho *= rho;
  const dsig0 = dsigma + 8;
  const z0 = z + 8;
  const ctl = dcPool();
  if (ctl != 0 && k >= DC_PARALLEL_ROOTS) {
    // The roots are independent (root j writes only column j of U and VT): shared out
    // among the pool.
    const ch = dcRootChunk(k);
    C.setM(ctl, k);
    C.setMch(ctl, ch);
    C.setPa(ctl, dsig0);
    C.setPb(ctl, z0);
    C.setPc(ctl, U);
    C.setLda(ctl, ldu);
    C.setWs(ctl, VT);
    C.setLdb(ctl, ldvt);
    C.setPd(ctl, d);
    C.setAlpha(ctl, rho);
    runDcJob(9, (k + ch - 1) / ch);
    for (let j = 1; j <= k; j++) if (isNaN(ld(d, dO + j))) return -1;
  } else {
    for (let j = 1; j <= k; j++) {
      const s = lasd4(k, j - 1, dsig0, z0, U + (<usize>(uo + 1 + j * ldu) << 3), rho, VT + (<usize>(vo + 1 + j * ldvt) << 3));
      if (isNaN(s)) return -1;
      st(d, dO + j, s);
    }
  }

  // Löwner z, accumulated column by column.
  for (let i = 1; i <= k; i++) st(z, i, ld(U, uo + i + k * ldu) * ld(VT, vo + i + k * ldvt));
  for (let j = 1; j < k; j++) {
    const uj = uo + j * ldu;
    const vj = vo + j * ldvt;
    const dj = ld(dsigma, j);
    const dj1 = ld(dsigma, j + 1);
    for (let i = 1; i <= k; i++) {
      const di = ld(dsigma, i);
      const dp = j < i ? dj : dj1;
      st(z, i, ld(z, i) * ((ld(U, uj + i) * ld(VT, vj + i)) / (di - dp) / (di + dp)));
    }
  }
  for (let i = 1; i <= k; i++) {
    const sq = Math.sqrt(Math.abs(ld(z, i)));
    st(z, i, ld(q, qo2 + i + ldq) >= 0 ? sq : -sq);
  }

  for (let i = 1; i <= k; i++) {
    const ui = uo + i * ldu;
    const vi = vo + i * ldvt;
    st(VT, vi + 1, ld(z, 1) / ld(U, ui + 1) / ld(VT, vi + 1));
    st(U, ui + 1, -1);
    for (let j = 2; j <= k; j++) {
      const v = ld(z, j) / ld(U, ui + j) / ld(VT, vi + j);
      st(VT, vi + j, v);
      st(U, ui + j, ld(dsigma, j) * v);
    }
    const temp = nrm2<f64>(k, U + (<usize>(ui + 1) << 3), 1);
    st(q, qo2 + 1 + i * ldq, ld(U, ui + 1) / temp);
    for (let j = 2; j <= k; j++) st(q, qo2 + j + i * ldq, ld(U, ui + li(idxc, j)) / temp);
  }
  return k;
}

/** Smallest secular equation whose roots are shared out among the pool (as stedc.ts). */
const DC_PARALLEL_ROOTS = 64;

/**
 * Task t of a pool job of kind 9: roots t mch .. (t + 1) mch (0-based) of the secular
 * equation of order M (poles at PA, z at PB, rho = ALPHA); root j into PD[j], its
 * differences d_i - sigma and sums d_i + sigma into column j of U (PC, ld LDA) and of VT
 * (WS, ld LDB). A root that does not converge is stored as NaN, which the caller checks.
 */
export function lasdRootsTask(ctl: usize, t: i32): void {
  const k = C.m(ctl);
  const ch = C.mch(ctl);
  const j1 = min(k, (t + 1) * ch);
  const U = C.pc(ctl);
  const VT = C.ws(ctl);
  const ldu = C.lda(ctl);
  const ldvt = C.ldb(ctl);
  for (let j = t * ch; j < j1; j++) {
    const s = lasd4(k, j, C.pa(ctl), C.pb(ctl), U + (<usize>(j * ldu) << 3), C.alpha(ctl), VT + (<usize>(j * ldvt) << 3));
    st(C.pd(ctl), j, s);
  }
}

/**
 * Right vectors of the arrow matrix (the end of dlasd3's scalar work; lasd-merge.ts), stored
 * transposed: Q(j, i) = VT(idxc_j, i) / ||VT(1..k, i)|| with Q k x k (ld k), VT(1, 1) at vt,
 * idxc 1-based. Run after the gemms that read the left vectors from the same q.
 */
export function lasd3Right(k: i32, VT: usize, ldvt: i32, q: usize, idxc: usize): void {
  const vo = -1 - ldvt;
  const qo = -1 - k;
  for (let i = 1; i <= k; i++) {
    const vi = vo + i * ldvt;
    const temp = nrm2<f64>(k, VT + (<usize>(vi + 1) << 3), 1);
    const col = qo + i * k;
    st(q, col + 1, ld(VT, vi + 1) / temp);
    for (let j = 2; j <= k; j++) st(q, col + j, ld(VT, vi + li(idxc, j)) / temp);
  }
}
