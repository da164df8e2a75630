/**
 * Small dense symmetric positive-definite solves for the per-user and per-item ridge
 * problems of alternating least squares (f x f systems, f = latent factors, typically
 * 10-200). One system is far too small for the blocked LAPACK path, and an ALS sweep solves
 * tens of thousands of them, so these are tight unblocked loops on a reused Float64Array:
 * Cholesky-Crout (LAPACK dpotf2 order, lower triangle, row-major) then two triangular
 * substitutions, f^3/3 + 2 f^2 flops.
 */

/**
 * Solve `A x = b` in place for symmetric positive-definite `A` (n x n, row-major; only the
 * lower triangle `A[i*n + j], j <= i` is read, and it is overwritten by the Cholesky factor
 * L). `b` is overwritten by `x`.
 *
 * A pivot that is not positive (A singular to working precision, which happens only with a
 * zero regularization) is replaced by a tiny multiple of the largest diagonal entry, so the
 * solve returns a finite minimum-norm-like answer instead of NaN; the return value says so.
 *
 * @returns true when every pivot was positive (an exact factorization).
 */
export function choleskySolveInPlace(A: Float64Array, b: Float64Array, n: number): boolean {
  let exact = true;
  let maxDiag = 0;
  for (let i = 0; i < n; i++) {
    const d = A[i * n + i]!;
    if (d > maxDiag) maxDiag = d;
  }
  const floor = (maxDiag > 0 ? maxDiag : 1) * 1e-12;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = A[rj + j]!;
    for (let k = 0; k < j; k++) {
      const l = A[rj + k]!;
      d -= l * l;
    }
    if (!(d > floor)) {
      exact = false;
      d = floor;
    }
    const ljj = Math.sqrt(d);
    A[rj + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = A[ri + j]!;
      for (let k = 0; k < j; k++) s -= A[ri + k]! * A[rj + k]!;
      A[ri + j] = s * inv;
    }
  }
  // L y = b
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= A[ri + k]! * b[k]!;
    b[i] = s / A[ri + i]!;
  }
  // L^T x = y
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= A[k * n + i]! * b[k]!;
    b[i] = s / A[i * n + i]!;
  }
  return exact;
}

/**
 * Add the outer products of the rows of a row-major f32 factor matrix to the lower triangle
 * of a row-major n x n Gram: G += sum_r w_r z_r z_r^T, where z_r is row `rows[r]` of `F`
 * (length `f`) followed, when `n === f + 1`, by a constant 1 (the bias column of the
 * augmented ALS problem). `weights` null means all ones. A tight scalar loop, ~n_rows f^2/2
 * multiply-adds: used for short rows where a gathered syrk would not pay.
 */
export function accumulateGramRows(
  G: Float64Array, n: number, F: Float32Array, f: number, rows: Int32Array, start: number, end: number,
  weights: Float32Array | Float64Array | null, weightScale: number, z: Float64Array,
): void {
  const aug = n === f + 1;
  for (let p = start; p < end; p++) {
    const base = rows[p]! * f;
    const w = weights === null ? 1 : weights[p]! * weightScale;
    for (let a = 0; a < f; a++) z[a] = F[base + a]!;
    if (aug) z[f] = 1;
    for (let a = 0; a < n; a++) {
      const za = z[a]! * w;
      const ra = a * n;
      for (let c = 0; c <= a; c++) G[ra + c] = G[ra + c]! + za * z[c]!;
    }
  }
}
