// Parquet and Arrow IPC ratings and matrices (issue 22), against fixtures written by pyarrow
// (scripts/gen-columnar-fixtures.py) and files written by our own streaming Parquet writer.
import assert from 'node:assert/strict';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { AbortedError, ParseError } from '../../src/errors.js';
import { parseArrowRatings, readArrowMatrix } from '../../src/io/arrow.js';
import { decodeLz4Frames } from '../../src/io/arrow-lz4.js';
import { parseParquetRatings, readParquetFactors, readParquetMatrix, readParquetRatings } from '../../src/io/parquet.js';
import { openParquetWriter } from '../../src/io/parquet-write.js';
import { readRatings } from '../../src/io/ratings.js';
import type { Ratings } from '../../src/models/recommend/data/ratings.js';
import { tempDir } from './util.js';

const D = join(import.meta.dirname, '..', 'fixtures', 'columnar');
const PY = '/tmp/ref-venv/bin/python';

function assertSameRatings(got: Ratings, want: Ratings, what: string): void {
  assert.equal(got.size, want.size, `${what}: size`);
  assert.deepEqual(got.ids.userIds, want.ids.userIds, `${what}: user IDs in order of first appearance`);
  assert.deepEqual(got.ids.itemIds, want.ids.itemIds, `${what}: item IDs`);
  assert.deepEqual(got.users, want.users, `${what}: users`);
  assert.deepEqual(got.items, want.items, `${what}: items`);
  assert.deepEqual(got.values, want.values, `${what}: values`);
  assert.deepEqual(got.timestamps, want.timestamps, `${what}: timestamps`);
}

test('Parquet ratings (snappy, zstd, gzip; 3 row groups; a Spark part-file directory) read to the same table as the CSV', async () => {
  const csv = await readRatings(join(D, 'ratings.csv'));
  assert.equal(csv.size, 400);
  for (const f of ['ratings-snappy.parquet', 'ratings-zstd.parquet', 'ratings-gzip.parquet', 'ratings-parts']) {
    const progress: number[] = [];
    const r = await readRatings(join(D, f), { onProgress: (p) => progress.push(p.done) });
    assertSameRatings(r, csv, f);
    // One report per row group (3 in the single files, one per part file in the directory).
    assert.equal(progress.length, 3, `${f}: progress per row group`);
    assert.equal(progress.at(-1), 400);
  }
});

test('string IDs, other column names (userId, movieId, score) and dictionary encoding', async () => {
  const csv = await readRatings(join(D, 'ratings-strings.csv'));
  assertSameRatings(await readRatings(join(D, 'ratings-strings.parquet')), csv, 'parquet');
  assertSameRatings(await readRatings(join(D, 'ratings-plain.arrow')), csv, 'arrow');
  // The in-memory entry points (browsers) give the same.
  assertSameRatings(await parseParquetRatings({ name: 'x.parquet', file: new Uint8Array(readFileSync(join(D, 'ratings-strings.parquet'))) }), csv, 'parseParquetRatings');
  assertSameRatings(parseArrowRatings(new Uint8Array(readFileSync(join(D, 'ratings-plain.arrow')))), csv, 'parseArrowRatings');
});

test('Arrow IPC: feather with LZ4 frames, ZSTD file, stream format', async () => {
  const csv = await readRatings(join(D, 'ratings.csv'));
  for (const f of ['ratings.feather', 'ratings-zstd.arrow', 'ratings-stream.arrows']) assertSameRatings(await readRatings(join(D, f)), csv, f);
});

test('tables as pandas writes them: categorical user_id, int64 item_id, datetime64 timestamps (seconds)', async () => {
  const csv = await readRatings(join(D, 'ratings.csv'));
  for (const f of ['ratings-pandas.parquet', 'ratings-pandas.feather']) {
    const r = await readRatings(join(D, f));
    assert.deepEqual(r.ids.userIds, csv.ids.userIds.map((id) => 'u' + id), f);
    assert.deepEqual(r.ids.itemIds, csv.ids.itemIds, f);
    assert.deepEqual(r.values, csv.values, f);
    assert.deepEqual(r.timestamps, csv.timestamps, f);
  }
});

test('columns by name or index override the defaults; rating: null reads implicit pairs', async () => {
  const f = join(D, 'ratings-snappy.parquet');
  const r = await readRatings(f, { columns: { user: 'item', item: 'user', rating: 'rating', timestamp: null } });
  const csv = await readRatings(join(D, 'ratings.csv'));
  assert.equal(r.ids.userIds[0], csv.ids.itemIds[0]);
  assert.equal(r.timestamps, undefined);
  const implicit = await readRatings(f, { columns: { user: 0, item: 1, rating: null } });
  assert.ok(implicit.values.every((v) => v === 1));
  await assert.rejects(readRatings(f, { columns: { user: 'nobody' } }), (e: unknown) => e instanceof ParseError && /no column named 'nobody'/.test(e.message) && e.message.includes(f));
});

test('bad inputs: missing columns, wrong types, nulls, non-finite ratings, not Parquet, abort', async () => {
  const dir = tempDir();
  const write = async (name: string, cols: Parameters<typeof openParquetWriter>[1], batch: Parameters<Awaited<ReturnType<typeof openParquetWriter>>['write']>[0]): Promise<string> => {
    const path = join(dir, name);
    const w = await openParquetWriter(path, cols);
    await w.write(batch);
    await w.close();
    return path;
  };
  const missing = await write('missing.parquet', [{ name: 'user', type: 'int32' }, { name: 'rating', type: 'float' }], { user: Int32Array.of(1, 2), rating: Float32Array.of(1, 2) });
  await assert.rejects(readRatings(missing), (e: unknown) => e instanceof ParseError && e.message.startsWith(missing) && /no item column: looked for item, itemid/.test(e.message));
  const floatIds = await write('float-ids.parquet', [{ name: 'user', type: 'double' }, { name: 'item', type: 'int32' }, { name: 'rating', type: 'float' }], { user: Float64Array.of(1.5), item: Int32Array.of(1), rating: Float32Array.of(1) });
  await assert.rejects(readRatings(floatIds), (e: unknown) => e instanceof ParseError && /column 'user' holds DOUBLE values; user and item IDs must be integers or strings/.test(e.message));
  const textRating = await write('text-rating.parquet', [{ name: 'user', type: 'int32' }, { name: 'item', type: 'int32' }, { name: 'rating', type: 'string' }], { user: Int32Array.of(1), item: Int32Array.of(1), rating: ['5'] });
  await assert.rejects(readRatings(textRating), (e: unknown) => e instanceof ParseError && /column 'rating' holds BYTE_ARRAY \(STRING\) values; ratings must be numbers/.test(e.message));
  const nulls = await write('nulls.parquet', [{ name: 'user', type: 'string' }, { name: 'item', type: 'string' }, { name: 'rating', type: 'double', nullable: true }], { user: ['a', 'b', 'c'], item: ['x', 'y', 'z'], rating: [4, null, 3] });
  await assert.rejects(readRatings(nulls), (e: unknown) => e instanceof ParseError && e.message.startsWith(nulls) && /column 'rating', row 2: null/.test(e.message));
  const nullId = await write('null-id.parquet', [{ name: 'user', type: 'string', nullable: true }, { name: 'item', type: 'string' }, { name: 'rating', type: 'double' }], { user: ['a', null], item: ['x', 'y'], rating: [4, 3] });
  await assert.rejects(readRatings(nullId), (e: unknown) => e instanceof ParseError && /column 'user', row 2: null/.test(e.message));
  const nan = await write('nan.parquet', [{ name: 'user', type: 'int32' }, { name: 'item', type: 'int32' }, { name: 'rating', type: 'double' }], { user: Int32Array.of(1, 2), item: Int32Array.of(1, 1), rating: Float64Array.of(3, NaN) });
  await assert.rejects(readRatings(nan), (e: unknown) => e instanceof ParseError && /column 'rating', row 2: rating NaN is not a finite number/.test(e.message));
  const empty = join(dir, 'empty-dir');
  (await import('node:fs')).mkdirSync(empty);
  (await import('node:fs')).writeFileSync(join(empty, '_SUCCESS'), '');
  await assert.rejects(readParquetRatings(empty), (e: unknown) => e instanceof ParseError && /holds no data files/.test(e.message));
  const notParquet = join(dir, 'text.parquet');
  (await import('node:fs')).writeFileSync(notParquet, 'user,item,rating\n1,2,3\n');
  await assert.rejects(readRatings(notParquet), (e: unknown) => e instanceof ParseError && /not a readable Parquet file/.test(e.message));
  const notArrow = join(dir, 'text.feather');
  (await import('node:fs')).writeFileSync(notArrow, 'user,item,rating\n1,2,3\n');
  await assert.rejects(readRatings(notArrow), (e: unknown) => e instanceof ParseError && e.message.startsWith(notArrow));
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(readRatings(join(D, 'ratings-zstd.parquet'), { signal: ac.signal }), AbortedError);
});

test('an unsupported codec is a ParseError naming the file and column', async () => {
  // No writer at hand makes LZO: write a one-column snappy file with pyarrow and patch the
  // codec field of its column chunk in the Thrift compact footer.
  if (!existsSync(PY)) return;
  const dir = tempDir();
  const path = join(dir, 'lzo.parquet');
  execFileSync(PY, ['-c', `
import pyarrow as pa, pyarrow.parquet as pq, struct
pq.write_table(pa.table({'user': pa.array([1,2], pa.int32())}), ${JSON.stringify(path)}, compression='snappy', write_statistics=False, store_schema=False)
`]);
  const bytes = new Uint8Array(readFileSync(path));
  const footerLen = new DataView(bytes.buffer).getUint32(bytes.length - 8, true);
  const footer = bytes.subarray(bytes.length - 8 - footerLen, bytes.length - 8);
  // ColumnMetaData: field 1 type (i32 zigzag), 2 encodings (list), 3 path (list), 4 codec (i32).
  // In compact protocol a codec of SNAPPY is the byte pair 0x15 0x02 right after the path list
  // (field delta 1, type i32; zigzag(1) = 2). Find 'user' then the next 0x15 0x02.
  const name = new TextEncoder().encode('user');
  let at = -1;
  for (let k = footer.length - name.length; k >= 0; k--) if (name.every((b, j) => footer[k + j] === b)) { at = k; break; }
  assert.ok(at > 0);
  let p = at + name.length;
  while (!(footer[p] === 0x15 && footer[p + 1] === 0x02)) p++;
  footer[p + 1] = 0x06; // zigzag(3) = LZO
  (await import('node:fs')).writeFileSync(path, bytes);
  await assert.rejects(readParquetMatrix(path), (e: unknown) => e instanceof ParseError && e.message.startsWith(path) && /column 'user' is compressed with LZO/.test(e.message));
});

test('nested (list) columns are read through hyparquet\'s general path; nulls there are found too', async () => {
  // A table with a list column next to the ratings makes the part non-flat for the requested
  // columns only when the list is requested: read the ratings (flat path) and a factor table (general path).
  const dir = tempDir();
  const path = join(dir, 'mixed.parquet');
  const w = await openParquetWriter(path, [{ name: 'user', type: 'int32' }, { name: 'item', type: 'int32' }, { name: 'rating', type: 'float' }, { name: 'features', type: 'float-list' }]);
  await w.write({ user: Int32Array.of(1, 2), item: Int32Array.of(5, 5), rating: Float32Array.of(4, 2), features: { values: Float32Array.of(1, 2, 3, 4), width: 2 } });
  await w.close();
  const r = await readRatings(path);
  assert.deepEqual(Array.from(r.values), [4, 2]);
  const m = await readParquetMatrix(path, { columns: ['rating', 'user'] });
  assert.equal(m.matrix.get(1, 1), 2);
  await assert.rejects(readParquetMatrix(path), (e: unknown) => e instanceof ParseError && /column 'features' holds list values/.test(e.message));
});

test('dense matrices from numeric Parquet and Arrow columns (float64, float32, int32, int64)', async () => {
  const want = JSON.parse(readFileSync(join(D, 'matrix.json'), 'utf8')) as { columns: string[]; rows: number[][] };
  for (const read of [readParquetMatrix, readArrowMatrix]) {
    const f = read === readParquetMatrix ? 'matrix.parquet' : 'matrix.feather';
    const { matrix, columnNames } = await read(join(D, f));
    assert.deepEqual(columnNames, want.columns);
    assert.equal(matrix.rows, 23);
    assert.equal(matrix.cols, 4);
    for (let i = 0; i < 23; i++) for (let j = 0; j < 4; j++) assert.equal(matrix.get(i, j), want.rows[i]![j], `${f} (${i}, ${j})`);
    const sub = await read(join(D, f), { columns: ['d', 'a'], dtype: 'float32' });
    assert.equal(sub.matrix.dtype, 'float32');
    assert.equal(sub.matrix.get(5, 0), want.rows[5]![3]);
  }
  await assert.rejects(readParquetMatrix(join(D, 'ratings-strings.parquet')), (e: unknown) => e instanceof ParseError && /column 'userId' holds BYTE_ARRAY \(STRING\) values; a matrix needs numeric columns/.test(e.message));
});

test('the streaming writer round-trips through the reader, row group by row group, and is atomic', async () => {
  const dir = tempDir();
  const path = join(dir, 'recs.parquet');
  const w = await openParquetWriter(path, [
    { name: 'user', type: 'string' },
    { name: 'item', type: 'int64' },
    { name: 'rating', type: 'float' },
    { name: 'rank', type: 'int32' },
  ]);
  for (let b = 0; b < 4; b++) {
    await w.write({ user: ['u' + b, 'u' + b, 'u' + b], item: [7, 8, 9], rating: Float32Array.of(3, 2, 1), rank: Int32Array.of(1, 2, 3) });
    assert.ok(!readdirSync(dir).includes('recs.parquet'), 'nothing at the destination before close');
  }
  await w.close();
  assert.equal(w.rows, 12);
  const r = await readRatings(path);
  assert.equal(r.size, 12);
  assert.deepEqual(r.ids.userIds, ['u0', 'u1', 'u2', 'u3']);
  assert.deepEqual(r.ids.itemIds, ['7', '8', '9']);
  assert.deepEqual(Array.from(r.values.subarray(0, 3)), [3, 2, 1]);
  const aborted = join(dir, 'aborted.parquet');
  const w2 = await openParquetWriter(aborted, [{ name: 'x', type: 'int32' }]);
  await w2.write({ x: Int32Array.of(1) });
  await w2.abort();
  await assert.rejects(w2.write({ x: Int32Array.of(1) }));
  await assert.rejects(w2.close());
  const w3 = await openParquetWriter(join(dir, 'bad.parquet'), [{ name: 'x', type: 'int32' }]);
  await assert.rejects(w3.write({ y: Int32Array.of(1) } as never), /not in the schema/);
  assert.deepEqual(readdirSync(dir).sort(), ['recs.parquet'], 'no temporary or partial file left behind');
  if (existsSync(PY)) {
    const out = execFileSync(PY, ['-c', `import pyarrow.parquet as pq; f = pq.ParquetFile(${JSON.stringify(path)}); print(f.metadata.num_row_groups, f.schema_arrow.field('item').type, sum(pq.read_table(${JSON.stringify(path)}).column('rank').to_pylist()))`], { encoding: 'utf8' });
    assert.equal(out.trim(), '4 int64 24');
  }
});

test('factor tables (Spark layout: id int32, features array<float>)', async () => {
  const want = JSON.parse(readFileSync(join(D, 'spark-model.json'), 'utf8')) as { rank: number; users: number[]; userFactors: number[][] };
  const f = await readParquetFactors(join(D, 'spark-model', 'userFactors'));
  assert.equal(f.rank, want.rank);
  assert.deepEqual(f.ids, want.users.map(String));
  for (let u = 0; u < want.users.length; u++) for (let a = 0; a < f.rank; a++) assert.equal(f.factors[u * f.rank + a], want.userFactors[u]![a]);
  // With the rank known, the page-by-page path (src/io/parquet-flat.ts) gives the same table,
  // for pyarrow's v1 pages and for our writer's v2 pages; a wrong rank falls back to the
  // general path, which names the row.
  assert.deepEqual(await readParquetFactors(join(D, 'spark-model', 'userFactors'), { rank: 4 }), f);
  const dir = tempDir();
  const ours = join(dir, 'f.parquet');
  const w = await openParquetWriter(ours, [{ name: 'id', type: 'int32' }, { name: 'features', type: 'float-list' }]);
  await w.write({ id: Int32Array.from(f.ids, Number), features: { values: f.factors, width: 4 } });
  await w.close();
  assert.deepEqual(await readParquetFactors(ours, { rank: 4 }), f);
  await assert.rejects(readParquetFactors(ours, { rank: 3 }), (e: unknown) => e instanceof ParseError && /row 1 \(id 27\): 4 values, expected the rank 3/.test(e.message));
});

test('LZ4 frames: literals-only, overlapping matches, linked blocks, uncompressed blocks', () => {
  // Frame: magic, FLG (version 1, independent blocks, no checksums), BD, HC; one compressed
  // block 'abcabcabcabc' = literals 'abc' + match(offset 3, length 9); one uncompressed block 'xyz'.
  const block = [0x35, 0x61, 0x62, 0x63, 0x03, 0x00, 0x10, 0x21]; // token 3 literals, match 5+4=9; then last sequence: 1 literal '!'
  const frame = [0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x82, block.length, 0, 0, 0, ...block, 3, 0, 0, 0x80, 0x78, 0x79, 0x7a, 0, 0, 0, 0];
  const out = new TextDecoder().decode(decodeLz4Frames(Uint8Array.from(frame)));
  assert.equal(out, 'abcabcabcabc!xyz');
  assert.throws(() => decodeLz4Frames(Uint8Array.of(1, 2, 3, 4, 5)), ParseError);
  const badOffset = [0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x82, 5, 0, 0, 0, 0x10, 0x61, 0x09, 0x00, 0x00, 0, 0, 0, 0];
  assert.throws(() => decodeLz4Frames(Uint8Array.from(badOffset)), /reaches before the start/);
});

test('readMatrix / writeMatrix / convert: .parquet and .arrow/.feather by extension, column names kept', async () => {
  const { readMatrixFile, writeMatrix, readMatrixSync } = await import('../../src/io/format.js');
  const { run } = await import('../cli/harness.js');
  const want = JSON.parse(readFileSync(join(D, 'matrix.json'), 'utf8')) as { columns: string[]; rows: number[][] };
  const m = await readMatrixFile(join(D, 'matrix.parquet'));
  assert.equal(m.format, 'parquet');
  assert.deepEqual(m.columnNames, want.columns);
  const dir = tempDir();
  for (const ext of ['parquet', 'feather']) {
    const out = join(dir, `m.${ext}`);
    await writeMatrix(out, m.matrix, { header: m.columnNames });
    const back = await readMatrixFile(out);
    assert.deepEqual(back.columnNames, want.columns);
    for (let i = 0; i < 23; i++) for (let j = 0; j < 4; j++) assert.equal(back.matrix.get(i, j), want.rows[i]![j]);
    assert.throws(() => readMatrixSync(out), /asynchronously only/);
  }
  const csv = join(dir, 'm.csv');
  const r = await run('convert', join(D, 'matrix.feather'), csv);
  assert.equal(r.code, 0, r.err);
  assert.equal(readFileSync(csv, 'utf8').split('\n')[0], 'a,b,c,d');
  const back = join(dir, 'back.parquet');
  assert.equal((await run('convert', csv, back)).code, 0);
  assert.deepEqual((await readMatrixFile(back)).columnNames, want.columns);
  const bad = await run('convert', join(D, 'ratings-strings.parquet'), join(dir, 'x.csv'));
  assert.equal(bad.code, 1);
  assert.match(bad.err, /ratings-strings\.parquet: column 'userId' holds BYTE_ARRAY \(STRING\) values/);
});
