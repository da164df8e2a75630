import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { encode } from 'fast-png';
import { InvalidArgumentError, ParseError } from '../../src/errors.js';
import { decodePng, encodePng, isPng } from '../../src/io/png.js';
import { rng } from '../helpers.js';

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

  it('an absurd declared size is refused before decoding', () => {
    const bytes = encodePng(randomImage(2, 2, 1, 8, 1)).slice();
    new DataView(bytes.buffer).setUint32(16, 1 << 30);
    new DataView(bytes.buffer).setUint32(20, 1 << 30);
    assert.throws(() => decodePng(bytes, 'huge.png'), (e: unknown) => e instanceof ParseError && /declares/.test(e.message));
  });

  it('an image whose data does not match its size, channels or depth: InvalidArgumentError', () => {
    assert.throws(() => encodePng({ width: 2, height: 2, channels: 3, data: new Uint8Array(11) }), InvalidArgumentError);
    assert.throws(() => encodePng({ width: 2, height: 2, channels: 5, data: new Uint8Array(20) }), InvalidArgumentError);
    assert.throws(() => encodePng({ width: 2, height: 2, channels: 1, depth: 16, data: new Uint8Array(4) }), InvalidArgumentError);
    assert.throws(() => encodePng({ width: 2, height: 2, channels: 1, data: new Uint8Array(4) }, { level: 12 }), InvalidArgumentError);
  });
});
