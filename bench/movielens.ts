// Accuracy on real ratings (issue 22): MovieLens "latest-small" (100,004 ratings, 671 users,
// 9,066 movies) as Debian's r-cran-dslabs ships it, extracted by scripts/extract-movielens.sh
// (Rscript) into a CSV outside the repository (MovieLens' research licence: never committed).
// Every recommender with its default hyperparameters, 5-fold cross-validation (seed 1): RMSE,
// MAE, precision@10, recall@10 and NDCG@10 (relevant: a test rating >= 4, for every model,
// the implicit one included, so the ranking columns compare), mean +- std over the folds, and
// the fit's CPU and wall seconds (one thread: setThreads(1)). Rankings leave out each user's
// training items (recommendBatch, the serving path). Without Rscript or the package the
// bench says so and exits 0.
// Usage: npx tsx bench/movielens.ts [--ratings movielens.csv] [--folds 5] [--quick: 2 folds]
//   (default file /tmp/movielens-small.csv, extracted when missing)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readRatings } from '../src/io/ratings.js';
import { kernels, setThreads } from '../src/kernels/index.js';
import { ALS } from '../src/models/recommend/algorithms/als.js';
import { Baseline } from '../src/models/recommend/algorithms/baseline.js';
import type { RecommenderEstimator } from '../src/models/recommend/algorithms/estimator.js';
import { FunkSVD } from '../src/models/recommend/algorithms/funk-svd.js';
import { ImplicitALS } from '../src/models/recommend/algorithms/implicit-als.js';
import { SVDpp } from '../src/models/recommend/algorithms/svdpp.js';
import { kFold } from '../src/models/recommend/data/split.js';
import { evaluate } from '../src/models/recommend/evaluation/evaluate.js';
import { mae, rmse } from '../src/models/recommend/evaluation/metrics.js';
import { machine, table } from './util.js';

const args = process.argv.slice(2);
const opt = (name: string, def: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : def;
};
const path = opt('--ratings', '/tmp/movielens-small.csv');
const FOLDS = Number(opt('--folds', args.includes('--quick') ? '2' : '5'));
const K = 10;

if (!existsSync(path)) {
  const script = new URL('../scripts/extract-movielens.sh', import.meta.url).pathname;
  const r = spawnSync('sh', [script, path], { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(path)) {
    console.log(`# movielens: skipped, ${path} could not be extracted (see the message above)`);
    process.exit(0);
  }
}

kernels();
setThreads(1);
const ratings = await readRatings(path);
console.log(`# ${path}: ${ratings.size} ratings, ${ratings.nUsers} users, ${ratings.nItems} items; ${FOLDS}-fold CV (seed 1); ${machine()}; backend ${kernels().name}, one thread`);

const models: [string, () => RecommenderEstimator][] = [
  ['Baseline', () => new Baseline({})],
  ['FunkSVD', () => new FunkSVD({ seed: 1, threads: 1 })],
  ['SVD++', () => new SVDpp({ seed: 1 })],
  ['ALS', () => new ALS({ seed: 1, threads: 1 })],
  ['ImplicitALS', () => new ImplicitALS({ seed: 1, threads: 1 })],
];
// "FunkSVD (100 factors, 20 epochs)": the defaults as the fitted model records them.
function label(name: string, hp: Readonly<Record<string, unknown>>, factors: number): string {
  const parts: string[] = [];
  if (factors > 0) parts.push(`${factors} factors`);
  if (hp['method'] !== undefined) parts.push(String(hp['method']));
  if (hp['epochs'] !== undefined) parts.push(`${hp['epochs']} epochs`);
  if (hp['iterations'] !== undefined) parts.push(`${hp['iterations']} iterations`);
  if (hp['alpha'] !== undefined) parts.push(`alpha ${hp['alpha']}`);
  return `${name} (${parts.join(', ')})`;
}

const folds = kFold(ratings, { folds: FOLDS, seed: 1 });
const stat = (xs: number[]): string => {
  if (xs.some((x) => Number.isNaN(x))) return '-';
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const s = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
  return `${m.toFixed(4)} ± ${s.toFixed(4)}`;
};

const rows: string[][] = [];
// The global mean of the training ratings, predicted for everything.
{
  const r: number[] = [];
  const a: number[] = [];
  for (const [train, test] of folds) {
    let mu = 0;
    for (const v of train.values) mu += v;
    mu /= train.size;
    const pred = new Float32Array(test.size).fill(mu);
    r.push(rmse(pred, test.values));
    a.push(mae(pred, test.values));
  }
  rows.push(['global mean', stat(r), stat(a), '-', '-', '-', '-', '-']);
}
for (const [name, make] of models) {
  let shown = name;
  const m: Record<'rmse' | 'mae' | 'precision' | 'recall' | 'ndcg' | 'cpu' | 'wall', number[]> = { rmse: [], mae: [], precision: [], recall: [], ndcg: [], cpu: [], wall: [] };
  for (const [train, test] of folds) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const model = make().fit(train);
    shown = label(name, model.state.hyperparameters, model.factors);
    const c = process.cpuUsage(c0);
    m.cpu.push((c.user + c.system) / 1e6);
    m.wall.push((performance.now() - t0) / 1000);
    const e = evaluate(model, test, { k: K, relevanceThreshold: 4 });
    m.rmse.push(e.rmse);
    m.mae.push(e.mae);
    m.precision.push(e.precision);
    m.recall.push(e.recall);
    m.ndcg.push(e.ndcg);
  }
  const mean = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2);
  rows.push([shown, stat(m.rmse), stat(m.mae), stat(m.precision), stat(m.recall), stat(m.ndcg), mean(m.cpu), mean(m.wall)]);
  console.error(`done: ${name}`);
}
console.log(table(['model', 'RMSE', 'MAE', `P@${K}`, `recall@${K}`, `NDCG@${K}`, 'fit CPU s', 'fit wall s'], rows));
