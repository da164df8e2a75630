import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AbortedError, InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../../src/errors.js';
import { svd as svdOf, svdvals } from '../../../src/linalg/svd.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { tucker, tuckerAsync, TuckerDecomposition, type TuckerMethod } from '../../../src/models/tensor/tucker.js';
import { flatInput, gramInto, leadingVectors, ttm } from '../../../src/models/tensor/mode-products.js';
import { Workspace } from '../../../src/kernels/workspace.js';
import { matmul } from '../../../src/linalg/matmul.js';
import type { Progress } from '../../../src/progress.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { BACKEND_NAMES, withBackend } from '../../helpers.js';

interface TensorJson { shape: number[]; data: number[] }
interface Result { relativeError: number; core?: TensorJson; factors?: number[][][]; errors?: number[]; iterations?: number }
interface Case { name: string; tensor: TensorJson; ranks: number[]; results: Record<'hosvd' | 'sthosvd' | 'hooi5' | 'hooi', Result> }

const fx = JSON.parse(readFileSync(new URL('../../fixtures/tucker-cp/tucker.json', import.meta.url), 'utf8')) as { cases: Case[] };
const tensorOf = (t: TensorJson): Tensor => Tensor.fromArray(t.data, t.shape);

/** max |a - b| over the entries. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** ||U^T U - I||_max. */
function orthogonality(U: Matrix): number {
  let worst = 0;
  for (let a = 0; a < U.cols; a++) {
    for (let b = 0; b < U.cols; b++) {
      let s = 0;
      for (let i = 0; i < U.rows; i++) s += U.get(i, a) * U.get(i, b);
      worst = Math.max(worst, Math.abs(s - (a === b ? 1 : 0)));
    }
  }
  return worst;
}

/** T x_k U_k^T over all modes, by the Tensor layer's own mode products (an independent path). */
function projectCore(T: Tensor, factors: readonly Matrix[]): Tensor {
  return factors.reduce((Y, U, k) => Y.modeProduct(k, U.T), T);
}

describe('tucker: agreement with the numpy references (bench/ref/tucker_cp.py)', () => {
  for (const c of fx.cases) {
    const T = tensorOf(c.tensor);
    for (const method of ['hosvd', 'sthosvd'] as const) {
      it(`${c.name}: ${method} core, factors and error`, () => {
        const ref = c.results[method];
        const t = tucker(T, c.ranks, { method });
        assert.ok(Math.abs(t.relativeError - ref.relativeError) <= 1e-10 * Math.max(1, ref.relativeError), `${t.relativeError} vs ${ref.relativeError}`);
        assert.ok(maxDiff(t.core.toFlat(), ref.core!.data) <= 1e-8 * t.core.norm(), `core differs by ${maxDiff(t.core.toFlat(), ref.core!.data)}`);
        t.factors.forEach((U, k) => assert.ok(maxDiff(U.toFlat('C'), ref.factors![k]!.flat()) <= 1e-8, `factor ${k}`));
        assert.equal(t.iterations, 0);
        assert.equal(t.method, method);
      });
    }
    it(`${c.name}: five HOOI sweeps match sweep for sweep`, () => {
      const ref = c.results.hooi5;
      const t = tucker(T, c.ranks, { method: 'hooi', maxIter: 5, tol: 0 });
      assert.equal(t.iterations, 5);
      assert.equal(t.converged, false);
      assert.ok(maxDiff(t.errorHistory, ref.errors!) <= 1e-10, `errors ${Array.from(t.errorHistory)} vs ${ref.errors}`);
      assert.ok(maxDiff(t.core.toFlat(), ref.core!.data) <= 1e-7 * t.core.norm());
      t.factors.forEach((U, k) => assert.ok(maxDiff(U.toFlat('C'), ref.factors![k]!.flat()) <= 1e-7, `factor ${k}`));
    });
    it(`${c.name}: HOOI to convergence (default tol) reaches the reference's error`, () => {
      const ref = c.results.hooi;
      const t = tucker(T, c.ranks);
      assert.equal(t.method, 'hooi');
      assert.ok(t.converged);
      assert.ok(Math.abs(t.iterations - ref.iterations!) <= 1, `${t.iterations} vs ${ref.iterations} iterations`);
      assert.ok(Math.abs(t.relativeError - ref.relativeError) <= 1e-9, `${t.relativeError} vs ${ref.relativeError}`);
    });
  }
});

describe('tucker: properties on random shapes', () => {
  // A random shape (2 to 4 modes of 1 to 7) and ranks that fit (r_k <= n_k, r_k <= prod of the others).
  const shapeAndRanks = fc
    .array(fc.integer({ min: 1, max: 7 }), { minLength: 2, maxLength: 4 })
    .chain((shape) => fc.tuple(fc.constant(shape), fc.tuple(...shape.map((n) => fc.integer({ min: 1, max: n }))), fc.integer({ min: 0, max: 1000 })))
    .filter(([, ranks]) => ranks.every((r, k) => r <= ranks.reduce((p, v, j) => (j === k ? p : p * v), 1)));

  it('orthonormal factors, core = T x U^T, reported error = ||T - full||, HOOI <= ST-HOSVD/HOSVD bounds', () => {
    fc.assert(
      fc.property(shapeAndRanks, ([shape, ranks, seed]) => {
        const T = Tensor.random(shape, { seed });
        const nt = T.norm();
        const errors: Record<TuckerMethod, number> = { hosvd: 0, sthosvd: 0, hooi: 0 };
        for (const method of ['hosvd', 'sthosvd', 'hooi'] as const) {
          const t = tucker(T, ranks, { method });
          assert.deepEqual(t.ranks, ranks);
          assert.deepEqual(t.shape, shape);
          for (const U of t.factors) assert.ok(orthogonality(U) <= 1e-12, `${method}: U^T U - I = ${orthogonality(U)}`);
          const direct = t.full().sub(T).norm() / nt;
          assert.ok(Math.abs(t.relativeError - direct) <= 1e-7, `${method}: reported ${t.relativeError}, measured ${direct}`);
          assert.ok(maxDiff(t.core.toFlat(), projectCore(T, t.factors).toFlat()) <= 1e-12 * Math.max(1, nt));
          errors[method] = t.relativeError;
        }
        // HOOI starts from HOSVD and never raises the error: at least as good as HOSVD.
        assert.ok(errors.hooi <= errors.hosvd + 1e-12, `hooi ${errors.hooi} > hosvd ${errors.hosvd}`);
        // Both HOSVDs are quasi-optimal: within sqrt(d) of the best, hence of HOOI's.
        const bound = Math.sqrt(shape.length) * errors.hooi + 1e-12;
        assert.ok(errors.hosvd <= bound && errors.sthosvd <= bound);
      }),
      { numRuns: 40, seed: 17 },
    );
  });

  it('recovers a tensor of exactly the given multilinear ranks (error ~ eps)', () => {
    const cases: [number[], number[]][] = [[[10, 8, 6], [3, 2, 4]], [[5, 6, 4, 3], [2, 3, 2, 3]], [[40, 3, 5], [6, 3, 5]]];
    for (const [shape, ranks] of cases) {
      const G = Tensor.random(ranks, { seed: 3 });
      const X = ranks.reduce((Y, r, k) => Y.modeProduct(k, Matrix.random(shape[k]!, r, { seed: 10 + k })), G);
      for (const method of ['hosvd', 'sthosvd', 'hooi'] as const) {
        const t = tucker(X, ranks, { method });
        assert.ok(t.relativeError < 1e-12, `${method} on [${shape}]: ${t.relativeError}`);
        assert.ok(t.full().sub(X).norm() / X.norm() < 1e-12, `${method}: measured error`);
      }
    }
  });

  it('full ranks reproduce the tensor; params and compression ratio count the numbers stored', () => {
    const T = Tensor.random([4, 5, 3], { seed: 2 });
    const t = tucker(T, [4, 5, 3]);
    assert.ok(t.relativeError < 1e-13);
    assert.ok(t.full().sub(T).norm() < 1e-12 * T.norm());
    const s = tucker(T, [2, 2, 2], { method: 'sthosvd' });
    assert.equal(s.params, 8 + 4 * 2 + 5 * 2 + 3 * 2);
    assert.equal(s.compressionRatio, 60 / 32);
    assert.equal(s.reconstruct().sub(s.full()).norm(), 0);
  });

  it('one integer rank applies to every mode; a 2-way tensor is a truncated SVD', () => {
    const T = Tensor.random([6, 5, 7], { seed: 4 });
    assert.deepEqual(tucker(T, 2).ranks, [2, 2, 2]);
    const M = Matrix.random(9, 7, { seed: 5 });
    const t = tucker(Tensor.fromMatrix(M), [3, 3]);
    // Eckart-Young: the best rank-3 error from the singular values.
    const s = Array.from(svdvals(M));
    const best = Math.sqrt(s.slice(3).reduce((a, v) => a + v * v, 0) / s.reduce((a, v) => a + v * v, 0));
    assert.ok(Math.abs(t.relativeError - best) < 1e-12, `${t.relativeError} vs ${best}`);
  });
});

describe('tucker: inputs', () => {
  it('any strides and dtypes: a permuted view and a float32 copy give the contiguous result', () => {
    const base = Tensor.random([5, 6, 4], { seed: 8 });
    const view = base.permute([2, 0, 1]);
    assert.ok(!view.isContiguous());
    const a = tucker(view, [2, 3, 3]);
    const b = tucker(view.copy(), [2, 3, 3]);
    assert.equal(a.relativeError, b.relativeError);
    assert.equal(maxDiff(a.core.toFlat(), b.core.toFlat()), 0);
    const f32 = tucker(base.astype('float32'), [2, 2, 2], { method: 'hosvd' });
    const f64 = tucker(base.astype('float32').astype('float64'), [2, 2, 2], { method: 'hosvd' });
    assert.equal(f32.relativeError, f64.relativeError);
    assert.equal(f32.core.dtype, 'float64');
  });

  it('the same numbers on every backend', () => {
    const T = Tensor.random([7, 5, 20], { seed: 9 });
    const ref = tucker(T, [3, 2, 4], { maxIter: 4, tol: 0 });
    for (const name of BACKEND_NAMES) {
      const t = withBackend(name, () => tucker(T, [3, 2, 4], { maxIter: 4, tol: 0 }));
      assert.ok(Math.abs(t.relativeError - ref.relativeError) < 1e-12, name);
      assert.ok(maxDiff(t.core.toFlat(), ref.core.toFlat()) < 1e-9, name);
    }
  });

  it('errors name what is wrong', () => {
    const T = Tensor.random([4, 5, 6], { seed: 1 });
    const bad = (fn: () => unknown, type: new (...a: never[]) => Error, re: RegExp) => assert.throws(fn, (e: unknown) => e instanceof type && re.test((e as Error).message));
    bad(() => tucker(Tensor.random([7], { seed: 1 }), [2]), InvalidArgumentError, /1 mode .*at least 2 modes/);
    bad(() => tucker(T, [5, 2, 2]), InvalidArgumentError, /rank of mode 0 is 5 but that mode has length 4/);
    bad(() => tucker(T, [1, 1, 3]), InvalidArgumentError, /rank of mode 2 is 3 but the other ranks multiply to 1/);
    bad(() => tucker(T, [2, 2]), InvalidArgumentError, /list of 3 integers/);
    bad(() => tucker(T, [2, 2.5, 2]), InvalidArgumentError, /rank of mode 1 must be an integer >= 1, got 2.5/);
    bad(() => tucker(T, [0, 2, 2]), InvalidArgumentError, /rank of mode 0 must be an integer >= 1/);
    bad(() => tucker(T, [2, 2, 2], { method: 'svd' as never }), InvalidArgumentError, /option 'method' must be one of 'hosvd', 'sthosvd' or 'hooi'/);
    bad(() => tucker(T, [2, 2, 2], { maxIters: 3 } as never), InvalidArgumentError, /unknown option 'maxIters'/);
    bad(() => tucker(T, [2, 2, 2], { tol: -1 }), InvalidArgumentError, /option 'tol'/);
    bad(() => tucker(Tensor.zeros([3, 0, 2]), [1, 1, 1]), InvalidArgumentError, /mode 1 of the tensor has length 0/);
    bad(() => tucker([[1, 2]] as never, [1, 1]), InvalidArgumentError, /expected a Tensor/);
    const nan = T.copy().set([1, 2, 3], NaN);
    bad(() => tucker(nan, [2, 2, 2]), NonFiniteInputError, /NaN at index \[1, 2, 3\]/);
    bad(() => new TuckerDecomposition(Tensor.zeros([2, 2]), [Matrix.zeros(3, 2)], { method: 'hosvd', relativeError: 0, iterations: 0, converged: true }), ShapeError, /2 modes but 1 factors/);
  });

  it('entries near the ends of float64 (1e±300) decompose as well as moderate ones', () => {
    const T = Tensor.random([6, 5, 4], { seed: 12 });
    const ref = tucker(T, [2, 3, 2]);
    for (const s of [1e300, 1e-300]) {
      const t = tucker(T.scale(s), [2, 3, 2]);
      assert.ok(Math.abs(t.relativeError - ref.relativeError) < 1e-12, `scale ${s}: ${t.relativeError} vs ${ref.relativeError}`);
      assert.ok(maxDiff(t.core.scale(1 / s).toFlat(), ref.core.toFlat()) < 1e-10 * ref.core.norm(), `scale ${s}: core`);
    }
  });

  it('an all-zero tensor has error 0', () => {
    const t = tucker(Tensor.zeros([3, 4, 2]), [1, 2, 2]);
    assert.equal(t.relativeError, 0);
    assert.equal(t.core.norm(), 0);
  });
});

describe('mode products and Grams, including the block-by-block unfolding paths', () => {
  it('ttm and gramInto agree with the Tensor layer on every mode, across several 8 MB blocks', () => {
    // Mode 2 has 8 trailing entries (< 16): the unfolding path, here in several blocks.
    const T = Tensor.random([300, 150, 3, 8], { seed: 21 }); // 1.08M entries: two blocks in mode 2
    const ws = new Workspace();
    try {
      const { X } = flatInput(T, 'test', ws);
      for (let k = 0; k < 4; k++) {
        const U = Matrix.random(T.shape[k]!, 2, { seed: k });
        const Y = ttm(X, k, U.toFlat('F') as Float64Array, T.shape[k]!, true, 2, ws);
        const ref = T.modeProduct(k, U.T);
        assert.deepEqual(Y.shape, ref.shape);
        assert.ok(maxDiff(Y.data, ref.toFlat()) < 1e-10 * ref.norm(), `ttm mode ${k}`);
        const n = T.shape[k]!;
        const G = new Float64Array(n * n);
        gramInto(X, k, G, ws);
        const Tk = T.unfold(k);
        const ref2 = matmul(Tk, Tk.T);
        let worst = 0;
        for (let j = 0; j < n; j++) for (let i = j; i < n; i++) worst = Math.max(worst, Math.abs(G[i + j * n]! - ref2.get(i, j)));
        assert.ok(worst < 1e-9 * ref2.norm(), `gram mode ${k}: ${worst}`);
      }
    } finally {
      ws.release();
    }
  });

  it('leading vectors of a tall unfolding (n_k > the rest, rows in several blocks) span the SVD ones', () => {
    const T = Tensor.random([3000, 25, 20], { seed: 22 });
    const ws = new Workspace();
    try {
      const { X } = flatInput(T, 'test', ws);
      const U = new Matrix(leadingVectors(X, 0, 4, ws), 3000, 4);
      const ref = svdOf(T.unfold(0)).U.colRange(0, 4);
      // Same subspace: the singular values of U^T ref are all 1 (cosines of the principal angles).
      const cos = svdvals(matmul(U.T, ref));
      for (const c of cos) assert.ok(Math.abs(c - 1) < 1e-9, `cosines ${Array.from(cos)}`);
      assert.ok(orthogonality(U) < 1e-12);
    } finally {
      ws.release();
    }
  });
});

describe('tucker: progress, abort, async', () => {
  it('reports each HOSVD mode and each HOOI iteration, and tuckerAsync gives the same result', async () => {
    const T = Tensor.random([8, 9, 10], { seed: 6 });
    const seen: Progress[] = [];
    const t = tucker(T, [3, 3, 3], { maxIter: 6, tol: 0, onProgress: (p) => seen.push(p) });
    assert.deepEqual(seen.filter((p) => p.stage === 'mode').map((p) => p.done), [1, 2, 3]);
    const its = seen.filter((p) => p.stage === 'iteration');
    assert.deepEqual(its.map((p) => p.done), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(its.map((p) => p.metrics!.relativeError), Array.from(t.errorHistory));
    // Non-increasing (HOOI's monotonicity), up to rounding.
    for (let i = 1; i < t.errorHistory.length; i++) assert.ok(t.errorHistory[i]! <= t.errorHistory[i - 1]! + 1e-14);
    const a = await tuckerAsync(T, [3, 3, 3], { maxIter: 6, tol: 0 });
    assert.equal(a.relativeError, t.relativeError);
    assert.equal(maxDiff(a.core.toFlat(), t.core.toFlat()), 0);
  });

  it('an AbortSignal stops it', async () => {
    const T = Tensor.random([8, 9, 10], { seed: 6 });
    const ac = new AbortController();
    assert.throws(() => tucker(T, [3, 3, 3], { tol: 0, signal: ac.signal, onProgress: (p) => p.stage === 'iteration' && p.done === 2 && ac.abort() }), AbortedError);
    await assert.rejects(tuckerAsync(T, [3, 3, 3], { signal: AbortSignal.abort() }), AbortedError);
  });
});
