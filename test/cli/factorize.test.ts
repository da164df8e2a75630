import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readMatrix, writeMatrix } from '../../src/io/format.js';
import { matmul } from '../../src/linalg/matmul.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { permuteCols, permuteRows, spd } from '../linalg/gallery.js';
import { assertFails, json, run } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-factor-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const A = Matrix.random(9, 5, { seed: 1, distribution: 'normal' });
const S = spd(5, 2);
const aPath = join(dir, 'A.npy');
const sPath = join(dir, 'S.csv');
await writeMatrix(aPath, A);
await writeMatrix(sPath, S);

const close = (X: Matrix, Y: Matrix, tol = 1e-12): boolean => X.sub(Y).norm('max') <= tol * Math.max(1, Y.norm('max'));
const indices = async (path: string): Promise<number[]> => Array.from((await readMatrix(path)).toFlat());

test('qr writes Q.npy and R.npy, with --pivot also perm.npy', async () => {
  const r = json(await run('qr', aPath, '--out', join(dir, 'qr'), '--json'));
  assert.deepEqual(r.factors, { Q: [9, 5], R: [5, 5] });
  const Q = await readMatrix(join(dir, 'qr', 'Q.npy'));
  const R = await readMatrix(join(dir, 'qr', 'R.npy'));
  assert.ok(close(matmul(Q, R), A));
  const p = json(await run('qr', aPath, '--pivot', '--complete', '--out', join(dir, 'qrp'), '--json'));
  assert.equal(p.rank, 5);
  const perm = await indices(join(dir, 'qrp', 'perm.npy'));
  const Qc = await readMatrix(join(dir, 'qrp', 'Q.npy'));
  assert.deepEqual(Qc.shape, [9, 9]);
  assert.ok(close(matmul(Qc, await readMatrix(join(dir, 'qrp', 'R.npy'))), permuteCols(A, perm)));
});

test('lu writes perm.npy, L.npy, U.npy with A[perm] = L U', async () => {
  const r = await run('lu', aPath, '--out', join(dir, 'lu'));
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^lu: 9x5 float64 in .* s, singular false\n/);
  const perm = await indices(join(dir, 'lu', 'perm.npy'));
  const L = await readMatrix(join(dir, 'lu', 'L.npy'));
  const U = await readMatrix(join(dir, 'lu', 'U.npy'));
  assert.ok(close(permuteRows(A, perm), matmul(L, U)));
});

test('cholesky reads CSV and writes L.npy; solve writes x.npy', async () => {
  assert.equal((await run('cholesky', sPath, '--out', join(dir, 'ch'))).code, 0);
  const L = await readMatrix(join(dir, 'ch', 'L.npy'));
  assert.ok(close(matmul(L, L, { transB: true }), S, 1e-10));
  const x = Matrix.random(5, 1, { seed: 3 });
  const bPath = join(dir, 'b.npy');
  await writeMatrix(bPath, matmul(S, x));
  assert.equal((await run('solve', sPath, bPath, '--out', join(dir, 'solve'))).code, 0);
  assert.ok(close(await readMatrix(join(dir, 'solve', 'x.npy')), x, 1e-10));
});

test('without --out the factors are printed', async () => {
  const r = await run('cholesky', sPath);
  assert.equal(r.code, 0);
  assert.match(r.out, /L 5x5 =\n/);
});

test('errors: not positive definite, singular, not square, bad file', async () => {
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, '1,2\n2,1\n');
  assertFails(await run('cholesky', bad), 1, /not positive definite: pivot 1/);
  const sing = join(dir, 'sing.csv');
  writeFileSync(sing, '1,2\n2,4\n');
  assertFails(await run('solve', sing, sing), 1, /singular/);
  assertFails(await run('cholesky', aPath), 1, /square/);
  assertFails(await run('lu', join(dir, 'missing.npy')), 1, /missing\.npy/);
  assertFails(await run('qr', join(dir, 'A.xyz')), 2, /xyz/);
});

test('eig writes w_real, w_imag, V_real, V_imag with A V = V diag(w)', async () => {
  const R = Matrix.from([[0, -2, 0], [2, 0, 0], [0, 0, 3]]);
  const rPath = join(dir, 'rot.npy');
  await writeMatrix(rPath, R);
  const r = json(await run('eig', rPath, '--out', join(dir, 'eig'), '--json'));
  assert.equal(r.complex_eigenvalues, 2);
  const wr = (await readMatrix(join(dir, 'eig', 'w_real.npy'))).toFlat();
  const wi = (await readMatrix(join(dir, 'eig', 'w_imag.npy'))).toFlat();
  const Vr = await readMatrix(join(dir, 'eig', 'V_real.npy'));
  const Vi = await readMatrix(join(dir, 'eig', 'V_imag.npy'));
  // (A (Vr + i Vi))_j = (wr_j + i wi_j) (Vr + i Vi)_j
  const AVr = matmul(R, Vr), AVi = matmul(R, Vi);
  for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(AVr.get(i, j) - (wr[j]! * Vr.get(i, j) - wi[j]! * Vi.get(i, j))) < 1e-12);
    assert.ok(Math.abs(AVi.get(i, j) - (wr[j]! * Vi.get(i, j) + wi[j]! * Vr.get(i, j))) < 1e-12);
  }
  assert.deepEqual(Array.from(wi).map((v) => Math.round(Math.abs(v) * 1e12) / 1e12).sort(), [0, 2, 2]);
});

test('eigh writes w.npy (ascending) and V.npy; --values-only writes w alone', async () => {
  const r = json(await run('eigh', sPath, '--out', join(dir, 'eigh'), '--json'));
  assert.deepEqual(r.factors, { w: [5], V: [5, 5] });
  const w = (await readMatrix(join(dir, 'eigh', 'w.npy'))).toFlat();
  const V = await readMatrix(join(dir, 'eigh', 'V.npy'));
  for (let i = 1; i < 5; i++) assert.ok(w[i]! >= w[i - 1]!);
  assert.ok(close(matmul(S, V), V.map((v, _i, j) => v * w[j]!), 1e-10));
  const v = json(await run('eigh', sPath, '--values-only', '--out', join(dir, 'eigvalsh'), '--json'));
  assert.deepEqual(v.files, [join(dir, 'eigvalsh', 'w.npy')]);
});

test('svd writes U.npy, s.npy, Vt.npy (thin; --full; --values-only)', async () => {
  const r = json(await run('svd', aPath, '--out', join(dir, 'svd'), '--json'));
  assert.deepEqual(r.factors, { U: [9, 5], s: [5], Vt: [5, 5] });
  const U = await readMatrix(join(dir, 'svd', 'U.npy'));
  const s = (await readMatrix(join(dir, 'svd', 's.npy'))).toFlat();
  const Vt = await readMatrix(join(dir, 'svd', 'Vt.npy'));
  assert.ok(close(matmul(U.map((v, _i, j) => v * s[j]!), Vt), A));
  const f = json(await run('svd', aPath, '--full', '--out', join(dir, 'svdf'), '--json'));
  assert.deepEqual(f.factors, { U: [9, 9], s: [5], Vt: [5, 5] });
  const v = json(await run('svd', aPath, '--values-only', '--out', join(dir, 'svdv'), '--json'));
  assert.deepEqual(v.factors, { s: [5] });
  assertFails(await run('svd', aPath, '--full', '--values-only'), 2, /exclude/);
});

test('lstsq writes x.npy and reports rank and residual', async () => {
  const b = Matrix.random(9, 1, { seed: 5 });
  const bPath = join(dir, 'b9.npy');
  await writeMatrix(bPath, b);
  const r = json(await run('lstsq', aPath, bPath, '--out', join(dir, 'lstsq'), '--json'));
  assert.equal(r.rank, 5);
  const x = await readMatrix(join(dir, 'lstsq', 'x.npy'));
  const resid = matmul(A, x).sub(b);
  assert.ok(Math.abs((r.residual_norm as number) - resid.norm('fro')) < 1e-12);
  assert.ok(matmul(A, resid, { transA: true }).norm('max') < 1e-12);
  assertFails(await run('lstsq', aPath, bPath, '--rcond', '-1'), 2, /rcond/);
});
