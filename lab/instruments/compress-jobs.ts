/**
 * The image compression instrument's work, run in the Lab's compute worker: the per-channel
 * SVDs of the current picture (kept until another picture arrives) and, for a rank k, the
 * rank-k picture, its residual, the numbers, and the error/storage curve over all k.
 */
import { Matrix } from '../../src/browser.js';
import { DIVERGING, scalarRgba } from '../charts.js';
import { transfer } from '../worker.js';
import { ChannelSvd } from './compress-model.js';

/** The residual's colour scale spans ±RESIDUAL_RANGE (pixel values are 0..1): fixed, so it fades as k grows. */
export const RESIDUAL_RANGE = 0.25;

/** Input of 'compress.view': the picture (RGBA bytes; `id` names it) and k. */
export interface CompressInput {
  id: number;
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  /** Treat as gray (R = G = B): one channel instead of three. */
  gray: boolean;
  k: number;
}

/** Output of 'compress.view'. */
export interface CompressOutput {
  id: number;
  k: number;
  width: number;
  height: number;
  channels: number;
  maxK: number;
  /** The rank-k picture, RGBA bytes. */
  rgba: Uint8ClampedArray<ArrayBuffer>;
  /** Original minus rank-k, averaged over the channels, row-major height x width. */
  residual: Float32Array;
  relError: number;
  psnr: number;
  stored: number;
  ratio: number;
  changed: number;
  lossless: boolean;
  /** relError and storage for k = 0 .. maxK, and the break-even rank. */
  curveError: Float64Array;
  curveStorage: Float64Array;
  breakEven: number;
}

let cached: { id: number; model: ChannelSvd } | undefined;

function channelsOf(input: CompressInput): Matrix[] {
  const { width: w, height: h, rgba } = input;
  const n = input.gray ? 1 : 3;
  return Array.from({ length: n }, (_, c) => {
    const M = Matrix.zeros(h, w);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) M.set(y, x, rgba[4 * (y * w + x) + c]! / 255);
    return M;
  });
}

/** The view of picture `id` at rank k. */
export function compressView(input: CompressInput): CompressOutput {
  if (cached?.id !== input.id) cached = { id: input.id, model: new ChannelSvd(channelsOf(input)) };
  const model = cached.model;
  const k = Math.min(model.maxK, Math.max(1, Math.round(input.k)));
  const r = model.at(k);
  const { width: w, height: h } = input;
  const rgba = new Uint8ClampedArray(4 * w * h);
  const residual = new Float32Array(w * h);
  const nc = r.channels.length;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      let res = 0;
      for (let c = 0; c < 3; c++) {
        const ch = nc === 1 ? 0 : c;
        const v = r.channels[ch]!.get(y, x);
        rgba[4 * p + c] = Math.round(255 * Math.min(1, Math.max(0, v)));
        if (c < nc) res += model.channels[ch]!.get(y, x) - v;
      }
      rgba[4 * p + 3] = 255;
      residual[p] = res / nc;
    }
  }
  const curve = model.curve();
  return {
    id: input.id,
    k,
    width: w,
    height: h,
    channels: nc,
    maxK: model.maxK,
    rgba,
    residual,
    relError: r.relError,
    psnr: r.psnr,
    stored: r.stored,
    ratio: r.ratio,
    changed: r.changed,
    lossless: r.lossless,
    curveError: curve.relError,
    curveStorage: curve.storage,
    breakEven: curve.breakEven,
  };
}

/** Output of the 'compress.view' job: {@link CompressOutput} and both pictures ready to show. */
export interface CompressPictures extends CompressOutput {
  /** The rank-k picture and the residual on the diverging scale (±{@link RESIDUAL_RANGE}), as bitmaps. */
  picture: ImageBitmap;
  residualPicture: ImageBitmap;
}

/**
 * The view of picture `id` at rank k with both pictures as ImageBitmaps, made here and
 * transferred with the reply, so the page shows a 512 x 512 picture without copying or
 * colouring its pixels on the main thread.
 */
export async function compressViewPictures(input: CompressInput): Promise<CompressPictures> {
  const out = compressView(input);
  const { width: w, height: h } = out;
  const [picture, residualPicture] = await Promise.all([
    createImageBitmap(new ImageData(out.rgba, w, h)),
    createImageBitmap(new ImageData(scalarRgba(out.residual, w, h, { scale: DIVERGING, lo: -RESIDUAL_RANGE, hi: RESIDUAL_RANGE }), w, h)),
  ]);
  return transfer({ ...out, picture, residualPicture }, [picture, residualPicture, out.rgba.buffer, out.residual.buffer]);
}

/** The jobs this instrument runs in the worker. */
export const jobs = { 'compress.view': compressViewPictures };
