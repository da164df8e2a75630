// SoftImpute (matrix completion) against a numpy/scipy implementation of the same
// softImpute-ALS algorithm (bench/ref/soft_impute.py; fancyimpute is not installable), one
// thread each, same problem kind: planted rank-r matrix, entries observed with probability
// `frac`. Both run a fixed number of iterations (tol 0) from the same kind of start, so the
// time per iteration is comparable. Also reports, for lowrank's two solvers, the iterations
// and time to reach the default tolerance (1e-5), which is how the default ('als') was chosen.
// Timings on a shared 2-core VM are noisy: best of 3.
// Usage: npx tsx bench/soft-impute.ts [--quick]
import { kernels, setThreads } from '../src/kernels/index.js';
import { matmul } from '../src/linalg/matmul.js';
import { Matrix } from '../src/matrix/matrix.js';
import { SoftImpute, type SoftImputeAlgorithm } from '../src/models/completion/soft-impute.js';
import { rng } from '../src/random.js';
import { best3, machine, runPython, table } from './util.js';

const quick = process.argv.includes('--quick');
const here = new URL('.', import.meta.url).pathname;
const ITERS = 20;
const LAMBDA_FRAC = 0.01;
const problems: [number, number, number, number][] = quick ? [[1000, 800, 10, 0.3]] : [[1000, 800, 10, 0.3], [2000, 1500, 10, 0.3], [6000, 4000, 20, 0.04]];

function planted(m: number, n: number, r: number, frac: number) {
  const A = Matrix.random(m, r, { seed: 1, distribution: 'normal' });
  const B = Matrix.random(r, n, { seed: 2, distribution: 'normal' });
  const X = matmul(A, B);
  const g = rng(3);
  const rows: number[] = [], cols: number[] = [], values: number[] = [];
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) if (g.nextDouble() < frac) { rows.push(i); cols.push(j); values.push(X.get(i, j)); }
  return { rows: Int32Array.from(rows), cols: Int32Array.from(cols), values: Float64Array.from(values), shape: [m, n] as const };
}

setThreads(1);
console.log(`# SoftImpute — ${machine()}, backend ${kernels().name}, 1 thread, lambda = ${LAMBDA_FRAC} lambdaMax`);
const rows: (string | number)[][] = [];
for (const [m, n, r, frac] of problems) {
  const obs = planted(m, n, r, frac);
  // Default lambda: lambdaMax / 100, as LAMBDA_FRAC on the Python side.
  const lam = (algorithm: SoftImputeAlgorithm, tol: number, maxIter: number) => () => new SoftImpute({ rank: r, algorithm, tol, maxIter }).fit(obs);
  const [tOurs] = best3(lam('als', 0, ITERS));
  const ref = runPython(`${here}ref/soft_impute.py`, [m, n, r, frac, ITERS, LAMBDA_FRAC].map(String), { OPENBLAS_NUM_THREADS: '1' });
  const [tAls, fAls] = best3(lam('als', 1e-5, 500));
  const [tSvd, fSvd] = best3(lam('svd', 1e-5, 500));
  const label = `${m}x${n} r=${r} nnz=${obs.values.length}`;
  rows.push([label, tOurs / ITERS, ref?.per_iter ?? NaN, tOurs / ITERS / (ref?.per_iter ?? NaN), `${fAls.iterations} / ${tAls.toFixed(2)} s`, `${fSvd.iterations} / ${tSvd.toFixed(2)} s`]);
  console.error(`${label}: ours ${(tOurs / ITERS).toFixed(4)} s/iter, numpy ${ref?.per_iter?.toFixed(4)} s/iter; to tol 1e-5: als ${fAls.iterations} it ${tAls.toFixed(2)} s, svd ${fSvd.iterations} it ${tSvd.toFixed(2)} s`);
}
console.log(table(['problem', 'lowrank ALS s/iter', 'numpy ALS s/iter', 'ratio', "lowrank 'als' to 1e-5 (iters / s)", "lowrank 'svd' to 1e-5 (iters / s)"], rows));
