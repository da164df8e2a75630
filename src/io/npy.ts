/**
 * numpy `.npy` files on disk (Node): reading with positioned reads straight into the
 * destination, so a Fortran-order `<f8` file costs one allocation and no copy, and
 * streamed writing. The format itself (header checks, decoding, encoding) is in
 * npy-codec.ts, which browsers use directly; its in-memory functions are re-exported here.
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { allocFloat, type DType, type FloatArray } from '../matrix/dtype.js';
import { Matrix } from '../matrix/matrix.js';
import { LITTLE_ENDIAN_HOST } from './bytes.js';
import { asBytes, decode, fill, floatView, npyDefaultDtype, npyMatrixShape, plan, rowsToColumns, toArray, type NpyArray, type NpyReadOptions, type NpyWriteOptions, type WritePlan } from './npy-codec.js';
import { dataBuffer, readInto, readIntoSync, readNpyFileHeader, readOpenHeader, readOpenHeaderSync, readPieces, type Pieces } from './npy-file.js';
export { scanNpyData } from './npy-file.js';
import type { NpyHeader } from './npy-header.js';
import { checkReadOptions, chunkBytes, decodeTensor, planTensor, tensorChunks, type NpyTensorReadOptions, type NpyTensorWriteOptions, type TensorWritePlan } from './npy-tensor.js';
import { writeChunks, writeChunksSync, type Chunk } from './write-chunks.js';
import type { Tensor } from '../tensor/tensor.js';

export { parseNpy, encodeNpy, encodeNpyIndices } from './npy-codec.js';
export type { NpyArray, NpyReadOptions, NpyWriteOptions } from './npy-codec.js';
export { parseNpyTensor, encodeNpyTensor } from './npy-tensor.js';
export type { NpyTensorReadOptions, NpyTensorWriteOptions } from './npy-tensor.js';

/** Elements per chunk when streaming data to a file (4 MiB of float64). */
const WRITE_CHUNK = 1 << 19;
/**
 * Bytes per read when the data is transposed or converted on its way in (1 MiB: small
 * enough to stay in the L2 cache while it is used, large enough that a read costs little).
 */
const STREAM_CHUNK = 1 << 20;

/** Read a `.npy` file synchronously. Errors as {@link parseNpy}, naming the path. */
export function readNpySync(path: string, options: NpyReadOptions = {}): NpyArray {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const header = readOpenHeaderSync(fd, size, path, options);
    const streamed = streamedDecode(header, options.dtype);
    if (streamed !== undefined) {
      readPiecesSync(streamed.pieces, fd, path);
      return toArray(header, streamed.matrix);
    }
    const data = readExactSync(fd, header.dataOffset, header.dataBytes, path);
    return toArray(header, decode(data, header, options.dtype, true));
  } finally {
    closeSync(fd);
  }
}

/** Read a `.npy` file. Errors as {@link parseNpy}, naming the path. */
export async function readNpy(path: string, options: NpyReadOptions = {}): Promise<NpyArray> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const header = await readOpenHeader(handle, size, path, options);
    const streamed = streamedDecode(header, options.dtype);
    if (streamed !== undefined) {
      await readPieces(streamed.pieces, handle, path);
      return toArray(header, streamed.matrix);
    }
    const data = await readExact(handle, header.dataOffset, header.dataBytes, path);
    return toArray(header, decode(data, header, options.dtype, true));
  } finally {
    await handle.close();
  }
}

/**
 * The validated header of a `.npy` file (shape, dtype, order, and where the data is),
 * reading no data: a command can judge the shape before reading anything of that size.
 * The declared data size is checked against the file's length, as {@link readNpy} does.
 * @throws ParseError / UnsupportedError as {@link parseNpy}.
 */
export async function readNpyHeader(path: string, options: Pick<NpyReadOptions, 'maxHeaderSize' | 'allowTrailing'> = {}): Promise<NpyHeader> {
  return readNpyFileHeader(path, options);
}

// The data is read in one buffer of the size the header declares, which readHeader has
// already checked against the file's length (dataBuffer refuses a size beyond a typed array
// or the machine's memory with the size, not the engine's RangeError). A file can shrink
// between fstat and read; a short read is then reported like truncation.
function readExactSync(fd: number, pos: number, len: number, path: string): Uint8Array {
  const out = dataBuffer(len, path);
  readIntoSync(fd, out, pos, path);
  return out;
}

async function readExact(handle: FileHandle, pos: number, len: number, path: string): Promise<Uint8Array> {
  const out = dataBuffer(len, path);
  await readInto(handle, out, pos, path);
  return out;
}

/** Read every piece synchronously through one buffer. */
function readPiecesSync(p: Pieces, fd: number, path: string): void {
  const buf = dataBuffer(p.bytes, path);
  for (let k = 0; k < p.count; k++) {
    const into = buf.subarray(0, p.len(k));
    readIntoSync(fd, into, p.pos(k), path);
    p.use(k, into);
  }
}

/**
 * Float data (`<f8`, `<f4`) that must be transposed (a C-order matrix) or converted (another
 * dtype requested), read in 1 MiB pieces straight into the matrix: a panel of whole rows at
 * a time, transposed in cache blocks, or a run of elements converted by one typed-array
 * copy. Reading the whole file first would cost a second array of the file's size, and on
 * Linux the first touch of fresh memory (a page fault every 4 KiB) costs about as much as
 * the copy itself. Undefined, having allocated nothing, for other files (other dtypes, or
 * a file already in the matrix's layout, which is read in place).
 */
function streamedDecode(header: NpyHeader, requested: DType | undefined): { matrix: Matrix; pieces: Pieces } | undefined {
  const { type, shape, count, dataOffset } = header;
  if (!LITTLE_ENDIAN_HOST || type.kind !== 'f' || (type.size !== 8 && type.size !== 4) || count === 0) return undefined;
  const [rows, cols] = npyMatrixShape(header);
  const dtype = requested ?? npyDefaultDtype(header);
  const transpose = shape.length === 2 && !header.fortranOrder && rows > 1 && cols > 1;
  if (!transpose && (type.size === 8) === (dtype === 'float64')) return undefined;
  const out = allocFloat(dtype, count, () => `a ${rows} x ${cols} ${dtype} matrix`);
  const matrix = new Matrix(out, rows, cols);
  const size = type.size;
  if (!transpose) {
    const per = Math.min(count, STREAM_CHUNK / size);
    const len = (k: number): number => Math.min(per, count - k * per) * size;
    return { matrix, pieces: { count: Math.ceil(count / per), bytes: per * size, pos: (k) => dataOffset + k * per * size, len, use: (k, b) => out.set(floatView(b, size), k * per) } };
  }
  const rowBytes = cols * size;
  const per = Math.max(1, Math.min(rows, Math.floor(STREAM_CHUNK / rowBytes)));
  return {
    matrix,
    pieces: {
      count: Math.ceil(rows / per),
      bytes: per * rowBytes,
      pos: (k) => dataOffset + k * per * rowBytes,
      len: (k) => Math.min(per, rows - k * per) * rowBytes,
      use: (k, b) => rowsToColumns(floatView(b, size), cols, b.length / rowBytes, cols, out, rows, k * per),
    },
  };
}

function* chunks(matrix: Matrix, p: WritePlan): Generator<Chunk> {
  yield p.header;
  if (LITTLE_ENDIAN_HOST && p.order === 'F' && matrix.isContiguous && (p.descr === '<f8') === (matrix.dtype === 'float64')) {
    // Already the file's bytes: written from the matrix's own storage, no copy.
    const { data, offset } = matrix;
    for (let k0 = 0; k0 < p.count; k0 += WRITE_CHUNK) yield asBytes(data.subarray(offset + k0, offset + Math.min(p.count, k0 + WRITE_CHUNK)));
    return;
  }
  const buf = allocFloat(p.descr === '<f8' ? 'float64' : 'float32', Math.min(WRITE_CHUNK, p.count));
  for (let k0 = 0; k0 < p.count; k0 += WRITE_CHUNK) {
    const part = buf.subarray(0, Math.min(WRITE_CHUNK, p.count - k0));
    fill(matrix, p.order, part, k0);
    yield asBytes(part);
  }
}

/** Write `matrix` to a `.npy` file (see {@link encodeNpy}), streaming 4 MiB at a time. */
export async function writeNpy(path: string, matrix: Matrix, options: NpyWriteOptions = {}): Promise<void> {
  await writeChunks(path, chunks(matrix, plan(matrix, options)));
}

/** Synchronous {@link writeNpy}. */
export function writeNpySync(path: string, matrix: Matrix, options: NpyWriteOptions = {}): void {
  writeChunksSync(path, chunks(matrix, plan(matrix, options)));
}

// ------------------------------------------------------------------------------ n-d files

/**
 * Read an `.npy` file of any number of dimensions synchronously, as `np.load` does: the
 * shape as stored (a 0-d file as `[1]`), C or Fortran strides as the file's order (unless
 * `order` asks for one), float32 for `<f4`/`<f2` data and float64 for the rest (unless
 * `dtype` asks for one). The data is read straight into the tensor's storage: a
 * little-endian float file of the requested dtype and order costs one allocation and no copy.
 * @throws ParseError naming the path and byte offset for a malformed file, and for a shape
 *   whose size does not match the file's length (found before anything of that size is
 *   allocated); UnsupportedError for dtypes a tensor cannot hold (complex, object, string,
 *   structured, datetime, big-endian); InvalidArgumentError for bad options.
 * @example
 * const T = readTensorSync('video.npy');   // e.g. shape [120, 64, 64, 3]
 */
export function readTensorSync(path: string, options: NpyTensorReadOptions = {}): Tensor {
  checkReadOptions(options);
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const header = readOpenHeaderSync(fd, size, path, { ...options, anyRank: true });
    return decodeTensor(readExactSync(fd, header.dataOffset, header.dataBytes, path), header, options, true);
  } finally {
    closeSync(fd);
  }
}

/** Read an `.npy` file of any number of dimensions; see {@link readTensorSync}. */
export async function readTensor(path: string, options: NpyTensorReadOptions = {}): Promise<Tensor> {
  checkReadOptions(options);
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const header = await readOpenHeader(handle, size, path, { ...options, anyRank: true });
    return decodeTensor(await readExact(handle, header.dataOffset, header.dataBytes, path), header, options, true);
  } finally {
    await handle.close();
  }
}

/**
 * The validated header of an `.npy` file of any number of dimensions (shape as stored,
 * dtype, order, where the data is), reading no data; the declared size is checked against
 * the file's length, as {@link readTensor} does.
 * @throws ParseError / UnsupportedError as {@link readTensor}.
 */
export async function readTensorHeader(path: string, options: Pick<NpyTensorReadOptions, 'maxHeaderSize' | 'allowTrailing'> = {}): Promise<NpyHeader> {
  return readNpyFileHeader(path, { ...options, anyRank: true });
}

function* tensorFileChunks(tensor: Tensor, p: TensorWritePlan): Generator<Chunk> {
  yield p.header;
  for (const part of tensorChunks(tensor, p, WRITE_CHUNK)) yield chunkBytes(part);
}

/**
 * Write `tensor` to an `.npy` file as `np.save` would (numpy reads it back with `np.load`):
 * `<f8` or `<f4`, Fortran order when the tensor is F- and not C-contiguous unless
 * `fortranOrder` says otherwise. Atomic (a temporary file renamed into place) and streamed
 * 4 MiB at a time: a tensor already in the file's layout is written from its own storage,
 * others are copied slab by slab.
 * @throws InvalidArgumentError for bad options; file system errors as thrown by Node.
 */
export async function writeTensor(path: string, tensor: Tensor, options: NpyTensorWriteOptions = {}): Promise<void> {
  await writeChunks(path, tensorFileChunks(tensor, planTensor(tensor, options)));
}

/** Synchronous {@link writeTensor}. */
export function writeTensorSync(path: string, tensor: Tensor, options: NpyTensorWriteOptions = {}): void {
  writeChunksSync(path, tensorFileChunks(tensor, planTensor(tensor, options)));
}
