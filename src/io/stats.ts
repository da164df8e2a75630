/**
 * One-pass summary statistics of a matrix's values, as `lowrank info` reports them:
 * NaN and infinity counts, min and max over the non-NaN values, nonzero count and an
 * overflow-safe Frobenius norm.
 */
import { STATS_WASM_BASE64 } from './generated/stats-wasm.js';

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
    this.mergeSquares(a, 1);
  }

  /**
   * Merge a sum of squares given as scale^2 * ssq into the running one (LAPACK dlassq's
   * update): one value a is (a, 1).
   */
  private mergeSquares(scale: number, ssq: number): void {
    if (scale > this.scale) {
      this.ssq = ssq + this.ssq * (this.scale / scale) ** 2;
      this.scale = scale;
    } else {
      this.ssq += ssq * (scale / this.scale) ** 2;
    }
  }

  /**
   * Add every value of `a`: the same statistics as {@link add} on each, in one tight pass
   * (about 50x faster than calling `add` per value on a large array). The sum of squares is
   * accumulated unscaled when the largest magnitude of `a` lies in [2^-500, 2^500], where
   * no square or sum of up to 2^20 squares can overflow and the squares that underflow are
   * below 2^-1074 of the largest; other arrays take dlassq's scaled sum. Either way `a`'s
   * (scale, ssq) pair is merged into the running one as in LAPACK dlassq.
   *
   * The pass is a small WebAssembly function (assembly/stats-scan.ts, built into
   * src/io/generated/stats-wasm.ts by npm run build:wasm): min, max, nonzero count and
   * the squares summed 256 at a time, the block sums then added (a two-level sum: rounding error growing with
   * 256 + n / 256, not n); a block whose sum is not finite is scanned again counting NaN and
   * infinities. An array that lies in {@link statsBuffer}'s memory is read where it is;
   * another is copied in, 64 Ki values at a time.
   */
  addArray(a: Float64Array | Float32Array): void {
    const n = a.length;
    if (n > 1 << 20) {
      // Keep the unscaled sums within the bound above.
      for (let k = 0; k < n; k += 1 << 20) this.addArray(a.subarray(k, Math.min(n, k + (1 << 20))));
      return;
    }
    const k = scanKernel();
    const f32 = a instanceof Float32Array;
    const scan = f32 ? k.scan32 : k.scan64;
    let totals = new Float64Array(k.memory.buffer, 0, 7);
    totals.set([this.min, this.max, 0, 0, 0, 0, 0]);
    if (a.buffer === k.memory.buffer) scan(a.byteOffset, n);
    else {
      const step = Math.min(n, COPY_VALUES);
      const into = statsBuffer(step * a.BYTES_PER_ELEMENT);
      const to = f32 ? new Float32Array(into.buffer, into.byteOffset, step) : new Float64Array(into.buffer, into.byteOffset, step);
      for (let i = 0; i < n; i += step) {
        const m = Math.min(step, n - i);
        to.set(a.subarray(i, i + m));
        scan(into.byteOffset, m);
      }
      totals = new Float64Array(k.memory.buffer, 0, 7); // the memory may have grown
    }
    const [min, max, nonzeros, nan, inf, amax, sum] = totals as unknown as [number, number, number, number, number, number, number];
    this.count += n;
    this.nan += nan;
    this.inf += inf;
    this.nonzeros += nonzeros + nan;
    this.min = min;
    this.max = max;
    if (nan < n) this.seenNumber = true;
    if (amax === 0) return;
    let ssq: number;
    if (amax >= 2 ** -500 && amax <= 2 ** 500) ssq = sum / amax / amax;
    else {
      ssq = 0;
      for (let k = 0; k < n; k++) {
        const x = Math.abs(a[k]!);
        if (x !== 0 && x !== Infinity && x === x) ssq += (x / amax) ** 2;
      }
    }
    this.mergeSquares(amax, ssq);
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

/** The scan module's exports (assembly/stats-scan.ts). */
interface ScanKernel {
  memory: WebAssembly.Memory;
  scan64(ptr: number, n: number): void;
  scan32(ptr: number, n: number): void;
}

/** Byte offset of the data in the scan's memory; bytes 0..55 hold the running totals. */
const DATA_OFFSET = 64;
/** Values copied into the scan's memory at a time by addArray (a multiple of the 256-value block). */
const COPY_VALUES = 1 << 16;

let kernel: ScanKernel | undefined;

/** The scan module, compiled and instantiated on first use (a few hundred bytes: well under a millisecond). */
function scanKernel(): ScanKernel {
  if (!kernel) {
    const bytes = Uint8Array.from(atob(STATS_WASM_BASE64), (c) => c.charCodeAt(0));
    kernel = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as ScanKernel;
  }
  return kernel;
}

/**
 * A buffer of `bytes` bytes inside the statistics scan's memory, 8-byte aligned: a float
 * array viewing it is summarized by {@link StatsAccumulator.addArray} where it lies, without
 * a copy (file readers read into it). Valid until the next call, which may move it, or
 * the next addArray of an array outside it (which is copied in there).
 * @internal
 */
export function statsBuffer(bytes: number): Uint8Array {
  const k = scanKernel();
  const need = DATA_OFFSET + bytes;
  const have = k.memory.buffer.byteLength;
  if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
  return new Uint8Array(k.memory.buffer, DATA_OFFSET, bytes);
}
