/**
 * Reading `.npy` files from disk (Node), the pieces shared by the readers in npy.ts and the
 * streaming converter in npy-convert.ts: exact positioned reads that report a short file
 * as a ParseError, and the validated header of an open file. Kept apart from npy.ts so that
 * `lowrank convert A.npy B.npy` loads neither the matrix nor the tensor modules.
 * @internal
 */
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { ParseError } from '../errors.js';
import { readHeader, readPreamble, type NpyHeader } from './npy-header.js';

/** Largest single read; `fs.read` takes at most 2^31 - 1 bytes at a time. */
const READ_CHUNK = 1 << 30;

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
 * The validated header of the open file `handle` of `size` bytes: preamble, header dict,
 * and the declared data size checked against the file's length (readHeader), reading
 * only the header's bytes.
 */
export async function readOpenHeader(handle: FileHandle, size: number, path: string, options: HeaderReadOptions = {}): Promise<NpyHeader> {
  const prefix = new Uint8Array(Math.min(12, size));
  await readInto(handle, prefix, 0, path);
  const pre = readPreamble(prefix, size, path, options.maxHeaderSize);
  const text = new Uint8Array(pre.headerLength);
  await readInto(handle, text, pre.headerStart, path);
  return readHeader(text, pre, size, path, options.allowTrailing, options.anyRank);
}
