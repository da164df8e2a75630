import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AbortedError, InvalidArgumentError, ShapeError } from '../../../src/errors.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { batchSlices, IncrementalPCA, IncrementalPCAModel } from '../../../src/models/decomposition/incremental-pca.js';
import { PCA } from '../../../src/models/decomposition/pca.js';
import { CsrMatrix } from '../../../src/sparse/csr.js';
import type { Progress } from '../../../src/progress.js';
import { assertClose, assertRows, assertRowsUpToSign, digits, digitsFixture, maxDiff, rowOrthogonality, smallFixture, type SkCase } from './pca-helpers.js';

function compare(model: IncrementalPCAModel, X: Matrix, sk: SkCase, what: string): void {
  const scale = sk.explained_variance_[0]!;
  assert.equal(model.nComponents, sk.n_components_, `${what}: n_components_`);
  assert.equal(model.nSamplesSeen, sk.n_samples_seen_);
  assert.equal(model.batchSize, sk.batch_size_);
  assertClose(model.explainedVariance, sk.explained_variance_, 1e-10 * scale, `${what}: explained_variance_`);
  assertClose(model.explainedVarianceRatio, sk.explained_variance_ratio_, 1e-10, `${what}: explained_variance_ratio_`);
  assertClose(model.singularValues, sk.singular_values_, 1e-10 * sk.singular_values_[0]!, `${what}: singular_values_`);
  assertClose(model.mean, sk.mean_!, 1e-12 * Math.max(1, ...sk.mean_!.map(Math.abs)), `${what}: mean_`);
  assertClose(model.variance, sk.var_!, 1e-10 * Math.max(1, ...sk.var_!), `${what}: var_`);
  assert.ok(Math.abs(model.noiseVariance - sk.noise_variance_!) <= 1e-10 * scale, `${what}: noise_variance_ ${model.noiseVariance} vs ${sk.noise_variance_}`);
  assertRows(model.components, sk.components_!, 1e-8, `${what}: components_`);
  assertRows(model.transform(X.rowRange(0, 6)), sk.transform!, 1e-8 * Math.sqrt(scale) * 10, `${what}: transform`);
}

describe('IncrementalPCA against scikit-learn', () => {
  it('digits, k = 10, batches of 200', () => {
    const X = digits();
    const progress: Progress[] = [];
    const model = new IncrementalPCA({ components: 10, batchSize: 200 }).fit(X, { onProgress: (p) => progress.push(p) });
    compare(model, X, digitsFixture.ipca10!, 'digits');
    assert.equal(progress.length, batchSlices(1797, 200, 10).length);
    assert.equal(progress.at(-1)!.metrics!.samples, 1797);
    assert.equal(model.solver, 'incremental');
    assert.ok(rowOrthogonality(model.components) < 1e-12);
  });

  it('small tall data: k = 3 in batches of 10, and all components in batches of 9', () => {
    const X = Matrix.from(smallFixture.tall.X);
    compare(new IncrementalPCA({ components: 3, batchSize: 10 }).fit(X), X, smallFixture.tall.ipca3!, 'k=3');
    compare(new IncrementalPCA({ batchSize: 9 }).fit(X), X, smallFixture.tall.ipca_all!, 'all');
  });

  it('with k covering the rank, equals batch PCA', () => {
    const X = Matrix.from(smallFixture.tall.X);
    const inc = new IncrementalPCA({ batchSize: 8 }).fit(X);
    const full = new PCA({ solver: 'full' }).fit(X);
    assertClose(inc.explainedVariance, full.explainedVariance, 1e-10, 'variance');
    assertRowsUpToSign(inc.components, full.components.toArray(), 1e-8, 'components', 7);
  });
});

describe('IncrementalPCA streaming and persistence', () => {
  const X = Matrix.random(60, 7, { seed: 3, distribution: 'normal' });

  it('an iterable of chunks, partialFit and model.partialFit give the same model as fit', () => {
    const est = new IncrementalPCA({ components: 3, batchSize: 20 });
    const ref = est.fit(X);
    const chunks = [X.rowRange(0, 20), X.rowRange(20, 40), X.rowRange(40, 60)];
    function* gen() {
      yield* chunks;
    }
    const fromIter = est.fit(gen());
    assert.deepEqual(fromIter.components.toFlat(), ref.components.toFlat());
    let m = est.partialFit(chunks[0]!);
    m = est.partialFit(chunks[1]!, m);
    const first = m.components.toFlat().slice();
    const last = m.partialFit(chunks[2]!);
    assert.deepEqual(m.components.toFlat(), first, 'partialFit does not modify the model it starts from');
    assert.deepEqual(last.components.toFlat(), ref.components.toFlat());
    assert.equal(last.nSamplesSeen, 60);
  });

  it('sparse input is densified one batch at a time with the same result', () => {
    const est = new IncrementalPCA({ components: 2, batchSize: 25 });
    const dense = est.fit(X);
    const sparse = est.fit(CsrMatrix.fromDense(X));
    assert.ok(maxDiff(dense.components.toFlat(), sparse.components.toFlat()) < 1e-12);
    assert.ok(maxDiff(dense.transform(X).toFlat(), sparse.transform(CsrMatrix.fromDense(X)).toFlat()) < 1e-12);
  });

  it('toJSON / fromJSON round trip keeps learning', () => {
    const est = new IncrementalPCA({ components: 3, whiten: true });
    const m = est.partialFit(X.rowRange(0, 30));
    const back = IncrementalPCAModel.fromJSON(JSON.parse(JSON.stringify(m)));
    assert.equal(back.whiten, true);
    const a = m.partialFit(X.rowRange(30, 60));
    const b = back.partialFit(X.rowRange(30, 60));
    assert.ok(maxDiff(a.components.toFlat(), b.components.toFlat()) < 1e-12);
    assert.ok(maxDiff(a.transform(X).toFlat(), b.transform(X).toFlat()) < 1e-10);
    assert.throws(() => IncrementalPCAModel.fromJSON({ ...m.toJSON(), type: 'PCA' }), InvalidArgumentError);
  });

  it('gen_batches: the remainder smaller than k joins the last batch', () => {
    assert.deepEqual(batchSlices(7, 3, 0), [[0, 3], [3, 6], [6, 7]]);
    assert.deepEqual(batchSlices(7, 3, 2), [[0, 3], [3, 7]]);
    assert.deepEqual(batchSlices(2, 3, 0), [[0, 2]]);
  });

  it('errors: options, too few rows in the first batch, column mismatch, abort', () => {
    assert.throws(() => new IncrementalPCA({ components: 0.5 }), InvalidArgumentError);
    assert.throws(() => new IncrementalPCA({ batchSize: 0 }), /IncrementalPCA: option 'batchSize' must be an integer >= 1, got 0$/);
    assert.throws(() => new IncrementalPCA({ components: 0.5 }), /IncrementalPCA: option 'components' must be an integer >= 1, got 0.5$/);
    assert.throws(() => new IncrementalPCA({ batch_size: 10 } as never), /IncrementalPCA: unknown option 'batch_size' \(known: components, batchSize, whiten\)$/);
    assert.throws(() => new IncrementalPCA({ components: 8 }).fit(X), (e: unknown) => e instanceof InvalidArgumentError && /n_features/.test(e.message));
    assert.throws(() => new IncrementalPCA({ components: 5 }).partialFit(X.rowRange(0, 3)), (e: unknown) => e instanceof InvalidArgumentError && /first batch/.test(e.message));
    const m = new IncrementalPCA({ components: 2 }).fit(X);
    assert.throws(() => m.partialFit(Matrix.zeros(5, 6)), ShapeError);
    assert.throws(() => new IncrementalPCA().fit([]), InvalidArgumentError);
    const c = new AbortController();
    c.abort();
    assert.throws(() => new IncrementalPCA({ components: 2 }).fit(X, { signal: c.signal }), AbortedError);
  });
});
