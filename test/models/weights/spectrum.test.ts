/**
 * weightSpectrum and the rank rules against numpy on the exact spectrum
 * (test/fixtures/safetensors/spectra.json, from scripts/gen-safetensors-fixtures.py).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { InvalidArgumentError, NonFiniteInputError } from '../../../src/errors.js';
import { tensorToMatrix } from '../../../src/io/safetensors-codec.js';
import { readSafetensors } from '../../../src/io/safetensors.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { rankForEnergy, rankForError, weightSpectrum } from '../../../src/models/weights/spectrum.js';

const DIR = new URL('../../fixtures/safetensors/', import.meta.url).pathname;
interface Spec {
  shape: number[];
  singularValues: number[];
  stableRank: number;
  'energy0.9': number;
  'energy0.99': number;
  'error0.01': number;
  'error0.05': number;
  relativeErrorAt: Record<string, number>;
}
const spectra = JSON.parse(readFileSync(join(DIR, 'spectra.json'), 'utf8')) as Record<string, Spec>;

describe('weightSpectrum against numpy', async () => {
  const { tensors } = await readSafetensors(join(DIR, 'spectra.safetensors'));
  for (const t of tensors) {
    const want = spectra[t.name]!;
    for (const method of ['svd', 'gram'] as const) {
      test(`${t.name} ${want.shape.join('x')} (${method}): singular values, stable rank, ranks for 90/99% energy and 1/5% error`, () => {
        const sp = weightSpectrum(tensorToMatrix(t), { method });
        assert.deepEqual(sp.shape, want.shape);
        assert.equal(sp.method, method);
        const s1 = want.singularValues[0]!;
        // svd: relative accuracy of each value; gram: s_i^2 to about eps s_1^2.
        want.singularValues.forEach((v, i) => {
          const got = sp.singularValues[i]!;
          if (method === 'svd') assert.ok(Math.abs(got - v) <= 1e-12 * s1, `s[${i}] ${got} vs ${v}`);
          else assert.ok(Math.abs(got * got - v * v) <= 1e-12 * s1 * s1, `s[${i}]^2 ${got * got} vs ${v * v}`);
        });
        assert.ok(Math.abs(sp.stableRank - want.stableRank) <= 1e-12 * want.stableRank);
        assert.equal(sp.rankForEnergy(0.9), want['energy0.9']);
        assert.equal(sp.rankForEnergy(0.99), want['energy0.99']);
        assert.equal(sp.rankForError(0.01), want['error0.01']);
        assert.equal(sp.rankForError(0.05), want['error0.05']);
        for (const [r, e] of Object.entries(want.relativeErrorAt)) {
          assert.ok(Math.abs(sp.relativeError(Number(r)) - e) <= 1e-10, `error at rank ${r}`);
          assert.ok(Math.abs(sp.energyKept(Number(r)) - (1 - e * e)) <= 1e-10);
        }
        assert.ok(Math.abs(sp.normalized()[0]! - 1) < 1e-15);
      });
    }
  }
});

describe('the Gram route reads W where it is', () => {
  test('tall, wide, transposed and strided views, float32 and float64, huge and tiny scales: the same spectrum as svd', () => {
    const base = Matrix.from(Array.from({ length: 300 }, (_, i) => Array.from({ length: 70 }, (_, j) => Math.sin(i * 0.37 + j * 1.3) + (i === j ? 2 : 0) + Math.cos(i * j))));
    const cases: [string, Matrix][] = [
      ['tall', base],
      ['wide (transposed view)', base.T],
      ['float32', base.astype('float32')],
      ['wide float32 copy', base.T.copy({ dtype: 'float32' })],
      ['offset view', base.rowRange(1, 299).colRange(3, 60)],
      ['offset view of a row-major copy', Matrix.from(Array.from({ length: 300 }, (_, i) => Array.from({ length: 70 }, (_, j) => base.get(i, j)))).T.rowRange(2, 50)],
      ['huge', base.scale(1e200)],
      ['tiny', base.scale(1e-200)],
    ];
    for (const [what, W] of cases) {
      const a = weightSpectrum(W, { method: 'svd' }).singularValues;
      const b = weightSpectrum(W, { method: 'gram' }).singularValues;
      assert.equal(b.length, Math.min(W.rows, W.cols), what);
      for (let i = 0; i < a.length; i++) assert.ok(Math.abs((b[i]! / a[0]!) ** 2 - (a[i]! / a[0]!) ** 2) <= 1e-11, `${what}: s[${i}] ${b[i]} vs ${a[i]}`);
    }
    const bad = base.copy();
    bad.set(5, 7, NaN);
    assert.throws(() => weightSpectrum(bad, { method: 'gram' }), (e: unknown) => e instanceof NonFiniteInputError && /NaN at \(5, 7\)/.test(e.message));
  });
});

describe('rank rules', () => {
  test('sigma = (6, 3, 2, 1): 90% of the energy at rank 2; 1/sqrt(50) error at rank 3', () => {
    assert.equal(rankForEnergy([6, 3, 2, 1], 0.9), 2);
    assert.equal(rankForError([6, 3, 2, 1], 1 / Math.sqrt(50) + 1e-12), 3);
    assert.equal(rankForError([6, 3, 2, 1], 1 / Math.sqrt(50) - 1e-12), 4);
    assert.equal(rankForError([6, 3, 2, 1], 0), 4);
    assert.equal(rankForError([6, 3, 0, 0], 0), 2);
    assert.equal(rankForError([0, 0], 0.1), 0);
  });
  test('a tiny error target is not lost to cancellation (tails summed smallest first)', () => {
    const s = [1, 1e-9, 1e-10];
    // After rank 1 the error is sqrt(1e-18 + 1e-20) / ||s|| = 1.00499e-9.
    assert.equal(rankForError(s, 1e-9), 2);
    assert.equal(rankForError(s, 1.01e-9), 1);
    assert.equal(rankForError(s, 1.004e-9), 2);
  });
  test('bad arguments are InvalidArgumentError', () => {
    assert.throws(() => rankForError([1], 1), InvalidArgumentError);
    assert.throws(() => rankForEnergy([1], 0), InvalidArgumentError);
    assert.throws(() => weightSpectrum(Matrix.zeros(3, 3), { method: 'qr' as never }), /option 'method' must be/);
    assert.throws(() => weightSpectrum(Matrix.zeros(0, 3)), /no spectrum/);
  });
});
