// Small dense decompositions, each in one call: Householder QR with its Q (LAPACK dgeqr2 +
// dorg2r), the SVD of a tall matrix (dgebd2 + dorgbr + dbdsqr with vectors) and the
// symmetric eigenproblem (dsytd2 + dorm2r + dsteqr with vectors, i.e. dsyev), and LU with
// partial pivoting (dgetrf with rank-4 updates). For
// n <= ~64 the blocked TypeScript drivers (src/linalg/) spend most of a call in per-column
// kernel calls, workspace bookkeeping and TypeScript loops that are not yet optimized,
// rather than in arithmetic (issue 20, item 5): here the whole factorization runs in WASM
// on data that stays in L1/L2, unblocked, as LAPACK itself does below its crossover
// points (ILAENV's NX). f64 only; callers compute float32 input in float64.
import { axpy, dot, nrm2, rot2, scal } from './level1';
import { steqrVectors } from './steqr';
import { vmadd } from './simd';
import { larfg, orm2trLower, sytd2Lower } from './sytd2';

/** LAPACK dlamch('E') (the unit roundoff) and dlamch('S'). */
const EPS: f64 = 1.1102230246251565e-16;
const SAFMIN: f64 = 2.2250738585072014e-308;
const SAFMIN_OVER_EPS: f64 = SAFMIN / EPS;
const SAFMAX: f64 = 1 / SAFMIN;
const RTMIN: f64 = 1.4916681462400413e-154; // sqrt(SAFMIN)
const RTMAX: f64 = 9.480751908109176e153; // sqrt(SAFMAX / 2)
/** dgesdd's safe range for max |a_ij|: sqrt(safmin) / eps and its inverse. */
const SMLNUM: f64 = 1.4916681462400413e-154 / 2.220446049250313e-16;
const BIGNUM: f64 = 1 / SMLNUM;

@inline function f64At(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline function f64Set(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

/** sum_i v_i x_i over m contiguous entries, with SIMD lanes (no call: the columns are short). */
@inline function dotShort(m: i32, v: usize, x: usize): f64 {
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const o = <usize>i << 3;
    acc = vmadd<f64>(v128.load(v + o), v128.load(x + o), acc);
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (i < m) s += load<f64>(v + (<usize>i << 3)) * load<f64>(x + (<usize>i << 3));
  return s;
}

/** x := x + f v over m contiguous entries. */
@inline function axpyShort(m: i32, f: f64, v: usize, x: usize): void {
  const vf = f64x2.splat(f);
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    const o = <usize>i << 3;
    v128.store(x + o, vmadd<f64>(v128.load(v + o), vf, v128.load(x + o)));
  }
  if (i < m) {
    const o = <usize>i << 3;
    store<f64>(x + o, load<f64>(x + o) + f * load<f64>(v + o));
  }
}

/**
 * C := (I - tau v v^T) C for the m x ncols C at c (leading dimension ldc), v contiguous
 * with v[0] = 1 stored (LAPACK dlarf, side 'L'). Two columns per pass share the loads of v
 * and give two independent dot-product chains; the loops are inline because the columns of
 * these small matrices are a few dozen entries, where a call per column costs as much as
 * its arithmetic.
 */
function larfLeft(m: i32, ncols: i32, v: usize, tau: f64, c: usize, ldc: i32): void {
  if (tau == 0) return;
  const cs = <usize>ldc << 3;
  let j = 0;
  for (; j + 2 <= ncols; j += 2) {
    const x = c + <usize>j * cs;
    const y = x + cs;
    let ax = f64x2.splat(0);
    let ay = f64x2.splat(0);
    let i = 0;
    for (; i + 2 <= m; i += 2) {
      const o = <usize>i << 3;
      const vv = v128.load(v + o);
      ax = vmadd<f64>(vv, v128.load(x + o), ax);
      ay = vmadd<f64>(vv, v128.load(y + o), ay);
    }
    let sx = f64x2.extract_lane(ax, 0) + f64x2.extract_lane(ax, 1);
    let sy = f64x2.extract_lane(ay, 0) + f64x2.extract_lane(ay, 1);
    if (i < m) {
      const o = <usize>i << 3;
      const vi = load<f64>(v + o);
      sx += vi * load<f64>(x + o);
      sy += vi * load<f64>(y + o);
    }
    const fx = -tau * sx;
    const fy = -tau * sy;
    const vx = f64x2.splat(fx);
    const vy = f64x2.splat(fy);
    i = 0;
    for (; i + 2 <= m; i += 2) {
      const o = <usize>i << 3;
      const vv = v128.load(v + o);
      v128.store(x + o, vmadd<f64>(vv, vx, v128.load(x + o)));
      v128.store(y + o, vmadd<f64>(vv, vy, v128.load(y + o)));
    }
    if (i < m) {
      const o = <usize>i << 3;
      const vi = load<f64>(v + o);
      store<f64>(x + o, load<f64>(x + o) + fx * vi);
      store<f64>(y + o, load<f64>(y + o) + fy * vi);
    }
  }
  if (j < ncols) {
    const x = c + <usize>j * cs;
    const sx = dotShort(m, v, x);
    if (sx != 0) axpyShort(m, -tau * sx, v, x);
  }
}

/**
 * Q (m x qcols, leading dimension ldq) from k reflectors stored below the diagonal of the
 * columns of a (lda) and tau (LAPACK dorg2r): Q = H_0 H_1 ... H_{k-1} applied to the first
 * qcols columns of the identity, last reflector first so that each touches only the
 * trailing block it changes. k <= qcols <= m. Clobbers a's diagonal entries 0..k-1 (set to
 * 1 while a reflector is applied; the caller copies R out first).
 */
function org2r(m: i32, qcols: i32, k: i32, a: usize, lda: i32, tau: usize, q: usize, ldq: i32): void {
  const acs = <usize>lda << 3;
  const qcs = <usize>ldq << 3;
  // Columns k..qcols-1 start as identity columns.
  for (let j = k; j < qcols; j++) {
    const col = q + <usize>j * qcs;
    memory.fill(col, 0, <usize>m << 3);
    f64Set(col, j, 1);
  }
  for (let i = k - 1; i >= 0; i--) {
    const v = a + <usize>i * acs + (<usize>i << 3);
    const t = f64At(tau, i);
    store<f64>(v, 1);
    // H_i on Q(i:m, i+1:qcols).
    if (i < qcols - 1) larfLeft(m - i, qcols - 1 - i, v, t, q + <usize>(i + 1) * qcs + (<usize>i << 3), ldq);
    // Column i of H_i itself: e_i - tau v, zero above row i.
    const col = q + <usize>i * qcs;
    memory.fill(col, 0, <usize>i << 3);
    f64Set(col, i, 1 - t);
    for (let r = i + 1; r < m; r++) f64Set(col, r, -t * load<f64>(v + (<usize>(r - i) << 3)));
  }
}

/**
 * Householder QR of the m x n matrix at a (LAPACK dgeqr2), then Q (dorg2r): on return the
 * upper triangle of a holds R (rows 0..min(m, n)-1), the reflectors' tails lie below it,
 * tau[0..k) holds their scalars (k = min(m, n)), and q (m x qcols, leading dimension ldq;
 * k <= qcols <= m) the first qcols columns of Q. diag: k doubles of scratch (R's diagonal
 * is kept there while dorg2r uses those positions for the reflectors' unit heads). Cost
 * 4 m n k - 2 (m + n) k^2 + 4/3 k^3 flops for both steps, level-2 SIMD.
 */
export function dgeqr_small(m: i32, n: i32, a: usize, lda: i32, tau: usize, q: usize, ldq: i32, qcols: i32, diag: usize): void {
  const k = min(m, n);
  const acs = <usize>lda << 3;
  for (let i = 0; i < k; i++) {
    const p = a + <usize>i * acs + (<usize>i << 3);
    const t = larfg(m - i, p);
    f64Set(tau, i, t);
    if (i < n - 1 && t != 0) {
      const beta = load<f64>(p);
      store<f64>(p, 1);
      larfLeft(m - i, n - 1 - i, p, t, p + acs, lda);
      store<f64>(p, beta);
    }
  }
  for (let i = 0; i < k; i++) f64Set(diag, i, load<f64>(a + <usize>i * acs + (<usize>i << 3)));
  if (qcols > 0) org2r(m, qcols, k, a, lda, tau, q, ldq);
  // Put R's diagonal back.
  for (let i = 0; i < k; i++) store<f64>(a + <usize>i * acs + (<usize>i << 3), f64At(diag, i));
}

// ---------------------------------------------------------------- bidiagonal SVD

// The last plane rotation from lartg: [c s; -s c] [f; g] = [r; 0].
let rotC: f64 = 1;
let rotS: f64 = 0;
let rotR: f64 = 0;

/**
 * Givens rotation (LAPACK 3.10 dlartg, Anderson's safe scaling) into rotC, rotS, rotR.
 * Mirrors lartg in src/linalg/lapack/givens.ts.
 */
function lartg(f: f64, g: f64): void {
  if (g == 0) {
    rotC = 1;
    rotS = 0;
    rotR = f;
  } else if (f == 0) {
    rotC = 0;
    rotS = g > 0 ? 1 : -1;
    rotR = Math.abs(g);
  } else {
    const f1 = Math.abs(f);
    const g1 = Math.abs(g);
    if (f1 > RTMIN && f1 < RTMAX && g1 > RTMIN && g1 < RTMAX) {
      const d = Math.sqrt(f * f + g * g);
      rotC = f1 / d;
      const r = f > 0 ? d : -d;
      rotS = g / r;
      rotR = r;
    } else {
      const u = Math.min(SAFMAX, Math.max(SAFMIN, Math.max(f1, g1)));
      const fs = f / u;
      const gs = g / u;
      const d = Math.sqrt(fs * fs + gs * gs);
      rotC = Math.abs(fs) / d;
      const r = f > 0 ? d : -d;
      rotS = gs / r;
      rotR = r * u;
    }
  }
}

/** |a| with the sign of b (Fortran SIGN; -0 counts as positive). */
@inline function sign(a: f64, b: f64): f64 {
  return b >= 0 ? Math.abs(a) : -Math.abs(a);
}

/** Smaller singular value of [f g; 0 h] (LAPACK dlas2); mirrors las2 in givens.ts. */
function las2(f: f64, g: f64, h: f64): f64 {
  const fa = Math.abs(f);
  const ga = Math.abs(g);
  const ha = Math.abs(h);
  const fhmn = Math.min(fa, ha);
  const fhmx = Math.max(fa, ha);
  if (fhmn == 0) return 0;
  if (ga < fhmx) {
    const as = 1 + fhmn / fhmx;
    const at = (fhmx - fhmn) / fhmx;
    const au = (ga / fhmx) * (ga / fhmx);
    const c = 2 / (Math.sqrt(as * as + au) + Math.sqrt(at * at + au));
    return fhmn * c;
  }
  const au = fhmx / ga;
  if (au == 0) return (fhmn * fhmx) / ga;
  const as = 1 + fhmn / fhmx;
  const at = (fhmx - fhmn) / fhmx;
  const c = 1 / (Math.sqrt(1 + as * au * (as * au)) + Math.sqrt(1 + at * au * (at * au)));
  const s = fhmn * c * au;
  return s + s;
}

// Output of lasv2.
let svMax: f64 = 0;
let svMin: f64 = 0;
let svCsr: f64 = 1;
let svSnr: f64 = 0;
let svCsl: f64 = 1;
let svSnl: f64 = 0;

/**
 * SVD of [f g; 0 h] (LAPACK dlasv2): [csl snl; -snl csl] [f g; 0 h] [csr -snr; snr csr] =
 * diag(ssmax, ssmin). Mirrors lasv2 in src/linalg/lapack/givens.ts.
 */
function lasv2(f: f64, g: f64, h: f64): void {
  let ft = f;
  let fa = Math.abs(ft);
  let ht = h;
  let ha = Math.abs(h);
  let pmax = 1;
  const swap = ha > fa;
  if (swap) {
    pmax = 3;
    let t = ft;
    ft = ht;
    ht = t;
    t = fa;
    fa = ha;
    ha = t;
  }
  const gt = g;
  const ga = Math.abs(gt);
  let clt: f64 = 1, crt: f64 = 1, slt: f64 = 0, srt: f64 = 0, ssmin: f64 = 0, ssmax: f64 = 0;
  if (ga == 0) {
    ssmin = ha;
    ssmax = fa;
  } else {
    let gasmal = true;
    if (ga > fa) {
      pmax = 2;
      if (fa / ga < EPS) {
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
      let l = dd == fa ? 1.0 : dd / fa;
      const m = gt / ft;
      let t = 2 - l;
      const mm = m * m;
      const tt = t * t;
      const s = Math.sqrt(tt + mm);
      const r = l == 0 ? Math.abs(m) : Math.sqrt(l * l + mm);
      const a = 0.5 * (s + r);
      ssmin = ha / a;
      ssmax = fa * a;
      if (mm == 0) {
        t = l == 0 ? sign(2, ft) * sign(1, gt) : gt / sign(dd, ft) + m / t;
      } else {
        t = (m / (s + t) + m / (r + l)) * (1 + a);
      }
      l = Math.sqrt(t * t + 4);
      crt = 2 / l;
      srt = t / l;
      clt = (crt + srt * m) / a;
      slt = ((ht / ft) * srt) / a;
    }
  }
  if (swap) {
    svCsl = srt;
    svSnl = crt;
    svCsr = slt;
    svSnr = clt;
  } else {
    svCsl = clt;
    svSnl = slt;
    svCsr = crt;
    svSnr = srt;
  }
  let tsign: f64;
  if (pmax == 1) tsign = sign(1, svCsr) * sign(1, svCsl) * sign(1, f);
  else if (pmax == 2) tsign = sign(1, svSnr) * sign(1, svCsl) * sign(1, g);
  else tsign = sign(1, svSnr) * sign(1, svSnl) * sign(1, h);
  svMax = sign(ssmax, tsign);
  svMin = sign(ssmin, tsign * sign(1, f) * sign(1, h));
}

/**
 * The rotation sequence P_1..P_k (forward: P_1 first, else P_k first) from the right to
 * columns c0..c0+k of the nrows-row column-major matrix at a: P_j rotates columns
 * (c0+j-1, c0+j) by (c[j-1], s[j-1]) (LAPACK dlasr SIDE='R', PIVOT='V'; rotateCols in
 * src/linalg/lapack/givens.ts).
 */
function rotateCols(forward: bool, k: i32, nrows: i32, c: usize, s: usize, a: usize, lda: i32): void {
  const cs = <usize>lda << 3;
  for (let t = 0; t < k; t++) {
    const j = forward ? t : k - 1 - t;
    const cj = f64At(c, j);
    const sj = f64At(s, j);
    if (cj == 1 && sj == 0) continue;
    const x = a + <usize>j * cs;
    rot2(nrows, x, x + cs, cj, sj);
  }
}

/**
 * Zero-shift QR sweep (Demmel & Kahan), both directions; see zeroShift in
 * src/linalg/lapack/bdsqr.ts, which this mirrors operation for operation.
 */
function zeroShift(down: bool, ll: i32, m: i32, d: usize, e: usize, cr: usize, sr: usize, cl: usize, sl: usize): void {
  const step = down ? 1 : -1;
  const eo = down ? 0 : -1;
  const first = down ? ll : m;
  const last = down ? m : ll;
  const sgn: f64 = down ? 1 : -1;
  const c1 = down ? cr : cl;
  const s1 = down ? sr : sl;
  const c2 = down ? cl : cr;
  const s2 = down ? sl : sr;
  let cs: f64 = 1;
  let oldcs: f64 = 1;
  let oldsn: f64 = 0;
  for (let i = first; i != last; i += step) {
    lartg(f64At(d, i) * cs, f64At(e, i + eo));
    cs = rotC;
    const sn = rotS;
    const r = rotR;
    if (i != first) f64Set(e, i - step + eo, oldsn * r);
    lartg(oldcs * r, f64At(d, i + step) * sn);
    oldcs = rotC;
    oldsn = rotS;
    f64Set(d, i, rotR);
    const k = i - ll + eo;
    f64Set(c1, k, cs);
    f64Set(s1, k, sgn * sn);
    f64Set(c2, k, oldcs);
    f64Set(s2, k, sgn * oldsn);
  }
  const h = f64At(d, last) * cs;
  f64Set(d, last, h * oldcs);
  f64Set(e, last - step + eo, h * oldsn);
}

/** Shifted implicit QR sweep (Golub-Kahan step), top to bottom (bdsqr.ts shiftedDown). */
function shiftedDown(ll: i32, m: i32, shift: f64, d: usize, e: usize, cr: usize, sr: usize, cl: usize, sl: usize): void {
  const dll = f64At(d, ll);
  let f = (Math.abs(dll) - shift) * ((dll >= 0 ? 1.0 : -1.0) + shift / dll);
  let g = f64At(e, ll);
  for (let i = ll; i < m; i++) {
    lartg(f, g);
    const cosr = rotC;
    const sinr = rotS;
    if (i > ll) f64Set(e, i - 1, rotR);
    f = cosr * f64At(d, i) + sinr * f64At(e, i);
    f64Set(e, i, cosr * f64At(e, i) - sinr * f64At(d, i));
    g = sinr * f64At(d, i + 1);
    f64Set(d, i + 1, cosr * f64At(d, i + 1));
    lartg(f, g);
    const cosl = rotC;
    const sinl = rotS;
    f64Set(d, i, rotR);
    f = cosl * f64At(e, i) + sinl * f64At(d, i + 1);
    f64Set(d, i + 1, cosl * f64At(d, i + 1) - sinl * f64At(e, i));
    if (i < m - 1) {
      g = sinl * f64At(e, i + 1);
      f64Set(e, i + 1, cosl * f64At(e, i + 1));
    }
    f64Set(cr, i - ll, cosr);
    f64Set(sr, i - ll, sinr);
    f64Set(cl, i - ll, cosl);
    f64Set(sl, i - ll, sinl);
  }
  f64Set(e, m - 1, f);
}

/** Shifted implicit QR sweep, bottom to top (bdsqr.ts shiftedUp). */
function shiftedUp(ll: i32, m: i32, shift: f64, d: usize, e: usize, cr: usize, sr: usize, cl: usize, sl: usize): void {
  const dm = f64At(d, m);
  let f = (Math.abs(dm) - shift) * ((dm >= 0 ? 1.0 : -1.0) + shift / dm);
  let g = f64At(e, m - 1);
  for (let i = m; i > ll; i--) {
    lartg(f, g);
    const cosr = rotC;
    const sinr = rotS;
    if (i < m) f64Set(e, i, rotR);
    f = cosr * f64At(d, i) + sinr * f64At(e, i - 1);
    f64Set(e, i - 1, cosr * f64At(e, i - 1) - sinr * f64At(d, i));
    g = sinr * f64At(d, i - 1);
    f64Set(d, i - 1, cosr * f64At(d, i - 1));
    lartg(f, g);
    const cosl = rotC;
    const sinl = rotS;
    f64Set(d, i, rotR);
    f = cosl * f64At(e, i - 1) + sinl * f64At(d, i - 1);
    f64Set(d, i - 1, cosl * f64At(d, i - 1) - sinl * f64At(e, i - 1));
    if (i > ll + 1) {
      g = sinl * f64At(e, i - 2);
      f64Set(e, i - 2, cosl * f64At(e, i - 2));
    }
    f64Set(cl, i - ll - 1, cosr);
    f64Set(sl, i - ll - 1, -sinr);
    f64Set(cr, i - ll - 1, cosl);
    f64Set(sr, i - ll - 1, -sinl);
  }
  f64Set(e, ll, f);
}

/**
 * B = Q S P^T for the n x n upper bidiagonal (d, e) by implicit QR with Demmel & Kahan's
 * zero shift (LAPACK dbdsqr, uplo 'U'), mirroring src/linalg/lapack/bdsqr.ts: U := U Q
 * (nru x n, columns rotated) and V := V P (nv x n: the right vectors are kept as the columns
 * of V, not the rows of VT, so that both sides rotate contiguous columns). d gets the
 * singular values, unsorted and possibly negative (see finish). rot: 4 n doubles.
 * Returns 0, or the number of off-diagonal entries left when the iteration cap is hit.
 */
function bdsqrCols(n: i32, d: usize, e: usize, u: usize, ldu: i32, nru: i32, v: usize, ldv: i32, nv: i32, rot: usize): i32 {
  if (n <= 1) return 0;
  const cr = rot;
  const sr = rot + (<usize>n << 3);
  const cl = sr + (<usize>n << 3);
  const sl = cl + (<usize>n << 3);
  const ucs = <usize>ldu << 3;
  const vcs = <usize>ldv << 3;
  const MAXITR = 6;
  const tol = Math.max(10, Math.min(100, Math.pow(EPS, -0.125))) * EPS;
  let sminoa = Math.abs(f64At(d, 0));
  if (sminoa != 0) {
    let mu = sminoa;
    for (let i = 1; i < n; i++) {
      mu = Math.abs(f64At(d, i)) * (mu / (mu + Math.abs(f64At(e, i - 1))));
      sminoa = Math.min(sminoa, mu);
      if (sminoa == 0) break;
    }
  }
  sminoa = sminoa / Math.sqrt(<f64>n);
  const thresh = Math.max(tol * sminoa, <f64>MAXITR * (<f64>n * (<f64>n * SAFMIN)));
  const maxit = MAXITR * n * n;
  let iter = 0;
  let oldll = -2;
  let oldm = -2;
  let idir = 0;
  let m = n - 1;
  while (m > 0) {
    if (iter > maxit) {
      let left = 0;
      for (let i = 0; i < n - 1; i++) if (f64At(e, i) != 0) left++;
      return max(left, 1);
    }
    // The active block ll..m.
    let bmax = Math.abs(f64At(d, m));
    let ll = -1;
    for (let i = m - 1; i >= 0; i--) {
      const abss = Math.abs(f64At(d, i));
      const abse = Math.abs(f64At(e, i));
      if (abse <= thresh || abse == 0) {
        ll = i;
        break;
      }
      bmax = Math.max(bmax, Math.max(abss, abse));
    }
    if (ll >= 0) {
      f64Set(e, ll, 0);
      if (ll == m - 1) {
        m--;
        continue;
      }
    }
    ll++;
    if (ll == m - 1) {
      // 2 x 2 block: directly.
      lasv2(f64At(d, m - 1), f64At(e, m - 1), f64At(d, m));
      f64Set(d, m - 1, svMax);
      f64Set(e, m - 1, 0);
      f64Set(d, m, svMin);
      if (nv > 0) rot2(nv, v + <usize>(m - 1) * vcs, v + <usize>m * vcs, svCsr, svSnr);
      if (nru > 0) rot2(nru, u + <usize>(m - 1) * ucs, u + <usize>m * ucs, svCsl, svSnl);
      m -= 2;
      continue;
    }
    if (ll > oldm || m < oldll) idir = Math.abs(f64At(d, ll)) >= Math.abs(f64At(d, m)) ? 1 : 2;
    let smin: f64;
    let deflated = false;
    if (idir == 1) {
      if (Math.abs(f64At(e, m - 1)) <= tol * Math.abs(f64At(d, m))) {
        f64Set(e, m - 1, 0);
        continue;
      }
      let mu = Math.abs(f64At(d, ll));
      smin = mu;
      for (let i = ll; i < m; i++) {
        if (Math.abs(f64At(e, i)) <= tol * mu) {
          f64Set(e, i, 0);
          deflated = true;
          break;
        }
        mu = Math.abs(f64At(d, i + 1)) * (mu / (mu + Math.abs(f64At(e, i))));
        smin = Math.min(smin, mu);
      }
    } else {
      if (Math.abs(f64At(e, ll)) <= tol * Math.abs(f64At(d, ll))) {
        f64Set(e, ll, 0);
        continue;
      }
      let mu = Math.abs(f64At(d, m));
      smin = mu;
      for (let i = m - 1; i >= ll; i--) {
        if (Math.abs(f64At(e, i)) <= tol * mu) {
          f64Set(e, i, 0);
          deflated = true;
          break;
        }
        mu = Math.abs(f64At(d, i)) * (mu / (mu + Math.abs(f64At(e, i))));
        smin = Math.min(smin, mu);
      }
    }
    if (deflated) continue;
    oldll = ll;
    oldm = m;
    let shift: f64;
    if (<f64>n * tol * (smin / bmax) <= Math.max(EPS, 0.01 * tol)) {
      shift = 0;
    } else {
      let sll: f64;
      if (idir == 1) {
        sll = Math.abs(f64At(d, ll));
        shift = las2(f64At(d, m - 1), f64At(e, m - 1), f64At(d, m));
      } else {
        sll = Math.abs(f64At(d, m));
        shift = las2(f64At(d, ll), f64At(e, ll), f64At(d, ll + 1));
      }
      if (sll > 0 && (shift / sll) * (shift / sll) < EPS) shift = 0;
    }
    iter += m - ll;
    const k = m - ll;
    if (shift == 0) zeroShift(idir == 1, ll, m, d, e, cr, sr, cl, sl);
    else if (idir == 1) shiftedDown(ll, m, shift, d, e, cr, sr, cl, sl);
    else shiftedUp(ll, m, shift, d, e, cr, sr, cl, sl);
    // Right rotations to the columns of V (rows of VT), left ones to the columns of U.
    const fwd = idir == 1;
    if (nv > 0) rotateCols(fwd, k, nv, cr, sr, v + <usize>ll * vcs, ldv);
    if (nru > 0) rotateCols(fwd, k, nru, cl, sl, u + <usize>ll * ucs, ldu);
    if (fwd) {
      if (Math.abs(f64At(e, m - 1)) <= thresh) f64Set(e, m - 1, 0);
    } else if (Math.abs(f64At(e, ll)) <= thresh) {
      f64Set(e, ll, 0);
    }
  }
  return 0;
}

/** Swap the contiguous columns x and y (nrows each). */
function swapCols(nrows: i32, x: usize, y: usize): void {
  for (let i = 0; i < nrows; i++) {
    const o = <usize>i << 3;
    const t = load<f64>(x + o);
    store<f64>(x + o, load<f64>(y + o));
    store<f64>(y + o, t);
  }
}

/** Bytes of scratch {@link dgesvd_small} needs for an m x n matrix (m >= n). */
export function dgesvd_small_work(m: i32, n: i32): i32 {
  // d, e, tauq, taup (4 n), rotations (4 n), row reflector + its product (n + m), P's
  // reflectors (n x n).
  return (8 * n + n + m + n * n + 8) << 3;
}

/**
 * Thin SVD of the m x n (m >= n >= 1) matrix at a (lda; overwritten): A = U diag(s) V^T with
 * U m x n (ldu) and V n x n (ldv; the right singular vectors as columns), s descending and
 * >= 0. Steps (LAPACK dgesvd's path for small matrices): scale max |a_ij| into
 * [SMLNUM, BIGNUM] by a power of two when outside (dgesdd); Householder bidiagonalization
 * A = Q B P^T (dgebd2, upper); U := Q(:, 0:n) and V := P formed from the reflectors
 * (dorgbr as dorg2r); B's SVD by implicit zero-shift QR (dbdsqr) rotating the columns of U
 * and V; signs made positive and values sorted descending. work: dgesvd_small_work bytes.
 * Returns 0, or the number of unconverged off-diagonal entries (never seen).
 */
export function dgesvd_small(m: i32, n: i32, a: usize, lda: i32, s: usize, u: usize, ldu: i32, v: usize, ldv: i32, work: usize): i32 {
  const acs = <usize>lda << 3;
  const ucs = <usize>ldu << 3;
  const vcs = <usize>ldv << 3;
  const nb = <usize>n << 3;
  const d = s;
  const e = work;
  const tauq = e + nb;
  const taup = tauq + nb;
  const rot = taup + nb;
  const row = rot + (nb << 2); // n doubles: a row reflector, contiguous
  const w = row + nb; // m doubles: A(i+1:, i+1:) times it
  const pref = w + (<usize>m << 3); // n x n: row reflector i in column i (ld n)

  // Scale into the safe range (exactly: by a power of two).
  let anrm: f64 = 0;
  for (let j = 0; j < n; j++) {
    const col = a + <usize>j * acs;
    for (let i = 0; i < m; i++) anrm = Math.max(anrm, Math.abs(load<f64>(col + (<usize>i << 3))));
  }
  let scale: f64 = 1;
  if (anrm > 0 && anrm < SMLNUM) scale = Math.pow(2, Math.floor(Math.log2(SMLNUM / anrm)));
  else if (anrm > BIGNUM) scale = Math.pow(2, Math.ceil(Math.log2(BIGNUM / anrm)));
  if (scale != 1) for (let j = 0; j < n; j++) scal<f64>(m, scale, a + <usize>j * acs, 1);

  // Bidiagonalization (dgebd2, m >= n: upper bidiagonal).
  for (let i = 0; i < n; i++) {
    // H_i annihilates A(i+1:m, i); applied to A(i:m, i+1:n).
    const p = a + <usize>i * acs + (<usize>i << 3);
    const tq = larfg(m - i, p);
    f64Set(tauq, i, tq);
    f64Set(d, i, load<f64>(p));
    if (i < n - 1) {
      store<f64>(p, 1);
      larfLeft(m - i, n - 1 - i, p, tq, p + acs, lda);
      // G_i annihilates A(i, i+2:n): the row, copied contiguous.
      const len = n - 1 - i;
      for (let j = 0; j < len; j++) f64Set(row, j, load<f64>(p + <usize>(j + 1) * acs));
      const tp = larfg(len, row);
      f64Set(taup, i, tp);
      f64Set(e, i, load<f64>(row));
      store<f64>(row, 1);
      // Keep the reflector (v[0] = 1 stored) for forming P.
      memory.copy(pref + <usize>i * nb, row, <usize>len << 3);
      // A(i+1:m, i+1:n) := A(i+1:m, i+1:n) (I - tp row row^T): w = A row, then rank one.
      const rows = m - 1 - i;
      if (tp != 0 && rows > 0) {
        const b0 = p + acs + 8; // A(i+1, i+1)
        memory.fill(w, 0, <usize>rows << 3);
        for (let j = 0; j < len; j++) {
          const rj = f64At(row, j);
          if (rj != 0) axpyShort(rows, rj, b0 + <usize>j * acs, w);
        }
        for (let j = 0; j < len; j++) {
          const rj = f64At(row, j);
          if (rj != 0) axpyShort(rows, -tp * rj, w, b0 + <usize>j * acs);
        }
      }
    } else {
      f64Set(taup, i, 0);
    }
  }

  // U = Q(:, 0:n) from the column reflectors (their unit heads are set by org2r).
  org2r(m, n, n, a, lda, tauq, u, ldu);
  // V = P = G_0 ... G_{n-2}: row 0 and column 0 are e_0; the trailing (n-1) x (n-1) block
  // is dorg2r of the reflectors stored in pref (reflector i in column i, rows i..).
  memory.fill(v, 0, nb);
  store<f64>(v, 1);
  for (let j = 1; j < n; j++) store<f64>(v + <usize>j * vcs, 0);
  if (n > 1) {
    // pref column i holds reflector i from row 0; org2r wants it from row i of an
    // (n-1)-row matrix: shift each column down by i (last row first).
    const nq = n - 1;
    for (let i = nq - 1; i >= 0; i--) {
      const col = pref + <usize>i * nb;
      const len = nq - i;
      memory.copy(col + (<usize>i << 3), col, <usize>len << 3);
    }
    org2r(nq, nq, nq, pref, n, taup, v + vcs + 8, ldv);
  }

  // SVD of the bidiagonal, rotating the columns of U and V.
  const info = bdsqrCols(n, d, e, u, ldu, m, v, ldv, n, rot);

  // Non-negative values (flip V's column), then sort descending (selection sort: at most
  // n - 1 swaps of vectors), then undo the scaling.
  for (let i = 0; i < n; i++) {
    const di = f64At(d, i);
    if (di == 0) f64Set(d, i, 0);
    else if (di < 0) {
      f64Set(d, i, -di);
      scal<f64>(n, -1, v + <usize>i * vcs, 1);
    }
  }
  for (let i = 0; i < n - 1; i++) {
    const last = n - 1 - i;
    let isub = 0;
    let smin = f64At(d, 0);
    for (let j = 1; j <= last; j++) {
      if (f64At(d, j) <= smin) {
        isub = j;
        smin = f64At(d, j);
      }
    }
    if (isub != last) {
      f64Set(d, isub, f64At(d, last));
      f64Set(d, last, smin);
      swapCols(n, v + <usize>isub * vcs, v + <usize>last * vcs);
      swapCols(m, u + <usize>isub * ucs, u + <usize>last * ucs);
    }
  }
  if (scale != 1) for (let i = 0; i < n; i++) f64Set(d, i, f64At(d, i) / scale);
  return info;
}

// ---------------------------------------------------------------- symmetric eigenproblem

/** eigh's safe range for max |a_ij| (LAPACK dsyevd): sqrt(safmin / eps) and its inverse. */
const RMIN: f64 = Math.sqrt(SAFMIN / EPS);
const RMAX: f64 = Math.sqrt(1 / (SAFMIN / EPS));

/** Bytes of scratch {@link dsyev_small} needs for order n. */
export function dsyev_small_work(n: i32): i32 {
  return (3 * n + 8) << 3;
}

/**
 * Eigenvalues w (ascending) and orthonormal eigenvectors Z (n x n, ldz) of the symmetric
 * n x n matrix at a (lda; overwritten), from its lower triangle, or its upper one when
 * `upper` (mirrored into the lower first). Steps (LAPACK dsyev): scale max |a_ij| into
 * [RMIN, RMAX] when outside (dsyevd's range); Householder tridiagonalization (dsytd2);
 * Z := Q (dorm2r on the identity); implicit QL/QR with Wilkinson shifts rotating Z's
 * columns (dsteqr); eigenvalues unscaled. work: dsyev_small_work bytes.
 * Returns 0; -1 (nothing computed) when the read triangle holds NaN or Inf; or the number
 * of unconverged off-diagonal entries (never seen).
 */
export function dsyev_small(n: i32, a: usize, lda: i32, upper: i32, w: usize, z: usize, ldz: i32, work: usize): i32 {
  const acs = <usize>lda << 3;
  const zcs = <usize>ldz << 3;
  if (upper != 0) {
    for (let j = 0; j < n; j++) for (let i = j + 1; i < n; i++) store<f64>(a + <usize>j * acs + (<usize>i << 3), load<f64>(a + <usize>i * acs + (<usize>j << 3)));
  }
  let anrm: f64 = 0;
  for (let j = 0; j < n; j++) {
    const col = a + <usize>j * acs;
    for (let i = j; i < n; i++) {
      const v = load<f64>(col + (<usize>i << 3));
      if (!isFinite(v)) return -1;
      anrm = Math.max(anrm, Math.abs(v));
    }
  }
  let sigma: f64 = 1;
  if (anrm > 0 && anrm < RMIN) sigma = RMIN / anrm;
  else if (anrm > RMAX) sigma = RMAX / anrm;
  if (sigma != 1) for (let j = 0; j < n; j++) scal<f64>(n - j, sigma, a + <usize>j * acs + (<usize>j << 3), 1);
  const nb = <usize>n << 3;
  const e = work;
  const tau = e + nb;
  const wk = tau + nb;
  sytd2Lower(n, a, lda, w, e, tau, wk);
  for (let j = 0; j < n; j++) {
    const col = z + <usize>j * zcs;
    memory.fill(col, 0, nb);
    f64Set(col, j, 1);
  }
  orm2trLower(n, n, a, lda, tau, z, ldz);
  const info = steqrVectors(n, w, e, z, ldz, n, true);
  if (sigma != 1) for (let i = 0; i < n; i++) f64Set(w, i, f64At(w, i) / sigma);
  return info;
}

// ---------------------------------------------------------------- LU

/**
 * LU with partial pivoting of the m x n matrix at a (lda): L (unit, below the diagonal) and
 * U overwrite a, piv[0..min(m, n)) (i32) gets the 0-based row interchanged with row i.
 * Right-looking with the trailing updates delayed over blocks of four columns (LAPACK
 * dgetrf with nb = 4 and an unblocked dgetf2 panel): the panel's four pivot columns are
 * factored (row interchanges applied to whole rows at once), the four rows of U to their
 * right come from a forward substitution with the unit lower 4 x 4 block, and the rest of
 * the matrix gets one rank-4 update, each trailing column loaded and stored once per four
 * eliminations instead of four times. For the small matrices it is used on, the matrix
 * stays in L1 and this beats the recursive panel's nested trsm and gemm calls. Returns 0,
 * or 1 + the index of the first exactly zero pivot (the factorization is still completed,
 * as LAPACK does).
 */
export function dgetrf_small(m: i32, n: i32, a: usize, lda: i32, piv: usize): i32 {
  const cs = <usize>lda << 3;
  const k = min(m, n);
  let info = 0;
  for (let j0 = 0; j0 < k; j0 += 4) {
    const jb = min(4, k - j0);
    const j1 = j0 + jb;
    // Panel: columns j0..j1-1, updates confined to the panel.
    for (let j = j0; j < j1; j++) {
      const cj = a + <usize>j * cs;
      let p = j;
      let best = Math.abs(f64At(cj, j));
      for (let i = j + 1; i < m; i++) {
        const v = Math.abs(f64At(cj, i));
        if (v > best) {
          best = v;
          p = i;
        }
      }
      store<i32>(piv + (<usize>j << 2), p);
      const pv = f64At(cj, p);
      if (pv != 0) {
        if (p != j) {
          for (let c = 0; c < n; c++) {
            const col = a + <usize>c * cs;
            const t = f64At(col, j);
            f64Set(col, j, f64At(col, p));
            f64Set(col, p, t);
          }
        }
        if (Math.abs(pv) >= SAFMIN) scal<f64>(m - j - 1, 1 / pv, cj + (<usize>(j + 1) << 3), 1);
        else for (let i = j + 1; i < m; i++) f64Set(cj, i, f64At(cj, i) / pv);
      } else if (info == 0) {
        info = j + 1;
      }
      const l = cj + (<usize>(j + 1) << 3);
      for (let c = j + 1; c < j1; c++) {
        const col = a + <usize>c * cs;
        const t = f64At(col, j);
        if (t != 0) axpyShort(m - j - 1, -t, l, col + (<usize>(j + 1) << 3));
      }
    }
    if (j1 >= n) continue;
    // U12: forward substitution with the unit lower jb x jb block, column by column.
    for (let c = j1; c < n; c++) {
      const col = a + <usize>c * cs;
      for (let q = 1; q < jb; q++) {
        let s = f64At(col, j0 + q);
        for (let p = 0; p < q; p++) s -= f64At(a + <usize>(j0 + p) * cs, j0 + q) * f64At(col, j0 + p);
        f64Set(col, j0 + q, s);
      }
    }
    // A22 -= L21 U12: one rank-jb pass per trailing column.
    const rows = m - j1;
    if (rows <= 0) continue;
    const l0 = a + <usize>j0 * cs + (<usize>j1 << 3);
    if (jb == 4) {
      const l1 = l0 + cs;
      const l2 = l1 + cs;
      const l3 = l2 + cs;
      let c = j1;
      // Two trailing columns per pass share the loads of L21's four columns (the update is
      // bound by loads, not multiply-adds); each element gets the same four multiply-adds
      // in the same order as in the one-column loop below.
      for (; c + 2 <= n; c += 2) {
        const col = a + <usize>c * cs;
        const cok = col + cs;
        const u0 = -f64At(col, j0);
        const u1 = -f64At(col, j0 + 1);
        const u2 = -f64At(col, j0 + 2);
        const u3 = -f64At(col, j0 + 3);
        const w0 = -f64At(cok, j0);
        const w1 = -f64At(cok, j0 + 1);
        const w2 = -f64At(cok, j0 + 2);
        const w3 = -f64At(cok, j0 + 3);
        const v0 = f64x2.splat(u0);
        const v1 = f64x2.splat(u1);
        const v2 = f64x2.splat(u2);
        const v3 = f64x2.splat(u3);
        const z0 = f64x2.splat(w0);
        const z1 = f64x2.splat(w1);
        const z2 = f64x2.splat(w2);
        const z3 = f64x2.splat(w3);
        const x = col + (<usize>j1 << 3);
        const y = cok + (<usize>j1 << 3);
        let i = 0;
        for (; i + 2 <= rows; i += 2) {
          const o = <usize>i << 3;
          const a0 = v128.load(l0 + o);
          const a1 = v128.load(l1 + o);
          const a2 = v128.load(l2 + o);
          const a3 = v128.load(l3 + o);
          let acc = v128.load(x + o);
          let acd = v128.load(y + o);
          acc = vmadd<f64>(a0, v0, acc);
          acd = vmadd<f64>(a0, z0, acd);
          acc = vmadd<f64>(a1, v1, acc);
          acd = vmadd<f64>(a1, z1, acd);
          acc = vmadd<f64>(a2, v2, acc);
          acd = vmadd<f64>(a2, z2, acd);
          acc = vmadd<f64>(a3, v3, acc);
          acd = vmadd<f64>(a3, z3, acd);
          v128.store(x + o, acc);
          v128.store(y + o, acd);
        }
        if (i < rows) {
          const o = <usize>i << 3;
          const b0 = load<f64>(l0 + o);
          const b1 = load<f64>(l1 + o);
          const b2 = load<f64>(l2 + o);
          const b3 = load<f64>(l3 + o);
          store<f64>(x + o, load<f64>(x + o) + u0 * b0 + u1 * b1 + u2 * b2 + u3 * b3);
          store<f64>(y + o, load<f64>(y + o) + w0 * b0 + w1 * b1 + w2 * b2 + w3 * b3);
        }
      }
      for (; c < n; c++) {
        const col = a + <usize>c * cs;
        const u0 = -f64At(col, j0);
        const u1 = -f64At(col, j0 + 1);
        const u2 = -f64At(col, j0 + 2);
        const u3 = -f64At(col, j0 + 3);
        const v0 = f64x2.splat(u0);
        const v1 = f64x2.splat(u1);
        const v2 = f64x2.splat(u2);
        const v3 = f64x2.splat(u3);
        const x = col + (<usize>j1 << 3);
        let i = 0;
        for (; i + 2 <= rows; i += 2) {
          const o = <usize>i << 3;
          let acc = v128.load(x + o);
          acc = vmadd<f64>(v128.load(l0 + o), v0, acc);
          acc = vmadd<f64>(v128.load(l1 + o), v1, acc);
          acc = vmadd<f64>(v128.load(l2 + o), v2, acc);
          acc = vmadd<f64>(v128.load(l3 + o), v3, acc);
          v128.store(x + o, acc);
        }
        if (i < rows) {
          const o = <usize>i << 3;
          store<f64>(x + o, load<f64>(x + o) + u0 * load<f64>(l0 + o) + u1 * load<f64>(l1 + o) + u2 * load<f64>(l2 + o) + u3 * load<f64>(l3 + o));
        }
      }
    } else {
      for (let c = j1; c < n; c++) {
        const col = a + <usize>c * cs;
        for (let p = 0; p < jb; p++) {
          const t = f64At(col, j0 + p);
          if (t != 0) axpyShort(rows, -t, l0 + <usize>p * cs, col + (<usize>j1 << 3));
        }
      }
    }
  }
  return info;
}
