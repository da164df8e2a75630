/**
 * eigsh (thick-restart Lanczos, shift-invert, LOBPCG) and eigs (implicitly restarted
 * Arnoldi) against scipy's ARPACK (test/fixtures/graph/, scripts/gen-graph-fixtures.py),
 * against the dense eigensolvers on random matrices, and on bad input.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { AbortedError, ConvergenceError, InvalidArgumentError, NonFiniteInputError, ShapeError, UnsupportedError } from '../../src/errors.js';
import { readSparseSync } from '../../src/io/sparse-io.js';
import { eigvals } from '../../src/linalg/eig.js';
import { eigh, eigvalsh } from '../../src/linalg/eigh.js';
import { matmul } from '../../src/linalg/matmul.js';
import { eigs } from '../../src/lowrank/eigs.js';
import { eigsh, eigshAsync, type EigshResult, type EigshWhich } from '../../src/lowrank/eigsh.js';
import { Matrix } from '../../src/matrix/matrix.js';
import type { LinearOperator } from '../../src/matrix/operator.js';
import { CscMatrix } from '../../src/sparse/csc.js';
import { CsrMatrix } from '../../src/sparse/csr.js';
import { rng } from '../../src/random.js';

const FIX = new URL('../fixtures/graph/', import.meta.url);
const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, FIX), 'utf8')) as T;
const mtx = (name: string): CsrMatrix => (readSparseSync(new URL(name, FIX).pathname) as CsrMatrix | CscMatrix).toCsr();

interface EigshCase {
  file: string;
  k: number;
  which: EigshWhich;
  sigma?: number;
  w: number[];
}

/** A random sparse symmetric n x n matrix (normal values, about `perRow` entries per row). */
function randomSymmetric(n: number, perRow: number, seed: number): CsrMatrix {
  const r = rng(seed);
  const row: number[] = [];
  const col: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < perRow / 2; t++) {
      const j = r.nextInt(n);
      const v = r.nextNormal();
      row.push(i, j);
      col.push(j, i);
      val.push(v, v);
    }
  }
  return CsrMatrix.fromCoo(row, col, val, n, n);
}

/** max_i ||A v_i - w_i v_i|| / ||A||_2-ish and max |V^T V - I|. */
function quality(A: Matrix, r: EigshResult): { residual: number; orth: number } {
  const V = r.V.copy({ dtype: 'float64' });
  const AV = matmul(A, V);
  let res = 0;
  for (let j = 0; j < V.cols; j++) {
    let s = 0;
    for (let i = 0; i < V.rows; i++) s += (AV.get(i, j) - r.w[j]! * V.get(i, j)) ** 2;
    res = Math.max(res, Math.sqrt(s));
  }
  const G = matmul(V, V, { transA: true });
  let orth = 0;
  for (let i = 0; i < G.rows; i++) for (let j = 0; j < G.cols; j++) orth = Math.max(orth, Math.abs(G.get(i, j) - (i === j ? 1 : 0)));
  return { residual: res / Math.max(...Array.from(eigvalsh(A), Math.abs)), orth };
}

function closeValues(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(got.length, want.length, what);
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]!));
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i]! - want[i]!) <= tol * Math.max(scale, 1e-300), `${what}: w[${i}] = ${got[i]} vs ${want[i]} (tol ${tol})`);
  }
}

describe('eigsh', () => {
  const fx = fixture<{ cases: EigshCase[]; sym600_all: number[] }>('eigsh.json');

  test("scipy's eigsh values to 1e-10 relative (LA, SA, LM, shift-invert; a random matrix and a grid Laplacian)", () => {
    for (const c of fx.cases) {
      const A = mtx(c.file);
      const r = eigsh(A, c.k, { which: c.which, sigma: c.sigma });
      closeValues(r.w, c.w, 1e-10, `${c.file} ${c.which}${c.sigma !== undefined ? ` sigma ${c.sigma}` : ''}`);
      assert.ok(Math.max(...r.info.residuals) <= 1e-9 * r.info.normEstimate, `residuals ${Array.from(r.info.residuals)}`);
      assert.equal(r.info.mode, c.sigma === undefined ? 'regular' : 'shift-invert');
    }
  });

  test('vectors: orthonormal, A V = V diag(w); signs fixed; ascending w; dense, CSC and operator inputs agree with CSR', () => {
    const A = mtx('sym-600.mtx');
    const D = A.toDense();
    const r = eigsh(A, 6, { which: 'LA' });
    const q = quality(D, r);
    assert.ok(q.residual < 1e-9 && q.orth < 1e-10, JSON.stringify(q));
    for (let i = 1; i < 6; i++) assert.ok(r.w[i]! >= r.w[i - 1]!);
    for (let j = 0; j < 6; j++) {
      let big = 0;
      for (let i = 0; i < 600; i++) if (Math.abs(r.V.get(i, j)) > Math.abs(big)) big = r.V.get(i, j);
      assert.ok(big > 0, 'largest entry positive');
    }
    const op: LinearOperator = { shape: [600, 600], dtype: 'float64', apply: (X) => A.apply(X), applyTranspose: (Y) => A.applyTranspose(Y) };
    for (const input of [D, A.toCsc(), op]) {
      const s = eigsh(input, 6, { which: 'LA' });
      closeValues(s.w, r.w, 1e-11, 'same values');
      for (let j = 0; j < 6; j++) for (let i = 0; i < 600; i += 37) assert.ok(Math.abs(s.V.get(i, j) - r.V.get(i, j)) < 1e-8);
    }
    // The dense eigh agrees.
    const all = eigh(D).w;
    closeValues(r.w, Array.from(all).slice(-6), 1e-10, 'eigh');
  });

  test('LOBPCG finds the same LA / SA eigenvalues (to its tolerance)', () => {
    const A = mtx('sym-600.mtx');
    for (const which of ['LA', 'SA'] as const) {
      const r = eigsh(A, 4, { which, method: 'lobpcg', tol: 1e-9, maxIter: 3000 });
      const want = which === 'LA' ? fx.sym600_all.slice(-4) : fx.sym600_all.slice(0, 4);
      closeValues(r.w, want, 1e-9, `lobpcg ${which}`);
      assert.equal(r.info.method, 'lobpcg');
    }
    // A good preconditioner (the exact inverse of A - mu I, shifted below the spectrum) makes it converge in a few iterations.
    const G = mtx('grid-laplacian-20x15.mtx');
    const plain = eigsh(G, 3, { which: 'SA', method: 'lobpcg', tol: 1e-8, maxIter: 5000 });
    const shifted = G.toDense();
    for (let i = 0; i < shifted.rows; i++) shifted.set(i, i, shifted.get(i, i) + 0.01);
    const f = eigh(shifted);
    const inv = matmul(matmul(f.V, Matrix.diag(Array.from(f.w, (x) => 1 / x))), f.V, { transB: true });
    const pre = eigsh(G, 3, { which: 'SA', method: 'lobpcg', tol: 1e-8, preconditioner: (R) => matmul(inv, R) });
    closeValues(pre.w, plain.w, 1e-7, 'preconditioned');
    assert.ok(pre.info.restarts < plain.info.restarts / 3, `iterations ${pre.info.restarts} vs ${plain.info.restarts}`);
  });

  test('deflate: with the top two eigenvectors deflated, the next ones come out', () => {
    const A = mtx('sym-600.mtx');
    const top = eigsh(A, 2, { which: 'LA' });
    const next = eigsh(A, 3, { which: 'LA', deflate: top.V });
    closeValues(next.w, fx.sym600_all.slice(-5, -2), 1e-10, 'deflated');
    const cross = matmul(top.V, next.V, { transA: true });
    for (const v of cross.data) assert.ok(Math.abs(v) < 1e-10);
  });

  test('random sparse symmetric matrices (property): values match eigvalsh, residuals small', () => {
    fc.assert(
      fc.property(fc.integer({ min: 210, max: 420 }), fc.integer({ min: 1, max: 7 }), fc.constantFrom<EigshWhich>('LA', 'SA', 'LM'), fc.integer({ min: 1, max: 1e6 }), (n, k, which, seed) => {
        const A = randomSymmetric(n, 6, seed);
        const all = Array.from(eigvalsh(A.toDense()));
        const r = eigsh(A, k, { which, seed });
        const sorted = which === 'LA' ? all.slice(-k) : which === 'SA' ? all.slice(0, k) : [...all].sort((a, b) => Math.abs(b) - Math.abs(a)).slice(0, k).sort((a, b) => a - b);
        const scale = Math.max(Math.abs(all[0]!), Math.abs(all[n - 1]!));
        for (let i = 0; i < k; i++) assert.ok(Math.abs(r.w[i]! - sorted[i]!) <= 1e-10 * scale, `n ${n} k ${k} ${which}: ${r.w[i]} vs ${sorted[i]}`);
        for (const x of r.info.residuals) assert.ok(x <= 1e-9 * scale);
      }),
      { numRuns: 20, seed: 3 },
    );
  });

  test('tiny problems go to the dense route; float32 input; same seed, same vectors', () => {
    const A = randomSymmetric(40, 4, 9);
    const r = eigsh(A, 5, { which: 'SA' });
    assert.equal(r.info.method, 'dense');
    closeValues(r.w, Array.from(eigvalsh(A.toDense())).slice(0, 5), 1e-12, 'dense route');
    const B = randomSymmetric(500, 6, 10);
    const f32 = eigsh(B.astype('float32'), 3, { which: 'LA' });
    assert.equal(f32.V.dtype, 'float32');
    const ref = eigsh(B, 3, { which: 'LA' });
    closeValues(f32.w, ref.w, 1e-5, 'float32');
    const again = eigsh(B, 3, { which: 'LA' });
    assert.deepEqual(Array.from(again.V.data), Array.from(ref.V.data));
    const v0 = eigsh(B, 3, { which: 'LA', v0: new Float64Array(500).fill(1) });
    closeValues(v0.w, ref.w, 1e-10, 'v0');
  });

  test('bad input: non-square, asymmetric (naming the entries), bad k and options, NaN, sigma on a large sparse matrix', () => {
    const A = randomSymmetric(300, 6, 1);
    assert.throws(() => eigsh(CsrMatrix.fromCoo([0], [1], [1], 3, 4), 1), ShapeError);
    const asym = CsrMatrix.fromCoo([0, 1, 2, 5], [1, 0, 2, 7], [1, 2, 3, 4], 300, 300);
    assert.throws(() => eigsh(asym, 2), (e: Error) => e instanceof InvalidArgumentError && /A\[0, 1\] = 1 but A\[1, 0\] = 2/.test(e.message) && /eigs/.test(e.message));
    assert.throws(() => eigsh(Matrix.from([[1, 2], [3, 4]]), 1), /not symmetric/);
    // Explicit zeros stored on one side only are symmetric; an upper entry whose mirror is
    // missing (found only after the last row) is not.
    const zeros = CsrMatrix.fromCoo([0, 1, 2, 3, 5, 7], [1, 0, 7, 3, 2, 2], [1, 1, 0, 2, 0, 1e-30], 300, 300);
    assert.doesNotThrow(() => eigsh(zeros, 1, { which: 'LA' }));
    const late = CsrMatrix.fromCoo([0, 1, 4], [1, 0, 299], [1, 1, 5], 300, 300);
    assert.throws(() => eigsh(late, 1), /A\[4, 299\] = 5 but A\[299, 4\] = 0/);
    assert.throws(() => eigsh(late.toCsc(), 1), /A\[299, 4\] = 0 but A\[4, 299\] = 5/);
    const skew: LinearOperator = { shape: [300, 300], dtype: 'float64', apply: (X) => asym.apply(X), applyTranspose: (Y) => asym.applyTranspose(Y) };
    assert.throws(() => eigsh(skew, 2), /operator is not symmetric/);
    assert.throws(() => eigsh(A, 0), InvalidArgumentError);
    assert.throws(() => eigsh(A, 301), InvalidArgumentError);
    assert.throws(() => eigsh(A, 2, { which: 'BE' as never }), /option 'which' must be one of 'LA', 'SA' or 'LM'/);
    assert.throws(() => eigsh(A, 2, { bogus: 1 } as never), /unknown option 'bogus'/);
    assert.throws(() => eigsh(A, 2, { ncv: 2 }), /ncv/);
    assert.throws(() => eigsh(A, 2, { v0: [1, 2] }), ShapeError);
    const nanV0 = new Float64Array(300);
    nanV0[3] = NaN;
    assert.throws(() => eigsh(A, 2, { v0: nanV0 }), NonFiniteInputError);
    assert.throws(() => eigsh(CsrMatrix.identity(5000), 2, { sigma: 0.5 }), (e: Error) => e instanceof UnsupportedError && /no sparse LDL/.test(e.message));
    assert.throws(() => eigsh(Matrix.diag(Array.from({ length: 250 }, (_, i) => i + 1)), 1, { sigma: 3 }), /singular/);
    assert.throws(() => eigsh(A, 2, { method: 'lobpcg', which: 'LM' }), /'LA'.*'SA'/);
    assert.throws(() => eigsh(A, 2, { preconditioner: (R) => R }), /lobpcg/);
    assert.throws(() => eigsh(A, 4, { which: 'SA', maxIter: 0, ncv: 6, tol: 1e-14 }), ConvergenceError);
  });

  test('abort and async: a fired signal stops it; eigshAsync gives the same values', async () => {
    const A = randomSymmetric(2000, 8, 2);
    const ac = new AbortController();
    ac.abort();
    assert.throws(() => eigsh(A, 3, { signal: ac.signal }), AbortedError);
    const a = await eigshAsync(A, 3, { which: 'LA' });
    const b = eigsh(A, 3, { which: 'LA' });
    assert.deepEqual(Array.from(a.w), Array.from(b.w));
    const steps: number[] = [];
    eigsh(A, 3, { which: 'LA', onProgress: (p) => steps.push(p.done) });
    assert.ok(steps.length > 0 && steps[steps.length - 1] === 3);
  });
});

describe('eigs', () => {
  const fx = fixture<{ cases: { file: string; k: number; which: 'LM' | 'LR'; w: [number, number][] }[]; all: [number, number][] }>('eigs.json');

  test("scipy's eigs eigenvalues to 1e-10 relative (LM, LR) with small residuals; CSC and dense input agree", () => {
    for (const c of fx.cases) {
      const A = mtx(c.file);
      for (const input of [A, A.toCsc(), A.toDense()]) {
        const r = eigs(input, c.k, { which: c.which });
        const scale = Math.max(...c.w.map(([a, b]) => Math.hypot(a, b)));
        for (const [re, im] of c.w) {
          let best = Infinity;
          for (let j = 0; j < c.k; j++) best = Math.min(best, Math.hypot(r.wReal[j]! - re, r.wImag[j]! - im));
          assert.ok(best <= 1e-10 * scale, `${c.which}: ${re} + ${im}i missing (closest ${best})`);
        }
        for (const x of r.info.residuals) assert.ok(x <= 1e-9 * scale, `residual ${x}`);
      }
    }
  });

  test('random nonsymmetric matrices (property): eigs values are eigenvalues of the dense eig, the k wanted ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 210, max: 280 }), fc.integer({ min: 1, max: 5 }), fc.constantFrom('LM', 'LR', 'SR', 'LI') , fc.integer({ min: 1, max: 1e6 }), (n, k, which, seed) => {
        const A = CsrMatrix.random(n, n, 6 / n, { seed, distribution: 'normal' } as never);
        const ev = eigvals(A.toDense());
        const key = (re: number, im: number) => (which === 'LM' ? Math.hypot(re, im) : which === 'LR' ? re : which === 'SR' ? -re : Math.abs(im));
        const keys = Array.from(ev.wReal, (re, i) => key(re, ev.wImag[i]!)).sort((a, b) => b - a);
        const r = eigs(A, k, { which: which as 'LM', seed });
        for (let j = 0; j < k; j++) {
          let best = Infinity;
          for (let i = 0; i < n; i++) best = Math.min(best, Math.hypot(ev.wReal[i]! - r.wReal[j]!, ev.wImag[i]! - r.wImag[j]!));
          assert.ok(best < 1e-8, `not an eigenvalue: ${r.wReal[j]} + ${r.wImag[j]}i`);
          // Among the k most wanted (ties within rounding allowed).
          assert.ok(key(r.wReal[j]!, r.wImag[j]!) >= keys[k - 1]! - 1e-8, `${which}: ${r.wReal[j]} + ${r.wImag[j]}i is not among the ${k} wanted`);
        }
      }),
      { numRuns: 8, seed: 4 },
    );
  });

  test('vectors: unit norm, A v = w v for complex pairs; dense route for tiny matrices', () => {
    const A = mtx('nonsym-500.mtx');
    const r = eigs(A, 4, { which: 'LM' });
    const D = A.toDense();
    const AR = matmul(D, r.VReal);
    const AI = matmul(D, r.VImag);
    for (let j = 0; j < 4; j++) {
      let res = 0;
      let norm = 0;
      for (let i = 0; i < 500; i++) {
        const re = AR.get(i, j) - (r.wReal[j]! * r.VReal.get(i, j) - r.wImag[j]! * r.VImag.get(i, j));
        const im = AI.get(i, j) - (r.wReal[j]! * r.VImag.get(i, j) + r.wImag[j]! * r.VReal.get(i, j));
        res += re * re + im * im;
        norm += r.VReal.get(i, j) ** 2 + r.VImag.get(i, j) ** 2;
      }
      assert.ok(Math.sqrt(res) < 1e-9, `residual ${Math.sqrt(res)}`);
      assert.ok(Math.abs(norm - 1) < 1e-12);
    }
    const small = Matrix.from([[0, 1, 0], [0, 0, 1], [1, 0, 0]]);
    const t = eigs(small, 3);
    assert.equal(t.info.method, 'dense');
    for (let j = 0; j < 3; j++) assert.ok(Math.abs(Math.hypot(t.wReal[j]!, t.wImag[j]!) - 1) < 1e-12);
  });

  test('bad input', () => {
    assert.throws(() => eigs(CsrMatrix.fromCoo([0], [1], [1], 3, 4), 1), ShapeError);
    const A = mtx('nonsym-500.mtx');
    assert.throws(() => eigs(A, 499), InvalidArgumentError);
    assert.throws(() => eigs(A, 2, { which: 'LA' as never }), /option 'which'/);
    assert.throws(() => eigs(A, 2, { ncv: 3 }), /ncv/);
    assert.throws(() => eigs(A, 3, { maxIter: 0, tol: 1e-15 }), ConvergenceError);
  });
});
