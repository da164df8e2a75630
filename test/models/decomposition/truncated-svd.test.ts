import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AbortedError, InvalidArgumentError, NonFiniteInputError } from '../../../src/errors.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { TruncatedSVD, TruncatedSVDModel } from '../../../src/models/decomposition/truncated-svd.js';
import { CsrMatrix } from '../../../src/sparse/csr.js';
import { assertClose, assertRows, digits, digitsFixture, maxDiff, rowOrthogonality, smallFixture, sparseFixture, type SkCase } from './pca-helpers.js';

function compare(model: TruncatedSVDModel, scores: Matrix, sk: SkCase, tol: number, what: string): void {
  assertClose(model.singularValues, sk.singular_values_, tol * sk.singular_values_[0]!, `${what}: singular_values_`);
  assertClose(model.explainedVariance, sk.explained_variance_, tol * sk.explained_variance_[0]! * 10, `${what}: explained_variance_`);
  assertClose(model.explainedVarianceRatio, sk.explained_variance_ratio_, tol * 10, `${what}: explained_variance_ratio_`);
  assertRows(model.components, sk.components_!, tol * 100, `${what}: components_`);
  assertRows(scores.rowRange(0, sk.transform!.length), sk.transform!, tol * 100 * sk.singular_values_[0]!, `${what}: transform`);
}

describe('TruncatedSVD against scikit-learn', () => {
  it('digits, k = 10: lanczos (arpack) and randomized', () => {
    const X = digits();
    const sk = digitsFixture.tsvd10_arpack!;
    const lz = new TruncatedSVD({ components: 10, algorithm: 'arpack' }).fitTransform(X);
    assert.equal(lz.model.algorithm, 'lanczos');
    compare(lz.model, lz.transformed, sk, 1e-10, 'lanczos');
    const rnd = new TruncatedSVD({ components: 10 }).fitTransform(X);
    assert.equal(rnd.model.algorithm, 'randomized');
    // Randomized with scikit-learn's 5 power iterations: as close as scikit-learn's own randomized result.
    const skr = digitsFixture.tsvd10_randomized!;
    const own = maxDiff(rnd.model.singularValues, sk.singular_values_);
    const theirs = maxDiff(skr.singular_values_, sk.singular_values_);
    assert.ok(own <= 10 * theirs + 1e-9 * sk.singular_values_[0]!, `randomized error ${own} vs scikit-learn's ${theirs}`);
    assertClose(rnd.model.singularValues, sk.singular_values_, 1e-3 * sk.singular_values_[0]!, 'randomized s');
    assert.ok(rowOrthogonality(rnd.model.components) < 1e-12);
  });

  it('small dense and sparse inputs (sparse never densified)', () => {
    const tall = Matrix.from(smallFixture.tall.X);
    const a = new TruncatedSVD({ components: 3, algorithm: 'lanczos' }).fitTransform(tall);
    compare(a.model, a.transformed, smallFixture.tall.tsvd3!, 1e-10, 'tall');
    const S = sparseFixture();
    const b = new TruncatedSVD({ components: 5, algorithm: 'lanczos' }).fitTransform(S);
    compare(b.model, b.transformed, smallFixture.sparse.tsvd5_arpack!, 1e-10, 'sparse');
    const c = new TruncatedSVD({ components: 5, powerIters: 20 }).fitTransform(S);
    compare(c.model, c.transformed, smallFixture.sparse.tsvd5_arpack!, 1e-8, 'sparse randomized');
    assert.ok(maxDiff(b.model.transform(S).toFlat(), b.model.transform(S.toDense()).toFlat()) < 1e-12);
    // float32 sparse products stay float32; the model is float64
    const f = new TruncatedSVD({ components: 3, algorithm: 'lanczos' }).fit(S.astype('float32'));
    assert.equal(f.components.dtype, 'float64');
    assertClose(f.singularValues, b.model.singularValues.subarray(0, 3), 1e-4 * b.model.singularValues[0]!, 'float32');
  });

  it('inverseTransform gives the rank-k approximation; JSON round trip', () => {
    const X = Matrix.random(30, 8, { seed: 6 });
    const r = new TruncatedSVD({ components: 8, algorithm: 'lanczos' }).fitTransform(X);
    assert.equal(r.scores, r.transformed, 'the deprecated scores is the same matrix');
    const { model, transformed: scores } = r;
    assert.ok(maxDiff(model.inverseTransform(scores).toFlat(), X.toFlat()) < 1e-10, 'full rank reconstructs');
    const back = TruncatedSVDModel.fromJSON(JSON.parse(JSON.stringify(model)));
    assert.deepEqual(back.transform(X).toFlat(), model.transform(X).toFlat());
    assert.throws(() => TruncatedSVDModel.fromJSON({ ...model.toJSON(), algorithm: 'x' }), InvalidArgumentError);
  });

  it('errors: options, k too large, NaN, abort; the input is not modified', () => {
    for (const o of [{ components: 0 }, { components: 2.5 }, { algorithm: 'full' as never }, { powerIters: -1 }, { oversample: -2 }, { tol: 2 }]) {
      assert.throws(() => new TruncatedSVD(o), InvalidArgumentError, JSON.stringify(o));
    }
    assert.throws(() => new TruncatedSVD({ algorithm: 'full' as never }), /TruncatedSVD: option 'algorithm' must be one of 'randomized', 'lanczos' or 'arpack', got 'full'$/);
    assert.throws(() => new TruncatedSVD({ powerIters: 'auto' as never }), /TruncatedSVD: option 'powerIters' must be an integer >= 0, got 'auto'$/);
    assert.throws(() => new TruncatedSVD({ normalizer: 'x' as never }), /TruncatedSVD: option 'normalizer' must be one of 'auto', 'lu', 'qr' or 'none'/);
    assert.throws(() => new TruncatedSVD({ nComponents: 3 } as never), /TruncatedSVD: unknown option 'nComponents' \(known: /);
    const t = new TruncatedSVD({ algorithm: 'arpack' });
    assert.deepEqual([t.components, t.algorithm, t.powerIters, t.oversample, t.normalizer, t.tol, t.seed], [2, 'lanczos', 5, 10, 'auto', undefined, 0]);
    const X = Matrix.random(10, 4, { seed: 1 });
    const before = X.toFlat().slice();
    new TruncatedSVD({ components: 2 }).fit(X);
    assert.deepEqual(X.toFlat(), before);
    assert.throws(() => new TruncatedSVD({ components: 5 }).fit(X), InvalidArgumentError);
    const bad = X.copy();
    bad.set(2, 3, NaN);
    assert.throws(() => new TruncatedSVD().fit(bad), NonFiniteInputError);
    assert.throws(() => new TruncatedSVD().fit(CsrMatrix.fromDense(bad)), NonFiniteInputError);
    const c = new AbortController();
    c.abort();
    assert.throws(() => new TruncatedSVD().fit(X, { signal: c.signal }), AbortedError);
  });
});
