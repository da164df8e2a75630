/**
 * Divide-and-conquer SVD of an upper bidiagonal matrix (LAPACK dbdsdc with COMPQ = 'I',
 * structured as dlasd0; Gu & Eisenstat, "A divide-and-conquer algorithm for the
 * bidiagonal SVD", SIAM J. Matrix Anal. Appl. 16, 1995; Jessup & Sorensen 1994).
 *
 * The matrix is scaled to max entry 1 and split where a superdiagonal entry is below
 * machine precision. Each piece is cut recursively at its middle row: the upper part is
 * an nl x (nl+1) bidiagonal, the lower nr x (nr+sqre); leaves (<= 25 rows) are solved
 * directly (bdsdc-leaf.ts) and the pieces merged bottom-up (lasd-merge.ts): deflation,
 * the secular equation (lasd4.ts), the Löwner correction of z, and the vector update as
 * gemm calls, which carry almost all of the ~(4/3..8/3) n^3 flops.
 */
import { InvalidArgumentError, NonFiniteInputError, check } from '../../errors.js';
import { leafSvd } from './bdsdc-leaf.js';
import { lasd1, mergeScratch, type MergeScratch } from './lasd-merge.js';
import { leafWorkDoubles } from '../../kernels/dc.js';
import { withWorkspace, type Workspace } from '../../kernels/workspace.js';

/** Largest subproblem solved directly by the leaf solver (LAPACK's SMLSIZ). */
const SMLSIZ = 25;
// dbdsdc splits where |e_i| < 0.9 eps (after scaling to max entry 1).
const SPLIT_TOL = 0.9 * 2 ** -53;

/**
 * B = U diag(s) VT for the n x n upper bidiagonal B (diagonal d, superdiagonal e of length n-1).
 * On return d holds s (descending, >= 0); e is destroyed; U and VT (n x n, column-major with leading dimensions ldU, ldVT) are overwritten with the singular vectors (not multiplied into existing contents).
 *
 * Backward stable: U and VT are orthogonal to working precision and
 * ||B - U diag(s) VT|| = O(n eps ||B||).
 *
 * @param n order of B (>= 0).
 * @param d diagonal, length >= n; overwritten by the singular values.
 * @param e superdiagonal, length >= n - 1; destroyed (scaled).
 * @param U,offU,ldU left singular vectors (column j for s_j), ldU >= max(1, n).
 * @param VT,offVT,ldVT right singular vectors as rows, ldVT >= max(1, n).
 * @throws NonFiniteInputError if d or e holds NaN or Inf.
 * @throws ConvergenceError if the secular equation solver (or a leaf) fails to converge.
 * Complexity: O(n^3) flops in gemm in the worst case (no deflation), far less when many
 * singular values deflate; O(n^2) scalar work; O(n^2) memory. LAPACK dbdsdc / dlasd0.
 */
export function bdsdc(n: number, d: Float64Array, e: Float64Array, U: Float64Array, offU: number, ldU: number, VT: Float64Array, offVT: number, ldVT: number): void {
  check(Number.isInteger(n) && n >= 0, () => `bdsdc: n must be a non-negative integer, got ${n}`);
  check(d.length >= n, () => `bdsdc: d has ${d.length} entries, needs ${n}`);
  check(e.length >= Math.max(0, n - 1), () => `bdsdc: e has ${e.length} entries, needs ${n - 1}`);
  check(ldU >= Math.max(1, n) && ldVT >= Math.max(1, n), () => `bdsdc: ldU (${ldU}) and ldVT (${ldVT}) must be >= max(1, n) = ${Math.max(1, n)}`);
  if (n === 0) return;
  if (offU < 0 || offU + (n - 1) * ldU + n > U.length) throw new InvalidArgumentError(`bdsdc: U (length ${U.length}) too short for ${n} x ${n} at offset ${offU}, ld ${ldU}`);
  if (offVT < 0 || offVT + (n - 1) * ldVT + n > VT.length) throw new InvalidArgumentError(`bdsdc: VT (length ${VT.length}) too short for ${n} x ${n} at offset ${offVT}, ld ${ldVT}`);
  let orgnrm = 0;
  for (let i = 0; i < n; i++) orgnrm = Math.max(orgnrm, Math.abs(d[i]!));
  for (let i = 0; i < n - 1; i++) orgnrm = Math.max(orgnrm, Math.abs(e[i]!));
  let finite = Number.isFinite(orgnrm);
  for (let i = 0; i < n && finite; i++) finite = Number.isFinite(d[i]!);
  for (let i = 0; i < n - 1 && finite; i++) finite = Number.isFinite(e[i]!);
  if (!finite) throw new NonFiniteInputError('bdsdc: the bidiagonal holds NaN or Inf');

  if (n === 1 || orgnrm === 0) {
    // Diagonal B: U and VT are (signed) identities. (The general path below overwrites
    // every entry of U and VT when it copies the vectors out, so it needs no zeroing.)
    for (let j = 0; j < n; j++) {
      U.fill(0, offU + j * ldU, offU + j * ldU + n);
      VT.fill(0, offVT + j * ldVT, offVT + j * ldVT + n);
    }
    for (let i = 0; i < n; i++) {
      U[offU + i + i * ldU] = d[i]! < 0 ? -1 : 1;
      VT[offVT + i + i * ldVT] = 1;
      d[i] = Math.abs(d[i]!);
    }
    return;
  }

  withWorkspace((ws) => {
    // Work on copies in workspace memory so every gemm runs in place and the leaves and
    // merges run as WASM kernels (src/kernels/dc.ts) on the WASM backends.
    const Uw = ws.f64(n * n);
    const Vw = ws.f64(n * n);
    const leafWork = ws.f64(leafWorkDoubles(SMLSIZ));
    const dIn = d;
    const eIn = e;
    d = ws.f64(n);
    e = ws.f64(n);
    for (let i = 0; i < n; i++) d[i] = dIn[i]! / orgnrm;
    for (let i = 0; i < n - 1; i++) e[i] = eIn[i]! / orgnrm;

    if (n <= SMLSIZ) {
      leafSvd(n, 0, d, 0, e, 0, Uw, 0, n, Vw, 0, n, leafWork);
    } else {
      const scratch = mergeScratch(n, (len) => ws.f64(len));
      const idxq = int32s(ws, n);
      // Independent pieces wherever the superdiagonal is negligible.
      let start = 0;
      for (let i = 0; i < n - 1; i++) {
        if (Math.abs(e[i]!) < SPLIT_TOL || i === n - 2) {
          let nsize: number;
          if (i < n - 2) {
            nsize = i - start + 1;
          } else if (Math.abs(e[i]!) >= SPLIT_TOL) {
            nsize = n - start;
          } else {
            // e_{n-2} negligible: the last row is a 1 x 1 piece of its own.
            nsize = i - start + 1;
            Uw[n - 1 + (n - 1) * n] = d[n - 1]! < 0 ? -1 : 1;
            Vw[n - 1 + (n - 1) * n] = 1;
            d[n - 1] = Math.abs(d[n - 1]!);
          }
          solve(start, nsize, 0, n, d, e, Uw, Vw, idxq, scratch, leafWork);
          start = i + 1;
        }
      }
    }
    for (let i = 0; i < n; i++) d[i] = d[i]! * orgnrm;

    // Sort descending; the permutation is applied while copying the vectors out
    // (VT gathered column by column, unit stride).
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    perm.sort((a, b) => d[b]! - d[a]! || a - b);
    for (let i = 0; i < n; i++) dIn[i] = d[perm[i]!]!;
    for (let i = 0; i < n - 1; i++) eIn[i] = e[i]!;
    for (let j = 0; j < n; j++) {
      const p = perm[j]!;
      U.set(Uw.subarray(p * n, p * n + n), offU + j * ldU);
    }
    for (let c = 0; c < n; c++) {
      const src = c * n;
      const dst = offVT + c * ldVT;
      for (let j = 0; j < n; j++) VT[dst + j] = Vw[src + perm[j]!]!;
    }
  });
}

/**
 * SVD of the n x (n + sqre) upper bidiagonal block starting at row/column f (0-based) of
 * the N x N problem (LAPACK dlasd0, written recursively): split at the middle row, solve
 * both halves, merge. Leaves a[f..f+n) of d ascending and records in idxq[f..f+n) the
 * permutation the parent's merge expects.
 */
function solve(
  f: number, n: number, sqre: number, N: number, d: Float64Array, e: Float64Array,
  Uw: Float64Array, Vw: Float64Array, idxq: Int32Array, scratch: MergeScratch, leafWork: Float64Array,
): void {
  const blk = f + f * N;
  if (n <= SMLSIZ) {
    leafSvd(n, sqre, d, f, e, f, Uw, blk, N, Vw, blk, N, leafWork);
    for (let j = 0; j < n; j++) idxq[f + j] = j + 1;
    return;
  }
  const nl = n >> 1;
  const ic = f + nl;
  const nr = n - nl - 1;
  solve(f, nl, 1, N, d, e, Uw, Vw, idxq, scratch, leafWork);
  solve(ic + 1, nr, sqre, N, d, e, Uw, Vw, idxq, scratch, leafWork);
  lasd1(nl, nr, sqre, d, f, d[ic]!, e[ic]!, Uw, blk, N, Vw, blk, N, idxq, f, scratch);
}

/** n int32 entries (zeroed) from workspace memory, so the WASM kernels can read them. */
export function int32s(ws: Workspace, n: number): Int32Array {
  const a = ws.f64(Math.ceil(n / 2));
  return new Int32Array(a.buffer, a.byteOffset, n);
}
