/**
 * Sparse (CSR) times dense products: the kernels behind `CsrMatrix` / `CscMatrix`.
 *
 * Four products, each for f64 and f32 values (x, y, X, Y have the matrix's dtype):
 * - `csrMatvec(A, false, ...)`  y := alpha A x + beta y      (a gather: one dot per row)
 * - `csrMatvec(A, true, ...)`   y := alpha A^T x + beta y    (a scatter over A's rows)
 * - `csrMatmat(A, false, ...)`  Y := alpha A X               (X is cols x p)
 * - `csrMatmat(A, true, ...)`   Y := alpha A^T X             (X is rows x p)
 * - `csrMatmatRows(A, X, p, Y)` Y := A X on row-major blocks, in place when they live in
 *   WASM memory (solvers that keep their factors there: NMF)
 * These are scipy's `csr_matvec`, `csr_matvecs` and their transposes (sparsetools/csr.h);
 * the block products work on row-major copies of X and Y so each stored a_ij touches one
 * contiguous row of p values (SIMD over p), and A is streamed once instead of p times.
 *
 * Backends: on a WASM backend the kernels in assembly/sparse.ts run. They need A in WASM
 * memory: the first product copies `indptr`, `indices` and `data` into the heap once and
 * keeps that copy (keyed by the `data` array) until {@link releaseResidentCsr} or until the
 * `data` array is garbage-collected (a FinalizationRegistry frees the block), so repeated
 * products (Lanczos, power iterations) pay O(nnz) copying only once. Arrays that already live
 * in WASM memory are used in place. Vectors and blocks are copied in and out per call
 * (O(rows + cols) and O((rows + cols) p), small next to the O(nnz) and O(nnz p) work). On
 * the JS backend, or if the heap cannot hold the copy, the TypeScript loops below run.
 *
 * Callers must not modify a matrix's arrays after its first product (CsrMatrix never does);
 * if they do, {@link releaseResidentCsr} drops the stale copy.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { allocFloat, type DType, type FloatArray } from '../matrix/dtype.js';
import type { Matrix } from '../matrix/matrix.js';
import type { WasmHeap } from './heap.js';
import { defineKernel, wasmFor } from './registry.js';
import type { WasmKernels } from './wasm-kernels.js';
import type { WasmExports } from './wasm-module.js';

/** The arrays of a CSR matrix, as the kernels see them (no invariants are checked here). */
export interface CsrArrays {
  readonly rows: number;
  readonly cols: number;
  /** rows + 1 offsets into indices/data, nondecreasing, from 0 to nnz. */
  readonly indptr: Int32Array;
  /** Column index of each stored value, in [0, cols). */
  readonly indices: Int32Array;
  /** Stored values. */
  readonly data: FloatArray;
}

/**
 * A strided 2-D block: element (i, j) at offset + i rowStride + j colStride. The storage
 * fields of {@link Matrix}, named from there so that their meaning is written down once.
 */
export type StridedBlock = Pick<Matrix, 'data' | 'rows' | 'cols' | 'offset' | 'rowStride' | 'colStride'>;

/** The exports of assembly/sparse.ts (declared in scripts/kernel-abi.mjs). */
export type SparseWasmExports = Pick<WasmExports, 'dcsr_mv' | 'scsr_mv' | 'dcsr_rmv' | 'scsr_rmv' | 'dcsr_mm' | 'scsr_mm' | 'dcsr_rmm' | 'scsr_rmm'>;

function dtypeOfArray(a: FloatArray): DType {
  return a instanceof Float32Array ? 'float32' : 'float64';
}

// ------------------------------------------------------------------ TypeScript kernels

/** y := alpha A x + beta y (beta == 0 overwrites y without reading it). */
function jsMv(A: CsrArrays, x: FloatArray, alpha: number, beta: number, y: FloatArray): void {
  const { indptr, indices, data } = A;
  const m = A.rows;
  let k0 = indptr[0]!;
  for (let i = 0; i < m; i++) {
    const k1 = indptr[i + 1]!;
    let s0 = 0;
    let s1 = 0;
    let k = k0;
    for (; k + 1 < k1; k += 2) {
      s0 += data[k]! * x[indices[k]!]!;
      s1 += data[k + 1]! * x[indices[k + 1]!]!;
    }
    if (k < k1) s0 += data[k]! * x[indices[k]!]!;
    const v = alpha * (s0 + s1);
    y[i] = beta === 0 ? v : v + beta * y[i]!;
    k0 = k1;
  }
}

/** y := alpha A^T x + beta y, y of length cols (a scatter over A's rows). */
function jsRmv(A: CsrArrays, x: FloatArray, alpha: number, beta: number, y: FloatArray): void {
  const { indptr, indices, data } = A;
  if (beta === 0) y.fill(0);
  else if (beta !== 1) for (let j = 0; j < y.length; j++) y[j] = beta * y[j]!;
  const m = A.rows;
  for (let i = 0; i < m; i++) {
    const xi = alpha * x[i]!;
    if (xi === 0) continue;
    const k1 = indptr[i + 1]!;
    for (let k = indptr[i]!; k < k1; k++) {
      const j = indices[k]!;
      y[j] = y[j]! + data[k]! * xi;
    }
  }
}

/** Y := alpha A X, X (cols x p) and Y (rows x p) row-major. */
function jsMm(A: CsrArrays, p: number, X: FloatArray, alpha: number, Y: FloatArray): void {
  const { indptr, indices, data } = A;
  Y.fill(0);
  for (let i = 0; i < A.rows; i++) {
    const yo = i * p;
    const k1 = indptr[i + 1]!;
    for (let k = indptr[i]!; k < k1; k++) {
      const a = alpha * data[k]!;
      const xo = indices[k]! * p;
      for (let c = 0; c < p; c++) Y[yo + c] = Y[yo + c]! + a * X[xo + c]!;
    }
  }
}

/** Y := alpha A^T X, X (rows x p) and Y (cols x p) row-major. */
function jsRmm(A: CsrArrays, p: number, X: FloatArray, alpha: number, Y: FloatArray): void {
  const { indptr, indices, data } = A;
  Y.fill(0);
  for (let i = 0; i < A.rows; i++) {
    const xo = i * p;
    const k1 = indptr[i + 1]!;
    for (let k = indptr[i]!; k < k1; k++) {
      const a = alpha * data[k]!;
      const yo = indices[k]! * p;
      for (let c = 0; c < p; c++) Y[yo + c] = Y[yo + c]! + a * X[xo + c]!;
    }
  }
}

// ------------------------------------------------------------------ heap-resident copies

interface Resident {
  readonly owner: WasmKernels;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  /** Byte addresses of the three arrays in the kernels' memory. */
  readonly pIndptr: number;
  readonly pIndices: number;
  readonly pData: number;
  /** Heap blocks to free (empty when the arrays were used in place). */
  readonly blocks: number[];
  readonly held: Held;
}

interface Held {
  heap: WasmHeap;
  blocks: number[];
  bytes: number;
  freed: boolean;
}

const residents = new WeakMap<FloatArray, Resident>();
const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry<Held>((h) => freeHeld(h))
  : undefined;

function freeHeld(h: Held): void {
  if (h.freed) return;
  h.freed = true;
  residentBytes -= h.bytes;
  for (const b of h.blocks) h.heap.free(b);
}

/** Bytes of WASM memory currently held by heap-resident sparse matrices (for benchmarks). */
let residentBytes = 0;

/** Total bytes of WASM heap held by resident CSR copies right now. */
export function residentCsrBytes(): number {
  return residentBytes;
}

function release(data: FloatArray, r: Resident): void {
  residents.delete(data);
  registry?.unregister(r.held);
  freeHeld(r.held);
}

/**
 * Free the WASM heap copy of a CSR matrix's arrays (keyed by its `data` array), if any.
 * The next product makes a new one. Safe to call any number of times.
 */
export function releaseResidentCsr(data: FloatArray): void {
  const r = residents.get(data);
  if (r) release(data, r);
}

function residentFor(w: WasmKernels, A: CsrArrays): Resident | undefined {
  const old = residents.get(A.data);
  if (old && old.owner === w && old.indptr === A.indptr && old.indices === A.indices && !old.held.freed) return old;
  if (old) release(A.data, old);
  const heap = w.heap;
  const nnz = A.indices.length;
  if (heap.owns(A.indptr) && heap.owns(A.indices) && heap.owns(A.data)) {
    const held: Held = { heap, blocks: [], bytes: 0, freed: false };
    const r: Resident = { owner: w, indptr: A.indptr, indices: A.indices, pIndptr: A.indptr.byteOffset, pIndices: A.indices.byteOffset, pData: A.data.byteOffset, blocks: [], held };
    residents.set(A.data, r);
    return r;
  }
  const blocks: number[] = [];
  try {
    const pIndptr = heap.malloc(A.indptr.length * 4);
    blocks.push(pIndptr);
    const pIndices = heap.malloc(nnz * 4);
    blocks.push(pIndices);
    const pData = heap.malloc(nnz * A.data.BYTES_PER_ELEMENT);
    blocks.push(pData);
    heap.i32(pIndptr, A.indptr.length).set(A.indptr);
    heap.i32(pIndices, nnz).set(A.indices);
    (A.data instanceof Float32Array ? heap.f32(pData, nnz) : heap.f64(pData, nnz)).set(A.data);
    const bytes = (A.indptr.length + nnz) * 4 + nnz * A.data.BYTES_PER_ELEMENT;
    const held: Held = { heap, blocks, bytes, freed: false };
    const r: Resident = { owner: w, indptr: A.indptr, indices: A.indices, pIndptr, pIndices, pData, blocks, held };
    residents.set(A.data, r);
    registry?.register(A.data, held, held);
    residentBytes += bytes;
    return r;
  } catch {
    // The heap could not hold the copy (4 GiB limit): run the TypeScript kernels instead.
    for (const b of blocks) heap.free(b);
    return undefined;
  }
}

// ------------------------------------------------------------------ routines (./registry.ts)

function checkCsr(A: CsrArrays): void {
  if (A.indptr.length !== A.rows + 1) throw new ShapeError(`CSR indptr has ${A.indptr.length} entries for ${A.rows} rows (needs rows + 1)`);
  if (A.indices.length !== A.data.length) throw new ShapeError(`CSR indices (${A.indices.length}) and data (${A.data.length}) differ in length`);
}

function checkSame(A: CsrArrays, a: FloatArray, what: string): void {
  if (dtypeOfArray(a) !== dtypeOfArray(A.data)) {
    throw new InvalidArgumentError(`${what} is ${dtypeOfArray(a)} but the matrix is ${dtypeOfArray(A.data)}`);
  }
}

// The WASM kernels for a product with A: the active ones when A has stored values and a
// heap-resident copy of its arrays exists or can be made (else the TypeScript loops run).
function residentWasm(A: CsrArrays): WasmKernels | undefined {
  const w = wasmFor();
  return w && A.indices.length > 0 && residentFor(w, A) ? w : undefined;
}

// The resident copy `residentWasm` made (or found) for this call.
function residentOf(w: WasmKernels, A: CsrArrays): Resident {
  const r = residentFor(w, A);
  if (!r) throw new Error('sparse kernels: the resident CSR copy vanished between selection and use');
  return r;
}

const matvec = defineKernel<[A: CsrArrays, trans: boolean, alpha: number, x: FloatArray, beta: number, y: FloatArray], void>({
  name: 'csr_mv',
  select: (A) => residentWasm(A),
  wasm: (w, A, trans, alpha, x, beta, y) => {
    const r = residentOf(w, A);
    const nx = x.length;
    const ny = y.length;
    const heap = w.heap;
    const f32 = A.data instanceof Float32Array;
    const size = f32 ? 4 : 8;
    const xIn = heap.owns(x);
    const yIn = heap.owns(y);
    const px = xIn ? x.byteOffset : heap.malloc(Math.max(nx, 1) * size);
    const py = yIn ? y.byteOffset : heap.malloc(ny * size);
    try {
      const view = (p: number, n: number): FloatArray => (f32 ? heap.f32(p, n) : heap.f64(p, n));
      if (!xIn) view(px, nx).set(x);
      if (!yIn && beta !== 0) view(py, ny).set(y);
      const e = w.rt.exports;
      if (trans) (f32 ? e.scsr_rmv : e.dcsr_rmv)(A.rows, A.cols, r.pIndptr, r.pIndices, r.pData, px, alpha, beta, py);
      else (f32 ? e.scsr_mv : e.dcsr_mv)(A.rows, r.pIndptr, r.pIndices, r.pData, px, alpha, beta, py);
      if (!yIn) y.set(view(py, ny));
    } finally {
      if (!xIn) heap.free(px);
      if (!yIn) heap.free(py);
    }
  },
  js: (A, trans, alpha, x, beta, y) => {
    if (trans) jsRmv(A, x, alpha, beta, y);
    else jsMv(A, x, alpha, beta, y);
  },
});

/**
 * y := alpha op(A) x + beta y with op(A) = A (trans false) or A^T. x and y are contiguous
 * arrays of A's dtype with lengths cols and rows of op(A). beta == 0 overwrites y.
 * Cost O(nnz + rows + cols).
 */
export function csrMatvec(A: CsrArrays, trans: boolean, alpha: number, x: FloatArray, beta: number, y: FloatArray): void {
  checkCsr(A);
  checkSame(A, x, 'x');
  checkSame(A, y, 'y');
  const nx = trans ? A.rows : A.cols;
  const ny = trans ? A.cols : A.rows;
  if (x.length !== nx) throw new ShapeError(`matvec: x has ${x.length} entries, op(A) has ${nx} columns`);
  if (y.length !== ny) throw new ShapeError(`matvec: y has ${y.length} entries, op(A) has ${ny} rows`);
  if (ny === 0) return;
  matvec(A, trans, alpha, x, beta, y);
}

// Row-major ny x p -> the column-major output.
function toColumnMajor(yr: FloatArray, ny: number, p: number, out: FloatArray): void {
  for (let i = 0; i < ny; i++) {
    const o = i * p;
    for (let c = 0; c < p; c++) out[i + c * ny] = yr[o + c]!;
  }
}

// alpha op(A) X into `out` (column-major ny x p) by way of row-major copies of X and Y.
const matmat = defineKernel<[A: CsrArrays, trans: boolean, alpha: number, X: StridedBlock, out: FloatArray], void>({
  name: 'csr_mm',
  select: (A) => residentWasm(A),
  wasm: (w, A, trans, alpha, X, out) => {
    const r = residentOf(w, A);
    const p = X.cols;
    const nx = X.rows;
    const ny = out.length / p;
    const f32 = A.data instanceof Float32Array;
    const size = f32 ? 4 : 8;
    const heap = w.heap;
    const px = heap.malloc(Math.max(nx * p, 1) * size);
    let py = -1;
    try {
      py = heap.malloc(ny * p * size);
      toRowMajor(X, f32 ? heap.f32(px, nx * p) : heap.f64(px, nx * p));
      const e = w.rt.exports;
      if (trans) (f32 ? e.scsr_rmm : e.dcsr_rmm)(A.rows, A.cols, p, r.pIndptr, r.pIndices, r.pData, px, alpha, py);
      else (f32 ? e.scsr_mm : e.dcsr_mm)(A.rows, p, r.pIndptr, r.pIndices, r.pData, px, alpha, py);
      toColumnMajor(f32 ? heap.f32(py, ny * p) : heap.f64(py, ny * p), ny, p, out);
    } finally {
      heap.free(px);
      if (py >= 0) heap.free(py);
    }
  },
  js: (A, trans, alpha, X, out) => {
    const p = X.cols;
    const ny = out.length / p;
    const dtype = dtypeOfArray(A.data);
    const xr = allocFloat(dtype, X.rows * p);
    const yr = allocFloat(dtype, ny * p);
    toRowMajor(X, xr);
    if (trans) jsRmm(A, p, xr, alpha, yr);
    else jsMm(A, p, xr, alpha, yr);
    toColumnMajor(yr, ny, p, out);
  },
});

/**
 * alpha op(A) X as a new column-major array (rows(op A) x p, leading dimension rows(op A)),
 * where X is any strided block of cols(op A) x p (any dtype; it is converted to A's dtype
 * while being copied into row-major order). Cost O(nnz p + (rows + cols) p).
 */
export function csrMatmat(A: CsrArrays, trans: boolean, alpha: number, X: StridedBlock): FloatArray {
  checkCsr(A);
  const nx = trans ? A.rows : A.cols;
  const ny = trans ? A.cols : A.rows;
  const p = X.cols;
  if (X.rows !== nx) throw new ShapeError(`matmat: the block has ${X.rows} rows, op(A) has ${nx} columns`);
  const out = allocFloat(dtypeOfArray(A.data), ny * p);
  if (ny === 0 || p === 0) return out;
  matmat(A, trans, alpha, X, out);
  return out;
}

const matmatRows = defineKernel<[A: CsrArrays, X: FloatArray, p: number, Y: FloatArray], void>({
  name: 'csr_mm_rows',
  // The blocks are used in place: they must already live in the kernels' memory.
  select: (A, X, _p, Y) => (wasmFor(X, Y) ? residentWasm(A) : undefined),
  wasm: (w, A, X, p, Y) => {
    const r = residentOf(w, A);
    const e = w.rt.exports;
    (A.data instanceof Float32Array ? e.scsr_mm : e.dcsr_mm)(A.rows, p, r.pIndptr, r.pIndices, r.pData, X.byteOffset, 1, Y.byteOffset);
  },
  js: (A, X, p, Y) => jsMm(A, p, X, 1, Y),
});

/**
 * Y := A X for row-major blocks: X is cols x p, Y is rows x p, both row-major and of A's
 * dtype. Solvers that multiply by the same matrix at every iteration (NMF) keep their
 * blocks in the kernels' memory in this layout, and then the product runs where the
 * blocks are, with no copy in or out; other arrays go through the TypeScript loop.
 * Cost O(nnz p).
 */
export function csrMatmatRows(A: CsrArrays, X: FloatArray, p: number, Y: FloatArray): void {
  checkCsr(A);
  if (X.length < A.cols * p || Y.length < A.rows * p) throw new ShapeError(`matmat: blocks of ${X.length} and ${Y.length} values for a ${A.rows}x${A.cols} matrix and ${p} columns`);
  checkSame(A, X, 'the block');
  checkSame(A, Y, 'the output');
  if (p === 0 || A.rows === 0) return;
  matmatRows(A, X, p, Y);
}

/** Copy a strided block into a row-major rows x cols array (converting dtype on the way). */
function toRowMajor(X: StridedBlock, out: FloatArray): void {
  const { data, rows, cols, offset, rowStride, colStride } = X;
  if (colStride === 1 && rowStride === cols) {
    // Already row-major and compact.
    const src = data.subarray(offset, offset + rows * cols);
    out.set(src);
    return;
  }
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    const s = offset + i * rowStride;
    for (let c = 0; c < cols; c++) out[o + c] = data[s + c * colStride]!;
  }
}
