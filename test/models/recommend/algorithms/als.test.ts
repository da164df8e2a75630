import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AbortedError, ConvergenceError, InvalidArgumentError } from '../../../../src/errors.js';
import { ALS } from '../../../../src/models/recommend/algorithms/als.js';
import { randomSplit } from '../../../../src/models/recommend/data/split.js';
import { plantedRatings, syntheticRatings } from '../../../../src/models/recommend/data/synthetic.js';
import { Ratings } from '../../../../src/models/recommend/data/ratings.js';
import { rmse } from '../../../../src/models/recommend/evaluation/metrics.js';
import { BACKEND_NAMES, withBackend } from '../../../helpers.js';

const { ratings, truth } = plantedRatings({ users: 400, items: 250, ratings: 30_000, rank: 4, noise: 0.3, integer: false, seed: 11 });
const [train, test] = randomSplit(ratings, { test: 0.2, seed: 1 });

function meanOf(a: Float32Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s / a.length;
}

describe('ALS (explicit, ALS-WR)', () => {
  it('beats the global mean clearly on planted low-rank data, on every backend', () => {
    const mu = meanOf(train.values);
    const base = rmse(new Float32Array(test.size).fill(mu), test.values);
    for (const backend of BACKEND_NAMES) {
      withBackend(backend, () => {
        const model = new ALS({ factors: 8, iterations: 8, reg: 0.05 }).fit(train);
        const r = rmse(model.predictRatings(test), test.values);
        assert.ok(r < 0.6 * base, `${backend}: ALS ${r} vs mean ${base}`);
        // noise floor 0.3: a sensible fit is not far above it
        assert.ok(r < 2 * truth.noise, `${backend}: ALS rmse ${r}`);
      });
    }
  });

  it('never increases the regularized objective, and reports one progress per iteration', () => {
    const seen: { objective: number; trainRmse: number }[] = [];
    const model = new ALS({ factors: 6, iterations: 6, reg: 0.1, seed: 3 }).fit(train, {
      onProgress: (p) => {
        assert.equal(p.stage, 'epoch');
        assert.equal(p.total, 6);
        assert.equal(p.done, seen.length + 1);
        seen.push(p.metrics as { objective: number; trainRmse: number });
      },
    });
    assert.equal(seen.length, 6);
    for (let k = 1; k < seen.length; k++) {
      assert.ok(seen[k]!.objective <= seen[k - 1]!.objective * (1 + 1e-6), `iteration ${k}: ${seen[k]!.objective} > ${seen[k - 1]!.objective}`);
    }
    assert.equal(model.algorithm, 'als');
    assert.equal(model.kind, 'explicit');
    assert.equal(model.state.hyperparameters['factors'], 6);
  });

  it('is deterministic for a seed and agrees across backends', () => {
    const a = new ALS({ factors: 5, iterations: 3, seed: 7 }).fit(train);
    const b = new ALS({ factors: 5, iterations: 3, seed: 7 }).fit(train);
    assert.deepEqual(a.state.userFactors, b.state.userFactors);
    const js = withBackend('js', () => new ALS({ factors: 5, iterations: 3, seed: 7 }).fit(train));
    const pa = a.predictRatings(test);
    const pj = js.predictRatings(test);
    let maxd = 0;
    for (let k = 0; k < pa.length; k++) maxd = Math.max(maxd, Math.abs(pa[k]! - pj[k]!));
    assert.ok(maxd < 1e-3, `backends differ by ${maxd}`);
  });

  it('WASM kernel and TypeScript fallback agree for odd and even system sizes, with and without biases', () => {
    for (const [factors, biased] of [[4, false], [7, false], [3, true], [8, true]] as const) {
      const fit = () => new ALS({ factors, biased, iterations: 2, seed: 2 }).fit(train);
      const ref = withBackend('js', fit).predictRatings(test);
      for (const backend of BACKEND_NAMES) {
        const got = withBackend(backend, fit).predictRatings(test);
        let maxd = 0;
        for (let k = 0; k < got.length; k++) maxd = Math.max(maxd, Math.abs(got[k]! - ref[k]!));
        assert.ok(maxd < 1e-3, `f=${factors} biased=${biased} ${backend}: ${maxd}`);
      }
    }
  });

  it('without biases still fits, and centres by the mean', () => {
    const model = new ALS({ factors: 8, iterations: 6, biased: false }).fit(train);
    assert.ok(model.state.userBias.every((b) => b === 0));
    assert.ok(Math.abs(model.state.globalMean - meanOf(train.values)) < 1e-9);
    const r = rmse(model.predictRatings(test), test.values);
    assert.ok(r < 2 * truth.noise, `rmse ${r}`);
  });

  it('gives untrained users and items of a shared ID space the cold-start path', () => {
    const small = Ratings.fromTriples(['a', 'a', 'b', 'c'], ['x', 'y', 'x', 'z'], [5, 3, 4, 1]);
    const part = small.subset([0, 1, 2]); // c and z have no training rating
    const model = new ALS({ factors: 2, iterations: 3 }).fit(part);
    assert.equal(model.predict('c', 'x').coldStart, 'user');
    assert.equal(model.predict('a', 'z').coldStart, 'item');
    assert.ok(model.recommend('a', { n: 5 }).every((r) => r.item !== 'x' && r.item !== 'y'));
  });

  it('validates options and input, and stops on an aborted signal', () => {
    assert.throws(() => new ALS({ factors: 0 }), /factors/);
    assert.throws(() => new ALS({ reg: -1 }), /reg/);
    assert.throws(() => new ALS({ iterations: 1.5 }), InvalidArgumentError);
    assert.throws(() => new ALS({ factor: 5 } as never), /ALS: unknown option 'factor' \(known: factors, iterations, reg, biased, initStd, seed, threads\)$/);
    const empty = Ratings.fromTriples([], [], []);
    assert.throws(() => new ALS().fit(empty), /no ratings/);
    const ac = new AbortController();
    ac.abort();
    assert.throws(() => new ALS({ factors: 2 }).fit(train, { signal: ac.signal }), AbortedError);
    const ac2 = new AbortController();
    assert.throws(
      () => new ALS({ factors: 2, iterations: 5 }).fit(train, { signal: ac2.signal, onProgress: (p) => { if (p.done === 2) ac2.abort(); } }),
      AbortedError,
    );
  });

  it('throws ConvergenceError suggesting more regularization when the factors become NaN (reg 0, more factors than ratings per user), on every backend', () => {
    // About 20 ratings per user and 40 factors: without a ridge the normal equations are singular.
    const few = syntheticRatings({ users: 60, items: 40, ratings: 1200, rank: 3, seed: 2 });
    for (const backend of BACKEND_NAMES) {
      withBackend(backend, () => {
        assert.throws(() => new ALS({ factors: 40, reg: 0, iterations: 3 }).fit(few),
          (e: Error) => e instanceof ConvergenceError && /^ALS: the factors became NaN\/Infinity in iteration \d of 3; raise the regularization \(reg is 0; try 0.05\)$/.test(e.message),
          backend);
        // The same data with the default ridge trains.
        assert.ok(Number.isFinite(new ALS({ factors: 40, iterations: 3 }).fit(few).predict('1', '2').value), backend);
      });
    }
  });
});

describe('ALS and ImplicitALS on two threads', () => {
  it('give exactly the one-thread factors (rows are solved independently)', async () => {
    const { ImplicitALS } = await import('../../../../src/models/recommend/algorithms/implicit-als.js');
    for (const make of [
      (threads: number) => new ALS({ factors: 8, iterations: 2, seed: 3, threads }),
      (threads: number) => new ImplicitALS({ factors: 8, iterations: 2, seed: 3, threads }),
    ]) {
      const one = make(1).fit(ratings).state;
      const two = make(2).fit(ratings).state;
      assert.deepEqual(two.userFactors, one.userFactors);
      assert.deepEqual(two.itemFactors, one.itemFactors);
      assert.deepEqual(two.userBias, one.userBias);
    }
  });
});
