/**
 * compressWeight: ranks and errors equal numpy's on the exact spectrum; the sqrt split of the
 * singular values; the randomized path (fixed rank and adaptive sketch growth) meets its
 * target within a small margin of the optimum; data-aware (SVD-LLM whitening) reproduces
 * numpy's optimal output error and beats plain SVD on the calibration outputs; bad options.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AbortedError, InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../../src/errors.js';
import { activeWasm, kernels } from '../../../src/kernels/index.js';
import { tensorToMatrix } from '../../../src/io/safetensors-codec.js';
import { readSafetensors } from '../../../src/io/safetensors.js';
import { matmul } from '../../../src/linalg/matmul.js';
import { qr } from '../../../src/linalg/qr.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { runSteps } from '../../../src/fit-async.js';
import { adaptiveSvdSteps } from '../../../src/models/weights/adaptive-svd.js';
import { compressWeight, relativeErrorOf } from '../../../src/models/weights/compress.js';
import { weightSpectrum } from '../../../src/models/weights/spectrum.js';

const DIR = new URL('../../fixtures/safetensors/', import.meta.url).pathname;
const spectra = JSON.parse(readFileSync(join(DIR, 'spectra.json'), 'utf8')) as Record<string, Record<string, number> & { relativeErrorAt: Record<string, number>; singularValues: number[] }>;
const whiten = JSON.parse(readFileSync(join(DIR, 'whiten.json'), 'utf8')) as { ranks: Record<string, { plainOutputError: number; whitenedOutputError: number; plainWeightError: number }> };

/** A random m x n matrix with singular values s (float64 or float32). */
function withSpectrum(m: number, n: number, s: number[], seed: number, dtype: 'float64' | 'float32' = 'float64'): Matrix {
  const k = s.length;
  const U = qr(Matrix.random(m, k, { seed, distribution: 'normal' })).Q;
  const V = qr(Matrix.random(n, k, { seed: seed + 1, distribution: 'normal' })).Q;
  const US = U.copy();
  for (let j = 0; j < k; j++) for (let i = 0; i < m; i++) US.set(i, j, U.get(i, j) * s[j]!);
  return matmul(US, V, { transB: true }).astype(dtype);
}

/** ||(W - B A) X^T||_F / ||W X^T||_F directly. */
function outputError(W: Matrix, B: Matrix, A: Matrix, X: Matrix): number {
  const D = W.sub(matmul(B, A));
  return matmul(D, X, { transB: true }).norm('fro') / matmul(W, X, { transB: true }).norm('fro');
}

describe('exact compression against numpy', async () => {
  const { tensors } = await readSafetensors(join(DIR, 'spectra.safetensors'));
  for (const t of tensors) {
    const want = spectra[t.name]!;
    test(`${t.name}: ranks for energy/error targets and the error at a fixed rank`, () => {
      const W = tensorToMatrix(t);
      const e9 = compressWeight(W, { energy: 0.9 });
      assert.equal(e9.method, 'exact');
      assert.equal(e9.rank, want['energy0.9']);
      assert.equal(compressWeight(W, { energy: 0.99 }).rank, want['energy0.99']);
      const err = compressWeight(W, { error: 0.05 });
      assert.equal(err.rank, want['error0.05']);
      assert.ok(err.relativeError <= 0.05 + 1e-6, `error ${err.relativeError}`);
      assert.equal(compressWeight(W, { error: 0.01 }).rank, want['error0.01']);
      const r5 = compressWeight(W, { rank: 5 });
      // Measured on float32 factors: their rounding (~1e-7) on top of numpy's optimum.
      assert.ok(Math.abs(r5.relativeError - want.relativeErrorAt['5']!) <= 2e-6, `${r5.relativeError} vs ${want.relativeErrorAt['5']}`);
      assert.ok(Math.abs(r5.energyKept - (1 - want.relativeErrorAt['5']! ** 2)) <= 1e-10);
      assert.deepEqual([r5.A.rows, r5.A.cols, r5.B.rows, r5.B.cols], [5, W.cols, W.rows, 5]);
      assert.equal(r5.A.dtype, 'float32');
      assert.equal(r5.paramsBefore, W.rows * W.cols);
      assert.equal(r5.paramsAfter, 5 * (W.rows + W.cols));
      // The singular values are split as sqrt into both sides: ||B[:, j]|| = ||A[j, :]|| = sqrt(s_j).
      for (let j = 0; j < 5; j++) {
        const sj = want.singularValues[j]!;
        assert.ok(Math.abs(r5.B.col(j).norm('fro') - Math.sqrt(sj)) <= 1e-5 * Math.sqrt(sj));
        assert.ok(Math.abs(r5.A.row(j).norm('fro') - Math.sqrt(sj)) <= 1e-5 * Math.sqrt(sj));
      }
    });
  }

  test('a rank above min(out, in) is clamped and reproduces W; "smaller" says whether the factors pay off', () => {
    const W = withSpectrum(20, 8, [5, 4, 3, 2, 1, 0.5, 0.2, 0.1], 7);
    const full = compressWeight(W, { rank: 50 });
    assert.equal(full.rank, 8);
    assert.ok(full.relativeError < 1e-13);
    assert.equal(full.smaller, false);
    assert.equal(compressWeight(W, { rank: 5 }).smaller, true);
  });
});

describe('randomized compression (large matrices)', () => {
  const s = Array.from({ length: 600 }, (_, i) => 0.985 ** i);
  const W = withSpectrum(900, 600, s, 11, 'float32');
  const exact = weightSpectrum(W);

  test('fixed rank: randomized SVD in float32, error within 1% of the optimum', () => {
    const c = compressWeight(W, { rank: 40 });
    assert.equal(c.method, 'randomized');
    assert.equal(c.A.dtype, 'float32');
    const best = exact.relativeError(40);
    assert.ok(c.relativeError >= best * (1 - 1e-6) && c.relativeError <= best * 1.01, `${c.relativeError} vs optimum ${best}`);
  });

  test('energy and error targets: the sketch grows until met; the rank is the exact one or barely above', () => {
    for (const [opt, exactRank] of [[{ energy: 0.9 }, exact.rankForEnergy(0.9)], [{ error: 0.2 }, exact.rankForError(0.2)]] as const) {
      const c = compressWeight(W, opt);
      assert.equal(c.method, 'randomized');
      assert.ok(c.rank >= exactRank && c.rank <= exactRank + 2, `rank ${c.rank} vs exact ${exactRank}`);
      if ('error' in opt) assert.ok(c.relativeError <= 0.2 * (1 + 1e-4), `error ${c.relativeError}`);
      else assert.ok(c.energyKept >= 0.9 && 1 - c.relativeError ** 2 >= 0.9 - 1e-4, `energy ${c.energyKept}, error ${c.relativeError}`);
      assert.ok(c.singularValues.length > c.rank, 'the sketch is larger than the rank chosen');
    }
  });

  test('a target that needs more than half the rank falls back to the exact SVD', () => {
    const flat = withSpectrum(560, 540, Array.from({ length: 540 }, (_, i) => 1 - i / 1000), 5, 'float32');
    const c = compressWeight(flat, { energy: 0.9 });
    assert.equal(c.method, 'exact');
    assert.equal(c.rank, weightSpectrum(flat).rankForEnergy(0.9));
  });

  test('the low-memory sketch (one resident copy, used above 64 MiB) at a fixed rank matches the optimum', () => {
    const f = runSteps(adaptiveSvdSteps(W, { energy: 1, fixedRank: 40, maxSketch: 600, lowMemory: true, powerIters: 7 }), undefined, 'test')!;
    assert.equal(f.s.length, 40);
    const c = { A: f.Vt, B: f.U.map((v, _i, j) => v * f.s[j]!) };
    const err = relativeErrorOf(W, c.B, c.A);
    const best = exact.relativeError(40);
    assert.ok(err >= best * (1 - 1e-6) && err <= best * 1.01, `${err} vs optimum ${best}`);
    const g = runSteps(adaptiveSvdSteps(W, { energy: 0.9, maxSketch: 300, lowMemory: true }), undefined, 'test')!;
    assert.ok(g.s.length >= exact.rankForEnergy(0.9) && g.s.length <= exact.rankForEnergy(0.9) + 2);
  });

  test('an aborted signal stops it with AbortedError', () => {
    const ac = new AbortController();
    ac.abort();
    assert.throws(() => compressWeight(W, { energy: 0.9, signal: ac.signal }), AbortedError);
  });
});

describe('data-aware compression (SVD-LLM whitening)', async () => {
  const { tensors } = await readSafetensors(join(DIR, 'whiten.safetensors'));
  const W = tensorToMatrix(tensors.find((t) => t.name === 'W')!);
  const X = tensorToMatrix(tensors.find((t) => t.name === 'X')!);

  test("reproduces numpy's optimal output error and beats plain SVD on the calibration outputs at every rank", () => {
    for (const [r, ref] of Object.entries(whiten.ranks)) {
      const aware = compressWeight(W, { rank: Number(r), activations: X });
      const plain = compressWeight(W, { rank: Number(r) });
      assert.equal(aware.dataAware, true);
      assert.equal(aware.ridge, 0);
      assert.ok(Math.abs(aware.outputRelativeError! - ref.whitenedOutputError) <= 1e-9, `rank ${r}: ${aware.outputRelativeError} vs ${ref.whitenedOutputError}`);
      assert.ok(Math.abs(outputError(W, aware.B, aware.A, X) - ref.whitenedOutputError) <= 1e-9);
      assert.ok(Math.abs(outputError(W, plain.B, plain.A, X) - ref.plainOutputError) <= 1e-9);
      assert.ok(aware.outputRelativeError! < ref.plainOutputError, `rank ${r}`);
      // ... at the price of a larger error on W itself (plain SVD is optimal there).
      assert.ok(aware.relativeError >= ref.plainWeightError - 1e-12);
    }
  });

  test('an error target applies to the outputs', () => {
    const c = compressWeight(W, { error: 0.05, activations: X });
    assert.ok(c.outputRelativeError! <= 0.05 + 1e-12);
    const fewer = compressWeight(W, { rank: c.rank - 1, activations: X });
    assert.ok(fewer.outputRelativeError! > 0.05);
  });

  test('fewer samples than inputs: X^T X is singular, a small ridge is added and outputs still beat plain SVD', () => {
    const few = X.rowRange(0, 12);
    const aware = compressWeight(W, { rank: 5, activations: few });
    assert.ok(aware.ridge > 0, `ridge ${aware.ridge}`);
    const plain = compressWeight(W, { rank: 5 });
    assert.ok(outputError(W, aware.B, aware.A, few) < outputError(W, plain.B, plain.A, few));
    assert.throws(() => compressWeight(W, { rank: 5, activations: few, ridge: 0 }), /not positive definite/);
  });
});

describe('bad arguments', () => {
  const W = Matrix.random(6, 4, { seed: 1 });
  test('exactly one target, known options, fitting activations', () => {
    assert.throws(() => compressWeight(W, {} as never), /give exactly one of rank, energy and error \(got none\)/);
    assert.throws(() => compressWeight(W, { rank: 2, energy: 0.5 }), /got rank, energy/);
    assert.throws(() => compressWeight(W, { rank: 0 }), InvalidArgumentError);
    assert.throws(() => compressWeight(W, { energy: 1.5 }), /option 'energy' must be a number in \(0, 1\]/);
    assert.throws(() => compressWeight(W, { error: 1 }), /option 'error' must be a number in \(0, 1\)/);
    assert.throws(() => compressWeight(W, { rank: 2, ranks: 3 } as never), /unknown option 'ranks'/);
    assert.throws(() => compressWeight(W, { rank: 2, activations: Matrix.zeros(3, 5) }), ShapeError);
    assert.throws(() => compressWeight(Matrix.zeros(0, 4), { rank: 1 }), ShapeError);
  });
  test('relativeErrorOf checks shapes; the zero matrix compresses to error 0', () => {
    assert.throws(() => relativeErrorOf(W, Matrix.zeros(6, 2), Matrix.zeros(3, 4)), ShapeError);
    const z = compressWeight(Matrix.zeros(5, 4), { energy: 0.9 });
    assert.equal(z.relativeError, 0);
  });
});

describe('adaptive SVD on a matrix already in the kernels memory (lowMemory)', () => {
  test('row- and column-major heap views are read in place and give the same factors as a copy; NaN is named', () => {
    kernels();
    const w = activeWasm();
    if (!w) return; // the TypeScript backend (LOWRANK_BACKEND=js) has no heap: nothing to read in place
    const m = 150;
    const n = 90;
    const src = Matrix.random(m, n, { seed: 3, dtype: 'float32' });
    for (const rowMajor of [true, false]) {
      const buf = w.alloc('float32', m * n, false) as Float32Array;
      try {
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) buf[rowMajor ? i * n + j : i + j * m] = src.get(i, j);
        const W = rowMajor ? new Matrix(buf, m, n, 0, n, 1) : new Matrix(buf, m, n, 0, 1, m);
        const settings = { energy: 1, fixedRank: 6, maxSketch: n, lowMemory: true, seed: 0 };
        const a = runSteps(adaptiveSvdSteps(W, settings), undefined, 'test')!;
        const b = runSteps(adaptiveSvdSteps(src.copy(), settings), undefined, 'test')!;
        for (let i = 0; i < 6; i++) assert.ok(Math.abs(a.s[i]! - b.s[i]!) <= 1e-4 * b.s[0]!, `s[${i}] ${a.s[i]} vs ${b.s[i]} (${rowMajor ? 'row' : 'column'}-major)`);
        buf[rowMajor ? 7 * n + 5 : 7 + 5 * m] = NaN;
        assert.throws(() => runSteps(adaptiveSvdSteps(W, settings), undefined, 'test'), (e: unknown) => e instanceof NonFiniteInputError && /NaN at \(7, 5\)/.test(e.message));
      } finally {
        w.release(buf);
      }
    }
  });
});
