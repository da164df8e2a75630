/**
 * The image compression instrument's model, without DOM: one SVD per color channel
 * (computed once per image), then for any k the rank-k reconstruction of every channel,
 * the relative error, the PSNR and the storage of the factors.
 */
import { svd, type Matrix, type Svd } from '../../src/browser.js';

/** What the instrument shows for one k. */
export interface CompressedAtK {
  readonly k: number;
  /** Rank-k channels, values roughly in [0, 1] (clamped when drawn). */
  readonly channels: Matrix[];
  /** sqrt(sum over channels ||C - C_k||_F^2 / sum ||C||_F^2). */
  readonly relError: number;
  /** Peak signal-to-noise ratio in dB on the [0, 1] scale, 10 log10(1 / MSE). */
  readonly psnr: number;
  /** Numbers stored, channels * k (h + w + 1). */
  readonly stored: number;
  /** stored / (channels * h * w). */
  readonly ratio: number;
}

/** Per-channel SVDs of an image given as channel matrices (1 = gray, 3 = RGB). */
export class ChannelSvd {
  readonly channels: readonly Matrix[];
  readonly svds: readonly Svd[];
  private readonly sqNorm: number;

  constructor(channels: readonly Matrix[]) {
    this.channels = channels;
    this.svds = channels.map((C) => svd(C));
    this.sqNorm = channels.reduce((a, C) => a + C.norm('fro') ** 2, 0);
  }

  /** min(h, w). */
  get maxK(): number {
    return this.svds[0]!.s.length;
  }

  /** Reconstruct every channel at rank k (1 <= k <= maxK). Cost: channels * h * w * k flops * 2. */
  at(k: number): CompressedAtK {
    const h = this.channels[0]!.rows, w = this.channels[0]!.cols;
    const out = this.svds.map((f) => f.truncate(k).reconstruct());
    let err = 0;
    out.forEach((Ck, c) => {
      err += this.channels[c]!.sub(Ck).norm('fro') ** 2;
    });
    const count = this.channels.length * h * w;
    const mse = err / count;
    const stored = this.channels.length * k * (h + w + 1);
    return {
      k,
      channels: out,
      relError: this.sqNorm > 0 ? Math.sqrt(err / this.sqNorm) : 0,
      psnr: mse > 0 ? 10 * Math.log10(1 / mse) : Infinity,
      stored,
      ratio: stored / count,
    };
  }
}
