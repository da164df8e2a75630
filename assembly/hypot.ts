// Plane hypotenuses for the kernels that must match the TypeScript path bit for bit.
// Math.hypot of two numbers as V8 computes it (divide by the larger magnitude, compensated
// sum of squares, sqrt, multiply back), so that results match the TypeScript path bit for
// bit in Node; AssemblyScript's own Math.hypot (musl's) can differ in the last bit.
export function hypot(a: f64, b: f64): f64 {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x == Infinity || y == Infinity) return Infinity;
  if (isNaN(x) || isNaN(y)) return NaN;
  const max = Math.max(x, y);
  if (max == 0) return 0;
  let sum: f64 = 0;
  let comp: f64 = 0;
  let t = x / max;
  let summand = t * t - comp;
  let prelim = sum + summand;
  comp = prelim - sum - summand;
  sum = prelim;
  t = y / max;
  summand = t * t - comp;
  prelim = sum + summand;
  sum = prelim;
  return Math.sqrt(sum) * max;
}

/** sqrt(a^2 + b^2), squaring when safe, else {@link hypot} (steqr.ts hypot2). */
@inline export function hypot2(a: f64, b: f64): f64 {
  const s = a * a + b * b;
  if (s > 1e-290 && s < 1e290) return Math.sqrt(s);
  return hypot(a, b);
}
