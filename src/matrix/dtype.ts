/** Element types a {@link Matrix} can hold. */
export type DType = 'float64' | 'float32';

/** The typed arrays behind the two dtypes. */
export type FloatArray = Float64Array | Float32Array;

/** All dtypes, in a runtime-checkable list (the type {@link DType} derives from it). */
export const DTYPES = ['float64', 'float32'] as const;

/** Allocate a zeroed typed array of `dtype` with `n` elements. */
export function allocFloat(dtype: DType, n: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
}

/** dtype of a typed array. */
export function dtypeOf(a: FloatArray): DType {
  return a instanceof Float32Array ? 'float32' : 'float64';
}

/** Machine epsilon (unit roundoff times two) of a dtype: 2^-52 or 2^-23. */
export function epsOf(dtype: DType): number {
  return dtype === 'float32' ? 1.1920928955078125e-7 : 2.220446049250313e-16;
}
