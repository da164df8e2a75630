import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AbortedError, InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../../src/errors.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { PCA, PCAModel, type PCAOptions } from '../../../src/models/decomposition/pca.js';
import { CsrMatrix } from '../../../src/sparse/csr.js';
import { BACKEND_NAMES, withBackend } from '../../helpers.js';
import {
  assertClose, assertColsUpToSign, assertRows, assertRowsUpToSign, digits, digitsFixture, maxDiff, rowOrthogonality, smallFixture, sparseFixture, type SkCase,
} from './pca-helpers.js';

/** Every fitted attribute and the transform of the first rows against scikit-learn's. */
function compare(model: PCAModel, X: Matrix, sk: SkCase, tol: { comp: number; rel: number }, what: string): void {
  const k = sk.n_components_!;
  assert.equal(model.nComponents, k, `${what}: n_components_`);
  const scale = sk.explained_variance_[0]!;
  assertClose(model.explainedVariance, sk.explained_variance_, tol.rel * scale, `${what}: explained_variance_`);
  assertClose(model.explainedVarianceRatio, sk.explained_variance_ratio_, tol.rel, `${what}: explained_variance_ratio_`);
  assertClose(model.singularValues, sk.singular_values_, tol.rel * sk.singular_values_[0]! * 1e3, `${what}: singular_values_`);
  assertClose(model.mean, sk.mean_!, 1e-12 * Math.max(1, ...sk.mean_!.map(Math.abs)), `${what}: mean_`);
  assert.ok(Math.abs(model.noiseVariance - sk.noise_variance_!) <= tol.rel * scale, `${what}: noise_variance_ ${model.noiseVariance} vs ${sk.noise_variance_}`);
  // Components of (numerically) zero variance are arbitrary: compare the others.
  const defined = sk.explained_variance_.filter((v) => v > 1e-10 * scale).length;
  if (sk.components_) assertRows(model.components, sk.components_, tol.comp, `${what}: components_`, Math.min(defined, sk.components_.length));
  if (sk.transform) {
    const Z = model.transform(X.rowRange(0, sk.transform.length));
    assertRows(Z, sk.transform, tol.comp * 100 * Math.sqrt(scale), `${what}: transform`);
    assertRows(model.inverseTransform(Z), sk.inverse_transform!, tol.comp * 100 * Math.sqrt(scale), `${what}: inverse_transform`);
  }
  if (sk.covariance) assertRows(model.getCovariance(), sk.covariance, tol.rel * scale, `${what}: get_covariance`);
}

describe('PCA on digits (1797 x 64) against scikit-learn 1.9', () => {
  const X = digits();

  it('auto picks covariance-eigh like scikit-learn and matches every attribute', () => {
    const sk = digitsFixture.auto!;
    const model = new PCA().fit(X);
    assert.equal(model.solver, 'covariance-eigh');
    assert.equal(sk.solver, 'covariance_eigh');
    assert.equal(model.nComponents, 64);
    // Ratios to 1e-10 absolute (the bar); variances to 1e-10 of the largest.
    assertClose(model.explainedVarianceRatio, sk.explained_variance_ratio_, 1e-10, 'explained_variance_ratio_');
    assertClose(model.explainedVariance, sk.explained_variance_, 1e-10 * sk.explained_variance_[0]!, 'explained_variance_');
    assertClose(model.mean, sk.mean_!, 1e-12, 'mean_');
    assert.equal(model.noiseVariance, 0);
    // The first 40 components (distinct eigenvalues) to 1e-8, signs included: the sign rule is scikit-learn's.
    assertRows(model.components, sk.components_!, 1e-8, 'components_', 40);
    // Singular values where the eigenvalue is above the rounding floor.
    for (let i = 0; i < 60; i++) assert.ok(Math.abs(model.singularValues[i]! - sk.singular_values_[i]!) <= 1e-9 * sk.singular_values_[0]!, `s[${i}]`);
    assert.ok(rowOrthogonality(model.components) < 1e-13);
  });

  it('n_components = 10 with the full SVD solver', () => {
    compare(new PCA({ components: 10, solver: 'full' }).fit(X), X, digitsFixture.full10!, { comp: 1e-8, rel: 1e-10 }, 'full10');
  });

  it('whitening (covariance-eigh): scores of unit variance, inverse restores the data', () => {
    const sk = digitsFixture.cov10_whiten!;
    const { model, transformed: scores } = new PCA({ components: 10, whiten: true }).fitTransform(X);
    compare(model, X, sk, { comp: 1e-8, rel: 1e-10 }, 'cov10_whiten');
    for (let j = 0; j < 10; j++) {
      let q = 0;
      for (let i = 0; i < X.rows; i++) q += scores.get(i, j) ** 2;
      assert.ok(Math.abs(q / (X.rows - 1) - 1) < 1e-10, `column ${j} variance ${q / (X.rows - 1)}`);
    }
  });

  it('a variance fraction 0.95 keeps 29 components (searchsorted side=right + 1)', () => {
    const sk = digitsFixture.frac95!;
    const model = new PCA({ components: 0.95 }).fit(X);
    assert.equal(model.nComponents, 29);
    compare(model, X, sk, { comp: 1e-8, rel: 1e-10 }, 'frac95');
    assert.ok(model.totalExplainedVarianceRatio > 0.95);
    let without = 0;
    for (let i = 0; i < 28; i++) without += model.explainedVarianceRatio[i]!;
    assert.ok(without <= 0.95);
  });

  it('randomized and lanczos solvers agree with the full solver on the leading components', () => {
    const full = new PCA({ components: 10, solver: 'full' }).fit(X);
    for (const solver of ['randomized', 'lanczos', 'arpack'] as const) {
      const m = new PCA({ components: 10, solver, seed: 3 }).fit(X);
      assert.equal(m.solver, solver === 'arpack' ? 'lanczos' : solver);
      const tol = solver === 'randomized' ? 1e-6 : 1e-9;
      assertClose(m.explainedVarianceRatio, full.explainedVarianceRatio, tol, `${solver} ratio`);
      assert.ok(Math.abs(m.noiseVariance - full.noiseVariance) <= tol * full.explainedVariance[0]!, `${solver} noise`);
      assertRows(m.components, full.components.toArray(), solver === 'randomized' ? 1e-3 : 1e-7, `${solver} components`, 8);
    }
  });

  it('fitTransform scores equal transform(X) for every solver', () => {
    for (const solver of ['full', 'covariance-eigh', 'randomized', 'lanczos'] as const) {
      for (const whiten of [false, true]) {
        const { model, transformed: scores } = new PCA({ components: 5, solver, whiten }).fitTransform(X);
        const Z = model.transform(X);
        // U diag(s) and X V differ by the solver's error (scikit-learn returns U diag(s) too).
        const tol = solver === 'randomized' ? 1e-3 : solver === 'lanczos' ? 1e-6 : 1e-9;
        assert.ok(maxDiff(scores.toFlat(), Z.toFlat()) < tol * (whiten ? 1 : 50), `${solver} whiten=${whiten}`);
      }
    }
  });
});

describe('PCA on small random data against scikit-learn', () => {
  const tall = Matrix.from(smallFixture.tall.X);
  const wide = Matrix.from(smallFixture.wide.X);
  const cases: [string, Matrix, SkCase, PCAOptions][] = [
    ['tall k=3', tall, smallFixture.tall.full3!, { components: 3, solver: 'full' }],
    ['tall k=3 whiten', tall, smallFixture.tall.full3_whiten!, { components: 3, solver: 'full', whiten: true }],
    ['tall all', tall, smallFixture.tall.all!, { solver: 'full' }],
    ['tall 0.9', tall, smallFixture.tall.frac!, { components: 0.9, solver: 'full' }],
    ['tall covariance-eigh', tall, smallFixture.tall.cov3!, { components: 3, solver: 'covariance-eigh' }],
    ['wide k=4', wide, smallFixture.wide.full4!, { components: 4, solver: 'full' }],
    ['wide all', wide, smallFixture.wide.all!, { solver: 'full' }],
    ['wide k=4 whiten', wide, smallFixture.wide.full4_whiten!, { components: 4, solver: 'full', whiten: true }],
  ];
  for (const [name, X, sk, options] of cases) {
    it(name, () => {
      for (const backend of BACKEND_NAMES) {
        withBackend(backend, () => {
          const { model, transformed: scores } = new PCA(options).fitTransform(X);
          compare(model, X, sk, { comp: 1e-10, rel: 1e-12 }, `${name} [${backend}]`);
          assertRows(scores.rowRange(0, 6), sk.transform!, 1e-10, `${name} fitTransform [${backend}]`);
        });
      }
    });
  }

  it('a rank-deficient wide case: all components, zero noise, inverse reconstructs', () => {
    const model = new PCA().fit(wide);
    assert.equal(model.nComponents, 7);
    const back = model.inverseTransform(model.transform(wide));
    assert.ok(maxDiff(back.toFlat(), wide.toFlat()) < 1e-12);
  });
});

describe('PCA on sparse input (never densified)', () => {
  const S = sparseFixture();
  const dense = S.toDense();

  it('lanczos (scikit-learn arpack) matches scikit-learn and the dense full PCA', () => {
    const sk = smallFixture.sparse.pca4_arpack!;
    const model = new PCA({ components: 4 }).fit(S);
    assert.equal(model.solver, 'lanczos');
    compare(model, dense, sk, { comp: 1e-8, rel: 1e-10 }, 'sparse arpack');
    compare(new PCA({ components: 4, solver: 'full' }).fit(dense), dense, smallFixture.sparse.pca4_dense!, { comp: 1e-10, rel: 1e-12 }, 'dense full');
    // transform of sparse rows equals that of the dense rows
    assert.ok(maxDiff(model.transform(S).toFlat(), model.transform(dense).toFlat()) < 1e-12);
  });

  it('covariance-eigh and randomized on sparse agree with the dense fit', () => {
    const ref = new PCA({ components: 4, solver: 'full' }).fit(dense);
    for (const solver of ['covariance-eigh', 'randomized'] as const) {
      const m = new PCA({ components: 4, solver, powerIters: 10 }).fit(S);
      assertClose(m.explainedVariance, ref.explainedVariance, 1e-8 * ref.explainedVariance[0]!, `${solver} variance`);
      assertRowsUpToSign(m.components, ref.components.toArray(), 1e-6, `${solver} components`);
      assert.ok(Math.abs(m.noiseVariance - ref.noiseVariance) < 1e-9, `${solver} noise`);
    }
    // a fraction on sparse input resolves to covariance-eigh
    const frac = new PCA({ components: 0.5 }).fit(S);
    assert.equal(frac.solver, 'covariance-eigh');
    assert.equal(frac.nComponents, new PCA({ components: 0.5, solver: 'full' }).fit(dense).nComponents);
  });
});

describe('PCA solver choice, options and errors', () => {
  it("'auto' follows scikit-learn 1.9's rule", () => {
    const p = new PCA({ components: 10 });
    assert.equal(p.resolveSolver(1797, 64), 'covariance-eigh');
    assert.equal(p.resolveSolver(300, 200), 'full');
    assert.equal(p.resolveSolver(2000, 600), 'randomized');
    assert.equal(new PCA({ components: 0.9 }).resolveSolver(2000, 600), 'full');
    assert.equal(new PCA().resolveSolver(2000, 600), 'full');
    assert.equal(new PCA({ components: 500 }).resolveSolver(2000, 600), 'full');
    assert.equal(p.resolveSolver(2000, 600, true), 'lanczos');
  });

  it('bad options throw InvalidArgumentError naming the option', () => {
    const bad: [PCAOptions, RegExp][] = [
      [{ components: 0 }, /components/],
      [{ components: 1.5 }, /components/],
      [{ components: -1 }, /components/],
      [{ components: NaN }, /components/],
      [{ solver: 'magic' as never }, /solver/],
      [{ whiten: 1 as never }, /whiten/],
      [{ powerIters: -1 }, /powerIters/],
      [{ oversample: 2.5 }, /oversample/],
      [{ normalizer: 'x' as never }, /normalizer/],
      [{ tol: 0 }, /tol/],
      [{ components: 0.5, solver: 'randomized' }, /fraction/],
    ];
    for (const [options, pattern] of bad) assert.throws(() => new PCA(options), (e: unknown) => e instanceof InvalidArgumentError && pattern.test(e.message), JSON.stringify(options));
  });

  it('options are checked by the one table: the message format, unknown keys, and the stored defaults', () => {
    const fails = (options: unknown, pattern: RegExp): void => {
      assert.throws(() => new PCA(options as PCAOptions), (e: unknown) => e instanceof InvalidArgumentError && pattern.test(e.message), JSON.stringify(options));
    };
    fails({ components: 0 }, /^PCA: option 'components' must be an integer >= 1 or a number in \(0, 1\), got 0$/);
    fails({ solver: 'magic' }, /^PCA: option 'solver' must be one of 'auto', 'full', 'covariance-eigh', 'randomized', 'lanczos' or 'arpack', got 'magic'$/);
    fails({ normalizer: 'svd' }, /^PCA: option 'normalizer' must be one of 'auto', 'lu', 'qr' or 'none', got 'svd'$/);
    fails({ powerIters: 'many' }, /^PCA: option 'powerIters' must be 'auto' or an integer >= 0, got 'many'$/);
    fails({ seed: NaN }, /^PCA: option 'seed' must be a finite number, a bigint or an Rng, got NaN$/);
    fails({ component: 3 }, /^PCA: unknown option 'component' \(known: components, /);
    fails({ n_components: 3 }, /unknown option 'n_components'/);
    const p = new PCA({ seed: 5n });
    assert.deepEqual(
      [p.components, p.solver, p.whiten, p.seed, p.powerIters, p.oversample, p.normalizer, p.tol],
      [undefined, 'auto', false, 5n, 'auto', 10, 'auto', undefined],
    );
  });

  it('fitTransform returns { model, transformed }, with the deprecated scores the same matrix', () => {
    const X = Matrix.random(12, 5, { seed: 3 });
    const r = new PCA({ components: 3, solver: 'full' }).fitTransform(X);
    assert.equal(r.scores, r.transformed);
    assert.deepEqual(r.transformed.toFlat(), new PCA({ components: 3, solver: 'full' }).fitTransform(X).transformed.toFlat());
  });

  it('bad data: too many components, one sample, NaN, sparse with full, wrong transform shape', () => {
    const X = Matrix.random(20, 5, { seed: 1 });
    assert.throws(() => new PCA({ components: 6 }).fit(X), (e: unknown) => e instanceof InvalidArgumentError && /min\(n_samples, n_features\) = 5/.test(e.message));
    assert.throws(() => new PCA().fit(Matrix.random(1, 5)), ShapeError);
    assert.throws(() => new PCA().fit(Matrix.zeros(3, 0)), ShapeError);
    const withNaN = X.copy();
    withNaN.set(7, 2, NaN);
    for (const solver of ['full', 'covariance-eigh', 'randomized'] as const) {
      assert.throws(() => new PCA({ solver, components: 2 }).fit(withNaN), (e: unknown) => e instanceof NonFiniteInputError && /\(7, 2\)/.test(e.message), solver);
    }
    const inf = X.copy();
    inf.set(0, 0, Infinity);
    assert.throws(() => new PCA().fit(inf), NonFiniteInputError);
    assert.throws(() => new PCA({ solver: 'full' }).fit(CsrMatrix.fromDense(X)), (e: unknown) => e instanceof InvalidArgumentError && /dense/.test(e.message));
    const model = new PCA({ components: 2 }).fit(X);
    assert.throws(() => model.transform(Matrix.zeros(3, 4)), ShapeError);
    assert.throws(() => model.transform(withNaN), (e: unknown) => e instanceof NonFiniteInputError && /\(7, 2\)/.test(e.message));
    assert.throws(() => model.inverseTransform(Matrix.zeros(3, 3)), ShapeError);
    assert.throws(() => new PCA().fit([[1, 2]] as never), InvalidArgumentError);
  });

  it('NaN in a feature the components ignore is still caught by transform', () => {
    const X = digits();
    const model = new PCA({ components: 5 }).fit(X);
    const bad = X.rowRange(0, 4).copy();
    bad.set(1, 0, NaN); // digits' first pixel is always 0: its loadings are exactly 0
    assert.throws(() => model.transform(bad), NonFiniteInputError);
  });

  it('an aborted signal throws AbortedError', () => {
    const X = Matrix.random(50, 10, { seed: 2 });
    const c = new AbortController();
    c.abort();
    for (const solver of ['full', 'randomized', 'lanczos'] as const) {
      assert.throws(() => new PCA({ solver, components: 3 }).fit(X, { signal: c.signal }), AbortedError);
    }
  });

  it('reports progress of the iterative solvers', () => {
    const X = Matrix.random(80, 30, { seed: 2 });
    const stages: string[] = [];
    new PCA({ solver: 'randomized', components: 3 }).fit(X, { onProgress: (p) => stages.push(p.stage) });
    assert.ok(stages.length > 0);
  });
});

describe('PCA inputs and persistence', () => {
  it('does not modify the input; row-major, strided and float32 views give the same model', () => {
    const X = Matrix.random(40, 6, { seed: 5, distribution: 'normal' });
    const before = X.toFlat().slice();
    const ref = new PCA({ components: 3, solver: 'full' }).fit(X);
    assert.deepEqual(X.toFlat(), before);
    const rowMajor = Matrix.fromArray(X.toFlat('C'), 40, 6, { order: 'C' });
    const strided = Matrix.zeros(6, 40).T;
    for (let i = 0; i < 40; i++) for (let j = 0; j < 6; j++) strided.set(i, j, X.get(i, j));
    for (const solver of ['full', 'covariance-eigh'] as const) {
      for (const Y of [rowMajor, strided]) {
        const m = new PCA({ components: 3, solver }).fit(Y);
        assertRows(m.components, ref.components.toArray(), 1e-10, `${solver} view`);
        assert.ok(maxDiff(m.transform(Y).toFlat(), ref.transform(X).toFlat()) < 1e-10);
      }
    }
    const f32 = new PCA({ components: 3 }).fit(X.astype('float32'));
    assertRows(f32.components, ref.components.toArray(), 1e-5, 'float32');
    assert.equal(f32.components.dtype, 'float64');
  });

  it('covariance-eigh stays accurate when the mean dwarfs the spread', () => {
    // Features 1e8 + O(1): X^T X - n mu mu^T would cancel 16 digits; centered blocks do not.
    const base = Matrix.random(300, 4, { seed: 9, distribution: 'normal' });
    const shifted = base.add(1e8);
    const ref = new PCA({ solver: 'full' }).fit(base);
    const m = new PCA({ solver: 'covariance-eigh' }).fit(shifted);
    assertClose(m.explainedVariance, ref.explainedVariance, 1e-8, 'variance');
    assertRowsUpToSign(m.components, ref.components.toArray(), 1e-7, 'components');
  });

  it('constant data: zero variance gives ratios 0 (no NaN) and zero scores, whitened or not', () => {
    const X = Matrix.full(6, 3, 2);
    for (const solver of ['full', 'covariance-eigh'] as const) {
      for (const whiten of [false, true]) {
        const { model, transformed: scores } = new PCA({ solver, whiten }).fitTransform(X);
        assert.deepEqual(Array.from(model.explainedVarianceRatio), [0, 0, 0]);
        assert.equal(model.noiseVariance, 0);
        assert.ok(scores.toFlat().every((v) => v === 0), `${solver} whiten=${whiten}`);
        assert.ok(model.transform(X).toFlat().every((v) => v === 0));
      }
    }
  });

  it('toJSON / fromJSON round trip', () => {
    const X = Matrix.random(30, 5, { seed: 4 });
    const model = new PCA({ components: 2, whiten: true }).fit(X);
    const back = PCAModel.fromJSON(JSON.parse(JSON.stringify(model)));
    assert.equal(back.whiten, true);
    assert.equal(back.solver, model.solver);
    assert.equal(back.nSamples, 30);
    assert.deepEqual(back.transform(X).toFlat(), model.transform(X).toFlat());
    assert.throws(() => PCAModel.fromJSON({ ...model.toJSON(), mean: [1, 2] }), InvalidArgumentError);
    assert.throws(() => PCAModel.fromJSON({ ...model.toJSON(), version: 2 }), InvalidArgumentError);
    assert.throws(() => PCAModel.fromJSON(null), InvalidArgumentError);
  });

  it('property: random shapes, every solver: orthonormal components, exact reconstruction at full rank', () => {
    for (let t = 0; t < 12; t++) {
      const m = 2 + ((t * 7) % 23);
      const n = 1 + ((t * 5) % 13);
      const X = Matrix.random(m, n, { seed: 100 + t, distribution: 'normal' });
      const r = Math.min(m, n);
      const model = new PCA({ solver: 'full' }).fit(X);
      assert.ok(rowOrthogonality(model.components) < 1e-12, `orthonormal ${m}x${n}`);
      const back = model.inverseTransform(model.transform(X));
      assert.ok(maxDiff(back.toFlat(), X.toFlat()) < 1e-11, `reconstruct ${m}x${n}`);
      let ratio = 0;
      for (const v of model.explainedVarianceRatio) ratio += v;
      assert.ok(Math.abs(ratio - 1) < 1e-12);
      const k = Math.max(1, r - 1);
      const ref = new PCA({ components: k, solver: 'full' }).fit(X);
      const cov = new PCA({ components: k, solver: 'covariance-eigh' }).fit(X);
      assertClose(cov.explainedVariance, ref.explainedVariance, 1e-10 * Math.max(1, ref.explainedVariance[0]!), `cov variance ${m}x${n}`);
      assert.ok(Math.abs(cov.noiseVariance - ref.noiseVariance) < 1e-10 || m < n, `noise ${m}x${n}`);
      const lz = new PCA({ components: k, solver: 'lanczos' }).fit(X);
      assertClose(lz.explainedVariance, ref.explainedVariance, 1e-8 * Math.max(1, ref.explainedVariance[0]!), `lanczos variance ${m}x${n}`);
      assertColsUpToSign(lz.transform(X), ref.transform(X).toArray(), 1e-6, `lanczos scores ${m}x${n}`);
    }
  });
});
