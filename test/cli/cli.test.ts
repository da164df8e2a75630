import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { assertFails, json, run } from './harness.js';
import { readMatrix, writeMatrix } from '../../src/io/format.js';
import { encodeNpy } from '../../src/io/npy.js';
import { Matrix } from '../../src/matrix/matrix.js';

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'lowrank-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('--help and --version', async () => {
  const h = await run('--help');
  assert.equal(h.code, 0);
  assert.equal(h.err, '');
  for (const word of ['Usage: lowrank', 'info', 'convert', 'matmul', 'demo']) assert.ok(h.out.includes(word), word);
  const v = await run('--version');
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.deepEqual([v.code, v.out], [0, `${pkg.version}\n`]);
  const sub = await run('info', '--help');
  assert.equal(sub.code, 0);
  assert.match(sub.out, /Usage: lowrank info \[options\] <file>/);
  const helpCmd = await run('help', 'matmul');
  assert.equal(helpCmd.code, 0);
  assert.match(helpCmd.out, /--transA/);
});

test('usage errors exit 2 with one line', async () => {
  assertFails(await run(), 2, /missing command/);
  assertFails(await run('bogus'), 2, /unknown command 'bogus'/);
  assertFails(await run('inf'), 2, /unknown command 'inf' \(Did you mean info\?\)/);
  assertFails(await run('help', 'bogus'), 2, /unknown command 'bogus'/);
  assertFails(await run('--bogus'), 2, /unknown option '--bogus'/);
  assertFails(await run('info'), 2, /missing required argument 'file'/);
  assertFails(await run('info', 'a.npy', 'b.npy'), 2, /too many arguments/);
  assertFails(await run('info', 'a.npy', '--nope'), 2, /unknown option '--nope'/);
  assertFails(await run('info', 'a.csv', '--header', 'maybe'), 2, /Allowed choices are auto, yes, no/);
  assertFails(await run('info', 'a.csv', '--delimiter', 'xx'), 2, /'xx' is invalid/);
  assertFails(await run('info', 'data.xlsx'), 2, /cannot tell the format of 'data\.xlsx'/);
  assertFails(await run('convert', 'a.npy'), 2, /missing required argument 'output'/);
  assertFails(await run('convert', 'a.npy', './a.npy'), 2, /same file/);
  assertFails(await run('convert', 'a.npy', 'b.mtx', '--format', 'dense'), 2, /Allowed choices are array, coordinate/);
  assertFails(await run('matmul', 'a.npy', 'b.npy', '--out'), 2, /argument missing/);
  assertFails(await run('matmul', 'a.npy', 'b.npy', '--out', 'c.pdf'), 2, /'c\.pdf'/);
});

test('data errors exit 1 with one line naming the file and location', async () => {
  const missing = join(dir, 'missing.npy');
  assertFails(await run('info', missing), 1, new RegExp(`${missing}: no such file or directory`));
  mkdirSync(join(dir, 'folder.npy'));
  assertFails(await run('info', join(dir, 'folder.npy')), 1, /folder\.npy: is a directory/);
  const cut = join(dir, 'cut.npy');
  writeFileSync(cut, encodeNpy(Matrix.random(10, 10, { seed: 1 })).subarray(0, 300));
  assertFails(await run('info', cut), 1, new RegExp(`${cut} at byte 300: data is truncated`));
  assertFails(await run('info', join(FIXTURES, 'npy', 'be_f8.npy')), 1, /be_f8\.npy at byte \d+: big-endian/);
  assertFails(await run('info', join(FIXTURES, 'mtx', 'out_of_bounds.mtx')), 1, /out_of_bounds\.mtx:4: row index 3 is outside 1\.\.2/);
  const ragged = join(dir, 'ragged.csv');
  writeFileSync(ragged, '1,2\n3,4\n5\n');
  assertFails(await run('info', ragged, '--json'), 1, /ragged\.csv:3: row has 1 field, expected 2/);
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, '1,2\n3,oops\n');
  assertFails(await run('convert', bad, join(dir, 'bad.npy')), 1, /bad\.csv:2: column 2: 'oops' is not a number/);
  assertFails(await run('convert', join(FIXTURES, 'npy', 'v1_f8_c.npy'), join(dir, 'x.mtx'), '--field', 'integer'), 1, /not an integer/);
});

test('info: human and JSON output', async () => {
  const path = join(FIXTURES, 'npy', 'f8_special.npy');
  const h = await run('info', path);
  assert.equal(h.code, 0, h.err);
  assert.match(h.out, /^file +.*f8_special\.npy \(\d+ B\)$/m);
  assert.match(h.out, /^shape +2 x 2$/m);
  assert.match(h.out, /^storage +npy 1\.0, <f8, C order$/m);
  assert.match(h.out, /^frobenius +nan$/m);
  assert.match(h.out, /^nan +1$/m);
  assert.match(h.out, /^inf +2$/m);
  const j = json(await run('info', path, '--json'));
  // JSON has no NaN or infinities: the Frobenius norm (NaN) and min/max (-inf, inf) become null.
  assert.deepEqual([j.rows, j.cols, j.dtype, j.nanCount, j.infCount, j.frobenius, j.min, j.max], [2, 2, 'float64', 1, 2, null, null, null]);
  const m = json(await run('info', join(FIXTURES, 'mtx', 'symmetric_real.mtx'), '--json'));
  assert.deepEqual(m.mtx, { format: 'coordinate', field: 'real', symmetry: 'symmetric', entries: 10 });
  assert.equal(m.density, 10 / 16);
  const c = json(await run('info', join(FIXTURES, 'text', 'semicolon.csv'), '--json', '--delimiter', 'semicolon', '--header', 'no'));
  assert.deepEqual([c.rows, c.cols, (c.text as { delimiter: string }).delimiter], [2, 3, ';']);
  const hc = await run('info', join(FIXTURES, 'text', 'header.csv'));
  assert.match(hc.out, /^columns +alpha, beta, gamma$/m);
});

test('convert: npy -> mtx -> csv -> tsv -> npy keeps every bit; JSON report', async () => {
  const A = Matrix.from([
    [1.5, 0, -2.25e-300],
    [1 / 3, 1e300, 0],
  ]);
  const a = join(dir, 'a.npy');
  await writeMatrix(a, A);
  const steps: [string, string, string[]][] = [
    [a, join(dir, 'a.mtx'), ['--format', 'coordinate']],
    [join(dir, 'a.mtx'), join(dir, 'a.csv'), []],
    [join(dir, 'a.csv'), join(dir, 'a.tsv'), []],
    [join(dir, 'a.tsv'), join(dir, 'b.npy'), []],
  ];
  for (const [from, to, extra] of steps) {
    const j = json(await run('convert', from, to, '--json', ...extra));
    assert.deepEqual([j.input, j.output, j.rows, j.cols, j.dtype], [from, to, 2, 3, 'float64']);
    assert.equal(typeof j.seconds, 'number');
  }
  assert.match(readFileSync(join(dir, 'a.mtx'), 'utf8'), /^%%MatrixMarket matrix coordinate real general\n2 3 4\n/);
  assert.deepEqual((await readMatrix(join(dir, 'b.npy'))).toArray(), A.toArray());
  // Without --format, sparse-looking matrices become coordinate files, dense ones arrays.
  await writeMatrix(join(dir, 'sparse.npy'), Matrix.diag([1, 2, 3, 4]));
  assert.equal((await run('convert', join(dir, 'sparse.npy'), join(dir, 'sparse.mtx'))).code, 0);
  assert.match(readFileSync(join(dir, 'sparse.mtx'), 'utf8'), /^%%MatrixMarket matrix coordinate real general\n4 4 4\n/);
  assert.equal((await run('convert', a, join(dir, 'dense.mtx'))).code, 0);
  assert.match(readFileSync(join(dir, 'dense.mtx'), 'utf8'), /^%%MatrixMarket matrix array real general\n2 3\n/);
  // Human output; a header row survives csv -> tsv; float32 output.
  writeFileSync(join(dir, 'h.csv'), 'x,y\n1,2\n0.1,4\n');
  const h = await run('convert', join(dir, 'h.csv'), join(dir, 'h.tsv'), '--dtype', 'float32');
  assert.equal(h.code, 0, h.err);
  assert.match(h.out, /h\.csv \(csv\) -> .*h\.tsv \(tsv\): 2 x 2 float32/);
  assert.equal(readFileSync(join(dir, 'h.tsv'), 'utf8'), 'x\ty\n1\t2\n0.1\t4\n');
  const n = json(await run('convert', join(dir, 'h.csv'), join(dir, 'h.npy'), '--dtype', 'float32', '--json'));
  assert.equal(n.dtype, 'float32');
  assert.equal((await readMatrix(join(dir, 'h.npy'))).dtype, 'float32');
});

test('matmul: product, transposes, output file, JSON report', async () => {
  const A = Matrix.random(7, 5, { seed: 1 });
  const B = Matrix.random(5, 3, { seed: 2 });
  const pa = join(dir, 'A.npy');
  const pb = join(dir, 'B.csv');
  await writeMatrix(pa, A);
  await writeMatrix(pb, B);
  const naive = (X: Matrix, Y: Matrix): Matrix => Matrix.from(X.toArray().map((r) => Y.T.toArray().map((c) => r.reduce((s, v, k) => s + v * c[k]!, 0))));
  const j = json(await run('matmul', pa, pb, '--out', join(dir, 'C.npy'), '--json'));
  assert.deepEqual([j.shape, j.out, j.dtype, j.a, j.b], [[7, 3], join(dir, 'C.npy'), 'float64', [7, 5], [5, 3]]);
  assert.equal(typeof j.seconds, 'number');
  assert.ok((await readMatrix(join(dir, 'C.npy'))).equals(naive(A, B), { rtol: 1e-12 }));
  const t = json(await run('matmul', pa, pa, '--transA', '--json', '-o', join(dir, 'G.mtx')));
  assert.deepEqual(t.shape, [5, 5]);
  assert.ok((await readMatrix(join(dir, 'G.mtx'))).equals(naive(A.T, A), { rtol: 1e-12 }));
  const tb = json(await run('matmul', pa, pa, '--transB', '--json'));
  assert.deepEqual([tb.shape, tb.out], [[7, 7], null]);
  const f = json(await run('matmul', pa, pb, '--dtype', 'float32', '--json'));
  assert.equal(f.dtype, 'float32');
  const h = await run('matmul', pb, pb, '--transA');
  assert.equal(h.code, 0, h.err);
  assert.match(h.out, /^C = A\^T B: 3 x 3 float64 in .* s/);
  assert.match(h.out, /Matrix 3x3 float64/);
  assertFails(await run('matmul', pa, pa), 1, /inner dimensions differ \(7x5 times 7x5\)/);
});
