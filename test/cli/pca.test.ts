import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { readMatrix, writeMatrix } from '../../src/io/format.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { PCA } from '../../src/models/decomposition/pca.js';
import { CsrMatrix } from '../../src/sparse/csr.js';
import { assertClose, assertRows, digitsFixture, maxDiff } from '../models/decomposition/pca-helpers.js';
import { assertFails, json, run } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-pca-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const digitsPath = fileURLToPath(new URL('../../data/digits/digits.npy', import.meta.url));

test('pca digits --components 0.95 --out DIR writes the contract files, equal to scikit-learn', async () => {
  const out = join(dir, 'd');
  const r = json(await run('pca', digitsPath, '--components', '0.95', '--out', out, '--json'));
  assert.equal(r.solver, 'covariance-eigh');
  assert.equal(r.components, 29);
  assert.deepEqual(r.factors, {
    components: [29, 64], explained_variance_ratio: [29], explained_variance: [29], singular_values: [29], mean: [64], scores: [1797, 29],
  });
  const sk = digitsFixture.frac95!;
  const C = await readMatrix(join(out, 'components.npy'));
  const auto = digitsFixture.auto!;
  assertRows(C, auto.components_!, 1e-8, 'components', 29);
  assertClose((await readMatrix(join(out, 'explained_variance_ratio.npy'))).toFlat(), sk.explained_variance_ratio_, 1e-10, 'ratio');
  assertClose((await readMatrix(join(out, 'mean.npy'))).toFlat(), sk.mean_!, 1e-12, 'mean');
  const scores = await readMatrix(join(out, 'scores.npy'));
  assert.deepEqual(scores.shape, [1797, 29]);
  assertRows(scores.rowRange(0, 6), sk.transform!, 1e-9, 'scores');
});

test('pca human output, --no-scores, --whiten, --solver, --batch-size', async () => {
  const X = Matrix.random(50, 6, { seed: 2, distribution: 'normal' });
  const xPath = join(dir, 'X.npy');
  await writeMatrix(xPath, X);
  const human = await run('pca', xPath, '-k', '2', '--out', join(dir, 'h'));
  assert.equal(human.code, 0, human.err);
  assert.match(human.out, /^pca: 50x6 float64 in .* s, solver full, components 2, explained /);
  assert.match(human.out, /scores\.npy {2}50x2/);
  const noScores = json(await run('pca', xPath, '-k', '3', '--no-scores', '--solver', 'randomized', '--seed', '4', '--out', join(dir, 'n'), '--json'));
  assert.equal(noScores.solver, 'randomized');
  assert.ok(!('scores' in (noScores.factors as object)));
  const w = json(await run('pca', xPath, '-k', '2', '--whiten', '--out', join(dir, 'w'), '--json'));
  assert.equal(w.components, 2);
  const Z = await readMatrix(join(dir, 'w', 'scores.npy'));
  const ref = new PCA({ components: 2, whiten: true }).fit(X).transform(X);
  assert.ok(maxDiff(Z.toFlat(), ref.toFlat()) < 1e-10);
  const inc = json(await run('pca', xPath, '-k', '2', '--batch-size', '20', '--out', join(dir, 'i'), '--json'));
  assert.equal(inc.solver, 'incremental');
  // printed without --out
  const printed = await run('pca', xPath, '-k', '1', '--no-scores');
  assert.equal(printed.code, 0);
  assert.match(printed.out, /components 1x6 =/);
});

test('pca of a coordinate .mtx stays sparse (lanczos)', async () => {
  const S = CsrMatrix.random(40, 12, 0.3, { seed: 5 });
  const coo = S.toCoo();
  const lines = ['%%MatrixMarket matrix coordinate real general', `40 12 ${coo.val.length}`];
  for (let t = 0; t < coo.val.length; t++) lines.push(`${coo.row[t]! + 1} ${coo.col[t]! + 1} ${coo.val[t]!}`);
  const sPath = join(dir, 'S.mtx');
  writeFileSync(sPath, lines.join('\n') + '\n');
  const r = json(await run('pca', sPath, '-k', '3', '--out', join(dir, 's'), '--json'));
  assert.equal(r.solver, 'lanczos');
  assert.equal(r.nnz, coo.val.length);
  const ref = new PCA({ components: 3, solver: 'full' }).fit(S.toDense());
  assertClose((await readMatrix(join(dir, 's', 'explained_variance.npy'))).toFlat(), ref.explainedVariance, 1e-9, 'variance');
});

test('pca usage and data errors: exit 2 for bad flags, 1 for bad data', async () => {
  const X = Matrix.random(10, 4, { seed: 1 });
  const xPath = join(dir, 'small.npy');
  await writeMatrix(xPath, X);
  assertFails(await run('pca', xPath, '--components', '0'), 2, /--components must be an integer >= 1 or a fraction/);
  assertFails(await run('pca', xPath, '--components', 'abc'), 2, /--components/);
  assertFails(await run('pca', xPath, '--solver', 'magic'), 2, /solver/);
  assertFails(await run('pca', xPath, '-k', '0.5', '--solver', 'randomized'), 2, /variance fraction/);
  assertFails(await run('pca', xPath, '-k', '0.5', '--batch-size', '5'), 2, /integer --components/);
  assertFails(await run('pca', xPath, '--batch-size', '5', '--solver', 'full'), 2, /--batch-size/);
  assertFails(await run('pca', join(dir, 'missing.npy')), 1, /no such file/);
  const bad = X.copy();
  bad.set(3, 1, NaN);
  bad.set(7, 2, Infinity);
  const badPath = join(dir, 'nan.npy');
  await writeMatrix(badPath, bad);
  // Named after the file, at the first bad entry in reading order, before any computation.
  assertFails(await run('pca', badPath), 1, new RegExp(`^lowrank: ${badPath}: holds NaN at row 3, column 1 \\(0-based\\), and 1 more NaN or infinite value; `));
  const csvPath = join(dir, 'inf.csv');
  writeFileSync(csvPath, 'a,b\n1,2\n3,-inf\n');
  assertFails(await run('pca', csvPath, '--json'), 1, new RegExp(`${csvPath}: holds -Infinity at row 1, column 1 \\(0-based\\)`));
});

test('pca: a --components the data cannot satisfy is a usage error (exit 2) naming flag, value and limit', async () => {
  const xPath = join(dir, 'small10x4.npy');
  await writeMatrix(xPath, Matrix.random(10, 4, { seed: 1 }));
  for (const solver of ['auto', 'full', 'randomized', 'lanczos']) {
    assertFails(await run('pca', xPath, '-k', '9', '--solver', solver), 2, /--components must be at most min\(rows, cols\) = 4 for this 10x4 matrix, got 9/);
  }
  assertFails(await run('pca', xPath, '-k', '5', '--batch-size', '20'), 2, /--components must be at most the 4 columns .* got 5/);
  const tall = join(dir, 'tall30x8.npy');
  await writeMatrix(tall, Matrix.random(30, 8, { seed: 2 }));
  // Batches of 5 rows: IncrementalPCA's first step needs k = 6 rows.
  assertFails(await run('pca', tall, '-k', '6', '--batch-size', '5'), 2, /--components must be at most the 5 rows of the first batch \(--batch-size 5 of 30 rows; raise --batch-size\), got 6/);
  assert.equal(json(await run('pca', tall, '-k', '4', '--batch-size', '5', '--json')).components, 4);
  assert.equal(json(await run('pca', xPath, '-k', '4', '--json')).components, 4);
});
