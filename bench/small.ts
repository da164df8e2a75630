// Small decompositions, microseconds per call: lowrank against numpy/scipy (one thread
// each), for n = 8, 16, 32, 64, 128 (issue 20, item 5). JavaScript users factor many small
// matrices (filters, geometry, per-item solves, small PCAs), where the fixed costs of a
// call (validation, copies into WASM memory, workspace, result objects) are what counts.
// numpy's per-call time is measured in a Python loop in the same invocation
// (bench/ref/small_numpy.py); both sides time CPU (process.cpuUsage / time.process_time)
// in batches and keep the best batch's mean, over rounds that alternate the two sides,
// because this shared VM's speed drifts.
// Usage: npx tsx bench/small.ts [--quick] [--sizes 8,16,...] [--ops svd,qr,eigh,lu] [--rounds N]
import { spawnSync } from 'node:child_process';
import { kernels, setThreads } from '../src/kernels/index.js';
import { eigh } from '../src/linalg/eigh.js';
import { lu } from '../src/linalg/lu.js';
import { qr } from '../src/linalg/qr.js';
import { svd } from '../src/linalg/svd.js';
import { Matrix } from '../src/matrix/matrix.js';
import { machine, table } from './util.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const sizes = (opt('--sizes') ?? '8,16,32,64,128').split(',').map(Number);
const ops = (opt('--ops') ?? 'svd,qr,eigh,lu').split(',');
const rounds = Number(opt('--rounds') ?? (quick ? 1 : 3));
// CPU seconds spent per op and size per round, on each side.
const budget = quick ? 0.15 : 0.5;
const here = new URL('.', import.meta.url).pathname;
const python = process.env.NUMPY_PYTHON ?? 'python3';

const run: Record<string, (A: Matrix, S: Matrix) => unknown> = {
  svd: (A) => svd(A),
  qr: (A) => qr(A),
  eigh: (_A, S) => eigh(S),
  lu: (A) => lu(A),
};
for (const op of ops) if (!run[op]) throw new Error(`unknown op ${op}; known: ${Object.keys(run).join(', ')}`);

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Best batch mean of `f` in microseconds per call, spending about `seconds` of CPU. */
function perCall(f: () => unknown, seconds: number): number {
  // Warm up (JIT tiers, WASM tier-up, workspace pages) for a third of the budget.
  let t = cpu();
  for (let i = 0; i < 20 || cpu() - t < seconds / 3; i++) f();
  t = cpu();
  f();
  const once = Math.max(cpu() - t, 1e-6);
  const reps = Math.max(1, Math.floor(seconds / 5 / once));
  let best = Infinity;
  let spent = 0;
  while (spent < seconds) {
    t = cpu();
    for (let r = 0; r < reps; r++) f();
    const dt = cpu() - t;
    spent += dt;
    best = Math.min(best, dt / reps);
  }
  return best * 1e6;
}

function numpy(): Record<string, number> {
  const r = spawnSync(python, [`${here}ref/small_numpy.py`, ops.join(','), sizes.join(','), String(budget)], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  if (r.status !== 0) throw new Error(`reference failed: ${r.stderr || r.error}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

setThreads(1);
console.log(`# small decompositions, µs per call, one thread — ${machine()}, backend ${kernels().name}`);
const inputs = new Map(sizes.map((n) => {
  const A = Matrix.random(n, n, { seed: 1, distribution: 'normal' });
  return [n, { A, S: A.add(A.T).scale(0.5) }];
}));
const best: Record<string, { ours: number; ref: number }> = {};
for (let round = 0; round < rounds; round++) {
  const ref = numpy();
  for (const n of sizes) {
    const { A, S } = inputs.get(n)!;
    for (const op of ops) {
      const key = `${op}/${n}`;
      const ours = perCall(() => run[op]!(A, S), budget);
      const b = (best[key] ??= { ours: Infinity, ref: Infinity });
      b.ours = Math.min(b.ours, ours);
      b.ref = Math.min(b.ref, ref[key] ?? NaN);
    }
  }
}
const rows: (string | number)[][] = [];
for (const op of ops) {
  for (const n of sizes) {
    const b = best[`${op}/${n}`]!;
    rows.push([op, String(n), Number(b.ours.toPrecision(3)), Number(b.ref.toPrecision(3)), Number((b.ours / b.ref).toFixed(2))]);
  }
}
console.log(table(['op', 'n', 'lowrank (µs)', 'numpy (µs)', 'ratio'], rows));
