/**
 * numpy `.npy` files of any number of dimensions as {@link Tensor}s, in memory (no file
 * system; the file readers and writers are in npy.ts): the same container, header checks
 * and dtypes as the matrix codec (npy-codec.ts), with the shape kept as written.
 *
 * Layout follows numpy: a Fortran-order file reads as a tensor with Fortran strides (as
 * `np.load` returns an F-contiguous array), so neither order moves an element unless a
 * conversion is asked for; writing uses numpy's own rule (`fortran_order` when the array is
 * F- and not C-contiguous). Same-dtype, same-order data is moved by bulk typed-array copies
 * (or wrapped without a copy), a change of order is one cache-blocked transpose, a change
 * of element type one `TypedArray.set`.
 */
import { InvalidArgumentError } from '../errors.js';
import { allocFloat, type DType, type FloatArray } from '../matrix/dtype.js';
import { allocating } from '../matrix/memory.js';
import { cStrides, copyToC, fStrides, type NumericArray } from '../tensor/strided.js';
import { Tensor } from '../tensor/tensor.js';
import { LITTLE_ENDIAN_HOST, swapBytes } from './bytes.js';
import { asBytes, fileElements, npyDefaultDtype } from './npy-codec.js';
import { encodeHeader, readHeader, readPreamble, type NpyHeader } from './npy-header.js';

/** Options of the n-d `.npy` readers ({@link parseNpyTensor}, `readTensor`). */
export interface NpyTensorReadOptions {
  /** dtype of the returned tensor; default float32 for `<f4`/`<f2` data, else float64. */
  dtype?: DType;
  /**
   * Layout of the returned tensor: `'file'` (default) keeps the file's order, as `np.load`
   * does (a Fortran-order file gives a tensor with Fortran strides, read without moving an
   * element); `'C'` or `'F'` converts when the file is in the other order (one blocked transpose).
   */
  order?: 'file' | 'C' | 'F';
  /** Largest accepted header, in bytes; default 10000 (numpy's own limit). */
  maxHeaderSize?: number;
  /** Accept bytes after the data (several arrays `np.save`d to one handle); default false. */
  allowTrailing?: boolean;
}

/** Options of the n-d `.npy` writers ({@link encodeNpyTensor}, `writeTensor`). */
export interface NpyTensorWriteOptions {
  /** Element type in the file; default `<f4` for a float32 tensor, `<f8` otherwise. */
  dtype?: '<f8' | '<f4';
  /**
   * Store in Fortran (column-major) order. Default: numpy's rule in `np.save`, true when the
   * tensor is Fortran-contiguous and not C-contiguous, so either layout is written without a
   * transpose.
   */
  fortranOrder?: boolean;
  /** Format version; default 1.0 (2.0 when the header does not fit in 1.0). */
  version?: 1 | 2 | 3;
}

/** The shape a header reads as: `()` (a numpy scalar) becomes `[1]`, since a Tensor has at least one axis. */
export function tensorShapeOf(header: Pick<NpyHeader, 'shape'>): number[] {
  return header.shape.length === 0 ? [1] : [...header.shape];
}

/**
 * Parse an n-d `.npy` file held in memory into a {@link Tensor} (a copy: the tensor never
 * aliases `bytes`). A 0-d file (numpy scalar) reads as shape `[1]`.
 * @param file - name for error messages.
 * @throws ParseError when the bytes are not a well-formed `.npy` file, including a shape
 *   whose size does not match the data (checked exactly before allocating; the message
 *   names `file` and the byte offset); UnsupportedError for dtypes a tensor cannot hold
 *   (big-endian, object, structured, complex, string, datetime); InvalidArgumentError for bad options.
 */
export function parseNpyTensor(bytes: Uint8Array, file = '<buffer>', options: NpyTensorReadOptions = {}): Tensor {
  const header = readTensorHeaderFrom(bytes, file, options);
  const data = bytes.subarray(header.dataOffset, header.dataOffset + header.dataBytes);
  return decodeTensor(data, header, options, false);
}

/** @internal Validate preamble and header of in-memory bytes with any rank allowed. */
function readTensorHeaderFrom(bytes: Uint8Array, file: string, options: NpyTensorReadOptions): NpyHeader {
  checkReadOptions(options);
  const pre = readPreamble(bytes.subarray(0, 12), bytes.length, file, options.maxHeaderSize);
  const headerBytes = bytes.subarray(pre.headerStart, pre.headerStart + pre.headerLength);
  return readHeader(headerBytes, pre, bytes.length, file, options.allowTrailing, true);
}

/** @internal Check the reader options (shared with the file readers). */
export function checkReadOptions(options: NpyTensorReadOptions): void {
  const { dtype, order } = options;
  if (dtype !== undefined && dtype !== 'float64' && dtype !== 'float32') throw new InvalidArgumentError(`readTensor: dtype must be 'float64' or 'float32', got ${String(dtype)}`);
  if (order !== undefined && order !== 'file' && order !== 'C' && order !== 'F') throw new InvalidArgumentError(`readTensor: order must be 'file', 'C' or 'F', got ${String(order)}`);
}

/**
 * @internal Decode the data bytes of a validated header into a tensor.
 * @param owned - `data` is a fresh buffer of exactly this size that we may keep, so a
 *   matching dtype in the requested order is wrapped without a copy.
 */
export function decodeTensor(data: Uint8Array, header: NpyHeader, options: NpyTensorReadOptions, owned: boolean): Tensor {
  const { type, count } = header;
  const shape = tensorShapeOf(header);
  const dtype = options.dtype ?? npyDefaultDtype(header);
  const fileOrder = header.fortranOrder ? 'F' : 'C';
  const want = options.order === undefined || options.order === 'file' ? fileOrder : options.order;
  // A layout with at most one axis longer than 1 is both C- and F-contiguous.
  const trivial = shape.filter((n) => n > 1).length <= 1;
  const same = want === fileOrder || trivial;
  const strides = (want === 'F' ? fStrides : cStrides)(shape);
  if (owned && same && LITTLE_ENDIAN_HOST && type.kind === 'f' && data.byteOffset % type.size === 0) {
    if (type.size === 8 && dtype === 'float64') return new Tensor(new Float64Array(data.buffer, data.byteOffset, count), shape, strides);
    if (type.size === 4 && dtype === 'float32') return new Tensor(new Float32Array(data.buffer, data.byteOffset, count), shape, strides);
  }
  const src = fileElements(data, header) as NumericArray;
  const out = allocFloat(dtype, count, () => `a ${shape.join(' x ')} ${dtype} tensor`);
  if (same) out.set(src);
  else if (want === 'C') copyToC(src, 0, shape, fStrides(shape), out, 0); // F file -> C
  else copyToC(src, 0, [...shape].reverse(), cStrides(shape).reverse(), out, 0); // C file -> F
  return new Tensor(out, shape, strides);
}

// ------------------------------------------------------------------------------ writing

/** @internal Header and layout of an n-d file to write. */
export interface TensorWritePlan {
  header: Uint8Array;
  descr: '<f8' | '<f4';
  fortran: boolean;
  count: number;
}

/** @internal Check the write options and encode the header of `tensor`'s file. */
export function planTensor(tensor: Tensor, options: NpyTensorWriteOptions): TensorWritePlan {
  if (!(tensor instanceof Tensor)) throw new InvalidArgumentError(`writeTensor: expected a Tensor, got ${tensor === null ? 'null' : typeof tensor}`);
  const descr = options.dtype ?? (tensor.dtype === 'float32' ? '<f4' : '<f8');
  if (descr !== '<f8' && descr !== '<f4') throw new InvalidArgumentError(`writeTensor: dtype must be '<f8' or '<f4', got '${String(descr)}'`);
  const version = options.version;
  if (version !== undefined && version !== 1 && version !== 2 && version !== 3) {
    throw new InvalidArgumentError(`writeTensor: version must be 1, 2 or 3, got ${String(version)}`);
  }
  const fortran = options.fortranOrder ?? (tensor.isContiguous('F') && !tensor.isContiguous('C'));
  if (typeof fortran !== 'boolean') throw new InvalidArgumentError(`writeTensor: fortranOrder must be true or false, got ${String(fortran)}`);
  return { header: encodeHeader(descr, fortran, tensor.shape, version), descr, fortran, count: tensor.size };
}

/**
 * @internal The data of `tensor` in the file's element order and type, as chunks of at most
 * about `chunk` elements: subarrays of the tensor's own storage when it already has that
 * layout and dtype (no copy), else slabs copied into one reused buffer by the strided
 * copier (bulk runs, or a blocked transpose when the order changes). Each chunk must be
 * consumed before the next is asked for.
 */
export function* tensorChunks(tensor: Tensor, p: TensorWritePlan, chunk: number): Generator<FloatArray> {
  const dtype: DType = p.descr === '<f8' ? 'float64' : 'float32';
  // Element order of the file as a C-order walk of a view: the tensor itself, or its axes reversed.
  const view = p.fortran ? tensor.permute([...tensor.shape.keys()].reverse()) : tensor;
  const n = view.size;
  if (n === 0) return;
  if (view.isContiguous('C') && tensor.dtype === dtype && LITTLE_ENDIAN_HOST) {
    for (let k = 0; k < n; k += chunk) yield view.data.subarray(view.offset + k, view.offset + Math.min(n, k + chunk));
    return;
  }
  // Slabs: the innermost axes whose product fits a chunk stay whole; the next axis out is
  // taken `group` indices at a time; the axes outside it are walked one index at a time.
  const shape = view.shape;
  const d = shape.length;
  let k = d;
  let inner = 1;
  while (k > 0 && inner * shape[k - 1]! <= chunk) inner *= shape[--k]!;
  const buf = allocFloat(dtype, Math.min(n, chunk), () => `a ${Math.min(n, chunk)}-element write buffer`);
  if (k === 0) {
    copyToC(view.data, view.offset, shape, view.strides, buf, 0);
    yield buf.subarray(0, n);
    return;
  }
  // Axis k-1 is split into groups of `group` indices (inner <= chunk, so a group fills at most a chunk).
  const axis = k - 1;
  const group = Math.max(1, Math.floor(chunk / inner));
  const outer = shape.slice(0, axis);
  const idx = new Array<number>(outer.length).fill(0);
  const innerShape = shape.slice(k);
  const innerStrides = view.strides.slice(k);
  for (;;) {
    let base = view.offset;
    for (let a = 0; a < outer.length; a++) base += idx[a]! * view.strides[a]!;
    for (let g0 = 0; g0 < shape[axis]!; g0 += group) {
      const g = Math.min(group, shape[axis]! - g0);
      copyToC(view.data, base + g0 * view.strides[axis]!, [g, ...innerShape], [view.strides[axis]!, ...innerStrides], buf, 0);
      yield buf.subarray(0, g * inner);
    }
    let a = outer.length - 1;
    for (; a >= 0; a--) {
      if (++idx[a]! < outer[a]!) break;
      idx[a] = 0;
    }
    if (a < 0) return;
  }
}

/**
 * The complete `.npy` file for `tensor`, as `np.save` writes it: numpy's header (data
 * aligned to 64 bytes), the elements little-endian, in Fortran order when `fortranOrder`
 * (by default when the tensor is F- and not C-contiguous).
 * @throws InvalidArgumentError for bad options; OutOfMemoryError when the file does not
 *   fit in one byte array (`writeTensor` streams it to a file instead).
 */
export function encodeNpyTensor(tensor: Tensor, options: NpyTensorWriteOptions = {}): Uint8Array {
  const p = planTensor(tensor, options);
  const size = p.descr === '<f8' ? 8 : 4;
  const bytes = p.header.length + p.count * size;
  const out = allocating(() => `the .npy encoding of a ${tensor.shape.join(' x ')} tensor (writeTensor streams it to a file instead)`, bytes, 1, () => new Uint8Array(bytes));
  out.set(p.header, 0);
  // The header length is a multiple of 64, so the data view is aligned.
  const view = size === 8 ? new Float64Array(out.buffer, p.header.length, p.count) : new Float32Array(out.buffer, p.header.length, p.count);
  // Straight into the file's bytes: a bulk copy, or one blocked transpose for the other order.
  const v = p.fortran ? tensor.permute([...tensor.shape.keys()].reverse()) : tensor;
  copyToC(v.data, v.offset, v.shape, v.strides, view, 0);
  if (!LITTLE_ENDIAN_HOST) swapBytes(new Uint8Array(out.buffer, p.header.length, p.count * size), size);
  return out;
}

/** @internal The bytes of a chunk for a file: little-endian, copied first on a big-endian host (never swapping the tensor's own storage). */
export function chunkBytes(part: FloatArray): Uint8Array {
  return asBytes(LITTLE_ENDIAN_HOST ? part : part.slice());
}
