import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AbortedError, InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../../src/errors.js';
import { TensorTrain } from '../../../src/models/tensor/tensor-train.js';
import { ttSvd, ttSvdAsync } from '../../../src/models/tensor/tt-svd.js';
import type { Progress } from '../../../src/progress.js';
import { rng } from '../../../src/random.js';
import { Tensor } from '../../../src/tensor/tensor.js';
import { BACKEND_NAMES, withBackend } from '../../helpers.js';

interface Run { eps: number; ranks: number[]; singularValues: number[][]; relativeError: number }
interface Case { name: string; shape: number[]; data: number[]; runs: Run[] }
const fx = JSON.parse(readFileSync(new URL('../../fixtures/tt/tt-svd.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** ||T - tt.full()||_F / ||T||_F, computed from the full tensors. */
function trueError(T: Tensor, tt: TensorTrain): number {
  const n = T.norm();
  return n === 0 ? tt.full().norm() : tt.full().sub(T).norm() / n;
}

/** A tensor of `shape` from f of the grid points x_k = i_k / n_k. */
function grid(shape: number[], f: (x: number[]) => number): Tensor {
  return Tensor.fromFunction(shape, (idx) => f(idx.map((i, k) => i / shape[k]!)));
}

describe('ttSvd against numpy (scripts/gen-tt-fixtures.py)', () => {
  for (const c of fx.cases) {
    for (const run of c.runs) {
      it(`${c.name}, eps ${run.eps}: ranks, singular values and error as numpy's TT-SVD`, () => {
        const T = Tensor.fromArray(c.data, c.shape);
        const res = ttSvd(T, { eps: run.eps });
        const s1 = run.singularValues[0]![0]!;
        // At eps near the rounding level (delta < 1e3 eps_machine ||T||) ranks count noise: skip them there.
        const delta = (run.eps * T.norm()) / Math.sqrt(c.shape.length - 1);
        if (delta > 1e3 * 2.2e-16 * T.norm()) assert.deepEqual(res.tt.ranks, run.ranks);
        res.singularValues.forEach((s, k) => {
          const ref = run.singularValues[k]!;
          for (let i = 0; i < s.length; i++) {
            assert.ok(Math.abs(s[i]! - ref[i]!) <= 1e-12 * s1 + 1e-9 * ref[i]!, `step ${k}, value ${i}: ${s[i]} vs numpy ${ref[i]}`);
          }
        });
        const err = trueError(T, res.tt);
        assert.ok(err <= run.eps * (1 + 1e-9) + 1e-14, `true error ${err} above eps ${run.eps}`);
        assert.ok(Math.abs(err - run.relativeError) <= 1e-6 * run.relativeError + 1e-13, `error ${err} vs numpy ${run.relativeError}`);
        assert.ok(Math.abs(res.relativeError - err) <= 1e-6 * err + 1e-13, `reported ${res.relativeError} vs true ${err}`);
      });
    }
  }
});

describe('ttSvd: exact TT ranks', () => {
  it('sin(x1 + ... + xd) has ranks 2 at every bond', () => {
    for (const shape of [[6, 7, 5, 6], [3, 4, 5, 6, 3], [10, 10, 10]]) {
      const T = grid(shape, (x) => Math.sin(3 * x.reduce((a, b) => a + b, 0) + 0.3));
      const { tt, relativeError } = ttSvd(T, { eps: 1e-12 });
      assert.deepEqual(tt.ranks, [1, ...new Array(shape.length - 1).fill(2), 1]);
      assert.ok(relativeError < 1e-12 && trueError(T, tt) < 1e-12);
    }
  });

  it('a sum of r separable functions has ranks r; a sum of univariate functions ranks 2', () => {
    const shape = [6, 5, 7, 6, 5];
    const T3 = grid(shape, (x) => x.reduce((p, v) => p * (v + 0.5), 1) + x.reduce((p, v) => p * Math.exp(-v), 1) + x.reduce((p, v) => p * Math.cos(2 * v), 1));
    const r3 = ttSvd(T3, { eps: 1e-12 });
    assert.deepEqual(r3.tt.ranks, [1, 3, 3, 3, 3, 1]);
    assert.ok(trueError(T3, r3.tt) < 1e-12);
    const T2 = grid(shape, (x) => x.reduce((s, v, k) => s + Math.sin(v * (k + 1)) + v * v, 0));
    assert.deepEqual(ttSvd(T2, { eps: 1e-12 }).tt.ranks, [1, 2, 2, 2, 2, 1]);
  });

  it('resolves singular values far below the Gram matrix resolution (weights down to 1e-12)', () => {
    // Four random rank-1 terms weighted 1, 1e-4, 1e-8, 1e-12: TT ranks 4, the last term's
    // singular values ~1e-12 ||T||, whose squares a single Gram matrix cannot see.
    const r = rng(5);
    const shape = [7, 6, 8, 7, 6];
    const vecs = [0, 1, 2, 3].map(() => shape.map((n) => Array.from({ length: n }, () => r.nextNormal())));
    const w = [1, 1e-4, 1e-8, 1e-12];
    const T = Tensor.fromFunction(shape, (idx) => w.reduce((s, wj, j) => s + wj * idx.reduce((p, i, k) => p * vecs[j]![k]![i]!, 1), 0));
    const fine = ttSvd(T, { eps: 1e-14 });
    assert.deepEqual(fine.tt.ranks, [1, 4, 4, 4, 4, 1]);
    assert.ok(trueError(T, fine.tt) <= 1e-14);
    const coarse = ttSvd(T, { eps: 1e-10 });
    assert.deepEqual(coarse.tt.ranks, [1, 3, 3, 3, 3, 1]);
    assert.ok(trueError(T, coarse.tt) <= 1e-10);
    const rough = ttSvd(T, { eps: 1e-6 });
    assert.deepEqual(rough.tt.ranks, [1, 2, 2, 2, 2, 1]);
  });
});

describe('ttSvd: the error bound ||T - TT|| <= eps ||T||', () => {
  it('holds on random tensors of random shapes, for every eps (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 5 }),
        fc.constantFrom(0, 1e-13, 1e-8, 1e-3, 0.05, 0.3, 0.7),
        fc.integer({ min: 0, max: 1000 }),
        (shape, eps, seed) => {
          const T = Tensor.random(shape, { seed });
          const { tt, relativeError } = ttSvd(T, { eps });
          const err = trueError(T, tt);
          assert.ok(err <= eps * (1 + 1e-9) + 1e-13, `shape [${shape}], eps ${eps}: error ${err}`);
          assert.ok(Math.abs(err - relativeError) <= 1e-7 * err + 1e-13);
          tt.ranks.slice(1, -1).forEach((r, k) => {
            const left = shape.slice(0, k + 1).reduce((a, b) => a * b, 1);
            const right = shape.slice(k + 1).reduce((a, b) => a * b, 1);
            assert.ok(r >= 1 && r <= Math.min(left, right));
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('holds on structured tensors (Hilbert-like, Gaussian, oscillatory) for eps from 1e-12 to 1e-2', () => {
    const shape = [8, 8, 8, 8, 8];
    const tensors = [
      grid(shape, (x) => 1 / (1 + x.reduce((a, b) => a + b, 0))),
      grid(shape, (x) => Math.exp(-x.reduce((a, b) => a + (b - 0.5) ** 2, 0) * 4)),
      grid(shape, (x) => Math.cos(x.reduce((a, b, k) => a + (k + 1) * b * b, 0) * 3)),
    ];
    for (const T of tensors) {
      let prev = Infinity;
      for (const eps of [1e-12, 1e-8, 1e-5, 1e-2]) {
        const { tt } = ttSvd(T, { eps });
        const err = trueError(T, tt);
        assert.ok(err <= eps * (1 + 1e-9) + 1e-14, `eps ${eps}: error ${err}`);
        assert.ok(tt.params <= prev, 'a looser eps never needs more parameters');
        prev = tt.params;
      }
    }
  });

  it('maxRank caps every bond (a number, or one per bond); the error is then reported honestly', () => {
    const T = Tensor.random([5, 6, 5, 4], { seed: 3 });
    const capped = ttSvd(T, { eps: 0, maxRank: 3 });
    assert.deepEqual(capped.tt.ranks, [1, 3, 3, 3, 1]);
    assert.ok(Math.abs(capped.relativeError - trueError(T, capped.tt)) <= 1e-9);
    const perBond = ttSvd(T, { eps: 0, maxRank: [2, 7, 1] });
    assert.deepEqual(perBond.tt.ranks, [1, 2, 7, 1, 1]);
    assert.ok(Math.abs(perBond.relativeError - trueError(T, perBond.tt)) <= 1e-9);
  });

  it('the same on every kernel backend', () => {
    const T = grid([6, 7, 6, 5], (x) => 1 / (1 + x[0]! + 2 * x[1]! + x[2]! * x[3]!));
    const ref = ttSvd(T, { eps: 1e-9 });
    for (const b of BACKEND_NAMES) {
      withBackend(b, () => {
        const r = ttSvd(T, { eps: 1e-9 });
        assert.deepEqual(r.tt.ranks, ref.tt.ranks, b);
        assert.ok(trueError(T, r.tt) <= 1e-9, b);
      });
    }
  });
});

describe('ttSvd: inputs', () => {
  it('float32, strided and permuted tensors give the train of their values', () => {
    const T = grid([6, 5, 4, 3], (x) => Math.sin(x[0]! + x[1]!) * Math.exp(x[2]! - x[3]!));
    const ref = ttSvd(T, { eps: 1e-10 });
    const t32 = T.astype('float32');
    const r32 = ttSvd(t32, { eps: 1e-6 });
    assert.ok(trueError(t32.astype('float64'), r32.tt) <= 1e-6);
    const P = T.permute([2, 0, 3, 1]);
    assert.ok(!P.isContiguous());
    const rp = ttSvd(P, { eps: 1e-10 });
    assert.ok(trueError(P.copy(), rp.tt) <= 1e-10);
    const S = T.slice([null, [1, 4], null, null]);
    assert.ok(trueError(S.copy(), ttSvd(S, { eps: 1e-10 }).tt) <= 1e-10);
    assert.deepEqual(ttSvd(T.copy(), { eps: 1e-10 }).tt.ranks, ref.tt.ranks);
  });

  it('huge and tiny magnitudes: the same ranks, no overflow or underflow', () => {
    const T = grid([5, 6, 5, 6], (x) => 1 / (1 + x.reduce((a, b) => a + b, 0)));
    const ref = ttSvd(T, { eps: 1e-8 });
    for (const c of [1e300, 1e-300]) {
      const r = ttSvd(T.scale(c), { eps: 1e-8 });
      assert.deepEqual(r.tt.ranks, ref.tt.ranks, `scale ${c}`);
      assert.ok(Math.abs(r.norm / c - ref.norm) <= 1e-12 * ref.norm);
      assert.ok(Math.abs(r.tt.get([1, 2, 3, 4]) / c - T.get([1, 2, 3, 4])) <= 1e-9 * Math.abs(T.get([1, 2, 3, 4])));
    }
  });

  it('the zero tensor is a train of ranks 1 with zero error; axes of length 1 are fine', () => {
    const Z = Tensor.zeros([3, 4, 5]);
    const z = ttSvd(Z);
    assert.deepEqual(z.tt.ranks, [1, 1, 1, 1]);
    assert.equal(z.relativeError, 0);
    assert.equal(z.tt.full().norm(), 0);
    const T = Tensor.random([1, 4, 1, 3], { seed: 2 });
    const r = ttSvd(T, { eps: 0 });
    assert.deepEqual(r.tt.ranks, [1, 1, 3, 3, 1]);
    assert.ok(trueError(T, r.tt) < 1e-14);
  });

  it('bad input is an error naming what is wrong', () => {
    assert.throws(() => ttSvd(Tensor.random([8], { seed: 1 })), (e: Error) => e instanceof InvalidArgumentError && /1-way tensor has no bonds.*at least 2 axes/.test(e.message));
    const T = Tensor.random([3, 4, 5], { seed: 1 });
    T.set([2, 1, 3], NaN);
    assert.throws(() => ttSvd(T), (e: Error) => e instanceof NonFiniteInputError && /NaN at index \(2, 1, 3\)/.test(e.message));
    const U = Tensor.random([3, 4], { seed: 1 });
    U.set([0, 3], -Infinity);
    assert.throws(() => ttSvd(U), (e: Error) => e instanceof NonFiniteInputError && /-Infinity at index \(0, 3\)/.test(e.message));
    assert.throws(() => ttSvd(Tensor.zeros([3, 0, 2])), (e: Error) => e instanceof ShapeError && /axis 1 has length 0/.test(e.message));
    const G = Tensor.random([3, 4, 5], { seed: 1 });
    assert.throws(() => ttSvd(G, { eps: -1 }), /option 'eps' must be a finite number >= 0, got -1/);
    assert.throws(() => ttSvd(G, { maxRank: 0 }), /option 'maxRank' must be/);
    assert.throws(() => ttSvd(G, { maxRank: 1.5 }), /option 'maxRank' must be/);
    assert.throws(() => ttSvd(G, { maxRank: [2, 2, 2] }), /lists 3 ranks; a 3-way train has 2 bonds/);
    assert.throws(() => ttSvd(G, { rank: 3 } as never), /unknown option 'rank'/i);
    assert.throws(() => ttSvd([[1, 2], [3, 4]] as never), /expected a Tensor/);
  });
});

describe('ttSvd: progress and cancellation', () => {
  it('reports each bond; ttSvdAsync gives the same train; an aborted signal stops it', async () => {
    const T = grid([6, 6, 6, 6], (x) => Math.cos(x[0]! * x[1]! + x[2]! - x[3]!));
    const seen: Progress[] = [];
    const sync = ttSvd(T, { eps: 1e-9, onProgress: (p) => seen.push(p) });
    assert.deepEqual(seen.map((p) => [p.stage, p.done, p.total]), [['bond', 1, 3], ['bond', 2, 3], ['bond', 3, 3]]);
    assert.deepEqual(seen.map((p) => p.metrics!.rank), sync.tt.ranks.slice(1, -1));
    const a = await ttSvdAsync(T, { eps: 1e-9 });
    assert.deepEqual(a.tt.toJSON(), sync.tt.toJSON());
    const ac = new AbortController();
    ac.abort();
    assert.throws(() => ttSvd(T, { signal: ac.signal }), AbortedError);
    await assert.rejects(ttSvdAsync(T, { signal: ac.signal }), AbortedError);
    const ac2 = new AbortController();
    assert.throws(() => ttSvd(T, { signal: ac2.signal, onProgress: () => ac2.abort() }), AbortedError);
  });
});
