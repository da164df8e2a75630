/**
 * Example 4: scree and energy, or how to pick the rank k.
 *
 * Part 1, seed 001 section 13.2: singular values sigma = (6, 3, 2, 1). Energy is sigma_i^2
 * (36 + 9 + 4 + 1 = 50); the best rank-2 approximation keeps 45 / 50 = 90% of it, and by
 * Eckart-Young its error is sqrt(4 + 1) = sqrt(5).
 * Part 2, a real image: the 512 x 512 "cameraman" photograph (scikit-image's `camera`,
 * public domain; data/images/). Its singular values fall off quickly, so a small k keeps
 * almost all of the energy: the scree table below, then the rank-k picture measured
 * (PSNR, storage) for a few k.
 *
 * Run: npx tsx examples/04-scree-energy.ts
 */
import { readFileSync } from 'node:fs';
import { channelMatrix, compressImage, cumulativeEnergy, decodePng, eckartYoungError, energy, energyRank, svdvals } from '../src/index.js';

// ---- Part 1: sigma = (6, 3, 2, 1) -------------------------------------------------------
const sigma = [6, 3, 2, 1];
const e = energy(sigma);
const cum = cumulativeEnergy(sigma);
console.log(`sigma = (${sigma.join(', ')}), energy sigma^2 = (${Array.from(e).join(', ')}), total ${e.reduce((a, b) => a + b, 0)}`);
console.log(`cumulative energy: ${Array.from(cum, (c) => `${(100 * c).toFixed(0)}%`).join(', ')}`);
const r90 = energyRank(sigma, 0.9);
console.log(`90% of the energy needs rank ${r90.k}: it keeps ${(100 * r90.retained).toFixed(1)}%; ||A - A_2||_F = ${eckartYoungError(sigma, 2).toFixed(4)} = sqrt(5)`);

// ---- Part 2: a real photograph ----------------------------------------------------------
const png = decodePng(readFileSync(new URL('../data/images/camera.png', import.meta.url)), 'camera.png');
const A = channelMatrix(png, 0); // 512 x 512 gray levels in [0, 1]
let t0 = performance.now();
const s = svdvals(A);
console.log(`\ncamera.png: ${A.rows} x ${A.cols} gray, all ${s.length} singular values in ${(performance.now() - t0).toFixed(0)} ms`);
const c = cumulativeEnergy(s);
console.log('  k   sigma_k   energy kept   ||A - A_k||_F / ||A||_F');
for (const k of [1, 2, 5, 10, 20, 50, 100, 200]) {
  console.log(`${String(k).padStart(3)}  ${s[k - 1]!.toFixed(3).padStart(8)}   ${(100 * c[k - 1]!).toFixed(3).padStart(8)}%    ${(eckartYoungError(s, k) / eckartYoungError(s, 0)).toFixed(4)}`);
}
for (const target of [0.99, 0.999]) console.log(`rank for ${(100 * target).toFixed(1)}% of the energy: ${energyRank(s, target).k}`);

// The rank-k pictures themselves: quality (PSNR) against storage.
console.log('');
for (const k of [10, 50]) {
  t0 = performance.now();
  const { report } = compressImage(png, { rank: k, method: 'exact' });
  console.log(`rank-${k} picture: PSNR ${report.psnr.overall.toFixed(2)} dB, stores ${(100 * report.compressionRatio).toFixed(1)}% of the original's numbers (${(performance.now() - t0).toFixed(0)} ms)`);
}
