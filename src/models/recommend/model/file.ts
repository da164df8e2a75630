/**
 * The `.lrm` model file: a fitted {@link FactorModelState} as one byte image, readable in
 * Node and browsers (no file-system calls here; `saveModel`/`loadModel` in src/io/model-file.ts
 * add those).
 *
 * Layout of format version 2 (all integers little-endian):
 * | bytes | content |
 * |---|---|
 * | 0-3 | magic `LRM1` |
 * | 4-7 | u32 format version (2) |
 * | 8-15 | u64 byte length L of the whole file |
 * | 16-19 | u32 CRC-32 of every byte of the file except these four |
 * | 20-23 | u32 byte length J of the JSON metadata |
 * | 24..24+J | UTF-8 JSON: algorithm, kind, factors, globalMean, ratingScale, hyperparameters, userIds, itemIds, and the array table `[{ name, dtype, length, offset }]` |
 * | padding | zeros to a multiple of 8 |
 * | arrays | in table order, each at its 8-byte-aligned offset from the start of the array section, zero-padded to a multiple of 8; the file ends after the last one's padding |
 *
 * The checksum covers the header, the metadata, the padding and the arrays, so one changed
 * digit of `globalMean`, two swapped IDs, a flipped bit anywhere, a cut or an appended tail
 * all make the file fail to load. CRC-32 catches damage (every 1-bit and burst error up to
 * 32 bits, other changes with probability 1 - 2^-32); it is not a signature, and anyone who
 * edits a file on purpose can recompute it. The reader therefore also validates everything
 * it would otherwise trust: sizes against the bytes present (before allocating), array
 * shapes against the dimensions, finite parameters, and seen-item indices.
 *
 * Version 1 files (checksum over the arrays only) are refused: their metadata cannot be
 * verified, and a model that predicts wrong numbers without an error is worse than one that
 * has to be retrained. The refusal says so, so the user knows to retrain rather than look
 * for damage.
 */
import { InvalidArgumentError, NonFiniteInputError, ParseError } from '../../../errors.js';
import { mapIdSpace } from '../data/id-space.js';
import type { FactorModelState, RecommenderAlgorithm } from './state.js';

/** Magic bytes at the start of every model file. */
export const MODEL_MAGIC = 'LRM1';
/** Format version this build writes (and the only one it reads). */
export const MODEL_FORMAT_VERSION = 2;

const ALGORITHMS: readonly RecommenderAlgorithm[] = ['baseline', 'funksvd', 'svdpp', 'als', 'implicit-als'];
const HEADER_BYTES = 24;
const LENGTH_AT = 8;
const CRC_AT = 16;
const JSON_LENGTH_AT = 20;
// Refuse absurd metadata sizes before decoding them (a corrupt length field).
const MAX_JSON_BYTES = 1 << 30;
// Largest latent dimension a file may declare; far above any useful model, low enough that
// nUsers * factors stays an exact integer.
const MAX_FACTORS = 1 << 20;

type ArrayDType = 'f32' | 'i32';
interface ArrayEntry {
  name: string;
  dtype: ArrayDType;
  length: number;
  offset: number;
}
interface Metadata {
  algorithm: RecommenderAlgorithm;
  kind: 'explicit' | 'implicit';
  factors: number;
  globalMean: number;
  ratingScale: [number, number];
  hyperparameters: Record<string, number | string | boolean>;
  userIds: string[];
  itemIds: string[];
  arrays: ArrayEntry[];
  /** Library that wrote the file, for the record. */
  writer: string;
}

const CORE_ARRAYS = ['userBias', 'itemBias', 'userFactors', 'itemFactors', 'seenIndptr', 'seenItems'] as const;
const EXTRA_PREFIX = 'extra.';

/**
 * Encode a model state as an `.lrm` byte image (format version {@link MODEL_FORMAT_VERSION}).
 * O(size of the model).
 * @throws NonFiniteInputError when globalMean, ratingScale, a hyperparameter or any bias or
 *   factor is NaN or infinite (such a model is refused on load, so it is not written).
 * @throws InvalidArgumentError when the ID lists exceed the 1 GiB metadata limit.
 */
export function encodeModel(state: FactorModelState): Uint8Array {
  const named: [string, Float32Array | Int32Array][] = [
    ['userBias', state.userBias],
    ['itemBias', state.itemBias],
    ['userFactors', state.userFactors],
    ['itemFactors', state.itemFactors],
    ['seenIndptr', state.seenIndptr],
    ['seenItems', state.seenItems],
  ];
  for (const [k, v] of Object.entries(state.extra ?? {})) named.push([`${EXTRA_PREFIX}${k}`, v]);
  checkFiniteState(state, named);
  const arrays: ArrayEntry[] = [];
  let offset = 0;
  for (const [name, a] of named) {
    arrays.push({ name, dtype: a instanceof Int32Array ? 'i32' : 'f32', length: a.length, offset });
    offset = align8(offset + a.byteLength);
  }
  const meta: Metadata = {
    algorithm: state.algorithm,
    kind: state.kind,
    factors: state.factors,
    globalMean: state.globalMean,
    ratingScale: [state.ratingScale[0], state.ratingScale[1]],
    hyperparameters: { ...state.hyperparameters },
    userIds: [...state.ids.userIds],
    itemIds: [...state.ids.itemIds],
    arrays,
    writer: 'lowrank',
  };
  const json = new TextEncoder().encode(JSON.stringify(meta));
  if (json.length > MAX_JSON_BYTES) {
    throw new InvalidArgumentError(`encodeModel: the metadata (mostly user and item IDs) takes ${json.length} bytes, over the ${MAX_JSON_BYTES}-byte limit of the model format; shorten the IDs or re-index them`);
  }
  const head = align8(HEADER_BYTES + json.length);
  const out = new Uint8Array(head + offset);
  const dv = new DataView(out.buffer);
  for (let k = 0; k < 4; k++) out[k] = MODEL_MAGIC.charCodeAt(k);
  dv.setUint32(4, MODEL_FORMAT_VERSION, true);
  setUint64(dv, LENGTH_AT, out.length);
  dv.setUint32(JSON_LENGTH_AT, json.length, true);
  out.set(json, HEADER_BYTES);
  named.forEach(([, a], k) => out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), head + arrays[k]!.offset));
  dv.setUint32(CRC_AT, fileCrc(out), true);
  return out;
}

/**
 * Decode an `.lrm` byte image written by {@link encodeModel}.
 * @param source - names the file in error messages.
 * @throws ParseError naming `source` when the image is not a model file, is format version 1
 *   (metadata not checksummed: retrain) or an unknown version, is truncated or has bytes
 *   after its end, fails the whole-file checksum, or holds metadata that does not validate:
 *   array sizes that disagree with the dimensions or the bytes present, negative or huge
 *   counts, non-finite globalMean, biases or factors, seen items out of range, duplicate IDs.
 */
export function decodeModel(bytes: Uint8Array, source = '<buffer>'): FactorModelState {
  const fail = (detail: string, byteOffset?: number): never => {
    throw new ParseError(source, byteOffset === undefined ? {} : { byteOffset }, detail);
  };
  if (bytes.length < 8) fail(`not a lowrank model file: ${bytes.length} bytes, shorter than the ${HEADER_BYTES}-byte header`);
  const magic = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
  if (magic !== MODEL_MAGIC) fail(`not a lowrank model file (magic ${JSON.stringify(magic)}, expected "${MODEL_MAGIC}")`, 0);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(4, true);
  if (version === 1) {
    fail('model format version 1 is no longer read: its checksum does not cover the metadata (IDs, globalMean), so a damaged file could load and predict wrong numbers; retrain and save the model with this lowrank', 4);
  }
  if (version !== MODEL_FORMAT_VERSION) {
    const hint = version > MODEL_FORMAT_VERSION ? 'it was written by a newer lowrank: upgrade lowrank' : 'the file is damaged';
    fail(`model format version ${version} is not supported (this lowrank reads version ${MODEL_FORMAT_VERSION}; ${hint})`, 4);
  }
  if (bytes.length < HEADER_BYTES) fail(`truncated: ${bytes.length} bytes, shorter than the ${HEADER_BYTES}-byte header`);
  // The declared length is checked before the checksum so that the common damage, a file cut
  // short or with something appended, gets a message that says so.
  const total = getUint64(dv, LENGTH_AT);
  if (total < bytes.length) fail(`${bytes.length - total} bytes more than the ${total} the header declares: something was appended to the file (or its header is damaged); copy it again or re-save the model`, total);
  if (total > bytes.length) fail(`truncated: the header declares ${total} bytes, the file has ${bytes.length}: it was cut short (or its header is damaged); copy it again or re-save the model`, bytes.length);
  const stored = dv.getUint32(CRC_AT, true);
  const actual = fileCrc(bytes);
  if (stored !== actual) {
    fail(`corrupt: checksum mismatch (stored ${hex32(stored)}, computed ${hex32(actual)}): the file was changed or damaged after it was written; re-save or retrain the model`);
  }
  // From here on the bytes are as written, but they are still checked: a file edited with
  // its checksum recomputed, or written by a buggy writer, must not load wrong either.
  const jsonLength = dv.getUint32(JSON_LENGTH_AT, true);
  if (jsonLength > MAX_JSON_BYTES || HEADER_BYTES + jsonLength > total) fail(`corrupt: metadata of ${jsonLength} bytes does not fit in ${total} bytes`, JSON_LENGTH_AT);
  let meta: Metadata;
  try {
    meta = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + jsonLength))) as Metadata;
  } catch (e) {
    return fail(`corrupt metadata: ${(e as Error).message}`, HEADER_BYTES);
  }
  validateMeta(meta, fail);
  const head = align8(HEADER_BYTES + jsonLength);
  // Exactly the layout encodeModel writes: arrays back to back in table order, each padded
  // to 8 bytes, ending at the end of the file. Every size is checked against the bytes
  // present here, before any array is allocated.
  let end = 0;
  const names = new Set<string>();
  for (const a of meta.arrays) {
    if (names.has(a.name)) fail(`corrupt metadata: array '${a.name}' is listed twice`);
    names.add(a.name);
    if (a.offset !== end) fail(`corrupt metadata: array '${a.name}' starts at offset ${a.offset}, expected ${end}`);
    const bytesOf = a.length * 4;
    if (head + a.offset + bytesOf > total) fail(`corrupt metadata: array '${a.name}' declares ${a.length} elements (${bytesOf} bytes), more than the ${total - head - a.offset} bytes left in the file`);
    end = align8(a.offset + bytesOf);
  }
  if (head + end !== total) fail(`corrupt metadata: the array table accounts for ${head + end} bytes, the file has ${total}`);
  const nu = meta.userIds.length;
  const ni = meta.itemIds.length;
  const f = meta.factors;
  const want: Record<(typeof CORE_ARRAYS)[number], [ArrayDType, number]> = {
    userBias: ['f32', nu],
    itemBias: ['f32', ni],
    userFactors: ['f32', nu * f],
    itemFactors: ['f32', ni * f],
    seenIndptr: ['i32', nu + 1],
    seenItems: ['i32', -1],
  };
  for (const name of CORE_ARRAYS) {
    const a = meta.arrays.find((x) => x.name === name);
    if (!a) return fail(`corrupt metadata: array '${name}' is missing`);
    const [dt, len] = want[name];
    if (a.dtype !== dt || (len >= 0 && a.length !== len)) fail(`corrupt metadata: array '${name}' is ${a.dtype}[${a.length}], expected ${dt}[${len >= 0 ? len : ''}] for ${nu} users, ${ni} items, ${f} factors`);
  }
  for (const a of meta.arrays) {
    const core = (CORE_ARRAYS as readonly string[]).includes(a.name);
    if (!core && !a.name.startsWith(EXTRA_PREFIX)) fail(`corrupt metadata: unknown array '${a.name}'`);
    if (!core && a.dtype !== 'f32') fail(`corrupt metadata: array '${a.name}' is ${a.dtype}, expected f32`);
  }
  const get = new Map<string, Float32Array | Int32Array>();
  for (const a of meta.arrays) {
    // Copy into fresh, aligned buffers (the image may sit at any offset in a larger buffer).
    const raw = bytes.slice(head + a.offset, head + a.offset + a.length * 4);
    const arr = a.dtype === 'i32' ? new Int32Array(raw.buffer) : new Float32Array(raw.buffer);
    if (arr instanceof Float32Array) {
      const k = arr.findIndex((x) => !Number.isFinite(x));
      if (k >= 0) fail(`corrupt: ${a.name}[${k}] is ${arr[k]}; a model with non-finite parameters cannot predict`, head + a.offset + 4 * k);
    }
    get.set(a.name, arr);
  }
  const seenIndptr = get.get('seenIndptr') as Int32Array;
  const seenItems = get.get('seenItems') as Int32Array;
  if (seenIndptr[0] !== 0 || seenIndptr[nu] !== seenItems.length) fail('corrupt: seenIndptr does not delimit seenItems');
  for (let u = 0; u < nu; u++) if (seenIndptr[u + 1]! < seenIndptr[u]!) fail('corrupt: seenIndptr is not non-decreasing');
  for (const j of seenItems) if (!(j >= 0 && j < ni)) fail(`corrupt: seen item index ${j} outside 0..${ni - 1}`);
  const extra: Record<string, Float32Array> = {};
  for (const a of meta.arrays) if (a.name.startsWith(EXTRA_PREFIX)) extra[a.name.slice(EXTRA_PREFIX.length)] = get.get(a.name) as Float32Array;
  let ids;
  try {
    ids = mapIdSpace(meta.userIds, meta.itemIds);
  } catch (e) {
    return fail(`corrupt metadata: ${(e as Error).message}`);
  }
  return {
    algorithm: meta.algorithm,
    kind: meta.kind,
    ids,
    factors: f,
    globalMean: meta.globalMean,
    userBias: get.get('userBias') as Float32Array,
    itemBias: get.get('itemBias') as Float32Array,
    userFactors: get.get('userFactors') as Float32Array,
    itemFactors: get.get('itemFactors') as Float32Array,
    ratingScale: meta.ratingScale,
    seenIndptr,
    seenItems,
    hyperparameters: meta.hyperparameters,
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

function validateMeta(m: Metadata, fail: (detail: string) => never): void {
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (!isObj(m)) fail('corrupt metadata: not a JSON object');
  if (!ALGORITHMS.includes(m.algorithm)) fail(`unknown algorithm ${JSON.stringify(m.algorithm)} (known: ${ALGORITHMS.join(', ')})`);
  if (m.kind !== 'explicit' && m.kind !== 'implicit') fail(`corrupt metadata: kind ${JSON.stringify(m.kind)}`);
  if (!(Number.isInteger(m.factors) && m.factors >= 0 && m.factors <= MAX_FACTORS)) fail(`corrupt metadata: factors ${JSON.stringify(m.factors)}, expected an integer in [0, ${MAX_FACTORS}]`);
  // JSON has no NaN, but 1e999 parses as Infinity.
  if (!finite(m.globalMean)) fail(`corrupt metadata: globalMean is ${typeof m.globalMean === 'number' ? String(m.globalMean) : (JSON.stringify(m.globalMean) ?? 'missing')}, expected a finite number`);
  if (!Array.isArray(m.ratingScale) || m.ratingScale.length !== 2 || !m.ratingScale.every(finite) || m.ratingScale[0] > m.ratingScale[1]) fail('corrupt metadata: ratingScale must be [min, max], finite, min <= max');
  if (!isObj(m.hyperparameters)) fail('corrupt metadata: hyperparameters is not an object');
  for (const [k, v] of Object.entries(m.hyperparameters)) {
    if (!(typeof v === 'string' || typeof v === 'boolean' || finite(v))) fail(`corrupt metadata: hyperparameter '${k}' is ${JSON.stringify(v)}`);
  }
  for (const ids of [m.userIds, m.itemIds]) {
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) fail('corrupt metadata: userIds/itemIds must be arrays of strings');
  }
  if (!Array.isArray(m.arrays)) fail('corrupt metadata: arrays is not a list');
  for (const a of m.arrays as unknown[]) {
    if (!isObj(a) || typeof a.name !== 'string' || (a.dtype !== 'f32' && a.dtype !== 'i32') || !Number.isSafeInteger(a.length) || (a.length as number) < 0 || !Number.isSafeInteger(a.offset) || (a.offset as number) < 0) {
      fail(`corrupt metadata: array entry ${JSON.stringify(a)}`);
    }
  }
}

/**
 * Refuse to write what decodeModel would refuse to read: JSON has no NaN or Infinity, and
 * non-finite parameters usually mean the fit diverged.
 */
function checkFiniteState(state: FactorModelState, named: readonly [string, Float32Array | Int32Array][]): void {
  const bad = (what: string, v: unknown): never => {
    throw new NonFiniteInputError(`encodeModel: ${what} is ${String(v)}; a model with non-finite values cannot be saved (if the fit diverged, lower the learning rate or raise the regularization)`);
  };
  if (!Number.isFinite(state.globalMean)) bad('globalMean', state.globalMean);
  for (const k of [0, 1] as const) if (!Number.isFinite(state.ratingScale[k])) bad(`ratingScale[${k}]`, state.ratingScale[k]);
  for (const [k, v] of Object.entries(state.hyperparameters)) if (typeof v === 'number' && !Number.isFinite(v)) bad(`hyperparameter '${k}'`, v);
  for (const [name, a] of named) {
    if (!(a instanceof Float32Array)) continue;
    const k = a.findIndex((x) => !Number.isFinite(x));
    if (k >= 0) bad(`${name}[${k}]`, a[k]);
  }
}

/** CRC-32 of a whole image, skipping the four bytes that hold it. */
function fileCrc(bytes: Uint8Array): number {
  return crc32Final(crc32Update(crc32Update(0xffffffff, bytes.subarray(0, CRC_AT)), bytes.subarray(CRC_AT + 4)));
}

function hex32(x: number): string {
  return `0x${x.toString(16).padStart(8, '0')}`;
}

// u64 as two u32 halves: file sizes stay exact below 2^53 without BigInt.
function setUint64(dv: DataView, at: number, v: number): void {
  dv.setUint32(at, v % 2 ** 32, true);
  dv.setUint32(at + 4, Math.floor(v / 2 ** 32), true);
}

function getUint64(dv: DataView, at: number): number {
  return dv.getUint32(at, true) + dv.getUint32(at + 4, true) * 2 ** 32;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib's crc32. */
export function crc32(bytes: Uint8Array): number {
  return crc32Final(crc32Update(0xffffffff, bytes));
}

function crc32Update(c: number, bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let x = n;
      for (let k = 0; k < 8; k++) x = x & 1 ? 0xedb88320 ^ (x >>> 1) : x >>> 1;
      crcTable[n] = x >>> 0;
    }
  }
  const t = crcTable;
  for (let k = 0; k < bytes.length; k++) c = t[(c ^ bytes[k]!) & 0xff]! ^ (c >>> 8);
  return c;
}

function crc32Final(c: number): number {
  return (c ^ 0xffffffff) >>> 0;
}
