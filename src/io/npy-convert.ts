/**
 * `.npy` to `.npy` without a matrix in between: what `lowrank convert A.npy B.npy` runs.
 * The output is byte for byte what reading the file as a matrix and writing it with
 * `writeNpy` gives (numpy's header for a 2-D Fortran-order `<f8` or `<f4` array, the
 * elements in column-major order), but the data goes from the source to the atomic
 * destination in pieces of about a megabyte, so the process never holds the file:
 *
 * - element order kept (a Fortran-order file, a 0-D or 1-D array, a single row or column):
 *   each piece is copied as it is when the element type is kept, or converted by one
 *   typed-array copy;
 * - a C-order m x n matrix: its columns are written a panel at a time (at most 8 panels
 *   of max(4 MiB of columns, ceil(n / 8) columns)), each gathered from the source rows read
 *   a megabyte at a time and transposed 8 rows at a time into the panel.
 *
 * Holding the whole matrix cost an array of the file's size, whose first touch (a page
 * fault every 4 KiB) takes about as long as the copy itself on Linux; a panel costs about
 * an eighth of that (4 MiB for small files), for reading the source up to 8 times from the
 * page cache.
 * @internal
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { DType } from '../matrix/dtype.js';
import { allocating } from '../matrix/memory.js';
import { LITTLE_ENDIAN_HOST, swapBytes } from './bytes.js';
import { floatView, needsWidening, rowsToColumns, typedView, widenInto } from './npy-codec.js';
import { readInto, readOpenHeader } from './npy-file.js';
import { encodeHeader, npyDefaultDtype, npyMatrixShape, type NpyElementType, type NpyHeader } from './npy-header.js';
import { writeChunks, type Chunk } from './write-chunks.js';

/** Options of {@link convertNpyFile}. */
export interface NpyConvertOptions {
  /** Element type of the output; default as the file reads (float32 for `<f4`/`<f2`, else float64). */
  dtype?: DType;
}

/** What {@link convertNpyFile} wrote. */
export interface NpyConvertResult {
  /** The source's validated header. */
  header: NpyHeader;
  /** The matrix shape written (a 1-D array of n elements is n x 1, a 0-D one 1 x 1). */
  rows: number;
  cols: number;
  /** Element type written: float64 (`<f8`) or float32 (`<f4`). */
  dtype: DType;
}

/** Bytes per read of the source (and per written piece when the order is kept). */
const PIECE = 1 << 20;
/** Smallest column panel of a transposed write. */
const MIN_PANEL = 1 << 22;
/** Most passes over a C-order source (the panel grows to n / MAX_PASSES columns beyond that). */
const MAX_PASSES = 8;

type Floats = Float64Array | Float32Array;

/**
 * Copy the `.npy` file `input` to `output` as the 2-D Fortran-order `<f8` (or `<f4`) file
 * `writeNpy(output, readNpy(input).matrix, { dtype })` would write, without holding the
 * data: see the module comment. The destination is written atomically (write-chunks.ts),
 * so a file found short while reading leaves no destination behind.
 * @throws ParseError / UnsupportedError as `readNpy` (checked before the destination is
 *   opened, except a file that shrinks while it is read); file system errors as Node's.
 */
export async function convertNpyFile(input: string, output: string, options: NpyConvertOptions = {}): Promise<NpyConvertResult> {
  const handle = await open(input, 'r');
  try {
    const header = await readOpenHeader(handle, (await handle.stat()).size, input);
    const [rows, cols] = npyMatrixShape(header);
    const dtype = options.dtype ?? npyDefaultDtype(header);
    const outSize = dtype === 'float64' ? 8 : 4;
    const head = encodeHeader(dtype === 'float64' ? '<f8' : '<f4', true, [rows, cols]);
    // The same rule as the matrix reader: only a C-order matrix with more than one row and
    // column is stored in another element order than column-major.
    const transpose = header.shape.length === 2 && !header.fortranOrder && rows > 1 && cols > 1;
    const body = transpose ? transposedPieces(handle, input, header, rows, cols, outSize) : orderedPieces(handle, input, header, outSize);
    await writeChunks(output, withHeader(head, body));
    return { header, rows, cols, dtype };
  } finally {
    await handle.close();
  }
}

async function* withHeader(head: Uint8Array, body: AsyncIterable<Uint8Array>): AsyncGenerator<Chunk> {
  yield head;
  yield* body;
}

function bytesFor(len: number, what: string): Uint8Array {
  return allocating(() => `${len} bytes for ${what}`, len, 1, () => new Uint8Array(len));
}

/** The output's bytes (little-endian; swapped in place on a big-endian host). */
function fileBytes(a: Floats): Uint8Array {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (!LITTLE_ENDIAN_HOST) swapBytes(b, a.BYTES_PER_ELEMENT);
  return b;
}

/**
 * The elements of `bytes` (whole elements of `type`, host order) as numbers: a typed view
 * where reading an element gives its value, else (bool, half, 64-bit integers) converted
 * once into `scratch`, as the matrix reader does (any nonzero byte is 1; 64-bit integers
 * round to the nearest double).
 */
function numbers(bytes: Uint8Array, type: NpyElementType, scratch: () => Float64Array): ArrayLike<number> {
  const n = bytes.length / type.size;
  const view = typedView(bytes, type.kind, type.size, n);
  if (!needsWidening(type.kind, type.size)) return view as ArrayLike<number>;
  return widenInto(view, type.kind, type.size, scratch().subarray(0, n));
}

/** A scratch Float64Array of `n` elements, allocated on first use. */
function lazyScratch(n: number): () => Float64Array {
  let s: Float64Array | undefined;
  return () => (s ??= new Float64Array(n));
}

/**
 * The data in the file's own element order (which is the output's): pieces of whole
 * elements, passed through when the element type is kept (the bytes already are the
 * output's), else converted into a reused output buffer.
 */
async function* orderedPieces(handle: FileHandle, path: string, header: NpyHeader, outSize: 4 | 8): AsyncGenerator<Uint8Array> {
  const { type, count, dataOffset } = header;
  if (count === 0) return;
  const same = type.kind === 'f' && type.size === outSize;
  const per = Math.min(count, Math.floor(PIECE / Math.max(type.size, outSize)));
  const src = bytesFor(per * type.size, `reading ${path}`);
  const out = same ? undefined : floatView(bytesFor(per * outSize, `converting ${path}`), outSize);
  const scratch = lazyScratch(per);
  for (let k0 = 0; k0 < count; k0 += per) {
    const len = Math.min(per, count - k0);
    const piece = src.subarray(0, len * type.size);
    await readInto(handle, piece, dataOffset + k0 * type.size, path);
    if (out === undefined) {
      yield piece;
      continue;
    }
    if (!LITTLE_ENDIAN_HOST && type.size > 1) swapBytes(piece, type.size);
    const dst = out.subarray(0, len);
    dst.set(numbers(piece, type, scratch));
    yield fileBytes(dst);
  }
}

/**
 * A C-order m x n matrix as the column-major output: columns [j0, j0 + w) at a time (a
 * panel), each filled from the source rows read a piece at a time (the run from (i0, j0)
 * to (i1 - 1, j0 + w - 1): whole rows for a one-pass panel, else rows with the columns
 * before and after), then written.
 */
async function* transposedPieces(handle: FileHandle, path: string, header: NpyHeader, m: number, n: number, outSize: 4 | 8): AsyncGenerator<Uint8Array> {
  const { type, dataOffset } = header;
  const size = type.size;
  const colBytes = m * outSize;
  // Columns per panel: 4 MiB worth, or n / 8 (rounded up) if more, so that no source is
  // read more than 8 times.
  const w = Math.min(n, Math.max(Math.ceil(n / MAX_PASSES), Math.floor(MIN_PANEL / colBytes)));
  const panel = floatView(bytesFor(w * colBytes, `a panel of ${path}'s columns`), outSize);
  // Rows per read: a piece's worth of whole rows, at least one.
  const r = Math.max(1, Math.min(m, Math.floor(PIECE / (n * size))));
  const spanMax = ((r - 1) * n + w) * size;
  const src = bytesFor(spanMax, `reading ${path}`);
  const scratch = lazyScratch(spanMax / size);
  for (let j0 = 0; j0 < n; j0 += w) {
    const wj = Math.min(w, n - j0);
    for (let i0 = 0; i0 < m; i0 += r) {
      const ri = Math.min(r, m - i0);
      const span = src.subarray(0, ((ri - 1) * n + wj) * size);
      await readInto(handle, span, dataOffset + (i0 * n + j0) * size, path);
      if (!LITTLE_ENDIAN_HOST && size > 1) swapBytes(span, size);
      rowsToColumns(numbers(span, type, scratch), n, ri, wj, panel, m, i0);
    }
    yield fileBytes(panel.subarray(0, wj * m));
  }
}
