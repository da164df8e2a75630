/**
 * QR with column pivoting, A P = Q R, |R_00| >= |R_11| >= ... (Businger & Golub 1965;
 * LAPACK dgeqp3's unblocked core dlaqp2). Column norms are downdated after each step and
 * recomputed when cancellation makes the downdate unreliable (Drmač & Bujanović,
 * LAPACK Working Note 176). Level-2: the reflectors are applied one at a time.
 */
import { kernels } from '../../kernels/index.js';
import type { FloatArray } from '../../matrix/dtype.js';
import { larf, larfg } from './householder.js';

/**
 * Pivoted QR of the m x n A in place. On return `jpvt[j]` is the original index of the
 * column now at position j, tau holds min(m, n) scalars, and R / the reflectors are
 * stored as by geqrf. `work` needs n elements.
 */
export function geqp3(m: number, n: number, A: FloatArray, offA: number, ldA: number, jpvt: Int32Array, tau: FloatArray, work: FloatArray): void {
  const k = Math.min(m, n);
  const g = kernels();
  const vn1 = new Float64Array(n);
  const vn2 = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    jpvt[j] = j;
    vn1[j] = g.nrm2(m, A, offA + j * ldA, 1);
    vn2[j] = vn1[j]!;
  }
  const eps = A instanceof Float32Array ? 2 ** -24 : 2 ** -53;
  const tol3z = Math.sqrt(eps);
  for (let i = 0; i < k; i++) {
    let p = i;
    for (let j = i + 1; j < n; j++) if (vn1[j]! > vn1[p]!) p = j;
    if (p !== i) {
      const cp = offA + p * ldA;
      const ci = offA + i * ldA;
      for (let r = 0; r < m; r++) {
        const t = A[cp + r]!;
        A[cp + r] = A[ci + r]!;
        A[ci + r] = t;
      }
      const t = jpvt[p]!;
      jpvt[p] = jpvt[i]!;
      jpvt[i] = t;
      vn1[p] = vn1[i]!;
      vn2[p] = vn2[i]!;
    }
    const aii = offA + i + i * ldA;
    const t = larfg(m - i, A, aii, aii + 1, 1);
    tau[i] = t;
    if (i < n - 1 && t !== 0) {
      const d = A[aii]!;
      A[aii] = 1;
      larf('L', m - i, n - i - 1, A, aii, 1, t, A, aii + ldA, ldA, work);
      A[aii] = d;
    }
    for (let j = i + 1; j < n; j++) {
      if (vn1[j] === 0) continue;
      const r = Math.abs(A[offA + i + j * ldA]!) / vn1[j]!;
      const temp = Math.max(0, 1 - r * r);
      const ratio = vn1[j]! / vn2[j]!;
      if (temp * ratio * ratio <= tol3z) {
        const v = i < m - 1 ? g.nrm2(m - i - 1, A, offA + i + 1 + j * ldA, 1) : 0;
        vn1[j] = v;
        vn2[j] = v;
      } else {
        vn1[j] = vn1[j]! * Math.sqrt(temp);
      }
    }
  }
}
