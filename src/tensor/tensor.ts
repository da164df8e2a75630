import { InvalidArgumentError, ShapeError, check } from '../errors.js';
import { allocFloat, dtypeOf, DTYPES, type DType, type FloatArray } from '../matrix/dtype.js';
import { formatNumber, isArrayLike, Matrix } from '../matrix/matrix.js';
import { gemmInto } from '../linalg/matmul.js';
import { rng, type RandomState } from '../random.js';
import { allFinite, cStrides, copyToC, forEachRun, fStrides, reshapeStrides, sizeOf } from './strided.js';

/** Memory order of a flat n-d array: `'C'` row-major (last axis fastest, numpy's default), `'F'` column-major (first axis fastest). */
export type TensorOrder = 'C' | 'F';

/** Options naming an element type. */
export interface TensorDTypeOptions {
  /** Element type; default `'float64'`. */
  dtype?: DType;
}

/** Options of {@link Tensor.fromArray}. */
export interface TensorFromArrayOptions extends TensorDTypeOptions {
  /** Order of the flat `data`: `'C'` (default, numpy's) or `'F'`. The tensor keeps that order (F strides for `'F'`). */
  order?: TensorOrder;
}

/** Options of {@link Tensor.random}. */
export interface TensorRandomOptions extends TensorDTypeOptions {
  /** Seed or generator (see `rng`); default seed 0. */
  seed?: RandomState;
}

/** Tolerances of {@link Tensor.equals}: |a - b| <= atol + rtol * |b| elementwise. */
export interface TensorCloseOptions {
  /** Relative tolerance; default 1e-9 (1e-5 when either side is float32). */
  rtol?: number;
  /** Absolute tolerance; default 0. */
  atol?: number;
}

/**
 * One entry of {@link Tensor.slice}'s ranges: a number picks one index and drops the axis,
 * `[start, stop)` keeps a half-open range (negative values count from the end, as in numpy),
 * `null` keeps the whole axis.
 */
export type TensorRange = number | readonly [number, number] | null;

/**
 * An n-d array of float64 or float32 numbers (at least one axis).
 *
 * Storage follows numpy: a flat typed array `data`, an `offset`, and one stride per axis
 * counted in ELEMENTS; element (i_0, ..., i_{d-1}) lives at `offset + sum_k i_k * strides[k]`.
 * A freshly built tensor is C-contiguous (row-major, the last axis fastest). Views share
 * storage: {@link Tensor.permute}, {@link Tensor.slice} and (for C-contiguous tensors, and
 * any other layout numpy could view) {@link Tensor.reshape} copy nothing.
 *
 * Unfoldings follow TensorLy (Kolda & Bader 2009 up to the order of the columns):
 * `unfold(k)` is `np.moveaxis(T, k, 0).reshape(n_k, -1)`, the other modes in C order, and
 * {@link Tensor.modeProduct} is the mode-k product `T x_k U` computed by the GEMM kernel.
 *
 * @example
 * const T = Tensor.fromFunction([2, 3, 4], ([i, j, k]) => 100 * i + 10 * j + k);
 * T.get([1, 2, 3]);                 // 123
 * T.permute([2, 0, 1]).shape;       // [4, 2, 3], a view
 * T.unfold(1).shape;                // [3, 8]
 * T.modeProduct(2, Matrix.random(5, 4)).shape;  // [2, 3, 5]
 */
export class Tensor {
  /** Backing storage, shared with views. */
  readonly data: FloatArray;
  /** Length of each axis (at least one axis). */
  readonly shape: readonly number[];
  /** Distance in `data` between neighbours along each axis, in elements (non-negative). */
  readonly strides: readonly number[];
  /** Index in `data` of element (0, ..., 0). */
  readonly offset: number;

  /**
   * Wrap existing storage. Most users want {@link Tensor.zeros}, {@link Tensor.fromArray} or
   * {@link Tensor.fromFunction}. `strides` defaults to C order; every element must lie inside `data`.
   * @throws InvalidArgumentError for a shape that is not a non-empty list of integers in
   *   [0, 2^31), strides of another length or not non-negative integers, a bad offset, or
   *   storage too short for the layout.
   */
  constructor(data: FloatArray, shape: readonly number[], strides?: readonly number[], offset = 0) {
    check(data instanceof Float64Array || data instanceof Float32Array, () => `Tensor: data must be a Float64Array or Float32Array, got ${describe(data)}`);
    checkShape(shape, 'Tensor');
    const st = strides === undefined ? cStrides(shape) : [...strides];
    check(st.length === shape.length, () => `Tensor: ${st.length} strides given for ${shape.length} axes`);
    for (let k = 0; k < st.length; k++) {
      check(Number.isInteger(st[k]) && st[k]! >= 0, () => `Tensor: stride of axis ${k} must be a non-negative integer, got ${st[k]}`);
    }
    check(Number.isInteger(offset) && offset >= 0, () => `Tensor: offset must be a non-negative integer, got ${offset}`);
    if (sizeOf(shape) > 0) {
      let last = offset;
      for (let k = 0; k < shape.length; k++) last += (shape[k]! - 1) * st[k]!;
      check(last < data.length, () => `Tensor: shape [${shape.join(', ')}] at offset ${offset} with strides [${st.join(', ')}] needs ${last + 1} elements, storage has ${data.length}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.strides = Object.freeze(st);
    this.offset = offset;
  }

  // ---------------------------------------------------------------- construction

  /**
   * A C-contiguous tensor of zeros.
   * @throws InvalidArgumentError for a bad shape; OutOfMemoryError when the elements do not fit in memory.
   */
  static zeros(shape: readonly number[], options: TensorDTypeOptions = {}): Tensor {
    checkShape(shape, 'Tensor.zeros');
    const dtype = checkDType(options.dtype ?? 'float64', 'Tensor.zeros');
    return new Tensor(allocFloat(dtype, sizeOf(shape), () => `a ${shape.join(' x ')} ${dtype} tensor`), shape);
  }

  /**
   * A tensor holding a copy of the flat `data` (`prod(shape)` numbers in the stated order).
   * With `order: 'F'` the tensor keeps the Fortran layout (F strides), so `toFlat('F')`
   * gives `data` back and no element moves. The dtype defaults to float32 for a
   * Float32Array, else float64.
   * @throws ShapeError when `data` does not hold `prod(shape)` numbers; InvalidArgumentError
   *   for a bad shape or order, or an element of a plain array that is not a number (naming its index).
   * @example
   * Tensor.fromArray([1, 2, 3, 4, 5, 6], [2, 3]).get([1, 0]);                 // 4
   * Tensor.fromArray([1, 2, 3, 4, 5, 6], [2, 3], { order: 'F' }).get([1, 0]); // 2
   */
  static fromArray(data: ArrayLike<number>, shape: readonly number[], options: TensorFromArrayOptions = {}): Tensor {
    checkShape(shape, 'Tensor.fromArray');
    check(isArrayLike(data), () => `Tensor.fromArray: data must be an array or typed array of numbers, got ${describe(data)}`);
    const n = sizeOf(shape);
    if (data.length !== n) throw new ShapeError(`Tensor.fromArray: shape [${shape.join(', ')}] needs ${n} numbers, got ${data.length}`);
    const order = options.order ?? 'C';
    check(order === 'C' || order === 'F', () => `Tensor.fromArray: order must be 'C' or 'F', got ${describe(order)}`);
    check(!(data instanceof BigInt64Array || data instanceof BigUint64Array), () => 'Tensor.fromArray: data must hold numbers, got a BigInt typed array');
    if (!ArrayBuffer.isView(data)) {
      for (let k = 0; k < n; k++) {
        if (typeof data[k] !== 'number') throw new InvalidArgumentError(`Tensor.fromArray: element ${k} (0-based, order '${order}') is ${describe(data[k])}, not a number`);
      }
    }
    const dtype = checkDType(options.dtype ?? (data instanceof Float32Array ? 'float32' : 'float64'), 'Tensor.fromArray');
    const out = allocFloat(dtype, n, () => `a ${shape.join(' x ')} ${dtype} tensor`);
    if (ArrayBuffer.isView(data)) out.set(data as unknown as ArrayLike<number>);
    else for (let k = 0; k < n; k++) out[k] = data[k]!;
    return new Tensor(out, shape, order === 'F' ? fStrides(shape) : cStrides(shape));
  }

  /**
   * A C-contiguous tensor with element `index` equal to `f(index)`, evaluated in C order.
   * The `index` array passed to `f` is reused between calls: copy it to keep it.
   * @throws InvalidArgumentError when `f` returns something other than a number (NaN is a number), naming the index.
   * @example
   * Tensor.fromFunction([3, 3], ([i, j]) => (i === j ? 1 : 0)); // the 3x3 identity
   */
  static fromFunction(shape: readonly number[], f: (index: readonly number[]) => number, options: TensorDTypeOptions = {}): Tensor {
    check(typeof f === 'function', () => `Tensor.fromFunction: f must be a function, got ${describe(f)}`);
    const t = Tensor.zeros(shape, options);
    const d = t.shape.length;
    const n = t.data.length;
    const idx = new Array<number>(d).fill(0);
    for (let p = 0; p < n; p++) {
      const v = f(idx);
      if (typeof v !== 'number') throw new InvalidArgumentError(`Tensor.fromFunction: f([${idx.join(', ')}]) returned ${describe(v)}, not a number`);
      t.data[p] = v;
      for (let k = d - 1; k >= 0; k--) {
        if (++idx[k]! < t.shape[k]!) break;
        idx[k] = 0;
      }
    }
    return t;
  }

  /** A 2-way tensor viewing the matrix's storage (no copy; the matrix's strides become the tensor's). */
  static fromMatrix(m: Matrix): Tensor {
    check(m instanceof Matrix, () => `Tensor.fromMatrix: expected a Matrix, got ${describe(m)}`);
    return new Tensor(m.data, [m.rows, m.cols], [m.rowStride, m.colStride], m.size === 0 ? 0 : m.offset);
  }

  /**
   * A C-contiguous tensor of standard normal numbers from `rng(seed)` (xoshiro128**, the
   * same on every platform), filled in C order.
   */
  static random(shape: readonly number[], options: TensorRandomOptions = {}): Tensor {
    const t = Tensor.zeros(shape, options);
    const r = rng(options.seed ?? 0);
    const d = t.data;
    for (let p = 0; p < d.length; p++) d[p] = r.nextNormal();
    return t;
  }

  /**
   * The inverse of {@link Tensor.unfold}: the C-contiguous tensor of `shape` whose mode-`mode`
   * unfolding is `m` (any layout of `m` is read).
   * @throws InvalidArgumentError for a bad shape or mode; ShapeError when `m` is not
   *   `shape[mode]` x (product of the other lengths).
   */
  static fold(m: Matrix, mode: number, shape: readonly number[]): Tensor {
    check(m instanceof Matrix, () => `Tensor.fold: expected a Matrix, got ${describe(m)}`);
    checkShape(shape, 'Tensor.fold');
    const d = shape.length;
    checkAxis(mode, d, 'Tensor.fold', 'mode');
    const others = shape.filter((_, k) => k !== mode);
    const cols = sizeOf(others);
    if (m.rows !== shape[mode] || m.cols !== cols) {
      throw new ShapeError(`Tensor.fold: a mode-${mode} unfolding of shape [${shape.join(', ')}] is ${shape[mode]} x ${cols}, got ${m.rows} x ${m.cols}`);
    }
    // m as the tensor (n_mode, others...): row stride, then the column stride spread over the
    // other modes in C order; moving axis 0 back to `mode` is a permutation of that view.
    const oc = cStrides(others).map((s) => s * m.colStride);
    const viewShape = [shape[mode]!, ...others];
    const viewStrides = [m.rowStride, ...oc];
    const axes: number[] = [];
    for (let k = 0, o = 1; k < d; k++) axes.push(k === mode ? 0 : o++);
    const out = allocFloat(m.dtype, sizeOf(shape), () => `a ${shape.join(' x ')} ${m.dtype} tensor`);
    copyToC(m.data, m.size === 0 ? 0 : m.offset, axes.map((a) => viewShape[a]!), axes.map((a) => viewStrides[a]!), out, 0);
    return new Tensor(out, shape);
  }

  // ---------------------------------------------------------------- shape and access

  /** Number of axes (modes). */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements, the product of the shape. */
  get size(): number {
    return sizeOf(this.shape);
  }

  /** Element type. */
  get dtype(): DType {
    return dtypeOf(this.data);
  }

  /** Index in `data` of the element at `index`; no bounds check. */
  index(index: readonly number[]): number {
    let p = this.offset;
    for (let k = 0; k < index.length; k++) p += index[k]! * this.strides[k]!;
    return p;
  }

  /**
   * The element at `index` (one integer per axis; negative values count from the end).
   * @throws InvalidArgumentError when the index has the wrong length or is out of bounds, naming the axis.
   */
  get(index: readonly number[]): number {
    return this.data[this.checkedIndex(index, 'get')]!;
  }

  /** Set the element at `index` in place (views write through to shared storage). @throws as {@link Tensor.get}. */
  set(index: readonly number[], value: number): this {
    this.data[this.checkedIndex(index, 'set')] = value;
    return this;
  }

  private checkedIndex(index: readonly number[], routine: string): number {
    check(isArrayLike(index) && index.length === this.shape.length, () => `Tensor.${routine}: index must have ${this.shape.length} entries (one per axis), got ${isArrayLike(index) ? index.length : describe(index)}`);
    let p = this.offset;
    for (let k = 0; k < index.length; k++) {
      const n = this.shape[k]!;
      let i = index[k]!;
      check(Number.isInteger(i) && i >= -n && i < n, () => `Tensor.${routine}: index ${String(i)} is outside axis ${k} of length ${n}`);
      if (i < 0) i += n;
      p += i * this.strides[k]!;
    }
    return p;
  }

  /**
   * True when the elements fill `data[offset .. offset + size)` in the given order (default
   * `'C'`). Strides of length-1 axes are ignored, as numpy does.
   */
  isContiguous(order: TensorOrder = 'C'): boolean {
    check(order === 'C' || order === 'F', () => `Tensor.isContiguous: order must be 'C' or 'F', got ${describe(order)}`);
    if (this.size === 0) return true;
    const d = this.shape.length;
    let s = 1;
    for (let t = 0; t < d; t++) {
      const k = order === 'C' ? d - 1 - t : t;
      const n = this.shape[k]!;
      if (n === 1) continue;
      if (this.strides[k] !== s) return false;
      s *= n;
    }
    return true;
  }

  /** A C-contiguous tensor with the same elements: `this` when it already is one, else a copy. */
  contiguous(): Tensor {
    return this.isContiguous('C') ? this : this.copy();
  }

  /** The elements in the given order (default `'C'`) as a fresh flat typed array of this dtype. */
  toFlat(order: TensorOrder = 'C'): FloatArray {
    check(order === 'C' || order === 'F', () => `Tensor.toFlat: order must be 'C' or 'F', got ${describe(order)}`);
    return this.flatInto(order, this.dtype);
  }

  /** A compact C-contiguous copy, optionally converted to another dtype (float64 -> float32 rounds). */
  copy(options: TensorDTypeOptions = {}): Tensor {
    const dtype = checkDType(options.dtype ?? this.dtype, 'Tensor.copy');
    return new Tensor(this.flatInto('C', dtype), this.shape);
  }

  /** The same values in another dtype (always a copy). */
  astype(dtype: DType): Tensor {
    return this.copy({ dtype });
  }

  private flatInto(order: TensorOrder, dtype: DType): FloatArray {
    const out = allocFloat(dtype, this.size, () => `a ${this.shape.join(' x ')} ${dtype} tensor`);
    if (order === 'C') copyToC(this.data, this.offset, this.shape, this.strides, out, 0);
    else copyToC(this.data, this.offset, [...this.shape].reverse(), [...this.strides].reverse(), out, 0);
    return out;
  }

  // ---------------------------------------------------------------- views

  /**
   * The same elements, read in C order, under another shape (numpy's `reshape`). One length
   * may be `-1`, inferred from the others. A view when the layout allows it (always for a
   * C-contiguous tensor), else a C-contiguous copy.
   * @throws InvalidArgumentError for a bad shape or more than one -1; ShapeError when the sizes differ.
   * @example
   * Tensor.zeros([2, 3, 4]).reshape([6, -1]).shape; // [6, 4]
   */
  reshape(shape: readonly number[]): Tensor {
    check(Array.isArray(shape) && shape.length >= 1, () => `Tensor.reshape: shape must be a non-empty array of lengths, got ${describe(shape)}`);
    const holes = shape.filter((n) => n === -1).length;
    check(holes <= 1, () => `Tensor.reshape: at most one length may be -1, got [${shape.join(', ')}]`);
    let target = [...shape];
    if (holes === 1) {
      const known = sizeOf(shape.filter((n) => n !== -1));
      for (const n of shape) if (n !== -1) checkLength(n, 'Tensor.reshape');
      if (known === 0 || this.size % known !== 0) {
        throw new ShapeError(`Tensor.reshape: cannot reshape ${this.size} elements (shape [${this.shape.join(', ')}]) into [${shape.join(', ')}]`);
      }
      target = shape.map((n) => (n === -1 ? this.size / known : n));
    }
    checkShape(target, 'Tensor.reshape');
    if (sizeOf(target) !== this.size) {
      throw new ShapeError(`Tensor.reshape: cannot reshape ${this.size} elements (shape [${this.shape.join(', ')}]) into [${shape.join(', ')}] (${sizeOf(target)} elements)`);
    }
    const st = reshapeStrides(this.shape, this.strides, target);
    if (st !== undefined) return new Tensor(this.data, target, st, this.size === 0 ? 0 : this.offset);
    return new Tensor(this.flatInto('C', this.dtype), target);
  }

  /**
   * A view with the axes reordered: axis k of the result is axis `axes[k]` of this tensor
   * (numpy's `transpose(axes)`). Negative axes count from the end.
   * @throws InvalidArgumentError when `axes` is not a permutation of 0..ndim-1.
   */
  permute(axes: readonly number[]): Tensor {
    const d = this.shape.length;
    check(isArrayLike(axes) && axes.length === d, () => `Tensor.permute: axes must list each of the ${d} axes once, got ${isArrayLike(axes) ? `[${Array.from(axes).join(', ')}]` : describe(axes)}`);
    const seen = new Array<boolean>(d).fill(false);
    const ax = Array.from(axes, (a) => {
      checkAxis(a, d, 'Tensor.permute', 'axis');
      const k = a < 0 ? a + d : a;
      check(!seen[k], () => `Tensor.permute: axis ${k} appears twice in [${Array.from(axes).join(', ')}]`);
      seen[k] = true;
      return k;
    });
    return new Tensor(this.data, ax.map((k) => this.shape[k]!), ax.map((k) => this.strides[k]!), this.offset);
  }

  /**
   * A view of part of the tensor. `ranges[k]` applies to axis k: a number picks one index
   * and drops the axis, `[start, stop)` keeps that half-open range, `null` (or a missing
   * entry past the end of `ranges`) keeps the whole axis. Negative numbers count from the
   * end, as in numpy. At least one axis must remain.
   * @throws InvalidArgumentError for an index or range outside its axis (naming the axis),
   *   more ranges than axes, or every axis dropped (use {@link Tensor.get} for one element).
   * @example
   * const T = Tensor.zeros([4, 5, 6]);
   * T.slice([1, [0, 2], null]).shape;  // [2, 6]
   */
  slice(ranges: ReadonlyArray<TensorRange>): Tensor {
    const d = this.shape.length;
    check(Array.isArray(ranges) && ranges.length <= d, () => `Tensor.slice: ranges must be an array of at most ${d} entries, got ${Array.isArray(ranges) ? ranges.length : describe(ranges)}`);
    let offset = this.offset;
    const shape: number[] = [];
    const strides: number[] = [];
    let empty = false;
    for (let k = 0; k < d; k++) {
      const r = k < ranges.length ? ranges[k] : null;
      const n = this.shape[k]!;
      const s = this.strides[k]!;
      if (r === null || r === undefined) {
        shape.push(n);
        strides.push(s);
      } else if (typeof r === 'number') {
        check(Number.isInteger(r) && r >= -n && r < n, () => `Tensor.slice: index ${r} is outside axis ${k} of length ${n}`);
        offset += (r < 0 ? r + n : r) * s;
      } else {
        check(isArrayLike(r) && r.length === 2, () => `Tensor.slice: range of axis ${k} must be a number, [start, stop) or null, got ${describe(r)}`);
        const a0 = r[0] as number;
        const b0 = r[1] as number;
        check(Number.isInteger(a0) && Number.isInteger(b0) && a0 >= -n && a0 <= n && b0 >= -n && b0 <= n, () => `Tensor.slice: range [${String(a0)}, ${String(b0)}) is outside axis ${k} of length ${n}`);
        const a = a0 < 0 ? a0 + n : a0;
        const b = b0 < 0 ? b0 + n : b0;
        check(a <= b, () => `Tensor.slice: range [${a0}, ${b0}) of axis ${k} has start after stop`);
        if (a < n) offset += a * s;
        if (b === a) empty = true;
        shape.push(b - a);
        strides.push(s);
      }
    }
    check(shape.length > 0, () => `Tensor.slice: every axis was indexed by a number, which would give a 0-d tensor; use get([${ranges.join(', ')}]) for one element`);
    return new Tensor(this.data, shape, strides, empty || this.size === 0 ? 0 : offset);
  }

  // ---------------------------------------------------------------- unfoldings and products

  /**
   * The mode-`mode` unfolding (matricization): an n_mode x (product of the other lengths)
   * matrix whose column index runs over the other modes in C order. This is TensorLy's
   * `unfold(T, mode)`, i.e. `np.moveaxis(T, mode, 0).reshape(n_mode, -1)`. A fresh
   * column-major Matrix (each mode-`mode` fiber is one contiguous column).
   * @throws InvalidArgumentError for a mode outside 0..ndim-1 (negative counts from the end).
   */
  unfold(mode: number): Matrix {
    const d = this.shape.length;
    checkAxis(mode, d, 'Tensor.unfold', 'mode');
    const k = mode < 0 ? mode + d : mode;
    const axes: number[] = [];
    for (let a = 0; a < d; a++) if (a !== k) axes.push(a);
    axes.push(k);
    const nk = this.shape[k]!;
    let cols = 1;
    for (let a = 0; a < d; a++) if (a !== k) cols *= this.shape[a]!;
    const out = allocFloat(this.dtype, this.size, () => `the mode-${k} unfolding of a ${this.shape.join(' x ')} tensor`);
    // Column-major (n_k x cols) storage is the C-order copy of the permuted view (others..., k).
    copyToC(this.data, this.offset, axes.map((a) => this.shape[a]!), axes.map((a) => this.strides[a]!), out, 0);
    return new Matrix(out, nk, cols, 0, 1, Math.max(1, nk));
  }

  /**
   * The mode-`mode` product `T x_mode U` (Kolda & Bader 2009, section 2.5): every mode-`mode`
   * fiber is multiplied by `U`, so length `shape[mode]` becomes `U.rows`; equal to
   * `Tensor.fold(matmul(U, T.unfold(mode)), mode, newShape)`. Computed by the GEMM kernel on
   * the tensor viewed as a stack of matrices, without forming the unfolding when the trailing
   * block is large enough. float32 only when both are float32 (as `matmul`).
   * @throws InvalidArgumentError for a bad mode; ShapeError when `U.cols !== shape[mode]`.
   * @example
   * T.modeProduct(1, Matrix.identity(T.shape[1]));   // equals T
   */
  modeProduct(mode: number, u: Matrix): Tensor {
    check(u instanceof Matrix, () => `Tensor.modeProduct: u must be a Matrix, got ${describe(u)}`);
    const d = this.shape.length;
    checkAxis(mode, d, 'Tensor.modeProduct', 'mode');
    const k = mode < 0 ? mode + d : mode;
    const n = this.shape[k]!;
    if (u.cols !== n) {
      throw new ShapeError(`Tensor.modeProduct: mode ${k} has length ${n}, so U must have ${n} columns, got a ${u.rows} x ${u.cols} matrix`);
    }
    const m = u.rows;
    const outShape = this.shape.map((s, a) => (a === k ? m : s));
    const dtype: DType = this.dtype === 'float32' && u.dtype === 'float32' ? 'float32' : 'float64';
    const out = Tensor.zeros(outShape, { dtype });
    if (out.size === 0) return out;
    if (n === 0) return out; // an empty sum: zeros
    // Convert operands once (a per-call conversion inside gemm would copy U for every slab).
    const U = u.dtype === dtype ? u : u.copy({ dtype });
    const T = this.dtype === dtype ? this.contiguous() : this.copy({ dtype });
    let L = 1;
    for (let a = 0; a < k; a++) L *= this.shape[a]!;
    let R = 1;
    for (let a = k + 1; a < d; a++) R *= this.shape[a]!;
    // T is the C-contiguous stack of L slabs T_l (n x R, row-major); Y_l = U T_l (m x R) is
    // the slab of the output. Column-major, Y_l^T (R x m, ld R) = T_l^T U^T: one GEMM per
    // slab writing the output in place. With small slabs the per-call cost dominates, so
    // then the data is regrouped into one large GEMM: X (L*R x n) = T as (l, r, j), then
    // X U^T (L*R x m, column-major = the tensor (i, l, r)) is permuted back to (l, i, r).
    if (L === 1 || R >= SLAB_MIN) {
      for (let l = 0; l < L; l++) {
        const Tl = new Matrix(T.data, R, n, T.offset + l * n * R, 1, R);
        const Yl = new Matrix(out.data, R, m, l * m * R, 1, R);
        gemmInto(Tl, U.transpose(), Yl, 1, 0);
      }
      return out;
    }
    if (R === 1) {
      // (L x n row-major) times U^T, written as the (m x L) column-major... transposed: out is
      // L x m row-major, i.e. column-major m x L = U (m x n) times T^T (n x L, column-major).
      const Tm = new Matrix(T.data, n, L, T.offset, 1, n);
      gemmInto(U, Tm, new Matrix(out.data, m, L, 0, 1, m), 1, 0);
      return out;
    }
    const X = allocFloat(dtype, L * R * n, () => `a regrouped copy of a ${this.shape.join(' x ')} tensor`);
    copyToC(T.data, T.offset, [L, R, n], [n * R, 1, R], X, 0);
    const Y = Matrix.zeros(L * R, m, { dtype });
    gemmInto(new Matrix(X, L * R, n, 0, n, 1), U.transpose(), Y, 1, 0);
    // Y's storage is the C-order tensor (i, l, r); read it as (l, i, r).
    copyToC(Y.data, 0, [L, m, R], [R, L * R, 1], out.data, 0);
    return out;
  }

  // ---------------------------------------------------------------- reductions and arithmetic

  /**
   * Frobenius norm, sqrt of the sum of squares of all elements. One unscaled pass when the
   * sum of squares neither overflows nor underflows; otherwise a second pass scaled by the
   * largest magnitude (the idea of LAPACK's dnrm2/dlassq), so entries near 1e±300 are fine.
   * NaN when an element is NaN, Infinity when one is infinite.
   */
  norm(): number {
    const { data } = this;
    let ssq = 0;
    forEachRun(this.offset, this.shape, this.strides, (s, n, st) => {
      let a0 = 0;
      let a1 = 0;
      let p = s;
      let t = 0;
      for (; t + 1 < n; t += 2, p += 2 * st) {
        const x = data[p]!;
        const y = data[p + st]!;
        a0 += x * x;
        a1 += y * y;
      }
      if (t < n) a0 += data[p]! * data[p]!;
      ssq += a0 + a1;
    });
    if (Number.isNaN(ssq)) return NaN;
    // Below 2^-960 the squares of the largest entries may have lost bits to underflow.
    if (ssq < Infinity && ssq >= TINY_SSQ) return Math.sqrt(ssq);
    if (ssq === 0 && !this.anyNonzero()) return 0;
    let big = 0;
    forEachRun(this.offset, this.shape, this.strides, (s, n, st) => {
      for (let t = 0, p = s; t < n; t++, p += st) {
        const a = Math.abs(data[p]!);
        if (a > big) big = a;
      }
    });
    if (big === Infinity) return Infinity;
    if (big === 0) return 0;
    const inv = 1 / big;
    let scaled = 0;
    forEachRun(this.offset, this.shape, this.strides, (s, n, st) => {
      for (let t = 0, p = s; t < n; t++, p += st) {
        // Multiplying by 1/big may overflow for subnormal big; dividing never does.
        const x = inv < Infinity ? data[p]! * inv : data[p]! / big;
        scaled += x * x;
      }
    });
    return big * Math.sqrt(scaled);
  }

  private anyNonzero(): boolean {
    let any = false;
    forEachRun(this.offset, this.shape, this.strides, (s, n, st) => {
      for (let t = 0, p = s; t < n && !any; t++, p += st) if (this.data[p] !== 0) any = true;
    });
    return any;
  }

  /** True when every element is finite (no NaN, no ±Infinity). */
  isFinite(): boolean {
    return allFinite(this.data, this.offset, this.shape, this.strides);
  }

  /** Sum of all elements. */
  sum(): number {
    let total = 0;
    forEachRun(this.offset, this.shape, this.strides, (s, n, st) => {
      for (let t = 0, p = s; t < n; t++, p += st) total += this.data[p]!;
    });
    return total;
  }

  /**
   * Inner product sum_i a_i b_i of two tensors of the same shape (any layouts).
   * @throws ShapeError when the shapes differ.
   */
  dot(o: Tensor): number {
    this.checkSame(o, 'dot');
    const a = this.contiguous();
    const b = o.contiguous();
    let s0 = 0;
    let s1 = 0;
    const n = a.size;
    let t = 0;
    for (; t + 1 < n; t += 2) {
      s0 += a.data[a.offset + t]! * b.data[b.offset + t]!;
      s1 += a.data[a.offset + t + 1]! * b.data[b.offset + t + 1]!;
    }
    if (t < n) s0 += a.data[a.offset + t]! * b.data[b.offset + t]!;
    return s0 + s1;
  }

  /** Elementwise sum `this + o` as a new C-contiguous tensor. @throws ShapeError when the shapes differ. */
  add(o: Tensor): Tensor {
    return this.zip(o, 'add', 1);
  }

  /** Elementwise difference `this - o` as a new C-contiguous tensor. @throws ShapeError when the shapes differ. */
  sub(o: Tensor): Tensor {
    return this.zip(o, 'sub', -1);
  }

  /** `a * this` as a new C-contiguous tensor of this dtype. */
  scale(a: number): Tensor {
    check(typeof a === 'number', () => `Tensor.scale: a must be a number, got ${describe(a)}`);
    const out = this.copy();
    const d = out.data;
    for (let p = 0; p < d.length; p++) d[p] = a * d[p]!;
    return out;
  }

  /** Elementwise (Hadamard) product as a new C-contiguous tensor. @throws ShapeError when the shapes differ. */
  mul(o: Tensor): Tensor {
    this.checkSame(o, 'mul');
    const out = this.copy({ dtype: promote(this, o) });
    const b = o.contiguous();
    const d = out.data;
    for (let p = 0; p < d.length; p++) d[p] = d[p]! * b.data[b.offset + p]!;
    return out;
  }

  private zip(o: Tensor, op: string, sign: number): Tensor {
    this.checkSame(o, op);
    const out = this.copy({ dtype: promote(this, o) });
    const b = o.contiguous();
    const d = out.data;
    const bd = b.data;
    const bo = b.offset;
    if (sign === 1) for (let p = 0; p < d.length; p++) d[p] = d[p]! + bd[bo + p]!;
    else for (let p = 0; p < d.length; p++) d[p] = d[p]! - bd[bo + p]!;
    return out;
  }

  private checkSame(o: Tensor, op: string): void {
    check(o instanceof Tensor, () => `Tensor.${op}: expected a Tensor, got ${describe(o)}`);
    if (o.shape.length !== this.shape.length || o.shape.some((n, k) => n !== this.shape[k])) {
      throw new ShapeError(`Tensor.${op}: shapes [${this.shape.join(', ')}] and [${o.shape.join(', ')}] differ`);
    }
  }

  /**
   * Same shape and |a - b| <= atol + rtol * |b| for every element (numpy's `allclose`;
   * NaN equals nothing).
   */
  equals(o: Tensor, options: TensorCloseOptions = {}): boolean {
    if (!(o instanceof Tensor) || o.shape.length !== this.shape.length || o.shape.some((n, k) => n !== this.shape[k])) return false;
    const loose = this.dtype === 'float32' || o.dtype === 'float32';
    const rtol = options.rtol ?? (loose ? 1e-5 : 1e-9);
    const atol = options.atol ?? 0;
    const a = this.contiguous();
    const b = o.contiguous();
    for (let p = 0; p < a.size; p++) {
      const x = a.data[a.offset + p]!;
      const y = b.data[b.offset + p]!;
      if (x === y) continue;
      if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- conversion and printing

  /** Nested arrays, outermost axis first (as numpy's `tolist()`). */
  toNested(): unknown[] {
    const flat = this.toFlat('C');
    const build = (axis: number, start: number): unknown[] => {
      const n = this.shape[axis]!;
      const out = new Array<unknown>(n);
      if (axis === this.shape.length - 1) {
        for (let i = 0; i < n; i++) out[i] = flat[start + i]!;
        return out;
      }
      let inner = 1;
      for (let a = axis + 1; a < this.shape.length; a++) inner *= this.shape[a]!;
      for (let i = 0; i < n; i++) out[i] = build(axis + 1, start + i * inner);
      return out;
    };
    return build(0, 0);
  }

  /**
   * numpy-like text: a header `Tensor 2x3x4 float64` and the nested values, long axes
   * elided with `...` after `edge` entries at each end (default 3 when an axis exceeds 6).
   */
  toString(options: { precision?: number; edge?: number } = {}): string {
    const precision = options.precision ?? 6;
    const edge = options.edge ?? 3;
    const head = `Tensor ${this.shape.join('x')} ${this.dtype}`;
    if (this.size === 0) return `${head} []`;
    const pick = (n: number): (number | null)[] => {
      if (n <= 2 * edge) return Array.from({ length: n }, (_, i) => i);
      const a: (number | null)[] = [];
      for (let i = 0; i < edge; i++) a.push(i);
      a.push(null);
      for (let i = n - edge; i < n; i++) a.push(i);
      return a;
    };
    const picks = this.shape.map(pick);
    // Width of the widest shown number, so the innermost rows line up.
    let width = 1;
    const idx = new Array<number>(this.shape.length).fill(0);
    const visit = (axis: number, fn: () => void): void => {
      for (const i of picks[axis]!) {
        if (i === null) continue;
        idx[axis] = i;
        if (axis === this.shape.length - 1) fn();
        else visit(axis + 1, fn);
      }
    };
    visit(0, () => {
      width = Math.max(width, formatNumber(this.get(idx), precision).length);
    });
    const render = (axis: number, indent: string): string => {
      const parts: string[] = [];
      const last = axis === this.shape.length - 1;
      for (const i of picks[axis]!) {
        if (i === null) {
          parts.push(last ? '...'.padStart(width) : '...');
          continue;
        }
        idx[axis] = i;
        parts.push(last ? formatNumber(this.get(idx), precision).padStart(width) : render(axis + 1, indent + ' '));
      }
      if (last) return `[${parts.join(' ')}]`;
      const sep = ',' + '\n'.repeat(this.shape.length - 1 - axis) + indent + ' ';
      return `[${parts.join(sep)}]`;
    };
    return `${head}\n${render(0, '')}`;
  }
}

/**
 * Below this many elements per slab, modeProduct regroups into one GEMM: each GEMM call has a
 * fixed cost (packing, dispatch) that dominates thin R x m x n slabs.
 */
const SLAB_MIN = 64;

/** 2^-960: a sum of squares at least this large lost nothing significant to underflow. */
const TINY_SSQ = 2 ** -960;

function promote(a: Tensor, b: Tensor): DType {
  return a.dtype === 'float32' && b.dtype === 'float32' ? 'float32' : 'float64';
}

function checkLength(n: unknown, routine: string): void {
  check(typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 2 ** 31 - 1, () => `${routine}: lengths must be integers in [0, 2^31), got ${describe(n)}`);
}

function checkShape(shape: unknown, routine: string): asserts shape is readonly number[] {
  check(isArrayLike(shape) && shape.length >= 1, () => `${routine}: shape must be a non-empty array of lengths (a 0-d tensor is not supported), got ${Array.isArray(shape) ? '[]' : describe(shape)}`);
  for (let k = 0; k < shape.length; k++) {
    const n = shape[k];
    check(typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 2 ** 31 - 1, () => `${routine}: length of axis ${k} must be an integer in [0, 2^31), got ${describe(n)}`);
  }
}

function checkAxis(a: unknown, d: number, routine: string, what: string): asserts a is number {
  check(typeof a === 'number' && Number.isInteger(a) && a >= -d && a < d, () => `${routine}: ${what} must be an integer in [0, ${d}) for a ${d}-way tensor (or negative from the end), got ${describe(a)}`);
}

function checkDType(dtype: unknown, routine: string): DType {
  check((DTYPES as readonly unknown[]).includes(dtype), () => `${routine}: dtype must be 'float64' or 'float32', got ${describe(dtype)}`);
  return dtype as DType;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `the string '${v.length > 20 ? v.slice(0, 20) + '...' : v}'`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return `the ${typeof v} ${String(v)}`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'function') return 'a function';
  return `a${typeof v === 'object' ? 'n object' : ` ${typeof v}`}`;
}
