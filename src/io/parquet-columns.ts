/**
 * Columnar tables (Parquet row groups, Arrow record batches) into a {@link Ratings} table or
 * a dense matrix, shared by src/io/parquet.ts and src/io/arrow.ts. The readers hand over one
 * batch of columns at a time; values go straight into preallocated typed arrays (the row
 * count is in the file's metadata), so no per-row object is ever made.
 *
 * Columns are found by name, case-insensitively, as a CSV header's would be: user / userId /
 * user_id, item / itemId / item_id / movieId / movie_id / productId / product_id, rating /
 * score, timestamp (optional), or by `columns` (names or 0-based indices). IDs may be
 * integers (any width: they become their decimal text, so 7 and '7' are the same user, as in
 * a CSV) or strings; ratings and timestamps any numeric type. A null, a non-finite rating, a
 * rating beyond +-{@link MAX_RATING} or a column of the wrong type is a ParseError naming the
 * file, the column and the row.
 */
import { InvalidArgumentError, ParseError } from '../errors.js';
import { MAX_RATING, Ratings } from '../models/recommend/data/ratings.js';
import { mapIdSpace } from '../models/recommend/data/id-space.js';
import { Matrix } from '../matrix/matrix.js';
import type { DType } from '../matrix/dtype.js';
import type { ReadRatingsOptions, RatingsColumn } from './ratings.js';

/** What a column holds, as far as ratings and matrices care. */
export type ColumnKind = 'integer' | 'float' | 'string' | 'timestamp' | 'other';

/** A top-level column of a columnar file. */
export interface ColumnInfo {
  /** Name in the file. */
  name: string;
  /** What it holds. */
  kind: ColumnKind;
  /** The file's own name for the type (for messages): 'INT32', 'Utf8', 'list<float>'. */
  type: string;
}

/** One batch (row group or record batch): the values of each requested column, by name. */
export type ColumnBatch = ReadonlyMap<string, ArrayLike<unknown>>;

/** Header names accepted for each field when `columns` does not say (case-insensitive). */
export const RATINGS_COLUMN_NAMES = {
  user: ['user', 'userid', 'user_id'],
  item: ['item', 'itemid', 'item_id', 'movieid', 'movie_id', 'productid', 'product_id'],
  rating: ['rating', 'score'],
  timestamp: ['timestamp'],
} as const;

interface Resolved {
  user: ColumnInfo;
  item: ColumnInfo;
  rating: ColumnInfo | undefined;
  timestamp: ColumnInfo | undefined;
}

const INT_TABLE_MAX = 1 << 24;

/** Dense indices of IDs in order of first appearance (small non-negative integers through a table, the rest through a Map). */
class IdIndex {
  readonly ids: string[] = [];
  private table = new Int32Array(1024);
  private readonly map = new Map<string, number>();
  ofInt(v: number): number {
    if (v >= 0 && v < INT_TABLE_MAX && Number.isInteger(v)) {
      if (v >= this.table.length) {
        let n = this.table.length;
        while (n <= v) n *= 2;
        const t = new Int32Array(Math.min(n, INT_TABLE_MAX));
        t.set(this.table);
        this.table = t;
      }
      const k = this.table[v]!;
      if (k !== 0) return k - 1;
      const idx = this.ids.length;
      this.ids.push(String(v));
      this.table[v] = idx + 1;
      return idx;
    }
    return this.ofString(String(v));
  }
  ofString(s: string): number {
    let k = this.map.get(s);
    if (k === undefined) {
      k = this.ids.length;
      this.ids.push(s);
      this.map.set(s, k);
    }
    return k;
  }
}

/**
 * Builds a {@link Ratings} table from batches of columns: construct with the file's columns
 * (it resolves which ones hold what), read {@link ColumnarRatingsBuilder.columns} from the
 * file batch by batch, {@link ColumnarRatingsBuilder.push} each, then {@link ColumnarRatingsBuilder.end}.
 */
export class ColumnarRatingsBuilder {
  private readonly r: Resolved;
  private users: Int32Array;
  private items: Int32Array;
  private values: Float32Array;
  private times: Float64Array | undefined;
  private n = 0;
  private readonly userIds = new IdIndex();
  private readonly itemIds = new IdIndex();

  /**
   * @param file - name for messages.
   * @param schema - the file's top-level columns.
   * @param options - `columns` (names or indices) as for text ratings; other text options are ignored.
   * @param rows - total rows the file declares (used to size the arrays; checked as batches arrive).
   * @throws ParseError when a needed column is missing or has the wrong type.
   */
  constructor(
    private readonly file: string,
    schema: readonly ColumnInfo[],
    options: ReadRatingsOptions,
    private readonly rows: number,
  ) {
    this.r = resolveRatingsColumns(file, schema, options.columns);
    if (!(Number.isSafeInteger(rows) && rows >= 0 && rows < 2 ** 31)) throw new ParseError(file, {}, `declares ${rows} rows; at most 2^31 - 1 ratings can be read`);
    this.users = new Int32Array(rows);
    this.items = new Int32Array(rows);
    this.values = new Float32Array(rows);
    if (this.r.timestamp) this.times = new Float64Array(rows);
  }

  /** Names of the columns to read from each batch. */
  get columns(): string[] {
    const { user, item, rating, timestamp } = this.r;
    return [user, item, rating, timestamp].filter((c): c is ColumnInfo => c !== undefined).map((c) => c.name);
  }

  /** Ratings read so far. */
  get count(): number {
    return this.n;
  }

  /**
   * Append a batch of `rows` rows (every column of {@link columns} present, each with `rows` values).
   * @throws ParseError on a null, a bad value, or more rows than the file declared.
   */
  push(batch: ColumnBatch, rows: number): void {
    const at = this.n;
    if (at + rows > this.rows) throw new ParseError(this.file, {}, `holds more rows than its metadata declares (${this.rows})`);
    const { user, item, rating, timestamp } = this.r;
    const col = (c: ColumnInfo): ArrayLike<unknown> => {
      const v = batch.get(c.name);
      if (v === undefined || v.length < rows) throw new ParseError(this.file, {}, `column '${c.name}': a batch holds ${v?.length ?? 0} values for ${rows} rows`);
      return v;
    };
    this.ids(col(user), rows, at, this.users, this.userIds, user);
    this.ids(col(item), rows, at, this.items, this.itemIds, item);
    if (rating) {
      const v = col(rating);
      const out = this.values;
      for (let k = 0; k < rows; k++) {
        const x = this.num(v[k], rating, at + k);
        if (!Number.isFinite(x)) this.bad(rating, at + k, `rating ${x} is not a finite number`);
        if (Math.abs(x) > MAX_RATING) this.bad(rating, at + k, `rating ${x} is beyond +-${MAX_RATING.toExponential().replace('e+', 'e')}, the largest rating magnitude accepted`);
        out[at + k] = x;
      }
    } else {
      this.values.fill(1, at, at + rows);
    }
    if (timestamp) {
      const v = col(timestamp);
      const out = this.times!;
      for (let k = 0; k < rows; k++) {
        const x = this.num(v[k], timestamp, at + k);
        if (!Number.isFinite(x)) this.bad(timestamp, at + k, `timestamp ${x} is not a finite number`);
        out[at + k] = x;
      }
    }
    this.n = at + rows;
  }

  /**
   * The table. `rows` declared by the file must all have arrived.
   * @throws ParseError when fewer rows arrived than declared or none at all.
   */
  end(): Ratings {
    if (this.n !== this.rows) throw new ParseError(this.file, {}, `holds ${this.n} rows; its metadata declares ${this.rows}`);
    if (this.n === 0) throw new ParseError(this.file, {}, 'no ratings: the table has no rows');
    return new Ratings(mapIdSpace(this.userIds.ids, this.itemIds.ids), this.users, this.items, this.values, this.times);
  }

  private bad(c: ColumnInfo, row: number, what: string): never {
    throw new ParseError(this.file, {}, `column '${c.name}', row ${row + 1}: ${what}`);
  }

  private num(x: unknown, c: ColumnInfo, row: number): number {
    if (typeof x === 'number') return x;
    if (typeof x === 'bigint') return Number(x);
    if (x instanceof Date) return x.getTime() / 1000;
    if (x === null || x === undefined) this.bad(c, row, 'null (ratings cannot have missing values; drop or fill them first)');
    return this.bad(c, row, `holds ${typeof x}, expected a number`);
  }

  private ids(v: ArrayLike<unknown>, rows: number, at: number, out: Int32Array, index: IdIndex, c: ColumnInfo): void {
    if (v instanceof Int32Array || v instanceof Uint32Array || v instanceof Uint8Array || v instanceof Uint16Array || v instanceof Int16Array || v instanceof Int8Array) {
      for (let k = 0; k < rows; k++) out[at + k] = index.ofInt(v[k]!);
      return;
    }
    for (let k = 0; k < rows; k++) {
      const x = v[k];
      if (typeof x === 'number') {
        if (!Number.isInteger(x)) this.bad(c, at + k, `ID ${x} is not an integer (IDs must be integers or strings)`);
        out[at + k] = index.ofInt(x);
      } else if (typeof x === 'string') {
        const s = x.trim();
        if (s === '') this.bad(c, at + k, 'empty ID');
        out[at + k] = index.ofString(s);
      } else if (typeof x === 'bigint') {
        out[at + k] = x >= 0n && x < BigInt(INT_TABLE_MAX) ? index.ofInt(Number(x)) : index.ofString(x.toString());
      } else if (x === null || x === undefined) {
        this.bad(c, at + k, 'null ID');
      } else {
        this.bad(c, at + k, `holds ${typeof x}, expected an integer or string ID`);
      }
    }
  }
}

/** Which columns hold user, item, rating and timestamp (see the module comment). */
function resolveRatingsColumns(file: string, schema: readonly ColumnInfo[], columns: ReadRatingsOptions['columns']): Resolved {
  const cols = columns ?? {};
  const list = schema.map((c) => c.name).join(', ');
  const find = (given: RatingsColumn | undefined, names: readonly string[], what: string, required: boolean): ColumnInfo | undefined => {
    if (given !== undefined) {
      if (typeof given === 'number') {
        if (!(Number.isInteger(given) && given >= 0)) throw new InvalidArgumentError(`columns.${what} must be an index >= 0 or a column name, got ${given}`);
        const c = schema[given];
        if (!c) throw new ParseError(file, {}, `no column ${given} for the ${what}: the table has ${schema.length} columns (${list})`);
        return c;
      }
      const c = schema.find((s) => s.name.toLowerCase() === given.toLowerCase());
      if (!c) throw new ParseError(file, {}, `no column named '${given}' for the ${what} (columns: ${list})`);
      return c;
    }
    const c = schema.find((s) => names.includes(s.name.toLowerCase()));
    if (!c && required) throw new ParseError(file, {}, `no ${what} column: looked for ${names.join(', ')} (columns: ${list}); name it with columns.${what} (CLI: rename the column)`);
    return c;
  };
  const user = find(cols.user, RATINGS_COLUMN_NAMES.user, 'user', true)!;
  const item = find(cols.item, RATINGS_COLUMN_NAMES.item, 'item', true)!;
  const rating = cols.rating === null ? undefined : find(cols.rating ?? undefined, RATINGS_COLUMN_NAMES.rating, 'rating', true);
  const timestamp = cols.timestamp === null ? undefined : find(cols.timestamp ?? undefined, RATINGS_COLUMN_NAMES.timestamp, 'timestamp', cols.timestamp !== undefined);
  const used = [user, item, rating, timestamp].filter((c): c is ColumnInfo => c !== undefined);
  if (new Set(used.map((c) => c.name)).size !== used.length) throw new InvalidArgumentError(`columns must be distinct, got user '${user.name}', item '${item.name}', rating '${rating?.name}', timestamp '${timestamp?.name}'`);
  for (const c of [user, item]) {
    if (c.kind !== 'integer' && c.kind !== 'string') throw new ParseError(file, {}, `column '${c.name}' holds ${c.type} values; user and item IDs must be integers or strings`);
  }
  if (rating && rating.kind !== 'integer' && rating.kind !== 'float') throw new ParseError(file, {}, `column '${rating.name}' holds ${rating.type} values; ratings must be numbers`);
  if (timestamp && timestamp.kind === 'string') throw new ParseError(file, {}, `column '${timestamp.name}' holds ${timestamp.type} values; timestamps must be numbers or timestamps`);
  if (timestamp && timestamp.kind === 'other') throw new ParseError(file, {}, `column '${timestamp.name}' holds ${timestamp.type} values; timestamps must be numbers or timestamps`);
  return { user, item, rating, timestamp };
}

/**
 * Builds a dense matrix (rows x numeric columns) from batches: every column must be numeric
 * (integer or float) and null-free; `columns` picks a subset by name.
 */
export class ColumnarMatrixBuilder {
  private readonly picked: ColumnInfo[];
  private readonly data: Float64Array | Float32Array;
  private n = 0;

  /**
   * @throws ParseError on a non-numeric column (naming it) or a table without columns.
   */
  constructor(
    private readonly file: string,
    schema: readonly ColumnInfo[],
    private readonly rows: number,
    columns: readonly string[] | undefined,
    dtype: DType = 'float64',
  ) {
    const picked = columns ? columns.map((name) => schema.find((c) => c.name === name) ?? fail(file, `no column named '${name}' (columns: ${schema.map((c) => c.name).join(', ')})`)) : [...schema];
    if (picked.length === 0) throw new ParseError(file, {}, 'the table has no columns');
    for (const c of picked) if (c.kind !== 'integer' && c.kind !== 'float') throw new ParseError(file, {}, `column '${c.name}' holds ${c.type} values; a matrix needs numeric columns (pick some with columns)`);
    if (!(Number.isSafeInteger(rows) && rows >= 0 && rows * picked.length < 2 ** 31)) throw new ParseError(file, {}, `declares ${rows} rows x ${picked.length} columns, too large for a dense matrix`);
    this.picked = picked;
    this.data = dtype === 'float32' ? new Float32Array(rows * picked.length) : new Float64Array(rows * picked.length);
  }

  /** Names of the columns to read. */
  get columns(): string[] {
    return this.picked.map((c) => c.name);
  }

  /** Append a batch of `rows` rows. @throws ParseError on a null or non-numeric value. */
  push(batch: ColumnBatch, rows: number): void {
    if (this.n + rows > this.rows) throw new ParseError(this.file, {}, `holds more rows than its metadata declares (${this.rows})`);
    const m = this.rows;
    this.picked.forEach((c, j) => {
      const v = batch.get(c.name);
      if (!v || v.length < rows) throw new ParseError(this.file, {}, `column '${c.name}': a batch holds ${v?.length ?? 0} values for ${rows} rows`);
      const off = j * m + this.n; // column-major
      for (let k = 0; k < rows; k++) {
        const x = v[k];
        const y = typeof x === 'number' ? x : typeof x === 'bigint' ? Number(x) : undefined;
        if (y === undefined) throw new ParseError(this.file, {}, `column '${c.name}', row ${this.n + k + 1}: ${x === null || x === undefined ? 'null (a matrix cannot have missing values)' : `holds ${typeof x}, expected a number`}`);
        this.data[off + k] = y;
      }
    });
    this.n += rows;
  }

  /** The matrix (column-major, rows x columns) and its column names. */
  end(): { matrix: Matrix; columnNames: string[] } {
    if (this.n !== this.rows) throw new ParseError(this.file, {}, `holds ${this.n} rows; its metadata declares ${this.rows}`);
    return { matrix: new Matrix(this.data, this.rows, this.picked.length), columnNames: this.columns };
  }
}

function fail(file: string, msg: string): never {
  throw new ParseError(file, {}, msg);
}
