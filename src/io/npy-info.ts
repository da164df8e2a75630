/**
 * `lowrank info`'s summary of a float `.npy` file whose statistics are streamed from its
 * bytes (see {@link inspectFile}), and the synchronous {@link inspectNpySync} behind the
 * command's fast path: kept apart from inspect.ts, which loads the other formats' readers
 * on demand, so the fast path's bundle holds only the header parser and the statistics.
 * @internal
 */
import { closeSync, fstatSync, openSync } from 'node:fs';
import type { DType } from '../matrix/dtype.js';
import { LITTLE_ENDIAN_HOST } from './bytes.js';
import type { FileFormat } from './format-name.js';
import type { FileInfo } from './inspect.js';
import { readIntoSync, readOpenHeaderSync, SCAN_CHUNK } from './npy-file.js';
import { npyDefaultDtype, npyMatrixShape, type NpyHeader } from './npy-header.js';
import { StatsAccumulator, statsBuffer, type ValueStats } from './stats.js';

/**
 * Whether the statistics of the file whose header is `h` are streamed from its bytes: a
 * little-endian float file (f4 or f8) read as its own dtype. Other files are read as matrices.
 */
export function streamsStats(h: NpyHeader, requested: DType | undefined): boolean {
  const { kind, size } = h.type;
  if (!LITTLE_ENDIAN_HOST || kind !== 'f' || (size !== 8 && size !== 4)) return false;
  return requested === undefined || requested === npyDefaultDtype(h); // else values rounded first
}

/** Add the values of `b`, whole `size`-byte floats aligned for a typed view, to `acc`. */
export function addFloatBytes(acc: StatsAccumulator, b: Uint8Array, size: number): void {
  acc.addArray(size === 8 ? new Float64Array(b.buffer, b.byteOffset, b.length / 8) : new Float32Array(b.buffer, b.byteOffset, b.length / 4));
}

/** The FileInfo of an npy file whose statistics were streamed (see {@link streamsStats}). */
export function streamedNpyInfo(base: InfoBase, h: NpyHeader, dtype: DType, streamed: ValueStats): FileInfo {
  const { version, fortranOrder } = h;
  const descr = h.type.descr;
  const order = `${fortranOrder ? 'Fortran' : 'C'} order`;
  if (h.shape.length > 2) {
    const info = finishInfo(base, h.shape[0]!, h.shape.slice(1).reduce((a, b) => a * b, 1), dtype, `npy ${version}.0, ${descr}, ${order}`, streamed);
    info.shape = [...h.shape];
    info.npy = { version, descr, fortranOrder, shape: [...h.shape] };
    return info;
  }
  const [rows, cols] = npyMatrixShape(h);
  const layout = h.shape.length === 2 ? order : `${h.shape.length}-D`;
  const info = finishInfo(base, rows, cols, dtype, `npy ${version}.0, ${descr}, ${layout}`, streamed);
  info.npy = { version, descr, fortranOrder, shape: h.shape };
  return info;
}

/** The fields every FileInfo starts with, in the order `lowrank info --json` prints them. */
export interface InfoBase {
  path: string;
  format: FileFormat;
  bytes: number;
}

export function finishInfo(base: InfoBase, rows: number, cols: number, dtype: DType, storage: string, s: ValueStats): FileInfo {
  const { count, ...rest } = s;
  return { ...base, rows, cols, dtype, storage, ...rest, density: count > 0 ? s.nonzeros / count : 0 };
}

/**
 * {@link inspectFile} of a little-endian float `.npy` file (f4 or f8, any shape), read
 * synchronously in pieces of 256 KiB into one reused buffer: what `lowrank info A.npy` runs
 * without the command-line machinery (src/cli/commands/info-fast.ts). Undefined for any
 * other `.npy` file, which {@link inspectFile} reads as a matrix or tensor. The result is
 * the one {@link inspectFile} gives (same header checks, same statistics bit for bit).
 * @throws as {@link inspectFile}.
 * @internal
 */
export function inspectNpySync(path: string, options: { maxHeaderSize?: number } = {}): FileInfo | undefined {
  const fd = openSync(path, 'r');
  try {
    const bytes = fstatSync(fd).size;
    const h = readOpenHeaderSync(fd, bytes, path, { maxHeaderSize: options.maxHeaderSize, anyRank: true });
    if (!streamsStats(h, undefined)) return undefined;
    const acc = new StatsAccumulator();
    const size = h.type.size;
    // The pieces of inspectFile's streamed read (the statistics merge per piece: the same
    // pieces give the same bits), read into the scan's own memory and summarized there.
    const per = Math.min(h.dataBytes, SCAN_CHUNK - (SCAN_CHUNK % size));
    const buf = statsBuffer(per);
    for (let done = 0; done < h.dataBytes; done += per) {
      const piece = buf.subarray(0, Math.min(per, h.dataBytes - done));
      readIntoSync(fd, piece, h.dataOffset + done, path);
      addFloatBytes(acc, piece, size);
    }
    return streamedNpyInfo({ path, format: 'npy', bytes }, h, npyDefaultDtype(h), acc.result());
  } finally {
    closeSync(fd);
  }
}
