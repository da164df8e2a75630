import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../../src/errors.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { confusionAxes } from '../../../src/models/graph/confusion.js';
import { rng } from '../../helpers.js';

interface AxisRef {
  value: number;
  explained: number;
  loadings: number[];
  target_loadings?: number[];
}
interface DigitsFixture {
  labels: string[];
  counts: number[][];
  error_rate: number;
  rows_symmetric: AxisRef[];
  counts_svd: AxisRef[];
}

/** n classes, `diag` correct per class, a little background confusion, plus planted counts. */
function confusion(n: number, diag: number, planted: [number, number, number][], seed = 1): Matrix {
  const g = rng(seed);
  const C = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) C.set(i, j, i === j ? diag : Math.floor(g.nextDouble() * 3));
  for (const [i, j, v] of planted) C.set(i, j, C.get(i, j) + v);
  return C;
}

const labelsOf = (classes: readonly { label: string }[]): string[] => classes.map((c) => c.label).sort();

describe('confusionAxes finds planted confusions', () => {
  it('a group of classes confused among themselves is the leading axis, all loadings positive', () => {
    const G = [2, 5, 8];
    const planted: [number, number, number][] = [];
    for (const i of G) for (const j of G) if (i !== j) planted.push([i, j, 12 + i]);
    const C = confusion(10, 150, planted);
    const labels = 'zero one two three four five six seven eight nine'.split(' ');
    const { axes, errors, total, errorRate } = confusionAxes(C, { labels });
    assert.equal(axes.length, 1);
    const a = axes[0]!;
    assert.deepEqual(labelsOf(a.classes), ['eight', 'five', 'two']);
    assert.ok(a.classes.every((c) => c.loading > 0));
    assert.ok(a.value > 0);
    // massShare: the rate mass among the group over all off-diagonal rate mass.
    let inGroup = 0, all = 0;
    for (let i = 0; i < 10; i++) {
      let row = 0;
      for (let j = 0; j < 10; j++) row += C.get(i, j);
      for (let j = 0; j < 10; j++) {
        if (i === j) continue;
        all += C.get(i, j) / row;
        if (G.includes(i) && G.includes(j)) inGroup += C.get(i, j) / row;
      }
    }
    assert.ok(Math.abs(a.massShare - inGroup / all) < 1e-12, `mass share ${a.massShare} vs ${inGroup / all}`);
    assert.ok(a.explained > 0.5 && a.explained <= 1);
    assert.equal(a.targetLoadings, a.loadings);
    assert.ok(Math.abs(a.loadings.reduce((t, v) => t + v * v, 0) - 1) < 1e-12);
    let off = 0;
    for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) if (i !== j) off += C.get(i, j);
    assert.equal(errors, off);
    assert.equal(total, off + 1500);
    assert.equal(errorRate, off / total);
  });

  it('two groups confused with each other (A <-> B): the top axes span both, one splits A from B by sign', () => {
    const A = [0, 1];
    const B = [6, 7];
    const planted: [number, number, number][] = [];
    for (const i of A) for (const j of B) planted.push([i, j, 20], [j, i, 18]);
    const { axes } = confusionAxes(confusion(9, 120, planted, 3), { k: 2 });
    for (const a of axes) assert.deepEqual(labelsOf(a.classes), ['0', '1', '6', '7']);
    const split = axes.find((a) => a.value < 0);
    assert.ok(split, 'an axis with a negative eigenvalue');
    const sign = (i: number): number => Math.sign(split.loadings[i]!);
    assert.equal(sign(0), sign(1));
    assert.equal(sign(6), sign(7));
    assert.notEqual(sign(0), sign(6));
    assert.ok(Math.abs(axes[0]!.value) >= Math.abs(axes[1]!.value));
  });

  it('symmetrize: false keeps the direction: true classes {1, 3} are mistaken for {4}', () => {
    const planted: [number, number, number][] = [[1, 4, 30], [3, 4, 25]];
    const { axes } = confusionAxes(confusion(6, 100, planted, 5), { symmetrize: false });
    const a = axes[0]!;
    assert.deepEqual(labelsOf(a.classes), ['1', '3']);
    assert.deepEqual(labelsOf(a.targets), ['4']);
    assert.notEqual(a.targetLoadings, a.loadings);
    assert.ok(a.value > 0 && a.massShare > 0.5);
  });

  it("normalize 'rows' (rates) finds the small classes' high error rate that raw counts hide behind a big class", () => {
    const C = Matrix.zeros(7, 7);
    for (let i = 0; i < 7; i++) C.set(i, i, 100);
    C.set(0, 0, 10000);
    C.set(0, 1, 100); // 1% of class 0
    C.set(5, 6, 30); // 23% of class 5
    C.set(6, 5, 25);
    assert.deepEqual(labelsOf(confusionAxes(C).axes[0]!.classes), ['5', '6']);
    assert.deepEqual(labelsOf(confusionAxes(C, { normalize: 'none' }).axes[0]!.classes), ['0', '1']);
  });
});

describe('confusionAxes on a real classifier (numpy reference)', () => {
  const ref = JSON.parse(readFileSync('test/fixtures/confusion/digits-nb.json', 'utf8')) as DigitsFixture;
  const C = Matrix.from(ref.counts);

  it('GaussianNB on digits: eigen-axes of the symmetrized rates match numpy, and 8 leads the confusion', () => {
    const res = confusionAxes(C, { labels: ref.labels, k: 3 });
    assert.ok(Math.abs(res.errorRate - ref.error_rate) < 1e-15);
    res.axes.forEach((a, i) => {
      const r = ref.rows_symmetric[i]!;
      assert.ok(Math.abs(a.value - r.value) < 1e-12, `value ${i}`);
      assert.ok(Math.abs(a.explained - r.explained) < 1e-12, `explained ${i}`);
      r.loadings.forEach((v, j) => assert.ok(Math.abs(a.loadings[j]! - v) < 1e-10, `loading ${i},${j}: ${a.loadings[j]} vs ${v}`));
    });
    assert.equal(res.axes[0]!.classes[0]!.label, '8');
    assert.deepEqual(labelsOf(res.axes[0]!.classes), ['1', '2', '8', '9']);
  });

  it('SVD of the raw counts (symmetrize false, normalize none) matches numpy', () => {
    const res = confusionAxes(C, { k: 2, normalize: 'none', symmetrize: false });
    res.axes.forEach((a, i) => {
      const r = ref.counts_svd[i]!;
      assert.ok(Math.abs(a.value - r.value) < 1e-10 * r.value, `value ${i}`);
      r.loadings.forEach((v, j) => assert.ok(Math.abs(a.loadings[j]! - v) < 1e-10, `u ${i},${j}`));
      r.target_loadings!.forEach((v, j) => assert.ok(Math.abs(a.targetLoadings[j]! - v) < 1e-10, `v ${i},${j}`));
    });
  });
});

describe('edge cases and bad input', () => {
  it('a perfect classifier has no axes; the input is not modified', () => {
    const C = Matrix.diag([5, 6, 7]);
    const before = C.toArray();
    const res = confusionAxes(C);
    assert.deepEqual(res.axes, []);
    assert.equal(res.errorRate, 0);
    assert.deepEqual(C.toArray(), before);
  });

  it('a class with no samples (zero row) is allowed', () => {
    const C = Matrix.from([[10, 2, 0], [0, 0, 0], [3, 1, 9]]);
    const { axes } = confusionAxes(C);
    assert.ok(axes[0]!.loadings.every(Number.isFinite));
  });

  it('typed errors for shapes, values, labels and options', () => {
    assert.throws(() => confusionAxes(Matrix.zeros(3, 4)), ShapeError);
    assert.throws(() => confusionAxes(Matrix.zeros(1, 1)), ShapeError);
    assert.throws(() => confusionAxes(Matrix.from([[1, NaN], [0, 1]])), NonFiniteInputError);
    assert.throws(() => confusionAxes(Matrix.from([[1, -1], [0, 1]])), /counts >= 0/);
    assert.throws(() => confusionAxes(Matrix.identity(3), { labels: ['a', 'b'] }), /2 labels for 3 classes/);
    assert.throws(() => confusionAxes(Matrix.identity(3), { k: 4 }), InvalidArgumentError);
    assert.throws(() => confusionAxes(Matrix.identity(3), { normalize: 'cols' as 'rows' }), /normalize/);
  });
});
