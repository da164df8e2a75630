/**
 * Building compressed-row arrays: validation of user-supplied CSR arrays and COO (triples)
 * to CSR conversion. Internal to src/sparse (the classes expose these as static methods).
 */
import { InvalidArgumentError, NonFiniteInputError, ShapeError } from '../errors.js';
import { allocFloat, type DType, type FloatArray } from '../matrix/dtype.js';
import { allocIndex } from '../matrix/memory.js';

/** The three arrays of a compressed-row (or, read the other way, compressed-column) matrix. */
export interface CompressedArrays {
  indptr: Int32Array;
  indices: Int32Array;
  data: FloatArray;
  /** Column indices strictly increase within every row (sorted, no duplicates). */
  canonical: boolean;
}

const MAX_DIM = 2 ** 31 - 1;

/** Check a dimension (`rows`, `cols`): an integer in [0, 2^31). */
export function checkDim(n: number, name: string): void {
  if (!(Number.isInteger(n) && n >= 0 && n <= MAX_DIM)) {
    throw new InvalidArgumentError(`${name} must be an integer in [0, 2^31), got ${n}`);
  }
}

/** Check a dtype argument. */
export function checkDtype(dtype: unknown): DType {
  if (dtype !== 'float64' && dtype !== 'float32') throw new InvalidArgumentError(`dtype must be 'float64' or 'float32', got '${String(dtype)}'`);
  return dtype;
}

/**
 * Validate CSR arrays for a `major` x `minor` matrix (rows x cols for CSR, cols x rows for
 * CSC) and report whether they are canonical. O(nnz).
 * @param what - 'CSR' or 'CSC', for messages.
 * @throws ShapeError for inconsistent lengths, InvalidArgumentError for a bad indptr or an
 *   index out of range, NonFiniteInputError for NaN or infinite values.
 */
export function validateCompressed(
  indptr: Int32Array, indices: Int32Array, data: FloatArray, major: number, minor: number, what: 'CSR' | 'CSC',
): boolean {
  const [majorName, minorName] = what === 'CSR' ? ['row', 'column'] : ['column', 'row'];
  checkDim(major, `${majorName}s`);
  checkDim(minor, `${minorName}s`);
  if (!(indptr instanceof Int32Array) || !(indices instanceof Int32Array)) {
    throw new InvalidArgumentError(`${what}: indptr and indices must be Int32Arrays`);
  }
  if (!(data instanceof Float64Array || data instanceof Float32Array)) {
    throw new InvalidArgumentError(`${what}: data must be a Float64Array or a Float32Array`);
  }
  if (indptr.length !== major + 1) {
    throw new ShapeError(`${what}: indptr has ${indptr.length} entries, a matrix with ${major} ${majorName}s needs ${major + 1}`);
  }
  if (indices.length !== data.length) {
    throw new ShapeError(`${what}: indices has ${indices.length} entries but data has ${data.length}`);
  }
  const nnz = data.length;
  if (indptr[0] !== 0) throw new InvalidArgumentError(`${what}: indptr[0] must be 0, got ${indptr[0]}`);
  if (indptr[major] !== nnz) throw new InvalidArgumentError(`${what}: indptr[${major}] must equal nnz = ${nnz}, got ${indptr[major]}`);
  let canonical = true;
  for (let i = 0; i < major; i++) {
    const k0 = indptr[i]!;
    const k1 = indptr[i + 1]!;
    if (k1 < k0) throw new InvalidArgumentError(`${what}: indptr decreases at ${majorName} ${i} (${k0} then ${k1})`);
    let prev = -1;
    for (let k = k0; k < k1; k++) {
      const j = indices[k]!;
      if (j < 0 || j >= minor) throw new InvalidArgumentError(`${what}: ${minorName} index ${j} at position ${k} is outside [0, ${minor})`);
      if (j <= prev) canonical = false;
      prev = j;
    }
  }
  checkFinite(data, what);
  return canonical;
}

/** @throws NonFiniteInputError naming the first NaN or infinite value. */
export function checkFinite(values: ArrayLike<number>, what: string): void {
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!Number.isFinite(v)) {
      throw new NonFiniteInputError(`${what}: value ${k} is ${v}; sparse matrices must hold finite numbers`);
    }
  }
}

/**
 * COO triples (`major[k]`, `minor[k]`, `values[k]`) to compressed arrays with sorted minor
 * indices in every major slice; duplicates are summed when `sumDuplicates` (scipy's
 * `coo_matrix.tocsr()`), else kept in input order. Explicit zeros are kept, as in scipy.
 *
 * Algorithm: when the triples are already sorted by (major, minor), one counting pass;
 * otherwise one scatter into the major slices and a stable sort of each unsorted slice
 * (insertion sort up to 64 entries, else a native sort of packed keys), O(nnz log(slice length)). Sums are formed in float64 and then
 * rounded to `dtype`.
 */
export function cooToCompressed(
  major: ArrayLike<number>, minor: ArrayLike<number>, values: ArrayLike<number> | number,
  nMajor: number, nMinor: number, dtype: DType, sumDuplicates: boolean, names: [string, string],
): CompressedArrays {
  checkDim(nMajor, `${names[0]}s`);
  checkDim(nMinor, `${names[1]}s`);
  const nnz = major.length;
  if (minor.length !== nnz) throw new ShapeError(`fromCoo: ${major.length} ${names[0]} indices but ${minor.length} ${names[1]} indices`);
  if (typeof values !== 'number' && values.length !== nnz) throw new ShapeError(`fromCoo: ${nnz} index pairs but ${values.length} values`);
  // Typed arrays first, so the hot loops below each see one array type (V8 keeps them fast).
  // Inputs are never modified: the sorted path copies them before merging in place.
  const I = toIndex(major, nMajor, names[0]);
  const J = toIndex(minor, nMinor, names[1]);
  const V = toValues(values, nnz);
  const { indptr, indices, vals } = lexSorted(I, J)
    ? { indptr: countPointers(I, nMajor), indices: J === minor ? J.slice() : J, vals: V === values ? V.slice() : V }
    : scatterSort(I, J, V, nMajor);
  let canonical = true;
  let outIndices = indices;
  let outVals = vals;
  if (sumDuplicates) {
    const w = mergeDuplicates(indptr, indices, vals, nMajor);
    if (w < nnz) {
      outIndices = indices.slice(0, w);
      outVals = vals.subarray(0, w);
    }
  } else {
    canonical = !hasDuplicates(indptr, indices, nMajor);
  }
  const data = allocFloat(dtype, outVals.length);
  data.set(outVals);
  return { indptr, indices: outIndices, data, canonical };
}

/** The indices as an Int32Array (the input itself when it is one; never modified), each checked in [0, n). */
function toIndex(a: ArrayLike<number>, n: number, name: string): Int32Array {
  if (a instanceof Int32Array) {
    for (let k = 0; k < a.length; k++) {
      const v = a[k]!;
      if (v < 0 || v >= n) throw new InvalidArgumentError(`fromCoo: ${name} index ${v} at position ${k} is outside [0, ${n})`);
    }
    return a;
  }
  const out = new Int32Array(a.length);
  for (let k = 0; k < a.length; k++) {
    const v = a[k]!;
    if (!(Number.isInteger(v) && v >= 0 && v < n)) {
      throw new InvalidArgumentError(`fromCoo: ${name} index ${v} at position ${k} is outside [0, ${n})`);
    }
    out[k] = v;
  }
  return out;
}

/** The values as a Float64Array (the input itself when it is one; never modified; a constant is broadcast), checked finite. */
function toValues(values: ArrayLike<number> | number, nnz: number): Float64Array {
  if (typeof values === 'number') {
    if (!Number.isFinite(values)) throw new NonFiniteInputError(`fromCoo: the value ${values} is not finite`);
    return new Float64Array(nnz).fill(values);
  }
  const out = values instanceof Float64Array ? values : Float64Array.from(values as ArrayLike<number>);
  for (let k = 0; k < nnz; k++) {
    const v = out[k]!;
    // v - v is NaN exactly for NaN and ±Infinity.
    if (v - v !== 0) throw new NonFiniteInputError(`fromCoo: value ${k} is ${v}; sparse matrices must hold finite numbers`);
  }
  return out;
}

/** True when the pairs are sorted by (I, J). */
function lexSorted(I: Int32Array, J: Int32Array): boolean {
  for (let k = 1; k < I.length; k++) {
    const a = I[k - 1]!;
    const b = I[k]!;
    if (b < a || (b === a && J[k]! < J[k - 1]!)) return false;
  }
  return true;
}

/** Prefix sums of the counts of each index: indptr of sorted indices. */
function countPointers(I: Int32Array, n: number): Int32Array {
  // n + 1 pointers follow the dimension, not the entries: a huge declared shape shows here.
  const indptr = allocIndex(n + 1, () => `the ${n + 1} row or column pointers of a sparse matrix`);
  for (let k = 0; k < I.length; k++) indptr[I[k]! + 1]!++;
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i + 1]! + indptr[i]!;
  return indptr;
}

/**
 * Scatter the triples into their major slices (one pass, as scipy's coo_tocsr), then sort
 * each slice by minor index where needed; slices are short and sorted in cache. Stable, so
 * duplicates keep their input order.
 */
function scatterSort(
  I: Int32Array, J: Int32Array, V: Float64Array, nMajor: number,
): { indptr: Int32Array; indices: Int32Array; vals: Float64Array } {
  const nnz = I.length;
  const indptr = countPointers(I, nMajor);
  const next = indptr.slice(0, nMajor);
  const indices = new Int32Array(nnz);
  const vals = new Float64Array(nnz);
  for (let k = 0; k < nnz; k++) {
    const i = I[k]!;
    const q = next[i]!;
    indices[q] = J[k]!;
    vals[q] = V[k]!;
    next[i] = q + 1;
  }
  let keys = new Float64Array(64);
  let tmpV = new Float64Array(64);
  let tmpI: Int32Array | undefined;
  for (let i = 0; i < nMajor; i++) {
    const k0 = indptr[i]!;
    const k1 = indptr[i + 1]!;
    const len = k1 - k0;
    let sorted = true;
    for (let k = k0 + 1; k < k1; k++) if (indices[k]! < indices[k - 1]!) { sorted = false; break; }
    if (sorted) continue;
    if (len <= 64) insertionSort(indices, vals, k0, k1);
    else if (len < POS_LIMIT) {
      if (keys.length < len) {
        keys = new Float64Array(2 * len);
        tmpV = new Float64Array(2 * len);
      }
      packedSort(indices, vals, k0, k1, keys.subarray(0, len), tmpV);
    } else {
      if (!tmpI || tmpI.length < len) tmpI = new Int32Array(len);
      if (tmpV.length < len) tmpV = new Float64Array(len);
      mergeSort(indices, vals, k0, k1, tmpI, tmpV);
    }
  }
  return { indptr, indices, vals };
}

// Slices shorter than 2^21 are sorted through keys column * 2^21 + position, exact in a
// double (31 + 21 bits < 53): one native typed-array sort (C++, no comparator) per slice,
// stable because equal columns are ordered by position.
const POS_LIMIT = 2 ** 21;

function packedSort(key: Int32Array, val: Float64Array, k0: number, k1: number, keys: Float64Array, tmpV: Float64Array): void {
  const len = k1 - k0;
  for (let t = 0; t < len; t++) {
    keys[t] = key[k0 + t]! * POS_LIMIT + t;
    tmpV[t] = val[k0 + t]!;
  }
  keys.sort();
  for (let t = 0; t < len; t++) {
    const c = keys[t]!;
    const j = Math.floor(c / POS_LIMIT);
    key[k0 + t] = j;
    val[k0 + t] = tmpV[c - j * POS_LIMIT]!;
  }
}

/** Stable insertion sort of the pairs (key[k], val[k]) for k in [k0, k1) by key. */
function insertionSort(key: Int32Array, val: Float64Array, k0: number, k1: number): void {
  for (let k = k0 + 1; k < k1; k++) {
    const c = key[k]!;
    const v = val[k]!;
    let q = k - 1;
    while (q >= k0 && key[q]! > c) {
      key[q + 1] = key[q]!;
      val[q + 1] = val[q]!;
      q--;
    }
    key[q + 1] = c;
    val[q + 1] = v;
  }
}

/** Stable bottom-up merge sort of the pairs in [k0, k1) by key, runs of 32 insertion-sorted first. */
function mergeSort(key: Int32Array, val: Float64Array, k0: number, k1: number, tk: Int32Array, tv: Float64Array): void {
  const n = k1 - k0;
  for (let a = k0; a < k1; a += 32) insertionSort(key, val, a, Math.min(a + 32, k1));
  // Ping-pong between the row (offset k0) and the scratch (offset 0).
  let srcK = key;
  let srcV = val;
  let so = k0;
  let dstK = tk;
  let dstV = tv;
  let dO = 0;
  for (let w = 32; w < n; w *= 2) {
    for (let a = 0; a < n; a += 2 * w) {
      const mid = Math.min(a + w, n);
      const end = Math.min(a + 2 * w, n);
      let l = a;
      let r = mid;
      let o = a;
      while (l < mid && r < end) {
        if (srcK[so + r]! < srcK[so + l]!) {
          dstK[dO + o] = srcK[so + r]!;
          dstV[dO + o] = srcV[so + r]!;
          r++;
        } else {
          dstK[dO + o] = srcK[so + l]!;
          dstV[dO + o] = srcV[so + l]!;
          l++;
        }
        o++;
      }
      for (; l < mid; l++, o++) {
        dstK[dO + o] = srcK[so + l]!;
        dstV[dO + o] = srcV[so + l]!;
      }
      for (; r < end; r++, o++) {
        dstK[dO + o] = srcK[so + r]!;
        dstV[dO + o] = srcV[so + r]!;
      }
    }
    [srcK, dstK] = [dstK, srcK];
    [srcV, dstV] = [dstV, srcV];
    [so, dO] = [dO, so];
  }
  if (srcK !== key) {
    key.set(srcK.subarray(so, so + n), k0);
    val.set(srcV.subarray(so, so + n), k0);
  }
}

/** Sum runs of equal minor index inside each major slice, compacting in place; returns the new nnz. */
function mergeDuplicates(indptr: Int32Array, indices: Int32Array, vals: Float64Array, nMajor: number): number {
  let w = 0;
  let start = 0;
  for (let i = 0; i < nMajor; i++) {
    const end = indptr[i + 1]!;
    for (let k = start; k < end; k++) {
      const j = indices[k]!;
      if (k > start && j === indices[w - 1]!) vals[w - 1] = vals[w - 1]! + vals[k]!;
      else {
        indices[w] = j;
        vals[w] = vals[k]!;
        w++;
      }
    }
    start = end;
    indptr[i + 1] = w;
  }
  return w;
}

function hasDuplicates(indptr: Int32Array, indices: Int32Array, nMajor: number): boolean {
  for (let i = 0; i < nMajor; i++) {
    for (let k = indptr[i]! + 1; k < indptr[i + 1]!; k++) if (indices[k] === indices[k - 1]) return true;
  }
  return false;
}

/**
 * Transpose compressed arrays (CSR of A -> CSR of A^T, i.e. CSR -> CSC of the same matrix)
 * by one counting sort: O(nnz + major + minor). Minor indices of the result come out sorted
 * (major slices are traversed in order); duplicates stay duplicates.
 */
export function transposeCompressed(indptr: Int32Array, indices: Int32Array, data: FloatArray, nMajor: number, nMinor: number): { indptr: Int32Array; indices: Int32Array; data: FloatArray } {
  const nnz = indices.length;
  const tp = allocIndex(nMinor + 1, () => `the ${nMinor + 1} pointers of a transposed sparse matrix`);
  for (let k = 0; k < nnz; k++) tp[indices[k]! + 1]!++;
  for (let j = 0; j < nMinor; j++) tp[j + 1] = tp[j + 1]! + tp[j]!;
  const next = tp.slice(0, nMinor);
  const ti = new Int32Array(nnz);
  const td = allocFloat(data instanceof Float32Array ? 'float32' : 'float64', nnz);
  for (let i = 0; i < nMajor; i++) {
    const k1 = indptr[i + 1]!;
    for (let k = indptr[i]!; k < k1; k++) {
      const j = indices[k]!;
      const q = next[j]!;
      ti[q] = i;
      td[q] = data[k]!;
      next[j] = q + 1;
    }
  }
  return { indptr: tp, indices: ti, data: td };
}
