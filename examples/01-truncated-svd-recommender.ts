/**
 * Example 1: a truncated-SVD recommender, and why the rank matters.
 *
 * Seed 001, section 13.2 ("SVD recap & truncation", EQ M13.2-3): a 40 x 25 ratings table
 * that is really rank 2, squashed into 1..5 stars, plus N(0, 0.15) observation noise. 20%
 * of the cells are hidden as a test set; the rest are mean-imputed and the best rank-r
 * approximation (Eckart-Young: the truncated SVD) predicts the hidden cells. Held-out RMSE
 * bottoms out at the true rank, 2: a higher rank only refits the noise.
 *
 * The table is the one numpy draws with np.random.default_rng(1) in the seed, committed in
 * examples/data/ (regenerate with scripts/gen-examples-data.py), so the numbers printed
 * here are the seed's, digit for digit.
 *
 * Run: npx tsx examples/01-truncated-svd-recommender.ts
 */
import { readFileSync } from 'node:fs';
import { Matrix, svd } from '../src/index.js';

interface Table {
  rows: number;
  cols: number;
  trueRank: number;
  ratings: number[]; // row-major
  test: number[]; // 1 = held out
}
const table = JSON.parse(readFileSync(new URL('./data/seed001-ratings-40x25.json', import.meta.url), 'utf8')) as Table;
const { rows: m, cols: n } = table;
const A = Matrix.fromArray(table.ratings, m, n, { order: 'C' }); // the full table (with the test cells)
const isTest = (i: number, j: number): boolean => table.test[i * n + j] === 1;

// Global mean of the training cells fills the holes (mean imputation), then centre on it.
let sum = 0;
let count = 0;
for (let i = 0; i < m; i++) {
  for (let j = 0; j < n; j++) {
    if (!isTest(i, j)) {
      sum += A.get(i, j);
      count++;
    }
  }
}
const mu = sum / count;
const Fc = Matrix.zeros(m, n); // F - mu: 0 on test cells
for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) if (!isTest(i, j)) Fc.set(i, j, A.get(i, j) - mu);
console.log(`${m} x ${n} ratings, true rank ${table.trueRank}, ${m * n - count} cells held out, training mean ${mu.toFixed(3)}`);

// One SVD serves every rank: truncate(r) keeps the top r layers sigma_i u_i v_i^T (EQ M13.3).
const f = svd(Fc);
const ranks = [1, 2, 3, 5, 10];
const rmses: number[] = [];
for (const r of ranks) {
  const Ahat = f.truncate(r).reconstruct(); // + mu below
  let se = 0;
  let nt = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      if (isTest(i, j)) {
        const e = A.get(i, j) - (mu + Ahat.get(i, j));
        se += e * e;
        nt++;
      }
    }
  }
  const rmse = Math.sqrt(se / nt);
  rmses.push(rmse);
  console.log(`rank ${String(r).padStart(2)}: held-out RMSE ${rmse.toFixed(3)}`);
}
const best = ranks[rmses.indexOf(Math.min(...rmses))]!;
console.log(`\nRMSE bottoms out at rank ${best} (the true rank is ${table.trueRank}); higher rank just refits noise.`);
// The spectrum says the same thing without a test set: a sharp drop after sigma_2 (the
// imputed holes and the noise make a long flat tail).
console.log(`singular values: ${Array.from(f.s.subarray(0, 6), (x) => x.toFixed(2)).join(', ')}, ...`);
