import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
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
