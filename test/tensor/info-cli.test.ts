import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeNpyTensor } from '../../src/io/npy.js';
import { Tensor } from '../../src/tensor/index.js';
import { assertFails, json, run } from '../cli/harness.js';
import { FIXTURES, tempDir } from '../io/util.js';

const DIR = join(FIXTURES, 'tensor', 'npy');

test('lowrank info shows n-d arrays: shape n0 x n1 x n2, order, size, statistics', async () => {
  const path = join(DIR, 'f8_3d_special.npy');
  const h = await run('info', path);
  assert.equal(h.code, 0, h.err);
  const lines = h.out.trimEnd().split('\n').map((l) => l.split(/ {2,}/));
  assert.deepEqual(lines.map(([k]) => k), ['file', 'storage', 'shape', 'dtype', 'size', 'nonzeros', 'frobenius', 'min', 'max', 'nan', 'inf']);
  assert.match(h.out, /^storage +npy 1\.0, <f8, C order$/m);
  assert.match(h.out, /^shape +2 x 2 x 2$/m);
  assert.match(h.out, /^size +8 elements$/m);
  assert.match(h.out, /^nonzeros +7 \(density 87\.5%\)$/m);
  assert.match(h.out, /^frobenius +nan$/m);
  assert.match(h.out, /^nan +1$/m);
  assert.match(h.out, /^inf +2$/m);
  const f = await run('info', join(DIR, 'f4_4d_f.npy'));
  assert.match(f.out, /^storage +npy 1\.0, <f4, Fortran order$/m);
  assert.match(f.out, /^shape +2 x 3 x 2 x 3$/m);
  assert.match(f.out, /^dtype +float32$/m);

  // JSON: the matrix fields (rows x cols = the mode-0 unfolding) plus the shape
  const dir = tempDir();
  const T = Tensor.fromFunction([4, 3, 5], ([i, j, k]) => (i! - 1) * 100 + j! * 10 + k!);
  const p = join(dir, 't.npy');
  writeFileSync(p, encodeNpyTensor(T.permute([2, 1, 0]).copy().permute([2, 1, 0]))); // Fortran order
  const j = json(await run('info', p, '--json'));
  assert.deepEqual(j.shape, [4, 3, 5]);
  assert.deepEqual([j.rows, j.cols, j.dtype, j.storage], [4, 15, 'float64', 'npy 1.0, <f8, Fortran order']);
  assert.deepEqual([j.min, j.max, j.nonzeros, j.nanCount, j.infCount], [-100, 224, 59, 0, 0]);
  assert.ok(Math.abs((j.frobenius as number) - T.norm()) <= 1e-12 * T.norm());
  assert.deepEqual(j.npy, { version: 1, descr: '<f8', fortranOrder: true, shape: [4, 3, 5] });
});

test('lowrank info keeps the matrix output for 2-d and 1-d files, and reports n-d errors with the file', async () => {
  const m = await run('info', join(DIR, 'f8_2d_f.npy'));
  assert.equal(m.code, 0, m.err);
  assert.deepEqual(
    m.out.trimEnd().split('\n').map((l) => l.split(/ {2,}/)[0]),
    ['file', 'storage', 'shape', 'dtype', 'nonzeros', 'frobenius', 'min', 'max', 'nan', 'inf'],
  );
  assert.match(m.out, /^shape +3 x 4$/m);
  const mj = json(await run('info', join(DIR, 'f8_2d_f.npy'), '--json'));
  assert.equal('shape' in mj, false);
  const v = await run('info', join(DIR, 'f8_1d.npy'));
  assert.match(v.out, /^storage +npy 1\.0, <f8, 1-D$/m);
  assert.match(v.out, /^shape +7 x 1$/m);
  const dir = tempDir();
  const cut = join(dir, 'cut.npy');
  writeFileSync(cut, encodeNpyTensor(Tensor.random([4, 4, 4])).subarray(0, 300));
  assertFails(await run('info', cut), 1, new RegExp(`${cut} at byte 300: data is truncated: shape \\(4, 4, 4\\)`));
});
