import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AbortedError, InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../../src/errors.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { cp, cpAsync, CPDecomposition } from '../../../src/models/tensor/cp.js';
import { khatriRao } from '../../../src/models/tensor/khatri-rao.js';
import { matmul } from '../../../src/linalg/matmul.js';
import type { Progress } from '../../../src/progress.js';
import { rng } from '../../../src/random.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { BACKEND_NAMES, withBackend } from '../../helpers.js';

interface TensorJson { shape: number[]; data: number[] }
interface Case { name: string; tensor: TensorJson; rank: number; nonnegative: boolean; sweeps: number; weights: number[]; factors: number[][][]; fits: number[] }
const fx = JSON.parse(readFileSync(new URL('../../fixtures/tucker-cp/cp.json', import.meta.url), 'utf8')) as { cases: Case[] };

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** Planted factors (Gaussian, or uniform for `nonnegative`) and the tensor they make. */
function planted(shape: readonly number[], r: number, seed: number, nonnegative = false): { factors: Matrix[]; weights: number[]; T: Tensor } {
  const g = rng(seed);
  const factors = shape.map((n) => Matrix.fromArray(Array.from({ length: n * r }, () => (nonnegative ? g.nextDouble() : g.nextNormal())), n, r));
  const weights = Array.from({ length: r }, (_, c) => 1 + c);
  const T = new CPDecomposition(weights, factors, { relativeError: 0, iterations: 0, converged: true }).full();
  return { factors, weights, T };
}

function cosine(A: Matrix, a: number, B: Matrix, b: number): number {
  let s = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < A.rows; i++) {
    s += A.get(i, a) * B.get(i, b);
    na += A.get(i, a) ** 2;
    nb += B.get(i, b) ** 2;
  }
  return Math.abs(s) / Math.sqrt(na * nb);
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/**
 * Factor match score (Tomasi & Bro's congruence): for the best pairing of found and planted
 * components, the smallest over components of prod_k |cos(a_k, b_k)|.
 */
function congruence(found: readonly Matrix[], truth: readonly Matrix[]): number {
  const r = truth[0]!.cols;
  let best = 0;
  for (const perm of permutations(r)) {
    let worst = 1;
    for (let c = 0; c < r; c++) worst = Math.min(worst, truth.reduce((p, A, k) => p * cosine(A, c, found[k]!, perm[c]!), 1));
    best = Math.max(best, worst);
  }
  return best;
}

describe('cp: agreement with the numpy references (bench/ref/tucker_cp.py)', () => {
  for (const c of fx.cases) {
    it(`${c.name}: ${c.sweeps} ${c.nonnegative ? 'HALS' : 'ALS'} sweeps from the SVD start`, () => {
      const T = Tensor.fromArray(c.tensor.data, c.tensor.shape);
      const f = cp(T, c.rank, { maxIter: c.sweeps, tol: 0, nonnegative: c.nonnegative });
      assert.equal(f.iterations, c.sweeps);
      assert.ok(maxDiff(f.fitHistory, c.fits) <= 1e-10, `fits ${Array.from(f.fitHistory)} vs ${c.fits}`);
      assert.ok(maxDiff(f.weights, c.weights) <= 1e-8 * c.weights[0]!, `weights ${Array.from(f.weights)} vs ${c.weights}`);
      f.factors.forEach((A, k) => assert.ok(maxDiff(A.toFlat('C'), c.factors[k]!.flat()) <= 1e-8, `factor ${k}: ${maxDiff(A.toFlat('C'), c.factors[k]!.flat())}`));
    });
  }
});

describe('cp: recovers planted factors', () => {
  it('congruence > 0.99 on random shapes and ranks (exact low-rank tensors)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 4, max: 9 }), { minLength: 3, maxLength: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 10000 }),
        (shape, r, seed) => {
          const { factors, T } = planted(shape, r, seed);
          const f = cp(T, r, { maxIter: 1000, lineSearch: true });
          const score = congruence(f.factors, factors);
          assert.ok(score > 0.99, `shape [${shape}], rank ${r}, seed ${seed}: congruence ${score}, fit ${f.fit}`);
          assert.ok(f.fit > 0.999, `fit ${f.fit}`);
        },
      ),
      { numRuns: 25, seed: 5 },
    );
  });

  it('plain ALS, random init and HALS recover them too; with 1% noise the congruence stays > 0.99', () => {
    const { factors, T } = planted([12, 10, 8], 3, 42);
    for (const options of [{}, { init: 'random' as const, seed: 3 }]) {
      const f = cp(T, 3, { maxIter: 2000, ...options });
      assert.ok(congruence(f.factors, factors) > 0.99, JSON.stringify(options));
      assert.ok(f.relativeError < 1e-4);
    }
    const nn = planted([12, 10, 8], 3, 43, true);
    const h = cp(nn.T, 3, { nonnegative: true, maxIter: 2000 });
    assert.ok(congruence(h.factors, nn.factors) > 0.99, `HALS congruence ${congruence(h.factors, nn.factors)}`);
    for (const A of h.factors) assert.ok(A.min() >= 0);
    const noise = Tensor.random(T.shape, { seed: 9 });
    const noisy = T.add(noise.scale((0.01 * T.norm()) / noise.norm()));
    const g = cp(noisy, 3, { maxIter: 1000 });
    assert.ok(congruence(g.factors, factors) > 0.99);
    assert.ok(Math.abs(g.relativeError - 0.01) < 0.005, `noise level 0.01, error ${g.relativeError}`);
  });

  it('weights descending, unit columns, the reported fit is 1 - ||T - full|| / ||T||, fits never decrease', () => {
    const T = Tensor.random([7, 6, 5], { seed: 1 });
    for (const options of [{}, { nonnegative: true }, { lineSearch: true }, { init: 'random' as const }]) {
      const f = cp(T, 4, { maxIter: 40, ...options });
      for (let c = 1; c < f.rank; c++) assert.ok(f.weights[c]! <= f.weights[c - 1]!);
      // Unit columns, except where HALS zeroed a component (its weight is then 0).
      for (const A of f.factors) {
        for (let c = 0; c < f.rank; c++) {
          const norm = Math.hypot(...A.col(c).toFlat());
          assert.ok(Math.abs(norm - 1) < 1e-12 || (norm === 0 && f.weights[c] === 0), `${JSON.stringify(options)}: column ${c} has norm ${norm}`);
        }
      }
      const measured = f.full().sub(T).norm() / T.norm();
      assert.ok(Math.abs(f.relativeError - measured) < 1e-9, `${JSON.stringify(options)}: ${f.relativeError} vs ${measured}`);
      assert.equal(f.fit, 1 - f.relativeError);
      for (let i = 1; i < f.fitHistory.length; i++) assert.ok(f.fitHistory[i]! >= f.fitHistory[i - 1]! - 1e-12, `${JSON.stringify(options)}: fit fell at ${i}`);
    }
  });

  it('a rank above the mode lengths works (random columns fill the SVD start)', () => {
    const T = Tensor.random([3, 4, 5], { seed: 2 });
    const f = cp(T, 6, { maxIter: 30 });
    assert.equal(f.rank, 6);
    assert.ok(f.relativeError < 1);
    assert.equal(f.params, 6 * (1 + 12));
  });
});

describe('khatriRao', () => {
  it('column-wise Kronecker products, first index slowest; the unfolding identity X_(k) = A_k diag(w) (⊙_{j != k} A_j)^T', () => {
    assert.deepEqual(khatriRao([Matrix.from([[1, 2], [3, 4]]), Matrix.from([[1, 1], [0, 2]])]).toArray(), [[1, 2], [0, 4], [3, 4], [0, 8]]);
    const { factors, weights, T } = planted([4, 3, 5], 2, 7);
    for (let k = 0; k < 3; k++) {
      const others = factors.filter((_, j) => j !== k);
      const Ak = factors[k]!.map((v, i, c) => v * weights[c]!);
      const unfolded = matmul(Ak, khatriRao(others).T);
      assert.ok(unfolded.sub(T.unfold(k)).norm() < 1e-12 * T.norm(), `mode ${k}`);
    }
    assert.throws(() => khatriRao([Matrix.zeros(2, 2), Matrix.zeros(2, 3)]), ShapeError);
    assert.throws(() => khatriRao([]), InvalidArgumentError);
  });
});

describe('cp: inputs', () => {
  it('a permuted view and float32 input; the same numbers on every backend', () => {
    const base = Tensor.random([6, 5, 7], { seed: 8 });
    const view = base.permute([1, 2, 0]);
    const a = cp(view, 2, { maxIter: 10, tol: 0 });
    const b = cp(view.copy(), 2, { maxIter: 10, tol: 0 });
    assert.equal(maxDiff(a.weights, b.weights), 0);
    assert.equal(cp(base.astype('float32'), 2).factors[0]!.dtype, 'float64');
    for (const name of BACKEND_NAMES) {
      const c = withBackend(name, () => cp(view, 2, { maxIter: 10, tol: 0 }));
      assert.ok(maxDiff(c.weights, a.weights) < 1e-9 * a.weights[0]!, name);
    }
  });

  it('errors name what is wrong', () => {
    const T = Tensor.random([4, 5, 6], { seed: 1 });
    const bad = (fn: () => unknown, type: new (...a: never[]) => Error, re: RegExp) => assert.throws(fn, (e: unknown) => e instanceof type && re.test((e as Error).message));
    bad(() => cp(Tensor.random([7], { seed: 1 }), 2), InvalidArgumentError, /1 mode .*at least 2 modes/);
    bad(() => cp(T, 0), InvalidArgumentError, /rank must be an integer >= 1/);
    bad(() => cp(T, 2.5), InvalidArgumentError, /rank must be an integer >= 1 .*got 2.5/);
    bad(() => cp(T, 2, { init: 'nndsvd' as never }), InvalidArgumentError, /option 'init' must be one of 'svd' or 'random'/);
    bad(() => cp(T, 2, { nonnegative: true, lineSearch: true }), InvalidArgumentError, /lineSearch applies to the unconstrained/);
    bad(() => cp(T, 2, { iters: 3 } as never), InvalidArgumentError, /unknown option 'iters'/);
    bad(() => cp(T.copy().set([3, 0, 5], Infinity), 2), NonFiniteInputError, /Infinity at index \[3, 0, 5\]/);
    bad(() => new CPDecomposition([1, 2], [Matrix.zeros(3, 3)], { relativeError: 0, iterations: 0, converged: true }), ShapeError, /expected 2 columns/);
  });

  it('entries near the ends of float64 (1e±300) decompose as well as moderate ones', () => {
    const T = Tensor.random([6, 5, 4], { seed: 12 });
    const ref = cp(T, 2, { maxIter: 20, tol: 0 });
    for (const s of [1e300, 1e-300]) {
      const f = cp(T.scale(s), 2, { maxIter: 20, tol: 0 });
      assert.ok(Math.abs(f.relativeError - ref.relativeError) < 1e-12, `scale ${s}: ${f.relativeError} vs ${ref.relativeError}`);
      assert.ok(Math.abs(f.weights[0]! / s - ref.weights[0]!) < 1e-10 * ref.weights[0]!, `scale ${s}: weights`);
    }
  });

  it('an all-zero tensor gives zero weights and error 0', () => {
    const f = cp(Tensor.zeros([3, 4, 2]), 2);
    assert.deepEqual(Array.from(f.weights), [0, 0]);
    assert.equal(f.relativeError, 0);
  });
});

describe('cp: progress, abort, async', () => {
  it('reports each sweep; cpAsync gives the same result; an AbortSignal stops it', async () => {
    const T = Tensor.random([8, 9, 10], { seed: 6 });
    const seen: Progress[] = [];
    const f = cp(T, 3, { maxIter: 5, tol: 0, onProgress: (p) => seen.push(p) });
    assert.deepEqual(seen.map((p) => [p.stage, p.done, p.total]), [1, 2, 3, 4, 5].map((i) => ['iteration', i, 5]));
    assert.deepEqual(seen.map((p) => p.metrics!.fit), Array.from(f.fitHistory));
    const a = await cpAsync(T, 3, { maxIter: 5, tol: 0 });
    assert.equal(maxDiff(a.weights, f.weights), 0);
    const ac = new AbortController();
    assert.throws(() => cp(T, 3, { tol: 0, signal: ac.signal, onProgress: (p) => p.done === 2 && ac.abort() }), AbortedError);
    await assert.rejects(cpAsync(T, 3, { signal: AbortSignal.abort() }), AbortedError);
  });
});
