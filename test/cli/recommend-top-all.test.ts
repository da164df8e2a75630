/**
 * `lowrank recommend top --all --out recs.csv|recs.parquet`: every user's top n, the same
 * lists and scores as `recommend top --user`, in files with columns user, item, score, rank.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { writeRatings } from '../../src/io/ratings.js';
import { syntheticRatings } from '../../src/models/recommend/data/synthetic.js';
import { assertFails, json, run } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-top-all-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const ratings = syntheticRatings({ users: 60, items: 40, ratings: 900, rank: 3, seed: 5 });
const csvIn = join(dir, 'r.csv');
await writeRatings(csvIn, ratings);
const model = join(dir, 'm.lrm');
{
  const r = await run('recommend', 'train', '--ratings', csvIn, '--algo', 'funksvd', '--factors', '6', '--epochs', '5', '--out', model);
  assert.equal(r.code, 0, r.err);
}

interface Row {
  user: string;
  item: string;
  score: number;
  rank: number;
}

// Files list users in the model's order (first appearance in training): compare sorted.
const byUser = (rows: Row[]): Row[] => [...rows].sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : a.rank - b.rank));

/** `recommend top --user u --json` for every user: the rows `--all` must write (sorted by user, rank). */
async function expected(n: number, includeSeen: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  for (const user of ratings.ids.userIds) {
    const t = json(await run('recommend', 'top', '--model', model, '--user', user, '-n', String(n), '--json', ...(includeSeen ? ['--include-seen'] : [])));
    (t.items as { item: string; score: number }[]).forEach((it, k) => rows.push({ user, item: it.item, score: it.score, rank: k + 1 }));
  }
  return byUser(rows);
}

function readCsv(path: string): Row[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  assert.equal(lines[0], 'user,item,score,rank');
  assert.equal(lines.at(-1), '');
  return lines.slice(1, -1).map((l) => {
    const [user, item, score, rank] = l.split(',');
    return { user: user!, item: item!, score: Number(score), rank: Number(rank) };
  });
}

test('--all --out recs.csv writes every user\'s top n, as --user lists them', async () => {
  for (const [n, includeSeen] of [[5, false], [3, true]] as const) {
    const out = join(dir, `recs-${n}.csv`);
    const s = json(await run('recommend', 'top', '--model', model, '--all', '--out', out, '-n', String(n), '--json', ...(includeSeen ? ['--include-seen'] : [])));
    const want = await expected(n, includeSeen);
    assert.equal(s.rows, want.length);
    assert.equal(s.users, ratings.nUsers);
    assert.equal(s.format, 'csv');
    // Scores are written with every digit: equal, not close.
    const got = readCsv(out);
    // Each user's rows together, ranks 1, 2, ... in order.
    got.forEach((g, r) => assert.equal(g.rank, r > 0 && got[r - 1]!.user === g.user ? got[r - 1]!.rank + 1 : 1));
    assert.deepEqual(byUser(got), want);
  }
  const h = await run('recommend', 'top', '--model', model, '--all', '--out', join(dir, 'h.csv'), '-n', '2');
  assert.equal(h.code, 0, h.err);
  assert.match(h.out, new RegExp(`^wrote ${2 * ratings.nUsers} rows \\(top 2 of ${ratings.nUsers} users\\) to .*h\\.csv in [0-9.e-]+ s\\n$`));
});

test('--all --out recs.parquet writes the same rows (integer IDs as int32 columns)', async () => {
  const out = join(dir, 'recs.parquet');
  const s = json(await run('recommend', 'top', '--model', model, '--all', '--out', out, '-n', '4', '--json'));
  assert.equal(s.format, 'parquet');
  const want = await expected(4, false);
  const got = (await parquetReadObjects({ file: await asyncBufferFromFile(out) })) as Record<string, unknown>[];
  assert.equal(got.length, want.length);
  for (const g of got) assert.equal(typeof g.user, 'number', 'the synthetic IDs are integers: an int32 column');
  assert.deepEqual(byUser(got.map((g) => ({ user: String(g.user), item: String(g.item), score: g.score as number, rank: g.rank as number }))), want);
  // pyarrow, when the reference venv is here, reads the file with the same schema.
  const py = '/tmp/ref-venv/bin/python';
  if (existsSync(py)) {
    const r = spawnSync(py, ['-c', 'import sys, pyarrow.parquet as pq; t = pq.read_table(sys.argv[1]); print(t.schema.names, [str(x) for x in t.schema.types], t.num_rows)', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), `['user', 'item', 'score', 'rank'] ['int32', 'int32', 'double', 'int32'] ${want.length}`);
  }
});

test('string IDs are string columns in the Parquet file', async () => {
  const r = join(dir, 's.csv');
  writeFileSync(r, 'user,item,rating\nalice,x1,5\nalice,x2,3\nbob,x1,4\nbob,x3,2\ncarol,x2,5\ncarol,x3,4\n');
  const m = join(dir, 's.lrm');
  assert.equal((await run('recommend', 'train', '--ratings', r, '--algo', 'funksvd', '--factors', '2', '--out', m)).code, 0);
  const out = join(dir, 's.parquet');
  assert.equal(json(await run('recommend', 'top', '--model', m, '--all', '--out', out, '-n', '2', '--include-seen', '--json')).rows, 6);
  const got = (await parquetReadObjects({ file: await asyncBufferFromFile(out) })) as Record<string, unknown>[];
  assert.deepEqual(got.map((g) => [g.user, g.rank]), [['alice', 1], ['alice', 2], ['bob', 1], ['bob', 2], ['carol', 1], ['carol', 2]]);
  for (const g of got) assert.match(String(g.item), /^x[123]$/);
});

test('usage errors: --all without --out, with --user, a bad extension; neither --user nor --all', async () => {
  assertFails(await run('recommend', 'top', '--model', model, '--all'), 2, /--all needs --out/);
  assertFails(await run('recommend', 'top', '--model', model, '--all', '--user', '1', '--out', join(dir, 'x.csv')), 2, /--user <id> or --all, not both/);
  assertFails(await run('recommend', 'top', '--model', model, '--all', '--out', join(dir, 'x.txt')), 2, /\.csv or \.parquet/);
  assertFails(await run('recommend', 'top', '--model', model), 2, /--user <id>/);
  assertFails(await run('recommend', 'top', '--model', model, '--user', '1', '--out', join(dir, 'x.csv')), 2, /--out goes with --all/);
  assert.equal(existsSync(join(dir, 'x.csv')), false);
});
