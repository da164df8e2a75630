// Row interchanges of LU with partial pivoting (LAPACK dlaswp, forward): for every column,
// row k swaps with row piv[k - k0], k = k0..k1-1. A column is contiguous, so its swaps hit
// cache lines already loaded. Columns go in groups of four: one pivot load and test serve
// four swaps, which keeps the scalar loop busy with loads and stores instead of bookkeeping.

/** Interchanges on the n columns of A (column-major, leading dimension lda); piv holds i32 row indices. */
export function laswp<T>(n: i32, a: usize, lda: i32, k0: i32, k1: i32, piv: usize): void {
  const s = <usize>sizeof<T>();
  const cs = <usize>lda * s;
  for (let j = 0; j < n; j += 4) {
    const c = a + <usize>j * cs;
    if (n - j >= 4) {
      for (let k = k0; k < k1; k++) {
        const p = load<i32>(piv + (<usize>(k - k0) << 2));
        if (p == k) continue;
        const x = <usize>k * s;
        const y = <usize>p * s;
        swap<T>(c, x, y);
        swap<T>(c + cs, x, y);
        swap<T>(c + 2 * cs, x, y);
        swap<T>(c + 3 * cs, x, y);
      }
    } else {
      for (let q = 0; q < n - j; q++) {
        for (let k = k0; k < k1; k++) {
          const p = load<i32>(piv + (<usize>(k - k0) << 2));
          if (p != k) swap<T>(c + <usize>q * cs, <usize>k * s, <usize>p * s);
        }
      }
    }
  }
}

// Swap the elements at byte offsets x and y of the column at c.
@inline function swap<T>(c: usize, x: usize, y: usize): void {
  const t = load<T>(c + x);
  store<T>(c + x, load<T>(c + y));
  store<T>(c + y, t);
}
