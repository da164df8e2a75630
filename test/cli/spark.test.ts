/**
 * Spark ALSModel directories and columnar ratings through the CLI (issue 22): a model
 * directory built by pyarrow to Spark's layout serves `recommend predict|top|similar`;
 * `recommend train|evaluate` read Parquet and Arrow; `recommend export --format spark|parquet`
 * writes directories that load back (and, when the reference venv is present, that pyarrow
 * reads to the same predictions to 1e-4).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadModel } from '../../src/io/model-file.js';
import { foldedFactors, loadSparkModel, SparkALSModel } from '../../src/io/spark.js';
import { ParseError } from '../../src/errors.js';
import { assertFails, json, run } from './harness.js';

const D = join(import.meta.dirname, '..', 'fixtures', 'columnar');
const MODEL = join(D, 'spark-model');
const PY = '/tmp/ref-venv/bin/python';
const want = JSON.parse(readFileSync(join(D, 'spark-model.json'), 'utf8')) as { rank: number; users: number[]; items: number[]; userFactors: number[][]; itemFactors: number[][]; dots: number[][] };
const dir = mkdtempSync(join(tmpdir(), 'lowrank-spark-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a Spark ALSModel directory loads: dot-product predictions, every ID known, no clipping', async () => {
  const m = await loadModel(MODEL);
  assert.ok(m instanceof SparkALSModel);
  assert.equal(m.factors, want.rank);
  assert.equal(m.nUsers, want.users.length);
  assert.equal(m.nItems, want.items.length);
  assert.equal(m.state.hyperparameters['userCol'], 'userId');
  assert.equal(m.state.hyperparameters['coldStartStrategy'], 'drop');
  for (let u = 0; u < want.users.length; u++) {
    assert.ok(m.hasUser(want.users[u]!));
    for (let i = 0; i < want.items.length; i++) {
      const p = m.predict(want.users[u]!, want.items[i]!);
      // float32 factors, float64 accumulation in both: equal to rounding.
      assert.ok(Math.abs(p.value - want.dots[u]![i]!) <= 1e-6 * (1 + Math.abs(want.dots[u]![i]!)), `(${u}, ${i})`);
      assert.equal(p.clipped, false);
    }
  }
  // Top-n is the dot-product ranking (nothing is excluded: Spark keeps no seen items).
  const u0 = want.dots[0]!;
  const order = want.items.map((id, i) => [String(id), u0[i]!] as const).sort((a, b) => b[1] - a[1]);
  assert.deepEqual(m.recommend(want.users[0]!, { n: 3 }).map((r) => r.item), order.slice(0, 3).map((r) => r[0]));
  // With a rating range, explicit predictions are clipped to it.
  const clipped = await loadSparkModel(MODEL, { ratingRange: [0, 0.1] });
  const big = want.dots[0]!.findIndex((d) => d > 0.1);
  assert.equal(clipped.predict(want.users[0]!, want.items[big]!).value, 0.1);
});

test('foldIn on a Spark model: explicit ALS-WR (lambda n), implicit with Spark\'s lambda * positives', async () => {
  const m = await loadSparkModel(MODEL, { regParam: 0.05 });
  const ratings = want.items.slice(0, 6).map((item, k) => ({ item: String(item), rating: 1 + (k % 5) }));
  const x = m.foldIn(ratings);
  // Normal equations of Spark's half step: (Q_u^T Q_u + regParam n I) x = Q_u^T r.
  const f = want.rank;
  const resid = new Float64Array(f);
  for (let a = 0; a < f; a++) {
    let s = -0.05 * ratings.length * x.factors[a]!;
    for (let k = 0; k < ratings.length; k++) {
      const q = want.itemFactors[k]!;
      let dot = 0;
      for (let b = 0; b < f; b++) dot += q[b]! * x.factors[b]!;
      s += q[a]! * (ratings[k]!.rating - dot);
    }
    resid[a] = s;
  }
  assert.ok(Math.max(...resid.map(Math.abs)) < 1e-4, `normal-equation residual ${Math.max(...resid.map(Math.abs))}`);
  assert.equal(x.bias, 0);
  const imp = await loadSparkModel(MODEL, { implicit: true, regParam: 0.05, alpha: 2 });
  const pos = [...ratings, { item: String(want.items[6]), rating: 0 }];
  const y = imp.foldIn(pos);
  // Spark: (Y^T Y + sum_pos (c - 1) y y^T + regParam * 6 I) x = sum_pos c y, c = 1 + alpha r.
  const G = Array.from({ length: f }, (_, a) => Array.from({ length: f }, (_, b) => want.itemFactors.reduce((s, q) => s + q[a]! * q[b]!, 0) + (a === b ? 0.05 * 6 : 0)));
  const rhs = new Float64Array(f);
  for (let k = 0; k < 6; k++) {
    const q = want.itemFactors[k]!;
    const c = 1 + 2 * ratings[k]!.rating;
    for (let a = 0; a < f; a++) {
      rhs[a] = rhs[a]! + c * q[a]!;
      for (let b = 0; b < f; b++) G[a]![b] = G[a]![b]! + (c - 1) * q[a]! * q[b]!;
    }
  }
  const r2 = G.map((row, a) => row.reduce((s, g, b) => s + g * y.factors[b]!, 0) - rhs[a]!);
  assert.ok(Math.max(...r2.map(Math.abs)) < 1e-3 * Math.max(...rhs.map(Math.abs)), `implicit residual ${Math.max(...r2.map(Math.abs))}`);
});

test('a damaged Spark directory is a ParseError naming the file', async () => {
  const bad = join(dir, 'bad-model');
  mkdirSync(join(bad, 'metadata'), { recursive: true });
  writeFileSync(join(bad, 'metadata', 'part-00000'), JSON.stringify({ class: 'org.apache.spark.ml.classification.LogisticRegressionModel', rank: 4 }) + '\n');
  await assert.rejects(loadModel(bad), (e: unknown) => e instanceof ParseError && e.message.includes(join(bad, 'metadata', 'part-00000')) && /only Spark ML ALS models/.test(e.message));
  writeFileSync(join(bad, 'metadata', 'part-00000'), JSON.stringify({ class: 'org.apache.spark.ml.recommendation.ALSModel', rank: 3 }) + '\n');
  execFileSync('cp', ['-r', join(MODEL, 'userFactors'), join(MODEL, 'itemFactors'), bad]);
  await assert.rejects(loadModel(bad), (e: unknown) => e instanceof ParseError && /column 'features', row 1 \(id \d+\): 4 values, expected the rank 3/.test(e.message));
  const r = await run('recommend', 'predict', '--model', bad, '--user', '1', '--item', '2');
  assertFails(r, 1, /expected the rank 3/);
});

test('recommend predict|top|similar serve a Spark model directory', async () => {
  const p = json(await run('recommend', 'predict', '--model', MODEL, '--user', String(want.users[2]), '--item', String(want.items[3]), '--json'));
  assert.ok(Math.abs((p['prediction'] as number) - want.dots[2]![3]!) < 1e-6);
  assert.equal(p['clipped'], false);
  const top = json(await run('recommend', 'top', '--model', MODEL, '--user', String(want.users[0]), '-n', '2', '--json'));
  assert.ok(JSON.stringify(top).includes(String(want.items[want.dots[0]!.indexOf(Math.max(...want.dots[0]!))])));
  const sim = await run('recommend', 'similar', '--model', MODEL, '--item', String(want.items[0]), '-n', '2');
  assert.equal(sim.code, 0, sim.err);
  // --rating-range clips a Spark model's predictions (Spark does not record a range);
  // --implicit makes them preference scores.
  const big = want.dots[0]!.findIndex((d) => d > 0.1);
  const c = json(await run('recommend', 'predict', '--model', MODEL, '--user', String(want.users[0]), '--item', String(want.items[big]), '--rating-range', '0,0.1', '--json'));
  assert.equal(c['prediction'], 0.1);
  assert.equal(c['clipped'], true);
  const im = json(await run('recommend', 'predict', '--model', MODEL, '--user', String(want.users[2]), '--item', String(want.items[3]), '--implicit', '--json'));
  assert.equal(im['kind'], 'implicit');
  assertFails(await run('recommend', 'predict', '--model', MODEL, '--user', '1', '--item', '2', '--rating-range', '5,1'), 2, /--rating-range must be two numbers min,max with min <= max, got '5,1'/);
  assertFails(await run('recommend', 'predict', '--model', MODEL, '--user', '1', '--item', '2', '--rating-range', '1,x'), 2, /--rating-range must be/);
});

test('recommend train reads Parquet and Arrow; export --format spark reproduces predictions; --format parquet writes plain tables', async () => {
  const model = join(dir, 'm.lrm');
  const t = json(await run('recommend', 'train', '--ratings', join(D, 'ratings-zstd.parquet'), '--algo', 'als', '--factors', '3', '--epochs', '5', '--out', model, '--json'));
  assert.ok(t !== undefined);
  assertFails(await run('recommend', 'predict', '--model', model, '--user', '1', '--item', '2', '--rating-range', '1,5'), 2, /--rating-range applies to Spark model directories; .*m\.lrm is a lowrank model/);
  const ev = await run('recommend', 'evaluate', '--train', join(D, 'ratings.feather'), '--test', join(D, 'ratings-parts'), '--algo', 'baseline', '--json');
  assert.equal(ev.code, 0, ev.err);
  const bad = await run('recommend', 'train', '--ratings', join(D, 'matrix.parquet'), '--algo', 'als', '--out', join(dir, 'x.lrm'));
  assertFails(bad, 1, /matrix\.parquet: no user column/);

  const out = join(dir, 'spark-out');
  const e = json(await run('recommend', 'export', '--model', model, '--format', 'spark', '--out', out, '--json'));
  assert.equal(e['rank'], 5);
  assert.equal(e['folded_biases'], true);
  assert.deepEqual(readdirSync(out).sort(), ['itemFactors', 'metadata', 'userFactors']);
  assert.ok(readdirSync(join(out, 'userFactors')).some((n) => /^part-00000-[0-9a-f-]{36}-c000\.snappy\.parquet$/.test(n)));
  assert.ok(readdirSync(join(out, 'metadata')).includes('_SUCCESS'));
  const meta = JSON.parse(readFileSync(join(out, 'metadata', 'part-00000'), 'utf8')) as Record<string, unknown>;
  assert.equal(meta['class'], 'org.apache.spark.ml.recommendation.ALSModel');
  assert.equal(meta['rank'], 5);
  // Exporting again replaces the directory (atomic rename), leaving no temporary behind.
  json(await run('recommend', 'export', '--model', model, '--format', 'spark', '--out', out, '--json'));
  assert.deepEqual(readdirSync(dir).filter((n) => n.includes('lowrank')), []);

  const lrm = await loadModel(model);
  const back = await loadModel(out);
  // Spark's prediction (the dot of the folded vectors) equals lowrank's unclipped prediction.
  const s = lrm.state;
  const f = s.factors;
  let worst = 0;
  for (let u = 0; u < lrm.nUsers; u += 3) {
    for (let i = 0; i < lrm.nItems; i += 2) {
      let raw = s.globalMean + s.userBias[u]! + s.itemBias[i]!;
      for (let a = 0; a < f; a++) raw += s.userFactors[u * f + a]! * s.itemFactors[i * f + a]!;
      const got = back.predict(s.ids.userIds[u]!, s.ids.itemIds[i]!).value;
      worst = Math.max(worst, Math.abs(got - raw));
    }
  }
  assert.ok(worst < 1e-4, `spark export vs lowrank: ${worst}`);
  assert.equal(foldedFactors(lrm).rank, f + 2);

  const tables = join(dir, 'tables');
  const pe = json(await run('recommend', 'export', '--model', model, '--format', 'parquet', '--out', tables, '--json'));
  assert.equal(pe['factors'], 3);
  assert.deepEqual(readdirSync(tables).sort(), ['item_factors.parquet', 'user_factors.parquet']);

  if (!existsSync(PY)) return;
  // pyarrow reads both exports; its numpy dot products of the Spark tables reproduce the
  // predictions to 1e-4, and the plain tables hold p_u and q_i.
  const pairs = [0, 1, 2, 3].map((k) => [s.ids.userIds[(k * 7) % lrm.nUsers]!, s.ids.itemIds[(k * 5) % lrm.nItems]!]);
  const script = `
import json, sys, glob, numpy as np, pyarrow.parquet as pq
out, tables, pairs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
def load(side):
    t = pq.read_table(glob.glob(out + '/' + side + '/part-*.parquet')[0])
    assert str(t.schema.field('id').type) == 'int32' and not t.schema.field('id').nullable
    assert str(t.schema.field('features').type) == 'list<element: float not null>'
    return {int(i): np.array(f, dtype=np.float64) for i, f in zip(t.column('id').to_pylist(), t.column('features').to_pylist())}
U, I = load('userFactors'), load('itemFactors')
meta = json.loads(open(out + '/metadata/part-00000').readline())
plain = pq.read_table(tables + '/user_factors.parquet')
print(json.dumps({'preds': [float(U[int(u)] @ I[int(i)]) for u, i in pairs], 'rank': meta['rank'], 'plainWidth': len(plain.column('features')[0].as_py())}))
`;
  const py = JSON.parse(execFileSync(PY, ['-c', script, out, tables, JSON.stringify(pairs)], { encoding: 'utf8' })) as { preds: number[]; rank: number; plainWidth: number };
  assert.equal(py.rank, f + 2);
  assert.equal(py.plainWidth, f);
  pairs.forEach(([u, i], k) => {
    const ui = lrm.userIndex(u!);
    const ii = lrm.itemIndex(i!);
    let raw = s.globalMean + s.userBias[ui]! + s.itemBias[ii]!;
    for (let a = 0; a < f; a++) raw += s.userFactors[ui * f + a]! * s.itemFactors[ii * f + a]!;
    assert.ok(Math.abs(py.preds[k]! - raw) < 1e-4, `pyarrow dot ${py.preds[k]} vs lowrank ${raw}`);
  });
});

test('export --format spark refuses string IDs and a directory holding other files', async () => {
  const model = join(dir, 'strings.lrm');
  json(await run('recommend', 'train', '--ratings', join(D, 'ratings-strings.parquet'), '--algo', 'baseline', '--out', model, '--json'));
  assertFails(await run('recommend', 'export', '--model', model, '--format', 'spark', '--out', join(dir, 's')), 1, /integer user IDs within int32; user ID 'u\d+' is not one/);
  const busy = join(dir, 'busy');
  mkdirSync(busy);
  writeFileSync(join(busy, 'notes.txt'), 'mine');
  const lrm = join(dir, 'm.lrm');
  assertFails(await run('recommend', 'export', '--model', lrm, '--format', 'spark', '--out', busy), 1, /holds other files/);
  assert.deepEqual(readdirSync(busy), ['notes.txt']);
});
