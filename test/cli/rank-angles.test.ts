import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeMatrix } from '../../src/io/format.js';
import { matmul } from '../../src/linalg/matmul.js';
import { qr } from '../../src/linalg/qr.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { assertFails, json, run } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-rank-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Rank 3 with singular values 40, 30, 20, plus noise 0.01: every rule says 3 (rank 2 keeps
// 2500 of 2900 units of energy, 86%).
const m = 40;
const n = 25;
const Q1 = qr(Matrix.random(m, 3, { seed: 1, distribution: 'normal' })).Q;
const Q2 = qr(Matrix.random(n, 3, { seed: 2, distribution: 'normal' })).Q;
const A = matmul(matmul(Q1, Matrix.diag([40, 30, 20])), Q2.T).add(Matrix.random(m, n, { seed: 3, distribution: 'normal' }).scale(0.01));
const aPath = join(dir, 'A.npy');
await writeMatrix(aPath, A);
const nanPath = join(dir, 'nan.csv');
await writeMatrix(nanPath, Matrix.from([[1, NaN], [0, 1]]));

test('rank --json: sigma, energy, cumulative energy and every rule', async () => {
  const r = json(await run('rank', aPath, '--json'));
  assert.deepEqual(r.shape, [m, n]);
  const sigma = r.sigma as number[];
  assert.equal(sigma.length, n);
  assert.ok(Math.abs(sigma[0]! - 40) < 0.1 && Math.abs(sigma[2]! - 20) < 0.1);
  const cum = r.cumulativeEnergy as number[];
  assert.ok(Math.abs(cum[n - 1]! - 1) < 1e-15);
  assert.ok(Math.abs((r.energy as number[])[1]! - sigma[1]! ** 2) < 1e-9);
  const rules = r.rules as Record<string, { k: number }>;
  assert.deepEqual(Object.keys(rules).sort(), ['aic', 'elbow', 'energy', 'gap', 'gavishDonoho']);
  for (const name of ['energy', 'aic', 'gap', 'gavishDonoho']) assert.equal(rules[name]!.k, 3, name);
  assert.ok(rules.elbow!.k >= 1 && rules.elbow!.k <= 3);
  assert.equal(r.plot, null);
  const e = json(await run('rank', aPath, '--json', '--energy', '60%', '--noise-sigma', '0.01'));
  const er = e.rules as Record<string, { k: number; target?: number; noiseKnown?: boolean; threshold?: number }>;
  assert.equal(er.energy!.k, 2); // rank 1 keeps 1600 / 2900 = 55%
  assert.equal(er.energy!.target, 0.6);
  assert.equal(er.gavishDonoho!.noiseKnown, true);
  assert.ok(Math.abs(er.gavishDonoho!.threshold! - (4 / Math.sqrt(3)) * Math.sqrt(m) * 0.01 * Math.sqrt(1 - 0) * optimalRatio()) < 1e-9);
});

/** lambda*(beta) / lambda*(1) scaling for beta = 25 / 40 is folded into the expected threshold. */
function optimalRatio(): number {
  const beta = n / m;
  const lam = Math.sqrt(2 * (beta + 1) + (8 * beta) / (beta + 1 + Math.sqrt(beta * beta + 14 * beta + 1)));
  return lam / (4 / Math.sqrt(3));
}

test('rank prints the table and the suggested ranks', async () => {
  const r = await run('rank', aPath, '--rows', '5');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^rank: .*A\.npy 40x25 float64, 25 singular values/);
  assert.match(r.out, /k\s+sigma\s+energy\s+share\s+cumulative/);
  assert.match(r.out, /\.\.\. 20 more/);
  for (const rule of ['energy 90%', 'elbow', 'AIC', 'gap', 'Gavish-Donoho']) assert.match(r.out, new RegExp(`\\n  ${rule}\\s+\\d+ `));
});

test('rank --plot writes a well-formed SVG scree plot with bars, a polyline and the marks', async () => {
  const svgPath = join(dir, 'scree.svg');
  const r = json(await run('rank', aPath, '--plot', svgPath, '--json'));
  assert.equal(r.plot, svgPath);
  const svg = readFileSync(svgPath, 'utf8');
  assert.match(svg, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  // Crude well-formedness: every opened element is closed in order.
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (self) continue;
    if (close) assert.equal(stack.pop(), name, `closing </${name}>`);
    else stack.push(name!);
  }
  assert.deepEqual(stack, []);
  assert.doesNotMatch(svg.replace(/&(amp|lt|gt|quot);/g, ''), /&/);
  const bars = svg.slice(svg.indexOf('<g class="bars"'), svg.indexOf('</g>', svg.indexOf('<g class="bars"')));
  assert.equal((bars.match(/<rect /g) ?? []).length, n);
  const poly = /<polyline class="cumulative" points="([^"]+)"/.exec(svg);
  assert.ok(poly);
  assert.equal(poly[1]!.trim().split(/\s+/).length, n + 1);
  assert.match(svg, />k=3: energy 90%, [^<]*AIC, gap, Gavish-Donoho</);
  assert.match(svg, /cumulative energy retained/);
  assert.match(svg, /energy per component/);
});

test('rank: bad options exit 2, bad data exits 1', async () => {
  assertFails(await run('rank', aPath, '--energy', '1.5'), 2, /--energy must be a fraction/);
  assertFails(await run('rank', aPath, '--noise-sigma', '-1'), 2, /--noise-sigma/);
  assertFails(await run('rank', aPath, '--plot', join(dir, 'x.png')), 2, /must end in \.svg/);
  assertFails(await run('rank', aPath, '--gap', 'huge'), 2, /gap/);
  assertFails(await run('rank', join(dir, 'missing.npy')), 1, /no such file/);
  // Named after the file and the entry, before the SVD sees it.
  assertFails(await run('rank', nanPath), 1, new RegExp(`^lowrank: ${nanPath}: holds NaN at row 0, column 1 \\(0-based\\); this command needs finite numbers`));
});

test('rank and angles: JSON says whether a text file had a header row; --header picks it', async () => {
  const named = join(dir, 'named.csv');
  await writeMatrix(named, A, { header: Array.from({ length: n }, (_, j) => `c${j}`) });
  const r = json(await run('rank', named, '--json'));
  assert.deepEqual([r.header, r.shape], [true, [m, n]]);
  assert.equal(json(await run('rank', aPath, '--json')).header, false);
  assertFails(await run('rank', named, '--header', 'no'), 1, /named\.csv:1: column 1: 'c0' is not a number/);
  const ang = json(await run('angles', named, aPath, '--json'));
  assert.deepEqual(ang.headers, [true, false]);
  const inf = join(dir, 'inf.npy');
  await writeMatrix(inf, Matrix.from([[1, 0], [0, Infinity], [0, 0]]));
  assertFails(await run('angles', named, inf), 1, new RegExp(`${inf}: holds Infinity at row 1, column 1 \\(0-based\\)`));
});

test('angles between two subspaces: degrees, radians and distances', async () => {
  const t = 0.25;
  const U1 = Matrix.zeros(5, 2);
  U1.set(0, 0, 1).set(1, 1, 1);
  const U2 = Matrix.zeros(5, 2);
  U2.set(0, 0, 2).set(1, 1, Math.cos(t)).set(3, 1, Math.sin(t));
  const p1 = join(dir, 'U1.npy');
  const p2 = join(dir, 'U2.csv');
  await writeMatrix(p1, U1);
  await writeMatrix(p2, U2);
  const r = json(await run('angles', p1, p2, '--json'));
  const rad = r.radians as number[];
  assert.ok(Math.abs(rad[0]!) < 1e-15 && Math.abs(rad[1]! - t) < 1e-15);
  assert.ok(Math.abs((r.degrees as number[])[1]! - (t * 180) / Math.PI) < 1e-12);
  const d = r.distances as Record<string, number>;
  assert.ok(Math.abs(d.projection! - Math.sin(t)) < 1e-15);
  assert.ok(Math.abs(d.geodesic! - t) < 1e-15);
  const h = await run('angles', p1, p2);
  assert.equal(h.code, 0, h.err);
  assert.match(h.out, /dim 2\) and span\(.*\) \(dim 2\) in R\^5/);
  assert.match(h.out, /\n\s*2\s+14\.3239\s+0\.25\s/);
  assert.match(h.out, /projection\s+0\.247404/);
  // A 1-D vector file is one column.
  const v = join(dir, 'v.npy');
  await writeMatrix(v, Matrix.fromArray([1, 0, 0, 0, 0], 1, 5));
  const rv = json(await run('angles', v, p2, '--json'));
  assert.equal(rv.dimA, 1);
  assertFails(await run('angles', p1, join(dir, 'A.npy')), 1, /same space|rows/);
});
