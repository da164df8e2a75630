/**
 * In-memory raster images as the image models see them: interleaved 8- or 16-bit samples,
 * row by row, the layout of a decoded PNG and of a browser canvas's `ImageData` (which can
 * be passed as is). Channels: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA.
 *
 * The helpers move one channel in and out of a {@link Matrix} (height x width, samples
 * scaled to [0, 1]), which is how the image models factor pictures.
 */
import { InvalidArgumentError } from '../../errors.js';
import { Matrix } from '../../matrix/matrix.js';

/** Sample storage of a {@link RasterImage}: 8-bit (`Uint8Array`, or a canvas's `Uint8ClampedArray`) or 16-bit. */
export type RasterData = Uint8Array | Uint8ClampedArray | Uint16Array;

/**
 * A raster image: `width` x `height` pixels of `channels` samples each, interleaved row by
 * row (sample c of pixel (x, y) is `data[(y * width + x) * channels + c]`).
 */
export interface RasterImage {
  /** Width in pixels (an integer >= 0). */
  readonly width: number;
  /** Height in pixels (an integer >= 0). */
  readonly height: number;
  /** 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA. Default: `data.length / (width * height)` (a canvas `ImageData` has 4). */
  readonly channels?: number;
  /** Bits per sample, 8 or 16. Default: 16 for a `Uint16Array`, else 8. */
  readonly depth?: number;
  /** The samples, interleaved row by row: width * height * channels of them. */
  readonly data: RasterData;
}

/** A {@link RasterImage} with every field resolved and checked. */
export interface CheckedRaster {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA. */
  readonly channels: 1 | 2 | 3 | 4;
  /** Bits per sample: 8 (`Uint8Array` or `Uint8ClampedArray` data) or 16 (`Uint16Array`). */
  readonly depth: 8 | 16;
  /** The samples, interleaved row by row: width * height * channels of them. */
  readonly data: RasterData;
}

/** Largest sample value of a depth: 255 or 65535. */
export function maxSample(depth: 8 | 16): number {
  return depth === 16 ? 65535 : 255;
}

/** Whether the last channel of an image with this many channels is alpha (2 and 4 channels). */
export function hasAlpha(channels: number): boolean {
  return channels === 2 || channels === 4;
}

/**
 * Resolve and check an image's fields.
 * @param what - name used in error messages (e.g. 'compressImage').
 * @throws InvalidArgumentError for a non-integer or negative size, a channel count outside
 * 1..4, a data length that does not match, or a depth that does not match the array type.
 */
export function checkRaster(image: RasterImage, what: string): CheckedRaster {
  if (typeof image !== 'object' || image === null) throw new InvalidArgumentError(`${what}: expected an image { width, height, channels, data }`);
  const { width, height, data } = image;
  if (!(Number.isInteger(width) && width >= 0 && Number.isInteger(height) && height >= 0)) {
    throw new InvalidArgumentError(`${what}: width and height must be integers >= 0, got ${String(width)} x ${String(height)}`);
  }
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray || data instanceof Uint16Array)) {
    throw new InvalidArgumentError(`${what}: image data must be a Uint8Array, Uint8ClampedArray or Uint16Array`);
  }
  const pixels = width * height;
  const channels = image.channels ?? (pixels > 0 ? data.length / pixels : 1);
  if (!(channels === 1 || channels === 2 || channels === 3 || channels === 4)) {
    throw new InvalidArgumentError(`${what}: channels must be 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA), got ${channels}`);
  }
  if (data.length !== pixels * channels) {
    throw new InvalidArgumentError(`${what}: a ${width}x${height} image with ${channels} channel(s) needs ${pixels * channels} samples, data has ${data.length}`);
  }
  const depth = image.depth ?? (data instanceof Uint16Array ? 16 : 8);
  if (depth !== 8 && depth !== 16) throw new InvalidArgumentError(`${what}: depth must be 8 or 16 bits per sample, got ${depth}`);
  if ((depth === 16) !== data instanceof Uint16Array) {
    throw new InvalidArgumentError(`${what}: depth ${depth} needs ${depth === 16 ? 'a Uint16Array' : 'a Uint8Array or Uint8ClampedArray'} of samples`);
  }
  return { width, height, channels, depth, data };
}

/**
 * Channel `c` of an image as a height x width float64 Matrix with samples scaled to [0, 1]
 * (divided by 255 or 65535). O(width height).
 */
export function channelMatrix(image: CheckedRaster, c: number): Matrix {
  const { width: n, height: m, channels, data } = image;
  const scale = 1 / maxSample(image.depth);
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    let src = i * n * channels + c;
    for (let j = 0; j < n; j++, src += channels) out[i + j * m] = data[src]! * scale;
  }
  return new Matrix(out, m, n);
}

/**
 * Write a height x width Matrix of values in [0, 1] into channel `c` of `target`: each value
 * is scaled to the sample range, rounded to nearest and clamped (values outside [0, 1], which
 * a low-rank approximation produces near edges, saturate). O(width height).
 */
export function setChannel(target: CheckedRaster, c: number, M: Matrix): void {
  const { width: n, height: m, channels, data } = target;
  const max = maxSample(target.depth);
  for (let i = 0; i < m; i++) {
    let dst = i * n * channels + c;
    for (let j = 0; j < n; j++, dst += channels) {
      const v = Math.round(M.get(i, j) * max);
      data[dst] = v < 0 ? 0 : v > max ? max : v;
    }
  }
}

/** An all-zero image of the same size, depth and array type as `like`, with `channels` channels. */
export function blankLike(like: CheckedRaster, channels: 1 | 2 | 3 | 4): CheckedRaster {
  const n = like.width * like.height * channels;
  const data = like.data instanceof Uint16Array ? new Uint16Array(n) : like.data instanceof Uint8ClampedArray ? new Uint8ClampedArray(n) : new Uint8Array(n);
  return { width: like.width, height: like.height, channels, depth: like.depth, data };
}

/** Copy channel `from` of `source` into channel `to` of `target` (same size and depth). */
export function copyChannel(source: CheckedRaster, from: number, target: CheckedRaster, to: number): void {
  const pixels = source.width * source.height;
  for (let p = 0; p < pixels; p++) target.data[p * target.channels + to] = source.data[p * source.channels + from]!;
}

/**
 * The luma of an RGB(A) image as a gray image (gray + alpha when it has alpha), with the
 * ITU-R BT.709 weights 0.2126 R + 0.7152 G + 0.0722 B on the stored (gamma-encoded) samples,
 * as scikit-image's `rgb2gray`. Gray images are returned as they are.
 */
export function toGrayscale(image: RasterImage): CheckedRaster {
  const src = checkRaster(image, 'toGrayscale');
  if (src.channels <= 2) return src;
  const out = blankLike(src, src.channels === 4 ? 2 : 1);
  const pixels = src.width * src.height;
  const max = maxSample(src.depth);
  const d = src.data;
  for (let p = 0; p < pixels; p++) {
    const s = p * src.channels;
    const y = Math.round(0.2126 * d[s]! + 0.7152 * d[s + 1]! + 0.0722 * d[s + 2]!);
    out.data[p * out.channels] = y > max ? max : y;
    if (src.channels === 4) out.data[p * 2 + 1] = d[s + 3]!;
  }
  return out;
}
