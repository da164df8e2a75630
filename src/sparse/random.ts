/**
 * Random sparse matrices in CSR form, generated row by row without sorting.
 *
 * Every entry is nonzero independently with probability `density` (a Bernoulli pattern, as
 * in Erdős–Rényi graphs), so the positions are uniform and nnz is Binomial(rows cols,
 * density) — within a few sqrt(rows cols density) of density rows cols. Within a row the
 * gaps between successive nonzero columns are Geometric(density) and are drawn directly
 * (gap = floor(log U / log(1 - density)), Devroye 1986, "Non-Uniform Random Variate
 * Generation", ch. X.2), so the cost is O(nnz + rows) and column indices come out sorted.
 * scipy.sparse.random instead draws exactly round(density rows cols) positions (which needs
 * a sort); the two agree in distribution up to the count.
 */
import { InvalidArgumentError } from '../errors.js';
import { allocFloat, type DType, type FloatArray } from '../matrix/dtype.js';
import { allocIndex } from '../matrix/memory.js';
import { rng, type RandomState } from '../random.js';
import { checkDim } from './build.js';

/** Options of `CsrMatrix.random` / `CscMatrix.random`. */
export interface SparseRandomOptions {
  /** Seed or generator; default seed 0. */
  seed?: RandomState;
  /** Element type; default 'float64'. */
  dtype?: DType;
  /** Values: 'uniform' on [low, high) (default [0, 1), as scipy) or 'normal' N(mean, std^2). */
  distribution?: 'uniform' | 'normal';
  /** Uniform: lower bound (inclusive); default 0. */
  low?: number;
  /** Uniform: upper bound (exclusive); default 1. */
  high?: number;
  /** Normal: mean; default 0. */
  mean?: number;
  /** Normal: standard deviation; default 1. */
  std?: number;
}

/** CSR arrays of a random rows x cols matrix (see the module comment). */
export function randomCsrArrays(rows: number, cols: number, density: number, options: SparseRandomOptions): { indptr: Int32Array; indices: Int32Array; data: FloatArray } {
  checkDim(rows, 'rows');
  checkDim(cols, 'cols');
  if (!(density >= 0 && density <= 1)) throw new InvalidArgumentError(`density must be in [0, 1], got ${density}`);
  const dtype = options.dtype ?? 'float64';
  const r = rng(options.seed ?? 0);
  const normal = (options.distribution ?? 'uniform') === 'normal';
  if (options.distribution !== undefined && options.distribution !== 'uniform' && options.distribution !== 'normal') {
    throw new InvalidArgumentError(`distribution must be 'uniform' or 'normal', got '${String(options.distribution)}'`);
  }
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  if (!(high >= low)) throw new InvalidArgumentError(`high must be >= low, got low=${low}, high=${high}`);
  if (!(std >= 0)) throw new InvalidArgumentError(`std must be >= 0, got ${std}`);
  const total = rows * cols;
  const expected = total * density;
  if (expected > 2 ** 31 - 1 - 1e6) throw new InvalidArgumentError(`a ${rows}x${cols} matrix of density ${density} would hold about ${expected} nonzeros; at most 2^31 - 1 are supported`);
  // Room for the expected count plus 6 standard deviations; grown if ever exceeded.
  let cap = Math.min(total, Math.ceil(expected + 6 * Math.sqrt(expected * (1 - density)) + 16));
  let indices = new Int32Array(cap);
  let data = allocFloat(dtype, cap);
  const indptr = allocIndex(rows + 1, () => `the ${rows + 1} row pointers of a sparse matrix`);
  const invLogQ = density > 0 && density < 1 ? 1 / Math.log1p(-density) : 0;
  let nnz = 0;
  const span = high - low;
  for (let i = 0; i < rows; i++) {
    if (density > 0) {
      let j = -1;
      for (;;) {
        if (density === 1) j++;
        else {
          // U in (0, 1] from 32 random bits (ample for a gap length): log U <= 0, gap >= 0.
          // Math.log may differ from engine to engine in the last bit, which could change
          // the floor only when the quotient lies within ~1e-16 of an integer: the pattern
          // is the same everywhere for all practical purposes, and this is 3x faster than
          // the bit-exact detLog.
          const u = (r.nextUint32() + 1) * 2.3283064365386963e-10;
          const gap = Math.floor(Math.log(u) * invLogQ);
          j += 1 + gap;
        }
        if (j >= cols) break;
        if (nnz === cap) {
          cap = Math.min(total, Math.ceil(cap * 1.25) + 16);
          const ni = new Int32Array(cap);
          ni.set(indices);
          indices = ni;
          const nd = allocFloat(dtype, cap);
          nd.set(data);
          data = nd;
        }
        indices[nnz] = j;
        data[nnz] = normal ? mean + std * r.nextNormal() : low + span * r.nextDouble();
        nnz++;
      }
    }
    indptr[i + 1] = nnz;
  }
  return { indptr, indices: indices.slice(0, nnz), data: data.slice(0, nnz) };
}
