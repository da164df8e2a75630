/**
 * The largest-weight terms of each row of a components x terms matrix (LSA's V^T, NMF's H):
 * how topic models and LSA components are read.
 */
import type { Matrix } from '../../matrix/matrix.js';

/** One term of a component and its weight. */
export interface TermWeight {
  /** The term (a vocabulary entry). */
  readonly term: string;
  /** Its entry in the component's row. */
  readonly weight: number;
}

/**
 * For each row of `C` (k x terms), the `n` terms of largest weight, largest first (ties in
 * vocabulary order). O(k terms n) by insertion into a short sorted list.
 */
export function topTermsOf(C: Matrix, vocabulary: readonly string[], n: number): TermWeight[][] {
  const out: TermWeight[][] = [];
  const take = Math.min(n, C.cols);
  for (let i = 0; i < C.rows; i++) {
    const idx: number[] = [];
    const val: number[] = [];
    for (let j = 0; j < C.cols; j++) {
      const v = C.get(i, j);
      if (idx.length === take && !(v > val[take - 1]!)) continue;
      let p = idx.length === take ? take - 1 : idx.length;
      while (p > 0 && val[p - 1]! < v) {
        if (p < take) {
          idx[p] = idx[p - 1]!;
          val[p] = val[p - 1]!;
        }
        p--;
      }
      idx[p] = j;
      val[p] = v;
    }
    out.push(idx.map((j, r) => ({ term: vocabulary[j]!, weight: val[r]! })));
  }
  return out;
}

/** Cosine similarity of row `i` of `A` with the vector `q` (0 when either is zero). */
export function rowCosine(A: Matrix, i: number, q: ArrayLike<number>, qNorm: number): number {
  let dot = 0;
  let nn = 0;
  for (let j = 0; j < A.cols; j++) {
    const a = A.get(i, j);
    dot += a * q[j]!;
    nn += a * a;
  }
  return nn === 0 || qNorm === 0 ? 0 : dot / (Math.sqrt(nn) * qNorm);
}
