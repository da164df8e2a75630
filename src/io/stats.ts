/**
 * One-pass summary statistics of a matrix's values, as `lowrank info` reports them:
 * NaN and infinity counts, min and max over the non-NaN values, nonzero count and an
 * overflow-safe Frobenius norm.
 */

/** Summary of a set of values. */
export interface ValueStats {
  /** Number of values, rows * cols (implicit zeros of a sparse matrix included). */
  count: number;
  /** Values that are not zero (NaN counts as nonzero). */
  nonzeros: number;
  /** Number of NaN values. */
  nanCount: number;
  /** Number of +Infinity and -Infinity values. */
  infCount: number;
  /** Smallest non-NaN value; undefined when there is none. */
  min: number | undefined;
  /** Largest non-NaN value; undefined when there is none. */
  max: number | undefined;
  /** sqrt(sum of squares): NaN if any value is NaN, else Infinity if any is infinite. */
  frobenius: number;
}

/** Accumulates {@link ValueStats}. */
export class StatsAccumulator {
  private count = 0;
  private nonzeros = 0;
  private nan = 0;
  private inf = 0;
  private min = Infinity;
  private max = -Infinity;
  private seenNumber = false;
  // LAPACK dlassq: sum of squares relative to the running largest |v|, so values near
  // 1e300 or 1e-300 neither overflow nor underflow.
  private scale = 0;
  private ssq = 1;

  /** Add one value. */
  add(v: number): void {
    this.count++;
    if (v !== v) {
      this.nan++;
      this.nonzeros++;
      return;
    }
    this.seenNumber = true;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    if (v === 0) return;
    this.nonzeros++;
    const a = Math.abs(v);
    if (a === Infinity) {
      this.inf++;
      return;
    }
    if (a > this.scale) {
      this.ssq = 1 + this.ssq * (this.scale / a) ** 2;
      this.scale = a;
    } else {
      this.ssq += (a / this.scale) ** 2;
    }
  }

  /** Add `k` zeros at once (the implicit entries of a sparse matrix). */
  addZeros(k: number): void {
    if (k <= 0) return;
    this.count += k;
    this.seenNumber = true;
    if (0 < this.min) this.min = 0;
    if (0 > this.max) this.max = 0;
  }

  /** The statistics so far. */
  result(): ValueStats {
    const frobenius = this.nan > 0 ? NaN : this.inf > 0 ? Infinity : this.scale * Math.sqrt(this.ssq);
    return {
      count: this.count,
      nonzeros: this.nonzeros,
      nanCount: this.nan,
      infCount: this.inf,
      min: this.seenNumber ? this.min : undefined,
      max: this.seenNumber ? this.max : undefined,
      frobenius,
    };
  }
}
