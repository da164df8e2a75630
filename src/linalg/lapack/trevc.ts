/**
 * Right eigenvectors of a real quasi-upper-triangular Schur form T, back-transformed by the
 * Schur vectors (LAPACK dtrevc/dtrevc3, side 'R', howmny 'B', with dlaln2 for the 1 x 1 and
 * 2 x 2 diagonal solves).
 *
 * For eigenvalue lambda_k the vector x solves (T(0:k, 0:k) - lambda_k I) x = 0 with x_k = 1,
 * by back substitution over the diagonal blocks. Near-singular diagonal blocks are
 * perturbed to smin = max(ulp |lambda|, smlnum) (the eigenvector of a multiple or
 * defective eigenvalue then stays finite), and the running right-hand side is scaled down
 * whenever the next solve could overflow, using the column norms of T as bounds.
 * Complex pairs are solved in real arithmetic with real and imaginary parts in two
 * columns. As in dtrevc3, the vectors are computed for T first and back-transformed with
 * one gemm, V = Z X.
 */
import { kernels } from '../../kernels/index.js';
import type { FloatArray } from '../../matrix/dtype.js';
import type { Workspace } from './workspace.js';
import { PRECISION as EPS, SAFMIN } from './machine.js';

// Pivot tables of dlaln2's 2 x 2 complete pivoting, on the column-major 2 x 2 C as
// [c11, c21, c12, c22]: for the largest entry icmax, the entries that become u11, l21,
// u12, u22, and whether rows / unknowns were swapped.
const IPIVOT = [
  [0, 1, 2, 3],
  [1, 0, 3, 2],
  [2, 3, 0, 1],
  [3, 2, 1, 0],
] as const;
const RSWAP = [false, true, false, true] as const;
const ZSWAP = [false, false, true, true] as const;

// Output of laln2: x11, x21, x12, x22 (column 2 = imaginary part), scale, xnorm.
const out = new Float64Array(6);
const cr = new Float64Array(4);
const ci = new Float64Array(4);
const dv = new Float64Array(2);

// Robust complex division (a + ib) / (c + id) (Smith's algorithm, as LAPACK dladiv's role).
function ladiv(a: number, b: number, c: number, d: number): void {
  if (Math.abs(d) <= Math.abs(c)) {
    const e = d / c;
    const f = c + d * e;
    dv[0] = (a + b * e) / f;
    dv[1] = (b - a * e) / f;
  } else {
    const e = c / d;
    const f = d + c * e;
    dv[0] = (b + a * e) / f;
    dv[1] = (-a + b * e) / f;
  }
}

/**
 * Solve (C - (wr + i wi) I) X = scale B for the na x na diagonal block C of T at `offT`
 * (na = 1 or 2) and real (nw = 1) or complex (nw = 2) right-hand side b (LAPACK dlaln2
 * with ca = d1 = d2 = 1, no transpose). A pivot below smin is replaced by smin; scale <= 1
 * is chosen so X cannot overflow. Results in `out`.
 */
function laln2(
  na: number, nw: number, smin: number, T: FloatArray, offT: number, ldT: number,
  b1r: number, b2r: number, b1i: number, b2i: number, wr: number, wi: number,
): void {
  const smlnum = 2 * SAFMIN;
  const bignum = 1 / smlnum;
  const smini = Math.max(smin, smlnum);
  let scale = 1;
  if (na === 1) {
    if (nw === 1) {
      let csr = T[offT]! - wr;
      let cnorm = Math.abs(csr);
      if (cnorm < smini) {
        csr = smini;
        cnorm = smini;
      }
      const bnorm = Math.abs(b1r);
      if (cnorm < 1 && bnorm > 1 && bnorm > bignum * cnorm) scale = 1 / bnorm;
      out[0] = (b1r * scale) / csr;
      out[5] = Math.abs(out[0]!);
    } else {
      let csr = T[offT]! - wr;
      let csi = -wi;
      let cnorm = Math.abs(csr) + Math.abs(csi);
      if (cnorm < smini) {
        csr = smini;
        csi = 0;
        cnorm = smini;
      }
      const bnorm = Math.abs(b1r) + Math.abs(b1i);
      if (cnorm < 1 && bnorm > 1 && bnorm > bignum * cnorm) scale = 1 / bnorm;
      ladiv(scale * b1r, scale * b1i, csr, csi);
      out[0] = dv[0]!;
      out[2] = dv[1]!;
      out[5] = Math.abs(out[0]!) + Math.abs(out[2]!);
    }
    out[4] = scale;
    return;
  }

  cr[0] = T[offT]! - wr;
  cr[1] = T[offT + 1]!;
  cr[2] = T[offT + ldT]!;
  cr[3] = T[offT + 1 + ldT]! - wr;
  if (nw === 1) {
    let cmax = 0;
    let icmax = -1;
    for (let j = 0; j < 4; j++) {
      if (Math.abs(cr[j]!) > cmax) {
        cmax = Math.abs(cr[j]!);
        icmax = j;
      }
    }
    if (cmax < smini) {
      // C is negligible: use smini * I.
      const bnorm = Math.max(Math.abs(b1r), Math.abs(b2r));
      if (smini < 1 && bnorm > 1 && bnorm > bignum * smini) scale = 1 / bnorm;
      const temp = scale / smini;
      out[0] = temp * b1r;
      out[1] = temp * b2r;
      out[5] = temp * bnorm;
      out[4] = scale;
      return;
    }
    // Gaussian elimination with complete pivoting.
    const piv = IPIVOT[icmax]!;
    const ur11 = cr[icmax]!;
    const cr21 = cr[piv[1]]!;
    const ur12 = cr[piv[2]]!;
    const cr22 = cr[piv[3]]!;
    const ur11r = 1 / ur11;
    const lr21 = ur11r * cr21;
    let ur22 = cr22 - ur12 * lr21;
    if (Math.abs(ur22) < smini) ur22 = smini;
    let br1: number;
    let br2: number;
    if (RSWAP[icmax]) {
      br1 = b2r;
      br2 = b1r;
    } else {
      br1 = b1r;
      br2 = b2r;
    }
    br2 -= lr21 * br1;
    const bbnd = Math.max(Math.abs(br1 * (ur22 * ur11r)), Math.abs(br2));
    if (bbnd > 1 && Math.abs(ur22) < 1 && bbnd >= bignum * Math.abs(ur22)) scale = 1 / bbnd;
    const xr2 = (br2 * scale) / ur22;
    const xr1 = scale * br1 * ur11r - xr2 * (ur11r * ur12);
    if (ZSWAP[icmax]) {
      out[0] = xr2;
      out[1] = xr1;
    } else {
      out[0] = xr1;
      out[1] = xr2;
    }
    let xnorm = Math.max(Math.abs(xr1), Math.abs(xr2));
    if (xnorm > 1 && cmax > 1 && xnorm > bignum / cmax) {
      const temp = cmax / bignum;
      out[0] = temp * out[0]!;
      out[1] = temp * out[1]!;
      xnorm *= temp;
      scale *= temp;
    }
    out[4] = scale;
    out[5] = xnorm;
    return;
  }

  // Complex 2 x 2 system.
  ci[0] = -wi;
  ci[1] = 0;
  ci[2] = 0;
  ci[3] = -wi;
  let cmax = 0;
  let icmax = -1;
  for (let j = 0; j < 4; j++) {
    const v = Math.abs(cr[j]!) + Math.abs(ci[j]!);
    if (v > cmax) {
      cmax = v;
      icmax = j;
    }
  }
  if (cmax < smini) {
    const bnorm = Math.max(Math.abs(b1r) + Math.abs(b1i), Math.abs(b2r) + Math.abs(b2i));
    if (smini < 1 && bnorm > 1 && bnorm > bignum * smini) scale = 1 / bnorm;
    const temp = scale / smini;
    out[0] = temp * b1r;
    out[1] = temp * b2r;
    out[2] = temp * b1i;
    out[3] = temp * b2i;
    out[5] = temp * bnorm;
    out[4] = scale;
    return;
  }
  const piv = IPIVOT[icmax]!;
  const ur11 = cr[icmax]!;
  const ui11 = ci[icmax]!;
  const cr21 = cr[piv[1]]!;
  const ci21 = ci[piv[1]]!;
  const ur12 = cr[piv[2]]!;
  const ui12 = ci[piv[2]]!;
  const cr22 = cr[piv[3]]!;
  const ci22 = ci[piv[3]]!;
  let ur11r: number;
  let ui11r: number;
  let lr21: number;
  let li21: number;
  let ur12s: number;
  let ui12s: number;
  let ur22: number;
  let ui22: number;
  if (icmax === 0 || icmax === 3) {
    // Pivot on the diagonal: the off-diagonal entries of the pivoted C are real.
    if (Math.abs(ur11) > Math.abs(ui11)) {
      const temp = ui11 / ur11;
      ur11r = 1 / (ur11 * (1 + temp * temp));
      ui11r = -temp * ur11r;
    } else {
      const temp = ur11 / ui11;
      ui11r = -1 / (ui11 * (1 + temp * temp));
      ur11r = -temp * ui11r;
    }
    lr21 = cr21 * ur11r;
    li21 = cr21 * ui11r;
    ur12s = ur12 * ur11r;
    ui12s = ur12 * ui11r;
    ur22 = cr22 - ur12 * lr21;
    ui22 = ci22 - ur12 * li21;
  } else {
    // Pivot off the diagonal: the diagonal entries of the pivoted C are real.
    ur11r = 1 / ur11;
    ui11r = 0;
    lr21 = cr21 * ur11r;
    li21 = ci21 * ur11r;
    ur12s = ur12 * ur11r;
    ui12s = ui12 * ur11r;
    ur22 = cr22 - ur12 * lr21 + ui12 * li21;
    ui22 = -ur12 * li21 - ui12 * lr21;
  }
  let u22abs = Math.abs(ur22) + Math.abs(ui22);
  if (u22abs < smini) {
    ur22 = smini;
    ui22 = 0;
    u22abs = smini;
  }
  let br1: number;
  let br2: number;
  let bi1: number;
  let bi2: number;
  if (RSWAP[icmax]) {
    br2 = b1r;
    br1 = b2r;
    bi2 = b1i;
    bi1 = b2i;
  } else {
    br1 = b1r;
    br2 = b2r;
    bi1 = b1i;
    bi2 = b2i;
  }
  br2 = br2 - lr21 * br1 + li21 * bi1;
  bi2 = bi2 - li21 * br1 - lr21 * bi1;
  const bbnd = Math.max(
    (Math.abs(br1) + Math.abs(bi1)) * (u22abs * (Math.abs(ur11r) + Math.abs(ui11r))),
    Math.abs(br2) + Math.abs(bi2),
  );
  if (bbnd > 1 && u22abs < 1 && bbnd >= bignum * u22abs) {
    scale = 1 / bbnd;
    br1 *= scale;
    bi1 *= scale;
    br2 *= scale;
    bi2 *= scale;
  }
  ladiv(br2, bi2, ur22, ui22);
  const xr2 = dv[0]!;
  const xi2 = dv[1]!;
  const xr1 = ur11r * br1 - ui11r * bi1 - ur12s * xr2 + ui12s * xi2;
  const xi1 = ui11r * br1 + ur11r * bi1 - ui12s * xr2 - ur12s * xi2;
  if (ZSWAP[icmax]) {
    out[0] = xr2;
    out[1] = xr1;
    out[2] = xi2;
    out[3] = xi1;
  } else {
    out[0] = xr1;
    out[1] = xr2;
    out[2] = xi1;
    out[3] = xi2;
  }
  let xnorm = Math.max(Math.abs(xr1) + Math.abs(xi1), Math.abs(xr2) + Math.abs(xi2));
  if (xnorm > 1 && cmax > 1 && xnorm > bignum / cmax) {
    const temp = cmax / bignum;
    for (let q = 0; q < 4; q++) out[q] = temp * out[q]!;
    xnorm *= temp;
    scale *= temp;
  }
  out[4] = scale;
  out[5] = xnorm;
}

/**
 * All right eigenvectors of the n x n quasi-upper-triangular Schur form T (2 x 2 blocks
 * in standard form, as {@link hseqr} leaves them), back-transformed: V = Z X with
 * T X = X diag(lambda). For a real eigenvalue k, V(:, k) is its eigenvector; for a pair
 * (k, k+1) with positive imaginary part at k, V(:, k) + i V(:, k+1) is the eigenvector of
 * lambda_k. Each column of X is scaled to max-abs 1 before the back-transformation; the
 * columns of V are not normalized (the caller does that).
 *
 * Cost: n^3 / 3 flops of back substitution (plain loops) plus one n x n x n gemm.
 * V must not overlap Z.
 */
export function trevc(
  n: number, T: FloatArray, offT: number, ldT: number, Z: FloatArray, offZ: number, ldZ: number,
  V: FloatArray, offV: number, ldV: number, ws: Workspace,
): void {
  if (n === 0) return;
  const ulp = EPS;
  const smlnum = SAFMIN * (n / ulp);
  const bignum = (1 - ulp) / smlnum;
  const t = (r: number, c: number): number => T[offT + r + c * ldT]!;
  // 1-norms of the strictly upper part of each column bound the growth of the rhs.
  const cnorm = new Float64Array(n);
  for (let j = 1; j < n; j++) {
    let s = 0;
    const c = offT + j * ldT;
    for (let r = 0; r < j; r++) s += Math.abs(T[c + r]!);
    cnorm[j] = s;
  }
  const X = ws.f64(n * n);

  let ki = n - 1;
  while (ki >= 0) {
    const pair = ki > 0 && t(ki, ki - 1) !== 0;
    const wr = t(ki, ki);
    if (!pair) {
      // Real eigenvalue: solve (T(0:ki, 0:ki) - wr) x = 0 with x_ki = 1.
      const xc = ki * n;
      const smin = Math.max(ulp * Math.abs(wr), smlnum);
      X[xc + ki] = 1;
      for (let r = 0; r < ki; r++) X[xc + r] = -t(r, ki);
      let j = ki - 1;
      while (j >= 0) {
        if (j > 0 && t(j, j - 1) !== 0) {
          // 2 x 2 diagonal block at rows j-1, j.
          laln2(2, 1, smin, T, offT + (j - 1) + (j - 1) * ldT, ldT, X[xc + j - 1]!, X[xc + j]!, 0, 0, wr, 0);
          let scale = out[4]!;
          const xnorm = out[5]!;
          let x1 = out[0]!;
          let x2 = out[1]!;
          if (xnorm > 1) {
            const beta = Math.max(cnorm[j - 1]!, cnorm[j]!);
            if (beta > bignum / xnorm) {
              x1 /= xnorm;
              x2 /= xnorm;
              scale /= xnorm;
            }
          }
          if (scale !== 1) for (let r = 0; r <= ki; r++) X[xc + r] = X[xc + r]! * scale;
          X[xc + j - 1] = x1;
          X[xc + j] = x2;
          const c1 = offT + (j - 1) * ldT;
          const c2 = offT + j * ldT;
          for (let r = 0; r < j - 1; r++) X[xc + r] = X[xc + r]! - x1 * T[c1 + r]! - x2 * T[c2 + r]!;
          j -= 2;
        } else {
          laln2(1, 1, smin, T, offT + j + j * ldT, ldT, X[xc + j]!, 0, 0, 0, wr, 0);
          let scale = out[4]!;
          const xnorm = out[5]!;
          let x1 = out[0]!;
          if (xnorm > 1 && cnorm[j]! > bignum / xnorm) {
            x1 /= xnorm;
            scale /= xnorm;
          }
          if (scale !== 1) for (let r = 0; r <= ki; r++) X[xc + r] = X[xc + r]! * scale;
          X[xc + j] = x1;
          const c1 = offT + j * ldT;
          for (let r = 0; r < j; r++) X[xc + r] = X[xc + r]! - x1 * T[c1 + r]!;
          j -= 1;
        }
      }
      let emax = 0;
      for (let r = 0; r <= ki; r++) emax = Math.max(emax, Math.abs(X[xc + r]!));
      const rs = 1 / emax;
      for (let r = 0; r <= ki; r++) X[xc + r] = X[xc + r]! * rs;
      ki -= 1;
      continue;
    }

    // Complex pair (ki-1, ki): eigenvalue wr + i wi, real part in column ki-1, imaginary in ki.
    const xr = (ki - 1) * n;
    const xi = ki * n;
    const tb = t(ki - 1, ki);
    const tc = t(ki, ki - 1);
    const wi = Math.sqrt(Math.abs(tb)) * Math.sqrt(Math.abs(tc));
    const smin = Math.max(ulp * (Math.abs(wr) + Math.abs(wi)), smlnum);
    if (Math.abs(tb) >= Math.abs(tc)) {
      X[xr + ki - 1] = 1;
      X[xi + ki] = wi / tb;
    } else {
      X[xr + ki - 1] = -wi / tc;
      X[xi + ki] = 1;
    }
    X[xr + ki] = 0;
    X[xi + ki - 1] = 0;
    for (let r = 0; r < ki - 1; r++) {
      X[xr + r] = -X[xr + ki - 1]! * t(r, ki - 1);
      X[xi + r] = -X[xi + ki]! * t(r, ki);
    }
    let j = ki - 2;
    while (j >= 0) {
      if (j > 0 && t(j, j - 1) !== 0) {
        laln2(2, 2, smin, T, offT + (j - 1) + (j - 1) * ldT, ldT, X[xr + j - 1]!, X[xr + j]!, X[xi + j - 1]!, X[xi + j]!, wr, wi);
        let scale = out[4]!;
        const xnorm = out[5]!;
        let x11 = out[0]!;
        let x21 = out[1]!;
        let x12 = out[2]!;
        let x22 = out[3]!;
        if (xnorm > 1) {
          const beta = Math.max(cnorm[j - 1]!, cnorm[j]!);
          if (beta > bignum / xnorm) {
            const rec = 1 / xnorm;
            x11 *= rec;
            x21 *= rec;
            x12 *= rec;
            x22 *= rec;
            scale *= rec;
          }
        }
        if (scale !== 1) {
          for (let r = 0; r <= ki; r++) {
            X[xr + r] = X[xr + r]! * scale;
            X[xi + r] = X[xi + r]! * scale;
          }
        }
        X[xr + j - 1] = x11;
        X[xr + j] = x21;
        X[xi + j - 1] = x12;
        X[xi + j] = x22;
        const c1 = offT + (j - 1) * ldT;
        const c2 = offT + j * ldT;
        for (let r = 0; r < j - 1; r++) {
          const a1 = T[c1 + r]!;
          const a2 = T[c2 + r]!;
          X[xr + r] = X[xr + r]! - x11 * a1 - x21 * a2;
          X[xi + r] = X[xi + r]! - x12 * a1 - x22 * a2;
        }
        j -= 2;
      } else {
        laln2(1, 2, smin, T, offT + j + j * ldT, ldT, X[xr + j]!, 0, X[xi + j]!, 0, wr, wi);
        let scale = out[4]!;
        const xnorm = out[5]!;
        let x1 = out[0]!;
        let x2 = out[2]!;
        if (xnorm > 1 && cnorm[j]! > bignum / xnorm) {
          x1 /= xnorm;
          x2 /= xnorm;
          scale /= xnorm;
        }
        if (scale !== 1) {
          for (let r = 0; r <= ki; r++) {
            X[xr + r] = X[xr + r]! * scale;
            X[xi + r] = X[xi + r]! * scale;
          }
        }
        X[xr + j] = x1;
        X[xi + j] = x2;
        const c1 = offT + j * ldT;
        for (let r = 0; r < j; r++) {
          const a1 = T[c1 + r]!;
          X[xr + r] = X[xr + r]! - x1 * a1;
          X[xi + r] = X[xi + r]! - x2 * a1;
        }
        j -= 1;
      }
    }
    let emax = 0;
    for (let r = 0; r <= ki; r++) emax = Math.max(emax, Math.abs(X[xr + r]!) + Math.abs(X[xi + r]!));
    const rs = 1 / emax;
    for (let r = 0; r <= ki; r++) {
      X[xr + r] = X[xr + r]! * rs;
      X[xi + r] = X[xi + r]! * rs;
    }
    ki -= 2;
  }
  kernels().gemm(false, false, n, n, n, 1, Z, offZ, ldZ, X, 0, n, 0, V, offV, ldV);
}
