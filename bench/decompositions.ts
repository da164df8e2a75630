// Dense decompositions: lowrank (one and two threads, on the fastest WASM build) against
// numpy/scipy (LAPACK via OpenBLAS) with the same thread counts and against ml-matrix, run
// in the same invocation, alternating lowrank and numpy inside each round because this
// VM's speed drifts. Prints seconds and ratios as a Markdown table.
// Usage: npx tsx bench/decompositions.ts [--sizes 512,1024] [--ops lu,qr,...] [--quick]   (--quick: n = 256, one round, 0.1 s samples, no ml-matrix)
import { CholeskyDecomposition, EigenvalueDecomposition, LuDecomposition, Matrix as MlMatrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { kernels, setThreads } from '../src/kernels/index.js';
import { cholesky } from '../src/linalg/cholesky.js';
import { eig, eigvals } from '../src/linalg/eig.js';
import { eigh, eigvalsh } from '../src/linalg/eigh.js';
import { lu } from '../src/linalg/lu.js';
import { matmul } from '../src/linalg/matmul.js';
import { qr } from '../src/linalg/qr.js';
import { svd, svdvals } from '../src/linalg/svd.js';
import { Matrix } from '../src/matrix/matrix.js';
import { bestTime, machine, runPython, table } from './util.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const sizes = (opt('--sizes') ?? (quick ? '256' : '512,1024')).split(',').map(Number);
const ALL = ['lu', 'cholesky', 'qr', 'eigh', 'eigvalsh', 'svd', 'svdvals', 'eig'];
const ops = (opt('--ops') ?? ALL.join(',')).split(',');
const minTime = quick ? 0.1 : 0.5;
const rounds = quick ? 1 : 2;
const here = new URL('.', import.meta.url).pathname;

interface Inputs { A: Matrix; S: Matrix; P: Matrix; ml: { A: MlMatrix; S: MlMatrix; P: MlMatrix } }

function inputs(n: number): Inputs {
  const A = Matrix.random(n, n, { seed: 1, distribution: 'normal' });
  const S = A.add(A.T).scale(0.5);
  const P = matmul(A, A, { transB: true }).add(Matrix.identity(n).scale(n));
  const ml = (M: Matrix) => new MlMatrix(M.toArray());
  return { A, S, P, ml: { A: ml(A), S: ml(S), P: ml(P) } };
}

const ours: Record<string, (x: Inputs) => unknown> = {
  lu: (x) => lu(x.A),
  cholesky: (x) => cholesky(x.P),
  qr: (x) => qr(x.A),
  eigh: (x) => eigh(x.S),
  eigvalsh: (x) => eigvalsh(x.S),
  svd: (x) => svd(x.A),
  svdvals: (x) => svdvals(x.A),
  eig: (x) => eig(x.A),
  eigvals: (x) => eigvals(x.A),
};
const mlMatrix: Record<string, (x: Inputs) => unknown> = {
  lu: (x) => new LuDecomposition(x.ml.A),
  cholesky: (x) => new CholeskyDecomposition(x.ml.P),
  qr: (x) => { const q = new QrDecomposition(x.ml.A); return [q.orthogonalMatrix, q.upperTriangularMatrix]; },
  eigh: (x) => new EigenvalueDecomposition(x.ml.S, { assumeSymmetric: true }),
  eigvalsh: (x) => new EigenvalueDecomposition(x.ml.S, { assumeSymmetric: true }).realEigenvalues,
  svd: (x) => new SingularValueDecomposition(x.ml.A),
  svdvals: (x) => new SingularValueDecomposition(x.ml.A, { computeLeftSingularVectors: false, computeRightSingularVectors: false }),
  eig: (x) => new EigenvalueDecomposition(x.ml.A),
};

function once(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

console.log(`# dense decompositions — ${machine()}, backend ${kernels().name}`);
const rows: (string | number)[][] = [];
for (const n of sizes) {
  const x = inputs(n);
  for (const op of ops) {
    const f = ours[op];
    if (!f) throw new Error(`unknown op ${op}; known: ${Object.keys(ours).join(', ')}`);
    const best: Record<string, number> = {};
    const keep = (k: string, v: number) => { best[k] = Math.min(best[k] ?? Infinity, v); };
    for (let round = 0; round < rounds; round++) {
      for (const threads of [1, 2]) {
        keep(`numpy/${threads}`, runPython(`${here}ref/numpy_decomp.py`, [op, String(n), String(minTime)], { OPENBLAS_NUM_THREADS: String(threads) })?.seconds ?? NaN);
        setThreads(threads);
        // Sampled like the numpy side: repeat until minTime seconds have run (at least 3 runs).
        keep(`lowrank/${threads}`, bestTime(() => f(x), minTime));
      }
    }
    // ml-matrix is 20-100x slower: one run; left out of --quick (a third of its time).
    const ml = quick ? undefined : mlMatrix[op];
    const mlTime = ml ? once(() => ml(x)) : NaN;
    const l1 = best['lowrank/1']!, l2 = best['lowrank/2']!, n1 = best['numpy/1']!, n2 = best['numpy/2']!;
    rows.push([op, n, l1, n1, l1 / n1, l2, n2, l2 / n2, mlTime, mlTime / l1]);
    console.error(`${op} ${n}: lowrank ${l1.toFixed(4)} s, numpy ${n1.toFixed(4)} s, ratio ${(l1 / n1).toFixed(2)}; 2 threads ${l2.toFixed(4)} / ${n2.toFixed(4)}; ml-matrix ${mlTime.toFixed(3)} s`);
  }
}
console.log(table(['op', 'n', 'lowrank 1t (s)', 'numpy 1t (s)', 'ratio 1t', 'lowrank 2t (s)', 'numpy 2t (s)', 'ratio 2t', 'ml-matrix (s)', 'ml-matrix / lowrank'], rows.map((r) => r.map((v) => (typeof v === "number" && !Number.isInteger(v) ? String(Number(v.toPrecision(3))) : v)))));
