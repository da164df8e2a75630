/**
 * What eigsh and eigs both do with their input before the Krylov iteration: check its kind,
 * read its shape and dtype, make the y := A x product on float64 column views (CSR/CSC in
 * WebAssembly, dense matrices and operators through `productsOf`), and densify it for the
 * small problems that go to the dense solvers.
 */
import { InvalidArgumentError, NonFiniteInputError } from '../errors.js';
import { csrMatvec, type CsrArrays } from '../kernels/sparse.js';
import type { Workspace } from '../kernels/workspace.js';
import type { DType, FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { isLinearOperator, type LinearOperator } from '../matrix/operator.js';
import { CscMatrix } from '../sparse/csc.js';
import { CsrMatrix } from '../sparse/csr.js';
import type { MatrixLike } from './operator.js';
import { block, productsOf, type Products } from './products.js';

/** A square input of the Krylov eigensolvers. */
export type KrylovInput = Matrix | CsrMatrix | CscMatrix | LinearOperator;

/** y := A x for float64 column views x and y. */
export type VectorProduct = (x: Matrix, y: Matrix) => void;

/** A's shape, or an InvalidArgumentError when A is none of the accepted kinds. */
export function shapeOf(A: KrylovInput, routine: string): readonly [number, number] {
  if (A instanceof Matrix || A instanceof CsrMatrix || A instanceof CscMatrix) return A.shape;
  if (isLinearOperator(A)) return A.shape;
  throw new InvalidArgumentError(`${routine}: expected a Matrix, a CsrMatrix, a CscMatrix or a LinearOperator (shape, dtype, apply, applyTranspose)`);
}

/** A's dtype (an operator without one is float64). */
export function dtypeOf(A: KrylovInput): DType {
  return (A as { dtype?: DType }).dtype ?? 'float64';
}

/**
 * The CSR arrays the product kernel reads, and whether it must apply them transposed. A CSC
 * matrix's arrays are the CSR arrays of A^T: transposed in general, but when A is symmetric
 * they are A's own CSR arrays and the plain (faster) product serves.
 */
export function csrArraysOf(A: CsrMatrix | CscMatrix, symmetric: boolean): { arrays: CsrArrays; trans: boolean } {
  if (A instanceof CsrMatrix || symmetric) return { arrays: { rows: A.rows, cols: A.cols, indptr: A.indptr, indices: A.indices, data: A.data }, trans: false };
  return { arrays: { rows: A.cols, cols: A.rows, indptr: A.indptr, indices: A.indices, data: A.data }, trans: true };
}

/** y := A x on float64 column views; float32 inputs go through float32 scratch vectors. */
export function vectorProduct(A: KrylovInput, ws: Workspace, routine: string, symmetric: boolean): VectorProduct {
  if (A instanceof CsrMatrix || A instanceof CscMatrix) {
    const { arrays, trans } = csrArraysOf(A, symmetric);
    const n = A.rows;
    if (A.dtype === 'float64') {
      return (x, y) => csrMatvec(arrays, trans, 1, x.data.subarray(x.offset, x.offset + n), 0, y.data.subarray(y.offset, y.offset + n));
    }
    const xs = new Float32Array(n);
    const ys = new Float32Array(n);
    return (x, y) => {
      for (let i = 0; i < n; i++) xs[i] = x.data[x.offset + i]!;
      csrMatvec(arrays, trans, 1, xs, 0, ys);
      for (let i = 0; i < n; i++) y.data[y.offset + i] = ys[i]!;
    };
  }
  return vectorProductOf(productsOf(A as MatrixLike, false, ws, routine), ws);
}

/** y := A x through prepared products, converting float32 products' vectors. */
function vectorProductOf(P: Products, ws: Workspace): VectorProduct {
  if (P.dtype === 'float64') return (x, y) => P.apply(x, y);
  const n = P.rows;
  const xs = block(ws, P.dtype, n, 1);
  const ys = block(ws, P.dtype, n, 1);
  return (x, y) => {
    for (let i = 0; i < n; i++) xs.data[i] = x.data[x.offset + i]!;
    P.apply(xs, ys);
    for (let i = 0; i < n; i++) y.data[y.offset + i] = ys.data[i]!;
  };
}

/** A dense float64 copy of A (operators applied to the identity). */
export function densify(A: KrylovInput): Matrix {
  if (A instanceof Matrix) return A.copy({ dtype: 'float64' });
  if (A instanceof CsrMatrix || A instanceof CscMatrix) return A.toDense().copy({ dtype: 'float64' });
  const n = A.shape[0];
  return A.apply(Matrix.identity(n, n, { dtype: A.dtype ?? 'float64' })).copy({ dtype: 'float64' });
}

/**
 * Copy the caller's start vector `v0` (n values) into d[o .. o + n), refusing NaN and Inf
 * (NonFiniteInputError naming the index). Not normalized: the caller does that, after any
 * orthogonalization it needs.
 */
export function copyStartVector(v0: ArrayLike<number>, n: number, d: FloatArray, o: number, routine: string): void {
  for (let i = 0; i < n; i++) {
    const v = Number(v0[i]);
    if (!Number.isFinite(v)) throw new NonFiniteInputError(`${routine}: v0 holds ${v} at ${i}`);
    d[o + i] = v;
  }
}

/**
 * Refuse a product A x with a NaN or Inf in d[o .. o + n) (an operator that returned one, or
 * an overflow): NonFiniteInputError naming the row. Sums once (a NaN or Inf anywhere makes
 * the sum of x - x non-zero) and looks for the culprit only then, so the check costs one
 * pass per product.
 */
export function checkProduct(d: FloatArray, o: number, n: number, routine: string): void {
  let t = 0;
  for (let i = 0; i < n; i++) t += d[o + i]! - d[o + i]!;
  if (t === 0) return;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(d[o + i]!)) throw new NonFiniteInputError(`${routine}: a product with A holds ${d[o + i]} at row ${i}; ${routine} needs finite products`);
  }
}
