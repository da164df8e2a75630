/**
 * Example 15: low-rank KV caches and embedding dimensions, on real text.
 *
 * The data: word embeddings learned from 26 State of the Union addresses
 * (data/corpus/sotu.csv, public domain) by ppmiEmbeddings (SVD of the shifted PPMI matrix,
 * 100 dimensions, 2,793 words), and the first 512 in-vocabulary words of the 2019 address.
 *
 * 1. A KV cache. There is no trained transformer in this repository, so the attention head
 *    is made up: its inputs are the real word vectors of the 512 tokens (standardized per
 *    token, as a pre-LayerNorm transformer does), its projections W_Q, W_K, W_V (100 x 64)
 *    are random Gaussian, and there is no positional encoding. Its keys and values
 *    (512 x 64) therefore carry the structure of the text's embeddings, not that of a
 *    trained head (whose keys are known to be lower rank). lowRankKV keeps rank r of each
 *    cache: the error of the caches, of the attention scores Q K^T and of the attention
 *    output against the memory saved.
 * 2. Embedding dimensions. reduceEmbeddings rotates the 2,793 word vectors by their
 *    principal axes; recall@10 of cosine neighbours for each prefix size, against the first
 *    d coordinates as they are and a random projection to d dimensions.
 *
 * Run: npx tsx examples/15-kv-cache.ts [--out DIR]   (DIR/words.npy: the word vectors, for `lowrank embeddings reduce`)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { cosineRecall, lowRankKV, Matrix, matmul, ppmiEmbeddings, qr, reduceEmbeddings, writeNpy } from '../src/index.js';

const rows = parse(readFileSync(new URL('../data/corpus/sotu.csv', import.meta.url)), { columns: true }) as { year: string; president: string; text: string }[];
const words = ppmiEmbeddings(rows.map((r) => r.text), { dim: 100 });
const E = words.vectors; // 2793 x 100
console.log(`word vectors: ${E.rows} words x ${E.cols} dimensions from ${rows.length} passages (ppmiEmbeddings, window 2, min count 5)`);

// ---------------------------------------------------------------- 1. a KV cache
const year = '2019';
const index = new Map(words.vocabulary.map((w, i) => [w, i]));
const tokens = rows
  .filter((r) => r.year === year)
  .flatMap((r) => r.text.toLowerCase().match(/[a-z]{2,}/g) ?? [])
  .filter((w) => index.has(w))
  .slice(0, 512);
const t = tokens.length;
// Token inputs: the word vectors, standardized per token (zero mean, unit variance).
const X = Matrix.zeros(t, E.cols);
tokens.forEach((w, i) => {
  const row = E.row(index.get(w)!).toArray()[0]!;
  const mu = row.reduce((a, v) => a + v, 0) / row.length;
  const sd = Math.sqrt(row.reduce((a, v) => a + (v - mu) ** 2, 0) / row.length);
  row.forEach((v, j) => X.set(i, j, (v - mu) / sd));
});
const d = 64;
const proj = (seed: number) => Matrix.random(E.cols, d, { seed, distribution: 'normal' }).scale(1 / Math.sqrt(E.cols));
const Q = matmul(X, proj(1));
const K = matmul(X, proj(2));
const V = matmul(X, proj(3));
console.log(`\none attention head over ${t} tokens of the ${year} address ("${tokens.slice(0, 8).join(' ')} ..."): K, V, Q are ${t} x ${d}`);
const kv0 = lowRankKV(K, V, { rank: d });
const energy = (s: Float64Array, r: number) => s.subarray(0, r).reduce((a, v) => a + v * v, 0) / s.reduce((a, v) => a + v * v, 0);
console.log(`  energy of K in its top 8 / 16 / 32 directions: ${[8, 16, 32].map((r) => `${(100 * energy(kv0.keySingularValues, r)).toFixed(0)}%`).join(' / ')}`);
console.log('   rank  memory saved  key error  value error  score error  attention output error');
for (const r of [4, 8, 16, 24, 32, 48, 64]) {
  const kv = lowRankKV(K, V, { rank: r, queries: Q });
  console.log(`  ${String(r).padStart(5)}  ${`${(100 * kv.memory.saved).toFixed(1)}%`.padStart(12)}  ${kv.keyError.toFixed(4).padStart(9)}  ${kv.valueError.toFixed(4).padStart(11)}  ${kv.scoreRelativeError!.toFixed(4).padStart(11)}  ${kv.attentionRelativeError!.toFixed(4).padStart(22)}`);
}
console.log('  (errors relative, Frobenius; memory counts the two caches and the two d x r projections; scores Q K^T, output softmax(Q K^T / 8) V)');

// ---------------------------------------------------------------- 2. embedding dimensions
const dims = [8, 16, 32, 48, 64, 100];
const red = reduceEmbeddings(E, { dims });
const random = qr(Matrix.random(E.cols, E.cols, { seed: 7, distribution: 'normal' })).Q; // a random rotation
console.log(`\nrecall@10 of cosine nearest neighbours among the ${E.rows} word vectors (${red.queryCount} query words), reduced to d dimensions:`);
console.log('     d  energy  PCA prefix  first d coordinates  random projection');
for (const x of red.recall) {
  const first = cosineRecall(E, E.colRange(0, x.dims));
  const rand = cosineRecall(E, matmul(E, random.colRange(0, x.dims)));
  console.log(`  ${String(x.dims).padStart(4)}  ${`${(100 * x.energy).toFixed(1)}%`.padStart(6)}  ${x.recallRaw.toFixed(3).padStart(10)}  ${first.toFixed(3).padStart(19)}  ${rand.toFixed(3).padStart(17)}`);
}
console.log(`  (PCA prefix against the original vectors; against the centered ones it is ${red.recall.at(-1)!.recall.toFixed(3)} at d = 100)`);

const at = process.argv.indexOf('--out');
if (at >= 0 && process.argv[at + 1]) {
  const path = join(process.argv[at + 1]!, 'words.npy');
  await writeNpy(path, E.astype('float32'));
  console.log(`\nwrote ${path} (${E.rows} x ${E.cols} float32)`);
}
