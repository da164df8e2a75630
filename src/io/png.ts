/**
 * PNG images to and from {@link RasterImage}s, in memory (no file system, so this module
 * also runs in browsers). Decoding is done here on `fflate`'s inflater (see `png-chunks.ts`,
 * `png-inflate.ts` and `png-pixels.ts`), so that the image size is checked before any
 * decompression and the decompressed data can never outgrow the size the header declares;
 * encoding is done by the `fast-png` package (image-js project, MIT, pure JavaScript on
 * `fflate`). PNG's color types map onto the gray / gray + alpha / RGB / RGBA layouts the
 * image models use:
 *
 * - gray and RGB, with or without an alpha channel, at 8 or 16 bits: as stored;
 * - gray at 1, 2 or 4 bits: widened to 8 bits (v * 255 / (2^depth - 1), exact);
 * - palette images: expanded to RGB, or RGBA when the palette has transparency (tRNS);
 * - a tRNS color key on a gray or RGB image (one transparent color) is ignored: the
 *   image is read as opaque; so is a suggested palette (PLTE) of an RGB image.
 *
 * Adam7-interlaced files are read at every bit depth. Text chunks, gamma and ICC profiles
 * are skipped without being decompressed, and samples are written as they were read (no
 * color management).
 */
import { encode } from 'fast-png';
import { InvalidArgumentError, LowrankError, ParseError } from '../errors.js';
import { checkRaster, type CheckedRaster, type RasterImage } from '../models/image/raster.js';
import { describePngHeader as describe, hasPngSignature, pngLayout, readPngChunks, readPngHeader } from './png-chunks.js';
import { inflateImageData } from './png-inflate.js';
import { decodePixels } from './png-pixels.js';

/**
 * Default largest image {@link decodePng} accepts, in pixels: 2^24 = 16,777,216 (4096 x 4096,
 * 16.8 megapixels). Chosen by measurement: on a 2-core machine, a noisy 4096 x 4096 photo
 * decodes in about 2 s as 8-bit RGB (0.7 s gray, 2.5 s RGBA, 4.5 s 16-bit RGBA), while
 * the 2^28 pixels allowed before took 30 s and 2.4 GB even for an all-zero image. Pass
 * `maxPixels` to read larger images.
 */
export const MAX_PNG_PIXELS = 2 ** 24;

/** Largest typed array the decoder allocates (2^31 - 1 bytes, within every JavaScript engine's limit). */
const MAX_BUFFER_BYTES = 2 ** 31 - 1;

/** Options of {@link decodePng} and `readPng`. */
export interface DecodePngOptions {
  /**
   * Largest image accepted, in pixels (width x height); default {@link MAX_PNG_PIXELS}.
   * A larger declared size is refused before anything is decompressed. Any integer >= 1.
   */
  maxPixels?: number;
}

/** Whether `bytes` start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return hasPngSignature(bytes);
}

/**
 * Decode a PNG file's bytes into a {@link RasterImage} (see the module comment for how each
 * color type is mapped): 8-bit images as `Uint8Array`, 16-bit as `Uint16Array`, samples
 * interleaved row by row.
 *
 * Safe on untrusted input: the IHDR header must be the first chunk (as the PNG spec
 * requires) and the declared size is checked against `maxPixels` before any decompression;
 * decompression is then stopped as soon as the data passes the exact size that header
 * implies. Every chunk's CRC is checked.
 * @param bytes - the file's contents.
 * @param name - what to call the input in error messages (a file name); default '<buffer>'.
 * @param options - `maxPixels`: the largest image accepted, default {@link MAX_PNG_PIXELS}
 * (2^24 = 16.8 megapixels: about 2 s for an 8-bit RGB image on a 2-core machine).
 * @throws ParseError naming `name` when the bytes are not a PNG, are truncated or corrupt
 * (bad CRC, bad zlib stream, data shorter or longer than the header implies), break the
 * PNG rules the decoder relies on (IHDR first, known critical chunks, palette present for
 * palette images), or declare an image larger than `maxPixels` ('image too large: W x H =
 * N pixels, limit M').
 * @throws InvalidArgumentError for a `maxPixels` that is not an integer >= 1.
 * @example
 * ```ts
 * const png = encodePng({ width: 2, height: 1, channels: 1, data: new Uint8Array([0, 255]) });
 * decodePng(png).data; // => Uint8Array [0, 255]
 * ```
 */
export function decodePng(bytes: Uint8Array, name = '<buffer>', options: DecodePngOptions = {}): CheckedRaster {
  const maxPixels = options.maxPixels ?? MAX_PNG_PIXELS;
  if (!(Number.isSafeInteger(maxPixels) && maxPixels >= 1)) {
    throw new InvalidArgumentError(`decodePng: maxPixels must be an integer >= 1, got ${String(maxPixels)}`);
  }
  try {
    return decodeChecked(bytes, name, maxPixels);
  } catch (e) {
    if (e instanceof LowrankError) throw e;
    // Anything else (an allocation failure, or a bug) still names the file.
    throw new ParseError(name, {}, `could not decode the PNG: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

function decodeChecked(bytes: Uint8Array, name: string, maxPixels: number): CheckedRaster {
  const header = readPngHeader(bytes, name);
  const { width, height } = header;
  const pixels = width * height;
  if (pixels > maxPixels) {
    throw new ParseError(name, { byteOffset: 16 }, `image too large: ${width} x ${height} = ${pixels} pixels, limit ${maxPixels} (raise maxPixels, or --max-pixels in the CLI, to read it)`);
  }
  const layout = pngLayout(header);
  // Up to 4 output samples of up to 2 bytes per pixel (a palette index becomes RGBA).
  const decodedBytes = pixels * Math.max(layout.storedChannels, header.colorType === 3 ? 4 : 1) * (header.bitDepth === 16 ? 2 : 1);
  if (layout.inflatedBytes > MAX_BUFFER_BYTES || decodedBytes > MAX_BUFFER_BYTES) {
    throw new ParseError(name, { byteOffset: 16 }, `image too large: ${width} x ${height} ${describe(header)} needs ${Math.max(decodedBytes, layout.inflatedBytes)} bytes in one array, more than the ${MAX_BUFFER_BYTES} the decoder allocates`);
  }
  const chunks = readPngChunks(bytes, header, name);
  const data = inflateImageData(chunks.idat, layout.inflatedBytes, name, `${width} x ${height} ${describe(header)}`);
  const palette = chunks.palette ? { rgb: chunks.palette, alpha: chunks.paletteAlpha } : undefined;
  const { channels, depth, data: samples } = decodePixels(data, header, layout, palette, name);
  return checked({ width, height, channels, depth, data: samples }, name);
}

function checked(image: RasterImage, name: string): CheckedRaster {
  try {
    return checkRaster(image, 'decoded PNG');
  } catch (e) {
    throw new ParseError(name, {}, e instanceof Error ? e.message : String(e), { cause: e });
  }
}

/** Options of {@link encodePng}. */
export interface EncodePngOptions {
  /** zlib compression level 0 (store) to 9 (smallest); default 6. */
  level?: number;
}

/**
 * Encode a {@link RasterImage} as PNG bytes: color type from the channel count (gray,
 * gray + alpha, RGB, RGBA), bit depth 8 or 16 as the image's, no interlacing.
 * @throws InvalidArgumentError for an invalid image (a negative or fractional size, a channel
 *   count outside 1..4, a data length or array type that does not match) or level.
 */
export function encodePng(image: RasterImage, options: EncodePngOptions = {}): Uint8Array {
  const img = checkRaster(image, 'encodePng');
  const level = options.level ?? 6;
  if (!(Number.isInteger(level) && level >= 0 && level <= 9)) throw new InvalidArgumentError(`encodePng: level must be an integer in [0, 9], got ${String(level)}`);
  // fast-png takes 8-bit samples as Uint8Array (a canvas's Uint8ClampedArray is viewed as one, not copied).
  const data = img.data instanceof Uint8ClampedArray ? new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.length) : img.data;
  return encode({ width: img.width, height: img.height, channels: img.channels, depth: img.depth, data }, { zlib: { level: level as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 } });
}
