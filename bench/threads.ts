// Two threads against one for svd, eigh and qr (issue 20 item 4): whole calls through the
// public API and, at the same time, the LAPACK-style phases inside them (sytrd / stedc /
// ormtr; gebrd / bdsdc / applyPT / applyQ; geqrf / orgqr), each run alternately with
// setThreads(1) and setThreads(2), best and median wall time of `rounds` rounds, with the
// process CPU time per call (to tell a quiet machine, CPU/wall near 2 on two threads, from a
// busy one). No reference here: numpy's thread scaling is in bench/decompositions.ts.
// Usage: npx tsx bench/threads.ts [--sizes 1024] [--rounds 5] [--ops svd,eigh,qr] [--phases]
import { setThreads } from '../src/kernels/index.js';
import { withWorkspace } from '../src/kernels/workspace.js';
import { eigh } from '../src/linalg/eigh.js';
import { stedc } from '../src/linalg/lapack/stedc.js';
import { applyPT, applyQ, gebrd } from '../src/linalg/lapack/gebrd.js';
import { bdsdc } from '../src/linalg/lapack/bdsdc.js';
import { geqrf, orgqr } from '../src/linalg/lapack/geqrf.js';
import { ormtr, sytrd } from '../src/linalg/lapack/sytrd.js';
import { qr } from '../src/linalg/qr.js';
import { svd } from '../src/linalg/svd.js';
import { Matrix } from '../src/matrix/matrix.js';
import { machine, table } from './util.js';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const sizes = (opt('--sizes') ?? '1024').split(',').map(Number);
const rounds = Number(opt('--rounds') ?? 5);
const ops = (opt('--ops') ?? 'svd,eigh,qr').split(',');
const phases = args.includes('--phases');

type Times = Record<string, { wall: number[]; cpu: number[] }>;

// One timed call: wall ms and process CPU ms (all threads).
function timed(t: Times, key: string, f: () => void): void {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  f();
  const wall = performance.now() - w0;
  const c = process.cpuUsage(c0);
  (t[key] ??= { wall: [], cpu: [] }).wall.push(wall);
  t[key]!.cpu.push((c.user + c.system) / 1000);
}

// The phases of each op on copies of the inputs, in the order the op runs them.
function runPhases(t: Times, th: number, op: string, n: number, A: Float64Array, S: Float64Array): void {
  withWorkspace((ws) => {
    const d = new Float64Array(n), e = new Float64Array(n), tau = new Float64Array(n);
    if (op === 'eigh') {
      const a = ws.f64(n * n);
      a.set(S);
      timed(t, `eigh: sytrd/${th}`, () => sytrd(n, a, 0, n, d, e, tau, ws));
      const Z = ws.f64(n * n);
      timed(t, `eigh: stedc/${th}`, () => stedc(n, d, e, Z, 0, n, ws));
      timed(t, `eigh: ormtr/${th}`, () => ormtr(n, n, a, 0, n, tau, Z, 0, n, ws));
    } else if (op === 'svd') {
      const b = ws.f64(n * n);
      b.set(A);
      const tp = new Float64Array(n);
      timed(t, `svd: gebrd/${th}`, () => gebrd(n, n, b, 0, n, d, e, tau, tp, ws));
      const U = ws.f64(n * n), VT = ws.f64(n * n);
      timed(t, `svd: bdsdc/${th}`, () => bdsdc(n, d, e, U, 0, n, VT, 0, n));
      timed(t, `svd: applyPT/${th}`, () => applyPT(n, n, b, 0, n, tp, VT, 0, n, ws));
      timed(t, `svd: applyQ/${th}`, () => applyQ(n, n, n, b, 0, n, tau, U, 0, n, ws));
    } else if (op === 'qr') {
      const q = ws.f64(n * n);
      q.set(A);
      timed(t, `qr: geqrf/${th}`, () => geqrf(n, n, q, 0, n, tau, ws));
      const Q = ws.f64(n * n);
      timed(t, `qr: orgqr/${th}`, () => orgqr(n, n, n, q, 0, n, tau, Q, 0, n, ws));
    }
  });
}

const med = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const f3 = (v: number): string => String(Number(v.toPrecision(3)));

console.log(`# two threads vs one — ${machine()}, load ${(await import('node:os')).loadavg().map((v) => v.toFixed(1)).join(' ')}`);
const rows: (string | number)[][] = [];
for (const n of sizes) {
  const M = Matrix.random(n, n, { seed: 1, distribution: 'normal' });
  const Sm = M.add(M.T).scale(0.5);
  const A = Float64Array.from(M.T.toArray().flat());
  const S = Float64Array.from(Sm.toArray().flat());
  const whole: Record<string, () => unknown> = { svd: () => svd(M), eigh: () => eigh(Sm), qr: () => qr(M) };
  const t: Times = {};
  for (const th of [2, 1]) {
    setThreads(th);
    for (const op of ops) whole[op]!(); // warm-up (and start the workers)
  }
  for (let r = 0; r < rounds; r++) {
    for (const th of r % 2 === 0 ? [1, 2] : [2, 1]) {
      // setThreads closes the pool when the count changes: the new worker starts, instantiates
      // the module and runs its first tasks in V8's baseline tier, so one untimed call first.
      setThreads(th);
      if (th > 1) for (const op of ops) whole[op]!();
      for (const op of ops) {
        timed(t, `${op}/${th}`, () => void whole[op]!());
        if (phases) runPhases(t, th, op, n, A, S);
      }
    }
  }
  for (const key of Object.keys(t).filter((k) => k.endsWith('/1'))) {
    const name = key.slice(0, -2);
    const one = t[key]!, two = t[`${name}/2`]!;
    rows.push([name, String(n), f3(Math.min(...one.wall)), f3(med(one.wall)), f3(Math.min(...two.wall)), f3(med(two.wall)),
      f3(Math.min(...one.wall) / Math.min(...two.wall)), f3(med(one.wall) / med(two.wall)), f3(med(two.cpu) / med(two.wall))]);
  }
}
setThreads(1);
console.log(table(['op / phase', 'n', '1t best (ms)', '1t median', '2t best (ms)', '2t median', 'speedup (best)', 'speedup (median)', '2t CPU / wall'], rows));
