import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ParseError } from '../../src/errors.js';
import { writeTensorSync } from '../../src/io/npy.js';
import { readTensorTrain, readTensorTrainSync, writeTensorTrain, writeTensorTrainSync } from '../../src/io/tensor-train-files.js';
import { TensorTrain } from '../../src/models/tensor/tensor-train.js';
import { Tensor } from '../../src/tensor/tensor.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-tt-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const train = (shape: number[], inner: number[]) => {
  const r = [1, ...inner, 1];
  return new TensorTrain(shape.map((n, k) => Tensor.random([r[k]!, n, r[k + 1]!], { seed: k + 1 })));
};

test('writeTensorTrain / readTensorTrain round-trip the cores exactly (async and sync)', async () => {
  const X = train([3, 4, 5, 2], [2, 3, 2]);
  const a = join(dir, 'a');
  const files = await writeTensorTrain(a, X);
  assert.deepEqual(files, [0, 1, 2, 3].map((k) => join(a, `core_${k}.npy`)));
  assert.deepEqual((await readTensorTrain(a)).toJSON(), X.toJSON());
  const b = join(dir, 'b');
  writeTensorTrainSync(b, X);
  assert.deepEqual(readTensorTrainSync(b).toJSON(), X.toJSON());
});

test('a directory that is not a train is a ParseError naming the directory or the core file', () => {
  const empty = join(dir, 'empty');
  writeTensorTrainSync(join(dir, 'tmp'), train([2, 2], [2]));
  assert.throws(() => readTensorTrainSync(join(dir, 'nope')), /ENOENT/);
  const gap = join(dir, 'gap');
  writeTensorTrainSync(gap, train([2, 3, 2], [2, 2]));
  rmSync(join(gap, 'core_1.npy'));
  assert.throws(() => readTensorTrainSync(gap), (e: Error) => e instanceof ParseError && /gap: has core files up to core_2\.npy but no core_1\.npy/.test(e.message));
  writeTensorTrainSync(empty, train([2, 2], [1]));
  rmSync(join(empty, 'core_0.npy'));
  rmSync(join(empty, 'core_1.npy'));
  writeFileSync(join(empty, 'notes.txt'), 'x');
  assert.throws(() => readTensorTrainSync(empty), /empty: holds no core_0\.npy/);
  const chain = join(dir, 'chain');
  writeTensorTrainSync(chain, train([2, 3, 2], [2, 2]));
  writeTensorSync(join(chain, 'core_1.npy'), Tensor.random([3, 3, 2]));
  assert.throws(() => readTensorTrainSync(chain), (e: Error) => e instanceof ParseError && /core_1\.npy: starts with rank 3 but core_0\.npy ends with rank 2/.test(e.message));
  writeTensorSync(join(chain, 'core_1.npy'), Tensor.random([2, 3]));
  assert.throws(() => readTensorTrainSync(chain), /core_1\.npy: holds a 2-d array of shape \(2, 3\); a core is 3-d/);
  const one = join(dir, 'one');
  writeTensorTrainSync(one, train([2, 2], [1]));
  rmSync(join(one, 'core_1.npy'));
  assert.throws(() => readTensorTrainSync(one), /holds only core_0\.npy/);
});
