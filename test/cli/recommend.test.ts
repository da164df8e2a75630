import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readMatrix } from '../../src/io/format.js';
import { readRatings, writeRatings } from '../../src/io/ratings.js';
import { randomSplit } from '../../src/models/recommend/data/split.js';
import { syntheticRatings } from '../../src/models/recommend/data/synthetic.js';
import { assertFails, json, run } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-recommend-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ratings = syntheticRatings({ users: 80, items: 50, ratings: 2000, rank: 3, seed: 4 });
const all = join(dir, 'r.csv');
await writeRatings(all, ratings);
const [tr, te] = randomSplit(ratings, { test: 0.2, seed: 1 });
const trainPath = join(dir, 'train.csv');
const testPath = join(dir, 'test.csv');
await writeRatings(trainPath, tr);
await writeRatings(testPath, te);
const model = join(dir, 'm.lrm');

test('train writes a model and prints a summary', async () => {
  const s = json(await run('recommend', 'train', '--ratings', all, '--algo', 'als', '--factors', '4', '--epochs', '5', '--out', model, '--json'));
  assert.equal(s.algorithm, 'als');
  assert.equal(s.ratings, 2000);
  assert.equal(s.factors, 4);
  assert.ok((s.train_rmse as number) > 0 && (s.train_rmse as number) < 1.2);
  assert.equal((s.hyperparameters as Record<string, unknown>).iterations, 5);
  const human = await run('recommend', 'train', '--ratings', all, '--algo', 'baseline', '--out', join(dir, 'b.lrm'));
  assert.equal(human.code, 0, human.err);
  assert.match(human.out, /fit_seconds/);
});

test('predict gives a clipped rating and names cold starts', async () => {
  const p = json(await run('recommend', 'predict', '--model', model, '--user', '1', '--item', '2', '--json'));
  assert.equal(p.cold_start, 'none');
  assert.ok((p.prediction as number) >= 1 && (p.prediction as number) <= 5);
  const c = await run('recommend', 'predict', '--model', model, '--user', 'stranger', '--item', '2');
  assert.equal(c.code, 0);
  assert.match(c.out, /cold start\s+user 'stranger' is not in the model/);
});

test('top lists n ranked items, excluding the seen ones', async () => {
  const t = json(await run('recommend', 'top', '--model', model, '--user', '1', '-n', '5', '--json'));
  const items = t.items as { item: string; score: number }[];
  assert.equal(items.length, 5);
  for (let k = 1; k < items.length; k++) assert.ok(items[k - 1]!.score >= items[k]!.score);
  const seen = new Set<string>();
  for (let r = 0; r < ratings.size; r++) if (ratings.users[r] === ratings.ids.userIndex.get('1')) seen.add(ratings.ids.itemIds[ratings.items[r]!]!);
  for (const it of items) assert.ok(!seen.has(it.item), `${it.item} was rated in training`);
  const h = await run('recommend', 'top', '--model', model, '--user', 'nobody', '-n', '2');
  assert.match(h.out, /not in the model/);
});

test('evaluate with --cv prints per-fold and mean/std metrics', async () => {
  const e = json(await run('recommend', 'evaluate', '--ratings', all, '--cv', '3', '--algo', 'funksvd', '--factors', '5', '--epochs', '5', '--json'));
  assert.equal((e.folds as unknown[]).length, 3);
  const mean = e.mean as Record<string, number>;
  for (const k of ['rmse', 'mae', 'precision', 'recall', 'ndcg', 'map', 'coverage', 'fitSeconds']) assert.equal(typeof mean[k], 'number', k);
  const h = await run('recommend', 'evaluate', '--ratings', all, '--cv', '2', '--algo', 'baseline');
  assert.equal(h.code, 0, h.err);
  assert.match(h.out, /mean/);
  assert.match(h.out, /ndcg@10/);
});

test('evaluate with --train/--test (separate ID spaces) matches between algorithms sensibly', async () => {
  const als = json(await run('recommend', 'evaluate', '--train', trainPath, '--test', testPath, '--algo', 'als', '--factors', '3', '--json'));
  const base = json(await run('recommend', 'evaluate', '--train', trainPath, '--test', testPath, '--algo', 'baseline', '--json'));
  assert.ok((als.rmse as number) < 1.3 && (base.rmse as number) < 1.3);
  assert.equal(als.test, te.size);
  const imp = json(await run('recommend', 'evaluate', '--train', trainPath, '--test', testPath, '--algo', 'implicit-als', '--factors', '3', '--alpha', '2', '--json'));
  assert.equal(imp.rmse, null); // undefined for implicit models: JSON null
  assert.ok((imp.precision as number) >= 0);
});

test('export writes numpy files that reproduce predict', async () => {
  const out = join(dir, 'exp');
  const r = json(await run('recommend', 'export', '--model', model, '--out', out, '--json'));
  const P = await readMatrix(join(out, 'user_factors.npy'));
  const Q = await readMatrix(join(out, 'item_factors.npy'));
  const bu = (await readMatrix(join(out, 'user_bias.npy'))).toFlat();
  const bi = (await readMatrix(join(out, 'item_bias.npy'))).toFlat();
  assert.equal(P.cols, 4);
  // Rows follow the order of first appearance in the file, as readRatings numbers them.
  const fileIds = (await readRatings(all)).ids;
  const u = fileIds.userIndex.get('1')!;
  const i = fileIds.itemIndex.get('2')!;
  let d = (r.global_mean as number) + bu[u]! + bi[i]!;
  for (let a = 0; a < 4; a++) d += P.get(u, a) * Q.get(i, a);
  const p = json(await run('recommend', 'predict', '--model', model, '--user', '1', '--item', '2', '--json'));
  assert.ok(Math.abs(Math.min(5, Math.max(1, d)) - (p.prediction as number)) < 1e-5);
});

test('bad flags and bad files fail with one line and the right exit code', async () => {
  assertFails(await run('recommend', 'train', '--ratings', all, '--algo', 'nope', '--out', model), 2, /nope/);
  assertFails(await run('recommend', 'train', '--ratings', all, '--out', model), 2, /--algo/);
  assertFails(await run('recommend', 'train', '--ratings', all, '--algo', 'als', '--lr', '0.1', '--out', model), 2, /--lr does not apply/);
  assertFails(await run('recommend', 'train', '--ratings', all, '--algo', 'als', '--factors', '-3', '--out', model), 2, /--factors/);
  assertFails(await run('recommend', 'evaluate', '--algo', 'als'), 2, /missing input/);
  assertFails(await run('recommend', 'evaluate', '--algo', 'als', '--ratings', all, '--train', trainPath), 2, /not both/);
  assertFails(await run('recommend', 'top', '--model', model, '--user', '1', '-n', 'x'), 2, /-n/);
  assertFails(await run('recommend', 'predict', '--model', join(dir, 'missing.lrm'), '--user', '1', '--item', '2'), 1, /missing\.lrm/);
  const junk = join(dir, 'junk.lrm');
  writeFileSync(junk, 'not a model at all');
  assertFails(await run('recommend', 'predict', '--model', junk, '--user', '1', '--item', '2'), 1, /not a lowrank model file/);
  assertFails(await run('recommend', 'similar', '--model', model, '--item', 'no-such-item'), 1, /not in the model/);
});
