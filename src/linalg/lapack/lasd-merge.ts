/**
 * Merge step of the divide-and-conquer bidiagonal SVD (LAPACK dlasd1 = dlasd2 + dlasd3;
 * Gu & Eisenstat, "A divide-and-conquer algorithm for the bidiagonal SVD", SIAM J.
 * Matrix Anal. Appl. 16 (1995); Jessup & Sorensen 1994).
 *
 * Given the SVDs of the upper block (nl x (nl+1)) and the lower block (nr x (nr+sqre)) of
 *
 *         [ B1          0  ]
 *     B = [ alpha e_l^T beta e_1^T ]     (n = nl + nr + 1 rows, m = n + sqre columns),
 *         [ 0           B2 ]
 *
 * B is rotated into "broken arrow" form M = [z; diag(d)] (first row z), whose SVD is
 * found from the secular equation (lasd4). Deflation (tiny z components, close d values)
 * shrinks the secular problem to order k; z is then recomputed from the computed roots by
 * the Löwner formula so the singular vectors of M are numerically orthogonal; finally the
 * vectors of B are products of the children's vectors with those of M, done as gemm
 * calls on blocks that exploit the zero structure of the children's vectors.
 *
 * Indexing: the code follows LAPACK's 1-based formulation; arrays are addressed through
 * shifted offsets (X(i) = x[xo + i], A(i, j) = a[ao + i + j * ld]) so the formulas read
 * as in the paper.
 */
import { ConvergenceError } from '../../errors.js';
import { lasd23, lasd3Right } from '../../kernels/dc.js';
import { kernels } from '../../kernels/index.js';
import { lasd4 } from './lasd4.js';
import { ROUNDOFF as EPS } from './machine.js';

/** Scratch shared by every merge of one bdsdc call (sized for the largest problem N). */
export interface MergeScratch {
  /** Updating vector z, 1-based, length >= N + 2. */
  z: Float64Array;
  /** Poles of the secular equation, 1-based, length >= N + 2. */
  dsigma: Float64Array;
  /** Grouped left vectors of the children, >= N * N (workspace array: gemm operand). */
  u2: Float64Array;
  /** Grouped right vectors of the children, >= (N + 1)^2 (gemm operand). */
  vt2: Float64Array;
  /** Singular vectors of the deflated arrow matrix, >= N * N (gemm operand). */
  q: Float64Array;
  /** Integer permutations, 1-based, length >= N + 2 each. */
  idx: Int32Array;
  idxc: Int32Array;
  idxp: Int32Array;
  coltyp: Int32Array;
  /** Source column of U (row of VT) of each gathered slot, 1-based. */
  srcOf: Int32Array;
  /** The five integer arrays above, consecutive runs of `ilen` entries (the WASM kernels' view). */
  ints: Int32Array;
  ilen: number;
}

/**
 * Allocate {@link MergeScratch} for problems up to order `nmax`; `f64` allocates every
 * array (workspace memory, so the merges run as WASM kernels on the WASM backends).
 */
export function mergeScratch(nmax: number, f64: (len: number) => Float64Array): MergeScratch {
  const len = nmax + 2;
  const block = f64(Math.ceil((5 * len) / 2));
  const ints = new Int32Array(block.buffer, block.byteOffset, 5 * len);
  return {
    z: f64(len),
    dsigma: f64(len),
    u2: f64(Math.max(1, nmax * nmax)),
    vt2: f64((nmax + 1) * (nmax + 1)),
    q: f64(Math.max(1, nmax * nmax)),
    idx: ints.subarray(0, len),
    idxc: ints.subarray(len, 2 * len),
    idxp: ints.subarray(2 * len, 3 * len),
    coltyp: ints.subarray(3 * len, 4 * len),
    srcOf: ints.subarray(4 * len, 5 * len),
    ints,
    ilen: len,
  };
}

/**
 * Merge permutation (LAPACK dlamrg): given two sorted runs A(1..n1) (ascending if
 * s1 = 1, descending if s1 = -1) and A(n1+1..n1+n2) (likewise with s2), write into
 * INDEX(1..n1+n2) the indices that visit A in ascending order.
 * A(i) = a[ao + i], INDEX(i) = index[io + i].
 */
export function lamrg(n1: number, n2: number, a: Float64Array, ao: number, s1: number, s2: number, index: Int32Array, io: number): void {
  let n1sv = n1;
  let n2sv = n2;
  let ind1 = s1 > 0 ? 1 : n1;
  let ind2 = s2 > 0 ? 1 + n1 : n1 + n2;
  let i = 1;
  while (n1sv > 0 && n2sv > 0) {
    if (a[ao + ind1]! <= a[ao + ind2]!) {
      index[io + i++] = ind1;
      ind1 += s1;
      n1sv--;
    } else {
      index[io + i++] = ind2;
      ind2 += s2;
      n2sv--;
    }
  }
  for (; n1sv > 0; n1sv--) {
    index[io + i++] = ind1;
    ind1 += s1;
  }
  for (; n2sv > 0; n2sv--) {
    index[io + i++] = ind2;
    ind2 += s2;
  }
}

// C(m x n) := op(A) B (+ C if accumulate), op(A) = A (stored m x k) or A^T (stored k x m),
// tolerating k = 0 (then C is zeroed unless accumulating).
function gemmOrZero(
  transA: boolean, m: number, n: number, k: number, A: Float64Array, offA: number, ldA: number,
  B: Float64Array, offB: number, ldB: number, accumulate: boolean, C: Float64Array, offC: number, ldC: number,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) for (let j = 0; j < n; j++) C.fill(0, offC + j * ldC, offC + j * ldC + m);
    return;
  }
  kernels().gemm(transA, false, m, n, k, 1, A, offA, ldA, B, offB, ldB, accumulate ? 1 : 0, C, offC, ldC);
}

/**
 * The orders of one merge and where its scratch matrices live, in the 1-based shifted
 * addressing of the file comment, for lasd2, lasd3 and lasd3Products alike: B is n x m,
 * U2(i, j) = u2[u2o + i + j ldu2] (n x n), VT2(i, j) = vt2[v2o + i + j ldvt2] (m x m),
 * and for a secular problem of order k, Q(i, j) = q[qo + i + j ldq] (k x k).
 */
interface MergeLayout {
  n: number;
  m: number;
  nlp1: number;
  nlp2: number;
  ldu2: number;
  ldvt2: number;
  u2o: number;
  v2o: number;
  ldq: number;
  qo: number;
}

function mergeLayout(nl: number, nr: number, sqre: number, k: number): MergeLayout {
  const n = nl + nr + 1;
  const m = n + sqre;
  return { n, m, nlp1: nl + 1, nlp2: nl + 2, ldu2: n, ldvt2: m, u2o: -1 - n, v2o: -1 - m, ldq: k, qo: -1 - k };
}

/** Offset of element (i, j), 1-based, of the matrix at shifted offset `o` with leading dimension `ld`. */
function at(o: number, ld: number): (i: number, j: number) => number {
  return (i, j) => o + i + j * ld;
}

/**
 * Merge two solved subproblems into the SVD of the n x m bidiagonal B above (LAPACK
 * dlasd1). On entry D(1..nl) and D(nl+2..n) hold the children's singular values (each
 * run sorted as recorded by IDXQ), U (n x n) and VT (m x m) hold the children's vectors
 * in their diagonal blocks and zeros elsewhere. On exit D(1..n) are the singular values
 * of B, U and VT its singular vectors (B = U [diag(D) 0] VT), and IDXQ(1..n) the
 * permutation sorting D ascending.
 *
 * @param d,dOff D(i) = d[dOff + i - 1].
 * @param U,uOff,ldu U(i, j) = U[uOff + (i-1) + (j-1) ldu].
 * @param VT,vOff,ldvt likewise.
 * @param idxq,qOff IDXQ(i) = idxq[qOff + i - 1].
 * @throws ConvergenceError from the secular equation solver.
 * Complexity: O(k^2) scalar work plus gemm calls of ~ (n + m) k^2 flops.
 */
export function lasd1(
  nl: number, nr: number, sqre: number, d: Float64Array, dOff: number, alpha: number, beta: number,
  U: Float64Array, uOff: number, ldu: number, VT: Float64Array, vOff: number, ldvt: number,
  idxq: Int32Array, qOff: number, s: MergeScratch,
): void {
  const n = nl + nr + 1;
  const dO = dOff - 1;
  // Scale to max entry 1 so the secular equation works with O(1) numbers.
  let orgnrm = Math.max(Math.abs(alpha), Math.abs(beta));
  d[dO + nl + 1] = 0;
  for (let i = 1; i <= n; i++) orgnrm = Math.max(orgnrm, Math.abs(d[dO + i]!));
  if (orgnrm === 0) orgnrm = 1;
  for (let i = 1; i <= n; i++) d[dO + i] = d[dO + i]! / orgnrm;
  // The scalar work (deflation, secular equation, Löwner z, left vectors of the arrow
  // matrix) runs as one WASM call when every array lives in the kernels' memory.
  let k = lasd23(nl, nr, sqre, d, dOff, alpha / orgnrm, beta / orgnrm, U, uOff, ldu, VT, vOff, ldvt, idxq, qOff, s);
  if (k === undefined) {
    k = lasd2(nl, nr, sqre, d, dO, alpha / orgnrm, beta / orgnrm, U, uOff - 1 - ldu, ldu, VT, vOff - 1 - ldvt, ldvt, idxq, qOff - 1, s);
    if (lasd3(nl, nr, sqre, k, d, dO, U, uOff - 1 - ldu, ldu, VT, vOff - 1 - ldvt, ldvt, s)) {
      lasd3Products(nl, nr, sqre, k, U, uOff - 1 - ldu, ldu, VT, vOff - 1 - ldvt, ldvt, s);
    }
  } else if (k < 0) {
    throw new ConvergenceError(`lasd4: the secular equation of a merge of order ${n} did not converge in 64 iterations`);
  } else if (k > 1) {
    lasd3Products(nl, nr, sqre, k, U, uOff - 1 - ldu, ldu, VT, vOff - 1 - ldvt, ldvt, s);
  }
  for (let i = 1; i <= n; i++) d[dO + i] = d[dO + i]! * orgnrm;
  // D(1..k) ascending from the secular equation, D(k+1..n) deflated values descending.
  lamrg(k, n - k, d, dO, 1, -1, idxq, qOff - 1);
}

/**
 * Deflation (LAPACK dlasd2). Builds z, sorts the poles, deflates small z_j and nearly
 * equal poles (Givens rotations applied to U and VT), and lays out the surviving vectors
 * in U2 / VT2 grouped by sparsity type (1: upper block only, 2: lower block only,
 * 3: dense, 4: deflated) for the block gemms of lasd3. Returns k, the secular order.
 * Writes the deflated values/vectors to D(k+1..n), U(:, k+1..n), VT(k+1..n, :) and the
 * group sizes to coltyp[1..4].
 */
function lasd2(
  nl: number, nr: number, sqre: number, d: Float64Array, dO: number, alpha: number, beta: number,
  U: Float64Array, uo: number, ldu: number, VT: Float64Array, vo: number, ldvt: number,
  idxq: Int32Array, qo: number, s: MergeScratch,
): number {
  const { n, m, nlp1, nlp2, ldu2, ldvt2, u2o, v2o } = mergeLayout(nl, nr, sqre, 0);
  const { z, dsigma, u2, vt2, idx, idxc, idxp, coltyp, srcOf } = s;

  // z = alpha * (last column of VT1) and beta * (first column of VT2's block);
  // move the upper singular values one position down to make room for the new row.
  const z1 = alpha * VT[vo + nlp1 + nlp1 * ldvt]!;
  z[1] = z1;
  for (let i = nl; i >= 1; i--) {
    z[i + 1] = alpha * VT[vo + i + nlp1 * ldvt]!;
    d[dO + i + 1] = d[dO + i]!;
    idxq[qo + i + 1] = idxq[qo + i]! + 1;
  }
  for (let i = nlp2; i <= m; i++) z[i] = beta * VT[vo + i + nlp2 * ldvt]!;
  for (let i = 2; i <= nlp1; i++) coltyp[i] = 1;
  for (let i = nlp2; i <= n; i++) coltyp[i] = 2;
  for (let i = nlp2; i <= n; i++) idxq[qo + i] = idxq[qo + i]! + nlp1;

  // Sort the poles into increasing order (the two runs are each sorted via IDXQ).
  for (let i = 2; i <= n; i++) {
    const q = idxq[qo + i]!;
    dsigma[i] = d[dO + q]!;
    u2[u2o + i + ldu2] = z[q]!;
    idxc[i] = coltyp[q]!;
  }
  lamrg(nl, nr, dsigma, 1, 1, 1, idx, 1);
  for (let i = 2; i <= n; i++) {
    const idxi = 1 + idx[i]!;
    d[dO + i] = dsigma[idxi]!;
    z[i] = u2[u2o + idxi + ldu2]!;
    coltyp[i] = idxc[idxi]!;
  }

  const tol = 8 * EPS * Math.max(Math.abs(d[dO + n]!), Math.abs(alpha), Math.abs(beta));

  // Deflate: a tiny z_j moves pole j to the end; two poles closer than tol are merged by
  // a rotation that zeroes one of their z components.
  let k = 1;
  let k2 = n + 1;
  let jprev = 0;
  for (let j = 2; j <= n; j++) {
    if (Math.abs(z[j]!) <= tol) {
      k2--;
      idxp[k2] = j;
      coltyp[j] = 4;
    } else {
      jprev = j;
      break;
    }
  }
  if (jprev !== 0) {
    for (let j = jprev + 1; j <= n; j++) {
      if (Math.abs(z[j]!) <= tol) {
        k2--;
        idxp[k2] = j;
        coltyp[j] = 4;
      } else if (Math.abs(d[dO + j]! - d[dO + jprev]!) <= tol) {
        let sn = z[jprev]!;
        let cs = z[j]!;
        const tau = Math.hypot(cs, sn);
        cs /= tau;
        sn = -sn / tau;
        z[j] = tau;
        z[jprev] = 0;
        // Apply the rotation to the corresponding columns of U and rows of VT.
        let idxjp = idxq[qo + idx[jprev]! + 1]!;
        let idxj = idxq[qo + idx[j]! + 1]!;
        if (idxjp <= nlp1) idxjp--;
        if (idxj <= nlp1) idxj--;
        const up = uo + 1 + idxjp * ldu;
        const uq = uo + 1 + idxj * ldu;
        for (let r = 0; r < n; r++) {
          const x = U[up + r]!, y = U[uq + r]!;
          U[up + r] = cs * x + sn * y;
          U[uq + r] = cs * y - sn * x;
        }
        for (let c = 1; c <= m; c++) {
          const pi = vo + idxjp + c * ldvt, qi = vo + idxj + c * ldvt;
          const x = VT[pi]!, y = VT[qi]!;
          VT[pi] = cs * x + sn * y;
          VT[qi] = cs * y - sn * x;
        }
        if (coltyp[j] !== coltyp[jprev]) coltyp[j] = 3;
        coltyp[jprev] = 4;
        k2--;
        idxp[k2] = jprev;
        jprev = j;
      } else {
        k++;
        u2[u2o + k + ldu2] = z[jprev]!;
        dsigma[k] = d[dO + jprev]!;
        idxp[k] = jprev;
        jprev = j;
      }
    }
    k++;
    u2[u2o + k + ldu2] = z[jprev]!;
    dsigma[k] = d[dO + jprev]!;
    idxp[k] = jprev;
  }

  // Count the column types and build IDXC, which groups the columns by type.
  const ctot = [0, 0, 0, 0, 0];
  for (let j = 2; j <= n; j++) ctot[coltyp[j]!]!++;
  const psm = [0, 2, 2 + ctot[1]!, 0, 0];
  psm[3] = psm[2]! + ctot[2]!;
  psm[4] = psm[3]! + ctot[3]!;
  for (let j = 2; j <= n; j++) {
    const ct = coltyp[idxp[j]!]!;
    idxc[psm[ct]!] = j;
    psm[ct]!++;
  }

  // Gather: DSIGMA(2..n) in (non-deflated, deflated) order; U2 columns and VT2 rows
  // grouped by type.
  for (let j = 2; j <= n; j++) dsigma[j] = d[dO + idxp[j]!]!;
  for (let j = 2; j <= n; j++) {
    let idxj = idxq[qo + idx[idxp[idxc[j]!]!]! + 1]!;
    if (idxj <= nlp1) idxj--;
    srcOf[j] = idxj;
    const src = uo + 1 + idxj * ldu;
    const dst = u2o + 1 + j * ldu2;
    for (let r = 0; r < n; r++) u2[dst + r] = U[src + r]!;
  }
  // Rows of VT gathered column by column (unit-stride writes, cache friendly).
  for (let c = 1; c <= m; c++) {
    const src = vo + c * ldvt;
    const dst = v2o + c * ldvt2;
    for (let j = 2; j <= n; j++) vt2[dst + j] = VT[src + srcOf[j]!]!;
  }

  // The first pole is the zero singular value of the arrow matrix; keep it and the
  // second one apart so the secular equation stays well posed.
  dsigma[1] = 0;
  const hlftol = tol / 2;
  if (Math.abs(dsigma[2]!) <= hlftol) dsigma[2] = hlftol;
  let c = 1;
  let sn = 0;
  if (m > n) {
    // Rotate the extra column (null direction of the lower block) into z_1.
    z[1] = Math.hypot(z1, z[m]!);
    if (z[1]! <= tol) {
      c = 1;
      sn = 0;
      z[1] = tol;
    } else {
      c = z1 / z[1]!;
      sn = z[m]! / z[1]!;
    }
  } else {
    z[1] = Math.abs(z1) <= tol ? tol : z1;
  }
  for (let i = 2; i <= k; i++) z[i] = u2[u2o + i + ldu2]!;

  // First column of U2 is e_{nl+1}; first row of VT2 and last row of VT mix the two
  // null directions.
  for (let r = 0; r < n; r++) u2[r] = 0;
  u2[u2o + nlp1 + ldu2] = 1;
  if (m > n) {
    for (let i = 1; i <= nlp1; i++) {
      const v = VT[vo + nlp1 + i * ldvt]!;
      VT[vo + m + i * ldvt] = -sn * v;
      vt2[v2o + 1 + i * ldvt2] = c * v;
    }
    for (let i = nlp2; i <= m; i++) {
      const v = VT[vo + m + i * ldvt]!;
      vt2[v2o + 1 + i * ldvt2] = sn * v;
      VT[vo + m + i * ldvt] = c * v;
    }
  } else {
    for (let i = 1; i <= m; i++) vt2[v2o + 1 + i * ldvt2] = VT[vo + nlp1 + i * ldvt]!;
  }
  if (m > n) for (let i = 1; i <= m; i++) vt2[v2o + m + i * ldvt2] = VT[vo + m + i * ldvt]!;

  // Deflated values and vectors go to the back of D, U and VT.
  if (n > k) {
    for (let i = k + 1; i <= n; i++) d[dO + i] = dsigma[i]!;
    for (let j = k + 1; j <= n; j++) {
      const src = u2o + 1 + j * ldu2;
      const dst = uo + 1 + j * ldu;
      for (let r = 0; r < n; r++) U[dst + r] = u2[src + r]!;
    }
    for (let c2 = 1; c2 <= m; c2++) for (let i = k + 1; i <= n; i++) VT[vo + i + c2 * ldvt] = vt2[v2o + i + c2 * ldvt2]!;
  }
  for (let j = 1; j <= 4; j++) coltyp[j] = ctot[j]!;
  return k;
}

// sqrt(sum x_i^2) of U(1..k, col) without overflow (kernels' nrm2 is overflow-safe).
function colNorm(k: number, a: Float64Array, off: number): number {
  return kernels().nrm2(k, a, off, 1);
}

/**
 * Secular equation (LAPACK dlasd3, first part): the k roots (lasd4), z recomputed by the
 * Löwner formula, and the left singular vectors of the arrow matrix in Q (the right ones'
 * unnormalised components in VT(1..k, 1..k)). Returns false when k = 1 (the merge is then
 * complete), true when {@link lasd3Products} must follow.
 */
function lasd3(
  nl: number, nr: number, sqre: number, k: number, d: Float64Array, dO: number,
  U: Float64Array, uo: number, ldu: number, VT: Float64Array, vo: number, ldvt: number, s: MergeScratch,
): boolean {
  const { n, m, ldu2, ldvt2, u2o, v2o, ldq, qo } = mergeLayout(nl, nr, sqre, k);
  const { z, dsigma, u2, vt2, q, idxc } = s;
  const U_ = at(uo, ldu);
  const VT_ = at(vo, ldvt);

  if (k === 1) {
    d[dO + 1] = Math.abs(z[1]!);
    for (let c = 1; c <= m; c++) VT[VT_(1, c)] = vt2[v2o + 1 + c * ldvt2]!;
    const sg = z[1]! > 0 ? 1 : -1;
    for (let r = 1; r <= n; r++) U[U_(r, 1)] = sg * u2[u2o + r + ldu2]!;
    return false;
  }

  // Keep a copy of z (for the signs), normalise it, and solve for the k roots. The
  // columns of U and VT serve as scratch for d_j - sigma_i and d_j + sigma_i.
  for (let i = 1; i <= k; i++) q[qo + i + ldq] = z[i]!;
  let rho = 0;
  {
    let amax = 0;
    for (let i = 1; i <= k; i++) amax = Math.max(amax, Math.abs(z[i]!));
    let ssq = 0;
    for (let i = 1; i <= k; i++) ssq += (z[i]! / amax) ** 2;
    rho = amax * Math.sqrt(ssq);
  }
  for (let i = 1; i <= k; i++) z[i] = z[i]! / rho;
  rho *= rho;
  const dsig0 = dsigma.subarray(1, k + 1);
  const z0 = z.subarray(1, k + 1);
  for (let j = 1; j <= k; j++) {
    d[dO + j] = lasd4(k, j - 1, dsig0, z0, U, U_(1, j), rho, VT, VT_(1, j));
  }

  // Löwner: the z for which the computed sigmas are the exact singular values of the
  // arrow matrix; using it makes the vectors below orthogonal to working precision.
  // (Accumulated column by column, so U and VT are read with unit stride.)
  for (let i = 1; i <= k; i++) z[i] = U[U_(i, k)]! * VT[VT_(i, k)]!;
  for (let j = 1; j < k; j++) {
    const uj = U_(0, j);
    const vj = VT_(0, j);
    const dj = dsigma[j]!;
    const dj1 = dsigma[j + 1]!;
    for (let i = 1; i <= k; i++) {
      const di = dsigma[i]!;
      // Root j lies between poles j and j+1: pair U(i, j) VT(i, j) with the pole on
      // the other side of i (pole j if j < i, else pole j+1).
      const dp = j < i ? dj : dj1;
      z[i] = z[i]! * ((U[uj + i]! * VT[vj + i]!) / (di - dp) / (di + dp));
    }
  }
  for (let i = 1; i <= k; i++) {
    const sq = Math.sqrt(Math.abs(z[i]!));
    z[i] = q[qo + i + ldq]! >= 0 ? sq : -sq;
  }

  // Left vectors of the arrow matrix (rows permuted to the U2 column grouping) in Q,
  // and the right vectors' unnormalised components kept in VT(1..k, i).
  for (let i = 1; i <= k; i++) {
    VT[VT_(1, i)] = z[1]! / U[U_(1, i)]! / VT[VT_(1, i)]!;
    U[U_(1, i)] = -1;
    for (let j = 2; j <= k; j++) {
      const v = z[j]! / U[U_(j, i)]! / VT[VT_(j, i)]!;
      VT[VT_(j, i)] = v;
      U[U_(j, i)] = dsigma[j]! * v;
    }
    const temp = colNorm(k, U, U_(1, i));
    q[qo + 1 + i * ldq] = U[U_(1, i)]! / temp;
    for (let j = 2; j <= k; j++) q[qo + j + i * ldq] = U[U_(idxc[j]!, i)]! / temp;
  }
  return true;
}

/**
 * Vector update (LAPACK dlasd3, second part): U = U2 Q, the right vectors of the arrow
 * matrix into Q, and VT = Q' VT2, as block gemms that skip the children's zero blocks.
 */
function lasd3Products(
  nl: number, nr: number, sqre: number, k: number,
  U: Float64Array, uo: number, ldu: number, VT: Float64Array, vo: number, ldvt: number, s: MergeScratch,
): void {
  const { n, m, nlp1, nlp2, ldu2, ldvt2, u2o, v2o, ldq, qo } = mergeLayout(nl, nr, sqre, k);
  const { u2, vt2, q, idxc, coltyp: ctot } = s;
  const U_ = at(uo, ldu);
  const VT_ = at(vo, ldvt);

  // U = U2 Q, by blocks: rows 1..nl meet type-1 and type-3 columns, row nl+1 only the
  // first column (e_{nl+1}), rows nl+2..n type-2 and type-3 columns.
  const c1 = ctot[1]!, c2 = ctot[2]!, c3 = ctot[3]!;
  const u2at = at(u2o, ldu2);
  const qat = at(qo, ldq);
  const vt2at = at(v2o, ldvt2);
  if (k === 2) {
    gemmOrZero(false, n, k, k, u2, 0, ldu2, q, 0, ldq, false, U, U_(1, 1), ldu);
  } else {
    if (c1 > 0) {
      gemmOrZero(false, nl, k, c1, u2, u2at(1, 2), ldu2, q, qat(2, 1), ldq, false, U, U_(1, 1), ldu);
      if (c3 > 0) {
        const kt = 2 + c1 + c2;
        gemmOrZero(false, nl, k, c3, u2, u2at(1, kt), ldu2, q, qat(kt, 1), ldq, true, U, U_(1, 1), ldu);
      }
    } else if (c3 > 0) {
      const kt = 2 + c1 + c2;
      gemmOrZero(false, nl, k, c3, u2, u2at(1, kt), ldu2, q, qat(kt, 1), ldq, false, U, U_(1, 1), ldu);
    } else {
      for (let j = 1; j <= k; j++) for (let i = 1; i <= nl; i++) U[U_(i, j)] = u2[u2at(i, j)]!;
    }
    for (let j = 1; j <= k; j++) U[U_(nlp1, j)] = q[qat(1, j)]!;
    gemmOrZero(false, nr, k, c2 + c3, u2, u2at(nlp2, 2 + c1), ldu2, q, qat(2 + c1, 1), ldq, false, U, U_(nlp2, 1), ldu);
  }

  // Right vectors of the arrow matrix, stored transposed: QT(j, i) = Q(i, j), so they
  // are written with unit stride; the gemms below use op(A) = QT^T.
  if (!lasd3Right(k, VT, VT_(1, 1), ldvt, q, s.ints, s.ilen)) {
    for (let i = 1; i <= k; i++) {
      const temp = colNorm(k, VT, VT_(1, i));
      const col = qat(0, i);
      q[col + 1] = VT[VT_(1, i)]! / temp;
      for (let j = 2; j <= k; j++) q[col + j] = VT[VT_(idxc[j]!, i)]! / temp;
    }
  }

  // VT = Q VT2, by blocks: columns 1..nl+1 meet rows of type 1 and 3 (plus the first),
  // columns nl+2..m rows of type 2 and 3 (plus the first).
  if (k === 2) {
    gemmOrZero(true, k, m, k, q, 0, ldq, vt2, 0, ldvt2, false, VT, VT_(1, 1), ldvt);
    return;
  }
  gemmOrZero(true, k, nlp1, 1 + c1, q, qat(1, 1), ldq, vt2, vt2at(1, 1), ldvt2, false, VT, VT_(1, 1), ldvt);
  if (c3 > 0) {
    const kt = 2 + c1 + c2;
    gemmOrZero(true, k, nlp1, c3, q, qat(kt, 1), ldq, vt2, vt2at(kt, 1), ldvt2, true, VT, VT_(1, 1), ldvt);
  }
  // Reuse the slot of the last type-1 row for the first (dense) row so the right block
  // is one contiguous gemm.
  const kt = c1 + 1;
  const nrp1 = nr + sqre;
  if (kt > 1) {
    for (let i = 1; i <= k; i++) q[qat(kt, i)] = q[qat(1, i)]!;
    for (let i = nlp2; i <= m; i++) vt2[vt2at(kt, i)] = vt2[vt2at(1, i)]!;
  }
  gemmOrZero(true, k, nrp1, 1 + c2 + c3, q, qat(kt, 1), ldq, vt2, vt2at(kt, nlp2), ldvt2, false, VT, VT_(1, nlp2), ldvt);
}
