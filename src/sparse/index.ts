/**
 * Sparse matrices: CSR and CSC with f64/f32 values, built from COO triples, dense matrices,
 * Matrix Market files (src/io/sparse-io.ts) or at random; products with dense vectors and
 * blocks run in WebAssembly. Both classes are {@link LinearOperator}s, so the truncated
 * solvers take them without densifying.
 */
export { CsrMatrix, type CooTriples, type FromCooOptions, type FromDenseOptions, type SparseNorm } from './csr.js';
export { CscMatrix, isSparse, type SparseMatrix } from './csc.js';
export type { SparseRandomOptions } from './random.js';
