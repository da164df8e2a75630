import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { InvalidArgumentError, LowrankError, ParseError, UnsupportedError } from '../../src/errors.js';
import { parseNpy, readNpy } from '../../src/io/npy.js';
import { encodeNpyTensor, parseNpyTensor, readTensor, readTensorHeader, readTensorSync, writeTensor, writeTensorSync } from '../../src/io/npy.js';
import { planTensor, tensorChunks } from '../../src/io/npy-tensor.js';
import { Tensor } from '../../src/tensor/index.js';
import { FIXTURES, hasPython, runPython, tempDir, type Cell } from '../io/util.js';

const DIR = join(FIXTURES, 'tensor', 'npy');
const fx = JSON.parse(readFileSync(join(FIXTURES, 'tensor', 'npy.json'), 'utf8')) as {
  files: Record<string, { shape: number[]; descr: string; fortranOrder: boolean; values: Cell[] }>;
};

function cellsOf(t: Tensor): Cell[] {
  return [...t.toFlat('C')].map((v): Cell => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v));
}

/** The same file by hand: numpy's header padding, then raw data bytes. */
function npyFile(dict: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const raw = new TextEncoder().encode(dict);
  const text = new TextEncoder().encode(dict + ' '.repeat((64 - ((10 + raw.length + 1) % 64)) % 64) + '\n');
  const out = new Uint8Array(10 + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, text.length, true);
  out.set(text, 10);
  out.set(data, 10 + text.length);
  return out;
}

test('fixtures written by np.save: shape, dtype, order and every value (sync, async, bytes)', async () => {
  assert.ok(Object.keys(fx.files).length >= 20);
  for (const [name, want] of Object.entries(fx.files)) {
    const path = join(DIR, name);
    const reads = [await readTensor(path), readTensorSync(path), parseNpyTensor(readFileSync(path), name)];
    for (const t of reads) {
      assert.deepEqual([...t.shape], want.shape.length === 0 ? [1] : want.shape, name);
      const f32 = want.descr === '<f4' || want.descr === '<f2';
      assert.equal(t.dtype, f32 ? 'float32' : 'float64', name);
      // the file's order is kept, as np.load keeps it
      if (want.fortranOrder) assert.ok(t.isContiguous('F') && !t.isContiguous('C'), `${name}: Fortran strides`);
      else assert.ok(t.isContiguous('C'), `${name}: C strides`);
      assert.deepEqual(cellsOf(t), want.values, name);
    }
    const h = await readTensorHeader(path);
    assert.deepEqual(h.shape, want.shape, name);
    assert.equal(h.type.descr, want.descr, name);
    assert.equal(h.fortranOrder, want.fortranOrder, name);
  }
});

test('order and dtype options: convert on read, values unchanged', async () => {
  for (const name of ['f8_3d_f.npy', 'f8_5d_c.npy', 'f4_4d_f.npy', 'i4_3d_f.npy', 'f8_1d.npy']) {
    const want = fx.files[name]!;
    const path = join(DIR, name);
    for (const order of ['C', 'F'] as const) {
      const t = await readTensor(path, { order });
      assert.ok(t.isContiguous(order), `${name} as ${order}`);
      assert.deepEqual(cellsOf(t), want.values, `${name} as ${order}`);
    }
    const t64 = readTensorSync(path, { dtype: 'float64' });
    assert.equal(t64.dtype, 'float64');
    assert.deepEqual(cellsOf(t64), want.values);
    const t32 = readTensorSync(path, { dtype: 'float32', order: 'C' });
    assert.equal(t32.dtype, 'float32');
    assert.deepEqual([...t32.toFlat()], [...Float32Array.from(want.values as number[])]);
  }
  await assert.rejects(readTensor(join(DIR, 'f8_1d.npy'), { order: 'K' as 'C' }), InvalidArgumentError);
  assert.throws(() => readTensorSync(join(DIR, 'f8_1d.npy'), { dtype: 'int32' as 'float64' }), InvalidArgumentError);
});

test('the matrix readers are unchanged: 2-d files as before, n-d files an UnsupportedError pointing to readTensor', async () => {
  const m = await readNpy(join(DIR, 'f8_2d_f.npy'));
  const t = await readTensor(join(DIR, 'f8_2d_f.npy'));
  assert.deepEqual([m.matrix.rows, m.matrix.cols], [...t.shape]);
  assert.deepEqual(m.matrix.toArray(), t.toNested());
  await assert.rejects(readNpy(join(DIR, 'f8_3d_c.npy')), (e: Error) => e instanceof UnsupportedError && /3-D array of shape \(2, 3, 4\).*readTensor/.test(e.message));
});

test('round trip through files and bytes: layouts, views, dtypes, versions, special values, empty', async () => {
  const dir = tempDir();
  const base = Tensor.random([3, 4, 2, 5], { seed: 3 });
  base.set([0, 0, 0, 0], NaN).set([1, 1, 1, 1], -Infinity).set([2, 2, 1, 2], -0).set([0, 1, 0, 1], 5e-324);
  const F = Tensor.fromArray(base.toFlat('F'), base.shape, { order: 'F' });
  const cases: [string, Tensor, Parameters<typeof writeTensor>[2]][] = [
    ['c', base, {}],
    ['f', F, {}],
    ['c-as-f', base, { fortranOrder: true }],
    ['f-as-c', F, { fortranOrder: false }],
    ['permuted', base.permute([2, 0, 3, 1]), {}],
    ['sliced', base.slice([[1, 3], null, 1, [0, 5]]), {}],
    ['f32', base.astype('float32'), {}],
    ['to-f4', base, { dtype: '<f4' }],
    ['v2', base, { version: 2 }],
    ['v3', F, { version: 3 }],
    ['empty', Tensor.zeros([2, 0, 3]), {}],
    ['1d', Tensor.fromArray([1, 2, 3], [3]), {}],
  ];
  for (const [name, t, opts] of cases) {
    const want = opts?.dtype === '<f4' ? t.astype('float32') : t;
    const fortran = opts?.fortranOrder ?? (t.isContiguous('F') && !t.isContiguous('C'));
    const bytes = encodeNpyTensor(t, opts);
    const p1 = join(dir, `${name}-a.npy`);
    const p2 = join(dir, `${name}-s.npy`);
    await writeTensor(p1, t, opts);
    writeTensorSync(p2, t, opts);
    assert.deepEqual(readFileSync(p1), Buffer.from(bytes), `${name}: writeTensor = encodeNpyTensor`);
    assert.deepEqual(readFileSync(p2), Buffer.from(bytes), `${name}: writeTensorSync = encodeNpyTensor`);
    assert.equal(statSync(p1).size, bytes.length);
    assert.equal((bytes.length - want.size * (want.dtype === 'float32' ? 4 : 8)) % 64, 0, `${name}: data starts at a multiple of 64`);
    const back = parseNpyTensor(bytes);
    assert.deepEqual([...back.shape], [...t.shape], name);
    assert.equal(back.dtype, want.dtype, name);
    assert.equal(back.isContiguous('F') && !back.isContiguous('C'), fortran && t.shape.filter((n) => n > 1).length > 1, name);
    assert.deepEqual(cellsOf(back), cellsOf(want), name);
    assert.deepEqual(cellsOf(await readTensor(p1)), cellsOf(want), name);
  }
  // a parsed tensor never aliases the caller's bytes
  const bytes = encodeNpyTensor(base);
  const t = parseNpyTensor(bytes);
  bytes.fill(0, bytes.length - 8);
  assert.ok(!Number.isNaN(t.get([2, 3, 1, 4])) && t.get([2, 3, 1, 4]) !== 0);
});

test('streamed writes: any layout and chunk size gives the file order (property)', () => {
  const layout = fc
    .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 5 })
    .chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        perm: fc.shuffledSubarray([...shape.keys()], { minLength: shape.length, maxLength: shape.length }),
        fortran: fc.boolean(),
        f4: fc.boolean(),
        chunk: fc.integer({ min: 1, max: 40 }),
      }),
    );
  fc.assert(
    fc.property(layout, ({ shape, perm, fortran, f4, chunk }) => {
      const t = Tensor.random(shape, { seed: shape.length }).permute(perm);
      const p = planTensor(t, { fortranOrder: fortran, dtype: f4 ? '<f4' : '<f8' });
      // each chunk is consumed before the next is asked for (the buffer is reused)
      const parts: number[][] = [];
      for (const c of tensorChunks(t, p, chunk)) parts.push([...c]);
      if (parts.some((c) => c.length === 0 || c.length > chunk)) return false;
      const got = parts.flat();
      const want = [...Float64Array.from(f4 ? t.astype('float32').toFlat(fortran ? 'F' : 'C') : t.toFlat(fortran ? 'F' : 'C'))];
      return got.length === want.length && got.every((v, i) => v === want[i]);
    }),
    { numRuns: 300 },
  );
});

test('lying headers are ParseErrors naming the file, found before allocating', async () => {
  const dict = (shape: string, descr = '<f8', fortran = 'False'): string => `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
  const data = new Uint8Array(48);
  const bad: [string, RegExp][] = [
    ['(1099511627776, 1099511627776, 1099511627776)', /data is truncated: shape \(1099511627776, 1099511627776, 1099511627776\) of <f8 needs 10633823966279326983230456482242756608 bytes/],
    ['(4294967296, 4294967296, 4294967296, 4294967296, 4294967296)', /data is truncated/], // product far beyond 2^64
    ['(2, 2, 2)', /data is truncated: shape \(2, 2, 2\) of <f8 needs 64 bytes .* only 48/],
    ['(2, 1, 2)', /16 unexpected bytes after the data of shape \(2, 1, 2\)/],
    ['(2, -1, 3)', /not a non-negative integer/],
  ];
  for (const [shape, pattern] of bad) {
    const bytes = npyFile(dict(shape), data);
    assert.throws(() => parseNpyTensor(bytes, 'lying.npy'), (e: Error) => e instanceof ParseError && e.message.startsWith('lying.npy at byte ') && pattern.test(e.message), shape);
  }
  const dir = tempDir();
  const path = join(dir, 'lying.npy');
  writeFileSync(path, npyFile(dict('(65536, 65536, 65536)'), data));
  await assert.rejects(readTensor(path), (e: Error) => e instanceof ParseError && e.message.startsWith(`${path} at byte `) && /truncated/.test(e.message));
  assert.throws(() => readTensorSync(path), ParseError);
  await assert.rejects(readTensorHeader(path), ParseError);
  // a zero-size shape with a dimension beyond a tensor's limit: nothing to read, still refused
  assert.throws(() => parseNpyTensor(npyFile(dict('(0, 4294967296, 2)'))), (e: Error) => e instanceof UnsupportedError && /tensor limit/.test(e.message));
  // empty shapes with no data read fine
  assert.deepEqual([...parseNpyTensor(npyFile(dict('(3, 0, 2)'))).shape], [3, 0, 2]);
  // dtypes a tensor cannot hold
  assert.throws(() => parseNpyTensor(npyFile(dict('(1, 1, 1)', '<c16'), new Uint8Array(16))), UnsupportedError);
  assert.throws(() => parseNpyTensor(npyFile(dict('(1, 1, 1)', '>f8'), new Uint8Array(8))), UnsupportedError);
  // the matrix reader's messages for the same bytes are as before
  assert.throws(() => parseNpy(npyFile(dict('(2, 2, 2)'), new Uint8Array(64))), UnsupportedError);
});

test('numpy reads what writeTensor writes, bit for bit', { skip: !hasPython() && 'python3 with numpy not available' }, async () => {
  const dir = tempDir();
  const base = Tensor.random([2, 3, 4, 2], { seed: 9 });
  base.set([0, 0, 0, 0], NaN).set([1, 2, 3, 1], -0).set([1, 0, 0, 0], Infinity);
  const F = Tensor.fromArray(base.toFlat('F'), base.shape, { order: 'F' });
  const files: [string, Tensor, Parameters<typeof writeTensor>[2]][] = [
    ['c.npy', base, {}],
    ['f.npy', F, {}],
    ['perm.npy', base.permute([3, 1, 0, 2]), {}],
    ['f4.npy', base, { dtype: '<f4', fortranOrder: true }],
    ['v3.npy', base.slice([1, null, [1, 3], null]), { version: 3 }],
    ['five.npy', Tensor.random([2, 1, 3, 2, 2], { seed: 1 }), {}],
  ];
  for (const [name, t, opts] of files) await writeTensor(join(dir, name), t, opts);
  const out = runPython(
    `
import json, math, sys
import numpy as np
def c(v):
    v = float(v)
    return 'nan' if math.isnan(v) else ('inf' if v > 0 else '-inf') if math.isinf(v) else v
res = {}
for name in sys.argv[2:]:
    a = np.load(sys.argv[1] + '/' + name)
    res[name] = {'shape': list(a.shape), 'dtype': a.dtype.str, 'f': bool(a.flags.f_contiguous and not a.flags.c_contiguous),
                 'cells': [c(v) for v in a.astype(np.float64).ravel(order='C')], 'neg0': [bool(np.signbit(v) and v == 0) for v in a.ravel(order='C')]}
print(json.dumps(res))`,
    dir,
    ...files.map(([n]) => n),
  ) as Record<string, { shape: number[]; dtype: string; f: boolean; cells: Cell[]; neg0: boolean[] }>;
  for (const [name, t, opts] of files) {
    const r = out[name]!;
    const want = opts?.dtype === '<f4' ? t.astype('float32') : t;
    assert.deepEqual(r.shape, [...t.shape], name);
    assert.equal(r.dtype, opts?.dtype ?? '<f8', name);
    assert.equal(r.f, opts?.fortranOrder ?? (t.isContiguous('F') && !t.isContiguous('C')), name);
    assert.deepEqual(r.cells.map((v) => (v === 0 ? 0 : v)), cellsOf(want).map((v) => (v === 0 ? 0 : v)), name);
    assert.deepEqual(r.neg0, [...want.toFlat()].map((v) => Object.is(v, -0)), name);
  }
});

test('fuzz: mutated n-d files and absurd shapes give a tensor the bytes hold, or a typed error', () => {
  const names = Object.keys(fx.files);
  const files = new Map(names.map((n) => [n, new Uint8Array(readFileSync(join(DIR, n)))]));
  const edit = fc.oneof(
    fc.record({ op: fc.constant('set' as const), at: fc.nat({ max: 200 }), byte: fc.constantFrom(...Array.from("0123456789(), '-<>|fiub:{}TrueFalse\n", (c) => c.charCodeAt(0)), 0, 0xff) }),
    fc.record({ op: fc.constant('cut' as const), at: fc.nat({ max: 400 }), byte: fc.constant(0) }),
  );
  const survive = (bytes: Uint8Array): void => {
    try {
      const t = parseNpyTensor(bytes, 'fuzz.npy');
      assert.ok(t.size <= bytes.length, `a tensor of ${t.size} elements from ${bytes.length} bytes`);
    } catch (e) {
      assert.ok(e instanceof LowrankError, `untyped error: ${String(e)}`);
    }
  };
  fc.assert(
    fc.property(fc.constantFrom(...names), fc.array(edit, { minLength: 1, maxLength: 4 }), (name, edits) => {
      let b = files.get(name)!;
      for (const e of edits) {
        if (e.op === 'cut') b = b.slice(0, Math.min(b.length, e.at));
        else if (b.length > 0) (b = b.slice())[e.at % b.length] = e.byte;
      }
      survive(b);
    }),
    { numRuns: 600 },
  );
  const dim = fc.oneof(fc.constantFrom('0', '1', '3', '65536', '2147483647', '2147483648', '4294967296', '9007199254740993', '18446744073709551616'), fc.nat({ max: 9 }).map(String));
  fc.assert(
    fc.property(fc.array(dim, { minLength: 0, maxLength: 7 }), fc.constantFrom('<f8', '<f4', '<i4', '|u1', '<i8', '|b1', '<f2'), fc.boolean(), fc.nat({ max: 96 }), (shape, descr, fortran, n) => {
      const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
      survive(npyFile(`{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${tuple}, }`, new Uint8Array(n).fill(0x3f)));
    }),
    { numRuns: 400 },
  );
});
