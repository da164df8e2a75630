// Row interchanges of LU with partial pivoting (LAPACK dlaswp, forward): for every column,
// row k swaps with row piv[k - k0], k = k0..k1-1. A column is contiguous, so its swaps hit
// cache lines already loaded. Columns go four at a time: one pivot load and test serve four
// swaps, which keeps the scalar loop busy with loads and stores instead of bookkeeping.

/** Interchanges on the n columns of A (column-major, leading dimension lda); piv holds i32 row indices. */
export function laswp<T>(n: i32, a: usize, lda: i32, k0: i32, k1: i32, piv: usize): void {
  const s = <usize>sizeof<T>();
  const cs = <usize>lda * s;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const c0 = a + <usize>j * cs;
    const c1 = c0 + cs;
    const c2 = c1 + cs;
    const c3 = c2 + cs;
    for (let k = k0; k < k1; k++) {
      const p = load<i32>(piv + (<usize>(k - k0) << 2));
      if (p == k) continue;
      const x = <usize>k * s;
      const y = <usize>p * s;
      const t0 = load<T>(c0 + x);
      const t1 = load<T>(c1 + x);
      const t2 = load<T>(c2 + x);
      const t3 = load<T>(c3 + x);
      store<T>(c0 + x, load<T>(c0 + y));
      store<T>(c1 + x, load<T>(c1 + y));
      store<T>(c2 + x, load<T>(c2 + y));
      store<T>(c3 + x, load<T>(c3 + y));
      store<T>(c0 + y, t0);
      store<T>(c1 + y, t1);
      store<T>(c2 + y, t2);
      store<T>(c3 + y, t3);
    }
  }
  for (; j < n; j++) {
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
