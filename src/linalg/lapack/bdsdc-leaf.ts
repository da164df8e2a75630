/**
 * Leaf solver of the divide-and-conquer bidiagonal SVD: the SVD of a small n x (n + sqre)
 * upper bidiagonal block (the role of LAPACK dlasdq inside dlasd0), by one-sided
 * (Hestenes) Jacobi on the columns of the dense block (Demmel & Veselić, "Jacobi's method
 * is more accurate than QR", SIAM J. Matrix Anal. Appl. 13, 1992).
 *
 * An n x (n+1) block is first rotated from the right into [L 0] with L lower bidiagonal
 * (as dlasdq does), so the null direction is exact. Jacobi rotations then orthogonalise
 * the columns, L V = W; the singular values are the column norms and U the normalised
 * columns. The convergence test is relative
 * (|cos(w_p, w_q)| <= tol), so the normalised columns are orthogonal to working accuracy
 * even for tiny singular values, and V is orthogonal by construction (a product of
 * rotations). Leaves have at most ~25 rows, so the O(n^3)-per-sweep cost is negligible.
 */
import { ConvergenceError } from '../../errors.js';
import { lasdqLeaf } from '../../kernels/dc.js';
import { PRECISION as EPS } from './machine.js';

const MAX_SWEEPS = 80;

// ||a[off .. off+len)|| without overflow or harmful underflow (plain sum of squares
// when that is safe, else scaled by the largest entry).
function norm(a: Float64Array, off: number, len: number): number {
  let ssq = 0;
  for (let i = 0; i < len; i++) {
    const t = a[off + i]!;
    ssq += t * t;
  }
  if (ssq > 1e-280 && ssq < 1e280) return Math.sqrt(ssq);
  let amax = 0;
  for (let i = 0; i < len; i++) amax = Math.max(amax, Math.abs(a[off + i]!));
  if (amax === 0) return 0;
  ssq = 0;
  for (let i = 0; i < len; i++) {
    const t = a[off + i]! / amax;
    ssq += t * t;
  }
  return amax * Math.sqrt(ssq);
}

// Cosine of the angle between columns p and q (norms np, nq > 0): the plain dot product
// divided by the norms when no product can under/overflow, else from scaled columns.
function cosine(W: Float64Array, op: number, oq: number, n: number, np: number, nq: number): number {
  let g = 0;
  if (np > 1e-140 && nq > 1e-140 && np < 1e140 && nq < 1e140) {
    for (let i = 0; i < n; i++) g += W[op + i]! * W[oq + i]!;
    return g / np / nq;
  }
  for (let i = 0; i < n; i++) g += (W[op + i]! / np) * (W[oq + i]! / nq);
  return g;
}

/**
 * SVD of the n x m upper bidiagonal block (m = n + sqre) with diagonal d[dOff..] and
 * superdiagonal e[eOff..] (n - 1 + sqre entries): B = U [diag(s) 0] VT.
 *
 * On return d[dOff..dOff+n) holds s in ascending order (the order the merge expects),
 * U (n x n at uOff, ldu) and VT (m x m at vOff, ldvt) are overwritten; when sqre = 1 the
 * last row of VT spans the null space of B.
 *
 * @param work scratch of at least 2 n^2 + m^2 + 3 n elements (what the WASM kernel needs: leafWorkDoubles in src/kernels/dc.ts).
 * @throws ConvergenceError if Jacobi does not converge in 80 sweeps (not expected).
 * Complexity: O(n^3) per sweep, typically 6-10 sweeps.
 */
export function leafSvd(
  n: number, sqre: number, d: Float64Array, dOff: number, e: Float64Array, eOff: number,
  U: Float64Array, uOff: number, ldu: number, VT: Float64Array, vOff: number, ldvt: number, work: Float64Array,
): void {
  if (n === 0) return;
  // The same sweeps in one WASM call when every array lives in the kernels' memory.
  const status = lasdqLeaf(n, sqre, d, dOff, e, eOff, U, uOff, ldu, VT, vOff, ldvt, work);
  if (status === 1) throw new ConvergenceError(`bdsdc: Jacobi leaf solver of order ${n} did not converge in ${MAX_SWEEPS} sweeps`);
  if (status !== undefined) return;
  const m = n + sqre;
  const W = work.subarray(0, n * n); // n x n, ld n
  const V = work.subarray(n * n, 2 * n * n); // n x n, ld n
  const R = work.subarray(2 * n * n, 2 * n * n + m * m); // m x m, ld m
  const nrm = work.subarray(2 * n * n + m * m, 2 * n * n + m * m + n);
  const perm = new Int32Array(n);
  W.fill(0);
  V.fill(0);
  R.fill(0);
  for (let j = 0; j < n; j++) V[j + j * n] = 1;
  for (let j = 0; j < m; j++) R[j + j * m] = 1;
  if (sqre === 0) {
    for (let i = 0; i < n; i++) {
      W[i + i * n] = d[dOff + i]!;
      if (i + 1 < n) W[i + (i + 1) * n] = e[eOff + i]!;
    }
  } else {
    // As dlasdq: rotations from the right turn the n x (n+1) upper bidiagonal into an
    // n x n lower bidiagonal L and an exactly zero last column, B = [L 0] R with
    // R = G_{n-1}^T ... G_0^T accumulated here.
    let dn = d[dOff]!;
    for (let i = 0; i < n; i++) {
      const f = dn;
      const g = e[eOff + i]!;
      const r = Math.hypot(f, g);
      const c = r === 0 ? 1 : f / r;
      const s = r === 0 ? 0 : g / r;
      W[i + i * n] = r;
      if (i + 1 < n) {
        const next = d[dOff + i + 1]!;
        W[i + 1 + i * n] = s * next;
        dn = c * next;
      }
      // Rows i, i+1 of R := G^T [rows i, i+1].
      for (let j = 0; j < m; j++) {
        const a = R[i + j * m]!, b = R[i + 1 + j * m]!;
        R[i + j * m] = c * a + s * b;
        R[i + 1 + j * m] = c * b - s * a;
      }
    }
  }
  let fro = 0;
  for (let j = 0; j < n; j++) {
    nrm[j] = norm(W, j * n, n);
    fro = Math.hypot(fro, nrm[j]!);
  }
  // Columns below eps^2 ||B|| are not rotated: if such a column is rounding noise (the
  // image of a null vector) it would only shrink by ~eps per sweep without its angles
  // converging. After the sweeps it is kept if it is orthogonal to the larger columns
  // (a genuine tiny singular value) and treated as exactly zero otherwise.
  const negligible = EPS * EPS * fro;
  const tol = EPS * Math.sqrt(n);

  let converged = n < 2;
  for (let sweep = 0; sweep < MAX_SWEEPS && !converged; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const np = nrm[p]!, nq = nrm[q]!;
        if (np <= negligible || nq <= negligible) continue;
        const op = p * n, oq = q * n;
        const g = cosine(W, op, oq, n, np, nq);
        if (!(Math.abs(g) > tol)) continue;
        rotated = true;
        // Rotation zeroing the (p, q) entry of the 2 x 2 Gram matrix:
        // zeta = (||wq||^2 - ||wp||^2) / (2 wp.wq), t = tan of the smaller angle.
        const zeta = (nq / np - np / nq) / (2 * g);
        const az = Math.abs(zeta);
        let t = az > 1e150 ? 0.5 / az : 1 / (az + Math.sqrt(1 + az * az));
        if (zeta < 0) t = -t;
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < n; i++) {
          const x = W[op + i]!, y = W[oq + i]!;
          W[op + i] = c * x - s * y;
          W[oq + i] = s * x + c * y;
          const vx = V[op + i]!, vy = V[oq + i]!;
          V[op + i] = c * vx - s * vy;
          V[oq + i] = s * vx + c * vy;
        }
        nrm[p] = norm(W, op, n);
        nrm[q] = norm(W, oq, n);
      }
    }
    if (!rotated) converged = true;
  }
  if (!converged) throw new ConvergenceError(`bdsdc: Jacobi leaf solver of order ${n} did not converge in ${MAX_SWEEPS} sweeps`);

  // Order columns by norm, descending; output ascending (position n-1-r gets the r-th
  // largest). VT = blkdiag(V^T, 1) R.
  for (let j = 0; j < n; j++) {
    perm[j] = j;
    const nj = nrm[j]!;
    if (nj === 0 || nj > negligible) continue;
    for (let p = 0; p < n; p++) {
      const np = nrm[p]!;
      if (p === j || np <= nj) continue;
      const g = cosine(W, p * n, j * n, n, np, nj);
      if (!(Math.abs(g) <= tol)) {
        nrm[j] = 0;
        break;
      }
    }
  }
  perm.sort((a, b) => nrm[b]! - nrm[a]!);
  for (let r = 0; r < n; r++) {
    const src = perm[r]!;
    const dst = n - 1 - r;
    const s = nrm[src]!;
    d[dOff + dst] = s;
    const uc = uOff + dst * ldu;
    if (s > 0) for (let i = 0; i < n; i++) U[uc + i] = W[src * n + i]! / s;
    for (let j = 0; j < m; j++) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += V[src * n + i]! * R[i + j * m]!;
      VT[vOff + dst + j * ldvt] = acc;
    }
  }
  if (sqre === 1) for (let j = 0; j < m; j++) VT[vOff + n + j * ldvt] = R[n + j * m]!;
  // Zero singular values: complete U with unit vectors orthogonalised (twice) against
  // the columns already set.
  const cand = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    if (nrm[perm[r]!]! > 0) continue;
    const dst = n - 1 - r;
    const uc = uOff + dst * ldu;
    let best = 0;
    let bestNorm = -1;
    for (let kk = 0; kk < n; kk++) {
      cand.fill(0);
      cand[kk] = 1;
      orthogonalize(cand, U, uOff, ldu, n, dst);
      const c = norm(cand, 0, n);
      if (c > bestNorm) {
        bestNorm = c;
        best = kk;
      }
    }
    cand.fill(0);
    cand[best] = 1;
    orthogonalize(cand, U, uOff, ldu, n, dst);
    const c = norm(cand, 0, n);
    for (let i = 0; i < n; i++) U[uc + i] = cand[i]! / c;
  }
}

// Remove from x (twice, for stability) its components along the columns of U that are
// already final: those with ascending index > skip (larger singular values) and the
// zero-value columns completed earlier (index > skip as well, since they are filled in
// order of decreasing position).
function orthogonalize(x: Float64Array, U: Float64Array, uOff: number, ldu: number, n: number, skip: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let j = skip + 1; j < n; j++) {
      const uc = uOff + j * ldu;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += U[uc + i]! * x[i]!;
      for (let i = 0; i < n; i++) x[i] = x[i]! - dot * U[uc + i]!;
    }
  }
}
