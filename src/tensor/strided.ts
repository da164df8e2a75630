/**
 * Strided copies and traversals shared by {@link Tensor} and the n-d file readers: the
 * one place that walks an arbitrary (shape, strides, offset) layout.
 *
 * Every routine first simplifies the layout the way numpy's iterators do: axes of length 1
 * are dropped and neighbouring axes that are contiguous with respect to each other
 * (`stride[i] === stride[i+1] * shape[i+1]`) are merged, so a C-contiguous tensor of any
 * rank becomes one run, and a permuted one becomes (often) a 2-d transpose. What is left is
 * done with typed-array bulk copies (`TypedArray.prototype.set`, which also converts between
 * element types) when the innermost axis is unit-stride, and otherwise with a cache-blocked
 * transpose over the innermost destination axis and the source's smallest-stride axis.
 * @internal
 */
import type { FloatArray } from '../matrix/dtype.js';

/** Any typed array of numbers a strided copy may read or write. */
export type NumericArray =
  | Float64Array
  | Float32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array;

/** A layout after dropping length-1 axes and merging contiguous neighbours (outer first). */
interface Simplified {
  shape: number[];
  strides: number[];
}

/** Product of a shape (1 for the empty shape). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** The multi-index of flat C-order position `p` in `shape` (numpy's unravel_index), e.g. to name a bad entry. */
export function unravelIndex(p: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    idx[k] = p % shape[k]!;
    p = Math.floor(p / shape[k]!);
  }
  return idx;
}

/** Element strides of a compact C-order (row-major) array of `shape`. */
export function cStrides(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = s;
    s *= shape[i]!;
  }
  return st;
}

/** Element strides of a compact Fortran-order (column-major) array of `shape`. */
export function fStrides(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let i = 0; i < shape.length; i++) {
    st[i] = s;
    s *= shape[i]!;
  }
  return st;
}

/**
 * Drop length-1 axes and merge axis i into i+1 whenever stepping along i is the same as
 * stepping n_{i+1} times along i+1. Callers handle empty shapes (a zero length) first.
 */
function simplify(shape: readonly number[], strides: readonly number[]): Simplified {
  const sh: number[] = [];
  const st: number[] = [];
  // Walk from the innermost axis outwards, building the merged list reversed.
  for (let i = shape.length - 1; i >= 0; i--) {
    const n = shape[i]!;
    if (n === 1) continue;
    const k = sh.length - 1;
    if (k >= 0 && strides[i] === st[k]! * sh[k]!) sh[k] = sh[k]! * n;
    else {
      sh.push(n);
      st.push(strides[i]!);
    }
  }
  sh.reverse();
  st.reverse();
  return { shape: sh, strides: st };
}

/**
 * Copy the elements of the strided source into `dst` starting at `dstOffset`, in C order of
 * `shape` (so `dst` receives a compact row-major array). Element types may differ (the
 * values are converted as by assignment).
 */
export function copyToC(
  src: NumericArray,
  srcOffset: number,
  shape: readonly number[],
  strides: readonly number[],
  dst: NumericArray,
  dstOffset: number,
): void {
  const total = sizeOf(shape);
  if (total === 0) return;
  const { shape: sh, strides: st } = simplify(shape, strides);
  const d = sh.length;
  if (d === 0) {
    dst[dstOffset] = src[srcOffset]!;
    return;
  }
  const nIn = sh[d - 1]!;
  const sIn = st[d - 1]!;
  if (sIn === 1) {
    // Contiguous runs of the innermost axis: one bulk copy each.
    forEachOuter(sh, st, d - 1, srcOffset, (s, run) => {
      dst.set(src.subarray(s, s + nIn), dstOffset + run * nIn);
    });
    return;
  }
  if (d === 1) {
    for (let j = 0, s = srcOffset, q = dstOffset; j < nIn; j++, s += sIn, q++) dst[q] = src[s]!;
    return;
  }
  // The innermost destination axis is strided in the source: transpose in cache blocks
  // over it and the source's smallest-stride axis p, so the lines read along p are reused
  // across a block instead of being fetched once per element.
  let p = 0;
  for (let i = 1; i < d - 1; i++) if (st[i]! < st[p]!) p = i;
  const dstSt = cStrides(sh);
  const nP = sh[p]!;
  const sP = st[p]!;
  const dP = dstSt[p]!;
  const B = 32;
  // The remaining axes (all but p and the innermost) are walked by an odometer.
  const outerShape: number[] = [];
  const outerSrc: number[] = [];
  const outerDst: number[] = [];
  for (let i = 0; i < d - 1; i++) {
    if (i === p) continue;
    outerShape.push(sh[i]!);
    outerSrc.push(st[i]!);
    outerDst.push(dstSt[i]!);
  }
  odometer(outerShape, outerSrc, outerDst, srcOffset, dstOffset, (s0, d0) => {
    for (let ib = 0; ib < nP; ib += B) {
      const ie = Math.min(nP, ib + B);
      for (let jb = 0; jb < nIn; jb += B) {
        const je = Math.min(nIn, jb + B);
        for (let i = ib; i < ie; i++) {
          const sBase = s0 + i * sP;
          const dBase = d0 + i * dP;
          for (let j = jb; j < je; j++) dst[dBase + j] = src[sBase + j * sIn]!;
        }
      }
    }
  });
}

/**
 * Call `fn(start, length, stride)` for every innermost run of the strided layout, in C
 * order: the elements visited are `data[start + t * stride]`, t < length. A compact layout
 * is a single run.
 */
export function forEachRun(
  offset: number,
  shape: readonly number[],
  strides: readonly number[],
  fn: (start: number, length: number, stride: number) => void,
): void {
  if (sizeOf(shape) === 0) return;
  const { shape: sh, strides: st } = simplify(shape, strides);
  const d = sh.length;
  if (d === 0) {
    fn(offset, 1, 1);
    return;
  }
  const n = sh[d - 1]!;
  const s = st[d - 1]!;
  forEachOuter(sh, st, d - 1, offset, (start) => fn(start, n, s));
}

/** Visit the source offsets of the first `outer` axes in C order, with a running counter. */
function forEachOuter(
  sh: readonly number[],
  st: readonly number[],
  outer: number,
  offset: number,
  fn: (srcStart: number, run: number) => void,
): void {
  if (outer === 0) {
    fn(offset, 0);
    return;
  }
  const idx = new Array<number>(outer).fill(0);
  let s = offset;
  let run = 0;
  for (;;) {
    fn(s, run++);
    let k = outer - 1;
    for (; k >= 0; k--) {
      idx[k]!++;
      s += st[k]!;
      if (idx[k]! < sh[k]!) break;
      s -= st[k]! * sh[k]!;
      idx[k] = 0;
    }
    if (k < 0) return;
  }
}

/** Visit paired source/destination offsets over `shape` in C order. */
function odometer(
  shape: readonly number[],
  a: readonly number[],
  b: readonly number[],
  a0: number,
  b0: number,
  fn: (a: number, b: number) => void,
): void {
  const d = shape.length;
  const idx = new Array<number>(d).fill(0);
  let pa = a0;
  let pb = b0;
  for (;;) {
    fn(pa, pb);
    let k = d - 1;
    for (; k >= 0; k--) {
      idx[k]!++;
      pa += a[k]!;
      pb += b[k]!;
      if (idx[k]! < shape[k]!) break;
      pa -= a[k]! * shape[k]!;
      pb -= b[k]! * shape[k]!;
      idx[k] = 0;
    }
    if (k < 0) return;
  }
}

/**
 * Strides of `newShape` that view the same elements as (`shape`, `strides`) in C order
 * without copying, or undefined when no such view exists (numpy's "attempt no-copy
 * reshape": each group of old axes that maps onto a group of new axes must itself be
 * contiguous).
 */
export function reshapeStrides(shape: readonly number[], strides: readonly number[], newShape: readonly number[]): number[] | undefined {
  const out = new Array<number>(newShape.length).fill(0);
  if (sizeOf(shape) === 0) return cStrides(newShape);
  // Work without the length-1 axes of the old shape; new length-1 axes get any stride.
  const os: number[] = [];
  const ot: number[] = [];
  for (let i = 0; i < shape.length; i++) if (shape[i] !== 1) { os.push(shape[i]!); ot.push(strides[i]!); }
  let oi = 0;
  let ni = 0;
  const oN = os.length;
  const nN = newShape.length;
  while (oi < oN && ni < nN) {
    // Skip new length-1 axes (stride assigned below).
    if (newShape[ni] === 1) { ni++; continue; }
    let op = os[oi]!;
    let np = newShape[ni]!;
    const oj0 = oi;
    const nj0 = ni;
    let oj = oi + 1;
    let nj = ni + 1;
    while (op !== np) {
      if (np < op) np *= newShape[nj++]!;
      else op *= os[oj++]!;
    }
    // Old axes oj0..oj-1 must be contiguous with each other to be regrouped.
    for (let k = oj0; k < oj - 1; k++) if (ot[k] !== os[k + 1]! * ot[k + 1]!) return undefined;
    // New strides: C strides within the group, anchored at the innermost old stride.
    out[nj - 1] = ot[oj - 1]!;
    for (let k = nj - 1; k > nj0; k--) out[k - 1] = out[k]! * newShape[k]!;
    oi = oj;
    ni = nj;
  }
  // Trailing new length-1 axes; give every length-1 axis the stride a C layout would.
  for (let k = 0; k < nN; k++) if (newShape[k] === 1) out[k] = k + 1 < nN ? out[k + 1]! * newShape[k + 1]! || 1 : 1;
  return out;
}

/** `true` when every element of the strided layout is finite. */
export function allFinite(data: FloatArray, offset: number, shape: readonly number[], strides: readonly number[]): boolean {
  let ok = true;
  forEachRun(offset, shape, strides, (s, n, st) => {
    if (!ok) return;
    // x - x is 0 for finite x and NaN for NaN and +-Infinity: one branch-free pass.
    let acc = 0;
    for (let t = 0, p = s; t < n; t++, p += st) acc += data[p]! - data[p]!;
    if (acc !== 0) ok = false;
  });
  return ok;
}
