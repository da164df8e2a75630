// The statistics scan behind StatsAccumulator.addArray (src/io/stats.ts): a module of its own,
// a few hundred bytes, so `lowrank info A.npy` never compiles the kernel module. V8 compiles
// it with its baseline compiler as it is instantiated, so a short process runs it at full
// speed from the first value (the same loop in JavaScript ran in the interpreter, allocating
// a heap number per arithmetic result, until TurboFan had compiled it: 10-25 ms of a 4.2 M
// value pass).
//
// scan64(ptr, n) / scan32(ptr, n) summarize n float64 / float32 values at byte offset ptr
// into the running totals at bytes 0..55, as float64: [min, max, nonzeros (not NaN), NaN
// count, infinity count, largest finite magnitude, sum of the finite squares], 256 values a
// block (so a long array can be scanned in several calls, each a multiple of 256 values but
// the last). min and max are kept as JavaScript's `if (v < min) min = v` keeps them: NaN
// compares false. Per block: a fast pass (min, max, nonzero count, sum of squares); a block
// whose sum is not finite (NaN, an infinity, or a square that overflows) is passed again
// counting NaN and infinities and summing only the finite squares. The block sums are added
// in order: the two-level sum addArray documents, bit for bit (test/io/info-stats.test.ts).
//
// Built by scripts/build-wasm.mjs into src/io/generated/stats-wasm.ts. The totals live at
// address 0: the module has no static data and allocates nothing.

const BLOCK: u32 = 256;

@inline function value<T>(p: usize): f64 {
  return <f64>load<T>(p);
}

@inline function scan<T>(ptr: usize, n: u32): void {
  const size = <usize>sizeof<T>();
  let lo = load<f64>(0);
  let hi = load<f64>(8);
  let nonzeros = load<f64>(16);
  let nan = load<f64>(24);
  let inf = load<f64>(32);
  let amax = load<f64>(40);
  let sum = load<f64>(48);
  for (let b: u32 = 0; b < n; ) {
    const e = min<u32>(b + BLOCK, n);
    const start = ptr + <usize>b * size;
    const end = ptr + <usize>e * size;
    let bmin = Infinity;
    let bmax = -Infinity;
    let nz: u32 = 0;
    let s = 0.0;
    let p = start;
    // Four values per turn, in order (the baseline compiler keeps locals in stack slots
    // across turns: fewer turns, fewer loads and stores), then one at a time.
    for (; p + 4 * size <= end; p += 4 * size) {
      for (let o: usize = 0; o < 4; o++) {
        const v = value<T>(p + o * size);
        bmin = v < bmin ? v : bmin;
        bmax = v > bmax ? v : bmax;
        nz += <u32>(v != 0);
        s += v * v;
      }
    }
    for (; p < end; p += size) {
      const v = value<T>(p);
      bmin = v < bmin ? v : bmin;
      bmax = v > bmax ? v : bmax;
      nz += <u32>(v != 0);
      s += v * v;
    }
    let x: f64;
    if (s - s == 0) {
      // Finite: no NaN, no infinity; the largest magnitude is the larger of -min, max.
      nonzeros += <f64>nz;
      x = -bmin > bmax ? -bmin : bmax;
    } else {
      // Careful pass: NaN skipped and counted, infinities counted, finite squares summed.
      bmin = Infinity;
      bmax = -Infinity;
      nz = 0;
      s = 0;
      let bnan: u32 = 0;
      let binf: u32 = 0;
      let bamax = 0.0;
      for (p = start; p < end; p += size) {
        const v = value<T>(p);
        if (v != v) {
          bnan++;
          continue;
        }
        bmin = v < bmin ? v : bmin;
        bmax = v > bmax ? v : bmax;
        if (v != 0) {
          nz++;
          const a = Math.abs(v);
          if (a == Infinity) binf++;
          else {
            if (a > bamax) bamax = a;
            s += a * a;
          }
        }
      }
      nonzeros += <f64>nz;
      nan += <f64>bnan;
      inf += <f64>binf;
      x = bamax;
    }
    if (bmin < lo) lo = bmin;
    if (bmax > hi) hi = bmax;
    if (x > amax) amax = x;
    sum += s;
    b = e;
  }
  store<f64>(0, lo);
  store<f64>(8, hi);
  store<f64>(16, nonzeros);
  store<f64>(24, nan);
  store<f64>(32, inf);
  store<f64>(40, amax);
  store<f64>(48, sum);
}

/** Summarize n float64 values at byte offset ptr into the totals at bytes 0..55. */
export function scan64(ptr: usize, n: u32): void {
  scan<f64>(ptr, n);
}

/** Summarize n float32 values (widened to float64) at byte offset ptr into the totals. */
export function scan32(ptr: usize, n: u32): void {
  scan<f32>(ptr, n);
}
