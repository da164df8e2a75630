/**
 * Ratings: (user, item, value[, timestamp]) triples stored compactly, with string or integer
 * IDs mapped to dense indices 0..nUsers-1 and 0..nItems-1 and back. Subsets (train/test
 * splits, filters) share their parent's ID maps, so an index means the same user or item in
 * every part of a split.
 */
import { InvalidArgumentError, ShapeError } from '../../errors.js';

/** Compressed rows of a ratings table: the entries of row r are positions indptr[r]..indptr[r+1]-1. */
export interface RatingsCsr {
  /** Row starts, length rows + 1. */
  readonly indptr: Int32Array;
  /** Column index of each entry (the item for by-user, the user for by-item), ascending in a row. */
  readonly indices: Int32Array;
  /** Rating of each entry. */
  readonly values: Float32Array;
  /** Position of each entry in the Ratings arrays. */
  readonly positions: Int32Array;
}

/** The ID space shared by a ratings table and all its subsets. */
export interface IdSpace {
  /** External user ID of each user index. */
  readonly userIds: readonly string[];
  /** External item ID of each item index. */
  readonly itemIds: readonly string[];
  /** User index of each external ID. */
  readonly userIndex: ReadonlyMap<string, number>;
  /** Item index of each external ID. */
  readonly itemIndex: ReadonlyMap<string, number>;
}

/** Options of {@link Ratings.fromTriples}. */
export interface FromTriplesOptions {
  /** One timestamp per rating (seconds or any monotone clock), used by time splits. */
  timestamps?: ArrayLike<number>;
}

/** A table of observed ratings. */
export class Ratings {
  /** User index of each rating. */
  readonly users: Int32Array;
  /** Item index of each rating. */
  readonly items: Int32Array;
  /** Value of each rating. */
  readonly values: Float32Array;
  /** Timestamp of each rating, when the source had them. */
  readonly timestamps: Float64Array | undefined;
  /** ID maps, shared with every subset of this table. */
  readonly ids: IdSpace;
  private csrUser: RatingsCsr | undefined;
  private csrItem: RatingsCsr | undefined;

  /**
   * Wrap arrays (no copy). Indices must lie in the ID space.
   * @throws ShapeError when the arrays differ in length; InvalidArgumentError on an index out of range.
   */
  constructor(ids: IdSpace, users: Int32Array, items: Int32Array, values: Float32Array, timestamps?: Float64Array) {
    const n = users.length;
    if (items.length !== n || values.length !== n || (timestamps && timestamps.length !== n)) {
      throw new ShapeError(`Ratings: users (${n}), items (${items.length}), values (${values.length})${timestamps ? ` and timestamps (${timestamps.length})` : ''} must have the same length`);
    }
    const nu = ids.userIds.length;
    const ni = ids.itemIds.length;
    for (let r = 0; r < n; r++) {
      const u = users[r]!;
      const i = items[r]!;
      if (!(u >= 0 && u < nu)) throw new InvalidArgumentError(`Ratings: rating ${r} has user index ${u}, outside 0..${nu - 1}`);
      if (!(i >= 0 && i < ni)) throw new InvalidArgumentError(`Ratings: rating ${r} has item index ${i}, outside 0..${ni - 1}`);
    }
    this.ids = ids;
    this.users = users;
    this.items = items;
    this.values = values;
    this.timestamps = timestamps;
  }

  /**
   * Build from parallel arrays of external IDs and values. IDs are compared as strings
   * (so 7 and '7' are the same user); indices follow first appearance.
   */
  static fromTriples(
    users: ArrayLike<string | number>, items: ArrayLike<string | number>, values: ArrayLike<number>, options: FromTriplesOptions = {},
  ): Ratings {
    const n = users.length;
    if (items.length !== n || values.length !== n) {
      throw new ShapeError(`Ratings.fromTriples: ${n} users, ${items.length} items and ${values.length} values`);
    }
    const userIds: string[] = [];
    const itemIds: string[] = [];
    const userIndex = new Map<string, number>();
    const itemIndex = new Map<string, number>();
    const u = new Int32Array(n);
    const it = new Int32Array(n);
    const v = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      u[r] = intern(String(users[r]), userIds, userIndex);
      it[r] = intern(String(items[r]), itemIds, itemIndex);
      const x = values[r]!;
      if (!Number.isFinite(x)) throw new InvalidArgumentError(`Ratings.fromTriples: rating ${r} is ${x}; ratings must be finite numbers`);
      v[r] = x;
    }
    const ts = options.timestamps ? Float64Array.from(options.timestamps) : undefined;
    return new Ratings({ userIds, itemIds, userIndex, itemIndex }, u, it, v, ts);
  }

  /** Number of ratings. */
  get size(): number {
    return this.values.length;
  }

  /** Users in the ID space (including users with no rating in this subset). */
  get nUsers(): number {
    return this.ids.userIds.length;
  }

  /** Items in the ID space (including items with no rating in this subset). */
  get nItems(): number {
    return this.ids.itemIds.length;
  }

  /** The ratings at the given positions, in the same ID space (copies the arrays). */
  subset(positions: ArrayLike<number>): Ratings {
    const n = positions.length;
    const u = new Int32Array(n);
    const it = new Int32Array(n);
    const v = new Float32Array(n);
    const ts = this.timestamps ? new Float64Array(n) : undefined;
    for (let r = 0; r < n; r++) {
      const p = positions[r]!;
      if (!(Number.isInteger(p) && p >= 0 && p < this.size)) throw new InvalidArgumentError(`subset: position ${p} outside 0..${this.size - 1}`);
      u[r] = this.users[p]!;
      it[r] = this.items[p]!;
      v[r] = this.values[p]!;
      if (ts) ts[r] = this.timestamps![p]!;
    }
    return new Ratings(this.ids, u, it, v, ts);
  }

  /** Ratings grouped by user (rows = users, indices = items), built once and cached. */
  byUser(): RatingsCsr {
    this.csrUser ??= compress(this.users, this.items, this.values, this.nUsers);
    return this.csrUser;
  }

  /** Ratings grouped by item (rows = items, indices = users), built once and cached. */
  byItem(): RatingsCsr {
    this.csrItem ??= compress(this.items, this.users, this.values, this.nItems);
    return this.csrItem;
  }
}

function intern(id: string, list: string[], index: Map<string, number>): number {
  let k = index.get(id);
  if (k === undefined) {
    k = list.length;
    list.push(id);
    index.set(id, k);
  }
  return k;
}

// Counting sort by row, then by column inside each row (two stable passes), O(n + rows + cols).
function compress(rows: Int32Array, cols: Int32Array, values: Float32Array, nRows: number): RatingsCsr {
  const n = rows.length;
  let nCols = 0;
  for (let r = 0; r < n; r++) if (cols[r]! + 1 > nCols) nCols = cols[r]! + 1;
  const byCol = countingOrder(cols, nCols, null);
  const order = countingOrder(rows, nRows, byCol.order);
  const indices = new Int32Array(n);
  const vals = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const p = order.order[k]!;
    indices[k] = cols[p]!;
    vals[k] = values[p]!;
  }
  return { indptr: order.starts, indices, values: vals, positions: order.order };
}

// Stable counting sort of positions (in the order `within`, or 0..n-1) by key.
function countingOrder(keys: Int32Array, nKeys: number, within: Int32Array | null): { order: Int32Array; starts: Int32Array } {
  const n = keys.length;
  const starts = new Int32Array(nKeys + 1);
  for (let r = 0; r < n; r++) starts[keys[r]! + 1]!++;
  for (let k = 0; k < nKeys; k++) starts[k + 1] = starts[k + 1]! + starts[k]!;
  const next = starts.slice(0, nKeys);
  const order = new Int32Array(n);
  for (let q = 0; q < n; q++) {
    const p = within ? within[q]! : q;
    order[next[keys[p]!]!++] = p;
  }
  return { order, starts };
}
