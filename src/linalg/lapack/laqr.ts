/**
 * The small-bulge multishift QR algorithm with aggressive early deflation for the real Schur
 * form of an upper Hessenberg matrix (LAPACK dlaqr0 with dlaqr3 and dlaqr5; Braman, Byers
 * & Mathias, "The multishift QR algorithm. Part I: maintaining well-focused shifts and
 * level 3 performance" and "Part II: aggressive early deflation", SIAM J. Matrix Anal. Appl.
 * 23(4), 2002).
 *
 * - Sweeps (laqr5) chase a chain of ns/2 tightly packed 3 x 3 bulges, each carrying two
 *   shifts, down the active block. The chain moves through the matrix in slabs: inside a
 *   slab of 2 ns rows the reflectors are applied near the diagonal and accumulated in a
 *   small orthogonal U, which then updates the rest of H (the far-from-diagonal rows and
 *   columns) and Z with gemm. Almost all flops of a sweep run in gemm.
 * - Aggressive early deflation (laqr3) computes the Schur form of a trailing window of the
 *   active block, finds the eigenvalues whose "spike" component is negligible, and deflates
 *   them, often many at a time, long before a subdiagonal entry becomes small; the
 *   remaining eigenvalues of the window become the next sweep's shifts. Eigenvalues that do
 *   not deflate are moved out of the way by swapping diagonal blocks of the Schur form
 *   (trexc/laexc: LAPACK dtrexc, dlaexc).
 *
 * Parameters (window sizes, shift counts, crossover orders) are LAPACK's iparmq defaults.
 * Blocks smaller than {@link NMIN} go to the double-shift routine {@link lahqr}.
 */
import { ConvergenceError } from '../../errors.js';
import { kernels } from '../../kernels/index.js';
import type { FloatArray } from '../../matrix/dtype.js';
import { gehrd, orghr } from './gehrd.js';
import { lahqr, lanv2, smallHouse, type Lanv2 } from './hseqr.js';
import { larf, larfg } from './householder.js';
import { PRECISION as EPS, SAFMIN } from './machine.js';
import { trsyl } from './trsyl.js';
import { withWorkspace, type Workspace } from '../../kernels/workspace.js';

/** Orders below which the double-shift QR (lahqr) is used (LAPACK's NMIN). */
export const NMIN = 75;
/**
 * Deflation windows up to this order get their Schur form from lahqr; larger ones recurse
 * into the multishift QR (LAPACK recurses from NMIN on). Measured here: the 84 x 84 windows
 * of n = 512 took 113 ms per eig through lahqr against 301 ms through the recursion (96 x 96
 * at n = 1024: 237 against 539 ms): at these orders the recursion's small gemm calls and
 * workspace traffic cost more than the flops they save.
 */
const AED_RECURSE = 150;
/** Percentage of the deflation window that must deflate to skip a sweep (LAPACK's NIBBLE). */
const NIBBLE = 14;
/** Iterations without deflation after which the window grows (KEXNW) or exceptional shifts are used (KEXSH). */
const KEXNW = 5;
const KEXSH = 6;
const WILK1 = 0.75;
const WILK2 = -0.4375;

/** Number of simultaneous shifts for an active block of order nh (LAPACK iparmq, ISPEC = 15). */
function shiftCount(nh: number): number {
  let ns: number;
  if (nh < 30) ns = 2;
  else if (nh < 60) ns = 4;
  else if (nh < 150) ns = 10;
  else if (nh < 590) ns = Math.max(10, Math.trunc(nh / Math.round(Math.log2(nh))));
  else if (nh < 3000) ns = 64;
  else if (nh < 6000) ns = 128;
  else ns = 256;
  return Math.max(2, ns - (ns % 2));
}

/** Deflation window size for an active block of order nh (LAPACK iparmq, ISPEC = 13). */
function windowSize(nh: number): number {
  const ns = shiftCount(nh);
  return nh <= 500 ? ns : Math.trunc((3 * ns) / 2);
}

interface Ctx {
  wantt: boolean;
  wantz: boolean;
  n: number;
  H: FloatArray;
  ldh: number;
  iloz: number;
  ihiz: number;
  Z: FloatArray;
  ldz: number;
  /** Scratch for the gemm updates: at least max(window, slab) x n. */
  wk: FloatArray;
  lv: Lanv2;
  depth: number;
}

// ---------------------------------------------------------------- block swaps (trexc)

function rotRows(T: FloatArray, ld: number, r1: number, r2: number, c0: number, c1: number, cs: number, sn: number): void {
  for (let j = c0; j < c1; j++) {
    const x = T[r1 + j * ld]!;
    const y = T[r2 + j * ld]!;
    T[r1 + j * ld] = cs * x + sn * y;
    T[r2 + j * ld] = cs * y - sn * x;
  }
}

function rotCols(T: FloatArray, ld: number, c1: number, c2: number, r0: number, r1: number, cs: number, sn: number): void {
  const a = c1 * ld;
  const b = c2 * ld;
  for (let i = r0; i < r1; i++) {
    const x = T[a + i]!;
    const y = T[b + i]!;
    T[a + i] = cs * x + sn * y;
    T[b + i] = cs * y - sn * x;
  }
}

// Standardize the 2 x 2 block at (j, j) of the n x n quasi-triangular T and carry the
// rotation through the rest of T and Q (as dlaexc does after a swap).
function standardize(n: number, T: FloatArray, ld: number, Q: FloatArray, ldq: number, j: number, lv: Lanv2): void {
  const p = j + j * ld;
  lanv2(T[p]!, T[p + ld]!, T[p + 1]!, T[p + 1 + ld]!, lv);
  T[p] = lv.a;
  T[p + ld] = lv.b;
  T[p + 1] = lv.c;
  T[p + 1 + ld] = lv.d;
  rotRows(T, ld, j, j + 1, j + 2, n, lv.cs, lv.sn);
  rotCols(T, ld, j, j + 1, 0, j, lv.cs, lv.sn);
  rotCols(Q, ldq, j, j + 1, 0, n, lv.cs, lv.sn);
}

/**
 * Swap the adjacent diagonal blocks T11 (n1 x n1, at row j1) and T22 (n2 x n2) of the n x n
 * upper quasi-triangular T by an orthogonal similarity, accumulated into Q (LAPACK
 * dlaexc). For blocks other than two 1 x 1 ones: X solves T11 X - X T22 = T12, the
 * Householder QR of [-X; I] gives the orthogonal transformation, and the swap is rejected
 * (returns false, nothing changed) when the transformed block's lower-left part exceeds
 * max(10 eps ||D||_max, smlnum), the test of dlaexc.
 */
export function laexc(n: number, T: FloatArray, ld: number, Q: FloatArray, ldq: number, j1: number, n1: number, n2: number, lv: Lanv2): boolean {
  const j2 = j1 + 1;
  if (n1 === 1 && n2 === 1) {
    const t11 = T[j1 + j1 * ld]!;
    const t22 = T[j2 + j2 * ld]!;
    // Rotation with [cs sn; -sn cs] [t12; t22 - t11] = [r; 0] (dlartg).
    const f = T[j1 + j2 * ld]!;
    const g = t22 - t11;
    let cs = 1;
    let sn = 0;
    if (g !== 0) {
      if (f === 0) {
        cs = 0;
        sn = g > 0 ? 1 : -1;
      } else {
        const r = Math.hypot(f, g);
        cs = Math.abs(f) / r;
        sn = f > 0 ? g / r : -g / r;
      }
    }
    rotRows(T, ld, j1, j2, j1 + 2, n, cs, sn);
    rotCols(T, ld, j1, j2, 0, j1, cs, sn);
    T[j1 + j1 * ld] = t22;
    T[j2 + j2 * ld] = t11;
    rotCols(Q, ldq, j1, j2, 0, n, cs, sn);
    return true;
  }
  const m = n1 + n2;
  const { D, X, W, R } = SWAP;
  // D = the m x m diagonal block (ld 4).
  let dnorm = 0;
  for (let c = 0; c < m; c++) {
    for (let r = 0; r < m; r++) {
      const v = T[j1 + r + (j1 + c) * ld]!;
      D[r + 4 * c] = v;
      dnorm = Math.max(dnorm, Math.abs(v));
    }
  }
  const thresh = Math.max(10 * EPS * dnorm, SAFMIN / EPS);
  // X (n1 x n2, ld 2): T11 X - X T22 = T12.
  for (let c = 0; c < n2; c++) for (let r = 0; r < n1; r++) X[r + 2 * c] = D[r + 4 * (n1 + c)]!;
  trsyl(false, false, -1, n1, n2, D, 0, 4, D, n1 + 4 * n1, 4, X, 0, 2);
  // W = [-X; I] (m x n2, ld 4), overwritten by its Householder QR: reflector k has
  // v = (1, W[k+1..m-1, k]) and tau R[k] (LAPACK's geqr2 storage).
  W.fill(0);
  for (let c = 0; c < n2; c++) {
    for (let r = 0; r < n1; r++) W[r + 4 * c] = -X[r + 2 * c]!;
    W[n1 + c + 4 * c] = 1;
  }
  for (let k = 0; k < n2; k++) {
    const tau = house(m - k, W, k + 4 * k);
    R[k] = tau;
    if (tau === 0) continue;
    for (let c = k + 1; c < n2; c++) {
      let s = W[k + 4 * c]!;
      for (let r = k + 1; r < m; r++) s += W[r + 4 * k]! * W[r + 4 * c]!;
      s *= tau;
      W[k + 4 * c] = W[k + 4 * c]! - s;
      for (let r = k + 1; r < m; r++) W[r + 4 * c] = W[r + 4 * c]! - s * W[r + 4 * k]!;
    }
  }
  // Provisional swap on D: D := Q^T D Q with Q = H_0 ... H_{n2-1}.
  reflectLeft(m, n2, D, 0, 4, m);
  reflectRight(m, n2, D, 0, 4, m);
  let worst = 0;
  for (let c = 0; c < n2; c++) for (let r = n2; r < m; r++) worst = Math.max(worst, Math.abs(D[r + 4 * c]!));
  if (!(worst <= thresh)) return false;
  // Accept: rows j1..j1+m-1 from column j1 on, columns j1..j1+m-1 down to row j1+m-1, and Q.
  reflectLeft(m, n2, T, j1 + j1 * ld, ld, n - j1);
  reflectRight(m, n2, T, j1 * ld, ld, j1 + m);
  reflectRight(m, n2, Q, j1 * ldq, ldq, n);
  for (let c = 0; c < n2; c++) for (let r = n2; r < m; r++) T[j1 + r + (j1 + c) * ld] = 0;
  if (n2 === 2) standardize(n, T, ld, Q, ldq, j1, lv);
  if (n1 === 2) standardize(n, T, ld, Q, ldq, j1 + n2, lv);
  return true;
}

/** Scratch of {@link laexc} (orders <= 4). */
const SWAP = { D: new Float64Array(16), X: new Float64Array(4), W: new Float64Array(16), R: new Float64Array(2) };

// Householder reflector on the len entries A[off..off+len-1] (LAPACK dlarfg without the
// rescaling loop, which these O(1)-sized, O(||T||)-scaled blocks never need): returns tau,
// leaves beta in A[off] and v[1..] below it.
function house(len: number, A: Float64Array, off: number): number {
  let xnorm = 0;
  for (let r = 1; r < len; r++) xnorm = Math.hypot(xnorm, A[off + r]!);
  if (xnorm === 0) return 0;
  const alpha = A[off]!;
  const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
  const tau = (beta - alpha) / beta;
  const sc = 1 / (alpha - beta);
  for (let r = 1; r < len; r++) A[off + r] = A[off + r]! * sc;
  A[off] = beta;
  return tau;
}

// The swap's reflectors (SWAP.W / SWAP.R) as scalars: m = n1 + n2 is 3 or 4 and there are
// k = n2 of them (1 or 2); reflector q acts on entries q..m-1 with v = (1, W[q+1..m-1, q]).
// Entries past m are zero, so the same straight-line code serves m = 3 (LAPACK's dlarfx
// unrolls these small reflectors the same way). A zero tau leaves the vector unchanged.
const RF = new Float64Array(7);
function loadReflectors(m: number, k: number): void {
  const { W, R } = SWAP;
  RF[0] = R[0]!;
  RF[1] = W[1]!;
  RF[2] = W[2]!;
  RF[3] = m > 3 ? W[3]! : 0;
  RF[4] = k > 1 ? R[1]! : 0;
  RF[5] = k > 1 ? W[6]! : 0;
  RF[6] = k > 1 && m > 3 ? W[7]! : 0;
}

// A := H_{k-1} ... H_0 A (= Q^T A) on rows 0..m-1 of `cols` columns at (off, lda).
function reflectLeft(m: number, k: number, A: FloatArray, off: number, lda: number, cols: number): void {
  reflectVectors(m, k, A, off, 1, lda, cols);
}

// A := A H_0 ... H_{k-1} (= A Q) on columns 0..m-1 (at off, lda) of `rows` rows.
function reflectRight(m: number, k: number, A: FloatArray, off: number, lda: number, rows: number): void {
  reflectVectors(m, k, A, off, lda, 1, rows);
}

// The swap's reflectors applied to `count` vectors of m entries: entry e of vector c at
// off + e * step + c * next (a column of A for Q^T A, a row for A Q: the same arithmetic).
function reflectVectors(m: number, k: number, A: FloatArray, off: number, step: number, next: number, count: number): void {
  loadReflectors(m, k);
  const t0 = RF[0]!, w10 = RF[1]!, w20 = RF[2]!, w30 = RF[3]!;
  const t1 = RF[4]!, w21 = RF[5]!, w31 = RF[6]!;
  const four = m > 3;
  const two = k > 1;
  for (let c = 0; c < count; c++) {
    const p0 = off + c * next;
    const p1 = p0 + step;
    const p2 = p1 + step;
    const p3 = p2 + step;
    let a0 = A[p0]!;
    let a1 = A[p1]!;
    let a2 = A[p2]!;
    let a3 = four ? A[p3]! : 0;
    let s = (a0 + w10 * a1 + w20 * a2 + w30 * a3) * t0;
    a0 -= s;
    a1 -= s * w10;
    a2 -= s * w20;
    a3 -= s * w30;
    if (two) {
      s = (a1 + w21 * a2 + w31 * a3) * t1;
      a1 -= s;
      a2 -= s * w21;
      a3 -= s * w31;
    }
    A[p0] = a0;
    A[p1] = a1;
    A[p2] = a2;
    if (four) A[p3] = a3;
  }
}

/**
 * Move the diagonal block of T starting at row `ifst` up to start at row `ilst` (< ifst,
 * a block boundary) by adjacent swaps, accumulating into Q (LAPACK dtrexc, upward moves).
 * A 2 x 2 block that splits into two real eigenvalues on the way moves on as two 1 x 1
 * blocks, so the moved eigenvalues end up in rows ilst.. either way.
 * @returns false when a swap was rejected (T and Q stay a valid Schur form).
 */
export function trexcUp(n: number, T: FloatArray, ld: number, Q: FloatArray, ldq: number, ifst: number, ilst: number, lv: Lanv2): boolean {
  const nbf = ifst + 1 < n && T[ifst + 1 + ifst * ld] !== 0 ? 2 : 1;
  let here = ifst;
  while (here > ilst) {
    const nbnext = here >= 2 && T[here - 1 + (here - 2) * ld] !== 0 ? 2 : 1;
    if (!laexc(n, T, ld, Q, ldq, here - nbnext, nbnext, nbf, lv)) return false;
    here -= nbnext;
    if (nbf === 2 && T[here + 1 + here * ld] === 0) {
      // Split: move the two real eigenvalues on one at a time.
      if (!trexcUp(n, T, ld, Q, ldq, here, ilst, lv)) return false;
      return trexcUp(n, T, ld, Q, ldq, here + 1, ilst + 1, lv);
    }
  }
  return true;
}

// ------------------------------------------------------------------ gemm updates

// Rows r0..r1-1 of columns c0..c0+k-1 of A (ld lda) := A(rows, cols) U (U k x k, ld ldu).
function multiplyRight(A: FloatArray, lda: number, r0: number, r1: number, c0: number, k: number, U: FloatArray, offU: number, ldu: number, wk: FloatArray): void {
  const rows = r1 - r0;
  if (rows <= 0 || k <= 0) return;
  const g = kernels();
  // Chunks of rows so the scratch (rows x k) fits in wk.
  const chunk = Math.max(1, Math.floor(wk.length / k));
  for (let r = r0; r < r1; r += chunk) {
    const len = Math.min(chunk, r1 - r);
    g.gemm(false, false, len, k, k, 1, A, r + c0 * lda, lda, U, offU, ldu, 0, wk, 0, len);
    for (let c = 0; c < k; c++) A.set(wk.subarray(c * len, c * len + len), r + (c0 + c) * lda);
  }
}

// Rows r0..r0+k-1 of columns c0..c1-1 of A := U^T A(rows, cols). The left-side twin of
// multiplyRight (chunks of columns instead of rows, U transposed, k-row copy-back), kept
// apart as dlaqr5 keeps its two dgemm + dlacpy blocks: one function with a side flag would
// branch on every line.
function multiplyLeftT(A: FloatArray, lda: number, r0: number, k: number, c0: number, c1: number, U: FloatArray, offU: number, ldu: number, wk: FloatArray): void {
  const cols = c1 - c0;
  if (cols <= 0 || k <= 0) return;
  const g = kernels();
  const chunk = Math.max(1, Math.floor(wk.length / k));
  for (let c = c0; c < c1; c += chunk) {
    const len = Math.min(chunk, c1 - c);
    g.gemm(true, false, k, len, k, 1, U, offU, ldu, A, r0 + c * lda, lda, 0, wk, 0, k);
    for (let j = 0; j < len; j++) A.set(wk.subarray(j * k, j * k + k), r0 + (c + j) * lda);
  }
}

// ------------------------------------------------------------------ the sweep (laqr5)

// First column of (H - s1 I)(H - s2 I) for the 2 x 2 or 3 x 3 H at (off, ld), scaled
// (LAPACK dlaqr1); s1, s2 real or a conjugate pair.
function laqr1(nn: 2 | 3, H: FloatArray, off: number, ld: number, sr1: number, si1: number, sr2: number, si2: number, v: Float64Array): void {
  const h00 = H[off]!;
  const h10 = H[off + 1]!;
  const h01 = H[off + ld]!;
  const h11 = H[off + 1 + ld]!;
  if (nn === 2) {
    const s = Math.abs(h00 - sr2) + Math.abs(si2) + Math.abs(h10);
    if (s === 0) {
      v[0] = 0;
      v[1] = 0;
      return;
    }
    const h21s = h10 / s;
    v[0] = h21s * h01 + (h00 - sr1) * ((h00 - sr2) / s) - si1 * (si2 / s);
    v[1] = h21s * (h00 + h11 - sr1 - sr2);
    return;
  }
  const h20 = H[off + 2]!;
  const h02 = H[off + 2 * ld]!;
  const h12 = H[off + 1 + 2 * ld]!;
  const h21 = H[off + 2 + ld]!;
  const h22 = H[off + 2 + 2 * ld]!;
  const s = Math.abs(h00 - sr2) + Math.abs(si2) + Math.abs(h10) + Math.abs(h20);
  if (s === 0) {
    v[0] = 0;
    v[1] = 0;
    v[2] = 0;
    return;
  }
  const h21s = h10 / s;
  const h31s = h20 / s;
  v[0] = (h00 - sr1) * ((h00 - sr2) / s) - si1 * (si2 / s) + h01 * h21s + h02 * h31s;
  v[1] = h21s * (h00 + h11 - sr1 - sr2) + h12 * h31s;
  v[2] = h31s * (h00 + h22 - sr1 - sr2) + h21s * h21;
}

/**
 * One small-bulge multishift QR sweep over the active block ktop..kbot (0-based, inclusive)
 * with the `nshfts` shifts sr/si[so..so+nshfts-1] (LAPACK 3.10's dlaqr5 with accumulated
 * reflections, without exploiting the 2 x 2 block structure of U). The ns/2 bulges sit two
 * rows apart, so a slab of 2 ns rows moves the chain ns rows down; the one row of each
 * bulge's right update below its reflector is delayed to the bulge's next step.
 */
function laqr5(c: Ctx, ktop: number, kbot: number, nshfts: number, sr: Float64Array, si: Float64Array, so: number, ws: Workspace): void {
  if (nshfts < 2 || ktop >= kbot) return;
  const { wantt, wantz, n, H, ldh, Z, ldz, iloz, ihiz, wk } = c;
  // Pairs of real shifts and pairs of complex conjugate shifts.
  for (let i = so; i < so + nshfts - 2; i += 2) {
    if (si[i] !== -si[i + 1]!) {
      let t = sr[i]!;
      sr[i] = sr[i + 1]!;
      sr[i + 1] = sr[i + 2]!;
      sr[i + 2] = t;
      t = si[i]!;
      si[i] = si[i + 1]!;
      si[i + 1] = si[i + 2]!;
      si[i + 2] = t;
    }
  }
  const ns = nshfts - (nshfts % 2);
  const ulp = EPS;
  const smlnum = SAFMIN * (n / ulp);
  if (ktop + 2 <= kbot) H[ktop + 2 + ktop * ldh] = 0;
  const nbmps = ns / 2;
  const kdu = 4 * nbmps;
  // Reflectors: tau in V[3m], v = (1, V[3m+1], V[3m+2]); slot nbmps for the 2 x 2 one.
  const V = new Float64Array(3 * (nbmps + 1));
  const vt = new Float64Array(3);
  const x = new Float64Array(3);
  const U = ws.f64(kdu * kdu);

  for (let incol = ktop + 1 - 2 * nbmps; incol <= kbot - 2; incol += 2 * nbmps) {
    const ndcol = incol + kdu;
    const jtop = Math.max(ktop, incol);
    const jbot = Math.min(ndcol, kbot);
    const k1 = Math.max(0, ktop - incol - 1);
    U.fill(0);
    for (let i = 0; i < kdu; i++) U[i + i * kdu] = 1;
    const krEnd = Math.min(incol + 2 * nbmps - 1, kbot - 2);
    for (let krcol = incol; krcol <= krEnd; krcol++) {
      // Active bulges mtop..mbot, bulge m at K = krcol + 2 m (reflector on rows K+1..K+3).
      const mtop = Math.max(0, Math.ceil((ktop - 1 - krcol) / 2));
      const mbot = Math.min(nbmps - 1, Math.floor((kbot - krcol - 3) / 2));
      const m22 = mbot + 1;
      const bmp22 = m22 < nbmps && krcol + 2 * m22 === kbot - 2;

      if (bmp22) {
        // A 2 x 2 reflection at the bottom: generate it and apply it within the slab.
        const K = krcol + 2 * m22;
        const p = 3 * nbmps;
        if (K === ktop - 1) {
          laqr1(2, H, K + 1 + (K + 1) * ldh, ldh, sr[so + 2 * m22]!, si[so + 2 * m22]!, sr[so + 2 * m22 + 1]!, si[so + 2 * m22 + 1]!, vt);
          x[0] = vt[0]!;
          x[1] = vt[1]!;
          V[p] = smallHouse(2, x);
          V[p + 1] = x[1]!;
        } else {
          x[0] = H[K + 1 + K * ldh]!;
          x[1] = H[K + 2 + K * ldh]!;
          V[p] = smallHouse(2, x);
          V[p + 1] = x[1]!;
          H[K + 1 + K * ldh] = x[0]!;
          H[K + 2 + K * ldh] = 0;
        }
        const t1 = V[p]!;
        const v2 = V[p + 1]!;
        const t2 = t1 * v2;
        const c1 = (K + 1) * ldh;
        const c2 = c1 + ldh;
        for (let j = jtop, e = Math.min(kbot, K + 3); j <= e; j++) {
          const refsum = H[c1 + j]! + v2 * H[c2 + j]!;
          H[c1 + j] = H[c1 + j]! - refsum * t1;
          H[c2 + j] = H[c2 + j]! - refsum * t2;
        }
        for (let j = K + 1; j <= jbot; j++) {
          const q = K + 1 + j * ldh;
          const refsum = H[q]! + v2 * H[q + 1]!;
          H[q] = H[q]! - refsum * t1;
          H[q + 1] = H[q + 1]! - refsum * t2;
        }
        if (K >= ktop) vigilant(H, ldh, K, ktop, kbot, smlnum, ulp);
        const kms = K - incol;
        const u1 = kms * kdu;
        const u2 = u1 + kdu;
        for (let j = k1; j < kdu; j++) {
          const refsum = U[u1 + j]! + v2 * U[u2 + j]!;
          U[u1 + j] = U[u1 + j]! - refsum * t1;
          U[u2 + j] = U[u2 + j]! - refsum * t2;
        }
      }

      // The chain of 3 x 3 reflections, bottom bulge first.
      for (let m = mbot; m >= mtop; m--) {
        const K = krcol + 2 * m;
        const p = 3 * m;
        if (K === ktop - 1) {
          laqr1(3, H, ktop + ktop * ldh, ldh, sr[so + 2 * m]!, si[so + 2 * m]!, sr[so + 2 * m + 1]!, si[so + 2 * m + 1]!, vt);
          x[0] = vt[0]!;
          x[1] = vt[1]!;
          x[2] = vt[2]!;
          V[p] = smallHouse(3, x);
          V[p + 1] = x[1]!;
          V[p + 2] = x[2]!;
        } else {
          // The delayed right update of row K+3 by this bulge's previous reflector (columns
          // K..K+2, of which only H(K+3, K+2) is nonzero in that row).
          {
            const t1 = V[p]!;
            const refsum = V[p + 2]! * H[K + 3 + (K + 2) * ldh]!;
            H[K + 3 + K * ldh] = -refsum * t1;
            H[K + 3 + (K + 1) * ldh] = -refsum * t1 * V[p + 1]!;
            H[K + 3 + (K + 2) * ldh] = H[K + 3 + (K + 2) * ldh]! - refsum * t1 * V[p + 2]!;
          }
          x[0] = H[K + 1 + K * ldh]!;
          x[1] = H[K + 2 + K * ldh]!;
          x[2] = H[K + 3 + K * ldh]!;
          const tau = smallHouse(3, x);
          const beta = x[0]!;
          V[p] = tau;
          V[p + 1] = x[1]!;
          V[p + 2] = x[2]!;
          if (H[K + 3 + K * ldh] !== 0 || H[K + 3 + (K + 1) * ldh] !== 0 || H[K + 3 + (K + 2) * ldh] === 0) {
            H[K + 1 + K * ldh] = beta;
            H[K + 2 + K * ldh] = 0;
            H[K + 3 + K * ldh] = 0;
          } else {
            // The bulge collapsed (vigilant deflation or underflow): try a fresh one from the
            // shifts, kept only if the fill it makes is negligible.
            laqr1(3, H, K + 1 + (K + 1) * ldh, ldh, sr[so + 2 * m]!, si[so + 2 * m]!, sr[so + 2 * m + 1]!, si[so + 2 * m + 1]!, vt);
            x[0] = vt[0]!;
            x[1] = vt[1]!;
            x[2] = vt[2]!;
            const tt = smallHouse(3, x);
            const refsum = tt * (H[K + 1 + K * ldh]! + x[1]! * H[K + 2 + K * ldh]!);
            const fill = Math.abs(H[K + 2 + K * ldh]! - refsum * x[1]!) + Math.abs(refsum * x[2]!);
            if (fill > ulp * (Math.abs(H[K + K * ldh]!) + Math.abs(H[K + 1 + (K + 1) * ldh]!) + Math.abs(H[K + 2 + (K + 2) * ldh]!))) {
              H[K + 1 + K * ldh] = beta;
            } else {
              H[K + 1 + K * ldh] = H[K + 1 + K * ldh]! - refsum;
              V[p] = tt;
              V[p + 1] = x[1]!;
              V[p + 2] = x[2]!;
            }
            H[K + 2 + K * ldh] = 0;
            H[K + 3 + K * ldh] = 0;
          }
        }
        // The right update within the slab, and the left update of the next column (both
        // needed by the vigilant deflation check; the rest of the left update comes below).
        const t1 = V[p]!;
        const v2 = V[p + 1]!;
        const v3 = V[p + 2]!;
        const t2 = t1 * v2;
        const t3 = t1 * v3;
        const c1 = (K + 1) * ldh;
        const c2 = c1 + ldh;
        const c3 = c2 + ldh;
        for (let j = jtop, e = Math.min(kbot, K + 3); j <= e; j++) {
          const refsum = H[c1 + j]! + v2 * H[c2 + j]! + v3 * H[c3 + j]!;
          H[c1 + j] = H[c1 + j]! - refsum * t1;
          H[c2 + j] = H[c2 + j]! - refsum * t2;
          H[c3 + j] = H[c3 + j]! - refsum * t3;
        }
        {
          const q = K + 1 + c1;
          const refsum = H[q]! + v2 * H[q + 1]! + v3 * H[q + 2]!;
          H[q] = H[q]! - refsum * t1;
          H[q + 1] = H[q + 1]! - refsum * t2;
          H[q + 2] = H[q + 2]! - refsum * t3;
        }
        if (K >= ktop) vigilant(H, ldh, K, ktop, kbot, smlnum, ulp);
      }

      // The left updates, columns K+2.. of the slab.
      for (let m = mbot; m >= mtop; m--) {
        const K = krcol + 2 * m;
        const p = 3 * m;
        const t1 = V[p]!;
        const v2 = V[p + 1]!;
        const v3 = V[p + 2]!;
        const t2 = t1 * v2;
        const t3 = t1 * v3;
        for (let j = Math.max(ktop, K + 2); j <= jbot; j++) {
          const q = K + 1 + j * ldh;
          const refsum = H[q]! + v2 * H[q + 1]! + v3 * H[q + 2]!;
          H[q] = H[q]! - refsum * t1;
          H[q + 1] = H[q + 1]! - refsum * t2;
          H[q + 2] = H[q + 2]! - refsum * t3;
        }
      }

      // Accumulate U. Column c of U is nonzero only in rows >= 2 m for the bulge m touching it
      // (it started as e_c and was mixed only with columns this bulge touched before) and in
      // rows up to the bottom bulge's reach.
      const t = krcol - incol;
      const i4 = Math.min(kdu - 1, t + 2 * mbot + 4);
      for (let m = mbot; m >= mtop; m--) {
        const K = krcol + 2 * m;
        const p = 3 * m;
        const t1 = V[p]!;
        const v2 = V[p + 1]!;
        const v3 = V[p + 2]!;
        const t2 = t1 * v2;
        const t3 = t1 * v3;
        const u1 = (K - incol) * kdu;
        const u2 = u1 + kdu;
        const u3 = u2 + kdu;
        for (let j = Math.max(k1, 2 * m); j <= i4; j++) {
          const refsum = U[u1 + j]! + v2 * U[u2 + j]! + v3 * U[u3 + j]!;
          U[u1 + j] = U[u1 + j]! - refsum * t1;
          U[u2 + j] = U[u2 + j]! - refsum * t2;
          U[u3 + j] = U[u3 + j]! - refsum * t3;
        }
      }
    }

    // Update the far-from-diagonal parts of H, and Z, with U.
    const jtopFar = wantt ? 0 : ktop;
    const jbotFar = wantt ? n - 1 : kbot;
    const nu = kdu - Math.max(0, ndcol - kbot) - k1;
    const offU = k1 + k1 * kdu;
    // Horizontal: the slab's rows in the columns right of the slab.
    multiplyLeftT(H, ldh, incol + 1 + k1, nu, Math.min(ndcol, kbot) + 1, jbotFar + 1, U, offU, kdu, wk);
    // Vertical: the rows above the slab.
    multiplyRight(H, ldh, jtopFar, Math.max(ktop, incol), incol + 1 + k1, nu, U, offU, kdu, wk);
    if (wantz) multiplyRight(Z, ldz, iloz, ihiz + 1, incol + 1 + k1, nu, U, offU, kdu, wk);
  }
}

// Vigilant deflation check of H(k+1, k) as the bulges pass (dlaqr5): zero it when it is
// negligible by both the traditional and the Ahues & Tisseur criteria.
function vigilant(H: FloatArray, ldh: number, k: number, ktop: number, kbot: number, smlnum: number, ulp: number): void {
  const kk = k + k * ldh;
  const sub = H[kk + 1]!;
  if (sub === 0) return;
  const hkk = H[kk]!;
  const h11 = H[kk + 1 + ldh]!;
  let tst1 = Math.abs(hkk) + Math.abs(h11);
  if (tst1 === 0) {
    if (k >= ktop + 1) tst1 += Math.abs(H[kk - ldh]!);
    if (k >= ktop + 2) tst1 += Math.abs(H[kk - 2 * ldh]!);
    if (k >= ktop + 3) tst1 += Math.abs(H[kk - 3 * ldh]!);
    if (k <= kbot - 2) tst1 += Math.abs(H[kk + 2 + ldh]!);
    if (k <= kbot - 3) tst1 += Math.abs(H[kk + 3 + ldh]!);
    if (k <= kbot - 4) tst1 += Math.abs(H[kk + 4 + ldh]!);
  }
  if (Math.abs(sub) > Math.max(smlnum, ulp * tst1)) return;
  const sup = H[kk + ldh]!;
  const ab = Math.max(Math.abs(sub), Math.abs(sup));
  const ba = Math.min(Math.abs(sub), Math.abs(sup));
  const aa = Math.max(Math.abs(h11), Math.abs(hkk - h11));
  const bb = Math.min(Math.abs(h11), Math.abs(hkk - h11));
  const scl = aa + ab;
  const tst2 = bb * (aa / scl);
  if (tst2 === 0 || ba * (ab / scl) <= Math.max(smlnum, ulp * tst2)) H[kk + 1] = 0;
}

// ----------------------------------------------------- aggressive early deflation (laqr3)

/**
 * Aggressive early deflation on the trailing window of order nw of the active block
 * ktop..kbot (LAPACK dlaqr3). Eigenvalues found converged are written to wr/wi and the
 * window is returned to Hessenberg form; the unconverged window eigenvalues are left in
 * wr/wi[kbot - nd - ns + 1 .. kbot - nd] as shifts.
 * @returns ns (shifts available) and nd (eigenvalues deflated).
 */
function laqr3(c: Ctx, ktop: number, kbot: number, nw: number, wr: Float64Array, wi: Float64Array, ws: Workspace): { ns: number; nd: number } {
  const { wantt, wantz, n, H, ldh, Z, ldz, iloz, ihiz, wk, lv } = c;
  const h = (i: number, j: number): number => H[i + j * ldh]!;
  const ulp = EPS;
  const smlnum = SAFMIN * (n / ulp);
  const jw = Math.min(nw, kbot - ktop + 1);
  const kwtop = kbot - jw + 1;
  let s = kwtop === ktop ? 0 : h(kwtop, kwtop - 1);
  if (kbot === kwtop) {
    // A 1 x 1 window.
    wr[kwtop] = h(kwtop, kwtop);
    wi[kwtop] = 0;
    if (Math.abs(s) <= Math.max(smlnum, ulp * Math.abs(h(kwtop, kwtop)))) {
      if (kwtop > ktop) H[kwtop + (kwtop - 1) * ldh] = 0;
      return { ns: 0, nd: 1 };
    }
    return { ns: 1, nd: 0 };
  }
  return withWorkspace((w2) => {
    // T = the window (Hessenberg), V = I; then T = V^T window V in Schur form.
    const T = w2.f64(jw * jw);
    const Vw = w2.f64(jw * jw);
    for (let j = 0; j < jw; j++) {
      for (let i = 0; i <= Math.min(j + 1, jw - 1); i++) T[i + j * jw] = h(kwtop + i, kwtop + j);
      Vw[j + j * jw] = 1;
    }
    const wrw = wr.subarray(kwtop, kwtop + jw);
    const wiw = wi.subarray(kwtop, kwtop + jw);
    let infqr: number;
    if (jw > AED_RECURSE && c.depth === 0) {
      infqr = laqr0Core({ ...c, n: jw, H: T, ldh: jw, iloz: 0, ihiz: jw - 1, Z: Vw, ldz: jw, wantt: true, wantz: true, depth: 1, wk: w2.f64(Math.max(1, jw * jw)) }, 0, jw - 1, wrw, wiw, w2);
    } else {
      infqr = lahqr(true, true, jw, 0, jw - 1, T, 0, jw, wrw, wiw, 0, jw - 1, Vw, 0, jw);
    }
    // trexc needs a clean margin below the subdiagonal.
    for (let j = 0; j < jw - 3; j++) {
      T[j + 2 + j * jw] = 0;
      T[j + 3 + j * jw] = 0;
    }
    if (jw > 2) T[jw - 1 + (jw - 3) * jw] = 0;

    // Deflation detection: test the spike component of the bottom block; deflate it, or move
    // it to the top of the undeflated part (ilst) out of the way.
    let ns = jw;
    let ilst = infqr;
    while (ilst <= ns - 1) {
      const bulge = ns > 1 && T[ns - 1 + (ns - 2) * jw] !== 0;
      if (!bulge) {
        let foo = Math.abs(T[ns - 1 + (ns - 1) * jw]!);
        if (foo === 0) foo = Math.abs(s);
        if (Math.abs(s * Vw[(ns - 1) * jw]!) <= Math.max(smlnum, ulp * foo)) {
          ns -= 1;
        } else {
          trexcUp(jw, T, jw, Vw, jw, ns - 1, ilst, lv);
          ilst += 1;
        }
      } else {
        let foo = Math.abs(T[ns - 1 + (ns - 1) * jw]!) + Math.sqrt(Math.abs(T[ns - 1 + (ns - 2) * jw]!)) * Math.sqrt(Math.abs(T[ns - 2 + (ns - 1) * jw]!));
        if (foo === 0) foo = Math.abs(s);
        if (Math.max(Math.abs(s * Vw[(ns - 1) * jw]!), Math.abs(s * Vw[(ns - 2) * jw]!)) <= Math.max(smlnum, ulp * foo)) {
          ns -= 2;
        } else {
          // A rejected swap leaves the block where it is; counting it as moved keeps the loop
          // finite and only costs a possible deflation (dtrexc's contract in dlaqr3).
          trexcUp(jw, T, jw, Vw, jw, ns - 2, ilst, lv);
          ilst += 2;
        }
      }
    }
    if (ns === 0) s = 0;

    // Eigenvalues of the window from T.
    for (let i = jw - 1; i >= infqr; ) {
      if (i === infqr || T[i + (i - 1) * jw] === 0) {
        wrw[i] = T[i + i * jw]!;
        wiw[i] = 0;
        i -= 1;
      } else {
        const p = i - 1 + (i - 1) * jw;
        lanv2(T[p]!, T[p + jw]!, T[p + 1]!, T[p + 1 + jw]!, lv);
        wrw[i - 1] = lv.rt1r;
        wiw[i - 1] = lv.rt1i;
        wrw[i] = lv.rt2r;
        wiw[i] = lv.rt2i;
        i -= 2;
      }
    }

    if (ns < jw || s === 0) {
      let tauH: Float64Array | undefined;
      if (ns > 1 && s !== 0) {
        // Reflect the spike back: a reflector R with R (first row of V)^T = beta e1 on the
        // undeflated part, then back to Hessenberg form.
        const work = w2.f64(jw);
        for (let j = 0; j < ns; j++) work[j] = Vw[j * jw]!;
        const tau = larfg(ns, work, 0, 1, 1);
        work[0] = 1;
        for (let j = 0; j < jw; j++) for (let i = j + 2; i < jw; i++) T[i + j * jw] = 0;
        const scratch = w2.f64(jw);
        larf('L', ns, jw, work, 0, 1, tau, T, 0, jw, scratch);
        larf('R', ns, ns, work, 0, 1, tau, T, 0, jw, scratch);
        larf('R', jw, ns, work, 0, 1, tau, Vw, 0, jw, scratch);
        tauH = new Float64Array(Math.max(1, jw - 1));
        gehrd(jw, 0, ns - 1, T, 0, jw, tauH, w2);
      }
      if (kwtop > 0) H[kwtop + (kwtop - 1) * ldh] = s * Vw[0]!;
      for (let j = 0; j < jw; j++) {
        for (let i = 0; i <= j; i++) H[kwtop + i + (kwtop + j) * ldh] = T[i + j * jw]!;
        if (j + 1 < jw) H[kwtop + j + 1 + (kwtop + j) * ldh] = T[j + 1 + j * jw]!;
      }
      if (tauH) {
        // V := V Q with Q the Hessenberg reduction's orthogonal factor.
        const Qh = w2.f64(jw * jw);
        orghr(jw, 0, ns - 1, T, 0, jw, tauH, Qh, 0, jw, w2);
        multiplyRight(Vw, jw, 0, jw, 0, jw, Qh, 0, jw, wk);
      }
      const ltop = wantt ? 0 : ktop;
      multiplyRight(H, ldh, ltop, kwtop, kwtop, jw, Vw, 0, jw, wk);
      if (wantt) multiplyLeftT(H, ldh, kwtop, jw, kbot + 1, n, Vw, 0, jw, wk);
      if (wantz) multiplyRight(Z, ldz, iloz, ihiz + 1, kwtop, jw, Vw, 0, jw, wk);
    }
    return { ns: ns - infqr, nd: jw - ns };
  });
}

// ------------------------------------------------------------------------ the driver

/**
 * Schur form of the active part ilo..ihi of c.H by multishift QR with aggressive early
 * deflation (LAPACK dlaqr0). Eigenvalues go to wr/wi[ilo..ihi].
 * @returns 0, or 1 + the last row of the block that failed to converge.
 */
function laqr0Core(c: Ctx, ilo: number, ihi: number, wr: Float64Array, wi: Float64Array, ws: Workspace): number {
  const { n, H, ldh } = c;
  const h = (i: number, j: number): number => H[i + j * ldh]!;
  if (n < NMIN || ihi - ilo + 1 < NMIN) {
    return lahqr(c.wantt, c.wantz, n, ilo, ihi, H, 0, ldh, wr, wi, c.iloz, c.ihiz, c.Z, 0, c.ldz);
  }
  const nh0 = ihi - ilo + 1;
  let nwr = Math.max(2, windowSize(nh0));
  nwr = Math.min(nh0, Math.trunc((n - 1) / 3), nwr);
  let nsr = Math.min(shiftCount(nh0), Math.trunc((n + 6) / 9), ihi - ilo);
  nsr = Math.max(2, nsr - (nsr % 2));
  const nwmax = Math.trunc((n - 1) / 3);
  let nsmax = Math.trunc((n + 6) / 9);
  nsmax -= nsmax % 2;
  let nw = nwmax;
  let ndfl = 1;
  let ndec = -1;
  const itmax = Math.max(30, 2 * KEXSH) * Math.max(10, nh0);
  let kbot = ihi;
  const lv = c.lv;
  for (let it = 1; it <= itmax; it++) {
    if (kbot < ilo) return 0;
    // The active block ktop..kbot.
    let k = kbot;
    while (k > ilo && h(k, k - 1) !== 0) k--;
    const ktop = k;
    // Deflation window size (grows, then shrinks, when deflations stall).
    const nh = kbot - ktop + 1;
    const nwupbd = Math.min(nh, nwmax);
    nw = ndfl < KEXNW ? Math.min(nwupbd, nwr) : Math.min(nwupbd, 2 * nw);
    if (nw < nwmax) {
      if (nw >= nh - 1) nw = nh;
      else {
        const kwtop = kbot - nw + 1;
        if (Math.abs(h(kwtop, kwtop - 1)) > Math.abs(h(kwtop - 1, kwtop - 2))) nw++;
      }
    }
    if (ndfl < KEXNW) ndec = -1;
    else if (ndec >= 0 || nw >= nwupbd) {
      ndec++;
      if (nw - ndec < 2) ndec = 0;
      nw -= ndec;
    }
    const aed = laqr3(c, ktop, kbot, nw, wr, wi, ws);
    const ld = aed.nd;
    kbot -= ld;
    let ks = kbot - aed.ns + 1;
    // Skip the sweep when many eigenvalues just deflated or the block is small.
    if (ld === 0 || (100 * ld <= nw * NIBBLE && kbot - ktop + 1 > Math.min(NMIN, nwmax))) {
      let ns = Math.min(nsmax, nsr, Math.max(2, kbot - ktop));
      ns -= ns % 2;
      if (ndfl % KEXSH === 0) {
        // Exceptional shifts.
        ks = kbot - ns + 1;
        for (let i = kbot; i >= Math.max(ks + 1, ktop + 2); i -= 2) {
          const ss = Math.abs(h(i, i - 1)) + Math.abs(h(i - 1, i - 2));
          const aa = WILK1 * ss + h(i, i);
          lanv2(aa, ss, WILK2 * ss, aa, lv);
          wr[i - 1] = lv.rt1r;
          wi[i - 1] = lv.rt1i;
          wr[i] = lv.rt2r;
          wi[i] = lv.rt2i;
        }
        if (ks === ktop) {
          wr[ks + 1] = h(ks + 1, ks + 1);
          wi[ks + 1] = 0;
          wr[ks] = wr[ks + 1]!;
          wi[ks] = wi[ks + 1]!;
        }
      } else {
        if (kbot - ks + 1 <= ns / 2) {
          // Too few shifts from the deflation window: use the eigenvalues of a trailing
          // principal submatrix of order ns.
          ks = kbot - ns + 1;
          const inf = withWorkspace((w3) => {
            const Ts = w3.f64(ns * ns);
            for (let j = 0; j < ns; j++) for (let i = 0; i <= Math.min(j + 1, ns - 1); i++) Ts[i + j * ns] = h(ks + i, ks + j);
            const srs = wr.subarray(ks, ks + ns);
            const sis = wi.subarray(ks, ks + ns);
            if (ns > NMIN && c.depth === 0) {
              return laqr0Core({ ...c, n: ns, H: Ts, ldh: ns, wantt: false, wantz: false, iloz: 0, ihiz: -1, Z: Ts, ldz: ns, depth: 1, wk: w3.f64(ns * ns) }, 0, ns - 1, srs, sis, w3);
            }
            return lahqr(false, false, ns, 0, ns - 1, Ts, 0, ns, srs, sis, 0, -1, Ts, 0, ns);
          });
          ks += inf;
          if (ks >= kbot) {
            // Rare QR failure: the eigenvalues of the trailing 2 x 2 block.
            lanv2(h(kbot - 1, kbot - 1), h(kbot - 1, kbot), h(kbot, kbot - 1), h(kbot, kbot), lv);
            wr[kbot - 1] = lv.rt1r;
            wi[kbot - 1] = lv.rt1i;
            wr[kbot] = lv.rt2r;
            wi[kbot] = lv.rt2i;
            ks = kbot - 1;
          }
        }
        if (kbot - ks + 1 > ns) {
          // Sort the shifts by decreasing magnitude (bubble sort keeps conjugate pairs
          // together), so the smallest ns are used.
          let sorted = false;
          for (let kk = kbot; kk > ks && !sorted; kk--) {
            sorted = true;
            for (let i = ks; i < kk; i++) {
              if (Math.abs(wr[i]!) + Math.abs(wi[i]!) < Math.abs(wr[i + 1]!) + Math.abs(wi[i + 1]!)) {
                sorted = false;
                let t = wr[i]!;
                wr[i] = wr[i + 1]!;
                wr[i + 1] = t;
                t = wi[i]!;
                wi[i] = wi[i + 1]!;
                wi[i + 1] = t;
              }
            }
          }
        }
        // Pairs of real shifts and complex conjugate pairs.
        for (let i = kbot; i >= ks + 2; i -= 2) {
          if (wi[i] !== -wi[i - 1]!) {
            let t = wr[i]!;
            wr[i] = wr[i - 1]!;
            wr[i - 1] = wr[i - 2]!;
            wr[i - 2] = t;
            t = wi[i]!;
            wi[i] = wi[i - 1]!;
            wi[i - 1] = wi[i - 2]!;
            wi[i - 2] = t;
          }
        }
      }
      // Two real shifts: use the one closer to H(kbot, kbot) twice.
      if (kbot - ks + 1 === 2 && wi[kbot] === 0) {
        if (Math.abs(wr[kbot]! - h(kbot, kbot)) < Math.abs(wr[kbot - 1]! - h(kbot, kbot))) wr[kbot - 1] = wr[kbot]!;
        else wr[kbot] = wr[kbot - 1]!;
      }
      ns = Math.min(ns, kbot - ks + 1);
      ns -= ns % 2;
      ks = kbot - ns + 1;
      withWorkspace((w4) => laqr5(c, ktop, kbot, ns, wr, wi, ks, w4));
    }
    ndfl = ld > 0 ? 1 : ndfl + 1;
  }
  return kbot + 1;
}

/**
 * Eigenvalues of the n x n upper Hessenberg H and optionally its real Schur form
 * T = Z^T H Z (LAPACK dhseqr: multishift QR with aggressive early deflation for n >= NMIN,
 * else the double-shift lahqr). Arguments as {@link hseqr}'s, with the active block
 * ilo..ihi (0-based).
 * @throws ConvergenceError naming `routine` when the iteration limit is reached.
 */
export function hseqrMultishift(
  wantt: boolean, wantz: boolean, n: number, ilo: number, ihi: number, H: FloatArray, ldh: number,
  wr: Float64Array, wi: Float64Array, Z: FloatArray, ldz: number, ws: Workspace, routine: string,
): void {
  for (let i = 0; i < n; i++) {
    if (i >= ilo && i <= ihi) continue;
    wr[i] = H[i + i * ldh]!;
    wi[i] = 0;
  }
  for (let j = 0; j < n; j++) for (let r = j + 2; r < n; r++) H[r + j * ldh] = 0;
  if (ilo > ihi) return;
  const nw = Math.max(windowSize(ihi - ilo + 1), 2 * shiftCount(ihi - ilo + 1), 1);
  const c: Ctx = {
    wantt, wantz, n, H, ldh, iloz: ilo, ihiz: ihi, Z, ldz,
    wk: ws.f64(Math.max(1, 2 * nw * n)),
    lv: { a: 0, b: 0, c: 0, d: 0, rt1r: 0, rt1i: 0, rt2r: 0, rt2i: 0, cs: 0, sn: 0 },
    depth: 0,
  };
  // With the full Schur form, Z's rows outside ilo..ihi are transformed too (dhseqr: 1..n).
  if (wantz) {
    c.iloz = 0;
    c.ihiz = n - 1;
  }
  const info = laqr0Core(c, ilo, ihi, wr, wi, ws);
  if (info > 0) {
    throw new ConvergenceError(`${routine}: the QR algorithm did not converge for eigenvalue ${info - 1}`);
  }
}
