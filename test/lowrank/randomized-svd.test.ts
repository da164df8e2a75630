import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AbortedError, InvalidArgumentError, NonFiniteInputError } from '../../src/errors.js';
import { matmul } from '../../src/linalg/matmul.js';
import { centeredOperator } from '../../src/lowrank/operator.js';
import { randomizedSvd } from '../../src/lowrank/randomized-svd.js';
import { Matrix } from '../../src/matrix/matrix.js';
import * as svdModule from '../../src/linalg/svd.js';
import { BACKEND_NAMES, withBackend } from '../helpers.js';
import { checkAgainstSvd, optimalError, planted, reconstructionError } from './truncated-helpers.js';

const decaying = (r: number, rate = 0.7) => Array.from({ length: r }, (_, i) => 10 * rate ** i);

describe('randomizedSvd', () => {
  test('matches the full SVD on fast-decaying spectra, tall and wide, on every backend', () => {
    for (const backend of BACKEND_NAMES) {
      withBackend(backend, () => {
        for (const [m, n] of [[120, 70], [70, 120]] as const) {
          const A = planted(m, n, decaying(40), 3);
          const r = randomizedSvd(A, 8, { seed: 1 });
          assert.equal(r.info.transposed, m < n);
          checkAgainstSvd(A, r, 8, 1e-12, 1e-10);
        }
      });
    }
  });

  test('is exact when the rank is at most k + oversample', () => {
    const A = planted(90, 60, [5, 4, 3, 2, 1, 0.5], 7);
    const r = randomizedSvd(A, 6, { seed: 2, powerIters: 0 });
    checkAgainstSvd(A, r, 6, 1e-13, 1e-12);
    assert.ok(reconstructionError(A, r) < 1e-12 * A.norm());
  });

  test('k = 1 and k = min(m, n) - 1', () => {
    const A = planted(50, 40, decaying(40, 0.8), 11);
    checkAgainstSvd(A, randomizedSvd(A, 1), 1, 1e-10, 1e-8);
    // l = min(k + 10, 40) = 40: the sketch spans everything, so the result is exact.
    checkAgainstSvd(A, randomizedSvd(A, 39), 39, 1e-12);
  });

  test('with power iterations the error is close to the Eckart-Young optimum on a flat spectrum', () => {
    const A = Matrix.random(200, 150, { seed: 5, distribution: 'normal' });
    const k = 10;
    const best = optimalError(A, k);
    const r0 = randomizedSvd(A, k, { powerIters: 0, seed: 1 });
    const r7 = randomizedSvd(A, k, { powerIters: 7, seed: 1 });
    const e0 = reconstructionError(A, r0);
    const e7 = reconstructionError(A, r7);
    assert.ok(e7 <= 1.01 * best, `q = 7: ${e7} vs optimum ${best}`);
    assert.ok(e7 < e0, 'power iterations help');
  });

  test('every normalizer gives the same subspace on a planted spectrum', () => {
    const A = planted(100, 80, decaying(50, 0.8), 13);
    for (const normalizer of ['lu', 'qr', 'none'] as const) {
      const r = randomizedSvd(A, 5, { normalizer, powerIters: 3, seed: 4 });
      assert.equal(r.info.normalizer, normalizer);
      checkAgainstSvd(A, r, 5, 1e-9, 1e-8);
    }
    assert.equal(randomizedSvd(A, 5, { powerIters: 2 }).info.normalizer, 'qr');
    assert.equal(randomizedSvd(A, 5).info.normalizer, 'lu');
  });

  test('defaults follow scikit-learn: 7 power iterations for small k, 4 otherwise; l = k + 10', () => {
    const A = Matrix.random(60, 50, { seed: 1 });
    const a = randomizedSvd(A, 4);
    assert.equal(a.info.powerIters, 7);
    assert.equal(a.info.sketchSize, 14);
    assert.equal(a.info.matvecs, (2 * 7 + 2) * 14);
    assert.equal(randomizedSvd(A, 5).info.powerIters, 4);
  });

  test('is reproducible for a seed and signs are deterministic', () => {
    const A = Matrix.random(80, 60, { seed: 9, distribution: 'normal' });
    const a = randomizedSvd(A, 5, { seed: 42, powerIters: 1 });
    const b = randomizedSvd(A, 5, { seed: 42, powerIters: 1 });
    const c = randomizedSvd(A, 5, { seed: 43, powerIters: 1 });
    assert.deepEqual(a.s, b.s);
    assert.deepEqual(a.U.data, b.U.data);
    assert.deepEqual(a.Vt.data, b.Vt.data);
    assert.notDeepEqual(a.s, c.s);
    for (let j = 0; j < 5; j++) {
      let best = 0;
      for (let i = 0; i < 80; i++) if (Math.abs(a.U.get(i, j)) > Math.abs(best)) best = a.U.get(i, j);
      assert.ok(best > 0, 'largest entry of each column of U is positive');
    }
  });

  test('float32 input gives float32 factors close to the float64 result', () => {
    const A = planted(90, 70, decaying(30), 17);
    const r32 = randomizedSvd(A.astype('float32'), 5);
    assert.equal(r32.U.dtype, 'float32');
    assert.equal(r32.Vt.dtype, 'float32');
    checkAgainstSvd(A, r32, 5, 1e-5, 1e-4);
  });

  test('an implicit operator gives the result of its dense equivalent', () => {
    const X = Matrix.random(70, 40, { seed: 21 }).add(matmul(Matrix.random(70, 3, { seed: 22 }), Matrix.random(3, 40, { seed: 23 })));
    const op = centeredOperator(X);
    const mu = Array.from({ length: 40 }, (_, j) => {
      let t = 0;
      for (let i = 0; i < 70; i++) t += X.get(i, j);
      return t / 70;
    });
    const dense = X.map((v, _i, j) => v - mu[j]!);
    const a = randomizedSvd(op, 6, { seed: 3 });
    const b = randomizedSvd(dense, 6, { seed: 3 });
    for (let i = 0; i < 6; i++) assert.ok(Math.abs(a.s[i]! - b.s[i]!) < 1e-10 * b.s[0]!);
    assert.ok(a.U.sub(b.U).norm() < 1e-8);
    checkAgainstSvd(dense, a, 6, 1e-2);
  });

  test('tiny and huge scales neither underflow nor overflow', () => {
    const A = planted(60, 40, decaying(30), 29);
    const ref = randomizedSvd(A, 4, { seed: 1 });
    for (const scale of [1e-150, 1e150]) {
      const r = randomizedSvd(A.scale(scale), 4, { seed: 1 });
      for (let i = 0; i < 4; i++) assert.ok(Math.abs(r.s[i]! / scale - ref.s[i]!) < 1e-12 * ref.s[0]!, `scale ${scale}: ${r.s[i]}`);
      assert.ok(r.U.sub(ref.U).norm() < 1e-10);
    }
  });

  test('zero and rank-deficient inputs give finite results', () => {
    const Z = Matrix.zeros(30, 20);
    const z = randomizedSvd(Z, 3);
    assert.deepEqual(Array.from(z.s), [0, 0, 0]);
    assert.ok(z.U.data.every(Number.isFinite) && z.Vt.data.every(Number.isFinite));
    const R = planted(40, 30, [3, 2], 31);
    const r = randomizedSvd(R, 4);
    checkAgainstSvd(R, r, 4, 1e-13);
  });

  test('rejects bad k, bad options and non-finite input with typed errors', () => {
    const A = Matrix.random(10, 8, { seed: 1 });
    for (const k of [0, -1, 1.5, 9, Number.NaN]) assert.throws(() => randomizedSvd(A, k), InvalidArgumentError);
    assert.throws(() => randomizedSvd(A, 2, { oversample: -1 }), InvalidArgumentError);
    assert.throws(() => randomizedSvd(A, 2, { powerIters: 1.5 }), InvalidArgumentError);
    assert.throws(() => randomizedSvd(A, 2, { normalizer: 'svd' as 'qr' }), InvalidArgumentError);
    assert.throws(() => randomizedSvd({} as Matrix, 2), InvalidArgumentError);
    assert.throws(() => randomizedSvd(Matrix.zeros(0, 5), 1), /at least one row/);
    const B = A.copy();
    B.set(3, 4, Number.NaN);
    assert.throws(() => randomizedSvd(B, 2), NonFiniteInputError);
  });

  test('reports progress per power iteration and stops on abort', () => {
    const A = Matrix.random(40, 30, { seed: 1 });
    const seen: number[] = [];
    randomizedSvd(A, 2, { powerIters: 3, onProgress: (p) => seen.push(p.done) });
    assert.deepEqual(seen, [1, 2, 3]);
    const pre = new AbortController();
    pre.abort();
    assert.throws(() => randomizedSvd(A, 2, { signal: pre.signal }), AbortedError);
    const mid = new AbortController();
    assert.throws(() => randomizedSvd(A, 2, { powerIters: 5, signal: mid.signal, onProgress: (p) => { if (p.done === 2) mid.abort('stop'); } }), (e: unknown) => e instanceof AbortedError && e.reason === 'stop');
  });
});

test('entries near overflow or underflow: the sketch is scaled, singular values stay right (dlascl as in dgesdd)', () => {
  const { svdvals } = svdModule;
  for (const [m, n, scale] of [[4, 3, 4.9e307 / 2], [40, 30, 1e306], [40, 30, 2 ** -1000], [40, 30, 1e-300]] as const) {
    const A = Matrix.zeros(m, n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) A.set(i, j, scale * (Math.cos(i + 1) * Math.sin(j + 2) + 1e-3 * Math.sin(7 * i + j)));
    const r = randomizedSvd(A, 3, { seed: 0 });
    const s = svdvals(A);
    for (let i = 0; i < 3; i++) {
      assert.ok(Number.isFinite(r.s[i]!), `s[${i}] at scale ${scale} is ${r.s[i]}`);
      assert.ok(Math.abs(r.s[i]! - s[i]!) <= 1e-10 * s[0]!, `s[${i}] at scale ${scale}: ${r.s[i]} vs ${s[i]}`);
    }
  }
  // In range: no scaling, the same bits as before.
  const B = Matrix.random(20, 10, { seed: 3 });
  const scaled = randomizedSvd(B.scale(2 ** 10), 2, { seed: 1 });
  const plain = randomizedSvd(B, 2, { seed: 1 });
  assert.equal(scaled.s[0], plain.s[0]! * 2 ** 10);
});
