/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by Cuppen's divide and
 * conquer (J. J. M. Cuppen, Numer. Math. 36, 1981; LAPACK dstedc / dlaed0..dlaed3 with
 * compz = 'I'). The matrix is torn in two by a rank-one change, the halves are solved
 * recursively (blocks of at most {@link SMLSIZ} by QL/QR), and each merge
 *
 * 1. deflates components with negligible z and pairs of nearly equal eigenvalues (by a
 *    plane rotation), as dlaed2;
 * 2. solves the secular equation for the remaining K eigenvalues ({@link laed4});
 * 3. recomputes z from the computed eigenvalues by the Löwner formula (Gu & Eisenstat,
 *    SIAM J. Matrix Anal. Appl. 16, 1995) so the eigenvectors of the rank-one update come
 *    out numerically orthogonal, as dlaed3;
 * 4. multiplies them into the halves' eigenvectors with two gemms that skip the zero
 *    blocks (columns grouped as top-only, mixed, bottom-only, as dlaed2/dlaed3).
 *
 * Almost all of the O(n^3) work is in step 4, i.e. in gemm.
 */
import { ConvergenceError, LowrankError } from '../../errors.js';
import { laedFinish, laedMerge, steqrVectors, type LaedScratch } from '../../kernels/dc.js';
import { kernels } from '../../kernels/index.js';
import { laed4 } from './laed4.js';
import { ROUNDOFF as EPS } from './machine.js';
import { MAXIT, scaleRange, sortEigen, steqr, tridiagMaxAbs } from './steqr.js';
import type { Workspace } from '../../kernels/workspace.js';

/** Subproblems up to this order are solved by QL/QR (LAPACK's SMLSIZ). */
export const SMLSIZ = 25;

/**
 * Scratch shared by all merges of one call, all in workspace memory: the named vectors are
 * views of the runs of `vecs` and `ints` that the WASM kernels read (src/kernels/dc.ts).
 */
interface Scratch extends LaedScratch {
  z: Float64Array;
  dd: Float64Array;
  dlamda: Float64Array;
  w: Float64Array;
  lam: Float64Array;
  dorig: Float64Array;
  vals: Float64Array;
  indx: Int32Array;
  coltyp: Int32Array;
  nd: Int32Array;
  defl: Int32Array;
  grp: Int32Array;
  order: Int32Array;
  /** A column of Z in transit (the spare vector run). */
  spare: Float64Array;
  /** Columns already placed by the final permutation (the spare int run). */
  done: Int32Array;
  /** c1 (top-only columns) and c1 + c2 (columns meeting the top half) from the WASM merge. */
  info: Int32Array;
}

/**
 * Eigen-decomposition of the symmetric tridiagonal matrix T with diagonal d[0..n) and
 * off-diagonal e[0..n-1) (LAPACK dstedc, compz = 'I'): on return d holds the eigenvalues in
 * ascending order and Z (n x n at zoff, leading dimension ldz) the orthonormal eigenvectors
 * as columns, T Z = Z diag(d). e is left unchanged (LAPACK destroys it). Z should live in
 * `ws` memory: the merges' gemms then run in place, and on the WASM backends the leaves and
 * the merges' scalar work run as WASM kernels (src/kernels/dc.ts). The matrix is first split
 * at negligible off-diagonals; each block larger than {@link SMLSIZ} is scaled to unit
 * max-norm and solved by divide and conquer, smaller ones by QL/QR ({@link steqr}).
 *
 * Cost: O(n^2) beyond the gemms, which total at most about (4/3) n^3 flops and usually far
 * less thanks to deflation. Scratch: 2 n^2 + 14 n doubles from `ws`.
 * @throws ConvergenceError if QL/QR or the secular equation solver fails to converge.
 */
export function stedc(n: number, dIn: Float64Array, e: Float64Array, Z: Float64Array, zoff: number, ldz: number, ws: Workspace): void {
  if (n === 0) return;
  // d and e live in workspace memory while the WASM kernels (leaves, merges) use them.
  const d = ws.f64(n);
  d.set(dIn.subarray(0, n));
  const eIn = e;
  e = ws.f64(n);
  e.set(eIn.subarray(0, n - 1));
  for (let j = 0; j < n; j++) {
    const c = zoff + j * ldz;
    Z.fill(0, c, c + n);
    Z[c + j] = 1;
  }
  if (n <= SMLSIZ) {
    leaf(n, d, 0, e, 0, Z, zoff, ldz);
    dIn.set(d);
    return;
  }
  let scratch: Scratch | undefined;
  let start = 0;
  while (start < n) {
    let finish = start;
    while (finish < n - 1) {
      const tiny = EPS * Math.sqrt(Math.abs(d[finish]!)) * Math.sqrt(Math.abs(d[finish + 1]!));
      if (Math.abs(e[finish]!) > tiny) finish++;
      else break;
    }
    const m = finish - start + 1;
    if (m > SMLSIZ) {
      const orgnrm = tridiagMaxAbs(d, e, start, finish);
      scaleRange(d, start, finish, 1 / orgnrm);
      scaleRange(e, start, finish - 1, 1 / orgnrm);
      scratch ??= makeScratch(n, ws);
      divide(start, m, d, e, Z, zoff, ldz, scratch);
      scaleRange(d, start, finish, orgnrm);
    } else if (m > 1) {
      leaf(m, d, start, e, start, Z, zoff + start + start * ldz, ldz);
    }
    start = finish + 1;
  }
  // A single divide-and-conquer block comes back sorted; the selection sort's n^2 / 2
  // comparisons are only needed when the matrix split into several blocks.
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = d[i - 1]! <= d[i]!;
  if (!sorted) sortEigen(n, d, Z, zoff, ldz, n);
  dIn.set(d);
}

// QL/QR on the len x len block at d[s..], e[s..] with its rotations applied to the len x len
// block of Z at zo: one WASM call when the arrays live in the kernels' memory, else steqr.
function leaf(len: number, d: Float64Array, s: number, e: Float64Array, es: number, Z: Float64Array, zo: number, ldz: number): void {
  const bad = steqrVectors(len, d, s, e, es, Z, zo, ldz, len);
  if (bad === undefined) steqr(len, d.subarray(s, s + len), e.subarray(es, es + len - 1), Z, zo, ldz, len);
  else if (bad > 0) throw new ConvergenceError(`steqr: ${bad} off-diagonal elements did not converge to zero after ${len * MAXIT} QL/QR sweeps`);
}

function makeScratch(n: number, ws: Workspace): Scratch {
  const vecs = ws.f64(8 * n);
  const block = ws.f64(4 * n);
  const ints = new Int32Array(block.buffer, block.byteOffset, 8 * n);
  const v = (i: number): Float64Array => vecs.subarray(i * n, (i + 1) * n);
  const iv = (i: number): Int32Array => ints.subarray(i * n, (i + 1) * n);
  // Two n x n buffers, written before they are read (no zeroing): gather, which holds the
  // gathered columns for the gemms, the stashed deflated columns (`out`) and, where they
  // fit between the two, one gemm's rows of the rank-one update's eigenvectors at a time;
  // and S, for those rows when they do not fit, and for the pool's per-thread scratch (the
  // vectors themselves are formed in Z's block, and the gemms write the new eigenvectors
  // straight into Z, as LAPACK's dlaed3 does with Q). Only the parts used are ever touched:
  // a process's first call pays a page fault for every fresh page of WASM memory (about
  // 3.5 ms per MB on this VM; n^2 doubles are 1.3 MB at n = 400), and this was four n x n
  // buffers, fully used.
  const S = ws.alloc('float64', n * n, false) as Float64Array;
  const gather = ws.alloc('float64', n * n, false) as Float64Array;
  return {
    gather,
    out: gather,
    S,
    vecs,
    ints,
    ilen: n,
    z: v(0),
    dd: v(1),
    dlamda: v(2),
    w: v(3),
    lam: v(4),
    dorig: v(5),
    vals: v(6),
    indx: iv(0),
    coltyp: iv(1),
    nd: iv(2),
    defl: iv(3),
    grp: iv(4),
    order: iv(5),
    spare: v(7),
    done: iv(6),
    info: iv(7),
  };
}

// Solve the unreduced block d[s..s+len) recursively (LAPACK dlaed0, top-down form): tear
// at the middle by the rank-one change |beta| u u^T, u = e_{n1} +- e_{n1+1}.
function divide(s: number, len: number, d: Float64Array, e: Float64Array, Z: Float64Array, zoff: number, ldz: number, sc: Scratch): void {
  if (len <= SMLSIZ) {
    leaf(len, d, s, e, s, Z, zoff + s + s * ldz, ldz);
    return;
  }
  const n1 = len >> 1;
  const beta = e[s + n1 - 1]!;
  d[s + n1 - 1] = d[s + n1 - 1]! - Math.abs(beta);
  d[s + n1] = d[s + n1]! - Math.abs(beta);
  divide(s, n1, d, e, Z, zoff, ldz, sc);
  divide(s + n1, len - n1, d, e, Z, zoff, ldz, sc);
  merge(s, len, n1, beta, d, Z, zoff + s + s * ldz, ldz, sc);
}

// Merge two solved halves (LAPACK dlaed1..dlaed3). The n x n block Q at q0 holds
// diag(Q1, Q2); d[s..s+n) holds their eigenvalues, each half ascending.
function merge(s: number, n: number, n1: number, beta: number, d: Float64Array, Z: Float64Array, q0: number, ldq: number, sc: Scratch): void {
  const n2 = n - n1;
  // On the WASM backends everything but the two gemms is one kernel call before them and
  // one after (the same steps as the TypeScript below).
  const K0 = laedMerge(n, n1, beta, d, s, Z, q0, ldq, sc);
  if (K0 !== undefined) {
    if (K0 < 0) throw new ConvergenceError(`laed4: the secular equation of a merge of order ${n} did not converge in 200 iterations`);
    if (K0 > 0) mergeProducts(n, n1, K0, sc.info[0]!, sc.info[1]!, Z, q0, ldq, sc);
    laedFinish(n, K0, d, s, Z, q0, ldq, sc);
    return;
  }
  const { z, dd, indx, coltyp, nd, defl, grp, dlamda, w, lam, gather, out, spare } = sc;
  // z = Q^T u / sqrt(2): last row of Q1 and (sign beta) first row of Q2.
  for (let j = 0; j < n1; j++) z[j] = Z[q0 + n1 - 1 + j * ldq]! * Math.SQRT1_2;
  const sg = beta < 0 ? -Math.SQRT1_2 : Math.SQRT1_2;
  for (let j = n1; j < n; j++) z[j] = Z[q0 + n1 + j * ldq]! * sg;
  const rho = Math.abs(2 * beta);
  for (let j = 0; j < n; j++) dd[j] = d[s + j]!;
  // Merge the two ascending halves into one ascending order.
  {
    let a = 0;
    let b = n1;
    for (let k = 0; k < n; k++) {
      if (b >= n || (a < n1 && dd[a]! <= dd[b]!)) indx[k] = a++;
      else indx[k] = b++;
    }
  }
  let zmax = 0;
  let dmax = 0;
  for (let j = 0; j < n; j++) {
    zmax = Math.max(zmax, Math.abs(z[j]!));
    dmax = Math.max(dmax, Math.abs(dd[j]!));
  }
  const tol = 8 * EPS * Math.max(dmax, zmax);
  let K = 0;
  let nDefl = 0;
  if (rho * zmax > tol) {
    for (let j = 0; j < n; j++) coltyp[j] = j < n1 ? 1 : 3;
    let pj = -1;
    for (let k = 0; k < n; k++) {
      const nj = indx[k]!;
      if (rho * Math.abs(z[nj]!) <= tol) {
        // Negligible coupling: d[nj] is already an eigenvalue.
        coltyp[nj] = 4;
        defl[nDefl++] = nj;
        continue;
      }
      if (pj < 0) {
        pj = nj;
        continue;
      }
      // Nearly equal eigenvalues: a rotation in their plane zeroes z[pj].
      let sn = z[pj]!;
      let cs = z[nj]!;
      const tau = Math.hypot(cs, sn);
      const t = dd[nj]! - dd[pj]!;
      cs /= tau;
      sn = -sn / tau;
      if (Math.abs(t * cs * sn) <= tol) {
        z[nj] = tau;
        z[pj] = 0;
        if (coltyp[nj] !== coltyp[pj]) coltyp[nj] = 2;
        coltyp[pj] = 4;
        const a = q0 + pj * ldq;
        const b = q0 + nj * ldq;
        for (let r = 0; r < n; r++) {
          const x = Z[a + r]!;
          const y = Z[b + r]!;
          Z[a + r] = cs * x + sn * y;
          Z[b + r] = cs * y - sn * x;
        }
        const c2 = cs * cs;
        const s2 = sn * sn;
        const dp = dd[pj]! * c2 + dd[nj]! * s2;
        dd[nj] = dd[pj]! * s2 + dd[nj]! * c2;
        dd[pj] = dp;
        defl[nDefl++] = pj;
      } else {
        nd[K++] = pj;
      }
      pj = nj;
    }
    if (pj >= 0) nd[K++] = pj;
  } else {
    for (let k = 0; k < n; k++) defl[nDefl++] = indx[k]!;
  }

  // Columns of the groups (top-only, mixed, bottom-only) for the gemms.
  let c1 = 0;
  let top = 0;
  if (K > 0) {
    for (let k = 0; k < K; k++) {
      dlamda[k] = dd[nd[k]!]!;
      w[k] = z[nd[k]!]!;
    }
    // Group the surviving columns: top-only (type 1), mixed (2), bottom-only (3).
    let c2 = 0;
    let g = 0;
    for (const type of [1, 2, 3]) {
      for (let k = 0; k < K; k++) {
        if (coltyp[nd[k]!] === type) {
          grp[g++] = k;
          if (type === 1) c1++;
          else if (type === 2) c2++;
        }
      }
    }
    top = c1 + c2;
    for (let r = 0; r < top; r++) {
      const c = q0 + nd[grp[r]!]! * ldq;
      gather.set(Z.subarray(c, c + n1), r * n1);
    }
    const g2 = top * n1;
    for (let r = c1; r < K; r++) {
      const c = q0 + n1 + nd[grp[r]!]! * ldq;
      gather.set(Z.subarray(c, c + n2), g2 + (r - c1) * n2);
    }
  }
  // Deflated columns are kept as they are (after the rotations): stash them at columns
  // K..n of `out` (gather's storage, past the at most K n gathered doubles). Z's block is
  // then free: the secular equation's vectors are formed in it (as dlaed3 forms them in Q),
  // and the gemms overwrite its first K columns; the stash goes back after them.
  for (let t = 0; t < nDefl; t++) {
    const c = q0 + defl[t]! * ldq;
    out.set(Z.subarray(c, c + n), (K + t) * n);
  }
  if (K > 0) {
    // Roots of the secular equation; column j of Z's block receives dlamda_i - lambda_j.
    if (K === 1) {
      lam[0] = dlamda[0]! + rho * w[0]! * w[0]!;
      Z[q0] = 1;
    } else {
      for (let j = 0; j < K; j++) lam[j] = laed4(K, j, dlamda, w, rho, Z, q0 + j * ldq, sc.dorig);
      // Löwner: the z for which the computed lambdas are exact eigenvalues.
      for (let i = 0; i < K; i++) {
        let p = Z[q0 + i + i * ldq]!;
        const di = dlamda[i]!;
        for (let j = 0; j < K; j++) if (j !== i) p *= Z[q0 + i + j * ldq]! / (di - dlamda[j]!);
        z[i] = w[i]! >= 0 ? Math.sqrt(-p) : -Math.sqrt(-p);
      }
      // Eigenvectors of diag(dlamda) + rho z z^T: column j = z ./ (dlamda - lambda_j),
      // normalised, its rows in group order (through the spare vector).
      for (let j = 0; j < K; j++) {
        const c = q0 + j * ldq;
        let ss = 0;
        for (let i = 0; i < K; i++) {
          const v = z[i]! / Z[c + i]!;
          spare[i] = v;
          ss += v * v;
        }
        const inv = 1 / Math.sqrt(ss);
        for (let r = 0; r < K; r++) Z[c + r] = spare[grp[r]!]! * inv;
      }
    }
    mergeProducts(n, n1, K, c1, top, Z, q0, ldq, sc);
  }
  for (let t = 0; t < nDefl; t++) Z.set(out.subarray((K + t) * n, (K + t + 1) * n), q0 + (K + t) * ldq);
  // Write back all n eigenpairs in ascending order. vals is two ascending runs (the roots,
  // then the deflated values, nearly sorted), so a stable insertion sort is a near-linear
  // merge (as dlamrg) with the order of a stable sort.
  const { order, vals } = sc;
  for (let j = 0; j < K; j++) vals[j] = lam[j]!;
  for (let t = 0; t < nDefl; t++) vals[K + t] = dd[defl[t]!]!;
  for (let j = 0; j < n; j++) {
    const v = vals[j]!;
    let q = j;
    while (q > 0 && vals[order[q - 1]!]! > v) {
      order[q] = order[q - 1]!;
      q--;
    }
    order[q] = j;
  }
  const { done } = sc;
  for (let p = 0; p < n; p++) {
    d[s + p] = vals[order[p]!]!;
    done[p] = 0;
  }
  // Column p of the result is column order[p] of Z's block: follow each cycle of the
  // permutation, one column in transit.
  for (let p = 0; p < n; p++) {
    if (done[p]) continue;
    done[p] = 1;
    let src = order[p]!;
    if (src === p) continue;
    spare.set(Z.subarray(q0 + p * ldq, q0 + p * ldq + n));
    let q = p;
    while (src !== p) {
      Z.copyWithin(q0 + q * ldq, q0 + src * ldq, q0 + src * ldq + n);
      done[src] = 1;
      q = src;
      src = order[q]!;
    }
    Z.set(spare.subarray(0, n), q0 + q * ldq);
  }
}

// The merge's vector update (dlaed3): Z's block (q0, ldq) columns 0..K = [Q1 0; 0 Q2]
// (gathered columns) S, as two gemms over the gathered top block (n1 x top) and bottom block
// (n2 x (K - c1)), skipping the zero blocks. S (K x K, rows in group order) is in rows 0..K
// of those columns on entry (laedMerge): each gemm's rows of it are copied out first, the
// bottom ones (c1..K) before the bottom product overwrites rows n1..n, then the top ones
// (0..top), which lie above row n1 (top <= n1: a rotation never adds a column meeting the top
// half), so the copy needs max(top, K - c1) x K doubles, not K^2. The deflated columns must
// have been stashed.
function mergeProducts(n: number, n1: number, K: number, c1: number, top: number, Z: Float64Array, q0: number, ldq: number, sc: Scratch): void {
  const { gather } = sc;
  const n2 = n - n1;
  const bot = K - c1;
  // Cannot happen (see above); checked because the order of the two products relies on it.
  if (top > n1) throw new LowrankError(`stedc: internal error: ${top} columns meet the top half of a merge of order ${n} (at most ${n1})`);
  // The row blocks go into gather between the gathered columns (top n1 + bot n2 doubles)
  // and the deflated stash (from K n) when they fit, which they do when the merge deflates
  // little (then no page of S is touched); else into S.
  const gathered = top * n1 + bot * n2;
  const inGather = Math.max(top, bot) * K <= K * n - gathered;
  const B = inGather ? gather : sc.S;
  const b0 = inGather ? gathered : 0;
  const k = kernels();
  const rows = (r0: number, m: number): void => {
    for (let j = 0; j < K; j++) B.set(Z.subarray(q0 + r0 + j * ldq, q0 + r0 + m + j * ldq), b0 + j * m);
  };
  if (bot > 0) {
    rows(c1, bot);
    k.gemm(false, false, n2, K, bot, 1, gather, top * n1, n2, B, b0, bot, 0, Z, q0 + n1, ldq);
  } else for (let j = 0; j < K; j++) Z.fill(0, q0 + j * ldq + n1, q0 + j * ldq + n);
  if (top > 0) {
    rows(0, top);
    k.gemm(false, false, n1, K, top, 1, gather, 0, n1, B, b0, top, 0, Z, q0, ldq);
  } else for (let j = 0; j < K; j++) Z.fill(0, q0 + j * ldq, q0 + j * ldq + n1);
}
