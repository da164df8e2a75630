import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidArgumentError, ParseError } from '../../src/errors.js';
import { formatOf, readMatrix, readMatrixFile, readMatrixFileSync, readMatrixSync, writeMatrix, writeMatrixSync } from '../../src/io/format.js';
import { inspectFile } from '../../src/io/inspect.js';
import { parseNpy } from '../../src/io/npy.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { assertSameMatrix, FIXTURES, tempDir } from './util.js';

test('formatOf: extensions, case, overrides, unknown names', () => {
  const cases: [string, string][] = [
    ['a.npy', 'npy'],
    ['dir.v2/A.NPY', 'npy'],
    ['m.mtx', 'mtx'],
    ['m.mm', 'mtx'],
    ['t.csv', 'csv'],
    ['t.tsv', 'tsv'],
    ['t.tab', 'tsv'],
    ['t.txt', 'txt'],
    ['t.dat', 'txt'],
  ];
  for (const [p, f] of cases) assert.equal(formatOf(p), f, p);
  assert.equal(formatOf('weird.bin', 'npy'), 'npy');
  assert.throws(() => formatOf('data.xlsx'), (e: unknown) => e instanceof InvalidArgumentError && /'data\.xlsx'.*'\.xlsx'/.test((e as Error).message));
  assert.throws(() => formatOf('README'), /without extension/);
  assert.throws(() => formatOf('a.npy', 'hdf5' as 'npy'), InvalidArgumentError);
});

test('writeMatrix / readMatrix round trip through every format, async and sync', async () => {
  const dir = tempDir();
  const A = Matrix.from([
    [1.5, NaN, -0],
    [Infinity, 1 / 3, 1e-300],
  ]);
  for (const name of ['a.npy', 'a.mtx', 'a.csv', 'a.tsv', 'a.txt']) {
    const p = join(dir, name);
    await writeMatrix(p, A);
    assertSameMatrix(await readMatrix(p), A, name);
    writeMatrixSync(p, A.T);
    assertSameMatrix(readMatrixSync(p), A.T, name);
    await writeMatrix(p, A, { dtype: 'float32' });
    const f = await readMatrix(p, { dtype: 'float32' });
    assert.equal(f.dtype, 'float32');
    assertSameMatrix(f, A.astype('float32'), name);
    await writeMatrix(p, Matrix.zeros(0, 3), { dtype: 'float32' });
  }
  const empty = parseNpy(readFileSync(join(dir, 'a.npy')));
  assert.deepEqual([empty.dtype, empty.shape], ['<f4', [0, 3]]);
});

test('format-specific write options pass through', async () => {
  const dir = tempDir();
  const S = Matrix.from([[2, 1], [1, 3]]);
  await writeMatrix(join(dir, 's.mtx'), S, { mtxFormat: 'coordinate', symmetry: 'symmetric', field: 'integer' });
  assert.match(readFileSync(join(dir, 's.mtx'), 'utf8'), /^%%MatrixMarket matrix coordinate integer symmetric\n2 2 3\n/);
  await writeMatrix(join(dir, 's.npy'), S.col(0), { shape1d: true, fortranOrder: false });
  assert.deepEqual(parseNpy(readFileSync(join(dir, 's.npy'))).shape, [2]);
  await writeMatrix(join(dir, 'h.csv'), S, { header: ['x', 'y'], delimiter: ';' });
  assert.equal(readFileSync(join(dir, 'h.csv'), 'utf8'), 'x;y\n2;1\n1;3\n');
  const back = await readMatrixFile(join(dir, 'h.csv'));
  assert.deepEqual([back.columnNames, back.header], [['x', 'y'], true]);
  assert.equal(back.format, 'csv');
  assert.deepEqual([(await readMatrixFile(join(dir, 's.mtx'))).header, (await readMatrixFile(join(dir, 's.npy'))).header], [false, false]);
  assert.equal(readMatrixFileSync(join(dir, 'h.csv')).header, true);
  assert.deepEqual(readMatrixFileSync(join(dir, 'h.csv'), { header: true, delimiter: ';', format: 'csv' }).columnNames, ['x', 'y']);
  assert.throws(() => readMatrixFileSync(join(dir, 'h.csv'), { header: false }), /h\.csv:1: column 1: 'x' is not a number/);
  await writeMatrix(join(dir, 'odd.bin'), S, { format: 'tsv' });
  assertSameMatrix(await readMatrix(join(dir, 'odd.bin'), { format: 'tsv' }), S);
  await assert.rejects(writeMatrix(join(dir, 'x.xls'), S), InvalidArgumentError);
  await assert.rejects(readMatrix(join(dir, 'missing.npy')), { code: 'ENOENT' });
});

test('a .tsv file defaults to tab even when another delimiter would fit', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'x.tsv'), 'a,b\tc\n2\t3\n');
  const r = await readMatrixFile(join(dir, 'x.tsv'));
  assert.deepEqual([r.columnNames, r.header], [['a,b', 'c'], true]);
  await assert.rejects(readMatrix(join(dir, 'x.tsv'), { header: false }), ParseError);
});

test('inspectFile: dense npy with special values', async () => {
  const dir = tempDir();
  const A = Matrix.from([
    [3, NaN, -0],
    [4, -Infinity, 0],
  ]);
  await writeMatrix(join(dir, 'a.npy'), A, { fortranOrder: false });
  const info = await inspectFile(join(dir, 'a.npy'));
  assert.equal(info.format, 'npy');
  assert.equal(info.storage, 'npy 1.0, <f8, C order');
  assert.deepEqual([info.rows, info.cols, info.dtype, info.bytes], [2, 3, 'float64', 128 + 48]);
  assert.deepEqual([info.nanCount, info.infCount, info.nonzeros, info.min, info.max], [1, 1, 4, -Infinity, 4]);
  assert.ok(Number.isNaN(info.frobenius));
  assert.equal(info.density, 4 / 6);
  assert.deepEqual(info.npy, { version: 1, descr: '<f8', fortranOrder: false, shape: [2, 3] });
  const finite = Matrix.from([[1e200, 1e200], [-1e-200, 0]]);
  await writeMatrix(join(dir, 'b.npy'), finite);
  const b = await inspectFile(join(dir, 'b.npy'));
  assert.equal(b.frobenius, finite.norm('fro')); // no overflow at 1e200
  assert.equal(b.storage, 'npy 1.0, <f8, Fortran order');
  const v = await inspectFile(join(FIXTURES, 'npy', 'f8_1d.npy'));
  assert.equal(v.storage, 'npy 1.0, <f8, 1-D');
  const e = await inspectFile(join(FIXTURES, 'npy', 'f8_empty.npy'));
  assert.deepEqual([e.rows, e.cols, e.density, e.min, e.max, e.frobenius], [0, 3, 0, undefined, undefined, 0]);
});

test('inspectFile: Matrix Market statistics come from the entries, never densified', async () => {
  const sym = await inspectFile(join(FIXTURES, 'mtx', 'symmetric_real.mtx'));
  const dense = (await readMatrix(join(FIXTURES, 'mtx', 'symmetric_real.mtx')));
  assert.equal(sym.storage, 'Matrix Market coordinate real symmetric');
  assert.deepEqual(sym.mtx, { format: 'coordinate', field: 'real', symmetry: 'symmetric', entries: 10 });
  assert.equal(sym.nonzeros, 10);
  assert.equal(sym.density, 10 / 16);
  assert.ok(Math.abs(sym.frobenius - dense.norm('fro')) <= 1e-15 * dense.norm('fro'));
  assert.deepEqual([sym.min, sym.max], [dense.min(), dense.max()]);

  // 2e9 x 2e9 (beyond 2^53 positions), with duplicates that cancel and add up.
  const dir = tempDir();
  const p = join(dir, 'huge.mtx');
  writeFileSync(p, '%%MatrixMarket matrix coordinate real general\n2000000000 2000000000 5\n1 1 3\n2000000000 2000000000 -1\n1 1 1\n5 7 2\n5 7 -2\n');
  const t0 = performance.now();
  const h = await inspectFile(p);
  assert.ok(performance.now() - t0 < 500);
  assert.deepEqual([h.rows, h.cols, h.nonzeros, h.min, h.max, h.frobenius], [2e9, 2e9, 2, -1, 4, Math.hypot(4, 1)]);
  assert.equal(h.mtx?.entries, 5);
  assert.equal(h.density, 2 / 4e18);

  const arr = await inspectFile(join(FIXTURES, 'mtx', 'array_general.mtx'));
  assert.deepEqual([arr.storage, arr.nonzeros, arr.max], ['Matrix Market array real general', 5, 1e20]);
});

test('inspectFile: text files report delimiter and column names', async () => {
  const info = await inspectFile(join(FIXTURES, 'text', 'header.csv'));
  assert.equal(info.storage, "CSV, ','-delimited, header row");
  assert.deepEqual(info.text, { delimiter: ',', header: true, columnNames: ['alpha', 'beta', 'gamma'] });
  const tsv = await inspectFile(join(FIXTURES, 'text', 'tabs.tsv'));
  assert.equal(tsv.storage, 'TSV, tab-delimited');
  assert.deepEqual(tsv.text, { delimiter: '\t', header: false });
  const txt = await inspectFile(join(FIXTURES, 'text', 'savetxt.txt'));
  assert.equal(txt.storage, 'TXT, whitespace-delimited');
});
