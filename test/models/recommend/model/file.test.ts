/**
 * `.lrm` model files against damage and tampering (issue 15, item 3). The first group edits
 * saved images without knowing the header layout (it finds the JSON text by searching), so
 * each case also ran against format version 1, whose checksum skipped the metadata: there a
 * changed globalMean, swapped IDs, most flipped bits in the JSON and any appended or
 * padding-only cut loaded without an error. The second group forges files whose checksum is
 * recomputed, so only the reader's validation can refuse them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { NonFiniteInputError, ParseError } from '../../../../src/errors.js';
import { mapIdSpace } from '../../../../src/models/recommend/data/id-space.js';
import { LatentFactorModel } from '../../../../src/models/recommend/model/latent-factor-model.js';
import { crc32, decodeModel, encodeModel, MODEL_FORMAT_VERSION } from '../../../../src/models/recommend/model/file.js';
import { loadModel, saveModel } from '../../../../src/io/model-file.js';
import type { FactorModelState } from '../../../../src/models/recommend/model/state.js';
import { rng } from '../../../helpers.js';

const LABEL = 'tampered.lrm';
const dir = mkdtempSync(join(tmpdir(), 'lowrank-model-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A random explicit SVD++-like state. User IDs all have three characters (u10..u99), so two
 * of them can be swapped in place in the JSON.
 */
function randomState(seed: number, nu = 12, ni = 9, f = 3): FactorModelState {
  const r = rng(seed);
  const normal = (n: number): Float32Array => Float32Array.from({ length: n }, () => r.nextNormal());
  const seenIndptr = new Int32Array(nu + 1);
  const seen: number[] = [];
  for (let u = 0; u < nu; u++) {
    for (let i = 0; i < ni; i++) if (r.nextDouble() < 0.4) seen.push(i);
    seenIndptr[u + 1] = seen.length;
  }
  return {
    algorithm: 'svdpp',
    kind: 'explicit',
    ids: mapIdSpace(Array.from({ length: nu }, (_, u) => `u${10 + u}`), Array.from({ length: ni }, (_, i) => `item-${i}`)),
    factors: f,
    globalMean: 3.5 + 0.25 * r.nextDouble(),
    userBias: normal(nu),
    itemBias: normal(ni),
    userFactors: normal(nu * f),
    itemFactors: normal(ni * f),
    ratingScale: [1, 5],
    seenIndptr,
    seenItems: Int32Array.from(seen),
    hyperparameters: { factors: f, lr: 0.007, reg: 0.02, biased: true, solver: 'sgd' },
    extra: { y: normal(ni * f) },
  };
}

const small = encodeModel(randomState(1));

/** Throws a ParseError for `file` (whose message starts with the file name) matching `pattern`. */
function assertRefused(decode: () => unknown, file: string, pattern: RegExp | undefined, what: string): void {
  let err: unknown;
  try {
    decode();
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ParseError, `${what}: expected a ParseError, got ${err === undefined ? 'a loaded model' : String(err)}`);
  assert.equal(err.file, file, what);
  assert.ok(err.message.startsWith(`${file}:`) || err.message.startsWith(`${file} at byte`), `${what}: message names the file: ${err.message}`);
  if (pattern) assert.match(err.message, pattern, what);
}

const refusedFromBytes = (bytes: Uint8Array, pattern: RegExp | undefined, what: string): void =>
  assertRefused(() => LatentFactorModel.fromBytes(bytes, LABEL), LABEL, pattern, what);

async function assertLoadRefused(bytes: Uint8Array, pattern: RegExp): Promise<void> {
  const path = join(dir, LABEL);
  writeFileSync(path, bytes);
  await assert.rejects(loadModel(path), (e: unknown) => {
    assert.ok(e instanceof ParseError, `expected a ParseError, got ${String(e)}`);
    assert.equal(e.file, path);
    assert.ok(e.message.startsWith(path), e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

// --- edits that do not depend on the header layout ---

function indexOfText(bytes: Uint8Array, text: string): number {
  const needle = new TextEncoder().encode(text);
  outer: for (let k = 0; k + needle.length <= bytes.length; k++) {
    for (let j = 0; j < needle.length; j++) if (bytes[k + j] !== needle[j]) continue outer;
    return k;
  }
  throw new Error(`test setup: ${JSON.stringify(text)} is not in the image`);
}

/** One digit of globalMean changed (the first one: 3.xx becomes 4.xx). */
function changeGlobalMeanDigit(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const at = indexOfText(out, '"globalMean":') + '"globalMean":'.length;
  assert.ok(out[at]! >= 0x30 && out[at]! <= 0x39, 'test setup: a digit follows "globalMean":');
  out[at] = 0x30 + ((out[at]! - 0x30 + 1) % 10);
  return out;
}

/** The IDs of users 0 and 1 (u10 and u11) swapped, in place. */
function swapFirstUserIds(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const a = indexOfText(out, '"u10"');
  const b = indexOfText(out, '"u11"');
  out.set(bytes.subarray(b, b + 5), a);
  out.set(bytes.subarray(a, a + 5), b);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('.lrm files: damage and tampering are refused with a ParseError naming the file', () => {
  it('the untampered image loads and round-trips byte for byte', () => {
    const m = LatentFactorModel.fromBytes(small, LABEL);
    assert.deepEqual(m.toBytes(), small);
    assert.equal(m.state.globalMean, randomState(1).globalMean);
  });

  it('one digit of globalMean changed', async () => {
    const t = changeGlobalMeanDigit(small);
    refusedFromBytes(t, /checksum/, 'globalMean digit');
    assertRefused(() => decodeModel(t, LABEL), LABEL, /checksum/, 'decodeModel');
    await assertLoadRefused(t, /checksum mismatch/);
  });

  it('two user IDs swapped', async () => {
    const t = swapFirstUserIds(small);
    refusedFromBytes(t, /checksum/, 'swapped IDs');
    await assertLoadRefused(t, /checksum/);
  });

  it('one bit flipped at every byte of a small file (seeded bit per byte)', () => {
    const r = rng(15);
    for (let k = 0; k < small.length; k++) {
      const t = small.slice();
      const bit = r.nextInt(8);
      t[k] = t[k]! ^ (1 << bit);
      refusedFromBytes(t, undefined, `bit ${bit} of byte ${k} of ${small.length}`);
    }
  });

  it('one bit flipped at 400 seeded positions of a larger file, and the header bits all flipped', async () => {
    const big = encodeModel(randomState(2, 300, 200, 8));
    const r = rng(16);
    const positions = [...Array.from({ length: 32 }, (_, k) => k), ...Array.from({ length: 400 }, () => r.nextInt(big.length))];
    for (const k of positions) {
      for (const bit of k < 32 ? [0, 1, 2, 3, 4, 5, 6, 7] : [r.nextInt(8)]) {
        const t = big.slice();
        t[k] = t[k]! ^ (1 << bit);
        refusedFromBytes(t, undefined, `bit ${bit} of byte ${k} of ${big.length}`);
      }
    }
    const t = big.slice();
    t[big.length - 1] = t[big.length - 1]! ^ 0x80; // in the padding of the last array
    await assertLoadRefused(t, /checksum/);
  });

  it('truncated at every length of a small file and at 100 seeded lengths of a larger one', async () => {
    for (let n = 0; n < small.length; n++) refusedFromBytes(small.subarray(0, n), undefined, `cut to ${n} of ${small.length} bytes`);
    const big = encodeModel(randomState(3, 200, 150, 6));
    const r = rng(17);
    for (let k = 0; k < 100; k++) {
      const n = r.nextInt(big.length);
      refusedFromBytes(big.subarray(0, n), n < 8 ? /not a lowrank model file/ : /truncated/, `cut to ${n} of ${big.length} bytes`);
    }
    // Only the last array's zero padding cut: the arrays are all there, the file is not.
    await assertLoadRefused(small.subarray(0, small.length - 1), /truncated/);
  });

  it('bytes appended', async () => {
    const r = rng(18);
    const tails = [new Uint8Array(1), new Uint8Array(8), Uint8Array.from({ length: 37 }, () => r.nextInt(256)), small];
    for (const tail of tails) refusedFromBytes(concat(small, tail), /appended/, `${tail.length} bytes appended`);
    await assertLoadRefused(concat(small, new Uint8Array(8)), /8 bytes more than the \d+ the header declares/);
  });

  it('saveModel/loadModel round-trip through a file', async () => {
    const path = join(dir, 'good.lrm');
    const m = new LatentFactorModel(randomState(4));
    await saveModel(path, m);
    assert.deepEqual(new Uint8Array(readFileSync(path)), m.toBytes());
    const back = await loadModel(path);
    assert.deepEqual(back.toBytes(), m.toBytes());
    assert.equal(back.predict('u12', 'item-3').value, m.predict('u12', 'item-3').value);
  });
});

// --- forged files: the layout of format version 2, the checksum recomputed ---

const align8 = (n: number): number => (n + 7) & ~7;
const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** Store the CRC-32 of every byte but 16..19 at 16..19, as the writer does. */
function reseal(bytes: Uint8Array): Uint8Array {
  view(bytes).setUint32(16, crc32(concat(bytes.subarray(0, 16), bytes.subarray(20))), true);
  return bytes;
}

function layout(bytes: Uint8Array): { json: string; head: number; meta: { arrays: { name: string; offset: number; length: number }[] } } {
  const j = view(bytes).getUint32(20, true);
  const json = new TextDecoder().decode(bytes.subarray(24, 24 + j));
  return { json, head: align8(24 + j), meta: JSON.parse(json) as { arrays: { name: string; offset: number; length: number }[] } };
}

/** The image with its JSON text replaced by `edit(json)`, lengths and checksum updated. */
function withJson(bytes: Uint8Array, edit: (json: string) => string): Uint8Array {
  const { json, head } = layout(bytes);
  const text = new TextEncoder().encode(edit(json));
  assert.notEqual(new TextDecoder().decode(text), json, 'test setup: the edit changed the JSON');
  const head2 = align8(24 + text.length);
  const out = new Uint8Array(head2 + bytes.length - head);
  out.set(bytes.subarray(0, 24));
  out.set(text, 24);
  out.set(bytes.subarray(head), head2);
  view(out).setUint32(8, out.length, true);
  view(out).setUint32(20, text.length, true);
  return reseal(out);
}

/** The image with `name[index]` overwritten by `value` (f32 or i32 as the array is), resealed. */
function withElement(bytes: Uint8Array, name: string, index: number, value: number, dtype: 'f32' | 'i32' = 'f32'): Uint8Array {
  const { head, meta } = layout(bytes);
  const a = meta.arrays.find((x) => x.name === name)!;
  const out = bytes.slice();
  const at = head + a.offset + 4 * index;
  if (dtype === 'f32') view(out).setFloat32(at, value, true);
  else view(out).setInt32(at, value, true);
  return reseal(out);
}

/** The array table entry of `name` edited, resealed. */
function withArrayEntry(bytes: Uint8Array, name: string, edit: Record<string, unknown>): Uint8Array {
  return withJson(bytes, (json) => {
    const m = JSON.parse(json) as { arrays: Record<string, unknown>[] };
    Object.assign(m.arrays.find((a) => a['name'] === name)!, edit);
    return JSON.stringify(m);
  });
}

describe('.lrm files: forged files with a valid checksum still have to validate', () => {
  it('the header holds the version, the file length and a checksum of everything else', () => {
    const dv = view(small);
    assert.equal(MODEL_FORMAT_VERSION, 2);
    assert.equal(String.fromCharCode(...small.subarray(0, 4)), 'LRM1');
    assert.equal(dv.getUint32(4, true), 2);
    assert.equal(dv.getUint32(8, true) + dv.getUint32(12, true) * 2 ** 32, small.length);
    assert.equal(dv.getUint32(16, true), crc32(concat(small.subarray(0, 16), small.subarray(20))));
  });

  it('a tampered globalMean with its checksum recomputed loads (the checksum is what caught it)', () => {
    const forged = reseal(changeGlobalMeanDigit(small));
    const m = LatentFactorModel.fromBytes(forged, LABEL);
    assert.equal(Math.floor(m.state.globalMean), Math.floor(randomState(1).globalMean) + 1);
  });

  it('non-finite biases and factors', () => {
    const cases: [string, number, number][] = [
      ['userFactors', 4, NaN],
      ['itemFactors', 0, Infinity],
      ['userBias', 11, -Infinity],
      ['itemBias', 2, NaN],
      ['extra.y', 7, Infinity],
    ];
    for (const [name, k, v] of cases) {
      const pat = new RegExp(`${name.replace('.', '\\.')}\\[${k}\\] is ${String(v)}`);
      refusedFromBytes(withElement(small, name, k, v), pat, `${name}[${k}] = ${v}`);
    }
  });

  it('a non-finite, missing or non-numeric globalMean', () => {
    const gm = /"globalMean":[^,]*/;
    refusedFromBytes(withJson(small, (j) => j.replace(gm, '"globalMean":1e999')), /globalMean is Infinity/, '1e999');
    refusedFromBytes(withJson(small, (j) => j.replace(gm, '"globalMean":-1e999')), /globalMean is -Infinity/, '-1e999');
    refusedFromBytes(withJson(small, (j) => j.replace(gm, '"globalMean":null')), /globalMean is null/, 'null');
    refusedFromBytes(withJson(small, (j) => j.replace(gm, '"globalMean":"3.5"')), /globalMean/, 'a string');
    refusedFromBytes(withJson(small, (j) => j.replace(`${gm.exec(j)![0]},`, '')), /globalMean is missing/, 'missing');
  });

  it('huge or negative counts are refused before anything is allocated', () => {
    // 2^40 f32 would be 4 TiB: an attempt to allocate it would throw a RangeError, not a ParseError.
    refusedFromBytes(withArrayEntry(small, 'seenItems', { length: 2 ** 40 }), /seenItems' declares 1099511627776 elements/, 'huge length');
    refusedFromBytes(withArrayEntry(small, 'extra.y', { length: 2 ** 40 }), /declares/, 'huge extra length');
    refusedFromBytes(withArrayEntry(small, 'userBias', { length: -1 }), /array entry/, 'negative length');
    refusedFromBytes(withArrayEntry(small, 'userBias', { length: 1e300 }), /array entry/, 'length not an integer');
    refusedFromBytes(withArrayEntry(small, 'itemBias', { offset: 8 }), /starts at offset 8, expected/, 'offset moved');
    refusedFromBytes(withJson(small, (j) => j.replace(/"factors":3/, `"factors":${2 ** 30}`)), /factors 1073741824/, 'huge factors');
    refusedFromBytes(withJson(small, (j) => j.replace(/"factors":3/, '"factors":-3')), /factors -3/, 'negative factors');
  });

  it('sizes that disagree with the dimensions or with the bytes present', () => {
    refusedFromBytes(withJson(small, (j) => j.replace(/"factors":3/, '"factors":2')), /userFactors' is f32\[36\], expected f32\[24\]/, 'factors');
    refusedFromBytes(withJson(small, (j) => j.replace('"u10",', '')), /userBias' is f32\[12\], expected f32\[11\]/, 'one user ID fewer');
    refusedFromBytes(withArrayEntry(small, 'seenItems', { dtype: 'f32' }), /seenItems' is f32/, 'dtype');
    refusedFromBytes(withArrayEntry(small, 'extra.y', { name: 'userBias' }), /listed twice/, 'duplicate array');
    refusedFromBytes(withArrayEntry(small, 'extra.y', { name: 'mystery' }), /unknown array 'mystery'/, 'unknown array');
    refusedFromBytes(withJson(small, (j) => j.replace('{"name":"userBias"', '{"name":"x"')), /array 'userBias' is missing|unknown array/, 'missing array');
    // More bytes than the table accounts for, with the header length and checksum updated.
    const longer = concat(small, new Uint8Array(8));
    view(longer).setUint32(8, longer.length, true);
    refusedFromBytes(reseal(longer), /array table accounts for/, 'unaccounted bytes');
  });

  it('bad IDs, seen lists and hyperparameters', () => {
    refusedFromBytes(withJson(small, (j) => j.replace('"u11"', '"u10"')), /duplicate user ID 'u10'/, 'duplicate ID');
    refusedFromBytes(withJson(small, (j) => j.replace('"u11"', '11')), /userIds\/itemIds/, 'numeric ID');
    refusedFromBytes(withElement(small, 'seenItems', 0, 9, 'i32'), /seen item index 9/, 'seen item out of range');
    refusedFromBytes(withElement(small, 'seenIndptr', 0, 1, 'i32'), /seenIndptr/, 'seenIndptr start');
    refusedFromBytes(withJson(small, (j) => j.replace('"reg":0.02', '"reg":null')), /hyperparameter 'reg'/, 'null hyperparameter');
    refusedFromBytes(withJson(small, (j) => j.replace('"kind":"explicit"', '"kind":"both"')), /kind/, 'kind');
    refusedFromBytes(withJson(small, (j) => j.replace('"ratingScale":[1,5]', '"ratingScale":[5,1]')), /ratingScale/, 'ratingScale');
    refusedFromBytes(withJson(small, () => '[1, 2]'), /not a JSON object/, 'JSON array');
    refusedFromBytes(withJson(small, (j) => j.slice(0, -1)), /corrupt metadata/, 'broken JSON');
  });

  it('format version 1 (metadata not checksummed) and unknown versions', () => {
    const at = (v: number): Uint8Array => {
      const t = small.slice();
      view(t).setUint32(4, v, true);
      return t;
    };
    refusedFromBytes(at(1), /version 1 is no longer read.*retrain/, 'v1');
    refusedFromBytes(at(3), /version 3 is not supported.*upgrade lowrank/, 'v3');
    refusedFromBytes(at(0), /version 0 is not supported.*damaged/, 'v0');
  });
});

describe('encodeModel', () => {
  it('refuses to write non-finite parameters (they could not be loaded)', () => {
    const st = randomState(5);
    const f = st.userFactors.slice();
    f[5] = NaN;
    assert.throws(() => encodeModel({ ...st, userFactors: f }), (e: unknown) => e instanceof NonFiniteInputError && /userFactors\[5\] is NaN/.test(e.message));
    assert.throws(() => encodeModel({ ...st, globalMean: Infinity }), NonFiniteInputError);
    assert.throws(() => encodeModel({ ...st, extra: { y: Float32Array.of(1, -Infinity) } }), /extra\.y\[1\] is -Infinity/);
    assert.throws(() => encodeModel({ ...st, hyperparameters: { reg: NaN } }), /hyperparameter 'reg'/);
  });
});
