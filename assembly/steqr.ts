// The symmetric tridiagonal QL/QR eigensolver with eigenvectors (LAPACK dsteqr), shared by
// the divide-and-conquer leaves (stedc.ts's caller) and the one-call small eigh (small.ts).
import { hypot2 } from './hypot';
import { rot2 } from './level1';

@inline function ld(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function st(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline function col(p: usize, j: i32, ld_: i32): usize { return p + (<usize>(j * ld_) << 3); }

/** Unit roundoff 2^-53 (machine.ts ROUNDOFF). */
const ROUNDOFF: f64 = 1.1102230246251565e-16;

const EPS2: f64 = ROUNDOFF * ROUNDOFF;
const SAFMIN: f64 = 2.2250738585072014e-308;
/** Blocks whose largest entry is outside [SSFMIN, SSFMAX] are scaled first (steqr.ts). */
const SSFMAX: f64 = 2.2346346549904327e+153; // sqrt(1 / SAFMIN) / 3
const SSFMIN: f64 = 1.210184973390412e-122; // sqrt(SAFMIN) / EPS2
const STEQR_MAXIT = 30;

// Results of laev2.
let eRt1: f64 = 0, eRt2: f64 = 0, eCs: f64 = 0, eSn: f64 = 0;

// Eigen-decomposition of [[a, b], [b, c]] (LAPACK dlaev2; steqr.ts laev2).
function laev2(a: f64, b: f64, c: f64): void {
  const sm = a + c;
  const df = a - c;
  const adf = Math.abs(df);
  const tb = b + b;
  const ab = Math.abs(tb);
  const acmx = Math.abs(a) > Math.abs(c) ? a : c;
  const acmn = Math.abs(a) > Math.abs(c) ? c : a;
  let rt: f64;
  if (adf > ab) {
    const r = ab / adf;
    rt = adf * Math.sqrt(1 + r * r);
  } else if (adf < ab) {
    const r = adf / ab;
    rt = ab * Math.sqrt(1 + r * r);
  } else rt = ab * Math.SQRT2;
  let rt1: f64, rt2: f64, sgn1: i32;
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
  let cs: f64, sgn2: i32;
  if (df >= 0) {
    cs = df + rt;
    sgn2 = 1;
  } else {
    cs = df - rt;
    sgn2 = -1;
  }
  let cs1: f64, sn1: f64;
  if (Math.abs(cs) > ab) {
    const ct = -tb / cs;
    sn1 = 1 / Math.sqrt(1 + ct * ct);
    cs1 = ct * sn1;
  } else if (ab == 0) {
    cs1 = 1;
    sn1 = 0;
  } else {
    const tn = -cs / tb;
    cs1 = 1 / Math.sqrt(1 + tn * tn);
    sn1 = tn * cs1;
  }
  if (sgn1 == sgn2) {
    const tn = cs1;
    cs1 = -sn1;
    sn1 = tn;
  }
  eRt1 = rt1;
  eRt2 = rt2;
  eCs = cs1;
  eSn = sn1;
}

// Columns j, j+1 of Z (nz rows) by the rotation of steqr.ts rotCols: scalar, as the
// TypeScript path computes it, or (fast) by rot2's SIMD loop, fused in the relaxed build.
@inline function rotCols(Z: usize, ldz: i32, nz: i32, j: i32, c: f64, s: f64, fast: bool): void {
  if (c == 1 && s == 0) return;
  const a = col(Z, j, ldz);
  const b = col(Z, j + 1, ldz);
  if (fast) {
    rot2(nz, a, b, c, s);
    return;
  }
  for (let r = 0; r < nz; r++) {
    const t = ld(b, r);
    const u = ld(a, r);
    st(b, r, c * t - s * u);
    st(a, r, s * t + c * u);
  }
}

function deflate2x2(d: usize, e: usize, i: i32, b: f64, Z: usize, ldz: i32, nz: i32, fast: bool): void {
  laev2(ld(d, i), b, ld(d, i + 1));
  rotCols(Z, ldz, nz, i, eCs, eSn, fast);
  st(d, i, eRt1);
  st(d, i + 1, eRt2);
  st(e, i, 0);
}

function maxAbs(d: usize, e: usize, l: i32, m: i32): f64 {
  let a: f64 = 0;
  for (let i = l; i <= m; i++) {
    const v = Math.abs(ld(d, i));
    if (v > a || isNaN(v)) a = v;
  }
  for (let i = l; i < m; i++) {
    const v = Math.abs(ld(e, i));
    if (v > a || isNaN(v)) a = v;
  }
  return a;
}

function scaleRange(x: usize, from: i32, to: i32, s: f64): void {
  for (let i = from; i <= to; i++) st(x, i, ld(x, i) * s);
}

// One implicit QL (ql) or QR sweep with Wilkinson's shift between l and m (steqr.ts sweep).
function sweep(ql: bool, l: i32, m: i32, d: usize, e: usize, Z: usize, ldz: i32, nz: i32, fast: bool): void {
  const step = ql ? -1 : 1;
  const near = ql ? 1 : 0;
  const far = 1 - near;
  const first = ql ? m - 1 : m;
  const last = ql ? l : l - 1;
  const zsign: f64 = ql ? -1 : 1;
  const dl = ld(d, l);
  const el = ld(e, last);
  const g0 = (ld(d, l - step) - dl) / (2 * el);
  const r0 = hypot2(g0, 1);
  let g = ld(d, m) - dl + el / (g0 + (g0 >= 0 ? Math.abs(r0) : -Math.abs(r0)));
  let s: f64 = 1;
  let c: f64 = 1;
  let p: f64 = 0;
  for (let i = first; i != last + step; i += step) {
    const f = s * ld(e, i);
    const b = c * ld(e, i);
    let r: f64;
    if (f == 0) {
      c = 1;
      s = 0;
      r = g;
    } else if (g == 0) {
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
    if (i != first) st(e, i - step, r);
    g = ld(d, i + near) - p;
    r = (ld(d, i + far) - g) * s + 2 * c * b;
    p = s * r;
    st(d, i + near, g + p);
    g = c * r - b;
    rotCols(Z, ldz, nz, i, c, zsign * s, fast);
  }
  st(d, l, ld(d, l) - p);
  st(e, last, g);
}

/**
 * Eigenvalues and eigenvectors of the n x n symmetric tridiagonal d, e by implicit QL/QR
 * (LAPACK dsteqr; src/linalg/lapack/steqr.ts, the same operations in the same order), the
 * rotations applied to the n columns of Z (nz rows, ldz); d sorted ascending with Z's
 * columns. Returns 0, or the number of off-diagonals left nonzero after 30 n sweeps.
 * `fast` rotates Z's columns with SIMD (dsyev_small); without it every operation is the
 * TypeScript path's (the divide-and-conquer leaves, tested bit for bit).
 */
export function steqrVectors(n: i32, d: usize, e: usize, Z: usize, ldz: i32, nz: i32, fast: bool = false): i32 {
  if (n <= 1) return 0;
  const nmaxit = n * STEQR_MAXIT;
  let jtot = 0;
  let l1 = 0;
  while (l1 < n) {
    if (l1 > 0) st(e, l1 - 1, 0);
    const lo = l1;
    // blockEnd
    let hi = l1;
    for (; hi < n - 1; hi++) {
      const tst = Math.abs(ld(e, hi));
      if (tst == 0) break;
      if (tst <= Math.sqrt(Math.abs(ld(d, hi))) * Math.sqrt(Math.abs(ld(d, hi + 1))) * ROUNDOFF) {
        st(e, hi, 0);
        break;
      }
    }
    l1 = hi + 1;
    if (hi == lo) continue;
    const anorm = maxAbs(d, e, lo, hi);
    if (anorm == 0) continue;
    const target = anorm > SSFMAX ? SSFMAX : anorm < SSFMIN ? SSFMIN : 0;
    let unscale: f64 = 1;
    if (target != 0) {
      scaleRange(d, lo, hi, target / anorm);
      scaleRange(e, lo, hi - 1, target / anorm);
      unscale = anorm / target;
    }
    const ql = !(Math.abs(ld(d, hi)) < Math.abs(ld(d, lo)));
    let l = ql ? lo : hi;
    const lend = ql ? hi : lo;
    if (lend > l) {
      while (l <= lend) {
        let m = l;
        for (; m < lend; m++) {
          const t = Math.abs(ld(e, m));
          if (t * t <= EPS2 * Math.abs(ld(d, m)) * Math.abs(ld(d, m + 1)) + SAFMIN) break;
        }
        if (m < lend) st(e, m, 0);
        if (m == l) {
          l++;
          continue;
        }
        if (m == l + 1) {
          deflate2x2(d, e, l, ld(e, l), Z, ldz, nz, fast);
          l += 2;
          continue;
        }
        if (jtot == nmaxit) break;
        jtot++;
        sweep(true, l, m, d, e, Z, ldz, nz, fast);
      }
    } else {
      while (l >= lend) {
        let m = l;
        for (; m > lend; m--) {
          const t = Math.abs(ld(e, m - 1));
          if (t * t <= EPS2 * Math.abs(ld(d, m)) * Math.abs(ld(d, m - 1)) + SAFMIN) break;
        }
        if (m > lend) st(e, m - 1, 0);
        if (m == l) {
          l--;
          continue;
        }
        if (m == l - 1) {
          deflate2x2(d, e, l - 1, ld(e, l - 1), Z, ldz, nz, fast);
          l -= 2;
          continue;
        }
        if (jtot == nmaxit) break;
        jtot++;
        sweep(false, l, m, d, e, Z, ldz, nz, fast);
      }
    }
    if (unscale != 1) {
      scaleRange(d, lo, hi, unscale);
      scaleRange(e, lo, hi - 1, unscale);
    }
    if (jtot >= nmaxit) {
      let bad = 0;
      for (let i = 0; i < n - 1; i++) if (ld(e, i) != 0) bad++;
      if (bad > 0) return bad;
    }
  }
  // Selection sort with column swaps (as LAPACK).
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = ld(d, i);
    for (let j = i + 1; j < n; j++) {
      if (ld(d, j) < p) {
        k = j;
        p = ld(d, j);
      }
    }
    if (k != i) {
      st(d, k, ld(d, i));
      st(d, i, p);
      const a = col(Z, i, ldz);
      const b = col(Z, k, ldz);
      for (let r = 0; r < nz; r++) {
        const t = ld(a, r);
        st(a, r, ld(b, r));
        st(b, r, t);
      }
    }
  }
  return 0;
}
