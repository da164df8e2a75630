/**
 * `lowrank embeddings reduce`: the files (components.npy max(dims) x n, mean.npy (n,),
 * reduced_<d>.npy N x d, in the input's dtype) hold what reduceEmbeddings computes and each
 * reduced file is a prefix of the largest; the recall report (1 at full dims); --queries,
 * --no-center; usage and data errors.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readNpy, writeNpy } from '../../src/io/npy.js';
import { matmul } from '../../src/linalg/matmul.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { reduceEmbeddings } from '../../src/models/weights/embeddings.js';
import { tempDir } from '../io/util.js';
import { assertFails, json, run } from './harness.js';

async function fixture(dir: string): Promise<{ path: string; E: Matrix }> {
  const Z = Matrix.random(300, 6, { seed: 1, distribution: 'normal' });
  const W = Matrix.random(6, 24, { seed: 2, distribution: 'normal' });
  const E = matmul(Z, W).add(Matrix.random(300, 24, { seed: 3, distribution: 'normal' }).scale(0.2)).astype('float32');
  const path = join(dir, 'E.npy');
  await writeNpy(path, E);
  return { path, E };
}

describe('embeddings reduce', () => {
  test('writes components, mean and reduced_<d> in the input dtype; recall per size, 1 at full dims', async () => {
    const dir = tempDir();
    const { path, E } = await fixture(dir);
    const out = join(dir, 'out');
    const r = json(await run('embeddings', 'reduce', path, '--dims', '4,8,24', '--out', out, '--json'));
    assert.deepEqual(r.shape, [300, 24]);
    assert.equal(r.k, 10);
    assert.equal(r.queries, 300);
    const sizes = r.sizes as { dims: number; energy: number; recall: number; recallRaw: number }[];
    assert.deepEqual(sizes.map((s) => s.dims), [4, 8, 24]);
    assert.equal(sizes[2]!.recall, 1);
    assert.ok(sizes[0]!.recall < sizes[1]!.recall);
    const lib = reduceEmbeddings(E, { dims: [4, 8, 24] });
    assert.deepEqual(sizes.map((s) => s.recall), lib.recall.map((x) => x.recall));
    const C = (await readNpy(join(out, 'components.npy'))).matrix;
    assert.deepEqual(C.shape, [24, 24]);
    assert.equal(C.dtype, 'float32');
    assert.ok(C.sub(lib.components.astype('float32')).norm() < 1e-6);
    const mean = (await readNpy(join(out, 'mean.npy'))).matrix;
    assert.deepEqual(mean.shape, [24, 1]);
    const Z24 = (await readNpy(join(out, 'reduced_24.npy'))).matrix;
    const Z4 = (await readNpy(join(out, 'reduced_4.npy'))).matrix;
    assert.deepEqual(Z4.shape, [300, 4]);
    assert.ok(Z4.sub(Z24.colRange(0, 4)).norm() <= 1e-6 * Z24.norm());
    assert.ok(existsSync(join(out, 'reduced_8.npy')));
    const text = await run('embeddings', 'reduce', path, '--dims', '4,24');
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^embeddings reduce: .*E\.npy \(300 vectors x 24, float32\) in [\d.]+ s, axes by SVD\n  recall@10 of cosine nearest neighbours, 300 rows of E:\n +dims +energy +vs full \(centered\) +vs original\n +4 +\d+\.\d% +0\.\d{3} +0\.\d{3}\n +24 +100\.0% +1\.000 +\d\.\d{3}\n$/);
  });

  test('--queries and --no-center', async () => {
    const dir = tempDir();
    const { path } = await fixture(dir);
    const qpath = join(dir, 'Q.npy');
    await writeNpy(qpath, Matrix.random(20, 24, { seed: 9, distribution: 'normal' }));
    const r = json(await run('embeddings', 'reduce', path, '--dims', '24', '--queries', qpath, '--no-center', '-k', '5', '--json'));
    assert.equal(r.queries, 20);
    assert.equal(r.queriesFromData, false);
    assert.equal(r.center, false);
    assert.deepEqual((r.sizes as { recall: number; recallRaw: number }[])[0], { dims: 24, energy: 1, recall: 1, recallRaw: 1 });
  });

  test('errors', async () => {
    const dir = tempDir();
    const { path } = await fixture(dir);
    assertFails(await run('embeddings', 'reduce', path, '--dims', '4,25'), 2, /--dims must be at most the vectors' size n = 24 of this 300x24 matrix, got 25/);
    assertFails(await run('embeddings', 'reduce', path, '--dims', '4,x'), 2, /--dims must be an integer >= 1 or a comma-separated list of them, got '4,x'/);
    assertFails(await run('embeddings', 'reduce', path), 2, /required option '--dims <list>' not specified/);
    assertFails(await run('embeddings', 'reduce', path, '--dims', '4', '-k', '300'), 2, /--k must be at most the other rows of E \(299\), got 300/);
    const qpath = join(dir, 'Q.npy');
    await writeNpy(qpath, Matrix.random(3, 5, { seed: 1 }));
    assertFails(await run('embeddings', 'reduce', path, '--dims', '4', '--queries', qpath), 1, /queries must have 24 columns like E, got 3x5/);
    assertFails(await run('embeddings', 'reduce', join(dir, 'none.npy'), '--dims', '4'), 1, /none\.npy/);
  });
});
