/**
 * `lowrank eigsh`, `lowrank spectral` and `lowrank stationary`: the contract files (names,
 * shapes, values against the scipy / numpy fixtures of scripts/gen-graph-fixtures.py), and
 * the errors: a matrix that is not symmetric (eigsh) or not stochastic (stationary), an
 * empty graph (exit 1, one line each); bad flags (exit 2).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readMatrix } from '../../src/io/format.js';
import { parseNpy } from '../../src/io/npy-codec.js';
import { adjustedRandIndex } from '../../src/models/graph/spectral.js';
import { rng } from '../../src/random.js';
import { assertFails, json, run } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-graph-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const fixtures = new URL('../fixtures/graph/', import.meta.url).pathname;
const fx = <T>(name: string): T => JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as T;

function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / s;
}

/** A Matrix Market file of a planted-partition graph (3 communities of 60) and its truth. */
function plantedFile(): { path: string; truth: number[] } {
  const r = rng(3);
  const truth = Array.from({ length: 180 }, (_, i) => Math.floor(i / 60));
  const lines: string[] = [];
  for (let i = 0; i < 180; i++) {
    for (let j = 0; j < i; j++) if (r.nextDouble() < (truth[i] === truth[j] ? 0.3 : 0.01)) lines.push(`${i + 1} ${j + 1} 1`);
  }
  const path = join(dir, 'planted.mtx');
  writeFileSync(path, `%%MatrixMarket matrix coordinate real symmetric\n180 180 ${lines.length}\n${lines.join('\n')}\n`);
  return { path, truth };
}

test('eigsh A.mtx -k 6 --which SA --out DIR: w.npy ascending (scipy values), V.npy n x k', async () => {
  const cases = fx<{ cases: { file: string; k: number; which: string; sigma?: number; w: number[] }[] }>('eigsh.json').cases;
  const c = cases.find((x) => x.file === 'grid-laplacian-20x15.mtx' && x.which === 'SA')!;
  const out = join(dir, 'eigsh');
  const r = await run('eigsh', join(fixtures, c.file), '-k', String(c.k), '--which', 'SA', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^eigsh: 300x300 float64 in .* method lanczos, which SA, restarts \d+, matvecs \d+, max_residual .*nnz 1430/);
  assert.match(r.out, /w\.npy +\(5,\) +->/);
  assert.match(r.out, /V\.npy +300x5 +->/);
  const w = parseNpy(readFileSync(join(out, 'w.npy')));
  assert.deepEqual(w.shape, [5]);
  assert.ok(maxRel(w.matrix.data, c.w) < 1e-10, `${Array.from(w.matrix.data)} vs ${c.w}`);
  const V = await readMatrix(join(out, 'V.npy'));
  assert.deepEqual(V.shape, [300, 5]);
  // Shift-invert and --json.
  const si = cases.find((x) => x.sigma !== undefined && x.file === 'sym-600.mtx')!;
  const j = json(await run('eigsh', join(fixtures, si.file), '-k', String(si.k), '--sigma', String(si.sigma), '--json', '--out', join(dir, 'si')));
  assert.deepEqual(j.factors, { w: [4], V: [600, 4] });
  assert.equal(j.sigma, si.sigma);
  assert.ok(maxRel(parseNpy(readFileSync(join(dir, 'si', 'w.npy'))).matrix.data, si.w) < 1e-10);
});

test('spectral graph.mtx --clusters 3 --out DIR: labels.npy (int) recover the planted communities, embedding.npy n x 3', async () => {
  const { path, truth } = plantedFile();
  const out = join(dir, 'spectral');
  const r = await run('spectral', path, '--clusters', '3', '--out', out);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^spectral: 180x180 float64 in .* clusters 3, sizes \d+ \d+ \d+, components 1, eigenvalues 0 /);
  const labels = parseNpy(readFileSync(join(out, 'labels.npy')));
  assert.deepEqual(labels.shape, [180]);
  assert.ok(adjustedRandIndex(truth, Array.from(labels.matrix.data)) > 0.95);
  const E = await readMatrix(join(out, 'embedding.npy'));
  assert.deepEqual(E.shape, [180, 3]);
  for (let i = 0; i < 180; i++) assert.ok(Math.abs(E.get(i, 0) ** 2 + E.get(i, 1) ** 2 + E.get(i, 2) ** 2 - 1) < 1e-12, 'rows of unit length');
});

test('stationary P.mtx --out DIR: pi.npy equal to numpy (periodic and transient-state chains too)', async () => {
  const want = fx<Record<string, { pi: number[]; period: number }>>('stationary.json');
  for (const [file, f] of Object.entries(want)) {
    const out = join(dir, `st-${file}`);
    const r = await run('stationary', join(fixtures, file), '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`^stationary: .* method direct, period ${f.period}, transient_states \\d+, residual`));
    const pi = parseNpy(readFileSync(join(out, 'pi.npy')));
    assert.deepEqual(pi.shape, [f.pi.length]);
    assert.ok(maxRel(pi.matrix.data, f.pi) < 1e-10, file);
  }
  const j = json(await run('stationary', join(fixtures, 'chain-300.mtx'), '--method', 'arnoldi', '--json'));
  assert.equal(j.method, 'arnoldi');
});

test('errors: not symmetric (eigsh, spectral), not stochastic and reducible (stationary), empty graph: exit 1, one line; bad flags: exit 2', async () => {
  const asym = join(dir, 'asym.mtx');
  writeFileSync(asym, '%%MatrixMarket matrix coordinate real general\n3 3 2\n1 2 1\n3 3 2\n');
  assertFails(await run('eigsh', asym, '-k', '1', '--out', join(dir, 'x')), 1, /eigsh: A is not symmetric: A\[0, 1\] = 1 but A\[1, 0\] = 0/);
  assertFails(await run('spectral', asym, '--clusters', '2'), 1, /not symmetric.*undirected/);
  assertFails(await run('stationary', asym), 1, /not stochastic: row 0 sums to 1.*|not stochastic: row 1 sums to 0/);
  assertFails(await run('stationary', join(fixtures, 'chain-reducible-6.mtx')), 1, /reducible with 2 closed classes \(\{0, 1, 2\}, \{3, 4\}\)/);
  const empty = join(dir, 'empty.mtx');
  writeFileSync(empty, '%%MatrixMarket matrix coordinate real general\n4 4 0\n');
  assertFails(await run('spectral', empty, '--clusters', '2'), 1, /the graph has no edges/);
  const none = join(dir, 'none.mtx');
  writeFileSync(none, '%%MatrixMarket matrix coordinate real general\n0 0 0\n');
  assertFails(await run('spectral', none, '--clusters', '1'), 1, /the graph is empty/);
  assertFails(await run('eigsh', join(fixtures, 'sym-600.mtx'), '-k', '601'), 2, /-k must be at most the order n = 600/);
  assertFails(await run('eigsh', join(fixtures, 'sym-600.mtx'), '--which', 'XX'), 2, /--which/);
  assertFails(await run('spectral', join(fixtures, 'sym-600.mtx')), 2, /--clusters/);
  assertFails(await run('stationary', join(fixtures, 'chain-300.mtx'), '--tol', '2'), 2, /--tol must be a number in \(0, 1\)/);
});
