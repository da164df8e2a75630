/**
 * `lowrank balred`: the contract files (hsv.npy, Ar.npy, Br.npy, Cr.npy, Dr.npy) checked
 * against python-control's fixtures (scripts/gen-control-fixtures.py) through invariants
 * (Hankel singular values, the frequency response of the reduced model), --tol, --json,
 * and the errors (usage errors exit 2, bad data exit 1, one line each).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readMatrix } from '../../src/io/format.js';
import { writeNpy } from '../../src/io/npy.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { frequencyResponse } from '../../src/models/dynamics/balanced-truncation.js';
import { assertFails, json, run } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-balred-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Fx {
  A: number[][];
  B: number[][];
  C: number[][];
  D: number[][];
  hsv_ab09ad: number[];
  omega: number[];
  reduced: { order: number; response_real: number[][][]; response_imag: number[][][] }[];
}

const fx = JSON.parse(readFileSync(new URL('../fixtures/control/balred-random30.json', import.meta.url), 'utf8')) as Fx;
const paths: Record<string, string> = {};
for (const k of ['A', 'B', 'C', 'D'] as const) {
  paths[k] = join(dir, `${k}.npy`);
  await writeNpy(paths[k], Matrix.from(fx[k]));
}

test('balred A B C --D D --order r --out DIR: hsv.npy, Ar.npy, Br.npy, Cr.npy, Dr.npy, equal to python-control up to coordinates', async () => {
  const out = join(dir, 'red');
  const r = await run('balred', paths.A!, paths.B!, paths.C!, '--D', paths.D!, '--order', '8', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^balred: 30x30, 30x3, 2x30, 2x3 float64 in .* s, order 8, states 30, error_bound 0\.0165\d*, minimal_order 27\n/);
  for (const name of ['hsv', 'Ar', 'Br', 'Cr', 'Dr']) assert.ok(existsSync(join(out, `${name}.npy`)), name);
  const hsv = (await readMatrix(join(out, 'hsv.npy'))).toFlat();
  assert.equal(hsv.length, 30);
  fx.hsv_ab09ad.forEach((v, i) => assert.ok(Math.abs(hsv[i]! - v) <= 1e-8 * v + 1e-13 * hsv[0]!, `sigma_${i + 1}`));
  const sys = { A: await readMatrix(join(out, 'Ar.npy')), B: await readMatrix(join(out, 'Br.npy')), C: await readMatrix(join(out, 'Cr.npy')), D: await readMatrix(join(out, 'Dr.npy')) };
  assert.deepEqual(sys.A.shape, [8, 8]);
  assert.deepEqual(sys.B.shape, [8, 3]);
  assert.deepEqual(sys.C.shape, [2, 8]);
  assert.ok(sys.D.sub(Matrix.from(fx.D)).norm('max') === 0);
  const ref = fx.reduced.find((x) => x.order === 8)!;
  const g = frequencyResponse(sys, fx.omega);
  for (let k = 0; k < fx.omega.length; k++) {
    const d = Math.hypot(g.real[k]!.sub(Matrix.from(ref.response_real[k]!)).norm('fro'), g.imag[k]!.sub(Matrix.from(ref.response_imag[k]!)).norm('fro'));
    assert.ok(d < 1e-9, `w = ${fx.omega[k]}: ${d}`);
  }
});

test('balred --tol t --json: no Dr.npy without --D, the order and bound as JSON fields', async () => {
  const out = join(dir, 'tol');
  const j = json(await run('balred', paths.A!, paths.B!, paths.C!, '--tol', '1e-3', '--out', out, '--json'));
  assert.equal(j.command, 'balred');
  assert.equal(j.order, fx.hsv_ab09ad.filter((v) => v > 1e-3).length);
  assert.deepEqual(j.factors, { hsv: [30], Ar: [10, 10], Br: [10, 3], Cr: [2, 10] });
  assert.ok((j.error_bound as number) < 2e-3 * 20);
  assert.ok(!existsSync(join(out, 'Dr.npy')));
});

test('balred errors: usage (exit 2) and data (exit 1), one line each', async () => {
  assertFails(await run('balred', paths.A!, paths.B!, paths.C!), 2, /give --order r \(the reduced order\) or --tol t/);
  assertFails(await run('balred', paths.A!, paths.B!, paths.C!, '--order', '3', '--tol', '1'), 2, /either --order or --tol, not both/);
  assertFails(await run('balred', paths.A!, paths.B!, paths.C!, '--order', '-1'), 2, /--order must be an integer >= 0, got '-1'/);
  assertFails(await run('balred', paths.A!, paths.B!, paths.C!, '--order', '31'), 2, /--order must be at most the number of states 30, got 31/);
  assertFails(await run('balred', paths.A!, paths.B!, paths.C!, '--order', '29'), 1, /at most 27, the system's numerical minimal order/);
  assertFails(await run('balred', paths.A!, paths.C!, paths.B!, '--order', '2'), 1, /B must have 30 rows/);
  const unstable = join(dir, 'unstable.npy');
  await writeNpy(unstable, Matrix.from(fx.A).add(Matrix.identity(30).scale(3)));
  assertFails(await run('balred', unstable, paths.B!, paths.C!, '--order', '2'), 1, /balancedTruncation: A is not stable: its eigenvalue .* has real part >= 0/);
  assertFails(await run('balred', join(dir, 'missing.npy'), paths.B!, paths.C!, '--order', '2'), 1, /missing\.npy/);
});
