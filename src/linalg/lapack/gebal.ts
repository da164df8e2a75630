/**
 * Balancing of a general square matrix before the nonsymmetric eigensolver (LAPACK dgebal,
 * job 'B') and the matching back-transformation of right eigenvectors (dgebak, side 'R').
 *
 * Balancing first permutes rows and columns symmetrically to isolate eigenvalues that can
 * be read off the diagonal (a row or column whose off-diagonal part is zero), then scales
 * the remaining block A(ilo:ihi, ilo:ihi) by a diagonal similarity D^-1 A D with powers of
 * two, so no rounding is introduced (Parlett & Reinsch, Numer. Math. 13, 1969). Scaling
 * makes row and column norms comparable, which shrinks ||A|| and hence the absolute error
 * of the QR algorithm. The convergence test is the one of LAPACK 3.11's dgebal (2-norms,
 * accept a step only when it reduces c + r by 5%, guard the scale factors against under-
 * and overflow).
 */
import { kernels } from '../../kernels/index.js';
import type { FloatArray } from '../../matrix/dtype.js';

/** Result of {@link gebal}: the balanced block is rows/columns ilo..ihi (0-based, inclusive). */
export interface Balance {
  ilo: number;
  ihi: number;
}

// Swap columns i and j over rows 0..rows-1, and rows i and j over columns c0..n-1.
function swapSym(n: number, rows: number, c0: number, i: number, j: number, a: FloatArray, off: number, ld: number): void {
  const ci = off + i * ld;
  const cj = off + j * ld;
  for (let r = 0; r < rows; r++) {
    const t = a[ci + r]!;
    a[ci + r] = a[cj + r]!;
    a[cj + r] = t;
  }
  for (let c = c0; c < n; c++) {
    const p = off + i + c * ld;
    const q = off + j + c * ld;
    const t = a[p]!;
    a[p] = a[q]!;
    a[q] = t;
  }
}

/**
 * Balance the n x n matrix A in place (LAPACK dgebal, job 'B').
 *
 * On return A is P^T A P scaled by D^-1 (.) D in the block ilo..ihi; rows and columns
 * outside the block are upper triangular, so their diagonal entries are eigenvalues.
 * `scale[j]` holds, for j outside ilo..ihi, the (0-based) index swapped with j, and for
 * j inside, the scale factor d_j (a power of two).
 *
 * Cost: O(n^2) per sweep; the number of sweeps is small in practice (each accepted step
 * reduces a row + column norm by at least 5%).
 * @param scale - output, at least n elements.
 */
export function gebal(n: number, a: FloatArray, off: number, ld: number, scale: Float64Array): Balance {
  if (n === 0) return { ilo: 0, ihi: -1 };
  const at = (i: number, j: number): number => a[off + i + j * ld]!;
  let k = 0;
  let l = n - 1;

  // Rows whose off-diagonal part within columns 0..l is zero isolate an eigenvalue:
  // move them to the bottom.
  let noconv = true;
  while (noconv) {
    noconv = false;
    for (let i = l; i >= 0; i--) {
      let canSwap = true;
      for (let j = 0; j <= l; j++) {
        if (i !== j && at(i, j) !== 0) {
          canSwap = false;
          break;
        }
      }
      if (!canSwap) continue;
      scale[l] = i;
      if (i !== l) swapSym(n, l + 1, k, i, l, a, off, ld);
      noconv = true;
      if (l === 0) return { ilo: 0, ihi: 0 };
      l--;
    }
  }

  // Columns whose off-diagonal part within rows k..l is zero: move them to the left.
  noconv = true;
  while (noconv) {
    noconv = false;
    for (let j = k; j <= l; j++) {
      let canSwap = true;
      for (let i = k; i <= l; i++) {
        if (i !== j && at(i, j) !== 0) {
          canSwap = false;
          break;
        }
      }
      if (!canSwap) continue;
      scale[k] = j;
      if (j !== k) swapSym(n, l + 1, k, j, k, a, off, ld);
      noconv = true;
      k++;
    }
  }
  for (let i = k; i <= l; i++) scale[i] = 1;
  if (k > l) return { ilo: l, ihi: l }; // cannot happen for a consistent pattern; keeps indices valid

  // Iterative diagonal scaling by powers of 2 of the block k..l.
  const sclfac = 2;
  const factor = 0.95;
  const sfmin1 = 2 ** -1022 / 2 ** -52;
  const sfmax1 = 1 / sfmin1;
  const sfmin2 = sfmin1 * sclfac;
  const sfmax2 = 1 / sfmin2;
  const kr = kernels();
  const nb = l - k + 1;
  // Each accepted step lowers c + r by 5% and factors are bounded, so this terminates;
  // the cap only guards against pathological rounding cycles.
  for (let sweep = 0; noconv || sweep === 0; sweep++) {
    noconv = false;
    if (sweep > 200 + 10 * n) break;
    for (let i = k; i <= l; i++) {
      let c = kr.nrm2(nb, a, off + k + i * ld, 1);
      let r = kr.nrm2(nb, a, off + i + k * ld, ld);
      let ca = 0;
      for (let p = 0; p <= l; p++) ca = Math.max(ca, Math.abs(at(p, i)));
      let ra = 0;
      for (let p = k; p < n; p++) ra = Math.max(ra, Math.abs(at(i, p)));
      if (c === 0 || r === 0) continue;
      if (!Number.isFinite(c + ca + r + ra)) continue;
      let g = r / sclfac;
      let f = 1;
      const s = c + r;
      while (c < g && Math.max(f, c, ca) < sfmax2 && Math.min(r, g, ra) > sfmin2) {
        f *= sclfac;
        c *= sclfac;
        ca *= sclfac;
        r /= sclfac;
        g /= sclfac;
        ra /= sclfac;
      }
      g = c / sclfac;
      while (g >= r && Math.max(r, ra) < sfmax2 && Math.min(f, c, g, ca) > sfmin2) {
        f /= sclfac;
        c /= sclfac;
        g /= sclfac;
        ca /= sclfac;
        r *= sclfac;
        ra *= sclfac;
      }
      if (c + r >= factor * s) continue;
      const si = scale[i]!;
      if (f < 1 && si < 1 && f * si <= sfmin1) continue;
      if (f > 1 && si > 1 && si >= sfmax1 / f) continue;
      scale[i] = si * f;
      noconv = true;
      kr.scal(n - k, 1 / f, a, off + i + k * ld, ld);
      kr.scal(l + 1, f, a, off + i * ld, 1);
    }
  }
  return { ilo: k, ihi: l };
}

/**
 * Undo the balancing of {@link gebal} on m right eigenvectors V (n x m): V := P D V
 * (LAPACK dgebak, job 'B', side 'R'). Cost O(n m).
 */
export function gebak(
  n: number, ilo: number, ihi: number, scale: Float64Array, m: number, V: FloatArray, offV: number, ldV: number,
): void {
  if (n === 0 || m === 0) return;
  if (ilo !== ihi) {
    const kr = kernels();
    for (let i = ilo; i <= ihi; i++) kr.scal(m, scale[i]!, V, offV + i, ldV);
  }
  // Undo the interchanges in the reverse order gebal made them: the column ones
  // (ilo-1 down to 0), then the row ones (ihi+1 up to n-1).
  for (let ii = 0; ii < n; ii++) {
    let i = ii;
    if (i >= ilo && i <= ihi) continue;
    if (i < ilo) i = ilo - 1 - ii;
    const kk = scale[i]!;
    if (kk === i) continue;
    for (let j = 0; j < m; j++) {
      const p = offV + i + j * ldV;
      const q = offV + kk + j * ldV;
      const t = V[p]!;
      V[p] = V[q]!;
      V[q] = t;
    }
  }
}
