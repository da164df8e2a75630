import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AbortedError, InvalidArgumentError, ParseError } from '../../src/errors.js';
import { encodeRatings, MAX_RATING, parseRatings, parseRatingsStream, readRatings, writeRatings } from '../../src/io/ratings.js';
import { syntheticRatings } from '../../src/models/recommend/data/synthetic.js';
import type { Ratings } from '../../src/models/recommend/data/ratings.js';
import { tempDir } from './util.js';

function triples(r: Ratings): [string, string, number][] {
  return Array.from(r.values, (v, k) => [r.userId(r.users[k]!), r.itemId(r.items[k]!), v]);
}

test('delimiters are detected: comma, tab, semicolon, pipe, whitespace, ::', () => {
  const want = [['1', '10', 5], ['2', '10', 3.5], ['1', '11', 4]];
  for (const sep of [',', '\t', ';', '|', '   ', '::']) {
    const text = want.map((t) => t.join(sep)).join('\n') + '\n';
    const r = parseRatings(text);
    assert.deepEqual(triples(r), want, `separator ${JSON.stringify(sep)}`);
    assert.equal(r.timestamps, undefined);
  }
  assert.deepEqual(triples(parseRatings('1 10 5\n2 10 3.5\n1 11 4', { delimiter: 'whitespace' })), want);
  assert.throws(() => parseRatings('1,2,3', { delimiter: 'ab' }), InvalidArgumentError);
});

test('MovieLens .dat (::, timestamps) and u.data (tab) layouts', () => {
  const dat = parseRatings('1::1193::5::978300760\r\n1::661::3::978302109\r\n2::1193::4::978298413\r\n');
  assert.deepEqual(triples(dat), [['1', '1193', 5], ['1', '661', 3], ['2', '1193', 4]]);
  assert.deepEqual(Array.from(dat.timestamps!), [978300760, 978302109, 978298413]);
  assert.equal(dat.nUsers, 2);
  const udata = parseRatings('196\t242\t3\t881250949\n186\t302\t3\t891717742\n');
  assert.deepEqual(Array.from(udata.timestamps!), [881250949, 891717742]);
});

test('headers: detected, forced, and column names select fields of a wider CSV', () => {
  const csv = '\ufeffuserId,movieId,rating,timestamp\n1,31,2.5,1260759144\n1,1029,3.0,1260759179\n';
  const r = parseRatings(csv);
  assert.deepEqual(triples(r), [['1', '31', 2.5], ['1', '1029', 3]]);
  assert.equal(r.timestamps!.length, 2);
  const wide = 'ts,rating,who,what,extra\n100,4,"ann",film one,x\n200,2,bob,"film two",y\n';
  const w = parseRatings(wide, { columns: { user: 'who', item: 'WHAT', rating: 'rating', timestamp: 'ts' } });
  assert.deepEqual(triples(w), [['ann', 'film one', 4], ['bob', 'film two', 2]]);
  assert.deepEqual(Array.from(w.timestamps!), [100, 200]);
  const byIndex = parseRatings(wide, { columns: { user: 2, item: 3, rating: 1 } });
  assert.deepEqual(triples(byIndex), triples(w));
  assert.equal(byIndex.timestamps, undefined);
  // header: false turns a non-numeric first line into a bad line
  assert.throws(() => parseRatings('a,b,c\n1,2,3\n', { header: false }), ParseError);
  // header: true drops a numeric-looking first line
  assert.equal(parseRatings('1,2,3\n4,5,6\n', { header: true }).size, 1);
  assert.throws(() => parseRatings(wide, { columns: { user: 'nobody' } }), ParseError);
  assert.throws(() => parseRatings('1,2,3\n', { columns: { user: 'u' }, header: false }), InvalidArgumentError);
});

test('string and integer IDs: strings compared exactly (07 is not 7), unicode, implicit pairs', () => {
  const r = parseRatings('7,a,1\n07,a,2\nzoë,ünï,3\n7,ünï,4\n');
  assert.deepEqual(r.ids.userIds, ['7', '07', 'zoë']);
  assert.deepEqual(r.ids.itemIds, ['a', 'ünï']);
  assert.deepEqual(Array.from(r.users), [0, 1, 2, 0]);
  const imp = parseRatings('u1,i1\nu1,i2\nu2,i1\n', { columns: { rating: null } });
  assert.deepEqual(Array.from(imp.values), [1, 1, 1]);
  assert.equal(imp.nItems, 2);
});

test('bad lines: ParseError with the line number, or skipped and reported', () => {
  const text = 'u,i,r\n1,2,3\n1,2\n\n3,4,abc\n5,6,inf\n7,8,1e0\n';
  assert.throws(
    () => parseRatings(text, { fileName: 'r.csv' }),
    (e: unknown) => e instanceof ParseError && e.line === 3 && e.file === 'r.csv' && /at least 3 fields/.test(e.message),
  );
  const bad: number[] = [];
  const r = parseRatings(text, { onBadLine: (b) => bad.push(b.line) });
  assert.deepEqual(bad, [3, 5, 6]);
  assert.deepEqual(triples(r), [['1', '2', 3], ['7', '8', 1]]);
  assert.equal(parseRatings(text, { onBadLine: 'skip' }).size, 2);
  assert.throws(() => parseRatings('1,2,3\n,4,5\n'), /empty user ID/);
});

test('a first line whose rating is a number in another notation is data (an error), not a dropped header', () => {
  for (const [text, v] of [['1,2,0x10\n3,4,5\n', '0x10'], ['1;2;4,5\n3;4;5\n', '4,5'], ['1,2,1e\n3,4,5\n', '1e']] as const) {
    assert.throws(
      () => parseRatings(text, { fileName: 'r.csv' }),
      (e: unknown) => e instanceof ParseError && e.line === 1 && e.message.startsWith(`r.csv:1: rating '${v}' is not a finite number`),
      text,
    );
  }
  assert.equal(parseRatings('user,item,rating\n1,2,5\n').size, 1);
});

test('ratings beyond +-1e12 are refused naming file and line (float32 storage and the models cannot hold them)', async () => {
  assert.equal(MAX_RATING, 1e12);
  const ok = parseRatings('1,2,1e12\n3,4,-1e12\n5,6,0\n');
  assert.deepEqual(Array.from(ok.values), [1e12, -1e12, 0].map(Math.fround));
  for (const [v, line] of [['1e308', 2], ['-1.7976931348623157e308', 2], ['1000000000001', 2], ['-2e12', 2]] as const) {
    const text = `u,i,r\n1,2,${v}\n3,4,5\n`;
    assert.throws(
      () => parseRatings(text, { fileName: 'big.csv' }),
      (e: unknown) => e instanceof ParseError && e.line === line && e.message.startsWith(`big.csv:${line}: rating '${v}' is beyond +-1e12`),
      v,
    );
  }
  const dir = tempDir();
  const path = join(dir, 'huge.csv');
  writeFileSync(path, '1,2,4\n1,3,1e308\n');
  await assert.rejects(readRatings(path), (e: unknown) => e instanceof ParseError && e.file === path && e.line === 2 && /beyond \+-1e12/.test(e.message));
  // Non-finite ratings stay refused; skipping drops them like any bad line.
  assert.throws(() => parseRatings('1,2,nan\n'), /rating 'nan' is not a finite number/);
  assert.deepEqual(triples(parseRatings('1,2,4\n1,3,1e308\n', { onBadLine: 'skip' })), [['1', '2', 4]]);
});

test('chunk boundaries anywhere give the same table (bytes split mid-line and mid-character)', () => {
  const text = 'user,item,rating\n' + Array.from({ length: 300 }, (_, k) => `ü${k % 17},item-${k % 23},${(k % 5) + 1}`).join('\n');
  const whole = parseRatings(text);
  const bytes = new TextEncoder().encode(text);
  for (const size of [1, 7, 64, 1000]) {
    const chunks: Uint8Array[] = [];
    for (let k = 0; k < bytes.length; k += size) chunks.push(bytes.subarray(k, k + size));
    const r = parseRatings(chunks);
    assert.deepEqual(triples(r), triples(whole), `chunk size ${size}`);
  }
});

test('round trip through writeRatings/readRatings, with timestamps and string IDs', async () => {
  const dir = tempDir();
  const r = parseRatings('ann,film one,4.5,100\nbob,film two,2,200.5\nann,film two,3,300\n', { delimiter: ',' });
  const path = join(dir, 'r.csv');
  await writeRatings(path, r);
  const back = await readRatings(path);
  assert.deepEqual(triples(back), triples(r));
  assert.deepEqual(back.timestamps, r.timestamps);
  const tsv = join(dir, 'r.tsv');
  await writeRatings(tsv, r, { delimiter: '\t', header: false, timestamps: false });
  const back2 = await readRatings(tsv);
  assert.deepEqual(triples(back2), triples(r));
  assert.equal(back2.timestamps, undefined);
  assert.throws(() => [...encodeRatings(r, { delimiter: ' ' })], InvalidArgumentError); // 'film one' contains the separator
});

test('a 1M-line file streams into typed arrays, with progress and abort', async () => {
  const dir = tempDir();
  const r = syntheticRatings({ users: 6040, items: 3706, ratings: 1_000_000, seed: 5, timestamps: true });
  const path = join(dir, 'big.dat');
  await writeRatings(path, r, { delimiter: '::', header: false });
  let reports = 0;
  const t = performance.now();
  const back = await readRatings(path, { onProgress: () => reports++ });
  const ms = performance.now() - t;
  assert.equal(back.size, r.size);
  assert.ok(reports >= 10, `${reports} progress reports`);
  // same ratings up to the renumbering of IDs by first appearance
  for (let k = 0; k < r.size; k += 997) {
    assert.equal(back.userId(back.users[k]!), r.userId(r.users[k]!));
    assert.equal(back.itemId(back.items[k]!), r.itemId(r.items[k]!));
    assert.equal(back.values[k], r.values[k]);
    assert.equal(back.timestamps![k], r.timestamps![k]);
  }
  assert.ok(ms < 10_000, `${ms} ms`);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(readRatings(path, { signal: ac.signal }), AbortedError);
});

test('parseRatingsStream reads an async iterable of chunks', async () => {
  async function* gen(): AsyncGenerator<string> {
    yield '1,2,';
    yield '3\n4,5,6\n';
  }
  const r = await parseRatingsStream(gen());
  assert.deepEqual(triples(r), [['1', '2', 3], ['4', '5', 6]]);
});

test('a file without ratings is a ParseError naming it; in-memory input gives an empty table', async () => {
  assert.equal(parseRatings('').size, 0);
  assert.equal(parseRatings('\n\n').size, 0);
  const dir = tempDir();
  const cases: [string, string, RegExp][] = [
    ['h.csv', 'user,item,rating\n', /no ratings: the file has a header line and nothing else$/],
    ['e.csv', '', /no ratings: the file is empty \(or holds only blank lines\)$/],
    ['b.csv', '\n  \n\n', /no ratings: the file is empty/],
  ];
  for (const [name, text, pattern] of cases) {
    const path = join(dir, name);
    writeFileSync(path, text);
    await assert.rejects(readRatings(path), (e: unknown) => e instanceof ParseError && e.file === path && e.message.startsWith(`${path}: `) && pattern.test(e.message));
  }
  const skipped = join(dir, 's.csv');
  writeFileSync(skipped, 'u,i,r\n1,2,x\n3,4,y\n');
  await assert.rejects(readRatings(skipped, { onBadLine: 'skip' }), /s\.csv: no ratings: all 2 data lines were malformed and skipped/);
  await assert.rejects(readRatings(join(dir, 'missing.csv')), { code: 'ENOENT' });
});

test('implicit pairs: header detected against the second line', () => {
  const r = parseRatings('userId,movieId\n1,2\n3,2\n', { columns: { rating: null } });
  assert.equal(r.size, 2);
  assert.deepEqual(r.ids.userIds, ['1', '3']);
});
