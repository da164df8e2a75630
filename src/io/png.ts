/**
 * PNG images to and from {@link RasterImage}s, in memory (no file system, so this module
 * also runs in browsers). Decoding and encoding (zlib, filters, CRCs, Adam7 interlacing)
 * are done by the `fast-png` package (image-js project, MIT, pure JavaScript on `fflate`);
 * this module maps PNG's color types onto the gray / gray + alpha / RGB / RGBA layouts the
 * image models use:
 *
 * - gray and RGB, with or without an alpha channel, at 8 or 16 bits: as stored;
 * - gray at 1, 2 or 4 bits: widened to 8 bits (v * 255 / (2^depth - 1), exact);
 * - palette images: expanded to RGB, or RGBA when the palette has transparency (tRNS);
 * - a tRNS color key on a gray or RGB image (one transparent color) is ignored: the
 *   image is read as opaque.
 *
 * Text chunks, gamma and ICC profiles are not carried over; samples are written as they
 * were read (no color management).
 */
import { decode, encode } from 'fast-png';
import { InvalidArgumentError, ParseError } from '../errors.js';
import { checkRaster, type CheckedRaster, type RasterImage } from '../models/image.js';

/** The eight bytes every PNG file starts with. */
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Largest accepted image, in pixels (2^28: a 16384 x 16384 picture, up to 2 GB of 16-bit RGBA). */
export const MAX_PNG_PIXELS = 2 ** 28;

/** Whether `bytes` start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Image width and height from the IHDR chunk, read before anything is decoded. */
function headerSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Decode a PNG file's bytes into a {@link RasterImage} (see the module comment for how each
 * color type is mapped): 8-bit images as `Uint8Array`, 16-bit as `Uint16Array`, samples
 * interleaved row by row.
 * @param name - what to call the input in error messages (a file name); default '<buffer>'.
 * @throws ParseError when the bytes are not a PNG, are truncated or corrupt (bad CRC,
 * bad zlib stream), or declare more than {@link MAX_PNG_PIXELS} pixels.
 */
export function decodePng(bytes: Uint8Array, name = '<buffer>'): CheckedRaster {
  if (!isPng(bytes)) throw new ParseError(name, { byteOffset: 0 }, 'not a PNG file (missing the PNG signature)');
  const size = headerSize(bytes);
  if (size && size.width * size.height > MAX_PNG_PIXELS) {
    throw new ParseError(name, {}, `the PNG header declares ${size.width}x${size.height} pixels, more than the ${MAX_PNG_PIXELS} accepted`);
  }
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes, { checkCrc: true });
  } catch (e) {
    throw new ParseError(name, {}, `corrupt PNG: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { width, height } = png;
  const pixels = width * height;
  if (png.palette) {
    const channels = png.palette[0]?.length === 4 ? 4 : 3;
    const data = expandPalette(png.data, width, height, png.depth, png.palette, channels, name);
    return { width, height, channels, depth: 8, data };
  }
  const channels = png.channels;
  if (!(channels >= 1 && channels <= 4)) throw new ParseError(name, {}, `unsupported PNG with ${channels} channels`);
  if (png.depth === 16) {
    const data = png.data instanceof Uint16Array ? png.data : Uint16Array.from(png.data);
    return checked({ width, height, channels, depth: 16, data }, name);
  }
  if (png.depth === 8) {
    const data = png.data instanceof Uint8Array ? png.data : new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length);
    return checked({ width, height, channels, depth: 8, data }, name);
  }
  // 1, 2 or 4 bits: gray only (PNG allows no other color type below 8 bits but palette).
  return checked({ width, height, channels: 1, depth: 8, data: unpackGray(png.data as Uint8Array, width, height, png.depth, pixels) }, name);
}

function checked(image: RasterImage, name: string): CheckedRaster {
  try {
    return checkRaster(image, 'decoded PNG');
  } catch (e) {
    throw new ParseError(name, {}, e instanceof Error ? e.message : String(e));
  }
}

/** Gray samples of 1, 2 or 4 bits, packed from the high bits of each row's bytes, widened to 8 bits. */
function unpackGray(packed: Uint8Array, width: number, height: number, depth: number, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels);
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = (1 << depth) - 1;
  const scale = 255 / mask;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = packed[y * rowBytes + (bit >> 3)]!;
      const v = (byte >> (8 - depth - (bit & 7))) & mask;
      out[y * width + x] = Math.round(v * scale);
    }
  }
  return out;
}

/** Palette indices (1, 2, 4 or 8 bits, rows byte-aligned) to RGB or RGBA samples. */
function expandPalette(packed: ArrayLike<number>, width: number, height: number, depth: number, palette: number[][], channels: 3 | 4, name: string): Uint8Array {
  const out = new Uint8Array(width * height * channels);
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = packed[y * rowBytes + (bit >> 3)]!;
      const index = depth === 8 ? byte : (byte >> (8 - depth - (bit & 7))) & mask;
      const color = palette[index];
      if (!color) throw new ParseError(name, {}, `palette index ${index} out of range (the palette has ${palette.length} colors)`);
      const o = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) out[o + c] = color[c] ?? 255;
    }
  }
  return out;
}

/** Options of {@link encodePng}. */
export interface EncodePngOptions {
  /** zlib compression level 0 (store) to 9 (smallest); default 6. */
  level?: number;
}

/**
 * Encode a {@link RasterImage} as PNG bytes: color type from the channel count (gray,
 * gray + alpha, RGB, RGBA), bit depth 8 or 16 as the image's, no interlacing.
 * @throws InvalidArgumentError for an invalid image (see {@link checkRaster}) or level.
 */
export function encodePng(image: RasterImage, options: EncodePngOptions = {}): Uint8Array {
  const img = checkRaster(image, 'encodePng');
  const level = options.level ?? 6;
  if (!(Number.isInteger(level) && level >= 0 && level <= 9)) throw new InvalidArgumentError(`encodePng: level must be an integer in [0, 9], got ${String(level)}`);
  // fast-png takes 8-bit samples as Uint8Array (a canvas's Uint8ClampedArray is viewed as one, not copied).
  const data = img.data instanceof Uint8ClampedArray ? new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.length) : img.data;
  return encode({ width: img.width, height: img.height, channels: img.channels, depth: img.depth, data }, { zlib: { level: level as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 } });
}
