/**
 * Example 5: NMF finds additive parts (seed 001 section 13.4, EQ M13.6-7).
 *
 * Part 1, parts: 300 synthetic 7 x 7 glyphs, each the sum of a random subset of 6 strokes
 * (top, middle and bottom bars, left and right bars, a diagonal) at random intensities.
 * NMF with k = 6 (the true number of strokes) recovers the strokes as the rows of H: each
 * true stroke is matched to the part it correlates with best, and the parts are drawn. With
 * k = 3 the parts must merge strokes and the fit gets worse.
 *
 * Part 2, topics: NMF of the TF-IDF matrix of passages of State of the Union addresses
 * 1947-2021 (data/corpus/sotu.csv, public domain): each topic is a row of H read through
 * its top words; each passage's row of W says which topics it mixes.
 *
 * Run: npx tsx examples/05-nmf-parts-and-topics.ts
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { Matrix, NMF, NMFTopics, rng } from '../src/index.js';

// ---- Part 1: stroke glyphs --------------------------------------------------------------
const S = 7;
const strokes: [string, (r: number, c: number) => boolean][] = [
  ['top bar', (r) => r === 0],
  ['middle bar', (r) => r === 3],
  ['bottom bar', (r) => r === 6],
  ['left bar', (_r, c) => c === 0],
  ['right bar', (_r, c) => c === 6],
  ['diagonal', (r, c) => r === c],
];
const P = strokes.length;
const truth = Matrix.zeros(P, S * S); // one stroke per row, pixels row by row
strokes.forEach(([, on], p) => {
  for (let r = 0; r < S; r++) for (let c = 0; c < S; c++) if (on(r, c)) truth.set(p, r * S + c, 1);
});
// Glyphs: each stroke present with probability 1/2, intensity in [0.5, 1]; overlapping
// strokes add up (so pixels where two strokes cross are brighter, as ink would be).
const g = rng(7);
const nGlyphs = 300;
const mix = Matrix.zeros(nGlyphs, P);
for (let i = 0; i < nGlyphs; i++) for (let p = 0; p < P; p++) if (g.nextDouble() < 0.5) mix.set(i, p, 0.5 + 0.5 * g.nextDouble());
const glyphs = Matrix.zeros(nGlyphs, S * S);
for (let i = 0; i < nGlyphs; i++) for (let p = 0; p < P; p++) for (let j = 0; j < S * S; j++) glyphs.set(i, j, glyphs.get(i, j) + mix.get(i, p) * truth.get(p, j));

const cosine = (A: Matrix, i: number, B: Matrix, j: number): number => {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let t = 0; t < A.cols; t++) {
    ab += A.get(i, t) * B.get(j, t);
    aa += A.get(i, t) ** 2;
    bb += B.get(j, t) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
};
const relErr = (k: number): { err: number; H: Matrix; ms: number } => {
  const t0 = performance.now();
  const { model, transformed: W } = new NMF({ components: k, init: 'nndsvda', maxIter: 1000, tol: 1e-6, seed: 0 }).fitTransform(glyphs);
  const ms = performance.now() - t0;
  return { err: glyphs.sub(model.inverseTransform(W)).norm('fro') / glyphs.norm('fro'), H: model.components, ms };
};

const six = relErr(P);
console.log(`${nGlyphs} glyphs of ${S}x${S} pixels, built from ${P} strokes`);
console.log(`NMF k = ${P}: relative error ${six.err.toFixed(4)} (${six.ms.toFixed(0)} ms); min entry of H ${Math.min(...six.H.toFlat()).toFixed(3)}`);
const matches = strokes.map(([name], p) => {
  let best = 0;
  let arg = 0;
  for (let q = 0; q < six.H.rows; q++) {
    const c = cosine(truth, p, six.H, q);
    if (c > best) [best, arg] = [c, q];
  }
  return { name, part: arg, cos: best };
});
for (const m of matches) console.log(`  ${m.name.padEnd(11)} -> part ${m.part}, cosine ${m.cos.toFixed(3)}`);
const worst = Math.min(...matches.map((m) => m.cos));
console.log(`every stroke recovered: smallest cosine ${worst.toFixed(3)}, ${new Set(matches.map((m) => m.part)).size} distinct parts`);

// Draw the parts (darker character = larger weight).
const shades = ' .:-=+*#@';
const rowsOut: string[] = Array.from({ length: S }, () => '');
for (let q = 0; q < six.H.rows; q++) {
  let max = 0;
  for (let j = 0; j < S * S; j++) max = Math.max(max, six.H.get(q, j));
  for (let r = 0; r < S; r++) {
    let line = '';
    for (let c = 0; c < S; c++) line += shades[Math.round((six.H.get(q, r * S + c) / max) * (shades.length - 1))];
    rowsOut[r] += line + '   ';
  }
}
console.log(rowsOut.join('\n'));
const three = relErr(3);
console.log(`NMF k = 3 (too few parts, strokes get merged): relative error ${three.err.toFixed(4)}`);

// ---- Part 2: topics of the State of the Union addresses ---------------------------------
const rows = parse(readFileSync(new URL('../data/corpus/sotu.csv', import.meta.url)), { columns: true }) as { year: string; president: string; text: string }[];
const t0 = performance.now();
const topics = new NMFTopics({ topics: 8, nmf: { seed: 0 } }).fit(rows.map((r) => r.text));
const years = [...new Set(rows.map((r) => r.year))];
console.log(`\n${rows.length} passages of ${years.length} State of the Union addresses (${years[0]}-${years.at(-1)}), ${topics.vocabulary.length} terms; 8 NMF topics in ${(performance.now() - t0).toFixed(0)} ms:`);
topics.topTerms(8).forEach((t, i) => console.log(`  topic ${i}: ${t.map((w) => w.term).join(' ')}`));
// An address's topic mix: the sum of its passages' rows of W.
const W = topics.documentTopics;
for (const year of [years[0]!, years[Math.floor(years.length / 2)]!, years.at(-1)!]) {
  const sums = new Float64Array(W.cols);
  let president = '';
  rows.forEach((r, d) => {
    if (r.year !== year) return;
    president = r.president;
    for (let t = 0; t < W.cols; t++) sums[t] = sums[t]! + W.get(d, t);
  });
  const order = Array.from(sums.keys()).sort((a, b) => sums[b]! - sums[a]!);
  console.log(`  ${year} ${president}: topics ${order.slice(0, 3).join(', ')} lead`);
}
