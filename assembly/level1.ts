// BLAS level 1 on pointers: dot, axpy, scal, nrm2. Unit-stride calls take a SIMD path with
// two accumulators (to hide add latency); strided calls a scalar loop. Increments may be
// negative, with BLAS semantics (the vector starts at the far end).
import { hsum, lanes, vmadd } from './simd';

@inline function start(n: i32, inc: i32, s: usize, p: usize): usize {
  return inc >= 0 ? p : p + <usize>(<isize>(n - 1) * <isize>(-inc)) * s;
}

/** sum_i x_i * y_i, accumulated in f64 for both element types when strided. */
export function dot<T>(n: i32, x: usize, incx: i32, y: usize, incy: i32): f64 {
  if (n <= 0) return 0;
  const s = <usize>sizeof<T>();
  if (incx == 1 && incy == 1) {
    const L = lanes<T>();
    let acc0 = v128.splat<T>(<T>0);
    let acc1 = v128.splat<T>(<T>0);
    let i = 0;
    for (; i + 2 * L <= n; i += 2 * L) {
      const o = <usize>i * s;
      acc0 = vmadd<T>(v128.load(x + o), v128.load(y + o), acc0);
      acc1 = vmadd<T>(v128.load(x + o + 16), v128.load(y + o + 16), acc1);
    }
    let sum = hsum<T>(v128.add<T>(acc0, acc1));
    for (; i < n; i++) sum += <f64>load<T>(x + <usize>i * s) * <f64>load<T>(y + <usize>i * s);
    return sum;
  }
  let px = start(n, incx, s, x);
  let py = start(n, incy, s, y);
  const dx = <isize>incx * <isize>s;
  const dy = <isize>incy * <isize>s;
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) {
    sum += <f64>load<T>(px) * <f64>load<T>(py);
    px = <usize>(<isize>px + dx);
    py = <usize>(<isize>py + dy);
  }
  return sum;
}

/** y := alpha * x + y. */
export function axpy<T>(n: i32, alpha: T, x: usize, incx: i32, y: usize, incy: i32): void {
  if (n <= 0 || alpha == <T>0) return;
  const s = <usize>sizeof<T>();
  if (incx == 1 && incy == 1) {
    const L = lanes<T>();
    const va = v128.splat<T>(alpha);
    let i = 0;
    for (; i + L <= n; i += L) {
      const o = <usize>i * s;
      v128.store(y + o, vmadd<T>(va, v128.load(x + o), v128.load(y + o)));
    }
    for (; i < n; i++) store<T>(y + <usize>i * s, load<T>(y + <usize>i * s) + alpha * load<T>(x + <usize>i * s));
    return;
  }
  let px = start(n, incx, s, x);
  let py = start(n, incy, s, y);
  const dx = <isize>incx * <isize>s;
  const dy = <isize>incy * <isize>s;
  for (let i = 0; i < n; i++) {
    store<T>(py, load<T>(py) + alpha * load<T>(px));
    px = <usize>(<isize>px + dx);
    py = <usize>(<isize>py + dy);
  }
}

/** x := alpha * x (BLAS scal: alpha == 0 still multiplies, so NaN * 0 stays NaN). */
export function scal<T>(n: i32, alpha: T, x: usize, incx: i32): void {
  if (n <= 0 || incx <= 0) return;
  const s = <usize>sizeof<T>();
  if (incx == 1) {
    const L = lanes<T>();
    const va = v128.splat<T>(alpha);
    let i = 0;
    for (; i + L <= n; i += L) v128.store(x + <usize>i * s, v128.mul<T>(va, v128.load(x + <usize>i * s)));
    for (; i < n; i++) store<T>(x + <usize>i * s, alpha * load<T>(x + <usize>i * s));
    return;
  }
  const d = <usize>incx * s;
  for (let i = 0; i < n; i++) store<T>(x + <usize>i * d, alpha * load<T>(x + <usize>i * d));
}


/**
 * Euclidean norm without overflow or underflow. f32 data is squared in f64, where no f32
 * value can overflow or underflow. For f64 a fast pass sums squares directly; only when the
 * largest |x_i| lies outside [2^-300, 2^300] (where squares would lose range) is a second
 * pass taken with the data scaled by a power of two close to 1 / max|x_i|, which is exact
 * (the idea of Blue's algorithm and LAPACK 3.10's dnrm2, Anderson 2017, with one scale).
 */
export function nrm2<T>(n: i32, x: usize, incx: i32): f64 {
  if (n <= 0 || incx <= 0) return 0;
  const s = <usize>sizeof<T>();
  const d = <usize>incx * s;
  let amax: f64 = 0;
  let ssq: f64 = 0;
  let nan = false;
  for (let i = 0; i < n; i++) {
    const v = <f64>load<T>(x + <usize>i * d);
    const a = abs<f64>(v);
    if (a != a) nan = true;
    if (a > amax) amax = a;
    ssq += v * v;
  }
  if (nan) return NaN;
  if (amax == Infinity) return Infinity;
  if (amax == 0) return 0;
  if (sizeof<T>() == 4 || (amax >= 4.909093465297727e-91 && amax <= 2.037035976334486e90)) return sqrt<f64>(ssq);
  // Scale by 2^-e with e the exponent of amax; subnormal amax is first lifted by 2^600.
  let pre: f64 = 1;
  let mx = amax;
  if (mx < 2.2250738585072014e-308) {
    pre = reinterpret<f64>(<u64>(1023 + 600) << 52);
    mx *= pre;
  }
  const e = <i32>((reinterpret<u64>(mx) >> 52) & 0x7ff) - 1023;
  // 2^-e as a double; e in [-422, 1023] so -e + 1023 may reach 0 (then 2^-1023 is subnormal).
  const be = 1023 - e;
  const t = be > 0 ? reinterpret<f64>(<u64>be << 52) : reinterpret<f64>(<u64>1 << 51);
  let acc: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = (<f64>load<T>(x + <usize>i * d) * pre) * t;
    acc += v * v;
  }
  return (sqrt<f64>(acc) / t) / pre;
}

/** Columns x, y (nrows each, contiguous) := [c x + s y, c y - s x]. */
@inline export function rot2(nrows: i32, x: usize, y: usize, c: f64, s: f64): void {
  const vc = f64x2.splat(c);
  const vs = f64x2.splat(s);
  const vns = f64x2.splat(-s);
  let i = 0;
  for (; i + 2 <= nrows; i += 2) {
    const o = <usize>i << 3;
    const xv = v128.load(x + o);
    const yv = v128.load(y + o);
    v128.store(x + o, vmadd<f64>(vs, yv, f64x2.mul(vc, xv)));
    v128.store(y + o, vmadd<f64>(vns, xv, f64x2.mul(vc, yv)));
  }
  if (i < nrows) {
    const o = <usize>i << 3;
    const xs = load<f64>(x + o);
    const ys = load<f64>(y + o);
    store<f64>(x + o, c * xs + s * ys);
    store<f64>(y + o, c * ys - s * xs);
  }
}
