import { allocating } from './memory.js';

/** Element types a {@link Matrix} can hold. */
export type DType = 'float64' | 'float32';

/** The typed arrays behind the two dtypes. */
export type FloatArray = Float64Array | Float32Array;

/** All dtypes, in a runtime-checkable list (the type {@link DType} derives from it). */
export const DTYPES = ['float64', 'float32'] as const;

/**
 * Allocate a zeroed typed array of `dtype` with `n` elements.
 * @param what - the array, as an out-of-memory message should name it (or a function giving
 *   that text, built only for the message); default `"an array of <n> <dtype> elements"`.
 * @throws OutOfMemoryError when `n` is beyond a typed array's length, the bytes beyond the
 *   machine's memory, or the engine refuses the allocation.
 */
export function allocFloat(dtype: DType, n: number, what?: string | (() => string)): FloatArray {
  // Small arrays, the frequent case in iterative code, skip the checks (measured 2-3x the
  // cost of the allocation itself for 16 elements); they cannot exceed any limit.
  if (n < SMALL) return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  const size = dtype === 'float32' ? 4 : 8;
  return allocating(what ?? (() => `an array of ${n} ${dtype} elements`), n, size, () => (size === 4 ? new Float32Array(n) : new Float64Array(n)));
}

/** dtype of a typed array. */
export function dtypeOf(a: FloatArray): DType {
  return a instanceof Float32Array ? 'float32' : 'float64';
}

/** Machine epsilon (unit roundoff times two) of a dtype: 2^-52 or 2^-23. */
export function epsOf(dtype: DType): number {
  return dtype === 'float32' ? 1.1920928955078125e-7 : 2.220446049250313e-16;
}

const SMALL = 1 << 20;
