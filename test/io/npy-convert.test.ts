// The streaming .npy -> .npy converter (`lowrank convert A.npy B.npy`): byte for byte what
// reading the file as a matrix and writing it with writeNpy gives, except that a 2-D C-order
// source keeps C order (as numpy's np.save(np.load(A)) does: the same matrix, rows in
// sequence), for every dtype the reader takes, both orders, 0-D, 1-D, empty, single-row and
// multi-piece files; bad headers raise the reader's errors; a failed conversion leaves no
// destination (and an existing one untouched).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { ParseError, UnsupportedError } from '../../src/errors.js';
import { convertNpyFile } from '../../src/io/npy-convert.js';
import { encodeHeader } from '../../src/io/npy-header.js';
import { encodeNpy, parseNpy, readNpy, writeNpy } from '../../src/io/npy.js';
import type { DType } from '../../src/matrix/dtype.js';
import { json, run } from '../cli/harness.js';
import { tempDir } from './util.js';

/** Bytes of `count` elements of `descr` (value k -> a distinct, exactly representable number; some NaN/Inf for floats). */
function elementBytes(descr: string, count: number, seed = 1): Uint8Array {
  const size = Number(descr.slice(2));
  const b = new Uint8Array(count * size);
  const v = new DataView(b.buffer);
  let s = seed >>> 0;
  const next = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
  for (let k = 0; k < count; k++) {
    const r = next();
    const at = k * size;
    switch (descr.slice(1)) {
      case 'f8':
        v.setFloat64(at, k % 97 === 5 ? NaN : k % 89 === 7 ? -Infinity : (r / 2 ** 31 - 1) * 2 ** ((r % 40) - 20), true);
        break;
      case 'f4':
        v.setFloat32(at, k % 97 === 5 ? NaN : (r / 2 ** 31 - 1) * 1e3, true);
        break;
      case 'f2':
        v.setUint16(at, r & 0xffff, true); // every half pattern, NaN and Inf included
        break;
      case 'i8':
        v.setBigInt64(at, (BigInt(r) << 31n) ^ BigInt(next()) * (k % 2 ? -1n : 1n), true); // beyond 2^53: rounded
        break;
      case 'u8':
        v.setBigUint64(at, (BigInt(r) << 32n) | BigInt(next()), true);
        break;
      case 'i4':
        v.setInt32(at, r | 0, true);
        break;
      case 'u4':
        v.setUint32(at, r, true);
        break;
      case 'i2':
        v.setInt16(at, r & 0xffff, true);
        break;
      case 'u2':
        v.setUint16(at, r & 0xffff, true);
        break;
      case 'i1':
        v.setInt8(at, r & 0xff);
        break;
      default: // u1, b1 (any nonzero byte is True)
        v.setUint8(at, r % 3 === 0 ? 0 : r & 0xff);
    }
  }
  return b;
}

function npyFile(descr: string, fortran: boolean, shape: number[], seed = 1, version?: 1 | 2 | 3): Uint8Array {
  const head = encodeHeader(descr, fortran, shape, version);
  const data = elementBytes(descr, shape.reduce((a, b) => a * b, 1), seed);
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}

/** `bytes` with the header's dtype string `from` replaced by `to`, padded with a space to keep the length. */
function withDescr(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const out = bytes.slice();
  const head = new TextDecoder('latin1').decode(out.subarray(0, 64));
  const changed = head.replace(`'${from}', `, `'${to}', ${' '.repeat(from.length - to.length)}`);
  assert.notEqual(changed, head);
  for (let i = 0; i < changed.length; i++) out[i] = changed.charCodeAt(i); // latin1 back to bytes
  return out;
}

/** Whether the .npy file `path` holds a 2-D C-order array (from its header text). */
function cOrder2d(path: string): boolean {
  const head = new TextDecoder('latin1').decode(readFileSync(path).subarray(0, 256));
  return /'fortran_order': False/.test(head) && /'shape': \(\d+, \d+\)/.test(head);
}

/**
 * The bytes the general path writes: read as a matrix (readNpy), then writeNpy with the
 * requested dtype, to the file `out`; without `out`, encodeNpy's in-memory twin of
 * writeNpy (the same plan and element copy, without a synced file per case). A 2-D C-order
 * source: the same matrix written in C order (its transpose's column-major bytes under a
 * C-order header).
 */
async function viaMatrix(path: string, dtype: DType | undefined, out?: string): Promise<Uint8Array> {
  const { matrix } = await readNpy(path);
  const opts = dtype === undefined ? {} : { dtype: dtype === 'float32' ? ('<f4' as const) : ('<f8' as const) };
  if (cOrder2d(path)) {
    const f = encodeNpy(matrix.T.copy(), opts);
    const [m, n] = [matrix.rows, matrix.cols];
    const descr = (opts.dtype ?? (matrix.dtype === 'float32' ? '<f4' : '<f8')) as string;
    const head = encodeHeader(descr, false, [m, n]);
    const fHead = encodeHeader(descr, true, [n, m]);
    const want = new Uint8Array(head.length + f.length - fHead.length);
    want.set(head);
    want.set(f.subarray(fHead.length), head.length);
    return want;
  }
  if (out === undefined) return encodeNpy(matrix, opts);
  await writeNpy(out, matrix, opts);
  return readFileSync(out);
}

async function assertSame(dir: string, name: string, bytes: Uint8Array, dtype?: DType, viaFile = false): Promise<void> {
  const src = join(dir, `${name}.npy`);
  writeFileSync(src, bytes);
  const want = await viaMatrix(src, dtype, viaFile ? join(dir, `${name}.want.npy`) : undefined);
  const r = await convertNpyFile(src, join(dir, `${name}.got.npy`), { dtype });
  const got = readFileSync(join(dir, `${name}.got.npy`));
  assert.ok(Buffer.compare(got, want) === 0, `${name}${dtype ? ` as ${dtype}` : ''}: ${got.length} vs ${want.length} bytes differ`);
  const { matrix } = parseNpy(want);
  assert.deepEqual([r.rows, r.cols, r.dtype], [matrix.rows, matrix.cols, matrix.dtype]);
}

const DESCRS = ['<f8', '<f4', '<f2', '<i8', '<u8', '<i4', '<u4', '<i2', '<u2', '|i1', '|u1', '|b1'];

test('every dtype, both orders, 0-D, 1-D, empty, single row and column: the bytes of readNpy + writeNpy', async () => {
  const dir = tempDir();
  const shapes = [[], [0], [7], [0, 5], [5, 0], [0, 0], [1, 9], [9, 1], [13, 21], [19, 8]];
  for (const descr of DESCRS) {
    for (const shape of shapes) {
      for (const fortran of shape.length === 2 ? [false, true] : [false]) {
        const name = `${descr.slice(1)}-${fortran ? 'F' : 'C'}-${shape.join('x') || 'scalar'}`;
        const bytes = npyFile(descr, fortran, shape, shape.length + 3);
        await assertSame(dir, name, bytes);
        // Every conversion of the element type, in both element orders.
        if (shape.length >= 1 && shape[0] === 13) {
          await assertSame(dir, name, bytes, 'float32');
          await assertSame(dir, name, bytes, 'float64');
        }
      }
    }
  }
});

test('format 2.0 and 3.0 sources and "=" / "|" byte orders read as format 1.0 output', async () => {
  const dir = tempDir();
  await assertSame(dir, 'v2', npyFile('<f8', false, [30, 17], 3, 2));
  await assertSame(dir, 'v3', npyFile('<f4', true, [30, 17], 4, 3));
  await assertSame(dir, 'eq', withDescr(npyFile('<f8', false, [11, 6], 5), '<f8', '=f8'));
  await assertSame(dir, 'bar', withDescr(npyFile('|u1', false, [11, 6], 5), '|u1', 'u1'));
});

test('large files: several pieces, a partial last piece, rows longer than one read, tall and thin', async () => {
  const dir = tempDir();
  // 1100 x 700 f8 = 6.2 MB: panels of 4 MiB -> 2 passes; 2 x 150000 f8 rows of 1.2 MB (a read
  // holds one row segment); 300000 x 3 f8 (columns of 2.4 MB: one column per panel); f4 and
  // an integer file through the same panels; each also written as float32.
  const cases: [string, number[]][] = [
    ['<f8', [1100, 700]],
    ['<f8', [2, 150000]],
    ['<f8', [300000, 3]],
    ['<f4', [1500, 900]],
    ['<i2', [1200, 1100]],
    ['<i2', [120000, 11]], // columns of 960 kB as float64: panels of 4 columns, the last of 3
  ];
  for (const [descr, shape] of cases) {
    const bytes = npyFile(descr, false, shape, 7);
    const name = `big-${descr.slice(1)}-${shape.join('x')}`;
    // Against writeNpy's own file here (the small cases compare with encodeNpy).
    await assertSame(dir, name, bytes, undefined, true);
    await assertSame(dir, name, bytes, descr === '<f8' ? 'float32' : 'float64');
  }
  await assertSame(dir, 'big-F', npyFile('<f8', true, [1100, 700], 8), undefined, true);
});

test('random shapes and dtypes: the bytes of readNpy + writeNpy (property)', async () => {
  const dir = tempDir();
  let k = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...DESCRS),
      fc.boolean(),
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: 0, max: 90 }),
      fc.integer({ min: 0, max: 90 }),
      fc.constantFrom<DType | undefined>(undefined, 'float32', 'float64'),
      async (descr, fortran, rank, a, b, dtype) => {
        const shape = [a, b].slice(0, rank);
        await assertSame(dir, `p${k++}`, npyFile(descr, fortran, shape, a * 91 + b), dtype);
      },
    ),
    { numRuns: 40 },
  );
});

function onlyFiles(dir: string): string[] {
  return readdirSync(dir).sort();
}

test('bad headers and truncated data: the reader\'s errors, no destination written, an existing one untouched', async () => {
  const dir = tempDir();
  const good = npyFile('<f8', false, [40, 30]);
  const cases: [string, Uint8Array, new (...a: never[]) => Error, RegExp][] = [
    ['magic', Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x5a, 1, 0, 0, 0]), ParseError, /magic string/],
    ['short', good.subarray(0, 9), ParseError, /inside the 2-byte header length/],
    ['header-cut', good.subarray(0, 50), ParseError, /ends inside the header/],
    ['data-cut', good.subarray(0, good.length - 8), ParseError, /data is truncated/],
    ['trailing', Uint8Array.from([...good, 0, 0, 0, 0, 0, 0, 0, 0]), ParseError, /unexpected bytes after the data/],
    ['3d', npyFile('<f8', false, [2, 3, 4]), UnsupportedError, /3-D array/],
    ['complex', withDescr(npyFile('<f8', false, [4, 4]), '<f8', '<c8'), UnsupportedError, /complex/],
    ['big-endian', withDescr(npyFile('<f8', false, [4, 4]), '<f8', '>f8'), UnsupportedError, /big-endian/],
  ];
  for (const [name, bytes, type, pattern] of cases) {
    const src = join(dir, `${name}.npy`);
    writeFileSync(src, bytes);
    const dest = join(dir, `${name}-out.npy`);
    await assert.rejects(convertNpyFile(src, dest), (e: Error) => e instanceof type && pattern.test(e.message) && e.message.includes(src), name);
    assert.equal(existsSync(dest), false, name);
    // The general path raises the same error class.
    await assert.rejects(readNpy(src), (e: Error) => e instanceof type, name);
    // An existing destination keeps its bytes.
    writeFileSync(dest, 'old');
    await assert.rejects(convertNpyFile(src, dest));
    assert.equal(readFileSync(dest, 'utf8'), 'old');
  }
  assert.deepEqual(onlyFiles(dir).filter((f) => f.includes('.tmp')), [], 'no temporary file left');
});

test('CLI: convert A.npy B.npy streams, reports shape and dtype as before, and fails with exit 1 on a truncated file', async () => {
  const dir = tempDir();
  const src = join(dir, 'a.npy');
  writeFileSync(src, npyFile('<i4', false, [25, 4]));
  const j = json(await run('convert', src, join(dir, 'b.npy'), '--json', '--dtype', 'float32'));
  assert.deepEqual([j.inputFormat, j.outputFormat, j.rows, j.cols, j.dtype, j.header], ['npy', 'npy', 25, 4, 'float32', false]);
  assert.ok(Buffer.compare(readFileSync(join(dir, 'b.npy')), await viaMatrix(src, 'float32', join(dir, 'w.npy'))) === 0);
  const text = await run('convert', src, join(dir, 'c.npy'));
  assert.match(text.out, /a\.npy \(npy\) -> .*c\.npy \(npy\): 25 x 4 float64, \d+\.\d{3} s\n$/);
  writeFileSync(join(dir, 'cut.npy'), npyFile('<f8', true, [10, 10]).subarray(0, 500));
  const bad = await run('convert', join(dir, 'cut.npy'), join(dir, 'd.npy'));
  assert.equal(bad.code, 1);
  assert.match(bad.err, /^lowrank: .*cut\.npy at byte 500: data is truncated/);
  assert.equal(existsSync(join(dir, 'd.npy')), false);
  const missing = await run('convert', join(dir, 'nope.npy'), join(dir, 'e.npy'));
  assert.equal(missing.code, 1);
  assert.match(missing.err, /nope\.npy: no such file or directory/);
});
