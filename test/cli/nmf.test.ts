import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readMatrix, writeMatrix } from '../../src/io/format.js';
import { matmul } from '../../src/linalg/matmul.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { assertFails, json, run } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-nmf-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// A 40x25 nonnegative matrix of rank 3, as .npy and as a coordinate .mtx (1-based).
const m = 40, n = 25;
const V = matmul(Matrix.random(m, 3, { seed: 1 }), Matrix.random(3, n, { seed: 2 }));
const npy = join(dir, 'V.npy');
await writeMatrix(npy, V);
const lines: string[] = [];
for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) lines.push(`${i + 1} ${j + 1} ${V.get(i, j)}`);
const mtx = join(dir, 'V.mtx');
writeFileSync(mtx, `%%MatrixMarket matrix coordinate real general\n${m} ${n} ${lines.length}\n${lines.join('\n')}\n`);

function checkFactors(W: Matrix, H: Matrix, k: number, tol: number): void {
  assert.deepEqual([W.shape, H.shape], [[m, k], [k, n]]);
  for (const F of [W, H]) assert.ok(F.toFlat().every((x) => x >= 0), 'factors are nonnegative');
  const rel = matmul(W, H).sub(V).norm('fro') / V.norm('fro');
  assert.ok(rel < tol, `relative error ${rel}`);
}

test('nmf V.npy --rank 3 writes W.npy and H.npy with W H ≈ V, and reports in JSON', async () => {
  const out = join(dir, 'cd');
  const r = json(await run('nmf', npy, '--rank', '3', '--tol', '1e-8', '--max-iter', '2000', '--out', out, '--json'));
  assert.equal(r.command, 'nmf');
  assert.equal(r.solver, 'cd');
  assert.equal(r.beta, 2);
  assert.deepEqual(r.factors, { W: [m, 3], H: [3, n] });
  for (const key of ['iterations', 'seconds', 'reconstruction_error']) assert.equal(typeof r[key], 'number', key);
  checkFactors(await readMatrix(join(out, 'W.npy')), await readMatrix(join(out, 'H.npy')), 3, 1e-3);
});

test('--solver mu --beta-loss kl on a sparse .mtx with --init nndsvdar; human output names the files', async () => {
  const out = join(dir, 'mu');
  const r = await run('nmf', mtx, '--rank', '3', '--solver', 'mu', '--beta-loss', 'kl', '--init', 'nndsvdar', '--max-iter', '400', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^nmf: 40x25 float64 in [\d.e-]+ s, solver mu, beta 1, iterations \d+, converged (true|false), reconstruction_error [\d.e-]+\n/);
  assert.match(r.out, /H\.npy {2}3x25 {2}-> /);
  checkFactors(await readMatrix(join(out, 'W.npy')), await readMatrix(join(out, 'H.npy')), 3, 5e-2);
});

test('nmf rejects bad flags with exit 2 and negative data with exit 1', async () => {
  assertFails(await run('nmf', npy, '--rank', '0', '--out', join(dir, 'x')), 2, /--rank must be an integer >= 1/);
  assertFails(await run('nmf', npy, '--rank', '2', '--beta-loss', 'kl'), 2, /needs --solver mu/);
  assertFails(await run('nmf', npy, '--rank', '2', '--solver', 'als'), 2, /solver/);
  assertFails(await run('nmf', npy, '--rank', '2', '--l1-ratio', '2'), 2, /--l1-ratio/);
  const neg = join(dir, 'neg.npy');
  await writeMatrix(neg, V.map((x, i) => (i === 0 ? -1 : x)));
  assertFails(await run('nmf', neg, '--rank', '2'), 1, /negative/);
  // An option the data cannot satisfy is a usage error, as `svd --rank 99999` is.
  assertFails(await run('nmf', npy, '--rank', '30', '--init', 'nndsvd'), 2, /--rank must be at most min\(rows, cols\) = 25 for this 40x25 matrix with --init nndsvd .*, got 30/);
  assertFails(await run('nmf', npy, '--rank', '26', '--init', 'nndsvda'), 2, /--rank must be at most min\(rows, cols\) = 25/);
  // A random start takes any k (scikit-learn allows k > min(m, n)).
  const wide = json(await run('nmf', npy, '--rank', '26', '--init', 'random', '--max-iter', '5', '--json'));
  assert.deepEqual((wide.factors as Record<string, number[]>).W, [40, 26]);
});
