/**
 * Khatri-Rao products and the matricized tensor times Khatri-Rao product (MTTKRP), the
 * one expensive step of CP-ALS (Kolda & Bader 2009, section 3.4).
 *
 * Factors here are row-major n x r arrays (entry (i, c) at i r + c: for the column-major
 * kernels, the r x n matrix A^T with leading dimension r), so the normal equations
 * V A^T = M^T of CP-ALS are solved in place by potrs; the Khatri-Rao products are
 * row-major too, and the partial products (below) column-major or row-major, whichever
 * the gemm computes faster for the shape.
 *
 * MTTKRP by partial products (Phan, Tichavský & Cichocki 2013, "Fast alternating LS
 * algorithms for high order CANDECOMP/PARAFAC tensor factorizations"): split the modes at
 * s into a left group (0 .. s-1, P_L entries) and a right group (s .. d-1, P_R entries).
 * With X as the row-major P_L x P_R matrix,
 *
 *   T_R = X (A_s ⊙ ... ⊙ A_{d-1})       (P_L x r, one gemm of 2 N r flops)
 *
 * holds everything the MTTKRPs of the left modes need, because the right factors do not
 * change while the left ones are updated; each left MTTKRP is then a contraction of T_R
 * with the other left factors, O(P_L r). Symmetrically T_L = X^T (A_0 ⊙ ... ⊙ A_{s-1})
 * serves the right modes. A sweep over all d modes thus costs two gemms on the tensor
 * (4 N r flops) instead of d (2 d N r flops for the unfolding times the full Khatri-Rao
 * product, which also needs an N/n_k x r Khatri-Rao matrix per mode).
 */
import { kernels } from '../../kernels/index.js';
import { prod, type Flat } from './mode-products.js';

/**
 * out := A_0 ⊙ A_1 ⊙ ... (column-wise Kronecker product; row index of A_0 slowest), as a
 * row-major (prod n_j) x r array. `factors[j]` is row-major n_j x r (`dims[j]` rows). With no
 * factors, out is the single row of ones. Built in place, one factor at a time, from the
 * back so no row is overwritten before it is read.
 */
export function khatriRaoInto(factors: readonly Float64Array[], dims: readonly number[], r: number, out: Float64Array): void {
  let P = 1;
  out.fill(1, 0, r);
  for (let f = 0; f < factors.length; f++) {
    const B = factors[f]!;
    const nb = dims[f]!;
    for (let a = P - 1; a >= 0; a--) {
      for (let b = nb - 1; b >= 0; b--) {
        const dst = (a * nb + b) * r;
        const src = a * r;
        const bb = b * r;
        for (let c = 0; c < r; c++) out[dst + c] = out[src + c]! * B[bb + c]!;
      }
    }
    P *= nb;
  }
}

/** A_0 ⊙ ... as a fresh row-major array (see {@link khatriRaoInto}). */
export function khatriRaoRows(factors: readonly Float64Array[], dims: readonly number[], r: number): Float64Array {
  const out = new Float64Array(prod(dims) * r);
  khatriRaoInto(factors, dims, r, out);
  return out;
}

/**
 * The split point s of the partial MTTKRP for `shape`: the s in [1, d-1] with the least
 * P_L + P_R (the sizes of T_R and T_L, and of the contractions that read them).
 */
export function splitPoint(shape: readonly number[]): number {
  let best = 1;
  let cost = Infinity;
  for (let s = 1; s < shape.length; s++) {
    const c = prod(shape, 0, s) + prod(shape, s);
    if (c < cost) {
      cost = c;
      best = s;
    }
  }
  return best;
}

/**
 * T := X K for X as the row-major P x Q matrix (the first modes by the last ones) and K the
 * row-major Q x r Khatri-Rao product of the trailing modes' factors; T is P x r
 * column-major. One gemm, T = (X^T)^T (K^T)^T with X^T the column-major Q x P array and K^T
 * the column-major r x Q one (the orientation with the long side as gemm's m runs faster
 * than r as m for the thin products here).
 */
export function timesTrailing(X: Flat, P: number, Q: number, K: Float64Array, r: number, T: Float64Array): void {
  kernels().gemm(true, true, P, r, Q, 1, X.data, 0, Q, K, 0, r, 0, T, 0, P);
}

/**
 * T := X^T K for X as the row-major P x Q matrix and K the row-major P x r Khatri-Rao
 * product of the leading modes' factors; T is Q x r, column-major when `layout` is 'column'
 * (T = X^T (K^T)^T with X^T the column-major Q x P array), row-major when 'row' (T^T =
 * K^T X, r x Q column-major). {@link leadingLayout} picks the faster one for the shape.
 */
export function timesLeading(X: Flat, P: number, Q: number, K: Float64Array, r: number, T: Float64Array, layout: 'column' | 'row'): void {
  if (layout === 'column') kernels().gemm(false, true, Q, r, P, 1, X.data, 0, Q, K, 0, r, 0, T, 0, Q);
  else kernels().gemm(false, true, r, Q, P, 1, K, 0, r, X.data, 0, Q, 0, T, 0, r);
}

/**
 * The layout {@link timesLeading} computes faster for a P x Q tensor matrix: with a long
 * inner dimension (P > Q) the kernel runs best with the Q x r output as its m side; with a
 * long output (Q >= P), with the r x Q one (measured on this repository's gemm, 8-20
 * components: 20-40% apart).
 */
export function leadingLayout(P: number, Q: number): 'column' | 'row' {
  return Q < P ? 'column' : 'row';
}

/**
 * The MTTKRP of mode q within a group of modes, from a partial product T: (prod dims) x r,
 * column-major (`layout` 'column') or row-major ('row'), row i the group's modes (shape
 * `dims`, C order), column c component c; `factors` are the group's factors (row-major,
 * `factors[q]` unused):
 *
 *   out[i, c] = sum over the other indices of T[..., i, ..., c] prod_{j != q} F_j[i_j, c].
 *
 * Each column of T is seen as Pa x m x Pb and contracted first with the Khatri-Rao product
 * of the modes after q (Pb x r), then with that of the modes before q (Pa x r):
 * O(Pa m Pb r) operations, a fraction of the gemm that made T.
 * @returns out, row-major dims[q] x r.
 */
export function contractGroup(T: Float64Array, dims: readonly number[], r: number, q: number, factors: readonly Float64Array[], layout: 'column' | 'row' = 'column'): Float64Array {
  const m = dims[q]!;
  const Pa = prod(dims, 0, q);
  const Pb = prod(dims, q + 1);
  const rows = Pa * m * Pb;
  const kb = Pb === 1 ? undefined : q + 2 === dims.length ? factors[q + 1]! : khatriRaoRows(factors.slice(q + 1), dims.slice(q + 1), r);
  const ka = Pa === 1 ? undefined : q === 1 ? factors[0]! : khatriRaoRows(factors.slice(0, q), dims.slice(0, q), r);
  // U[ai, c] = sum_b T[(ai Pb + b), c] kb[b, c], row-major Pa m x r; loops ordered so the
  // innermost one walks T contiguously in either layout.
  let U: Float64Array;
  if (!kb) {
    U = layout === 'row' ? T.subarray(0, rows * r) : transposeInto(T, rows, r);
  } else {
    U = new Float64Array(Pa * m * r);
    if (layout === 'row') {
      for (let ai = 0; ai < Pa * m; ai++) {
        const dst = ai * r;
        for (let b = 0; b < Pb; b++) {
          const src = (ai * Pb + b) * r;
          const kk = b * r;
          for (let c = 0; c < r; c++) U[dst + c]! += T[src + c]! * kb[kk + c]!;
        }
      }
    } else {
      for (let c = 0; c < r; c++) {
        const base = c * rows;
        for (let ai = 0; ai < Pa * m; ai++) {
          let acc = 0;
          const src = base + ai * Pb;
          for (let b = 0; b < Pb; b++) acc += T[src + b]! * kb[b * r + c]!;
          U[ai * r + c] = acc;
        }
      }
    }
  }
  if (!ka) return U === T || U.buffer === T.buffer ? U.slice() : U;
  const out = new Float64Array(m * r);
  for (let a = 0; a < Pa; a++) {
    const kk = a * r;
    for (let i = 0; i < m; i++) {
      const src = (a * m + i) * r;
      const dst = i * r;
      for (let c = 0; c < r; c++) out[dst + c]! += U[src + c]! * ka[kk + c]!;
    }
  }
  return out;
}

/** The row-major copy of a column-major rows x r array. */
function transposeInto(T: Float64Array, rows: number, r: number): Float64Array {
  const out = new Float64Array(rows * r);
  for (let c = 0; c < r; c++) for (let i = 0; i < rows; i++) out[i * r + c] = T[c * rows + i]!;
  return out;
}
