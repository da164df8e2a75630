// Row interchanges of LU with partial pivoting (LAPACK dlaswp, forward): for every column,
// row k swaps with row piv[k - k0], k = k0..k1-1. A column is contiguous, so its swaps hit
// cache lines already loaded; this is a scalar loop, but in WASM it costs a few cycles per
// swap instead of the bounds-checked typed-array accesses of the TypeScript version.

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
