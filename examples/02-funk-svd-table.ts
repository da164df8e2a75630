/**
 * Example 2: Funk SVD on a 6 x 5 ratings table with blanks.
 *
 * Seed 001, section 13.3 (EQ M13.5): fit user factors P and item factors Q on the OBSERVED
 * ratings only (a plain SVD would need the blanks filled first), then read the blanks off
 * P Q^T: they are the predictions.
 *
 * Part 1 runs the seed's own algorithm, full-batch gradient descent (k = 2, lr 0.02,
 * lambda 0.1, 4000 steps), on lowrank's Matrix and matmul. Its result does not depend on
 * the random start, so it prints the seed's numbers: train RMSE 0.115, user 0's blanks
 * 0.78 and 2.27.
 * Part 2 fits the same table with the library's FunkSVD estimator (Surprise's SGD with
 * biases, r = mu + b_u + b_i + p_u . q_i, predictions clipped to the 1..5 scale).
 *
 * Run: npx tsx examples/02-funk-svd-table.ts
 */
import { Matrix, matmul, FunkSVD, Ratings } from '../src/index.js';

const _ = NaN; // unrated
const table = [
  [5, 3, _, 1, _],
  [4, _, _, 1, 2],
  [1, 1, _, 5, _],
  [1, _, _, 4, 5],
  [_, 1, 5, 4, _],
  [2, 1, 4, _, 5],
];
const R = Matrix.from(table);
const [m, n] = R.shape;
const known = (i: number, j: number): boolean => !Number.isNaN(R.get(i, j));

// ---- Part 1: the seed's full-batch gradient descent (EQ M13.5, no biases) --------------
const k = 2;
const lr = 0.02;
const lam = 0.1;
let U = Matrix.random(m, k, { seed: 0, distribution: 'normal', std: 0.1 }); // user factors P
let V = Matrix.random(n, k, { seed: 1, distribution: 'normal', std: 0.1 }); // item factors Q
const E = Matrix.zeros(m, n);
for (let step = 0; step < 4000; step++) {
  const P = matmul(U, V, { transB: true });
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) E.set(i, j, known(i, j) ? R.get(i, j) - P.get(i, j) : 0); // observed cells only
  U = U.add(matmul(E, V).sub(U.scale(lam)).scale(lr)); // U += lr (E V - lam U)
  V = V.add(matmul(E, U, { transA: true }).sub(V.scale(lam)).scale(lr)); // V += lr (E^T U - lam V)
}
const P = matmul(U, V, { transB: true });
let se = 0;
let nk = 0;
for (let i = 0; i < m; i++) {
  for (let j = 0; j < n; j++) {
    if (known(i, j)) {
      se += (R.get(i, j) - P.get(i, j)) ** 2;
      nk++;
    }
  }
}
const fmt = (x: number, d = 1): string => x.toFixed(d).padStart(d + 3);
console.log(`gradient descent, k = ${k}: train RMSE on the ${nk} observed entries: ${Math.sqrt(se / nk).toFixed(3)}`);
console.log('reconstructed matrix (blanks, marked *, are now PREDICTIONS):');
for (let i = 0; i < m; i++) {
  let line = '';
  for (let j = 0; j < n; j++) line += fmt(P.get(i, j)) + (known(i, j) ? ' ' : '*');
  console.log(line);
}
console.log(`user 0's two unrated movies (cols 2, 4) predicted: ${P.get(0, 2).toFixed(2)}, ${P.get(0, 4).toFixed(2)}`);

// ---- Part 2: the library's FunkSVD estimator (SGD with biases) -------------------------
const users: string[] = [];
const items: string[] = [];
const values: number[] = [];
for (let i = 0; i < m; i++) {
  for (let j = 0; j < n; j++) {
    if (known(i, j)) {
      users.push(`u${i}`);
      items.push(`m${j}`);
      values.push(R.get(i, j));
    }
  }
}
const ratings = Ratings.fromTriples(users, items, values);
let lastRmse = NaN;
const model = new FunkSVD({ factors: 2, epochs: 2000, lr: 0.01, reg: 0.05, seed: 0 }).fit(ratings, {
  onProgress: (p) => (lastRmse = p.metrics?.trainRmse ?? NaN),
});
console.log(`\nFunkSVD estimator (SGD, biases, 2 factors, 2000 epochs): train RMSE ${lastRmse.toFixed(3)}, mu = ${model.state.globalMean.toFixed(3)}`);
for (let i = 0; i < m; i++) {
  const blanks: string[] = [];
  for (let j = 0; j < n; j++) if (!known(i, j)) blanks.push(`m${j} ${model.predict(`u${i}`, `m${j}`).value.toFixed(2)}`);
  console.log(`  u${i} blanks: ${blanks.join(', ')}`);
}
