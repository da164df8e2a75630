/**
 * The quasi-triangular Sylvester equation op(A) X + isgn X op(B) = C, A (m x m) and B
 * (n x n) upper quasi-triangular as the real Schur form leaves them (1 x 1 and 2 x 2
 * diagonal blocks): LAPACK dtrsyl's problem, the inner step of the Bartels-Stewart method.
 *
 * Solved by the recursive blocked algorithm of Jonsson & Kågström ("Recursive blocked
 * algorithms for solving triangular systems -- Part I: one-sided and coupled Sylvester-type
 * matrix equations", ACM TOMS 28(4), 2002; their RECSYCT): split the larger of m and n in
 * two (never through a 2 x 2 block), solve one half, fold it into the other half's
 * right-hand side with one gemm, solve the other half. All but O((m + n) leaf^2) flops per
 * leaf end up in gemm. Leaves (both orders <= {@link LEAF}) run the unblocked
 * substitution of dtrsyl: each pair of diagonal blocks is a system of order 1, 2 or 4
 * (the Kronecker form I ⊗ op(A_kk) + isgn op(B_ll)^T ⊗ I), solved by Gaussian elimination
 * with complete pivoting (LAPACK dlasy2); a pivot below smin = max(eps max(|A|, |B|),
 * smlnum) is replaced by smin, as dtrsyl does when A and -isgn B have (nearly) common
 * eigenvalues, and the routine then returns 1.
 *
 * Unlike dtrsyl there is no overflow-avoiding scale factor: the solution is returned
 * unscaled, and callers check it for Inf (which only an exactly or nearly singular
 * equation of enormous condition produces).
 */
import { kernels } from '../../kernels/index.js';
import type { FloatArray } from '../../matrix/dtype.js';
import { PRECISION as EPS, SAFMIN } from './machine.js';

/** Orders at or below which the substitution runs directly (both m and n). */
const LEAF = 24;

interface Ctx {
  smin: number;
  perturbed: boolean;
  // Scratch of the small systems (order <= 4).
  M: Float64Array;
  r: Float64Array;
  x: Float64Array;
  y: Float64Array;
  jp: Int32Array;
}

const CTX: Ctx = {
  smin: 0,
  perturbed: false,
  M: new Float64Array(16),
  r: new Float64Array(4),
  x: new Float64Array(4),
  y: new Float64Array(4),
  jp: new Int32Array(4),
};

/** Largest |entry| of the upper quasi-triangle (upper triangle and first subdiagonal). */
function maxAbsQuasi(k: number, T: FloatArray, off: number, ld: number): number {
  let m = 0;
  for (let j = 0; j < k; j++) {
    const c = off + j * ld;
    const end = Math.min(j + 2, k);
    for (let i = 0; i < end; i++) m = Math.max(m, Math.abs(T[c + i]!));
  }
  return m;
}

/**
 * Solve op(A) X + isgn X op(B) = C in place (C becomes X), A m x m and B n x n upper
 * quasi-triangular in standard Schur form; op(A) = A^T when `transA`, op(B) = B^T when
 * `transB`. Column-major operands `(array, offset, ld)`.
 * @returns 0, or 1 when A and -isgn B have close eigenvalues and perturbed values were used
 *   (LAPACK dtrsyl's info = 1; the solution is then that of a nearby equation).
 */
export function trsyl(
  transA: boolean, transB: boolean, isgn: 1 | -1, m: number, n: number,
  A: FloatArray, offA: number, ldA: number, B: FloatArray, offB: number, ldB: number,
  C: FloatArray, offC: number, ldC: number,
): number {
  if (m === 0 || n === 0) return 0;
  const smlnum = SAFMIN * ((m * n) / EPS);
  const smin = Math.max(smlnum, EPS * Math.max(maxAbsQuasi(m, A, offA, ldA), maxAbsQuasi(n, B, offB, ldB)));
  // One scratch for all calls (the solver is synchronous and never re-entered); the small
  // callers (block swaps, Hammarling's method) call this thousands of times.
  const ctx = CTX;
  ctx.smin = smin;
  ctx.perturbed = false;
  recursive(transA, transB, isgn, m, n, A, offA, ldA, B, offB, ldB, C, offC, ldC, ctx);
  return ctx.perturbed ? 1 : 0;
}

/** A split point near k/2 that does not cut a 2 x 2 diagonal block of T (k >= 2). */
function split(k: number, T: FloatArray, off: number, ld: number): number {
  let h = k >> 1;
  // T(h, h-1) != 0: rows h-1 and h form a 2 x 2 block, keep them together.
  if (T[off + h + (h - 1) * ld] !== 0) h++;
  return h;
}

function recursive(
  transA: boolean, transB: boolean, s: 1 | -1, m: number, n: number,
  A: FloatArray, oA: number, ldA: number, B: FloatArray, oB: number, ldB: number,
  C: FloatArray, oC: number, ldC: number, ctx: Ctx,
): void {
  if (m === 0 || n === 0) return;
  if (m <= LEAF && n <= LEAF) {
    leaf(transA, transB, s, m, n, A, oA, ldA, B, oB, ldB, C, oC, ldC, ctx);
    return;
  }
  const k = kernels();
  if (m >= n) {
    const m1 = split(m, A, oA, ldA);
    const m2 = m - m1;
    const a12 = oA + m1 * ldA; // A(0:m1, m1:m)
    const a22 = oA + m1 + m1 * ldA;
    const c2 = oC + m1;
    if (!transA) {
      // [A11 A12; 0 A22] [X1; X2]: X2 first, then C1 -= A12 X2.
      recursive(transA, transB, s, m2, n, A, a22, ldA, B, oB, ldB, C, c2, ldC, ctx);
      k.gemm(false, false, m1, n, m2, -1, A, a12, ldA, C, c2, ldC, 1, C, oC, ldC);
      recursive(transA, transB, s, m1, n, A, oA, ldA, B, oB, ldB, C, oC, ldC, ctx);
    } else {
      // [A11^T 0; A12^T A22^T] [X1; X2]: X1 first, then C2 -= A12^T X1.
      recursive(transA, transB, s, m1, n, A, oA, ldA, B, oB, ldB, C, oC, ldC, ctx);
      k.gemm(true, false, m2, n, m1, -1, A, a12, ldA, C, oC, ldC, 1, C, c2, ldC);
      recursive(transA, transB, s, m2, n, A, a22, ldA, B, oB, ldB, C, c2, ldC, ctx);
    }
  } else {
    const n1 = split(n, B, oB, ldB);
    const n2 = n - n1;
    const b12 = oB + n1 * ldB; // B(0:n1, n1:n)
    const b22 = oB + n1 + n1 * ldB;
    const c2 = oC + n1 * ldC;
    if (!transB) {
      // [X1 X2] [B11 B12; 0 B22]: X1 first, then C2 -= s X1 B12.
      recursive(transA, transB, s, m, n1, A, oA, ldA, B, oB, ldB, C, oC, ldC, ctx);
      k.gemm(false, false, m, n2, n1, -s, C, oC, ldC, B, b12, ldB, 1, C, c2, ldC);
      recursive(transA, transB, s, m, n2, A, oA, ldA, B, b22, ldB, C, c2, ldC, ctx);
    } else {
      // [X1 X2] [B11^T 0; B12^T B22^T]: X2 first, then C1 -= s X2 B12^T.
      recursive(transA, transB, s, m, n2, A, oA, ldA, B, b22, ldB, C, c2, ldC, ctx);
      k.gemm(false, true, m, n1, n2, -s, C, c2, ldC, B, b12, ldB, 1, C, oC, ldC);
      recursive(transA, transB, s, m, n1, A, oA, ldA, B, oB, ldB, C, oC, ldC, ctx);
    }
  }
}

/** Start row of each diagonal block of the quasi-triangular T (k x k) and its size. */
interface Blocks {
  start: Int32Array;
  size: Int32Array;
  count: number;
}

// Two block lists (A's and B's), reused across leaves (leaves have order <= LEAF).
const BLOCKS_A: Blocks = { start: new Int32Array(LEAF), size: new Int32Array(LEAF), count: 0 };
const BLOCKS_B: Blocks = { start: new Int32Array(LEAF), size: new Int32Array(LEAF), count: 0 };

function blocks(k: number, T: FloatArray, off: number, ld: number, out: Blocks): Blocks {
  const { start, size } = out;
  let count = 0;
  for (let i = 0; i < k; ) {
    const two = i + 1 < k && T[off + i + 1 + i * ld] !== 0;
    start[count] = i;
    size[count] = two ? 2 : 1;
    count++;
    i += two ? 2 : 1;
  }
  out.count = count;
  return out;
}

// Unblocked substitution (LAPACK dtrsyl's loops, one per combination of transposes, written
// once with index maps): the rhs of block (k, l) is C(k, l) minus the contributions of the
// blocks already solved, then the small system of order p q (p, q in {1, 2}).
function leaf(
  transA: boolean, transB: boolean, s: 1 | -1, m: number, n: number,
  A: FloatArray, oA: number, ldA: number, B: FloatArray, oB: number, ldB: number,
  C: FloatArray, oC: number, ldC: number, ctx: Ctx,
): void {
  // op(A)(i, j) and op(B)(i, j).
  const ai = transA ? ldA : 1;
  const aj = transA ? 1 : ldA;
  const bi = transB ? ldB : 1;
  const bj = transB ? 1 : ldB;
  const ba = blocks(m, A, oA, ldA, BLOCKS_A);
  const bb = blocks(n, B, oB, ldB, BLOCKS_B);
  // op(A) upper (no transpose): rows of X from the bottom; lower: from the top.
  // op(B) upper: columns from the left; lower (transposed): from the right.
  for (let lb = 0; lb < bb.count; lb++) {
    const li = transB ? bb.count - 1 - lb : lb;
    const l1 = bb.start[li]!;
    const q = bb.size[li]!;
    for (let kb = 0; kb < ba.count; kb++) {
      const ki = transA ? kb : ba.count - 1 - kb;
      const k1 = ba.start[ki]!;
      const p = ba.size[ki]!;
      // The solved rows of this block column: below k (op(A) upper) or above (lower).
      const jLo = transA ? 0 : k1 + p;
      const jHi = transA ? k1 : m;
      // The solved columns: left of l (op(B) upper) or right of it (lower).
      const iLo = transB ? l1 + q : 0;
      const iHi = transB ? n : l1;
      const r = ctx.r;
      for (let c = 0; c < q; c++) {
        const col = l1 + c;
        for (let rr = 0; rr < p; rr++) {
          const row = k1 + rr;
          let v = C[oC + row + col * ldC]!;
          // - op(A)(row, jLo:jHi) X(jLo:jHi, col)
          const xc = oC + col * ldC;
          const ar = oA + row * ai;
          for (let j = jLo; j < jHi; j++) v -= A[ar + j * aj]! * C[xc + j]!;
          // - s X(row, iLo:iHi) op(B)(iLo:iHi, col)
          const bc = oB + col * bj;
          let t = 0;
          for (let i = iLo; i < iHi; i++) t += C[oC + row + i * ldC]! * B[bc + i * bi]!;
          r[rr + p * c] = v - s * t;
        }
      }
      // (I_q ⊗ op(A_kk) + s op(B_ll)^T ⊗ I_p) vec(X_kl) = vec(rhs).
      const N = p * q;
      const M = ctx.M;
      for (let c = 0; c < N; c++) for (let rr = 0; rr < N; rr++) M[rr + 4 * c] = 0;
      for (let j = 0; j < q; j++) {
        for (let i = 0; i < p; i++) {
          const row = i + p * j;
          for (let i2 = 0; i2 < p; i2++) M[row + 4 * (i2 + p * j)] = M[row + 4 * (i2 + p * j)]! + A[oA + (k1 + i) * ai + (k1 + i2) * aj]!;
          for (let j2 = 0; j2 < q; j2++) M[row + 4 * (i + p * j2)] = M[row + 4 * (i + p * j2)]! + s * B[oB + (l1 + j2) * bi + (l1 + j) * bj]!;
        }
      }
      solveSmall(N, ctx);
      const x = ctx.x;
      for (let c = 0; c < q; c++) for (let rr = 0; rr < p; rr++) C[oC + k1 + rr + (l1 + c) * ldC] = x[rr + p * c]!;
    }
  }
}

// M x = r (order N <= 4, M stored with leading dimension 4) by Gaussian elimination with
// complete pivoting; pivots below smin are raised to smin (dlasy2).
function solveSmall(N: number, ctx: Ctx): void {
  const { M, r, x, y, jp, smin } = ctx;
  if (N === 1) {
    let d = M[0]!;
    if (Math.abs(d) < smin) {
      d = smin;
      ctx.perturbed = true;
    }
    x[0] = r[0]! / d;
    return;
  }
  for (let i = 0; i < N; i++) jp[i] = i;
  for (let k = 0; k < N; k++) {
    // Largest remaining entry.
    let big = -1;
    let pr = k;
    let pc = k;
    for (let c = k; c < N; c++) {
      for (let rr = k; rr < N; rr++) {
        const v = Math.abs(M[rr + 4 * c]!);
        if (v > big) {
          big = v;
          pr = rr;
          pc = c;
        }
      }
    }
    if (pr !== k) {
      // Rows k and pr of M (entries k + 4 c), and of the right-hand side.
      swapStrided(M, N, k, pr, 4);
      swapStrided(r, 1, k, pr, 1);
    }
    if (pc !== k) {
      // Columns k and pc of M (entries r + 4 k), and the column permutation.
      swapStrided(M, N, 4 * k, 4 * pc, 1);
      swapStrided(jp, 1, k, pc, 1);
    }
    if (Math.abs(M[k + 4 * k]!) < smin) {
      M[k + 4 * k] = smin;
      ctx.perturbed = true;
    }
    const d = M[k + 4 * k]!;
    for (let rr = k + 1; rr < N; rr++) {
      const f = M[rr + 4 * k]! / d;
      if (f === 0) continue;
      for (let c = k + 1; c < N; c++) M[rr + 4 * c] = M[rr + 4 * c]! - f * M[k + 4 * c]!;
      r[rr] = r[rr]! - f * r[k]!;
    }
  }
  // Back substitution into x in the permuted order, then undo the column permutation.
  for (let k = N - 1; k >= 0; k--) {
    let v = r[k]!;
    for (let c = k + 1; c < N; c++) v -= M[k + 4 * c]! * y[c]!;
    y[k] = v / M[k + 4 * k]!;
  }
  for (let k = 0; k < N; k++) x[jp[k]!] = y[k]!;
}

/** Swap the `count` entries a[p + t * stride] and a[q + t * stride], t = 0..count-1 (a row or a column of a pivoted system). */
function swapStrided(a: Float64Array | Int32Array, count: number, p: number, q: number, stride: number): void {
  for (let t = 0; t < count; t++) {
    const u = a[p + t * stride]!;
    a[p + t * stride] = a[q + t * stride]!;
    a[q + t * stride] = u;
  }
}
