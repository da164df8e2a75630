import assert from 'node:assert/strict';
import { totalmem } from 'node:os';
import { test } from 'node:test';
import { InvalidArgumentError, OutOfMemoryError, ShapeError } from '../../src/errors.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { detLog, rng } from '../../src/random.js';

test('from nested rows, get, shape, column-major storage', () => {
  const A = Matrix.from([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(A.shape, [2, 3]);
  assert.equal(A.get(1, 2), 6);
  assert.deepEqual([...A.data], [1, 4, 2, 5, 3, 6]);
  assert.equal(A.ld, 2);
  assert.throws(() => Matrix.from([[1, 2], [3]]), ShapeError);
  assert.throws(() => A.get(2, 0), InvalidArgumentError);
  assert.deepEqual(Matrix.from([]).shape, [0, 0]);
});

test('fromArray in C and F order, dtype, no-copy wrap', () => {
  const c = Matrix.fromArray([1, 2, 3, 4, 5, 6], 2, 3, { order: 'C' });
  assert.deepEqual(c.toArray(), [[1, 2, 3], [4, 5, 6]]);
  const f = Matrix.fromArray([1, 2, 3, 4, 5, 6], 2, 3, { order: 'F' });
  assert.deepEqual(f.toArray(), [[1, 3, 5], [2, 4, 6]]);
  const buf = new Float32Array([1, 2, 3, 4]);
  const w = Matrix.fromArray(buf, 2, 2, { copy: false });
  assert.equal(w.dtype, 'float32');
  buf[0] = 9;
  assert.equal(w.get(0, 0), 9);
  assert.throws(() => Matrix.fromArray([1, 2, 3], 2, 2), ShapeError);
});

test('views share storage: transpose, slice, row, col', () => {
  const A = Matrix.from([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  const T = A.T;
  assert.deepEqual(T.toArray(), [[1, 4, 7], [2, 5, 8], [3, 6, 9]]);
  const S = A.slice(1, 3, 0, 2);
  assert.deepEqual(S.toArray(), [[4, 5], [7, 8]]);
  S.set(0, 0, 40);
  assert.equal(A.get(1, 0), 40);
  assert.deepEqual(A.col(2).toArray(), [[3], [6], [9]]);
  assert.deepEqual(A.row(0).toArray(), [[1, 2, 3]]);
  assert.deepEqual(T.slice(0, 2, 1, 3).toArray(), [[40, 7], [5, 8]]);
  assert.ok(A.isContiguous && !S.isContiguous && S.isColumnMajor && !T.isColumnMajor);
  assert.deepEqual(S.copy().toArray(), [[40, 5], [7, 8]]);
  assert.throws(() => A.slice(0, 4, 0, 1), InvalidArgumentError);
  assert.deepEqual(A.slice(1, 1, 0, 3).shape, [0, 3]);
});

test('zeros, full, identity (rectangular), diag, astype, toFlat', () => {
  assert.deepEqual(Matrix.identity(2, 3).toArray(), [[1, 0, 0], [0, 1, 0]]);
  assert.deepEqual(Matrix.diag([1, 2]).toArray(), [[1, 0], [0, 2]]);
  assert.deepEqual(Matrix.full(1, 2, 7).toArray(), [[7, 7]]);
  const f = Matrix.from([[1.1, 2]]).astype('float32');
  assert.equal(f.dtype, 'float32');
  assert.equal(f.get(0, 0), Math.fround(1.1));
  assert.deepEqual([...Matrix.from([[1, 2], [3, 4]]).toFlat('C')], [1, 2, 3, 4]);
});

test('elementwise ops with broadcasting scalars and shape checks', () => {
  const A = Matrix.from([[1, 2], [3, 4]]);
  assert.deepEqual(A.add(1).toArray(), [[2, 3], [4, 5]]);
  assert.deepEqual(A.mul(A.T).toArray(), [[1, 6], [6, 16]]);
  assert.deepEqual(A.sub(A).toArray(), [[0, 0], [0, 0]]);
  assert.deepEqual(A.div(2).scale(4).neg().abs().toArray(), [[2, 4], [6, 8]]);
  assert.throws(() => A.add(Matrix.zeros(2, 3)), ShapeError);
});

test('norms: Frobenius (scaled), 1, inf, max; sum, min, max', () => {
  const A = Matrix.from([[1, -2], [3, 4]]);
  assert.ok(Math.abs(A.norm() - Math.sqrt(30)) < 1e-15);
  assert.equal(A.norm(1), 6);
  assert.equal(A.norm('inf'), 7);
  assert.equal(A.norm('max'), 4);
  assert.equal(Matrix.from([[3e300, 4e300]]).norm(), 5e300);
  assert.ok(Math.abs(Matrix.from([[3e-300, 4e-300]]).norm() / 5e-300 - 1) < 1e-15);
  assert.ok(Number.isNaN(Matrix.from([[1, NaN]]).norm()));
  assert.equal(A.sum(), 6);
  assert.equal(A.min(), -2);
  assert.equal(A.max(), 4);
  assert.ok(!Matrix.from([[1, Infinity]]).isFinite());
});

test('equals with tolerances, NaN never equal', () => {
  const A = Matrix.from([[1, 2]]);
  assert.ok(A.equals(Matrix.from([[1 + 1e-12, 2]])));
  assert.ok(!A.equals(Matrix.from([[1.001, 2]])));
  assert.ok(A.equals(Matrix.from([[1.001, 2]]), { rtol: 1e-2 }));
  assert.ok(!Matrix.from([[NaN]]).equals(Matrix.from([[NaN]])));
  assert.ok(!A.equals(A.T));
});

test('toString is readable and elides large matrices', () => {
  const s = Matrix.from([[1, -2.5], [1e-7, 1234567]]).toString();
  assert.match(s, /Matrix 2x2 float64/);
  assert.match(s, /-2\.5/);
  assert.match(s, /1e-7/);
  const big = Matrix.zeros(20, 30).toString();
  assert.match(big, /\.\.\./);
  assert.ok(big.split('\n').length <= 9);
});

test('seeded random: reproducible, documented stream, uniform and normal moments', () => {
  const a = Matrix.random(50, 40, { seed: 42 });
  const b = Matrix.random(50, 40, { seed: 42 });
  assert.ok(a.equals(b, { rtol: 0 }));
  assert.ok(!a.equals(Matrix.random(50, 40, { seed: 43 })));
  // The stream is part of the contract (same seed -> same matrix on every platform):
  // xoshiro128** seeded by SplitMix32. These values pin it.
  const r = rng(1);
  assert.deepEqual([r.nextUint32(), r.nextUint32(), r.nextUint32()], PINNED_U32);
  const n = Matrix.random(200, 200, { seed: 1, distribution: 'normal', mean: 2, std: 3 });
  const mean = n.sum() / n.size;
  const v = n.sub(mean).mul(n.sub(mean)).sum() / n.size;
  assert.ok(Math.abs(mean - 2) < 0.05 && Math.abs(Math.sqrt(v) - 3) < 0.05, `mean ${mean}, std ${Math.sqrt(v)}`);
  const u = Matrix.random(100, 100, { seed: 2, low: -1, high: 1 });
  assert.ok(u.min() >= -1 && u.max() < 1 && Math.abs(u.sum() / u.size) < 0.03);
  assert.deepEqual([rng(5n).nextUint32()], [rng(5n).nextUint32()]);
});

test('detLog agrees with Math.log to 1 ulp over the whole range', () => {
  const r = rng(9);
  for (let i = 0; i < 20000; i++) {
    const x = Math.exp((r.nextDouble() - 0.5) * 1400) * (1 + r.nextDouble());
    const want = Math.log(x);
    assert.ok(Math.abs(detLog(x) - want) <= Math.abs(want) * 2.3e-16 + 5e-324, `detLog(${x})`);
  }
  assert.equal(detLog(1), 0);
  assert.ok(Math.abs(detLog(5e-324) - Math.log(5e-324)) < 1e-12);
});
const PINNED_U32 = [2442144158,3238099751,3819917871];

test('copies of empty matrices keep their shape', () => {
  assert.deepEqual(Matrix.zeros(0, 3).copy().shape, [0, 3]);
  assert.deepEqual(Matrix.zeros(3, 0).astype('float32').shape, [3, 0]);
});

// ------------------------------------------------------------------ entries that are not numbers

/** The error is an InvalidArgumentError whose message matches every pattern. */
function refuses(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InvalidArgumentError, `InvalidArgumentError, got ${String(e)}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

test('Matrix.from refuses strings, booleans, null, undefined and holes, naming row and column (0-based)', () => {
  const bad = <T>(v: T) => v as unknown as number;
  refuses(() => Matrix.from([[1, 2], [3, bad('a')]]), /row 1, column 1 \(0-based\)/, /the string 'a'/);
  refuses(() => Matrix.from([[bad(true), 2]]), /row 0, column 0 \(0-based\)/, /the boolean true/);
  refuses(() => Matrix.from([[1], [bad(null)]]), /row 1, column 0 \(0-based\)/, /is null/);
  refuses(() => Matrix.from([[1, bad(undefined)]]), /row 0, column 1 \(0-based\)/, /is undefined/);
  refuses(() => Matrix.from([[1, 2, 3], [4, , 6]] as number[][]), /row 1, column 1 \(0-based\)/, /hole/);
  refuses(() => Matrix.from([[1n as unknown as number]]), /row 0, column 0/, /bigint/);
  // The first bad entry in row order is the one named.
  refuses(() => Matrix.from([[1, 2], [bad('x'), bad('y')], [bad(false), 0]]), /row 1, column 0/, /'x'/);
  // Rows that are not arrays (a flat array by mistake, a hole among the rows).
  refuses(() => Matrix.from([1, 2] as unknown as number[][]), /row 0 \(0-based\) is 1, not an array/, /Matrix\.fromArray/);
  refuses(() => Matrix.from([[1], , [2]] as number[][]), /row 1 \(0-based\) is a hole/);
  refuses(() => Matrix.from(null as unknown as number[][]), /expected an array of rows, got null/);
  // Ragged rows stay a ShapeError; NaN and Infinity are numbers and are kept.
  assert.throws(() => Matrix.from([[1, 2], [3]]), ShapeError);
  const A = Matrix.from([[NaN, Infinity], [-Infinity, -0]]);
  assert.ok(Number.isNaN(A.get(0, 0)));
  assert.equal(A.get(0, 1), Infinity);
  assert.ok(Object.is(A.get(1, 1), -0));
  // Typed-array rows need no per-element check and still work.
  assert.deepEqual(Matrix.from([new Float32Array([1, 2]), [3, 4]]).toArray(), [[1, 2], [3, 4]]);
});

test('fromArray, diag, full and random refuse values that are not numbers', () => {
  const bad = <T>(v: T) => v as unknown as number;
  // Element 2 of a 2x2 array: row 1, column 0 in C order, row 0, column 1 in F order.
  refuses(() => Matrix.fromArray([1, 2, bad('3'), 4], 2, 2, { order: 'C' }), /element 2 \(row 1, column 0; 0-based, order 'C'\)/, /the string '3'/);
  refuses(() => Matrix.fromArray([1, 2, bad(null), 4], 2, 2), /element 2 \(row 0, column 1; 0-based, order 'F'\)/, /null/);
  refuses(() => Matrix.fromArray([1, , 3, 4] as number[], 2, 2), /element 1/, /hole/);
  refuses(() => Matrix.fromArray([1, 2, 3, 4], 2, 2, { order: bad('X') as never }), /order must be 'F' or 'C'/);
  refuses(() => Matrix.diag([1, bad(true)]), /values\[1\] \(0-based\)/, /boolean true/);
  refuses(() => Matrix.full(2, 2, bad('1')), /value must be a number, got the string '1'/);
  refuses(() => Matrix.random(2, 2, { low: bad('0') }), /low must be a finite number/);
  refuses(() => Matrix.random(2, 2, { high: Infinity }), /high must be a finite number/);
  refuses(() => Matrix.random(2, 2, { distribution: 'normal', mean: bad('1') }), /mean must be a finite number/);
  refuses(() => Matrix.random(2, 2, { distribution: 'normal', std: NaN }), /std must be a finite number >= 0/);
  // Typed arrays and plain number arrays are unaffected.
  assert.deepEqual(Matrix.fromArray(new Float64Array([1, 2, 3, 4]), 2, 2).toArray(), [[1, 3], [2, 4]]);
  assert.deepEqual(Matrix.diag(new Float32Array([1, 2])).toArray(), [[1, 0], [0, 2]]);
  assert.ok(Number.isNaN(Matrix.full(1, 1, NaN).get(0, 0)));
});

test('Matrix.zeros and the constructors built on it refuse sizes no typed array or machine can hold', () => {
  const oom = (fn: () => unknown, bytes: number, pattern: RegExp) =>
    assert.throws(fn, (e: unknown) => {
      assert.ok(e instanceof OutOfMemoryError, `OutOfMemoryError, got ${String(e)}`);
      assert.equal(e.bytes, bytes);
      assert.match(e.message, pattern);
      return true;
    });
  // 10^10 elements: more than the 2^32 a typed array holds, before any allocation is tried.
  oom(() => Matrix.zeros(1e5, 1e5), 8e10, /a 100000 x 100000 float64 matrix needs 8\.0e10 bytes \(80 GB\); one array can hold at most 2\^32 elements/);
  oom(() => Matrix.zeros(1e5, 1e5, { dtype: 'float32' }), 4e10, /float32 matrix needs 4\.0e10 bytes/);
  oom(() => Matrix.random(2 ** 31 - 1, 2 ** 31 - 1), (2 ** 31 - 1) ** 2 * 8, /2147483647 x 2147483647 float64 matrix/);
  oom(() => Matrix.identity(1e5), 8e10, /100000 x 100000/);
  oom(() => Matrix.full(1e5, 1e5, 1), 8e10, /100000 x 100000/);
  // Within a typed array's length (2^32 - 2 elements) but 34 GB: beyond the memory of
  // machines with less, which are refused before the allocation is tried.
  const n = 2 ** 31 - 1;
  if (totalmem() < n * 2 * 8) oom(() => Matrix.zeros(n, 2), n * 2 * 8, /2147483647 x 2 float64 matrix needs 3\.4e10 bytes \(34 GB\); this machine has .* of memory/);
  // Small sizes are unaffected.
  assert.deepEqual(Matrix.zeros(0, 2 ** 31 - 1).shape, [0, 2 ** 31 - 1]);
});
