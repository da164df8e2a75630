/**
 * The element types of the safetensors format (Hugging Face, `safetensors/src/tensor.rs`):
 * their sizes, and the conversions between their little-endian bytes and JavaScript numbers.
 *
 * - F64 and F32 are IEEE binary64 / binary32 and map to Float64Array / Float32Array.
 * - F16 is IEEE binary16; BF16 ("brain float") is the top 16 bits of a binary32 (8 exponent
 *   bits, 7 fraction bits). Both widen exactly to float32. Narrowing rounds to nearest, ties
 *   to even, once, from the double value (so a float64 value is not rounded twice through
 *   float32), overflowing to infinity as IEEE 754 and PyTorch's conversions do; NaN stays NaN.
 * - F8_E4M3 (PyTorch's float8_e4m3fn: bias 7, no infinities, S.1111.111 is NaN, largest 448)
 *   and F8_E5M2 (bias 15, IEEE-like, the top byte of a binary16) are read (exactly, to
 *   float32) but not written from numbers. Micikevicius et al., "FP8 Formats for Deep
 *   Learning", arXiv:2209.05433.
 * - Integers and BOOL read into the typed array of their kind (64-bit ones as BigInt arrays,
 *   so no value is rounded); BOOL reads any nonzero byte as 1, as numpy does.
 * - C64, F8_E8M0, F6_E2M3, F6_E3M2 and F4 are valid in a file (listed, copied as raw bytes)
 *   but not decoded.
 */
import { InvalidArgumentError, UnsupportedError } from '../errors.js';
import { allocating } from '../matrix/memory.js';
import { halfToNumber, LITTLE_ENDIAN_HOST, swapBytes } from './bytes.js';

// Imported by the weights code and the tests from here.
export { halfToNumber };

/** Every dtype a safetensors header may name (safetensors 0.8). */
export const SAFETENSORS_DTYPES = [
  'F64', 'F32', 'F16', 'BF16', 'F8_E5M2', 'F8_E4M3',
  'I64', 'I32', 'I16', 'I8', 'U64', 'U32', 'U16', 'U8', 'BOOL',
  'C64', 'F8_E8M0', 'F6_E2M3', 'F6_E3M2', 'F4',
] as const;

/** A safetensors element type, as written in the header (`"F32"`, `"BF16"`, ...). */
export type SafetensorsDtype = (typeof SAFETENSORS_DTYPES)[number];

/** The floating dtypes lowrank decodes to float32 / float64 numbers (and computes with). */
export const SAFETENSORS_FLOAT_DTYPES = ['F64', 'F32', 'F16', 'BF16', 'F8_E5M2', 'F8_E4M3'] as const;

/** The dtypes lowrank writes from numbers (others only as raw bytes). */
export const SAFETENSORS_WRITABLE_DTYPES = ['F64', 'F32', 'F16', 'BF16', 'I64', 'I32', 'I16', 'I8', 'U64', 'U32', 'U16', 'U8', 'BOOL'] as const;

/** Bits per element. */
const BITS: Record<SafetensorsDtype, number> = {
  F64: 64, F32: 32, F16: 16, BF16: 16, F8_E5M2: 8, F8_E4M3: 8,
  I64: 64, I32: 32, I16: 16, I8: 8, U64: 64, U32: 32, U16: 16, U8: 8, BOOL: 8,
  C64: 64, F8_E8M0: 8, F6_E2M3: 6, F6_E3M2: 6, F4: 4,
};

/**
 * The values of a decoded tensor, in row-major (C) order: Float64Array for F64, Float32Array
 * for F32, F16, BF16 and the F8 types, the integer typed array of the dtype's kind for
 * integers (BigInt64Array / BigUint64Array for I64 / U64), Uint8Array of 0 and 1 for BOOL.
 */
export type TensorValues =
  | Float64Array
  | Float32Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** Whether `d` is a dtype name of the format. */
export function isSafetensorsDtype(d: unknown): d is SafetensorsDtype {
  return typeof d === 'string' && Object.hasOwn(BITS, d);
}

/** Whether lowrank decodes `d` to float numbers. */
export function isFloatDtype(d: SafetensorsDtype): boolean {
  return (SAFETENSORS_FLOAT_DTYPES as readonly string[]).includes(d);
}

/** Bits per element of `d` (4 for F4, 6 for the F6 types, 8 to 64 otherwise). */
export function dtypeBits(d: SafetensorsDtype): number {
  return BITS[d];
}

/**
 * Bytes of `count` elements of `d`, or undefined when they do not fill whole bytes (an odd
 * number of F4 elements) or the size is beyond 2^53.
 */
export function byteLengthOf(d: SafetensorsDtype, count: number): number | undefined {
  const bits = count * BITS[d];
  if (!Number.isSafeInteger(bits) || bits % 8 !== 0) return undefined;
  return bits / 8;
}

// ------------------------------------------------------------------------------ decoding

let halfTable: Float32Array | undefined;

/** All 65536 binary16 values as float32 (exact), built on first use (256 KB). */
function halves(): Float32Array {
  if (halfTable) return halfTable;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) t[h] = halfToNumber(h);
  halfTable = t;
  return t;
}

/** float8 e4m3fn bits to a number (exact): bias 7, no infinities, 0x7f / 0xff are NaN. */
export function e4m3ToNumber(b: number): number {
  const sign = b & 0x80 ? -1 : 1;
  const exp = (b >> 3) & 0xf;
  const frac = b & 7;
  if (exp === 15 && frac === 7) return NaN;
  if (exp === 0) return sign * frac * 2 ** -9;
  return sign * (8 + frac) * 2 ** (exp - 10);
}

let e4m3Table: Float32Array | undefined;
let e5m2Table: Float32Array | undefined;

function fp8Table(dtype: 'F8_E4M3' | 'F8_E5M2'): Float32Array {
  if (dtype === 'F8_E4M3') return (e4m3Table ??= Float32Array.from({ length: 256 }, (_, b) => e4m3ToNumber(b)));
  // e5m2 is the top byte of a binary16.
  return (e5m2Table ??= Float32Array.from({ length: 256 }, (_, b) => halfToNumber(b << 8)));
}

/**
 * `bytes` as a little-endian view of `size`-byte elements that may be reinterpreted: the
 * bytes themselves when `owned`, aligned and the host is little-endian, else a copy
 * (byte-swapped on big-endian hosts).
 */
function aligned(bytes: Uint8Array, size: number, owned: boolean): Uint8Array {
  if (owned && LITTLE_ENDIAN_HOST && bytes.byteOffset % size === 0) return bytes;
  const copy = new Uint8Array(bytes); // a copy (Buffer's own slice() would be a view)
  if (!LITTLE_ENDIAN_HOST && size > 1) swapBytes(copy, size);
  return copy;
}

/** The dtypes whose little-endian bytes are the elements of a typed array, decoded as a view. */
const VIEWS = {
  F64: Float64Array, F32: Float32Array, I64: BigInt64Array, U64: BigUint64Array, I32: Int32Array, U32: Uint32Array, I16: Int16Array, U16: Uint16Array,
} as const;

/**
 * Decode the raw little-endian bytes of `count` elements of `dtype` (see {@link TensorValues}).
 * @param owned - `bytes` is a buffer the caller gives away: matching types are wrapped
 *   without a copy when aligned. Otherwise the result never shares memory with `bytes`.
 * @param what - names the tensor in the error.
 * @throws UnsupportedError for C64, F8_E8M0, F6_* and F4 (valid in files, not decoded).
 */
export function decodeValues(bytes: Uint8Array, dtype: SafetensorsDtype, count: number, owned: boolean, what: string): TensorValues {
  // Widened values (2- and 1-byte floats to float32) are the largest array of a read.
  const float32 = (): Float32Array => allocating(() => `${what}: ${count} float32 values`, count, 4, () => new Float32Array(count));
  const view = VIEWS[dtype as keyof typeof VIEWS];
  if (view) {
    // The bytes are the elements: a view of them (or of an aligned little-endian copy).
    const v = aligned(bytes, view.BYTES_PER_ELEMENT, owned);
    return new (view as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => TensorValues)(v.buffer, v.byteOffset, count);
  }
  switch (dtype) {
    case 'F16': {
      const v = aligned(bytes, 2, owned);
      const src = new Uint16Array(v.buffer, v.byteOffset, count);
      const t = halves();
      const out = float32();
      for (let i = 0; i < count; i++) out[i] = t[src[i]!]!;
      return out;
    }
    case 'BF16': {
      const v = aligned(bytes, 2, owned);
      const src = new Uint16Array(v.buffer, v.byteOffset, count);
      const out = float32();
      const bits = new Uint32Array(out.buffer);
      // bf16 is the top half of a binary32: shifting the bits up is the exact value.
      for (let i = 0; i < count; i++) bits[i] = src[i]! << 16;
      return out;
    }
    case 'F8_E4M3':
    case 'F8_E5M2': {
      const t = fp8Table(dtype);
      const out = float32();
      for (let i = 0; i < count; i++) out[i] = t[bytes[i]!]!;
      return out;
    }
    case 'I8':
      return owned ? new Int8Array(bytes.buffer, bytes.byteOffset, count) : new Int8Array(new Uint8Array(bytes.subarray(0, count)).buffer);
    case 'U8':
      return owned ? bytes.subarray(0, count) : new Uint8Array(bytes.subarray(0, count));
    case 'BOOL': {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) out[i] = bytes[i] ? 1 : 0;
      return out;
    }
    default:
      throw new UnsupportedError(`${what}: dtype ${dtype} is valid in a safetensors file but lowrank does not decode it (it can copy it unchanged)`);
  }
}

/**
 * Decode `count` float elements of `dtype` from their raw little-endian bytes straight into
 * `out` at `at` (widened or narrowed to `out`'s type), without an intermediate array: what a
 * reader uses to fill a matrix a chunk of the file at a time. `bytes` is only read (swapped
 * into a scratch copy on a big-endian host).
 * @throws UnsupportedError for a dtype that is not F64, F32, F16, BF16, F8_E4M3 or F8_E5M2.
 */
export function decodeFloatsInto(bytes: Uint8Array, dtype: SafetensorsDtype, count: number, out: Float32Array | Float64Array, at: number, what: string): void {
  const size = dtypeBits(dtype) / 8;
  const v = size > 1 && (!LITTLE_ENDIAN_HOST || bytes.byteOffset % size !== 0) ? aligned(bytes.subarray(0, count * size), size, false) : bytes;
  switch (dtype) {
    case 'F64':
      out.set(new Float64Array(v.buffer, v.byteOffset, count), at);
      return;
    case 'F32':
      out.set(new Float32Array(v.buffer, v.byteOffset, count), at);
      return;
    case 'F16': {
      const src = new Uint16Array(v.buffer, v.byteOffset, count);
      const t = halves();
      for (let i = 0; i < count; i++) out[at + i] = t[src[i]!]!;
      return;
    }
    case 'BF16': {
      const src = new Uint16Array(v.buffer, v.byteOffset, count);
      if (out instanceof Float32Array) {
        // bf16 is the top half of a binary32: shifting the bits up is the exact value.
        const bits = new Uint32Array(out.buffer, out.byteOffset + 4 * at, count);
        for (let i = 0; i < count; i++) bits[i] = src[i]! << 16;
      } else {
        const bits = new Uint32Array(1);
        const f = new Float32Array(bits.buffer);
        for (let i = 0; i < count; i++) {
          bits[0] = src[i]! << 16;
          out[at + i] = f[0]!;
        }
      }
      return;
    }
    case 'F8_E4M3':
    case 'F8_E5M2': {
      const t = fp8Table(dtype);
      for (let i = 0; i < count; i++) out[at + i] = t[v[i]!]!;
      return;
    }
    default:
      throw new UnsupportedError(`${what}: dtype ${dtype} is not a float type lowrank decodes into a matrix`);
  }
}

// ------------------------------------------------------------------------------ encoding

/** Round half to even of a non-negative double (exact: every step is a double operation without rounding). */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = LITTLE_ENDIAN_HOST ? 1 : 0;

/** floor(log2(a)) for a normal positive double, from its exponent bits (exact). */
function exponentOf(a: number): number {
  f64[0] = a;
  return ((u32[HI]! >>> 20) & 0x7ff) - 1023;
}

/**
 * Bits of the nearest binary16 to `x` (ties to even; beyond the largest finite half, 65504,
 * by half an ulp or more: infinity). One rounding from the double.
 */
export function numberToHalf(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a >= 65520) return sign | 0x7c00; // 65504 + half an ulp (16) rounds to 2^16: infinity
  if (a < 2 ** -14) return sign | roundHalfEven(a * 2 ** 24); // subnormal (1024 becomes the least normal)
  const e = exponentOf(a);
  // m in [1024, 2048]; m = 2048 carries into the exponent field, as it should.
  const m = roundHalfEven(a * 2 ** (10 - e));
  return sign | (((e + 15) << 10) + (m - 1024));
}

/** The largest bfloat16 plus half an ulp: values from here up round to infinity. */
const BF16_OVERFLOW = (2 - 2 ** -8) * 2 ** 127;

/**
 * Bits of the nearest bfloat16 to `x` (ties to even, overflow to infinity, NaN to the quiet
 * NaN 0x7fc0). One rounding from the double; for float32 inputs this is the usual
 * `(bits + 0x7fff + lsb) >> 16` of PyTorch and ml_dtypes.
 */
export function numberToBfloat16(x: number): number {
  if (Number.isNaN(x)) return 0x7fc0;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a >= BF16_OVERFLOW) return sign | 0x7f80;
  if (a < 2 ** -126) return sign | roundHalfEven(a * 2 ** 133); // subnormal, units of 2^-133
  const e = exponentOf(a);
  const m = roundHalfEven(a * 2 ** (7 - e)); // in [128, 256]
  return sign | (((e + 127) << 7) + (m - 128));
}

/**
 * Round float32 values in place to what they read back as after being stored as F16 or BF16
 * ({@link numberToHalf} / {@link numberToBfloat16}: nearest, ties to even), so that errors a
 * writer reports are those of the file.
 */
export function roundThroughHalf(d: Float32Array, dtype: 'F16' | 'BF16'): void {
  if (dtype === 'F16') {
    for (let i = 0; i < d.length; i++) d[i] = halfToNumber(numberToHalf(d[i]!));
    return;
  }
  // A bfloat16 is the top half of a float32.
  const bits = new Uint32Array(1);
  const f = new Float32Array(bits.buffer);
  for (let i = 0; i < d.length; i++) {
    bits[0] = numberToBfloat16(d[i]!) << 16;
    d[i] = f[0]!;
  }
}

const INT_RANGES: Partial<Record<SafetensorsDtype, [number, number]>> = {
  I32: [-(2 ** 31), 2 ** 31 - 1], U32: [0, 2 ** 32 - 1], I16: [-32768, 32767], U16: [0, 65535], I8: [-128, 127], U8: [0, 255],
};

const INT_ARRAYS = {
  I32: Int32Array, U32: Uint32Array, I16: Int16Array, U16: Uint16Array, I8: Int8Array, U8: Uint8Array,
} as const;

/**
 * Encode numbers `values` (one chunk of a tensor, already in file order) as little-endian
 * `dtype` bytes. Floats are rounded as the file comment says; integers must be integers in
 * the dtype's range (64-bit ones: safe integers or bigints), BOOL takes 0/1 or booleans.
 * @param what - the tensor and element offset, for errors.
 * @throws InvalidArgumentError for a value the dtype cannot hold exactly (integers only);
 *   UnsupportedError for dtypes written only as raw bytes.
 */
export function encodeValues(values: ArrayLike<number | bigint | boolean>, dtype: SafetensorsDtype, what: (index: number) => string): Uint8Array {
  const n = values.length;
  switch (dtype) {
    case 'F64': {
      const out = values instanceof Float64Array ? values : Float64Array.from(values as ArrayLike<number>, Number);
      return littleEndian(out, 8, out !== values);
    }
    case 'F32': {
      const out = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>, Number);
      return littleEndian(out, 4, out !== values);
    }
    case 'F16':
    case 'BF16': {
      const out = new Uint16Array(n);
      const f = dtype === 'F16' ? numberToHalf : numberToBfloat16;
      for (let i = 0; i < n; i++) out[i] = f(Number(values[i]));
      return littleEndian(out, 2, true);
    }
    case 'I64':
    case 'U64': {
      const out = dtype === 'I64' ? new BigInt64Array(n) : new BigUint64Array(n);
      const lo = dtype === 'I64' ? -(2n ** 63n) : 0n;
      const hi = dtype === 'I64' ? 2n ** 63n - 1n : 2n ** 64n - 1n;
      for (let i = 0; i < n; i++) {
        const v = values[i];
        let big: bigint | undefined;
        if (typeof v === 'bigint') big = v;
        else if (typeof v === 'number' && Number.isSafeInteger(v)) big = BigInt(v);
        if (big === undefined || big < lo || big > hi) throw new InvalidArgumentError(`${what(i)}: ${dtype} needs ${dtype === 'I64' ? 'signed' : 'unsigned'} 64-bit integers (bigints, or numbers that are safe integers), got ${String(v)}`);
        out[i] = big;
      }
      return littleEndian(out, 8, true);
    }
    case 'BOOL': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (!(v === 0 || v === 1 || v === true || v === false)) throw new InvalidArgumentError(`${what(i)}: BOOL needs 0, 1, true or false, got ${String(v)}`);
        out[i] = v ? 1 : 0;
      }
      return out;
    }
    case 'I32':
    case 'U32':
    case 'I16':
    case 'U16':
    case 'I8':
    case 'U8': {
      const Ctor = INT_ARRAYS[dtype];
      const size = Ctor.BYTES_PER_ELEMENT;
      if (values instanceof Ctor) return littleEndian(values, size, false);
      const [lo, hi] = INT_RANGES[dtype]!;
      const out = new Ctor(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        const x = typeof v === 'bigint' ? Number(v) : v;
        if (typeof x !== 'number' || !Number.isInteger(x) || x < lo || x > hi) throw new InvalidArgumentError(`${what(i)}: ${dtype} needs integers in [${lo}, ${hi}], got ${String(v)}`);
        out[i] = x;
      }
      return littleEndian(out, size, true);
    }
    default:
      throw new UnsupportedError(`${what(0)}: lowrank writes ${dtype} only as raw bytes ({ raw: Uint8Array }), not from numbers`);
  }
}

/** The bytes of a typed array, little-endian (a swapped copy on big-endian hosts unless `mine`). */
function littleEndian(a: ArrayBufferView, size: number, mine: boolean): Uint8Array {
  let b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (!LITTLE_ENDIAN_HOST && size > 1) {
    if (!mine) b = new Uint8Array(b);
    swapBytes(b, size);
  }
  return b;
}
