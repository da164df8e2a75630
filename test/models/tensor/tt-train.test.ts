import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../../src/errors.js';
import { svdvals } from '../../../src/linalg/svd.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { TensorTrain } from '../../../src/models/tensor/tensor-train.js';
import { ttSvd } from '../../../src/models/tensor/tt-svd.js';
import { Tensor } from '../../../src/tensor/tensor.js';

/** A train with random N(0, 1) cores of the given shape and inner ranks. */
function randomTrain(shape: number[], inner: number[], seed: number): TensorTrain {
  const ranks = [1, ...inner, 1];
  return new TensorTrain(shape.map((n, k) => Tensor.random([ranks[k]!, n, ranks[k + 1]!], { seed: seed * 100 + k })));
}

/** max |a - b| relative to max |b|. */
function relDiff(a: Tensor, b: Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  const x = a.toFlat();
  const y = b.toFlat();
  let d = 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    d = Math.max(d, Math.abs(x[i]! - y[i]!));
    s = Math.max(s, Math.abs(y[i]!));
  }
  return s === 0 ? d : d / s;
}

/** The unfolding T(i_0 .. i_b; i_{b+1} ..) of a C-contiguous tensor, as a Matrix view. */
function unfolding(T: Tensor, b: number): Matrix {
  const rows = T.shape.slice(0, b + 1).reduce((p, n) => p * n, 1);
  const cols = T.size / rows;
  return new Matrix(T.data, rows, cols, 0, cols, 1);
}

/** The d-qubit GHZ state (|0...0> + |1...1>)/sqrt 2 as a train of ranks 2. */
function ghz(d: number): TensorTrain {
  const cores: Tensor[] = [];
  for (let k = 0; k < d; k++) {
    const r0 = k === 0 ? 1 : 2;
    const r1 = k === d - 1 ? 1 : 2;
    const G = Tensor.zeros([r0, 2, r1]);
    for (let i = 0; i < 2; i++) G.set([r0 === 1 ? 0 : i, i, r1 === 1 ? 0 : i], k === 0 ? Math.SQRT1_2 : 1);
    cores.push(G);
  }
  return new TensorTrain(cores);
}

/** The d-qubit W state sum_k |0..1_k..0> / sqrt d: bond state 0 = "no 1 yet", 1 = "one 1 seen". */
function wState(d: number): TensorTrain {
  const cores: Tensor[] = [];
  for (let k = 0; k < d; k++) {
    const first = k === 0;
    const last = k === d - 1;
    const G = Tensor.zeros([first ? 1 : 2, 2, last ? 1 : 2]);
    const put = (a: number, i: number, b: number) => {
      if ((first && a !== 0) || (last && b !== 1)) return;
      G.set([first ? 0 : a, i, last ? 0 : b], first ? 1 / Math.sqrt(d) : 1);
    };
    put(0, 0, 0);
    put(0, 1, 1);
    put(1, 0, 1);
    cores.push(G);
  }
  return new TensorTrain(cores);
}

describe('TensorTrain: entries and the full tensor', () => {
  it('full(), get() (also negative indices), params, compressionRatio and cores agree', () => {
    const tt = randomTrain([4, 5, 3, 6], [3, 4, 2], 1);
    const F = tt.full();
    assert.deepEqual(F.shape, [4, 5, 3, 6]);
    // full() against the slice products G_0[i0] G_1[i1] ... by hand.
    const idx = [3, 1, 2, 5];
    let v = [1];
    tt.cores.forEach((G, k) => {
      const [r0, , r1] = G.shape as [number, number, number];
      const next = new Array<number>(r1).fill(0);
      for (let a = 0; a < r0; a++) for (let b = 0; b < r1; b++) next[b]! += v[a]! * G.get([a, idx[k]!, b]);
      v = next;
    });
    assert.ok(Math.abs(F.get(idx) - v[0]!) <= 1e-12 * Math.abs(v[0]!));
    assert.ok(Math.abs(tt.get(idx) - v[0]!) <= 1e-12 * Math.abs(v[0]!));
    assert.equal(tt.get([-1, -4, -1, -1]), tt.get([3, 1, 2, 5]));
    assert.equal(tt.params, 1 * 4 * 3 + 3 * 5 * 4 + 4 * 3 * 2 + 2 * 6 * 1);
    assert.equal(tt.compressionRatio, (4 * 5 * 3 * 6) / tt.params);
    assert.deepEqual(tt.cores.map((c) => c.shape), [[1, 4, 3], [3, 5, 4], [4, 3, 2], [2, 6, 1]]);
    assert.equal(tt.maxRank, 4);
    assert.equal(tt.toString(), 'TensorTrain(shape [4, 5, 3, 6], ranks [1, 3, 4, 2, 1], 108 params)');
  });

  it('get() on a train whose full tensor would not fit (2^60 entries)', () => {
    const d = 60;
    // x = sum_k i_k 2^-(k+1) in [0, 1): exp(x) is a product of exp(i_k 2^-(k+1)): rank 1.
    const cores = Array.from({ length: d }, (_, k) => Tensor.fromArray([1, Math.exp(2 ** -(k + 1))], [1, 2, 1]));
    const tt = new TensorTrain(cores);
    const bits = Array.from({ length: d }, (_, k) => (k % 3 === 0 ? 1 : 0));
    const x = bits.reduce((s: number, b, k) => s + b * 2 ** -(k + 1), 0);
    assert.ok(Math.abs(tt.get(bits) - Math.exp(x)) <= 1e-13);
    assert.equal(tt.params, 2 * d);
  });
});

describe('TensorTrain: arithmetic against the full tensors', () => {
  it('norm, dot, add, sub, scale and hadamard (property over random shapes and ranks)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (shape, ra, rb, seed) => {
          const A = randomTrain(shape, new Array(shape.length - 1).fill(ra), seed);
          const B = randomTrain(shape, new Array(shape.length - 1).fill(rb), seed + 7);
          const FA = A.full();
          const FB = B.full();
          assert.ok(Math.abs(A.norm() - FA.norm()) <= 1e-12 * FA.norm());
          const dot = FA.dot(FB);
          assert.ok(Math.abs(A.dot(B) - dot) <= 1e-12 * FA.norm() * FB.norm());
          assert.ok(relDiff(A.add(B).full(), FA.add(FB)) <= 1e-12);
          assert.ok(relDiff(A.sub(B).full(), FA.sub(FB)) <= 1e-12);
          assert.ok(relDiff(A.scale(-2.5).full(), FA.scale(-2.5)) <= 1e-14);
          assert.ok(relDiff(A.hadamard(B).full(), FA.mul(FB)) <= 1e-12);
          const sumRanks = A.add(B).ranks;
          sumRanks.slice(1, -1).forEach((r, k) => assert.equal(r, A.ranks[k + 1]! + B.ranks[k + 1]!));
          A.hadamard(B).ranks.forEach((r, k) => assert.equal(r, A.ranks[k]! * B.ranks[k]!));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('shapes that differ are a ShapeError naming both', () => {
    const A = randomTrain([3, 4, 5], [2, 2], 1);
    const B = randomTrain([3, 4, 6], [2, 2], 2);
    for (const op of ['add', 'sub', 'dot', 'hadamard'] as const) {
      assert.throws(() => A[op](B), (e: Error) => e instanceof ShapeError && e.message.includes(`TensorTrain.${op}: shapes differ ([3, 4, 5] and [3, 4, 6])`));
    }
    assert.throws(() => A.scale(NaN), (e: Error) => e instanceof InvalidArgumentError && /alpha must be a finite number, got NaN/.test(e.message));
  });
});

describe('TensorTrain.round', () => {
  it('brings the ranks of a sum back (tt + tt = 2 tt, ranks as tt)', () => {
    const T = randomTrain([4, 5, 6, 5, 4], [3, 4, 4, 3], 3);
    const S = T.add(T).add(T);
    assert.deepEqual(S.ranks, [1, 9, 12, 12, 9, 1]);
    const R = S.round(1e-12);
    assert.deepEqual(R.ranks, T.ranks);
    assert.ok(relDiff(R.full(), T.full().scale(3)) <= 1e-11);
  });

  it('keeps ||X - round(X)|| <= eps ||X|| and shrinks the ranks as eps grows', () => {
    const X = randomTrain([5, 6, 5, 6, 5], [5, 8, 8, 5], 4);
    const FX = X.full();
    let prev = Infinity;
    for (const eps of [0, 1e-8, 0.05, 0.2, 0.5]) {
      const R = X.round(eps);
      const err = R.full().sub(FX).norm() / FX.norm();
      assert.ok(err <= eps * (1 + 1e-9) + 1e-13, `eps ${eps}: error ${err}`);
      assert.ok(R.params <= prev);
      prev = R.params;
    }
    // Rounding at 0 gives the minimal ranks of the full tensor (those of an exact TT-SVD).
    assert.deepEqual(X.round(0).ranks, ttSvd(FX, { eps: 1e-13 }).tt.ranks);
  });

  it('maxRank caps the ranks (a number or one per bond); bad arguments are errors', () => {
    const X = randomTrain([5, 6, 5, 6], [5, 8, 5], 5);
    assert.deepEqual(X.round(0, 2).ranks, [1, 2, 2, 2, 1]);
    assert.deepEqual(X.round(0, [1, 3, 4]).ranks, [1, 1, 3, 4, 1]);
    // The capped rounding is the best a single sweep does: no worse than an SVD truncation of the full tensor's unfoldings.
    assert.throws(() => X.round(-1), /eps must be a finite number >= 0, got -1/);
    assert.throws(() => X.round(0.1, [2, 2]), /lists 2 ranks; a 4-way train has 3 bonds/);
    assert.throws(() => X.round(0.1, 0), /option 'maxRank' must be/);
  });
});

describe('TensorTrain: bond spectra and entanglement', () => {
  it('bondSpectra are the singular values of the unfoldings of the full tensor', () => {
    const X = randomTrain([3, 4, 5, 4, 3], [3, 6, 6, 3], 6);
    const F = X.full();
    X.bondSpectra().forEach((s, b) => {
      const ref = svdvals(unfolding(F, b));
      for (let i = 0; i < s.length; i++) assert.ok(Math.abs(s[i]! - ref[i]!) <= 1e-12 * ref[0]!, `bond ${b}, value ${i}`);
      for (let i = s.length; i < ref.length; i++) assert.ok(ref[i]! <= 1e-12 * ref[0]!);
    });
  });

  it('GHZ: log 2 at every bond; W state: the binary entropy of k/d; a product state: 0', () => {
    const d = 8;
    const g = ghz(d);
    assert.ok(Math.abs(g.norm() - 1) < 1e-14);
    for (const S of g.entanglementEntropy()) assert.ok(Math.abs(S - Math.LN2) < 1e-13);
    for (const S of g.entanglementEntropy({ base: 2 })) assert.ok(Math.abs(S - 1) < 1e-13);
    const w = wState(d);
    assert.ok(Math.abs(w.norm() - 1) < 1e-14);
    const H = w.entanglementEntropy();
    H.forEach((S, b) => {
      const p = (b + 1) / d;
      assert.ok(Math.abs(S - (-p * Math.log(p) - (1 - p) * Math.log(1 - p))) < 1e-12, `bond ${b}`);
    });
    const product = new TensorTrain(Array.from({ length: 5 }, (_, k) => Tensor.fromArray([Math.cos(k), Math.sin(k)], [1, 2, 1])));
    for (const S of product.entanglementEntropy()) assert.ok(Math.abs(S) < 1e-14);
    // The entropy does not depend on the state's normalization, and the zero state has none.
    assert.ok(Math.abs(g.scale(7).entanglementEntropy()[3]! - Math.LN2) < 1e-13);
    assert.deepEqual(Array.from(g.scale(0).entanglementEntropy()), new Array(d - 1).fill(0));
  });

  it('a random MPS: 0 <= S_b <= log r_b, and sum s^2 = ||T||^2 at every bond', () => {
    const X = randomTrain(new Array(10).fill(2), [2, 4, 8, 8, 8, 8, 8, 4, 2], 7);
    const n2 = X.norm() ** 2;
    const H = X.entanglementEntropy();
    X.bondSpectra().forEach((s, b) => {
      const e = s.reduce((a, x) => a + x * x, 0);
      assert.ok(Math.abs(e - n2) <= 1e-12 * n2);
      assert.ok(H[b]! >= 0 && H[b]! <= Math.log(X.ranks[b + 1]!) + 1e-12);
    });
    assert.throws(() => X.entanglementEntropy({ base: 1 }), /option 'base' must be a finite number > 1/);
  });
});

describe('TensorTrain: construction and JSON', () => {
  it('toJSON / fromJSON round-trip; JSON.stringify works', () => {
    const X = randomTrain([3, 4, 2], [2, 3], 8);
    const back = TensorTrain.fromJSON(JSON.parse(JSON.stringify(X)));
    assert.deepEqual(back.ranks, X.ranks);
    assert.equal(relDiff(back.full(), X.full()), 0);
    const bad = { ...X.toJSON(), cores: [[1, 2], ...X.toJSON().cores.slice(1)] };
    assert.throws(() => TensorTrain.fromJSON(bad), /core 0 \(1 x 3 x 2\) needs 6 entries, got 2/);
    assert.throws(() => TensorTrain.fromJSON({ type: 'NMF' } as never), /not a tensor train/);
  });

  it('the constructor copies the cores and checks them, naming what is wrong', () => {
    const G0 = Tensor.random([1, 3, 2], { seed: 1 });
    const G1 = Tensor.random([2, 4, 1], { seed: 2 });
    const X = new TensorTrain([G0, G1]);
    const before = X.get([1, 2]);
    G0.set([0, 1, 0], 100);
    assert.equal(X.get([1, 2]), before);
    assert.throws(() => new TensorTrain([G0]), (e: Error) => e instanceof InvalidArgumentError && /at least 2 cores, got 1/.test(e.message));
    assert.throws(() => new TensorTrain([G0, Tensor.random([3, 4, 1])]), (e: Error) => e instanceof ShapeError && /core 0 ends with rank 2 but core 1 starts with rank 3/.test(e.message));
    assert.throws(() => new TensorTrain([Tensor.random([2, 3, 2]), G1]), /first core must have shape \[1, n, r\], got \[2, 3, 2\]/);
    assert.throws(() => new TensorTrain([G0, Tensor.random([2, 4, 3])]), /last core must have shape \[r, n, 1\], got \[2, 4, 3\]/);
    assert.throws(() => new TensorTrain([G0, Tensor.random([2, 4])]), /core 1 must be a 3-way Tensor/);
    const N = Tensor.random([2, 4, 1]);
    N.set([1, 3, 0], Infinity);
    assert.throws(() => new TensorTrain([G0, N]), (e: Error) => e instanceof NonFiniteInputError && /core 1 holds Infinity at \(1, 3, 0\)/.test(e.message));
    assert.throws(() => X.get([1]), /index must have 2 entries/);
    assert.throws(() => X.get([3, 0]), /index 3 is outside mode 0 of size 3/);
  });
});
