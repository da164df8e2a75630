/**
 * safetensors (Hugging Face's tensor file format) without a file system, so browsers get it
 * too: decoding a whole file held in memory ({@link decodeSafetensors}), reading a `File` or
 * `Blob` one tensor at a time ({@link openSafetensorsBlob}), encoding to bytes
 * ({@link encodeSafetensors}), and the bridge to lowrank's matrices ({@link tensorToMatrix}).
 * The Node functions (`readSafetensors`, `openSafetensors`, `writeSafetensors`) are in
 * safetensors.ts and use the same reader and writer.
 *
 * The format, and what is checked, are described in safetensors-header.ts; the dtypes and
 * their conversions in safetensors-dtypes.ts.
 */
import { InvalidArgumentError, ShapeError, UnsupportedError } from '../errors.js';
import { allocFloat, type DType } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { allocating } from '../matrix/memory.js';
import {
  byteLengthOf,
  decodeFloatsInto,
  decodeValues,
  dtypeBits,
  encodeValues,
  isSafetensorsDtype,
  SAFETENSORS_DTYPES,
  SAFETENSORS_WRITABLE_DTYPES,
  type SafetensorsDtype,
  type TensorValues,
} from './safetensors-dtypes.js';
import { encodeHeader, parseHeader, readHeaderLength, type PlannedTensor, type SafetensorsTensorInfo } from './safetensors-header.js';

export { SAFETENSORS_DTYPES, SAFETENSORS_FLOAT_DTYPES, SAFETENSORS_WRITABLE_DTYPES } from './safetensors-dtypes.js';
export type { SafetensorsDtype, TensorValues } from './safetensors-dtypes.js';
export { SAFETENSORS_MAX_HEADER_BYTES } from './safetensors-header.js';
export type { SafetensorsTensorInfo } from './safetensors-header.js';

/** One decoded tensor. */
export interface SafetensorsTensor {
  /** Its name in the file. */
  readonly name: string;
  /** Element type as stored (the values are widened: see {@link TensorValues}). */
  readonly dtype: SafetensorsDtype;
  /** Shape, outermost first; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** The values in row-major (C) order: Float32Array for F32/F16/BF16/F8, Float64Array for F64, integer arrays for integers. */
  readonly data: TensorValues;
}

/** A whole file, decoded. */
export interface SafetensorsContents {
  /** `__metadata__` (string -> string), undefined when the file has none. */
  readonly metadata: Readonly<Record<string, string>> | undefined;
  /** The tensors, in the order of their data in the file. */
  readonly tensors: SafetensorsTensor[];
}

/**
 * A safetensors file opened for reading one tensor at a time: the header is read and checked
 * when it opens, and each `read` fetches that tensor's bytes only (a positioned read of a
 * file, a slice of a Blob), so a model of any size is read in pieces no larger than its
 * largest tensor. Made by `openSafetensors(path)` (Node) or {@link openSafetensorsBlob}.
 */
export interface SafetensorsReader {
  /** The path or name the reader was opened with (errors name it). */
  readonly file: string;
  /** Total bytes of the file. */
  readonly byteLength: number;
  /** `__metadata__` (string -> string), undefined when the file has none. */
  readonly metadata: Readonly<Record<string, string>> | undefined;
  /** Every tensor's name, dtype, shape and place, in the order of their data in the file. */
  readonly tensors: readonly SafetensorsTensorInfo[];
  /** Whether the file has a tensor of this name. */
  has(name: string): boolean;
  /**
   * The header entry of one tensor.
   * @throws InvalidArgumentError when the file has no such tensor (the message lists some it has).
   */
  info(name: string): SafetensorsTensorInfo;
  /**
   * Read and decode one tensor.
   * @throws InvalidArgumentError for an unknown name; UnsupportedError for the dtypes lowrank
   *   lists but does not decode (C64, F8_E8M0, F6_*, F4); ParseError when the file ends early.
   */
  read(name: string): Promise<SafetensorsTensor>;
  /** One tensor as a Matrix ({@link tensorToMatrix} of {@link SafetensorsReader.read}). */
  readMatrix(name: string, options?: TensorToMatrixOptions): Promise<Matrix>;
  /**
   * One float tensor (F64, F32, F16, BF16, F8) decoded straight into `out`, a chunk of the
   * file at a time (pieces of at most `chunkBytes`, default 16 MiB, through one reused
   * buffer): the tensor's raw bytes and a second copy of its values never sit in memory.
   * `out` may be a view of the kernels' WASM memory (a buffer reused across layers), so
   * the kernels work on the result in place. Returns a row-major Matrix view of `out`'s
   * first `size` elements, with the tensor's shape or `options.shape` (as {@link tensorToMatrix}).
   * @throws InvalidArgumentError for an unknown name, or `out` shorter than the tensor;
   *   UnsupportedError for a tensor that is not a float type; ShapeError as tensorToMatrix.
   */
  readMatrixInto(name: string, out: Float32Array | Float64Array, options?: ReadMatrixIntoOptions): Promise<Matrix>;
  /** One tensor's raw little-endian bytes, as stored. */
  readBytes(name: string): Promise<Uint8Array>;
  /**
   * One tensor's raw bytes in pieces of at most `chunkBytes` (default 16 MiB), read as they
   * are consumed: for copying a tensor to another file without holding it in memory.
   */
  rawChunks(name: string, chunkBytes?: number): AsyncIterable<Uint8Array>;
  /** Release the file (Node); a no-op for a Blob. The reader must not be used afterwards. */
  close(): Promise<void>;
}

/** Options of {@link SafetensorsReader.readMatrixInto}. */
export interface ReadMatrixIntoOptions {
  /** Read the tensor as this [rows, cols] (row-major; the product must be its size). */
  readonly shape?: readonly [number, number];
  /** Bytes read from the file per piece, >= 1 (default 16 MiB). */
  readonly chunkBytes?: number;
}

/** Raw bytes of a tensor, already in the file's dtype and byte order (copied as they are). */
export interface RawTensorBytes {
  /** The bytes, in one piece or as pieces (sync or async, e.g. another reader's `rawChunks`). */
  readonly raw: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
}

/**
 * The values of one tensor to write: a Matrix (its rows become the outer dimension), a typed
 * or plain array in row-major order, or raw bytes.
 */
export type TensorSource = Matrix | TensorValues | ArrayLike<number | bigint | boolean> | RawTensorBytes;

/**
 * One tensor to write. A decoded {@link SafetensorsTensor} is one, so files can be read,
 * changed and written back. `data` may be a function, called once when the tensor's turn
 * comes: `writeSafetensors` then needs only one tensor's values at a time.
 */
export interface SafetensorsEntry {
  /** The tensor's name (any string except `__metadata__`; unique within the file). */
  readonly name: string;
  /**
   * Element type in the file: F64, F32, F16, BF16 (rounded to nearest even from the values),
   * an integer type or BOOL; any dtype from raw bytes.
   */
  readonly dtype: SafetensorsDtype;
  /** Shape, outermost first; its product must equal the number of values. */
  readonly shape: readonly number[];
  /** The values, or a function returning them (possibly a promise, for `writeSafetensors`). */
  readonly data: TensorSource | (() => TensorSource | Promise<TensorSource>);
}

/** Options of {@link encodeSafetensors} and `writeSafetensors`. */
export interface SafetensorsWriteOptions {
  /** `__metadata__` to store (string -> string); none by default. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Options of {@link decodeSafetensors}. */
export interface DecodeSafetensorsOptions {
  /** Name for error messages; default `<buffer>`. */
  readonly file?: string;
  /** Decode only these tensors (in the file's order); default all. An unknown name is an error. */
  readonly names?: readonly string[];
}

/** Options of {@link tensorToMatrix}. */
export interface TensorToMatrixOptions {
  /**
   * Element type of the Matrix. Default: float64 for F64 and integer tensors, float32 for
   * the other float types (no copy when it matches the decoded values).
   */
  readonly dtype?: DType;
  /**
   * Read the tensor as this [rows, cols] instead (row-major, the product must equal its size):
   * e.g. a conv kernel (out, in, kh, kw) as [out, in * kh * kw].
   */
  readonly shape?: readonly [number, number];
}

// ------------------------------------------------------------------------------ reading

/** Where a reader's bytes come from. */
export interface ByteSource {
  /** Total length in bytes. */
  readonly size: number;
  /** The bytes in [position, position + length); a fresh buffer when `owned`. */
  read(position: number, length: number): Promise<Uint8Array>;
  /** `read` returns buffers the caller may keep (values are then wrapped without a copy). */
  readonly owned: boolean;
  /**
   * Optional: fill `target` with the bytes at [position, position + target.length), so a
   * caller can reuse one buffer for many reads (a file handle reads into it directly).
   */
  readInto?(position: number, target: Uint8Array): Promise<void>;
  /** Release the source. */
  close(): Promise<void>;
}

/** Default piece size of {@link SafetensorsReader.rawChunks}. */
const RAW_CHUNK = 16 * 2 ** 20;

/**
 * Open a safetensors file over any byte source (a file handle, a Blob, memory): read the
 * 8-byte length and the header, check them against the source's size, and return the
 * {@link SafetensorsReader}. The source is closed if the header is bad.
 */
export async function openSource(source: ByteSource, file: string): Promise<SafetensorsReader> {
  let header;
  try {
    const first = await source.read(0, Math.min(8, source.size));
    const n = readHeaderLength(first, source.size, file);
    header = parseHeader(await source.read(8, n), source.size, file);
  } catch (e) {
    await source.close();
    throw e;
  }
  const { metadata, tensors } = header;
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const info = (name: string): SafetensorsTensorInfo => {
    const t = byName.get(name);
    if (t === undefined) throw new InvalidArgumentError(`${file}: no tensor named '${name}' (${describeNames(tensors)})`);
    return t;
  };
  const read = async (name: string): Promise<SafetensorsTensor> => {
    const t = info(name);
    const bytes = await source.read(t.byteOffset, t.byteLength);
    return { name, dtype: t.dtype, shape: t.shape, data: decodeValues(bytes, t.dtype, t.size, source.owned, `${file}: tensor '${name}'`) };
  };
  return {
    file,
    byteLength: source.size,
    metadata,
    tensors,
    has: (name) => byName.has(name),
    info,
    read,
    readMatrix: async (name, options) => tensorToMatrix(await read(name), options),
    readMatrixInto: async (name, out, options = {}) => {
      const t = info(name);
      const what = `${file}: tensor '${name}'`;
      const chunkBytes = options.chunkBytes ?? RAW_CHUNK;
      if (!(Number.isSafeInteger(chunkBytes) && chunkBytes >= 1)) throw new InvalidArgumentError(`readMatrixInto: chunkBytes must be an integer >= 1, got ${chunkBytes}`);
      if (!(out instanceof Float32Array || out instanceof Float64Array)) throw new InvalidArgumentError('readMatrixInto: out must be a Float32Array or Float64Array');
      if (out.length < t.size) throw new InvalidArgumentError(`readMatrixInto: ${what} has ${t.size} values, out holds ${out.length}`);
      const bytesPer = dtypeBits(t.dtype) / 8;
      if (!(Number.isInteger(bytesPer) && bytesPer >= 1)) throw new UnsupportedError(`${what}: dtype ${t.dtype} is not a float type lowrank decodes into a matrix`);
      // Whole elements per piece; one scratch buffer for every piece.
      const perPiece = Math.max(1, Math.floor(chunkBytes / bytesPer));
      const scratch = source.readInto ? new Uint8Array(Math.min(t.byteLength, perPiece * bytesPer)) : undefined;
      for (let k = 0; k < t.size; k += perPiece) {
        const count = Math.min(perPiece, t.size - k);
        const position = t.byteOffset + k * bytesPer;
        let piece: Uint8Array;
        if (scratch) {
          piece = scratch.subarray(0, count * bytesPer);
          await source.readInto!(position, piece);
        } else {
          piece = await source.read(position, count * bytesPer);
        }
        decodeFloatsInto(piece, t.dtype, count, out, k, what);
      }
      return tensorToMatrix({ name, dtype: t.dtype, shape: t.shape, data: out.subarray(0, t.size) }, { shape: options.shape });
    },
    readBytes: async (name) => {
      const t = info(name);
      const bytes = await source.read(t.byteOffset, t.byteLength);
      return source.owned ? bytes : new Uint8Array(bytes);
    },
    rawChunks: (name, chunkBytes = RAW_CHUNK) => {
      const t = info(name);
      if (!(Number.isSafeInteger(chunkBytes) && chunkBytes >= 1)) throw new InvalidArgumentError(`rawChunks: chunkBytes must be an integer >= 1, got ${chunkBytes}`);
      return (async function* () {
        for (let at = 0; at < t.byteLength; at += chunkBytes) yield await source.read(t.byteOffset + at, Math.min(chunkBytes, t.byteLength - at));
      })();
    },
    close: () => source.close(),
  };
}

/** "it has 3 tensors: a, b, c" (the first ten). */
function describeNames(tensors: readonly SafetensorsTensorInfo[]): string {
  if (tensors.length === 0) return 'it has no tensors';
  const shown = tensors.slice(0, 10).map((t) => `'${t.name}'`).join(', ');
  return `it has ${tensors.length} tensor${tensors.length === 1 ? '' : 's'}: ${shown}${tensors.length > 10 ? ', ...' : ''}`;
}

/** A byte source over bytes in memory. */
function memorySource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, owned: false, read: async (p, n) => bytes.subarray(p, p + n), close: async () => {} };
}

/**
 * Parse and decode a whole safetensors file held in memory (an `ArrayBuffer` from `fetch`,
 * a Node Buffer, any byte view). The values are copies: the result does not share memory
 * with `bytes`.
 * @throws ParseError naming `options.file` (default `<buffer>`) and the tensor at fault when
 *   the bytes are not a valid safetensors file (see safetensors-header.ts for every check);
 *   UnsupportedError for a tensor of a dtype lowrank does not decode (C64, F8_E8M0, F6_*,
 *   F4: leave it out with `names`); InvalidArgumentError for a name in `names` the file lacks.
 * @example
 * const { tensors } = decodeSafetensors(await (await fetch(url)).arrayBuffer());
 * const W = tensorToMatrix(tensors.find((t) => t.name === 'fc1.weight')!);
 */
export function decodeSafetensors(bytes: Uint8Array | ArrayBuffer, options: DecodeSafetensorsOptions = {}): SafetensorsContents {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const file = options.file ?? '<buffer>';
  const n = readHeaderLength(b.subarray(0, 8), b.length, file);
  const { metadata, tensors } = parseHeader(b.subarray(8, 8 + n), b.length, file);
  let chosen = tensors;
  if (options.names !== undefined) {
    const want = new Set(options.names);
    const have = new Set(tensors.map((t) => t.name));
    const missing = [...want].filter((name) => !have.has(name));
    if (missing.length > 0) throw new InvalidArgumentError(`${file}: no tensor named ${missing.map((m) => `'${m}'`).join(', ')} (${describeNames(tensors)})`);
    chosen = tensors.filter((t) => want.has(t.name));
  }
  return {
    metadata,
    tensors: chosen.map((t) => ({
      name: t.name,
      dtype: t.dtype,
      shape: t.shape,
      data: decodeValues(b.subarray(t.byteOffset, t.byteOffset + t.byteLength), t.dtype, t.size, false, `${file}: tensor '${t.name}'`),
    })),
  };
}

/** Options of {@link openSafetensorsBlob}. */
export interface OpenSafetensorsBlobOptions {
  /** Name for error messages; default the File's name, else `<blob>`. */
  readonly file?: string;
}

/**
 * Open a `File` (from an `<input type="file">` or a drop) or any `Blob` for reading one
 * tensor at a time: only the header is read now, each tensor when asked for (a
 * `blob.slice(...).arrayBuffer()`), so a browser can inspect a model larger than its memory.
 * @throws ParseError when the header is invalid (naming the file and tensor).
 * @example
 * const st = await openSafetensorsBlob(input.files[0]);
 * for (const t of st.tensors) console.log(t.name, t.dtype, t.shape);
 * const W = await st.readMatrix('fc1.weight');
 */
export function openSafetensorsBlob(blob: Blob, options: OpenSafetensorsBlobOptions = {}): Promise<SafetensorsReader> {
  const blobName = (blob as unknown as { name?: unknown }).name;
  const file = options.file ?? (typeof blobName === 'string' && blobName !== '' ? blobName : '<blob>');
  const source: ByteSource = {
    size: blob.size,
    owned: true,
    read: async (p, n) => {
      const bytes = new Uint8Array(await blob.slice(p, p + n).arrayBuffer());
      if (bytes.length !== n) throw new InvalidArgumentError(`${file}: expected ${n} bytes at ${p}, the blob gave ${bytes.length} (was it changed while reading?)`);
      return bytes;
    },
    close: async () => {},
  };
  return openSource(source, file);
}

/**
 * A {@link SafetensorsReader} over a file held in memory (the lazy interface of
 * {@link openSafetensorsBlob} without a Blob); values are copies, as {@link decodeSafetensors}'.
 */
export function openSafetensorsBytes(bytes: Uint8Array | ArrayBuffer, file = '<buffer>'): Promise<SafetensorsReader> {
  return openSource(memorySource(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)), file);
}

/**
 * A tensor as a {@link Matrix}: shape (m, n) becomes m x n, (n,) an n x 1 column, a scalar
 * 1 x 1; other shapes need `options.shape`. Float32 and float64 values of the requested
 * dtype are wrapped, not copied (the Matrix is a row-major view sharing the tensor's data);
 * other values are converted into a new array (64-bit integers beyond 2^53 rounded).
 * @throws ShapeError for a tensor of 3 or more dimensions without `options.shape`, or a
 *   `shape` whose product is not the tensor's size.
 * @example
 * const W = tensorToMatrix(tensor); // out x in for a Linear layer's weight
 */
export function tensorToMatrix(tensor: Pick<SafetensorsTensor, 'name' | 'dtype' | 'shape' | 'data'>, options: TensorToMatrixOptions = {}): Matrix {
  const { name, shape, data } = tensor;
  let rows: number;
  let cols: number;
  if (options.shape !== undefined) {
    [rows, cols] = options.shape;
    const size = shape.reduce((a, b) => a * b, 1);
    if (!(Number.isSafeInteger(rows) && Number.isSafeInteger(cols) && rows >= 0 && cols >= 0 && rows * cols === size)) {
      throw new ShapeError(`tensorToMatrix: tensor '${name}' has shape [${shape.join(', ')}] (${size} values); shape [${options.shape.join(', ')}] does not hold them`);
    }
  } else if (shape.length <= 2) {
    rows = shape.length === 0 ? 1 : shape[0]!;
    cols = shape.length === 2 ? shape[1]! : 1;
  } else {
    throw new ShapeError(`tensorToMatrix: tensor '${name}' has ${shape.length} dimensions [${shape.join(', ')}]; give options.shape, e.g. [${shape[0]}, ${shape.slice(1).reduce((a, b) => a * b, 1)}]`);
  }
  if (data.length !== rows * cols) throw new ShapeError(`tensorToMatrix: tensor '${name}' has ${data.length} values for shape [${shape.join(', ')}]`);
  const dtype = options.dtype ?? (data instanceof Float32Array ? 'float32' : 'float64');
  let values: Float32Array | Float64Array;
  if ((dtype === 'float32' && data instanceof Float32Array) || (dtype === 'float64' && data instanceof Float64Array)) {
    values = data;
  } else {
    values = allocFloat(dtype, data.length, () => `tensor '${name}' as a ${rows} x ${cols} ${dtype} matrix`);
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) for (let i = 0; i < data.length; i++) values[i] = Number(data[i]);
    else values.set(data);
  }
  // Row-major storage: element (i, j) at i * cols + j.
  return new Matrix(values, rows, cols, 0, Math.max(1, cols), 1);
}

// ------------------------------------------------------------------------------ writing

/** A checked write: the header bytes and the entries in data order with their sizes. */
export interface WritePlan {
  /** The 8-byte length and the padded JSON header. */
  readonly header: Uint8Array;
  /** The entries in the order their data is written, with the bytes each must produce. */
  readonly entries: readonly { readonly entry: SafetensorsEntry; readonly bytes: number }[];
  /** Bytes of the whole file. */
  readonly total: number;
}

/**
 * Check the entries and metadata, order the tensors (largest element first, stably, so every
 * tensor's data is aligned to its element size, as the reference writer does) and encode the
 * header.
 * @throws InvalidArgumentError for a bad entry (name, dtype, shape) or metadata.
 */
export function planWrite(entries: readonly SafetensorsEntry[], options: SafetensorsWriteOptions, routine: string): WritePlan {
  if (!Array.isArray(entries)) throw new InvalidArgumentError(`${routine}: expected an array of tensors { name, dtype, shape, data }`);
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`${routine}: options must be an object such as { metadata }`);
  for (const key of Object.keys(options)) if (key !== 'metadata') throw new InvalidArgumentError(`${routine}: unknown option '${key}' (known: metadata)`);
  const { metadata } = options;
  if (metadata !== undefined) {
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw new InvalidArgumentError(`${routine}: metadata must be an object of strings`);
    for (const [k, v] of Object.entries(metadata)) if (typeof v !== 'string') throw new InvalidArgumentError(`${routine}: metadata '${k}' must be a string, got ${typeof v}`);
  }
  const seen = new Set<string>();
  const checked = entries.map((e, i) => {
    if (typeof e !== 'object' || e === null) throw new InvalidArgumentError(`${routine}: tensor ${i} must be an object { name, dtype, shape, data }`);
    const { name, dtype, shape } = e;
    if (typeof name !== 'string') throw new InvalidArgumentError(`${routine}: tensor ${i} needs a string name, got ${typeof name}`);
    if (name === '__metadata__') throw new InvalidArgumentError(`${routine}: '__metadata__' is reserved for the metadata; a tensor cannot have that name`);
    if (seen.has(name)) throw new InvalidArgumentError(`${routine}: two tensors are named '${name}'`);
    seen.add(name);
    if (!isSafetensorsDtype(dtype)) throw new InvalidArgumentError(`${routine}: tensor '${name}': dtype must be one of ${SAFETENSORS_DTYPES.join(', ')}, got ${String(dtype)}`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new InvalidArgumentError(`${routine}: tensor '${name}': shape must be an array of integers >= 0, got ${String(shape)}`);
    const size = shape.reduce((a: number, b: number) => a * b, 1);
    const bytes = byteLengthOf(dtype, size);
    if (bytes === undefined) throw new InvalidArgumentError(`${routine}: tensor '${name}': shape [${shape.join(', ')}] of ${dtype} is not a whole number of bytes`);
    if (e.data === undefined || e.data === null) throw new InvalidArgumentError(`${routine}: tensor '${name}' has no data`);
    return { entry: e, bytes };
  });
  const order = checked
    .map((c, i) => ({ ...c, i }))
    .sort((a, b) => dtypeBits(b.entry.dtype) - dtypeBits(a.entry.dtype) || a.i - b.i);
  const planned: PlannedTensor[] = [];
  let at = 0;
  for (const { entry, bytes } of order) {
    planned.push({ name: entry.name, dtype: entry.dtype, shape: entry.shape.slice(), begin: at, end: at + bytes });
    at += bytes;
  }
  const header = encodeHeader(planned, metadata);
  return { header, entries: order.map(({ entry, bytes }) => ({ entry, bytes })), total: header.length + at };
}

/** Values per encoded chunk (4 MiB of float32). */
const CHUNK = 1 << 20;

function isRaw(s: unknown): s is RawTensorBytes {
  return typeof s === 'object' && s !== null && !(s instanceof Matrix) && !ArrayBuffer.isView(s) && 'raw' in s;
}

/**
 * The encoded bytes of one entry's resolved source, in pieces (sync). Raw async pieces are
 * not handled here (see `entryChunksAsync`). A piece may be a view of a buffer reused for the
 * next one: consume each before asking for the next.
 * @throws ShapeError when the values do not match the shape; InvalidArgumentError /
 *   UnsupportedError from encoding.
 */
export function* sourceChunks(entry: SafetensorsEntry, source: TensorSource, bytes: number, routine: string): Generator<Uint8Array> {
  const { name, dtype, shape } = entry;
  const size = shape.reduce((a, b) => a * b, 1);
  if (isRaw(source)) {
    const raw = source.raw;
    const pieces = raw instanceof Uint8Array ? [raw] : raw;
    if (!(Symbol.iterator in Object(pieces))) throw new InvalidArgumentError(`${routine}: tensor '${name}': raw bytes come from an async source; write with writeSafetensors`);
    let got = 0;
    for (const p of pieces as Iterable<Uint8Array>) {
      if (!(p instanceof Uint8Array)) throw new InvalidArgumentError(`${routine}: tensor '${name}': raw pieces must be Uint8Arrays`);
      got += p.length;
      if (got > bytes) break;
      yield p;
    }
    if (got !== bytes) throw new ShapeError(`${routine}: tensor '${name}': shape [${shape.join(', ')}] of ${dtype} is ${bytes} bytes, the raw data has ${got > bytes ? 'more' : got}`);
    return;
  }
  if (!(SAFETENSORS_WRITABLE_DTYPES as readonly string[]).includes(dtype)) {
    throw new UnsupportedError(`${routine}: tensor '${name}': lowrank writes ${dtype} only from raw bytes ({ raw: Uint8Array }), not from values`);
  }
  const at = (k: number) => (i: number) => `${routine}: tensor '${name}' value ${k + i}`;
  if (source instanceof Matrix) {
    const { rows: m, cols: n } = source;
    const fits = shape.length === 2 ? shape[0] === m && shape[1] === n : shape.length === 1 ? (m === 1 || n === 1) && shape[0] === m * n : m === 1 && n === 1;
    if (!fits) throw new ShapeError(`${routine}: tensor '${name}': a ${m} x ${n} Matrix does not have shape [${shape.join(', ')}]`);
    if (m * n === 0) return;
    // Row-major order, a block of rows at a time.
    const perChunk = Math.max(1, Math.floor(CHUNK / n));
    const buf = allocFloat(source.dtype, Math.min(m, perChunk) * n);
    const { data, offset, rowStride: rs, colStride: cs } = source;
    for (let i0 = 0; i0 < m; i0 += perChunk) {
      const i1 = Math.min(m, i0 + perChunk);
      let t = 0;
      for (let i = i0; i < i1; i++) {
        const base = offset + i * rs;
        for (let j = 0; j < n; j++) buf[t++] = data[base + j * cs]!;
      }
      yield encodeValues(buf.subarray(0, t), dtype, at(i0 * n));
    }
    return;
  }
  if (typeof source !== 'object' || source === null || typeof (source as ArrayLike<unknown>).length !== 'number') {
    throw new InvalidArgumentError(`${routine}: tensor '${name}': data must be a Matrix, an array of values or { raw: bytes }, got ${source === null ? 'null' : typeof source}`);
  }
  const values = source as ArrayLike<number | bigint | boolean>;
  if (values.length !== size) throw new ShapeError(`${routine}: tensor '${name}': shape [${shape.join(', ')}] needs ${size} values, the data has ${values.length}`);
  const typed = ArrayBuffer.isView(values);
  for (let k = 0; k < size; k += CHUNK) {
    const end = Math.min(size, k + CHUNK);
    const piece = typed ? (values as unknown as TensorValues).subarray(k, end) : Array.prototype.slice.call(values, k, end);
    yield encodeValues(piece as ArrayLike<number | bigint | boolean>, dtype, at(k));
  }
}

/** Call a lazy entry's function, once. */
export function resolveData(entry: SafetensorsEntry): TensorSource | Promise<TensorSource> {
  return typeof entry.data === 'function' ? entry.data() : entry.data;
}

/**
 * A complete safetensors file in memory: the header (with `metadata`, padded so the data is
 * 8-byte aligned) and every tensor's bytes, largest element type first. Floats are rounded
 * to the entry's dtype (F16 / BF16 round to nearest even). For large files use
 * `writeSafetensors` (Node), which streams.
 * @throws InvalidArgumentError for a bad entry, metadata, a value an integer dtype cannot
 *   hold, or lazy data that returns a promise; ShapeError when values do not fit a shape;
 *   OutOfMemoryError when the file does not fit in one byte array.
 * @example
 * const bytes = encodeSafetensors([{ name: 'w', dtype: 'BF16', shape: [2, 2], data: Matrix.from([[1, 2], [3, 4]]) }]);
 */
export function encodeSafetensors(entries: readonly SafetensorsEntry[], options: SafetensorsWriteOptions = {}): Uint8Array {
  const routine = 'encodeSafetensors';
  const plan = planWrite(entries, options, routine);
  const out = allocating(() => `a ${plan.total}-byte safetensors file (writeSafetensors streams it to a file instead)`, plan.total, 1, () => new Uint8Array(plan.total));
  out.set(plan.header, 0);
  let at = plan.header.length;
  for (const { entry, bytes } of plan.entries) {
    const source = resolveData(entry);
    if (source instanceof Promise) throw new InvalidArgumentError(`${routine}: tensor '${entry.name}': its data function returned a promise; use writeSafetensors for asynchronous sources`);
    for (const piece of sourceChunks(entry, source, bytes, routine)) {
      out.set(piece, at);
      at += piece.length;
    }
  }
  return out;
}
