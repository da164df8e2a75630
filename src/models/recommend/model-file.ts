/**
 * The `.lrm` model file: a fitted {@link FactorModelState} as one byte image, readable in
 * Node and browsers (no file-system calls here; `saveModel`/`loadModel` in model-file-node.ts
 * add those).
 *
 * Layout (all integers little-endian):
 * | bytes | content |
 * |---|---|
 * | 0-3 | magic `LRM1` |
 * | 4-7 | u32 format version (currently 1) |
 * | 8-11 | u32 byte length J of the JSON metadata |
 * | 12..12+J | UTF-8 JSON: algorithm, kind, factors, globalMean, ratingScale, hyperparameters, userIds, itemIds, and the array table `[{ name, dtype, length, offset }]` with a CRC-32 of the array section |
 * | padding | zeros to a multiple of 8 |
 * | arrays | each array at its 8-byte-aligned offset from the start of the array section |
 *
 * A reader rejects unknown versions, truncated images, array tables that do not fit the
 * dimensions, and CRC mismatches with a {@link ParseError}, so a damaged file never loads as
 * a silently wrong model.
 */
import { ParseError } from '../../errors.js';
import { mapIdSpace } from './id-space.js';
import type { FactorModelState, RecommenderAlgorithm } from './model-state.js';

/** Magic bytes at the start of every model file. */
export const MODEL_MAGIC = 'LRM1';
/** Format version this build writes (and the only one it reads). */
export const MODEL_FORMAT_VERSION = 1;

const ALGORITHMS: readonly RecommenderAlgorithm[] = ['baseline', 'funksvd', 'svdpp', 'als', 'implicit-als'];
// Refuse absurd metadata sizes before decoding them (a corrupt length field).
const MAX_JSON_BYTES = 1 << 30;

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
  crc32: number;
  /** Library that wrote the file, for the record. */
  writer: string;
}

const CORE_ARRAYS = ['userBias', 'itemBias', 'userFactors', 'itemFactors', 'seenIndptr', 'seenItems'] as const;

/** Encode a model state as an `.lrm` byte image. O(size of the model). */
export function encodeModel(state: FactorModelState): Uint8Array {
  const named: [string, Float32Array | Int32Array][] = [
    ['userBias', state.userBias],
    ['itemBias', state.itemBias],
    ['userFactors', state.userFactors],
    ['itemFactors', state.itemFactors],
    ['seenIndptr', state.seenIndptr],
    ['seenItems', state.seenItems],
  ];
  for (const [k, v] of Object.entries(state.extra ?? {})) named.push([`extra.${k}`, v]);
  const arrays: ArrayEntry[] = [];
  let offset = 0;
  for (const [name, a] of named) {
    arrays.push({ name, dtype: a instanceof Int32Array ? 'i32' : 'f32', length: a.length, offset });
    offset = align8(offset + a.byteLength);
  }
  const section = new Uint8Array(offset);
  named.forEach(([, a], k) => section.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), arrays[k]!.offset));
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
    crc32: crc32(section),
    writer: 'lowrank',
  };
  const json = new TextEncoder().encode(JSON.stringify(meta));
  const head = align8(12 + json.length);
  const out = new Uint8Array(head + section.length);
  const dv = new DataView(out.buffer);
  for (let k = 0; k < 4; k++) out[k] = MODEL_MAGIC.charCodeAt(k);
  dv.setUint32(4, MODEL_FORMAT_VERSION, true);
  dv.setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(section, head);
  return out;
}

/**
 * Decode an `.lrm` byte image.
 * @param source - names the file in error messages.
 * @throws ParseError when the image is not a model file, has another version, is truncated
 *   or corrupt, or its arrays do not fit its dimensions.
 */
export function decodeModel(bytes: Uint8Array, source = '<buffer>'): FactorModelState {
  const fail = (detail: string, byteOffset?: number): never => {
    throw new ParseError(source, byteOffset === undefined ? {} : { byteOffset }, detail);
  };
  if (bytes.length < 12) fail(`not a lowrank model file: ${bytes.length} bytes, shorter than the 12-byte header`);
  const magic = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
  if (magic !== MODEL_MAGIC) fail(`not a lowrank model file (magic ${JSON.stringify(magic)}, expected "${MODEL_MAGIC}")`, 0);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(4, true);
  if (version !== MODEL_FORMAT_VERSION) fail(`model format version ${version} is not supported (this lowrank reads version ${MODEL_FORMAT_VERSION}; upgrade lowrank or re-save the model)`, 4);
  const jsonLength = dv.getUint32(8, true);
  if (jsonLength > MAX_JSON_BYTES || 12 + jsonLength > bytes.length) fail(`truncated: metadata of ${jsonLength} bytes does not fit in ${bytes.length} bytes`, 8);
  let meta: Metadata;
  try {
    meta = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(12, 12 + jsonLength))) as Metadata;
  } catch (e) {
    return fail(`corrupt metadata: ${(e as Error).message}`, 12);
  }
  const head = align8(12 + jsonLength);
  validateMeta(meta, fail);
  const section = bytes.subarray(Math.min(head, bytes.length));
  let need = 0;
  for (const a of meta.arrays) need = Math.max(need, a.offset + a.length * 4);
  if (head + need > bytes.length) fail(`truncated: the arrays need ${head + need} bytes, the file has ${bytes.length}`);
  if (crc32(section.subarray(0, align8(need))) !== meta.crc32) fail('corrupt: the checksum of the array section does not match (the file was damaged)');
  const get = new Map<string, Float32Array | Int32Array>();
  for (const a of meta.arrays) {
    // Copy into fresh, aligned buffers (the image may sit at any offset in a larger buffer).
    const raw = section.slice(a.offset, a.offset + a.length * 4);
    get.set(a.name, a.dtype === 'i32' ? new Int32Array(raw.buffer) : new Float32Array(raw.buffer));
  }
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
    if (!a) return fail(`corrupt: array '${name}' is missing`);
    const [dt, len] = want[name];
    if (a.dtype !== dt || (len >= 0 && a.length !== len)) fail(`corrupt: array '${name}' is ${a.dtype}[${a.length}], expected ${dt}[${len}] for ${nu} users, ${ni} items, ${f} factors`);
  }
  const seenIndptr = get.get('seenIndptr') as Int32Array;
  const seenItems = get.get('seenItems') as Int32Array;
  if (seenIndptr[0] !== 0 || seenIndptr[nu] !== seenItems.length) fail('corrupt: seenIndptr does not delimit seenItems');
  for (let u = 0; u < nu; u++) if (seenIndptr[u + 1]! < seenIndptr[u]!) fail('corrupt: seenIndptr is not non-decreasing');
  for (const j of seenItems) if (!(j >= 0 && j < ni)) fail(`corrupt: seen item index ${j} outside 0..${ni - 1}`);
  const extra: Record<string, Float32Array> = {};
  for (const a of meta.arrays) if (a.name.startsWith('extra.')) extra[a.name.slice(6)] = get.get(a.name) as Float32Array;
  let ids;
  try {
    ids = mapIdSpace(meta.userIds, meta.itemIds);
  } catch (e) {
    return fail(`corrupt: ${(e as Error).message}`);
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
  const isObj = (x: unknown): boolean => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (!isObj(m)) fail('corrupt metadata: not a JSON object');
  if (!ALGORITHMS.includes(m.algorithm)) fail(`unknown algorithm ${JSON.stringify(m.algorithm)} (known: ${ALGORITHMS.join(', ')})`);
  if (m.kind !== 'explicit' && m.kind !== 'implicit') fail(`corrupt metadata: kind ${JSON.stringify(m.kind)}`);
  if (!(Number.isInteger(m.factors) && m.factors >= 0 && m.factors <= 1 << 20)) fail(`corrupt metadata: factors ${JSON.stringify(m.factors)}`);
  if (typeof m.globalMean !== 'number' || !Number.isFinite(m.globalMean)) fail('corrupt metadata: globalMean');
  if (!Array.isArray(m.ratingScale) || m.ratingScale.length !== 2 || !m.ratingScale.every((x) => typeof x === 'number' && Number.isFinite(x)) || m.ratingScale[0] > m.ratingScale[1]) fail('corrupt metadata: ratingScale');
  if (!isObj(m.hyperparameters)) fail('corrupt metadata: hyperparameters');
  for (const ids of [m.userIds, m.itemIds]) {
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) fail('corrupt metadata: userIds/itemIds must be arrays of strings');
  }
  if (!Array.isArray(m.arrays)) fail('corrupt metadata: arrays');
  for (const a of m.arrays) {
    if (!isObj(a) || typeof a.name !== 'string' || (a.dtype !== 'f32' && a.dtype !== 'i32') || !Number.isSafeInteger(a.length) || a.length < 0 || !Number.isSafeInteger(a.offset) || a.offset < 0 || a.offset % 8 !== 0) {
      fail(`corrupt metadata: array entry ${JSON.stringify(a)}`);
    }
  }
  if (typeof m.crc32 !== 'number') fail('corrupt metadata: crc32');
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib's crc32. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const t = crcTable;
  let c = 0xffffffff;
  for (let k = 0; k < bytes.length; k++) c = t[(c ^ bytes[k]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
