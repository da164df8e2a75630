import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidArgumentError, OutOfMemoryError, ParseError, ShapeError, UnsupportedError } from '../../src/errors.js';
import { encodeMtx, parseMtx, readMtx, readMtxHeader, readMtxSync, writeMtx, writeMtxSync, type MtxWriteOptions } from '../../src/io/mtx.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { assertSameMatrix, cells, expected, FIXTURES, hasPython, PY_CELLS, runPython, tempDir } from './util.js';

const MTX = join(FIXTURES, 'mtx');
const BANNER = '%%MatrixMarket matrix coordinate real general\n';

/** Assert `fn` throws `cls` with a message `file:line: ...` matching `pattern`. */
function assertLineError(fn: () => unknown, cls: typeof ParseError | typeof UnsupportedError, file: string, line: number, pattern?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${String(e)}`);
    assert.ok((e as Error).message.startsWith(`${file}:${line}: `), `expected '${file}:${line}: ...', got '${(e as Error).message}'`);
    if (pattern) assert.match((e as Error).message, pattern);
    if (e instanceof ParseError) assert.equal(e.line, line);
    return true;
  });
}

test('fixtures written by scipy (and by hand) read as scipy reads them', async () => {
  const names = Object.keys(expected.mtx);
  assert.equal(names.length, 8);
  for (const name of names) {
    const e = expected.mtx[name]!;
    const path = join(MTX, name);
    const text = readFileSync(path, 'utf8');
    for (const d of [parseMtx(text, name), parseMtx(readFileSync(path), name), readMtxSync(path), await readMtx(path)]) {
      assert.deepEqual([d.format, d.field, d.symmetry, d.rows, d.cols, d.nnz], [e.format, e.field, e.symmetry, e.rows, e.cols, e.nnz], name);
      assert.deepEqual(cells(d.dense()), e.values, name);
      assert.equal(d.dense({ dtype: 'float32' }).dtype, 'float32');
      if (d.format === 'coordinate') {
        const { row, col, val } = d.entries!;
        assert.equal(row.length, d.nnz);
        assert.ok(row.every((i) => i >= 0 && i < d.rows) && col.every((j) => j >= 0 && j < d.cols));
        assert.equal(val.length, d.nnz);
      } else assert.equal(d.entries, undefined);
    }
  }
  assert.deepEqual(parseMtx(readFileSync(join(MTX, 'general_real.mtx'), 'utf8')).comments, ['general real coordinate']);
});

test('malformed fixtures fail with the class and line expected', () => {
  for (const [name, { error, line }] of Object.entries(expected.mtxErrors)) {
    const path = join(MTX, name);
    const cls = error === 'UnsupportedError' ? UnsupportedError : ParseError;
    assertLineError(() => readMtxSync(path), cls, path, line);
    assertLineError(() => parseMtx(readFileSync(path), name), cls, name, line);
  }
});

test('bad banners, size lines and entries name the line', () => {
  const cases: [string, number, RegExp][] = [
    ['', 1, /empty input/],
    ['hello\n', 1, /not a Matrix Market file/],
    ['%%MatrixMarket matrix coordinate real general extra\n', 1, /6 words/],
    ['%%MatrixMarket tensor coordinate real general\n1 1 0\n', 1, /unknown object 'tensor'/],
    ['%%MatrixMarket matrix sparse real general\n1 1 0\n', 1, /unknown format 'sparse'/],
    ['%%MatrixMarket matrix coordinate quaternion general\n1 1 0\n', 1, /unknown field/],
    ['%%MatrixMarket matrix coordinate real upper\n1 1 0\n', 1, /unknown symmetry/],
    ['%%MatrixMarket matrix array pattern general\n1 1\n', 1, /only valid with the 'coordinate'/],
    [BANNER, 1, /no size line/],
    [BANNER + '% only a comment\n\n', 3, /no size line/],
    [BANNER + '2 2\n', 2, /size line must hold 'rows cols entries', found 2/],
    [BANNER + '2 x 1\n', 2, /'x' is not a non-negative integer/],
    [BANNER + '2 -2 1\n', 2, /'-2' is not a non-negative integer/],
    [BANNER + '2 2.0 1\n', 2, /'2.0' is not/],
    [BANNER + '3000000000 2 0\n', 2, /exceeds the supported maximum/],
    ['%%MatrixMarket matrix coordinate real symmetric\n2 3 0\n', 2, /must be square/],
    ['%%MatrixMarket matrix array real general\n2 1 5\n', 2, /'rows cols', found 3/],
    [BANNER + '2 2 1\n1 1\n', 3, /expected 'row col value', found 2 fields/],
    [BANNER + '2 2 1\n1 1 1 1\n', 3, /found 4 fields/],
    [BANNER + '2 2 1\n0 1 1\n', 3, /row index 0 is outside 1..2/],
    [BANNER + '2 2 1\n1 3 1\n', 3, /column index 3 is outside 1..2/],
    [BANNER + '2 2 1\n-1 1 1\n', 3, /row index '-1' is not a positive integer/],
    [BANNER + '2 2 1\n1.5 1 1\n', 3, /row index '1.5'/],
    [BANNER + '2 2 1\n1 1 0x10\n', 3, /'0x10' is not a real number/],
    [BANNER + '2 2 1\n1 1 1,5\n', 3, /'1,5' is not a real number/],
    ['%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 1.5\n', 3, /'1.5' is not an integer/],
    ['%%MatrixMarket matrix coordinate pattern general\n2 2 1\n1 1 1\n', 3, /expected 'row col', found 3/],
    ['%%MatrixMarket matrix array real general\n1 2\n1 2\n', 3, /one value per line/],
    ['%%MatrixMarket matrix array real general\n1 2\n1\n', 3, /ends after 1 of the 2 entries/],
    ['%%MatrixMarket matrix array real general\n1 1\n1\n2\n', 4, /more entries than the 1 declared by the size line \(line 2\)/],
    [BANNER + '2 2 2\n1 1 1\n', 3, /ends after 1 of the 2 entries/],
  ];
  for (const [text, line, pattern] of cases) assertLineError(() => parseMtx(text, 'in.mtx'), ParseError, 'in.mtx', line, pattern);
  assertLineError(() => parseMtx('%%MatrixMarket matrix coordinate real hermitian\n1 1 0\n', 'h.mtx'), UnsupportedError, 'h.mtx', 1, /hermitian/);
  assertLineError(() => parseMtx('%%MatrixMarket vector coordinate real general\n1 0\n', 'v.mtx'), UnsupportedError, 'v.mtx', 1, /vector/);
  // Some other format entirely, as bytes.
  assertLineError(() => parseMtx(new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0])), ParseError, '<buffer>', 1, /not a Matrix Market file/);
});

test('lying size lines are rejected before anything is allocated or read', () => {
  const t0 = performance.now();
  assertLineError(
    () => parseMtx(BANNER + '1000000000 1000000000 999999999999\n1 1 1\n', 'big.mtx'),
    ParseError,
    'big.mtx',
    2,
    /declares 999999999999 entries, which need at least 5999999999993 bytes, but the whole input is \d+ bytes/,
  );
  assertLineError(() => parseMtx('%%MatrixMarket matrix array real general\n2000000000 2000000000\n1\n', 'big.mtx'), ParseError, 'big.mtx', 2, /2000000000x2000000000 declares more than 2\^53 entries/);
  assertLineError(() => parseMtx('%%MatrixMarket matrix array real general\n200000 200000\n1\n', 'big.mtx'), ParseError, 'big.mtx', 2, /declares 40000000000 entries/);
  assert.ok(performance.now() - t0 < 100);
  // A plausible claim the file does not back up still ends in a clean error.
  const lines = ['%%MatrixMarket matrix coordinate real general', '100000 100000 1500'];
  for (let k = 1; k <= 1000; k++) lines.push(`${k} ${k} ${k}`);
  assertLineError(() => parseMtx(lines.join('\n') + '\n'), ParseError, '<buffer>', 1002, /ends after 1000 of the 1500 entries/);
});

test('a line without end (binary data) fails instead of growing without bound', () => {
  const blob = 'x'.repeat((1 << 24) + 10);
  // (The wording around the number is lines.ts's; the limit is what this test pins.)
  assertLineError(() => parseMtx(blob), ParseError, '<buffer>', 1, /longer than (16 MiB \()?16777216 characters/);
  assertLineError(() => parseMtx(new TextEncoder().encode(blob)), ParseError, '<buffer>', 1, /longer than/);
});

test('symmetric, skew-symmetric, pattern and duplicate semantics', () => {
  // Upper-triangle entries in a symmetric file are mirrored too (as scipy does).
  const upper = parseMtx('%%MatrixMarket matrix coordinate real symmetric\n3 3 2\n1 3 5\n2 2 1\n');
  assert.deepEqual(upper.dense().toArray(), [[0, 0, 5], [0, 1, 0], [5, 0, 0]]);
  assert.equal(upper.nnz, 3);
  const skew = parseMtx('%%MatrixMarket matrix array real skew-symmetric\n3 3\n1\n2\n3\n');
  assert.deepEqual(skew.dense().toArray(), [[0, -1, -2], [1, 0, -3], [2, 3, 0]]);
  const dup = parseMtx(BANNER + '2 2 3\n1 1 1\n1 1 2.5\n2 1 -1\n');
  assert.deepEqual(dup.dense().toArray(), [[3.5, 0], [-1, 0]]);
  assert.equal(dup.nnz, 3);
  const dbl = parseMtx('%%matrixmarket MATRIX Coordinate DOUBLE General\n1 1 1\n1 1 -inf\n');
  assert.equal(dbl.field, 'real');
  assert.equal(dbl.dense().get(0, 0), -Infinity);
  const empty = parseMtx(BANNER + '0 0 0\n');
  assert.deepEqual(empty.dense().shape, [0, 0]);
  // Each dense() call returns an independent matrix.
  const a = parseMtx('%%MatrixMarket matrix array real general\n1 1\n7\n');
  a.dense().set(0, 0, 1);
  assert.equal(a.dense().get(0, 0), 7);
});

test('densifying a huge sparse matrix is an OutOfMemoryError naming the file, shape and need', () => {
  // Legitimate as sparse: the entries read fine; only the dense matrix cannot exist.
  const d = parseMtx(BANNER + '2000000000 2000000000 1\n1 1 1\n', 'huge.mtx');
  assert.equal(d.nnz, 1);
  assert.throws(
    () => d.dense(),
    (e: unknown) =>
      e instanceof OutOfMemoryError &&
      e.bytes === 2e9 * 2e9 * 8 &&
      /^huge\.mtx: densifying this 2000000000 x 2000000000 coordinate matrix with 1 stored entries needs a dense array of 2000000000 x 2000000000 = 3\.2e19 bytes \(32 EB\); one array can hold at most 2\^32 elements; read it as a sparse matrix instead/.test(e.message),
  );
  // The 74-byte file of issue 15: 50,000,000 x 50,000,000 with two entries.
  const issue = parseMtx(BANNER + '50000000 50000000 2\n1 1 1.0\n2 2 2.0\n', 'x.mtx');
  assert.throws(() => issue.dense({ dtype: 'float32' }), (e: unknown) => e instanceof OutOfMemoryError && /x\.mtx: .* = 1\.0e16 bytes/.test(e.message));
});

test('readMtxHeader: banner and size line only, checked like readMtx, nothing after them read', async () => {
  const dir = tempDir();
  const path = join(dir, 'head.mtx');
  // The entries are broken: readMtx fails on them, the header reader never gets there.
  writeFileSync(path, '%%MatrixMarket matrix coordinate pattern symmetric\n% a comment\n\n50000000 50000000 2\n1 1\nnot an entry\n');
  assert.deepEqual(await readMtxHeader(path), { format: 'coordinate', field: 'pattern', symmetry: 'symmetric', rows: 50000000, cols: 50000000, declared: 2 });
  await assert.rejects(readMtx(path), ParseError);
  writeFileSync(path, '%%MatrixMarket matrix array real general\n3 2\n1\n');
  assert.deepEqual(await readMtxHeader(path), { format: 'array', field: 'real', symmetry: 'general', rows: 3, cols: 2, declared: 6 });
  // Lying, missing or malformed headers are the errors readMtx gives.
  const fails = async (text: string, line: number, pattern: RegExp) => {
    writeFileSync(path, text);
    await assert.rejects(readMtxHeader(path), (e: unknown) => e instanceof ParseError && e.line === line && pattern.test(e.message));
  };
  await fails('%%MatrixMarket matrix array real general\n200000 200000\n1\n', 2, /declares 40000000000 entries/);
  await fails('%%MatrixMarket matrix coordinate real general\n% only comments\n', 2, /no size line after the banner/);
  await fails('', 1, /empty input/);
  await fails('%%MatrixMarket matrix coordinate real general\n3 x 1\n', 2, /'x' is not a non-negative integer/);
});

test('a dense array file on disk that declares more values than it holds is a ParseError before any allocation', () => {
  const dir = tempDir();
  for (const [name, text, pattern] of [
    ['array.mtx', '%%MatrixMarket matrix array real general\n200000 200000\n1\n2\n', /declares 40000000000 entries, which need at least 79999999999 bytes, but the whole input is 59 bytes/],
    ['sym.mtx', '%%MatrixMarket matrix array real symmetric\n100000 100000\n1\n', /declares 5000050000 entries/],
    ['coo.mtx', BANNER + '50000000 50000000 40\n1 1 1\n', /declares 40 entries, which need at least 239 bytes/],
  ] as const) {
    const path = join(dir, name);
    writeFileSync(path, text);
    const t0 = performance.now();
    assertLineError(() => readMtxSync(path), ParseError, path, 2, pattern);
    assert.ok(performance.now() - t0 < 100, `${name}: refused at once`);
  }
});

test('streams files larger than one read chunk, CRLF and all', async () => {
  const dir = tempDir();
  const path = join(dir, 'big.mtx');
  const n = 150000;
  const parts = ['%%MatrixMarket matrix coordinate integer general\r\n%\r\n', `1000 1000 ${n}\r\n`];
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const v = (k % 1000) - 500;
    sum += v;
    parts.push(`${(k % 1000) + 1} ${Math.floor(k / 1000) + 1} ${v}\r\n`);
  }
  writeFileSync(path, parts.join(''));
  for (const d of [await readMtx(path), readMtxSync(path), parseMtx(readFileSync(path))]) {
    assert.equal(d.nnz, n);
    assert.equal(d.entries!.val.reduce((a, b) => a + b, 0), sum);
    assert.equal(d.entries!.row[n - 1], 999);
    assert.equal(d.entries!.col[n - 1], 149);
  }
});

test('encode/parse round trips: layouts, fields, symmetry, dtypes, special values', () => {
  const real = Matrix.from([
    [1.5, 0, NaN, 1e-310],
    [0, -0, 1 / 3, Infinity],
    [-Infinity, 0.1, 0, 1e300],
  ]);
  const sym = Matrix.from([
    [2, -1, 0],
    [-1, 0.5, 1 / 7],
    [0, 1 / 7, 9],
  ]);
  const int = Matrix.from([[0, -3, 2 ** 53], [7, 0, -(2 ** 60)]]);
  const cases: [Matrix, MtxWriteOptions][] = [
    [real, {}],
    [real, { format: 'coordinate' }],
    [real.T, { format: 'array' }],
    [real.slice(1, 3, 1, 3), { format: 'coordinate' }],
    [real.astype('float32'), {}],
    [sym, { symmetry: 'symmetric' }],
    [sym, { symmetry: 'symmetric', format: 'coordinate' }],
    [int, { field: 'integer' }],
    [int, { field: 'integer', format: 'coordinate' }],
    [Matrix.zeros(0, 3), {}],
    [Matrix.zeros(2, 2), { format: 'coordinate' }],
  ];
  for (const [A, opts] of cases) {
    const text = encodeMtx(A, opts);
    const d = parseMtx(text);
    assert.equal(d.format, opts.format ?? 'array');
    assert.equal(d.field, opts.field ?? 'real');
    assert.equal(d.symmetry, opts.symmetry ?? 'general');
    const back = d.dense({ dtype: A.dtype });
    // Coordinate files drop zeros, so -0 comes back as 0.
    const want = opts.format === 'coordinate' ? A.map((v) => (v === 0 ? 0 : v)) : A;
    assertSameMatrix(back, want, text);
  }
  assert.match(encodeMtx(Matrix.from([[0.1]], { dtype: 'float32' })), /\n0\.1\n$/);
  assert.match(encodeMtx(Matrix.from([[1, 0], [0, 2]]), { format: 'coordinate', comment: 'two\nlines' }), /^%%MatrixMarket matrix coordinate real general\n%two\n%lines\n2 2 2\n1 1 1\n2 2 2\n$/);
  assert.equal(encodeMtx(sym, { symmetry: 'symmetric' }).trim().split('\n').length, 2 + 6);
});

test('writer rejects what the file could not say, before creating the file', async () => {
  const dir = tempDir();
  const p = join(dir, 'x.mtx');
  assert.throws(() => encodeMtx(Matrix.zeros(2, 3), { symmetry: 'symmetric' }), ShapeError);
  assert.throws(() => encodeMtx(Matrix.from([[1, 2], [3, 4]]), { symmetry: 'symmetric' }), /not symmetric: \(1, 0\) is 3 but \(0, 1\) is 2/);
  assert.throws(() => writeMtxSync(p, Matrix.from([[1.5]]), { field: 'integer' }), InvalidArgumentError);
  await assert.rejects(writeMtx(p, Matrix.from([[1, 2.5]]), { field: 'integer' }), /element \(0, 1\) is 2.5, not an integer/);
  assert.throws(() => encodeMtx(Matrix.zeros(1, 1), { format: 'dense' as 'array' }), InvalidArgumentError);
  assert.throws(() => encodeMtx(Matrix.zeros(1, 1), { field: 'pattern' as 'real' }), InvalidArgumentError);
  assert.equal(existsSync(p), false);
  await writeMtx(p, Matrix.from([[1, 2]]));
  writeMtxSync(join(dir, 'y.mtx'), Matrix.from([[1, 2]]), { format: 'coordinate' });
  assert.deepEqual((await readMtx(p)).dense().toArray(), [[1, 2]]);
  assert.deepEqual(readMtxSync(join(dir, 'y.mtx')).dense().toArray(), [[1, 2]]);
  await assert.rejects(readMtx(join(dir, 'nope.mtx')), { code: 'ENOENT' });
});

test('scipy reads what we write', { skip: !hasPython() && 'python3 with numpy and scipy not available' }, () => {
  const dir = tempDir();
  const files: [string, Matrix, MtxWriteOptions][] = [
    ['array.mtx', Matrix.from([[1.5, NaN, -0], [Infinity, 1 / 3, 5e-324]]), {}],
    ['coo.mtx', Matrix.from([[0, 2.5, 0], [-1e-300, 0, 1e300]]), { format: 'coordinate' }],
    ['sym.mtx', Matrix.from([[1, 2], [2, 0.1]]), { symmetry: 'symmetric', format: 'coordinate' }],
    ['symarr.mtx', Matrix.from([[1, 2], [2, 0.1]]), { symmetry: 'symmetric' }],
    ['int.mtx', Matrix.from([[3, 0], [-4, 2 ** 60]]), { field: 'integer', format: 'coordinate' }],
    ['f32.mtx', Matrix.from([[0.1, 1 / 3]], { dtype: 'float32' }), {}],
  ];
  for (const [name, M, opts] of files) writeMtxSync(join(dir, name), M, opts);
  const out = runPython(
    `${PY_CELLS}
import scipy.io
res = {}
for name in sys.argv[2:]:
    m = scipy.io.mmread(sys.argv[1] + '/' + name)
    res[name] = cells(m.toarray() if hasattr(m, 'toarray') else m)
print(json.dumps(res))`,
    dir,
    ...files.map(([n]) => n),
  ) as Record<string, unknown>;
  for (const [name, M] of files) {
    // scipy's reader (fast_matrix_market) turns -0 into 0 even in array files.
    const want = cells(M.map((v) => (v === 0 ? 0 : v)));
    // float32 values are written in their shortest float32 form, which a float64 reader
    // takes at face value (as numpy does with repr(np.float32(0.1)) == '0.1').
    assert.deepEqual(out[name], name === 'f32.mtx' ? [[0.1, 0.33333334]] : want, name);
  }
});

test('property: the bytes reader (parseMtx of bytes, readMtx) gives the entries and errors of the string reader', async () => {
  const fc = (await import('fast-check')).default;
  const { parseDecimalBytes } = await import('../../src/io/numbers.js');
  const enc = new TextEncoder();
  // Every spelling a writer might use: shortest round trip, %.17g-like, exponents, signs,
  // leading zeros, integers, tiny and huge values (outside the exact fast path).
  const spell = (v: number, k: number): string => {
    switch (k % 8) {
      case 0: return String(v);
      case 1: return v.toExponential(16);
      case 2: return v.toPrecision(17);
      case 3: return (v >= 0 ? '+' : '') + v.toFixed(6);
      case 4: return v.toExponential(3).replace('e', 'E');
      case 5: return `00${Math.abs(v).toFixed(2)}`;
      case 6: return String(Math.round(v * 1000));
      default: return `${(v * 1e-30).toExponential()}`;
    }
  };
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.nat(31)), { maxLength: 40 }), fc.boolean(), fc.constantFrom('symmetric', 'general'), (rows, crlf, sym) => {
      const nl = crlf ? '\r\n' : '\n';
      const lines = [`%%MatrixMarket matrix coordinate real ${sym}`, '% comment', `9 9 ${rows.length}`];
      rows.forEach(([i, j, v, k], t) => {
        if (t % 7 === 3) lines.push('% between entries', '');
        const sep = k & 16 ? '\t' : '  ';
        lines.push(`${k & 8 ? ' ' : ''}${i}${sep}${j} ${spell(v, k)}${k & 4 ? ' ' : ''}`);
      });
      const text = lines.join(nl) + (rows.length % 2 ? nl : '');
      const a = parseMtx(text, 'f.mtx');
      const b = parseMtx(enc.encode(text), 'f.mtx');
      assert.deepEqual(b.entries, a.entries);
      assert.equal(b.nnz, a.nnz);
      assert.deepEqual(b.comments, a.comments);
    }),
    { numRuns: 150, seed: 7 },
  );
  // Bad lines: the same ParseError (message and line) from bytes as from text.
  for (const bad of ['1 1 x', '1 1 1 1', '0 1 1', '1 10 1', '1 1', '1 1 1e', '1 1 --1', '1 1 1.2.3', '1 1 \u00e91', '1 1 0x10', '1 1 nan', '1 1 -inf', ' 2\t3 4.5e+300 ']) {
    const text = `${BANNER}9 9 1\n${bad}\n`;
    let want: unknown;
    let got: unknown;
    try { want = parseMtx(text, 'b.mtx').entries; } catch (e) { want = (e as Error).message; }
    try { got = parseMtx(enc.encode(text), 'b.mtx').entries; } catch (e) { got = (e as Error).message; }
    assert.deepEqual(got, want, bad);
  }
  // parseDecimalBytes gives Number()'s double wherever it answers.
  fc.assert(
    fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).chain((v) => fc.constantFrom(String(v), v.toExponential(), v.toPrecision(15), v.toFixed(Math.min(20, 3)))), fc.stringMatching(/^[+-]?\d{0,20}(\.\d{0,20})?([eE][+-]?\d{1,4})?$/)), (s) => {
      const v = parseDecimalBytes(enc.encode(s), 0, s.length);
      if (v !== undefined) assert.ok(Object.is(v, Number(s)), `${s}: ${v} vs ${Number(s)}`);
    }),
    { numRuns: 3000, seed: 11 },
  );
  assert.equal(parseDecimalBytes(enc.encode('0.5488135039273248'), 0, 18), 0.5488135039273248);
  assert.equal(parseDecimalBytes(enc.encode('12345678901234567'), 0, 17), undefined); // above 2^53: left to Number()
});
