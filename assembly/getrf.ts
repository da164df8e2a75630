// LU with partial pivoting on pointers: the recursive panel factorization (LAPACK dgetrf2,
// Toledo 1997) with unblocked leaves (dgetf2), and the unit lower triangular solve with
// many right-hand sides it needs (dtrsm 'L', 'L', 'N', 'U'). Running the whole recursion
// here instead of from TypeScript saves a kernel call, a pivot copy and a heap allocation
// per node of the recursion; the flops still go to gemm.
import { gemm } from './gemm';
import { axpy, scal } from './level1';
import { laswp } from './laswp';
import { lanes, vmadd } from './simd';
import { dgetrf_small } from './small';

/** Panels this narrow are factored column by column (getf2). */
const LEAF: i32 = 8;
/** f64 panels up to this width are factored by small.ts's rank-4 loop (dgetrf_small). */
const RANK4_MAX: i32 = 32;
/** Unit lower triangular solves up to this order run in one kernel call (trsmKernel). */
const TRSM_MAX: i32 = 64;
/** Rows of a trsm tile. */
const TR: i32 = 4;

/** Bytes of scratch the exported LU kernels need: trsmKernel's packed L and X (f64). */
export const LU_SCRATCH_BYTES: i32 = (packedLSize(TRSM_MAX) + TRSM_MAX * 4) * 8;

// Elements of trsmKernel's packed L for order m: row block i holds 4 (4 i + 4) values.
function packedLSize(m: i32): i32 {
  const mb = (m + TR - 1) / TR;
  return 8 * mb * (mb + 1);
}

/**
 * Index of the first largest |x_i| of the n >= 1 contiguous x (BLAS idamax, 0-based); 0
 * when x_0 is NaN, and NaN entries elsewhere are never chosen, as with a scalar scan
 * `if (|x_i| > best)`. The maximum comes from a SIMD pass with lane-wise pseudo-max (which,
 * like that scan, never lets a NaN replace a number); a scan then finds its first occurrence.
 */
function iamax<T>(n: i32, x: usize): i32 {
  const s = <usize>sizeof<T>();
  const L = lanes<T>();
  const x0 = abs<T>(load<T>(x));
  let best = x0;
  let i = 1;
  if (n > 4 * L) {
    let acc0 = v128.splat<T>(x0);
    let acc1 = acc0;
    for (; i + 2 * L <= n; i += 2 * L) {
      const o = x + <usize>i * s;
      acc0 = v128.pmax<T>(acc0, v128.abs<T>(v128.load(o)));
      acc1 = v128.pmax<T>(acc1, v128.abs<T>(v128.load(o + 16)));
    }
    acc0 = v128.pmax<T>(acc0, acc1);
    for (let l = 0; l < L; l++) {
      const v = lane<T>(acc0, l);
      if (v > best) best = v;
    }
  }
  for (; i < n; i++) {
    const v = abs<T>(load<T>(x + <usize>i * s));
    if (v > best) best = v;
  }
  if (!(best > x0)) return 0;
  let p = 1;
  while (abs<T>(load<T>(x + <usize>p * s)) != best) p++;
  return p;
}

@inline function lane<T>(v: v128, l: i32): T {
  if (sizeof<T>() == 8) return <T>(l == 0 ? f64x2.extract_lane(v, 0) : f64x2.extract_lane(v, 1));
  switch (l) {
    case 0: return <T>f32x4.extract_lane(v, 0);
    case 1: return <T>f32x4.extract_lane(v, 1);
    case 2: return <T>f32x4.extract_lane(v, 2);
    default: return <T>f32x4.extract_lane(v, 3);
  }
}

/**
 * Unblocked LU with partial pivoting of the m x n panel at a (LAPACK dgetf2): pivot row
 * indices (relative to the panel) go to piv[0..min(m, n)), the multipliers overwrite the
 * strictly lower part. Returns the 1-based index of the first exactly zero pivot, or 0.
 * Rows are scaled by a reciprocal unless the pivot is below sfmin (then divided, as dgetf2).
 */
export function getf2<T>(m: i32, n: i32, a: usize, lda: i32, piv: usize, sfmin: f64): i32 {
  const s = <usize>sizeof<T>();
  const cs = <usize>lda * s;
  const k = min(m, n);
  let info = 0;
  for (let j = 0; j < k; j++) {
    const cj = a + <usize>j * cs;
    const p = j + iamax<T>(m - j, cj + <usize>j * s);
    store<i32>(piv + (<usize>j << 2), p);
    const pv = load<T>(cj + <usize>p * s);
    if (pv != <T>0) {
      laswp<T>(n, a, lda, j, j + 1, piv + (<usize>j << 2));
      if (<f64>abs<T>(pv) >= sfmin) scal<T>(m - j - 1, <T>1 / pv, cj + <usize>(j + 1) * s, 1);
      else for (let i = j + 1; i < m; i++) store<T>(cj + <usize>i * s, load<T>(cj + <usize>i * s) / pv);
    } else if (info == 0) {
      info = j + 1;
    }
    for (let c = j + 1; c < n; c++) {
      const cc = a + <usize>c * cs;
      const t = load<T>(cc + <usize>j * s);
      if (t != <T>0) axpy<T>(m - j - 1, -t, cj + <usize>(j + 1) * s, 1, cc + <usize>(j + 1) * s, 1);
    }
  }
  return info;
}

/**
 * B := L^{-1} B for the m x m unit lower triangular L at a (the strictly lower part is read)
 * and the m x n B at b. Orders above TRSM_MAX halve recursively (Elmroth, Gustavson,
 * Jonsson & Kågström, SIAM Review 2004: the off-diagonal block goes to gemm); smaller ones
 * run trsmKernel. `scratch` holds LU_SCRATCH_BYTES, `work` a gemm workspace.
 */
export function trsmLowerUnit<T>(m: i32, n: i32, a: usize, lda: i32, b: usize, ldb: i32, scratch: usize, work: usize): void {
  if (m <= 0 || n <= 0) return;
  if (m <= TRSM_MAX) {
    trsmKernel<T>(m, n, a, lda, b, ldb, scratch);
    return;
  }
  const s = <usize>sizeof<T>();
  const m1 = m >> 1;
  const m2 = m - m1;
  // [L11 0; L21 L22] [X1; X2] = [B1; B2]: X1, then B2 -= L21 X1, then X2.
  trsmLowerUnit<T>(m1, n, a, lda, b, ldb, scratch, work);
  gemm<T>(false, false, m2, n, m1, <T>-1, a + <usize>m1 * s, lda, b, ldb, <T>1, b + <usize>m1 * s, ldb, work);
  trsmLowerUnit<T>(m2, n, a + <usize>m1 * s + <usize>m1 * <usize>lda * s, lda, b + <usize>m1 * s, ldb, scratch, work);
}

/**
 * Forward substitution for m <= TRSM_MAX, blocked like a gemm micro-kernel: -L is packed
 * once in row blocks of TR = 4 (block i holds, for p = 0 .. 4 i + 3, the four values
 * -L[4 i .. 4 i + 3, p]); then for each slab of 2 vectors' worth of columns of B (4 f64 or
 * 8 f32) the slab is copied to a zero-padded row-major tile X, and row block i is
 * X_i -= L[i, 0:4i] X[0:4i] as rank-1 updates of 8 vector accumulators, followed by the
 * 4 x 4 unit lower solve of the block's rows. Same operations as column substitution (no
 * explicit inverse), near gemm speed and without extra flops.
 */
function trsmKernel<T>(m: i32, n: i32, a: usize, lda: i32, b: usize, ldb: i32, scratch: usize): void {
  const s = <usize>sizeof<T>();
  const mb = (m + TR - 1) / TR;
  const lp = scratch;
  const xp = scratch + <usize>packedLSize(m) * s;
  // Pack -L by row blocks; entries on or above the diagonal and rows past m are zero.
  let d = lp;
  for (let i = 0; i < mb; i++) {
    for (let p = 0; p < TR * i + TR; p++) {
      const col = a + <usize>p * <usize>lda * s;
      for (let r = 0; r < TR; r++) {
        const row = TR * i + r;
        store<T>(d, row < m && p < row ? -load<T>(col + <usize>row * s) : <T>0);
        d += s;
      }
    }
  }
  const L = lanes<T>();
  const w = 2 * L; // columns per slab
  const rowBytes = <usize>w * s;
  for (let j0 = 0; j0 < n; j0 += w) {
    const nc = min(w, n - j0);
    memory.fill(xp, 0, <usize>(mb * TR) * rowBytes);
    for (let c = 0; c < nc; c++) {
      const bc = b + <usize>(j0 + c) * <usize>ldb * s;
      for (let p = 0; p < m; p++) store<T>(xp + <usize>p * rowBytes + <usize>c * s, load<T>(bc + <usize>p * s));
    }
    let panel = lp;
    for (let i = 0; i < mb; i++) {
      const xi = xp + <usize>(TR * i) * rowBytes;
      let r0a = v128.load(xi);
      let r0b = v128.load(xi, 16);
      let r1a = v128.load(xi + rowBytes);
      let r1b = v128.load(xi + rowBytes, 16);
      let r2a = v128.load(xi + 2 * rowBytes);
      let r2b = v128.load(xi + 2 * rowBytes, 16);
      let r3a = v128.load(xi + 3 * rowBytes);
      let r3b = v128.load(xi + 3 * rowBytes, 16);
      let pl = panel;
      let px = xp;
      for (let p = 0; p < TR * i; p++) {
        const xa = v128.load(px);
        const xb = v128.load(px, 16);
        let l = v128.load_splat<T>(pl);
        r0a = vmadd<T>(l, xa, r0a);
        r0b = vmadd<T>(l, xb, r0b);
        l = v128.load_splat<T>(pl + s);
        r1a = vmadd<T>(l, xa, r1a);
        r1b = vmadd<T>(l, xb, r1b);
        l = v128.load_splat<T>(pl + 2 * s);
        r2a = vmadd<T>(l, xa, r2a);
        r2b = vmadd<T>(l, xb, r2b);
        l = v128.load_splat<T>(pl + 3 * s);
        r3a = vmadd<T>(l, xa, r3a);
        r3b = vmadd<T>(l, xb, r3b);
        pl += <usize>TR * s;
        px += rowBytes;
      }
      v128.store(xi, r0a);
      v128.store(xi, r0b, 16);
      v128.store(xi + rowBytes, r1a);
      v128.store(xi + rowBytes, r1b, 16);
      v128.store(xi + 2 * rowBytes, r2a);
      v128.store(xi + 2 * rowBytes, r2b, 16);
      v128.store(xi + 3 * rowBytes, r3a);
      v128.store(xi + 3 * rowBytes, r3b, 16);
      // The diagonal block, in the tile: row r -= L[r, q] row q for q < r (pl now points at
      // column 4 i of the panel, where -L[r, q] is entry TR q + r).
      for (let q = 0; q < TR - 1; q++) {
        const xq = xi + <usize>q * rowBytes;
        const qa = v128.load(xq);
        const qb = v128.load(xq, 16);
        for (let r = q + 1; r < TR; r++) {
          const l = v128.load_splat<T>(pl + <usize>(TR * q + r) * s);
          const xr = xi + <usize>r * rowBytes;
          v128.store(xr, vmadd<T>(l, qa, v128.load(xr)));
          v128.store(xr, vmadd<T>(l, qb, v128.load(xr, 16)), 16);
        }
      }
      panel += <usize>(TR * (TR * i + TR)) * s;
    }
    for (let c = 0; c < nc; c++) {
      const bc = b + <usize>(j0 + c) * <usize>ldb * s;
      for (let p = 0; p < m; p++) store<T>(bc + <usize>p * s, load<T>(xp + <usize>p * rowBytes + <usize>c * s));
    }
  }
}

/**
 * Recursive LU with partial pivoting of the m x n block at a (LAPACK dgetrf2): factor the
 * left half, apply its interchanges to the right half, U12 := L11^{-1} A12, A22 -= L21 U12,
 * recurse on A22, apply its interchanges to the left half. Pivot row indices relative to the
 * block go to piv[0..min(m, n)). Returns the 1-based index of the first zero pivot, or 0.
 */
export function getrf2<T>(m: i32, n: i32, a: usize, lda: i32, piv: usize, sfmin: f64, scratch: usize, work: usize): i32 {
  const k = min(m, n);
  if (k == 0) return 0;
  if (n <= LEAF || m == 1) return getf2<T>(m, n, a, lda, piv, sfmin);
  // f64 panels up to RANK4_MAX wide: right-looking with rank-4 delayed updates in one loop
  // (small.ts dgetrf_small; its row interchanges span only these n columns, as here) instead
  // of recursing into trsm and gemm calls on blocks of 4..16, where packing costs as much as
  // the arithmetic.
  if (sizeof<T>() == 8 && n <= RANK4_MAX) return dgetrf_small(m, n, a, lda, piv);
  const s = <usize>sizeof<T>();
  const n1 = k >> 1;
  const n2 = n - n1;
  let info = getrf2<T>(m, n1, a, lda, piv, sfmin, scratch, work);
  const a12 = a + <usize>n1 * <usize>lda * s;
  const a21 = a + <usize>n1 * s;
  const a22 = a12 + <usize>n1 * s;
  laswp<T>(n2, a12, lda, 0, n1, piv);
  trsmLowerUnit<T>(n1, n2, a, lda, a12, lda, scratch, work);
  gemm<T>(false, false, m - n1, n2, n1, <T>-1, a21, lda, a12, lda, <T>1, a22, lda, work);
  const piv2 = piv + (<usize>n1 << 2);
  const info2 = getrf2<T>(m - n1, n2, a22, lda, piv2, sfmin, scratch, work);
  if (info == 0 && info2 > 0) info = info2 + n1;
  // A22's pivots are relative to its first row: make them relative to this block and
  // apply them to the left columns.
  for (let i = n1; i < k; i++) store<i32>(piv + (<usize>i << 2), load<i32>(piv + (<usize>i << 2)) + n1);
  laswp<T>(n1, a, lda, n1, k, piv2);
  return info;
}

/**
 * getrf2 on a panel of a larger matrix whose first row is row `base` of the whole: the
 * pivots are stored as absolute row indices (relative + base), ready for laswp on the
 * other columns.
 */
export function getrfPanel<T>(m: i32, n: i32, a: usize, lda: i32, piv: usize, base: i32, sfmin: f64, scratch: usize, work: usize): i32 {
  const info = getrf2<T>(m, n, a, lda, piv, sfmin, scratch, work);
  const k = min(m, n);
  if (base != 0) for (let i = 0; i < k; i++) store<i32>(piv + (<usize>i << 2), load<i32>(piv + (<usize>i << 2)) + base);
  return info;
}
