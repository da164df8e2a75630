// `lowrank info`'s statistics: the WebAssembly scan behind StatsAccumulator.addArray against
// a plain JavaScript statement of the same algorithm (bit for bit: min, max, counts and the
// two-level sum of squares with LAPACK dlassq's merge), the fixtures' statistics against
// numpy's (scripts/gen-info-fixtures.py: float64/float32 in both orders, NaN, infinities,
// signed zeros, squares that overflow or underflow, integers, booleans, 0-D, 1-D, 3-D,
// empty), and the command's synchronous fast path (inspectNpySync) against inspectFile.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inspectFile } from '../../src/io/inspect.js';
import { writeNpy } from '../../src/io/npy.js';
import { inspectNpySync } from '../../src/io/npy-info.js';
import { StatsAccumulator, statsBuffer, type ValueStats } from '../../src/io/stats.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { FIXTURES, tempDir } from './util.js';

const INFO = join(FIXTURES, 'info');
type Num = number | 'nan' | 'inf' | '-inf';
const expected = JSON.parse(readFileSync(join(INFO, 'expected.json'), 'utf8')) as Record<
  string,
  { count: number; nonzeros: number; nanCount: number; infCount: number; min: Num | null; max: Num | null; frobenius: Num }
>;
const num = (v: Num): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);

/**
 * The statistics addArray documents, stated plainly in JavaScript: per array of at most 2^20
 * values, min / max / nonzeros / NaN / infinities value by value, squares of the finite
 * values summed 256 at a time and the block sums added, the sum unscaled when the largest
 * magnitude is in [2^-500, 2^500] (else dlassq's scaled sum), merged as dlassq merges.
 */
class Reference {
  count = 0;
  nonzeros = 0;
  nan = 0;
  inf = 0;
  min = Infinity;
  max = -Infinity;
  seen = false;
  scale = 0;
  ssq = 1;
  add(a: Float64Array | Float32Array): void {
    if (a.length > 1 << 20) {
      for (let k = 0; k < a.length; k += 1 << 20) this.add(a.subarray(k, Math.min(a.length, k + (1 << 20))));
      return;
    }
    const n = a.length;
    let amax = 0;
    let sum = 0;
    for (let b = 0; b < n; b += 256) {
      let part = 0;
      for (let k = b; k < Math.min(n, b + 256); k++) {
        const v = a[k]!;
        if (Number.isNaN(v)) {
          this.nan++;
          this.nonzeros++;
          continue;
        }
        this.seen = true;
        if (v < this.min) this.min = v;
        if (v > this.max) this.max = v;
        if (v === 0) continue;
        this.nonzeros++;
        if (Math.abs(v) === Infinity) this.inf++;
        else {
          amax = Math.max(amax, Math.abs(v));
          part += v * v;
        }
      }
      sum += part;
    }
    this.count += n;
    if (amax === 0) return;
    let ssq = 0;
    if (amax >= 2 ** -500 && amax <= 2 ** 500) ssq = sum / amax / amax;
    else for (const v of a) if (Number.isFinite(v) && v !== 0) ssq += (Math.abs(v) / amax) ** 2;
    if (amax > this.scale) {
      this.ssq = ssq + this.ssq * (this.scale / amax) ** 2;
      this.scale = amax;
    } else this.ssq += ssq * (amax / this.scale) ** 2;
  }
  result(): ValueStats {
    const frobenius = this.nan > 0 ? NaN : this.inf > 0 ? Infinity : this.scale * Math.sqrt(this.ssq);
    return { count: this.count, nonzeros: this.nonzeros, nanCount: this.nan, infCount: this.inf, min: this.seen ? this.min : undefined, max: this.seen ? this.max : undefined, frobenius };
  }
}

/** Deterministic values: normal-ish, with NaN, infinities, signed zeros, huge and tiny values at rate `special`. */
function values(n: number, seed: number, special: number, scale = 1): number[] {
  let s = seed >>> 0 || 1;
  const next = (): number => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const specials = [NaN, Infinity, -Infinity, 0, -0, 1e300, -1e300, 1e-300, 5e-324, 2 ** 500, 2 ** -500, 2 ** 512, 1e200, 3e-170];
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(next() < special ? specials[Math.floor(next() * specials.length)]! : (next() - 0.5) * scale);
  return out;
}

/** ValueStats as comparable strings (-0 kept apart from 0, NaN equal to NaN). */
function bits(s: ValueStats): Record<string, string> {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Object.is(v, -0) ? '-0' : String(v)]));
}

test('addArray gives bit for bit the plainly stated algorithm: float64 and float32, specials, 256 / 2^16 / 2^20 boundaries, views into statsBuffer', () => {
  const lengths = [0, 1, 255, 256, 257, 1000, 65535, 65536, 65537, 200000, (1 << 20) + 300];
  let seed = 1;
  for (const n of lengths) {
    for (const [special, scale] of [[0, 1], [0.001, 1], [0.05, 1e-160], [0, 1e160], [0.01, 1e300]] as const) {
      if (n > 70000 && special === 0.05) continue; // keep the file fast
      for (const f32 of [false, true]) {
        const v = values(n, seed++, special, scale);
        const a = f32 ? new Float32Array(v) : new Float64Array(v);
        const ref = new Reference();
        const acc = new StatsAccumulator();
        // Two calls, so running min / max / dlassq merges are exercised.
        const cut = Math.floor(n / 3);
        for (const part of [a.subarray(0, cut), a.subarray(cut)]) {
          ref.add(part);
          acc.addArray(part);
        }
        assert.deepEqual(bits(acc.result()), bits(ref.result()), `n=${n} special=${special} scale=${scale} f32=${f32}`);
      }
    }
  }
  // An array already in the scan's memory is read where it lies.
  const v = values(100000, 99, 0.001);
  const buf = statsBuffer(v.length * 8);
  const inPlace = new Float64Array(buf.buffer, buf.byteOffset, v.length);
  inPlace.set(v);
  const acc = new StatsAccumulator();
  acc.addArray(inPlace);
  const ref = new Reference();
  ref.add(new Float64Array(v));
  assert.deepEqual(bits(acc.result()), bits(ref.result()));
});

test('the fixtures\' statistics equal numpy\'s (NaN, infinities, overflowing and underflowing squares, ints, bools, 0-D .. 3-D)', async () => {
  for (const [name, want] of Object.entries(expected)) {
    const info = await inspectFile(join(INFO, `${name}.npy`));
    const what = `${name}: ${JSON.stringify(info)}`;
    assert.equal(info.nonzeros, want.nonzeros, what);
    assert.equal(info.nanCount, want.nanCount, what);
    assert.equal(info.infCount, want.infCount, what);
    assert.equal(info.min, want.min === null ? undefined : num(want.min), what);
    assert.equal(info.max, want.max === null ? undefined : num(want.max), what);
    assert.equal(info.density, want.count > 0 ? want.nonzeros / want.count : 0, what);
    const f = num(want.frobenius);
    if (Number.isFinite(f)) assert.ok(Math.abs(info.frobenius - f) <= 4e-15 * f, `${what}: ${info.frobenius} vs numpy ${f}`);
    else assert.equal(info.frobenius, f, what);
  }
});

test('inspectNpySync (the command\'s fast path) gives what inspectFile gives, for float files; undefined for the others', async () => {
  const floats = Object.keys(expected).filter((n) => n.startsWith('f'));
  for (const name of [...Object.keys(expected), 'complex']) {
    const path = join(INFO, `${name}.npy`);
    if (name === 'complex') {
      assert.throws(() => inspectNpySync(path));
      continue;
    }
    const fast = inspectNpySync(path);
    if (!floats.includes(name)) {
      assert.equal(fast, undefined, name);
      continue;
    }
    assert.ok(fast, name);
    const slow = await inspectFile(path);
    assert.deepEqual(bits(fast as unknown as ValueStats), bits(slow as unknown as ValueStats), name);
    assert.equal(JSON.stringify(fast), JSON.stringify(slow), name);
  }
});

test('a file of several 1 MiB pieces with NaN, infinities and huge values: fast path = inspectFile = value-by-value statistics', async () => {
  const dir = tempDir();
  const v = values(300 * 900, 7, 0.0005, 3);
  for (const [dtype, order] of [['float64', false], ['float32', true]] as const) {
    const d = dtype === 'float64' ? new Float64Array(v) : new Float32Array(v);
    const A = new Matrix(d, 300, 900);
    const path = join(dir, `pieces-${dtype}.npy`);
    await writeNpy(path, A, { fortranOrder: order });
    const fast = inspectNpySync(path)!;
    const slow = await inspectFile(path);
    assert.equal(JSON.stringify(fast), JSON.stringify(slow));
    const one = new StatsAccumulator();
    for (const x of d) one.add(x);
    const want = one.result();
    assert.equal(fast.nonzeros, want.nonzeros);
    assert.equal(fast.nanCount, want.nanCount);
    assert.equal(fast.infCount, want.infCount);
    assert.equal(fast.min, want.min);
    assert.equal(fast.max, want.max);
    assert.ok(Number.isNaN(fast.frobenius) && Number.isNaN(want.frobenius));
  }
  // Finite, with squares that overflow in one 1 MiB piece only: the scaled merge across pieces.
  const w = values(300 * 900, 8, 0, 1);
  w[200000] = 1e300;
  const path = join(dir, 'huge-piece.npy');
  await writeNpy(path, new Matrix(new Float64Array(w), 300, 900), { fortranOrder: false });
  const fast = inspectNpySync(path)!;
  const one = new StatsAccumulator();
  for (const x of w) one.add(x);
  assert.ok(Math.abs(fast.frobenius - one.result().frobenius) <= 1e-15 * one.result().frobenius, `${fast.frobenius} vs ${one.result().frobenius}`);
  assert.equal(fast.frobenius, (await inspectFile(path)).frobenius);
});
