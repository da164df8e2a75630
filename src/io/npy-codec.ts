/**
 * numpy `.npy` encoding and decoding in memory (no file system, so browsers get it too):
 * format 1.0, 2.0, 3.0; float, integer and bool dtypes; C or Fortran order; 0-, 1- and 2-D
 * on reading; `<f8` / `<f4` (and `<i8` indices) on writing. File reading and writing are in
 * npy.ts.
 *
 * Decoding never trusts the header with memory: the header length is capped, and the data
 * size implied by the shape is checked against the bytes actually present before anything
 * of that size is allocated.
 */
import { InvalidArgumentError, ShapeError } from '../errors.js';
import { allocFloat, type DType, type FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { allocating } from '../matrix/memory.js';
import { encodeHeader, npyDefaultDtype, npyMatrixShape, readHeader, readPreamble, type NpyHeader } from './npy-header.js';
import { halfToNumber, LITTLE_ENDIAN_HOST, swapBytes } from './bytes.js';

export { npyDefaultDtype, npyMatrixShape } from './npy-header.js';

/** An array read from a `.npy` file. */
export interface NpyArray {
  /**
   * The data: shape `()` becomes 1x1, `(n,)` an n x 1 column, `(m, n)` m x n. Float32 for
   * `<f4` and `<f2` files, float64 otherwise (unless `dtype` was requested). 64-bit
   * integers beyond 2^53 in magnitude are rounded to the nearest double.
   */
  matrix: Matrix;
  /** The shape as stored: `[]`, `[n]` or `[m, n]`. */
  shape: number[];
  /** The numpy dtype string as stored, e.g. `'<f8'`, `'|u1'`. */
  dtype: string;
  /** Whether the data was stored in Fortran (column-major) order. */
  fortranOrder: boolean;
  /** Format version of the file (1, 2 or 3). */
  version: 1 | 2 | 3;
}

/** Options of the `.npy` readers. */
export interface NpyReadOptions {
  /** dtype of the returned matrix; default float32 for `<f4`/`<f2` data, else float64. */
  dtype?: DType;
  /** Largest accepted header, in bytes; default 10000 (numpy's own limit). */
  maxHeaderSize?: number;
  /**
   * Accept bytes after the data (as when several arrays were `np.save`d into one file
   * handle); default false, since trailing bytes usually mean a corrupt header.
   */
  allowTrailing?: boolean;
}

/** Options of the `.npy` writers. */
export interface NpyWriteOptions {
  /** Element type in the file; default `<f4` for float32 matrices, `<f8` otherwise. */
  dtype?: '<f8' | '<f4';
  /** Write an n x 1 or 1 x n matrix as a 1-D array of shape `(n,)` (e.g. singular values). */
  shape1d?: boolean;
  /** Format version; default 1.0 (2.0 if the header did not fit, which cannot happen for 2-D). */
  version?: 1 | 2 | 3;
  /**
   * Store in Fortran (column-major) order, as the matrix is held; default true, which
   * avoids a transpose. numpy reads either order; `false` writes C (row-major) order.
   */
  fortranOrder?: boolean;
}

// ------------------------------------------------------------------------------ reading

/**
 * Parse a `.npy` file held in memory. `bytes` may be any view (a Node Buffer from a pool,
 * a subarray at an odd offset): misaligned data is copied before it is reinterpreted.
 * @param file - name for error messages.
 * @throws ParseError when the bytes are not a well-formed `.npy` file (the message names
 *   `file` and the byte offset); UnsupportedError for valid files of a kind a matrix cannot
 *   hold (big-endian, object, structured, complex, string dtypes; more than 2 dimensions).
 */
export function parseNpy(bytes: Uint8Array, file = '<buffer>', options: NpyReadOptions = {}): NpyArray {
  const pre = readPreamble(bytes.subarray(0, 12), bytes.length, file, options.maxHeaderSize);
  const headerBytes = bytes.subarray(pre.headerStart, pre.headerStart + pre.headerLength);
  const header = readHeader(headerBytes, pre, bytes.length, file, options.allowTrailing);
  const data = bytes.subarray(header.dataOffset, header.dataOffset + header.dataBytes);
  return toArray(header, decode(data, header, options.dtype, false));
}

/** @internal The result of a read: the matrix and what the header said. */
export function toArray(header: NpyHeader, matrix: Matrix): NpyArray {
  return { matrix, shape: header.shape, dtype: header.type.descr, fortranOrder: header.fortranOrder, version: header.version };
}

/**
 * Decode the data bytes into a column-major matrix.
 * @param owned - `data` is a fresh buffer of exactly this size that we may keep, so
 *   matching dtypes in column-major order are wrapped without a copy.
 */
export function decode(data: Uint8Array, header: NpyHeader, requested: DType | undefined, owned: boolean): Matrix {
  const { type, shape, count } = header;
  const [rows, cols] = npyMatrixShape(header);
  const dtype = requested ?? npyDefaultDtype(header);
  // C-order data of a true 2-D matrix must be transposed; anything else is already in
  // column-major element order.
  const transpose = shape.length === 2 && !header.fortranOrder && rows > 1 && cols > 1;

  const native = owned && LITTLE_ENDIAN_HOST && !transpose && data.byteOffset % type.size === 0;
  if (native && type.kind === 'f' && ((type.size === 8 && dtype === 'float64') || (type.size === 4 && dtype === 'float32'))) {
    const wrapped = type.size === 8 ? new Float64Array(data.buffer, data.byteOffset, count) : new Float32Array(data.buffer, data.byteOffset, count);
    return new Matrix(wrapped, rows, cols);
  }

  // Bigints, bools and halves are converted once, in file order.
  const src = fileElements(data, header);
  const out = allocFloat(dtype, count, () => `a ${rows} x ${cols} ${dtype} matrix`);
  if (transpose) rowsToColumns(src, cols, rows, cols, out, rows, 0);
  else out.set(src);
  return new Matrix(out, rows, cols);
}

/** A typed view of npy data: numbers, or bigints for 64-bit integers. */
export type Elements = ArrayLike<number> | BigInt64Array | BigUint64Array;

/**
 * @internal The data bytes as typed numbers in file order: reinterpreted in place when
 * aligned (copied when misaligned or byte-swapped), with bigints, bools and halves widened
 * to float64 once. Shared by the matrix and the tensor decoders.
 */
export function fileElements(data: Uint8Array, header: NpyHeader): ArrayLike<number> {
  const { kind, size } = header.type;
  const src = elements(data, header);
  if (!needsWidening(kind, size)) return src as ArrayLike<number>;
  const n = src.length;
  // 8 bytes per element of a 1- or 2-byte file: the widened copy can be the largest array of a read.
  const out = allocFloat('float64', n, () => `widening ${n} elements of '${kind}${size}' data to float64`) as Float64Array;
  return widenInto(src, kind, size, out);
}

/** Reinterpret the data bytes as typed elements, copying when misaligned or byte-swapping. */
function elements(data: Uint8Array, header: NpyHeader): Elements {
  const { kind, size } = header.type;
  let bytes = data;
  if (size > 1 && (data.byteOffset % size !== 0 || !LITTLE_ENDIAN_HOST)) bytes = data.slice();
  if (size > 1 && !LITTLE_ENDIAN_HOST) swapBytes(bytes, size);
  return typedView(bytes, kind, size, header.count);
}

/**
 * The first `n` elements of `bytes` (aligned, host order) as the typed array of npy type
 * `kind``size`: Uint16Array for half floats, the bytes themselves for u1 and b1.
 */
export function typedView(bytes: Uint8Array, kind: string, size: number, n: number): Elements {
  const { buffer, byteOffset } = bytes;
  switch (`${kind}${size}`) {
    case 'f8':
      return new Float64Array(buffer, byteOffset, n);
    case 'f4':
      return new Float32Array(buffer, byteOffset, n);
    case 'f2':
    case 'u2':
      return new Uint16Array(buffer, byteOffset, n);
    case 'i8':
      return new BigInt64Array(buffer, byteOffset, n);
    case 'u8':
      return new BigUint64Array(buffer, byteOffset, n);
    case 'i4':
      return new Int32Array(buffer, byteOffset, n);
    case 'u4':
      return new Uint32Array(buffer, byteOffset, n);
    case 'i2':
      return new Int16Array(buffer, byteOffset, n);
    case 'i1':
      return new Int8Array(buffer, byteOffset, n);
    default: // u1, b1
      return bytes.subarray(0, n);
  }
}

/** True for the types whose typed view does not read as their values: bool, half, 64-bit integers. */
export function needsWidening(kind: string, size: number): boolean {
  return size === 8 ? kind !== 'f' : kind === 'b' || (kind === 'f' && size === 2);
}

/**
 * The values of a typed view of such a type into `out` (its length at least the view's):
 * any nonzero byte of a bool is 1 (numpy's True), halves are decoded, 64-bit integers round
 * to the nearest double.
 */
export function widenInto(src: Elements, kind: string, size: number, out: Float64Array): Float64Array {
  const n = src.length;
  if (kind === 'b') for (let k = 0; k < n; k++) out[k] = src[k] ? 1 : 0;
  else if (kind === 'f' && size === 2) for (let k = 0; k < n; k++) out[k] = halfToNumber(src[k] as number);
  else for (let k = 0; k < n; k++) out[k] = Number(src[k]);
  return out;
}

/** `bytes` (whole elements, aligned) as float64 (`size` 8) or float32 (`size` 4) values. */
export function floatView(bytes: Uint8Array, size: number): Float64Array | Float32Array {
  return size === 8 ? new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8) : new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

/**
 * Rows i0 .. i0 + r - 1, columns 0 .. w - 1 of a row-major matrix with n columns, where
 * element (i, j) is at src[(i - i0) * n + j], into the column-major `out` (leading
 * dimension m). Eight rows at a time: each column then reads one element of eight source
 * lines, which stay in the L1 cache for the next seven columns, and writes 64 contiguous
 * bytes (64-row blocks, or 32 x 32 tiles, were 2-5x slower: at n = 2048 their source lines,
 * 16 KiB apart, fall in one cache set and evict each other).
 */
export function rowsToColumns(src: ArrayLike<number>, n: number, r: number, w: number, out: FloatArray, m: number, i0: number): void {
  let i = 0;
  for (; i + 8 <= r; i += 8) {
    const s0 = i * n;
    for (let j = 0, q = i0 + i; j < w; j++, q += m) {
      const s = s0 + j;
      out[q] = src[s]!;
      out[q + 1] = src[s + n]!;
      out[q + 2] = src[s + 2 * n]!;
      out[q + 3] = src[s + 3 * n]!;
      out[q + 4] = src[s + 4 * n]!;
      out[q + 5] = src[s + 5 * n]!;
      out[q + 6] = src[s + 6 * n]!;
      out[q + 7] = src[s + 7 * n]!;
    }
  }
  for (; i < r; i++) {
    const s0 = i * n;
    for (let j = 0, q = i0 + i; j < w; j++, q += m) out[q] = src[s0 + j]!;
  }
}

// ------------------------------------------------------------------------------ writing

/** @internal Header and layout of a file to write. */
export interface WritePlan {
  header: Uint8Array;
  descr: '<f8' | '<f4';
  order: 'F' | 'C';
  count: number;
}

/** @internal Check the write options and encode the header of `matrix`'s file. */
export function plan(matrix: Matrix, options: NpyWriteOptions): WritePlan {
  const descr = options.dtype ?? (matrix.dtype === 'float32' ? '<f4' : '<f8');
  if (descr !== '<f8' && descr !== '<f4') throw new InvalidArgumentError(`npy dtype must be '<f8' or '<f4', got '${String(descr)}'`);
  const version = options.version;
  if (version !== undefined && version !== 1 && version !== 2 && version !== 3) {
    throw new InvalidArgumentError(`npy version must be 1, 2 or 3, got ${String(version)}`);
  }
  if (options.shape1d) {
    if (matrix.rows !== 1 && matrix.cols !== 1) {
      throw new ShapeError(`shape1d needs an n x 1 or 1 x n matrix, got ${matrix.rows}x${matrix.cols}`);
    }
    // For a vector, column-major element order is the vector's order.
    return { header: encodeHeader(descr, false, [matrix.size], version), descr, order: 'F', count: matrix.size };
  }
  const fortran = options.fortranOrder ?? true;
  return {
    header: encodeHeader(descr, fortran, [matrix.rows, matrix.cols], version),
    descr,
    order: fortran ? 'F' : 'C',
    count: matrix.size,
  };
}

/** Copy elements [k0, k0 + dst.length) of `A`, numbered in `order`, into `dst`. */
export function fill(A: Matrix, order: 'F' | 'C', dst: FloatArray, k0: number): void {
  const { rows: m, cols: n, data, offset, rowStride: rs, colStride: cs } = A;
  const len = dst.length;
  if (len === 0) return;
  if (order === 'F' && A.isContiguous) {
    dst.set(data.subarray(offset + k0, offset + k0 + len));
    return;
  }
  if (order === 'F') {
    let i = k0 % m;
    let j = (k0 - i) / m;
    for (let t = 0; t < len; t++) {
      dst[t] = data[offset + i * rs + j * cs]!;
      if (++i === m) (i = 0), j++;
    }
  } else {
    let j = k0 % n;
    let i = (k0 - j) / n;
    for (let t = 0; t < len; t++) {
      dst[t] = data[offset + i * rs + j * cs]!;
      if (++j === n) (j = 0), i++;
    }
  }
}

/** @internal The bytes of `a`, little-endian (swapped in place on a big-endian host). */
export function asBytes(a: FloatArray): Uint8Array {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (!LITTLE_ENDIAN_HOST) swapBytes(b, a.BYTES_PER_ELEMENT);
  return b;
}

/**
 * The complete `.npy` file for `matrix`: numpy's header (data aligned to 64 bytes) and
 * the elements, little-endian, Fortran order unless `fortranOrder: false`.
 * @throws ShapeError when `shape1d` is asked of a matrix that is not a vector;
 *   OutOfMemoryError when the file does not fit in one byte array (2^32 bytes).
 */
export function encodeNpy(matrix: Matrix, options: NpyWriteOptions = {}): Uint8Array {
  const p = plan(matrix, options);
  const size = p.descr === '<f8' ? 8 : 4;
  const bytes = p.header.length + p.count * size;
  const out = allocating(() => `the .npy encoding of a ${matrix.rows} x ${matrix.cols} matrix (writeNpy streams it to a file instead)`, bytes, 1, () => new Uint8Array(bytes));
  out.set(p.header, 0);
  // The header length is a multiple of 64, so the data view is aligned.
  const view = size === 8 ? new Float64Array(out.buffer, p.header.length, p.count) : new Float32Array(out.buffer, p.header.length, p.count);
  fill(matrix, p.order, view, 0);
  asBytes(view);
  return out;
}

/**
 * The `.npy` file of an integer vector (e.g. a permutation) as int64 (`<i8`), numpy's
 * default index type, shape `(n,)`.
 */
export function encodeNpyIndices(values: ArrayLike<number>): Uint8Array {
  const header = encodeHeader('<i8', false, [values.length]);
  const out = new Uint8Array(header.length + values.length * 8);
  out.set(header, 0);
  const view = new DataView(out.buffer, header.length);
  for (let i = 0; i < values.length; i++) view.setBigInt64(i * 8, BigInt(values[i]!), true);
  return out;
}
