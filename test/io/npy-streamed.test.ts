// The streamed paths of the .npy reader and of `lowrank info`'s statistics: C-order files
// larger than one 1 MiB read (panels of rows cross read boundaries, and a row can be larger
// than a read), converting reads, direct writes from a matrix's storage, and
// StatsAccumulator.addArray against add() value by value, NaN, infinities, signed zeros and
// extreme magnitudes included.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { inspectFile } from '../../src/io/inspect.js';
import { encodeNpy, parseNpy, readNpy, readNpySync, writeNpy, writeNpySync } from '../../src/io/npy.js';
import { StatsAccumulator } from '../../src/io/stats.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { tempDir } from './util.js';

/** A rows x cols matrix of distinct values (value = 1 + i + rows * j), as float64 or float32. */
function distinct(rows: number, cols: number, dtype: 'float64' | 'float32' = 'float64'): Matrix {
  const d = dtype === 'float64' ? new Float64Array(rows * cols) : new Float32Array(rows * cols);
  for (let k = 0; k < d.length; k++) d[k] = 1 + k;
  return new Matrix(d, rows, cols);
}

function assertEqualMatrix(a: Matrix, b: Matrix): void {
  assert.equal(a.rows, b.rows);
  assert.equal(a.cols, b.cols);
  assert.equal(a.dtype, b.dtype);
  for (let j = 0; j < a.cols; j++) for (let i = 0; i < a.rows; i++) assert.equal(a.get(i, j), b.get(i, j), `(${i}, ${j})`);
}

test('C-order reads larger than one streamed piece equal the in-memory decoder, sync and async', async () => {
  const dir = tempDir();
  // 700 x 300 f8 = 1.6 MiB (436 rows per 1 MiB piece: a partial last panel); 3 x 50000 f8 rows of
  // 400 kB (2 rows per piece); 40000 x 7 f4; and a float32 file read as float64.
  const cases: [number, number, 'float64' | 'float32', 'float64' | 'float32' | undefined][] = [
    [700, 300, 'float64', undefined],
    [3, 50000, 'float64', undefined],
    [40000, 7, 'float32', undefined],
    [500, 301, 'float32', 'float64'],
    [301, 500, 'float64', 'float32'],
  ];
  for (const [m, n, dtype, requested] of cases) {
    const A = distinct(m, n, dtype);
    const path = join(dir, `c-${m}x${n}-${dtype}.npy`);
    writeNpySync(path, A, { fortranOrder: false });
    const bytes = readFileSync(path);
    const want = parseNpy(bytes, path, { dtype: requested }).matrix;
    const sync = readNpySync(path, { dtype: requested });
    const async = await readNpy(path, { dtype: requested });
    assertEqualMatrix(sync.matrix, want);
    assertEqualMatrix(async.matrix, want);
    assert.equal(sync.fortranOrder, false);
    if (requested === undefined) assertEqualMatrix(sync.matrix, A);
  }
});

test('Fortran-order reads converted on the way (f8 as float32, f4 as float64) equal the in-memory decoder', async () => {
  const dir = tempDir();
  for (const [dtype, requested] of [['float64', 'float32'], ['float32', 'float64']] as const) {
    const A = distinct(600, 250, dtype);
    const path = join(dir, `f-${dtype}.npy`);
    await writeNpy(path, A);
    const want = parseNpy(readFileSync(path), path, { dtype: requested }).matrix;
    assertEqualMatrix(readNpySync(path, { dtype: requested }).matrix, want);
    assertEqualMatrix((await readNpy(path, { dtype: requested })).matrix, want);
  }
});

test('writes from a matrix storage (contiguous, a view, float32 as <f8) are the bytes encodeNpy gives', async () => {
  const dir = tempDir();
  const big = distinct(900, 700); // 5 MB: more than one 4 MiB write
  const view = big.slice(100, 800, 50, 650); // not contiguous: copied piece by piece
  const f32 = distinct(300, 200, 'float32');
  for (const [name, M, opts] of [
    ['big', big, {}],
    ['view', view, {}],
    ['f32', f32, {}],
    ['f32-as-f8', f32, { dtype: '<f8' as const }],
    ['big-C', big, { fortranOrder: false }],
  ] as const) {
    const path = join(dir, `${name}.npy`);
    await writeNpy(path, M, opts);
    assert.deepEqual(readFileSync(path), Buffer.from(encodeNpy(M, opts)), name);
    writeNpySync(path, M, opts);
    assert.deepEqual(readFileSync(path), Buffer.from(encodeNpy(M, opts)), `${name} sync`);
  }
});

const special = fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e300, -1e300, 1e-300, 5e-324, 2 ** 500, 2 ** -500, 1.5, -2.25);
const values = fc.array(fc.oneof(fc.double(), special, fc.double({ min: -10, max: 10, noNaN: true })), { maxLength: 300 });

test('StatsAccumulator.addArray gives what add() gives value by value (Frobenius to rounding)', () => {
  fc.assert(
    fc.property(fc.array(values, { minLength: 1, maxLength: 4 }), fc.boolean(), (pieces, f32) => {
      const one = new StatsAccumulator();
      const bulk = new StatsAccumulator();
      for (const p of pieces) {
        const a = f32 ? new Float32Array(p) : new Float64Array(p);
        for (const v of a) one.add(v);
        bulk.addArray(a);
      }
      const x = one.result();
      const y = bulk.result();
      assert.deepEqual({ ...y, frobenius: 0 }, { ...x, frobenius: 0 });
      if (Number.isFinite(x.frobenius)) assert.ok(Math.abs(y.frobenius - x.frobenius) <= 1e-12 * x.frobenius, `${y.frobenius} vs ${x.frobenius}`);
      else assert.equal(y.frobenius, x.frobenius);
    }),
    { numRuns: 300 },
  );
});

test('lowrank info statistics of a streamed file (several pieces, NaN and Inf in it) match those of the matrix', async () => {
  const dir = tempDir();
  const A = distinct(400, 500); // 1.6 MB: two pieces
  A.set(3, 7, NaN);
  A.set(399, 499, -Infinity);
  A.set(0, 0, 0);
  for (const order of [true, false]) {
    const path = join(dir, `info-${order}.npy`);
    await writeNpy(path, A, { fortranOrder: order });
    const info = await inspectFile(path);
    const acc = new StatsAccumulator();
    for (let j = 0; j < A.cols; j++) for (let i = 0; i < A.rows; i++) acc.add(A.get(i, j));
    const want = acc.result();
    assert.equal(info.nanCount, 1);
    assert.equal(info.infCount, 1);
    assert.equal(info.nonzeros, want.nonzeros);
    assert.equal(info.min, -Infinity);
    assert.equal(info.max, want.max);
    assert.ok(Number.isNaN(info.frobenius));
    assert.equal(info.storage, `npy 1.0, <f8, ${order ? 'Fortran' : 'C'} order`);
  }
  // No NaN or Inf: the norm against a direct sum of squares.
  const B = distinct(400, 500);
  const path = join(dir, 'finite.npy');
  await writeNpy(path, B, { fortranOrder: false });
  let ss = 0;
  for (const v of B.data) ss += v * v;
  const info = await inspectFile(path);
  assert.ok(Math.abs(info.frobenius - Math.sqrt(ss)) <= 1e-12 * Math.sqrt(ss));
  assert.equal(info.min, 1);
  assert.equal(info.max, 200000);
});
