/**
 * The PNG container: the signature, then chunks of `length (4 bytes, big-endian) | type (4
 * ASCII letters) | data | CRC-32 of type and data`. This module walks the chunk list with
 * every length checked against the end of the buffer, checks each CRC, validates the IHDR
 * header and computes exactly how many bytes the compressed image data must inflate to, so
 * that `png.ts` can refuse an image before anything of its size is allocated or inflated.
 * No decompression happens here.
 *
 * Spec: PNG (Third Edition), W3C 2025, sections 5 (datastream) and 11 (chunks),
 * https://www.w3.org/TR/png-3/.
 */
import { ParseError } from '../errors.js';

/** The eight bytes every PNG file starts with. */
export const PNG_SIGNATURE: readonly number[] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Largest chunk length and image side the spec allows (2^31 - 1). */
const MAX_PNG_INT = 2 ** 31 - 1;

/** PNG color types: 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA. */
export type PngColorType = 0 | 2 | 3 | 4 | 6;

/** Samples per pixel as stored in the file, per color type (a palette index is one sample). */
const STORED_CHANNELS: Record<PngColorType, 1 | 2 | 3 | 4> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Bit depths the spec allows for each color type (Table 11.1). */
const ALLOWED_DEPTHS: Record<PngColorType, readonly number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

const COLOR_NAMES: Record<PngColorType, string> = { 0: 'gray', 2: 'RGB', 3: 'palette', 4: 'gray + alpha', 6: 'RGBA' };

/** The validated IHDR chunk. */
export interface PngHeader {
  readonly width: number;
  readonly height: number;
  /** Bits per sample (per palette index for color type 3). */
  readonly bitDepth: 1 | 2 | 4 | 8 | 16;
  readonly colorType: PngColorType;
  /** Adam7 interlacing (interlace method 1). */
  readonly interlaced: boolean;
}

/** One Adam7 pass, or the whole image when not interlaced: the pixels it holds. */
export interface PngPass {
  /** First column and row of the pass in the full image, and the steps between its pixels. */
  readonly x0: number;
  readonly y0: number;
  readonly dx: number;
  readonly dy: number;
  /** Size of the pass's reduced image (both > 0: empty passes are left out, as in the file). */
  readonly width: number;
  readonly height: number;
  /** Bytes of one filtered row, without its filter-type byte. */
  readonly rowBytes: number;
}

/** Where the passes are in the inflated data, and how long it must be. */
export interface PngLayout {
  readonly passes: readonly PngPass[];
  /** Stored samples per pixel (1 for a palette index). */
  readonly storedChannels: 1 | 2 | 3 | 4;
  /** Bytes per complete pixel, at least 1: the distance the Sub, Average and Paeth filters look back. */
  readonly filterStride: number;
  /** Exact length of the inflated image data: sum over passes of height * (1 + rowBytes). */
  readonly inflatedBytes: number;
}

/** The chunks the decoder uses, after the whole chunk list has been walked. */
export interface PngChunks {
  readonly header: PngHeader;
  /** PLTE entries as RGB triples (for color type 3; a suggested palette of an RGB image is ignored). */
  readonly palette: Uint8Array | undefined;
  /** tRNS alpha of the first palette entries (color type 3 only; others ignore tRNS). */
  readonly paletteAlpha: Uint8Array | undefined;
  /** The IDAT chunks' data, in file order (views into the input, not copies). */
  readonly idat: readonly Uint8Array[];
  /** Total length of `idat`. */
  readonly idatBytes: number;
}

/** Whether `bytes` start with the PNG signature. */
export function hasPngSignature(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** CRC-32 tables for slicing by 4: table k advances a byte's CRC by k more zero bytes. */
let crcTables: Uint32Array[] | undefined;

function makeCrcTables(): Uint32Array[] {
  const t = [0, 1, 2, 3].map(() => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[0]![n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 4; k++) t[k]![n] = (t[k - 1]![n]! >>> 8) ^ t[0]![t[k - 1]![n]! & 0xff]!;
  }
  return t;
}

/**
 * CRC-32 (ISO 3309, the one PNG and zlib's crc32 use) of `bytes[start, end)`, four bytes
 * per step (slicing by 4: every file byte goes through it, so it is worth the 3 extra tables).
 */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  crcTables ??= makeCrcTables();
  const [t0, t1, t2, t3] = crcTables as [Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let c = 0xffffffff;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    c = t3[c & 0xff]! ^ t2[(c >>> 8) & 0xff]! ^ t1[(c >>> 16) & 0xff]! ^ t0[c >>> 24]!;
  }
  for (; i < end; i++) c = t0[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A chunk's position; `data` is a view into the input. */
interface RawChunk {
  /** Byte offset of the chunk's length field. */
  readonly offset: number;
  readonly type: string;
  readonly data: Uint8Array;
}

/**
 * The chunk at `offset`, bounds- and CRC-checked.
 * @throws ParseError when the chunk runs past the end of the buffer, has a length over
 * 2^31 - 1 or a type that is not four ASCII letters, or its CRC does not match.
 */
function chunkAt(bytes: Uint8Array, view: DataView, offset: number, name: string): RawChunk {
  if (offset + 8 > bytes.length) {
    throw new ParseError(name, { byteOffset: offset }, `the file ends in the middle of a chunk header (${bytes.length - offset} of 8 bytes); it is truncated`);
  }
  const length = view.getUint32(offset);
  const typeBytes = bytes.subarray(offset + 4, offset + 8);
  if (!typeBytes.every((b) => (b >= 65 && b <= 90) || (b >= 97 && b <= 122))) {
    throw new ParseError(name, { byteOffset: offset + 4 }, `corrupt chunk: its type is not four ASCII letters (bytes ${Array.from(typeBytes).join(' ')})`);
  }
  const type = String.fromCharCode(...typeBytes);
  if (length > MAX_PNG_INT) throw new ParseError(name, { byteOffset: offset }, `corrupt ${type} chunk: it declares ${length} bytes, more than the 2^31 - 1 PNG allows`);
  // The length is compared with what is left before it is used, so a corrupt length can never
  // make us read (or allocate) past the end of the input.
  if (length + 12 > bytes.length - offset) {
    throw new ParseError(name, { byteOffset: offset }, `the ${type} chunk declares ${length} data bytes but the file ends ${Math.max(0, bytes.length - offset - 8)} bytes later; it is truncated`);
  }
  const end = offset + 8 + length;
  const stored = view.getUint32(end);
  const actual = crc32(bytes, offset + 4, end);
  if (stored !== actual) {
    throw new ParseError(name, { byteOffset: offset }, `the ${type} chunk is corrupt: its CRC is ${hex(stored)}, its contents give ${hex(actual)}`);
  }
  return { offset, type, data: bytes.subarray(offset + 8, end) };
}

function hex(v: number): string {
  return '0x' + v.toString(16).padStart(8, '0');
}

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Check the signature and read the IHDR chunk, which the spec requires to come first.
 * Reads 33 bytes whatever the file's size, so the caller can refuse an image by its
 * declared size before looking at the rest.
 * @throws ParseError for a missing signature, a first chunk other than IHDR, a bad CRC, or
 * a size, bit depth, color type, compression, filter or interlace method PNG does not define.
 */
export function readPngHeader(bytes: Uint8Array, name: string): PngHeader {
  if (!hasPngSignature(bytes)) throw new ParseError(name, { byteOffset: 0 }, 'not a PNG file (missing the PNG signature)');
  // The type is looked at before anything else, so a file whose first chunk is not IHDR is
  // refused at once. A decoder that searched for IHDR further on would let a private chunk
  // hold a harmless-looking size where IHDR's belongs; the spec puts IHDR first.
  if (bytes.length < 16) throw new ParseError(name, { byteOffset: 8 }, `the file ends after ${bytes.length} bytes, before the IHDR header; it is truncated`);
  const firstType = String.fromCharCode(...bytes.subarray(12, 16));
  if (firstType !== 'IHDR') {
    const what = /^[A-Za-z]{4}$/.test(firstType) ? `the first chunk is ${firstType}` : 'the first chunk is not a valid chunk';
    throw new ParseError(name, { byteOffset: 8 }, `invalid PNG: ${what}, but PNG requires the IHDR header first`);
  }
  const first = chunkAt(bytes, dataView(bytes), 8, name);
  const d = first.data;
  if (d.length !== 13) throw new ParseError(name, { byteOffset: 8 }, `invalid IHDR chunk: ${d.length} bytes instead of 13`);
  const v = dataView(d);
  const width = v.getUint32(0);
  const height = v.getUint32(4);
  const [bitDepth, colorType, compression, filter, interlace] = [d[8]!, d[9]!, d[10]!, d[11]!, d[12]!];
  const at = { byteOffset: 16 };
  if (width === 0 || height === 0 || width > MAX_PNG_INT || height > MAX_PNG_INT) {
    throw new ParseError(name, at, `invalid PNG size ${width} x ${height}: each side must be 1 to 2^31 - 1 pixels`);
  }
  if (!(colorType in ALLOWED_DEPTHS)) {
    throw new ParseError(name, { byteOffset: 25 }, `invalid PNG color type ${colorType} (PNG defines 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA)`);
  }
  const ct = colorType as PngColorType;
  if (!ALLOWED_DEPTHS[ct].includes(bitDepth)) {
    throw new ParseError(name, { byteOffset: 24 }, `invalid PNG: bit depth ${bitDepth} is not allowed for ${COLOR_NAMES[ct]} images (allowed: ${ALLOWED_DEPTHS[ct].join(', ')})`);
  }
  if (compression !== 0) throw new ParseError(name, { byteOffset: 26 }, `invalid PNG compression method ${compression} (only 0, zlib deflate, exists)`);
  if (filter !== 0) throw new ParseError(name, { byteOffset: 27 }, `invalid PNG filter method ${filter} (only 0, adaptive filtering, exists)`);
  if (interlace !== 0 && interlace !== 1) throw new ParseError(name, { byteOffset: 28 }, `invalid PNG interlace method ${interlace} (0 none or 1 Adam7)`);
  return { width, height, bitDepth: bitDepth as PngHeader['bitDepth'], colorType: ct, interlaced: interlace === 1 };
}

/** E.g. '8-bit RGB' or '4-bit palette (interlaced)', for messages. */
export function describePngHeader(h: PngHeader): string {
  return `${h.bitDepth}-bit ${COLOR_NAMES[h.colorType]}${h.interlaced ? ' (interlaced)' : ''}`;
}

/** Adam7's seven passes: first column and row, column and row step (spec section 8.2). */
const ADAM7: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

/**
 * The passes of an image and the exact size of its inflated data. Call only after the
 * pixel count has been checked: the sizes are exact only while they stay below 2^53.
 */
export function pngLayout(h: PngHeader): PngLayout {
  const storedChannels = STORED_CHANNELS[h.colorType];
  const bitsPerPixel = storedChannels * h.bitDepth;
  const rowBytes = (w: number): number => Math.ceil((w * bitsPerPixel) / 8);
  const grid = h.interlaced ? ADAM7 : ([[0, 0, 1, 1]] as const);
  const passes: PngPass[] = [];
  let inflatedBytes = 0;
  for (const [x0, y0, dx, dy] of grid) {
    const width = Math.ceil((h.width - x0) / dx);
    const height = Math.ceil((h.height - y0) / dy);
    // A pass with no pixels has no rows at all in the data, not even filter bytes.
    if (width <= 0 || height <= 0) continue;
    passes.push({ x0, y0, dx, dy, width, height, rowBytes: rowBytes(width) });
    inflatedBytes += height * (1 + rowBytes(width));
  }
  return { passes, storedChannels, filterStride: Math.max(1, bitsPerPixel / 8), inflatedBytes };
}

/**
 * Walk every chunk after IHDR up to IEND (CRCs checked) and collect PLTE, tRNS and the IDAT
 * data. Ancillary chunks (lowercase first letter: text, gamma, ICC profile, ...) are
 * skipped unread, so none of them is ever decompressed; bytes after IEND are ignored.
 * @throws ParseError for a truncated file or a missing IEND, a bad CRC, a second IHDR, an
 * unknown critical chunk, a PLTE that is missing (palette images), misplaced or malformed,
 * a tRNS with more entries than the palette, or no IDAT chunk.
 */
export function readPngChunks(bytes: Uint8Array, header: PngHeader, name: string): PngChunks {
  const view = dataView(bytes);
  const isPalette = header.colorType === 3;
  let palette: Uint8Array | undefined;
  let paletteAlpha: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let idatBytes = 0;
  let offset = 8 + 12 + 13;
  for (;;) {
    if (offset >= bytes.length) throw new ParseError(name, { byteOffset: offset }, 'the file ends before the IEND chunk; it is truncated');
    const c = chunkAt(bytes, view, offset, name);
    offset += 12 + c.data.length;
    const at = { byteOffset: c.offset };
    if (c.type === 'IEND') break;
    switch (c.type) {
      case 'IDAT':
        idat.push(c.data);
        idatBytes += c.data.length;
        break;
      case 'PLTE':
        if (palette) throw new ParseError(name, at, 'invalid PNG: a second PLTE chunk');
        if (idat.length > 0) throw new ParseError(name, at, 'invalid PNG: the PLTE chunk comes after image data (IDAT); it must come before');
        if (c.data.length === 0 || c.data.length % 3 !== 0 || c.data.length > 768) {
          throw new ParseError(name, at, `invalid PLTE chunk: ${c.data.length} bytes, not 1 to 256 RGB entries of 3 bytes`);
        }
        if (header.colorType === 0 || header.colorType === 4) throw new ParseError(name, at, 'invalid PNG: a gray image cannot have a PLTE chunk');
        palette = c.data;
        break;
      case 'tRNS':
        // Only a palette's alpha table is used: a gray or RGB color key is ignored (see png.ts).
        if (isPalette) {
          if (!palette) throw new ParseError(name, at, 'invalid PNG: the tRNS chunk comes before the palette (PLTE)');
          if (c.data.length > palette.length / 3) {
            throw new ParseError(name, at, `invalid tRNS chunk: ${c.data.length} alpha values for a palette of ${palette.length / 3} colors`);
          }
          paletteAlpha = c.data;
        }
        break;
      case 'IHDR':
        throw new ParseError(name, at, 'invalid PNG: a second IHDR chunk');
      default:
        // Bit 5 of the first type byte clear (uppercase) marks a critical chunk: the spec
        // forbids decoding an image whose critical chunks are not understood.
        if (c.type.charCodeAt(0) < 97) {
          throw new ParseError(name, at, `unsupported PNG: unknown critical chunk '${c.type}', which this decoder cannot interpret (the image would come out wrong)`);
        }
    }
  }
  if (idat.length === 0) throw new ParseError(name, { byteOffset: offset }, 'invalid PNG: no image data (IDAT chunk)');
  if (isPalette && !palette) throw new ParseError(name, { byteOffset: 8 }, 'invalid PNG: a palette image without a palette (PLTE chunk)');
  return { header, palette: isPalette ? palette : undefined, paletteAlpha, idat, idatBytes };
}
