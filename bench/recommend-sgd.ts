// SGD recommenders: FunkSVD speed (rating updates per second, 1 and 2 threads) against a
// numba-compiled loop of the same algorithm (bench/ref/sgd_numba.py, /tmp/skl-venv or
// $NUMBA_PYTHON) run in the same invocation, and held-out RMSE of global mean, Baseline,
// FunkSVD, SVDpp (ours) and numba's FunkSVD on one 80/20 split of a MovieLens-1M-sized
// synthetic set (6040 users, 3706 items, 1M ratings, planted rank 10, noise 0.5).
// `--netflix`: also the memory benchmark, 100M ratings (480,189 users x 17,770 items),
// FunkSVD for a few epochs on 2 threads, with peak RSS (must stay under 4 GiB).
// Timings on this shared 2-core VM are noisy: speeds are the best of `--repeats` (default 3) fits.
// Usage: npx tsx bench/recommend-sgd.ts [--quick] [--repeats 3] [--epochs 20] [--netflix | --netflix-only] [--netflix-epochs 3]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernels } from '../src/kernels/index.js';
import { Baseline } from '../src/models/recommend/algorithms/baseline.js';
import { FunkSVD } from '../src/models/recommend/algorithms/funk-svd.js';
import { rmse } from '../src/models/recommend/evaluation/metrics.js';
import type { LatentFactorModel } from '../src/models/recommend/model/latent-factor-model.js';
import type { Ratings } from '../src/models/recommend/data/ratings.js';
import { randomSplit } from '../src/models/recommend/data/split.js';
import { SVDpp } from '../src/models/recommend/algorithms/svdpp.js';
import { syntheticRatings } from '../src/models/recommend/data/synthetic.js';
import { machine, table } from './util.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const quick = args.includes('--quick'); // one repeat of 5 epochs
const repeats = opt('--repeats', quick ? 1 : 3);
const epochs = opt('--epochs', quick ? 5 : 20);
const here = new URL('.', import.meta.url).pathname;
const python = process.env.NUMBA_PYTHON ?? '/tmp/skl-venv/bin/python';

function heldOut(m: LatentFactorModel, test: Ratings): number {
  return rmse(m.predictRatings(test), test.values);
}

function writeSplit(dir: string, train: Ratings, test: Ratings): void {
  const raw = (a: Int32Array | Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  writeFileSync(join(dir, 'train_u.i32'), raw(train.users));
  writeFileSync(join(dir, 'train_i.i32'), raw(train.items));
  writeFileSync(join(dir, 'train_r.f32'), raw(train.values));
  writeFileSync(join(dir, 'test_u.i32'), raw(test.users));
  writeFileSync(join(dir, 'test_i.i32'), raw(test.items));
  writeFileSync(join(dir, 'test_r.f32'), raw(test.values));
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ nUsers: train.nUsers, nItems: train.nItems }));
}

function numba(dir: string, f: number, ep: number, lr: number, reg: number): { seconds: number; updates_per_s: number; rmse: number } | undefined {
  if (!existsSync(python)) {
    console.error(`numba reference skipped: ${python} not found (set NUMBA_PYTHON)`);
    return undefined;
  }
  const r = spawnSync(python, [join(here, 'ref', 'sgd_numba.py'), dir, String(f), String(ep), String(lr), String(reg), String(repeats)], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`numba reference failed: ${r.stderr}`);
    return undefined;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

/** Best wall time of `repeats` fits, and the last model. */
function timeFit(fit: () => LatentFactorModel): { seconds: number; model: LatentFactorModel } {
  let best = Infinity;
  let model: LatentFactorModel | undefined;
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    model = fit();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { seconds: best, model: model! };
}

function movielensSized(): void {
  console.log(`\n## FunkSVD speed and held-out RMSE, MovieLens-1M-sized synthetic set\n\n${machine()}, backend ${kernels().name}; best of ${repeats} fits, ${epochs} epochs, 100 factors, lr 0.005, reg 0.02 (Surprise's SVD defaults).\n`);
  const ratings = syntheticRatings({ users: 6040, items: 3706, ratings: 1_000_000, rank: 10, seed: 1 });
  const [train, test] = randomSplit(ratings, { test: 0.2, seed: 1 });
  const updates = train.size * epochs;
  const f1 = timeFit(() => new FunkSVD({ epochs, threads: 1, seed: 1 }).fit(train));
  const f2 = timeFit(() => new FunkSVD({ epochs, threads: 2, seed: 1 }).fit(train));
  const dir = mkdtempSync(join(tmpdir(), 'lowrank-sgd-'));
  let ref;
  try {
    writeSplit(dir, train, test);
    ref = numba(dir, 100, epochs, 0.005, 0.02);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rows: (string | number)[][] = [
    ['lowrank FunkSVD, 1 thread', f1.seconds, (updates / f1.seconds) / 1e6, ref ? ref.seconds / f1.seconds : '-'],
    ['lowrank FunkSVD, 2 threads (LIBMF blocks)', f2.seconds, (updates / f2.seconds) / 1e6, ref ? ref.seconds / f2.seconds : '-'],
  ];
  if (ref) rows.push(['numba (fastmath, f32), 1 thread', ref.seconds, ref.updates_per_s / 1e6, 1]);
  console.log(table(['fit', 'seconds', 'M updates/s', 'speed-up vs numba'], rows));

  let mu = 0;
  for (const v of train.values) mu += v;
  mu /= train.size;
  const base = new Baseline().fit(train);
  const pp = timeFit(() => new SVDpp({ seed: 1 }).fit(train));
  const acc: (string | number)[][] = [
    ['global mean', rmse(new Float32Array(test.size).fill(mu), test.values).toFixed(4), '-'],
    ['Baseline (ALS, reg_u 15, reg_i 10, 10 epochs)', heldOut(base, test).toFixed(4), '-'],
    ['FunkSVD 1 thread (100 f, 20 epochs)', heldOut(f1.model, test).toFixed(4), f1.seconds],
    ['FunkSVD 2 threads', heldOut(f2.model, test).toFixed(4), f2.seconds],
    ['SVDpp (20 f, 20 epochs, lr 0.007)', heldOut(pp.model, test).toFixed(4), pp.seconds],
  ];
  if (ref) acc.push(['numba FunkSVD (same hyperparameters)', ref.rmse.toFixed(4), ref.seconds]);
  console.log(`\nHeld-out RMSE, 80/20 random split (${train.size} train / ${test.size} test ratings):\n`);
  console.log(table(['model', 'RMSE', 'fit seconds'], acc));
}

function netflix(): void {
  const ep = opt('--netflix-epochs', 3);
  console.log(`\n## Memory: 100M ratings (Netflix Prize scale), FunkSVD 100 factors, ${ep} epochs, 2 threads\n`);
  let t0 = performance.now();
  const ratings = syntheticRatings({ users: 480_189, items: 17_770, ratings: 100_000_000, rank: 10, seed: 2 });
  const gen = (performance.now() - t0) / 1000;
  const rssGen = process.resourceUsage().maxRSS / 1024 / 1024;
  const epochTimes: number[] = [];
  let last = performance.now();
  t0 = performance.now();
  const m = new FunkSVD({ epochs: ep, threads: 2, seed: 1 }).fit(ratings, {
    onProgress: (p) => {
      const now = performance.now();
      epochTimes.push((now - last) / 1000);
      last = now;
      console.error(`epoch ${p.done}/${p.total}: train RMSE ${p.metrics?.trainRmse?.toFixed(4)}, ${epochTimes[epochTimes.length - 1]!.toFixed(1)} s`);
    },
  });
  const fit = (performance.now() - t0) / 1000;
  const peak = process.resourceUsage().maxRSS / 1024 / 1024;
  const bestEpoch = Math.min(...epochTimes);
  console.log(table(['step', 'value'], [
    ['generate 100M ratings (s)', gen],
    ['peak RSS after generating (GiB)', rssGen.toFixed(2)],
    [`fit ${ep} epochs, incl. grouping and model (s)`, fit],
    ['best epoch (s)', bestEpoch],
    ['M updates/s (best epoch, 2 threads)', ratings.size / bestEpoch / 1e6],
    ['peak RSS (GiB)', peak.toFixed(2)],
    ['model factors', m.factors],
  ]));
}

if (!args.includes('--netflix-only')) movielensSized();
if (args.includes('--netflix') || args.includes('--netflix-only')) netflix();
