/**
 * `.npy` to `.npy` without a matrix in between: what `lowrank convert A.npy B.npy` runs.
 * The output keeps the source's element order, as numpy's `np.save(B, np.load(A))` does: a
 * C-order matrix stays C order (its header says so), a Fortran-order one Fortran order; the
 * element type becomes `<f8` (or `<f4`), the shape 2-D (a 1-D array of n elements n x 1,
 * a 0-D one 1 x 1). The data goes from the source to the atomic destination in pieces of
 * about a megabyte, copied as they are when the element type is kept, else converted by
 * one typed-array copy per piece, so the process never holds the file.
 *
 * It once wrote every matrix in Fortran order, as writeNpy writes a matrix: a C-order
 * source was then transposed in column panels read from the source up to 8 times, 1.5x
 * numpy's whole process for a 32 MiB file; holding the whole matrix instead costs an array
 * of the file's size, whose first touch (a page fault every 4 KiB) takes as long as the
 * copy itself on Linux.
 * @internal
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { DType } from '../matrix/dtype.js';
import { allocating } from '../matrix/memory.js';
import { LITTLE_ENDIAN_HOST, swapBytes } from './bytes.js';
import { floatView, needsWidening, typedView, widenInto } from './npy-codec.js';
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

/** Bytes per read of the source (and per written piece). */
const PIECE = 1 << 20;

type Floats = Float64Array | Float32Array;

/**
 * Copy the `.npy` file `input` to `output` as a 2-D `<f8` (or `<f4`) file holding the same
 * matrix as `readNpy(input).matrix`, in the source's element order, without holding the
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
    // A C-order 2-D source keeps C order; 0-D and 1-D sources become one column, whose
    // element order is the same either way (written as Fortran order, as writeNpy does).
    const fortranOrder = header.shape.length !== 2 || header.fortranOrder;
    const head = encodeHeader(dtype === 'float64' ? '<f8' : '<f4', fortranOrder, [rows, cols]);
    await writeChunks(output, withHeader(head, orderedPieces(handle, input, header, outSize)));
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
 * The data in the file's own element order (the output's too): pieces of whole
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
