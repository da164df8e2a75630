#!/usr/bin/env node
// Generates src/io/stats-wasm.ts: the WebAssembly scan behind StatsAccumulator.addArray
// (src/io/stats.ts), written here in WebAssembly text and assembled with binaryen (a dev
// dependency, through assemblyscript). A few hundred bytes, compiled by V8's baseline
// WebAssembly compiler (Liftoff) as it is instantiated, so a short process such as
// `lowrank info A.npy` runs it at full speed from the first value: the same loop in
// JavaScript ran in the interpreter, allocating a heap number per arithmetic result,
// until TurboFan had compiled it (10-25 ms of a 4.2 M-value pass on this machine).
//
// scan64(ptr, n) / scan32(ptr, n) summarize n float64 / float32 values at byte offset ptr
// of the module's memory, 256 at a time, into the running totals held at bytes 0..55 of
// the memory, as float64: [min, max, nonzeros (not NaN), NaN count, infinity count,
// largest finite magnitude, sum of the finite squares] (so a long array can be scanned in
// several calls, each a multiple of 256 values but the last). min and max are kept as
// JavaScript's `if (v < min) min = v` keeps them: NaN compares false. Per block of 256: a fast
// pass (min, max, nonzero count, sum of squares); a block whose sum is not finite (NaN,
// an infinity, or a square that overflows) is passed again counting NaN and infinities and
// summing only the finite squares. The block sums are added in order: the two-level sum
// that addArray documents, bit for bit.
//
// Usage: node scripts/gen-stats-wasm.mjs [--check]   (--check: fail if the file is stale)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'src', 'io', 'stats-wasm.ts');

/** The scan function for one element type: `load(offset)` reads the value at $p + offset as f64, `size` its bytes. */
function scan(name, load, size) {
  const shift = size === 8 ? 3 : 2;
  /** The fast pass's work on the value at $p + off. */
  const fast = (off) => `
          (local.set $v ${load(off)})
          (local.set $bmin (select (local.get $v) (local.get $bmin) (f64.lt (local.get $v) (local.get $bmin))))
          (local.set $bmax (select (local.get $v) (local.get $bmax) (f64.gt (local.get $v) (local.get $bmax))))
          (local.set $nz (i32.add (local.get $nz) (f64.ne (local.get $v) (f64.const 0))))
          (local.set $s (f64.add (local.get $s) (f64.mul (local.get $v) (local.get $v))))`;
  return `
  (func (export "${name}") (param $ptr i32) (param $n i32)
    (local $b i32) (local $e i32) (local $p i32) (local $end i32)
    (local $bmin f64) (local $bmax f64) (local $nz i32) (local $s f64) (local $v f64) (local $x f64)
    (local $min f64) (local $max f64) (local $nonzeros f64) (local $nan f64) (local $inf f64) (local $amax f64) (local $sum f64)
    (local $bnan i32) (local $binf i32) (local $bamax f64)
    (local.set $min (f64.load offset=0 (i32.const 0)))
    (local.set $max (f64.load offset=8 (i32.const 0)))
    (local.set $nonzeros (f64.load offset=16 (i32.const 0)))
    (local.set $nan (f64.load offset=24 (i32.const 0)))
    (local.set $inf (f64.load offset=32 (i32.const 0)))
    (local.set $amax (f64.load offset=40 (i32.const 0)))
    (local.set $sum (f64.load offset=48 (i32.const 0)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $b) (local.get $n)))
        (local.set $e (i32.add (local.get $b) (i32.const 256)))
        (if (i32.gt_u (local.get $e) (local.get $n)) (then (local.set $e (local.get $n))))
        (local.set $p (i32.add (local.get $ptr) (i32.shl (local.get $b) (i32.const ${shift}))))
        (local.set $end (i32.add (local.get $ptr) (i32.shl (local.get $e) (i32.const ${shift}))))
        ;; fast pass: min, max, values != 0, sum of squares
        (local.set $bmin (f64.const inf))
        (local.set $bmax (f64.const -inf))
        (local.set $nz (i32.const 0))
        (local.set $s (f64.const 0))
        ;; four values per turn, in order (the baseline compiler keeps locals in stack slots
        ;; across loop turns: fewer turns, fewer loads and stores), then one at a time
        (block $fours
          (loop $four
            (br_if $fours (i32.gt_u (i32.add (local.get $p) (i32.const ${4 * size})) (local.get $end)))${fast(0)}${fast(size)}${fast(2 * size)}${fast(3 * size)}
            (local.set $p (i32.add (local.get $p) (i32.const ${4 * size})))
            (br $four)))
        (block $ones
          (loop $one
            (br_if $ones (i32.ge_u (local.get $p) (local.get $end)))${fast(0)}
            (local.set $p (i32.add (local.get $p) (i32.const ${size})))
            (br $one)))
        (if (f64.eq (f64.sub (local.get $s) (local.get $s)) (f64.const 0))
          (then
            ;; finite: no NaN, no infinity; the largest magnitude is the larger of -min, max
            (local.set $nonzeros (f64.add (local.get $nonzeros) (f64.convert_i32_u (local.get $nz))))
            (local.set $x (select (f64.neg (local.get $bmin)) (local.get $bmax) (f64.gt (f64.neg (local.get $bmin)) (local.get $bmax)))))
          (else
            ;; careful pass: NaN skipped and counted, infinities counted, finite squares summed
            (local.set $p (i32.add (local.get $ptr) (i32.shl (local.get $b) (i32.const ${shift}))))
            (local.set $bmin (f64.const inf))
            (local.set $bmax (f64.const -inf))
            (local.set $nz (i32.const 0))
            (local.set $s (f64.const 0))
            (local.set $bnan (i32.const 0))
            (local.set $binf (i32.const 0))
            (local.set $bamax (f64.const 0))
            (loop $slow
              (local.set $v ${load(0)})
              (if (f64.ne (local.get $v) (local.get $v))
                (then (local.set $bnan (i32.add (local.get $bnan) (i32.const 1))))
                (else
                  (local.set $bmin (select (local.get $v) (local.get $bmin) (f64.lt (local.get $v) (local.get $bmin))))
                  (local.set $bmax (select (local.get $v) (local.get $bmax) (f64.gt (local.get $v) (local.get $bmax))))
                  (if (f64.ne (local.get $v) (f64.const 0))
                    (then
                      (local.set $nz (i32.add (local.get $nz) (i32.const 1)))
                      (local.set $x (f64.abs (local.get $v)))
                      (if (f64.eq (local.get $x) (f64.const inf))
                        (then (local.set $binf (i32.add (local.get $binf) (i32.const 1))))
                        (else
                          (if (f64.gt (local.get $x) (local.get $bamax)) (then (local.set $bamax (local.get $x))))
                          (local.set $s (f64.add (local.get $s) (f64.mul (local.get $x) (local.get $x))))))))))
              (local.set $p (i32.add (local.get $p) (i32.const ${size})))
              (br_if $slow (i32.lt_u (local.get $p) (local.get $end))))
            (local.set $nonzeros (f64.add (local.get $nonzeros) (f64.convert_i32_u (local.get $nz))))
            (local.set $nan (f64.add (local.get $nan) (f64.convert_i32_u (local.get $bnan))))
            (local.set $inf (f64.add (local.get $inf) (f64.convert_i32_u (local.get $binf))))
            (local.set $x (local.get $bamax))))
        (if (f64.lt (local.get $bmin) (local.get $min)) (then (local.set $min (local.get $bmin))))
        (if (f64.gt (local.get $bmax) (local.get $max)) (then (local.set $max (local.get $bmax))))
        (if (f64.gt (local.get $x) (local.get $amax)) (then (local.set $amax (local.get $x))))
        (local.set $sum (f64.add (local.get $sum) (local.get $s)))
        (local.set $b (local.get $e))
        (br $blocks)))
    (f64.store offset=0 (i32.const 0) (local.get $min))
    (f64.store offset=8 (i32.const 0) (local.get $max))
    (f64.store offset=16 (i32.const 0) (local.get $nonzeros))
    (f64.store offset=24 (i32.const 0) (local.get $nan))
    (f64.store offset=32 (i32.const 0) (local.get $inf))
    (f64.store offset=40 (i32.const 0) (local.get $amax))
    (f64.store offset=48 (i32.const 0) (local.get $sum)))`;
}

export const WAT = `(module
  (memory (export "memory") 1)${scan('scan64', (o) => `(f64.load offset=${o} (local.get $p))`, 8)}${scan('scan32', (o) => `(f64.promote_f32 (f32.load offset=${o} (local.get $p)))`, 4)})
`;

async function assemble() {
  const binaryen = (await import('binaryen')).default;
  const mod = binaryen.parseText(WAT);
  if (!mod.validate()) throw new Error('stats WAT does not validate');
  // No binaryen optimization: the text is the program, instruction for instruction (its
  // passes could reorder the floating-point adds' operands, which is harmless, or fold
  // the compares, which is not guaranteed to keep NaN semantics as written).
  const bytes = mod.emitBinary();
  mod.dispose();
  return bytes;
}

function render(bytes) {
  // base64 in one string: a numeric array literal is 1,400 elements for the parser.
  const b64 = Buffer.from(bytes).toString('base64');
  return `// GENERATED by scripts/gen-stats-wasm.mjs (WebAssembly text in that script) — do not edit.
/** The statistics scan module's bytes, base64: exports memory, scan64(ptr, n), scan32(ptr, n) (see the script). */
export const STATS_WASM_BASE64 =
  '${b64}';
`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = render(await assemble());
  if (process.argv.includes('--check')) {
    const old = readFileSync(OUT, 'utf8');
    if (old !== text) {
      console.error(`${OUT} is stale: run node scripts/gen-stats-wasm.mjs`);
      process.exit(1);
    }
  } else {
    writeFileSync(OUT, text);
    console.log(`wrote ${OUT}`);
  }
}
