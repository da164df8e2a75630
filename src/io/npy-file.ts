/**
 * Reading `.npy` files from disk (Node), the pieces shared by the readers in npy.ts and the
 * streaming converter in npy-convert.ts: exact positioned reads that report a short file
 * as a ParseError, and the validated header of an open file. Kept apart from npy.ts so that
 * `lowrank convert A.npy B.npy` loads neither the matrix nor the tensor modules.
 * @internal
 */
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { ParseError } from '../errors.js';
import { allocating } from '../matrix/memory.js';
import { readHeader, readPreamble, type NpyHeader } from './npy-header.js';

/** Largest single read; `fs.read` takes at most 2^31 - 1 bytes at a time. */
const READ_CHUNK = 1 << 30;
/**
 * Bytes per piece of {@link scanNpyData} (and of `inspectNpySync`, which must cut the same
 * pieces: the statistics merge per piece): half the L2 cache of common x86 cores, so a piece
 * is still cached when scanned, and the buffer read into stays cached from piece to piece.
 * Reading and summarizing a 32 MiB file synchronously here (2026-12-06, quiet): pieces of
 * 64 KiB 24-25 ms (per-call costs), 256 KiB 17-21 ms, 1 MiB 22-25 ms.
 */
export const SCAN_CHUNK = 1 << 18;

/**
 * Fill all of `out` from the file's bytes at `pos`. A file can shrink between fstat and
 * read; a short read is then reported like truncation, naming the byte offset.
 */
export function readIntoSync(fd: number, out: Uint8Array, pos: number, path: string): void {
  const len = out.length;
  for (let got = 0; got < len; ) {
    const n = readSync(fd, out, got, Math.min(READ_CHUNK, len - got), pos + got);
    if (n === 0) throw new ParseError(path, { byteOffset: pos + got }, `file ended while reading (${len - got} more bytes expected)`);
    got += n;
  }
}

/** {@link readIntoSync} on a FileHandle (the read runs on libuv's thread pool). */
export async function readInto(handle: FileHandle, out: Uint8Array, pos: number, path: string): Promise<void> {
  const len = out.length;
  for (let got = 0; got < len; ) {
    const { bytesRead } = await handle.read(out, got, Math.min(READ_CHUNK, len - got), pos + got);
    if (bytesRead === 0) throw new ParseError(path, { byteOffset: pos + got }, `file ended while reading (${len - got} more bytes expected)`);
    got += bytesRead;
  }
}

/** Options of {@link readOpenHeader}. */
export interface HeaderReadOptions {
  maxHeaderSize?: number;
  allowTrailing?: boolean;
  /** Accept any number of dimensions (the tensor readers); default 0-, 1- and 2-D. */
  anyRank?: boolean;
}

/**
 * The validated header of the open file `fd` of `size` bytes: preamble, header dict, and
 * the declared data size checked against the file's length (readHeader), reading only the
 * header's bytes.
 */
export function readOpenHeaderSync(fd: number, size: number, path: string, options: HeaderReadOptions = {}): NpyHeader {
  const prefix = new Uint8Array(Math.min(12, size));
  readIntoSync(fd, prefix, 0, path);
  const pre = readPreamble(prefix, size, path, options.maxHeaderSize);
  const text = new Uint8Array(pre.headerLength);
  readIntoSync(fd, text, pre.headerStart, path);
  return readHeader(text, pre, size, path, options.allowTrailing, options.anyRank);
}

/** {@link readOpenHeaderSync} on a FileHandle. */
export async function readOpenHeader(handle: FileHandle, size: number, path: string, options: HeaderReadOptions = {}): Promise<NpyHeader> {
  const prefix = new Uint8Array(Math.min(12, size));
  await readInto(handle, prefix, 0, path);
  const pre = readPreamble(prefix, size, path, options.maxHeaderSize);
  const text = new Uint8Array(pre.headerLength);
  await readInto(handle, text, pre.headerStart, path);
  return readHeader(text, pre, size, path, options.allowTrailing, options.anyRank);
}

/**
 * The validated header of the `.npy` file at `path` (opened, read, closed), reading no
 * data; the declared data size is checked against the file's length.
 */
export async function readNpyFileHeader(path: string, options: HeaderReadOptions = {}): Promise<NpyHeader> {
  const handle = await open(path, 'r');
  try {
    return await readOpenHeader(handle, (await handle.stat()).size, path, options);
  } finally {
    await handle.close();
  }
}

/** A read buffer of `len` bytes of `path`'s data; a size beyond the machine's memory is refused with the need named. */
export function dataBuffer(len: number, path: string): Uint8Array {
  return allocating(() => `${path}: ${len} bytes of data`, len, 1, () => new Uint8Array(len));
}

/**
 * A file read in pieces of at most `bytes` bytes: piece k is `len(k)` bytes from file
 * position `pos(k)`, handed to `use(k, bytes)` in order. The bytes are only valid during
 * the call (the buffer is reused).
 */
export interface Pieces {
  count: number;
  bytes: number;
  pos(k: number): number;
  len(k: number): number;
  use(k: number, bytes: Uint8Array): void;
}

/**
 * Read every piece through two buffers: piece k + 1 is read (on libuv's thread pool) while
 * piece k is used on this thread, so the copy out of the page cache and the work on the
 * bytes overlap.
 */
export async function readPieces(p: Pieces, handle: FileHandle, path: string): Promise<void> {
  if (p.count === 0) return;
  const bufs = [dataBuffer(p.bytes, path), p.count > 1 ? dataBuffer(p.bytes, path) : new Uint8Array(0)];
  const start = (k: number): { into: Uint8Array; done: Promise<void> } => {
    const into = bufs[k % 2]!.subarray(0, p.len(k));
    return { into, done: readInto(handle, into, p.pos(k), path) };
  };
  let next = start(0);
  try {
    for (let k = 0; k < p.count; k++) {
      const cur = next;
      await cur.done;
      if (k + 1 < p.count) next = start(k + 1);
      p.use(k, cur.into);
    }
  } finally {
    // An error in use() leaves a read in flight: let it finish before the handle closes.
    await next.done.catch(() => undefined);
  }
}

/**
 * Pass the data of an `.npy` file, whose header `header` is, through `fn` in
 * pieces of at most 256 KiB read into two reused buffers (whole elements, aligned for a typed
 * view of the header's element size): what `lowrank info` needs to summarize a file of any
 * size without holding it.
 */
export async function scanNpyData(path: string, header: NpyHeader, fn: (bytes: Uint8Array) => void): Promise<void> {
  const { dataBytes, dataOffset } = header;
  const size = header.type.size;
  const per = Math.min(dataBytes, Math.max(size, SCAN_CHUNK - (SCAN_CHUNK % size)));
  const handle = await open(path, 'r');
  try {
    if (dataBytes === 0) return;
    const pieces: Pieces = { count: Math.ceil(dataBytes / per), bytes: per, pos: (k) => dataOffset + k * per, len: (k) => Math.min(per, dataBytes - k * per), use: (_, b) => fn(b) };
    await readPieces(pieces, handle, path);
  } finally {
    await handle.close();
  }
}

