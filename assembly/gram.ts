// Gram matrix of the columns of a column-major matrix, C := alpha A^T A + beta C (BLAS
// dsyrk with trans = 'T'), without packing. Entry (i, j) is the dot product of columns i
// and j of A, both contiguous, so the register tile vectorizes along the columns: a tile of
// 2 x 4 dot products loads 6 vectors and does 8 multiply-adds per step, the same ratio as
// the gemm micro-kernel, but with no packing pass over A. Packing dominated the gemm route
// for the tall-skinny A of a covariance (k = 1797 rows, n = 64 columns: the scatter matrix
// of PCA), where each packed element is used only n times.
//
// A is swept in chunks of KC rows so that one chunk of all n columns stays in L2 while a
// tile's columns come from L1; the chunk sums are added to C.
import { hsum, lanes, vmadd } from './simd';

/** Bytes of one chunk of all n columns (within L2; 192-768 KiB measured alike on a 1 MiB L2). */
const CHUNK_BYTES: i32 = 384 * 1024;
/** Shortest chunk, so that the per-tile reductions stay a small fraction of the work. */
const MIN_KC: i32 = 64;

/**
 * One triangle of C := alpha A^T A + beta C for A k x n (column-major at a, leading
 * dimension lda, elements of T), C n x n with leading dimension ldc. Only the `lower` (or
 * upper) triangle of C is read or written. beta == 0 overwrites C without reading it.
 */
export function gramTN<T>(lower: bool, n: i32, k: i32, alpha: T, a: usize, lda: i32, beta: T, c: usize, ldc: i32): void {
  if (n <= 0) return;
  const s = <usize>sizeof<T>();
  for (let j = 0; j < n; j++) {
    const i0 = lower ? j : 0;
    const i1 = lower ? n : j + 1;
    for (let i = i0; i < i1; i++) {
      const p = c + (<usize>i + <usize>j * <usize>ldc) * s;
      store<T>(p, beta == <T>0 ? <T>0 : beta * load<T>(p));
    }
  }
  if (k <= 0 || alpha == <T>0) return;
  const L = lanes<T>();
  let kc = max(MIN_KC, CHUNK_BYTES / (n * <i32>s));
  kc -= kc % L;
  const cs = <usize>lda * s;
  for (let p0 = 0; p0 < k; p0 += kc) {
    const len = min(kc, k - p0);
    const a0 = a + <usize>p0 * s;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      for (let i = j; i < n; i += 2) tile2x4<T>(len, a0, cs, i, min(2, n - i), j, alpha, lower, c, ldc);
    }
    // The last n mod 4 columns: their few lower-triangle entries one dot product each.
    for (; j < n; j++) {
      for (let i = j; i < n; i++) add<T>(c, ldc, lower, i, j, alpha, dotCols<T>(len, a0 + <usize>i * cs, a0 + <usize>j * cs));
    }
  }
}

// C(i, j) += alpha v for i >= j, into the chosen triangle (the transposed slot for upper).
@inline function add<T>(c: usize, ldc: i32, lower: bool, i: i32, j: i32, alpha: T, v: f64): void {
  if (i < j) return;
  const p = c + (lower ? <usize>i + <usize>j * <usize>ldc : <usize>j + <usize>i * <usize>ldc) * <usize>sizeof<T>();
  store<T>(p, load<T>(p) + alpha * <T>v);
}

// Dot products of columns i, i+1 with columns j..j+3 over len rows; entries with i < j (the
// diagonal tile's upper part) are dropped. With rows = 1 (the last, odd row of a column
// block) column i stands in for i+1 and only its own products are kept.
function tile2x4<T>(len: i32, a: usize, cs: usize, i: i32, rows: i32, j: i32, alpha: T, lower: bool, c: usize, ldc: i32): void {
  const s = <usize>sizeof<T>();
  const L = lanes<T>();
  const x0 = a + <usize>i * cs;
  const x1 = rows == 2 ? x0 + cs : x0;
  const y0 = a + <usize>j * cs;
  const y1 = y0 + cs;
  const y2 = y1 + cs;
  const y3 = y2 + cs;
  let c00 = v128.splat<T>(<T>0);
  let c01 = v128.splat<T>(<T>0);
  let c02 = v128.splat<T>(<T>0);
  let c03 = v128.splat<T>(<T>0);
  let c10 = v128.splat<T>(<T>0);
  let c11 = v128.splat<T>(<T>0);
  let c12 = v128.splat<T>(<T>0);
  let c13 = v128.splat<T>(<T>0);
  let p = 0;
  for (; p + L <= len; p += L) {
    const o = <usize>p * s;
    const u0 = v128.load(x0 + o);
    const u1 = v128.load(x1 + o);
    let v = v128.load(y0 + o);
    c00 = vmadd<T>(u0, v, c00);
    c10 = vmadd<T>(u1, v, c10);
    v = v128.load(y1 + o);
    c01 = vmadd<T>(u0, v, c01);
    c11 = vmadd<T>(u1, v, c11);
    v = v128.load(y2 + o);
    c02 = vmadd<T>(u0, v, c02);
    c12 = vmadd<T>(u1, v, c12);
    v = v128.load(y3 + o);
    c03 = vmadd<T>(u0, v, c03);
    c13 = vmadd<T>(u1, v, c13);
  }
  let s00 = hsum<T>(c00);
  let s01 = hsum<T>(c01);
  let s02 = hsum<T>(c02);
  let s03 = hsum<T>(c03);
  let s10 = hsum<T>(c10);
  let s11 = hsum<T>(c11);
  let s12 = hsum<T>(c12);
  let s13 = hsum<T>(c13);
  for (; p < len; p++) {
    const o = <usize>p * s;
    const u0 = <f64>load<T>(x0 + o);
    const u1 = <f64>load<T>(x1 + o);
    const v0 = <f64>load<T>(y0 + o);
    const v1 = <f64>load<T>(y1 + o);
    const v2 = <f64>load<T>(y2 + o);
    const v3 = <f64>load<T>(y3 + o);
    s00 += u0 * v0;
    s01 += u0 * v1;
    s02 += u0 * v2;
    s03 += u0 * v3;
    s10 += u1 * v0;
    s11 += u1 * v1;
    s12 += u1 * v2;
    s13 += u1 * v3;
  }
  add<T>(c, ldc, lower, i, j, alpha, s00);
  add<T>(c, ldc, lower, i, j + 1, alpha, s01);
  add<T>(c, ldc, lower, i, j + 2, alpha, s02);
  add<T>(c, ldc, lower, i, j + 3, alpha, s03);
  if (rows == 1) return;
  add<T>(c, ldc, lower, i + 1, j, alpha, s10);
  add<T>(c, ldc, lower, i + 1, j + 1, alpha, s11);
  add<T>(c, ldc, lower, i + 1, j + 2, alpha, s12);
  add<T>(c, ldc, lower, i + 1, j + 3, alpha, s13);
}

// Dot product of two contiguous columns of len elements.
function dotCols<T>(len: i32, x: usize, y: usize): f64 {
  const s = <usize>sizeof<T>();
  const L = lanes<T>();
  let acc = v128.splat<T>(<T>0);
  let p = 0;
  for (; p + L <= len; p += L) acc = vmadd<T>(v128.load(x + <usize>p * s), v128.load(y + <usize>p * s), acc);
  let sum = hsum<T>(acc);
  for (; p < len; p++) sum += <f64>load<T>(x + <usize>p * s) * <f64>load<T>(y + <usize>p * s);
  return sum;
}
