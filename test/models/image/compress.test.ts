import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AbortedError, InvalidArgumentError } from '../../../src/errors.js';
import { readPng } from '../../../src/io/png-file.js';
import { decodePng, encodePng } from '../../../src/io/png.js';
import { svdvals } from '../../../src/linalg/svd.js';
import { compressImage, compressionCurve } from '../../../src/models/image/compress.js';
import { channelMatrix, checkRaster, toGrayscale, type RasterImage } from '../../../src/models/image/raster.js';
import type { Progress } from '../../../src/progress.js';
import { rng } from '../../helpers.js';

interface SpectrumFixture {
  width: number;
  height: number;
  channels: number;
  sample_sum: number[];
  spectra: number[][];
  ranks: Record<string, { energy: number[]; energy_overall: number; relative_error_overall: number; ratio: number }>;
}

const fixture = (name: string): SpectrumFixture => JSON.parse(readFileSync(`test/fixtures/compress/${name}.json`, 'utf8')) as SpectrumFixture;

/** A smooth picture plus noise: a spectrum with a few large values and a long tail. */
function synthetic(width: number, height: number, channels: number, depth: 8 | 16, seed: number): RasterImage {
  const g = rng(seed);
  const max = depth === 16 ? 65535 : 255;
  const data = depth === 16 ? new Uint16Array(width * height * channels) : new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const v = 0.5 + 0.3 * Math.sin((x + 3 * c) / 5) * Math.cos(y / 7) + 0.1 * Math.sin((x * y) / 50) + 0.05 * g.nextNormal();
        data[(y * width + x) * channels + c] = Math.max(0, Math.min(max, Math.round(v * max)));
      }
    }
  }
  return { width, height, channels, depth, data };
}

const close = (a: number, b: number, tol: number, what: string): void => assert.ok(a === b || Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

describe('compressImage on the committed photos (numpy reference spectra)', () => {
  it('camera.png (512x512 gray): spectrum, energy at every rank, error and ratio match numpy', async () => {
    const ref = fixture('camera');
    const img = await readPng('data/images/camera.png');
    assert.equal(img.width, ref.width);
    assert.equal(img.channels, 1);
    assert.equal(Array.from(img.data).reduce((t, v) => t + v, 0), ref.sample_sum[0]);
    const { report, image } = compressImage(img, { rank: 30, method: 'exact' });
    const s = report.spectrum[0]!;
    assert.equal(s.length, 512);
    ref.spectra[0]!.forEach((v, i) => close(s[i]!, v, 1e-10 * ref.spectra[0]![0]!, `s[${i}]`));
    const total = s.reduce((t, v) => t + v * v, 0);
    for (const [k, r] of Object.entries(ref.ranks)) {
      const kept = s.subarray(0, Number(k)).reduce((t, v) => t + v * v, 0);
      close(kept / total, r.energy_overall, 1e-11, `energy k=${k}`);
    }
    const r = ref.ranks['30']!;
    close(report.energyRetained.overall, r.energy_overall, 1e-11, 'energy k=30');
    close(report.relativeError.overall, r.relative_error_overall, 1e-9, 'relative error k=30');
    assert.equal(report.compressionRatio, r.ratio);
    assert.equal(report.storedValues, 30 * (512 + 512 + 1));
    assert.equal(image.width, 512);
    assert.ok(image.data instanceof Uint8Array);
    assert.ok(report.psnr.overall > 25 && report.psnr.overall < 40, `psnr ${report.psnr.overall}`);
  });

  it('chelsea.png (451x300 RGB): per-channel energies match numpy; randomized is within 0.1% of the optimal error', async () => {
    const ref = fixture('chelsea');
    const img = await readPng('data/images/chelsea.png');
    assert.equal(img.channels, 3);
    const exact = compressImage(img, { rank: 20, method: 'exact' });
    const r = ref.ranks['20']!;
    exact.report.energyRetained.channels.forEach((e, c) => close(e, r.energy[c]!, 1e-11, `channel ${c}`));
    close(exact.report.energyRetained.overall, r.energy_overall, 1e-11, 'overall');
    assert.equal(exact.report.colorChannels, 3);
    assert.equal(exact.report.alpha, 'none');
    const fast = compressImage(img, { rank: 20, method: 'randomized', seed: 3 });
    assert.equal(fast.report.method, 'randomized');
    assert.equal(fast.report.spectrum[0]!.length, 20);
    const opt = exact.report.relativeError.overall;
    assert.ok(fast.report.relativeError.overall >= opt * (1 - 1e-9), 'no rank-20 approximation beats Eckart-Young');
    assert.ok(fast.report.relativeError.overall <= opt * 1.001, `${fast.report.relativeError.overall} vs optimal ${opt}`);
  });
});

describe('compressImage properties', () => {
  it('error^2 = discarded energy per channel (Eckart-Young), 8- and 16-bit, gray and RGB', () => {
    for (const [channels, depth] of [[1, 8], [3, 16]] as const) {
      const img = synthetic(37, 29, channels, depth, channels);
      const src = checkRaster(img, 'test');
      for (const k of [1, 3, 10]) {
        const { report } = compressImage(img, { rank: k, method: 'exact' });
        for (let c = 0; c < channels; c++) {
          const s = svdvals(channelMatrix(src, c));
          let tot = 0, tail = 0;
          s.forEach((v, i) => { tot += v * v; if (i >= k) tail += v * v; });
          close(report.relativeError.channels[c]!, Math.sqrt(tail / tot), 1e-12, `error c=${c} k=${k}`);
          close(report.energyRetained.channels[c]!, 1 - tail / tot, 1e-12, `energy c=${c} k=${k}`);
        }
        close(report.compressionRatio, (k * (37 + 29 + 1)) / (37 * 29), 0, 'ratio');
        close(report.relativeError.overall ** 2, 1 - report.energyRetained.overall, 1e-12, 'overall');
      }
    }
  });

  it('energy grows and error falls with the rank; PSNR of the written pixels improves', () => {
    const img = synthetic(40, 30, 1, 8, 9);
    let prev = { e: 0, err: Infinity, psnr: 0 };
    for (const k of [1, 2, 4, 8, 16]) {
      const { report } = compressImage(img, { rank: k });
      assert.ok(report.energyRetained.overall > prev.e && report.relativeError.overall < prev.err);
      assert.ok(report.psnr.overall > prev.psnr - 0.5, `psnr ${report.psnr.overall} at k=${k}`);
      prev = { e: report.energyRetained.overall, err: report.relativeError.overall, psnr: report.psnr.overall };
    }
  });

  it('full rank reproduces the image exactly after rounding (8 and 16 bit), and rank is clamped to min(w, h)', () => {
    for (const depth of [8, 16] as const) {
      const img = synthetic(23, 17, 3, depth, depth);
      const { image, report } = compressImage(img, { rank: 1000 });
      assert.equal(report.rank, 17);
      assert.deepEqual(image.data, img.data);
      assert.equal(report.psnr.overall, Infinity);
      assert.ok(report.relativeError.overall < 1e-13);
      close(report.energyRetained.overall, 1, 1e-13, 'energy');
    }
  });

  it('compressionCurve gives the same reports as compressImage at each rank, in the order asked', () => {
    const img = synthetic(33, 21, 3, 8, 12);
    const curve = compressionCurve(img, [8, 1, 3, 50], { method: 'exact' });
    assert.deepEqual(curve.map((r) => r.rank), [8, 1, 3, 21]);
    for (const r of curve) {
      const one = compressImage(img, { rank: r.rank, method: 'exact' }).report;
      close(r.energyRetained.overall, one.energyRetained.overall, 1e-13, `energy k=${r.rank}`);
      close(r.relativeError.overall, one.relativeError.overall, 1e-12, `error k=${r.rank}`);
      close(r.psnr.overall, one.psnr.overall, 1e-9, `psnr k=${r.rank}`);
      assert.equal(r.compressionRatio, one.compressionRatio);
    }
    assert.throws(() => compressionCurve(img, []), /at least one rank/);
  });

  it('PNG round trip: the compressed image encodes and decodes to the same samples', () => {
    const { image } = compressImage(synthetic(31, 19, 3, 8, 4), { rank: 3 });
    assert.deepEqual(decodePng(encodePng(image)).data, image.data);
  });

  it('alpha is copied unchanged (keep) or removed (drop), never factored; the input is not mutated', () => {
    const img = synthetic(20, 16, 4, 8, 2);
    const before = img.data.slice();
    const kept = compressImage(img, { rank: 2 });
    assert.equal(kept.image.channels, 4);
    assert.equal(kept.report.colorChannels, 3);
    assert.equal(kept.report.alpha, 'kept');
    for (let p = 0; p < 20 * 16; p++) assert.equal(kept.image.data[p * 4 + 3], img.data[p * 4 + 3]);
    const dropped = compressImage(img, { rank: 2, alpha: 'drop' });
    assert.equal(dropped.image.channels, 3);
    assert.equal(dropped.report.alpha, 'dropped');
    for (let p = 0; p < 20 * 16; p++) for (let c = 0; c < 3; c++) assert.equal(dropped.image.data[p * 3 + c], kept.image.data[p * 4 + c]);
    assert.deepEqual(img.data, before);
    const la = toGrayscale(img);
    assert.equal(la.channels, 2);
    assert.equal(compressImage(la, { rank: 2 }).report.colorChannels, 1);
  });

  it('a canvas ImageData comes back as a Uint8ClampedArray RGBA image', () => {
    const src = synthetic(12, 10, 4, 8, 6);
    const img = { width: 12, height: 10, data: new Uint8ClampedArray(src.data) };
    const { image } = compressImage(img, { rank: 12 });
    assert.ok(image.data instanceof Uint8ClampedArray);
    assert.deepEqual(Array.from(image.data), Array.from(img.data));
  });

  it('all-black and constant images: energy 1 and error 0 (rank 1 is exact)', () => {
    const black = compressImage({ width: 5, height: 4, channels: 1, data: new Uint8Array(20) }, { rank: 1 });
    assert.equal(black.report.energyRetained.overall, 1);
    assert.equal(black.report.relativeError.overall, 0);
    const flat = compressImage({ width: 5, height: 4, channels: 1, data: new Uint8Array(20).fill(200) }, { rank: 1 });
    assert.deepEqual(Array.from(flat.image.data), new Array(20).fill(200));
  });

  it('reports progress per channel and stops on an aborted signal', () => {
    const seen: Progress[] = [];
    compressImage(synthetic(10, 10, 3, 8, 1), { rank: 2, onProgress: (p) => seen.push(p) });
    assert.deepEqual(seen.map((p) => [p.stage, p.done, p.total]), [['channel', 1, 3], ['channel', 2, 3], ['channel', 3, 3]]);
    const ac = new AbortController();
    ac.abort();
    assert.throws(() => compressImage(synthetic(10, 10, 1, 8, 1), { rank: 2, signal: ac.signal }), AbortedError);
  });

  it('bad options and images: InvalidArgumentError naming the problem', () => {
    const img = synthetic(6, 5, 1, 8, 1);
    assert.throws(() => compressImage(img, { rank: 0 }), /rank must be an integer >= 1/);
    assert.throws(() => compressImage(img, { rank: 1.5 }), InvalidArgumentError);
    assert.throws(() => compressImage(img, { rank: 2, method: 'magic' as 'exact' }), /method/);
    assert.throws(() => compressImage(img, { rank: 2, alpha: 'blend' as 'keep' }), /alpha/);
    assert.throws(() => compressImage({ width: 0, height: 3, channels: 1, data: new Uint8Array(0) }, { rank: 1 }), /nothing to compress/);
    assert.throws(() => compressImage({ width: 3, height: 3, channels: 3, data: new Uint8Array(10) }, { rank: 1 }), /needs 27 samples/);
  });
});
