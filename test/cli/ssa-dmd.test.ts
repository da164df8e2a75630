/**
 * `lowrank ssa` and `lowrank dmd`: the contract files (names, shapes) checked against the
 * numpy fixtures of scripts/gen-ssa-dmd-fixtures.py, the printed w-correlations, and the
 * errors (usage errors exit 2, bad data exit 1, one line each).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readMatrix, writeMatrix } from '../../src/io/format.js';
import { writeNpy } from '../../src/io/npy.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { mssa, ssa } from '../../src/models/dynamics/ssa.js';
import { readTensor } from '../../src/io/npy.js';
import { assertFails, json, run } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-ssa-dmd-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/ssa-dmd/${name}.json`, import.meta.url), 'utf8')) as T;
}

interface SsaFx {
  series: number[];
  window: number;
  s: number[];
  groups: number[][];
  reconstructions: number[][];
  horizon: number;
  forecastGroup: number[];
  rforecast: number[];
  vforecast: number[];
}
interface DmdFx {
  X: number[][];
  rank: number;
  dt: number;
  eigenvalues: [number, number][];
  frequencies: number[];
  steps: number;
  predict: number[][];
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

const seasonal = fixture<SsaFx>('ssa-seasonal');
const seriesPath = join(dir, 'x.npy');
await writeNpy(seriesPath, new Matrix(Float64Array.from(seasonal.series), seasonal.series.length, 1), { shape1d: true });

test('ssa x.npy --window L --groups 0,1-2,3-4 --forecast h --wcorr --out DIR: the contract files, equal to numpy', async () => {
  const out = join(dir, 'ssa');
  const r = await run('ssa', seriesPath, '--window', String(seasonal.window), '--groups', '0,1-2,3-4', '--forecast', String(seasonal.horizon), '--wcorr', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^ssa: 120 values, window 36 \(K 85\), full SVD, 36 eigentriples in /);
  assert.match(r.out, /components\.npy {2}3x120/);
  assert.match(r.out, /forecast\.npy {2}\(24,\)/);
  // --wcorr prints the matrix, labelled by the groups as typed.
  assert.match(r.out, /w-correlations of the groups:\n +0 +1-2 +3-4\n +0 +1\.000 /);
  const C = await readMatrix(join(out, 'components.npy'));
  assert.deepEqual(C.shape, [3, 120]);
  const scale = Math.max(...seasonal.series.map(Math.abs));
  for (let g = 0; g < 3; g++) assert.ok(maxDiff(C.row(g).toFlat(), seasonal.reconstructions[g]!) < 1e-11 * scale, `group ${g}`);
  const s = await readMatrix(join(out, 'singular_values.npy'));
  assert.ok(maxDiff(s.toFlat(), seasonal.s) < 1e-12 * seasonal.s[0]!);
  // The recurrent forecast of the sum of the groups (eigentriples 0-4).
  const f = await readMatrix(join(out, 'forecast.npy'));
  assert.ok(maxDiff(f.toFlat(), seasonal.rforecast) < 1e-9 * scale);
  const W = await readMatrix(join(out, 'wcorr.npy'));
  const ref = ssa(seasonal.series, { window: seasonal.window }).wcorr([0, [1, 2], [3, 4]]);
  assert.ok(W.sub(ref).norm('max') < 1e-14);
});

test("ssa --json, the vector forecast, a one-column CSV with a header, '+' groups", async () => {
  const r = json(await run('ssa', seriesPath, '-L', '36', '-g', '0,1+2', '--forecast', '24', '--forecast-method', 'vector', '--json'));
  assert.equal(r.window, 36);
  assert.equal(r.solver, 'full');
  assert.deepEqual(r.groups, [[0], [1, 2]]);
  assert.ok(maxDiff(r.forecast as number[], ssa(seasonal.series, { window: 36 }).forecast(24, { groups: [0, [1, 2]], method: 'vector' })) < 1e-12);
  const csv = join(dir, 'x.csv');
  writeFileSync(csv, ['births', ...seasonal.series.map(String)].join('\n') + '\n');
  const c = json(await run('ssa', csv, '--window', '36', '--groups', '3-4', '--json'));
  assert.equal(c.length, 120);
  assert.ok(maxDiff(c.singular_values as number[], seasonal.s) < 1e-12 * seasonal.s[0]!);
  // --column picks a column of a table, by name or 0-based index.
  const table = join(dir, 'table.csv');
  writeFileSync(table, ['month,births', ...seasonal.series.map((v, k) => `${k + 1},${v}`)].join('\n') + '\n');
  for (const c of ['births', '1']) {
    const t = json(await run('ssa', table, '--column', c, '--window', '36', '--groups', '0', '--json'));
    assert.ok(maxDiff(t.singular_values as number[], seasonal.s) < 1e-12 * seasonal.s[0]!);
  }
  assertFails(await run('ssa', table, '--column', 'deaths'), 2, /--column must name a column of .*table\.csv or give its 0-based index \(columns: month, births\), got 'deaths'/);
  assertFails(await run('ssa', table), 1, /holds a 120x2 matrix; lowrank ssa takes one series .*pick a column with --column/);
  // Default groups: the first min(10, rank) eigentriples alone; printed without --out.
  const p = await run('ssa', seriesPath, '--window', '5');
  assert.equal(p.code, 0, p.err);
  assert.match(p.out, /components 5x120 =/);
  assert.match(p.out, /groups: 0 \(\d+\.\d+%\), 1 /);
  // A long series takes the matrix-free solver; --rank sets the eigentriples.
  const long = join(dir, 'long.npy');
  await writeNpy(long, new Matrix(Float64Array.from({ length: 20000 }, (_, k) => Math.sin(k / 7) + 1e-4 * k), 20000, 1), { shape1d: true });
  const l = json(await run('ssa', long, '--window', '2000', '--rank', '4', '--groups', '0-2', '--json'));
  assert.equal(l.solver, 'randomized');
  assert.equal((l.singular_values as number[]).length, 4);
});

test('ssa --multivariate: MSSA of the columns, components G x s x N, forecast s x h, equal to mssa', async () => {
  const N = seasonal.series.length;
  const y = seasonal.series.map((v, k) => 0.5 * v + 100 * Math.cos((2 * Math.PI * k) / 12));
  const X = Matrix.from(seasonal.series.map((v, k) => [v, y[k]!]));
  const path = join(dir, 'two.npy');
  await writeMatrix(path, X);
  const out = join(dir, 'mssa');
  const r = await run('ssa', path, '--multivariate', '--window', '36', '--groups', '0,1-2', '--forecast', '12', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^ssa: 2 series of 120 values, window 36 \(K 85\)/);
  assert.match(r.out, /components\.npy {2}2x2x120/);
  assert.match(r.out, /forecast\.npy {2}2x12/);
  const ref = mssa([seasonal.series, y], { window: 36 });
  const parts = ref.reconstruct([0, [1, 2]]);
  const C = await readTensor(join(out, 'components.npy'));
  assert.deepEqual(C.shape, [2, 2, 120]);
  const scale = Math.max(...seasonal.series.map(Math.abs));
  for (let g = 0; g < 2; g++) for (let q = 0; q < 2; q++) {
    const got = Array.from({ length: N }, (_, k) => C.get([g, q, k]));
    assert.ok(maxDiff(got, parts[g]![q]!) < 1e-12 * scale, `group ${g}, series ${q}`);
  }
  const F = await readMatrix(join(out, 'forecast.npy'));
  assert.deepEqual(F.shape, [2, 12]);
  const ff = ref.forecast(12, { groups: [0, [1, 2]] });
  for (let q = 0; q < 2; q++) assert.ok(maxDiff(F.row(q).toFlat(), ff[q]!) < 1e-10 * scale, `forecast of series ${q}`);
  const j = json(await run('ssa', path, '-m', '-L', '36', '-g', '0', '--forecast', '3', '--json'));
  assert.equal(j.series, 2);
  assert.equal((j.forecast as number[][]).length, 2);
  assertFails(await run('ssa', path, '-m', '--column', '0'), 2, /--multivariate analyses every column together; leave out --column/);
});

test('ssa errors: a matrix, NaN, window and groups out of range, bad group syntax', async () => {
  const M = join(dir, 'M.npy');
  await writeMatrix(M, Matrix.random(5, 4, { seed: 1 }));
  assertFails(await run('ssa', M), 1, /M\.npy: holds a 5x4 matrix; lowrank ssa takes one series/);
  const bad = join(dir, 'nan.csv');
  writeFileSync(bad, '1\n2\nnan\n4\n5\n');
  assertFails(await run('ssa', bad), 1, /nan\.csv: holds NaN at row 2, column 0/);
  assertFails(await run('ssa', seriesPath, '--window', '120'), 2, /--window must be at most N - 1 = 119 for this series of 120 values, got 120/);
  assertFails(await run('ssa', seriesPath, '--window', '1'), 2, /--window must be an integer >= 2, got '1'/);
  assertFails(await run('ssa', seriesPath, '--window', '36', '--groups', '0,1-40'), 2, /--groups must use eigentriples 0 to 35 \(36 computed, all that window 36 gives\), got 36/);
  assertFails(await run('ssa', seriesPath, '--window', '36', '--rank', '5', '--groups', '6'), 2, /--groups must use eigentriples 0 to 4 \(5 computed; raise --rank\), got 6/);
  assertFails(await run('ssa', seriesPath, '--groups', '2-1'), 2, /--groups must be groups of 0-based eigentriple indices/);
  assertFails(await run('ssa', seriesPath, '--groups', '0,,1'), 2, /--groups must be/);
  assertFails(await run('ssa', seriesPath, '--window', '36', '--rank', '40'), 2, /--rank must be at most min\(L, K\) = 36/);
  assertFails(await run('ssa', seriesPath, '--forecast', '0'), 2, /--forecast must be an integer >= 1/);
});

test('dmd X.npy --rank r --dt t --predict k --out DIR: the eig-style files, equal to numpy', async () => {
  const fx = fixture<DmdFx>('dmd-linear-6');
  const X = Matrix.from(fx.X);
  const xPath = join(dir, 'X.npy');
  await writeMatrix(xPath, X);
  const out = join(dir, 'dmd');
  const r = json(await run('dmd', xPath, '--rank', String(fx.rank), '--dt', String(fx.dt), '--predict', String(fx.steps), '--out', out, '--json'));
  assert.equal(r.modes, 6);
  assert.deepEqual(r.factors, {
    w_real: [6], w_imag: [6], modes_real: [6, 6], modes_imag: [6, 6], amplitudes_real: [6], amplitudes_imag: [6], frequencies: [6], growth_rates: [6], predict: [6, fx.steps],
  });
  const wr = (await readMatrix(join(out, 'w_real.npy'))).toFlat();
  const wi = (await readMatrix(join(out, 'w_imag.npy'))).toFlat();
  for (const [a, b] of fx.eigenvalues) {
    const d = Math.min(...Array.from(wr, (v, j) => Math.hypot(v - a, wi[j]! - b)));
    assert.ok(d < 1e-10, `eigenvalue ${a} + ${b}i`);
  }
  const freq = (await readMatrix(join(out, 'frequencies.npy'))).toFlat();
  assert.ok(maxDiff([...freq].sort((a, b) => a - b), [...fx.frequencies].sort((a, b) => a - b)) < 1e-9);
  const P = await readMatrix(join(out, 'predict.npy'));
  let d = 0;
  fx.predict.forEach((row, i) => row.forEach((v, j) => (d = Math.max(d, Math.abs(P.get(i, j) - v)))));
  assert.ok(d < 1e-9 * X.norm('max'));
  const m = await readMatrix(join(out, 'modes_imag.npy'));
  assert.deepEqual(m.shape, [6, 6]);
});

test('dmd errors: rank above the snapshots, above the numerical rank, one snapshot, bad --dt', async () => {
  const xPath = join(dir, 'small.npy');
  await writeMatrix(xPath, Matrix.from([[1, 2, 3, 4], [1, 2, 3, 4]]));
  assertFails(await run('dmd', xPath, '--rank', '3'), 2, /--rank must be at most min\(rows, snapshots - 1\) = 2 for this 2x4 matrix, got 3/);
  assertFails(await run('dmd', xPath, '--rank', '2'), 1, /rank 2 exceeds the numerical rank 1/);
  const one = join(dir, 'one.npy');
  await writeMatrix(one, Matrix.from([[1], [2]]));
  assertFails(await run('dmd', one), 1, /at least one row and two snapshots/);
  assertFails(await run('dmd', xPath, '--dt', '0'), 2, /--dt must be a number > 0, got '0'/);
});
