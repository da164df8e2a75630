import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AbortedError, InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../../src/errors.js';
import { matmul } from '../../../src/linalg/matmul.js';
import { svd } from '../../../src/linalg/svd.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { toObservedCsr } from '../../../src/models/completion/observed-entries.js';
import { CscMatrix } from '../../../src/sparse/csc.js';
import { CsrMatrix } from '../../../src/sparse/csr.js';
import { softImputeLambdaMax, SoftImpute, SoftImputeFit, type CooEntries, type SoftImputeAlgorithm } from '../../../src/models/completion/soft-impute.js';
import type { Progress } from '../../../src/progress.js';
import { BACKEND_NAMES, rng, withBackend } from '../../helpers.js';

const ALGORITHMS: SoftImputeAlgorithm[] = ['als', 'svd'];

interface Planted {
  X: Matrix;
  observed: CooEntries;
  held: { rows: number[]; cols: number[] };
}

/** X = A B (+ noise), m x n of rank r, each entry observed with probability `frac`. */
function planted(m: number, n: number, r: number, frac: number, seed: number, noise = 0): Planted {
  const X = matmul(Matrix.random(m, r, { seed, distribution: 'normal' }), Matrix.random(r, n, { seed: seed + 1, distribution: 'normal' }));
  const g = rng(seed + 2);
  const rows: number[] = [], cols: number[] = [], values: number[] = [];
  const held = { rows: [] as number[], cols: [] as number[] };
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      if (g.nextDouble() < frac) {
        rows.push(i);
        cols.push(j);
        values.push(X.get(i, j) + noise * g.nextNormal());
      } else {
        held.rows.push(i);
        held.cols.push(j);
      }
    }
  }
  return { X, observed: { rows, cols, values, shape: [m, n] }, held };
}

/** ||pred - X|| / ||X|| over the held-out entries. */
function heldOutError(p: Planted, pred: Float64Array): number {
  let num = 0, den = 0;
  for (let e = 0; e < pred.length; e++) {
    const x = p.X.get(p.held.rows[e]!, p.held.cols[e]!);
    num += (pred[e]! - x) ** 2;
    den += x * x;
  }
  return Math.sqrt(num / den);
}

function maxAbsDiff(A: Matrix, B: Matrix): number {
  let d = 0;
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < A.rows; i++) d = Math.max(d, Math.abs(A.get(i, j) - B.get(i, j)));
  return d;
}

/** Dense SVT_lambda(A) = U (s - lambda)_+ Vt, the nuclear-norm proximal operator. */
function denseSvt(A: Matrix, lambda: number): { Z: Matrix; s: number[] } {
  const f = svd(A);
  const s = Array.from(f.s, (v) => Math.max(0, v - lambda));
  const Z = matmul(f.U.map((v, _i, j) => v * s[j]!), f.Vt);
  return { Z, s: s.filter((v) => v > 0) };
}

describe('SoftImpute: recovery of a planted low-rank matrix', () => {
  // 200x150 of rank 5 from 30% of its entries. Noiseless with the rank given and lambda = 0
  // (rank-constrained imputation), both solvers reach < 1e-2 relative error on the
  // held-out 70% (measured: ~5e-4 at tol 1e-9, ~3e-3 at the default tol 1e-5).
  const p = planted(200, 150, 5, 0.3, 11);
  for (const algorithm of ALGORITHMS) {
    it(`${algorithm}: noiseless, rank given, held-out relative error < 1e-2`, () => {
      const fit = new SoftImpute({ rank: 5, lambda: 0, algorithm, tol: 1e-9, maxIter: 300 }).fit(p.observed);
      assert.equal(fit.nComponents, 5);
      assert.ok(fit.converged, `converged after ${fit.iterations}`);
      const err = heldOutError(p, fit.predictEntries(p.held.rows, p.held.cols));
      assert.ok(err < 1e-2, `held-out error ${err}`);
      assert.ok(fit.trainRmse < 1e-2, `train rmse ${fit.trainRmse}`);
    });
  }

  it('default lambda (lambdaMax / 100) with noise: held-out error near the noise level', () => {
    // Noise std 0.1 on entries of std ~2.2: relative noise ~4.5%. With the true rank the
    // held-out error is at the noise level (measured 4.5%; 7% without a rank cap, 11% with
    // rank 10, where lambdaMax / 30 does better, 8%); bound 6%.
    const q = planted(200, 150, 5, 0.3, 21, 0.1);
    const fit = new SoftImpute({ rank: 5 }).fit(q.observed);
    assert.ok(Math.abs(fit.lambda - fit.lambdaMax / 100) < 1e-12 * fit.lambdaMax);
    const err = heldOutError(q, fit.predictEntries(q.held.rows, q.held.cols));
    assert.ok(err < 0.06, `held-out error ${err}`);
  });

  it('without a rank cap the working rank grows past its start (8) to the planted rank 12', () => {
    const q = planted(120, 100, 12, 0.5, 31);
    const lam = 0.05 * softImputeLambdaMax(q.observed);
    for (const algorithm of ALGORITHMS) {
      const fit = new SoftImpute({ lambda: lam, algorithm, tol: 1e-7, maxIter: 300 }).fit(q.observed);
      assert.ok(fit.nComponents >= 12 && fit.nComponents <= 13, `${algorithm}: rank ${fit.nComponents}`);
      const err = heldOutError(q, fit.predictEntries(q.held.rows, q.held.cols));
      assert.ok(err < 0.25, `${algorithm}: held-out error ${err}`); // shrinkage bias at lambdaMax / 20: measured 15%
      const capped = new SoftImpute({ lambda: lam, rank: 6, algorithm }).fit(q.observed);
      assert.equal(capped.nComponents, 6, algorithm);
    }
  });
});

describe('SoftImpute: the optimisation problem', () => {
  it("'svd' objective never increases (MHT 2010, Lemma 2)", () => {
    const q = planted(80, 60, 4, 0.4, 41, 0.05);
    const fit = new SoftImpute({ algorithm: 'svd', lambda: 0.03 * softImputeLambdaMax(q.observed), rank: 10, tol: 1e-10, maxIter: 200 }).fit(q.observed);
    assert.ok(fit.objective.length >= 5);
    for (let i = 1; i < fit.objective.length; i++) {
      assert.ok(fit.objective[i]! <= fit.objective[i - 1]! * (1 + 1e-10), `objective rose at ${i}: ${fit.objective[i - 1]} -> ${fit.objective[i]}`);
    }
    assert.equal(fit.change.length, fit.objective.length);
  });

  for (const algorithm of ALGORITHMS) {
    it(`${algorithm}: full observation with lambda > 0 gives SVT_lambda(X), the nuclear-norm prox`, () => {
      const X = Matrix.random(12, 9, { seed: 5, distribution: 'normal' });
      const lambda = 1.5;
      const ref = denseSvt(X, lambda);
      const fit = new SoftImpute({ algorithm, lambda, tol: 1e-14, maxIter: 500 }).fit(X);
      assert.equal(fit.nComponents, ref.s.length);
      for (let i = 0; i < ref.s.length; i++) assert.ok(Math.abs(fit.factors.s[i]! - ref.s[i]!) < 1e-8, `s[${i}] ${fit.factors.s[i]} vs ${ref.s[i]}`);
      const d = maxAbsDiff(fit.complete({ keepObserved: false }), ref.Z);
      assert.ok(d < 1e-8, `max |Z - SVT(X)| = ${d}`);
    });

    it(`${algorithm}: full observation, lambda = 0, full rank reproduces the matrix`, () => {
      const X = Matrix.random(10, 7, { seed: 6, distribution: 'normal' });
      const fit = new SoftImpute({ algorithm, lambda: 0, rank: 7, tol: 1e-14, maxIter: 500 }).fit(X);
      const d = maxAbsDiff(fit.factors.reconstruct(), X);
      assert.ok(d < 1e-8, `max |L - X| = ${d}`);
    });
  }

  it('lambda >= lambdaMax gives rank 0; lambdaMax is sigma_1 of the zero-filled observed matrix', () => {
    const q = planted(40, 30, 3, 0.5, 51);
    const dense = Matrix.zeros(40, 30);
    for (let e = 0; e < q.observed.values.length; e++) dense.set(q.observed.rows[e]!, q.observed.cols[e]!, q.observed.values[e]!);
    const s1 = svd(dense).s[0]!;
    const lm = softImputeLambdaMax(q.observed);
    assert.ok(Math.abs(lm - s1) < 1e-9 * s1, `${lm} vs ${s1}`);
    for (const algorithm of ALGORITHMS) {
      const fit = new SoftImpute({ algorithm, lambda: 1.0001 * s1 }).fit(q.observed);
      assert.equal(fit.nComponents, 0);
      assert.ok(fit.converged);
      assert.equal(fit.predict(3, 4), 0);
      const just = new SoftImpute({ algorithm, lambda: 0.95 * s1 }).fit(q.observed);
      assert.equal(just.nComponents, 1, algorithm);
    }
  });

  for (const name of ['lowrank-noisy', 'capped']) {
    it(`agrees with a numpy Soft-Impute reference (${name})`, () => {
      const fx = JSON.parse(readFileSync(new URL(`../../fixtures/soft-impute/${name}.json`, import.meta.url), 'utf8')) as {
        m: number; n: number; lambda: number; lambdaMax: number; rank: number | null; rows: number[]; cols: number[]; values: number[]; s: number[]; completed: number[];
      };
      const observed = { rows: fx.rows, cols: fx.cols, values: fx.values, shape: [fx.m, fx.n] as const };
      assert.ok(Math.abs(softImputeLambdaMax(observed) - fx.lambdaMax) < 1e-9 * fx.lambdaMax);
      const ref = Matrix.fromArray(fx.completed, fx.m, fx.n);
      for (const algorithm of ALGORITHMS) {
        // tol 1e-16: the capped case contracts slowly (~900 iterations), so the step size
        // understates the distance to the fixed point; run until steps vanish in rounding.
        const fit = new SoftImpute({ algorithm, lambda: fx.lambda, rank: fx.rank ?? undefined, tol: 1e-16, maxIter: 3000 }).fit(observed);
        assert.equal(fit.nComponents, fx.s.length, algorithm);
        const d = maxAbsDiff(fit.complete({ keepObserved: false }), ref);
        assert.ok(d < 1e-5 * ref.norm('max'), `${algorithm}: max diff ${d}`);
      }
    });
  }
});

describe('SoftImpute: inputs, results and options', () => {
  const q = planted(30, 25, 3, 0.5, 61);

  it('COO triples, CSR arrays, CsrMatrix, CscMatrix and a dense matrix with NaN give the same fit', () => {
    const { rows, cols, values } = q.observed;
    const dense = Matrix.full(30, 25, NaN);
    for (let e = 0; e < values.length; e++) dense.set(rows[e]!, cols[e]!, values[e]!);
    const csr = toObservedCsr(dense);
    const asCsr = { rows: 30, cols: 25, indptr: csr.indptr, indices: csr.indices, data: csr.values };
    // Triples in reverse order: the result must not depend on the input order.
    const reversed = { rows: Array.from(rows).reverse(), cols: Array.from(cols).reverse(), values: Array.from(values).reverse(), shape: [30, 25] as const };
    const model = new SoftImpute({ rank: 3, lambda: 0.5, seed: 3 });
    const a = model.fit(q.observed).complete();
    const csrMatrix = CsrMatrix.fromCoo(rows, cols, values, 30, 25);
    const cscMatrix = CscMatrix.fromCoo(rows, cols, values, 30, 25);
    for (const other of [dense, asCsr, reversed, csrMatrix, cscMatrix]) assert.equal(maxAbsDiff(model.fit(other).complete(), a), 0);
  });

  it('predict, predictEntries and complete agree; complete keeps the observed entries', () => {
    const fit = new SoftImpute({ rank: 3, lambda: 0.2 }).fit(q.observed);
    const Z = fit.complete({ keepObserved: false });
    const kept = fit.complete();
    assert.ok(Math.abs(fit.predict(4, 7) - Z.get(4, 7)) < 1e-12);
    const pe = fit.predictEntries([0, 29, 5], [0, 24, 6]);
    assert.deepEqual(Array.from(pe), [fit.predict(0, 0), fit.predict(29, 24), fit.predict(5, 6)]);
    const { rows, cols, values } = q.observed;
    for (let e = 0; e < values.length; e += 7) assert.equal(kept.get(rows[e]!, cols[e]!), values[e]);
    assert.deepEqual(fit.shape, [30, 25]);
    assert.throws(() => fit.predict(30, 0), InvalidArgumentError);
    assert.throws(() => fit.predictEntries([1], [1, 2]), InvalidArgumentError);
  });

  it('is reproducible for a seed', () => {
    for (const algorithm of ALGORITHMS) {
      const a = new SoftImpute({ rank: 3, lambda: 0.3, seed: 9, algorithm, maxIter: 7 }).fit(q.observed);
      const b = new SoftImpute({ rank: 3, lambda: 0.3, seed: 9, algorithm, maxIter: 7 }).fit(q.observed);
      assert.deepEqual(a.factors.U.toFlat(), b.factors.U.toFlat());
      assert.deepEqual(a.factors.s, b.factors.s);
      assert.deepEqual(Array.from(a.objective), Array.from(b.objective));
    }
  });

  it('reports progress per iteration; maxIter caps and reports non-convergence', () => {
    const seen: Progress[] = [];
    const fit = new SoftImpute({ rank: 3, lambda: 0, maxIter: 4, tol: 0 }).fit(q.observed, { onProgress: (p) => seen.push(p) });
    assert.equal(fit.iterations, 4);
    assert.equal(fit.converged, false);
    assert.deepEqual(seen.map((p) => p.done), [1, 2, 3, 4]);
    assert.ok(seen.every((p) => p.stage === 'iteration' && p.total === 4 && typeof p.metrics?.objective === 'number'));
  });

  it('an aborted signal throws AbortedError, before or during the fit', () => {
    const ac = new AbortController();
    ac.abort();
    assert.throws(() => new SoftImpute({ rank: 2 }).fit(q.observed, { signal: ac.signal }), AbortedError);
    const ac2 = new AbortController();
    assert.throws(
      () => new SoftImpute({ rank: 2, tol: 0, maxIter: 50 }).fit(q.observed, { signal: ac2.signal, onProgress: (p) => p.done === 2 && ac2.abort() }),
      AbortedError,
    );
  });

  it('rejects bad options and bad observed entries with typed errors', () => {
    assert.throws(() => new SoftImpute({ rank: 0 }), /option 'rank' must be an integer >= 1/);
    assert.throws(() => new SoftImpute({ rank: 2.5 }), InvalidArgumentError);
    assert.throws(() => new SoftImpute({ lambda: -1 }), /option 'lambda' must be a finite number >= 0/);
    assert.throws(() => new SoftImpute({ lambda: 0 }), /lambda = 0 needs a rank/);
    assert.throws(() => new SoftImpute({ maxIter: 0 }), InvalidArgumentError);
    assert.throws(() => new SoftImpute({ tol: -1 }), InvalidArgumentError);
    assert.throws(() => new SoftImpute({ algorithm: 'power' as SoftImputeAlgorithm }), InvalidArgumentError);
    const fails = (make: () => unknown, re: RegExp): void => {
      assert.throws(make, (e: unknown) => e instanceof InvalidArgumentError && re.test(e.message), re.source);
    };
    fails(() => new SoftImpute({ rank: 2.5 }), /^SoftImpute: option 'rank' must be an integer >= 1, got 2.5$/);
    fails(() => new SoftImpute({ algorithm: 'power' as SoftImputeAlgorithm }), /^SoftImpute: option 'algorithm' must be one of 'als' or 'svd', got 'power'$/);
    fails(() => new SoftImpute({ lambda: 0 }), /^SoftImpute: lambda = 0 needs a rank/);
    fails(() => new SoftImpute({ maxRank: 3 } as never), /^SoftImpute: unknown option 'maxRank' \(known: rank, lambda, maxIter, tol, seed, algorithm\)$/);
    fails(() => softImputeLambdaMax({ rows: [0], cols: [0], values: [1], shape: [2, 2] }, { sed: 1 } as never), /^softImputeLambdaMax: unknown option 'sed'/);
    const s = new SoftImpute();
    assert.deepEqual([s.rank, s.lambda, s.maxIter, s.tol, s.seed, s.algorithm], [undefined, undefined, 100, 1e-5, 0, 'als']);
    const small = new SoftImpute({ rank: 1, lambda: 0.01 }).fit({ rows: [0, 1], cols: [0, 1], values: [1, 2], shape: [2, 2] });
    fails(() => small.complete({ keep: false } as never), /^SoftImputeFit\.complete: unknown option 'keep' \(known: keepObserved\)$/);
    assert.equal(small.rank, small.nComponents, 'the deprecated rank still answers');
    const m = new SoftImpute({ rank: 2 });
    assert.throws(() => m.fit({ rows: [0, 5], cols: [0, 1], values: [1, 2], shape: [5, 5] }), /entry 1 is at \(5, 1\), outside the 5x5 matrix/);
    assert.throws(() => m.fit({ rows: [0, -1], cols: [0, 1], values: [1, 2], shape: [5, 5] }), InvalidArgumentError);
    assert.throws(() => m.fit({ rows: [0, 1], cols: [0, 1], values: [1, NaN], shape: [5, 5] }), NonFiniteInputError);
    assert.throws(() => m.fit({ rows: [0, 1], cols: [0], values: [1, 2], shape: [5, 5] }), ShapeError);
    assert.throws(() => m.fit({ rows: [1, 1], cols: [2, 2], values: [1, 2], shape: [5, 5] }), /\(1, 2\) is given more than once/);
    assert.throws(() => m.fit({ rows: [], cols: [], values: [], shape: [-1, 5] }), ShapeError);
    assert.throws(() => m.fit(Matrix.from([[1, Infinity], [NaN, 2]])), NonFiniteInputError);
    assert.throws(() => m.fit({ rows: 2, cols: 2, indptr: [0, 1], indices: [0], data: [1] }), ShapeError);
  });

  it('edge cases: nothing observed and empty shapes are errors; rank above min(m, n) is clamped', async () => {
    // No observed entry leaves every completion equally good: an error, not a zero matrix.
    const none = { rows: [], cols: [], values: [], shape: [4, 3] as [number, number] };
    assert.throws(() => new SoftImpute({ rank: 2 }).fit(none), (e: unknown) =>
      e instanceof InvalidArgumentError && /^SoftImpute\.fit: no observed entries in the 4x3 matrix; give at least one/.test(e.message));
    await assert.rejects(new SoftImpute({ rank: 2 }).fitAsync(none), InvalidArgumentError);
    assert.throws(() => new SoftImpute().fit(Matrix.from([[NaN, NaN], [NaN, NaN]])), /no observed entries in the 2x2 matrix/);
    assert.throws(() => new SoftImpute({ rank: 2 }).fit({ rows: [], cols: [], values: [], shape: [0, 3] }), (e: unknown) =>
      e instanceof ShapeError && /^SoftImpute\.fit: the matrix is empty \(0x3\)/.test(e.message));
    // One observed entry is enough.
    const one = new SoftImpute({ rank: 1, lambda: 0 }).fit({ rows: [1], cols: [2], values: [5], shape: [4, 3] });
    assert.ok(Math.abs(one.predict(1, 2) - 5) < 1e-9);
    const big = new SoftImpute({ rank: 50, lambda: 0.1 }).fit(Matrix.random(6, 4, { seed: 1 }));
    assert.ok(big.nComponents <= 4);
    const vec = new SoftImpute({ rank: 1, lambda: 0 }).fit(Matrix.from([[1, NaN, 3, 4]]));
    assert.ok(Math.abs(vec.predict(0, 2) - 3) < 1e-6);
  });

  it('round-trips through JSON: the same factors, history, predictions and completion', () => {
    for (const algorithm of ALGORITHMS) {
      const fit = new SoftImpute({ rank: 3, lambda: 0.2, maxIter: 30, algorithm }).fit(q.observed);
      const text = JSON.stringify(fit);
      const back = SoftImputeFit.fromJSON(JSON.parse(text));
      assert.deepEqual(back.toJSON(), fit.toJSON());
      assert.deepEqual(Array.from(back.change), Array.from(fit.change), `${algorithm}: change (Infinity written as null)`);
      assert.deepEqual([back.lambda, back.lambdaMax, back.iterations, back.converged, back.trainRmse, back.observedCount, back.nComponents],
        [fit.lambda, fit.lambdaMax, fit.iterations, fit.converged, fit.trainRmse, fit.observedCount, fit.nComponents]);
      assert.deepEqual(Array.from(back.predictEntries(q.held.rows, q.held.cols)), Array.from(fit.predictEntries(q.held.rows, q.held.cols)));
      assert.deepEqual(Array.from(back.complete().data), Array.from(fit.complete().data));
      assert.deepEqual(Array.from(back.complete({ keepObserved: false }).data), Array.from(fit.complete({ keepObserved: false }).data));
    }
    // 'svd' starts from the zero matrix: its first relative change is Infinity.
    const svdFit = new SoftImpute({ rank: 3, lambda: 0.2, maxIter: 3, algorithm: 'svd' }).fit(q.observed);
    assert.equal(svdFit.change[0], Infinity);
    assert.equal(svdFit.toJSON().change[0], null);
    assert.equal(SoftImputeFit.fromJSON(JSON.parse(JSON.stringify(svdFit))).change[0], Infinity);
    // Rank 0 (lambda >= lambdaMax) round-trips too.
    const zero = new SoftImpute({ lambda: 1e9 }).fit(q.observed);
    assert.equal(SoftImputeFit.fromJSON(JSON.parse(JSON.stringify(zero))).complete({ keepObserved: false }).norm('max'), 0);
  });

  it('fromJSON refuses anything but a SoftImputeFit, naming the field', () => {
    const good = new SoftImpute({ rank: 2, lambda: 0.1, maxIter: 5 }).fit({ rows: [0, 1, 2, 2], cols: [0, 1, 0, 2], values: [1, 2, 3, 4], shape: [3, 3] }).toJSON();
    const refuses = (json: unknown, message: RegExp): void => {
      assert.throws(() => SoftImputeFit.fromJSON(json), (e: unknown) => e instanceof InvalidArgumentError && message.test(e.message), String(message));
    };
    const edit = (patch: Record<string, unknown>): unknown => ({ ...good, ...patch });
    refuses(null, /^SoftImputeFit\.fromJSON: expected an object from SoftImputeFit\.toJSON\(\)/);
    refuses([good], /expected an object/);
    refuses(edit({ type: 'NMF' }), /expected type 'SoftImputeFit' version 1/);
    refuses(edit({ version: 2 }), /version 1/);
    refuses(edit({ shape: [3] }), /'shape' must be \[m, n\], two integers >= 1/);
    refuses(edit({ shape: [0, 3] }), /'shape'/);
    refuses(edit({ s: [1, 'x'] }), /'s' must be an array/);
    refuses(edit({ s: [3, 2, 1, 0.5] }), /'s' has 4 values, more than min\(m, n\) = 3/);
    refuses(edit({ U: good.U.slice(1) }), /'U' must be 3 rows/);
    refuses(edit({ Vt: [[1, 2, 3]] }), /'Vt' must be 2 rows of 3 numbers/);
    refuses(edit({ lambda: -1 }), /'lambda' must be a finite number >= 0/);
    refuses(edit({ iterations: 1.5 }), /'iterations' must be an integer >= 0/);
    refuses(edit({ converged: 'yes' }), /'converged' must be true or false/);
    refuses(edit({ change: [] }), /'change' must be an array of \d+ numbers/);
    refuses(edit({ observed: undefined }), /'observed' must be an object/);
    refuses(edit({ observed: { rows: [], cols: [], values: [] } }), /'observed' holds no entries/);
    refuses(edit({ observed: { rows: [0, 5], cols: [0, 0], values: [1, 2] } }), /'observed': observed entries: entry 1 is at \(5, 0\), outside the 3x3 matrix/);
    refuses(edit({ observed: { rows: [0, 0], cols: [1, 1], values: [1, 2] } }), /'observed': .*given more than once/);
    refuses(edit({ observed: { rows: [0], cols: [0, 1], values: [1, 2] } }), /'observed\.rows' must be an array of 2 finite numbers/);
    refuses(edit({ observed: { rows: [0], cols: [0], values: [NaN] } }), /'observed\.values' must be an array/);
  });

  it('gives the same answer on every kernel backend', () => {
    const ref = new SoftImpute({ rank: 3, lambda: 0.2, tol: 1e-12, maxIter: 400 }).fit(q.observed).complete();
    for (const name of BACKEND_NAMES) {
      const Z = withBackend(name, () => new SoftImpute({ rank: 3, lambda: 0.2, tol: 1e-12, maxIter: 400 }).fit(q.observed).complete());
      assert.ok(maxAbsDiff(Z, ref) < 1e-7, name);
    }
  });
});
