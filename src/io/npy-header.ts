/**
 * The `.npy` container (numpy's NEP 1): magic, version, header length, a Python-literal
 * header dict, then the raw array bytes. This module validates the preamble and header and
 * computes where the data is and how long it must be, before anything of that size is
 * allocated; `npy.ts` moves the bytes.
 *
 * Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */
import { InvalidArgumentError, ParseError, UnsupportedError } from '../errors.js';
import { parsePyLiteral, PyLiteralError, type PyValue } from './py-literal.js';

/** `\x93NUMPY`, the first six bytes of every `.npy` file. */
export const NPY_MAGIC = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

/** numpy's own default cap on the header length (`max_header_size` in numpy >= 1.24). */
export const DEFAULT_MAX_HEADER_SIZE = 10000;

/** Largest dimension a {@link Matrix} or a `Tensor` can have. */
const MAX_DIM = 2 ** 31 - 1;

/** Element kinds we can decode: float, signed and unsigned integer, bool. */
export type NpyKind = 'f' | 'i' | 'u' | 'b';

/** A decodable element type. Multi-byte types are little-endian. */
export interface NpyElementType {
  /** The dtype string as written in the file, e.g. `'<f8'`, `'|u1'`. */
  readonly descr: string;
  readonly kind: NpyKind;
  /** Bytes per element. */
  readonly size: 1 | 2 | 4 | 8;
}

/** What the first 10 or 12 bytes say. */
export interface NpyPreamble {
  /** Format major version (1, 2 or 3; the minor version is always 0). */
  readonly version: 1 | 2 | 3;
  /** Byte offset of the header text. */
  readonly headerStart: number;
  /** Length of the header text in bytes. */
  readonly headerLength: number;
}

/** A validated header plus the location and size of the data it describes. */
export interface NpyHeader extends NpyPreamble {
  readonly type: NpyElementType;
  readonly fortranOrder: boolean;
  /** The shape as written: `[]`, `[n]`, `[m, n]` (or any rank when read with `anyRank`). */
  readonly shape: number[];
  /** Byte offset of the first element. */
  readonly dataOffset: number;
  /** Number of elements (product of the shape). */
  readonly count: number;
  /** Number of data bytes, `count * type.size`. */
  readonly dataBytes: number;
}

/** An UnsupportedError worded like a ParseError: file, byte offset, detail. */
export function unsupportedAt(file: string, byteOffset: number, detail: string): UnsupportedError {
  return new UnsupportedError(`${file} at byte ${byteOffset}: ${detail}`);
}

/**
 * Validate magic, version and header length.
 * @param prefix - the first `min(12, fileSize)` bytes of the file.
 * @param fileSize - total bytes available (file or buffer length).
 * @throws ParseError for a wrong magic, a truncated preamble, or a header length beyond
 *   `maxHeaderSize` or beyond the end of the file; UnsupportedError for unknown versions.
 */
export function readPreamble(prefix: Uint8Array, fileSize: number, file: string, maxHeaderSize = DEFAULT_MAX_HEADER_SIZE): NpyPreamble {
  for (let i = 0; i < NPY_MAGIC.length; i++) {
    if (i >= prefix.length) {
      throw new ParseError(file, { byteOffset: prefix.length }, `file ends after ${prefix.length} bytes, inside the .npy magic string`);
    }
    if (prefix[i] !== NPY_MAGIC[i]) {
      throw new ParseError(file, { byteOffset: i }, 'not an .npy file: it does not start with the magic string \\x93NUMPY');
    }
  }
  if (prefix.length < 8) {
    throw new ParseError(file, { byteOffset: prefix.length }, 'file ends inside the .npy version bytes');
  }
  const major = prefix[6]!;
  const minor = prefix[7]!;
  if (!(major === 1 || major === 2 || major === 3) || minor !== 0) {
    throw unsupportedAt(file, 6, `.npy format version ${major}.${minor} is not supported (1.0, 2.0 and 3.0 are)`);
  }
  const lenBytes = major === 1 ? 2 : 4;
  const headerStart = 8 + lenBytes;
  if (prefix.length < headerStart) {
    throw new ParseError(file, { byteOffset: prefix.length }, `file ends inside the ${lenBytes}-byte header length (format ${major}.0)`);
  }
  const headerLength =
    major === 1 ? prefix[8]! | (prefix[9]! << 8) : (prefix[8]! | (prefix[9]! << 8) | (prefix[10]! << 16)) + prefix[11]! * 2 ** 24;
  if (headerLength > maxHeaderSize) {
    throw new ParseError(
      file,
      { byteOffset: 8 },
      `header length ${headerLength} exceeds the limit of ${maxHeaderSize} bytes (a corrupt file? pass maxHeaderSize to raise the limit)`,
    );
  }
  if (headerStart + headerLength > fileSize) {
    throw new ParseError(
      file,
      { byteOffset: fileSize },
      `file ends inside the header: ${headerLength} header bytes are declared from byte ${headerStart}, but the file has ${fileSize} bytes`,
    );
  }
  return { version: major, headerStart, headerLength };
}

/**
 * Parse and validate the header dict and locate the data.
 * @param headerBytes - exactly `preamble.headerLength` bytes.
 * @param fileSize - total bytes available; the data must fit in it.
 * @param allowTrailing - accept bytes after the data (several arrays written to one file).
 * @param anyRank - accept any number of dimensions (the n-d `Tensor` readers); by default
 *   only 0-, 1- and 2-D shapes, which a matrix can hold.
 * @throws ParseError for malformed headers and data shorter or longer than the shape needs
 *   (computed exactly, so a shape whose product overflows is reported as too short);
 *   UnsupportedError for valid numpy files we cannot represent (big-endian, object,
 *   structured, complex, string, datetime dtypes; more than two dimensions unless `anyRank`).
 */
export function readHeader(
  headerBytes: Uint8Array,
  preamble: NpyPreamble,
  fileSize: number,
  file: string,
  allowTrailing = false,
  anyRank = false,
): NpyHeader {
  const { version, headerStart, headerLength } = preamble;
  let text: string;
  try {
    // Versions 1 and 2 store the header in latin1, version 3 in UTF-8.
    text = new TextDecoder(version === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(headerBytes);
  } catch {
    throw new ParseError(file, { byteOffset: headerStart }, 'header is not valid UTF-8');
  }
  const at = (charIndex: number): number =>
    headerStart + (version === 3 ? new TextEncoder().encode(text.slice(0, charIndex)).length : charIndex);

  let dict: PyValue;
  try {
    dict = parsePyLiteral(text);
  } catch (e) {
    if (e instanceof PyLiteralError) throw new ParseError(file, { byteOffset: at(e.position) }, `malformed header: ${e.message}`);
    throw e;
  }
  const bad = (detail: string): ParseError => new ParseError(file, { byteOffset: headerStart }, `malformed header: ${detail}`);
  if (typeof dict !== 'object' || dict === null || Array.isArray(dict) || dict.kind !== 'dict') {
    throw bad('the header is not a dict');
  }
  const fields = new Map<string, PyValue>();
  for (const [k, v] of dict.entries) {
    if (typeof k !== 'string' || !['descr', 'fortran_order', 'shape'].includes(k)) {
      throw bad(`unexpected key ${typeof k === 'string' ? `'${k}'` : String(k)} (expected exactly 'descr', 'fortran_order', 'shape')`);
    }
    fields.set(k, v);
  }
  for (const k of ['descr', 'fortran_order', 'shape']) if (!fields.has(k)) throw bad(`missing key '${k}'`);

  const descr = fields.get('descr')!;
  if (Array.isArray(descr)) throw unsupportedAt(file, headerStart, 'structured (record) arrays are not supported; save a plain numeric array');
  if (typeof descr !== 'string') throw bad("'descr' is not a string");
  const type = elementType(descr, file, headerStart);

  const fortran = fields.get('fortran_order')!;
  if (typeof fortran !== 'boolean') throw bad("'fortran_order' is not True or False");

  const shapeValue = fields.get('shape')!;
  if (typeof shapeValue !== 'object' || shapeValue === null || Array.isArray(shapeValue) || shapeValue.kind !== 'tuple') {
    throw bad("'shape' is not a tuple");
  }
  const dims = shapeValue.items;
  for (const d of dims) if (typeof d !== 'bigint' || d < 0n) throw bad(`'shape' holds ${String(d)}, not a non-negative integer`);
  const big = dims as bigint[];
  const shapeText = `(${big.join(', ')}${big.length === 1 ? ',' : ''})`;
  if (big.length > 2 && !anyRank) {
    throw unsupportedAt(file, headerStart, `${big.length}-D array of shape ${shapeText}: only 0-, 1- and 2-D arrays can be read as a matrix (read it as a Tensor with readTensor)`);
  }

  const dataOffset = headerStart + headerLength;
  const count = big.reduce((a, b) => a * b, 1n);
  const need = count * BigInt(type.size);
  const have = BigInt(fileSize - dataOffset);
  if (need > have) {
    throw new ParseError(
      file,
      { byteOffset: fileSize },
      `data is truncated: shape ${shapeText} of ${type.descr} needs ${need} bytes from byte ${dataOffset}, but only ${have} are there`,
    );
  }
  if (need < have && !allowTrailing) {
    throw new ParseError(
      file,
      { byteOffset: dataOffset + Number(need) },
      `${have - need} unexpected bytes after the data of shape ${shapeText} (pass allowTrailing to ignore them)`,
    );
  }
  for (const d of big) {
    if (d > BigInt(MAX_DIM)) throw unsupportedAt(file, headerStart, `dimension ${d} of shape ${shapeText} exceeds the ${big.length > 2 ? 'tensor' : 'matrix'} limit of 2^31 - 1`);
  }
  return {
    ...preamble,
    type,
    fortranOrder: fortran,
    shape: big.map(Number),
    dataOffset,
    count: Number(count),
    dataBytes: Number(need),
  };
}

/** Decode a dtype string (`'<f8'`), rejecting what we cannot represent with a reason. */
function elementType(descr: string, file: string, at: number): NpyElementType {
  const m = /^([<>|=]?)([a-zA-Z])(\d*)(\[\w*\])?$/.exec(descr);
  if (!m) throw new ParseError(file, { byteOffset: at }, `malformed header: '${descr}' is not a numpy dtype`);
  const [, order, kindChar, sizeText] = m as unknown as [string, string, string, string];
  const size = Number(sizeText || '0');
  const unsupported = (what: string): UnsupportedError =>
    unsupportedAt(file, at, `${what} cannot be read (dtype '${descr}'); save a float or integer array instead`);
  switch (kindChar) {
    case 'O':
      throw unsupported('object arrays (pickled Python objects)');
    case 'c':
      throw unsupported('complex arrays');
    case 'U':
    case 'S':
    case 'a':
      throw unsupported('string arrays');
    case 'V':
      throw unsupported('void (raw or structured) arrays');
    case 'M':
    case 'm':
      throw unsupported('datetime arrays');
  }
  const kind = kindChar as NpyKind;
  const ok =
    (kind === 'f' && (size === 2 || size === 4 || size === 8)) ||
    ((kind === 'i' || kind === 'u') && (size === 1 || size === 2 || size === 4 || size === 8)) ||
    (kind === 'b' && size === 1);
  if (!ok || m[4] !== undefined) {
    if (kind === 'f' && size > 8) throw unsupported('extended-precision floats');
    throw new ParseError(file, { byteOffset: at }, `malformed header: '${descr}' is not a supported numpy dtype`);
  }
  if (order === '>' && size > 1) {
    throw unsupportedAt(file, at, `big-endian dtype '${descr}' is not supported; convert in numpy with a.astype('<${kind}${size}')`);
  }
  return { descr, kind, size: size as 1 | 2 | 4 | 8 };
}

/**
 * Build the preamble and padded header for an array, as numpy writes it: the dict in
 * numpy's key order, spaces, and a final `\n` so that the data starts at a multiple of 64.
 * @param version - format version; default the smallest that fits (1.0 unless the header
 *   exceeds 65535 bytes).
 * @throws InvalidArgumentError when an explicitly requested version 1.0 cannot hold the header.
 */
export function encodeHeader(descr: string, fortranOrder: boolean, shape: readonly number[], version?: 1 | 2 | 3): Uint8Array {
  const shapeText = `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
  const dict = `{'descr': '${descr}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const pad = (preamble: number): string => {
    const unpadded = preamble + dict.length + 1;
    return dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  };
  const v1 = pad(10);
  const v = version ?? (v1.length <= 0xffff ? 1 : 2);
  if (v === 1 && v1.length > 0xffff) throw new InvalidArgumentError(`npy version 1.0 cannot hold a header of ${v1.length} bytes; use version 2`);
  const text = v === 1 ? v1 : pad(12);
  // The header is ASCII, so latin1 (v1, v2) and UTF-8 (v3) bytes coincide.
  const headerStart = v === 1 ? 10 : 12;
  const out = new Uint8Array(headerStart + text.length);
  out.set(NPY_MAGIC, 0);
  out[6] = v;
  out[7] = 0;
  const len = text.length;
  out[8] = len & 0xff;
  out[9] = (len >>> 8) & 0xff;
  if (v !== 1) {
    out[10] = (len >>> 16) & 0xff;
    out[11] = (len >>> 24) & 0xff;
  }
  for (let i = 0; i < len; i++) out[headerStart + i] = text.charCodeAt(i);
  return out;
}

/** @internal Rows and columns of the matrix a header's shape reads as: `()` 1x1, `(n,)` n x 1, `(m, n)`. */
export function npyMatrixShape(header: Pick<NpyHeader, 'shape'>): [number, number] {
  const { shape } = header;
  return [shape.length === 0 ? 1 : shape[0]!, shape.length === 2 ? shape[1]! : 1];
}

/** @internal The dtype a file reads as unless one is requested: float32 for `<f4` and `<f2`, else float64. */
export function npyDefaultDtype(header: Pick<NpyHeader, 'type'>): 'float32' | 'float64' {
  return header.type.kind === 'f' && header.type.size <= 4 ? 'float32' : 'float64';
}
