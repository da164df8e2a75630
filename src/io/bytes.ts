/**
 * Byte-level helpers shared by the binary formats (npy, safetensors): the host's byte order,
 * byte swapping, and IEEE 754 binary16 decoding. No Node imports (browsers use them too).
 * @internal
 */

/** Whether this host stores numbers little-endian, as .npy and safetensors files written by us are. */
export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverse the bytes of every `size`-byte element in place (for big-endian hosts). */
export function swapBytes(bytes: Uint8Array, size: number): void {
  for (let k = 0; k < bytes.length; k += size) bytes.subarray(k, k + size).reverse();
}

/** IEEE 754 binary16 bits to a number (exact: every half is a float32). */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1024 + frac) * 2 ** (exp - 25);
}
