/**
 * Exact DMD against the numpy reference of scripts/gen-ssa-dmd-fixtures.py (eigenvalues,
 * modes times amplitudes, frequencies, growth rates, predictions), the true eigenvalues of
 * known linear systems, the eigenvector property of the modes, and bad inputs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../../src/errors.js';
import { matmul } from '../../../src/linalg/matmul.js';
import { pinv } from '../../../src/linalg/lstsq.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { dmd, type Dmd } from '../../../src/models/dynamics/dmd.js';

interface DmdFixture {
  name: string;
  X: number[][];
  rank: number;
  dt: number;
  eigenvalues: [number, number][];
  scaledModesRe: number[][];
  scaledModesIm: number[][];
  frequencies: number[];
  growthRates: number[];
  steps: number;
  predict: number[][];
  reconstruct: number[][];
  known?: [number, number][];
}

function fixture(name: string): DmdFixture {
  return JSON.parse(readFileSync(new URL(`../../fixtures/ssa-dmd/dmd-${name}.json`, import.meta.url), 'utf8')) as DmdFixture;
}

/** For each of our eigenvalues, the index of the nearest reference eigenvalue (a bijection is checked). */
function match(f: Dmd, ref: [number, number][]): number[] {
  const used = new Set<number>();
  return Array.from(f.wReal, (re, j) => {
    let best = -1;
    let dist = Infinity;
    ref.forEach(([a, b], i) => {
      const d = Math.hypot(re - a, f.wImag[j]! - b);
      if (!used.has(i) && d < dist) [best, dist] = [i, d];
    });
    used.add(best);
    return best;
  });
}

function maxDiff(A: Matrix, B: number[][]): number {
  let d = 0;
  B.forEach((row, i) => row.forEach((v, j) => (d = Math.max(d, Math.abs(A.get(i, j) - v)))));
  return d;
}

function maxAbs(B: number[][]): number {
  return Math.max(...B.map((r) => Math.max(...r.map(Math.abs))));
}

describe('dmd against the numpy reference', () => {
  for (const name of ['linear-6', 'sensors-40', 'noisy-rank5']) {
    it(`${name}: eigenvalues, modes x amplitudes, frequencies, growth rates, predictions`, () => {
      const fx = fixture(name);
      const X = Matrix.from(fx.X);
      const f = dmd(X, { rank: fx.rank, dt: fx.dt });
      assert.equal(f.rank, fx.rank);
      assert.equal(f.snapshots, X.cols);
      const idx = match(f, fx.eigenvalues);
      idx.forEach((i, j) => {
        const [a, b] = fx.eigenvalues[i]!;
        assert.ok(Math.hypot(f.wReal[j]! - a, f.wImag[j]! - b) < 1e-10, `eigenvalue ${j}: ${f.wReal[j]} + ${f.wImag[j]}i vs ${a} + ${b}i`);
        assert.ok(Math.abs(f.frequencies[j]! - fx.frequencies[i]!) < 1e-9);
        assert.ok(Math.abs(f.growthRates[j]! - fx.growthRates[i]!) < 1e-9);
        // Phi_j b_j does not depend on how mode j is scaled.
        const scale = Math.max(maxAbs(fx.scaledModesRe), maxAbs(fx.scaledModesIm));
        for (let r = 0; r < X.rows; r++) {
          const mr = f.modesReal.get(r, j);
          const mi = f.modesImag.get(r, j);
          const br = f.amplitudesReal[j]!;
          const bi = f.amplitudesImag[j]!;
          assert.ok(Math.abs(mr * br - mi * bi - fx.scaledModesRe[r]![i]!) < 1e-8 * scale, `mode ${j} row ${r} (re)`);
          assert.ok(Math.abs(mr * bi + mi * br - fx.scaledModesIm[r]![i]!) < 1e-8 * scale, `mode ${j} row ${r} (im)`);
        }
      });
      const xs = maxAbs(fx.X);
      assert.ok(maxDiff(f.predict(fx.steps), fx.predict) < 1e-9 * xs, `predict: ${maxDiff(f.predict(fx.steps), fx.predict)}`);
      assert.ok(maxDiff(f.predict(X.cols, { from: 0 }), fx.reconstruct) < 1e-9 * xs);
    });
  }

  it('recovers the true eigenvalues of a linear system and continues it', () => {
    for (const name of ['linear-6', 'sensors-40']) {
      const fx = fixture(name);
      const X = Matrix.from(fx.X);
      const f = dmd(X, { rank: fx.rank });
      match(f, fx.known!).forEach((i, j) => {
        const [a, b] = fx.known![i]!;
        assert.ok(Math.hypot(f.wReal[j]! - a, f.wImag[j]! - b) < 1e-10, `${name} eigenvalue ${j}`);
      });
      // Exact data: the reconstruction is the snapshots themselves.
      assert.ok(f.predict(X.cols, { from: 0 }).sub(X).norm('max') < 1e-9 * X.norm('max'));
    }
  });

  it('modes are eigenvectors of A = X2 X1^+, ordered by |lambda| with conjugate pairs together', () => {
    const fx = fixture('linear-6');
    const X = Matrix.from(fx.X);
    const m = X.cols;
    const A = matmul(X.colRange(1, m), pinv(X.colRange(0, m - 1)));
    const f = dmd(X, { dt: 0.1 }); // rank: the numerical rank, 6
    assert.equal(f.rank, 6);
    const mags = f.magnitudes;
    for (let j = 1; j < 6; j++) assert.ok(mags[j - 1]! >= mags[j]!);
    for (let j = 0; j < 6; j++) {
      const lr = f.wReal[j]!;
      const li = f.wImag[j]!;
      const pr = f.modesReal.col(j);
      const pi = f.modesImag.col(j);
      // A phi - lambda phi = (A pr - lr pr + li pi) + i (A pi - lr pi - li pr)
      const re = matmul(A, pr).sub(pr.scale(lr)).add(pi.scale(li));
      const im = matmul(A, pi).sub(pi.scale(lr)).sub(pr.scale(li));
      assert.ok(Math.hypot(re.norm('fro'), im.norm('fro')) < 1e-9 * Math.hypot(pr.norm('fro'), pi.norm('fro')), `mode ${j}`);
      if (li > 0) {
        // Its conjugate follows.
        assert.equal(f.wImag[j + 1], -li);
        assert.ok(f.modesImag.col(j + 1).add(pi).norm('max') < 1e-12);
        assert.ok(Math.abs(f.amplitudesImag[j + 1]! + f.amplitudesImag[j]!) < 1e-9);
      }
    }
    // lambda = 0.95 e^{0.3i} at dt = 0.1: 0.3 / (2 pi 0.1) cycles per unit, ln 0.95 / 0.1 growth.
    const j = Array.from(f.wImag).findIndex((v, i) => v > 0 && Math.abs(f.magnitudes[i]! - 0.95) < 1e-9);
    assert.ok(j >= 0);
    assert.ok(Math.abs(f.frequencies[j]! - 0.3 / (2 * Math.PI * 0.1)) < 1e-9);
    assert.ok(Math.abs(f.growthRates[j]! - Math.log(0.95) / 0.1) < 1e-9);
  });

  it('a single state, a real eigenvalue: x_k = 0.5^k', () => {
    const X = Matrix.from([[1, 0.5, 0.25, 0.125]]);
    const f = dmd(X);
    assert.equal(f.rank, 1);
    assert.ok(Math.abs(f.wReal[0]! - 0.5) < 1e-15 && f.wImag[0] === 0);
    assert.ok(Math.abs(f.predict(2).get(0, 1) - 0.5 ** 5) < 1e-15);
    assert.ok(Math.abs(f.predict(1, { from: -1 }).get(0, 0) - 2) < 1e-14);
  });
});

describe('dmd bad inputs', () => {
  const X = Matrix.from([
    [1, 2, 3, 4],
    [0, 1, 0, 1],
  ]);

  it('too few snapshots, non-finite values, not a matrix', () => {
    assert.throws(() => dmd(Matrix.from([[1], [2]])), (e: Error) => e instanceof ShapeError && /at least one row and two snapshots/.test(e.message));
    const bad = X.copy();
    bad.set(1, 2, NaN);
    assert.throws(() => dmd(bad), (e: Error) => e instanceof NonFiniteInputError && /row 1, column 2/.test(e.message));
    assert.throws(() => dmd([[1, 2]] as never), InvalidArgumentError);
  });

  it('rank above the numerical rank, zero snapshots, bad options', () => {
    assert.throws(() => dmd(X, { rank: 3 }), (e: Error) => e instanceof InvalidArgumentError && /rank 3 exceeds the numerical rank 2/.test(e.message));
    assert.throws(() => dmd(Matrix.zeros(3, 4)), /all zero/);
    assert.throws(() => dmd(X, { dt: 0 }), /option 'dt' must be a finite number > 0, got 0/);
    assert.throws(() => dmd(X, { rank: 0 }), /option 'rank' must be an integer >= 1/);
    assert.throws(() => dmd(X, { ranks: 2 } as never), /unknown option 'ranks'/);
    assert.throws(() => dmd(X).predict(-1), /steps must be an integer >= 0/);
    assert.throws(() => dmd(X).predict(2, { from: 0.5 }), /'from' must be an integer/);
  });
});
