import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AbortedError, ConvergenceError, InvalidArgumentError, NonFiniteInputError } from '../../src/errors.js';
import { matmul } from '../../src/linalg/matmul.js';
import { lanczosSvd } from '../../src/lowrank/lanczos-svd.js';
import { asLinearOperator, centeredOperator } from '../../src/lowrank/operator.js';
import { Matrix } from '../../src/matrix/matrix.js';
import type { LinearOperator } from '../../src/matrix/operator.js';
import { CsrMatrix } from '../../src/sparse/csr.js';
import { BACKEND_NAMES, withBackend } from '../helpers.js';
import { checkAgainstSvd, planted } from './truncated-helpers.js';

/** Residual ||A^T u_i - s_i v_i|| and ||A v_i - s_i u_i||, the largest over i, divided by s_1. */
function residual(A: Matrix, r: { U: Matrix; s: Float64Array; Vt: Matrix }): number {
  const AV = matmul(A, r.Vt, { transB: true });
  const AtU = matmul(A, r.U, { transA: true });
  let e = 0;
  for (let j = 0; j < r.s.length; j++) {
    for (let i = 0; i < A.rows; i++) e = Math.max(e, Math.abs(AV.get(i, j) - r.s[j]! * r.U.get(i, j)));
    for (let i = 0; i < A.cols; i++) e = Math.max(e, Math.abs(AtU.get(i, j) - r.s[j]! * r.Vt.get(j, i)));
  }
  return e / r.s[0]!;
}

/** The diagonal operator diag(d) padded to rows x cols: singular values |d| exactly. */
function diagonalOperator(d: number[], rows: number, cols: number): LinearOperator {
  return {
    shape: [rows, cols],
    dtype: 'float64',
    apply: (X) => Matrix.zeros(rows, X.cols).map((_v, i, j) => (i < d.length && i < cols ? d[i]! * X.get(i, j) : 0)),
    applyTranspose: (Y) => Matrix.zeros(cols, Y.cols).map((_v, i, j) => (i < d.length && i < rows ? d[i]! * Y.get(i, j) : 0)),
  };
}

describe('lanczosSvd', () => {
  test('values to 1e-10 relative and accurate vectors on random matrices, tall and wide, on every backend', () => {
    for (const backend of BACKEND_NAMES) {
      withBackend(backend, () => {
        for (const [m, n] of [[130, 80], [80, 130]] as const) {
          const A = Matrix.random(m, n, { seed: m, distribution: 'normal' });
          const r = lanczosSvd(A, 6);
          assert.equal(r.info.method, 'lanczos');
          assert.equal(r.info.transposed, m < n);
          checkAgainstSvd(A, r, 6, 1e-10, 1e-8);
          assert.ok(residual(A, r) < 1e-9, `residual ${residual(A, r)}`);
          for (const v of r.info.residuals!) assert.ok(v <= 1e-10 * r.s[0]!);
        }
      });
    }
  });

  test('clustered and repeated singular values', () => {
    const s = [10, 10, 10 * (1 - 1e-7), 9.99, 5, 5, 5, 1, 0.5, 0.25, ...Array.from({ length: 30 }, (_, i) => 0.1 / (i + 1))];
    const A = planted(150, 100, s, 41);
    const r = lanczosSvd(A, 7);
    checkAgainstSvd(A, r, 7, 1e-10);
    assert.ok(residual(A, r) < 1e-9);
  });

  test('k = 1, k = min(m, n) - 1 and k = min(m, n)', () => {
    const A = Matrix.random(60, 45, { seed: 3, distribution: 'normal' });
    checkAgainstSvd(A, lanczosSvd(A, 1), 1, 1e-10, 1e-8);
    const r44 = lanczosSvd(A, 44);
    assert.equal(r44.info.ncv, 45);
    checkAgainstSvd(A, r44, 44, 1e-12);
    checkAgainstSvd(A.T, lanczosSvd(A.T, 45), 45, 1e-12);
  });

  test('a tighter tolerance gives more accurate values; info reports the run', () => {
    const A = planted(200, 120, Array.from({ length: 120 }, (_, i) => 1 / (1 + 0.05 * i)), 5);
    const loose = lanczosSvd(A, 5, { tol: 1e-4 });
    const tight = lanczosSvd(A, 5, { tol: 1e-12 });
    assert.ok(tight.info.matvecs! > loose.info.matvecs!);
    checkAgainstSvd(A, tight, 5, 1e-12);
    checkAgainstSvd(A, loose, 5, 1e-4);
    assert.equal(tight.info.tol, 1e-12);
    assert.ok(tight.info.restarts! >= 1);
  });

  test('a hand-made operator: exact values of a diagonal, including breakdown past its rank', () => {
    const d = [7, -6, 5, 4.5, 3, 2];
    const op = diagonalOperator(d, 300, 200);
    const r = lanczosSvd(op, 4);
    assert.ok(Math.abs(r.s[0]! - 7) < 1e-12 && Math.abs(r.s[1]! - 6) < 1e-12 && Math.abs(r.s[2]! - 5) < 1e-12 && Math.abs(r.s[3]! - 4.5) < 1e-12);
    // Rank 6, k = 8: the recurrence breaks down and continues; the extra values are zero.
    const all = lanczosSvd(op, 8);
    assert.deepEqual(Array.from(all.s.subarray(6), (v) => Math.abs(v) < 1e-12), [true, true]);
    assert.ok(Math.abs(all.s[5]! - 2) < 1e-12);
    assert.ok(all.U.data.every(Number.isFinite) && all.Vt.data.every(Number.isFinite));
  });

  test('an implicit (centered) operator gives the result of its dense equivalent', () => {
    const X = Matrix.random(90, 50, { seed: 8 });
    let mu = new Float64Array(50);
    mu = mu.map((_v, j) => {
      let t = 0;
      for (let i = 0; i < 90; i++) t += X.get(i, j);
      return t / 90;
    });
    const dense = X.map((v, _i, j) => v - mu[j]!);
    const a = lanczosSvd(centeredOperator(X), 5);
    checkAgainstSvd(dense, a, 5, 1e-10, 1e-8);
    const b = lanczosSvd(dense, 5);
    assert.ok(a.U.sub(b.U).norm() < 1e-7 && a.Vt.sub(b.Vt).norm() < 1e-7);
  });

  test('a sparse CSR matrix, never densified, matches the SVD of its dense copy', () => {
    const S = CsrMatrix.random(400, 250, 0.02, { seed: 2 });
    const r = lanczosSvd(S, 8);
    checkAgainstSvd(S.toDense(), r, 8, 1e-10, 1e-7);
    const w = lanczosSvd(S.transpose(), 8);
    for (let i = 0; i < 8; i++) assert.ok(Math.abs(w.s[i]! - r.s[i]!) < 1e-10 * r.s[0]!);
  });

  test('float32 input gives float32 factors at float32 accuracy', () => {
    const A = planted(120, 80, Array.from({ length: 60 }, (_, i) => 0.9 ** i), 19);
    const r = lanczosSvd(A.astype('float32'), 4);
    assert.equal(r.U.dtype, 'float32');
    assert.equal(r.info.tol, 1e-5);
    checkAgainstSvd(A, r, 4, 1e-5, 1e-4);
    // A generic float32 operator: vectors are converted to float32 for each product.
    const A32 = A.astype('float32');
    const op: LinearOperator = { shape: A.shape, dtype: 'float32', apply: (X) => matmul(A32, X), applyTranspose: (Y) => matmul(A32, Y, { transA: true }) };
    checkAgainstSvd(A, lanczosSvd(op, 4), 4, 1e-5);
    checkAgainstSvd(A, lanczosSvd(asLinearOperator(A32), 4), 4, 1e-5);
  });

  test('tiny and huge scales neither underflow nor overflow', () => {
    const A = Matrix.random(80, 50, { seed: 12, distribution: 'normal' });
    const ref = lanczosSvd(A, 3);
    for (const scale of [1e-150, 1e150]) {
      const r = lanczosSvd(A.scale(scale), 3);
      for (let i = 0; i < 3; i++) assert.ok(Math.abs(r.s[i]! / scale - ref.s[i]!) < 1e-10 * ref.s[0]!, `scale ${scale}: ${r.s[i]}`);
    }
  });

  test('is deterministic for a seed; a zero matrix gives zeros', () => {
    const A = Matrix.random(70, 50, { seed: 4 });
    const a = lanczosSvd(A, 3, { seed: 9 });
    const b = lanczosSvd(A, 3, { seed: 9 });
    assert.deepEqual(a.U.data, b.U.data);
    assert.deepEqual(a.s, b.s);
    const z = lanczosSvd(Matrix.zeros(20, 10), 2);
    assert.deepEqual(Array.from(z.s), [0, 0]);
    assert.ok(z.U.data.every(Number.isFinite));
  });

  test('throws ConvergenceError at the restart cap, with what converged', () => {
    const A = Matrix.random(300, 200, { seed: 6, distribution: 'normal' });
    assert.throws(() => lanczosSvd(A, 10, { maxRestarts: 1, ncv: 12 }), (e: unknown) => e instanceof ConvergenceError && /of 10 singular triplets converged .* after 1 restarts/.test(e.message));
  });

  test('rejects bad k and options, and non-finite input or products', () => {
    const A = Matrix.random(12, 9, { seed: 1 });
    for (const k of [0, 10, 2.5, Number.NaN]) assert.throws(() => lanczosSvd(A, k), InvalidArgumentError);
    assert.throws(() => lanczosSvd(A, 3, { ncv: 3 }), InvalidArgumentError);
    assert.throws(() => lanczosSvd(A, 3, { ncv: 10 }), InvalidArgumentError);
    assert.throws(() => lanczosSvd(A, 3, { tol: 0 }), InvalidArgumentError);
    assert.throws(() => lanczosSvd(A, 3, { maxRestarts: -1 }), InvalidArgumentError);
    const B = A.copy();
    B.set(0, 0, Number.POSITIVE_INFINITY);
    assert.throws(() => lanczosSvd(B, 2), NonFiniteInputError);
    const bad: LinearOperator = { shape: [12, 9], dtype: 'float64', apply: (X) => Matrix.full(12, X.cols, Number.NaN), applyTranspose: (Y) => Matrix.zeros(9, Y.cols) };
    assert.throws(() => lanczosSvd(bad, 2), /operator's apply returned NaN/);
    const wrong: LinearOperator = { shape: [12, 9], dtype: 'float64', apply: (X) => Matrix.zeros(11, X.cols), applyTranspose: (Y) => Matrix.zeros(9, Y.cols) };
    assert.throws(() => lanczosSvd(wrong, 2), /returned 11x1, expected 12x1/);
  });

  test('reports progress per restart and stops on abort', () => {
    const A = Matrix.random(300, 200, { seed: 6, distribution: 'normal' });
    const seen: { stage: string; done: number; total?: number; restart?: number }[] = [];
    const r = lanczosSvd(A, 3, { ncv: 8, onProgress: (p) => seen.push({ stage: p.stage, done: p.done, total: p.total, restart: p.metrics?.restart }) });
    assert.equal(seen.length, r.info.restarts! + 1);
    assert.ok(seen.every((p, i) => p.stage === 'restart' && p.total === 3 && p.restart === i));
    assert.equal(seen.at(-1)!.done, 3);
    const pre = new AbortController();
    pre.abort();
    assert.throws(() => lanczosSvd(A, 3, { signal: pre.signal }), AbortedError);
    const mid = new AbortController();
    assert.throws(() => lanczosSvd(A, 3, { ncv: 8, signal: mid.signal, onProgress: () => mid.abort() }), AbortedError);
  });
});
