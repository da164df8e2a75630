import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { constants, crc32, deflateRawSync, deflateSync } from 'node:zlib';
import { decode, encode } from 'fast-png';
import { InvalidArgumentError, ParseError } from '../../src/errors.js';
import { readPng } from '../../src/io/png-file.js';
import { decodePng, encodePng, isPng, MAX_PNG_PIXELS } from '../../src/io/png.js';
import { rng } from '../helpers.js';
import { tempDir } from './util.js';

interface PngCase {
  name: string;
  png: string;
  width: number;
  height: number;
  channels: number;
  depth: number;
  samples: number[];
}

// Small PNGs written by Pillow (scripts/gen-compress-fixtures.py) in the color types the decoder maps.
const CASES = JSON.parse(readFileSync('test/fixtures/compress/png-cases.json', 'utf8')) as PngCase[];

function randomImage(width: number, height: number, channels: number, depth: 8 | 16, seed: number) {
  const g = rng(seed);
  const n = width * height * channels;
  const data = depth === 16 ? new Uint16Array(n) : new Uint8Array(n);
  const max = depth === 16 ? 65536 : 256;
  for (let i = 0; i < n; i++) data[i] = Math.floor(g.nextDouble() * max);
  return { width, height, channels, depth, data };
}

describe('decodePng (Pillow-written files)', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.width}x${c.height}, ${c.channels} channel(s), ${c.depth}-bit samples as Pillow wrote them`, () => {
      const img = decodePng(Buffer.from(c.png, 'base64'));
      assert.equal(img.width, c.width);
      assert.equal(img.height, c.height);
      assert.equal(img.channels, c.channels);
      assert.equal(img.depth, c.depth);
      assert.ok(c.depth === 16 ? img.data instanceof Uint16Array : img.data instanceof Uint8Array);
      assert.deepEqual(Array.from(img.data), c.samples);
    });
  }
});

describe('encodePng / decodePng round trip', () => {
  for (const channels of [1, 2, 3, 4]) {
    for (const depth of [8, 16] as const) {
      it(`${channels} channel(s), ${depth}-bit: samples and layout survive`, () => {
        const img = randomImage(13, 7, channels, depth, channels * 10 + depth);
        const bytes = encodePng(img);
        assert.ok(isPng(bytes));
        const back = decodePng(bytes);
        assert.equal(back.width, 13);
        assert.equal(back.height, 7);
        assert.equal(back.channels, channels);
        assert.equal(back.depth, depth);
        assert.deepEqual(back.data, img.data);
      });
    }
  }

  it('a canvas ImageData (Uint8ClampedArray, channels implied) encodes as RGBA', () => {
    const data = new Uint8ClampedArray(3 * 2 * 4).map((_, i) => (i * 37) % 256);
    const back = decodePng(encodePng({ width: 3, height: 2, data }));
    assert.equal(back.channels, 4);
    assert.deepEqual(Array.from(back.data), Array.from(data));
  });

  it('reads Adam7-interlaced files', () => {
    const img = randomImage(11, 9, 3, 8, 5);
    const bytes = encode({ width: 11, height: 9, channels: 3, depth: 8, data: img.data }, { interlace: 'Adam7' });
    assert.equal(bytes[28], 1, 'interlace method byte');
    assert.deepEqual(decodePng(bytes).data, img.data);
  });

  it('every zlib level gives the same pixels; level 0 is larger than level 9', () => {
    const img = { width: 64, height: 64, channels: 1, data: new Uint8Array(4096).map((_, i) => i & 0xf0) };
    const store = encodePng(img, { level: 0 });
    const small = encodePng(img, { level: 9 });
    assert.ok(store.length > small.length);
    assert.deepEqual(decodePng(store).data, img.data);
    assert.deepEqual(decodePng(small).data, img.data);
  });
});

describe('bad input', () => {
  it('not a PNG, truncated, or a corrupt CRC: ParseError naming the input', () => {
    assert.throws(() => decodePng(new TextEncoder().encode('hello world, not a png'), 'x.png'), (e: unknown) => e instanceof ParseError && /x\.png.*not a PNG/.test(e.message));
    const good = encodePng(randomImage(20, 20, 3, 8, 1));
    assert.throws(() => decodePng(good.subarray(0, good.length - 30), 'cut.png'), (e: unknown) => e instanceof ParseError && /cut\.png/.test(e.message));
    const bad = good.slice();
    bad[40] = bad[40]! ^ 0xff; // inside the IDAT data: the CRC no longer matches
    assert.throws(() => decodePng(bad, 'crc.png'), ParseError);
  });

  it('an image whose data does not match its size, channels or depth: InvalidArgumentError', () => {
    assert.throws(() => encodePng({ width: 2, height: 2, channels: 3, data: new Uint8Array(11) }), InvalidArgumentError);
    assert.throws(() => encodePng({ width: 2, height: 2, channels: 5, data: new Uint8Array(20) }), InvalidArgumentError);
    assert.throws(() => encodePng({ width: 2, height: 2, channels: 1, depth: 16, data: new Uint8Array(4) }), InvalidArgumentError);
    assert.throws(() => encodePng({ width: 2, height: 2, channels: 1, data: new Uint8Array(4) }, { level: 12 }), InvalidArgumentError);
  });
});

// ---------------------------------------------------------------------------------------
// A PNG writer independent of the decoder (node:zlib for deflate and CRC-32), so the tests
// can build every color type, bit depth, filter and interlace, and any malformed file.

type ColorType = 0 | 2 | 3 | 4 | 6;
const STORED_CHANNELS: Record<ColorType, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const DEPTHS: Record<ColorType, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;

interface Spec {
  width: number;
  height: number;
  colorType: ColorType;
  bitDepth: number;
  interlaced?: boolean;
}

const SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function u32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v);
  return b;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** One chunk: length, type, data, CRC-32 of type and data (node:zlib's crc32). */
function chunk(type: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const body = concat([new TextEncoder().encode(type), data]);
  return concat([u32(data.length), body, u32(crc32(body))]);
}

function ihdr(s: Spec): Uint8Array {
  return chunk('IHDR', concat([u32(s.width), u32(s.height), Uint8Array.from([s.bitDepth, s.colorType, 0, 0, s.interlaced ? 1 : 0])]));
}

function pngFile(...chunks: Uint8Array[]): Uint8Array {
  return concat([SIGNATURE, ...chunks, chunk('IEND')]);
}

/** The spec's Paeth predictor, written as in section 9.4. */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * The filtered scanlines of stored sample values (pixel by pixel, channel by channel),
 * pass by pass when interlaced; row j of pass p uses filter type (j + p) % 5, so every
 * filter meets first rows, later rows and every pass.
 */
function scanlines(s: Spec, values: ArrayLike<number>): Uint8Array {
  const ch = STORED_CHANNELS[s.colorType];
  const bits = ch * s.bitDepth;
  const bpp = Math.max(1, bits / 8);
  const out: number[] = [];
  const grid = s.interlaced ? ADAM7 : ([[0, 0, 1, 1]] as const);
  grid.forEach(([x0, y0, dx, dy], p) => {
    const w = Math.ceil((s.width - x0) / dx);
    const h = Math.ceil((s.height - y0) / dy);
    if (w <= 0 || h <= 0) return;
    const rowBytes = Math.ceil((w * bits) / 8);
    let prior = new Uint8Array(rowBytes);
    for (let j = 0; j < h; j++) {
      const raw = new Uint8Array(rowBytes);
      for (let i = 0; i < w; i++) {
        for (let c = 0; c < ch; c++) {
          const v = values[((y0 + j * dy) * s.width + x0 + i * dx) * ch + c]!;
          const k = i * ch + c;
          if (s.bitDepth === 16) {
            raw[2 * k] = v >> 8;
            raw[2 * k + 1] = v & 255;
          } else if (s.bitDepth === 8) {
            raw[k] = v;
          } else {
            const bit = k * s.bitDepth;
            raw[bit >> 3] = raw[bit >> 3]! | (v << (8 - s.bitDepth - (bit & 7)));
          }
        }
      }
      const type = (j + p) % 5;
      out.push(type);
      for (let i = 0; i < rowBytes; i++) {
        const a = i >= bpp ? raw[i - bpp]! : 0;
        const b = prior[i]!;
        const c = i >= bpp ? prior[i - bpp]! : 0;
        const predicted = [0, a, b, (a + b) >> 1, paeth(a, b, c)][type]!;
        out.push((raw[i]! - predicted) & 255);
      }
      prior = raw;
    }
  });
  return Uint8Array.from(out);
}

interface Made {
  bytes: Uint8Array;
  /** What decodePng must return. */
  channels: number;
  depth: 8 | 16;
  samples: number[];
}

/** A random image of the spec, as a PNG file, with the samples the decoder must produce. */
function makePng(s: Spec, seed: number, opts: { alpha?: boolean; extra?: Uint8Array[] } = {}): Made {
  const g = rng(seed);
  const ch = STORED_CHANNELS[s.colorType];
  const n = s.width * s.height * ch;
  if (s.colorType === 3) {
    const colors = Math.min(1 << s.bitDepth, 5 + (seed % 7));
    const palette = Uint8Array.from({ length: 3 * colors }, () => Math.floor(g.nextDouble() * 256));
    const alpha = Uint8Array.from({ length: colors - 1 }, () => Math.floor(g.nextDouble() * 256));
    const values = Array.from({ length: n }, () => Math.floor(g.nextDouble() * colors));
    const out = opts.alpha ? 4 : 3;
    const samples = values.flatMap((v) => [palette[3 * v]!, palette[3 * v + 1]!, palette[3 * v + 2]!, ...(out === 4 ? [alpha[v] ?? 255] : [])]);
    const chunks = [ihdr(s), chunk('PLTE', palette), ...(opts.alpha ? [chunk('tRNS', alpha)] : []), ...(opts.extra ?? []), chunk('IDAT', deflateSync(scanlines(s, values)))];
    return { bytes: pngFile(...chunks), channels: out, depth: 8, samples };
  }
  const max = 2 ** s.bitDepth;
  const values = Array.from({ length: n }, () => Math.floor(g.nextDouble() * max));
  const samples = s.bitDepth < 8 ? values.map((v) => (v * 255) / (max - 1)) : values;
  return { bytes: pngFile(ihdr(s), ...(opts.extra ?? []), chunk('IDAT', deflateSync(scanlines(s, values)))), channels: ch, depth: s.bitDepth === 16 ? 16 : 8, samples };
}

/**
 * A zlib stream of `mib` MiB of zeros, about 1 KB per MiB (the shape of a decompression
 * bomb): one deflated MiB ended by a full flush (so it stands alone) repeated, then an
 * empty final block and the Adler-32 of the whole.
 */
function zeroStream(mib: number): Uint8Array {
  const block = deflateRawSync(Buffer.alloc(1 << 20), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const adler = ((((mib * 2 ** 20) % 65521) * 65536) + 1) >>> 0;
  return concat([Uint8Array.from([0x78, 0xda]), ...Array.from({ length: mib }, () => block), Uint8Array.from([0x03, 0x00]), u32(adler)]);
}

/** Run `fn`, which must throw a ParseError naming `file` with a message matching `re`; returns the error and the time taken. */
function parseFailure(fn: () => unknown, file: string, re: RegExp): { error: ParseError; ms: number } {
  const t0 = performance.now();
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  const ms = performance.now() - t0;
  assert.ok(error instanceof ParseError, `expected a ParseError, got ${String(error)}`);
  assert.equal(error.file, file);
  assert.ok(error.message.startsWith(file), error.message);
  assert.match(error.message, re);
  return { error, ms };
}

describe('decodePng: every color type, bit depth, filter type and interlace', () => {
  let seed = 0;
  for (const colorType of [0, 2, 3, 4, 6] as const) {
    for (const bitDepth of DEPTHS[colorType]) {
      for (const interlaced of [false, true]) {
        const what = `color type ${colorType}, ${bitDepth}-bit${interlaced ? ', Adam7' : ''}`;
        it(`${what}: the samples written, at sizes 1x1 to 19x13`, () => {
          for (const [width, height] of [[1, 1], [3, 2], [9, 1], [1, 10], [19, 13]] as const) {
            for (const alpha of colorType === 3 ? [false, true] : [false]) {
              const made = makePng({ width, height, colorType, bitDepth, interlaced }, ++seed, { alpha });
              const img = decodePng(made.bytes, 'x.png');
              const label = `${what} ${width}x${height}${alpha ? ' tRNS' : ''}`;
              assert.equal(img.width, width, label);
              assert.equal(img.height, height, label);
              assert.equal(img.channels, made.channels, label);
              assert.equal(img.depth, made.depth, label);
              assert.ok(made.depth === 16 ? img.data instanceof Uint16Array : img.data instanceof Uint8Array, label);
              assert.deepEqual(Array.from(img.data), made.samples, label);
              // The same as fast-png, which decoded these before (it unpacks neither palettes
              // nor low bit depths, and mis-reads them interlaced, so only 8 and 16 bits compare).
              if (colorType !== 3 && bitDepth >= 8) assert.deepEqual(Array.from(img.data), Array.from(decode(made.bytes).data), `${label} vs fast-png`);
            }
          }
        });
      }
    }
  }

  it('IDAT split over many chunks, and ancillary chunks anywhere, decode the same', () => {
    const s: Spec = { width: 23, height: 17, colorType: 2, bitDepth: 8 };
    const made = makePng(s, 99);
    const g = rng(5);
    const values = Array.from({ length: 23 * 17 * 3 }, () => Math.floor(g.nextDouble() * 256));
    const z = deflateSync(scanlines(s, values));
    const pieces = [0, 1, 2, 50, 51, z.length].map((_, i, cuts) => z.subarray(cuts[i - 1] ?? 0, cuts[i])).slice(1);
    const bytes = pngFile(ihdr(s), chunk('tEXt', new TextEncoder().encode('Comment\0hi')), ...pieces.flatMap((p) => [chunk('IDAT', p)]), chunk('zzZz', Uint8Array.from([1, 2, 3])));
    assert.deepEqual(Array.from(decodePng(bytes).data), values);
    assert.equal(decodePng(made.bytes).width, 23);
  });

  it('an RGB image with a suggested palette (PLTE) is read as RGB, not as palette indices', () => {
    const made = makePng({ width: 6, height: 5, colorType: 2, bitDepth: 8 }, 3, { extra: [chunk('PLTE', Uint8Array.from([1, 2, 3, 4, 5, 6]))] });
    const img = decodePng(made.bytes);
    assert.equal(img.channels, 3);
    assert.deepEqual(Array.from(img.data), made.samples);
  });

  it('a compressed ancillary chunk (an iCCP profile holding a 64 MiB bomb) is skipped, not inflated', () => {
    const iccp = chunk('iCCP', concat([new TextEncoder().encode('icc\0'), Uint8Array.from([0]), zeroStream(64)]));
    const made = makePng({ width: 4, height: 4, colorType: 0, bitDepth: 8 }, 4, { extra: [iccp] });
    const t0 = performance.now();
    assert.deepEqual(Array.from(decodePng(made.bytes).data), made.samples);
    assert.ok(performance.now() - t0 < 1000);
  });
});

describe('decodePng on hostile input: refused before or while inflating, with ParseErrors naming the file', () => {
  it('a private chunk before a 20000 x 20000 IHDR (a 400 MB bomb in a 400 KB file): refused at once', () => {
    const big: Spec = { width: 20000, height: 20000, colorType: 0, bitDepth: 8 };
    // The private chunk's first 8 data bytes sit where IHDR's width and height belong, and say 1 x 1.
    const bytes = concat([SIGNATURE, chunk('prVt', concat([u32(1), u32(1), new Uint8Array(5)])), ihdr(big), chunk('IDAT', zeroStream(382)), chunk('IEND')]);
    assert.ok(bytes.length < 400_000);
    const { ms } = parseFailure(() => decodePng(bytes, 'bomb.png'), 'bomb.png', /first chunk is prVt.*IHDR/);
    assert.ok(ms < 1000, `${ms} ms`);
  });

  it('a 16384 x 16384 all-zero gray image in 260 KB: "image too large", before any inflation', () => {
    const bytes = pngFile(ihdr({ width: 16384, height: 16384, colorType: 0, bitDepth: 8 }), chunk('IDAT', zeroStream(257)));
    assert.ok(bytes.length < 270_000);
    const { error, ms } = parseFailure(() => decodePng(bytes, 'zeros.png'), 'zeros.png', /image too large: 16384 x 16384 = 268435456 pixels, limit 16777216/);
    assert.equal(error.byteOffset, 16);
    assert.ok(ms < 1000, `${ms} ms`);
  });

  it('the size limit: MAX_PNG_PIXELS is 2^24; one pixel more is refused, maxPixels moves it', () => {
    assert.equal(MAX_PNG_PIXELS, 2 ** 24);
    const over = pngFile(ihdr({ width: 4097, height: 4096, colorType: 0, bitDepth: 1 }), chunk('IDAT', deflateSync(new Uint8Array(10))));
    parseFailure(() => decodePng(over, 'over.png'), 'over.png', /4097 x 4096 = 16781312 pixels, limit 16777216/);
    // At the limit (1-bit gray, so cheap to build): decoded.
    const at = pngFile(ihdr({ width: 4096, height: 4096, colorType: 0, bitDepth: 1 }), chunk('IDAT', deflateSync(new Uint8Array(4096 * 513))));
    assert.equal(decodePng(at).data.length, 4096 * 4096);
    const small = makePng({ width: 5, height: 4, colorType: 6, bitDepth: 8 }, 1);
    parseFailure(() => decodePng(small.bytes, 's.png', { maxPixels: 19 }), 's.png', /5 x 4 = 20 pixels, limit 19/);
    assert.deepEqual(Array.from(decodePng(small.bytes, 's.png', { maxPixels: 20 }).data), small.samples);
    // Within a raised maxPixels, but more than one typed array holds: refused, nothing allocated.
    const huge = pngFile(ihdr({ width: 20000, height: 20000, colorType: 6, bitDepth: 16 }), chunk('IDAT', zeroStream(1)));
    parseFailure(() => decodePng(huge, 'h.png', { maxPixels: 2 ** 30 }), 'h.png', /image too large: 20000 x 20000 16-bit RGBA needs 3200020000 bytes in one array, more than the 2147483647/);
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity]) {
      assert.throws(() => decodePng(small.bytes, 's.png', { maxPixels: bad }), (e: unknown) => e instanceof InvalidArgumentError && /maxPixels/.test(e.message));
    }
  });

  it('image data that inflates past what IHDR implies is stopped there (a 2 GiB stream for a 64 x 64 image)', () => {
    const bytes = pngFile(ihdr({ width: 64, height: 64, colorType: 0, bitDepth: 8 }), chunk('IDAT', zeroStream(2048)));
    const { ms } = parseFailure(() => decodePng(bytes, 'long.png'), 'long.png', /inflates to more than the 4160 bytes a 64 x 64 8-bit gray image holds/);
    // Inflating all of it would take seconds; stopping after the first step takes milliseconds.
    assert.ok(ms < 1000, `${ms} ms`);
    // The same for an image large enough that the inflater is fed bigger steps: 1 GiB for the
    // 4003750 bytes of an interlaced 2000 x 2000 (the seven passes' rows, each with its filter byte).
    const big = pngFile(ihdr({ width: 2000, height: 2000, colorType: 0, bitDepth: 8, interlaced: true }), chunk('IDAT', zeroStream(1024)));
    const r = parseFailure(() => decodePng(big, 'long2.png'), 'long2.png', /inflates to more than the 4003750 bytes a 2000 x 2000 8-bit gray \(interlaced\) image holds/);
    assert.ok(r.ms < 1000, `${r.ms} ms`);
  });

  it('image data that inflates to less than IHDR implies, a corrupt zlib stream, a bad filter type', () => {
    const s: Spec = { width: 8, height: 8, colorType: 0, bitDepth: 8 };
    const short = pngFile(ihdr(s), chunk('IDAT', deflateSync(new Uint8Array(8 * 9 - 1))));
    parseFailure(() => decodePng(short, 'short.png'), 'short.png', /inflates to 71 bytes, but a 8 x 8 8-bit gray image needs 72/);
    const z = deflateSync(new Uint8Array(72).fill(7));
    const corrupt = z.slice();
    corrupt[2] = 0xff; // block type 3 does not exist
    const { error } = parseFailure(() => decodePng(pngFile(ihdr(s), chunk('IDAT', corrupt)), 'z.png'), 'z.png', /not a valid zlib stream \(zlib: invalid block type\)/);
    assert.ok(error.cause instanceof Error, 'the inflater error is kept as the cause');
    parseFailure(() => decodePng(pngFile(ihdr(s), chunk('IDAT', z.subarray(0, 2))), 'z2.png'), 'z2.png', /zlib/);
    const g = rng(3);
    const noisy = deflateSync(scanlines(s, Array.from({ length: 64 }, () => Math.floor(g.nextDouble() * 256))));
    parseFailure(() => decodePng(pngFile(ihdr(s), chunk('IDAT', noisy.subarray(0, noisy.length - 20))), 'cut.png'), 'cut.png', /stops after \d+ of 72 bytes.*truncated/);
    parseFailure(() => decodePng(pngFile(ihdr(s), chunk('IDAT', deflateSync(new Uint8Array(72).fill(5)))), 'f.png'), 'f.png', /row 1 has filter type 5; PNG defines 0 to 4/);
    parseFailure(() => decodePng(pngFile(ihdr({ ...s, interlaced: true }), chunk('IDAT', deflateSync(new Uint8Array(79).fill(9)))), 'f.png'), 'f.png', /row 1 of Adam7 pass 1 has filter type 9/);
  });

  it('an IHDR PNG does not define: bad sizes, bit depths, color types, methods', () => {
    const ok: Spec = { width: 2, height: 2, colorType: 2, bitDepth: 8 };
    const cases: [Uint8Array, RegExp][] = [
      [ihdr({ ...ok, width: 0 }), /invalid PNG size 0 x 2/],
      [ihdr({ ...ok, height: 2 ** 31 }), /invalid PNG size 2 x 2147483648/],
      [ihdr({ ...ok, bitDepth: 4 }), /bit depth 4 is not allowed for RGB images \(allowed: 8, 16\)/],
      [ihdr({ ...ok, colorType: 3, bitDepth: 16 }), /bit depth 16 is not allowed for palette images/],
      [ihdr({ ...ok, colorType: 5 as ColorType }), /invalid PNG color type 5/],
      [chunk('IHDR', concat([u32(2), u32(2), Uint8Array.from([8, 2, 1, 0, 0])])), /compression method 1/],
      [chunk('IHDR', concat([u32(2), u32(2), Uint8Array.from([8, 2, 0, 1, 0])])), /filter method 1/],
      [chunk('IHDR', concat([u32(2), u32(2), Uint8Array.from([8, 2, 0, 0, 2])])), /interlace method 2/],
      [chunk('IHDR', concat([u32(2), u32(2), Uint8Array.from([8, 2, 0, 0])])), /invalid IHDR chunk: 12 bytes instead of 13/],
    ];
    for (const [header, re] of cases) parseFailure(() => decodePng(pngFile(header, chunk('IDAT', deflateSync(new Uint8Array(14))))), '<buffer>', re);
  });

  it('chunk-level faults: unknown critical chunk, palette missing or too short, second IHDR, no IDAT, bad chunk type', () => {
    const s: Spec = { width: 3, height: 2, colorType: 3, bitDepth: 8 };
    const idat = chunk('IDAT', deflateSync(Uint8Array.from([0, 0, 1, 2, 0, 3, 4, 0])));
    const plte = chunk('PLTE', Uint8Array.from({ length: 15 }, (_, i) => i));
    // Indices 0 1 2 / 3 4 0; entry i is (3i, 3i + 1, 3i + 2).
    assert.deepEqual(Array.from(decodePng(pngFile(ihdr(s), plte, idat)).data), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0, 1, 2]);
    const cases: [Uint8Array, RegExp][] = [
      [pngFile(ihdr(s), plte, chunk('CgBI', new Uint8Array(4)), idat), /unknown critical chunk 'CgBI'/],
      [pngFile(ihdr(s), idat), /a palette image without a palette/],
      [pngFile(ihdr(s), chunk('PLTE', Uint8Array.from([1, 2, 3, 4, 5, 6])), idat), /palette index 2 out of range \(the palette has 2 colors\)/],
      [pngFile(ihdr(s), chunk('PLTE', Uint8Array.from([1, 2, 3, 4])), idat), /invalid PLTE chunk: 4 bytes/],
      [pngFile(ihdr(s), plte, chunk('tRNS', new Uint8Array(6)), idat), /6 alpha values for a palette of 5 colors/],
      [pngFile(ihdr(s), idat, plte), /PLTE chunk comes after image data/],
      [pngFile(ihdr(s), plte, ihdr(s), idat), /a second IHDR/],
      [pngFile(ihdr(s), plte), /no image data \(IDAT chunk\)/],
      [pngFile(ihdr({ ...s, colorType: 0 }), plte, idat), /a gray image cannot have a PLTE chunk/],
      [concat([SIGNATURE, ihdr(s), plte, idat]), /ends before the IEND chunk; it is truncated/],
      [concat([SIGNATURE, ihdr(s), u32(0), Uint8Array.from([0x49, 0x44, 0x41, 0x00]), u32(0)]), /type is not four ASCII letters/],
      [concat([SIGNATURE, ihdr(s), u32(2 ** 31), new TextEncoder().encode('IDAT')]), /IDAT chunk: it declares 2147483648 bytes/],
    ];
    for (const [bytes, re] of cases) parseFailure(() => decodePng(bytes, 'c.png'), 'c.png', re);
  });

  it('every truncation and every single-byte change of a file is a ParseError (CRCs are checked)', () => {
    const { bytes } = makePng({ width: 5, height: 4, colorType: 3, bitDepth: 2, interlaced: true }, 8, { alpha: true, extra: [chunk('tEXt', new TextEncoder().encode('a\0b'))] });
    for (let n = 0; n < bytes.length; n++) parseFailure(() => decodePng(bytes.subarray(0, n), 't.png'), 't.png', /./);
    for (let i = 0; i < bytes.length; i++) {
      const bad = bytes.slice();
      bad[i] = bad[i]! ^ (1 << (i % 8));
      parseFailure(() => decodePng(bad, 'b.png'), 'b.png', /./);
    }
    const crc = bytes.slice();
    crc[bytes.length - 13] = crc[bytes.length - 13]! ^ 1; // the last byte of the last IDAT's CRC
    parseFailure(() => decodePng(crc, 'crc.png'), 'crc.png', /at byte \d+: the IDAT chunk is corrupt: its CRC is 0x[0-9a-f]{8}, its contents give 0x[0-9a-f]{8}/);
  });

  it('corrupt image data under valid CRCs: decoded or a ParseError, never another error', () => {
    const s: Spec = { width: 9, height: 7, colorType: 6, bitDepth: 16, interlaced: true };
    const g = rng(11);
    const z = deflateSync(scanlines(s, Array.from({ length: 9 * 7 * 4 }, () => Math.floor(g.nextDouble() * 65536))));
    for (let i = 0; i < z.length; i++) {
      const bad = z.slice();
      bad[i] = bad[i]! ^ (1 + Math.floor(g.nextDouble() * 255));
      try {
        decodePng(pngFile(ihdr(s), chunk('IDAT', bad)), 'd.png');
      } catch (e) {
        assert.ok(e instanceof ParseError && e.file === 'd.png', `byte ${i}: ${String(e)}`);
      }
    }
  });

  it('readPng names the file in its errors', async () => {
    const path = join(tempDir(), 'bomb.png');
    writeFileSync(path, pngFile(ihdr({ width: 16384, height: 16384, colorType: 0, bitDepth: 8 }), chunk('IDAT', zeroStream(1))));
    await assert.rejects(readPng(path), (e: unknown) => e instanceof ParseError && e.file === path && e.message.startsWith(`${path} at byte 16: image too large`));
    const ok = makePng({ width: 3, height: 3, colorType: 4, bitDepth: 16 }, 2);
    writeFileSync(path, ok.bytes);
    assert.deepEqual(Array.from((await readPng(path)).data), ok.samples);
    await assert.rejects(readPng(path, { maxPixels: 8 }), (e: unknown) => e instanceof ParseError && /3 x 3 = 9 pixels, limit 8/.test(e.message));
  });
});
