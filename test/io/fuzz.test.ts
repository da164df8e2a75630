// Mutation fuzzing of the readers: whatever the bytes, a reader returns a matrix or throws a
// LowrankError (ParseError / UnsupportedError). Never a RangeError, TypeError, hang or
// giant allocation. Seeded, so failures reproduce.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LowrankError } from '../../src/errors.js';
import { parseCsv } from '../../src/io/csv.js';
import { parseMtx } from '../../src/io/mtx.js';
import { parseNpy } from '../../src/io/npy.js';
import { rng, type Rng } from '../../src/random.js';
import { FIXTURES } from './util.js';

function mutate(src: Uint8Array, r: Rng, alphabet: Uint8Array | undefined, focus: number): Uint8Array {
  let b = src.slice();
  const edits = 1 + r.nextInt(4);
  for (let e = 0; e < edits; e++) {
    const kind = r.nextInt(4);
    const at = r.nextInt(Math.max(1, Math.min(b.length, focus)));
    const byte = alphabet ? alphabet[r.nextInt(alphabet.length)]! : r.nextInt(256);
    if (kind === 0 && b.length > 0) b[at] = byte;
    else if (kind === 1) b = b.subarray(0, r.nextInt(b.length + 1));
    else if (kind === 2) b = Uint8Array.from([...b.subarray(0, at), byte, ...b.subarray(at)]);
    else b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1 + r.nextInt(8))]);
  }
  return b;
}

function survive(name: string, input: Uint8Array, read: () => unknown): void {
  try {
    read();
  } catch (e) {
    if (!(e instanceof LowrankError)) {
      assert.fail(`${name}: ${String(e)} for input ${JSON.stringify(Buffer.from(input).toString('latin1'))}`);
    }
  }
}

test('npy: mutated headers and truncations only ever give typed errors', () => {
  const r = rng(2024);
  const dir = join(FIXTURES, 'npy');
  const header = new TextEncoder().encode("0123456789(),:'\" {}[]<>|=fiubOcTrueFalsLdescrshapefortran_order\n\\#");
  for (const name of readdirSync(dir).sort()) {
    const src = readFileSync(join(dir, name));
    for (let k = 0; k < 300; k++) {
      const m = mutate(src, r, k % 2 ? header : undefined, 140);
      survive(name, m, () => parseNpy(m));
    }
  }
});

test('mtx and csv: mutated text only ever gives typed errors', () => {
  const r = rng(7);
  const alphabet = new TextEncoder().encode('0123456789 \t\n\r-+.eE%,;"#abcinfnatx\u00ff');
  for (const sub of ['mtx', 'text']) {
    const dir = join(FIXTURES, sub);
    for (const name of readdirSync(dir).sort()) {
      const src = readFileSync(join(dir, name));
      for (let k = 0; k < 150; k++) {
        const m = mutate(src, r, alphabet, src.length);
        if (sub === 'mtx') survive(name, m, () => parseMtx(m));
        else survive(name, m, () => parseCsv(m));
      }
    }
  }
});
