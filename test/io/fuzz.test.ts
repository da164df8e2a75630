// Mutation fuzzing of every reader of untrusted bytes: npy, Matrix Market, CSV, ratings,
// .lrm model files and PNG. Whatever the bytes, a reader returns a value or throws a
// LowrankError (ParseError / UnsupportedError / ...): never a TypeError or RangeError, never a
// hang, never an allocation out of proportion to the input. fast-check drives the mutations
// (bit flips, byte changes, truncations, insertions, deletions) and the huge declared sizes
// (npy shapes of 2^31 x 2^31, mtx size lines of 50000000 50000000 1, PNG IHDRs of
// 20000 x 20000, .lrm array counts near 2^53); every run is seeded, so a failure reproduces
// from the seed and counterexample fast-check prints.
//
// A case that runs more than HANG_MS is taken for a hang: a watchdog thread prints the input
// and kills this test process, since a synchronous parser cannot be interrupted otherwise.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { constants as zlibConstants, deflateRawSync, deflateSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { LowrankError, ParseError } from '../../src/errors.js';
import { parseCsv } from '../../src/io/csv.js';
import { parseMtx } from '../../src/io/mtx.js';
import { parseNpy } from '../../src/io/npy.js';
import { decodePng, encodePng } from '../../src/io/png.js';
import { encodeRatings, parseRatings } from '../../src/io/ratings.js';
import { FunkSVD } from '../../src/models/recommend/algorithms/funk-svd.js';
import { crc32 } from '../../src/models/recommend/model/file.js';
import { LatentFactorModel } from '../../src/models/recommend/model/latent-factor-model.js';
import { syntheticRatings } from '../../src/models/recommend/data/synthetic.js';
import { FIXTURES } from './util.js';
import { applyEdits, concat, type Edit } from '../fuzz-edits.js';
import { show, startWatchdog } from '../fuzz-watchdog.js';

// ---------------------------------------------------------------------------------------
// Limits of one case.

/** A case taking more CPU time than this fails (a quadratic loop on a few kilobytes, say). */
const SLOW_MS = 5000;
/** A case still running after this is a hang: the watchdog kills the process. */
const HANG_MS = 30_000;
/** ArrayBuffer growth allowed for one case beyond a small multiple of its input. */
const MEMORY_SLACK = 256 * 2 ** 20;

const watchdog = startWatchdog(HANG_MS);

/** CPU time (user + system) of this process since `start`, in ms: unlike the wall clock, not stretched by other processes. */
function cpuMs(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}


/**
 * Run `read` on `input` under the watchdog; fail unless it returns or throws a LowrankError,
 * within SLOW_MS and without holding more than MEMORY_SLACK + 64 x input of ArrayBuffers.
 */
function survives(label: string, input: Uint8Array, read: (bytes: Uint8Array) => unknown): { error?: LowrankError; cpuMs: number; grewMb: number } {
  watchdog.begin(`${label}: ${show(input, 1500)}`);
  const before = process.memoryUsage().arrayBuffers;
  const cpu0 = process.cpuUsage();
  let result: unknown;
  let error: LowrankError | undefined;
  try {
    result = read(input);
  } catch (e) {
    if (e instanceof LowrankError) error = e;
    else {
      const what = e instanceof Error ? `${e.name}: ${e.message} (${e.stack?.split('\n')[1]?.trim()})` : String(e);
      assert.fail(`${label}: threw ${what} for input ${show(input)}`);
    }
  } finally {
    watchdog.end();
  }
  const ms = cpuMs(cpu0);
  const grew = process.memoryUsage().arrayBuffers - before;
  assert.ok(ms < SLOW_MS, `${label}: took ${ms.toFixed(0)} ms of CPU for input ${show(input)}`);
  assert.ok(grew < MEMORY_SLACK + 64 * input.length, `${label}: holds ${(grew / 2 ** 20).toFixed(0)} MB more after reading ${input.length} bytes: ${show(input)}`);
  void result;
  return { error, cpuMs: ms, grewMb: grew / 2 ** 20 };
}

// ---------------------------------------------------------------------------------------
// Mutations.


/**
 * Edits at positions biased to the first `focus` bytes (headers) half of the time; inserted
 * bytes are random or drawn from `alphabet` (the format's own characters).
 */
function edits(focus: number, alphabet?: string): fc.Arbitrary<Edit[]> {
  const at = fc.oneof(fc.nat({ max: focus }), fc.nat());
  const byte = alphabet ? fc.oneof(fc.nat({ max: 255 }), fc.constantFrom(...[...alphabet].map((c) => c.charCodeAt(0)))) : fc.nat({ max: 255 });
  const bytes = fc.array(byte, { minLength: 1, maxLength: 12 }).map((a) => Uint8Array.from(a));
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({ op: fc.constant('flip' as const), at, bit: fc.nat({ max: 7 }) }),
    fc.record({ op: fc.constant('set' as const), at, byte }),
    fc.record({ op: fc.constant('cut' as const), at }),
    fc.record({ op: fc.constant('insert' as const), at, bytes }),
    fc.record({ op: fc.constant('delete' as const), at, count: fc.integer({ min: 1, max: 16 }) }),
    fc.record({ op: fc.constant('repeat' as const), at, count: fc.integer({ min: 1, max: 32 }), times: fc.integer({ min: 2, max: 64 }) }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 4 });
}

/** The edits applied after the first `keep` bytes (a magic number or banner left whole), or to all of it. */
function applyAfter(src: Uint8Array, keep: number, list: readonly Edit[]): Uint8Array {
  return concat(src.subarray(0, keep), applyEdits(src.subarray(keep), list));
}


const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** fast-check settings: seeded, and a bounded number of runs. */
const runs = (seed: number, numRuns: number): fc.Parameters<unknown> => ({ seed, numRuns, includeErrorInReport: true });

/** Inputs by name (fast-check prints the name in a counterexample, not kilobytes of bytes). */
function sources(entries: [string, Uint8Array][]): { names: fc.Arbitrary<string>; get: (name: string) => Uint8Array } {
  const map = new Map(entries);
  return { names: fc.constantFrom(...map.keys()), get: (n) => map.get(n)! };
}

function fixtures(sub: string, keep: (name: string) => boolean = () => true): [string, Uint8Array][] {
  const dir = join(FIXTURES, sub);
  return readdirSync(dir)
    .sort()
    .filter(keep)
    .map((n) => [`${sub}/${n}`, new Uint8Array(readFileSync(join(dir, n)))]);
}

// ---------------------------------------------------------------------------------------
// npy

const NPY_HEADER_ALPHABET = "0123456789(),:'\" {}[]<>|=fiubOcTrueFalsLdescrshapefortran_order\n\\#";

/** A version 1 .npy image with the given header dictionary text and data bytes. */
function npyImage(dict: string, data: Uint8Array): Uint8Array {
  let h = dict;
  while ((10 + h.length + 1) % 64 !== 0) h += ' ';
  h += '\n';
  const pre = new Uint8Array(10);
  pre.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(pre.buffer).setUint16(8, h.length, true);
  return concat(pre, text(h), data);
}

/** npy must return a matrix the data really holds: no more elements than bytes allow. */
function readNpy(bytes: Uint8Array): unknown {
  const a = parseNpy(bytes);
  assert.ok(a.matrix.size <= bytes.length, `a ${a.matrix.rows}x${a.matrix.cols} matrix from ${bytes.length} bytes`);
  return a;
}

test('npy: mutated files only ever give typed errors', () => {
  const src = sources(fixtures('npy'));
  fc.assert(
    // Half the cases keep the magic, version and header length (10 bytes), so the edits reach the header text and data.
    fc.property(src.names, edits(160, NPY_HEADER_ALPHABET), fc.boolean(), (name, list, keepMagic) => {
      survives(`parseNpy(${name}${keepMagic ? ', magic kept' : ''})`, applyAfter(src.get(name), keepMagic ? 10 : 0, list), readNpy);
    }),
    runs(2024, 1000),
  );
});

test('npy: huge declared shapes are refused before allocating', () => {
  const dim = fc.oneof(
    fc.constantFrom('2147483648', '2147483647', '4294967296', '46341', '65536', '9007199254740993', '18446744073709551616', '0', '1', '-1', '3', '1e9', '2**31'),
    fc.nat().map(String),
  );
  const prop = fc.property(
    fc.array(dim, { minLength: 0, maxLength: 3 }),
    fc.constantFrom('<f8', '<f4', '<i4', '|u1', '>f8', '<i8', '<u8', '|b1'),
    fc.boolean(),
    fc.nat({ max: 64 }),
    (shape, descr, fortran, dataBytes) => {
      const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
      const dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${tuple}, }`;
      survives(`parseNpy(shape ${tuple}, ${descr})`, npyImage(dict, new Uint8Array(dataBytes).fill(0x3f)), readNpy);
    },
  );
  fc.assert(prop, { ...runs(31, 300), examples: [[['2147483648', '2147483648'], '<f8', false, 16]] });
  // The case from the issue, by itself: (2^31, 2^31) of float64 over 16 bytes of data.
  const issue = npyImage("{'descr': '<f8', 'fortran_order': False, 'shape': (2147483648, 2147483648), }", new Uint8Array(16));
  assert.throws(() => parseNpy(issue), LowrankError);
});

// ---------------------------------------------------------------------------------------
// Matrix Market

const MTX_ALPHABET = '0123456789 \t\n\r-+.eE%,;"#abcinfnatx\u00ff';

/**
 * parseMtx, then dense() where it is cheap (up to 2^20 cells) or must be refused (over
 * 2^40 cells): a typed error, not an attempt to allocate terabytes.
 */
function readMtx(bytes: Uint8Array): unknown {
  const d = parseMtx(bytes);
  const cells = d.rows * d.cols;
  if (cells <= 2 ** 20) return d.dense();
  if (cells > 2 ** 40) assert.throws(() => d.dense(), LowrankError, `dense() of ${d.rows}x${d.cols}`);
  return d;
}

test('mtx: mutated files only ever give typed errors', () => {
  const src = sources([...fixtures('mtx'), ...fixtures('sparse', (n) => n.endsWith('.mtx'))]);
  fc.assert(
    // Half the cases keep the banner line, so the edits reach the size line and entries.
    fc.property(src.names, edits(120, MTX_ALPHABET), fc.boolean(), (name, list, keepBanner) => {
      const b = src.get(name);
      const banner = keepBanner ? b.indexOf(10) + 1 : 0;
      survives(`parseMtx(${name}${keepBanner ? ', banner kept' : ''})`, applyAfter(b, banner, list), readMtx);
    }),
    runs(7, 1000),
  );
});

test('mtx: huge size lines are refused or read without allocating for them', () => {
  const big = fc.oneof(fc.constantFrom('50000000', '2147483647', '2147483648', '4294967297', '9007199254740993', '100000000000000000000', '0', '1', '-1', '1e6', '3.5'), fc.nat().map(String));
  const prop = fc.property(
    fc.constantFrom('coordinate', 'array'),
    fc.constantFrom('real', 'integer', 'pattern'),
    fc.constantFrom('general', 'symmetric', 'skew-symmetric'),
    fc.tuple(big, big, big),
    fc.array(fc.constantFrom('1 1 1', '1 1', '2 1 -3.5', '1', '50000000 50000000 1', '0 0 0'), { maxLength: 3 }),
    (format, field, symmetry, [r, c, n], body) => {
      const size = format === 'coordinate' ? `${r} ${c} ${n}` : `${r} ${c}`;
      const file = `%%MatrixMarket matrix ${format} ${field} ${symmetry}\n${size}\n${body.map((l) => `${l}\n`).join('')}`;
      survives(`parseMtx(${JSON.stringify(file)})`, text(file), readMtx);
    },
  );
  fc.assert(prop, { ...runs(50, 400), examples: [['coordinate', 'real', 'general', ['50000000', '50000000', '1'], ['1 1 1']], ['array', 'real', 'general', ['50000000', '50000000', '1'], ['1']]] });
});

// ---------------------------------------------------------------------------------------
// CSV and ratings

const CSV_ALPHABET = '0123456789 \t\n\r-+.eE%,;|"#abcinfnatx\u00ff';

test('csv: mutated tables only ever give typed errors', () => {
  // vectorize.json is not a table (and its 240 kB would dominate the time).
  const src = sources(fixtures('text', (n) => !n.endsWith('.json')));
  fc.assert(
    fc.property(src.names, edits(200, CSV_ALPHABET), (name, list) => {
      survives(`parseCsv(${name})`, applyEdits(src.get(name), list), (b) => parseCsv(b));
    }),
    runs(11, 1000),
  );
});

const RATINGS_ALPHABET = '0123456789,:;\t| "\n\r.-eEabuseritemratingtimestamp';

function ratingsSources(): [string, Uint8Array][] {
  const synthetic = syntheticRatings({ users: 12, items: 9, ratings: 40, seed: 3 });
  return [
    ['synthetic.csv', concat(...[...encodeRatings(synthetic)].map((c) => c.slice()))],
    ['header.csv', text('user,item,rating\nalice,matrix,5\nbob,matrix,3\nbob,alien,4.5\n')],
    ['movielens.dat', text('1::1193::5::978300760\n1::661::3::978302109\n2::1357::5::978298709\n')],
    ['tabs.tsv', text('u1\ti1\t4\nu1\ti2\t2\nu2\ti1\t1\n')],
    ['implicit.csv', text('user;item\n7;3\n7;4\n8;3\n')],
  ];
}

test('ratings: mutated ratings files only ever give typed errors', () => {
  const src = sources(ratingsSources());
  fc.assert(
    fc.property(src.names, edits(64, RATINGS_ALPHABET), fc.constantFrom('error', 'skip') as fc.Arbitrary<'error' | 'skip'>, (name, list, onBadLine) => {
      survives(`parseRatings(${name}, ${onBadLine})`, applyEdits(src.get(name), list), (b) => parseRatings(b, { onBadLine }));
    }),
    runs(13, 800),
  );
});

test('over-long lines: a 17 MiB line is refused by every text reader, quickly', () => {
  const long = new Uint8Array(17 * 2 ** 20).fill(0x31); // '1' x 17 MiB, no line break
  const tail = concat(text('1,2\n'), long);
  for (const [label, bytes, read] of [
    ['parseCsv', long, (b: Uint8Array) => parseCsv(b)],
    ['parseCsv after a line', tail, (b: Uint8Array) => parseCsv(b)],
    ['parseRatings', concat(text('u,i,1\n'), long), (b: Uint8Array) => parseRatings(b)],
    ['parseMtx', concat(text('%%MatrixMarket matrix coordinate real general\n'), long), (b: Uint8Array) => parseMtx(b)],
  ] as const) {
    survives(label, bytes, read);
    assert.throws(() => read(bytes), (e: unknown) => e instanceof ParseError && /line/i.test(e.message), label);
  }
  // With a small limit, over-long lines anywhere in mutated tables are refused the same way.
  const src = sources(fixtures('text', (n) => !n.endsWith('.json')));
  fc.assert(
    fc.property(src.names, fc.nat(), fc.integer({ min: 65, max: 400 }), (name, at, width) => {
      const b = src.get(name);
      const k = at % (b.length + 1);
      const input = concat(b.subarray(0, k), new Uint8Array(width).fill(0x37), b.subarray(k));
      survives(`parseCsv(${name}, maxLineLength 64)`, input, (x) => parseCsv(x, { maxLineLength: 64 }));
      assert.throws(() => parseCsv(input, { maxLineLength: 64 }), LowrankError, `a ${width}-character run in ${name} must exceed maxLineLength 64`);
    }),
    runs(17, 100),
  );
});

// ---------------------------------------------------------------------------------------
// .lrm model files

const LRM_HEADER = 24;

/** A small fitted FunkSVD model's bytes. */
function modelBytes(): Uint8Array {
  const train = syntheticRatings({ users: 15, items: 10, ratings: 60, seed: 5 });
  return new FunkSVD({ factors: 3, epochs: 2, seed: 1, threads: 1 }).fit(train).toBytes();
}

/** Set the declared length and recompute the CRC, so the reader gets past both checks. */
function reseal(bytes: Uint8Array): Uint8Array {
  const b = bytes.slice();
  if (b.length < LRM_HEADER) return b;
  const dv = new DataView(b.buffer);
  dv.setUint32(8, b.length % 2 ** 32, true);
  dv.setUint32(12, Math.floor(b.length / 2 ** 32), true);
  dv.setUint32(16, crc32(concat(b.subarray(0, 16), b.subarray(20))), true);
  return b;
}

/** The image with its JSON metadata replaced (arrays kept, realigned), resealed. */
function withMetadata(bytes: Uint8Array, edit: (meta: Record<string, unknown>) => void): Uint8Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const j = dv.getUint32(20, true);
  const meta = JSON.parse(new TextDecoder().decode(bytes.subarray(LRM_HEADER, LRM_HEADER + j))) as Record<string, unknown>;
  edit(meta);
  const json = text(JSON.stringify(meta));
  const head = (LRM_HEADER + json.length + 7) & ~7;
  const out = new Uint8Array(head + bytes.length - ((LRM_HEADER + j + 7) & ~7));
  out.set(bytes.subarray(0, LRM_HEADER));
  new DataView(out.buffer).setUint32(20, json.length, true);
  out.set(json, LRM_HEADER);
  out.set(bytes.subarray((LRM_HEADER + j + 7) & ~7), head);
  return reseal(out);
}

const readModel = (b: Uint8Array): unknown => LatentFactorModel.fromBytes(b, 'fuzz.lrm');

test('lrm: damaged model files only ever give typed errors (checksum intact or recomputed)', () => {
  const model = modelBytes();
  LatentFactorModel.fromBytes(model); // the source itself loads
  fc.assert(
    fc.property(edits(400, '0123456789.,:[]{}"-eE'), fc.boolean(), (list, resealed) => {
      const damaged = applyEdits(model, list);
      survives(`fromBytes(${resealed ? 'resealed ' : ''}damaged model)`, resealed ? reseal(damaged) : damaged, readModel);
    }),
    runs(99, 1000),
  );
});

test('lrm: huge declared counts and sizes are refused before allocating', () => {
  const model = modelBytes();
  const huge = fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 53 - 1, 2 ** 53 + 2, 1e308, -1, 0.5, 2 ** 20, 2 ** 20 + 1, 1e6, '12', null);
  const metaEdit = fc.oneof(
    fc.record({ field: fc.constant('factors'), value: huge }),
    fc.record({ field: fc.constant('length'), array: fc.nat({ max: 5 }), value: huge }),
    fc.record({ field: fc.constant('offset'), array: fc.nat({ max: 5 }), value: huge }),
    fc.record({ field: fc.constant('userIds'), value: fc.constantFrom(20_000, 0) }),
  );
  const prop = fc.property(fc.array(metaEdit, { minLength: 1, maxLength: 3 }), (list) => {
    const bytes = withMetadata(model, (meta) => {
      const arrays = meta['arrays'] as Record<string, unknown>[];
      for (const e of list) {
        if (e.field === 'factors') meta['factors'] = e.value;
        else if (e.field === 'userIds') meta['userIds'] = Array.from({ length: e.value as number }, (_, k) => `u${k}`);
        else arrays[(e as { array: number }).array % arrays.length]![e.field] = e.value;
      }
    });
    survives(`fromBytes(metadata ${JSON.stringify(list)})`, bytes, readModel);
  });
  fc.assert(prop, { ...runs(5, 150), examples: [[[{ field: 'length', array: 2, value: 2 ** 53 - 1 }]], [[{ field: 'factors', value: 2 ** 31 }]]] });
  // Header fields: declared file length and metadata length, with the CRC recomputed.
  const header = fc.property(fc.constantFrom(8, 12, 20), fc.constantFrom(0xffffffff, 0x7fffffff, 0x40000001, 1), fc.boolean(), (at, value, resealed) => {
    const b = model.slice();
    const dv = new DataView(b.buffer);
    fc.pre(dv.getUint32(at, true) !== value);
    dv.setUint32(at, value, true);
    const input = resealed && at === 20 ? sealCrcOnly(b) : b;
    survives(`fromBytes(u32 at ${at} = ${value})`, input, readModel);
    assert.throws(() => readModel(input), LowrankError);
  });
  fc.assert(header, runs(6, 24));
});

/** Recompute only the CRC (the declared length stays whatever it was set to). */
function sealCrcOnly(bytes: Uint8Array): Uint8Array {
  const b = bytes.slice();
  new DataView(b.buffer).setUint32(16, crc32(concat(b.subarray(0, 16), b.subarray(20))), true);
  return b;
}

// ---------------------------------------------------------------------------------------
// PNG

/** One PNG chunk: length, type, data, CRC over type and data. */
function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const head = new Uint8Array(8);
  new DataView(head.buffer).setUint32(0, data.length);
  head.set(text(type), 4);
  const crc = new Uint8Array(4);
  new DataView(crc.buffer).setUint32(0, crc32(concat(head.subarray(4), data)));
  return concat(head, data, crc);
}

const PNG_SIGNATURE = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]);

function ihdr(width: number, height: number, depth: number, colorType: number, interlace = 0): Uint8Array {
  const d = new Uint8Array(13);
  const dv = new DataView(d.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  d.set([depth, colorType, 0, 0, interlace], 8);
  return pngChunk('IHDR', d);
}

/** A hand-made PNG: IHDR, optional extra chunks, one IDAT of `raw` deflated, IEND. */
function pngImage(header: Uint8Array, raw: Uint8Array, extra: Uint8Array[] = []): Uint8Array {
  return concat(PNG_SIGNATURE, header, ...extra, pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', new Uint8Array(0)));
}

function pngSources(): [string, Uint8Array][] {
  const ramp = (n: number, mul: number): Uint8Array => Uint8Array.from({ length: n }, (_, k) => (k * mul) & 255);
  // Palette, 4 bits, with transparency: 5 x 3 pixels, rows of filter byte 0 + 3 bytes.
  const palette = pngImage(ihdr(5, 3, 4, 3), Uint8Array.from([0, 0x01, 0x23, 0x40, 0, 0x12, 0x34, 0x00, 0, 0x43, 0x21, 0x00]), [
    pngChunk('PLTE', Uint8Array.from([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9])),
    pngChunk('tRNS', Uint8Array.from([255, 128, 0])),
  ]);
  // Adam7-interlaced 8-bit gray 3 x 3: passes 1, 4, 5, 6, 7 hold 1, 1, 2, 2, 3 pixels
  // (widths 1, 1, 2, 1, 3 in rows 1, 1, 1, 2, 1): each row a filter byte then its pixels.
  const interlaced = pngImage(ihdr(3, 3, 8, 0, 1), Uint8Array.from([0, 10, 0, 20, 0, 30, 40, 0, 50, 0, 60, 0, 70, 80, 90]));
  return [
    ['gray8', encodePng({ width: 7, height: 5, channels: 1, data: ramp(35, 7) })],
    ['rgba8', encodePng({ width: 4, height: 3, channels: 4, data: ramp(48, 5) })],
    ['rgb16', encodePng({ width: 3, height: 2, channels: 3, data: Uint16Array.from({ length: 18 }, (_, k) => k * 3000) })],
    ['graya8', encodePng({ width: 2, height: 4, channels: 2, data: ramp(16, 31) })],
    ['palette4', palette],
    ['interlaced', interlaced],
  ];
}

test('png: mutated images only ever give typed errors', () => {
  const src = sources(pngSources());
  for (const name of ['palette4', 'interlaced']) decodePng(src.get(name)); // the hand-made sources are valid
  fc.assert(
    // Half the cases keep the signature and recompute every chunk's CRC, so the edits reach
    // the header fields, the chunk layout and the zlib data.
    fc.property(src.names, edits(64), fc.boolean(), (name, list, resealed) => {
      const b = resealed ? resealPng(applyAfter(src.get(name), 8, list)) : applyEdits(src.get(name), list);
      survives(`decodePng(${name}${resealed ? ', CRCs recomputed' : ''})`, b, (x) => decodePng(x));
    }),
    runs(3, 1200),
  );
});

/** Recompute the CRC of every whole chunk (a damaged length ends the walk). */
function resealPng(bytes: Uint8Array): Uint8Array {
  const b = bytes.slice();
  const dv = new DataView(b.buffer);
  for (let at = 8; at + 12 <= b.length; ) {
    const n = dv.getUint32(at);
    if (at + 12 + n > b.length) break;
    dv.setUint32(at + 8 + n, crc32(b.subarray(at + 4, at + 8 + n)));
    at += 12 + n;
  }
  return b;
}

/**
 * Layout of the uncompressed image data, a filter byte then packed samples per row (per
 * Adam7 pass when interlaced): where each row starts, and the total length.
 */
function scanlines(width: number, height: number, bitsPerPixel: number, interlaced: boolean): { starts: number[]; length: number } {
  const passes = interlaced
    ? [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]]
    : [[0, 0, 1, 1]];
  const starts: number[] = [];
  let n = 0;
  for (const [x0, y0, dx, dy] of passes as [number, number, number, number][]) {
    const w = Math.ceil((width - x0) / dx);
    const h = Math.ceil((height - y0) / dy);
    if (w <= 0 || h <= 0) continue;
    for (let r = 0; r < h; r++) {
      starts.push(n);
      n += 1 + Math.ceil((w * bitsPerPixel) / 8);
    }
  }
  return { starts, length: n };
}

test('png: damaged scanlines (filter bytes, samples) under a valid header and zlib stream give typed errors', () => {
  // Edits go to the uncompressed image data, which is then deflated properly, so the
  // unfiltering, Adam7 and sample code runs on it. Size-keeping edits (bit flips, byte
  // changes) most of the time, since a wrong length is refused before unfiltering.
  const images: Record<string, { w: number; h: number; depth: number; color: number; bpp: number; extra: Uint8Array[] }> = {
    'gray8 7x5': { w: 7, h: 5, depth: 8, color: 0, bpp: 8, extra: [] },
    'rgb16 3x4': { w: 3, h: 4, depth: 16, color: 2, bpp: 48, extra: [] },
    'graya8 5x2': { w: 5, h: 2, depth: 8, color: 4, bpp: 16, extra: [] },
    'rgba8 9x6': { w: 9, h: 6, depth: 8, color: 6, bpp: 32, extra: [] },
    'gray1 13x3': { w: 13, h: 3, depth: 1, color: 0, bpp: 1, extra: [] },
    'palette2 6x3': { w: 6, h: 3, depth: 2, color: 3, bpp: 2, extra: [pngChunk('PLTE', Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9])), pngChunk('tRNS', Uint8Array.from([0, 99]))] },
  };
  const flipOrSet = fc.array(
    fc.oneof(
      fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
      fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.nat({ max: 255 }) }),
    ),
    { minLength: 1, maxLength: 4 },
  );
  const anyEdit = fc.oneof({ weight: 4, arbitrary: flipOrSet as fc.Arbitrary<Edit[]> }, { weight: 1, arbitrary: edits(16) });
  fc.assert(
    fc.property(fc.constantFrom(...Object.keys(images)), fc.boolean(), anyEdit, (name, interlaced, list) => {
      const { w, h, depth, color, bpp, extra } = images[name]!;
      // Filter bytes 0-4 in turn; samples a ramp (zeros for the palette image, whose
      // palette has three entries).
      const { starts, length } = scanlines(w, h, bpp, interlaced);
      const data = Uint8Array.from({ length }, (_, k) => (color === 3 ? 0 : (k * 37) & 255));
      starts.forEach((k, r) => (data[k] = r % 5));
      const img = pngImage(ihdr(w, h, depth, color, interlaced ? 1 : 0), applyEdits(data, list), extra);
      survives(`decodePng(${name}${interlaced ? ' interlaced' : ''}, edited scanlines ${JSON.stringify(list)})`, img, (x) => decodePng(x));
    }),
    runs(23, 800),
  );
});

test('png: huge IHDR sizes are refused before decompression', () => {
  const side = fc.constantFrom(20000, 65535, 4097, 4096, 2 ** 31 - 1, 2 ** 32 - 1, 0, 1, 3);
  const prop = fc.property(side, side, fc.constantFrom([8, 0], [16, 6], [1, 0], [8, 3], [8, 2], [4, 4]), fc.constantFrom(0, 1), (w, h, [depth, color], interlace) => {
    const img = pngImage(ihdr(w, h, depth!, color!, interlace), new Uint8Array(64), color === 3 ? [pngChunk('PLTE', new Uint8Array(6))] : []);
    survives(`decodePng(IHDR ${w}x${h} depth ${depth} color ${color} interlace ${interlace})`, img, (b) => decodePng(b));
  });
  fc.assert(prop, { ...runs(8, 200), examples: [[20000, 20000, [8, 0], 0]] });
  const issue = pngImage(ihdr(20000, 20000, 8, 6), new Uint8Array(16));
  assert.throws(() => decodePng(issue, 'big.png'), (e: unknown) => e instanceof ParseError && /20000/.test(e.message));
});

/**
 * A zlib stream of `mib` MiB of zeros in about a kilobyte per MiB: one raw deflate segment of
 * 1 MiB of zeros ending in a full flush (byte-aligned, no reference to earlier output) is
 * repeated, then a final empty block and the Adler-32 of the zeros.
 */
function zlibBomb(mib: number): Uint8Array {
  const segment = deflateRawSync(new Uint8Array(2 ** 20), { level: 9, finishFlush: zlibConstants.Z_FULL_FLUSH });
  const adler = new Uint8Array(4);
  new DataView(adler.buffer).setUint32(0, ((((mib * 2 ** 20) % 65521) << 16) | 1) >>> 0);
  return concat(Uint8Array.from([0x78, 0x9c]), ...Array.from({ length: mib }, () => segment), Uint8Array.from([3, 0]), adler);
}

test('png: a decompression bomb (4 GiB of zeros in 4 MB) is stopped near the declared size', () => {
  assert.equal(inflateSync(zlibBomb(3)).length, 3 * 2 ** 20); // the construction is a valid stream
  const z = zlibBomb(4096);
  for (const [w, h] of [
    [64, 64],
    [4096, 4096],
  ] as const) {
    const bomb = concat(PNG_SIGNATURE, ihdr(w, h, 8, 0), pngChunk('IDAT', z), pngChunk('IEND', new Uint8Array(0)));
    // Declared 64 x 64: the data inflates to far more. Declared 4096 x 4096 (the limit): the
    // data fills it with zeros and goes on. Either way the inflater must stop near that size:
    // inflating all 4 GiB takes many seconds of CPU, stopping there a fraction of one.
    const { error, cpuMs, grewMb } = survives(`decodePng(${w} x ${h} bomb)`, bomb, (b) => decodePng(b, 'bomb.png'));
    assert.ok(error instanceof ParseError && /bomb\.png/.test(error.message), `${w} x ${h}: ${String(error)}`);
    assert.ok(cpuMs < 3000, `${w} x ${h}: ${cpuMs.toFixed(0)} ms of CPU: the bomb was inflated far past the declared size`);
    assert.ok(grewMb < 128, `${w} x ${h}: ${grewMb.toFixed(0)} MB held: the bomb was inflated far past the declared size`);
  }
});
