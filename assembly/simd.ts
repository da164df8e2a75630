// Generic SIMD helpers over f64x2 / f32x4, chosen at compile time from T.

/** Lanes per v128 for element type T (2 for f64, 4 for f32). */
@inline export function lanes<T>(): i32 {
  return 16 / sizeof<T>();
}

/** c + a * b; fused in the relaxed-SIMD build. */
@inline export function vmadd<T>(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<T>(a, b, c);
  return v128.add<T>(v128.mul<T>(a, b), c);
}

/** Sum of the lanes of v. */
@inline export function hsum<T>(v: v128): f64 {
  if (sizeof<T>() == 8) return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}
