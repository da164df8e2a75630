/**
 * What CSR and CSC matrices share: the three compressed arrays (Saad, "Iterative Methods for
 * Sparse Linear Systems", 2nd ed., §3.4), read along rows (CSR) or along columns (CSC), with
 * the shape and the canonical flag, validated once here for both. Internal to src/sparse:
 * `CsrMatrix` and `CscMatrix` are the public classes.
 */
import type { DType, FloatArray } from '../matrix/dtype.js';
import { checkDtype, cooToCompressed, validateCompressed, type CompressedArrays } from './build.js';
import type { FromCooOptions } from './csr.js';
import { TRUSTED, type Trusted } from './internal.js';

/** 'CSR': indptr runs over rows, indices are column numbers; 'CSC': the other way round. */
export type CompressedFormat = 'CSR' | 'CSC';

/** Base of `CsrMatrix` and `CscMatrix`: the arrays, the shape and what follows from them. */
export abstract class CompressedMatrix {
  /**
   * Offsets of the compressed dimension (rows for CSR, columns for CSC): slice i occupies
   * [indptr[i], indptr[i+1]) of indices/data. Length rows + 1 (CSR) or cols + 1 (CSC).
   */
  readonly indptr: Int32Array;
  /** Index along the other dimension of each stored value (its column in CSR, its row in CSC). */
  readonly indices: Int32Array;
  /** Stored values. */
  readonly data: FloatArray;
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** `[rows, cols]`. */
  readonly shape: readonly [number, number];
  /**
   * True when the indices strictly increase within every slice (sorted, no duplicates):
   * scipy's `has_canonical_format`. Matrices built by `fromCoo` (default), `fromDense`,
   * `random`, `toCsr` and `toCsc` are canonical.
   */
  readonly canonical: boolean;

  /**
   * Wrap the arrays (no copy), validated in O(nnz) unless `internal` vouches for them:
   * lengths, indptr monotone from 0 to nnz, indices in range, values finite.
   */
  protected constructor(
    format: CompressedFormat, indptr: Int32Array, indices: Int32Array, data: FloatArray,
    rows: number, cols: number, internal: Trusted | undefined,
  ) {
    const [major, minor] = format === 'CSR' ? [rows, cols] : [cols, rows];
    this.canonical = internal?.token === TRUSTED ? internal.canonical : validateCompressed(indptr, indices, data, major, minor, format);
    this.indptr = indptr;
    this.indices = indices;
    this.data = data;
    this.rows = rows;
    this.cols = cols;
    this.shape = Object.freeze([rows, cols] as [number, number]);
  }

  /** Number of stored entries (explicit zeros and duplicates included). */
  get nnz(): number {
    return this.indices.length;
  }

  /** Element type of the values (and of product results). */
  get dtype(): DType {
    return this.data instanceof Float32Array ? 'float32' : 'float64';
  }

  /** Fraction of stored entries, nnz / (rows cols) (0 for an empty shape). */
  get density(): number {
    const size = this.rows * this.cols;
    return size === 0 ? 0 : this.nnz / size;
  }
}

/**
 * The compressed arrays of a rows x cols matrix in `format` from COO triples, with the
 * defaults of {@link FromCooOptions} (float64, duplicates summed): what `CsrMatrix.fromCoo`
 * and `CscMatrix.fromCoo` build on.
 */
export function compressCoo(
  format: CompressedFormat, row: ArrayLike<number>, col: ArrayLike<number>, values: ArrayLike<number> | number,
  rows: number, cols: number, options: FromCooOptions,
): CompressedArrays {
  const dtype = checkDtype(options.dtype ?? 'float64');
  const sum = options.sumDuplicates ?? true;
  return format === 'CSR'
    ? cooToCompressed(row, col, values, rows, cols, dtype, sum, ['row', 'column'])
    : cooToCompressed(col, row, values, cols, rows, dtype, sum, ['column', 'row']);
}
