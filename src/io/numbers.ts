/**
 * Number text shared by the text formats (Matrix Market, CSV): a strict parser, so that
 * `''`, `'0x10'` or `'1,5'` are rejected instead of silently becoming 0, 16 or NaN as
 * `Number()` would make them, and a writer whose output reads back to the same bits.
 */
import type { DType } from '../matrix/dtype.js';

// Decimal numbers with optional exponent, plus the spellings numpy, R and C use for the
// non-finite values (`nan`, `inf`, `-inf`, `Infinity`, `NaN`), case-insensitively.
const REAL = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;

// Characters of plain decimal notation. A token made only of these is a number exactly when
// Number() does not return NaN: ECMAScript's StrDecimalLiteral is the same grammar as REAL's
// decimal part, and the only other things Number() accepts (hex, 'Infinity', whitespace,
// the empty string) need characters outside this set or are excluded by the length check.
function isDecimalChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46 || c === 43 || c === 45 || c === 101 || c === 69;
}

/**
 * Parse a decimal real number, or `nan` / `inf` / `infinity` with any case and sign.
 * @returns the value, or `undefined` when `text` is not such a number (no trimming is done).
 */
export function parseReal(text: string): number | undefined {
  const n = text.length;
  if (n === 0) return undefined;
  let plain = true;
  for (let k = 0; k < n; k++) {
    if (!isDecimalChar(text.charCodeAt(k))) {
      plain = false;
      break;
    }
  }
  if (plain) {
    const v = Number(text);
    return v === v ? v : undefined;
  }
  if (!REAL.test(text)) return undefined;
  const negative = text.charCodeAt(0) === 45;
  const word = text.replace(/^[+-]/, '').toLowerCase();
  if (word === 'nan') return NaN;
  return negative ? -Infinity : Infinity;
}

/**
 * Parse a decimal integer (optional sign, digits only). Integers beyond 2^53 are rounded
 * to the nearest double, as every JavaScript number is.
 * @returns the value, or `undefined` when `text` is not an integer.
 */
export function parseInteger(text: string): number | undefined {
  const n = text.length;
  let k = n > 0 && (text.charCodeAt(0) === 45 || text.charCodeAt(0) === 43) ? 1 : 0;
  if (k === n) return undefined;
  for (; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(text);
}

/**
 * Shortest decimal text that reads back to exactly `value` in the given dtype:
 * `nan`, `inf`, `-inf` for the non-finite values (numpy's spelling), `-0` keeps the sign
 * of zero, and float32 values get at most 9 significant digits instead of the 17 that
 * their float64 widening would print.
 */
export function formatReal(value: number, dtype: DType = 'float64'): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  if (dtype === 'float32') {
    const f = Math.fround(value);
    for (let p = 1; p <= 9; p++) {
      const shorter = Number(f.toPrecision(p));
      if (Math.fround(shorter) === f) return String(shorter);
    }
    return String(f);
  }
  return String(value);
}

// Exact powers of ten: 10^k is a double for k <= 22.
const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * Plain decimal ASCII in `bytes[start, end)` (`[+-]digits[.digits][(e|E)[+-]digits]`),
 * when it can be converted exactly without a string: a significand below 2^53 scaled by at
 * most 10^22 is one correctly rounded multiplication or division (Clinger 1990, "How to
 * read floating point numbers accurately", the fast path). Gives the same double as
 * `Number()`.
 * @returns the value, or undefined for anything else (more digits, a larger exponent,
 *   other spellings), which callers parse from a string with {@link parseReal}.
 */
export function parseDecimalBytes(bytes: Uint8Array, start: number, end: number): number | undefined {
  let p = start;
  let negative = false;
  if (p < end && (bytes[p] === 45 || bytes[p] === 43)) negative = bytes[p++] === 45;
  let m = 0;
  let exp = 0;
  let digits = 0;
  let d: number;
  while (p < end && (d = bytes[p]! - 48) >= 0 && d <= 9) {
    m = m * 10 + d;
    digits++;
    p++;
  }
  if (p < end && bytes[p] === 46) {
    p++;
    while (p < end && (d = bytes[p]! - 48) >= 0 && d <= 9) {
      m = m * 10 + d;
      exp--;
      digits++;
      p++;
    }
  }
  if (digits === 0) return undefined;
  if (p < end && (bytes[p] === 101 || bytes[p] === 69)) {
    p++;
    let negExp = false;
    if (p < end && (bytes[p] === 45 || bytes[p] === 43)) negExp = bytes[p++] === 45;
    let x = 0;
    const s = p;
    while (p < end && (d = bytes[p]! - 48) >= 0 && d <= 9 && p - s < 5) {
      x = x * 10 + d;
      p++;
    }
    if (p === s) return undefined;
    exp += negExp ? -x : x;
  }
  // Every partial significand below 2^53 was exact; a true value at or above 2^53 cannot
  // have rounded to below it.
  if (p !== end || m >= 9007199254740992) return undefined;
  let v: number;
  if (m === 0 || exp === 0) v = m;
  else if (exp > 0 && exp <= 22) v = m * POW10[exp]!;
  else if (exp < 0 && exp >= -22) v = m / POW10[-exp]!;
  else return undefined;
  return negative ? -v : v;
}

