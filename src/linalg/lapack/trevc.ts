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
 * columns. The work is blocked so that almost all of it runs in gemm (see {@link trevc}).
 */
import { kernels } from '../../kernels/index.js';
import type { FloatArray } from '../../matrix/dtype.js';
import type { Workspace } from '../../kernels/workspace.js';
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
 * Eigenvector columns solved together, and rows per back-substitution step between two
 * gemm updates: the inner dimension of the gemms that carry most of the work.
 */
export const TREVC_BLOCK = 64;

/** Per-eigenvalue state of the back substitution (constant across its row blocks). */
interface Item {
  /** Column of the eigenvector (for a pair, of its imaginary part; the real part is k - 1). */
  k: number;
  pair: boolean;
  wr: number;
  wi: number;
  /** Pivots below smin are perturbed to smin (dtrevc's treatment of close eigenvalues). */
  smin: number;
}

interface Solve {
  T: FloatArray;
  offT: number;
  ldT: number;
  X: Float64Array;
  n: number;
  cnorm: Float64Array;
  bignum: number;
}

// Scale rows 0..k of column(s) of the item by s (the whole computed part of the vector:
// the solved rows and the right-hand side still waiting for its gemm updates alike).
function scaleItem(s: Solve, it: Item, f: number): void {
  const X = s.X;
  const c = it.k * s.n;
  for (let r = 0; r <= it.k; r++) X[c + r] = X[c + r]! * f;
  if (it.pair) {
    const d = c - s.n;
    for (let r = 0; r <= it.k; r++) X[d + r] = X[d + r]! * f;
  }
}

/**
 * Back substitution for one eigenvector over rows jFirst down to lo (dtrevc's inner loop):
 * each diagonal block is solved by laln2 (with the growth check against the column norms
 * of T), and its contribution is subtracted from rows lo.. above it only; rows below lo
 * get the contributions of the whole row block from one gemm afterwards. lo never splits
 * a 2 x 2 diagonal block.
 */
function solveRows(s: Solve, it: Item, jFirst: number, lo: number): void {
  const { T, offT, ldT, X, n, cnorm, bignum } = s;
  const { smin, wr } = it;
  if (!it.pair) {
    const xc = it.k * n;
    let j = jFirst;
    while (j >= lo) {
      if (j > 0 && T[offT + j + (j - 1) * ldT] !== 0) {
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
        if (scale !== 1) scaleItem(s, it, scale);
        X[xc + j - 1] = x1;
        X[xc + j] = x2;
        const c1 = offT + (j - 1) * ldT;
        const c2 = offT + j * ldT;
        for (let r = lo; r < j - 1; r++) X[xc + r] = X[xc + r]! - x1 * T[c1 + r]! - x2 * T[c2 + r]!;
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
        if (scale !== 1) scaleItem(s, it, scale);
        X[xc + j] = x1;
        const c1 = offT + j * ldT;
        for (let r = lo; r < j; r++) X[xc + r] = X[xc + r]! - x1 * T[c1 + r]!;
        j -= 1;
      }
    }
    return;
  }
  // Complex pair: real part in column k-1, imaginary part in column k.
  const wi = it.wi;
  const xr = (it.k - 1) * n;
  const xi = it.k * n;
  let j = jFirst;
  while (j >= lo) {
    if (j > 0 && T[offT + j + (j - 1) * ldT] !== 0) {
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
      if (scale !== 1) scaleItem(s, it, scale);
      X[xr + j - 1] = x11;
      X[xr + j] = x21;
      X[xi + j - 1] = x12;
      X[xi + j] = x22;
      const c1 = offT + (j - 1) * ldT;
      const c2 = offT + j * ldT;
      for (let r = lo; r < j - 1; r++) {
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
      if (scale !== 1) scaleItem(s, it, scale);
      X[xr + j] = x1;
      X[xi + j] = x2;
      const c1 = offT + j * ldT;
      for (let r = lo; r < j; r++) {
        const a1 = T[c1 + r]!;
        X[xr + r] = X[xr + r]! - x1 * a1;
        X[xi + r] = X[xi + r]! - x2 * a1;
      }
      j -= 1;
    }
  }
}

/**
 * All right eigenvectors of the n x n quasi-upper-triangular Schur form T (2 x 2 blocks
 * in standard form, as {@link hseqr} leaves them), back-transformed: V = Z X with
 * T X = X diag(lambda). For a real eigenvalue k, V(:, k) is its eigenvector; for a pair
 * (k, k+1) with positive imaginary part at k, V(:, k) + i V(:, k+1) is the eigenvector of
 * lambda_k. Each column of X is scaled to max-abs 1 before the back-transformation; the
 * columns of V are not normalized (the caller does that).
 *
 * Blocked (LAPACK dtrevc3's blocked back-transformation, and a blocked back substitution
 * in the spirit of the tiled eigenvector solvers of Schwarz, Kjelgaard Mikkelsen & Karlsson,
 * Parallel Computing 2020): the eigenvectors are solved `nb` columns at a time. Within a
 * column block, every eigenvector's back substitution runs over `nb` rows at a time with
 * laln2 and short axpys confined to that row block, and one gemm then subtracts the row
 * block's contribution, T(0:r0, r0:r1) X(r0:r1, block), from all rows above it for all the
 * block's eigenvectors at once. Scaling against overflow stays per eigenvector (dtrevc's
 * test against the column norms of T): scaling a whole column is consistent whether its
 * rows are solved or still waiting for their gemm update. The gemm sums at most nb such
 * bounded terms, far below overflow (the bound is eps / (n safmin) ~ 2^970 / n). The
 * back-transformation V(:, block) = Z(:, 0:k1) X(0:k1, block) uses X's triangular shape,
 * n^3 flops in all instead of 2 n^3.
 *
 * Cost: n^3 / 3 flops of back substitution, all but about n^2 nb / 2 of them in gemm, plus
 * n^3 in the back-transforming gemms. V must not overlap Z.
 * @param nb - columns per block and rows per substitution step (tests use small values to
 *   exercise the block boundaries).
 */
export function trevc(
  n: number, T: FloatArray, offT: number, ldT: number, Z: FloatArray, offZ: number, ldZ: number,
  V: FloatArray, offV: number, ldV: number, ws: Workspace, nb = TREVC_BLOCK,
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
  // X starts at zero: rows of a column below its eigenvalue stay zero (the triangular
  // shape the gemms rely on), and rows above a block receive their right-hand side from the
  // gemm updates only.
  const X = ws.f64(n * n);
  const s: Solve = { T, offT, ldT, X, n, cnorm, bignum };
  const g = kernels();
  const bs = Math.max(1, nb);
  const items: Item[] = [];

  for (let k1 = n - 1; k1 >= 0; ) {
    // Columns k0..k1, a 2 x 2 block never split (k1 always ends an eigenvalue's columns).
    let k0 = Math.max(0, k1 - bs + 1);
    if (k0 > 0 && t(k0, k0 - 1) !== 0) k0 -= 1;
    const nc = k1 - k0 + 1;
    items.length = 0;
    for (let ki = k1; ki >= k0; ) {
      const wr = t(ki, ki);
      if (ki > k0 && t(ki, ki - 1) !== 0) {
        // Pair (ki-1, ki): wr + i wi, real part in column ki-1, imaginary part in column ki.
        const tb = t(ki - 1, ki);
        const tc = t(ki, ki - 1);
        const wi = Math.sqrt(Math.abs(tb)) * Math.sqrt(Math.abs(tc));
        const xr = (ki - 1) * n;
        const xi = ki * n;
        if (Math.abs(tb) >= Math.abs(tc)) {
          X[xr + ki - 1] = 1;
          X[xi + ki] = wi / tb;
        } else {
          X[xr + ki - 1] = -wi / tc;
          X[xi + ki] = 1;
        }
        // Right-hand side within the block (rows above it come from the first gemm).
        for (let r = k0; r < ki - 1; r++) {
          X[xr + r] = -X[xr + ki - 1]! * t(r, ki - 1);
          X[xi + r] = -X[xi + ki]! * t(r, ki);
        }
        items.push({ k: ki, pair: true, wr, wi, smin: Math.max(ulp * (Math.abs(wr) + Math.abs(wi)), smlnum) });
        ki -= 2;
      } else {
        const xc = ki * n;
        X[xc + ki] = 1;
        for (let r = k0; r < ki; r++) X[xc + r] = -t(r, ki);
        items.push({ k: ki, pair: false, wr, wi: 0, smin: Math.max(ulp * Math.abs(wr), smlnum) });
        ki -= 1;
      }
    }
    // The block's own triangle, then the rows above it nb at a time, each followed by one
    // gemm carrying the solved rows' contribution to every row above them.
    for (const it of items) solveRows(s, it, it.pair ? it.k - 2 : it.k - 1, k0);
    let lo = k0;
    let hi = k1 + 1;
    while (lo > 0) {
      // Rows 0..lo-1 -= T(0:lo, lo:hi) X(lo:hi, block): the solved rows' contribution.
      g.gemm(false, false, lo, nc, hi - lo, -1, T, offT + lo * ldT, ldT, X, lo + k0 * n, n, 1, X, k0 * n, n);
      hi = lo;
      lo = Math.max(0, hi - bs);
      if (lo > 0 && t(lo, lo - 1) !== 0) lo -= 1;
      for (const it of items) solveRows(s, it, hi - 1, lo);
    }
    // Unit max-abs columns (dtrevc), then back-transform with the nonzero rows only.
    for (const it of items) {
      const xc = it.k * n;
      let emax = 0;
      if (it.pair) {
        const xr = xc - n;
        for (let r = 0; r <= it.k; r++) emax = Math.max(emax, Math.abs(X[xr + r]!) + Math.abs(X[xc + r]!));
      } else {
        for (let r = 0; r <= it.k; r++) emax = Math.max(emax, Math.abs(X[xc + r]!));
      }
      scaleItem(s, it, 1 / emax);
    }
    g.gemm(false, false, n, nc, k1 + 1, 1, Z, offZ, ldZ, X, k0 * n, n, 0, V, offV + k0 * ldV, ldV);
    k1 = k0 - 1;
  }
}
