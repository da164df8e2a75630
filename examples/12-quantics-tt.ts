/**
 * Example 12: quantics tensor trains (QTT) -- a function on 2^20 or 2^40 grid points in a
 * few hundred numbers.
 *
 * Write the grid index p = 0 .. 2^L - 1 in binary, p = (i_1 i_2 ... i_L)_2, and a vector
 * of 2^L samples becomes an L-way 2 x 2 x ... x 2 tensor (`quantize`). Smooth functions have
 * tiny TT ranks in this form, whatever L: exp(a x) = prod_k exp(a i_k 2^-k) is rank 1,
 * sin(a x + c) rank 2 (the angle-sum formula), a polynomial of degree m rank m + 1, a
 * Gaussian bump a handful.
 *
 * Part 1: sample five functions on 2^20 points (8 MB each), quantize, TT-SVD.
 * Part 2: the same functions on 2^40 points (8 TB as a vector) by TT-cross from a few
 * thousand evaluations; the grid mean (a Riemann sum for the integral over [0, 1)) is one
 * inner product with the all-ones train, compared with Simpson's rule on 10^6 intervals.
 *
 * Run: npx tsx examples/12-quantics-tt.ts
 */
import { Tensor, TensorTrain, quanticsIndex, quantize, rng, ttCross, ttSvd } from '../src/index.js';

const functions: [string, (x: number) => number][] = [
  ['exp(-3x)', (x) => Math.exp(-3 * x)],
  ['sin(100 pi x + 0.3)', (x) => Math.sin(100 * Math.PI * x + 0.3)],
  ['1 + x - 2x^2', (x) => 1 + x - 2 * x * x],
  ['gaussian, sd 0.1', (x) => Math.exp(-((x - 0.5) ** 2) / (2 * 0.1 ** 2))],
  ['1 / (1 + 100x)', (x) => 1 / (1 + 100 * x)],
];
const pad = (s: string, n: number) => s.padEnd(n);

// ---- Part 1: TT-SVD of 2^20 samples ---------------------------------------------------
const L = 20;
const n = 2 ** L;
console.log(`Part 1: ${n} samples on [0, 1) as a ${L}-way 2 x ... x 2 tensor, TT-SVD at eps 1e-10 and 1e-6`);
console.log(`${pad('function', 22)}${pad('eps', 7)}${pad('max rank', 10)}${pad('numbers', 9)}compression   rel. error`);
for (const [name, f] of functions) {
  const v = Float64Array.from({ length: n }, (_, p) => f(p / n));
  const T = quantize(v); // shape [2, 2, ..., 2]
  for (const eps of [1e-10, 1e-6]) {
    const { tt } = ttSvd(T, { eps });
    const err = tt.full().sub(T).norm() / T.norm();
    console.log(`${pad(name, 22)}${pad(eps.toExponential(0), 7)}${pad(String(tt.maxRank), 10)}${pad(String(tt.params), 9)}${pad(`${Math.round(tt.compressionRatio)}x`, 14)}${err.toExponential(1)}`);
  }
}

// ---- Part 2: TT-cross on 2^40 points ---------------------------------------------------
const L2 = 40;
const h = 2 ** -L2;
const ones = new TensorTrain(Array.from({ length: L2 }, () => Tensor.fromArray([1, 1], [1, 2, 1])));
/** Simpson's rule on [0, 1] with `m` (even) intervals. */
const simpson = (f: (x: number) => number, m = 1_000_000) => {
  let s = f(0) + f(1);
  for (let i = 1; i < m; i++) s += (i % 2 ? 4 : 2) * f(i / m);
  return s / (3 * m);
};
console.log(`\nPart 2: the same functions on 2^${L2} = ${(2 ** L2).toExponential(2)} points by TT-cross (eps 1e-10), never forming the grid`);
console.log(`${pad('function', 22)}${pad('ranks <=', 10)}${pad('evaluations', 13)}${pad('max error, 1000 random points', 31)}grid mean - Simpson`);
const g = rng(1);
for (const [name, f] of functions) {
  const at = (bits: readonly number[]) => f(quanticsIndex(bits) * h);
  const { tt, evaluations } = ttCross(at, new Array(L2).fill(2), { eps: 1e-10, seed: 1 });
  let worst = 0;
  for (let t = 0; t < 1000; t++) {
    const bits = Array.from({ length: L2 }, () => g.nextInt(2));
    worst = Math.max(worst, Math.abs(tt.get(bits) - at(bits)));
  }
  // The mean over the grid is <tt, ones> / 2^40; its gap to the integral is O(h) = 1e-12.
  const mean = tt.dot(ones) * h;
  console.log(`${pad(name, 22)}${pad(String(tt.maxRank), 10)}${pad(String(evaluations), 13)}${pad(worst.toExponential(1), 31)}${(mean - simpson(f)).toExponential(1)}`);
}
