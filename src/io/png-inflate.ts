/**
 * Inflating a PNG's image data (the zlib stream split across its IDAT chunks) with a hard
 * bound on the output. The inflater is `fflate`'s streaming `Unzlib` (pure JavaScript, so
 * this stays browser-safe; it is the inflater `fast-png` itself uses). It is fed the
 * compressed data in steps small enough that it cannot run far past the size the IHDR
 * header implies, and is stopped as soon as its output would pass that size, so a file
 * whose data inflates to more than its declared image (a decompression bomb) costs at most
 * one step of work past that size.
 */
import { Unzlib } from 'fflate';
import { ParseError } from '../errors.js';

/**
 * Deflate expands at most 1032:1 (a 258-byte match coded in 2 bits), so feeding the
 * inflater `(bytes still expected) / 1032` compressed bytes at a time can never carry it
 * past the expected size. Steps are kept within [4 KB, 64 KB]: smaller ones would be slow
 * (each makes fflate allocate and copy its 32 KB window afresh), larger ones would let one
 * step of a highly compressible image allocate hundreds of megabytes at once (fflate grows
 * its output by doubling, then copies it out). So the inflater produces at most about
 * 66 MB per step, and at most one minimum step's worth, about 4 MB, beyond the expected
 * size before it is stopped.
 */
const MAX_DEFLATE_RATIO = 1032;
const MIN_STEP_BYTES = 4096;
const MAX_STEP_BYTES = 65536;

/** Thrown from the output callback to stop the inflater; never escapes this module. */
class OutputOverflow extends Error {}

/**
 * Inflate the concatenated `chunks` (one zlib stream) into exactly `expected` bytes.
 * @param what - the image's description for messages, e.g. '640 x 480 RGB'.
 * @throws ParseError naming `name` when the stream is corrupt or cut short, inflates to
 * fewer bytes than `expected`, or would inflate to more (it is stopped there).
 */
export function inflateImageData(chunks: readonly Uint8Array[], expected: number, name: string, what: string): Uint8Array {
  const out = new Uint8Array(expected);
  let filled = 0;
  const inflater = new Unzlib((data) => {
    if (data.length > expected - filled) throw new OutputOverflow();
    out.set(data, filled);
    filled += data.length;
  });
  try {
    for (const chunk of chunks) {
      for (let i = 0; i < chunk.length; ) {
        const step = Math.min(MAX_STEP_BYTES, Math.max(MIN_STEP_BYTES, Math.floor((expected - filled) / MAX_DEFLATE_RATIO)));
        inflater.push(chunk.subarray(i, i + step), false);
        i += step;
      }
    }
    inflater.push(new Uint8Array(0), true);
  } catch (e) {
    if (e instanceof OutputOverflow) {
      throw new ParseError(name, {}, `corrupt PNG: the compressed image data inflates to more than the ${expected} bytes a ${what} image holds (decompression stopped there)`);
    }
    throw new ParseError(name, {}, zlibProblem(e, filled, expected), { cause: e });
  }
  if (filled < expected) {
    throw new ParseError(name, {}, `corrupt PNG: the compressed image data inflates to ${filled} bytes, but a ${what} image needs ${expected}`);
  }
  return out;
}

/** Words for an error fflate threw (its `code` 0 is "unexpected EOF": the stream stops mid-way). */
function zlibProblem(e: unknown, filled: number, expected: number): string {
  const code = (e as { code?: unknown } | null)?.code;
  const text = e instanceof Error ? e.message : String(e);
  if (code === 0) return `the compressed image data stops after ${filled} of ${expected} bytes (zlib: ${text}); the file is truncated or corrupt`;
  return `corrupt PNG: the compressed image data is not a valid zlib stream (zlib: ${text})`;
}

