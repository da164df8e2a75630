import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeMatrix } from '../../src/io/format.js';
import { readPng, writePng } from '../../src/io/png-file.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { compressImage } from '../../src/models/image/compress.js';
import { assertFails, json, run } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'lowrank-compress-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// A 40x30 RGBA picture: smooth color gradients, a hard-edged square, a varying alpha.
const W = 40, H = 30;
const rgba = new Uint8Array(W * H * 4);
for (let y = 0; y < H; y++) {
  for (let x = 0; x < W; x++) {
    const p = (y * W + x) * 4;
    const inSquare = x > 10 && x < 25 && y > 5 && y < 20;
    rgba[p] = inSquare ? 250 : Math.round(127 + 120 * Math.sin(x / 6));
    rgba[p + 1] = Math.round(127 + 120 * Math.cos((x + y) / 9));
    rgba[p + 2] = (x * y) % 256;
    rgba[p + 3] = 255 - 4 * y;
  }
}
const photo = join(dir, 'photo.png');
await writePng(photo, { width: W, height: H, channels: 4, data: rgba });

describe('lowrank compress', () => {
  it('writes the rank-k PNG and reports what compressImage computes', async () => {
    const out = join(dir, 'small.png');
    const r = json(await run('compress', photo, '--rank', '4', '--out', out, '--method', 'exact', '--json'));
    const img = await readPng(out);
    assert.deepEqual([img.width, img.height, img.channels, img.depth], [W, H, 4, 8]);
    const ref = compressImage({ width: W, height: H, channels: 4, data: rgba }, { rank: 4, method: 'exact' });
    assert.deepEqual(img.data, ref.image.data);
    assert.equal(r.rank, 4);
    assert.equal(r.colorChannels, 3);
    assert.equal(r.alpha, 'kept');
    assert.equal(r.compressionRatio, (4 * (W + H + 1)) / (W * H));
    assert.deepEqual(r.energyRetained, ref.report.energyRetained);
    assert.deepEqual(r.relativeError, ref.report.relativeError);
    assert.equal(r.output, out);
    assert.equal(r.outputBytes, readFileSync(out).length);
  });

  it('human output names the figures; --gray and --drop-alpha give a one-channel image', async () => {
    const out = join(dir, 'gray.png');
    const r = await run('compress', photo, '--rank', '3', '--out', out, '--gray', '--drop-alpha');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    assert.match(r.out, /^compress: .*photo\.png 40x30 gray\+alpha, rank 3 \(exact SVD\)/);
    for (const key of ['energy retained', 'relative error', 'PSNR', 'compression ratio  0.1775']) assert.ok(r.out.includes(key), key);
    assert.match(r.out, /-> .*gray\.png/);
    const img = await readPng(out);
    assert.equal(img.channels, 1);
  });

  it('--rank with a list prints the table (energy rising with the rank) without writing', async () => {
    const r = json(await run('compress', photo, '--rank', '1,2,30', '--json'));
    const rows = r.ranks as { rank: number; energyRetained: { overall: number }; compressionRatio: number }[];
    assert.deepEqual(rows.map((x) => x.rank), [1, 2, 30]);
    assert.ok(rows[0]!.energyRetained.overall < rows[1]!.energyRetained.overall);
    assert.ok(Math.abs(rows[2]!.energyRetained.overall - 1) < 1e-12, 'rank 30 = min(w, h) keeps everything');
    const h = await run('compress', photo, '--rank', '1,2');
    assert.equal(h.code, 0, h.err);
    assert.match(h.out, /rank +energy +rel\. error +PSNR/);
    assert.equal(h.out.trim().split('\n').length, 4);
  });

  it('usage errors exit 2, bad files exit 1, each with one line', async () => {
    assertFails(await run('compress', photo, '--rank', '0'), 2, /--rank must be an integer >= 1/);
    assertFails(await run('compress', photo, '--rank', 'ten'), 2, /--rank/);
    assertFails(await run('compress', photo, '--rank', '3', '--out', join(dir, 'x.jpg')), 2, /\.png/);
    assertFails(await run('compress', photo, '--rank', '2,3', '--out', join(dir, 'y.png')), 2, /one rank/);
    assertFails(await run('compress', photo, '--rank', '2', '--method', 'magic'), 2, /method/);
    assertFails(await run('compress', photo), 2, /--rank/);
    assertFails(await run('compress', join(dir, 'missing.png'), '--rank', '2'), 1, /missing\.png: no such file/);
    const notPng = join(dir, 'fake.png');
    writeFileSync(notPng, '1,2\n3,4\n');
    assertFails(await run('compress', notPng, '--rank', '2'), 1, /fake\.png.*not a PNG/);
  });
});

const DIGITS = 'test/fixtures/confusion/digits-nb.csv';
const ref = JSON.parse(readFileSync('test/fixtures/confusion/digits-nb.json', 'utf8')) as {
  counts: number[][];
  rows_symmetric: { value: number; loadings: number[] }[];
  counts_svd: { value: number }[];
};

interface AxisJson {
  value: number;
  explained: number;
  massShare: number;
  classes: { label: string; loading: number }[];
  targets?: { label: string; loading: number }[];
  loadings: Record<string, number>;
}

describe('lowrank confusion', () => {
  it('a CSV with a header of labels: axes match numpy; 8, 2, 1, 9 lead the confusion', async () => {
    const r = json(await run('confusion', DIGITS, '--k', '2', '--json'));
    assert.equal(r.classes, 10);
    assert.equal(r.total, 1797);
    const axes = r.axes as AxisJson[];
    assert.equal(axes.length, 2);
    axes.forEach((a, i) => {
      assert.ok(Math.abs(a.value - ref.rows_symmetric[i]!.value) < 1e-12);
      ref.rows_symmetric[i]!.loadings.forEach((v, j) => assert.ok(Math.abs(a.loadings[String(j)]! - v) < 1e-10));
    });
    assert.deepEqual(axes[0]!.classes.map((c) => c.label), ['8', '2', '1', '9']);
  });

  it('--directed --counts: true classes and what they are mistaken for', async () => {
    const r = json(await run('confusion', DIGITS, '--directed', '--counts', '--json'));
    const a = (r.axes as AxisJson[])[0]!;
    assert.ok(Math.abs(a.value - ref.counts_svd[0]!.value) < 1e-9 * a.value);
    assert.deepEqual(a.targets!.map((c) => c.label), ['8']);
    assert.equal(r.symmetrize, false);
    assert.equal(r.normalize, 'none');
    const h = await run('confusion', DIGITS, '--directed');
    assert.equal(h.code, 0, h.err);
    assert.match(h.out, /true classes: .*\n {2}predicted as: +8 \(\+/);
  });

  it('pandas-style tables (label column, numeric or empty header corner), headerless files, --labels, .npy', async () => {
    const names = ['cat', 'dog', 'fox'];
    const C = [[50, 9, 1], [7, 40, 2], [1, 3, 60]];
    const pandas = join(dir, 'pandas.csv');
    writeFileSync(pandas, `,${names.join(',')}\n${C.map((row, i) => `${names[i]},${row.join(',')}`).join('\n')}\n`);
    const numericHeader = join(dir, 'numeric.tsv');
    writeFileSync(numericHeader, `0\t1\t2\n${C.map((row) => row.join('\t')).join('\n')}\n`);
    const bare = join(dir, 'bare.txt');
    writeFileSync(bare, C.map((row) => row.join(' ')).join('\n'));
    const npy = join(dir, 'C.npy');
    await writeMatrix(npy, Matrix.from(C));
    const expect = json(await run('confusion', pandas, '--json'));
    assert.deepEqual(expect.labels, names);
    assert.deepEqual((expect.axes as AxisJson[])[0]!.classes.map((c) => c.label).sort(), ['cat', 'dog']);
    for (const [file, labels] of [[numericHeader, ['0', '1', '2']], [bare, ['0', '1', '2']], [npy, ['0', '1', '2']]] as const) {
      const r = json(await run('confusion', file, '--json'));
      assert.deepEqual(r.labels, labels, file);
      assert.equal((r.axes as AxisJson[])[0]!.value, (expect.axes as AxisJson[])[0]!.value, file);
    }
    const relabeled = json(await run('confusion', bare, '--labels', 'a,b,c', '--json'));
    assert.deepEqual(relabeled.labels, ['a', 'b', 'c']);
    const human = await run('confusion', pandas);
    assert.match(human.out, /^confusion: 3 classes, 173 samples, 23 errors \(13\.29%\)/);
    assert.match(human.out, /axis 1: eigenvalue .*\n {2}classes: (cat|dog) \(\+0\.\d+\), (cat|dog) \(\+0\.\d+\)\n$/);
  });

  it('a perfect classifier, bad tables and bad options', async () => {
    const perfect = join(dir, 'perfect.csv');
    writeFileSync(perfect, '5,0\n0,7\n');
    assert.match((await run('confusion', perfect)).out, /no confusion/);
    const ragged = join(dir, 'ragged.csv');
    writeFileSync(ragged, '1,2,3\n4,5\n6,7,8\n');
    assertFails(await run('confusion', ragged), 1, /ragged\.csv:2: expected 3 fields/);
    const wide = join(dir, 'wide.csv');
    writeFileSync(wide, '1,2,3,4\n5,6,7,8\n');
    assertFails(await run('confusion', wide), 1, /must be square/);
    const mismatch = join(dir, 'mismatch.csv');
    writeFileSync(mismatch, ',a,b\nb,1,2\na,3,4\n');
    assertFails(await run('confusion', mismatch), 1, /row labels .* differ from the column labels/);
    const negative = join(dir, 'negative.csv');
    writeFileSync(negative, '1,-2\n3,4\n');
    assertFails(await run('confusion', negative), 1, /counts >= 0/);
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, '1,2\n3,x\n');
    assertFails(await run('confusion', bad), 1, /bad\.csv:2: column 2: 'x' is not a number/);
    assertFails(await run('confusion', DIGITS, '--k', '11'), 2, /at most the number of classes \(10\)/);
    assertFails(await run('confusion', DIGITS, '--k', '0'), 2, /--k must be an integer >= 1/);
    assertFails(await run('confusion', DIGITS, '--labels', 'a,b'), 2, /2 labels/);
    assertFails(await run('confusion', join(dir, 'nope.csv')), 1, /nope\.csv: no such file/);
  });
});
