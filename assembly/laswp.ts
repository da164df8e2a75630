// Row interchanges of LU with partial pivoting (LAPACK dlaswp, forward): for every column,
// row k swaps with row piv[k - k0], k = k0..k1-1. A column is contiguous, so its swaps hit
// cache lines already loaded; this is a scalar loop, but in WASM it costs a few cycles per
// swap instead of the bounds-checked typed-array accesses of the TypeScript version.
import { axpy, scal } from './level1';

/** Interchanges on the n columns of A (column-major, leading dimension lda); piv holds i32 row indices. */
export function laswp<T>(n: i32, a: usize, lda: i32, k0: i32, k1: i32, piv: usize): void {
  const s = <usize>sizeof<T>();
  const cs = <usize>lda * s;
  for (let j = 0; j < n; j++) {
    const c = a + <usize>j * cs;
    for (let k = k0; k < k1; k++) {
      const p = load<i32>(piv + (<usize>(k - k0) << 2));
      if (p == k) continue;
      const x = c + <usize>k * s;
      const y = c + <usize>p * s;
      const t = load<T>(x);
      store<T>(x, load<T>(y));
      store<T>(y, t);
    }
  }
}

/**
 * Unblocked LU with partial pivoting of the m x n panel at a (LAPACK dgetf2, the leaves of
 * the recursive getrf2): pivot row indices (relative to the panel) go to piv[0..min(m, n)),
 * the multipliers overwrite the strictly lower part. Returns the 1-based index of the first
 * exactly zero pivot, or 0. Rows are scaled by a reciprocal unless the pivot is below
 * sfmin (then divided, as dgetf2).
 */
export function getf2<T>(m: i32, n: i32, a: usize, lda: i32, piv: usize, sfmin: f64): i32 {
  const s = <usize>sizeof<T>();
  const cs = <usize>lda * s;
  const k = min(m, n);
  let info = 0;
  for (let j = 0; j < k; j++) {
    const cj = a + <usize>j * cs;
    let p = j;
    let best = abs<T>(load<T>(cj + <usize>j * s));
    for (let i = j + 1; i < m; i++) {
      const v = abs<T>(load<T>(cj + <usize>i * s));
      if (v > best) {
        best = v;
        p = i;
      }
    }
    store<i32>(piv + (<usize>j << 2), p);
    const pv = load<T>(cj + <usize>p * s);
    if (pv != <T>0) {
      if (p != j) {
        for (let c = 0; c < n; c++) {
          const x = a + <usize>c * cs + <usize>j * s;
          const y = a + <usize>c * cs + <usize>p * s;
          const t = load<T>(x);
          store<T>(x, load<T>(y));
          store<T>(y, t);
        }
      }
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
