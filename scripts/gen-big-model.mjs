#!/usr/bin/env node
/**
 * Write a large synthetic BF16 model for measuring `lowrank weights` memory and time:
 * `node scripts/gen-big-model.mjs OUT.safetensors [--layers 10] [--size 8192] [--rank 64]`.
 * Each layer `layers.<i>.weight` (size x size) is a rank-`rank` product with decaying
 * singular values plus a small uniform noise floor (a trained layer's kind of spectrum), and
 * a `norm.weight` vector is added. Written in streamed pieces (one row block at a time), so
 * the generator holds a few MiB, not the model. Files are for /tmp; never commit them.
 */
import { open } from 'node:fs/promises';

const args = process.argv.slice(2);
const out = args.find((a) => !a.startsWith('--'));
const flag = (name, d) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
if (!out) {
  console.error('usage: node scripts/gen-big-model.mjs OUT.safetensors [--layers 10] [--size 8192] [--rank 64]');
  process.exit(2);
}
const layers = flag('layers', 10);
const n = flag('size', 8192);
const r = flag('rank', 64);

let seed = 12345;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;

const header = {};
let at = 0;
for (let l = 0; l < layers; l++) {
  header[`layers.${l}.weight`] = { dtype: 'BF16', shape: [n, n], data_offsets: [at, at + 2 * n * n] };
  at += 2 * n * n;
}
header['norm.weight'] = { dtype: 'BF16', shape: [n], data_offsets: [at, at + 2 * n] };
header.__metadata__ = { format: 'pt', generator: 'scripts/gen-big-model.mjs' };
let json = JSON.stringify(header);
json += ' '.repeat((8 - (json.length % 8)) % 8);
const h = Buffer.alloc(8);
h.writeBigUInt64LE(BigInt(json.length));

const f = await open(out, 'w');
await f.write(h);
await f.write(Buffer.from(json));
// bf16 bits of a float32: round to nearest even on the top 16 bits.
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bf16 = (x) => {
  f32[0] = x;
  const b = u32[0];
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
};
for (let l = 0; l < layers; l++) {
  // W = U diag(s) V^T with random U (n x r), V (n x r), s_i = i^-0.6, plus noise 1e-3.
  const U = new Float32Array(n * r).map(rand);
  const V = new Float32Array(n * r).map(rand);
  const s = Float32Array.from({ length: r }, (_, i) => (i + 1) ** -0.6 / Math.sqrt(n));
  const rowsPer = 256;
  const buf = new Uint16Array(rowsPer * n);
  const us = new Float32Array(r);
  for (let i0 = 0; i0 < n; i0 += rowsPer) {
    for (let i = i0; i < i0 + rowsPer; i++) {
      for (let k = 0; k < r; k++) us[k] = U[i * r + k] * s[k];
      const row = (i - i0) * n;
      for (let j = 0; j < n; j++) {
        let v = 0;
        const vj = j * r;
        for (let k = 0; k < r; k++) v += us[k] * V[vj + k];
        buf[row + j] = bf16(v + 1e-3 * rand());
      }
    }
    await f.write(new Uint8Array(buf.buffer));
  }
  process.stderr.write(`layer ${l + 1}/${layers}\r`);
}
await f.write(new Uint8Array(new Uint16Array(n).fill(bf16(1)).buffer));
await f.close();
process.stderr.write(`\n${out}: ${layers} x ${n} x ${n} BF16 + norm\n`);
