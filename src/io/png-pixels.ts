/**
 * From inflated PNG image data to interleaved samples: undo the per-row filters (in place),
 * then move each pass's pixels to their place in the full image, widening 1/2/4-bit gray to
 * 8 bits, looking palette indices up, and reading 16-bit samples big-endian.
 *
 * Spec: PNG (Third Edition), sections 7.2 (scanlines), 8.2 (Adam7) and 9 (filtering).
 */
import { ParseError } from '../errors.js';
import type { PngHeader, PngLayout, PngPass } from './png-chunks.js';

/** The decoded samples and their layout (the `CheckedRaster` fields). */
export interface PngPixels {
  readonly channels: 1 | 2 | 3 | 4;
  readonly depth: 8 | 16;
  readonly data: Uint8Array | Uint16Array;
}

/** Palette colors, as PLTE and tRNS give them. */
export interface PngPalette {
  /** RGB triples. */
  readonly rgb: Uint8Array;
  /** Alpha of the first entries (the rest are opaque); undefined without tRNS. */
  readonly alpha: Uint8Array | undefined;
}

/**
 * Decode the inflated data (exactly `layout.inflatedBytes` long; it is unfiltered in place).
 * @throws ParseError for a filter type other than 0-4, or a palette index past the palette.
 */
export function decodePixels(data: Uint8Array, header: PngHeader, layout: PngLayout, palette: PngPalette | undefined, name: string): PngPixels {
  let offset = 0;
  layout.passes.forEach((pass, p) => {
    unfilterPass(data, offset, pass, layout.filterStride, name, layout.passes.length > 1 ? ` of Adam7 pass ${p + 1}` : '');
    offset += pass.height * (1 + pass.rowBytes);
  });
  const { width, height, bitDepth, colorType } = header;
  const pixels = width * height;
  if (colorType === 3) {
    const channels = palette!.alpha ? 4 : 3;
    const out = new Uint8Array(pixels * channels);
    forEachPass(layout, (pass, start) => expandPalette(data, start, pass, width, bitDepth, palette!, channels, out, name));
    return { channels, depth: 8, data: out };
  }
  const channels = layout.storedChannels;
  if (bitDepth === 16) {
    const out = new Uint16Array(pixels * channels);
    forEachPass(layout, (pass, start) => copy16(data, start, pass, width, channels, out));
    return { channels, depth: 16, data: out };
  }
  const out = new Uint8Array(pixels * channels);
  if (bitDepth === 8) forEachPass(layout, (pass, start) => copy8(data, start, pass, width, channels, out));
  else forEachPass(layout, (pass, start) => widenGray(data, start, pass, width, bitDepth, out));
  return { channels, depth: 8, data: out };
}

/** Call `fn` with each pass and the offset of its first row's filter byte. */
function forEachPass(layout: PngLayout, fn: (pass: PngPass, start: number) => void): void {
  let offset = 0;
  for (const pass of layout.passes) {
    fn(pass, offset);
    offset += pass.height * (1 + pass.rowBytes);
  }
}

/**
 * Undo the filters of one pass in place. Each row is restored before the next is read,
 * so the row above (`prev`) already holds raw bytes when a row uses it; the first row of
 * a pass sees a row of zeros above, which turns Up into None, Average into a half-Sub and
 * Paeth into Sub.
 */
function unfilterPass(d: Uint8Array, start: number, pass: PngPass, bpp: number, name: string, where: string): void {
  const n = pass.rowBytes;
  for (let y = 0; y < pass.height; y++) {
    const f = start + y * (n + 1);
    const cur = f + 1;
    const prev = cur - (n + 1); // only read when y > 0
    const filter = d[f]!;
    // A Uint8Array store wraps modulo 256, which is exactly the filters' byte arithmetic.
    switch (filter) {
      case 0:
        break;
      case 1:
        for (let i = bpp; i < n; i++) d[cur + i] = d[cur + i]! + d[cur + i - bpp]!;
        break;
      case 2:
        if (y > 0) for (let i = 0; i < n; i++) d[cur + i] = d[cur + i]! + d[prev + i]!;
        break;
      case 3:
        if (y === 0) {
          for (let i = bpp; i < n; i++) d[cur + i] = d[cur + i]! + (d[cur + i - bpp]! >> 1);
        } else {
          for (let i = 0; i < bpp && i < n; i++) d[cur + i] = d[cur + i]! + (d[prev + i]! >> 1);
          for (let i = bpp; i < n; i++) d[cur + i] = d[cur + i]! + ((d[cur + i - bpp]! + d[prev + i]!) >> 1);
        }
        break;
      case 4:
        if (y === 0) {
          for (let i = bpp; i < n; i++) d[cur + i] = d[cur + i]! + d[cur + i - bpp]!;
        } else {
          for (let i = 0; i < bpp && i < n; i++) d[cur + i] = d[cur + i]! + d[prev + i]!;
          for (let i = bpp; i < n; i++) {
            // The predictor nearest to p = a + b - c: |p - a| = |b - c|, |p - b| = |a - c|.
            // Math.abs compiles without branches, which is faster here than sign tests.
            const a = d[cur + i - bpp]!;
            const b = d[prev + i]!;
            const c = d[prev + i - bpp]!;
            const pa = Math.abs(b - c);
            const pb = Math.abs(a - c);
            const pc = Math.abs(a + b - 2 * c);
            d[cur + i] = d[cur + i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          }
        }
        break;
      default:
        throw new ParseError(name, {}, `corrupt PNG: row ${y + 1}${where} has filter type ${filter}; PNG defines 0 to 4`);
    }
  }
}

/** 8-bit samples: whole rows at once when not interlaced, else pixel by pixel. */
function copy8(d: Uint8Array, start: number, pass: PngPass, width: number, channels: number, out: Uint8Array): void {
  const n = pass.rowBytes;
  for (let y = 0; y < pass.height; y++) {
    const src = start + y * (n + 1) + 1;
    const row = (pass.y0 + y * pass.dy) * width;
    if (pass.dx === 1) {
      out.set(d.subarray(src, src + n), row * channels);
      continue;
    }
    for (let x = 0; x < pass.width; x++) {
      const o = (row + pass.x0 + x * pass.dx) * channels;
      const s = src + x * channels;
      for (let c = 0; c < channels; c++) out[o + c] = d[s + c]!;
    }
  }
}

/** 16-bit samples, stored big-endian. */
function copy16(d: Uint8Array, start: number, pass: PngPass, width: number, channels: number, out: Uint16Array): void {
  const n = pass.rowBytes;
  for (let y = 0; y < pass.height; y++) {
    const src = start + y * (n + 1) + 1;
    const row = (pass.y0 + y * pass.dy) * width;
    for (let x = 0; x < pass.width; x++) {
      const o = (row + pass.x0 + x * pass.dx) * channels;
      const s = src + 2 * x * channels;
      for (let c = 0; c < channels; c++) out[o + c] = (d[s + 2 * c]! << 8) | d[s + 2 * c + 1]!;
    }
  }
}

/** The `depth`-bit field of pixel `x` in a row starting at `src` (fields fill bytes from the high bits). */
function field(d: Uint8Array, src: number, x: number, depth: number): number {
  const bit = x * depth;
  return (d[src + (bit >> 3)]! >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
}

/** 1, 2 or 4-bit gray widened to 8 bits: v * 255 / (2^depth - 1), which is exact for these depths. */
function widenGray(d: Uint8Array, start: number, pass: PngPass, width: number, depth: number, out: Uint8Array): void {
  const scale = 255 / ((1 << depth) - 1);
  const n = pass.rowBytes;
  for (let y = 0; y < pass.height; y++) {
    const src = start + y * (n + 1) + 1;
    const row = (pass.y0 + y * pass.dy) * width;
    for (let x = 0; x < pass.width; x++) out[row + pass.x0 + x * pass.dx] = field(d, src, x, depth) * scale;
  }
}

/** Palette indices (1, 2, 4 or 8 bits) to RGB, or RGBA when the palette has a tRNS alpha table. */
function expandPalette(d: Uint8Array, start: number, pass: PngPass, width: number, depth: number, palette: PngPalette, channels: 3 | 4, out: Uint8Array, name: string): void {
  const colors = palette.rgb.length / 3;
  // One RGBA entry per color; entries past tRNS's end are opaque.
  const table = new Uint8Array(colors * 4).fill(255);
  for (let i = 0; i < colors; i++) table.set(palette.rgb.subarray(3 * i, 3 * i + 3), 4 * i);
  if (palette.alpha) for (let i = 0; i < palette.alpha.length; i++) table[4 * i + 3] = palette.alpha[i]!;
  const n = pass.rowBytes;
  for (let y = 0; y < pass.height; y++) {
    const src = start + y * (n + 1) + 1;
    const row = (pass.y0 + y * pass.dy) * width;
    for (let x = 0; x < pass.width; x++) {
      const index = depth === 8 ? d[src + x]! : field(d, src, x, depth);
      if (index >= colors) throw new ParseError(name, {}, `corrupt PNG: palette index ${index} out of range (the palette has ${colors} colors)`);
      const o = (row + pass.x0 + x * pass.dx) * channels;
      const t = 4 * index;
      for (let c = 0; c < channels; c++) out[o + c] = table[t + c]!;
    }
  }
}
