/**
 * Eigenvalues and real Schur form of an upper Hessenberg matrix by the Francis double-shift
 * implicit QR algorithm (LAPACK dhseqr driving dlahqr, with dlanv2 for the 2 x 2 blocks).
 *
 * Each iteration chases a 3 x 3 bulge down the active block with 3-element Householder
 * reflectors; a subdiagonal entry is declared negligible by the conservative test of Ahues
 * & Tisseur (LAPACK Working Note 122, 1997); exceptional shifts after every 10 iterations
 * without deflation break the rare cycles of the standard shift. When converged, every
 * 2 x 2 diagonal block with complex eigenvalues is in the standard form [a b; c a], b c < 0,
 * so the eigenvalues a +- i sqrt(-b c) come out as consecutive conjugate pairs with the
 * positive imaginary part first.
 */
import { ConvergenceError } from '../../errors.js';
import type { FloatArray } from '../../matrix/dtype.js';
import { PRECISION as EPS, SAFMIN } from './machine.js';

/** Output of {@link lanv2}: the standardized block, its eigenvalues and the rotation. */
export interface Lanv2 {
  a: number;
  b: number;
  c: number;
  d: number;
  rt1r: number;
  rt1i: number;
  rt2r: number;
  rt2i: number;
  cs: number;
  sn: number;
}

/**
 * Householder reflector for the 2 or 3 entries of x (LAPACK dlarfg, for the bulge chases of
 * lahqr and laqr5, with its rescaling of tiny vectors): returns tau; x[0] becomes beta,
 * x[1..] the reflector's tail.
 */
export function smallHouse(len: 2 | 3, x: Float64Array): number {
  let v1 = x[1]!;
  let v2 = len === 3 ? x[2]! : 0;
  const xnorm = len === 3 ? Math.hypot(v1, v2) : Math.abs(v1);
  if (xnorm === 0) return 0;
  let alpha = x[0]!;
  let beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
  const safmin = SAFMIN / EPS;
  let knt = 0;
  if (Math.abs(beta) < safmin) {
    const rsafmn = 1 / safmin;
    do {
      knt++;
      v1 *= rsafmn;
      v2 *= rsafmn;
      beta *= rsafmn;
      alpha *= rsafmn;
    } while (Math.abs(beta) < safmin && knt < 20);
    beta = -(alpha >= 0 ? 1 : -1) * (len === 3 ? Math.hypot(alpha, v1, v2) : Math.hypot(alpha, v1));
  }
  const tau = (beta - alpha) / beta;
  const sc = 1 / (alpha - beta);
  x[1] = v1 * sc;
  if (len === 3) x[2] = v2 * sc;
  for (let q = 0; q < knt; q++) beta *= safmin;
  x[0] = beta;
  return tau;
}

/** lahqr's scratch for smallHouse (one bulge's reflector at a time). */
const HOUSE = new Float64Array(3);

function sign(x: number, y: number): number {
  return y >= 0 ? Math.abs(x) : -Math.abs(x);
}

/**
 * Schur factorization of a real 2 x 2 matrix in standard form (LAPACK dlanv2):
 * [a b; c d] = [cs -sn; sn cs] [aa bb; cc dd] [cs sn; -sn cs] where either cc = 0
 * (real eigenvalues aa, dd) or aa = dd and bb cc < 0 (eigenvalues aa +- i sqrt(-bb cc)).
 * Follows Bai & Demmel's careful formulation that postpones the real/complex decision
 * while the discriminant is of the order of the rounding error.
 */
export function lanv2(a: number, b: number, c: number, d: number, out: Lanv2): Lanv2 {
  const multpl = 4;
  let cs = 1;
  let sn = 0;
  if (c === 0) {
    // already upper triangular
  } else if (b === 0) {
    // Swap rows and columns.
    cs = 0;
    sn = 1;
    const t = d;
    d = a;
    a = t;
    b = -c;
    c = 0;
  } else if (a - d === 0 && sign(1, b) !== sign(1, c)) {
    // already standard
  } else {
    let temp = a - d;
    let p = 0.5 * temp;
    const bcmax = Math.max(Math.abs(b), Math.abs(c));
    const bcmis = Math.min(Math.abs(b), Math.abs(c)) * sign(1, b) * sign(1, c);
    const scale = Math.max(Math.abs(p), bcmax);
    let z = (p / scale) * p + (bcmax / scale) * bcmis;
    if (z >= multpl * EPS) {
      // Real eigenvalues: compute a and d.
      z = p + sign(Math.sqrt(scale) * Math.sqrt(z), p);
      a = d + z;
      d = d - (bcmax / z) * bcmis;
      const tau = Math.hypot(c, z);
      cs = z / tau;
      sn = c / tau;
      b = b - c;
      c = 0;
    } else {
      // Complex or (almost) equal real eigenvalues: make the diagonal entries equal.
      const sigma = b + c;
      const tau = Math.hypot(sigma, temp);
      cs = Math.sqrt(0.5 * (1 + Math.abs(sigma) / tau));
      sn = -(p / (tau * cs)) * sign(1, sigma);
      // [aa bb; cc dd] = [a b; c d] [cs -sn; sn cs]
      const aa = a * cs + b * sn;
      const bb = -a * sn + b * cs;
      const cc = c * cs + d * sn;
      const dd = -c * sn + d * cs;
      // [a b; c d] = [cs sn; -sn cs] [aa bb; cc dd]
      a = aa * cs + cc * sn;
      b = bb * cs + dd * sn;
      c = -aa * sn + cc * cs;
      d = -bb * sn + dd * cs;
      temp = 0.5 * (a + d);
      a = temp;
      d = temp;
      if (c !== 0) {
        if (b !== 0) {
          if (sign(1, b) === sign(1, c)) {
            // Real eigenvalues after all: reduce to upper triangular form.
            const sab = Math.sqrt(Math.abs(b));
            const sac = Math.sqrt(Math.abs(c));
            p = sign(sab * sac, c);
            const tau2 = 1 / Math.sqrt(Math.abs(b + c));
            a = temp + p;
            d = temp - p;
            b = b - c;
            c = 0;
            const cs1 = sab * tau2;
            const sn1 = sac * tau2;
            const t = cs * cs1 - sn * sn1;
            sn = cs * sn1 + sn * cs1;
            cs = t;
          }
        } else {
          b = -c;
          c = 0;
          const t = cs;
          cs = -sn;
          sn = t;
        }
      }
    }
  }
  // Eigenvalues: a and d when c = 0, else the conjugate pair a +- i sqrt(|b| |c|) (a = d).
  const im = c === 0 ? 0 : Math.sqrt(Math.abs(b)) * Math.sqrt(Math.abs(c));
  return Object.assign(out, { a, b, c, d, rt1r: a, rt1i: im, rt2r: d, rt2i: c === 0 ? 0 : -im, cs, sn });
}

/**
 * Double-shift/single-shift QR on the active block ilo..ihi (0-based, inclusive) of the
 * n x n upper Hessenberg H (LAPACK dlahqr). `wantt`: compute the full Schur form T in H
 * (otherwise only the active block is transformed and H's contents are unspecified);
 * `wantz`: apply the transformations to rows iloz..ihiz of Z. Eigenvalues ilo..ihi go to
 * wr/wi. Entries of H below the first subdiagonal must be zero.
 *
 * Cost: about 10 n^3 flops for eigenvalues only, 25 n^3 with T and Z (Golub & Van Loan,
 * section 7.5.6), in plain loops.
 * @returns 0 on success, else 1 + the index of the eigenvalue that failed to converge
 *   within 30 max(10, nh) iterations (LAPACK's itmax, counted per deflation).
 */
export function lahqr(
  wantt: boolean, wantz: boolean, n: number, ilo: number, ihi: number, H: FloatArray, offH: number, ldh: number,
  wr: Float64Array, wi: Float64Array, iloz: number, ihiz: number, Z: FloatArray, offZ: number, ldz: number,
): number {
  if (n === 0) return 0;
  const h = (r: number, c: number): number => H[offH + r + c * ldh]!;
  if (ilo === ihi) {
    wr[ilo] = h(ilo, ilo);
    wi[ilo] = 0;
    return 0;
  }
  // The bulge chase uses the two diagonals below the subdiagonal: they must start at zero.
  for (let j = ilo; j <= ihi - 3; j++) {
    H[offH + j + 2 + j * ldh] = 0;
    H[offH + j + 3 + j * ldh] = 0;
  }
  if (ilo <= ihi - 2) H[offH + ihi + (ihi - 2) * ldh] = 0;

  const nh = ihi - ilo + 1;
  const ulp = EPS;
  const smlnum = SAFMIN * (nh / ulp);
  let i1 = 0;
  let i2 = n - 1;
  const itmax = 30 * Math.max(10, nh);
  const dat1 = 0.75;
  const dat2 = -0.4375;
  const kexsh = 10;
  let kdefl = 0; // iterations since the last deflation
  const lv = { a: 0, b: 0, c: 0, d: 0, rt1r: 0, rt1i: 0, rt2r: 0, rt2i: 0, cs: 0, sn: 0 };

  let i = ihi;
  while (i >= ilo) {
    let l = ilo;
    let converged = false;
    for (let its = 0; its <= itmax; its++) {
      // Look for a single small subdiagonal entry (Ahues & Tisseur's criterion).
      let k = i;
      for (; k > l; k--) {
        const hkk1 = Math.abs(h(k, k - 1));
        if (hkk1 <= smlnum) break;
        let tst = Math.abs(h(k - 1, k - 1)) + Math.abs(h(k, k));
        if (tst === 0) {
          if (k - 2 >= ilo) tst += Math.abs(h(k - 1, k - 2));
          if (k + 1 <= ihi) tst += Math.abs(h(k + 1, k));
        }
        if (hkk1 <= ulp * tst) {
          const hk1k = Math.abs(h(k - 1, k));
          const ab = Math.max(hkk1, hk1k);
          const ba = Math.min(hkk1, hk1k);
          const hkk = Math.abs(h(k, k));
          const dif = Math.abs(h(k - 1, k - 1) - h(k, k));
          const aa = Math.max(hkk, dif);
          const bb = Math.min(hkk, dif);
          const s = aa + ab;
          if (ba * (ab / s) <= Math.max(smlnum, ulp * (bb * (aa / s)))) break;
        }
      }
      l = k;
      if (l > ilo) H[offH + l + (l - 1) * ldh] = 0; // H(l, l-1) is negligible
      if (l >= i - 1) {
        converged = true;
        break;
      }
      kdefl++;
      // Without the Schur form only the active block needs transforming.
      if (!wantt) {
        i1 = l;
        i2 = i;
      }

      let h11: number;
      let h12: number;
      let h21: number;
      let h22: number;
      if (kdefl % (2 * kexsh) === 0) {
        // Exceptional shift from the bottom of the block.
        const s = Math.abs(h(i, i - 1)) + Math.abs(h(i - 1, i - 2));
        h11 = dat1 * s + h(i, i);
        h12 = dat2 * s;
        h21 = s;
        h22 = h11;
      } else if (kdefl % kexsh === 0) {
        // Exceptional shift from the top of the block.
        const s = Math.abs(h(l + 1, l)) + Math.abs(h(l + 2, l + 1));
        h11 = dat1 * s + h(l, l);
        h12 = dat2 * s;
        h21 = s;
        h22 = h11;
      } else {
        // Francis' double shift: eigenvalues of the trailing 2 x 2 block.
        h11 = h(i - 1, i - 1);
        h21 = h(i, i - 1);
        h12 = h(i - 1, i);
        h22 = h(i, i);
      }
      let rt1r = 0;
      let rt1i = 0;
      let rt2r = 0;
      let rt2i = 0;
      const s0 = Math.abs(h11) + Math.abs(h12) + Math.abs(h21) + Math.abs(h22);
      if (s0 !== 0) {
        h11 /= s0;
        h21 /= s0;
        h12 /= s0;
        h22 /= s0;
        const tr = (h11 + h22) / 2;
        const det = (h11 - tr) * (h22 - tr) - h12 * h21;
        const rtdisc = Math.sqrt(Math.abs(det));
        if (det >= 0) {
          // complex conjugate shifts
          rt1r = tr * s0;
          rt2r = rt1r;
          rt1i = rtdisc * s0;
          rt2i = -rt1i;
        } else {
          // real shifts: use the one closer to h22 twice
          rt1r = tr + rtdisc;
          rt2r = tr - rtdisc;
          if (Math.abs(rt1r - h22) <= Math.abs(rt2r - h22)) {
            rt1r *= s0;
            rt2r = rt1r;
          } else {
            rt2r *= s0;
            rt1r = rt2r;
          }
        }
      }

      // Look for two consecutive small subdiagonal entries: start the bulge at row m.
      let m = i - 2;
      let v0 = 0;
      let v1 = 0;
      let v2 = 0;
      for (; m >= l; m--) {
        const hmm = h(m, m);
        let h21s = h(m + 1, m);
        let s = Math.abs(hmm - rt2r) + Math.abs(rt2i) + Math.abs(h21s);
        h21s /= s;
        v0 = h21s * h(m, m + 1) + (hmm - rt1r) * ((hmm - rt2r) / s) - rt1i * (rt2i / s);
        v1 = h21s * (hmm + h(m + 1, m + 1) - rt1r - rt2r);
        v2 = h21s * h(m + 2, m + 1);
        s = Math.abs(v0) + Math.abs(v1) + Math.abs(v2);
        v0 /= s;
        v1 /= s;
        v2 /= s;
        if (m === l) break;
        const h00 = Math.abs(h(m, m - 1)) * (Math.abs(v1) + Math.abs(v2));
        const h01 = ulp * Math.abs(v0) * (Math.abs(h(m - 1, m - 1)) + Math.abs(hmm) + Math.abs(h(m + 1, m + 1)));
        if (h00 <= h01) break;
      }

      // Double-shift QR step: chase the bulge from row m to the bottom of the block.
      for (let kk = m; kk <= i - 1; kk++) {
        const nr = Math.min(3, i - kk + 1);
        if (kk > m) {
          v0 = h(kk, kk - 1);
          v1 = h(kk + 1, kk - 1);
          v2 = nr === 3 ? h(kk + 2, kk - 1) : 0;
        }
        // Householder reflector (LAPACK dlarfg on 2 or 3 elements).
        HOUSE[0] = v0;
        HOUSE[1] = v1;
        HOUSE[2] = v2;
        const t1 = smallHouse(nr as 2 | 3, HOUSE);
        v0 = HOUSE[0]!;
        v1 = HOUSE[1]!;
        v2 = HOUSE[2]!;
        if (kk > m) {
          H[offH + kk + (kk - 1) * ldh] = v0;
          H[offH + kk + 1 + (kk - 1) * ldh] = 0;
          if (kk < i - 1) H[offH + kk + 2 + (kk - 1) * ldh] = 0;
        } else if (m > l) {
          // Equivalent to negating H(k, k-1), but safe when v1 and v2 underflow.
          const p = offH + kk + (kk - 1) * ldh;
          H[p] = H[p]! * (1 - t1);
        }
        const vv2 = v1;
        const t2 = t1 * vv2;
        if (nr === 3) {
          const vv3 = v2;
          const t3 = t1 * vv3;
          // Rows kk..kk+2, columns kk..i2.
          for (let j = kk; j <= i2; j++) {
            const p = offH + kk + j * ldh;
            const sum = H[p]! + vv2 * H[p + 1]! + vv3 * H[p + 2]!;
            H[p] = H[p]! - sum * t1;
            H[p + 1] = H[p + 1]! - sum * t2;
            H[p + 2] = H[p + 2]! - sum * t3;
          }
          // Columns kk..kk+2, rows i1..min(kk+3, i).
          const c0 = offH + kk * ldh;
          const c1 = c0 + ldh;
          const c2 = c1 + ldh;
          const jEnd = Math.min(kk + 3, i);
          for (let j = i1; j <= jEnd; j++) {
            const sum = H[c0 + j]! + vv2 * H[c1 + j]! + vv3 * H[c2 + j]!;
            H[c0 + j] = H[c0 + j]! - sum * t1;
            H[c1 + j] = H[c1 + j]! - sum * t2;
            H[c2 + j] = H[c2 + j]! - sum * t3;
          }
          if (wantz) {
            const z0 = offZ + kk * ldz;
            const z1 = z0 + ldz;
            const z2 = z1 + ldz;
            for (let j = iloz; j <= ihiz; j++) {
              const sum = Z[z0 + j]! + vv2 * Z[z1 + j]! + vv3 * Z[z2 + j]!;
              Z[z0 + j] = Z[z0 + j]! - sum * t1;
              Z[z1 + j] = Z[z1 + j]! - sum * t2;
              Z[z2 + j] = Z[z2 + j]! - sum * t3;
            }
          }
        } else if (nr === 2) {
          for (let j = kk; j <= i2; j++) {
            const p = offH + kk + j * ldh;
            const sum = H[p]! + vv2 * H[p + 1]!;
            H[p] = H[p]! - sum * t1;
            H[p + 1] = H[p + 1]! - sum * t2;
          }
          const c0 = offH + kk * ldh;
          const c1 = c0 + ldh;
          for (let j = i1; j <= i; j++) {
            const sum = H[c0 + j]! + vv2 * H[c1 + j]!;
            H[c0 + j] = H[c0 + j]! - sum * t1;
            H[c1 + j] = H[c1 + j]! - sum * t2;
          }
          if (wantz) {
            const z0 = offZ + kk * ldz;
            const z1 = z0 + ldz;
            for (let j = iloz; j <= ihiz; j++) {
              const sum = Z[z0 + j]! + vv2 * Z[z1 + j]!;
              Z[z0 + j] = Z[z0 + j]! - sum * t1;
              Z[z1 + j] = Z[z1 + j]! - sum * t2;
            }
          }
        }
      }
    }
    if (!converged) return i + 1;

    if (l === i) {
      // One real eigenvalue has converged.
      wr[i] = h(i, i);
      wi[i] = 0;
    } else {
      // A 2 x 2 block has split off: standardize it and read its eigenvalues.
      const pa = offH + (i - 1) + (i - 1) * ldh;
      const pb = pa + ldh;
      lanv2(H[pa]!, H[pb]!, H[pa + 1]!, H[pb + 1]!, lv);
      H[pa] = lv.a;
      H[pb] = lv.b;
      H[pa + 1] = lv.c;
      H[pb + 1] = lv.d;
      wr[i - 1] = lv.rt1r;
      wi[i - 1] = lv.rt1i;
      wr[i] = lv.rt2r;
      wi[i] = lv.rt2i;
      const cs = lv.cs;
      const sn = lv.sn;
      if (wantt) {
        // Rotate the rest of rows i-1, i and columns i-1, i.
        for (let j = i + 1; j <= i2; j++) {
          const p = offH + (i - 1) + j * ldh;
          const x = H[p]!;
          const y = H[p + 1]!;
          H[p] = cs * x + sn * y;
          H[p + 1] = cs * y - sn * x;
        }
        const c0 = offH + (i - 1) * ldh;
        const c1 = c0 + ldh;
        for (let j = i1; j <= i - 2; j++) {
          const x = H[c0 + j]!;
          const y = H[c1 + j]!;
          H[c0 + j] = cs * x + sn * y;
          H[c1 + j] = cs * y - sn * x;
        }
      }
      if (wantz) {
        const z0 = offZ + (i - 1) * ldz;
        const z1 = z0 + ldz;
        for (let j = iloz; j <= ihiz; j++) {
          const x = Z[z0 + j]!;
          const y = Z[z1 + j]!;
          Z[z0 + j] = cs * x + sn * y;
          Z[z1 + j] = cs * y - sn * x;
        }
      }
    }
    kdefl = 0;
    i = l - 1;
  }
  return 0;
}

/**
 * Eigenvalues of the n x n upper Hessenberg H and optionally its real Schur form T = Z^T
 * H Z (LAPACK dhseqr with the double-shift kernel dlahqr for every order). Eigenvalues
 * isolated by balancing (indices outside ilo..ihi) are read off the diagonal.
 *
 * With `wantt`, H is overwritten by T (quasi-upper triangular, zeros below the first
 * subdiagonal, standardized 2 x 2 blocks); with `wantz`, Z (on entry the Q of the
 * Hessenberg reduction, identity outside ilo..ihi) is multiplied by the Schur vectors.
 * @throws ConvergenceError when an eigenvalue needs more than 30 max(10, ihi - ilo + 1)
 *   iterations.
 */
export function hseqr(
  wantt: boolean, wantz: boolean, n: number, ilo: number, ihi: number, H: FloatArray, offH: number, ldh: number,
  wr: Float64Array, wi: Float64Array, Z: FloatArray, offZ: number, ldz: number,
): void {
  for (let i = 0; i < n; i++) {
    if (i >= ilo && i <= ihi) continue;
    wr[i] = H[offH + i + i * ldh]!;
    wi[i] = 0;
  }
  // Everything below the first subdiagonal is zero in the Hessenberg/Schur form.
  for (let j = 0; j < n; j++) for (let r = j + 2; r < n; r++) H[offH + r + j * ldh] = 0;
  if (ilo > ihi) return;
  const info = lahqr(wantt, wantz, n, ilo, ihi, H, offH, ldh, wr, wi, ilo, ihi, Z, offZ, ldz);
  if (info > 0) {
    throw new ConvergenceError(
      `eig: the QR algorithm did not converge for eigenvalue ${info - 1} within ${30 * Math.max(10, ihi - ilo + 1)} iterations`,
    );
  }
}
