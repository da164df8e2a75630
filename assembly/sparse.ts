// Sparse (CSR) x dense kernels: scipy's sparsetools csr_matvec / csr_matvecs and their
// transposes, on byte pointers into the shared memory. indptr and indices are i32 arrays;
// values, vectors and blocks are T (f64 or f32). Blocks are row-major with p columns, so
// each stored a_ij touches one contiguous row of p values (SIMD over p) and the matrix is
// streamed once per block product instead of once per column. Nothing allocates.
import { lanes, vmadd } from './simd';

/**
 * y := alpha A x + beta y for A m x n in CSR (x has n entries, y has m). One dot product
 * per row (a gather from x), two accumulators to hide the add latency; f32 rows accumulate
 * in f64. beta == 0 overwrites y. (A v128 variant loading value pairs and gathering x into
 * lanes measured no faster: the loop is bound by the gather's memory latency.)
 */
export function csrMv<T>(m: i32, indptr: usize, indices: usize, data: usize, x: usize, alpha: f64, beta: f64, y: usize): void {
  const s = <usize>sizeof<T>();
  let k0 = load<i32>(indptr);
  for (let i = 0; i < m; i++) {
    const k1 = load<i32>(indptr + (<usize>(i + 1) << 2));
    let s0: f64 = 0;
    let s1: f64 = 0;
    let k = k0;
    for (; k + 3 < k1; k += 4) {
      const pk = indices + (<usize>k << 2);
      const pd = data + <usize>k * s;
      const j0 = <usize>load<i32>(pk);
      const j1 = <usize>load<i32>(pk, 4);
      const j2 = <usize>load<i32>(pk, 8);
      const j3 = <usize>load<i32>(pk, 12);
      s0 += <f64>load<T>(pd) * <f64>load<T>(x + j0 * s);
      s1 += <f64>load<T>(pd + s) * <f64>load<T>(x + j1 * s);
      s0 += <f64>load<T>(pd + 2 * s) * <f64>load<T>(x + j2 * s);
      s1 += <f64>load<T>(pd + 3 * s) * <f64>load<T>(x + j3 * s);
    }
    for (; k < k1; k++) {
      const j = <usize>load<i32>(indices + (<usize>k << 2));
      s0 += <f64>load<T>(data + <usize>k * s) * <f64>load<T>(x + j * s);
    }
    const py = y + <usize>i * s;
    const v = alpha * (s0 + s1);
    store<T>(py, <T>(beta == 0 ? v : v + beta * <f64>load<T>(py)));
    k0 = k1;
  }
}

/**
 * y := alpha A^T x + beta y for A m x n in CSR (x has m entries, y has n): y is scaled,
 * then each row i scatters alpha x_i a_ij into y_j. beta == 0 overwrites y.
 */
export function csrRmv<T>(m: i32, n: i32, indptr: usize, indices: usize, data: usize, x: usize, alpha: f64, beta: f64, y: usize): void {
  const s = <usize>sizeof<T>();
  if (beta == 0) memory.fill(y, 0, <usize>n * s);
  else if (beta != 1) {
    const b = <T>beta;
    for (let j = 0; j < n; j++) {
      const p = y + <usize>j * s;
      store<T>(p, b * load<T>(p));
    }
  }
  let k0 = load<i32>(indptr);
  for (let i = 0; i < m; i++) {
    const k1 = load<i32>(indptr + (<usize>(i + 1) << 2));
    const xi = <T>(alpha * <f64>load<T>(x + <usize>i * s));
    if (xi != <T>0) {
      let k = k0;
      for (; k + 1 < k1; k += 2) {
        const pk = indices + (<usize>k << 2);
        const pd = data + <usize>k * s;
        const p0 = y + <usize>load<i32>(pk) * s;
        const p1 = y + <usize>load<i32>(pk, 4) * s;
        // p0 == p1 only for duplicated entries; the two updates are then applied in turn.
        store<T>(p0, load<T>(p0) + load<T>(pd) * xi);
        store<T>(p1, load<T>(p1) + load<T>(pd + s) * xi);
      }
      if (k < k1) {
        const p0 = y + <usize>load<i32>(indices + (<usize>k << 2)) * s;
        store<T>(p0, load<T>(p0) + load<T>(data + <usize>k * s) * xi);
      }
    }
    k0 = k1;
  }
}

// Vector columns held in registers per pass of the block kernels: 4 v128 = 8 f64 / 16 f32.
const VB: i32 = 4;

/**
 * Y := alpha A X for A m x n in CSR, X n x p and Y m x p row-major. For each row of A and
 * each panel of up to 4 vectors of columns, the panel of Y's row is accumulated in registers
 * over the row's entries (a_ij times row j of X), then stored once.
 */
export function csrMm<T>(m: i32, p: i32, indptr: usize, indices: usize, data: usize, X: usize, alpha: f64, Y: usize): void {
  const s = <usize>sizeof<T>();
  const L = lanes<T>();
  const rowBytes = <usize>p * s;
  const pv = (p / L) * L; // columns covered by full vectors
  for (let i = 0; i < m; i++) {
    const k0 = load<i32>(indptr + (<usize>i << 2));
    const k1 = load<i32>(indptr + (<usize>(i + 1) << 2));
    const yRow = Y + <usize>i * rowBytes;
    let c = 0;
    // Panels of VB vectors.
    for (; c + VB * L <= pv; c += VB * L) {
      let a0 = v128.splat<T>(<T>0);
      let a1 = v128.splat<T>(<T>0);
      let a2 = v128.splat<T>(<T>0);
      let a3 = v128.splat<T>(<T>0);
      const co = <usize>c * s;
      for (let k = k0; k < k1; k++) {
        const v = v128.splat<T>(load<T>(data + <usize>k * s));
        const xr = X + <usize>load<i32>(indices + (<usize>k << 2)) * rowBytes + co;
        a0 = vmadd<T>(v, v128.load(xr), a0);
        a1 = vmadd<T>(v, v128.load(xr, 16), a1);
        a2 = vmadd<T>(v, v128.load(xr, 32), a2);
        a3 = vmadd<T>(v, v128.load(xr, 48), a3);
      }
      const va = v128.splat<T>(<T>alpha);
      v128.store(yRow + co, v128.mul<T>(va, a0));
      v128.store(yRow + co, v128.mul<T>(va, a1), 16);
      v128.store(yRow + co, v128.mul<T>(va, a2), 32);
      v128.store(yRow + co, v128.mul<T>(va, a3), 48);
    }
    // Single vectors.
    for (; c < pv; c += L) {
      let a0 = v128.splat<T>(<T>0);
      const co = <usize>c * s;
      for (let k = k0; k < k1; k++) {
        const v = v128.splat<T>(load<T>(data + <usize>k * s));
        a0 = vmadd<T>(v, v128.load(X + <usize>load<i32>(indices + (<usize>k << 2)) * rowBytes + co), a0);
      }
      v128.store(yRow + co, v128.mul<T>(v128.splat<T>(<T>alpha), a0));
    }
    // Leftover columns.
    for (; c < p; c++) {
      let a: f64 = 0;
      const co = <usize>c * s;
      for (let k = k0; k < k1; k++) {
        a += <f64>load<T>(data + <usize>k * s) * <f64>load<T>(X + <usize>load<i32>(indices + (<usize>k << 2)) * rowBytes + co);
      }
      store<T>(yRow + co, <T>(alpha * a));
    }
  }
}

/**
 * Y := alpha A^T X for A m x n in CSR, X m x p and Y n x p row-major: Y is zeroed, then
 * row i of A scatters a_ij times row i of X into row j of Y. The panel of X's row (up to 4
 * vectors) is held in registers while the row's entries are scattered.
 */
export function csrRmm<T>(m: i32, n: i32, p: i32, indptr: usize, indices: usize, data: usize, X: usize, alpha: f64, Y: usize): void {
  const s = <usize>sizeof<T>();
  const L = lanes<T>();
  const rowBytes = <usize>p * s;
  const pv = (p / L) * L;
  memory.fill(Y, 0, <usize>n * rowBytes);
  const va = v128.splat<T>(<T>alpha);
  for (let i = 0; i < m; i++) {
    const k0 = load<i32>(indptr + (<usize>i << 2));
    const k1 = load<i32>(indptr + (<usize>(i + 1) << 2));
    if (k0 == k1) continue;
    const xRow = X + <usize>i * rowBytes;
    let c = 0;
    for (; c + VB * L <= pv; c += VB * L) {
      const co = <usize>c * s;
      const x0 = v128.mul<T>(va, v128.load(xRow + co));
      const x1 = v128.mul<T>(va, v128.load(xRow + co, 16));
      const x2 = v128.mul<T>(va, v128.load(xRow + co, 32));
      const x3 = v128.mul<T>(va, v128.load(xRow + co, 48));
      for (let k = k0; k < k1; k++) {
        const v = v128.splat<T>(load<T>(data + <usize>k * s));
        const yr = Y + <usize>load<i32>(indices + (<usize>k << 2)) * rowBytes + co;
        v128.store(yr, vmadd<T>(v, x0, v128.load(yr)));
        v128.store(yr, vmadd<T>(v, x1, v128.load(yr, 16)), 16);
        v128.store(yr, vmadd<T>(v, x2, v128.load(yr, 32)), 32);
        v128.store(yr, vmadd<T>(v, x3, v128.load(yr, 48)), 48);
      }
    }
    for (; c < pv; c += L) {
      const co = <usize>c * s;
      const x0 = v128.mul<T>(va, v128.load(xRow + co));
      for (let k = k0; k < k1; k++) {
        const v = v128.splat<T>(load<T>(data + <usize>k * s));
        const yr = Y + <usize>load<i32>(indices + (<usize>k << 2)) * rowBytes + co;
        v128.store(yr, vmadd<T>(v, x0, v128.load(yr)));
      }
    }
    for (; c < p; c++) {
      const co = <usize>c * s;
      const xc = <T>(alpha * <f64>load<T>(xRow + co));
      for (let k = k0; k < k1; k++) {
        const yr = Y + <usize>load<i32>(indices + (<usize>k << 2)) * rowBytes + co;
        store<T>(yr, load<T>(yr) + load<T>(data + <usize>k * s) * xc);
      }
    }
  }
}

export function dcsr_mv(m: i32, indptr: usize, indices: usize, data: usize, x: usize, alpha: f64, beta: f64, y: usize): void {
  csrMv<f64>(m, indptr, indices, data, x, alpha, beta, y);
}
export function scsr_mv(m: i32, indptr: usize, indices: usize, data: usize, x: usize, alpha: f64, beta: f64, y: usize): void {
  csrMv<f32>(m, indptr, indices, data, x, alpha, beta, y);
}
export function dcsr_rmv(m: i32, n: i32, indptr: usize, indices: usize, data: usize, x: usize, alpha: f64, beta: f64, y: usize): void {
  csrRmv<f64>(m, n, indptr, indices, data, x, alpha, beta, y);
}
export function scsr_rmv(m: i32, n: i32, indptr: usize, indices: usize, data: usize, x: usize, alpha: f64, beta: f64, y: usize): void {
  csrRmv<f32>(m, n, indptr, indices, data, x, alpha, beta, y);
}
export function dcsr_mm(m: i32, p: i32, indptr: usize, indices: usize, data: usize, X: usize, alpha: f64, Y: usize): void {
  csrMm<f64>(m, p, indptr, indices, data, X, alpha, Y);
}
export function scsr_mm(m: i32, p: i32, indptr: usize, indices: usize, data: usize, X: usize, alpha: f64, Y: usize): void {
  csrMm<f32>(m, p, indptr, indices, data, X, alpha, Y);
}
export function dcsr_rmm(m: i32, n: i32, p: i32, indptr: usize, indices: usize, data: usize, X: usize, alpha: f64, Y: usize): void {
  csrRmm<f64>(m, n, p, indptr, indices, data, X, alpha, Y);
}
export function scsr_rmm(m: i32, n: i32, p: i32, indptr: usize, indices: usize, data: usize, X: usize, alpha: f64, Y: usize): void {
  csrRmm<f32>(m, n, p, indptr, indices, data, X, alpha, Y);
}
