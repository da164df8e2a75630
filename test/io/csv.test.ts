import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidArgumentError, ParseError, ShapeError } from '../../src/errors.js';
import { autoHeader, detectDelimiter, isLabelCell, looksLikeHeader, sampleLines } from '../../src/io/csv-detect.js';
import { encodeCsv, parseCsv, readCsv, readCsvSync, writeCsv, writeCsvSync } from '../../src/io/csv.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { assertSameMatrix, cells, expected, FIXTURES, hasPython, PY_CELLS, runPython, tempDir } from './util.js';

const TEXT = join(FIXTURES, 'text');

/** Assert a ParseError located at `file:line` whose message matches `pattern`. */
function assertCsvError(fn: () => unknown, file: string, line: number, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ParseError, `expected ParseError, got ${String(e)}`);
    assert.equal(e.line, line, e.message);
    assert.ok(e.message.startsWith(`${file}:${line}: `), e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

async function assertCsvRejects(p: Promise<unknown>, file: string, line: number, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ParseError, `expected ParseError, got ${String(e)}`);
    assert.ok(e.message.startsWith(`${file}:${line}: `), e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

test('fixtures written by numpy.savetxt and by hand (detected dialect)', async () => {
  const names = Object.keys(expected.text);
  assert.equal(names.length, 7);
  for (const name of names) {
    const e = expected.text[name]!;
    const path = join(TEXT, name);
    for (const d of [readCsvSync(path), await readCsv(path), parseCsv(readFileSync(path), {}, name), parseCsv(readFileSync(path, 'utf8'))]) {
      assert.equal(d.delimiter, e.delimiter, name);
      assert.deepEqual(d.matrix.shape, [e.rows, e.cols], name);
      assert.deepEqual(cells(d.matrix), e.values, name);
      assert.deepEqual(d.columnNames, e.columnNames, name);
    }
  }
});

test('delimiter detection', () => {
  const cases: [string, string][] = [
    ['1,2,3\n4,5,6', ','],
    ['1\t2\n3\t4', '\t'],
    ['1;2\n3;4', ';'],
    ['1|2\n3|4', '|'],
    ['1 2  3\n 4 5 6', 'whitespace'],
    ['1.5e+00 -2.0e-01\n3 4', 'whitespace'],
    ['1, 2, 3\n4, 5, 6', ','],
    ['a b,c d\n1,2', ','],
    ['first name,last name\n1,2', ','],
    ['my value\n1\n2', ','],
    ['1\n2\n3', ','],
    ['"x,y",z\n1,2', ','],
    ['x;y\n1;2\n3;4', ';'],
    ['1,2\n3', ','], // ragged, reported when parsing rather than read as a header
    ['', ','],
  ];
  for (const [text, want] of cases) assert.equal(detectDelimiter(sampleLines(text, '#', false)), want, JSON.stringify(text));
  assert.deepEqual(sampleLines('# c\n\n1,2\n3,4\n5,', '#', true), ['1,2', '3,4']);
  assert.equal(looksLikeHeader(['a', '1']), true);
  assert.equal(looksLikeHeader(['', '1', 'nan']), false);
  assert.equal(looksLikeHeader(['1', '-inf']), false);
});

test('header modes: auto, forced, off', () => {
  assert.deepEqual(parseCsv('a,b\n1,2\n').columnNames, ['a', 'b']);
  assert.equal(parseCsv('a,b\n1,2\n').header, true);
  assert.equal(parseCsv('1,2\n3,4\n').columnNames, undefined);
  assert.equal(parseCsv('1,2\n3,4\n').header, false);
  const forced = parseCsv('1,2\n3,4\n', { header: true });
  assert.deepEqual(forced.columnNames, ['1', '2']);
  assert.deepEqual(forced.matrix.toArray(), [[3, 4]]);
  assertCsvError(() => parseCsv('a,b\n1,2\n', { header: false }), '<buffer>', 1, /column 1: 'a' is not a number/);
  const onlyHeader = parseCsv('x,y\n');
  assert.deepEqual([onlyHeader.matrix.shape, onlyHeader.columnNames], [[0, 2], ['x', 'y']]);
  // A pandas index column: empty first header cell.
  assert.deepEqual(parseCsv(',a,b\n0,1,2\n1,3,4\n').columnNames, ['', 'a', 'b']);
});

test('automatic header rule: only a row of clear names is a header; a bad first row is an error, not lost', () => {
  for (const cell of ['x', 'alpha beta', 'e5', 'x_1', '2nd', 'σ', 'nanx', 'N/A']) assert.equal(isLabelCell(cell), true, cell);
  for (const cell of ['0x10', '1,5', '1.000,5', '1_000', "1'000", '1 000', '1e', '2E+', '50%', '-', '#', '', '1', 'nan', '-inf', 'Infinity']) {
    assert.equal(isLabelCell(cell), false, cell);
  }
  assert.deepEqual(autoHeader(['a', 'b']), { header: true });
  assert.deepEqual(autoHeader(['', 'a']), { header: true });
  assert.deepEqual(autoHeader(['0x10', '2']), { header: false, reason: "column 2 ('2') is a number" });
  assert.deepEqual(autoHeader(['x', '0x10']), { header: false, reason: "column 2 ('0x10') is not clearly a column name" });
  assert.deepEqual(autoHeader(['', '']), { header: false, reason: 'it has only empty cells' });
  // Each of these used to be dropped as a header, losing a data row.
  const bad: [string, string, RegExp][] = [
    ['0x10,2\n3,4\n', '0x10', /because column 2 \('2'\) is a number; if it holds column names, set the header mode: --header yes, or header: true\)$/],
    ['"1,5",2\n3,4\n', '1,5', /because column 2 \('2'\) is a number/],
    ['a,1\n2,3\n', 'a', /because column 2 \('1'\) is a number/],
    ['1e\n2\n', '1e', /because column 1 \('1e'\) is not clearly a column name/],
    ['x\t1 000\n1\t2\n', 'x', /because column 2 \('1 000'\) is not clearly a column name/],
  ];
  for (const [text, cell, why] of bad) {
    const escaped = cell.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assertCsvError(() => parseCsv(text, {}, 'f.csv'), 'f.csv', 1, new RegExp(`column 1: '${escaped}' is not a number in a numeric matrix`));
    assertCsvError(() => parseCsv(text, {}, 'f.csv'), 'f.csv', 1, why);
  }
  // The explicit modes are unchanged.
  assert.deepEqual(parseCsv('a,1\n2,3\n', { header: true }).columnNames, ['a', '1']);
  assert.deepEqual(parseCsv('0x10,2\n3,4\n', { header: true }).matrix.toArray(), [[3, 4]]);
  // A header whose rows below are not numbers fails on the data line, not on the header.
  assertCsvError(() => parseCsv('a,b\nc,d\n', {}, 'f.csv'), 'f.csv', 2, /column 1: 'c' is not a number in a numeric matrix$/);
  // A later bad row gets no header explanation.
  assertCsvError(() => parseCsv('1,2\n3,0x10\n', {}, 'f.csv'), 'f.csv', 2, /column 2: '0x10' is not a number in a numeric matrix$/);
});

test('over-long lines: refused as they stream, before the rest is read, in every reader', async () => {
  const dir = tempDir();
  const max = 1000;
  const long = '1,'.repeat(600) + '1';
  // On line 3 (the first two are fine); comma and whitespace files, sync and streaming.
  for (const [name, text] of [['l.csv', `1,2\n3,4\n${long}\n5,6\n`], ['l.txt', `1 2\n3 4\n${long.replaceAll(',', ' ')}\n5 6\n`]] as const) {
    const path = join(dir, name);
    writeFileSync(path, text);
    const want = /line is longer than 1000 characters, the limit for one line of a text file/;
    assertCsvError(() => readCsvSync(path, { maxLineLength: max }), path, 3, want);
    await assertCsvRejects(readCsv(path, { maxLineLength: max }), path, 3, want);
    assertCsvError(() => parseCsv(text, { maxLineLength: max }, name), name, 3, want);
    assertCsvError(() => parseCsv(new TextEncoder().encode(text), { maxLineLength: max }, name), name, 3, want);
    // Under the default limit (16 MiB) the same line is read, and fails as a ragged row.
    assertCsvError(() => readCsvSync(path), path, 3, /row has 601 fields, expected 2/);
  }
  // Lines spanning many 1 MiB read chunks are still measured as one: a 20 MiB line with the default limit.
  const path = join(dir, 'big.csv');
  writeFileSync(path, '1,2\n' + '7,'.repeat(10 << 20) + '7\n');
  const want = /big\.csv:2: line is longer than 16 MiB \(16777216 characters\)/;
  await assert.rejects(readCsv(path), want);
  assert.throws(() => readCsvSync(path), want);
  assert.throws(() => parseCsv('1', { maxLineLength: 0 }), InvalidArgumentError);
});

test('numbers: every spelling of NaN and infinity, signs, exponents; nothing else', () => {
  const d = parseCsv('nan,NaN,NAN,-nan\ninf,-inf,+inf,Infinity\n-Infinity,1e3,.5,-1.\n+2,1E-3,0,-0\n');
  assert.deepEqual(cells(d.matrix), [
    ['nan', 'nan', 'nan', 'nan'],
    ['inf', '-inf', 'inf', 'inf'],
    ['-inf', 1000, 0.5, -1],
    [2, 0.001, 0, -0],
  ]);
  for (const bad of ['0x10', '1_000', '1e', 'e5', '--1', '1.2.3', 'infinit', 'nanx', 'true', '1 2']) {
    assertCsvError(() => parseCsv(`1,2\n3,${bad}\n`, { delimiter: ',' }), '<buffer>', 2, /column 2: '.*' is not a number/);
  }
});

test('malformed tables: ragged rows, empty and non-numeric cells, quotes, empty input', () => {
  assertCsvError(() => parseCsv('1,2,3\n4,5\n', {}, 't.csv'), 't.csv', 2, /row has 2 fields, expected 3 \(as on line 1\)/);
  assertCsvError(() => parseCsv('a,b\n1,2\n\n3,4,5\n', {}, 't.csv'), 't.csv', 4, /row has 3 fields, expected 2 \(as on line 1\)/);
  assertCsvError(() => parseCsv('1 2 3\n4 5\n', {}, 't.txt'), 't.txt', 2, /row has 2 fields/);
  assertCsvError(() => parseCsv('1,2\n3\n'), '<buffer>', 2, /row has 1 field, expected 2/);
  assertCsvError(() => parseCsv('1,2\n3,abc\n'), '<buffer>', 2, /column 2: 'abc' is not a number/);
  assertCsvError(() => parseCsv('1,2\n3,' + 'y'.repeat(100) + '\n'), '<buffer>', 2, /'y{37}\.\.\.' is not a number/);
  assertCsvError(() => parseCsv('a,b\n1,\n'), '<buffer>', 2, /column 2 is empty/);
  assertCsvError(() => parseCsv('1,2\n,,\n', { delimiter: ',' }), '<buffer>', 2, /row has 3 fields/);
  assertCsvError(() => parseCsv(''), '<buffer>', 1, /empty file/);
  assertCsvError(() => parseCsv('\n\n  \n# only comments\n'), '<buffer>', 1, /empty file/);
  assertCsvError(() => parseCsv('1,2\n3,"4\n'), '<buffer>', 2, /quote/);
  assertCsvError(() => parseCsv('1,2\n3,4"x,5\n', { delimiter: ',' }), '<buffer>', 2, /quote/);
  assert.throws(() => parseCsv('1', { delimiter: ',,' }), InvalidArgumentError);
  assert.throws(() => parseCsv('1', { delimiter: '"' }), InvalidArgumentError);
  assert.throws(() => parseCsv('1', { header: 'yes' as 'auto' }), InvalidArgumentError);
  assert.throws(() => parseCsv('1', { comment: '//' }), InvalidArgumentError);
});

test('errors from files name the path (sync and streaming)', async () => {
  const dir = tempDir();
  const cases: [string, string, number, RegExp][] = [
    ['ragged.csv', 'a,b\n1,2\n3,4,5\n', 3, /row has 3 fields/],
    ['bad.csv', '1,2\n3,4\n5,x\n', 3, /column 2: 'x'/],
    ['bad.txt', '1 2\n3 4\n5 x\n', 3, /column 2: 'x'/],
    ['empty.csv', '', 1, /empty file/],
    ['quote.csv', '1,2\n"3,4\n', 2, /quote/],
  ];
  for (const [name, text, line, pattern] of cases) {
    const path = join(dir, name);
    writeFileSync(path, text);
    assertCsvError(() => readCsvSync(path), path, line, pattern);
    await assertCsvRejects(readCsv(path), path, line, pattern);
  }
  await assert.rejects(readCsv(join(dir, 'missing.csv')), { code: 'ENOENT' });
  assert.throws(() => readCsvSync(join(dir, 'missing.csv')), { code: 'ENOENT' });
});

test('text details: BOM, CRLF, comments, blank lines, spaces, quotes, dtype', () => {
  const d = parseCsv('\ufeffx,"y z"\r\n# note\r\n\r\n 1 , 2 \r\n   \r\n"3", 4\r\n', { dtype: 'float32' });
  assert.deepEqual(d.columnNames, ['x', 'y z']);
  assert.deepEqual(d.matrix.toArray(), [[1, 2], [3, 4]]);
  assert.equal(d.matrix.dtype, 'float32');
  // A '#' inside a line is data, not a comment.
  assertCsvError(() => parseCsv('1,2\n3,#4\n'), '<buffer>', 2, /'#4' is not a number/);
  assert.deepEqual(parseCsv('% 1,2\n3,4\n', { comment: '%' }).matrix.toArray(), [[3, 4]]);
  assert.deepEqual(parseCsv('#a,b\n3,4\n', { comment: false }).columnNames, ['#a', 'b']);
  assert.deepEqual(parseCsv('1 2\n3 4', { delimiter: ' ' }).delimiter, 'whitespace');
});

test('encode/parse round trips: delimiters, header names, float32, special values, views', () => {
  const A = Matrix.from([
    [1.5, NaN, -0, 5e-324],
    [Infinity, -Infinity, 1 / 3, 1.7976931348623157e308],
    [0.1, 0.2, 0.30000000000000004, -2.5e-10],
  ]);
  for (const M of [A, A.T, A.slice(1, 3, 0, 2), A.astype('float32'), Matrix.from([[1]])]) {
    for (const delimiter of [',', '\t', ';', '|', 'whitespace']) {
      const text = encodeCsv(M, { delimiter });
      const back = parseCsv(text, { dtype: M.dtype });
      assertSameMatrix(back.matrix, M, `${delimiter} ${text}`);
      assert.equal(back.delimiter, M.cols > 1 ? delimiter : ','); // one column: nothing to detect
    }
  }
  const names = ['plain', 'with,comma', 'with "quotes"', ' padded ', '#hash'];
  const B = Matrix.random(3, 5, { seed: 1 });
  const text = encodeCsv(B, { header: names });
  assert.equal(text.split('\n')[0], 'plain,"with,comma","with ""quotes"""," padded ","#hash"');
  const back = parseCsv(text);
  assert.deepEqual(back.columnNames, names.map((n) => n.trim()));
  assertSameMatrix(back.matrix, B);
  assert.equal(encodeCsv(Matrix.from([[0.1, 1 / 3]], { dtype: 'float32' })), '0.1,0.33333334\n');
  assert.throws(() => encodeCsv(B, { header: ['a'] }), ShapeError);
  assert.throws(() => encodeCsv(B, { delimiter: '\n' }), InvalidArgumentError);
  assert.throws(() => encodeCsv(Matrix.zeros(1, 1), { delimiter: 'whitespace', header: ['two words'] }), InvalidArgumentError);
});

test('files: write and stream back, more than one read chunk', async () => {
  const dir = tempDir();
  const A = Matrix.random(4000, 30, { seed: 11, distribution: 'normal' }); // ~2.3 MB of text
  const names = Array.from({ length: 30 }, (_, j) => `c${j}`);
  await writeCsv(join(dir, 'a.csv'), A, { header: names });
  writeCsvSync(join(dir, 'a.tsv'), A, { delimiter: '\t' });
  writeCsvSync(join(dir, 'a.txt'), A, { delimiter: 'whitespace' });
  const r1 = await readCsv(join(dir, 'a.csv'));
  assert.deepEqual(r1.columnNames, names);
  assertSameMatrix(r1.matrix, A);
  assertSameMatrix(readCsvSync(join(dir, 'a.csv')).matrix, A);
  assertSameMatrix((await readCsv(join(dir, 'a.tsv'))).matrix, A);
  const t = await readCsv(join(dir, 'a.txt'));
  assert.equal(t.delimiter, 'whitespace');
  assertSameMatrix(t.matrix, A);
  assertSameMatrix(readCsvSync(join(dir, 'a.txt')).matrix, A);
  assert.throws(() => writeCsvSync(join(dir, 'no.csv'), A, { header: ['x'] }), ShapeError);
  await assert.rejects(writeCsv(join(dir, 'no2.csv'), A, { header: ['x'] }), ShapeError);
  assert.equal(existsSync(join(dir, 'no.csv')) || existsSync(join(dir, 'no2.csv')), false);
});

test('numpy.loadtxt reads what we write', { skip: !hasPython() && 'python3 with numpy not available' }, () => {
  const dir = tempDir();
  const A = Matrix.from([
    [1.5, NaN, -0, 5e-324],
    [Infinity, -Infinity, 1 / 3, 1.7976931348623157e308],
  ]);
  writeCsvSync(join(dir, 'a.csv'), A, { header: ['a', 'b', 'c', 'd'] });
  writeCsvSync(join(dir, 'a.txt'), A, { delimiter: 'whitespace' });
  writeCsvSync(join(dir, 'a.tsv'), A, { delimiter: '\t' });
  const out = runPython(
    `${PY_CELLS}
d = sys.argv[1]
print(json.dumps({
  'csv': cells(np.loadtxt(d + '/a.csv', delimiter=',', skiprows=1)),
  'txt': cells(np.loadtxt(d + '/a.txt')),
  'tsv': cells(np.loadtxt(d + '/a.tsv', delimiter='\\t')),
  'signbit': bool(np.signbit(np.loadtxt(d + '/a.txt')[0, 2])),
}))`,
    dir,
  ) as Record<string, unknown>;
  for (const k of ['csv', 'txt', 'tsv']) assert.deepEqual(out[k], cells(A), k);
  assert.equal(out.signbit, true);
});
