// The first call in a process against the warm ones: svd, eigh and qr of a random n x n
// matrix (n = 400 by default), each timed in a fresh Node process: the first call (which
// pays for loading and compiling the WASM kernels, V8's tiers of the TypeScript routines,
// WebAssembly tier-up and growing the memory) and the best of the next 5 calls. numpy runs
// the same thing in fresh Python processes (bench/ref/first_call.py) in the same rounds.
// Rounds alternate lowrank and numpy and the ops; each cell keeps the median over rounds of
// first and warm (first-call times vary with the machine's load: say in BENCHMARKS.md
// whether it was quiet), and the ratio first / warm is taken per process, then the median.
// Each is measured three ways: wall time, the process's CPU time, and the main thread's CPU
// time (the first call's excess partly runs on V8's compiler threads).
//
//   node --import tsx bench/first-call.ts [--rounds N] [--n 400] [--ops svd,eigh,qr] [--threads 1]
//   node --import tsx bench/first-call.ts --phases [--rounds N] [--n 400]   (eigh's steps, wall ms)
//   (python with numpy: $NUMPY_PYTHON, else /tmp/ref-venv/bin/python, else python3)
//   Extra V8 flags for the child processes (to test tiers): --node-flags "--no-liftoff"
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

if (args[0] === '--phases-child') {
  // One fresh process, eigh's steps timed one by one (wall ms) on the first call
  // and the best of the next 5: the copy of the lower triangle into workspace memory, sytrd,
  // stedc, ormtr, the copy out. The same calls in the same order as src/linalg/eigh.ts.
  const [nStr, threads] = [Number(args[1]), Number(args[2])];
  const n = nStr;
  const { Matrix } = await import('../src/matrix/matrix.js');
  const { setThreads } = await import('../src/kernels/index.js');
  const { withWorkspace } = await import('../src/kernels/workspace.js');
  const { sytrd, ormtr } = await import('../src/linalg/lapack/sytrd.js');
  const { stedc } = await import('../src/linalg/lapack/stedc.js');
  const { toMatrix } = await import('../src/linalg/lapack/dense.js');
  const A = Matrix.random(n, n, { seed: 1, distribution: 'normal' });
  const S = A.add(A.T).scale(0.5);
  if (threads > 0) setThreads(threads);
  // Wall time (ms): the main thread's CPU time from /proc/thread-self/schedstat advances in
  // scheduler ticks on this VM (4 ms steps), too coarse for phases of a few ms; measure in a
  // quiet window so that wall time is the main thread's time.
  const now = (): number => performance.now();
  const names = ['copy in', 'sytrd', 'stedc', 'ormtr', 'copy out'];
  // Minor page faults per phase too: a process's first call faults in every fresh page of
  // WASM memory and of the JavaScript heap it touches.
  const faults: number[] = [];
  const mark = (t: number[]): void => {
    t.push(now());
    faults.push(process.resourceUsage().minorPageFault);
  };
  const once = (): number[] => {
    const t: number[] = [];
    faults.length = 0;
    mark(t);
    withWorkspace((ws) => {
      const a = ws.f64(n * n);
      for (let j = 0; j < n; j++) a.set(S.data.subarray(S.offset + j * S.colStride + j, S.offset + j * S.colStride + n), j + j * n);
      mark(t);
      const d = new Float64Array(n);
      const e = new Float64Array(n - 1);
      const tau = new Float64Array(n - 1);
      withWorkspace((inner) => sytrd(n, a, 0, n, d, e, tau, inner));
      mark(t);
      const Z = ws.f64(n * n);
      withWorkspace((inner) => stedc(n, d, e, Z, 0, n, inner));
      mark(t);
      ormtr(n, n, a, 0, n, tau, Z, 0, n, ws);
      mark(t);
      toMatrix(Z, 0, n, n, n, 'float64');
      mark(t);
    });
    return t.slice(1).map((x, i) => x - t[i]!);
  };
  const delta = (xs: number[]): number[] => xs.slice(1).map((x, i) => x - xs[i]!);
  const first = once();
  const firstFaults = delta(faults);
  const warm = first.map(() => Infinity);
  for (let k = 0; k < 5; k++) once().forEach((x, i) => (warm[i] = Math.min(warm[i]!, x)));
  const warmFaults = delta(faults);
  console.log(JSON.stringify({ names, first, warm, firstFaults, warmFaults }));
  process.exit(0);
}

if (args[0] === '--child') {
  // One fresh process: import the library (static imports are not part of the call, as in a
  // user's program), build the input, then time the first call and the next 5.
  const [op, nStr, threads] = [args[1]!, Number(args[2]), Number(args[3])];
  const { Matrix } = await import('../src/matrix/matrix.js');
  const { setThreads } = await import('../src/kernels/index.js');
  const { svd } = await import('../src/linalg/svd.js');
  const { eigh } = await import('../src/linalg/eigh.js');
  const { qr } = await import('../src/linalg/qr.js');
  const A = Matrix.random(nStr, nStr, { seed: 1, distribution: 'normal' });
  const S = A.add(A.T).scale(0.5);
  const fns: Record<string, () => unknown> = { svd: () => svd(A), eigh: () => eigh(S), qr: () => qr(A) };
  const f = fns[op]!;
  if (threads > 0) setThreads(threads);
  // Besides wall time: the CPU seconds of the whole process (with V8's background threads,
  // which compile optimized JavaScript and WebAssembly while the call runs) and of the main
  // thread alone (Linux: /proc/thread-self/schedstat; NaN elsewhere). On a loaded machine
  // the CPU times are the steadier measures, and on an idle multi-core one the first call's
  // wall time is about its main-thread time (the compiler threads run on other cores).
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const mainCpu = (): number => {
    try {
      return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e9;
    } catch {
      return NaN;
    }
  };
  let t0 = performance.now();
  let c0 = cpu();
  let m0 = mainCpu();
  f();
  const first = (performance.now() - t0) / 1000;
  const firstCpu = cpu() - c0;
  const firstMain = mainCpu() - m0;
  let warm = Infinity;
  let warmCpu = Infinity;
  let warmMain = Infinity;
  let second = NaN;
  for (let k = 0; k < 5; k++) {
    t0 = performance.now();
    c0 = cpu();
    m0 = mainCpu();
    f();
    const t = (performance.now() - t0) / 1000;
    warmCpu = Math.min(warmCpu, cpu() - c0);
    warmMain = Math.min(warmMain, mainCpu() - m0);
    if (k === 0) second = t;
    warm = Math.min(warm, t);
  }
  console.log(JSON.stringify({ first, second, warm, firstCpu, warmCpu, firstMain, warmMain }));
  process.exit(0);
}

const here = fileURLToPath(new URL('.', import.meta.url));
const python = process.env.NUMPY_PYTHON ?? (existsSync('/tmp/ref-venv/bin/python') ? '/tmp/ref-venv/bin/python' : 'python3');
const rounds = Number(opt('--rounds') ?? (args.includes('--quick') ? 2 : 5));
const n = Number(opt('--n') ?? 400);
const ops = (opt('--ops') ?? 'svd,eigh,qr').split(',');
const threads = Number(opt('--threads') ?? 1);
const nodeFlags = (opt('--node-flags') ?? '').split(' ').filter((s) => s.length > 0);

interface Sample { first: number; second?: number; warm: number; firstCpu?: number; warmCpu?: number; firstMain?: number; warmMain?: number }
function runChild(cmd: string, argv: string[], env: Record<string, string>): Sample {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Sample;
}
const ours = (op: string): Sample =>
  runChild(process.execPath, [...nodeFlags, '--import', 'tsx', join(here, 'first-call.ts'), '--child', op, String(n), String(threads)], {});
const numpy = (op: string): Sample =>
  runChild(python, [join(here, 'ref/first_call.py'), op, String(n)], { OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) });

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
if (args.includes('--phases')) {
  // eigh's steps on the first call and warm, wall ms, median over the rounds.
  const runs: { names: string[]; first: number[]; warm: number[]; firstFaults: number[]; warmFaults: number[] }[] = [];
  for (let r = 0; r < rounds; r++) {
    const out = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', join(here, 'first-call.ts'), '--phases-child', String(n), String(threads)], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`phases child failed: ${out.stderr}`);
    runs.push(JSON.parse(out.stdout.trim().split('\n').pop()!));
  }
  const med = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  console.log(`# eigh phases, n = ${n}, ${threads} thread(s), wall ms, median of ${rounds} fresh processes (load average ${loadavg()[0]!.toFixed(1)})`);
  console.log('| phase | first | warm | first - warm | minor page faults first / warm |');
  console.log('|---|---|---|---|---|');
  runs[0]!.names.forEach((name, i) => {
    const f = med(runs.map((r) => r.first[i]!));
    const w = med(runs.map((r) => r.warm[i]!));
    const pf = med(runs.map((r) => r.firstFaults[i]!));
    const pw = med(runs.map((r) => r.warmFaults[i]!));
    console.log(`| ${name} | ${f.toFixed(1)} | ${w.toFixed(1)} | ${(f - w).toFixed(1)} | ${pf} / ${pw} |`);
  });
  process.exit(0);
}

const samples: Record<string, Sample[]> = {};
const load0 = loadavg()[0]!;
for (let r = 0; r < rounds; r++) {
  for (const op of r % 2 ? [...ops].reverse() : ops) {
    const pair: [string, () => Sample][] = [[`lowrank/${op}`, () => ours(op)], [`numpy/${op}`, () => numpy(op)]];
    if (r % 2) pair.reverse();
    for (const [key, f] of pair) (samples[key] ??= []).push(f());
  }
}
const load1 = loadavg()[0]!;
const ms = (s: number) => (s * 1000).toFixed(s < 0.01 ? 2 : 1);
console.log(`# first call vs warm, n = ${n}, ${threads} thread(s), ${rounds} fresh processes per cell (median), load average ${load0.toFixed(1)} -> ${load1.toFixed(1)}${nodeFlags.length ? `, node ${nodeFlags.join(' ')}` : ''}`);
console.log('| op | wall first / warm (ms) | first/warm | process CPU first / warm (ms) | first/warm | main-thread CPU first / warm (ms) | first/warm | numpy wall first / warm (ms) | numpy first/warm | numpy CPU first/warm | warm wall lowrank/numpy |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const op of ops) {
  const L = samples[`lowrank/${op}`]!, N = samples[`numpy/${op}`]!;
  const lf = median(L.map((s) => s.first)), lw = median(L.map((s) => s.warm));
  const nf = median(N.map((s) => s.first)), nw = median(N.map((s) => s.warm));
  const lr = median(L.map((s) => s.first / s.warm)), nr = median(N.map((s) => s.first / s.warm));
  const cf = median(L.map((s) => s.firstCpu!)), cw = median(L.map((s) => s.warmCpu!));
  const cr = median(L.map((s) => s.firstCpu! / s.warmCpu!));
  const mf = median(L.map((s) => s.firstMain!)), mw = median(L.map((s) => s.warmMain!));
  const mr = median(L.map((s) => s.firstMain! / s.warmMain!));
  const ncr = median(N.map((s) => s.firstCpu! / s.warmCpu!));
  console.log(`| ${op} | ${ms(lf)} / ${ms(lw)} | ${lr.toFixed(2)} | ${ms(cf)} / ${ms(cw)} | ${cr.toFixed(2)} | ${ms(mf)} / ${ms(mw)} | ${mr.toFixed(2)} | ${ms(nf)} / ${ms(nw)} | ${nr.toFixed(2)} | ${ncr.toFixed(2)} | ${(lw / nw).toFixed(2)} |`);
  console.error(`${op}: lowrank first ${L.map((s) => ms(s.first)).join(' ')} second ${L.map((s) => ms(s.second!)).join(' ')} warm ${L.map((s) => ms(s.warm)).join(' ')}; median second/warm ${median(L.map((s) => s.second! / s.warm)).toFixed(2)}`);
}
