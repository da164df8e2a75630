/**
 * Quantics (QTT) folding (Oseledets 2010, Khoromskij 2011): a vector of b^L values, read as
 * an L-way tensor of mode size b -- its position p = sum_k i_k b^(L-1-k) written in base b,
 * most significant digit first (a C-order reshape). Samples of smooth functions on a uniform
 * grid then have tiny TT ranks independent of L: exp(a x) rank 1, sin(a x + c) rank 2, a
 * polynomial of degree m rank <= m + 1; so 2^30 samples cost O(L r^2) numbers.
 */
import { InvalidArgumentError, check } from '../../errors.js';
import { Tensor } from '../../tensor/tensor.js';

/**
 * Fold a vector of b^L values into the L-way tensor of shape [b, ..., b] (C order: the
 * first index is the most significant base-b digit of the position).
 * @param vector - b^L numbers (a plain array, a typed array, or a 1-way Tensor).
 * @param base - the mode size b, an integer >= 2; default 2.
 * @returns a new tensor (a copy; float32 stays float32, anything else is float64).
 * @throws InvalidArgumentError when the length is not a power of the base (naming the
 *   nearest ones), the base is bad, or a Tensor input is not 1-way.
 * @example
 * quantize(Float64Array.from({ length: 8 }, (_, i) => i)).shape; // [2, 2, 2]
 */
export function quantize(vector: ArrayLike<number> | Tensor, base = 2): Tensor {
  check(Number.isSafeInteger(base) && base >= 2, () => `quantize: base must be an integer >= 2, got ${String(base)}`);
  let flat: ArrayLike<number>;
  let dtype: 'float64' | 'float32' = 'float64';
  if (vector instanceof Tensor) {
    check(vector.ndim === 1, () => `quantize: expected a vector (1-way tensor), got a ${vector.ndim}-way tensor of shape [${vector.shape.join(', ')}]`);
    flat = vector.toFlat();
    dtype = vector.dtype;
  } else {
    check(vector !== null && typeof vector === 'object' && typeof vector.length === 'number', () => `quantize: expected an array of numbers or a 1-way Tensor, got ${vector === null ? 'null' : typeof vector}`);
    flat = vector;
    if (vector instanceof Float32Array) dtype = 'float32';
  }
  const L = quanticsLevels(flat.length, base, 'quantize');
  return Tensor.fromArray(flat, new Array<number>(L).fill(base), { dtype });
}

/**
 * The inverse of {@link quantize}: the tensor's entries in C order as one vector.
 * @returns a new Float64Array (float32 tensors are widened).
 */
export function dequantize(t: Tensor): Float64Array {
  check(t instanceof Tensor, () => `dequantize: expected a Tensor, got ${t === null ? 'null' : typeof t}`);
  return Float64Array.from(t.toFlat());
}

/**
 * The position in the vector of a quantics multi-index: sum_k i_k b^(L-1-k) (the first
 * index most significant), the inverse of the folding of {@link quantize}. Exact for
 * positions below 2^53.
 * @throws InvalidArgumentError when a digit is not an integer in [0, b).
 * @example
 * quanticsIndex([1, 0, 1]); // 5
 */
export function quanticsIndex(digits: ArrayLike<number>, base = 2): number {
  let p = 0;
  for (let k = 0; k < digits.length; k++) {
    const i = digits[k]!;
    if (!(Number.isInteger(i) && i >= 0 && i < base)) {
      throw new InvalidArgumentError(`quanticsIndex: digit ${k} is ${String(i)}; digits must be integers in [0, ${base})`);
    }
    p = p * base + i;
  }
  return p;
}

/** L with base^L = n (L >= 1), or an error naming the nearest powers. */
function quanticsLevels(n: number, base: number, routine: string): number {
  if (n < base) throw new InvalidArgumentError(`${routine}: the vector has ${n} values; quantics folding needs base^L values with L >= 1 (at least ${base})`);
  let L = 0;
  let p = 1;
  while (p < n) {
    p *= base;
    L++;
  }
  if (p !== n) throw new InvalidArgumentError(`${routine}: the length ${n} is not a power of ${base}; the nearest are ${p / base} and ${p}: pad or resample the vector`);
  return L;
}
