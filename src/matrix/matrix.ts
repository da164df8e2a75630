import { InvalidArgumentError, ShapeError, check } from '../errors.js';
import { rng, type RandomState } from '../random.js';
import { allocFloat, dtypeOf, type DType, type FloatArray } from './dtype.js';

/** Memory order of a flat array: `'C'` row-major (numpy's default), `'F'` column-major. */
export type Order = 'C' | 'F';

/** Options shared by constructors. */
export interface DTypeOptions {
  /** Element type; default `'float64'`. */
  dtype?: DType;
}

/** Options of {@link Matrix.fromArray}. */
export interface FromArrayOptions extends DTypeOptions {
  /** Order of `data`; default `'F'` (column-major, as stored). */
  order?: Order;
  /**
   * When `data` already is a typed array of the requested dtype and order `'F'`, wrap it
   * without copying if `copy` is false. Default true.
   */
  copy?: boolean;
}

/** Options of {@link Matrix.random}. */
export interface RandomOptions extends DTypeOptions {
  /** Seed or generator (see `rng`); default seed 0. */
  seed?: RandomState;
  /** `'uniform'` on [low, high) (default [0, 1)) or `'normal'` N(mean, std^2). */
  distribution?: 'uniform' | 'normal';
  /** Uniform: lower bound (inclusive); default 0. */
  low?: number;
  /** Uniform: upper bound (exclusive, >= low); default 1. */
  high?: number;
  /** Normal: mean; default 0. */
  mean?: number;
  /** Normal: standard deviation (>= 0); default 1. */
  std?: number;
}

/** Tolerances of {@link Matrix.equals}: |a - b| <= atol + rtol * |b| elementwise. */
export interface CloseOptions {
  /** Relative tolerance; default 1e-9 (1e-5 when either side is float32). */
  rtol?: number;
  /** Absolute tolerance; default 0. */
  atol?: number;
}

/** Norms available on a matrix. */
export type MatrixNorm = 'fro' | 1 | 'inf' | 'max';

/**
 * A dense matrix of float64 or float32 numbers.
 *
 * Storage is a flat typed array with an `offset` and two strides. A freshly built matrix
 * is column-major (LAPACK order): element (i, j) lives at `offset + i + j * ld`, where the
 * leading dimension `ld` is at least `rows`. Views share storage: `slice`, `col`, `row`,
 * `colRange`, `rowRange` and `transpose` (which swaps the strides, giving a row-major view)
 * copy nothing. `copy()` makes a compact column-major copy.
 *
 * The class is deliberately small: products and decompositions are functions in other
 * modules (`matmul`, `svd`, ...), so they can be tree-shaken.
 *
 * @example
 * const A = Matrix.from([[1, 2], [3, 4], [5, 6]]);   // 3x2, rows as written
 * A.get(2, 1);             // 6
 * A.transpose().shape;     // [2, 3], a view
 * A.norm('fro');           // 9.539...
 */
export class Matrix {
  /** Backing storage (shared with views). */
  readonly data: FloatArray;
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** Index of element (0, 0) in `data`. */
  readonly offset: number;
  /** Distance in `data` between (i, j) and (i + 1, j). */
  readonly rowStride: number;
  /** Distance in `data` between (i, j) and (i, j + 1). */
  readonly colStride: number;

  /**
   * Wrap existing storage. Most users want {@link Matrix.from}, {@link Matrix.zeros} or
   * {@link Matrix.fromArray}; this constructor checks that every element is inside `data`.
   */
  constructor(
    data: FloatArray,
    rows: number,
    cols: number,
    offset = 0,
    rowStride = 1,
    colStride = Math.max(1, rows),
  ) {
    checkDim(rows, 'rows');
    checkDim(cols, 'cols');
    check(Number.isInteger(offset) && offset >= 0, () => `offset must be a non-negative integer, got ${offset}`);
    check(Number.isInteger(rowStride) && rowStride >= 1, () => `rowStride must be a positive integer, got ${rowStride}`);
    check(Number.isInteger(colStride) && colStride >= 1, () => `colStride must be a positive integer, got ${colStride}`);
    if (rows > 0 && cols > 0) {
      const last = offset + (rows - 1) * rowStride + (cols - 1) * colStride;
      check(last < data.length, () => `a ${rows}x${cols} matrix at offset ${offset} with strides (${rowStride}, ${colStride}) needs ${last + 1} elements, storage has ${data.length}`);
    }
    this.data = data;
    this.rows = rows;
    this.cols = cols;
    this.offset = offset;
    this.rowStride = rowStride;
    this.colStride = colStride;
  }

  // ---------------------------------------------------------------- construction

  /**
   * Build from nested arrays written row by row, as people write matrices.
   * @throws ShapeError when rows have different lengths; InvalidArgumentError when a row is
   *   not an array, or an entry is not a number (a string, boolean, null, undefined, or a
   *   hole in a sparse array), naming its 0-based row and column. NaN and ±Infinity are numbers
   *   and are kept.
   * @example
   * Matrix.from([[1, 2], [3, '4']]); // throws: entry at row 1, column 1 (0-based) is the string '4', not a number
   */
  static from(rows: ArrayLike<ArrayLike<number>>, options: DTypeOptions = {}): Matrix {
    check(isArrayLike(rows), () => `Matrix.from: expected an array of rows, got ${describeValue(rows)}`);
    const m = rows.length;
    for (let i = 0; i < m; i++) {
      const r = rows[i];
      if (!isArrayLike(r)) {
        const what = r === undefined && !(i in rows) ? 'a hole (the array of rows is sparse)' : describeValue(r);
        throw new InvalidArgumentError(`Matrix.from: row ${i} (0-based) is ${what}, not an array of numbers (for a flat array use Matrix.fromArray)`);
      }
    }
    const n = m === 0 ? 0 : rows[0]!.length;
    for (let i = 1; i < m; i++) {
      const len = rows[i]!.length;
      if (len !== n) throw new ShapeError(`Matrix.from: row ${i} has ${len} entries, row 0 has ${n}`);
    }
    const out = Matrix.zeros(m, n, options);
    const d = out.data;
    for (let i = 0; i < m; i++) {
      const r = rows[i]!;
      if (isFloatArray(r)) {
        for (let j = 0; j < n; j++) d[i + j * m] = r[j]!;
        continue;
      }
      for (let j = 0; j < n; j++) {
        const v = r[j];
        if (typeof v !== 'number') throw notANumber('Matrix.from', `entry at row ${i}, column ${j} (0-based)`, r, j);
        d[i + j * m] = v;
      }
    }
    return out;
  }

  /**
   * Build from a flat array holding `rows * cols` numbers in the stated order.
   * @param options.order - `'C'` when `data` is row-major, `'F'` (default) when column-major.
   * @throws ShapeError when `data` does not hold `rows * cols` numbers; InvalidArgumentError
   *   when an element of a plain array is not a number, naming its index and its 0-based
   *   row and column.
   */
  static fromArray(data: ArrayLike<number>, rows: number, cols: number, options: FromArrayOptions = {}): Matrix {
    checkDim(rows, 'rows');
    checkDim(cols, 'cols');
    check(isArrayLike(data), () => `Matrix.fromArray: data must be an array or typed array of numbers, got ${describeValue(data)}`);
    if (data.length !== rows * cols) {
      throw new ShapeError(`Matrix.fromArray: ${rows}x${cols} needs ${rows * cols} numbers, got ${data.length}`);
    }
    const order = options.order ?? 'F';
    check(order === 'F' || order === 'C', () => `Matrix.fromArray: order must be 'F' or 'C', got ${describeValue(order)}`);
    if (!isTypedArray(data)) {
      for (let k = 0; k < data.length; k++) {
        if (typeof data[k] !== 'number') {
          const [i, j] = order === 'F' ? [k % rows, Math.floor(k / rows)] : [Math.floor(k / cols), k % cols];
          throw notANumber('Matrix.fromArray', `element ${k} (row ${i}, column ${j}; 0-based, order '${order}')`, data, k);
        }
      }
    }
    const dtype = options.dtype ?? (data instanceof Float32Array ? 'float32' : 'float64');
    const wrap = options.copy === false && order === 'F' && isFloatArray(data) && dtypeOf(data) === dtype;
    if (wrap) return new Matrix(data, rows, cols);
    const out = allocFloat(dtype, rows * cols);
    if (order === 'F') out.set(data);
    else for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i + j * rows] = data[i * cols + j]!;
    return new Matrix(out, rows, cols);
  }

  /**
   * An `rows` x `cols` matrix of zeros.
   * @throws InvalidArgumentError for a dimension that is not an integer in [0, 2^31);
   *   OutOfMemoryError when rows * cols elements are more than one typed array holds
   *   (2^32), more bytes than the machine has, or the allocation fails.
   * @example
   * Matrix.zeros(1e5, 1e5); // throws OutOfMemoryError: ... needs 8.0e10 bytes (80 GB) ...
   */
  static zeros(rows: number, cols: number, options: DTypeOptions = {}): Matrix {
    checkDim(rows, 'rows');
    checkDim(cols, 'cols');
    const dtype = options.dtype ?? 'float64';
    return new Matrix(allocFloat(dtype, rows * cols, () => `a ${rows} x ${cols} ${dtype} matrix`), rows, cols);
  }

  /** An `rows` x `cols` matrix with every entry equal to `value` (a number; NaN allowed). */
  static full(rows: number, cols: number, value: number, options: DTypeOptions = {}): Matrix {
    check(typeof value === 'number', () => `Matrix.full: value must be a number, got ${describeValue(value)}`);
    const m = Matrix.zeros(rows, cols, options);
    m.data.fill(value);
    return m;
  }

  /** The n x n identity (or the `rows` x `cols` matrix with ones on the main diagonal). */
  static identity(rows: number, cols = rows, options: DTypeOptions = {}): Matrix {
    const m = Matrix.zeros(rows, cols, options);
    for (let i = 0; i < Math.min(rows, cols); i++) m.data[i + i * rows] = 1;
    return m;
  }

  /**
   * Square diagonal matrix with `values` on the diagonal.
   * @throws InvalidArgumentError when an element of a plain array is not a number.
   */
  static diag(values: ArrayLike<number>, options: DTypeOptions = {}): Matrix {
    check(isArrayLike(values), () => `Matrix.diag: values must be an array or typed array of numbers, got ${describeValue(values)}`);
    const n = values.length;
    if (!isTypedArray(values)) {
      for (let k = 0; k < n; k++) if (typeof values[k] !== 'number') throw notANumber('Matrix.diag', `values[${k}] (0-based)`, values, k);
    }
    const m = Matrix.zeros(n, n, options);
    for (let i = 0; i < n; i++) m.data[i + i * n] = values[i]!;
    return m;
  }

  /**
   * Seeded random matrix, filled in column-major order from `rng(seed)` (xoshiro128**), so
   * the same seed gives the same matrix on every platform.
   */
  static random(rows: number, cols: number, options: RandomOptions = {}): Matrix {
    const m = Matrix.zeros(rows, cols, options);
    const r = rng(options.seed ?? 0);
    const d = m.data;
    if ((options.distribution ?? 'uniform') === 'normal') {
      const mean = options.mean ?? 0;
      const std = options.std ?? 1;
      check(typeof mean === 'number' && Number.isFinite(mean), () => `Matrix.random: mean must be a finite number, got ${describeValue(mean)}`);
      check(typeof std === 'number' && Number.isFinite(std) && std >= 0, () => `Matrix.random: std must be a finite number >= 0, got ${describeValue(std)}`);
      for (let i = 0; i < d.length; i++) d[i] = mean + std * r.nextNormal();
    } else {
      const low = options.low ?? 0;
      const high = options.high ?? 1;
      check(typeof low === 'number' && Number.isFinite(low), () => `Matrix.random: low must be a finite number, got ${describeValue(low)}`);
      check(typeof high === 'number' && Number.isFinite(high), () => `Matrix.random: high must be a finite number, got ${describeValue(high)}`);
      check(high >= low, () => `high must be >= low, got low=${low}, high=${high}`);
      for (let i = 0; i < d.length; i++) d[i] = low + (high - low) * r.nextDouble();
    }
    return m;
  }

  // ---------------------------------------------------------------- shape and access

  /** `[rows, cols]`. */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** Number of elements, rows * cols. */
  get size(): number {
    return this.rows * this.cols;
  }

  /** Element type. */
  get dtype(): DType {
    return dtypeOf(this.data);
  }

  /** Leading dimension when column-major (`rowStride === 1`), else the row stride of a row-major view. */
  get ld(): number {
    return this.rowStride === 1 ? this.colStride : this.rowStride;
  }

  /** True when element (i, j) is at `offset + i + j * ld` (LAPACK layout, possibly a sub-block). */
  get isColumnMajor(): boolean {
    return this.rowStride === 1 && this.colStride >= this.rows;
  }

  /** True when the elements fill `data[offset .. offset + size)` in column-major order. */
  get isContiguous(): boolean {
    return this.rowStride === 1 && (this.colStride === this.rows || this.cols <= 1);
  }

  /** Index in `data` of element (i, j); no bounds check. */
  index(i: number, j: number): number {
    return this.offset + i * this.rowStride + j * this.colStride;
  }

  /** Element (i, j). @throws InvalidArgumentError when out of bounds. */
  get(i: number, j: number): number {
    this.checkIndex(i, j);
    return this.data[this.index(i, j)]!;
  }

  /** Set element (i, j) in place (views write through to shared storage). */
  set(i: number, j: number, value: number): this {
    this.checkIndex(i, j);
    this.data[this.index(i, j)] = value;
    return this;
  }

  private checkIndex(i: number, j: number): void {
    if (!(Number.isInteger(i) && i >= 0 && i < this.rows && Number.isInteger(j) && j >= 0 && j < this.cols)) {
      throw new InvalidArgumentError(`index (${i}, ${j}) is outside a ${this.rows}x${this.cols} matrix`);
    }
  }

  // ---------------------------------------------------------------- views

  /** Transpose as a view (no copy): swaps the strides. */
  transpose(): Matrix {
    return new Matrix(this.data, this.cols, this.rows, this.offset, this.colStride, this.rowStride);
  }

  /** Shorthand for {@link Matrix.transpose}. */
  get T(): Matrix {
    return this.transpose();
  }

  /** View of rows [r0, r1) and columns [c0, c1) (half-open, like `Array.slice`). */
  slice(r0: number, r1: number, c0: number, c1: number): Matrix {
    check(
      Number.isInteger(r0) && Number.isInteger(r1) && 0 <= r0 && r0 <= r1 && r1 <= this.rows,
      () => `row range [${r0}, ${r1}) is outside 0..${this.rows}`,
    );
    check(
      Number.isInteger(c0) && Number.isInteger(c1) && 0 <= c0 && c0 <= c1 && c1 <= this.cols,
      () => `column range [${c0}, ${c1}) is outside 0..${this.cols}`,
    );
    const empty = r1 === r0 || c1 === c0;
    return new Matrix(this.data, r1 - r0, c1 - c0, empty ? 0 : this.index(r0, c0), this.rowStride, this.colStride);
  }

  /** View of rows [r0, r1). */
  rowRange(r0: number, r1: number): Matrix {
    return this.slice(r0, r1, 0, this.cols);
  }

  /** View of columns [c0, c1). */
  colRange(c0: number, c1: number): Matrix {
    return this.slice(0, this.rows, c0, c1);
  }

  /** Column j as an n x 1 view. */
  col(j: number): Matrix {
    return this.slice(0, this.rows, j, j + 1);
  }

  /** Row i as a 1 x n view. */
  row(i: number): Matrix {
    return this.slice(i, i + 1, 0, this.cols);
  }

  // ---------------------------------------------------------------- copies and conversion

  /** Compact column-major copy, optionally converted to another dtype. */
  copy(options: DTypeOptions = {}): Matrix {
    const out = Matrix.zeros(this.rows, this.cols, { dtype: options.dtype ?? this.dtype });
    copyInto(this, out);
    return out;
  }

  /** Same values in another dtype (a copy; float64 -> float32 rounds). */
  astype(dtype: DType): Matrix {
    return this.copy({ dtype });
  }

  /** Nested row arrays, as `Matrix.from` takes them. */
  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) {
      const r = new Array<number>(this.cols);
      for (let j = 0; j < this.cols; j++) r[j] = this.data[this.index(i, j)]!;
      out.push(r);
    }
    return out;
  }

  /** Flat copy of the elements in the given order (default `'F'`, column-major). */
  toFlat(order: Order = 'F'): FloatArray {
    const out = allocFloat(this.dtype, this.size);
    const { rows: m, cols: n } = this;
    if (order === 'F') for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) out[i + j * m] = this.data[this.index(i, j)]!;
    else for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = this.data[this.index(i, j)]!;
    return out;
  }

  // ---------------------------------------------------------------- elementwise

  /** New matrix with `fn(value, i, j)` applied to every element. */
  map(fn: (value: number, i: number, j: number) => number): Matrix {
    const out = Matrix.zeros(this.rows, this.cols, { dtype: this.dtype });
    const m = this.rows;
    for (let j = 0; j < this.cols; j++) {
      for (let i = 0; i < m; i++) out.data[i + j * m] = fn(this.data[this.index(i, j)]!, i, j);
    }
    return out;
  }

  /** Elementwise sum `this + other` (a number is broadcast). */
  add(other: Matrix | number): Matrix {
    return this.zip(other, 'add', (a, b) => a + b);
  }

  /** Elementwise difference `this - other`. */
  sub(other: Matrix | number): Matrix {
    return this.zip(other, 'sub', (a, b) => a - b);
  }

  /** Elementwise (Hadamard) product; for the matrix product use `matmul`. */
  mul(other: Matrix | number): Matrix {
    return this.zip(other, 'mul', (a, b) => a * b);
  }

  /** Elementwise quotient. */
  div(other: Matrix | number): Matrix {
    return this.zip(other, 'div', (a, b) => a / b);
  }

  /** `alpha * this`. */
  scale(alpha: number): Matrix {
    return this.map((v) => alpha * v);
  }

  /** `-this`. */
  neg(): Matrix {
    return this.map((v) => -v);
  }

  /** Elementwise absolute value. */
  abs(): Matrix {
    return this.map(Math.abs);
  }

  private zip(other: Matrix | number, op: string, fn: (a: number, b: number) => number): Matrix {
    if (typeof other === 'number') return this.map((v) => fn(v, other));
    if (other.rows !== this.rows || other.cols !== this.cols) {
      throw new ShapeError(`${op}: shapes ${this.rows}x${this.cols} and ${other.rows}x${other.cols} differ`);
    }
    return this.map((v, i, j) => fn(v, other.data[other.index(i, j)]!));
  }

  // ---------------------------------------------------------------- reductions

  /**
   * Matrix norm: `'fro'` Frobenius (default; scaled, so no overflow or underflow for
   * entries near 1e±300), `1` max column sum, `'inf'` max row sum, `'max'` largest |a_ij|.
   * The spectral norm (`2`) needs an SVD and lives with the decompositions.
   */
  norm(kind: MatrixNorm = 'fro'): number {
    const { rows: m, cols: n } = this;
    if (kind === 'fro') {
      // LAPACK dlassq idea: keep sum of squares relative to the running max |a_ij|.
      let scale = 0;
      let ssq = 1;
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < m; i++) {
          const v = this.data[this.index(i, j)]!;
          if (v !== 0) {
            const a = Math.abs(v);
            if (Number.isNaN(a)) return NaN;
            if (scale < a) {
              ssq = 1 + ssq * (scale / a) * (scale / a);
              scale = a;
            } else ssq += (a / scale) * (a / scale);
          }
        }
      }
      return scale * Math.sqrt(ssq);
    }
    if (kind === 'max') {
      let best = 0;
      for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) {
        const a = Math.abs(this.data[this.index(i, j)]!);
        if (!(a <= best)) best = a; // NaN propagates
      }
      return best;
    }
    if (kind === 1 || kind === 'inf') {
      const outer = kind === 1 ? n : m;
      const inner = kind === 1 ? m : n;
      let best = 0;
      for (let a = 0; a < outer; a++) {
        let s = 0;
        for (let b = 0; b < inner; b++) s += Math.abs(this.data[kind === 1 ? this.index(b, a) : this.index(a, b)]!);
        if (!(s <= best)) best = s;
      }
      return best;
    }
    throw new InvalidArgumentError(`norm kind must be 'fro', 1, 'inf' or 'max', got ${String(kind)}`);
  }

  /** Sum of all elements. */
  sum(): number {
    let s = 0;
    for (let j = 0; j < this.cols; j++) for (let i = 0; i < this.rows; i++) s += this.data[this.index(i, j)]!;
    return s;
  }

  /** Smallest element (NaN if any element is NaN; +Infinity when empty). */
  min(): number {
    let best = Infinity;
    for (let j = 0; j < this.cols; j++) for (let i = 0; i < this.rows; i++) {
      const v = this.data[this.index(i, j)]!;
      if (Number.isNaN(v)) return NaN;
      if (v < best) best = v;
    }
    return best;
  }

  /** Largest element (NaN if any element is NaN; -Infinity when empty). */
  max(): number {
    let best = -Infinity;
    for (let j = 0; j < this.cols; j++) for (let i = 0; i < this.rows; i++) {
      const v = this.data[this.index(i, j)]!;
      if (Number.isNaN(v)) return NaN;
      if (v > best) best = v;
    }
    return best;
  }

  /** True when every element is finite (no NaN, no ±Infinity). */
  isFinite(): boolean {
    for (let j = 0; j < this.cols; j++) for (let i = 0; i < this.rows; i++) {
      if (!Number.isFinite(this.data[this.index(i, j)]!)) return false;
    }
    return true;
  }

  /**
   * Same shape and |a_ij - b_ij| <= atol + rtol * |b_ij| for every element (numpy's
   * `allclose`). NaN equals nothing, as in numpy.
   */
  equals(other: Matrix, options: CloseOptions = {}): boolean {
    if (other.rows !== this.rows || other.cols !== this.cols) return false;
    const loose = this.dtype === 'float32' || other.dtype === 'float32';
    const rtol = options.rtol ?? (loose ? 1e-5 : 1e-9);
    const atol = options.atol ?? 0;
    for (let j = 0; j < this.cols; j++) for (let i = 0; i < this.rows; i++) {
      const a = this.data[this.index(i, j)]!;
      const b = other.data[other.index(i, j)]!;
      if (a === b) continue;
      if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- printing

  /**
   * numpy-like text: aligned columns, `%.6g`-style numbers, long dimensions elided with
   * `...` after `edge` rows/columns at each end (default 3 when a side exceeds 10).
   */
  toString(options: { precision?: number; edge?: number } = {}): string {
    const precision = options.precision ?? 6;
    const edge = options.edge ?? 3;
    const head = `Matrix ${this.rows}x${this.cols} ${this.dtype}`;
    if (this.rows === 0 || this.cols === 0) return `${head} []`;
    const pick = (n: number): (number | null)[] => {
      if (n <= 10) return Array.from({ length: n }, (_, k) => k);
      const a: (number | null)[] = [];
      for (let k = 0; k < edge; k++) a.push(k);
      a.push(null);
      for (let k = n - edge; k < n; k++) a.push(k);
      return a;
    };
    const ri = pick(this.rows);
    const ci = pick(this.cols);
    const cells = ri.map((i) => ci.map((j) => (i === null || j === null ? '...' : formatNumber(this.get(i, j), precision))));
    const widths = ci.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)));
    const lines = cells.map((r, k) => {
      if (ri[k] === null) return '  ' + widths.map((w) => '...'.padStart(w)).join('  ');
      return '  ' + r.map((s, c) => s.padStart(widths[c]!)).join('  ');
    });
    return `${head}\n${lines.join('\n')}`;
  }
}

/** Copy the elements of `src` into `dst` (same shape, any strides, any dtypes). */
export function copyInto(src: Matrix, dst: Matrix): void {
  if (src.rows !== dst.rows || src.cols !== dst.cols) {
    throw new ShapeError(`copy: shapes ${src.rows}x${src.cols} and ${dst.rows}x${dst.cols} differ`);
  }
  const { rows: m, cols: n } = src;
  if (m === 0 || n === 0) return;
  if (src.rowStride === 1 && dst.rowStride === 1) {
    for (let j = 0; j < n; j++) {
      const s = src.offset + j * src.colStride;
      dst.data.set(src.data.subarray(s, s + m), dst.offset + j * dst.colStride);
    }
    return;
  }
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) dst.data[dst.index(i, j)] = src.data[src.index(i, j)]!;
}

/** @internal How toString prints a number: `precision` significant digits, nan/inf/-0 as numpy does (Tensor prints the same way). */
export function formatNumber(v: number, precision: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const a = Math.abs(v);
  if (a >= 1e-4 && a < 10 ** precision) return String(Number(v.toPrecision(precision)));
  return v.toExponential(precision - 1).replace(/\.?0+e/, 'e');
}

function checkDim(n: number, name: string): void {
  if (!(Number.isInteger(n) && n >= 0 && n <= 2 ** 31 - 1)) {
    throw new InvalidArgumentError(`${name} must be an integer in [0, 2^31), got ${n}`);
  }
}

function isFloatArray(a: ArrayLike<number>): a is FloatArray {
  return a instanceof Float64Array || a instanceof Float32Array;
}

// Typed arrays hold numbers only (BigInt64Array aside, which the types exclude), so their
// elements need no per-element check.
function isTypedArray(a: ArrayLike<number>): boolean {
  return ArrayBuffer.isView(a) && !(a instanceof DataView) && !(a instanceof BigInt64Array) && !(a instanceof BigUint64Array);
}

/** @internal An object with a `length` that is an integer >= 0 (arrays, typed arrays, array-likes). */
export function isArrayLike(a: unknown): a is ArrayLike<unknown> {
  if (typeof a !== 'object' || a === null) return false;
  const len = (a as { length?: unknown }).length;
  return typeof len === 'number' && Number.isInteger(len) && len >= 0;
}

/** How a non-number reads in a message: the string 'a', the boolean true, null, undefined. */
function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `the string '${v.length > 20 ? v.slice(0, 20) + '...' : v}'`;
  if (typeof v === 'boolean' || typeof v === 'bigint') return `the ${typeof v} ${String(v)}${typeof v === 'bigint' ? 'n' : ''}`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return 'an array';
  return `a${typeof v === 'object' ? 'n object' : ` ${typeof v}`}`;
}

/** The error for `arr[k]`, which is not a number; `where` locates it in the matrix being built. */
function notANumber(routine: string, where: string, arr: ArrayLike<unknown>, k: number): InvalidArgumentError {
  const v = arr[k];
  const what = v === undefined && !(k in (arr as object)) ? 'a hole (the array is sparse)' : describeValue(v);
  return new InvalidArgumentError(`${routine}: ${where} is ${what}, not a number`);
}
