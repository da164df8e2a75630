import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from '../../../src/errors.js';
import { dequantize, quanticsIndex, quantize } from '../../../src/models/tensor/quantics.js';
import { ttSvd } from '../../../src/models/tensor/tt-svd.js';
import { Tensor } from '../../../src/tensor/tensor.js';

/** f on the 2^L points x_p = p / 2^L of [0, 1). */
const sample = (L: number, f: (x: number) => number) => Float64Array.from({ length: 2 ** L }, (_, p) => f(p / 2 ** L));

describe('quantize / dequantize / quanticsIndex', () => {
  it('folds b^L values into an L-way tensor, first index most significant; dequantize inverts it', () => {
    const v = Float64Array.from({ length: 27 }, (_, i) => i * 1.5);
    const T = quantize(v, 3);
    assert.deepEqual(T.shape, [3, 3, 3]);
    assert.equal(T.get([2, 0, 1]), v[quanticsIndex([2, 0, 1], 3)]);
    assert.equal(quanticsIndex([2, 0, 1], 3), 19);
    assert.deepEqual(dequantize(T), v);
    assert.deepEqual(quantize([1, 2, 3, 4]).shape, [2, 2]);
    assert.equal(quantize(new Float32Array(8)).dtype, 'float32');
    assert.deepEqual(quantize(Tensor.fromArray(v.subarray(0, 16), [16])).shape, [2, 2, 2, 2]);
    v[0] = 99;
    assert.equal(T.get([0, 0, 0]), 0, 'quantize copies');
  });

  it('bad lengths, bases and digits are errors naming them', () => {
    assert.throws(() => quantize(new Float64Array(12)), (e: Error) => e instanceof InvalidArgumentError && /the length 12 is not a power of 2; the nearest are 8 and 16/.test(e.message));
    assert.throws(() => quantize([1]), /has 1 values; quantics folding needs base\^L values with L >= 1/);
    assert.throws(() => quantize(new Float64Array(8), 1), /base must be an integer >= 2, got 1/);
    assert.throws(() => quantize(Tensor.zeros([4, 4])), /expected a vector \(1-way tensor\), got a 2-way tensor/);
    assert.throws(() => quanticsIndex([0, 2, 1]), /digit 1 is 2; digits must be integers in \[0, 2\)/);
  });
});

describe('quantics TT ranks of functions sampled on 2^L points', () => {
  it('exp: rank 1; sin: rank 2; a quadratic: rank <= 3 (exact, any L)', () => {
    const L = 14;
    const cases: [string, (x: number) => number, number][] = [
      ['exp', (x) => Math.exp(3 * x), 1],
      ['sin', (x) => Math.sin(40 * x + 0.3), 2],
      ['quadratic', (x) => 2 * x * x - x + 0.25, 3],
    ];
    for (const [name, f, r] of cases) {
      const T = quantize(sample(L, f));
      const { tt } = ttSvd(T, { eps: 1e-12 });
      assert.ok(tt.maxRank <= r, `${name}: ranks ${tt.ranks}`);
      assert.ok(tt.full().sub(T).norm() / T.norm() < 1e-11, name);
      assert.ok(tt.params <= 2 * r * r * L, `${name}: ${tt.params} numbers for ${2 ** L} values`);
    }
  });

  it('a Gaussian bump on 2^16 points: small ranks at eps 1e-6', () => {
    const T = quantize(sample(16, (x) => Math.exp(-((x - 0.5) ** 2) / 0.005)));
    const { tt } = ttSvd(T, { eps: 1e-6 });
    assert.ok(tt.maxRank <= 8, `ranks ${tt.ranks}`);
    assert.ok(tt.full().sub(T).norm() / T.norm() <= 1e-6);
  });
});
