// Lyapunov equation A X + X A^T = Q with n = 500 against scipy.linalg.solve_continuous_lyapunov
// (LAPACK dgees + dtrsyl through OpenBLAS), with the real Schur form alone as a second row,
// and balanced truncation of a 250-mass spring-damper chain (n = 500 states) to order 20
// against python-control's balred(..., method='truncate') (SLICOT AB09AD). The matrices: A
// = G / sqrt(n) - 2 I with G standard normal (seeded; eigenvalues in a disc around -2, many
// complex pairs), Q = -(H H^T) / n. Both sides run in this invocation at one and at two
// threads (OPENBLAS_NUM_THREADS / setThreads), alternating rounds because this VM's speed
// drifts; each keeps its best wall time (and that run's process CPU time, which a loaded
// machine inflates less) over the rounds, each round a best of 3.
// Usage: npx tsx bench/lyapunov.ts [--n 500] [--rounds 2] [--quick]   (--quick: n = 200, one round)
//   (python with scipy and python-control: $CONTROL_PYTHON, else /tmp/ref-venv/bin/python, else python3)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMatrix } from '../src/io/format.js';
import { writeNpy } from '../src/io/npy.js';
import { kernels, setThreads } from '../src/kernels/index.js';
import { matmul } from '../src/linalg/matmul.js';
import { schur } from '../src/linalg/schur.js';
import { Matrix } from '../src/matrix/matrix.js';
import { balancedTruncation } from '../src/models/dynamics/balanced-truncation.js';
import { lyapunov } from '../src/models/dynamics/lyapunov.js';
import { machine, table } from './util.js';

const here = new URL('.', import.meta.url).pathname;
const python = process.env.CONTROL_PYTHON ?? (existsSync('/tmp/ref-venv/bin/python') ? '/tmp/ref-venv/bin/python' : 'python3');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const QUICK = process.argv.includes('--quick');
const N = arg('--n', QUICK ? 200 : 500);
const ROUNDS = arg('--rounds', QUICK ? 1 : 2);

/** A chain of k masses (1 + 0.01 i), springs 2 and dampers 0.3 between neighbours (mass 0 to a wall); force on mass 0, position of the last. */
function chain(k: number): { A: Matrix; B: Matrix; C: Matrix } {
  const n = 2 * k;
  const A = Matrix.zeros(n, n);
  const B = Matrix.zeros(n, 1);
  const C = Matrix.zeros(1, n);
  const kk = 2;
  const c = 0.3;
  for (let i = 0; i < k; i++) {
    const m = 1 + 0.01 * i;
    A.set(i, k + i, 1);
    // Forces on mass i: from the link to i-1 (or the wall) and from the link to i+1.
    const links = i + 1 < k ? 2 : 1;
    A.set(k + i, i, (-kk * links) / m);
    A.set(k + i, k + i, (-c * links) / m);
    if (i > 0) {
      A.set(k + i, i - 1, kk / m);
      A.set(k + i, k + i - 1, c / m);
    }
    if (i + 1 < k) {
      A.set(k + i, i + 1, kk / m);
      A.set(k + i, k + i + 1, c / m);
    }
  }
  B.set(k, 0, 1);
  C.set(0, k - 1, 1);
  return { A, B, C };
}

const dir = mkdtempSync(join(tmpdir(), 'lowrank-lyap-bench-'));
const A = Matrix.random(N, N, { seed: 1, distribution: 'normal' }).scale(1 / Math.sqrt(N)).sub(Matrix.identity(N).scale(2));
const H = Matrix.random(N, N, { seed: 2, distribution: 'normal' });
const Q = matmul(H, H, { transB: true }).scale(-1 / N);
const sys = chain(N / 2);
await writeNpy(join(dir, 'A.npy'), A);
await writeNpy(join(dir, 'Q.npy'), Q);
await writeNpy(join(dir, 'sysA.npy'), sys.A);
await writeNpy(join(dir, 'sysB.npy'), sys.B);
await writeNpy(join(dir, 'sysC.npy'), sys.C);

interface Times {
  lyap: number;
  lyap_cpu: number;
  schur: number;
  schur_cpu: number;
  balred: number;
  balred_cpu: number;
}

function reference(threads: number): Times {
  const p = spawnSync(python, [`${here}ref/lyapunov.py`, dir, '3'], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads) }, maxBuffer: 1 << 24 });
  if (p.status !== 0) {
    console.error(`reference failed: ${p.stderr || p.error}`);
    process.exit(1);
  }
  return JSON.parse(p.stdout.trim().split('\n').pop()!) as Times;
}

/** Best wall time of 3 (after one warm-up call) and that run's process CPU time. */
function time(f: () => unknown): [number, number] {
  f();
  let wall = Infinity;
  let cpu = Infinity;
  for (let r = 0; r < 3; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    const t = (performance.now() - t0) / 1000;
    const u = process.cpuUsage(c0);
    if (t < wall) {
      wall = t;
      cpu = (u.user + u.system) / 1e6;
    }
  }
  return [wall, cpu];
}

function ours(threads: number): Times {
  setThreads(threads);
  const [lyap, lyapCpu] = time(() => lyapunov(A, Q));
  const [sch, schCpu] = time(() => schur(A));
  const [bal, balCpu] = time(() => balancedTruncation(sys, { order: 20 }));
  return { lyap, lyap_cpu: lyapCpu, schur: sch, schur_cpu: schCpu, balred: bal, balred_cpu: balCpu };
}

function keepBest(into: Map<string, Times>, key: string, t: Times): void {
  const old = into.get(key);
  if (!old) {
    into.set(key, { ...t });
    return;
  }
  for (const [w, c] of [['lyap', 'lyap_cpu'], ['schur', 'schur_cpu'], ['balred', 'balred_cpu']] as const) {
    if (t[w] < old[w]) {
      old[w] = t[w];
      old[c] = t[c];
    }
  }
}

kernels();
console.log(`# Lyapunov n = ${N}, real Schur form, balanced truncation of a ${N / 2}-mass chain (n = ${N}) to order 20 — ${machine()}, backend ${kernels().name}, reference ${python}, ${ROUNDS} rounds`);
const best = new Map<string, Times>();
for (let round = 0; round < ROUNDS; round++) {
  for (const threads of [1, 2]) {
    const r = reference(threads);
    keepBest(best, `ref/${threads}`, r);
    await new Promise((res) => setTimeout(res, 500));
    const o = ours(threads);
    keepBest(best, `ours/${threads}`, o);
    console.error(`round ${round + 1}, ${threads} thread(s): lyapunov ${o.lyap.toFixed(3)} s vs scipy ${r.lyap.toFixed(3)} s; schur ${o.schur.toFixed(3)} vs ${r.schur.toFixed(3)}; balred ${o.balred.toFixed(3)} vs ${r.balred.toFixed(3)}`);
  }
}

// Agreement with scipy's X and AB09AD's Hankel singular values.
const Xs = await readMatrix(join(dir, 'X_scipy.npy'));
const X = lyapunov(A, Q);
const dX = X.sub(Xs).norm('fro') / Xs.norm('fro');
const hsvRef = (await readMatrix(join(dir, 'hsv_ref.npy'))).toFlat();
const hsv = balancedTruncation(sys, { order: 20 }).hsv;
let dH = 0;
for (let i = 0; i < 20; i++) dH = Math.max(dH, Math.abs(hsv[i]! - hsvRef[i]!) / hsvRef[i]!);
rmSync(dir, { recursive: true, force: true });

const rows: (string | number)[][] = [];
for (const [what, w, c, ref] of [
  ['lyapunov (A X + X A^T = Q)', 'lyap', 'lyap_cpu', 'scipy solve_continuous_lyapunov'],
  ['schur (real Schur form)', 'schur', 'schur_cpu', 'scipy.linalg.schur'],
  ['balancedTruncation, order 20', 'balred', 'balred_cpu', 'python-control balred (AB09AD)'],
] as const) {
  for (const threads of [1, 2]) {
    const o = best.get(`ours/${threads}`)!;
    const r = best.get(`ref/${threads}`)!;
    rows.push([what, ref, String(threads), o[w], r[w], o[w] / r[w], o[c], r[c], o[c] / r[c]]);
  }
}
console.log(table(['lowrank', 'reference', 'threads', 'lowrank s', 'reference s', 'ratio', 'lowrank CPU s', 'reference CPU s', 'CPU ratio'], rows));
console.log(`\n||X - X_scipy||_F / ||X_scipy||_F = ${dX.toExponential(1)}; largest relative difference of the 20 leading Hankel singular values from AB09AD's: ${dH.toExponential(1)}`);
