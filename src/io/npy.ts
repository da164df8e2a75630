/**
 * numpy `.npy` files on disk (Node): reading with positioned reads straight into the
 * destination, so a Fortran-order `<f8` file costs one allocation and no copy, and
 * streamed writing. The format itself (header checks, decoding, encoding) is in
 * npy-codec.ts, which browsers use directly; its in-memory functions are re-exported here.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { ParseError } from '../errors.js';
import { allocFloat } from '../matrix/dtype.js';
import type { Matrix } from '../matrix/matrix.js';
import { allocating } from '../matrix/memory.js';
import { asBytes, decode, fill, plan, toArray, type NpyArray, type NpyReadOptions, type NpyWriteOptions, type WritePlan } from './npy-codec.js';
import { readHeader, readPreamble, type NpyHeader } from './npy-header.js';
import { checkReadOptions, chunkBytes, decodeTensor, planTensor, tensorChunks, type NpyTensorReadOptions, type NpyTensorWriteOptions, type TensorWritePlan } from './npy-tensor.js';
import { writeChunks, writeChunksSync, type Chunk } from './write-chunks.js';
import type { Tensor } from '../tensor/tensor.js';

export { parseNpy, encodeNpy, encodeNpyIndices } from './npy-codec.js';
export type { NpyArray, NpyReadOptions, NpyWriteOptions } from './npy-codec.js';
export { parseNpyTensor, encodeNpyTensor } from './npy-tensor.js';
export type { NpyTensorReadOptions, NpyTensorWriteOptions } from './npy-tensor.js';

/** Elements per chunk when streaming data to a file (4 MiB of float64). */
const WRITE_CHUNK = 1 << 19;
/** Largest single read; `fs.read` takes at most 2^31 - 1 bytes at a time. */
const READ_CHUNK = 1 << 30;

/** Read a `.npy` file synchronously. Errors as {@link parseNpy}, naming the path. */
export function readNpySync(path: string, options: NpyReadOptions = {}): NpyArray {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const read = (pos: number, len: number): Uint8Array => readExactSync(fd, pos, len, path);
    const pre = readPreamble(read(0, Math.min(12, size)), size, path, options.maxHeaderSize);
    const header = readHeader(read(pre.headerStart, pre.headerLength), pre, size, path, options.allowTrailing);
    const data = read(header.dataOffset, header.dataBytes);
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
    const read = (pos: number, len: number): Promise<Uint8Array> => readExact(handle, pos, len, path);
    const pre = readPreamble(await read(0, Math.min(12, size)), size, path, options.maxHeaderSize);
    const header = readHeader(await read(pre.headerStart, pre.headerLength), pre, size, path, options.allowTrailing);
    const data = await read(header.dataOffset, header.dataBytes);
    return toArray(header, decode(data, header, options.dtype, true));
  } finally {
    await handle.close();
  }
}

// The data is read in one buffer of the size the header declares, which readHeader has
// already checked against the file's length; a file larger than a typed array or the
// machine's memory is refused with the size instead of the engine's RangeError.
function buffer(len: number, path: string): Uint8Array {
  return allocating(() => `${path}: ${len} bytes of data`, len, 1, () => new Uint8Array(len));
}

/**
 * The validated header of a `.npy` file (shape, dtype, order, and where the data is),
 * reading no data: a command can judge the shape before reading anything of that size.
 * The declared data size is checked against the file's length, as {@link readNpy} does.
 * @throws ParseError / UnsupportedError as {@link parseNpy}.
 */
export async function readNpyHeader(path: string, options: Pick<NpyReadOptions, 'maxHeaderSize' | 'allowTrailing'> = {}): Promise<NpyHeader> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const read = (pos: number, len: number): Promise<Uint8Array> => readExact(handle, pos, len, path);
    const pre = readPreamble(await read(0, Math.min(12, size)), size, path, options.maxHeaderSize);
    return readHeader(await read(pre.headerStart, pre.headerLength), pre, size, path, options.allowTrailing);
  } finally {
    await handle.close();
  }
}

// A file can shrink between fstat and read; a short read is then reported like truncation.
function readExactSync(fd: number, pos: number, len: number, path: string): Uint8Array {
  const out = buffer(len, path);
  for (let got = 0; got < len; ) {
    const n = readSync(fd, out, got, Math.min(READ_CHUNK, len - got), pos + got);
    if (n === 0) throw new ParseError(path, { byteOffset: pos + got }, `file ended while reading (${len - got} more bytes expected)`);
    got += n;
  }
  return out;
}

async function readExact(handle: FileHandle, pos: number, len: number, path: string): Promise<Uint8Array> {
  const out = buffer(len, path);
  for (let got = 0; got < len; ) {
    const { bytesRead } = await handle.read(out, got, Math.min(READ_CHUNK, len - got), pos + got);
    if (bytesRead === 0) throw new ParseError(path, { byteOffset: pos + got }, `file ended while reading (${len - got} more bytes expected)`);
    got += bytesRead;
  }
  return out;
}

function* chunks(matrix: Matrix, p: WritePlan): Generator<Chunk> {
  yield p.header;
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
    const read = (pos: number, len: number): Uint8Array => readExactSync(fd, pos, len, path);
    const pre = readPreamble(read(0, Math.min(12, size)), size, path, options.maxHeaderSize);
    const header = readHeader(read(pre.headerStart, pre.headerLength), pre, size, path, options.allowTrailing, true);
    return decodeTensor(read(header.dataOffset, header.dataBytes), header, options, true);
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
    const read = (pos: number, len: number): Promise<Uint8Array> => readExact(handle, pos, len, path);
    const pre = readPreamble(await read(0, Math.min(12, size)), size, path, options.maxHeaderSize);
    const header = readHeader(await read(pre.headerStart, pre.headerLength), pre, size, path, options.allowTrailing, true);
    return decodeTensor(await read(header.dataOffset, header.dataBytes), header, options, true);
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
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const read = (pos: number, len: number): Promise<Uint8Array> => readExact(handle, pos, len, path);
    const pre = readPreamble(await read(0, Math.min(12, size)), size, path, options.maxHeaderSize);
    return readHeader(await read(pre.headerStart, pre.headerLength), pre, size, path, options.allowTrailing, true);
  } finally {
    await handle.close();
  }
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
