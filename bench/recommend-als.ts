// ALS (explicit ALS-WR) and ImplicitALS (Hu et al. 2008, CG solver): seconds per iteration
// on a MovieLens-1M-sized synthetic set (6040 users, 3706 items, 1M ratings, planted rank
// 10), against the same algorithms in numpy (Python loop over rows + LAPACK solves) and
// numba (compiled loops), run in the same invocation on the same train/test split.
// Seconds per iteration are the best of the iterations after the first, over two runs (before
// and after the reference), as this VM is shared and noisy. Also prints test RMSE of the explicit models (same algorithm: should agree).
// Usage: npx tsx bench/recommend-als.ts [--iters 4] [--factors 50] [--ifactors 100] [--quick] [--no-ref]
//
// With --ratings FILE (a real table, e.g. MovieLens ml-latest-small from Debian's r-cran-dslabs,
// extracted by scripts/extract-dslabs-movielens.py) it instead times whole fits on an 80/20 split
// (seed 1): ALS and ImplicitALS, 15 iterations at 50 factors, and FunkSVD (50 factors, 20
// epochs) for scale, one thread, best of --repeats (default 3) by CPU time (process.cpuUsage:
// on a shared, loaded machine wall time measures the other processes), with the test RMSE.
//   npx tsx bench/recommend-als.ts --ratings movielens.csv [--repeats 3]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernels } from '../src/kernels/index.js';
import { ALS } from '../src/models/recommend/algorithms/als.js';
import { FunkSVD } from '../src/models/recommend/algorithms/funk-svd.js';
import { readRatings } from '../src/io/ratings.js';
import { ImplicitALS } from '../src/models/recommend/algorithms/implicit-als.js';
import { rmse } from '../src/models/recommend/evaluation/metrics.js';
import { randomSplit } from '../src/models/recommend/data/split.js';
import { syntheticRatings } from '../src/models/recommend/data/synthetic.js';
import type { Progress } from '../src/progress.js';
import { machine, table } from './util.js';

const args = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : def;
};
const quick = args.includes('--quick');
const iters = Number(opt('--iters', '4'));
const f = Number(opt('--factors', '50'));
const fi = Number(opt('--ifactors', '100'));
const reg = 0.05;
const ireg = 0.01;
const alpha = 40;
const cgSteps = 3;

if (args.includes('--ratings')) {
  await realTable(opt('--ratings', ''), Number(opt('--repeats', '3')));
  process.exit(0);
}

// Whole fits on a real ratings table, best CPU time (and its wall time) of `repeats`.
async function realTable(path: string, repeats: number): Promise<void> {
  const [tr, te] = randomSplit(await readRatings(path), { test: 0.2, seed: 1 });
  console.log(`# ALS on ${path}: ${tr.size} training ratings, ${tr.nUsers} users, ${tr.nItems} items; ${machine()}; backend ${kernels().name}, one thread, best of ${repeats} by CPU time`);
  const fits: [string, () => number][] = [
    ['ALS (15 iterations, 50 factors)', () => rmse(new ALS({ factors: 50, iterations: 15, threads: 1 }).fit(tr).predictRatings(te), te.values)],
    ['ImplicitALS (CG, 15 iterations, 50 factors)', () => { new ImplicitALS({ factors: 50, iterations: 15, threads: 1 }).fit(tr); return NaN; }],
    ['ImplicitALS (Cholesky, 15 iterations, 50 factors)', () => { new ImplicitALS({ factors: 50, iterations: 15, solver: 'cholesky', threads: 1 }).fit(tr); return NaN; }],
    ['FunkSVD (20 epochs, 50 factors)', () => rmse(new FunkSVD({ factors: 50, seed: 1 }).fit(tr).predictRatings(te), te.values)],
  ];
  const rows: (string | number)[][] = [];
  for (const [name, fit] of fits) {
    let best = { cpu: Infinity, wall: Infinity, rmse: NaN };
    for (let k = 0; k < repeats; k++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = fit();
      const c = process.cpuUsage(c0);
      const cpu = (c.user + c.system) / 1e6;
      if (cpu < best.cpu) best = { cpu, wall: (performance.now() - t0) / 1000, rmse: r };
    }
    rows.push([name, best.cpu.toFixed(3), best.wall.toFixed(3), Number.isNaN(best.rmse) ? '-' : best.rmse.toPrecision(12)]);
  }
  console.log(table(['fit', 'CPU s', 'wall s', 'test RMSE'], rows));
}

const data = syntheticRatings(quick ? { users: 1500, items: 900, ratings: 150_000, seed: 1 } : { seed: 1 });
const [train, test] = randomSplit(data, { test: 0.1, seed: 1 });
console.log(`# ALS benchmark: ${train.size} training ratings, ${train.nUsers} users, ${train.nItems} items; ${machine()}; backend ${kernels().name}, one thread`);

// Seconds per iteration: the best over iterations 2..n (the first includes warm-up).
function perIteration(fit: (onProgress: (p: Progress) => void) => void): number {
  const times: number[] = [];
  let last = performance.now();
  fit(() => {
    const t = performance.now();
    times.push((t - last) / 1000);
    last = t;
  });
  return Math.min(...(times.length > 1 ? times.slice(1) : times));
}

let alsRmse = NaN;
// Ours runs before and after the reference (best of both): the machine is shared and its speed drifts.
let alsS = Infinity;
let ialsS = Infinity;
function runOurs(): void {
  alsS = Math.min(alsS, perIteration((onProgress) => {
    const m = new ALS({ factors: f, iterations: iters, reg }).fit(train, { onProgress });
    alsRmse = rmse(m.predictRatings(test), test.values);
  }));
  ialsS = Math.min(ialsS, perIteration((onProgress) => {
    new ImplicitALS({ factors: fi, iterations: iters, reg: ireg, alpha, cgSteps, computeLoss: false }).fit(train, { onProgress });
  }));
}
runOurs();

let ref: Record<string, number> = {};
if (!args.includes('--no-ref')) {
  const dir = mkdtempSync(join(tmpdir(), 'lowrank-als-bench-'));
  try {
    const u = train.byUser();
    const it = train.byItem();
    const put = (name: string, a: Int32Array | Float32Array): void => writeFileSync(join(dir, name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    put('u_indptr.i32', u.indptr);
    put('u_indices.i32', u.indices);
    put('u_values.f32', u.values);
    put('i_indptr.i32', it.indptr);
    put('i_indices.i32', it.indices);
    put('i_values.f32', it.values);
    put('test_u.i32', test.users);
    put('test_i.i32', test.items);
    put('test_r.f32', test.values);
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ nUsers: train.nUsers, nItems: train.nItems }));
    const script = new URL('ref/als_numpy.py', import.meta.url).pathname;
    const py = existsSync('/tmp/skl-venv/bin/python') ? '/tmp/skl-venv/bin/python' : 'python3';
    // Two runs: explicit at f, implicit at fi (the script takes one factor count).
    for (const [k, factors] of [['als', f], ['ials', fi]] as const) {
      const r = spawnSync(py, [script, dir, String(factors), String(Math.max(2, Math.min(iters, 3))), String(k === 'als' ? reg : ireg), String(alpha), String(cgSteps), 'numpy', 'numba'], {
        encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', NUMBA_NUM_THREADS: '1' }, maxBuffer: 1 << 24,
      });
      if (r.status !== 0) {
        console.error(`reference failed: ${r.stderr}`);
        continue;
      }
      const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
      for (const [name, v] of Object.entries(out)) if (name.includes(`_${k}_`)) ref[name] = v;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runOurs();

const ratio = (x: number | undefined, ours: number): string => (x === undefined ? '-' : (x / ours).toFixed(2) + 'x');
const sec = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(3));
console.log(table(
  ['model', 'factors', 'lowrank s/iter', 'numpy s/iter', 'numba s/iter', 'numpy / lowrank', 'numba / lowrank', 'test RMSE lowrank', 'test RMSE numpy'],
  [
    [`ALS (ALS-WR, biased, reg ${reg})`, f, sec(alsS), sec(ref.numpy_als_s), sec(ref.numba_als_s), ratio(ref.numpy_als_s, alsS), ratio(ref.numba_als_s, alsS), alsRmse.toFixed(4), ref.numpy_als_rmse?.toFixed(4) ?? '-'],
    [`ImplicitALS (CG ${cgSteps} steps, alpha ${alpha})`, fi, sec(ialsS), sec(ref.numpy_ials_s), sec(ref.numba_ials_s), ratio(ref.numpy_ials_s, ialsS), ratio(ref.numba_ials_s, ialsS), '-', '-'],
  ],
));
