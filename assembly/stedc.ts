// Scalar parts of one merge of Cuppen's divide and conquer for the symmetric tridiagonal
// eigenproblem (LAPACK dlaed1..dlaed3 with dlaed4; Gu & Eisenstat's Löwner z), as
// WebAssembly: deflation with its plane rotations, the secular equation, the eigenvectors of
// the rank-one update, the grouping and gathers for the two gemms (which stay with the
// TypeScript caller, on the pool), and the sorted write-back. They mirror merge() in
// src/linalg/lapack/stedc.ts and laed4.ts statement by statement; the TypeScript remains the
// JS backend's path. Moved here for the first call in a process, which ran these O(n^2)
// loops unoptimized (issue 20).
import { hypot } from './hypot';
import { PoolControl as C } from './generated/abi';
import { dcPool, dcRootChunk, runDcJob } from './pool';

@inline function ld(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function st(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline function li(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
@inline function si(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }
@inline function col(p: usize, j: i32, ld_: i32): usize { return p + (<usize>(j * ld_) << 3); }

/** Unit roundoff 2^-53 (machine.ts ROUNDOFF). */
const ROUNDOFF: f64 = 1.1102230246251565e-16;
const SQRT1_2: f64 = 0.7071067811865476;

const MAXIT = 200;

// Initial tau of the last root (laed4.ts lastGuess).
function lastGuess(c: f64, del: f64, zm: f64, zn: f64): f64 {
  const a = -c * del + zm + zn;
  const b = zn * del;
  const disc = Math.sqrt(a * a + 4 * b * c);
  return a < 0 ? (2 * b) / (disc - a) : (a + disc) / (2 * c);
}

/**
 * The i-th (0-based) eigenvalue of diag(d) + rho z z^T (LAPACK dlaed4; laed4.ts), with
 * delta_j = d_j - lambda written at delta; dorig: n doubles of scratch. NaN when the
 * safeguarded iteration does not converge.
 */
export function laed4(n: i32, i: i32, d: usize, z: usize, rho: f64, delta: usize, dorig: usize): f64 {
  const rhoinv = 1 / rho;
  const last = i == n - 1;
  let ii: i32;
  let lo: f64;
  let hi: f64;
  let tau: f64;
  if (last) {
    ii = n - 1;
    const midpt = rho / 2;
    const dn = ld(d, n - 1);
    let psi: f64 = 0;
    for (let j = 0; j < n - 2; j++) psi += (ld(z, j) * ld(z, j)) / (ld(d, j) - dn - midpt);
    const c = rhoinv + psi;
    const zm = ld(z, n - 2) * ld(z, n - 2);
    const zn = ld(z, n - 1) * ld(z, n - 1);
    const del = dn - ld(d, n - 2);
    const w = c + zm / (ld(d, n - 2) - dn - midpt) + zn / -midpt;
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
    const di = ld(d, i);
    const del = ld(d, i + 1) - di;
    const midpt = del / 2;
    let c = rhoinv;
    for (let j = 0; j < n; j++) {
      if (j == i || j == i + 1) continue;
      c += (ld(z, j) * ld(z, j)) / (ld(d, j) - di - midpt);
    }
    const zi = ld(z, i) * ld(z, i);
    const zp = ld(z, i + 1) * ld(z, i + 1);
    const w = c + zi / -midpt + zp / (del - midpt);
    if (w > 0) {
      ii = i;
      const a = c * del + zi + zp;
      const b = zi * del;
      const disc = Math.sqrt(Math.abs(a * a - 4 * b * c));
      tau = a > 0 ? (2 * b) / (a + disc) : (a - disc) / (2 * c);
      lo = 0;
      hi = midpt;
    } else {
      ii = i + 1;
      const a = c * del - zi - zp;
      const b = zp * del;
      const disc = Math.sqrt(Math.abs(a * a + 4 * b * c));
      tau = a < 0 ? (2 * b) / (a - disc) : -(a + disc) / (2 * c);
      lo = -midpt;
      hi = 0;
    }
  }
  if (!(tau >= lo && tau <= hi) || tau == 0) tau = (lo + hi) / 2;
  const dii = ld(d, ii);
  for (let j = 0; j < n; j++) st(dorig, j, ld(d, j) - dii);
  const left = last ? n - 2 : i;
  const right = left + 1;
  let middle = true;
  let prevW: f64 = Infinity;
  for (let iter = 0; iter < MAXIT; iter++) {
    let psi: f64 = 0;
    let dpsi: f64 = 0;
    let phi: f64 = 0;
    let dphi: f64 = 0;
    let absSum: f64 = 0;
    for (let j = 0; j <= left; j++) {
      const dl = ld(dorig, j) - tau;
      st(delta, j, dl);
      const t = ld(z, j) / dl;
      const v = ld(z, j) * t;
      psi += v;
      dpsi += t * t;
      absSum -= v;
    }
    for (let j = right; j < n; j++) {
      const dl = ld(dorig, j) - tau;
      st(delta, j, dl);
      const t = ld(z, j) / dl;
      const v = ld(z, j) * t;
      phi += v;
      dphi += t * t;
      absSum += Math.abs(v);
    }
    const w = rhoinv + psi + phi;
    const dw = dpsi + dphi;
    const erretm = 8 * absSum + 2 * rhoinv + Math.abs(tau) * dw;
    if (Math.abs(w) <= ROUNDOFF * erretm) return dii + tau;
    if (w <= 0) lo = Math.max(lo, tau);
    else hi = Math.min(hi, tau);
    if (hi - lo <= 4 * ROUNDOFF * Math.max(Math.abs(lo), Math.abs(hi))) return dii + tau;
    const dl = ld(delta, left);
    const dr = ld(delta, right);
    let c: f64;
    if (middle) {
      c = w - dl * dpsi - dr * dphi;
    } else if (ii == left) {
      const t = ld(z, ii) / dl;
      c = w - dr * dw - (ld(d, left) - ld(d, right)) * t * t;
    } else {
      const t = ld(z, ii) / dr;
      c = w - dl * dw - (ld(d, right) - ld(d, left)) * t * t;
    }
    const a = (dl + dr) * w - dl * dr * dw;
    const b = dl * dr * w;
    let eta: f64;
    if (last) {
      const cc = Math.abs(c);
      if (cc == 0) eta = hi - tau;
      else {
        const disc = Math.sqrt(Math.abs(a * a - 4 * b * cc));
        eta = a >= 0 ? (a + disc) / (2 * cc) : (2 * b) / (a - disc);
      }
    } else if (c == 0) {
      eta = a == 0 ? -w / dw : b / a;
    } else {
      const disc = Math.sqrt(Math.abs(a * a - 4 * b * c));
      eta = a <= 0 ? (a - disc) / (2 * c) : (2 * b) / (a + disc);
    }
    if (!(w * eta < 0)) eta = -w / dw;
    let next = tau + eta;
    const stalled = iter > 8 && Math.abs(w) > Math.abs(prevW) / 2;
    if (!(next > lo && next < hi) || stalled) next = (lo + hi) / 2;
    if (!last && Math.abs(w) > Math.abs(prevW) / 10 && w * prevW > 0) middle = !middle;
    prevW = w;
    tau = next;
  }
  return NaN;
}

/**
 * Everything of one merge before its two gemms (stedc.ts merge). The n x n block Q (ldq)
 * holds diag(Q1, Q2), d[0..n) their eigenvalues (each half ascending), beta the tearing
 * entry. vecs: 8 f64 arrays of ilen entries (z, dd, dlamda, w, lam, dorig, vals, spare);
 * ints: 8 i32 arrays of ilen entries (indx, coltyp, nd, defl, grp, order, spare, info).
 * gather (n x n): the gathered columns of Q (top n1-row block, then n2-row block), and the
 * n - K deflated columns of Q (n rows each) stashed at its columns K..n with leading
 * dimension n, where {@link laedFinish} takes them back after the gemms have overwritten Q's
 * first K columns (LAPACK dlaed2 keeps them in Q2 the same way). With Q's columns saved, the
 * K x K eigenvectors of the rank-one update are formed in Q's block (rows and columns
 * 0..K, leading dimension ldq) with their rows in group order, as the gemms read them
 * (LAPACK dlaed3 forms them in Q too). S: the pool's per-thread laed4 scratch (threads x
 * ilen doubles; the caller may then copy the gemms' row blocks into it).
 * Writes info[0] = c1 (top-only columns), info[1] = c1 + c2 (columns meeting the top half).
 * Returns K (the secular order), or -1 when the secular equation did not converge.
 */
export function laedMerge(
  n: i32, n1: i32, beta: f64, d: usize, Q: usize, ldq: i32,
  S: usize, gather: usize, vecs: usize, ints: usize, ilen: i32,
): i32 {
  const n2 = n - n1;
  const vb = <usize>ilen << 3;
  const ib = <usize>ilen << 2;
  const z = vecs, dd = vecs + vb, dlamda = vecs + 2 * vb, w = vecs + 3 * vb, lam = vecs + 4 * vb, dorig = vecs + 5 * vb;
  const indx = ints, coltyp = ints + ib, nd = ints + 2 * ib, defl = ints + 3 * ib, grp = ints + 4 * ib;
  const info = ints + 7 * ib;
  for (let j = 0; j < n1; j++) st(z, j, ld(Q, n1 - 1 + j * ldq) * SQRT1_2);
  const sg = beta < 0 ? -SQRT1_2 : SQRT1_2;
  for (let j = n1; j < n; j++) st(z, j, ld(Q, n1 + j * ldq) * sg);
  const rho = Math.abs(2 * beta);
  memory.copy(dd, d, <usize>n << 3);
  {
    let a = 0;
    let b = n1;
    for (let k = 0; k < n; k++) {
      if (b >= n || (a < n1 && ld(dd, a) <= ld(dd, b))) si(indx, k, a++);
      else si(indx, k, b++);
    }
  }
  let zmax: f64 = 0;
  let dmax: f64 = 0;
  for (let j = 0; j < n; j++) {
    zmax = Math.max(zmax, Math.abs(ld(z, j)));
    dmax = Math.max(dmax, Math.abs(ld(dd, j)));
  }
  const tol = 8 * ROUNDOFF * Math.max(dmax, zmax);
  let K = 0;
  let nDefl = 0;
  if (rho * zmax > tol) {
    for (let j = 0; j < n; j++) si(coltyp, j, j < n1 ? 1 : 3);
    let pj = -1;
    for (let k = 0; k < n; k++) {
      const nj = li(indx, k);
      if (rho * Math.abs(ld(z, nj)) <= tol) {
        si(coltyp, nj, 4);
        si(defl, nDefl++, nj);
        continue;
      }
      if (pj < 0) {
        pj = nj;
        continue;
      }
      let sn = ld(z, pj);
      let cs = ld(z, nj);
      const tau = hypot(cs, sn);
      const t = ld(dd, nj) - ld(dd, pj);
      cs /= tau;
      sn = -sn / tau;
      if (Math.abs(t * cs * sn) <= tol) {
        st(z, nj, tau);
        st(z, pj, 0);
        if (li(coltyp, nj) != li(coltyp, pj)) si(coltyp, nj, 2);
        si(coltyp, pj, 4);
        const a = col(Q, pj, ldq);
        const b = col(Q, nj, ldq);
        for (let r = 0; r < n; r++) {
          const x = ld(a, r);
          const y = ld(b, r);
          st(a, r, cs * x + sn * y);
          st(b, r, cs * y - sn * x);
        }
        const c2 = cs * cs;
        const s2 = sn * sn;
        const dp = ld(dd, pj) * c2 + ld(dd, nj) * s2;
        st(dd, nj, ld(dd, pj) * s2 + ld(dd, nj) * c2);
        st(dd, pj, dp);
        si(defl, nDefl++, pj);
      } else {
        si(nd, K++, pj);
      }
      pj = nj;
    }
    if (pj >= 0) si(nd, K++, pj);
  } else {
    for (let k = 0; k < n; k++) si(defl, nDefl++, li(indx, k));
  }
  si(info, 0, 0);
  si(info, 1, 0);
  if (K == 0) {
    stashDeflated(n, 0, Q, ldq, gather, defl);
    return 0;
  }

  for (let k = 0; k < K; k++) {
    st(dlamda, k, ld(dd, li(nd, k)));
    st(w, k, ld(z, li(nd, k)));
  }
  // Group the surviving columns: top-only (type 1), mixed (2), bottom-only (3).
  let c1 = 0;
  let c2 = 0;
  let g = 0;
  for (let type = 1; type <= 3; type++) {
    for (let k = 0; k < K; k++) {
      if (li(coltyp, li(nd, k)) == type) {
        si(grp, g++, k);
        if (type == 1) c1++;
        else if (type == 2) c2++;
      }
    }
  }
  const top = c1 + c2;
  // Gather the columns for the gemms and stash the deflated ones: Q's block is then free,
  // and the secular equation's vectors are formed in it (as LAPACK's dlaed3 forms them in
  // Q), so S only has to hold one group's rows at a time (mergeProducts in stedc.ts).
  for (let r = 0; r < top; r++) {
    memory.copy(col(gather, r, n1), col(Q, li(nd, li(grp, r)), ldq), <usize>n1 << 3);
  }
  const g2 = gather + (<usize>(top * n1) << 3);
  for (let r = c1; r < K; r++) {
    memory.copy(col(g2, r - c1, n2), col(Q, li(nd, li(grp, r)), ldq) + (<usize>n1 << 3), <usize>n2 << 3);
  }
  // The gathered blocks fill at most c1 n1 + c2 n + c3 n2 <= K n doubles: the stash after
  // them fits in n x n.
  stashDeflated(n, K, Q, ldq, gather, defl);
  if (K == 1) {
    st(lam, 0, ld(dlamda, 0) + rho * ld(w, 0) * ld(w, 0));
    st(Q, 0, 1);
  } else {
    // Column j of Q's block receives dlamda_i - lambda_j (i < K).
    const ctl = dcPool();
    if (ctl != 0 && K >= DC_PARALLEL_ROOTS) {
      // The roots are independent: shared out among the pool, each thread with its own
      // scratch in S (free until the gemms).
      const ch = dcRootChunk(K);
      C.setM(ctl, K);
      C.setMch(ctl, ch);
      C.setPa(ctl, dlamda);
      C.setPb(ctl, w);
      C.setPc(ctl, Q);
      C.setLda(ctl, ldq);
      C.setPd(ctl, lam);
      C.setWs(ctl, S);
      C.setWsStride(ctl, <i32>vb);
      C.setAlpha(ctl, rho);
      runDcJob(8, (K + ch - 1) / ch);
      for (let j = 0; j < K; j++) if (isNaN(ld(lam, j))) return -1;
    } else {
      for (let j = 0; j < K; j++) {
        const l = laed4(K, j, dlamda, w, rho, col(Q, j, ldq), dorig);
        if (isNaN(l)) return -1;
        st(lam, j, l);
      }
    }
    // Löwner: the z for which the computed lambdas are exact eigenvalues.
    for (let i = 0; i < K; i++) {
      let p = ld(Q, i + i * ldq);
      const di = ld(dlamda, i);
      for (let j = 0; j < K; j++) if (j != i) p *= ld(Q, i + j * ldq) / (di - ld(dlamda, j));
      st(z, i, ld(w, i) >= 0 ? Math.sqrt(-p) : -Math.sqrt(-p));
    }
    // Column j = z ./ (dlamda - lambda_j), normalised, its rows in group order (through the
    // spare vector).
    const tmp = vecs + 7 * vb;
    for (let j = 0; j < K; j++) {
      const c = col(Q, j, ldq);
      let ss: f64 = 0;
      for (let i = 0; i < K; i++) {
        const v = ld(z, i) / ld(c, i);
        st(tmp, i, v);
        ss += v * v;
      }
      const inv = 1 / Math.sqrt(ss);
      for (let r = 0; r < K; r++) st(c, r, ld(tmp, li(grp, r)) * inv);
    }
  }
  si(info, 0, c1);
  si(info, 1, top);
  return K;
}

/**
 * Smallest secular equation whose roots are shared out among the pool: each root costs
 * O(K) per iteration, so at K = 64 a task of 16 roots is already some 10 us.
 */
const DC_PARALLEL_ROOTS = 64;

/**
 * Task t of a pool job of kind 8: roots t mch .. (t + 1) mch of the secular equation of
 * order M (poles at PA, weights at PB, rho = ALPHA); root j into PD[j], its deltas into
 * column j of PC (M x M, leading dimension LDA); laed4's scratch is the slot's own n-vector at WS + slot WSSTRIDE.
 * A root that does not converge is stored as NaN, which the caller checks.
 */
export function laedRootsTask(ctl: usize, t: i32, slot: i32): void {
  const K = C.m(ctl);
  const ch = C.mch(ctl);
  const j1 = min(K, (t + 1) * ch);
  const dorig = C.ws(ctl) + <usize>slot * <usize>C.wsStride(ctl);
  const S = C.pc(ctl);
  const lds = C.lda(ctl);
  for (let j = t * ch; j < j1; j++) st(C.pd(ctl), j, laed4(K, j, C.pa(ctl), C.pb(ctl), C.alpha(ctl), col(S, j, lds), dorig));
}

// The n - K deflated columns of Q (indices defl[0..n-K)) copied to columns K..n of out (ld n).
function stashDeflated(n: i32, K: i32, Q: usize, ldq: i32, out: usize, defl: usize): void {
  for (let t = 0; t < n - K; t++) memory.copy(col(out, K + t, n), col(Q, li(defl, t), ldq), <usize>n << 3);
}

/**
 * The end of a merge (stedc.ts merge), after the gemms wrote the K new eigenvectors into
 * Q's first K columns: the deflated columns that {@link laedMerge} stashed at columns K..n
 * of `out` (its `gather`, n x n, ld n) are copied back to Q's columns K..n, then all n
 * eigenpairs are put in ascending order in d and Q (a stable insertion sort of the two
 * nearly sorted runs, as dlamrg; Q's columns permuted in place, cycle by cycle through the
 * spare vector). Same vecs / ints layout as {@link laedMerge}.
 */
export function laedFinish(n: i32, K: i32, d: usize, Q: usize, ldq: i32, out: usize, vecs: usize, ints: usize, ilen: i32): void {
  const vb = <usize>ilen << 3;
  const ib = <usize>ilen << 2;
  const dd = vecs + vb, lam = vecs + 4 * vb, vals = vecs + 6 * vb, tmp = vecs + 7 * vb;
  const defl = ints + 3 * ib, order = ints + 5 * ib, done = ints + 6 * ib;
  const nDefl = n - K;
  for (let t = 0; t < nDefl; t++) memory.copy(col(Q, K + t, ldq), col(out, K + t, n), <usize>n << 3);
  for (let j = 0; j < K; j++) st(vals, j, ld(lam, j));
  for (let t = 0; t < nDefl; t++) st(vals, K + t, ld(dd, li(defl, t)));
  for (let j = 0; j < n; j++) {
    const v = ld(vals, j);
    let q = j;
    while (q > 0 && ld(vals, li(order, q - 1)) > v) {
      si(order, q, li(order, q - 1));
      q--;
    }
    si(order, q, j);
  }
  for (let p = 0; p < n; p++) {
    st(d, p, ld(vals, li(order, p)));
    si(done, p, 0);
  }
  // Column p of the result is column order[p] of Q: follow each cycle of the permutation.
  const bytes = <usize>n << 3;
  for (let p = 0; p < n; p++) {
    if (li(done, p) != 0) continue;
    si(done, p, 1);
    let src = li(order, p);
    if (src == p) continue;
    memory.copy(tmp, col(Q, p, ldq), bytes);
    let q = p;
    while (src != p) {
      memory.copy(col(Q, q, ldq), col(Q, src, ldq), bytes);
      si(done, src, 1);
      q = src;
      src = li(order, q);
    }
    memory.copy(col(Q, q, ldq), tmp, bytes);
  }
}
