/**
 * LZ4 frame decoding for Arrow IPC buffers (the LZ4_FRAME codec pyarrow's `write_feather`
 * uses by default), which apache-arrow's JavaScript reader leaves to a registered codec.
 * Frame format: lz4 docs/lz4_Frame_format.md; block format: lz4 docs/lz4_Block_format.md.
 * Blocks may be linked (a match may reach into earlier blocks), so every block is decoded
 * into one growing output. Checksums are skipped, not verified (Arrow's own buffer lengths
 * are checked by its reader).
 */
import { ParseError } from '../errors.js';

const FRAME_MAGIC = 0x184d2204;

/**
 * Decode one or more concatenated LZ4 frames (skippable frames are skipped).
 * @throws ParseError on a bad magic number, version, or a block that runs past its input.
 */
export function decodeLz4Frames(input: Uint8Array, source = '<lz4>'): Uint8Array {
  let out = new Uint8Array(Math.max(64, input.length * 4));
  let len = 0;
  let p = 0;
  const fail = (what: string): never => {
    throw new ParseError(source, { byteOffset: p }, `LZ4 frame: ${what}`);
  };
  const need = (n: number): void => {
    if (len + n > out.length) {
      const next = new Uint8Array(Math.max(out.length * 2, len + n));
      next.set(out.subarray(0, len));
      out = next;
    }
  };
  const u32 = (at: number): number => {
    if (at + 4 > input.length) fail('truncated');
    return (input[at]! | (input[at + 1]! << 8) | (input[at + 2]! << 16) | (input[at + 3]! << 24)) >>> 0;
  };
  while (p < input.length) {
    const magic = u32(p);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      p += 8 + u32(p + 4); // skippable frame
      continue;
    }
    if (magic !== FRAME_MAGIC) fail(`bad magic number 0x${magic.toString(16)}`);
    p += 4;
    const flg = input[p]!;
    if (flg >> 6 !== 1) fail(`unsupported version ${flg >> 6}`);
    const blockChecksum = (flg & 0x10) !== 0;
    const contentSize = (flg & 0x08) !== 0;
    const contentChecksum = (flg & 0x04) !== 0;
    const dictId = (flg & 0x01) !== 0;
    if (dictId) fail('frames with a dictionary are not supported');
    p += 2 + (contentSize ? 8 : 0) + 1; // FLG, BD, content size, header checksum
    for (;;) {
      const word = u32(p);
      p += 4;
      if (word === 0) break; // EndMark
      const size = word & 0x7fffffff;
      if (p + size > input.length) fail('block runs past the end of the data');
      if (word & 0x80000000) {
        need(size);
        out.set(input.subarray(p, p + size), len);
        len += size;
      } else {
        len = decodeBlock(input, p, p + size, len, need, () => out, fail);
      }
      p += size + (blockChecksum ? 4 : 0);
    }
    if (contentChecksum) p += 4;
  }
  return out.subarray(0, len);
}

// One LZ4 block, input[s, e), appended to out() at `at`: literals then (offset, match) pairs;
// a match copies byte by byte so it may overlap its own output (run-length).
function decodeBlock(input: Uint8Array, s: number, e: number, at: number, need: (n: number) => void, out: () => Uint8Array, fail: (what: string) => never): number {
  let p = s;
  for (;;) {
    const token = input[p++]!;
    let lit = token >> 4;
    if (lit === 15) {
      let b: number;
      do {
        if (p >= e) fail('truncated literal length');
        b = input[p++]!;
        lit += b;
      } while (b === 255);
    }
    if (p + lit > e) fail('literals run past the block');
    need(lit);
    out().set(input.subarray(p, p + lit), at);
    at += lit;
    p += lit;
    if (p >= e) return at; // the last sequence has literals only
    if (p + 2 > e) fail('truncated match offset');
    const offset = input[p]! | (input[p + 1]! << 8);
    p += 2;
    if (offset === 0 || offset > at) fail(`match offset ${offset} reaches before the start of the data`);
    let m = token & 15;
    if (m === 15) {
      let b: number;
      do {
        if (p >= e) fail('truncated match length');
        b = input[p++]!;
        m += b;
      } while (b === 255);
    }
    m += 4;
    need(m);
    const o = out();
    let from = at - offset;
    for (let k = 0; k < m; k++) o[at++] = o[from++]!;
  }
}
