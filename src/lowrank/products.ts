/**
 * Products with the input of a truncated SVD, as the solvers need them: into preallocated
 * column-major blocks, optionally with A^T in place of A, and without repeated copies.
 *
 * A dense Matrix is copied once into the WASM kernels' memory (checking that every entry
 * is finite on the way), so each of the many gemm / gemv calls of a solver reads it in
 * place: the kernels would otherwise copy the whole matrix into their memory at every
 * product, which for a skinny block costs about as much as the product itself. A
 * {@link LinearOperator} (a sparse matrix, an implicit product) is only ever applied:
 * never densified.
 *
 * Solvers that multiply by blocks of several columns many times (randomized SVD) ask for
 * the dense input prepacked instead: A and A^T are stored once in gemm's packed panel
 * layout, so no product repacks A (for ~60 columns packing costs a fifth of each product)
 * and every product reads A in long contiguous runs.
 */
import { NonFiniteInputError, ShapeError } from '../errors.js';
import { activeWasm, kernels } from '../kernels/index.js';
import { prepack } from '../kernels/prepack.js';
import { copyChecked, workCopy } from '../linalg/lapack/dense.js';
import type { Workspace } from '../kernels/workspace.js';
import { gemmInto } from '../linalg/matmul.js';
import { blasOperand } from '../linalg/operand.js';
import type { DType, FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import type { LinearOperator } from '../matrix/operator.js';
import { asLinearOperator, DenseOperator, type MatrixLike } from './operator.js';

/**
 * Dense inputs up to this many bytes are copied into WASM memory once; larger ones are
 * read where they are (the kernels then copy them per product, in slabs).
 */
const RESIDENT_MAX_BYTES = 1.5 * 2 ** 30;

/** Y := A X and Z := A^T Y into caller-owned blocks of {@link Products.dtype}. */
export interface Products {
  /** Rows of the (possibly transposed) matrix. */
  readonly rows: number;
  /** Columns of the (possibly transposed) matrix. */
  readonly cols: number;
  /** Element type the blocks must have. */
  readonly dtype: DType;
  /** True when the input is a dense Matrix (products are gemm/gemv calls). */
  readonly dense: boolean;
  /** Y := A X for X cols x p and a column-major Y rows x p. */
  apply(X: Matrix, Y: Matrix): void;
  /** Z := A^T Y for Y rows x p and a column-major Z cols x p. */
  applyTranspose(Y: Matrix, Z: Matrix): void;
}

/**
 * Products with `A` (or with A^T when `transpose`), for the duration of the workspace `ws`.
 * @throws NonFiniteInputError when a dense A holds NaN or Inf.
 * @throws InvalidArgumentError when A is neither a Matrix nor a LinearOperator.
 */
export function productsOf(A: MatrixLike, transpose: boolean, ws: Workspace, routine: string, options: ProductsOptions = {}): Products {
  // A wrapped dense matrix gets the dense path too (its own apply would copy A into WASM
  // memory at every product).
  const dense = A instanceof Matrix ? A : A instanceof DenseOperator ? A.matrix : undefined;
  if (dense) return (options.blocks && prepackedProducts(dense, transpose, ws, routine)) || denseProducts(dense, transpose, ws, routine);
  return operatorProducts(asLinearOperator(A), transpose, routine);
}

/** Options of {@link productsOf}. */
export interface ProductsOptions {
  /**
   * The solver multiplies by blocks of several columns, many times: prepack a dense input
   * (when the WASM kernels run and it fits) rather than only copying it.
   */
  blocks?: boolean;
}

// A and A^T packed once (see the file comment), or undefined when the kernels decline
// (no WASM kernels, too large, heap full): the caller then takes the plain dense path.
function prepackedProducts(A: Matrix, transpose: boolean, ws: Workspace, routine: string): Products | undefined {
  const { rows: m, cols: n, dtype } = A;
  // A streams into the packing a chunk of columns at a time, checked for NaN/Inf on the way.
  const packed = prepack(dtype, m, n, (length) => ws.alloc(dtype, length, false), (c0, c1, chunk, ld) => copyChecked(A.colRange(c0, c1), routine, chunk, ld));
  if (!packed) return undefined;
  // Y := op X with op = A^T when `transposed`, A otherwise.
  const product = (transposed: boolean, X: Matrix, Y: Matrix) => {
    const x = blasOperand(X);
    packed.multiply(transposed, x.trans, X.cols, x.data, x.offset, x.ld, Y.data, Y.offset, Y.colStride);
  };
  const [rows, cols] = transpose ? [n, m] : [m, n];
  return {
    rows,
    cols,
    dtype,
    dense: true,
    apply: (X, Y) => product(transpose, X, Y),
    applyTranspose: (Y, Z) => product(!transpose, Y, Z),
  };
}

function denseProducts(A: Matrix, transpose: boolean, ws: Workspace, routine: string): Products {
  const dtype = A.dtype;
  const bytes = A.rows * A.cols * (dtype === 'float32' ? 4 : 8);
  let M: Matrix;
  if (activeWasm() && bytes <= RESIDENT_MAX_BYTES) {
    const w = workCopy(A, routine, ws);
    M = new Matrix(w.a, w.m, w.n, 0, 1, w.ld);
  } else {
    checkFinite(A, routine);
    M = A;
  }
  const op = transpose ? M.T : M;
  const opT = transpose ? M : M.T;
  return {
    rows: op.rows,
    cols: op.cols,
    dtype,
    dense: true,
    apply: (X, Y) => product(op, X, Y),
    applyTranspose: (Y, Z) => product(opT, Y, Z),
  };
}

// Y := M X; matrix-vector products go to gemv (gemm would pack M for a single column).
function product(M: Matrix, X: Matrix, Y: Matrix): void {
  if (X.cols === 1 && X.rowStride === 1 && Y.rowStride === 1 && X.dtype === M.dtype && Y.dtype === M.dtype) {
    // M's storage as BLAS sees it (column-major, or the transpose of a column-major array).
    const a = blasOperand(M);
    const rows = a.trans ? M.cols : M.rows;
    const cols = a.trans ? M.rows : M.cols;
    kernels().gemv(a.trans, rows, cols, 1, a.data, a.offset, a.ld, X.data, X.offset, 1, 0, Y.data, Y.offset, 1);
    return;
  }
  gemmInto(M, X, Y);
}

function checkFinite(A: Matrix, routine: string): void {
  const d = A.data;
  for (let j = 0; j < A.cols; j++) {
    for (let i = 0; i < A.rows; i++) {
      const v = d[A.offset + i * A.rowStride + j * A.colStride]!;
      if (!Number.isFinite(v)) throw new NonFiniteInputError(`${routine}: the input holds ${v} at (${i}, ${j}); a truncated SVD needs finite numbers`);
    }
  }
}

function operatorProducts(op: LinearOperator, transpose: boolean, routine: string): Products {
  const [m, n] = op.shape;
  const fwd = (X: Matrix) => op.apply(X);
  const bwd = (Y: Matrix) => op.applyTranspose(Y);
  const [rows, cols] = transpose ? [n, m] : [m, n];
  const dtype = op.dtype ?? 'float64';
  const run = (f: (X: Matrix) => Matrix, X: Matrix, Y: Matrix, what: string) => {
    const R = f(X.dtype === dtype ? X : X.copy({ dtype }));
    if (!(R instanceof Matrix) || R.rows !== Y.rows || R.cols !== Y.cols) {
      const got = R instanceof Matrix ? `${R.rows}x${R.cols}` : typeof R;
      throw new ShapeError(`${routine}: the operator's ${what} of a ${X.rows}x${X.cols} block returned ${got}, expected ${Y.rows}x${Y.cols}`);
    }
    copyOperatorResult(R, Y, routine, what);
  };
  return {
    rows,
    cols,
    dtype,
    dense: false,
    apply: (X, Y) => run(transpose ? bwd : fwd, X, Y, transpose ? 'applyTranspose' : 'apply'),
    applyTranspose: (Y, Z) => run(transpose ? fwd : bwd, Y, Z, transpose ? 'apply' : 'applyTranspose'),
  };
}

// Copy R into the column-major Y (converting the element type), rejecting NaN/Inf: a bad
// operator must fail loudly here rather than poison every later iteration.
function copyOperatorResult(R: Matrix, Y: Matrix, routine: string, what: string): void {
  const src = R.data;
  const dst: FloatArray = Y.data;
  for (let j = 0; j < R.cols; j++) {
    const s = R.offset + j * R.colStride;
    const d = Y.offset + j * Y.colStride;
    for (let i = 0; i < R.rows; i++) {
      const v = src[s + i * R.rowStride]!;
      if (!Number.isFinite(v)) throw new NonFiniteInputError(`${routine}: the operator's ${what} returned ${v} at (${i}, ${j}); a truncated SVD needs finite products`);
      dst[d + i] = v;
    }
  }
}

/** A zeroed column-major rows x cols block of `dtype` in workspace memory. */
export function block(ws: Workspace, dtype: DType, rows: number, cols: number): Matrix {
  const ld = Math.max(1, rows);
  return new Matrix(ws.alloc(dtype, Math.max(1, ld * cols)), rows, cols, 0, 1, ld);
}
