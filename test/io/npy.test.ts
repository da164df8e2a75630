import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InvalidArgumentError, ParseError, ShapeError, UnsupportedError } from '../../src/errors.js';
import { encodeHeader } from '../../src/io/npy-header.js';
import { encodeNpy, parseNpy, readNpy, readNpyHeader, readNpySync, writeNpy, writeNpySync } from '../../src/io/npy.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { assertSameMatrix, cells, expected, FIXTURES, hasPython, PY_CELLS, runPython, tempDir } from './util.js';

const NPY = join(FIXTURES, 'npy');
const ERRORS = { ParseError, UnsupportedError } as const;

/** A complete .npy file from a header dict text (padded like numpy) and raw data bytes. */
function npyFile(dict: string, data: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const pre = version === 1 ? 10 : 12;
  const raw = new TextEncoder().encode(dict);
  const text = new TextEncoder().encode(dict + ' '.repeat((64 - ((pre + raw.length + 1) % 64)) % 64) + '\n');
  const out = new Uint8Array(pre + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  if (version === 1) new DataView(out.buffer).setUint16(8, text.length, true);
  else new DataView(out.buffer).setUint32(8, text.length, true);
  out.set(text, pre);
  out.set(data, pre + text.length);
  return out;
}

const f8 = (...v: number[]): Uint8Array => new Uint8Array(new Float64Array(v).buffer);

/** Assert `fn` throws `cls` whose message starts with `file` and names a byte offset. */
function assertNpyError(fn: () => unknown, cls: typeof ParseError | typeof UnsupportedError, file: string, pattern?: RegExp): Error {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof cls, `expected ${cls.name}, got ${String(caught)}`);
  const msg = (caught as Error).message;
  assert.ok(msg.startsWith(`${file} at byte `), `message should name the file and byte: ${msg}`);
  if (pattern) assert.match(msg, pattern);
  return caught as Error;
}

test('fixtures: every version, dtype, order and rank matches numpy (sync, async, bytes)', async () => {
  const names = Object.keys(expected.npy);
  assert.equal(names.length, 24);
  for (const name of names) {
    const e = expected.npy[name]!;
    const path = join(NPY, name);
    for (const a of [readNpySync(path), await readNpy(path), parseNpy(readFileSync(path), name)]) {
      assert.equal(a.version, e.version, name);
      assert.equal(a.dtype, e.descr, name);
      assert.deepEqual(a.shape, e.shape, name);
      assert.equal(a.fortranOrder, e.fortranOrder, name);
      assert.equal(a.matrix.dtype, e.dtype, name);
      assert.deepEqual(a.matrix.shape, [e.rows, e.cols], name);
      assert.deepEqual(cells(a.matrix), e.values, name);
    }
  }
});

test('fixtures numpy writes but a matrix cannot hold are typed errors naming file and byte', () => {
  for (const [name, cls] of Object.entries(expected.npyErrors)) {
    const path = join(NPY, name);
    const err = assertNpyError(() => readNpySync(path), ERRORS[cls as keyof typeof ERRORS], path);
    assertNpyError(() => parseNpy(readFileSync(path), name), ERRORS[cls as keyof typeof ERRORS], name);
    const words: Record<string, RegExp> = {
      'be_f8.npy': /big-endian dtype '>f8'/,
      'be_i4.npy': /big-endian/,
      'object.npy': /object arrays/,
      'structured.npy': /structured/,
      'complex.npy': /complex/,
      'unicode.npy': /string/,
      'datetime.npy': /datetime/,
      'three_d.npy': /3-D array of shape \(2, 3, 4\)/,
    };
    assert.match(err.message, words[name]!, name);
  }
});

test('several arrays saved to one file: trailing bytes are an error unless allowed', async () => {
  const path = join(NPY, 'two_arrays.npy');
  assertNpyError(() => readNpySync(path), ParseError, path, /unexpected bytes after the data/);
  assert.deepEqual(readNpySync(path, { allowTrailing: true }).matrix.toArray(), [[1, 2]]);
  assert.deepEqual((await readNpy(path, { allowTrailing: true })).matrix.toArray(), [[1, 2]]);
});

test('encode/parse round trip: dtypes, orders, versions, shapes, views, special values', () => {
  const base = Matrix.from([
    [1.5, NaN, -0, 1e-310],
    [Infinity, -Infinity, 1 / 3, 1e300],
    [7, 8, 9, -2.5],
  ]);
  const mats = [
    base,
    base.T,
    base.slice(1, 3, 1, 4),
    base.row(1),
    base.col(2),
    Matrix.from([[5]]),
    Matrix.random(37, 23, { seed: 3, distribution: 'normal' }),
  ];
  const empties = (dtype: 'float64' | 'float32'): Matrix[] => [Matrix.zeros(0, 0, { dtype }), Matrix.zeros(0, 3, { dtype }), Matrix.zeros(4, 0, { dtype })];
  for (const A of mats) {
    for (const dtype of ['float64', 'float32'] as const) {
      const M = A.astype(dtype);
      for (const E of empties(dtype)) {
        const back = parseNpy(encodeNpy(E)).matrix;
        assert.deepEqual([back.shape, back.dtype], [E.shape, dtype]);
      }
      for (const fortranOrder of [true, false]) {
        for (const version of [undefined, 1, 2, 3] as const) {
          const bytes = encodeNpy(M, { fortranOrder, version });
          const back = parseNpy(bytes);
          assert.equal(back.dtype, dtype === 'float32' ? '<f4' : '<f8');
          assert.equal(back.version, version ?? 1);
          assert.equal(back.fortranOrder, fortranOrder);
          assert.equal(back.matrix.dtype, dtype);
          assertSameMatrix(back.matrix, M, `${M.rows}x${M.cols} ${dtype} F=${fortranOrder} v${version}`);
        }
      }
    }
  }
});

test('write options: <f4 from float64, 1-D vectors, errors for bad options', () => {
  const A = Matrix.from([[0.1, 2], [3, 4]]);
  const f4 = parseNpy(encodeNpy(A, { dtype: '<f4' }));
  assert.equal(f4.dtype, '<f4');
  assert.equal(f4.matrix.get(0, 0), Math.fround(0.1));
  const col = Matrix.from([[1], [2], [3]]);
  for (const v of [col, col.T]) {
    const a = parseNpy(encodeNpy(v, { shape1d: true }));
    assert.deepEqual(a.shape, [3]);
    assert.equal(a.fortranOrder, false);
    assert.deepEqual(a.matrix.toArray(), [[1], [2], [3]]);
  }
  assert.throws(() => encodeNpy(A, { shape1d: true }), ShapeError);
  assert.throws(() => encodeNpy(A, { dtype: '<i4' as '<f8' }), InvalidArgumentError);
  assert.throws(() => encodeNpy(A, { version: 4 as 1 }), InvalidArgumentError);
});

test('headers are padded so data starts at a multiple of 64 and end in a newline', () => {
  for (const version of [1, 2, 3] as const) {
    for (const shape of [[0], [3], [12345678, 3], [2 ** 31 - 1, 2 ** 31 - 1]]) {
      const h = encodeHeader('<f8', true, shape, version);
      assert.equal(h.length % 64, 0);
      assert.equal(h[h.length - 1], 0x0a);
      assert.equal(h[6], version);
    }
  }
  const one = encodeNpy(Matrix.zeros(2, 2));
  assert.match(new TextDecoder().decode(one.subarray(10, 128)), /^\{'descr': '<f8', 'fortran_order': True, 'shape': \(2, 2\), \} +\n$/);
});

test('reads from unaligned views and pooled Buffers', () => {
  const A = Matrix.random(5, 7, { seed: 9 });
  const bytes = encodeNpy(A, { fortranOrder: false });
  for (const shift of [1, 2, 3, 4, 5, 7]) {
    const big = new Uint8Array(bytes.length + shift);
    big.set(bytes, shift);
    assertSameMatrix(parseNpy(big.subarray(shift)).matrix, A, `shift ${shift}`);
  }
  assertSameMatrix(parseNpy(Buffer.from(bytes)).matrix, A);
  const i4 = readFileSync(join(NPY, 'i4.npy'));
  const odd = new Uint8Array(i4.length + 1);
  odd.set(i4, 1);
  assert.deepEqual(cells(parseNpy(odd.subarray(1)).matrix), expected.npy['i4.npy']!.values);
});

test('file writers and readers round trip (sync and async)', async () => {
  const dir = tempDir();
  const A = Matrix.random(300, 200, { seed: 4, distribution: 'normal' }); // > one write chunk when C order
  const B = Matrix.random(1100, 1000, { seed: 5, dtype: 'float32' }); // 4.4 MB: several chunks
  await writeNpy(join(dir, 'a.npy'), A);
  writeNpySync(join(dir, 'a_c.npy'), A, { fortranOrder: false });
  await writeNpy(join(dir, 'b.npy'), B.T, { fortranOrder: true });
  writeNpySync(join(dir, 's.npy'), A.col(0), { shape1d: true });
  assertSameMatrix((await readNpy(join(dir, 'a.npy'))).matrix, A);
  assertSameMatrix(readNpySync(join(dir, 'a_c.npy')).matrix, A);
  assertSameMatrix(readNpySync(join(dir, 'b.npy')).matrix, B.T);
  assert.deepEqual(readNpySync(join(dir, 's.npy')).shape, [300]);
  assert.deepEqual(readFileSync(join(dir, 'a.npy')), Buffer.from(encodeNpy(A)));
  assert.equal(readNpySync(join(dir, 'b.npy'), { dtype: 'float64' }).matrix.dtype, 'float64');
  await assert.rejects(readNpy(join(dir, 'missing.npy')), { code: 'ENOENT' });
});

test('malformed preambles: empty, bad magic, truncated, unknown version', () => {
  const good = encodeNpy(Matrix.from([[1, 2]]));
  assertNpyError(() => parseNpy(new Uint8Array(0)), ParseError, '<buffer>', /inside the .npy magic/);
  assertNpyError(() => parseNpy(new TextEncoder().encode('PK\x03\x04 this is a zip')), ParseError, '<buffer>', /not an .npy file/);
  assertNpyError(() => parseNpy(good.subarray(0, 7)), ParseError, '<buffer>', /version/);
  assertNpyError(() => parseNpy(good.subarray(0, 9)), ParseError, '<buffer>', /header length/);
  assertNpyError(() => parseNpy(good.subarray(0, 40)), ParseError, '<buffer>', /file ends inside the header/);
  const v4 = good.slice();
  v4[6] = 4;
  assertNpyError(() => parseNpy(v4), UnsupportedError, '<buffer>', /version 4\.0/);
  const minor = good.slice();
  minor[7] = 1;
  assertNpyError(() => parseNpy(minor), UnsupportedError, '<buffer>', /version 1\.1/);
});

test('lying headers cost nothing: absurd header lengths and shapes fail before allocating', () => {
  // A v2 header length of 4 GB in a 12-byte buffer.
  const huge = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0, 0xf0, 0xff, 0xff, 0xff]);
  assertNpyError(() => parseNpy(huge), ParseError, '<buffer>', /exceeds the limit of 10000 bytes/);
  assertNpyError(() => parseNpy(huge, 'x.npy', { maxHeaderSize: Infinity }), ParseError, 'x.npy', /file ends inside the header/);
  // A shape promising 8 * 10^24 bytes, with 16 bytes of data behind it.
  const t0 = performance.now();
  const e = assertNpyError(
    () => parseNpy(npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000, 1000000000000), }", f8(1, 2))),
    ParseError,
    '<buffer>',
    /data is truncated: shape \(1000000000000, 1000000000000\) of <f8 needs 8000000000000000000000000 bytes from byte 128, but only 16 are there/,
  );
  assert.equal((e as ParseError).byteOffset, 144);
  assert.ok(performance.now() - t0 < 200);
  // Real data cut short: the error points at the end of the file.
  const full = encodeNpy(Matrix.random(100, 100, { seed: 1 }));
  const cut = full.subarray(0, full.length - 13);
  const err = assertNpyError(() => parseNpy(cut), ParseError, '<buffer>', /needs 80000 bytes from byte 128, but only 79987 are there/);
  assert.equal((err as ParseError).byteOffset, cut.length);
});

test('shapes at the dimension limit with no data: read as empty matrices, nothing allocated from the shape', async () => {
  const dir = tempDir();
  for (const shape of ['(2147483647, 0)', '(0, 2147483647)']) {
    const bytes = npyFile(`{'descr': '<f8', 'fortran_order': False, 'shape': ${shape}, }`);
    const path = join(dir, 'empty.npy');
    writeFileSync(path, bytes);
    for (const a of [parseNpy(bytes), readNpySync(path), await readNpy(path)]) {
      assert.equal(a.matrix.size, 0);
      assert.deepEqual(a.shape, JSON.parse(shape.replace('(', '[').replace(')', ']')));
    }
  }
  // The header alone gives the shape, checked against the file's length like a full read.
  const head = await readNpyHeader(join(dir, 'empty.npy'));
  assert.deepEqual([head.shape, head.type.descr, head.count, head.dataBytes], [[0, 2147483647], '<f8', 0, 0]);
  const cutPath = join(dir, 'cut.npy');
  writeFileSync(cutPath, encodeNpy(Matrix.random(10, 10, { seed: 3 })).subarray(0, 200));
  await assert.rejects(readNpyHeader(cutPath), (e: unknown) => e instanceof ParseError && /data is truncated: shape \(10, 10\)/.test((e as Error).message));
  // A shape the data does not back: refused from the header, before anything of its size exists.
  const lying = npyFile("{'descr': '|u1', 'fortran_order': True, 'shape': (2147483647, 2), }", new Uint8Array(8));
  assertNpyError(() => parseNpy(lying), ParseError, '<buffer>', /needs 4294967294 bytes from byte 128, but only 8 are there/);
});

test('truncated files on disk are reported with the path and byte offset', async () => {
  const dir = tempDir();
  const path = join(dir, 'cut.npy');
  const full = encodeNpy(Matrix.random(50, 40, { seed: 2 }));
  writeFileSync(path, full.subarray(0, 1000));
  assertNpyError(() => readNpySync(path), ParseError, path, /truncated/);
  await assert.rejects(readNpy(path), (e: unknown) => e instanceof ParseError && e.message.startsWith(`${path} at byte 1000:`));
  writeFileSync(path, full.subarray(0, 50));
  await assert.rejects(readNpy(path), (e: unknown) => e instanceof ParseError && /inside the header/.test((e as Error).message));
});

test('malformed header dicts are ParseErrors located in the header', () => {
  const cases: [string, RegExp][] = [
    ["{'descr': '<f8', 'fortran_order': False, }", /missing key 'shape'/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'extra': 1, }", /unexpected key 'extra'/],
    ["{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", /duplicate key 'descr'/],
    ["['descr', '<f8']", /not a dict/],
    ["{'descr': '<f8', 'fortran_order': 0, 'shape': (2,), }", /'fortran_order' is not True or False/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': [2], }", /'shape' is not a tuple/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (2), }", /'shape' is not a tuple/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }", /not a non-negative integer/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (2.0,), }", /not a non-negative integer/],
    ["{'descr': 8, 'fortran_order': False, 'shape': (2,), }", /'descr' is not a string/],
    ["{'descr': '<x8', 'fortran_order': False, 'shape': (2,), }", /not a supported numpy dtype/],
    ["{'descr': 'hello', 'fortran_order': False, 'shape': (2,), }", /not a numpy dtype/],
    ["{'descr': '<f8, 'fortran_order': False, 'shape': (2,), }", /expected ':'|expected ','/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (2,) ", /expected ',' or '}'/],
    ["{'descr': '<f8', 'fortran_order': Maybe, 'shape': (2,), }", /unexpected name 'Maybe'/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': " + '('.repeat(40) + ')'.repeat(40) + ', }', /nested deeper/],
    ["{'descr': '<f8', 'fortran_order': False, 'shape': (2,), } trailing", /after the literal/],
  ];
  for (const [dict, pattern] of cases) {
    const e = assertNpyError(() => parseNpy(npyFile(dict, f8(1, 2))), ParseError, '<buffer>', pattern);
    const at = (e as ParseError).byteOffset!;
    assert.ok(at >= 10 && at <= 128, `offset ${at} should be inside the header for ${dict}`);
  }
  const unsupported: [string, RegExp][] = [
    ["{'descr': '<f16', 'fortran_order': False, 'shape': (1,), }", /extended-precision/],
    ["{'descr': [('x', '<f8')], 'fortran_order': False, 'shape': (1,), }", /structured/],
    ["{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", /complex/],
  ];
  for (const [dict, pattern] of unsupported) assertNpyError(() => parseNpy(npyFile(dict, f8(1, 2))), UnsupportedError, '<buffer>', pattern);
});

test('header dialects numpy accepts: Python 2 longs, u-strings, v3 UTF-8, any byte order for 1-byte types', () => {
  const py2 = parseNpy(npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (1L, 2L), }", f8(3, 4)));
  assert.deepEqual(py2.matrix.toArray(), [[3, 4]]);
  const u = parseNpy(npyFile("{u'descr': u'<f8', u'fortran_order': True, u'shape': (2,), }", f8(3, 4)));
  assert.deepEqual(u.matrix.toArray(), [[3], [4]]);
  const dq = parseNpy(npyFile('{"descr": "|u1", "fortran_order": False, "shape": (2, 1)}', new Uint8Array([7, 250])));
  assert.deepEqual(dq.matrix.toArray(), [[7], [250]]);
  const be1 = parseNpy(npyFile("{'descr': '>u1', 'fortran_order': False, 'shape': (1,), }", new Uint8Array([9])));
  assert.deepEqual(be1.matrix.toArray(), [[9]]);
  const v3 = parseNpy(npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), } # comment: é", f8(1), 3), 'v3');
  assert.equal(v3.version, 3);
  // Error offsets count bytes, not characters: 'é' is two bytes in UTF-8.
  const e = assertNpyError(() => parseNpy(npyFile("{'é': 1, 'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", f8(1), 3)), ParseError, '<buffer>', /unexpected key 'é'/);
  assert.equal((e as ParseError).byteOffset, 12);
  const e2 = assertNpyError(() => parseNpy(npyFile("{'é': 1 2}", f8(1), 3)), ParseError, '<buffer>', /expected ',' or '}', found '2'/);
  assert.equal((e2 as ParseError).byteOffset, 12 + 9); // char 8, after a 2-byte character
  const badUtf8 = npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", f8(1), 3);
  badUtf8[20] = 0xff;
  assertNpyError(() => parseNpy(badUtf8), ParseError, '<buffer>', /UTF-8/);
  const bools = parseNpy(npyFile("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", new Uint8Array([0, 1, 2])));
  assert.deepEqual(bools.matrix.toArray(), [[0], [1], [1]]);
});

test('numpy reads what we write, bit for bit', { skip: !hasPython() && 'python3 with numpy not available' }, () => {
  const dir = tempDir();
  const A = Matrix.from([
    [1.5, NaN, -0, 5e-324],
    [Infinity, -Infinity, 1 / 3, 1.7976931348623157e308],
    [0.1, 0.2, 0.30000000000000004, -2.5],
  ]);
  const files: [string, Matrix, Parameters<typeof encodeNpy>[1]][] = [
    ['f.npy', A, {}],
    ['c.npy', A, { fortranOrder: false }],
    ['t.npy', A.T, {}],
    ['v2.npy', A, { version: 2 }],
    ['v3.npy', A, { version: 3 }],
    ['f4.npy', A.astype('float32'), {}],
    ['tof4.npy', A, { dtype: '<f4', fortranOrder: false }],
    ['vec.npy', A.row(2), { shape1d: true }],
    ['empty.npy', Matrix.zeros(0, 4), {}],
  ];
  for (const [name, M, opts] of files) writeFileSync(join(dir, name), encodeNpy(M, opts));
  const out = runPython(
    `${PY_CELLS}
d = sys.argv[1]
res = {}
for name in sys.argv[2:]:
    a = np.load(d + '/' + name)
    res[name] = {'shape': list(a.shape), 'dtype': a.dtype.str, 'f': bool(a.flags.f_contiguous), 'cells': cells(a)}
print(json.dumps(res))`,
    dir,
    ...files.map(([n]) => n),
  ) as Record<string, { shape: number[]; dtype: string; f: boolean; cells: unknown }>;
  for (const [name, M, opts] of files) {
    const r = out[name]!;
    const dtype = opts?.dtype ?? (M.dtype === 'float32' ? '<f4' : '<f8');
    assert.equal(r.dtype, dtype, name);
    assert.deepEqual(r.shape, opts?.shape1d ? [M.size] : [M.rows, M.cols], name);
    const want = dtype === '<f4' ? M.astype('float32') : M;
    assert.deepEqual(r.cells, cells(opts?.shape1d ? Matrix.fromArray(want.toFlat(), M.size, 1) : want), name);
  }
});
