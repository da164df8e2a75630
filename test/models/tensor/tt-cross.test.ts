import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AbortedError, InvalidArgumentError, NonFiniteInputError } from '../../../src/errors.js';
import { quanticsIndex } from '../../../src/models/tensor/quantics.js';
import { ttCross, ttCrossAsync } from '../../../src/models/tensor/tt-cross.js';
import { ttSvd } from '../../../src/models/tensor/tt-svd.js';
import type { Progress } from '../../../src/progress.js';
import { rng } from '../../../src/random.js';
import { Tensor } from '../../../src/tensor/tensor.js';

const sum = (idx: readonly number[]) => idx.reduce((a, b) => a + b, 0);

describe('ttCross recovers trains of functions', () => {
  it('sin(x1 + ... + xd): ranks 2, exact to rounding, from a fraction of the entries', () => {
    const shape = [9, 10, 11, 8, 9];
    const f = (idx: readonly number[]) => Math.sin(0.3 * sum(idx) + 0.1);
    const r = ttCross(f, shape, { eps: 1e-10 });
    assert.deepEqual(r.tt.ranks, [1, 2, 2, 2, 2, 1]);
    assert.ok(r.converged);
    const T = Tensor.fromFunction(shape, f);
    assert.ok(r.tt.full().sub(T).norm() / T.norm() < 1e-12);
    assert.ok(r.evaluations < T.size / 5, `${r.evaluations} evaluations of ${T.size}`);
  });

  it('a smooth non-separable function: the error matches eps and the ranks TT-SVD needs', () => {
    const shape = [10, 11, 12, 9, 8];
    const f = (idx: readonly number[]) => 1 / (1 + idx.reduce((s, v, k) => s + v / shape[k]!, 0));
    const T = Tensor.fromFunction(shape, f);
    for (const eps of [1e-4, 1e-8]) {
      const r = ttCross(f, shape, { eps });
      const err = r.tt.full().sub(T).norm() / T.norm();
      assert.ok(err < 20 * eps, `eps ${eps}: error ${err}`);
      assert.ok(Math.abs(r.relativeError - err) < 10 * eps, 'the test-point estimate is close to the true error');
      const svdRanks = ttSvd(T, { eps }).tt.ranks;
      r.tt.ranks.forEach((rk, k) => assert.ok(rk <= svdRanks[k]! + 2, `bond ${k}: ${rk} vs TT-SVD ${svdRanks[k]}`));
    }
  });

  it('a 2^30-entry function in quantics form, never forming the grid', () => {
    const L = 30;
    const x = (bits: readonly number[]) => quanticsIndex(bits) / 2 ** L;
    const f = (bits: readonly number[]) => Math.exp(-((x(bits) - 0.4) ** 2) / 0.02) + Math.sin(20 * x(bits));
    const r = ttCross(f, new Array(L).fill(2), { eps: 1e-9, seed: 3 });
    assert.ok(r.converged);
    assert.ok(r.evaluations < 1e6, `${r.evaluations} evaluations`);
    assert.ok(r.tt.maxRank <= 16);
    const g = rng(11);
    for (let t = 0; t < 300; t++) {
      const bits = Array.from({ length: L }, () => g.nextInt(2));
      assert.ok(Math.abs(r.tt.get(bits) - f(bits)) < 1e-7, `at ${quanticsIndex(bits)}`);
    }
  });

  it('the batch form evaluates the same points and gives the same train', () => {
    const shape = [7, 8, 9, 6];
    const f = (idx: readonly number[]) => Math.cos(idx[0]! * 0.2 - idx[1]! * idx[2]! * 0.01) * Math.exp(-idx[3]! / 6);
    let calls = 0;
    const batch = {
      batch: (pts: Int32Array, count: number) => {
        calls++;
        const out = new Float64Array(count);
        for (let p = 0; p < count; p++) out[p] = f(Array.from(pts.subarray(p * 4, p * 4 + 4)));
        return out;
      },
    };
    const a = ttCross(f, shape, { eps: 1e-8, seed: 2 });
    const b = ttCross(batch, shape, { eps: 1e-8, seed: 2 });
    assert.deepEqual(b.tt.toJSON(), a.tt.toJSON());
    assert.equal(b.evaluations, a.evaluations);
    assert.ok(calls < a.evaluations / 4, 'points go to the batch function many at a time');
  });

  it('maxRank caps the ranks', () => {
    const shape = [8, 8, 8, 8];
    const f = (idx: readonly number[]) => 1 / (1 + sum(idx));
    const r = ttCross(f, shape, { eps: 1e-12, maxRank: 2, maxIter: 6 });
    assert.ok(r.tt.ranks.every((x) => x <= 2));
    const q = ttCross(f, shape, { eps: 1e-12, maxRank: [1, 3, 2], maxIter: 6 });
    assert.ok(q.tt.ranks[1] === 1 && q.tt.ranks[2]! <= 3 && q.tt.ranks[3]! <= 2);
  });
});

describe('ttCross: bad input, progress and cancellation', () => {
  it('a non-finite or non-number value is an error naming the index', () => {
    const shape = [4, 5, 6];
    assert.throws(
      () => ttCross((idx) => (idx[0] === 2 && idx[1] === 3 ? NaN : 1 + sum(idx)), shape, { initialRank: 6, testPoints: 120 }),
      (e: Error) => e instanceof NonFiniteInputError && /f returned NaN at index \(2, 3, \d\)/.test(e.message),
    );
    assert.throws(
      () => ttCross((idx) => (idx[2] === 5 ? Infinity : 1), shape, { testPoints: 200 }),
      (e: Error) => e instanceof NonFiniteInputError && /f returned Infinity at index \(\d, \d, 5\)/.test(e.message),
    );
    assert.throws(() => ttCross(() => '1' as never, shape), (e: Error) => e instanceof InvalidArgumentError && /f returned the string '1' at index \(\d, \d, \d\), not a number/.test(e.message));
    assert.throws(() => ttCross({ batch: () => [1, 2] }, shape), /f.batch returned 2 values for 200 points/);
  });

  it('bad shapes and options are errors naming them', () => {
    const f = () => 1;
    assert.throws(() => ttCross(f, [1024]), /shape has 1 mode; a tensor train needs at least 2/);
    assert.throws(() => ttCross(f, [3, 0, 2]), /mode 1 has size 0/);
    assert.throws(() => ttCross(f, [3, 2.5]), /mode 1 has size 2.5/);
    assert.throws(() => ttCross(f, [3, 4], { eps: 0 }), /option 'eps' must be a finite number > 0/);
    assert.throws(() => ttCross(f, [3, 4, 5], { maxRank: [2] }), /lists 1 ranks; a 3-way train has 2 bonds/);
    assert.throws(() => ttCross(f, [3, 4], { tol: 1 } as never), /unknown option 'tol'/i);
    assert.throws(() => ttCross(42 as never, [3, 4]), /f must be a function of an index or an object \{ batch\(indices, count\) \}/);
  });

  it('reports each sweep; the async form matches; a signal stops it', async () => {
    const shape = [6, 7, 8, 6];
    const f = (idx: readonly number[]) => Math.sqrt(1 + sum(idx));
    const seen: Progress[] = [];
    const r = ttCross(f, shape, { eps: 1e-8, onProgress: (p) => seen.push(p) });
    assert.equal(seen.length, r.sweeps);
    assert.deepEqual(seen.map((p) => p.done), seen.map((_, i) => i + 1));
    assert.equal(seen.at(-1)!.metrics!.evaluations, r.evaluations);
    const a = await ttCrossAsync(f, shape, { eps: 1e-8 });
    assert.deepEqual(a.tt.toJSON(), r.tt.toJSON());
    const ac = new AbortController();
    assert.throws(() => ttCross(f, shape, { signal: ac.signal, onProgress: () => ac.abort() }), AbortedError);
    await assert.rejects(ttCrossAsync(f, shape, { signal: AbortSignal.abort() }), AbortedError);
  });

  it('stops at maxIter without converging when eps cannot be met by the cap', () => {
    const shape = [8, 8, 8, 8];
    const r = ttCross((idx) => Math.sin(idx[0]! * idx[1]! + idx[2]! * idx[3]!), shape, { eps: 1e-12, maxRank: 2, maxIter: 3 });
    assert.equal(r.sweeps, 3);
    assert.equal(r.converged, false);
    assert.ok(r.relativeError > 1e-3);
  });
});
