/**
 * Example 6: PCA of a real table, with explained variance.
 *
 * The data: scikit-learn's handwritten digits (UCI "Optical Recognition of Handwritten
 * Digits", 1797 images of 8 x 8 pixels with 0..16 ink levels, one row per image; committed
 * in data/digits/). PCA = SVD of the centred data (seed 001, EQ M13.8): the components are
 * the right singular vectors, lambda_i = sigma_i^2 / (n - 1) the variance along each, and
 * the explained-variance ratio is exactly the "energy retained" curve of example 4.
 *
 * Figures to compare with scikit-learn (`PCA().fit(load_digits().data)`): ratios 0.1489,
 * 0.1362, 0.1179, ...; 21 components reach 90% and 29 reach 95% of the variance.
 *
 * Run: npx tsx examples/06-pca.ts
 */
import { fileURLToPath } from 'node:url';
import { PCA, readNpy } from '../src/index.js';

const dataDir = fileURLToPath(new URL('../data/digits/', import.meta.url));
const X = (await readNpy(dataDir + 'digits.npy')).matrix; // 1797 x 64, uint8 widened to float64
const y = (await readNpy(dataDir + 'target.npy')).matrix; // 1797 x 1 labels 0..9
console.log(`digits: ${X.rows} images x ${X.cols} pixels`);

// All components first: the whole explained-variance curve.
let t0 = performance.now();
const full = new PCA().fit(X);
console.log(`PCA (${full.solver}) of all ${full.components.rows} components in ${(performance.now() - t0).toFixed(1)} ms`);
const ratio = full.explainedVarianceRatio;
let cum = 0;
console.log(' k   variance   ratio   cumulative');
for (let k = 0; k < 10; k++) {
  cum += ratio[k]!;
  console.log(`${String(k + 1).padStart(2)}  ${full.explainedVariance[k]!.toFixed(2).padStart(8)}   ${ratio[k]!.toFixed(4)}   ${cum.toFixed(4)}`);
}

// A variance target picks k, as scikit-learn's PCA(n_components=0.95) does.
for (const target of [0.9, 0.95]) {
  const m = new PCA({ components: target }).fit(X);
  console.log(`components for ${target * 100}% of the variance: ${m.components.rows}`);
}

// Keep 2 components: project, reconstruct, and look at where each digit lands.
t0 = performance.now();
const pca2 = new PCA({ components: 2 });
const { model, transformed: scores } = pca2.fitTransform(X);
const back = model.inverseTransform(scores);
const relErr = X.sub(back).norm('fro') / X.norm('fro');
console.log(`\n2 components: fit + transform ${(performance.now() - t0).toFixed(1)} ms, reconstruction error ||X - Xhat||_F / ||X||_F = ${relErr.toFixed(3)}`);
console.log('mean position of each digit on (PC1, PC2):');
const sums = Array.from({ length: 10 }, () => [0, 0, 0]);
for (let i = 0; i < X.rows; i++) {
  const s = sums[y.get(i, 0)]!;
  s[0] = s[0]! + scores.get(i, 0);
  s[1] = s[1]! + scores.get(i, 1);
  s[2] = s[2]! + 1;
}
console.log(sums.map(([a, b, n], d) => `  ${d}: (${(a! / n!).toFixed(1).padStart(5)}, ${(b! / n!).toFixed(1).padStart(5)})`).join('\n'));
