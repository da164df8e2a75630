/**
 * `lowrank recommend predict|top` on a damaged or tampered model file: exit 1 and one line
 * naming the file, never a prediction (issue 15, item 3).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeRatings } from '../../src/io/ratings.js';
import { syntheticRatings } from '../../src/models/recommend/data/synthetic.js';
import { assertFails, json, run } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-model-file-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ratingsPath = join(dir, 'r.csv');
await writeRatings(ratingsPath, syntheticRatings({ users: 40, items: 30, ratings: 600, rank: 2, seed: 15 }));
const goodPath = join(dir, 'good.lrm');
json(await run('recommend', 'train', '--ratings', ratingsPath, '--algo', 'baseline', '--out', goodPath, '--json'));
const good = new Uint8Array(readFileSync(goodPath));

/** Write `bytes` as tampered.lrm and return its path. */
function tampered(bytes: Uint8Array): string {
  const path = join(dir, 'tampered.lrm');
  writeFileSync(path, bytes);
  return path;
}

/** The first digit after `"globalMean":` in the JSON metadata, changed. */
function changeGlobalMeanDigit(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const key = new TextEncoder().encode('"globalMean":');
  let at = -1;
  for (let k = 0; k + key.length <= out.length && at < 0; k++) if (key.every((b, j) => out[k + j] === b)) at = k + key.length;
  assert.ok(at > 0 && out[at]! >= 0x30 && out[at]! <= 0x39, 'test setup: globalMean is in the file');
  out[at] = 0x30 + ((out[at]! - 0x30 + 1) % 10);
  return out;
}

test('the untampered model predicts (so the failures below come from the damage)', async () => {
  const p = json(await run('recommend', 'predict', '--model', goodPath, '--user', '1', '--item', '2', '--json'));
  assert.equal(typeof p.prediction, 'number');
});

test('predict on a model with one digit of globalMean changed exits 1 naming the file', async () => {
  const path = tampered(changeGlobalMeanDigit(good));
  assertFails(await run('recommend', 'predict', '--model', path, '--user', '1', '--item', '2'), 1, /tampered\.lrm: corrupt: checksum mismatch/);
  assertFails(await run('recommend', 'top', '--model', path, '--user', '1', '-n', '3', '--json'), 1, /tampered\.lrm: .*checksum/);
});

test('predict on a truncated, extended or bit-flipped model exits 1 naming the file', async () => {
  const cut = tampered(good.subarray(0, good.length - 3));
  assertFails(await run('recommend', 'predict', '--model', cut, '--user', '1', '--item', '2'), 1, /tampered\.lrm at byte \d+: truncated/);
  const longer = new Uint8Array(good.length + 8);
  longer.set(good);
  assertFails(await run('recommend', 'predict', '--model', tampered(longer), '--user', '1', '--item', '2', '--json'), 1, /tampered\.lrm at byte \d+: 8 bytes more/);
  const flipped = good.slice();
  flipped[good.length >> 1] = flipped[good.length >> 1]! ^ 0x10;
  assertFails(await run('recommend', 'predict', '--model', tampered(flipped), '--user', '1', '--item', '2'), 1, /tampered\.lrm: .*checksum/);
});
