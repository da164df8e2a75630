import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readMatrix, writeMatrix } from '../../src/io/format.js';
import { matmul } from '../../src/linalg/matmul.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { rng } from '../helpers.js';
import { assertFails, json, run } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-complete-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// A 60x40 rank-3 matrix; 40% of its entries observed (1-based in the .mtx file).
const m = 60, n = 40;
const X = matmul(Matrix.random(m, 3, { seed: 1, distribution: 'normal' }), Matrix.random(3, n, { seed: 2, distribution: 'normal' }));
const g = rng(3);
const lines: string[] = [];
const withNaN = X.copy();
for (let j = 0; j < n; j++) {
  for (let i = 0; i < m; i++) {
    if (g.nextDouble() < 0.4) lines.push(`${i + 1} ${j + 1} ${X.get(i, j)}`);
    else withNaN.set(i, j, NaN);
  }
}
const mtx = join(dir, 'R.mtx');
writeFileSync(mtx, `%%MatrixMarket matrix coordinate real general\n${m} ${n} ${lines.length}\n${lines.join('\n')}\n`);
const npy = join(dir, 'R.npy');
await writeMatrix(npy, withNaN);

test('complete R.mtx --rank writes U, s, Vt and completed.npy and reports in JSON', async () => {
  const out = join(dir, 'out');
  const r = json(await run('complete', mtx, '--rank', '3', '--lambda', '0', '--tol', '1e-10', '--max-iter', '500', '--out', out, '--json'));
  assert.equal(r.rank, 3);
  assert.equal(r.lambda, 0);
  assert.equal(r.converged, true);
  assert.equal(r.observed, lines.length);
  assert.deepEqual(r.shape, [m, n]);
  for (const key of ['iterations', 'trainRmse', 'seconds', 'lambdaMax']) assert.equal(typeof r[key], 'number', key);
  assert.ok((r.trainRmse as number) < 1e-3);
  const U = await readMatrix(join(out, 'U.npy'));
  const s = await readMatrix(join(out, 's.npy'));
  const Vt = await readMatrix(join(out, 'Vt.npy'));
  assert.deepEqual([U.shape, s.shape, Vt.shape], [[m, 3], [3, 1], [3, n]]); // 1-D s reads as a column
  const L = matmul(U.map((v, _i, j) => v * s.get(j, 0)), Vt);
  const completed = await readMatrix(join(out, 'completed.npy'));
  assert.ok(L.sub(X).norm('fro') < 1e-2 * X.norm('fro'), 'the factors recover the planted matrix');
  assert.ok(completed.sub(X).norm('fro') < 1e-2 * X.norm('fro'), 'completed.npy too');
});

test('a dense .npy with NaN for missing gives the same completion; human output names the files', async () => {
  const a = json(await run('complete', mtx, '--lambda', '2', '--tol', '1e-12', '--max-iter', '1000', '--out', join(dir, 'a'), '--json'));
  const r = await run('complete', npy, '--lambda', '2', '--tol', '1e-12', '--max-iter', '1000', '--out', join(dir, 'b'), '--algorithm', 'svd');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^complete: 60x40, \d+ observed \([\d.]+%\), rank \d+, lambda 2, \d+ iterations, train RMSE [\d.e-]+ in [\d.e-]+ s\n/);
  assert.match(r.out, /-> .*completed\.npy\n$/);
  const ca = await readMatrix(join(dir, 'a', 'completed.npy'));
  const cb = await readMatrix(join(dir, 'b', 'completed.npy'));
  const d = ca.sub(cb).norm('max');
  assert.ok(d < 1e-3 * ca.norm('max'), `als (mtx) and svd (npy) agree: ${d}`); // measured 1e-5 relative
  assert.equal(a.rank, (await readMatrix(join(dir, 'b', 's.npy'))).rows);
});

test('usage errors exit 2, bad data exits 1, with one line', async () => {
  assertFails(await run('complete', mtx, '--out', join(dir, 'x')), 2, /give --rank k and\/or --lambda x/);
  assertFails(await run('complete', mtx, '--rank', '0', '--out', join(dir, 'x')), 2, /--rank must be an integer >= 1, got '0'/);
  assertFails(await run('complete', mtx, '--lambda', '-1', '--out', join(dir, 'x')), 2, /--lambda must be a number >= 0/);
  assertFails(await run('complete', mtx, '--lambda', '0', '--out', join(dir, 'x')), 2, /--lambda 0 needs --rank/);
  assertFails(await run('complete', mtx, '--rank', '2'), 2, /--out/);
  const pattern = join(dir, 'P.mtx');
  writeFileSync(pattern, '%%MatrixMarket matrix coordinate pattern general\n3 3 2\n1 1\n2 2\n');
  assertFails(await run('complete', pattern, '--rank', '1', '--out', join(dir, 'x')), 1, /pattern matrix has no values/);
  const dup = join(dir, 'D.mtx');
  writeFileSync(dup, '%%MatrixMarket matrix coordinate real general\n3 3 2\n1 1 1.0\n1 1 2.0\n');
  assertFails(await run('complete', dup, '--rank', '1', '--out', join(dir, 'x')), 1, /\(0, 0\) is given more than once/);
  assertFails(await run('complete', join(dir, 'missing.mtx'), '--rank', '1', '--out', join(dir, 'x')), 1, /no such file/);
  assert.equal(existsSync(join(dir, 'x')), false);
});

test('a --rank above min(rows, cols) is a usage error (exit 2), as svd --rank is', async () => {
  // SoftImpute would clamp it; on the command line the request is refused, naming the limit.
  assertFails(await run('complete', mtx, '--rank', '41', '--out', join(dir, 'r')), 2, /--rank must be at most min\(rows, cols\) = 40 for this 60x40 matrix, got 41/);
  assertFails(await run('complete', npy, '--rank', '99999', '--out', join(dir, 'r')), 2, /--rank must be at most min\(rows, cols\) = 40 for this 60x40 matrix, got 99999/);
  assert.equal(existsSync(join(dir, 'r')), false);
});

test('NaN marks a missing entry; an infinity is refused naming the file and entry; JSON says whether a header was read', async () => {
  const inf = join(dir, 'inf.csv');
  writeFileSync(inf, '1,nan,3\n4,5,inf\n');
  assertFails(await run('complete', inf, '--rank', '1', '--out', join(dir, 'i')), 1, new RegExp(`${inf}: holds Infinity at row 1, column 2 \\(0-based\\); NaN marks a missing entry here`));
  const bad = join(dir, 'nanentry.mtx');
  writeFileSync(bad, '%%MatrixMarket matrix coordinate real general\n3 3 2\n1 1 1.0\n3 2 nan\n');
  assertFails(await run('complete', bad, '--rank', '1', '--out', join(dir, 'i')), 1, new RegExp(`${bad}: holds NaN at row 2, column 1 \\(0-based\\)`));
  const named = join(dir, 'named.csv');
  writeFileSync(named, 'x,y,z\n1,nan,3\n4,5,nan\n7,8,9\n');
  const h = json(await run('complete', named, '--rank', '1', '--out', join(dir, 'n'), '--json'));
  assert.deepEqual([h.header, h.shape, h.observed], [true, [3, 3], 7]);
  assertFails(await run('complete', named, '--rank', '1', '--header', 'no', '--out', join(dir, 'n')), 1, /named\.csv:1: column 1: 'x' is not a number/);
  const plain = json(await run('complete', mtx, '--rank', '1', '--out', join(dir, 'n'), '--json'));
  assert.equal(plain.header, false);
});
