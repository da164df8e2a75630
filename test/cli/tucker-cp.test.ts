import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readMatrix } from '../../src/io/format.js';
import { readTensor, writeTensor } from '../../src/io/npy.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { CPDecomposition } from '../../src/models/tensor/cp.js';
import { TuckerDecomposition } from '../../src/models/tensor/tucker.js';
import { Tensor } from '../../src/tensor/tensor.js';
import { assertFails, json, run } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-tucker-cp-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// A 10 x 12 x 8 tensor of CP rank 3 (so also of multilinear ranks 3, 3, 3), plus 1% noise.
const A = [10, 12, 8].map((n, k) => Matrix.random(n, 3, { seed: 1 + k }).sub(0.5));
const exact = new CPDecomposition([3, 2, 1], A, { relativeError: 0, iterations: 0, converged: true }).full();
const noise = Tensor.random(exact.shape, { seed: 9 });
const T = exact.add(noise.scale((0.01 * exact.norm()) / noise.norm()));
const npy = join(dir, 'T.npy');
await writeTensor(npy, T);

test('tucker T.npy --ranks 3,3,3 writes core.npy and factor_k.npy (n_k x r_k) that rebuild T; --json summary', async () => {
  const out = join(dir, 'tucker');
  const r = json(await run('tucker', npy, '--ranks', '3,3,3', '--out', out, '--json'));
  assert.equal(r.command, 'tucker');
  assert.equal(r.method, 'hooi');
  assert.deepEqual(r.ranks, [3, 3, 3]);
  assert.deepEqual(r.inputs, [[10, 12, 8]]);
  assert.deepEqual(r.factors, { core: [3, 3, 3], factor_0: [10, 3], factor_1: [12, 3], factor_2: [8, 3] });
  for (const key of ['relative_error', 'iterations', 'params', 'compression', 'seconds']) assert.equal(typeof r[key], 'number', key);
  const core = await readTensor(join(out, 'core.npy'));
  const factors = await Promise.all([0, 1, 2].map((k) => readMatrix(join(out, `factor_${k}.npy`))));
  const rebuilt = new TuckerDecomposition(core, factors, { method: 'hooi', relativeError: 0, iterations: 0, converged: true }).full();
  const err = rebuilt.sub(T).norm() / T.norm();
  assert.ok(Math.abs(err - (r.relative_error as number)) < 1e-12 && err < 0.02, `error ${err} vs reported ${r.relative_error}`);
});

test('one rank for every mode, --method sthosvd; human output names the files', async () => {
  const out = join(dir, 'st');
  const r = await run('tucker', npy, '--ranks', '2', '--method', 'sthosvd', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^tucker: 10x12x8 float64 in [\d.e-]+ s, method sthosvd, ranks 2x2x2, relative_error [\d.e-]+, iterations 0, converged true, params 68, compression [\d.]+\n/);
  assert.match(r.out, /core\.npy {2}2x2x2 {2}-> /);
  assert.match(r.out, /factor_1\.npy {2}12x2 {2}-> /);
});

test('cp T.npy --rank 3 writes weights.npy (3,) and unit-column factors that rebuild T; --nonnegative', async () => {
  const out = join(dir, 'cp');
  const r = json(await run('cp', npy, '--rank', '3', '--max-iter', '500', '--out', out, '--json'));
  assert.equal(r.command, 'cp');
  assert.deepEqual(r.factors, { weights: [3], factor_0: [10, 3], factor_1: [12, 3], factor_2: [8, 3] });
  assert.ok((r.fit as number) > 0.98, `fit ${r.fit}`);
  const wt = await readTensor(join(out, 'weights.npy'));
  assert.deepEqual(wt.shape, [3]);
  const w = wt.toFlat();
  const factors = await Promise.all([0, 1, 2].map((k) => readMatrix(join(out, `factor_${k}.npy`))));
  for (const F of factors) for (let c = 0; c < 3; c++) assert.ok(Math.abs(F.col(c).norm() - 1) < 1e-12);
  assert.ok(w[0]! >= w[1]! && w[1]! >= w[2]!);
  const rebuilt = new CPDecomposition(w, factors, { relativeError: 0, iterations: 0, converged: true }).full();
  assert.ok(Math.abs(rebuilt.sub(T).norm() / T.norm() - (r.relative_error as number)) < 1e-12);

  const positive = join(dir, 'pos.npy');
  await writeTensor(positive, new CPDecomposition([3, 2, 1], A.map((F) => F.add(0.5)), { relativeError: 0, iterations: 0, converged: true }).full());
  const n = json(await run('cp', positive, '--rank', '3', '--nonnegative', '--out', join(dir, 'nn'), '--json'));
  assert.equal(n.nonnegative, true);
  for (let k = 0; k < 3; k++) assert.ok((await readMatrix(join(dir, 'nn', `factor_${k}.npy`))).min() >= 0);
});

test('bad ranks and files: usage errors (exit 2) and data errors (exit 1) name what is wrong', async () => {
  assertFails(await run('tucker', npy, '--ranks', '11,2,2'), 2, /--ranks must be at most 10, the length of mode 0 of this 10x12x8 array, got 11/);
  assertFails(await run('tucker', npy, '--ranks', '2,2'), 2, /--ranks must give one rank per mode \(3 for this 10x12x8 array\) or a single rank, got 2/);
  assertFails(await run('tucker', npy, '--ranks', '2,x,2'), 2, /--ranks must be an integer >= 1 or a comma-separated list of them, got '2,x,2'/);
  assertFails(await run('tucker', npy, '--ranks', '1,1,3'), 1, /rank of mode 2 is 3 but the other ranks multiply to 1/);
  assertFails(await run('tucker', npy, '--ranks', '2', '--method', 'svd'), 2, /method/);
  assertFails(await run('tucker', npy), 2, /--ranks/);
  assertFails(await run('cp', npy, '--rank', '0'), 2, /--rank must be an integer >= 1, got '0'/);
  assertFails(await run('cp', npy, '--rank', '2', '--nonnegative', '--line-search'), 2, /--line-search applies to the unconstrained/);
  const nan = join(dir, 'nan.npy');
  await writeTensor(nan, T.copy().set([1, 2, 3], NaN));
  assertFails(await run('cp', nan, '--rank', '2'), 1, /nan\.npy: holds NaN at index \[1, 2, 3\]/);
  const vec = join(dir, 'vec.npy');
  await writeTensor(vec, Tensor.random([5], { seed: 1 }));
  assertFails(await run('tucker', vec, '--ranks', '2'), 2, /holds a 1-d array .*Tucker needs 2 or more dimensions/);
  assertFails(await run('cp', join(dir, 'T.csv'), '--rank', '2'), 2, /tensors are read from \.npy files/);
  assertFails(await run('cp', join(dir, 'missing.npy'), '--rank', '2'), 1, /missing\.npy/);
});
