/**
 * lowrank: matrix factorizations for TypeScript, on WebAssembly SIMD kernels.
 *
 * Everything that runs in any JavaScript engine (no file system): the browser entry point
 * re-exports exactly this; the Node entry point adds file I/O.
 * @packageDocumentation
 */
export { Matrix, copyInto } from './matrix/matrix.js';
export type { Order, DTypeOptions, FromArrayOptions, RandomOptions, CloseOptions, MatrixNorm } from './matrix/matrix.js';
export { DTYPES, epsOf } from './matrix/dtype.js';
export type { DType, FloatArray } from './matrix/dtype.js';
export { rng, detLog } from './random.js';
export type { Rng, RandomState } from './random.js';
export {
  LowrankError,
  ShapeError,
  InvalidArgumentError,
  NonFiniteInputError,
  UnsupportedError,
  ParseError,
  SingularMatrixError,
  NotPositiveDefiniteError,
  ConvergenceError,
} from './errors.js';
export { OutOfMemoryError } from './kernels/heap.js';
export {
  kernels,
  setBackend,
  availableBackends,
  setThreads,
  getThreads,
  ready,
  activeWasm,
  jsKernels,
  WasmKernels,
  BACKENDS,
} from './kernels/index.js';
export type { BackendName, Kernels } from './kernels/index.js';
export { matmul, gemmInto } from './linalg/matmul.js';
export type { MatmulOptions } from './linalg/matmul.js';
export { blasOperand } from './linalg/operand.js';
export type { BlasOperand } from './linalg/operand.js';
export { lu, Lu, solve, det, slogdet, inv } from './linalg/lu.js';
export { cholesky, Cholesky } from './linalg/cholesky.js';
export type { CholeskyOptions } from './linalg/cholesky.js';
export { qr } from './linalg/qr.js';
export type { Qr, QrOptions } from './linalg/qr.js';
export type { Rhs } from './linalg/args.js';
export { eig, eigvals } from './linalg/eig.js';
export type { Eig } from './linalg/eig.js';
export { eigh, eigvalsh } from './linalg/eigh.js';
export type { Eigh, EighOptions } from './linalg/eigh.js';
export { svd, svdvals, Svd } from './linalg/svd.js';
export type { SvdOptions } from './linalg/svd.js';
export { lstsq, pinv, matrixRank, cond, norm } from './linalg/lstsq.js';
export type { Lstsq, LstsqOptions, NormKind } from './linalg/lstsq.js';
