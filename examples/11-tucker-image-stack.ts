/**
 * Example 11: compress a colour photograph and a colour video with Tucker.
 *
 * A colour image is a 3-way array (rows x columns x 3 channels), a video a 4-way one
 * (frames x rows x columns x 3). Tucker writes it as a small core times one factor per
 * mode, T ≈ G x_0 U_0 x_1 U_1 x_2 U_2 ..., so the rows, the columns, the colours and the
 * frames each get their own basis, shared by everything else.
 *
 * Part 1, the photograph: scikit-image's `chelsea` (451 x 300 RGB, public domain;
 * data/images/). Per-channel truncated SVD (`compressImage`, what `lowrank compress` does)
 * stores three separate rank-k pictures; Tucker with ranks (r_0, r_1, 3) shares one row
 * basis and one column basis across the channels. At the same storage, Tucker's picture is
 * about 3 dB better.
 *
 * Part 2, a video: 40 frames of a camera panning across the same photograph (each frame a
 * 120 x 180 crop, moving 2 pixels down and 6 right per frame; synthesized from the real
 * photo, so the frames share content the way a pan does). Consecutive frames are nearly
 * the same picture, so the time mode compresses hard: compare HOSVD, ST-HOSVD and HOOI,
 * the error as the time rank grows, and compressing each frame and channel by SVD alone.
 *
 * Run: npx tsx examples/11-tucker-image-stack.ts [--out DIR]   (--out writes PNGs of a few
 * original and reconstructed frames)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compressImage, decodePng, encodePng, Matrix, svd, Tensor, tucker, type TuckerMethod } from '../src/index.js';

const png = decodePng(readFileSync(new URL('../data/images/chelsea.png', import.meta.url)), 'chelsea.png');
const { width: W, height: H, channels: C } = png;
const photo = Tensor.fromFunction([H, W, 3], ([y, x, c]) => png.data[(y! * W + x!) * C + c!]! / 255);

/** PSNR (dB) of the reconstruction `R` of `T` (values in [0, 1]) as 8-bit images: clipped, rounded. */
function psnr(T: Tensor, R: Tensor): number {
  const a = T.toFlat();
  const b = R.toFlat();
  let sse = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.round(a[i]! * 255) - Math.round(Math.min(1, Math.max(0, b[i]!)) * 255);
    sse += d * d;
  }
  return 10 * Math.log10((255 * 255) / (sse / a.length));
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const ms = (t0: number): string => `${(performance.now() - t0).toFixed(0)} ms`;

// ---- Part 1: the photograph --------------------------------------------------------------
console.log(`chelsea.png: ${W} x ${H} RGB, a ${photo.shape.join(' x ')} tensor`);
console.log('         per-channel SVD            Tucker (HOOI), same storage');
console.log('rank k   storage   PSNR        ranks          storage   PSNR    error');
for (const k of [10, 20, 50]) {
  const { report } = compressImage(png, { rank: k, method: 'exact' });
  // The largest Tucker ranks (r, r W / H, 3) whose storage does not exceed the SVDs'.
  const budget = report.compressionRatio * photo.size;
  let r = 1;
  while (paramsOf(r + 1) <= budget) r++;
  const ranks = [r, Math.round((r * W) / H), 3];
  const t = tucker(photo, ranks);
  console.log(
    `${String(k).padStart(4)}     ${pct(report.compressionRatio).padStart(5)}   ${report.psnr.overall.toFixed(2)} dB    ` +
      `${`[${ranks.join(', ')}]`.padEnd(14)} ${pct(t.params / photo.size).padStart(5)}   ${psnr(photo, t.full()).toFixed(2)} dB  ${t.relativeError.toFixed(4)}`,
  );
}
function paramsOf(r: number): number {
  const r1 = Math.round((r * W) / H);
  return r * r1 * 3 + H * r + W * r1 + 3 * 3;
}

// ---- Part 2: a panning video -------------------------------------------------------------
const F = 40;
const h = 120;
const w = 180;
const video = Tensor.fromFunction([F, h, w, 3], ([f, y, x, c]) => photo.get([y! + f!, x! + 3 * f!, c!]));
console.log(`\nvideo: ${F} frames of ${h} x ${w} RGB panning across the photo, a ${video.shape.join(' x ')} tensor (${video.size} numbers)`);
const ranks = [12, 40, 60, 3];
console.log(`Tucker ranks [${ranks.join(', ')}]:`);
let best: { t: ReturnType<typeof tucker>; method: TuckerMethod } | undefined;
for (const method of ['hosvd', 'sthosvd', 'hooi'] as const) {
  const t0 = performance.now();
  const t = tucker(video, ranks, { method });
  const time = ms(t0);
  console.log(
    `  ${method.padEnd(8)} relative error ${t.relativeError.toFixed(4)}, PSNR ${psnr(video, t.full()).toFixed(2)} dB, ` +
      `storage ${pct(t.params / video.size)} (${t.compressionRatio.toFixed(1)}x), ${time}${method === 'hooi' ? `, ${t.iterations} iterations` : ''}`,
  );
  best = { t, method };
}

// The time mode: how the error falls as the frames get more basis vectors (ST-HOSVD).
console.log('time rank   relative error   storage');
for (const rt of [1, 2, 4, 8, 16, 40]) {
  const t = tucker(video, [rt, 40, 60, 3], { method: 'sthosvd' });
  console.log(`${String(rt).padStart(9)}   ${t.relativeError.toFixed(4).padStart(14)}   ${pct(t.params / video.size).padStart(7)}`);
}

// Frame by frame, channel by channel: truncated SVD of each 120 x 180 picture, with the
// rank that fits the same storage as the HOOI decomposition above.
const hooi = best!.t;
const k = Math.max(1, Math.round(hooi.params / (F * 3 * (h + w + 1))));
const t0 = performance.now();
const perFrame = new Float64Array(video.size);
for (let f = 0; f < F; f++) {
  for (let c = 0; c < 3; c++) {
    const M = Matrix.fromArray(video.slice([f, null, null, c]).toFlat(), h, w, { order: 'C' });
    const R = svd(M).truncate(k).reconstruct();
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) perFrame[((f * h + y) * w + x) * 3 + c] = R.get(y, x);
  }
}
const frames = new Tensor(perFrame, video.shape);
console.log(
  `each frame and channel by SVD, rank ${k} (storage ${pct((F * 3 * k * (h + w + 1)) / video.size)}): ` +
    `relative error ${(frames.sub(video).norm() / video.norm()).toFixed(4)}, PSNR ${psnr(video, frames).toFixed(2)} dB, ${ms(t0)}`,
);

// --out DIR: a few frames, original and HOOI reconstruction, as PNG.
const outAt = process.argv.indexOf('--out');
if (outAt >= 0) {
  const dir = process.argv[outAt + 1]!;
  mkdirSync(dir, { recursive: true });
  const full = hooi.full();
  const toPng = (T: Tensor, f: number): Uint8Array => {
    const data = new Uint8Array(h * w * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) data[(y * w + x) * 3 + c] = Math.round(Math.min(1, Math.max(0, T.get([f, y, x, c]))) * 255);
    return encodePng({ width: w, height: h, channels: 3, data });
  };
  for (const f of [0, 20, 39]) {
    writeFileSync(join(dir, `frame-${f}-original.png`), toPng(video, f));
    writeFileSync(join(dir, `frame-${f}-tucker.png`), toPng(full, f));
  }
  console.log(`wrote frames 0, 20, 39 (original and Tucker) to ${dir}`);
}
