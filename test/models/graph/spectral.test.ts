/**
 * Laplacians against scipy.sparse.csgraph, spectral embedding and clustering on planted
 * community graphs (adjusted Rand index > 0.95), the adjusted Rand index against
 * scikit-learn's definition, and bad input.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { AbortedError, InvalidArgumentError, ShapeError } from '../../../src/errors.js';
import { eigvalsh } from '../../../src/linalg/eigh.js';
import { matmul } from '../../../src/linalg/matmul.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { connectedComponents, laplacian } from '../../../src/models/graph/laplacian.js';
import { adjustedRandIndex, spectralClustering, spectralClusteringAsync, spectralEmbedding, spectralEmbeddingAsync } from '../../../src/models/graph/spectral.js';
import type { Progress } from '../../../src/progress.js';
import { rng } from '../../../src/random.js';
import { CsrMatrix } from '../../../src/sparse/csr.js';

const FIX = new URL('../../fixtures/graph/', import.meta.url);

/** A stochastic block model: communities of the given sizes, edge probabilities pIn / pOut, seeded. */
export function plantedPartition(sizes: readonly number[], pIn: number, pOut: number, seed: number): { A: CsrMatrix; truth: Int32Array } {
  const r = rng(seed);
  const truth = new Int32Array(sizes.reduce((a, b) => a + b, 0));
  let at = 0;
  sizes.forEach((s, c) => truth.fill(c, at, (at += s)));
  const n = truth.length;
  const row: number[] = [];
  const col: number[] = [];
  const val: number[] = [];
  // Edges i < j drawn by geometric skips (O(edges), not O(n^2)) within each probability.
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const p = truth[i] === truth[j] ? pIn : pOut;
      if (r.nextDouble() < p) {
        const w = 0.5 + r.nextDouble();
        row.push(i, j);
        col.push(j, i);
        val.push(w, w);
      }
    }
  }
  return { A: CsrMatrix.fromCoo(row, col, val, n, n), truth };
}

describe('laplacian', () => {
  const fx = JSON.parse(readFileSync(new URL('laplacian.json', FIX), 'utf8')) as {
    adjacency: number[][]; combinatorial: number[][]; normalized: number[][]; normalized_eigenvalues: number[]; components: number;
  };

  test("scipy.sparse.csgraph.laplacian (normed False / True): self-loop ignored, isolated vertex with L_ii = 0; sparse and dense inputs", () => {
    const W = Matrix.from(fx.adjacency);
    for (const [normalized, want] of [[false, fx.combinatorial], [true, fx.normalized]] as const) {
      const fromDense = laplacian(W, { normalized }) as Matrix;
      const fromSparse = (laplacian(CsrMatrix.fromDense(W), { normalized }) as CsrMatrix).toDense();
      const fromCsc = (laplacian(CsrMatrix.fromDense(W).toCsc(), { normalized }) as CsrMatrix).toDense();
      for (const L of [fromDense, fromSparse, fromCsc]) {
        for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) assert.ok(Math.abs(L.get(i, j) - want[i]![j]!) < 1e-15, `L[${i}, ${j}] = ${L.get(i, j)} vs ${want[i]![j]}`);
      }
    }
    assert.equal(connectedComponents(W).count, fx.components);
    // The spectral embedding's eigenvalues are those of the normalized Laplacian.
    const e = spectralEmbedding(W, 7);
    for (let i = 0; i < 7; i++) assert.ok(Math.abs(e.eigenvalues[i]! - fx.normalized_eigenvalues[i]!) < 1e-10, `${e.eigenvalues[i]} vs ${fx.normalized_eigenvalues[i]}`);
  });

  test('bad adjacency: not square, asymmetric, negative, empty', () => {
    assert.throws(() => laplacian(Matrix.zeros(2, 3)), ShapeError);
    assert.throws(() => laplacian(Matrix.from([[0, 1], [0, 0]])), (e: Error) => e instanceof InvalidArgumentError && /A\[0, 1\] = 1 but A\[1, 0\] = 0/.test(e.message) && /undirected/.test(e.message));
    assert.throws(() => laplacian(Matrix.from([[0, -1], [-1, 0]])), /negative/);
    assert.throws(() => laplacian(Matrix.zeros(0, 0)), /empty/);
    assert.throws(() => laplacian(Matrix.identity(2), { normed: true } as never), /unknown option 'normed'/);
  });
});

describe('spectral clustering', () => {
  test('planted partitions are recovered: adjusted Rand index > 0.95 (3 to 5 communities, unequal sizes)', () => {
    const cases: [number[], number, number, number][] = [
      [[300, 300, 300], 0.05, 0.004, 1],
      [[800, 500, 300, 200], 0.03, 0.002, 2],
      [[150, 150, 150, 150, 150], 0.1, 0.005, 3],
    ];
    for (const [sizes, pIn, pOut, seed] of cases) {
      const { A, truth } = plantedPartition(sizes, pIn, pOut, seed);
      const r = spectralClustering(A, sizes.length, { seed });
      const ari = adjustedRandIndex(truth, r.labels);
      assert.ok(ari > 0.95, `sizes ${sizes}: ARI ${ari}`);
      assert.equal(r.embedding.rows, A.rows);
      assert.equal(r.eigenvalues.length, sizes.length);
      assert.ok(Math.abs(r.eigenvalues[0]!) < 1e-10, 'a connected graph: eigenvalue 0 first');
      // The eigenvalues are the smallest of the normalized Laplacian.
      if (A.rows <= 1000) {
        const all = eigvalsh((laplacian(A, { normalized: true }) as CsrMatrix).toDense());
        for (let i = 0; i < sizes.length; i++) assert.ok(Math.abs(r.eigenvalues[i]! - all[i]!) < 1e-9);
      }
    }
  });

  test('planted partitions, property: random sizes and seeds, ARI > 0.95 when the communities are well separated', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 60, max: 160 }), { minLength: 2, maxLength: 4 }), fc.integer({ min: 1, max: 1e6 }), (sizes, seed) => {
        const { A, truth } = plantedPartition(sizes, 0.25, 0.01, seed);
        const r = spectralClustering(A, sizes.length, { seed });
        const ari = adjustedRandIndex(truth, r.labels);
        assert.ok(ari > 0.95, `sizes ${sizes}, seed ${seed}: ARI ${ari}`);
      }),
      { numRuns: 12, seed: 9 },
    );
  });

  test('disconnected graphs: each component is a zero eigenvalue, its null vector D^(1/2) 1_C; isolated vertices; labels follow the components', () => {
    const a = plantedPartition([40], 0.5, 0, 5).A.toCoo();
    const b = plantedPartition([30], 0.5, 0, 6).A.toCoo();
    const row = [...a.row, ...Array.from(b.row, (x) => x + 40)];
    const col = [...a.col, ...Array.from(b.col, (x) => x + 40)];
    const val = [...a.val, ...b.val];
    const A = CsrMatrix.fromCoo(row, col, val, 72, 72); // vertices 70 and 71 isolated
    const r = spectralClustering(A, 3, { seed: 1 });
    assert.equal(r.components, 4);
    assert.deepEqual(Array.from(r.eigenvalues), [0, 0, 0]);
    const labels = Array.from(r.labels);
    assert.ok(labels.slice(0, 40).every((l) => l === labels[0]) && labels.slice(40, 70).every((l) => l === labels[40]) && labels[0] !== labels[40]);
    const e = spectralEmbedding(A, 6);
    assert.deepEqual(Array.from(e.eigenvalues.subarray(0, 4)), [0, 0, 0, 0]);
    assert.ok(e.eigenvalues[4]! > 0.1);
    // Columns orthonormal.
    const G = matmul(e.embedding, e.embedding, { transA: true });
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) assert.ok(Math.abs(G.get(i, j) - (i === j ? 1 : 0)) < 1e-10);
  });

  test('same seed, same labels; labels numbered by first appearance; dense input agrees with sparse', () => {
    const { A } = plantedPartition([100, 80, 60], 0.2, 0.01, 8);
    const r1 = spectralClustering(A, 3, { seed: 4 });
    const r2 = spectralClustering(A.toDense(), 3, { seed: 4 });
    assert.deepEqual(Array.from(r1.labels), Array.from(r2.labels));
    assert.equal(r1.labels[0], 0);
    let seen = 0;
    for (const l of r1.labels) {
      assert.ok(l <= seen);
      if (l === seen) seen++;
    }
  });

  test('bad input: empty graph, no edges, clusters out of range, unknown option', () => {
    assert.throws(() => spectralClustering(Matrix.zeros(0, 0), 1), /empty/);
    assert.throws(() => spectralClustering(CsrMatrix.fromCoo([], [], [], 5, 5), 2), /no edges/);
    const { A } = plantedPartition([20, 20], 0.5, 0.05, 1);
    assert.throws(() => spectralClustering(A, 0), InvalidArgumentError);
    assert.throws(() => spectralClustering(A, 41), InvalidArgumentError);
    assert.throws(() => spectralClustering(A, 2, { clusters: 3 } as never), /unknown option 'clusters'/);
    assert.throws(() => spectralEmbedding(A, 2, { nInit: 3 } as never), /unknown option 'nInit'/);
  });
});

describe('spectralEmbeddingAsync / spectralClusteringAsync', () => {
  // 900 vertices: above eigsh's dense size, so the Lanczos iteration (and its steps) runs.
  const big = plantedPartition([300, 300, 300], 0.05, 0.004, 1).A;
  // Two components and two isolated vertices: the embedding is all null vectors, no eigensolver.
  const small = (() => {
    const a = plantedPartition([40], 0.5, 0, 5).A.toCoo();
    const b = plantedPartition([30], 0.5, 0, 6).A.toCoo();
    return CsrMatrix.fromCoo([...a.row, ...Array.from(b.row, (x) => x + 40)], [...a.col, ...Array.from(b.col, (x) => x + 40)], [...a.val, ...b.val], 72, 72);
  })();
  const record = () => {
    const seen: Progress[] = [];
    return { seen, onProgress: (p: Progress) => void seen.push(p) };
  };

  test('the same embedding, eigenvalues, labels, inertia and progress reports as the sync forms, bit for bit', async () => {
    for (const [A, dims, seed] of [[big, 4, 3], [big.toDense(), 3, 7], [small, 4, 1]] as const) {
      const ps = record();
      const pa = record();
      const s = spectralEmbedding(A, dims, { seed, onProgress: ps.onProgress });
      const a = await spectralEmbeddingAsync(A, dims, { seed, onProgress: pa.onProgress });
      assert.deepEqual(Array.from(a.embedding.data), Array.from(s.embedding.data));
      assert.deepEqual(Array.from(a.eigenvalues), Array.from(s.eigenvalues));
      assert.equal(a.components, s.components);
      assert.deepEqual(pa.seen, ps.seen);
      if (A === big) assert.ok(ps.seen.some((p) => p.stage === 'restart'), 'the eigensolver iterated');

      const cs = record();
      const ca = record();
      const sc = spectralClustering(A, dims, { seed, nInit: 4, onProgress: cs.onProgress });
      const ac = await spectralClusteringAsync(A, dims, { seed, nInit: 4, onProgress: ca.onProgress });
      assert.deepEqual(Array.from(ac.labels), Array.from(sc.labels));
      assert.deepEqual(Array.from(ac.embedding.data), Array.from(sc.embedding.data));
      assert.deepEqual(Array.from(ac.eigenvalues), Array.from(sc.eigenvalues));
      assert.equal(ac.inertia, sc.inertia);
      assert.deepEqual(ca.seen, cs.seen);
      assert.deepEqual(cs.seen.filter((p) => p.stage === 'kmeans').map((p) => p.done), [1, 2, 3, 4]);
      assert.equal(cs.seen.at(-1)!.metrics!.inertia, sc.inertia);
    }
  });

  test('an aborted signal stops both forms before any work, also when no eigensolver would run', async () => {
    const signal = AbortSignal.abort();
    for (const A of [big, small]) {
      assert.throws(() => spectralEmbedding(A, 2, { signal }), (e) => e instanceof AbortedError && /^spectralEmbedding was aborted/.test(e.message));
      assert.throws(() => spectralClustering(A, 2, { signal }), (e) => e instanceof AbortedError && /^spectralClustering was aborted/.test(e.message));
      await assert.rejects(spectralEmbeddingAsync(A, 2, { signal }), (e) => e instanceof AbortedError && /^spectralEmbeddingAsync was aborted/.test(e.message));
      await assert.rejects(spectralClusteringAsync(A, 2, { signal }), (e) => e instanceof AbortedError && /^spectralClusteringAsync was aborted/.test(e.message));
    }
  });

  test('a signal aborted mid-run stops at the next step: after a Lanczos restart, after a k-means restart', async () => {
    for (const stage of ['restart', 'kmeans']) {
      const run = async (form: 'sync' | 'async') => {
        const controller = new AbortController();
        const seen: string[] = [];
        const options = { seed: 2, nInit: 10, signal: controller.signal, onProgress: (p: Progress) => {
          seen.push(p.stage);
          if (p.stage === stage) controller.abort();
        } };
        if (form === 'sync') assert.throws(() => spectralClustering(big, 3, options), AbortedError);
        else await assert.rejects(spectralClusteringAsync(big, 3, options), AbortedError);
        return seen;
      };
      for (const form of ['sync', 'async'] as const) {
        const seen = await run(form);
        assert.equal(seen.filter((s) => s === stage).length, 1, `${form}: stopped after the first '${stage}' report (${seen.join(' ')})`);
        if (stage === 'restart') assert.ok(!seen.includes('kmeans'), `${form}: k-means never ran`);
      }
    }
  });

  test('the event loop gets turns: a timer aborts a run in progress', async () => {
    // A full run (an eigensolve and 40 k-means restarts) takes far longer than a time slice
    // of runStepsAsync (8 ms): the timer fires in a turn between steps.
    const part = record();
    const controller = new AbortController();
    const pending = spectralClusteringAsync(big, 3, { seed: 2, nInit: 40, signal: controller.signal, onProgress: part.onProgress });
    setTimeout(() => controller.abort(), 1);
    await assert.rejects(pending, AbortedError);
    const restarts = part.seen.filter((p) => p.stage === 'kmeans').length;
    assert.ok(restarts < 40, `${restarts} of 40 k-means restarts ran before the abort`);
  });
});

describe('adjustedRandIndex', () => {
  /** scikit-learn's adjusted_rand_score, from the contingency table (O(n^2) pairs version). */
  function pairsAri(a: number[], b: number[]): number {
    const n = a.length;
    let both = 0;
    let sa = 0;
    let sb = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const x = a[i] === a[j];
        const y = b[i] === b[j];
        if (x && y) both++;
        if (x) sa++;
        if (y) sb++;
      }
    }
    const total = (n * (n - 1)) / 2;
    const expected = (sa * sb) / total;
    const max = (sa + sb) / 2;
    return max === expected ? 1 : (both - expected) / (max - expected);
  }

  test('permutation invariant, 1 for identical partitions, matches the pair-counting definition', () => {
    assert.equal(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]), 1);
    assert.equal(adjustedRandIndex(['a', 'a', 'b'], [5, 5, 7]), 1);
    // scikit-learn's documented examples.
    assert.ok(Math.abs(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1]) - 0.5714285714285714) < 1e-15);
    assert.ok(Math.abs(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3]) - 0) < 1e-15);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 })), { minLength: 3, maxLength: 60 }), (pairs) => {
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        const got = adjustedRandIndex(a, b);
        const want = pairsAri(a, b);
        assert.ok(Math.abs(got - want) < 1e-12, `${got} vs ${want}`);
      }),
      { numRuns: 200, seed: 2 },
    );
    assert.throws(() => adjustedRandIndex([1, 2], [1]), InvalidArgumentError);
  });
});
