/**
 * Ratings: (user, item, value[, timestamp]) triples stored compactly, with string or integer
 * IDs mapped to dense indices 0..nUsers-1 and 0..nItems-1 and back. Subsets (train/test
 * splits, filters) share their parent's ID maps, so an index means the same user or item in
 * every part of a split.
 */
import { InvalidArgumentError, ShapeError } from '../../../errors.js';
import { mapIdSpace, sequentialIdSpace } from './id-space.js';

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

/** Summary of a count distribution (ratings per user or per item, over those with at least one). */
export interface CountSummary {
  /** Smallest count (NaN when there are none). */
  readonly min: number;
  /** Quartiles with linear interpolation between order statistics (numpy's default 'linear' method). */
  readonly q25: number;
  /** Median count. */
  readonly median: number;
  /** Third quartile. */
  readonly q75: number;
  /** Largest count. */
  readonly max: number;
  /** Mean count (NaN when there are none). */
  readonly mean: number;
}

/** What {@link Ratings.stats} reports. */
export interface RatingsStats {
  /** Number of ratings. */
  readonly ratings: number;
  /** Users with at least one rating (the ID space may hold more: see nUsers). */
  readonly users: number;
  /** Items with at least one rating. */
  readonly items: number;
  /** Size of the ID space (users/items of the whole table this one shares IDs with). */
  readonly nUsers: number;
  /** Size of the item ID space. */
  readonly nItems: number;
  /** ratings / (users * items), over the users and items that have ratings (0 when empty). */
  readonly density: number;
  /** Smallest, largest and mean rating, and the population standard deviation (NaN when empty). */
  readonly min: number;
  /** Largest rating. */
  readonly max: number;
  /** Mean rating. */
  readonly mean: number;
  /** Population standard deviation of the ratings. */
  readonly std: number;
  /** Number of distinct rating values. */
  readonly distinctValues: number;
  /** The distinct values in ascending order (the rating scale, e.g. [1,2,3,4,5]) when there are at most 32 of them, else undefined. */
  readonly scale: readonly number[] | undefined;
  /** Ratings per user, over users with at least one. */
  readonly perUser: CountSummary;
  /** Ratings per item, over items with at least one. */
  readonly perItem: CountSummary;
  /** Earliest and latest timestamp, when the table has timestamps. */
  readonly timeRange: readonly [number, number] | undefined;
}

/** Options of {@link Ratings.filter}. */
export interface FilterOptions {
  /** Keep users with at least this many ratings (default 1). */
  minUserRatings?: number;
  /** Keep items with at least this many ratings (default 1). */
  minItemRatings?: number;
  /**
   * Repeat until both conditions hold at once (default true): dropping an item can push a user
   * below the threshold and vice versa. The fixed point is the (minUser, minItem)-core of the
   * bipartite rating graph. With false, one pass on the original counts.
   */
  iterate?: boolean;
  /** Re-index the result to the users and items it still has (default false: same ID space). */
  compact?: boolean;
}

/** External-ID triples, as returned by {@link Ratings.toTriples}. */
export interface RatingTriples {
  /** External user ID of each rating. */
  readonly users: string[];
  /** External item ID of each rating. */
  readonly items: string[];
  /** Rating values, in the same order. */
  readonly values: Float32Array;
  /** Timestamp of each rating, or undefined when the table has none. */
  readonly timestamps: Float64Array | undefined;
}

/** Options of {@link Ratings.fromTriples}. */
export interface FromTriplesOptions {
  /** One timestamp per rating (seconds or any monotone clock), used by time splits. */
  timestamps?: ArrayLike<number>;
}

/**
 * Largest accepted rating magnitude: |rating| <= 1e12. Ratings are stored as float32 and
 * the models square and sum them (losses, RMSE, ALS normal equations): at 1e12 a squared
 * error summed over a billion ratings is 1e33, still inside float32's 3.4e38, while a
 * rating like 1e308 is Infinity in float32 and yields a model file that cannot be loaded.
 * No rating scale comes near it (counts of plays or seconds watched stay below 1e10).
 */
export const MAX_RATING = 1e12;

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
    // Sizes from the index maps: a sequential IdSpace computes them without materializing IDs.
    const nu = ids.userIndex.size;
    const ni = ids.itemIndex.size;
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
      if (Math.abs(x) > MAX_RATING) throw new InvalidArgumentError(`Ratings.fromTriples: rating ${r} is ${x}; ratings must be within +-${MAX_RATING} (stored as float32, squared and summed by every model)`);
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
    return this.ids.userIndex.size;
  }

  /** Items in the ID space (including items with no rating in this subset). */
  get nItems(): number {
    return this.ids.itemIndex.size;
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

  /** External ID of user index u. @throws InvalidArgumentError when u is out of range. */
  userId(u: number): string {
    if (!(Number.isInteger(u) && u >= 0 && u < this.nUsers)) throw new InvalidArgumentError(`userId: user index ${u} outside 0..${this.nUsers - 1}`);
    return this.ids.userIds[u]!;
  }

  /** External ID of item index i. @throws InvalidArgumentError when i is out of range. */
  itemId(i: number): string {
    if (!(Number.isInteger(i) && i >= 0 && i < this.nItems)) throw new InvalidArgumentError(`itemId: item index ${i} outside 0..${this.nItems - 1}`);
    return this.ids.itemIds[i]!;
  }

  /** Index of an external user ID (numbers are compared as their string form), or undefined if unknown. */
  userIndexOf(id: string | number): number | undefined {
    return this.ids.userIndex.get(String(id));
  }

  /** Index of an external item ID, or undefined if unknown. */
  itemIndexOf(id: string | number): number | undefined {
    return this.ids.itemIndex.get(String(id));
  }

  /** The ratings as external-ID triples (new arrays; O(size) strings, so for moderate sizes). */
  toTriples(): RatingTriples {
    const n = this.size;
    const uIds = this.ids.userIds;
    const iIds = this.ids.itemIds;
    const users = new Array<string>(n);
    const items = new Array<string>(n);
    for (let r = 0; r < n; r++) {
      users[r] = uIds[this.users[r]!]!;
      items[r] = iIds[this.items[r]!]!;
    }
    return { users, items, values: this.values.slice(), timestamps: this.timestamps?.slice() };
  }

  /**
   * Summary statistics: sizes, density, value range and scale, per-user and per-item counts.
   * O(size + nUsers log nUsers + nItems log nItems).
   */
  stats(): RatingsStats {
    const n = this.size;
    const cu = countsOf(this.users, this.nUsers);
    const ci = countsOf(this.items, this.nItems);
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let r = 0; r < n; r++) {
      const v = this.values[r]!;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    const mean = n > 0 ? sum / n : NaN;
    let ss = 0;
    for (let r = 0; r < n; r++) {
      const d = this.values[r]! - mean;
      ss += d * d;
    }
    const distinct = new Set<number>();
    for (let r = 0; r < n && distinct.size <= 4096; r++) distinct.add(this.values[r]!);
    // Past 4096 the count is only a lower bound; finish it exactly on a sorted copy.
    const distinctValues = distinct.size <= 4096 ? distinct.size : countDistinct(this.values);
    const perUser = summarize(cu);
    const perItem = summarize(ci);
    let timeRange: [number, number] | undefined;
    if (this.timestamps && n > 0) {
      let t0 = Infinity;
      let t1 = -Infinity;
      for (let r = 0; r < n; r++) {
        const t = this.timestamps[r]!;
        if (t < t0) t0 = t;
        if (t > t1) t1 = t;
      }
      timeRange = [t0, t1];
    }
    const users = perUser.count;
    const items = perItem.count;
    return {
      ratings: n,
      users,
      items,
      nUsers: this.nUsers,
      nItems: this.nItems,
      density: n > 0 ? n / (users * items) : 0,
      min: n > 0 ? min : NaN,
      max: n > 0 ? max : NaN,
      mean,
      std: n > 0 ? Math.sqrt(ss / n) : NaN,
      distinctValues,
      scale: distinctValues <= 32 ? [...distinct].sort((a, b) => a - b) : undefined,
      perUser: perUser.summary,
      perItem: perItem.summary,
      timeRange,
    };
  }

  /**
   * Keep users with at least `minUserRatings` ratings and items with at least
   * `minItemRatings` (by default repeated to a fixed point: the k-core). Returns a subset in
   * the same ID space, or with `compact: true` a re-indexed table (see {@link compact}).
   * O(size) per pass; the number of passes is small in practice.
   */
  filter(options: FilterOptions = {}): Ratings {
    const minU = options.minUserRatings ?? 1;
    const minI = options.minItemRatings ?? 1;
    for (const [name, v] of [['minUserRatings', minU], ['minItemRatings', minI]] as const) {
      if (!(Number.isSafeInteger(v) && v >= 0)) throw new InvalidArgumentError(`filter: ${name} must be an integer >= 0, got ${v}`);
    }
    const n = this.size;
    const keep = new Uint8Array(n).fill(1);
    let kept = n;
    for (;;) {
      const cu = new Int32Array(this.nUsers);
      const ci = new Int32Array(this.nItems);
      for (let r = 0; r < n; r++) {
        if (keep[r] === 0) continue;
        cu[this.users[r]!]!++;
        ci[this.items[r]!]!++;
      }
      let dropped = 0;
      for (let r = 0; r < n; r++) {
        if (keep[r] === 1 && (cu[this.users[r]!]! < minU || ci[this.items[r]!]! < minI)) {
          keep[r] = 0;
          dropped++;
        }
      }
      kept -= dropped;
      if (dropped === 0 || options.iterate === false || kept === 0) break;
    }
    const positions = new Int32Array(kept);
    for (let r = 0, k = 0; r < n; r++) if (keep[r] === 1) positions[k++] = r;
    const out = this.subset(positions);
    return options.compact ? out.compact() : out;
  }

  /**
   * The same ratings re-indexed to the users and items that have at least one rating here,
   * keeping their relative index order and their external IDs. The result has its own ID
   * space (so it no longer lines up with its parent's subsets). O(size + nUsers + nItems).
   */
  compact(): Ratings {
    const remap = (idx: Int32Array, nIds: number, ids: readonly string[]): { out: Int32Array; kept: string[] } => {
      const map = new Int32Array(nIds).fill(-1);
      for (let r = 0; r < idx.length; r++) map[idx[r]!] = 0;
      const kept: string[] = [];
      for (let k = 0; k < nIds; k++) {
        if (map[k] === 0) {
          map[k] = kept.length;
          kept.push(ids[k]!);
        }
      }
      const out = new Int32Array(idx.length);
      for (let r = 0; r < idx.length; r++) out[r] = map[idx[r]!]!;
      return { out, kept };
    };
    const u = remap(this.users, this.nUsers, this.ids.userIds);
    const i = remap(this.items, this.nItems, this.ids.itemIds);
    return new Ratings(mapIdSpace(u.kept, i.kept), u.out, i.out, this.values.slice(), this.timestamps?.slice());
  }

  /**
   * Concatenate tables. Parts sharing this table's ID space are joined index for index;
   * other parts are mapped by external ID, new IDs being appended after this table's (so the
   * result's ID space extends this one's: index u is still the same user). Timestamps are kept
   * when every part has them. Duplicate (user, item) pairs are kept as they are.
   */
  concat(...others: Ratings[]): Ratings {
    const parts: Ratings[] = [this, ...others];
    const total = parts.reduce((a, p) => a + p.size, 0);
    const sameSpace = others.every((p) => p.ids === this.ids);
    let ids: IdSpace = this.ids;
    let userIds: string[] | undefined;
    let itemIds: string[] | undefined;
    let userIndex: Map<string, number> | undefined;
    let itemIndex: Map<string, number> | undefined;
    if (!sameSpace) {
      userIds = [...this.ids.userIds];
      itemIds = [...this.ids.itemIds];
      userIndex = new Map(userIds.map((id, k) => [id, k]));
      itemIndex = new Map(itemIds.map((id, k) => [id, k]));
    }
    const users = new Int32Array(total);
    const items = new Int32Array(total);
    const values = new Float32Array(total);
    const withTime = parts.every((p) => p.timestamps !== undefined);
    const timestamps = withTime ? new Float64Array(total) : undefined;
    let at = 0;
    for (const p of parts) {
      if (p.ids === this.ids) {
        users.set(p.users, at);
        items.set(p.items, at);
      } else {
        const um = p.ids.userIds.map((id) => intern(id, userIds!, userIndex!));
        const im = p.ids.itemIds.map((id) => intern(id, itemIds!, itemIndex!));
        for (let r = 0; r < p.size; r++) {
          users[at + r] = um[p.users[r]!]!;
          items[at + r] = im[p.items[r]!]!;
        }
      }
      values.set(p.values, at);
      if (timestamps) timestamps.set(p.timestamps!, at);
      at += p.size;
    }
    if (!sameSpace) ids = { userIds: userIds!, itemIds: itemIds!, userIndex: userIndex!, itemIndex: itemIndex! };
    return new Ratings(ids, users, items, values, timestamps);
  }

  /**
   * Wrap dense integer indices whose IDs are the decimal numbers base..base+n-1 (no per-user
   * storage; see `sequentialIdSpace`). Arrays are used without copying.
   */
  static fromIndices(
    nUsers: number, nItems: number, users: Int32Array, items: Int32Array, values: Float32Array, options: { timestamps?: Float64Array; base?: number } = {},
  ): Ratings {
    for (let r = 0; r < values.length; r++) {
      const x = values[r]!;
      // One comparison catches NaN (false), Infinity and magnitudes past MAX_RATING.
      if (!(Math.abs(x) <= MAX_RATING)) throw new InvalidArgumentError(`Ratings.fromIndices: rating ${r} is ${x}; ratings must be finite and within +-${MAX_RATING}`);
    }
    return new Ratings(sequentialIdSpace(nUsers, nItems, options.base ?? 0), users, items, values, options.timestamps);
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

function countsOf(idx: Int32Array, n: number): Int32Array {
  const c = new Int32Array(n);
  for (let r = 0; r < idx.length; r++) c[idx[r]!]!++;
  return c;
}

function countDistinct(values: Float32Array): number {
  const s = values.slice().sort();
  let d = s.length > 0 ? 1 : 0;
  for (let k = 1; k < s.length; k++) if (s[k] !== s[k - 1]) d++;
  return d;
}

// Summary of the nonzero counts; quantiles interpolate linearly (numpy's default).
function summarize(counts: Int32Array): { count: number; summary: CountSummary } {
  let m = 0;
  for (let k = 0; k < counts.length; k++) if (counts[k]! > 0) m++;
  const nz = new Int32Array(m);
  let sum = 0;
  for (let k = 0, j = 0; k < counts.length; k++) {
    if (counts[k]! > 0) {
      nz[j++] = counts[k]!;
      sum += counts[k]!;
    }
  }
  nz.sort();
  const q = (p: number): number => {
    if (m === 0) return NaN;
    const x = p * (m - 1);
    const lo = Math.floor(x);
    const hi = Math.min(lo + 1, m - 1);
    return nz[lo]! + (x - lo) * (nz[hi]! - nz[lo]!);
  };
  return { count: m, summary: { min: q(0), q25: q(0.25), median: q(0.5), q75: q(0.75), max: q(1), mean: m > 0 ? sum / m : NaN } };
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
