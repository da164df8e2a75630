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

test('CSV header rule: a first row with a number or a bad number is data, never a silently dropped header', async () => {
  // The rows the automatic rule used to take for headers (issue 15 item 9): now errors on line 1.
  const cases: [string, string, RegExp][] = [
    ['hex.csv', '0x10,2\n3,4\n', /hex\.csv:1: column 1: '0x10' is not a number in a numeric matrix \(the first row is read as data, not as column names, because column 2 \('2'\) is a number; .*--header yes/],
    ['comma.csv', '"1,5",2\n3,4\n', /comma\.csv:1: column 1: '1,5' is not a number in a numeric matrix/],
    ['hexonly.csv', '0x10\n3\n', /hexonly\.csv:1: column 1: '0x10' is not a number .*is not clearly a column name/],
    ['mixed.csv', 'id,2019\n1,2\n', /mixed\.csv:1: column 1: 'id' is not a number/],
  ];
  for (const [name, text, pattern] of cases) {
    const path = join(dir, name);
    writeFileSync(path, text);
    assertFails(await run('info', path), 1, pattern);
    assertFails(await run('info', path, '--json'), 1, pattern);
    assertFails(await run('convert', path, join(dir, `${name}.npy`)), 1, pattern);
  }
  // The explicit modes still decide: --header yes takes a numeric-looking first row as names.
  const mixed = json(await run('info', join(dir, 'mixed.csv'), '--header', 'yes', '--json'));
  assert.deepEqual([mixed.header, mixed.rows, (mixed.text as { columnNames: string[] }).columnNames], [true, 1, ['id', '2019']]);
  // A row of names over numbers is a header: human output and JSON say so.
  const named = join(dir, 'named.csv');
  writeFileSync(named, 'x,y\n1,2\n3,4\n');
  const h = await run('info', named);
  assert.equal(h.code, 0, h.err);
  assert.match(h.out, /^header +yes \(the first row holds the column names\)$/m);
  assert.match(h.out, /^shape +2 x 2$/m);
  const j = json(await run('info', named, '--json'));
  assert.deepEqual([j.header, j.rows, (j.text as { header: boolean }).header], [true, 2, true]);
  const plain = join(dir, 'plain.csv');
  writeFileSync(plain, '1,2\n3,4\n');
  assert.match((await run('info', plain)).out, /^header +no \(the first row is data\)$/m);
  assert.equal(json(await run('info', plain, '--json')).header, false);
  assert.deepEqual([json(await run('info', plain, '--header', 'yes', '--json')).header, json(await run('info', plain, '--header', 'yes', '--json')).rows], [true, 1]);
  assertFails(await run('info', named, '--header', 'no'), 1, /named\.csv:1: column 1: 'x' is not a number/);
  assert.equal(json(await run('info', join(FIXTURES, 'npy', 'f8_special.npy'), '--json')).header, false);
  // Other commands' JSON report it too: convert, matmul, and the factorizations (one per input).
  assert.equal(json(await run('convert', named, join(dir, 'named.npy'), '--json')).header, true);
  assert.deepEqual(json(await run('matmul', named, plain, '--json')).headers, [true, false]);
  assert.deepEqual(json(await run('svd', named, '--json')).headers, [true]);
  assert.deepEqual(json(await run('solve', plain, named, '--json')).headers, [false, true]);
});

test('an over-long line is refused as it streams: a 70 MB one-line CSV fails in well under a second', async () => {
  // Filled as bytes: building and writing the 70 MB as strings took 15 s of the test.
  const line = (sep: string, tail: string): Buffer => {
    const b = Buffer.alloc(70_000_000 + tail.length, `1${sep}`);
    b.write(tail, 70_000_000);
    return b;
  };
  for (const [name, text] of [['oneline.csv', line(',', '1\n2\n')], ['oneline.txt', line(' ', '1\n')]] as const) {
    const path = join(dir, name);
    writeFileSync(path, text);
    const t0 = performance.now();
    const r = await run('info', path);
    const ms = performance.now() - t0;
    assertFails(r, 1, new RegExp(`${path}:1: line is longer than 16 MiB \\(16777216 characters\\)`));
    // Measured 0.2-0.3 s on a loaded 2-core VM; the old reader took 36 s to 2 min on the CSV.
    assert.ok(ms < 3000, `${name}: refused after ${ms.toFixed(0)} ms`);
    rmSync(path);
  }
});

test('NaN and Inf in an input are reported naming the file and entry (0-based), for every reading command', async () => {
  const nanCsv = join(dir, 'nan-in.csv');
  writeFileSync(nanCsv, '1,2,3\n4,5,6\n7,8,9\n10,11,12\n13,14,15\n16,17,18\n19,20,21\n22,23,24\n25,26,27\n28,29,30\n31,32,33\n34,35,36\n37,38,39\n1,2,3\n4,5,nan\n');
  const want = new RegExp(`^lowrank: ${nanCsv}: holds NaN at row 14, column 2 \\(0-based\\); this command needs finite numbers`);
  for (const argv of [['svd', nanCsv], ['svd', nanCsv, '--rank', '1'], ['qr', nanCsv], ['rank', nanCsv], ['pca', nanCsv], ['nmf', nanCsv, '--rank', '1'], ['angles', nanCsv, nanCsv]]) {
    assertFails(await run(...argv), 1, want);
  }
  // A coordinate .mtx read as sparse: the entry's position.
  const mtx = join(dir, 'inf-in.mtx');
  writeFileSync(mtx, '%%MatrixMarket matrix coordinate real general\n3 3 2\n1 1 1.0\n2 3 -inf\n');
  assertFails(await run('svd', mtx, '--rank', '1'), 1, new RegExp(`${mtx}: holds -Infinity at row 1, column 2 \\(0-based\\)`));
  assertFails(await run('pca', mtx), 1, new RegExp(`${mtx}: holds -Infinity at row 1, column 2`));
  // Commands that pass values through accept them, as numpy does.
  assert.equal((await run('matmul', nanCsv, nanCsv, '--transA')).code, 0);
  assert.equal((await run('convert', nanCsv, join(dir, 'nan-in.npy'))).code, 0);
});
