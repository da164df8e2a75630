/**
 * Append-only typed arrays. Readers of text formats collect values into these instead of
 * allocating what a header *claims*: a size line promising 10^12 entries must cost nothing
 * until the entries are really there.
 */

type TypedArrayOf<T> = T extends 'f64' ? Float64Array : Int32Array;

/** A growable Float64Array or Int32Array; `view()` returns the filled prefix. */
export class Growable<K extends 'f64' | 'i32'> {
  private buf: TypedArrayOf<K>;
  /** Number of values appended so far. */
  length = 0;

  /**
   * @param kind - `'f64'` or `'i32'`.
   * @param capacity - initial capacity; callers pass min(claimed size, what the input's
   *   byte length can hold), so a lying header cannot trigger a large allocation.
   */
  constructor(
    private readonly kind: K,
    capacity = 1024,
  ) {
    this.buf = this.alloc(Math.max(16, Math.floor(capacity)));
  }

  private alloc(n: number): TypedArrayOf<K> {
    return (this.kind === 'f64' ? new Float64Array(n) : new Int32Array(n)) as TypedArrayOf<K>;
  }

  /** Append one value. */
  push(v: number): void {
    if (this.length === this.buf.length) {
      // Grow by 1.5x rather than 2x: the final copy in `view()`'s callers is the peak.
      const next = this.alloc(Math.ceil(this.buf.length * 1.5) + 16);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  /** The values appended so far; shares storage while the capacity fits exactly. */
  view(): TypedArrayOf<K> {
    return (this.length === this.buf.length ? this.buf : this.buf.subarray(0, this.length)) as TypedArrayOf<K>;
  }

  /**
   * The values appended so far in a compact array of their own: copied unless they fill at
   * least 7/8 of the storage, which is then shared (a reader that preallocated what its
   * header declared, say a Matrix Market file whose diagonal entries are not mirrored, saves
   * copying hundreds of megabytes for a few unused slots).
   */
  take(): TypedArrayOf<K> {
    const n = this.length;
    if (n === this.buf.length) return this.buf;
    return (n >= this.buf.length - (this.buf.length >> 3) ? this.buf.subarray(0, n) : this.buf.slice(0, n)) as TypedArrayOf<K>;
  }
}
