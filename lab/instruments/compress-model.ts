/**
 * The image compression instrument's model, without DOM: one SVD per color channel
 * (computed once per image), then for any k the rank-k reconstruction of every channel,
 * its residual, the relative error, the PSNR, whether the 8-bit picture is unchanged, the
 * storage of the factors; and, from the singular values alone, the error and the storage
 * for every k with the break-even rank (where the factors cost as much as the pixels).
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
  /** Pixel values (over all channels) that differ from the original once rounded to 8 bits. */
  readonly changed: number;
  /** True when the rank-k picture rounded to 8 bits is the original exactly. */
  readonly lossless: boolean;
}

/** Error and storage for every k from 0 to maxK, from the singular values alone. */
export interface CompressionCurve {
  /** relError[k] = sqrt(sum_c sum_{i >= k} sigma_ci^2 / sum_c ||C||_F^2) (Eckart–Young). */
  readonly relError: Float64Array;
  /** storage[k] = k (h + w + 1) / (h w): the factors' numbers over the pixels'. */
  readonly storage: Float64Array;
  /** The smallest k whose factors hold at least as many numbers as the pixels: ceil(h w / (h + w + 1)). */
  readonly breakEven: number;
}

/** ceil(h w / (h + w + 1)): from this rank on, U_k, s_k, V_k take as much room as the picture. */
export function breakEvenRank(h: number, w: number): number {
  return Math.ceil((h * w) / (h + w + 1));
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
    let err = 0, changed = 0;
    out.forEach((Ck, c) => {
      const C = this.channels[c]!;
      err += C.sub(Ck).norm('fro') ** 2;
      for (let j = 0; j < w; j++) {
        for (let i = 0; i < h; i++) {
          const a = Math.round(255 * C.get(i, j));
          const b = Math.round(255 * Math.min(1, Math.max(0, Ck.get(i, j))));
          if (a !== b) changed++;
        }
      }
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
      changed,
      lossless: changed === 0,
    };
  }

  /** Error and storage for k = 0 .. maxK, and the break-even rank. */
  curve(): CompressionCurve {
    const h = this.channels[0]!.rows, w = this.channels[0]!.cols;
    const K = this.maxK;
    const tail = new Float64Array(K + 1);
    for (const f of this.svds) {
      // Suffix sums of sigma^2, smallest first (less rounding than total minus prefix).
      let acc = 0;
      for (let i = K - 1; i >= 0; i--) {
        acc += f.s[i]! ** 2;
        tail[i] = tail[i]! + acc;
      }
    }
    const total = tail[0]!;
    const relError = tail.map((t) => (total > 0 ? Math.sqrt(Math.max(0, t) / total) : 0));
    const storage = Float64Array.from({ length: K + 1 }, (_, k) => (k * (h + w + 1)) / (h * w));
    return { relError, storage, breakEven: breakEvenRank(h, w) };
  }
}
