/**
 * The column updates of NMF's coordinate-descent (HALS) solver, one sweep over the k
 * columns of W (Cichocki & Phan 2009; scikit-learn's `_update_cdnmf_fast`):
 *
 *   for t in order:  grad = W[i, :] G[:, t] + l2 W[i, t] - R[i, t] + l1,
 *                    W[i, t] <- max(0, W[i, t] - grad / (G[t, t] + l2))   for every row i
 *
 * (no update where G[t, t] + l2 = 0), returning the sum of |projected gradient| before
 * each update (scikit-learn's violation). G = Ht^T Ht (k x k), R = X Ht (m x k).
 *
 * On a WASM backend assembly/nmf.ts runs when W, R and G live in the kernels' memory (the
 * solver keeps them there for the whole fit); otherwise the TypeScript loop below, which
 * does the same arithmetic (the choice is the registry's rule, ./registry.ts).
 */
import { ShapeError } from '../errors.js';
import { defineKernel, wasmFor } from './registry.js';

/** Where element (i, c) of a rows x k factor sits: i * rowStride + c * colStride. */
export interface FactorLayout {
  readonly rowStride: number;
  readonly colStride: number;
}

/** Column-major rows x k: contiguous columns (dense NMF data). */
export function columnMajor(rows: number): FactorLayout {
  return { rowStride: 1, colStride: rows };
}

/** Row-major rows x k: contiguous rows (sparse NMF data, whose products are row-major). */
export function rowMajor(k: number): FactorLayout {
  return { rowStride: k, colStride: 1 };
}

type SweepArgs = [W: Float64Array, R: Float64Array, layout: FactorLayout, m: number, k: number, G: Float64Array, order: Int32Array, l1: number, l2: number];

const sweep = defineKernel<SweepArgs, number>({
  name: 'nmf_cd_sweep',
  // The column order is copied in, so only W, R and G have to live in the kernels' memory.
  select: (W, R, _layout, _m, _k, G) => wasmFor(W, R, G),
  wasm: (w, W, R, layout, m, k, G, order, l1, l2) => {
    const heap = w.heap;
    // Scratch: the block's rows of W (4 x k pairs of rows, 16 bytes each), 1 / G[t, t], order.
    const base = heap.malloc(72 * k + 4 * k);
    try {
      const po = base + 72 * k;
      heap.i32(po, k).set(order);
      return w.rt.exports.nmf_cd_sweep(W.byteOffset, R.byteOffset, 8 * layout.rowStride, 8 * layout.colStride, 0, m, k, G.byteOffset, po, base, l1, l2);
    } finally {
      heap.free(base);
    }
  },
  js: halsSweepJs,
});

/**
 * One HALS sweep updating W (m x k, in `layout`) in place; R (m x k) has W's layout, G is
 * k x k column-major and symmetric (without l2), `order` a permutation of 0..k-1. Returns
 * the violation.
 */
export function halsSweep(W: Float64Array, R: Float64Array, layout: FactorLayout, m: number, k: number, G: Float64Array, order: Int32Array, l1: number, l2: number): number {
  if (W.length < m * k || R.length < m * k || G.length < k * k || order.length < k) {
    throw new ShapeError(`halsSweep: W ${W.length}, R ${R.length}, G ${G.length}, order ${order.length} values for m = ${m}, k = ${k}`);
  }
  return sweep(W, R, layout, m, k, G, order, l1, l2);
}

/** The sweep in TypeScript (the 'js' backend, or arrays outside the kernels' memory). */
export function halsSweepJs(W: Float64Array, R: Float64Array, layout: FactorLayout, m: number, k: number, G: Float64Array, order: Int32Array, l1: number, l2: number): number {
  const { rowStride: rs, colStride: cs } = layout;
  let violation = 0;
  for (let s = 0; s < k; s++) {
    const t = order[s]!;
    const gt = t * k;
    const hess = G[gt + t]! + l2;
    const inv = hess !== 0 ? 1 / hess : 0;
    for (let i = 0; i < m; i++) {
      const wi = i * rs;
      let grad = l1 - R[wi + t * cs]!;
      for (let c = 0; c < k; c++) grad += G[gt + c]! * W[wi + c * cs]!;
      const w = W[wi + t * cs]!;
      grad += l2 * w;
      // Projected gradient: at a zero entry only a descent direction into w > 0 counts.
      violation += Math.abs(w === 0 ? Math.min(0, grad) : grad);
      W[wi + t * cs] = Math.max(w - grad * inv, 0);
    }
  }
  return violation;
}

const ratio = defineKernel<[A: Float64Array, num: Float64Array, den: Float64Array, l1: number, l2: number, eps: number], void>({
  name: 'nmf_mu_ratio',
  wasm: (w, A, num, den, l1, l2, eps) => w.rt.exports.nmf_mu_ratio(A.byteOffset, num.byteOffset, den.byteOffset, A.length, l1, l2, eps),
  js: (A, num, den, l1, l2, eps) => {
    for (let p = 0; p < A.length; p++) {
      const x = A[p]!;
      let d = den[p]! + l1 + l2 * x;
      if (d === 0) d = eps;
      A[p] = x * (num[p]! / d);
    }
  },
});

/**
 * The Frobenius multiplicative update of a factor, in place: with d = den + l1 + l2 A
 * (a zero d replaced by `eps`), A <- A * (num / d), elementwise (Lee & Seung 2001). On a
 * WASM backend with all three arrays in the kernels' memory it runs there (SIMD), else in
 * TypeScript; the arithmetic is the same.
 */
export function muRatio(A: Float64Array, num: Float64Array, den: Float64Array, l1: number, l2: number, eps: number): void {
  if (num.length < A.length || den.length < A.length) throw new ShapeError(`muRatio: ${num.length} numerators and ${den.length} denominators for ${A.length} values`);
  ratio(A, num, den, l1, l2, eps);
}

const gram = defineKernel<[F: Float64Array, rows: number, k: number, G: Float64Array], void>({
  name: 'nmf_gram_rows',
  wasm: (w, F, rows, k, G) => w.rt.exports.nmf_gram_rows(F.byteOffset, rows, k, G.byteOffset),
  js: (F, rows, k, G) => {
    G.fill(0, 0, k * k);
    for (let r = 0; r < rows; r++) {
      const o = r * k;
      for (let a = 0; a < k; a++) {
        const fa = F[o + a]!;
        for (let b = a; b < k; b++) G[a + b * k] = G[a + b * k]! + fa * F[o + b]!;
      }
    }
    for (let b = 0; b < k; b++) for (let a = b + 1; a < k; a++) G[a + b * k] = G[b + a * k]!;
  },
});

/**
 * G := F^T F (k x k column-major, both triangles) for a row-major F (rows x k), the layout
 * of NMF's factors on sparse data. On a WASM backend with both arrays in the kernels'
 * memory a register-tiled kernel streams F's contiguous rows (assembly/nmf.ts); otherwise
 * the plain loop of `gram` above runs.
 */
export function gramRows(F: Float64Array, rows: number, k: number, G: Float64Array): void {
  if (F.length < rows * k || G.length < k * k) throw new ShapeError(`gramRows: ${F.length} values for ${rows}x${k} or ${G.length} for ${k}x${k}`);
  gram(F, rows, k, G);
}

