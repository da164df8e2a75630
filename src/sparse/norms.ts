/**
 * Reductions over the slices of compressed arrays (rows of a CSR matrix, columns of a CSC
 * one) and across them: sums and 2-norms. The 2-norms are scaled by the largest magnitude
 * in their group before squaring (the idea of LAPACK's dlassq), so entries near 1e±300 do
 * not overflow or underflow. Duplicated entries count as their sum, as in the dense matrix.
 */
import type { FloatArray } from '../matrix/dtype.js';

/** Sum of each major slice (rows of a CSR matrix), in float64. O(nnz). */
export function sliceSums(indptr: Int32Array, data: FloatArray, nMajor: number): Float64Array {
  const out = new Float64Array(nMajor);
  for (let i = 0; i < nMajor; i++) {
    let s = 0;
    for (let k = indptr[i]!; k < indptr[i + 1]!; k++) s += data[k]!;
    out[i] = s;
  }
  return out;
}

/** Sum over each minor index (columns of a CSR matrix), in float64. O(nnz). */
export function crossSums(indices: Int32Array, data: FloatArray, nMinor: number): Float64Array {
  const out = new Float64Array(nMinor);
  for (let k = 0; k < indices.length; k++) out[indices[k]!] = out[indices[k]!]! + data[k]!;
  return out;
}

/** 2-norm of each major slice. O(nnz). Arrays must be free of duplicates (sum them first). */
export function sliceNorms(indptr: Int32Array, data: FloatArray, nMajor: number): Float64Array {
  const out = new Float64Array(nMajor);
  for (let i = 0; i < nMajor; i++) {
    const k0 = indptr[i]!;
    const k1 = indptr[i + 1]!;
    let big = 0;
    for (let k = k0; k < k1; k++) big = Math.max(big, Math.abs(data[k]!));
    if (big === 0) continue;
    let s = 0;
    for (let k = k0; k < k1; k++) {
      const t = data[k]! / big;
      s += t * t;
    }
    out[i] = big * Math.sqrt(s);
  }
  return out;
}

/** 2-norm over each minor index. O(nnz). Arrays must be free of duplicates. */
export function crossNorms(indices: Int32Array, data: FloatArray, nMinor: number): Float64Array {
  const big = new Float64Array(nMinor);
  for (let k = 0; k < indices.length; k++) {
    const j = indices[k]!;
    big[j] = Math.max(big[j]!, Math.abs(data[k]!));
  }
  const s = new Float64Array(nMinor);
  for (let k = 0; k < indices.length; k++) {
    const j = indices[k]!;
    const t = data[k]! / big[j]!;
    s[j] = s[j]! + t * t;
  }
  for (let j = 0; j < nMinor; j++) s[j] = big[j] === 0 ? 0 : big[j]! * Math.sqrt(s[j]!);
  return s;
}

/** Frobenius norm of all values (duplicate-free arrays), scaled against overflow. O(nnz). */
export function frobenius(data: FloatArray): number {
  let big = 0;
  for (let k = 0; k < data.length; k++) big = Math.max(big, Math.abs(data[k]!));
  if (big === 0) return 0;
  let s = 0;
  for (let k = 0; k < data.length; k++) {
    const t = data[k]! / big;
    s += t * t;
  }
  return big * Math.sqrt(s);
}
