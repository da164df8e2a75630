/**
 * reduceEmbeddings: the axes are the centered data's right singular vectors (explained
 * variance equals the SVD's), every prefix of the rotation is the reduction to that size,
 * recall@k is 1 at full dims (in the rotated frame; and against the raw vectors when not
 * centering) and grows with the size, ties count as hits, the Gram route agrees with the SVD
 * route, and bad input is refused.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AbortedError, InvalidArgumentError, ShapeError } from '../../../src/errors.js';
import { matmul } from '../../../src/linalg/matmul.js';
import { svd } from '../../../src/linalg/svd.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { cosineRecall, reduceEmbeddings } from '../../../src/models/weights/embeddings.js';

/** N vectors of size n near a rank-k subspace, plus an offset (a common direction, as real embeddings have). */
function embeddings(N: number, n: number, k: number, seed: number, noise = 0.05): Matrix {
  const Z = Matrix.random(N, k, { seed, distribution: 'normal' });
  const W = Matrix.random(k, n, { seed: seed + 1, distribution: 'normal' });
  const E = matmul(Z, W).add(Matrix.random(N, n, { seed: seed + 2, distribution: 'normal' }).scale(noise));
  return E.map((v, _i, j) => v + (j % 3 === 0 ? 0.8 : 0));
}

describe('reduceEmbeddings', () => {
  const E = embeddings(400, 40, 12, 1, 0.3);

  test('axes and explained variance are the centered SVD; each prefix is the reduction to that size', () => {
    const r = reduceEmbeddings(E, { dims: [8, 4, 40, 8], skipRecall: true });
    assert.deepEqual(r.dims, [4, 8, 40]);
    assert.equal(r.method, 'svd');
    const mean = Array.from({ length: 40 }, (_, j) => E.col(j).sum() / 400);
    for (let j = 0; j < 40; j++) assert.ok(Math.abs(r.mean[j]! - mean[j]!) < 1e-12);
    const Xc = E.map((v, _i, j) => v - mean[j]!);
    const f = svd(Xc);
    const total = Array.from(f.s).reduce((a, v) => a + v * v, 0);
    for (let i = 0; i < 40; i++) assert.ok(Math.abs(r.explainedVarianceRatio[i]! - f.s[i]! ** 2 / total) < 1e-12);
    // Same axes up to sign (distinct singular values).
    for (let p = 0; p < 12; p++) {
      let dot = 0;
      for (let j = 0; j < 40; j++) dot += r.components.get(p, j) * f.Vt.get(p, j);
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `axis ${p}: ${dot}`);
    }
    const Z40 = r.reduce(E, 40);
    const Z8 = r.reduce(E, 8);
    assert.ok(Z8.sub(Z40.colRange(0, 8)).norm() < 1e-12 * Z40.norm());
    // Eckart-Young: the rank-8 reconstruction error is the SVD tail.
    const back = matmul(Z8, r.components.rowRange(0, 8));
    const tail = Math.sqrt(Array.from(f.s).slice(8).reduce((a, v) => a + v * v, 0));
    assert.ok(Math.abs(back.sub(Xc).norm() - tail) < 1e-9 * tail);
    assert.throws(() => r.reduce(E, 41), InvalidArgumentError);
    assert.throws(() => r.reduce(E.colRange(0, 5), 4), ShapeError);
  });

  test('recall@10 is 1 at full dims and grows with the size; the raw reference counts centering', () => {
    const r = reduceEmbeddings(E, { dims: [2, 4, 8, 12, 20, 40] });
    assert.equal(r.queryCount, 400);
    assert.ok(r.queriesFromData);
    const recall = r.recall.map((x) => x.recall);
    assert.equal(recall.at(-1), 1);
    for (let i = 1; i < recall.length; i++) assert.ok(recall[i]! >= recall[i - 1]! - 0.02, `${recall}`);
    assert.ok(recall[0]! < 0.6, `${recall}`);
    assert.ok(r.recall.at(-1)!.recallRaw < 1); // centering changes cosines of these offset vectors
    for (const x of r.recall) assert.ok(x.energy > 0 && x.energy <= 1 + 1e-12);
    assert.ok(Math.abs(r.recall.at(-1)!.energy - 1) < 1e-12);
  });

  test('not centered: the rotation keeps cosines, so recall against the raw vectors is 1 at full dims', () => {
    const r = reduceEmbeddings(E, { dims: [5, 40], center: false, k: 5, sampleQueries: 50 });
    assert.equal(r.queryCount, 50);
    assert.deepEqual(Array.from(r.mean), new Array(40).fill(0));
    assert.equal(r.recall[1]!.recall, 1);
    assert.equal(r.recall[1]!.recallRaw, 1);
  });

  test('ties count as hits: duplicated vectors still give recall 1 at full dims', () => {
    const base = embeddings(50, 10, 4, 7);
    const dup = Matrix.zeros(100, 10);
    for (let i = 0; i < 100; i++) for (let j = 0; j < 10; j++) dup.set(i, j, base.get(i % 50, j));
    const r = reduceEmbeddings(dup, { dims: [10], k: 3 });
    assert.equal(r.recall[0]!.recall, 1);
  });

  test('given queries: recall against all rows (none left out)', () => {
    const Q = embeddings(30, 40, 12, 11, 0.3); // other vectors than E's
    const r = reduceEmbeddings(E, { dims: [3, 40], queries: Q, k: 400 });
    assert.equal(r.queriesFromData, false);
    assert.equal(r.queryCount, 30);
    // k = N: every row is a neighbour of every query, at any size.
    assert.deepEqual(r.recall.map((x) => x.recall), [1, 1]);
    const r10 = reduceEmbeddings(E, { dims: [3, 40], queries: Q });
    assert.equal(r10.recall[1]!.recall, 1);
    assert.ok(r10.recall[0]!.recall < 1);
  });

  test('the Gram route (N > 2n, large) agrees with the SVD', () => {
    const big = embeddings(4200, 256, 20, 3);
    const r = reduceEmbeddings(big, { dims: [20], skipRecall: true });
    assert.equal(r.method, 'gram');
    const small = reduceEmbeddings(big.rowRange(0, 500), { dims: [20], skipRecall: true }); // svd route, other data: only the route
    assert.equal(small.method, 'svd');
    const mean = r.mean;
    const Xc = big.map((v, _i, j) => v - mean[j]!);
    const f = svd(Xc);
    const total = Array.from(f.s).reduce((a, v) => a + v * v, 0);
    for (let i = 0; i < 20; i++) assert.ok(Math.abs(r.explainedVarianceRatio[i]! - f.s[i]! ** 2 / total) < 1e-10, `ratio ${i}`);
    for (let p = 0; p < 20; p++) {
      let dot = 0;
      for (let j = 0; j < 256; j++) dot += r.components.get(p, j) * f.Vt.get(p, j);
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-8, `axis ${p}: ${dot}`);
    }
  });

  test('cosineRecall of any reduction: the PCA prefix gives the figure of reduceEmbeddings; the vectors themselves give 1', () => {
    const r = reduceEmbeddings(E, { dims: [6], center: false, sampleQueries: 100 });
    assert.equal(cosineRecall(E, r.reduce(E, 6), { sampleQueries: 100 }), r.recall[0]!.recall);
    assert.equal(cosineRecall(E, E.scale(3)), 1);
    assert.ok(cosineRecall(E, E.colRange(0, 6)) < 1);
    assert.throws(() => cosineRecall(E, E.rowRange(0, 10)), ShapeError);
    assert.throws(() => cosineRecall(E, E, { k: 400 }), /k must be at most 399/);
  });

  test('bad input', () => {
    assert.throws(() => reduceEmbeddings(E, { dims: [41] }), /dims must be at most n = 40/);
    assert.throws(() => reduceEmbeddings(E, { dims: [] }), /option 'dims'/);
    assert.throws(() => reduceEmbeddings(E, { dims: [2.5] }), /option 'dims'/);
    assert.throws(() => reduceEmbeddings(E, { dims: [4], k: 400 }), /k must be at most 399/);
    assert.throws(() => reduceEmbeddings(E, { dims: [4], queries: Matrix.zeros(3, 5) }), ShapeError);
    assert.throws(() => reduceEmbeddings(Matrix.zeros(0, 3), { dims: [1] }), ShapeError);
    const bad = E.copy();
    bad.set(3, 3, Infinity);
    assert.throws(() => reduceEmbeddings(bad, { dims: [4] }), /NaN or Inf/);
    assert.throws(() => reduceEmbeddings(E, { dims: [4], signal: AbortSignal.abort() }), AbortedError);
  });
});
