/**
 * Singular values and vectors of a bidiagonal matrix by implicit QR with Demmel & Kahan's
 * zero shift (LAPACK dbdsqr): "Accurate singular values of bidiagonal matrices",
 * SIAM J. Sci. Stat. Comput. 11 (1990), LAPACK Working Note 3.
 *
 * Every singular value, however small, is computed to high relative accuracy: the
 * convergence tests are relative to the running estimate of the smallest singular value,
 * the shift is dropped (zero-shift sweep) whenever it could spoil the small ones, and the
 * bulge is chased from the larger end of the active block towards the smaller one.
 */
import { ConvergenceError, NonFiniteInputError } from '../../errors.js';
import { las2, lartg, lasv2, rotateCols, rotateRows, type Rotation, type Svd2 } from './givens.js';
import { ROUNDOFF as EPS, SAFMIN as UNFL } from './machine.js';

/** LAPACK's MAXITR: the iteration cap is MAXITR * n^2 inner steps. */
const MAXITR = 6;

/**
 * SVD of the n x n bidiagonal B = Q S P^T (LAPACK dbdsqr): on return `d` holds the
 * singular values in descending order (>= 0) and `e` is destroyed (zero). Optionally
 * VT := P^T VT (VT n x ncvt: rotations act on its rows), U := U Q (U nru x n: on its
 * columns) and C := Q^T C (C n x ncc: on its rows). With identity inputs this gives B's
 * singular vectors: B = U diag(d) VT. Column-major arrays `(array, offset, ld)`; pass 0
 * for a count to skip that matrix (its array is then not touched).
 *
 * Cost: O(n^2) for the values, plus about 6 n^2 flops per row/column of U, VT and C
 * (the rotations), in plain TypeScript loops. The iteration is capped at 6 n^2 inner steps
 * (LAPACK's MAXITR), which is never reached in practice.
 *
 * @param uplo - 'U': e is the superdiagonal; 'L': the subdiagonal (first rotated to upper
 *   form from the left, which updates U and C).
 * @param n - order of B.
 * @param d - the n diagonal entries; the singular values on return.
 * @param e - the n - 1 off-diagonal entries (destroyed).
 * @throws NonFiniteInputError when d or e holds NaN or Inf (checked first, O(n)).
 * @throws ConvergenceError when the cap is hit (the message counts unconverged entries).
 */
export function bdsqr(
  uplo: 'U' | 'L', n: number, ncvt: number, nru: number, ncc: number,
  d: Float64Array, e: Float64Array, VT: Float64Array, offVT: number, ldVT: number,
  U: Float64Array, offU: number, ldU: number, C: Float64Array, offC: number, ldC: number,
): void {
  if (n <= 0) return;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(d[i]!) || (i < n - 1 && !Number.isFinite(e[i]!))) {
      throw new NonFiniteInputError(`bdsqr: the bidiagonal holds NaN or Inf at index ${i}`);
    }
  }
  if (n > 1) {
    qrIterate(uplo === 'L', n, ncvt, nru, ncc, d, e, VT, offVT, ldVT, U, offU, ldU, C, offC, ldC);
  }
  finish(n, ncvt, nru, ncc, d, VT, offVT, ldVT, U, offU, ldU, C, offC, ldC);
}

/** The main QR loop: deflate, pick direction and shift, sweep, until e is zero. */
function qrIterate(
  lower: boolean, n: number, ncvt: number, nru: number, ncc: number,
  d: Float64Array, e: Float64Array, VT: Float64Array, offVT: number, ldVT: number,
  U: Float64Array, offU: number, ldU: number, C: Float64Array, offC: number, ldC: number,
): void {
  const rot: Rotation = { c: 1, s: 0, r: 0 };
  const sv: Svd2 = { ssmax: 0, ssmin: 0, csr: 1, snr: 0, csl: 1, snl: 0 };
  // Rotation sequences of one sweep: right (cr, sr) and left (cl, sl) rotations.
  const cr = new Float64Array(n);
  const sr = new Float64Array(n);
  const cl = new Float64Array(n);
  const sl = new Float64Array(n);

  if (lower) {
    // Make B upper bidiagonal by rotations from the left: B := R B, so U := U R^T, C := R C.
    for (let i = 0; i < n - 1; i++) {
      lartg(d[i]!, e[i]!, rot);
      d[i] = rot.r;
      e[i] = rot.s * d[i + 1]!;
      d[i + 1] = rot.c * d[i + 1]!;
      cl[i] = rot.c;
      sl[i] = rot.s;
    }
    if (nru > 0) rotateCols(true, n - 1, nru, cl, sl, 0, U, offU, ldU);
    if (ncc > 0) rotateRows(true, n - 1, ncc, cl, sl, 0, C, offC, ldC);
  }

  // Relative accuracy tolerance: tol = tolmul * eps with tolmul in [10, 100] (eps^(-1/8)).
  const tol = Math.max(10, Math.min(100, EPS ** -0.125)) * EPS;

  // Lower bound on the smallest singular value (the mu recurrence of Demmel & Kahan,
  // Theorem 4): off-diagonals below tol times it are negligible in a relative sense.
  let sminoa = Math.abs(d[0]!);
  if (sminoa !== 0) {
    let mu = sminoa;
    for (let i = 1; i < n; i++) {
      mu = Math.abs(d[i]!) * (mu / (mu + Math.abs(e[i - 1]!)));
      sminoa = Math.min(sminoa, mu);
      if (sminoa === 0) break;
    }
  }
  sminoa = sminoa / Math.sqrt(n);
  const thresh = Math.max(tol * sminoa, MAXITR * (n * (n * UNFL)));

  const maxit = MAXITR * n * n;
  let iter = 0;
  let oldll = -2;
  let oldm = -2;
  let idir = 0;
  // m: index of the last entry of the unconverged part (0-based).
  let m = n - 1;

  outer: while (m > 0) {
    if (iter > maxit) {
      let left = 0;
      for (let i = 0; i < n - 1; i++) if (e[i] !== 0) left++;
      throw new ConvergenceError(`bdsqr: ${left} off-diagonal entries did not converge within ${maxit} QR steps (n = ${n})`);
    }

    // Find the active block ll..m: the largest trailing block with nonzero off-diagonals.
    let bmax = Math.abs(d[m]!);
    let ll = -1;
    for (let i = m - 1; i >= 0; i--) {
      const abss = Math.abs(d[i]!);
      const abse = Math.abs(e[i]!);
      if (abse <= thresh || abse === 0) {
        ll = i;
        break;
      }
      bmax = Math.max(bmax, abss, abse);
    }
    if (ll >= 0) {
      e[ll] = 0;
      if (ll === m - 1) {
        // Bottom singular value converged.
        m--;
        continue;
      }
    }
    ll++;

    if (ll === m - 1) {
      // 2 x 2 block: solve it directly.
      lasv2(d[m - 1]!, e[m - 1]!, d[m]!, sv);
      d[m - 1] = sv.ssmax;
      e[m - 1] = 0;
      d[m] = sv.ssmin;
      if (ncvt > 0) rot2Rows(ncvt, VT, offVT + m - 1, ldVT, sv.csr, sv.snr);
      if (nru > 0) rot2Cols(nru, U, offU + (m - 1) * ldU, ldU, sv.csl, sv.snl);
      if (ncc > 0) rot2Rows(ncc, C, offC + m - 1, ldC, sv.csl, sv.snl);
      m -= 2;
      continue;
    }

    // A new block: chase the bulge from the larger end to the smaller one.
    if (ll > oldm || m < oldll) idir = Math.abs(d[ll]!) >= Math.abs(d[m]!) ? 1 : 2;

    // Convergence tests, in the chase direction, relative to the running mu estimate.
    let smin: number;
    if (idir === 1) {
      if (Math.abs(e[m - 1]!) <= tol * Math.abs(d[m]!)) {
        e[m - 1] = 0;
        continue;
      }
      let mu = Math.abs(d[ll]!);
      smin = mu;
      for (let i = ll; i < m; i++) {
        if (Math.abs(e[i]!) <= tol * mu) {
          e[i] = 0;
          continue outer;
        }
        mu = Math.abs(d[i + 1]!) * (mu / (mu + Math.abs(e[i]!)));
        smin = Math.min(smin, mu);
      }
    } else {
      if (Math.abs(e[ll]!) <= tol * Math.abs(d[ll]!)) {
        e[ll] = 0;
        continue;
      }
      let mu = Math.abs(d[m]!);
      smin = mu;
      for (let i = m - 1; i >= ll; i--) {
        if (Math.abs(e[i]!) <= tol * mu) {
          e[i] = 0;
          continue outer;
        }
        mu = Math.abs(d[i]!) * (mu / (mu + Math.abs(e[i]!)));
        smin = Math.min(smin, mu);
      }
    }
    oldll = ll;
    oldm = m;

    // Shift: zero when a shifted sweep could destroy the relative accuracy of the small
    // singular values, else the smaller singular value of the trailing (leading) 2 x 2.
    let shift: number;
    if (n * tol * (smin / bmax) <= Math.max(EPS, 0.01 * tol)) {
      shift = 0;
    } else {
      let sll: number;
      if (idir === 1) {
        sll = Math.abs(d[ll]!);
        shift = las2(d[m - 1]!, e[m - 1]!, d[m]!);
      } else {
        sll = Math.abs(d[m]!);
        shift = las2(d[ll]!, e[ll]!, d[ll + 1]!);
      }
      if (sll > 0 && (shift / sll) * (shift / sll) < EPS) shift = 0;
    }

    iter += m - ll;
    const k = m - ll; // rotations per sweep
    if (shift === 0) {
      zeroShift(idir === 1, ll, m, d, e, cr, sr, cl, sl, rot);
    } else if (idir === 1) {
      shiftedDown(ll, m, shift, d, e, cr, sr, cl, sl, rot);
    } else {
      shiftedUp(ll, m, shift, d, e, cr, sr, cl, sl, rot);
    }
    // Apply the sweep's rotations: right ones to the rows of VT, left ones to the columns
    // of U and the rows of C. A top-down chase applies them first to last.
    const fwd = idir === 1;
    if (ncvt > 0) rotateRows(fwd, k, ncvt, cr, sr, 0, VT, offVT + ll, ldVT);
    if (nru > 0) rotateCols(fwd, k, nru, cl, sl, 0, U, offU + ll * ldU, ldU);
    if (ncc > 0) rotateRows(fwd, k, ncc, cl, sl, 0, C, offC + ll, ldC);
    if (fwd) {
      if (Math.abs(e[m - 1]!) <= thresh) e[m - 1] = 0;
    } else if (Math.abs(e[ll]!) <= thresh) {
      e[ll] = 0;
    }
  }
}

/**
 * Zero-shift QR sweep (Demmel & Kahan's implicit zero-shift QR; LAPACK dbdsqr's loops for
 * idir = 1 and 2): only products and rotations, no subtractions, so every entry keeps high
 * relative accuracy. `down` chases the bulge from the top ll to the bottom m, otherwise from
 * m up to ll. The two directions are mirror images: the sweep moves by `step` and e[i + eo]
 * couples d[i] to the next entry d[i + step]. Every operation is that of LAPACK's two
 * loops, in the same order.
 */
function zeroShift(
  down: boolean, ll: number, m: number, d: Float64Array, e: Float64Array,
  cr: Float64Array, sr: Float64Array, cl: Float64Array, sl: Float64Array, rot: Rotation,
): void {
  const step = down ? 1 : -1;
  const eo = down ? 0 : -1;
  const first = down ? ll : m;
  const last = down ? m : ll;
  // Rotation k acts on rows/columns (ll + k, ll + k + 1). Going up, the sign flip turns the
  // bottom-up rotation into the [c s; -s c] convention of rotateRows/rotateCols, and the
  // first rotation of each pair acts on U/C (left), the second on VT (right).
  const sign = down ? 1 : -1;
  const c1 = down ? cr : cl;
  const s1 = down ? sr : sl;
  const c2 = down ? cl : cr;
  const s2 = down ? sl : sr;
  let cs = 1;
  let oldcs = 1;
  let oldsn = 0;
  for (let i = first; i !== last; i += step) {
    lartg(d[i]! * cs, e[i + eo]!, rot);
    cs = rot.c;
    const sn = rot.s;
    const r = rot.r;
    if (i !== first) e[i - step + eo] = oldsn * r;
    lartg(oldcs * r, d[i + step]! * sn, rot);
    oldcs = rot.c;
    oldsn = rot.s;
    d[i] = rot.r;
    const k = i - ll + eo;
    c1[k] = cs;
    s1[k] = sign * sn;
    c2[k] = oldcs;
    s2[k] = sign * oldsn;
  }
  const h = d[last]! * cs;
  d[last] = h * oldcs;
  e[last - step + eo] = h * oldsn;
}

/** Shifted implicit QR sweep (Golub-Kahan step), top to bottom. */
function shiftedDown(
  ll: number, m: number, shift: number, d: Float64Array, e: Float64Array,
  cr: Float64Array, sr: Float64Array, cl: Float64Array, sl: Float64Array, rot: Rotation,
): void {
  const dll = d[ll]!;
  let f = (Math.abs(dll) - shift) * ((dll >= 0 ? 1 : -1) + shift / dll);
  let g = e[ll]!;
  for (let i = ll; i < m; i++) {
    lartg(f, g, rot);
    const cosr = rot.c;
    const sinr = rot.s;
    if (i > ll) e[i - 1] = rot.r;
    f = cosr * d[i]! + sinr * e[i]!;
    e[i] = cosr * e[i]! - sinr * d[i]!;
    g = sinr * d[i + 1]!;
    d[i + 1] = cosr * d[i + 1]!;
    lartg(f, g, rot);
    const cosl = rot.c;
    const sinl = rot.s;
    d[i] = rot.r;
    f = cosl * e[i]! + sinl * d[i + 1]!;
    d[i + 1] = cosl * d[i + 1]! - sinl * e[i]!;
    if (i < m - 1) {
      g = sinl * e[i + 1]!;
      e[i + 1] = cosl * e[i + 1]!;
    }
    cr[i - ll] = cosr;
    sr[i - ll] = sinr;
    cl[i - ll] = cosl;
    sl[i - ll] = sinl;
  }
  e[m - 1] = f;
}

/** Shifted implicit QR sweep, bottom to top. */
function shiftedUp(
  ll: number, m: number, shift: number, d: Float64Array, e: Float64Array,
  cr: Float64Array, sr: Float64Array, cl: Float64Array, sl: Float64Array, rot: Rotation,
): void {
  const dm = d[m]!;
  let f = (Math.abs(dm) - shift) * ((dm >= 0 ? 1 : -1) + shift / dm);
  let g = e[m - 1]!;
  for (let i = m; i > ll; i--) {
    lartg(f, g, rot);
    const cosr = rot.c;
    const sinr = rot.s;
    if (i < m) e[i] = rot.r;
    f = cosr * d[i]! + sinr * e[i - 1]!;
    e[i - 1] = cosr * e[i - 1]! - sinr * d[i]!;
    g = sinr * d[i - 1]!;
    d[i - 1] = cosr * d[i - 1]!;
    lartg(f, g, rot);
    const cosl = rot.c;
    const sinl = rot.s;
    d[i] = rot.r;
    f = cosl * e[i - 1]! + sinl * d[i - 1]!;
    d[i - 1] = cosl * d[i - 1]! - sinl * e[i - 1]!;
    if (i > ll + 1) {
      g = sinl * e[i - 2]!;
      e[i - 2] = cosl * e[i - 2]!;
    }
    // Bottom-up: the left rotations act on U/C, the right ones on VT (see zeroShift).
    cl[i - ll - 1] = cosr;
    sl[i - ll - 1] = -sinr;
    cr[i - ll - 1] = cosl;
    sr[i - ll - 1] = -sinl;
  }
  e[ll] = f;
}

/** Rotate rows r and r+1 (r = offset of row r's first element) of an n-column matrix. */
function rot2Rows(ncols: number, A: Float64Array, off: number, ld: number, c: number, s: number): void {
  for (let j = 0; j < ncols; j++) {
    const p = off + j * ld;
    const x = A[p]!;
    const y = A[p + 1]!;
    A[p] = c * x + s * y;
    A[p + 1] = c * y - s * x;
  }
}

/** Rotate the adjacent columns starting at `off` (nrows rows each). */
function rot2Cols(nrows: number, A: Float64Array, off: number, ld: number, c: number, s: number): void {
  for (let i = 0; i < nrows; i++) {
    const x = A[off + i]!;
    const y = A[off + ld + i]!;
    A[off + i] = c * x + s * y;
    A[off + ld + i] = c * y - s * x;
  }
}

/** Make the singular values non-negative (flipping rows of VT) and sort them descending. */
function finish(
  n: number, ncvt: number, nru: number, ncc: number, d: Float64Array,
  VT: Float64Array, offVT: number, ldVT: number, U: Float64Array, offU: number, ldU: number,
  C: Float64Array, offC: number, ldC: number,
): void {
  for (let i = 0; i < n; i++) {
    const di = d[i]!;
    if (di === 0) d[i] = 0; // no -0
    else if (di < 0) {
      d[i] = -di;
      if (ncvt > 0) for (let j = 0; j < ncvt; j++) VT[offVT + i + j * ldVT] = -VT[offVT + i + j * ldVT]!;
    }
  }
  // Selection sort: at most n - 1 swaps of singular vectors.
  for (let i = 0; i < n - 1; i++) {
    const last = n - 1 - i;
    let isub = 0;
    let smin = d[0]!;
    for (let j = 1; j <= last; j++) {
      if (d[j]! <= smin) {
        isub = j;
        smin = d[j]!;
      }
    }
    if (isub !== last) {
      d[isub] = d[last]!;
      d[last] = smin;
      if (ncvt > 0) swapRows(ncvt, VT, offVT, ldVT, isub, last);
      if (nru > 0) {
        const a = offU + isub * ldU;
        const b = offU + last * ldU;
        for (let r = 0; r < nru; r++) {
          const t = U[a + r]!;
          U[a + r] = U[b + r]!;
          U[b + r] = t;
        }
      }
      if (ncc > 0) swapRows(ncc, C, offC, ldC, isub, last);
    }
  }
}

function swapRows(ncols: number, A: Float64Array, off: number, ld: number, i: number, j: number): void {
  for (let c = 0; c < ncols; c++) {
    const p = off + c * ld;
    const t = A[p + i]!;
    A[p + i] = A[p + j]!;
    A[p + j] = t;
  }
}
