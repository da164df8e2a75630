/**
 * safetensors files on disk (Node): {@link openSafetensors} reads the header and then one
 * tensor at a time with positioned reads (a 5 GB model never sits in memory whole),
 * {@link readSafetensors} decodes a whole (small) file, and {@link writeSafetensors} streams
 * a file out tensor by tensor through the atomic writer (temporary name, fsync, rename).
 * The format itself (checks, dtypes, encoding) is in safetensors-codec.ts, which browsers use
 * directly.
 */
import { open } from 'node:fs/promises';
import { ParseError, ShapeError } from '../errors.js';
import { allocating } from '../matrix/memory.js';
import {
  openSource,
  planWrite,
  resolveData,
  sourceChunks,
  type ByteSource,
  type SafetensorsContents,
  type SafetensorsEntry,
  type SafetensorsReader,
  type SafetensorsWriteOptions,
  type TensorSource,
} from './safetensors-codec.js';
import { writeChunks, type Chunk } from './write-chunks.js';

/** Largest single read; `fs.read` takes at most 2^31 - 1 bytes at a time. */
const READ_CHUNK = 1 << 30;

/** Options of {@link readSafetensors}. */
export interface ReadSafetensorsOptions {
  /** Read only these tensors (in the file's order); default all. An unknown name is an error. */
  readonly names?: readonly string[];
}

/**
 * Open a safetensors file: read and check its header (every check of safetensors-header.ts,
 * against the file's size), keep the file open, and read tensors on demand, each with
 * positioned reads of exactly its bytes. Close it with `close()` when done.
 * @throws ParseError naming the path (and the tensor at fault) for an invalid file; the file
 *   system's error (ENOENT, EACCES, ...) when it cannot be opened.
 * @example
 * const st = await openSafetensors('model.safetensors');
 * try {
 *   for (const t of st.tensors) if (t.shape.length === 2) console.log(t.name, (await st.readMatrix(t.name)).shape);
 * } finally {
 *   await st.close();
 * }
 */
export async function openSafetensors(path: string): Promise<SafetensorsReader> {
  const handle = await open(path, 'r');
  let size: number;
  try {
    size = (await handle.stat()).size;
  } catch (e) {
    await handle.close();
    throw e;
  }
  let closed = false;
  const source: ByteSource = {
    size,
    owned: true,
    read: async (position, length) => {
      const out = allocating(() => `${path}: ${length} bytes of data`, length, 1, () => new Uint8Array(length));
      for (let got = 0; got < length; ) {
        const { bytesRead } = await handle.read(out, got, Math.min(READ_CHUNK, length - got), position + got);
        // The file shrank after it was opened: report it like truncation.
        if (bytesRead === 0) throw new ParseError(path, { byteOffset: position + got }, `file ended while reading (${length - got} more bytes expected)`);
        got += bytesRead;
      }
      return out;
    },
    readInto: async (position, out) => {
      const length = out.length;
      for (let got = 0; got < length; ) {
        const { bytesRead } = await handle.read(out, got, Math.min(READ_CHUNK, length - got), position + got);
        if (bytesRead === 0) throw new ParseError(path, { byteOffset: position + got }, `file ended while reading (${length - got} more bytes expected)`);
        got += bytesRead;
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
  return openSource(source, path);
}

/**
 * Read and decode a whole safetensors file (or the tensors named in `options.names`), one
 * tensor at a time. For models larger than memory use {@link openSafetensors}.
 * @throws as {@link openSafetensors}; UnsupportedError for a tensor of a dtype lowrank does
 *   not decode (C64, F8_E8M0, F6_*, F4: leave it out with `names`); InvalidArgumentError for
 *   a name the file lacks.
 * @example
 * const { metadata, tensors } = await readSafetensors('mlp.safetensors');
 */
export async function readSafetensors(path: string, options: ReadSafetensorsOptions = {}): Promise<SafetensorsContents> {
  const st = await openSafetensors(path);
  try {
    const names = options.names ?? st.tensors.map((t) => t.name);
    for (const name of names) st.info(name); // unknown names fail before anything is read
    const wanted = new Set(names);
    const tensors = [];
    for (const t of st.tensors) if (wanted.has(t.name)) tensors.push(await st.read(t.name));
    return { metadata: st.metadata, tensors };
  } finally {
    await st.close();
  }
}

/**
 * Write a safetensors file atomically (a temporary file in the same folder, flushed and
 * renamed over `path`), streaming it: the header first, then each tensor's bytes a few MiB
 * at a time. An entry's `data` may be a function (sync or async), called when that tensor's
 * turn comes, and raw bytes may come as an async iterable (another file's
 * `reader.rawChunks(name)`), so a model can be rewritten holding one tensor at a time.
 *
 * Tensors are stored largest element type first (stable otherwise), so each is aligned to
 * its element size, and the header is padded to 8 bytes, as the reference writer does;
 * Python's `safetensors` reads the result. F16 and BF16 are rounded to nearest even from
 * the values; a BF16 or F16 tensor read by lowrank (widened to float32) writes back
 * bit for bit.
 * @throws InvalidArgumentError for a bad entry or metadata (before anything is written);
 *   ShapeError when a tensor's values do not match its shape; the file system's error. On
 *   any error the destination is left as it was.
 * @example
 * await writeSafetensors('small.safetensors', [
 *   { name: 'fc.lowrank_A', dtype: 'F32', shape: [A.rows, A.cols], data: A },
 *   { name: 'fc.bias', dtype: 'F32', shape: [10], data: bias },
 * ], { metadata: { format: 'pt' } });
 */
export async function writeSafetensors(path: string, entries: readonly SafetensorsEntry[], options: SafetensorsWriteOptions = {}): Promise<void> {
  const routine = 'writeSafetensors';
  const plan = planWrite(entries, options, routine);
  async function* chunks(): AsyncGenerator<Chunk> {
    yield plan.header;
    for (const { entry, bytes } of plan.entries) {
      const source: TensorSource = await resolveData(entry);
      const raw = typeof source === 'object' && source !== null && 'raw' in source ? source.raw : undefined;
      if (raw !== undefined && !(raw instanceof Uint8Array) && Symbol.asyncIterator in Object(raw)) {
        // Pieces from an async source: counted here, as sourceChunks counts sync ones.
        let got = 0;
        for await (const piece of raw as AsyncIterable<Uint8Array>) {
          got += piece.length;
          if (got > bytes) break;
          yield piece;
        }
        if (got !== bytes) {
          throw new ShapeError(`${routine}: tensor '${entry.name}': shape [${entry.shape.join(', ')}] of ${entry.dtype} is ${bytes} bytes, the raw data has ${got > bytes ? 'more' : got}`);
        }
        continue;
      }
      yield* sourceChunks(entry, source, bytes, routine);
    }
  }
  await writeChunks(path, chunks());
}
