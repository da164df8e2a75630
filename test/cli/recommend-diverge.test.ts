// `recommend train` on a diverging fit: exit 1 with the ConvergenceError's message, and no
// model file written (none created, an existing one left byte for byte as it was).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeRatings } from '../../src/io/ratings.js';
import { syntheticRatings } from '../../src/models/recommend/data/synthetic.js';
import { assertFails, json, run } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-recommend-diverge-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ratingsPath = join(dir, 'r.csv');
await writeRatings(ratingsPath, syntheticRatings({ users: 60, items: 40, ratings: 1200, rank: 3, seed: 2 }));

for (const algo of ['funksvd', 'svdpp', 'baseline']) {
  test(`train --algo ${algo} --lr 1000 exits 1 naming the epoch and the learning rate, and writes no model`, async () => {
    const out = join(dir, `${algo}.lrm`);
    const r = await run('recommend', 'train', '--ratings', ratingsPath, '--algo', algo, '--lr', '1000', '--epochs', '5', '--out', out);
    assertFails(r, 1, /diverged in epoch 1 of 5.*lower the learning rate lr \(now 1000/);
    assert.equal(existsSync(out), false, 'no model file after a failed fit');
  });
}

test('train --algo als --reg 0 with more factors than most users have ratings exits 1 suggesting more regularization', async () => {
  const out = join(dir, 'als.lrm');
  const r = await run('recommend', 'train', '--ratings', ratingsPath, '--algo', 'als', '--factors', '40', '--reg', '0', '--out', out);
  assertFails(r, 1, /ALS: the factors became NaN\/Infinity in iteration 1 of 15; raise the regularization/);
  assert.equal(existsSync(out), false);
});

test('a diverging fit leaves an existing --out file untouched', async () => {
  const out = join(dir, 'kept.lrm');
  json(await run('recommend', 'train', '--ratings', ratingsPath, '--algo', 'funksvd', '--factors', '4', '--epochs', '3', '--out', out, '--json'));
  const before = readFileSync(out);
  const r = await run('recommend', 'train', '--ratings', ratingsPath, '--algo', 'funksvd', '--lr', '1000', '--out', out);
  assertFails(r, 1, /FunkSVD: training diverged/);
  assert.deepEqual(readFileSync(out), before);
  // The kept model still loads and predicts finite ratings.
  const p = json(await run('recommend', 'predict', '--model', out, '--user', '1', '--item', '2', '--json'));
  assert.ok(Number.isFinite(p.prediction as number));
});
