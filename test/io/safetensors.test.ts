/**
 * safetensors: files written by Python's `safetensors` read exactly (every dtype, special
 * values, metadata), lowrank's files read back by Python (the committed readback, and live
 * when the reference venv exists), F16/BF16 rounding against numpy / ml_dtypes, the lazy
 * readers, atomic streamed writes, and every validation error.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { InvalidArgumentError, ParseError, ShapeError, UnsupportedError } from '../../src/errors.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  openSafetensorsBlob,
  openSafetensorsBytes,
  tensorToMatrix,
  type SafetensorsEntry,
  type SafetensorsTensor,
} from '../../src/io/safetensors-codec.js';
import { numberToBfloat16, numberToHalf, halfToNumber } from '../../src/io/safetensors-dtypes.js';
import { openSafetensors, readSafetensors, writeSafetensors } from '../../src/io/safetensors.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { FIXTURES, tempDir } from './util.js';
import { SAMPLE_METADATA, sampleBytes, sampleEntries, sampleValues } from './safetensors-sample.js';

const DIR = join(FIXTURES, 'safetensors');
const ALL = join(DIR, 'all-dtypes.safetensors');

type JsonValue = number | string;
interface Expected {
  metadata: Record<string, string>;
  tensors: Record<string, { dtype: string; shape: number[]; values: JsonValue[] }>;
}
const expected = JSON.parse(readFileSync(join(DIR, 'all-dtypes.json'), 'utf8')) as Expected;

/** A decoded value as the fixtures spell it: NaN/inf as strings, 64-bit integers beyond 2^53 as decimal strings. */
function spell(v: number | bigint): JsonValue {
  if (typeof v === 'bigint') return v > 2n ** 53n || v < -(2n ** 53n) ? v.toString() : Number(v);
  return Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v;
}

function assertTensorsMatch(tensors: readonly SafetensorsTensor[], want: Expected['tensors']): void {
  assert.deepEqual(new Set(tensors.map((t) => t.name)), new Set(Object.keys(want)));
  for (const t of tensors) {
    const w = want[t.name]!;
    assert.equal(t.dtype, w.dtype, t.name);
    assert.deepEqual(t.shape, w.shape, t.name);
    assert.deepEqual(Array.from(t.data as ArrayLike<number | bigint>, spell), w.values, t.name);
  }
}

/** A file from a header text and data bytes (length prefix added; the header is not padded). */
function file(header: string | object, data: number | Uint8Array = 0): Uint8Array {
  const text = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const body = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + text.length + body.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  out.set(body, 8 + text.length);
  return out;
}

const f32 = (name: string, begin: number, end: number, shape = [(end - begin) / 4]) => ({ [name]: { dtype: 'F32', shape, data_offsets: [begin, end] } });

/** Assert decoding `bytes` fails with a ParseError whose message names the file and matches `pattern`. */
function assertBad(bytes: Uint8Array, pattern: RegExp): void {
  assert.throws(
    () => decodeSafetensors(bytes, { file: 'bad.safetensors' }),
    (e: unknown) => {
      assert.ok(e instanceof ParseError, `expected ParseError, got ${String(e)}`);
      assert.ok(e.message.startsWith('bad.safetensors'), e.message);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

describe('reading files written by Python safetensors', () => {
  test('every dtype, special value, scalar, empty and 3-D tensor, and the metadata, read exactly (readSafetensors)', async () => {
    const { metadata, tensors } = await readSafetensors(ALL);
    assert.deepEqual(metadata, expected.metadata);
    assertTensorsMatch(tensors, expected.tensors);
  });

  test('the same from memory (decodeSafetensors) and from a Blob (openSafetensorsBlob)', async () => {
    const bytes = readFileSync(ALL);
    const mem = decodeSafetensors(bytes);
    assert.deepEqual(mem.metadata, expected.metadata);
    assertTensorsMatch(mem.tensors, expected.tensors);
    // The decoded values are copies, never views of the caller's buffer.
    for (const t of mem.tensors) assert.notEqual(t.data.buffer, bytes.buffer);
    const st = await openSafetensorsBlob(new Blob([bytes]), { file: 'x.safetensors' });
    const read = await Promise.all(st.tensors.map((t) => st.read(t.name)));
    assertTensorsMatch(read, expected.tensors);
  });

  test('the tensors are listed in data order with their dtype, shape and byte range; the header checks out', async () => {
    const st = await openSafetensors(ALL);
    try {
      let at = st.tensors[0]!.byteOffset;
      assert.equal(at % 8, 0, 'the data section starts 8-byte aligned (Python pads the header)');
      for (const t of st.tensors) {
        assert.equal(t.byteOffset, at);
        at += t.byteLength;
        assert.deepEqual(t.shape, expected.tensors[t.name]!.shape);
      }
      assert.equal(at, st.byteLength);
      assert.equal(st.has('bf16'), true);
      assert.equal(st.has('nope'), false);
      assert.throws(() => st.info('nope'), /no tensor named 'nope' \(it has 20 tensors: /);
    } finally {
      await st.close();
    }
  });

  test('readSafetensors with names reads those only; an unknown name is an error before any read', async () => {
    const { tensors } = await readSafetensors(ALL, { names: ['cube', 'f16'] });
    assert.deepEqual(tensors.map((t) => t.name).sort(), ['cube', 'f16']);
    await assert.rejects(readSafetensors(ALL, { names: ['f16', 'missing'] }), (e: unknown) => e instanceof InvalidArgumentError && /missing/.test((e as Error).message));
    assert.throws(() => decodeSafetensors(readFileSync(ALL), { names: ['zzz'] }), InvalidArgumentError);
  });

  test('a Blob reader fetches the header and then only the tensor asked for', async () => {
    const bytes = readFileSync(ALL);
    let fetched = 0;
    class CountingBlob extends Blob {
      override slice(start?: number, end?: number, type?: string): Blob {
        fetched += (end ?? this.size) - (start ?? 0);
        return super.slice(start, end, type);
      }
    }
    const st = await openSafetensorsBlob(new CountingBlob([bytes]));
    const headerBytes = st.tensors[0]!.byteOffset;
    assert.equal(fetched, headerBytes);
    const t = st.info('bf16.matrix');
    await st.read('bf16.matrix');
    assert.equal(fetched, headerBytes + t.byteLength);
    assert.equal(st.file, '<blob>');
  });

  test('rawChunks gives a tensor in pieces of the asked size, equal to readBytes', async () => {
    const st = await openSafetensors(ALL);
    try {
      const whole = await st.readBytes('cube');
      const pieces: Uint8Array[] = [];
      for await (const p of st.rawChunks('cube', 50)) pieces.push(p);
      assert.deepEqual(pieces.map((p) => p.length), [50, 50, 50, 42]);
      assert.deepEqual(Buffer.concat(pieces), Buffer.from(whole));
      assert.throws(() => st.rawChunks('cube', 0), InvalidArgumentError);
    } finally {
      await st.close();
    }
  });
});

describe('readMatrixInto: decoding straight into a caller buffer, a piece at a time', () => {
  test('every float dtype, from a file, a Blob and memory, in pieces of any size, equals readMatrix', async () => {
    const dir = tempDir();
    const rows = 37;
    const cols = 11;
    const vals = Matrix.from(Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => Math.sin(i * cols + j) * 10 ** ((i % 7) - 3))));
    const entries: SafetensorsEntry[] = (['F64', 'F32', 'F16', 'BF16'] as const).map((dtype) => ({ name: `w.${dtype}`, dtype, shape: [rows, cols], data: vals }));
    entries.push({ name: 'pad', dtype: 'U8', shape: [3], data: { raw: new Uint8Array([1, 2, 3]) } }); // leaves later data unaligned in a Blob slice
    const path = join(dir, 'm.safetensors');
    await writeSafetensors(path, entries);
    const bytes = readFileSync(path);
    const readers = [await openSafetensors(path), await openSafetensorsBlob(new Blob([bytes])), await openSafetensorsBytes(bytes)];
    try {
      for (const st of readers) {
        for (const { name } of entries.slice(0, 4)) {
          const want = await st.readMatrix(name);
          for (const chunkBytes of [1, 6, 7, 64, 1 << 20]) {
            for (const out of [new Float32Array(rows * cols + 5).fill(NaN), new Float64Array(rows * cols).fill(NaN)]) {
              const W = await st.readMatrixInto(name, out, { chunkBytes });
              assert.deepEqual(W.shape, [rows, cols]);
              assert.equal(W.data.buffer, out.buffer, 'a view of the buffer given');
              for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) assert.equal(W.get(i, j), out instanceof Float32Array ? Math.fround(want.get(i, j)) : want.get(i, j), `${name} (${i}, ${j}) chunk ${chunkBytes}`);
            }
          }
        }
        const T = await st.readMatrixInto('w.F32', new Float32Array(rows * cols), { shape: [cols, rows] });
        assert.deepEqual(T.shape, [cols, rows]);
        await assert.rejects(st.readMatrixInto('w.F32', new Float32Array(rows * cols - 1)), InvalidArgumentError);
        await assert.rejects(st.readMatrixInto('pad', new Float32Array(3)), UnsupportedError);
        await assert.rejects(st.readMatrixInto('nope', new Float32Array(3)), InvalidArgumentError);
        await assert.rejects(st.readMatrixInto('w.F32', new Float32Array(rows * cols), { chunkBytes: 0 }), InvalidArgumentError);
      }
    } finally {
      for (const st of readers) await st.close();
    }
  });
});

describe('files written by lowrank, read by Python safetensors', () => {
  test('the sample encodes today to the committed file, byte for byte', () => {
    assert.deepEqual(Buffer.from(sampleBytes()), readFileSync(join(DIR, 'lowrank-sample.safetensors')));
  });

  test("what Python's safetensors + ml_dtypes read from it (readback.json) is what was meant", () => {
    const back = JSON.parse(readFileSync(join(DIR, 'readback.json'), 'utf8')) as { metadata: Record<string, string>; headerLength: number; tensors: Record<string, { dtype: string; shape: number[]; values: JsonValue[] }> };
    assert.deepEqual(back.metadata, SAMPLE_METADATA);
    assert.equal(back.headerLength % 8, 0);
    const want = sampleValues();
    assert.deepEqual(Object.keys(back.tensors).sort(), Object.keys(want).sort());
    for (const [name, w] of Object.entries(want)) {
      const got = back.tensors[name]!;
      assert.equal(got.dtype, w.dtype, name);
      assert.deepEqual(got.shape, w.shape, name);
      assert.deepEqual(got.values.map((v) => (typeof v === 'string' ? v : Object.is(v, -0) ? -0 : v)), w.values, name);
    }
  });

  test('lowrank reads its own sample back to the same values', () => {
    const { metadata, tensors } = decodeSafetensors(sampleBytes());
    assert.deepEqual(metadata, SAMPLE_METADATA);
    const want = sampleValues();
    for (const t of tensors) assert.deepEqual(Array.from(t.data as ArrayLike<number | bigint>, spell), want[t.name]!.values, t.name);
  });

  const venv = '/tmp/ref-venv/bin/python';
  test('live: Python reads a random file lowrank writes (only when the reference venv exists)', { skip: !existsSync(venv) && 'no /tmp/ref-venv' }, async () => {
    const dir = tempDir();
    const path = join(dir, 'random.safetensors');
    const A = Matrix.random(7, 5, { seed: 3, dtype: 'float32' });
    await writeSafetensors(path, [
      { name: 'a', dtype: 'BF16', shape: [7, 5], data: A },
      { name: 'b', dtype: 'F16', shape: [5, 7], data: A.T },
      { name: 'c', dtype: 'F64', shape: [35], data: A.toFlat('C') },
    ], { metadata: { k: 'v' } });
    const code = `
import json, sys, numpy as np, ml_dtypes
from safetensors import safe_open, deserialize
raw = open(sys.argv[1], 'rb').read()
NP = {'BF16': ml_dtypes.bfloat16, 'F16': np.float16, 'F64': np.float64}
out = {n: np.frombuffer(bytes(t['data']), dtype=NP[t['dtype']]).reshape(t['shape']).astype(np.float64).ravel().tolist() for n, t in deserialize(raw)}
with safe_open(sys.argv[1], framework='np') as f: out['meta'] = f.metadata()
print(json.dumps(out))`;
    const r = spawnSync(venv, ['-c', code, path], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout) as Record<string, number[]> & { meta: Record<string, string> };
    assert.deepEqual(got.meta, { k: 'v' });
    const rowMajor = Array.from(A.toFlat('C'));
    assert.deepEqual(got.a, rowMajor.map((v) => halfOrBf(numberToBfloat16(v), true)));
    assert.deepEqual(got.b, Array.from(A.T.toFlat('C')).map((v) => halfOrBf(numberToHalf(v), false)));
    assert.deepEqual(got.c, rowMajor);
  });
});

function halfOrBf(bits: number, bf: boolean): number {
  if (!bf) return halfToNumber(bits);
  return new Float32Array(new Uint32Array([bits << 16]).buffer)[0]!;
}

describe('rounding to F16 and BF16', () => {
  const r = JSON.parse(readFileSync(join(DIR, 'rounding.json'), 'utf8')) as { f64: number[]; f16_bits: number[]; f32: number[]; bf16_bits: number[] };
  test("float64 -> float16 bits equal numpy's (round to nearest even, one rounding, overflow to inf)", () => {
    assert.deepEqual(r.f64.map(numberToHalf), r.f16_bits);
  });
  test("float32 -> bfloat16 bits equal ml_dtypes'", () => {
    assert.deepEqual(r.f32.map(numberToBfloat16), r.bf16_bits);
  });
  test('NaN stays NaN, signs and zeros are kept', () => {
    assert.equal(numberToHalf(NaN) & 0x7c00, 0x7c00);
    assert.notEqual(numberToHalf(NaN) & 0x3ff, 0);
    assert.equal(numberToBfloat16(NaN), 0x7fc0);
    assert.equal(numberToHalf(-0), 0x8000);
    assert.equal(numberToBfloat16(-0), 0x8000);
    assert.equal(numberToBfloat16(-Infinity), 0xff80);
  });
  test('property: the float16 chosen is a nearest one to the double', () => {
    fc.assert(fc.property(fc.double({ min: -70000, max: 70000, noNaN: true }), (x) => {
      const h = halfToNumber(numberToHalf(x));
      if (!Number.isFinite(h)) return Math.abs(x) >= 65520;
      // Neighbours one ulp away on either side are no closer.
      const bits = numberToHalf(x) & 0x7fff;
      for (const nb of [bits - 1, bits + 1]) {
        if (nb < 0 || nb >= 0x7c00) continue;
        const v = halfToNumber(nb) * Math.sign(h || 1);
        if (Math.abs(v - x) < Math.abs(h - x)) return false;
      }
      return true;
    }), { numRuns: 2000 });
  });
});

describe('writing', () => {
  test('read -> write -> read keeps every tensor and the metadata; BF16/F16/integer bytes identical', async () => {
    const dir = tempDir();
    const st = await openSafetensors(ALL);
    const out = join(dir, 'copy.safetensors');
    try {
      const entries: SafetensorsEntry[] = st.tensors.map((t) =>
        t.dtype.startsWith('F8') ? { name: t.name, dtype: t.dtype, shape: t.shape, data: { raw: st.rawChunks(t.name, 3) } } : { name: t.name, dtype: t.dtype, shape: t.shape, data: async () => (await st.read(t.name)).data },
      );
      await writeSafetensors(out, entries, { metadata: st.metadata });
      const back = await openSafetensors(out);
      try {
        assert.deepEqual(back.metadata, expected.metadata);
        for (const t of st.tensors) assert.deepEqual(Buffer.from(await back.readBytes(t.name)), Buffer.from(await st.readBytes(t.name)), t.name);
        // Largest element type first: every tensor aligned to its element size.
        for (const t of back.tensors) if (t.size > 0) assert.equal(t.byteOffset % (t.byteLength / t.size), 0, t.name);
      } finally {
        await back.close();
      }
    } finally {
      await st.close();
    }
    assertTensorsMatch((await readSafetensors(out)).tensors, expected.tensors);
  });

  test('a failing data source leaves the old file and no temporary file behind', async () => {
    const dir = tempDir();
    const path = join(dir, 'keep.safetensors');
    writeFileSync(path, 'old');
    await assert.rejects(
      writeSafetensors(path, [
        { name: 'a', dtype: 'F32', shape: [2], data: [1, 2] },
        { name: 'b', dtype: 'F32', shape: [3], data: () => { throw new Error('source broke'); } },
      ]),
      /source broke/,
    );
    assert.equal(readFileSync(path, 'utf8'), 'old');
    await assert.rejects(writeSafetensors(path, [{ name: 'a', dtype: 'F32', shape: [3], data: [1, 2] }]), (e: unknown) => e instanceof ShapeError && /needs 3 values, the data has 2/.test((e as Error).message));
    await assert.rejects(writeSafetensors(path, [{ name: 'a', dtype: 'U8', shape: [3], data: { raw: (async function* () { yield new Uint8Array(2); })() } }]), /is 3 bytes, the raw data has 2/);
    assert.equal(readFileSync(path, 'utf8'), 'old');
    assert.deepEqual(readdirSync(dir), ['keep.safetensors']);
  });

  test('bad entries and options are InvalidArgumentError / UnsupportedError before anything is written', () => {
    const ok = { name: 'a', dtype: 'F32' as const, shape: [1], data: [1] };
    const cases: [unknown, RegExp, unknown?][] = [
      [[ok, ok], /two tensors are named 'a'/],
      [[{ ...ok, name: '__metadata__' }], /reserved/],
      [[{ ...ok, dtype: 'F33' }], /dtype must be one of/],
      [[{ ...ok, shape: [-1] }], /shape must be an array of integers >= 0/],
      [[{ ...ok, data: undefined }], /has no data/],
      [[{ ...ok, dtype: 'F4', shape: [3], data: { raw: new Uint8Array(2) } }], /not a whole number of bytes/],
      [[ok], /metadata 'x' must be a string/, { metadata: { x: 1 } }],
      [[ok], /unknown option 'meta'/, { meta: {} }],
      [[{ ...ok, dtype: 'I8', data: [200] }], /I8 needs integers in \[-128, 127\], got 200/],
      [[{ ...ok, dtype: 'I64', data: [2 ** 60] }], /I64 needs signed 64-bit integers/],
      [[{ ...ok, dtype: 'BOOL', data: [2] }], /BOOL needs 0, 1, true or false/],
      [[{ ...ok, data: () => Promise.resolve([1]) }], /returned a promise; use writeSafetensors/],
    ];
    for (const [entries, pattern, options] of cases) {
      assert.throws(() => encodeSafetensors(entries as SafetensorsEntry[], options as never), (e: unknown) => e instanceof InvalidArgumentError && pattern.test((e as Error).message), String(pattern));
    }
    assert.throws(() => encodeSafetensors([{ ...ok, dtype: 'F8_E4M3' }]), UnsupportedError);
    assert.throws(() => encodeSafetensors([{ ...ok, shape: [2, 2], data: Matrix.zeros(2, 3) }]), ShapeError);
  });

  test('a Matrix view (transposed, strided) is written row-major; 64-bit integers round-trip exactly', () => {
    const M = Matrix.from([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const view = M.T.slice(0, 3, 1, 3); // rows of M^T, columns 1..2: [[4, 7], [5, 8], [6, 9]]
    const bytes = encodeSafetensors([
      { name: 'v', dtype: 'F64', shape: [3, 2], data: view },
      { name: 'big', dtype: 'U64', shape: [2], data: [2n ** 64n - 1n, 5] },
    ]);
    const { tensors } = decodeSafetensors(bytes);
    assert.deepEqual(Array.from(tensors.find((t) => t.name === 'v')!.data as Float64Array), [4, 7, 5, 8, 6, 9]);
    assert.deepEqual(Array.from(tensors.find((t) => t.name === 'big')!.data as BigUint64Array), [2n ** 64n - 1n, 5n]);
  });

  test('property: random tensors of every writable dtype round-trip (floats through their rounding)', () => {
    const dtypes = ['F64', 'F32', 'F16', 'BF16', 'I32', 'I16', 'I8', 'U32', 'U16', 'U8', 'BOOL'] as const;
    fc.assert(fc.property(
      fc.array(fc.record({ dtype: fc.constantFrom(...dtypes), shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }), seed: fc.integer() }), { maxLength: 6 }),
      (specs) => {
        const entries = specs.map((s, i) => {
          const size = s.shape.reduce((a, b) => a * b, 1);
          const values = Array.from({ length: size }, (_, k) => {
            const x = Math.sin(s.seed + k * 7.1) * 300;
            return s.dtype.startsWith('F') || s.dtype === 'BF16' ? x : s.dtype === 'BOOL' ? (x > 0 ? 1 : 0) : s.dtype.startsWith('U') ? Math.abs(Math.round(x)) % 200 : (Math.round(x) % 100) + 0; // + 0: no -0 for integers
          });
          return { name: `t${i}`, dtype: s.dtype, shape: s.shape, data: values };
        });
        const { tensors } = decodeSafetensors(encodeSafetensors(entries));
        for (const e of entries) {
          const t = tensors.find((x) => x.name === e.name)!;
          assert.deepEqual(t.shape, e.shape);
          const want = e.data.map((v) => (e.dtype === 'F32' ? Math.fround(v) : e.dtype === 'F16' ? halfToNumber(numberToHalf(v)) : e.dtype === 'BF16' ? halfOrBf(numberToBfloat16(v), true) : v));
          assert.deepEqual(Array.from(t.data as ArrayLike<number>), want);
        }
      },
    ), { numRuns: 150 });
  });
});

describe('tensorToMatrix', () => {
  const t = (dtype: SafetensorsTensor['dtype'], shape: number[], data: SafetensorsTensor['data']): SafetensorsTensor => ({ name: 'x', dtype, shape, data });
  test('2-D float32 wraps the data as a row-major view; 1-D is a column, a scalar 1 x 1', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const M = tensorToMatrix(t('F32', [2, 3], data));
    assert.deepEqual(M.toArray(), [[1, 2, 3], [4, 5, 6]]);
    assert.equal(M.data, data);
    assert.deepEqual(tensorToMatrix(t('F32', [3], new Float32Array([1, 2, 3]))).shape, [3, 1]);
    assert.deepEqual(tensorToMatrix(t('F32', [], new Float32Array([7]))).toArray(), [[7]]);
    assert.equal(tensorToMatrix(t('F32', [2, 3], data), { dtype: 'float64' }).dtype, 'float64');
  });
  test('integers convert (64-bit through Number); more than 2 dimensions need a shape', () => {
    assert.deepEqual(tensorToMatrix(t('I64', [1, 2], new BigInt64Array([3n, -4n]))).toArray(), [[3, -4]]);
    const cube = t('F64', [2, 2, 2], new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]));
    assert.throws(() => tensorToMatrix(cube), (e: unknown) => e instanceof ShapeError && /give options.shape, e.g. \[2, 4\]/.test((e as Error).message));
    assert.deepEqual(tensorToMatrix(cube, { shape: [2, 4] }).toArray(), [[1, 2, 3, 4], [5, 6, 7, 8]]);
    assert.throws(() => tensorToMatrix(cube, { shape: [3, 3] }), ShapeError);
  });
});

describe('validation: a bad file is a ParseError naming the file and the tensor', () => {
  test('length prefix: too short, over 100 MB, past the end', () => {
    assertBad(new Uint8Array(5), /the file has 5 bytes; a safetensors file starts with an 8-byte header length/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 100_000_001n, true);
    assertBad(huge, /header length 100000001 bytes is over the 100 MB limit/);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 64n - 1n, true);
    assertBad(huge, /over the 100 MB limit/);
    new DataView(huge.buffer).setBigUint64(0, 20n, true);
    assertBad(huge, /header length 20 bytes runs past the end of the file \(16 bytes\)/);
  });

  test('header: not UTF-8, not JSON, not an object, duplicates, metadata', () => {
    const bad = file('{"a":1}');
    bad[9] = 0xff;
    assertBad(bad, /not valid UTF-8/);
    assertBad(file('{"a": '), /not valid JSON/);
    assertBad(file('[1, 2]'), /not a JSON object/);
    assertBad(file('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4), /tensor 'w' appears twice/);
    assertBad(file('{"w":{"dtype":"F32","dtype":"F16","shape":[1],"data_offsets":[0,4]}}', 4), /tensor 'w': the field 'dtype' appears twice/);
    assertBad(file({ __metadata__: { a: 1 } }), /__metadata__: the value of 'a' must be a string, got number 1/);
    assertBad(file({ __metadata__: [] }), /__metadata__ must be an object of strings/);
    // A key with escaped quotes is still one key; names are compared after unescaping.
    assertBad(file('{"a\\"b":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a\\u0022b":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}', 2), /tensor 'a"b' appears twice/);
  });

  test('tensor entries: dtype, shape, data_offsets, sizes', () => {
    const entry = (e: object, data = 4) => file({ w: e }, data);
    assertBad(entry({ shape: [1], data_offsets: [0, 4] }), /tensor 'w': missing dtype/);
    assertBad(entry({ dtype: 'F31', shape: [1], data_offsets: [0, 4] }), /tensor 'w': unknown dtype the string "F31" \(known: F64, F32/);
    assertBad(entry({ dtype: 'F32', data_offsets: [0, 4] }), /tensor 'w': missing shape/);
    assertBad(entry({ dtype: 'F32', shape: [-1], data_offsets: [0, 4] }), /tensor 'w': shape must be an array of integers >= 0, got \[-1\]/);
    assertBad(entry({ dtype: 'F32', shape: [1.5], data_offsets: [0, 4] }), /shape must be an array of integers/);
    assertBad(entry({ dtype: 'F32', shape: [2 ** 30, 2 ** 30, 2 ** 30], data_offsets: [0, 4] }), /more than 2\^53 elements/);
    assertBad(entry({ dtype: 'F32', shape: [1] }), /tensor 'w': missing data_offsets/);
    assertBad(entry({ dtype: 'F32', shape: [1], data_offsets: [0] }), /data_offsets must be two integers \[begin, end\] >= 0, got \[0\]/);
    assertBad(entry({ dtype: 'F32', shape: [1], data_offsets: [4, 0] }), /data_offsets \[4, 0\] end before they begin/);
    assertBad(entry({ dtype: 'F32', shape: [2], data_offsets: [0, 4] }), /tensor 'w': shape \[2\] of F32 is 8 bytes, but data_offsets \[0, 4\] span 4/);
    assertBad(entry({ dtype: 'F4', shape: [3], data_offsets: [0, 1] }, 1), /not a whole number of bytes/);
    assertBad(file({ w: 3 }), /tensor 'w': expected an object with dtype, shape and data_offsets, got number 3/);
  });

  test('offsets must tile the data section: overlap, gaps, trailing bytes, past the end', () => {
    assertBad(file({ ...f32('a', 0, 8), ...f32('b', 4, 12) }, 12), /tensor 'b': data_offsets \[4, 12\] overlap tensor 'a' \(which ends at 8\)/);
    assertBad(file({ ...f32('a', 0, 4), ...f32('b', 8, 12) }, 12), /tensor 'b': data_offsets \[8, 12\] leave a gap of 4 bytes after tensor 'a'/);
    assertBad(file(f32('a', 4, 8), 8), /tensor 'a': data_offsets \[4, 8\] leave the first 4 bytes of the data section to no tensor/);
    assertBad(file(f32('a', 0, 4), 6), /2 bytes after the last tensor \('a', which ends at 4 of 6\) belong to no tensor/);
    assertBad(file(f32('a', 0, 8), 4), /tensor 'a': data_offsets \[0, 8\] run past the end of the file \(the data section has 4 bytes; truncated file\?\)/);
    assertBad(file({}, 3), /the header lists no tensor, but 3 bytes of data follow it/);
    // Order in the header does not matter; empty tensors may share an offset.
    const ok = decodeSafetensors(file({ ...f32('b', 4, 8), ...f32('a', 0, 4), z: { dtype: 'F32', shape: [0], data_offsets: [4, 4] } }, 8));
    assert.deepEqual(ok.tensors.map((t) => t.name), ['a', 'z', 'b']);
  });

  test('what Python accepts, we accept: leading whitespace, unknown fields, null metadata, no tensors', () => {
    assert.equal(decodeSafetensors(file(` {"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1}}`, 4)).tensors.length, 1);
    assert.equal(decodeSafetensors(file('{"__metadata__":null}')).metadata, undefined);
    assert.deepEqual(decodeSafetensors(file('{}  ')).tensors, []);
  });

  test('a file on disk names its path; a truncated file names the tensor', async () => {
    const dir = tempDir();
    const path = join(dir, 'cut.safetensors');
    const whole = readFileSync(ALL);
    writeFileSync(path, whole.subarray(0, whole.length - 3));
    await assert.rejects(openSafetensors(path), (e: unknown) => e instanceof ParseError && e.message.startsWith(path) && /run past the end of the file/.test(e.message));
    await assert.rejects(openSafetensors(join(dir, 'none.safetensors')), (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT');
  });

  test('dtypes valid in files but not decoded are listed, and reading them is UnsupportedError naming the tensor', async () => {
    const st = await openSafetensorsBytes(file({ c: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, 8), 'c.safetensors');
    assert.equal(st.info('c').dtype, 'C64');
    await assert.rejects(st.read('c'), (e: unknown) => e instanceof UnsupportedError && /c.safetensors: tensor 'c': dtype C64/.test((e as Error).message));
    assert.equal((await st.readBytes('c')).length, 8);
  });
});
