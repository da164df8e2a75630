/**
 * Example 3: how a latent-factor model predicts one rating.
 *
 * Part 1, seed 001 section 13.3 (EQ M13.4): r_ui = mu + b_u + b_i + p_u . q_i with
 * mu = 3.5, b_u = -0.2, b_i = 0.1, p_u = (1, 0.5), q_i = (0.2, 0.6) gives 3.9. The model
 * is built by hand as a LatentFactorModel, the same class every recommender's fit returns,
 * so predict(), its cold-start fallbacks and clipping are the library's.
 * Part 2, seed 003 section 5: the 3 x 3 example, U (users x 2 factors) and V (movies x 2
 * factors): User 1's score for Movie 2 is 0.9 * 0.2 + 0.2 * 0.8 = 0.34, and U V^T fills
 * the whole table. Then the seed's table with blanks is fitted by FunkSVD without biases
 * (the seed's plain SGD: lr 0.0002, reg 0.02, 5000 epochs, factors drawn around 0.5).
 *
 * Run: npx tsx examples/03-rating-prediction.ts
 */
import { LatentFactorModel, Matrix, matmul, mapIdSpace, FunkSVD, Ratings } from '../src/index.js';

// ---- Part 1: mu + b_u + b_i + p_u . q_i ------------------------------------------------
const model = new LatentFactorModel({
  algorithm: 'funksvd',
  kind: 'explicit',
  ids: mapIdSpace(['alice'], ['film']),
  factors: 2,
  globalMean: 3.5,
  userBias: Float32Array.of(-0.2),
  itemBias: Float32Array.of(0.1),
  userFactors: Float32Array.of(1, 0.5), // p_u
  itemFactors: Float32Array.of(0.2, 0.6), // q_i
  ratingScale: [1, 5],
  seenIndptr: Int32Array.of(0, 1), // alice rated the film in training (so she is not cold)
  seenItems: Int32Array.of(0),
  hyperparameters: {},
});
console.log('p_u . q_i = 1 * 0.2 + 0.5 * 0.6 = 0.5');
console.log('r_ui = mu + b_u + b_i + p_u . q_i = 3.5 - 0.2 + 0.1 + 0.5');
console.log(`predict('alice', 'film') = ${model.predict('alice', 'film').value.toFixed(2)}`);
const cold = model.predict('bob', 'film');
console.log(`a new user gets the item's baseline mu + b_i = ${cold.value.toFixed(2)} (coldStart: '${cold.coldStart}')`);

// ---- Part 2: the seed-003 3 x 3 example -------------------------------------------------
const U = Matrix.from([
  [0.9, 0.2], // User 1: action, romance
  [0.8, 0.6],
  [0.1, 0.9],
]);
const V = Matrix.from([
  [0.7, 0.1], // Movie 1
  [0.2, 0.8],
  [0.9, 0.5],
]);
const UVt = matmul(U, V, { transB: true });
console.log(`\nUser 1, Movie 2: (0.9 x 0.2) + (0.2 x 0.8) = ${UVt.get(0, 1).toFixed(2)}`);
console.log('U V^T, every user x movie score:');
for (let i = 0; i < 3; i++) console.log('  ' + [0, 1, 2].map((j) => UVt.get(i, j).toFixed(2)).join('  '));

// The seed's ratings table (? = unrated), fitted on its 6 known cells.
const R = [
  [5, 0, 4],
  [4, 2, 0],
  [0, 1, 2],
]; // 0 = unrated, as in the seed's code
const users: string[] = [];
const items: string[] = [];
const values: number[] = [];
R.forEach((row, i) => row.forEach((r, j) => {
  if (r > 0) {
    users.push(`U${i + 1}`);
    items.push(`M${j + 1}`);
    values.push(r);
  }
}));
const fitted = new FunkSVD({ factors: 2, biased: false, lr: 0.0002, reg: 0.02, epochs: 5000, initMean: 0.5, initStd: 0.29, seed: 3 })
  .fit(Ratings.fromTriples(users, items, values));
console.log('\nFunkSVD (no biases) on the seed-003 table, predictions for every cell (* = was unrated):');
for (let i = 0; i < 3; i++) {
  console.log('  ' + [0, 1, 2].map((j) => fitted.predict(`U${i + 1}`, `M${j + 1}`).value.toFixed(2) + (R[i]![j] === 0 ? '*' : ' ')).join(' '));
}
