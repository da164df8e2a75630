/**
 * Spectral clustering of a real graph: the words of the State of the Union addresses
 * 1947-2021 (data/corpus/sotu.csv, public domain), linked when they occur in the same
 * passage more often than chance.
 *
 * 1. Vocabulary: the 1,500 most frequent words (English stop words removed, in at least 5
 *    of the 1,326 passages); X = passages x words, 1 where the word occurs (CountVectorizer).
 * 2. Co-occurrence counts C = X^T X (one gemm), weighted by positive pointwise mutual
 *    information, PPMI(a, b) = max(0, ln(C_ab N / (C_a C_b))), so that frequent words do not
 *    link to everything; the diagonal is dropped. That is a symmetric weighted graph.
 * 3. spectralClustering (Ng, Jordan & Weiss): the 12 smallest eigenpairs of the normalized
 *    Laplacian by thick-restart Lanczos (eigsh), rows scaled to unit length, k-means++.
 * 4. The random walk on the graph (step to a neighbour with probability proportional to the
 *    edge weight) is a Markov chain whose stationary distribution is the weighted degree over
 *    its sum: stationaryDistribution finds it from the transition matrix alone.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { CountVectorizer, CsrMatrix, eigsh, laplacian, matmul, ppmiMatrix, spectralClustering, stationaryDistribution } from '../src/index.js';

const rows = parse(readFileSync(new URL('../data/corpus/sotu.csv', import.meta.url)), { columns: true }) as { text: string }[];
const docs = rows.map((r) => r.text);
const t0 = performance.now();
const { model, transformed: X } = new CountVectorizer({ stopWords: 'english', minDf: 5, maxFeatures: 1500, binary: true }).fitTransform(docs);
const words = model.vocabulary;
const V = words.length;

// Co-occurrence counts and PPMI weights (cdsAlpha 1: plain PMI, symmetric).
const Xd = X.toDense();
const C = matmul(Xd, Xd, { transA: true });
for (let i = 0; i < V; i++) C.set(i, i, 0);
const A = ppmiMatrix(CsrMatrix.fromDense(C), { cdsAlpha: 1 });
console.log(`${docs.length} passages, ${V} words, ${A.nnz / 2} weighted edges (PPMI > 0) in ${((performance.now() - t0) / 1000).toFixed(2)} s`);

// Spectral clustering into 12 groups.
const K = 12;
const t1 = performance.now();
const sc = spectralClustering(A, K, { seed: 0 });
console.log(`spectral clustering into ${K} groups in ${((performance.now() - t1) / 1000).toFixed(2)} s; smallest Laplacian eigenvalues ${Array.from(sc.eigenvalues.subarray(0, 6), (v) => v.toFixed(3)).join(', ')}, ...`);

// Each group's words, most connected first (weighted degree inside the group).
const degree = A.rowSums();
const inside = new Float64Array(V);
for (let i = 0; i < V; i++) {
  for (let q = A.indptr[i]!; q < A.indptr[i + 1]!; q++) if (sc.labels[A.indices[q]!] === sc.labels[i]) inside[i]! += A.data[q]!;
}
for (let c = 0; c < K; c++) {
  const members = Array.from({ length: V }, (_, i) => i).filter((i) => sc.labels[i] === c).sort((a, b) => inside[b]! - inside[a]!);
  console.log(`  group ${String(c).padStart(2)} (${String(members.length).padStart(3)} words): ${members.slice(0, 9).map((i) => words[i]).join(', ')}`);
}

// The same eigenvalues straight from eigsh on the normalized Laplacian (the smallest, 'SA').
const L = laplacian(A, { normalized: true }) as CsrMatrix;
const direct = eigsh(L, 3, { which: 'SA' });
console.log(`eigsh(L, 3, 'SA'): ${Array.from(direct.w, (v) => v.toFixed(6)).join(', ')} (${direct.info.restarts} restarts, ${direct.info.matvecs} products, largest residual ${Math.max(...direct.info.residuals).toExponential(1)})`);

// The random walk: P = D^-1 A; its stationary distribution is degree / sum(degree).
const P = A.scaleRows(degree.map((d) => 1 / d));
const st = stationaryDistribution(P);
const total = degree.reduce((s, d) => s + d, 0);
let worst = 0;
for (let i = 0; i < V; i++) worst = Math.max(worst, Math.abs(st.pi[i]! - degree[i]! / total) / (degree[i]! / total));
const top = Array.from({ length: V }, (_, i) => i).sort((a, b) => st.pi[b]! - st.pi[a]!).slice(0, 8);
console.log(`random walk on the word graph: stationary distribution (${st.method}, period ${st.period}) = degree / total to ${worst.toExponential(1)} relative; most visited: ${top.map((i) => words[i]).join(', ')}`);
