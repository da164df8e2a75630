// Tucker (HOOI) and CP (ALS, HALS) per iteration against numpy references of the same
// algorithms (bench/ref/tucker_cp.py: the same sweeps, split points, contraction orders and
// small solves, in numpy/OpenBLAS), run in the same invocation. One thread on both sides
// (setThreads(1); OPENBLAS_NUM_THREADS=1). Our time per iteration is the shortest interval
// between two consecutive progress reports of a run of 8 to 60 iterations (about a second) (so the set-up before the
// first iteration is excluded, as it is from the reference's timed sweep), after one
// untimed warm-up run per case; numpy's is the best of repeated single sweeps for at least
// a second. Rounds alternate the two sides and each
// keeps its best (this 2-core VM drifts).
// Usage: npx tsx bench/tucker-cp.ts [--rounds N] [--quick]   (python: $REF_PYTHON, else /tmp/ref-venv/bin/python, else python3)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kernels, setThreads } from '../src/kernels/index.js';
import { cp } from '../src/models/tensor/cp.js';
import { tucker } from '../src/models/tensor/tucker.js';
import type { Progress } from '../src/progress.js';
import { Tensor } from '../src/tensor/tensor.js';
import { machine, table } from './util.js';

const here = new URL('.', import.meta.url).pathname;
const python = process.env.REF_PYTHON ?? (existsSync('/tmp/ref-venv/bin/python') ? '/tmp/ref-venv/bin/python' : 'python3');
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const ROUNDS = Number(arg('--rounds') ?? 2);
const quick = process.argv.includes('--quick');

interface Case {
  kind: 'hooi' | 'cp';
  shape: number[];
  ranks?: number[];
  rank?: number;
  nonnegative?: boolean;
}
const cases: Case[] = quick
  ? [
      { kind: 'hooi', shape: [60, 60, 60], ranks: [8, 8, 8] },
      { kind: 'cp', shape: [60, 60, 60], rank: 8 },
    ]
  : [
      { kind: 'hooi', shape: [200, 200, 200], ranks: [10, 10, 10] },
      { kind: 'hooi', shape: [100, 120, 140], ranks: [20, 20, 20] },
      { kind: 'hooi', shape: [40, 40, 40, 40], ranks: [5, 5, 5, 5] },
      { kind: 'hooi', shape: [240, 320, 3, 40], ranks: [30, 40, 3, 10] },
      { kind: 'cp', shape: [200, 200, 200], rank: 10 },
      { kind: 'cp', shape: [100, 120, 140], rank: 20 },
      { kind: 'cp', shape: [40, 40, 40, 40], rank: 8 },
      { kind: 'cp', shape: [200, 200, 200], rank: 10, nonnegative: true },
    ];

const label = (c: Case): string =>
  c.kind === 'hooi' ? `HOOI ${c.shape.join('x')} ranks ${c.ranks!.join(',')}` : `CP-${c.nonnegative ? 'HALS' : 'ALS'} ${c.shape.join('x')} rank ${c.rank}`;

/** Seconds per iteration of one run of `iterations`: the shortest gap between progress reports. */
function perIteration(run: (onProgress: (p: Progress) => void) => void): number {
  const stamps: number[] = [];
  run((p) => {
    if (p.stage === 'iteration') stamps.push(performance.now());
  });
  let best = Infinity;
  for (let i = 1; i < stamps.length; i++) best = Math.min(best, (stamps[i]! - stamps[i - 1]!) / 1000);
  return best;
}

/** Iterations per timed run, by case: enough for about a second (V8 keeps optimizing the small solves), 8 to 60. */
const runLength = new Map<Case, number>();

function ours(c: Case, T: Tensor): number {
  const iterations = runLength.get(c) ?? 4;
  if (c.kind === 'hooi') return perIteration((onProgress) => tucker(T, c.ranks!, { method: 'hooi', maxIter: iterations, tol: 0, onProgress }));
  return perIteration((onProgress) => cp(T, c.rank!, { maxIter: iterations, tol: 0, nonnegative: c.nonnegative ?? false, onProgress }));
}

const dir = mkdtempSync(join(tmpdir(), 'lowrank-tucker-cp-bench-'));
function reference(): number[] {
  const casesFile = join(dir, 'cases.json');
  const outFile = join(dir, 'out.json');
  writeFileSync(casesFile, JSON.stringify(cases));
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const r = spawnSync(python, [`${here}ref/tucker_cp.py`, outFile, casesFile], { encoding: 'utf8', env });
  if (r.status !== 0) {
    console.error(`reference failed: ${r.stderr || r.error}`);
    process.exit(1);
  }
  return (JSON.parse(readFileSync(outFile, 'utf8')) as { seconds: number }[]).map((x) => x.seconds);
}

setThreads(1);
kernels();
const tensors = cases.map((c, i) => Tensor.random(c.shape, { seed: i }));
// Warm-up: the eigensolvers and small loops are TypeScript, which V8 compiles while they
// run; one untimed run of each case gets them optimized, as numpy's LAPACK is compiled
// ahead of time. Its time per iteration sets the length of the timed runs.
cases.forEach((c, i) => runLength.set(c, Math.max(8, Math.min(60, Math.ceil(1 / ours(c, tensors[i]!))))));
const best = cases.map(() => ({ ours: Infinity, theirs: Infinity }));
for (let round = 0; round < ROUNDS; round++) {
  const ref = reference();
  await new Promise((r) => setTimeout(r, 500));
  cases.forEach((c, i) => {
    best[i]!.theirs = Math.min(best[i]!.theirs, ref[i]!);
    best[i]!.ours = Math.min(best[i]!.ours, ours(c, tensors[i]!));
  });
}
rmSync(dir, { recursive: true, force: true });

console.log(`# Tucker and CP per iteration — ${machine()}, backend ${kernels().name}, one thread (numpy: OPENBLAS_NUM_THREADS=1), best of ${ROUNDS} rounds`);
console.log(
  table(
    ['case', 'lowrank ms/iter', 'numpy ms/iter', 'ratio (lowrank / numpy)'],
    cases.map((c, i) => [label(c), best[i]!.ours * 1000, best[i]!.theirs * 1000, best[i]!.ours / best[i]!.theirs]),
  ),
);
