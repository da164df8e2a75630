// Nonsymmetric eigenproblem: lowrank's eig (values and right eigenvectors, LAPACK dgeev's
// algorithm) and eigvals (values only) against numpy.linalg.eig / eigvals (dgeev through
// OpenBLAS) on the same matrix, one thread on both sides, n = 256, 512, 1024. The matrix
// is standard normal (seeded), written to a .npy file that the numpy side loads, so both
// factor the same numbers (the QR iteration's work depends on the matrix).
//
// Both sides run in this invocation, alternating rounds because this VM's speed drifts;
// each keeps its best wall time and its best process CPU time (which a loaded machine
// inflates less) over the rounds, each round a best of --reps calls after a warm-up. The
// ratio column is lowrank / numpy on CPU time; the eig residual column is
// ||A V - V D||_F / (||A||_F ||V||_F) of lowrank's result.
// Usage: npx tsx bench/eig.ts [--sizes 256,512,1024] [--rounds 2] [--reps 3] [--quick]
//   --quick: n = 256 only, one round of two calls per side (npm run bench -- --quick)
//   (python with numpy: $NUMPY_PYTHON, else /tmp/ref-venv/bin/python, else python3)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNpySync } from '../src/io/npy.js';
import { kernels, setThreads } from '../src/kernels/index.js';
import { eig, eigvals } from '../src/linalg/eig.js';
import { matmul } from '../src/linalg/matmul.js';
import { Matrix } from '../src/matrix/matrix.js';
import { machine, table } from './util.js';

const here = new URL('.', import.meta.url).pathname;
const python = process.env.NUMPY_PYTHON ?? (existsSync('/tmp/ref-venv/bin/python') ? '/tmp/ref-venv/bin/python' : 'python3');
const argOf = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const QUICK = process.argv.includes('--quick');
const SIZES = (argOf('--sizes') ?? (QUICK ? '256' : '256,512,1024')).split(',').map(Number);
const ROUNDS = Number(argOf('--rounds') ?? (QUICK ? 1 : 2));
const REPS = Number(argOf('--reps') ?? (QUICK ? 2 : 3));
const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
setThreads(1);

interface Best {
  wall: number;
  cpu: number;
}

function time(f: () => unknown, reps: number): Best {
  f();
  let wall = Infinity;
  let cpu = Infinity;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    wall = Math.min(wall, (performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  return { wall, cpu };
}

/** ||A V - V D||_F / (||A||_F ||V||_F) for the complex eigenpairs of eig. */
function relResidual(A: Matrix, e: ReturnType<typeof eig>): number {
  const n = A.rows;
  const AVr = matmul(A, e.VReal);
  const AVi = matmul(A, e.VImag);
  let r = 0;
  let v = 0;
  for (let j = 0; j < n; j++) {
    const wr = e.wReal[j]!;
    const wi = e.wImag[j]!;
    for (let i = 0; i < n; i++) {
      const xr = e.VReal.data[i + j * n]!;
      const xi = e.VImag.data[i + j * n]!;
      const dr = AVr.data[i + j * n]! - (wr * xr - wi * xi);
      const di = AVi.data[i + j * n]! - (wr * xi + wi * xr);
      r += dr * dr + di * di;
      v += xr * xr + xi * xi;
    }
  }
  let a = 0;
  for (const x of A.data) a += x * x;
  return Math.sqrt(r) / (Math.sqrt(a) * Math.sqrt(v));
}

const dir = mkdtempSync(join(tmpdir(), 'lowrank-eig-bench-'));
console.log(`# eig / eigvals against numpy, one thread — ${machine()}, backend ${kernels().name}`);
const rows: (string | number)[][] = [];
try {
  for (const n of SIZES) {
    const A = Matrix.random(n, n, { seed: 1, distribution: 'normal' });
    const file = join(dir, `A${n}.npy`);
    writeNpySync(file, A);
    const ours = { eig: { wall: Infinity, cpu: Infinity }, eigvals: { wall: Infinity, cpu: Infinity } };
    const ref = { eig: { wall: Infinity, cpu: Infinity }, eigvals: { wall: Infinity, cpu: Infinity } };
    const keep = (b: Best, t: Best) => {
      b.wall = Math.min(b.wall, t.wall);
      b.cpu = Math.min(b.cpu, t.cpu);
    };
    for (let round = 0; round < ROUNDS; round++) {
      const r = spawnSync(python, [join(here, 'ref', 'eig.py'), file, String(REPS)], { encoding: 'utf8', env });
      if (r.status !== 0) throw new Error(`numpy reference failed: ${r.stderr || r.error}`);
      const t = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
      keep(ref.eig, { wall: t.eig!, cpu: t.eig_cpu! });
      keep(ref.eigvals, { wall: t.eigvals!, cpu: t.eigvals_cpu! });
      keep(ours.eig, time(() => eig(A), REPS));
      keep(ours.eigvals, time(() => eigvals(A), REPS));
    }
    const res = relResidual(A, eig(A));
    for (const op of ['eig', 'eigvals'] as const) {
      const o = ours[op];
      const p = ref[op];
      rows.push([op, n, o.wall.toFixed(3), o.cpu.toFixed(3), p.wall.toFixed(3), p.cpu.toFixed(3), (o.cpu / p.cpu).toFixed(2), op === 'eig' ? res.toExponential(1) : '']);
      console.error(`${op} n=${n}: lowrank ${o.cpu.toFixed(3)} s CPU (${o.wall.toFixed(3)} wall), numpy ${p.cpu.toFixed(3)} s CPU (${p.wall.toFixed(3)} wall), ratio ${(o.cpu / p.cpu).toFixed(2)}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(table(['op', 'n', 'lowrank wall (s)', 'lowrank CPU (s)', 'numpy wall (s)', 'numpy CPU (s)', 'ratio (CPU)', 'eig residual'], rows));
