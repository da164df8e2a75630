/**
 * Smoke tests of examples/: each script runs as a child process (`node --import tsx`),
 * exits 0 and prints its key figure, so no example rots. The figures come from the seeds
 * the examples reproduce (seed 001 sections 13.2-13.3, seed 003) or from scikit-learn
 * (digits PCA), so a wrong number fails here.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runExample(name: string, args: string[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `examples/${name}`, ...args], { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function ok(name: string, args: string[] = []): Promise<string> {
  const r = await runExample(name, args);
  assert.equal(r.code, 0, `${name} exited with ${r.code}\n${r.stderr}`);
  return r.stdout;
}

/** The number after `label` in `text`. */
function figure(text: string, label: RegExp): number {
  const m = label.exec(text);
  assert.ok(m?.[1], `no match for ${label} in:\n${text}`);
  return Number(m[1]);
}

describe('examples', { concurrency: 2 }, () => {
  test('01 truncated-SVD recommender: the seed 001 section 13.2 RMSEs, minimum at the true rank', async () => {
    const out = await ok('01-truncated-svd-recommender.ts');
    const expected: [number, string][] = [[1, '0.312'], [2, '0.250'], [3, '0.312'], [5, '0.356'], [10, '0.395']];
    for (const [r, rmse] of expected) assert.match(out, new RegExp(`rank +${r}: held-out RMSE ${rmse.replace('.', '\\.')}`));
    assert.match(out, /bottoms out at rank 2 \(the true rank is 2\)/);
  });

  test('02 Funk SVD on the 6x5 table: train RMSE 0.115 and the predicted blanks of seed 001 section 13.3', async () => {
    const out = await ok('02-funk-svd-table.ts');
    assert.match(out, /train RMSE on the 19 observed entries: 0\.115/);
    assert.match(out, /cols 2, 4\) predicted: 0\.78, 2\.27/);
    assert.match(out, /^ 1\.1  0\.9  5\.7\* 4\.9  6\.3\*$/m); // row 2 of the seed's printed matrix
    const funk = figure(out, /FunkSVD estimator .*train RMSE (\d+\.\d+)/);
    assert.ok(funk < 0.3, `FunkSVD train RMSE ${funk}`);
  });

  test('03 rating prediction: 3.9 (seed 001) and 0.34 (seed 003)', async () => {
    const out = await ok('03-rating-prediction.ts');
    assert.match(out, /predict\('alice', 'film'\) = 3\.90/);
    assert.match(out, /baseline mu \+ b_i = 3\.60/);
    assert.match(out, /User 1, Movie 2: .* = 0\.34/);
  });

  test('04 scree and energy: sigma = (6, 3, 2, 1) keeps 90% at rank 2; the photograph\'s spectrum', async () => {
    const out = await ok('04-scree-energy.ts');
    assert.match(out, /cumulative energy: 72%, 90%, 98%, 100%/);
    assert.match(out, /90% of the energy needs rank 2: it keeps 90\.0%; \|\|A - A_2\|\|_F = 2\.2361/);
    const k99 = figure(out, /rank for 99\.0% of the energy: (\d+)/);
    assert.ok(k99 > 5 && k99 < 100, `camera rank for 99% energy: ${k99}`);
    const psnr10 = figure(out, /rank-10 picture: PSNR (\d+\.\d+) dB/);
    const psnr50 = figure(out, /rank-50 picture: PSNR (\d+\.\d+) dB/);
    assert.ok(psnr50 > psnr10 + 3, `PSNR ${psnr10} (k 10) -> ${psnr50} (k 50)`);
  });

  test('05 NMF: the 6 strokes recovered as parts; topics of the State of the Union corpus', async () => {
    const out = await ok('05-nmf-parts-and-topics.ts');
    const worst = figure(out, /every stroke recovered: smallest cosine (\d\.\d+), 6 distinct parts/);
    assert.ok(worst > 0.99, `smallest cosine ${worst}`);
    const e6 = figure(out, /NMF k = 6: relative error (\d\.\d+)/);
    const e3 = figure(out, /NMF k = 3 .*relative error (\d\.\d+)/);
    assert.ok(e6 < 0.01 && e3 > 0.1, `errors ${e6} (k 6), ${e3} (k 3)`);
    assert.equal((out.match(/^ {2}topic \d: (\S+ ){7}\S+$/gm) ?? []).length, 8);
  });

  test('06 PCA of the digits: scikit-learn explained-variance ratios and k for 90% / 95%', async () => {
    const out = await ok('06-pca.ts');
    assert.match(out, /^ 1 +179\.01 +0\.1489 +0\.1489$/m);
    assert.match(out, /^ 2 +163\.72 +0\.1362 +0\.2851$/m);
    assert.match(out, /components for 90% of the variance: 21/);
    assert.match(out, /components for 95% of the variance: 29/);
  });

  test('07 recommender on MovieLens-shaped data (quick size): every model beats the global mean, top-N printed', async () => {
    const out = await ok('07-recommender-real-data.ts', ['--quick']);
    const meanRmse = figure(out, /^global mean +(\d+\.\d+)/m);
    const baseline = figure(out, /^Baseline .* s +(\d+\.\d+)/m);
    const als = figure(out, /^ALS .* s +(\d+\.\d+)/m);
    assert.ok(baseline < meanRmse - 0.1, `Baseline ${baseline} vs mean ${meanRmse}`);
    assert.ok(als < baseline, `ALS ${als} vs Baseline ${baseline}`);
    assert.equal((out.match(/^ {2}item \S+ +predicted [1-5]\.\d\d$/gm) ?? []).length, 5);
  });

  test('08 low-rank power matches the exact power; principal angles 0 and 30 degrees', async () => {
    const out = await ok('08-power-and-angles.ts');
    const err = figure(out, /low-rank power .* relative error (\S+)/);
    assert.ok(err < 1e-12, `relative error ${err}`);
    assert.match(out, /tilted 30deg about e1: 0\.00, 30\.00 degrees/);
    const same = figure(out, /two halves of the data: .*sum of sines (\d+\.\d+)/);
    const rand = figure(out, /two random 3-dim .*sum of sines (\d+\.\d+)/);
    assert.ok(same < 0.3 && rand > 2, `sum of sines ${same} (halves), ${rand} (random)`);
  });

  test('09 SSA of the monthly US births: trend, period-12 and period-6 pairs, forecasts beat the seasonal naive one', async () => {
    const out = await ok('09-ssa-births.ts');
    assert.match(out, /^ 2 +20600 +0\.046% +11\.9$/m);
    assert.match(out, /^ 4 +12504 +0\.017% +6\.0$/m);
    assert.match(out, /peak in Aug /);
    // numpy's dense SSA of the same series gives RMSE 177.8 (recurrent) and 176.0 (vector).
    assert.match(out, /SSA recurrent +RMSE 177\.8 /);
    assert.match(out, /SSA vector +RMSE 176\.0 /);
    const naive = figure(out, /seasonal naive +RMSE (\d+\.\d)/);
    assert.ok(naive > 300, `seasonal naive RMSE ${naive}`);
  });

  test('10 compress a model: the MLP scores as numpy trained it, ranks as numpy, data-aware beats plain SVD on outputs, the file runs', async () => {
    const out = await ok('10-compress-a-model.ts');
    // numpy (scripts/train-digits-mlp.py) measured 335/360 with the same weights.
    assert.match(out, /test accuracy of the trained model: 93\.06% on 360 held-out digits \(metadata says 93\.06%\)/);
    // The training script's numpy ranks for 90% energy: 23, 28, 8.
    assert.match(out, /^fc1\.weight +128x64 +9\.20 +23 +38 +64$/m);
    assert.match(out, /^fc2\.weight +128x128 +7\.59 +28 +64 +128$/m);
    const rows = [...out.matchAll(/^ +(\d+) +\d+ +(\d\.\d{4}) +\d+\.\d\d% +(\d\.\d{4}) +\d+\.\d\d%$/gm)];
    assert.equal(rows.length, 5);
    for (const [, r, plain, aware] of rows) assert.ok(Number(aware) < Number(plain), `rank ${r}: data-aware ${aware} vs plain ${plain}`);
    const at90 = figure(out, /^ +90% .* (\d+\.\d\d)%$/m);
    assert.equal(figure(out, /test accuracy run from the file: (\d+\.\d\d)%/), at90);
  });

  test('11 Tucker of a colour photo and a panning video: beats per-channel and per-frame SVD at equal storage; HOOI <= HOSVD', async () => {
    const out = await ok('11-tucker-image-stack.ts');
    // Each line: per-channel SVD storage and PSNR, then Tucker's at no more storage.
    for (const k of [10, 20, 50]) {
      const m = new RegExp(`^ +${k} +([\\d.]+)% +([\\d.]+) dB +\\[[\\d, ]+\\] +([\\d.]+)% +([\\d.]+) dB`, 'm').exec(out);
      assert.ok(m, `no line for rank ${k} in:\n${out}`);
      const [svdStore, svdPsnr, tkStore, tkPsnr] = m.slice(1).map(Number);
      assert.ok(tkStore! <= svdStore! && tkPsnr! > svdPsnr! + 2, `rank ${k}: SVD ${svdPsnr} dB at ${svdStore}%, Tucker ${tkPsnr} dB at ${tkStore}%`);
    }
    const hosvd = figure(out, /hosvd +relative error (\d\.\d+)/);
    const hooi = figure(out, /hooi +relative error (\d\.\d+)/);
    assert.ok(hooi <= hosvd, `HOOI ${hooi} > HOSVD ${hosvd}`);
    const tk = figure(out, /hooi +relative error [\d.]+, PSNR (\d+\.\d+) dB/);
    const frames = figure(out, /each frame and channel by SVD, .*PSNR (\d+\.\d+) dB/);
    assert.ok(tk > frames + 1, `video: Tucker ${tk} dB, per-frame SVD ${frames} dB`);
  });

  test('12 quantics TT: exp rank 1, sin rank 2, a quadratic rank 3 on 2^20 points; TT-cross on 2^40 points with grid means as Simpson', async () => {
    const out = await ok('12-quantics-tt.ts');
    assert.match(out, /^exp\(-3x\) +1e-10 +1 +40 /m);
    assert.match(out, /^sin\(100 pi x \+ 0\.3\) +1e-10 +2 +140 /m);
    assert.match(out, /^1 \+ x - 2x\^2 +1e-10 +3 /m);
    const svdRows = [...out.matchAll(/^.{22}(1e-10|1e-6) +\d+ +\d+ +\d+x +(\S+)$/gm)];
    assert.equal(svdRows.length, 10);
    for (const m of svdRows) assert.ok(Number(m[2]) <= Number(m[1]), `error ${m[2]} above eps ${m[1]}`);
    const cross = [...out.matchAll(/^(.{22})(\d+) +(\d+) +(\S+) +(\S+)$/gm)].filter((m) => !/^function/.test(m[1]!));
    assert.equal(cross.length, 5);
    for (const [, name, rank, evals, worst, gap] of cross) {
      assert.ok(Number(rank) <= 10 && Number(evals) < 20000, `${name}: rank ${rank}, ${evals} evaluations`);
      assert.ok(Number(worst) < 1e-9 && Math.abs(Number(gap)) < 1e-10, `${name}: max error ${worst}, integral gap ${gap}`);
    }
  });

  test('13 entanglement: GHZ 1 bit per cut, W the binary entropy, the Ising ground states by TT-SVD as by direct SVD', async () => {
    const out = await ok('13-entanglement.ts');
    assert.match(out, /^ {5}S = (1\.000 ){14}1\.000$/m);
    const w = /^W .*\n {5}S = (.+)\n {5}binary entropy of k\/n: (.+)$/m.exec(out);
    assert.ok(w && w[1] === w[2], 'W entropies equal the binary entropy of k/n');
    const mps = /random MPS .*\n {5}S = ([\d. ]+) /.exec(out);
    assert.ok(mps && mps[1]!.trim().split(' ').every((x) => Number(x) <= 2), 'random MPS entropies <= 2 bits');
    const ising = [...out.matchAll(/^ +(\d\.\d) +(-\d+\.\d+) +([\d,]+) +\d+ +(\d\.\d+) +(\d\.\d+)$/gm)];
    assert.equal(ising.length, 3);
    for (const [, g, , , S, direct] of ising) assert.equal(S, direct, `g = ${g}`);
    const [ordered, critical, para] = ising.map((m) => ({ S: Number(m[4]), r: Math.max(...m[3]!.split(',').map(Number)) }));
    assert.ok(Math.abs(ordered!.S - 1) < 0.05 && para!.S < 0.2, `S ${ordered!.S}, ${para!.S}`);
    assert.ok(critical!.r > ordered!.r && critical!.r > para!.r, 'the critical chain needs the largest ranks');
  });

  test('14 extract a LoRA: the accuracies numpy measured for the fine-tune, errors falling with the rank, the PEFT folder merges as the adapter', async () => {
    const out = await ok('14-extract-a-lora.ts');
    // scripts/gen-lora-fixtures.py (numpy) measured 58.89% -> 92.22% on the shifted digits.
    assert.match(out, /^base: +93\.06% on the held-out digits, 58\.89% on the same digits shifted/m);
    assert.match(out, /^tuned: 65\.56% on the held-out digits, 92\.22% shifted/m);
    const rows = [...out.matchAll(/^ +(\d+) +(\d+) +(\d\.\d{4}) +(\d+\.\d\d)% +(\d+\.\d\d)%$/gm)].map((m) => m.slice(1).map(Number));
    assert.deepEqual(rows.map((r) => r[0]), [1, 2, 4, 8, 16, 32, 64]);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i]![2]! < rows[i - 1]![2]!, 'the error falls with the rank');
    const r8 = rows.find((r) => r[0] === 8)!;
    assert.ok(r8[3]! >= 90, `rank 8 shifted accuracy ${r8[3]}`);
    assert.equal(figure(out, /merged from the files: (\d+\.\d\d)% on shifted digits/), r8[3]);
    assert.match(out, /target_modules \["fc1","fc2","fc3"\], bias none/);
  });

  test('15 KV cache and embedding dimensions: full rank is exact, errors fall with the rank, the PCA prefix beats a random projection', async () => {
    const out = await ok('15-kv-cache.ts');
    assert.match(out, /^word vectors: 2793 words x 100 dimensions/m);
    const kv = [...out.matchAll(/^ +(\d+) +(-?\d+\.\d)% +(\d\.\d{4}) +(\d\.\d{4}) +(\d\.\d{4}) +(\d\.\d{4})$/gm)].map((m) => m.slice(1).map(Number));
    assert.deepEqual(kv.map((r) => r[0]), [4, 8, 16, 24, 32, 48, 64]);
    for (let i = 1; i < kv.length; i++) for (const c of [2, 3, 4, 5]) assert.ok(kv[i]![c]! <= kv[i - 1]![c]!, `column ${c} falls with the rank`);
    assert.deepEqual(kv.at(-1)!.slice(2), [0, 0, 0, 0]);
    assert.equal(kv.find((r) => r[0] === 32)![1], 43.8); // 1 - (512 + 64) * 64 / (2 * 512 * 64)
    const emb = [...out.matchAll(/^ +(\d+) +(\d+\.\d)% +(\d\.\d{3}) +(\d\.\d{3}) +(\d\.\d{3})$/gm)].map((m) => m.slice(1).map(Number));
    assert.deepEqual(emb.map((r) => r[0]), [8, 16, 32, 48, 64, 100]);
    for (const r of emb.slice(0, -1)) assert.ok(r[2]! > r[4]!, `d ${r[0]}: PCA ${r[2]} vs random ${r[4]}`);
    assert.deepEqual(emb.at(-1)!.slice(3), [1, 1]);
  });

  test('16 balanced truncation of a mass-spring-damper chain: the error on the grid under the a-priori bound, falling with the order; a balanced, stable reduced model', async () => {
    const out = await ok('16-balanced-truncation.ts');
    assert.match(out, /^50 masses, 100 states; slowest mode -0\.006\d* \+- 0\.023\d*i/m);
    const rows = [...out.matchAll(/^ +(\d+) +(\d\.\d\de[+-]\d+) +(\d\.\de[+-]\d+) +(\d\.\d\de[+-]\d+) +\d+ ms$/gm)].map((m) => m.slice(1).map(Number));
    assert.deepEqual(rows.map((r) => r[0]), [4, 8, 12, 16, 20, 24, 30]);
    for (const [r, err, , bound] of rows) assert.ok(err! <= bound!, `order ${r}: error ${err} above the bound ${bound}`);
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i]![1]! < rows[i - 1]![1]!, 'the error falls with the order');
    assert.ok(rows.find((r) => r[0] === 20)![2]! < 2e-3, 'order 20 within 0.2% of the peak');
    const off = figure(out, /stable true; its Gramians equal diag\(s_1\.\.s_20\) to (\S+) /);
    assert.ok(off < 1e-10, `Gramians of the reduced model off diag(hsv) by ${off}`);
  });

  test('17 spectral clustering of the State of the Union words: 12 groups, a zero Laplacian eigenvalue, small residuals, the stationary distribution = degree / total', async () => {
    const out = await ok('17-spectral-clustering.ts');
    const groups = [...out.matchAll(/^ +group +\d+ \((\d+) words\)/gm)].map((m) => Number(m[1]));
    assert.equal(groups.length, 12);
    assert.equal(groups.reduce((a, b) => a + b, 0), 1500, 'every word in one group');
    const sa = out.match(/eigsh\(L, 3, 'SA'\): (\S+), .* largest residual (\S+)\)/);
    assert.ok(sa, 'the eigsh line');
    assert.ok(Math.abs(Number(sa[1]!.replace(/,$/, ''))) < 1e-6, `smallest Laplacian eigenvalue ${sa[1]}`);
    assert.ok(Number(sa[2]) < 1e-8, `residual ${sa[2]}`);
    const pi = figure(out, /= degree \/ total to (\S+) relative/);
    assert.ok(pi < 1e-10, `stationary distribution off degree / total by ${pi}`);
  });
});

test('every example in examples/ has a smoke test above', () => {
  const source = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  const examples = readdirSync(`${root}examples`).filter((f) => f.endsWith('.ts'));
  assert.ok(examples.length >= 8, `${examples.length} examples`);
  for (const f of examples) assert.ok(source.includes(`ok('${f}'`), `examples/${f} has no smoke test`);
});
