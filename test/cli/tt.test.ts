import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readTensor, writeTensor } from '../../src/io/npy.js';
import { readTensorTrain } from '../../src/io/tensor-train-files.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { assertFails, json, run } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-tt-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// 1/(1 + x1 + ... + x5) on a 6 x 7 x 5 x 6 x 4 grid: TT ranks ~4-5 at eps 1e-6.
const shape = [6, 7, 5, 6, 4];
const T = Tensor.fromFunction(shape, (idx) => 1 / (1 + idx.reduce((s, i, k) => s + i / shape[k]!, 0)));
const npy = join(dir, 'T.npy');
await writeTensor(npy, T);

test('tt T.npy --eps 1e-6 --out DIR --json: core_k.npy of shape (r_k, n_k, r_k+1) that rebuild T; ranks, relative_error, params, compression', async () => {
  const out = join(dir, 'tt');
  const r = json(await run('tt', npy, '--eps', '1e-6', '--out', out, '--json'));
  assert.equal(r.command, 'tt');
  assert.deepEqual(r.inputs, [shape]);
  const ranks = r.ranks as number[];
  assert.equal(ranks.length, 6);
  assert.ok(ranks[0] === 1 && ranks[5] === 1 && ranks.every((x) => x >= 1 && x <= 6));
  assert.deepEqual(r.cores, shape.map((n, k) => [ranks[k], n, ranks[k + 1]]));
  assert.deepEqual(r.files, shape.map((_, k) => join(out, `core_${k}.npy`)));
  for (let k = 0; k < 5; k++) assert.deepEqual((await readTensor(join(out, `core_${k}.npy`))).shape, [ranks[k], shape[k], ranks[k + 1]]);
  const tt = await readTensorTrain(out);
  const err = tt.full().sub(T).norm() / T.norm();
  assert.ok(err <= 1e-6 && Math.abs(err - (r.relative_error as number)) <= 1e-3 * err, `error ${err} vs reported ${r.relative_error}`);
  assert.equal(r.params, tt.params);
  assert.equal(r.compression, T.size / tt.params);
  assert.equal(r.eps, 1e-6);
  assert.equal(typeof r.seconds, 'number');
});

test('--max-rank caps every bond (one value) or each bond (d - 1 values); stale cores of a longer train are removed', async () => {
  const out = join(dir, 'capped');
  const one = json(await run('tt', npy, '--max-rank', '2', '--out', out, '--json'));
  assert.deepEqual(one.ranks, [1, 2, 2, 2, 2, 1]);
  assert.equal(one.max_rank, 2);
  const per = json(await run('tt', npy, '--max-rank', '1,3,3,2', '--json'));
  assert.deepEqual(per.ranks, [1, 1, 3, 3, 2, 1]);
  // Now a 3-way tensor into the same directory: core_3.npy and core_4.npy go.
  const small = join(dir, 'small.npy');
  await writeTensor(small, Tensor.random([4, 5, 3], { seed: 1 }));
  json(await run('tt', small, '--out', out, '--json'));
  assert.ok(existsSync(join(out, 'core_2.npy')) && !existsSync(join(out, 'core_3.npy')) && !existsSync(join(out, 'core_4.npy')));
  assert.deepEqual((await readTensorTrain(out)).shape, [4, 5, 3]);
});

test('human output: ranks, error and the core files', async () => {
  const r = await run('tt', npy, '--eps', '1e-3');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^tt: 6x7x5x6x4 float64 in [\d.e-]+ s, ranks 1,\d,\d,\d,\d,1, relative_error [\d.e-]+, params \d+ of 5040 \(compression [\d.]+\)\n/);
  assert.match(r.out, /\n {2}core_4\.npy {2}\dx4x1\n$/);
});

test('bad input: a 1-d array, NaN entries, another extension, a --max-rank list of the wrong length, a bad --eps', async () => {
  const vec = join(dir, 'v.npy');
  await writeTensor(vec, Tensor.fromArray([1, 2, 3, 4], [4]));
  assertFails(await run('tt', vec), 2, /v\.npy: holds a 1-d array \(shape \[4\]\); a tensor train needs 2 or more dimensions/);
  const bad = Tensor.random([3, 4, 5], { seed: 2 });
  bad.set([1, 2, 3], NaN);
  const nan = join(dir, 'nan.npy');
  await writeTensor(nan, bad);
  assertFails(await run('tt', nan), 1, /nan\.npy: holds NaN at index \(1, 2, 3\)/);
  assertFails(await run('tt', join(dir, 'T.csv')), 2, /tensors are read from \.npy files/);
  assertFails(await run('tt', npy, '--max-rank', '2,2'), 2, /--max-rank must give one rank for every bond or one per bond \(4 for this 6x7x5x6x4 array\), got 2/);
  assertFails(await run('tt', npy, '--eps', '-1'), 2, /--eps must be/);
  assertFails(await run('tt', join(dir, 'missing.npy')), 1, /missing\.npy/);
});
