/**
 * ID spaces of ratings tables: the two-way map between external user/item IDs (strings) and
 * dense indices 0..n-1.
 *
 * - {@link mapIdSpace}: arbitrary IDs, stored as arrays of strings plus Maps (what parsers and
 *   `Ratings.fromTriples` build).
 * - {@link sequentialIdSpace}: IDs are the decimal integers base..base+n-1 (synthetic data,
 *   re-indexed tables). Nothing is stored per user or item until someone reads `userIds`,
 *   so a Netflix-scale synthetic table (480k users) costs no strings or Map entries.
 */
import type { IdSpace } from './ratings.js';

/** An IdSpace over explicit ID lists (IDs must be distinct). */
export function mapIdSpace(userIds: readonly string[], itemIds: readonly string[]): IdSpace {
  return { userIds, itemIds, userIndex: indexOf(userIds, 'user'), itemIndex: indexOf(itemIds, 'item') };
}

function indexOf(ids: readonly string[], what: string): Map<string, number> {
  const m = new Map<string, number>();
  for (let k = 0; k < ids.length; k++) {
    if (m.has(ids[k]!)) throw new Error(`duplicate ${what} ID '${ids[k]}'`);
    m.set(ids[k]!, k);
  }
  return m;
}

/**
 * An IdSpace whose user IDs are `String(base + u)` and item IDs `String(base + i)`.
 * Lookups parse the ID (only canonical decimal spellings match: '7' but not '07' or '7.0').
 * @param base - ID of index 0 (default 1, as MovieLens numbers its users and movies).
 */
export function sequentialIdSpace(nUsers: number, nItems: number, base = 1): IdSpace {
  return new SequentialIdSpace(nUsers, nItems, base);
}

class SequentialIdSpace implements IdSpace {
  private users: string[] | undefined;
  private items: string[] | undefined;
  readonly userIndex: ReadonlyMap<string, number>;
  readonly itemIndex: ReadonlyMap<string, number>;
  constructor(
    private readonly nUsers: number,
    private readonly nItems: number,
    private readonly base: number,
  ) {
    this.userIndex = new RangeIndex(nUsers, base);
    this.itemIndex = new RangeIndex(nItems, base);
  }
  get userIds(): readonly string[] {
    this.users ??= rangeStrings(this.nUsers, this.base);
    return this.users;
  }
  get itemIds(): readonly string[] {
    this.items ??= rangeStrings(this.nItems, this.base);
    return this.items;
  }
}

function rangeStrings(n: number, base: number): string[] {
  const out = new Array<string>(n);
  for (let k = 0; k < n; k++) out[k] = String(base + k);
  return out;
}

/** A read-only map from the strings base..base+n-1 to 0..n-1, computed instead of stored. */
class RangeIndex implements ReadonlyMap<string, number> {
  constructor(
    readonly size: number,
    private readonly base: number,
  ) {}
  get(key: string): number | undefined {
    if (typeof key !== 'string' || key.length === 0 || key.length > 16) return undefined;
    const v = Number(key);
    if (!Number.isSafeInteger(v) || String(v) !== key) return undefined;
    const k = v - this.base;
    return k >= 0 && k < this.size ? k : undefined;
  }
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }
  forEach(fn: (value: number, key: string, map: ReadonlyMap<string, number>) => void, thisArg?: unknown): void {
    for (let k = 0; k < this.size; k++) fn.call(thisArg, k, String(this.base + k), this);
  }
  *entries(): MapIterator<[string, number]> {
    for (let k = 0; k < this.size; k++) yield [String(this.base + k), k];
  }
  *keys(): MapIterator<string> {
    for (let k = 0; k < this.size; k++) yield String(this.base + k);
  }
  *values(): MapIterator<number> {
    for (let k = 0; k < this.size; k++) yield k;
  }
  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }
}
