// Symmetric matrix-vector product reading one triangle (BLAS dsymv, uplo 'L', unit
// strides): the kernel of Householder tridiagonalization (sytrd), where it is half the
// flops. Each column j of the lower triangle is read once and used twice: y[i] += a_ij x_j
// (the lower part) and y[j] += a_ij x_i (its mirror). Four columns are processed per pass so
// y is loaded and stored once per four columns; that halves the memory traffic of a gemv
// on the full matrix, and the kernel is memory bound.
import { hsum, lanes, vmadd } from './simd';

/**
 * y := alpha A x + beta y for symmetric A (n x n, column-major at a with leading dimension
 * lda) of which only the lower triangle (including the diagonal) is read. x and y are
 * contiguous. beta == 0 overwrites y without reading it.
 */
export function symvLower<T>(n: i32, alpha: T, a: usize, lda: i32, x: usize, beta: T, y: usize): void {
  if (n <= 0) return;
  const s = <usize>sizeof<T>();
  if (beta == <T>0) {
    for (let i = 0; i < n; i++) store<T>(y + <usize>i * s, <T>0);
  } else if (beta != <T>1) {
    for (let i = 0; i < n; i++) store<T>(y + <usize>i * s, beta * load<T>(y + <usize>i * s));
  }
  if (alpha == <T>0) return;
  symvLowerCols<T>(n, 0, n, alpha, a, lda, x, y);
}

/**
 * y += alpha A(:, c0:c1) x-part for the columns c0..c1 of the lower triangle of A: every
 * entry a_ij (j in [c0, c1), i >= j) is read once and adds a_ij x_j to y_i and, below the
 * diagonal, a_ij x_i to y_j. Only y[c0..n) is touched. Column blocks of four start at c0,
 * so with c0 = 0 and c1 = n this is the whole product of {@link symvLower}.
 */
export function symvLowerCols<T>(n: i32, c0: i32, c1: i32, alpha: T, a: usize, lda: i32, x: usize, y: usize): void {
  const s = <usize>sizeof<T>();
  const L = lanes<T>();
  const cs = <usize>lda * s;
  let j = c0;
  for (; j + 4 <= c1; j += 4) {
    const c0 = a + <usize>j * cs;
    const c1 = c0 + cs;
    const c2 = c1 + cs;
    const c3 = c2 + cs;
    const t0 = alpha * load<T>(x + <usize>j * s);
    const t1 = alpha * load<T>(x + <usize>(j + 1) * s);
    const t2 = alpha * load<T>(x + <usize>(j + 2) * s);
    const t3 = alpha * load<T>(x + <usize>(j + 3) * s);
    // The 4 x 4 diagonal block, lower part, in scalars.
    let s0: f64 = 0;
    let s1: f64 = 0;
    let s2: f64 = 0;
    let s3: f64 = 0;
    for (let q = 0; q < 4; q++) {
      const row = <usize>(j + q) * s;
      const xq = load<T>(x + row);
      let yq = load<T>(y + row);
      const a0 = load<T>(c0 + row);
      yq += t0 * a0;
      if (q > 0) s0 += <f64>(a0 * xq);
      if (q >= 1) {
        const a1 = load<T>(c1 + row);
        yq += t1 * a1;
        if (q > 1) s1 += <f64>(a1 * xq);
      }
      if (q >= 2) {
        const a2 = load<T>(c2 + row);
        yq += t2 * a2;
        if (q > 2) s2 += <f64>(a2 * xq);
      }
      if (q == 3) yq += t3 * load<T>(c3 + row);
      store<T>(y + row, yq);
    }
    // Rows below the block: SIMD over i.
    const vt0 = v128.splat<T>(t0);
    const vt1 = v128.splat<T>(t1);
    const vt2 = v128.splat<T>(t2);
    const vt3 = v128.splat<T>(t3);
    let va0 = v128.splat<T>(<T>0);
    let va1 = v128.splat<T>(<T>0);
    let va2 = v128.splat<T>(<T>0);
    let va3 = v128.splat<T>(<T>0);
    let i = j + 4;
    for (; i + L <= n; i += L) {
      const o = <usize>i * s;
      const xv = v128.load(x + o);
      let yv = v128.load(y + o);
      const a0 = v128.load(c0 + o);
      const a1 = v128.load(c1 + o);
      const a2 = v128.load(c2 + o);
      const a3 = v128.load(c3 + o);
      yv = vmadd<T>(a0, vt0, yv);
      va0 = vmadd<T>(a0, xv, va0);
      yv = vmadd<T>(a1, vt1, yv);
      va1 = vmadd<T>(a1, xv, va1);
      yv = vmadd<T>(a2, vt2, yv);
      va2 = vmadd<T>(a2, xv, va2);
      yv = vmadd<T>(a3, vt3, yv);
      va3 = vmadd<T>(a3, xv, va3);
      v128.store(y + o, yv);
    }
    s0 += hsum<T>(va0);
    s1 += hsum<T>(va1);
    s2 += hsum<T>(va2);
    s3 += hsum<T>(va3);
    for (; i < n; i++) {
      const o = <usize>i * s;
      const xi = load<T>(x + o);
      const a0 = load<T>(c0 + o);
      const a1 = load<T>(c1 + o);
      const a2 = load<T>(c2 + o);
      const a3 = load<T>(c3 + o);
      store<T>(y + o, load<T>(y + o) + t0 * a0 + t1 * a1 + t2 * a2 + t3 * a3);
      s0 += <f64>(a0 * xi);
      s1 += <f64>(a1 * xi);
      s2 += <f64>(a2 * xi);
      s3 += <f64>(a3 * xi);
    }
    const yj = y + <usize>j * s;
    store<T>(yj, load<T>(yj) + alpha * <T>s0);
    store<T>(yj + s, load<T>(yj + s) + alpha * <T>s1);
    store<T>(yj + 2 * s, load<T>(yj + 2 * s) + alpha * <T>s2);
    store<T>(yj + 3 * s, load<T>(yj + 3 * s) + alpha * <T>s3);
  }
  // Last columns one at a time.
  for (; j < c1; j++) {
    const c0 = a + <usize>j * cs;
    const t0 = alpha * load<T>(x + <usize>j * s);
    const row = <usize>j * s;
    store<T>(y + row, load<T>(y + row) + t0 * load<T>(c0 + row));
    let s0: f64 = 0;
    for (let i = j + 1; i < n; i++) {
      const o = <usize>i * s;
      const ai = load<T>(c0 + o);
      store<T>(y + o, load<T>(y + o) + t0 * ai);
      s0 += <f64>(ai * load<T>(x + o));
    }
    store<T>(y + row, load<T>(y + row) + alpha * <T>s0);
  }
}

/**
 * First column of part p of P of the lower triangle of an n x n matrix, cut so that the
 * parts hold about equal numbers of entries (column j holds n - j): c_p = n (1 - sqrt(1 - p/P)),
 * rounded down to a multiple of 4 (the column block of {@link symvLowerCols}).
 */
export function symvPartStart(n: i32, p: i32, parts: i32): i32 {
  if (p <= 0) return 0;
  if (p >= parts) return n;
  const c = <i32>Math.floor(<f64>n * (1.0 - Math.sqrt(1.0 - <f64>p / <f64>parts)));
  return min(n, (c >> 2) << 2);
}

/**
 * Part p of the split symmetric product: w_p := alpha (columns c_p..c_{p+1} of the lower
 * triangle) x, into the part's own n-vector at w + p n (only entries c_p..n written). Parts
 * touch disjoint memory, so they can run on different threads.
 */
export function symvPart<T>(n: i32, p: i32, parts: i32, alpha: T, a: usize, lda: i32, x: usize, w: usize): void {
  const s = <usize>sizeof<T>();
  const c0 = symvPartStart(n, p, parts);
  const c1 = symvPartStart(n, p + 1, parts);
  const wp = w + <usize>p * <usize>n * s;
  for (let i = c0; i < n; i++) store<T>(wp + <usize>i * s, <T>0);
  if (c1 > c0) symvLowerCols<T>(n, c0, c1, alpha, a, lda, x, wp);
}

/**
 * y := beta y + (w_0 + w_1 + ... + w_{P-1}), the parts added in this fixed order (entry i
 * only from the parts whose columns start at or before i), so the result does not depend
 * on which thread computed which part. beta == 0 overwrites y without reading it.
 */
export function symvReduce<T>(n: i32, parts: i32, beta: T, y: usize, w: usize): void {
  const s = <usize>sizeof<T>();
  for (let p = 0; p < parts; p++) {
    // Entries c_p..c_{p+1} of y get the parts 0..p.
    const i0 = symvPartStart(n, p, parts);
    const i1 = symvPartStart(n, p + 1, parts);
    for (let i = i0; i < i1; i++) {
      const o = <usize>i * s;
      let acc = load<T>(w + o);
      for (let q = 1; q <= p; q++) acc += load<T>(w + <usize>q * <usize>n * s + o);
      store<T>(y + o, beta == <T>0 ? acc : beta * load<T>(y + o) + acc);
    }
  }
}
