/**
 * Example 7: a recommender end to end: load, split 80/20, train, evaluate, top-N, timed.
 *
 * Data. With a path argument it reads any ratings file (`user,item,rating[,timestamp]`, CSV
 * with or without a header, TSV, or MovieLens' `::` .dat), for instance MovieLens
 * ml-latest-small's ratings.csv (Harper & Konstan 2015; research use only, which is why
 * lowrank does not ship it):
 *
 *   npx tsx examples/07-recommender-real-data.ts path/to/ratings.csv
 *
 * Without one, it uses a SYNTHETIC table of MovieLens-1M's size and shape (6040 users,
 * 3706 movies, 1,000,000 ratings on 1..5 stars, Zipf item popularity, rank-10 planted
 * tastes, noise sd 0.5): no public ratings file ships in an npm or Debian package that
 * lowrank may redistribute. On synthetic data the planted noise (0.5 before rounding to
 * whole stars) bounds how low any model's RMSE can go.
 *
 * Models: the global mean, Baseline (mu + b_u + b_i), FunkSVD (Surprise's SVD, 20 epochs)
 * and ALS (ALS-WR, 10 iterations); RMSE/MAE on the held-out 20% and precision/NDCG@10.
 * Pass --quick for a 10x smaller synthetic table (what the test suite runs).
 *
 * Run: npx tsx examples/07-recommender-real-data.ts [ratings-file] [--quick]
 */
import { ALS, Baseline, FunkSVD, evaluate, randomSplit, readRatings, syntheticRatings } from '../src/index.js';
import type { LatentFactorModel, Ratings } from '../src/index.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const path = args.find((a) => !a.startsWith('--'));

const seconds = (t0: number): string => `${((performance.now() - t0) / 1000).toFixed(2)} s`;

let t0 = performance.now();
let ratings: Ratings;
if (path) {
  ratings = await readRatings(path);
  console.log(`read ${path} in ${seconds(t0)}`);
} else {
  const size = quick ? { users: 2000, items: 1500, ratings: 100_000 } : { users: 6040, items: 3706, ratings: 1_000_000 };
  ratings = syntheticRatings({ ...size, seed: 1 });
  console.log(`SYNTHETIC ratings shaped like MovieLens-${quick ? '100k' : '1M'} (generated in ${seconds(t0)}; pass a ratings file to use real data)`);
}
const st = ratings.stats();
console.log(`${st.ratings} ratings, ${st.users} users, ${st.items} items, density ${(100 * st.density).toFixed(2)}%, mean ${st.mean.toFixed(3)}, sd ${st.std.toFixed(3)}`);

const [train, test] = randomSplit(ratings, { test: 0.2, seed: 1 });
console.log(`80/20 random split: ${train.size} train, ${test.size} test\n`);

// The global mean as the floor every model must beat.
let mean = 0;
for (let r = 0; r < train.size; r++) mean += train.values[r]!;
mean /= train.size;
let se = 0;
for (let r = 0; r < test.size; r++) se += (test.values[r]! - mean) ** 2;
console.log(`${'model'.padEnd(34)} ${'fit'.padStart(8)}  RMSE    MAE     P@10    NDCG@10`);
console.log(`${'global mean'.padEnd(34)} ${''.padStart(8)}  ${Math.sqrt(se / test.size).toFixed(4)}`);

const estimators: [string, { fit(r: Ratings): LatentFactorModel }][] = [
  ['Baseline (ALS, 10 epochs)', new Baseline()],
  ['FunkSVD (100 factors, 20 epochs)', new FunkSVD({ seed: 1 })],
  ['FunkSVD (50 f, reg 0.05, 40 ep)', new FunkSVD({ factors: 50, reg: 0.05, epochs: 40, seed: 1 })],
  ['ALS (50 factors, 10 iterations)', new ALS({ seed: 1 })],
];
let best: { name: string; model: LatentFactorModel; rmse: number } | undefined;
for (const [name, estimator] of estimators) {
  t0 = performance.now();
  const model = estimator.fit(train);
  const fitTime = seconds(t0);
  const ev = evaluate(model, test, { k: 10 });
  console.log(`${name.padEnd(34)} ${fitTime.padStart(8)}  ${ev.rmse.toFixed(4)}  ${ev.mae.toFixed(4)}  ${ev.precision.toFixed(4)}  ${ev.ndcg.toFixed(4)}`);
  if (!best || ev.rmse < best.rmse) best = { name, model, rmse: ev.rmse };
}

// Top-N for one user with the best model: unseen items, highest predicted rating first.
const user = train.userId(0);
t0 = performance.now();
const top = best!.model.recommend(user, { n: 5 });
console.log(`\ntop 5 for user ${user} by ${best!.name.split(' (')[0]} (${((performance.now() - t0)).toFixed(1)} ms):`);
for (const { item, score } of top) console.log(`  item ${item.padEnd(6)} predicted ${score.toFixed(2)}`);
