/**
 * The safetensors header: reading and checking it, and writing one.
 *
 * A file is (Hugging Face's specification, https://huggingface.co/docs/safetensors):
 *
 *   8 bytes   N, an unsigned 64-bit little-endian integer: the header's length in bytes
 *   N bytes   a UTF-8 JSON object: "__metadata__" (optional, string -> string) and, for
 *             every tensor, name -> { "dtype", "shape", "data_offsets": [begin, end] }
 *             (offsets relative to the data section; writers pad the header with spaces
 *             so the data starts 8-byte aligned)
 *   the rest  the data section: each tensor's elements, row-major, little-endian
 *
 * Nothing in the header is trusted: its length is capped (100 MB, the reference
 * implementation's limit) and checked against the file before it is read; every tensor's
 * dtype, shape and offsets are checked; the offsets, sorted, must tile the data section
 * exactly (start at 0, no gap, no overlap, end at the end of the file) and each span must
 * hold exactly shape x dtype bytes; names must be unique (JSON.parse would silently keep
 * the last of two equal keys, so the keys are scanned for duplicates). Every error is a
 * ParseError naming the file and, where there is one, the tensor. The reference reader
 * also accepts leading whitespace and ignores unknown fields in a tensor's entry; so do we.
 */
import { InvalidArgumentError, ParseError } from '../errors.js';
import { byteLengthOf, isSafetensorsDtype, SAFETENSORS_DTYPES, type SafetensorsDtype } from './safetensors-dtypes.js';

/** Largest header accepted, in bytes (the reference implementation's MAX_HEADER_SIZE). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/** One tensor as the header describes it. */
export interface SafetensorsTensorInfo {
  /** Its name (the header key), e.g. `model.layers.0.mlp.up_proj.weight`. */
  readonly name: string;
  /** Element type as stored. */
  readonly dtype: SafetensorsDtype;
  /** Shape, outermost first (row-major); `[]` is a scalar. */
  readonly shape: readonly number[];
  /** Number of elements (the product of the shape; 1 for a scalar). */
  readonly size: number;
  /** `data_offsets` as in the header: [begin, end) within the data section. */
  readonly dataOffsets: readonly [number, number];
  /** Position of the tensor's first byte in the file (8 + header length + begin). */
  readonly byteOffset: number;
  /** Bytes of data, end - begin. */
  readonly byteLength: number;
}

/** What a header says, checked against the file's size. */
export interface SafetensorsHeader {
  /** Bytes of the JSON header (N). */
  readonly headerLength: number;
  /** Position of the data section in the file (8 + N). */
  readonly dataStart: number;
  /** `__metadata__` (string -> string), undefined when absent or null. */
  readonly metadata: Readonly<Record<string, string>> | undefined;
  /** Every tensor, in the order of their data in the file. */
  readonly tensors: readonly SafetensorsTensorInfo[];
}

/**
 * The header length N from the first 8 bytes, checked: at most
 * {@link SAFETENSORS_MAX_HEADER_BYTES}, and 8 + N within the file.
 * @param first - the file's first min(8, size) bytes.
 * @param fileSize - the file's length in bytes.
 */
export function readHeaderLength(first: Uint8Array, fileSize: number, file: string): number {
  if (fileSize < 8 || first.length < 8) {
    throw new ParseError(file, { byteOffset: 0 }, `the file has ${fileSize} bytes; a safetensors file starts with an 8-byte header length`);
  }
  const n = new DataView(first.buffer, first.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(SAFETENSORS_MAX_HEADER_BYTES)) {
    throw new ParseError(file, { byteOffset: 0 }, `header length ${n} bytes is over the ${SAFETENSORS_MAX_HEADER_BYTES / 1e6} MB limit (not a safetensors file, or a corrupt one)`);
  }
  const len = Number(n);
  if (len < 2) throw new ParseError(file, { byteOffset: 0 }, `header length ${len} bytes is too short for a JSON object (not a safetensors file?)`);
  if (8 + len > fileSize) {
    throw new ParseError(file, { byteOffset: 0 }, `header length ${len} bytes runs past the end of the file (${fileSize} bytes): truncated, or not a safetensors file`);
  }
  return len;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Describe a JSON value for a message: its type, and short values as written. */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array (${JSON.stringify(v).slice(0, 40)})`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  return `${typeof v} ${String(v)}`;
}

/**
 * Parse and check the header: `headerBytes` are the N bytes after the length, `fileSize`
 * the whole file's length (the data section is fileSize - 8 - N bytes).
 * @throws ParseError naming `file` (and the tensor, when one is at fault).
 */
export function parseHeader(headerBytes: Uint8Array, fileSize: number, file: string): SafetensorsHeader {
  const headerLength = headerBytes.length;
  const dataStart = 8 + headerLength;
  const dataLength = fileSize - dataStart;
  const fail = (detail: string): never => {
    throw new ParseError(file, {}, detail);
  };
  let text: string;
  try {
    text = utf8.decode(headerBytes);
  } catch (e) {
    throw new ParseError(file, { byteOffset: 8 }, 'the header is not valid UTF-8 (not a safetensors file?)', { cause: e });
  }
  if (!/^\s*\{/.test(text)) fail(`the header is not a JSON object: it starts with ${JSON.stringify(text.trimStart().slice(0, 20))} (not a safetensors file?)`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ParseError(file, { byteOffset: 8 }, `the header is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('the header is not a JSON object');
  const dup = duplicateKey(text);
  if (dup) {
    fail(dup.owner === undefined ? `tensor '${dup.key}' appears twice in the header` : `${dup.owner === '__metadata__' ? '__metadata__' : `tensor '${dup.owner}'`}: the field '${dup.key}' appears twice`);
  }
  const entries = json as Record<string, unknown>;

  let metadata: Record<string, string> | undefined;
  const meta = entries.__metadata__;
  if (meta !== undefined && meta !== null) {
    if (typeof meta !== 'object' || Array.isArray(meta)) fail(`__metadata__ must be an object of strings, got ${describe(meta)}`);
    metadata = {};
    for (const [k, v] of Object.entries(meta as Record<string, unknown>)) {
      if (typeof v !== 'string') fail(`__metadata__: the value of '${k}' must be a string, got ${describe(v)}`);
      metadata[k] = v as string;
    }
  }

  const tensors: SafetensorsTensorInfo[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    if (name === '__metadata__') continue;
    const bad = (detail: string): never => fail(`tensor '${name}': ${detail}`);
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) bad(`expected an object with dtype, shape and data_offsets, got ${describe(entry)}`);
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (dtype === undefined) bad('missing dtype');
    if (!isSafetensorsDtype(dtype)) bad(`unknown dtype ${describe(dtype)} (known: ${SAFETENSORS_DTYPES.join(', ')})`);
    if (!Array.isArray(shape)) bad(shape === undefined ? 'missing shape' : `shape must be an array of integers >= 0, got ${describe(shape)}`);
    let size = 1;
    for (const d of shape as unknown[]) {
      if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) bad(`shape must be an array of integers >= 0, got ${JSON.stringify(shape)}`);
      size *= d as number;
      if (!Number.isSafeInteger(size)) bad(`shape ${JSON.stringify(shape)} has more than 2^53 elements`);
    }
    if (!Array.isArray(offsets)) bad(offsets === undefined ? 'missing data_offsets' : `data_offsets must be [begin, end], got ${describe(offsets)}`);
    const o = offsets as unknown[];
    if (o.length !== 2 || !o.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0)) bad(`data_offsets must be two integers [begin, end] >= 0, got ${JSON.stringify(offsets)}`);
    const [begin, end] = o as [number, number];
    if (end < begin) bad(`data_offsets [${begin}, ${end}] end before they begin`);
    const dt = dtype as SafetensorsDtype;
    const need = byteLengthOf(dt, size);
    if (need === undefined) bad(`shape ${JSON.stringify(shape)} of ${dt} is not a whole number of bytes`);
    if (end - begin !== need) bad(`shape ${JSON.stringify(shape)} of ${dt} is ${need} bytes, but data_offsets [${begin}, ${end}] span ${end - begin}`);
    tensors.push({
      name,
      dtype: dt,
      shape: (shape as number[]).slice(),
      size,
      dataOffsets: [begin, end],
      byteOffset: dataStart + begin,
      byteLength: end - begin,
    });
  }

  // The spans, sorted, must tile the data section: the reference reader's rule, which
  // rules out gaps, overlaps and bytes no tensor owns.
  tensors.sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let at = 0;
  let prev: SafetensorsTensorInfo | undefined;
  for (const t of tensors) {
    const [begin, end] = t.dataOffsets;
    if (end > dataLength) {
      fail(`tensor '${t.name}': data_offsets [${begin}, ${end}] run past the end of the file (the data section has ${Math.max(0, dataLength)} bytes; truncated file?)`);
    }
    if (begin < at) fail(`tensor '${t.name}': data_offsets [${begin}, ${end}] overlap tensor '${prev!.name}' (which ends at ${at})`);
    if (begin > at) {
      fail(prev
        ? `tensor '${t.name}': data_offsets [${begin}, ${end}] leave a gap of ${begin - at} bytes after tensor '${prev.name}' (which ends at ${at})`
        : `tensor '${t.name}': data_offsets [${begin}, ${end}] leave the first ${begin} bytes of the data section to no tensor`);
    }
    at = end;
    prev = t;
  }
  if (at !== dataLength) {
    fail(prev
      ? `${dataLength - at} bytes after the last tensor ('${prev.name}', which ends at ${at} of ${dataLength}) belong to no tensor`
      : `the header lists no tensor, but ${dataLength} bytes of data follow it`);
  }
  return { headerLength, dataStart, metadata, tensors };
}

/** The first repeated key of any object in the (already valid) JSON `text`, and its owner's name. */
function duplicateKey(text: string): { key: string; owner: string | undefined } | undefined {
  interface Frame {
    object: boolean;
    keys: Set<string>;
    expectKey: boolean;
    lastKey: string | undefined;
    /** The key this object is the value of (the tensor's name for a tensor entry). */
    owner: string | undefined;
    depth: number;
  }
  const stack: Frame[] = [];
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: find its closing quote, skipping escapes.
      let j = i + 1;
      for (;;) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) j += 2;
        else if (d === 0x22) break;
        else j++;
      }
      const top = stack[stack.length - 1];
      if (top?.object && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return { key, owner: top.depth === 1 ? undefined : top.owner };
        top.keys.add(key);
        top.expectKey = false;
        top.lastKey = key;
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      const parent = stack[stack.length - 1];
      stack.push({ object: c === 0x7b, keys: new Set(), expectKey: true, lastKey: undefined, owner: parent?.lastKey ?? parent?.owner, depth: stack.length + 1 });
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c) {
      const top = stack[stack.length - 1];
      if (top?.object) top.expectKey = true;
    }
  }
  return undefined;
}

/** A tensor's header entry as a writer plans it. */
export interface PlannedTensor {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

/**
 * The first bytes of a file: the 8-byte length and the JSON header (`__metadata__` first,
 * then the tensors in the order given, which is their data order), padded with spaces so
 * the data section starts at a multiple of 8, as the reference writer does.
 */
export function encodeHeader(tensors: readonly PlannedTensor[], metadata: Readonly<Record<string, string>> | undefined): Uint8Array {
  // Built by hand: JSON.stringify of one object would move integer-like names ("0") first.
  const parts: string[] = [];
  if (metadata !== undefined) parts.push(`"__metadata__":${JSON.stringify(metadata)}`);
  for (const t of tensors) {
    parts.push(`${JSON.stringify(t.name)}:{"dtype":"${t.dtype}","shape":${JSON.stringify(t.shape)},"data_offsets":[${t.begin},${t.end}]}`);
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded > SAFETENSORS_MAX_HEADER_BYTES) throw new InvalidArgumentError(`safetensors: the header would be ${padded} bytes, over the ${SAFETENSORS_MAX_HEADER_BYTES / 1e6} MB limit readers accept (too many tensors or too much metadata)`);
  const out = new Uint8Array(8 + padded).fill(0x20, 8 + json.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  return out;
}
