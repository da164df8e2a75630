// Sparse CSR products: lowrank (active WASM backend, one thread, plus the TS fallback for
// the vector products) against scipy.sparse (plain C, one thread) in the same invocation,
// on a random 100000 x 50000 matrix with 5M nonzeros: construction from unsorted COO
// triples, A x, A^T y, A X and A^T Y with p = 20. Best of >= 3 runs each; rounds alternate
// lowrank and scipy because the machine's speed drifts. Prints a Markdown table and the
// peak memory (RSS, ArrayBuffers, WASM heap).
// Usage: npx tsx bench/sparse.ts [--rows 100000] [--cols 50000] [--nnz 5000000] [--p 20] [--quick]
import { activeWasm, kernels, setBackend } from '../src/kernels/index.js';
import { residentCsrBytes } from '../src/kernels/sparse.js';
import { Matrix } from '../src/matrix/matrix.js';
import { rng } from '../src/random.js';
import { CsrMatrix } from '../src/sparse/index.js';
import { bestTime, machine, runPython, table } from './util.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const opt = (name: string, def: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const m = opt('--rows', 100000);
const n = opt('--cols', 50000);
const nnzWanted = opt('--nnz', 5000000);
const p = opt('--p', 20);
const minTime = quick ? 0.2 : 0.5;
const rounds = quick ? 1 : 2;
const here = new URL('.', import.meta.url).pathname;

let peakRss = 0;
let peakAb = 0;
const sample = (): void => {
  const u = process.memoryUsage();
  peakRss = Math.max(peakRss, u.rss);
  peakAb = Math.max(peakAb, u.arrayBuffers);
};

console.log(`# sparse products — ${machine()}, backend ${kernels().name}`);
console.log(`A: ${m} x ${n}, ~${nnzWanted} nonzeros, p = ${p}`);

// Unsorted COO triples (uniform positions), the input of construction.
const r = rng(0);
const row = new Int32Array(nnzWanted);
const col = new Int32Array(nnzWanted);
const val = new Float64Array(nnzWanted);
for (let k = 0; k < nnzWanted; k++) {
  row[k] = r.nextInt(m);
  col[k] = r.nextInt(n);
  val[k] = r.nextDouble();
}
sample();
const tRandom = bestTime(() => CsrMatrix.random(m, n, nnzWanted / (m * n), { seed: 1 }), 0, 3);
const A = CsrMatrix.fromCoo(row, col, val, m, n);
sample();
const x = Float64Array.from({ length: n }, () => r.nextDouble());
const y = Float64Array.from({ length: m }, () => r.nextDouble());
const X = Matrix.random(n, p, { seed: 2 });
const Y = Matrix.random(m, p, { seed: 3 });
const out = new Float64Array(m);
const outT = new Float64Array(n);

const ours: Record<string, () => unknown> = {
  fromCoo: () => CsrMatrix.fromCoo(row, col, val, m, n),
  matvec: () => A.matvec(x, out),
  rmatvec: () => A.rmatvec(y, outT),
  matmat: () => A.apply(X),
  rmatmat: () => A.applyTranspose(Y),
};
const best: Record<string, number> = {};
const keep = (k: string, v: number): void => {
  best[k] = Math.min(best[k] ?? Infinity, v);
};
for (let round = 0; round < rounds; round++) {
  const ref = runPython(`${here}ref/scipy_sparse.py`, [String(m), String(n), String(nnzWanted), String(p), String(minTime)], { OPENBLAS_NUM_THREADS: '1' });
  for (const [k, v] of Object.entries(ref ?? {})) if (k !== 'nnz') keep(`scipy:${k}`, v);
  for (const [k, f] of Object.entries(ours)) {
    keep(`ours:${k}`, bestTime(f, k === 'fromCoo' ? 0 : minTime, k === 'fromCoo' ? 3 : 1000));
    sample();
  }
  // TS fallback for the vector products (what LOWRANK_BACKEND=js runs).
  const active = kernels().name;
  setBackend('js');
  keep('js:matvec', bestTime(() => A.matvec(x, out), minTime));
  keep('js:rmatvec', bestTime(() => A.rmatvec(y, outT), minTime));
  setBackend(active);
}

const rows: (string | number)[][] = [];
for (const k of Object.keys(ours)) {
  const o = best[`ours:${k}`]!;
  const s = best[`scipy:${k}`] ?? NaN;
  const flops = k === 'fromCoo' ? NaN : (k.includes('mat') && k.endsWith('mat') ? 2 * A.nnz * p : 2 * A.nnz);
  rows.push([k, o * 1000, s * 1000, o / s, Number.isNaN(flops) ? '-' : (flops / o / 1e9).toFixed(2)]);
}
rows.push(['matvec (TS fallback)', best['js:matvec']! * 1000, best['scipy:matvec']! * 1000, best['js:matvec']! / best['scipy:matvec']!, '-']);
rows.push(['rmatvec (TS fallback)', best['js:rmatvec']! * 1000, best['scipy:rmatvec']! * 1000, best['js:rmatvec']! / best['scipy:rmatvec']!, '-']);
rows.push(['random (no COO, ours only)', tRandom * 1000, '-', '-', '-']);
console.log(table(['op', 'lowrank ms', 'scipy ms', 'ratio (lower is better)', 'GFLOP/s'], rows));
const heap = activeWasm()?.heap;
console.log(
  `\nnnz ${A.nnz}; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB, peak ArrayBuffers ${(peakAb / 2 ** 20).toFixed(0)} MiB, ` +
    `WASM heap capacity ${heap ? (heap.capacity / 2 ** 20).toFixed(0) : '-'} MiB (resident CSR copies ${(residentCsrBytes() / 2 ** 20).toFixed(0)} MiB)`,
);
