import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readMatrix, writeMatrix } from '../../src/io/format.js';
import { svd } from '../../src/linalg/svd.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { CsrMatrix } from '../../src/sparse/csr.js';
import { planted } from '../lowrank/truncated-helpers.js';
import { assertFails, json, run } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-svd-rank-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const A = planted(40, 25, Array.from({ length: 25 }, (_, i) => 10 * 0.7 ** i), 1);
const aPath = join(dir, 'A.npy');
await writeMatrix(aPath, A);
const exact = svd(A);

// A sparse matrix as a coordinate Matrix Market file (1-based triples).
const S = CsrMatrix.random(60, 35, 0.1, { seed: 4 });
const coo = S.toCoo();
const lines = ['%%MatrixMarket matrix coordinate real general', `60 35 ${coo.val.length}`];
for (let t = 0; t < coo.val.length; t++) lines.push(`${coo.row[t]! + 1} ${coo.col[t]! + 1} ${coo.val[t]!}`);
const sPath = join(dir, 'S.mtx');
writeFileSync(sPath, lines.join('\n') + '\n');
const exactS = svd(S.toDense());

function closeValues(s: Matrix, ref: ArrayLike<number>, k: number, tol: number): void {
  assert.equal(s.size, k);
  for (let i = 0; i < k; i++) assert.ok(Math.abs(s.data[i]! - ref[i]!) <= tol * ref[0]!, `s[${i}] = ${s.data[i]} vs ${ref[i]}`);
}

test('svd --rank k writes U (m x k), s (k) and Vt (k x n); auto is randomized for dense input', async () => {
  const r = json(await run('svd', aPath, '--rank', '4', '--out', join(dir, 'r'), '--json'));
  assert.deepEqual(r.factors, { U: [40, 4], s: [4], Vt: [4, 25] });
  assert.equal(r.method, 'randomized');
  assert.equal(r.power_iters, 4); // k >= 0.1 min(m, n)
  closeValues(await readMatrix(join(dir, 'r', 's.npy')), exact.s, 4, 1e-12);
  const U = await readMatrix(join(dir, 'r', 'U.npy'));
  const Vt = await readMatrix(join(dir, 'r', 'Vt.npy'));
  for (let i = 0; i < 4; i++) {
    let du = 0;
    for (let t = 0; t < 40; t++) du += U.get(t, i) * exact.U.get(t, i);
    assert.ok(Math.abs(Math.abs(du) - 1) < 1e-10);
  }
  assert.deepEqual(Vt.shape, [4, 25]);
});

test('--method lanczos with --tol, and the human-readable report', async () => {
  const r = await run('svd', aPath, '--rank', '3', '--method', 'lanczos', '--tol', '1e-12', '--out', join(dir, 'l'));
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^svd: 40x25 float64 in .* s, method lanczos, rank 3, products \d+, restarts \d+\n/);
  assert.match(r.out, /U\.npy {2}40x3 {2}-> /);
  closeValues(await readMatrix(join(dir, 'l', 's.npy')), exact.s, 3, 1e-12);
});

test('a coordinate .mtx is read as sparse and solved by Lanczos (auto)', async () => {
  const r = json(await run('svd', sPath, '--rank', '5', '--out', join(dir, 's'), '--json'));
  assert.equal(r.method, 'lanczos');
  assert.equal(r.nnz, S.nnz);
  assert.deepEqual(r.inputs, [[60, 35]]);
  assert.deepEqual(r.factors, { U: [60, 5], s: [5], Vt: [5, 35] });
  closeValues(await readMatrix(join(dir, 's', 's.npy')), exactS.s, 5, 1e-10);
  const forced = json(await run('svd', sPath, '--rank', '5', '--method', 'randomized', '--power-iters', '10', '--oversample', '15', '--seed', '3', '--values-only', '--out', join(dir, 'sr'), '--json'));
  assert.equal(forced.method, 'randomized');
  assert.deepEqual(forced.factors, { s: [5] });
  closeValues(await readMatrix(join(dir, 'sr', 's.npy')), exactS.s, 5, 1e-6);
});

test('float32 input stays float32; without --out the factors are printed', async () => {
  const r = json(await run('svd', aPath, '--rank', '2', '--dtype', 'float32', '--out', join(dir, 'f'), '--json'));
  assert.equal(r.dtype, 'float32');
  assert.equal((await readMatrix(join(dir, 'f', 'U.npy'))).dtype, 'float32');
  const p = await run('svd', aPath, '--rank', '2');
  assert.equal(p.code, 0, p.err);
  assert.match(p.out, /\nU 40x2 =\n/);
  assert.match(p.out, /\ns \(2,\) =\n\[/);
});

test('without --rank, svd behaves as before', async () => {
  const r = json(await run('svd', aPath, '--out', join(dir, 'full'), '--json'));
  assert.deepEqual(r.factors, { U: [40, 25], s: [25], Vt: [25, 25] });
  assert.equal(r.method, undefined);
});

test('bad --rank and option combinations are usage errors', async () => {
  assertFails(await run('svd', aPath, '--rank', '0'), 2, /--rank must be an integer >= 1, got '0'/);
  assertFails(await run('svd', aPath, '--rank', 'x'), 2, /--rank must be an integer >= 1/);
  assertFails(await run('svd', aPath, '--rank', '26'), 2, /--rank must be at most min\(rows, cols\) = 25/);
  assertFails(await run('svd', aPath, '--rank', '3', '--full'), 2, /--full and --rank exclude each other/);
  assertFails(await run('svd', aPath, '--method', 'lanczos'), 2, /--method needs --rank/);
  assertFails(await run('svd', aPath, '--rank', '3', '--method', 'qr'), 2, /method/);
  assertFails(await run('svd', aPath, '--rank', '3', '--tol', '2'), 2, /--tol must be a number in \(0, 1\)/);
  assertFails(await run('svd', aPath, '--rank', '3', '--power-iters', '-1'), 2, /--power-iters must be an integer >= 0 or 'auto'/);
  assertFails(await run('svd', aPath, '--rank', '3', '--method', 'lanczos', '--ncv', '2'), 1, /ncv must be an integer with k < ncv/);
});
