/**
 * Example 8: low-rank matrix powers and principal angles (seed 002).
 *
 * Part 1, "do it in the small space": for A = U V^T (d x d, rank r), associativity gives
 * A^p = U (V^T U)^{p-1} V^T, so a power costs r x r products instead of d x d ones.
 * LowRank.power does exactly this (and re-diagonalizes the r x r core with an SVD). Here a
 * 1000 x 1000 rank-5 matrix with known eigenvalues is raised to the 10th power, checked
 * against the exact answer and timed against dense repeated squaring on the WASM gemm.
 *
 * Part 2, "measure the distance between two candidate subspaces": the principal angles
 * between the top-3 right singular subspaces of two independent halves of a noisy rank-3
 * data set are small (the model is stable); between two random 3-dimensional subspaces
 * they are large. The distances seed 002 mentions (sum of sines, etc.) follow from them.
 *
 * Run: npx tsx examples/08-power-and-angles.ts
 */
import { LowRank, Matrix, matmul, qr, principalAngles, distancesFromAngles, truncatedSvd } from '../src/index.js';

const deg = (rad: number): string => ((rad * 180) / Math.PI).toFixed(2);
const timeIt = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const out = f();
  return [out, performance.now() - t0];
};

// ---- Part 1: A^p in the r-dimensional space -------------------------------------------
const d = 1000;
const r = 5;
const p = 10;
// A = Q C Q^T with Q orthonormal (d x r) and C upper triangular with eigenvalues on its
// diagonal, so A^p = Q C^p Q^T exactly (C^p by 9 tiny products) and A's eigenvalues are C's.
const Q = qr(Matrix.random(d, r, { seed: 1, distribution: 'normal' })).Q;
const C = Matrix.from([
  [0.98, 0.3, 0.1, 0.0, 0.2],
  [0.0, 0.9, 0.2, 0.1, 0.0],
  [0.0, 0.0, 0.7, 0.3, 0.1],
  [0.0, 0.0, 0.0, 0.5, 0.2],
  [0.0, 0.0, 0.0, 0.0, -0.4],
]);
const A = new LowRank(Q, [1, 1, 1, 1, 1], matmul(C, Q, { transB: true })); // U = Q, s = 1, Vt = C Q^T

const [Ap, tLow] = timeIt(() => A.power(p));
let Cp = C;
for (let i = 1; i < p; i++) Cp = matmul(Cp, C);
const exact = matmul(matmul(Q, Cp), Q, { transB: true });
const relErr = (X: Matrix): number => X.sub(exact).norm('fro') / exact.norm('fro');

const Adense = A.reconstruct();
const [Adp, tDense] = timeIt(() => {
  // Dense A^10 = (A^2)^4 A^2: 4 d x d products (binary powering).
  const A2 = matmul(Adense, Adense);
  const A4 = matmul(A2, A2);
  const A8 = matmul(A4, A4);
  return matmul(A8, A2);
});
console.log(`A: ${d} x ${d}, rank ${r}; A^${p} as a LowRank of rank ${Ap.rank}`);
console.log(`  low-rank power  : ${tLow.toFixed(1)} ms, relative error ${relErr(Ap.reconstruct()).toExponential(1)}`);
console.log(`  dense squaring  : ${tDense.toFixed(0)} ms, relative error ${relErr(Adp).toExponential(1)}`);
console.log(`  ||A^${p}||_2 = ${Ap.s[0]!.toFixed(4)} (largest eigenvalue^${p} = 0.98^${p} = ${(0.98 ** p).toFixed(4)}; A is not normal, so they differ)`);
console.log(`  storage: ${Ap.parameterCount} numbers instead of ${d * d}`);

// ---- Part 2: principal angles ---------------------------------------------------------
// A worked example first: span{e1, e2} and span{e1, cos 30deg e2 + sin 30deg e3} meet at
// angles 0 and 30 degrees.
const c30 = Math.cos(Math.PI / 6);
const s30 = Math.sin(Math.PI / 6);
const E12 = Matrix.from([[1, 0], [0, 1], [0, 0]]);
const Etilt = Matrix.from([[1, 0], [0, c30], [0, s30]]);
console.log(`\nprincipal angles between span{e1, e2} and a plane tilted 30deg about e1: ${Array.from(principalAngles(E12, Etilt).angles, deg).join(', ')} degrees`);

// Two halves of one noisy data set: 2 x 400 samples in 60 dimensions, signal of rank 3.
const n = 60;
const k = 3;
const loadings = Matrix.random(k, n, { seed: 2, distribution: 'normal' });
const sample = (rows: number, seed: number): Matrix => {
  const scores = Matrix.random(rows, k, { seed, distribution: 'normal' });
  return matmul(scores, loadings).add(Matrix.random(rows, n, { seed: seed + 100, distribution: 'normal', std: 0.5 }));
};
const V1 = truncatedSvd(sample(400, 10), k, { seed: 0 }).Vt.T; // n x k right singular subspace
const V2 = truncatedSvd(sample(400, 20), k, { seed: 0 }).Vt.T;
const same = principalAngles(V1, V2);
const rand = principalAngles(Matrix.random(n, k, { seed: 30, distribution: 'normal' }), Matrix.random(n, k, { seed: 31, distribution: 'normal' }));
const sumSin = (a: Float64Array): number => a.reduce((t, x) => t + Math.sin(x), 0);
console.log(`top-${k} subspaces of two halves of the data: angles ${Array.from(same.angles, deg).join(', ')} degrees, sum of sines ${sumSin(same.angles).toFixed(3)}`);
console.log(`two random ${k}-dim subspaces of R^${n}:       angles ${Array.from(rand.angles, deg).join(', ')} degrees, sum of sines ${sumSin(rand.angles).toFixed(3)}`);
const dist = distancesFromAngles(same.angles);
console.log(`distances between the two halves' subspaces: projection ${dist.projection.toFixed(3)}, geodesic ${dist.geodesic.toFixed(3)}, spectral (gap) ${dist.spectral.toFixed(3)}`);
