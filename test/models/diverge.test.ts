// A fit whose loss or spectrum becomes NaN/Infinity throws ConvergenceError (naming the
// routine and what to change) instead of returning a model full of NaN. The input here is
// finite, but its squares overflow float64 (entries of 1e200), so every loss and variance
// overflows; the same data scaled down fits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConvergenceError } from '../../src/errors.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { IncrementalPCA } from '../../src/models/decomposition/incremental-pca.js';
import { NMF } from '../../src/models/nmf/nmf.js';
import { PCA } from '../../src/models/decomposition/pca.js';
import { SoftImpute, type CooEntries } from '../../src/models/completion/soft-impute.js';
import { TruncatedSVD } from '../../src/models/decomposition/truncated-svd.js';

const X = Matrix.random(60, 40, { seed: 3 });
const scaled = (M: Matrix, f: number): Matrix => {
  const out = M.copy();
  for (let i = 0; i < out.data.length; i++) out.data[i] = out.data[i]! * f;
  return out;
};
const huge = scaled(X, 1e200);

function observedScaled(f: number): CooEntries {
  return { rows: [0, 1, 2, 1, 3, 0], cols: [0, 1, 2, 0, 3, 3], values: [1, 2, 3, 1, 2, 4].map((v) => v * f), shape: [4, 4] };
}

const convergence = (pattern: RegExp) => (e: Error): boolean => e instanceof ConvergenceError && pattern.test(e.message);

describe('ConvergenceError instead of NaN models', () => {
  it('NMF: a non-finite loss at an iteration, both solvers, fit and fitAsync', async () => {
    for (const solver of ['cd', 'mu'] as const) {
      assert.throws(() => new NMF({ components: 3, solver }).fit(huge),
        convergence(new RegExp(`^NMF\\.fit: the loss became NaN at iteration 1 \\(solver '${solver}', beta 2\\);.*rescale X`)));
      await assert.rejects(new NMF({ components: 3, solver }).fitAsync(huge), convergence(/^NMF\.fit: the loss became NaN at iteration 1/));
      assert.ok(new NMF({ components: 3, solver, maxIter: 20 }).fit(X).reconstructionError > 0);
    }
  });

  it('NMF transform: the same check on the loadings loop', () => {
    const model = new NMF({ components: 3, maxIter: 20 }).fit(X);
    assert.throws(() => model.transform(huge), convergence(/^NMFModel\.transform: the loss became NaN at iteration 1/));
  });

  it('SoftImpute: a non-finite objective at an iteration, both algorithms', () => {
    for (const algorithm of ['als', 'svd'] as const) {
      assert.throws(() => new SoftImpute({ rank: 2, algorithm }).fit(observedScaled(1e200)),
        convergence(new RegExp(`^SoftImpute: the objective became Infinity at iteration 1 \\(algorithm '${algorithm}'\\);.*rescale the values`)));
      assert.ok(Number.isFinite(new SoftImpute({ rank: 2, algorithm }).fit(observedScaled(1)).trainRmse));
    }
  });

  it('PCA, every solver: a non-finite spectrum or covariance', () => {
    for (const solver of ['full', 'covariance-eigh', 'randomized', 'lanczos'] as const) {
      assert.throws(() => new PCA({ components: 3, solver }).fit(huge),
        convergence(new RegExp(`^PCA\\.fit: the '${solver}' solver gave NaN/Infinity singular values or variance: the data's squares overflow float64; rescale it`)));
      assert.ok(new PCA({ components: 3, solver }).fit(scaled(X, 1e100)).explainedVarianceRatio.every(Number.isFinite), solver);
    }
  });

  it('TruncatedSVD and IncrementalPCA: the same check', () => {
    for (const algorithm of ['randomized', 'lanczos'] as const) {
      assert.throws(() => new TruncatedSVD({ components: 3, algorithm }).fit(huge), convergence(new RegExp(`^TruncatedSVD\\.fit: the '${algorithm}' solver`)));
    }
    assert.throws(() => new IncrementalPCA({ components: 3, batchSize: 20 }).fit(huge), convergence(/^IncrementalPCA\.fit: the 'incremental' solver/));
    const model = new IncrementalPCA({ components: 3, batchSize: 20 }).fit(X);
    assert.throws(() => model.partialFit(huge.rowRange(0, 10)), convergence(/^IncrementalPCA\.partialFit: /));
  });
});
