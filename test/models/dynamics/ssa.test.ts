/**
 * Singular spectrum analysis against the dense numpy reference of
 * scripts/gen-ssa-dmd-fixtures.py (singular values, reconstructions, w-correlations, LRR,
 * recurrent and vector forecasts, MSSA), plus properties: the FFT trajectory operator
 * agrees with the dense trajectory matrix, a partition of all eigentriples reconstructs
 * the series, a series governed by a known recurrence is forecast exactly, and bad inputs
 * are clear errors.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { AbortedError, InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../../src/errors.js';
import { matmul } from '../../../src/linalg/matmul.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { mssa, mssaAsync, ssa, ssaAsync, TrajectoryOperator, trajectoryMatrix, type SsaGroups } from '../../../src/models/dynamics/ssa.js';
import { Fft } from '../../../src/models/dynamics/ssa-fft.js';
import type { Progress } from '../../../src/progress.js';
import { rng } from '../../helpers.js';

interface SsaFixture {
  name: string;
  series: number[] | number[][];
  window: number;
  s: number[];
  groups: number[][];
  reconstructions: number[][] | number[][][];
  wcorrGroups: number[][];
  wcorr: number[][];
  forecastGroup: number[];
  horizon: number;
  rforecast: number[] | number[][];
  vforecast: number[] | number[][];
  lrr: number[];
  verticality: number;
}

function fixture(name: string): SsaFixture {
  return JSON.parse(readFileSync(new URL(`../../fixtures/ssa-dmd/ssa-${name}.json`, import.meta.url), 'utf8')) as SsaFixture;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** max |a - b| / scale. */
function diff(a: ArrayLike<number>, b: ArrayLike<number>, scale = 1): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d / scale;
}

const EPS = 2 ** -52;

describe('ssa against the numpy reference (dense SVD)', () => {
  for (const name of ['seasonal', 'short-wide']) {
    it(`${name}: singular values, reconstructions, w-correlations, LRR and forecasts`, () => {
      const fx = fixture(name);
      const x = fx.series as number[];
      const f = ssa(x, { window: fx.window });
      const N = x.length;
      const L = fx.window;
      const K = N - L + 1;
      assert.equal(f.solver, 'full');
      assert.equal(f.rank, Math.min(L, K));
      assert.equal(f.k, K);
      // Singular values: backward stable SVD, errors within a modest multiple of eps max(L, K) s_1.
      const s1 = fx.s[0]!;
      assert.ok(diff(f.s, fx.s, s1) < 10 * EPS * Math.max(L, K), `s: ${diff(f.s, fx.s, s1)}`);
      // ||X||_F^2 = sum of all eigenvalues; contributions sum to 1.
      const total = fx.s.reduce((a, v) => a + v * v, 0);
      assert.ok(Math.abs(f.totalEnergy - total) < 1e-12 * total);
      assert.ok(Math.abs(f.contributions.reduce((a, v) => a + v, 0) - 1) < 1e-12);
      const scale = maxAbs(x);
      const rec = f.reconstruct(fx.groups);
      fx.groups.forEach((g, i) => assert.ok(diff(rec[i]!, fx.reconstructions[i] as number[], scale) < 1e-11, `group ${g}: ${diff(rec[i]!, fx.reconstructions[i] as number[], scale)}`));
      const W = f.wcorr(fx.wcorrGroups);
      for (let i = 0; i < fx.wcorr.length; i++) for (let j = 0; j < fx.wcorr.length; j++) assert.ok(Math.abs(W.get(i, j) - fx.wcorr[i]![j]!) < 1e-9, `wcorr (${i}, ${j}): ${W.get(i, j)} vs ${fx.wcorr[i]![j]}`);
      const { coefficients, verticality } = f.lrr([fx.forecastGroup]);
      assert.ok(Math.abs(verticality - fx.verticality) < 1e-12);
      assert.ok(diff(coefficients, fx.lrr, maxAbs(fx.lrr)) < 1e-10, `lrr: ${diff(coefficients, fx.lrr, maxAbs(fx.lrr))}`);
      const rf = f.forecast(fx.horizon, { groups: [fx.forecastGroup] });
      assert.ok(diff(rf, fx.rforecast as number[], scale) < 1e-9, `rforecast: ${diff(rf, fx.rforecast as number[], scale)}`);
      const vf = f.forecast(fx.horizon, { groups: [fx.forecastGroup], method: 'vector' });
      assert.ok(diff(vf, fx.vforecast as number[], scale) < 1e-9, `vforecast: ${diff(vf, fx.vforecast as number[], scale)}`);
      // The union of the groups is what counts: [0, [1, 2], [3, 4]] is the same signal.
      const split = f.forecast(fx.horizon, { groups: fx.forecastGroup.map((t) => [t]) });
      assert.ok(diff(split, rf, scale) < 1e-13);
    });
  }

  it('w-correlation of every eigentriple by default: symmetric, unit diagonal, values in [-1, 1]', () => {
    const fx = fixture('seasonal');
    const W = ssa(fx.series as number[], { window: fx.window, rank: 10, solver: 'full' }).wcorr();
    assert.deepEqual(W.shape, [10, 10]);
    for (let i = 0; i < 10; i++) {
      assert.equal(W.get(i, i), 1);
      for (let j = 0; j < 10; j++) {
        assert.equal(W.get(i, j), W.get(j, i));
        assert.ok(Math.abs(W.get(i, j)) <= 1);
      }
    }
    // The pairs of the two oscillations are strongly correlated, trend and oscillations are not.
    assert.ok(W.get(1, 2) > 0.9 && W.get(3, 4) > 0.9, `pairs: ${W.get(1, 2)}, ${W.get(3, 4)}`);
    assert.ok(Math.abs(W.get(0, 1)) < 0.05 && Math.abs(W.get(2, 3)) < 0.05);
  });

  it('MSSA: common eigenvectors, reconstructions and forecasts per series', () => {
    const fx = fixture('mssa');
    const series = fx.series as number[][];
    const f = mssa(series, { window: fx.window });
    const L = fx.window;
    const K = series[0]!.length - L + 1;
    assert.equal(f.count, 2);
    assert.equal(f.rank, Math.min(L, 2 * K));
    assert.deepEqual(f.V.shape, [2 * K, f.rank]);
    assert.ok(diff(f.s, fx.s, fx.s[0]) < 1e-13 * Math.max(L, 2 * K));
    const scale = Math.max(...series.map(maxAbs));
    const rec = f.reconstruct(fx.groups);
    fx.groups.forEach((_, g) => {
      for (let q = 0; q < 2; q++) assert.ok(diff(rec[g]![q]!, (fx.reconstructions[g] as number[][])[q]!, scale) < 1e-11);
    });
    const W = f.wcorr(fx.wcorrGroups);
    for (let i = 0; i < fx.wcorr.length; i++) for (let j = 0; j < fx.wcorr.length; j++) assert.ok(Math.abs(W.get(i, j) - fx.wcorr[i]![j]!) < 1e-9);
    const rf = f.forecast(fx.horizon, { groups: [fx.forecastGroup] });
    const vf = f.forecast(fx.horizon, { groups: [fx.forecastGroup], method: 'vector' });
    for (let q = 0; q < 2; q++) {
      assert.ok(diff(rf[q]!, (fx.rforecast as number[][])[q]!, scale) < 1e-9, `rforecast ${q}`);
      assert.ok(diff(vf[q]!, (fx.vforecast as number[][])[q]!, scale) < 1e-9, `vforecast ${q}`);
    }
    // A Matrix whose columns are the series gives the same decomposition.
    const M = Matrix.fromArray([...series[0]!, ...series[1]!], series[0]!.length, 2);
    assert.ok(diff(mssa(M, { window: L }).s, f.s, f.s[0]) < 1e-14);
  });
});

describe('ssa with the matrix-free truncated solvers (FFT trajectory operator)', () => {
  const fx = fixture('long');
  const x = fx.series as number[];
  const scale = maxAbs(x);
  const L = fx.window;

  it('lanczos: the leading singular values and reconstructions to the tolerance', () => {
    const f = ssa(x, { window: L, rank: 8, solver: 'lanczos', tol: 1e-12 });
    assert.equal(f.solver, 'lanczos');
    assert.ok(diff(f.s, fx.s.slice(0, 8), fx.s[0]) < 1e-10, `s: ${diff(f.s, fx.s.slice(0, 8), fx.s[0])}`);
    const rec = f.reconstruct(fx.groups);
    fx.groups.forEach((g, i) => assert.ok(diff(rec[i]!, fx.reconstructions[i] as number[], scale) < 1e-8, `group ${g}: ${diff(rec[i]!, fx.reconstructions[i] as number[], scale)}`));
    const rf = f.forecast(fx.horizon, { groups: [fx.forecastGroup] });
    assert.ok(diff(rf, fx.rforecast as number[], scale) < 1e-7, `rforecast ${diff(rf, fx.rforecast as number[], scale)}`);
  });

  it("randomized (and 'auto' for a long series): the signal's eigentriples", () => {
    const f = ssa(x, { window: L, rank: 8, solver: 'randomized', seed: 3 });
    assert.equal(f.solver, 'randomized');
    // Components 0-4 (trend and two sine pairs) stand far above the noise: accurate.
    assert.ok(diff(f.s.slice(0, 5), fx.s.slice(0, 5), fx.s[0]) < 1e-10, `s: ${diff(f.s.slice(0, 5), fx.s.slice(0, 5), fx.s[0])}`);
    const rec = f.reconstruct(fx.groups);
    fx.groups.forEach((g, i) => assert.ok(diff(rec[i]!, fx.reconstructions[i] as number[], scale) < 1e-6, `group ${g}: ${diff(rec[i]!, fx.reconstructions[i] as number[], scale)}`));
    const vf = f.forecast(fx.horizon, { groups: [fx.forecastGroup], method: 'vector' });
    assert.ok(diff(vf, fx.vforecast as number[], scale) < 1e-5, `vforecast ${diff(vf, fx.vforecast as number[], scale)}`);
    // 'auto' leaves the dense SVD when min(L, K)^2 max(L, K) > 2^28.
    const big = Float64Array.from({ length: 20000 }, (_, k) => Math.sin(k / 10) + 1e-3 * k);
    const g = ssa(big, { window: 2000, rank: 3 });
    assert.equal(g.solver, 'randomized');
    assert.ok(g.s[0]! > g.s[2]!);
  });

  it('reports progress and stops on abort', () => {
    const seen: Progress[] = [];
    ssa(x, { window: L, rank: 5, solver: 'randomized', onProgress: (p) => seen.push(p) });
    assert.ok(seen.some((p) => p.stage === 'power iteration'));
    const ac = new AbortController();
    let calls = 0;
    assert.throws(
      () =>
        ssa(x, {
          window: L,
          rank: 5,
          solver: 'randomized',
          signal: ac.signal,
          onProgress: () => {
            if (++calls === 2) ac.abort();
          },
        }),
      AbortedError,
    );
    ac.abort();
    assert.throws(() => ssa(x, { window: L, signal: ac.signal }), AbortedError);
  });

  it('ssaAsync and mssaAsync give the synchronous results and stop on a timer', async () => {
    for (const solver of ['lanczos', 'randomized', 'full'] as const) {
      const a = ssa(x, { window: L, rank: 6, solver, seed: 1 });
      const b = await ssaAsync(x, { window: L, rank: 6, solver, seed: 1 });
      assert.deepEqual(b.s, a.s, solver);
      assert.deepEqual(b.reconstruct([0, [1, 2]]), a.reconstruct([0, [1, 2]]), solver);
    }
    const y = x.map((v, k) => v + Math.cos(k / 7));
    const m = mssa([x, y], { window: L, rank: 5, solver: 'lanczos' });
    const n = await mssaAsync([x, y], { window: L, rank: 5, solver: 'lanczos' });
    assert.deepEqual(n.s, m.s);
    await assert.rejects(mssaAsync([x, y.slice(1)], { window: L }), ShapeError);
    // A randomized solve of 10,000 power iterations (minutes) yields to the event loop
    // between them, so a timer's abort stops it long before its end. The bound is loose:
    // a loaded machine stretches every step (one took 6 s with 20 jobs on 2 cores).
    const long = Float64Array.from({ length: 50_000 }, (_, k) => Math.sin(k / 50) + Math.sin(k / 7.3) + 1e-3 * ((k * 7919) % 101));
    const t0 = performance.now();
    await assert.rejects(ssaAsync(long, { window: 1000, rank: 20, solver: 'randomized', powerIters: 10_000, signal: AbortSignal.timeout(50) }),
      (e: Error) => e instanceof AbortedError && /ssaAsync was aborted/.test(e.message));
    assert.ok(performance.now() - t0 < 30_000, `aborted after ${(performance.now() - t0).toFixed(0)} ms`);
  });
});

describe('ssa properties', () => {
  it('the FFT trajectory operator equals the dense trajectory matrix (any shape, several series)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 90 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (N, count, p, seed) => {
        const r = rng(seed);
        const L = 1 + (seed % N);
        const series = Array.from({ length: count }, () => Float64Array.from({ length: N }, () => r.nextNormal()));
        const op = new TrajectoryOperator(series, L);
        const X = trajectoryMatrix(series, L);
        assert.deepEqual(op.shape, [L, count * (N - L + 1)]);
        const V = Matrix.random(X.cols, p, { seed });
        const U = Matrix.random(L, p, { seed: seed + 1 });
        const a = op.apply(V);
        const b = matmul(X, V);
        const c = op.applyTranspose(U);
        const d = matmul(X, U, { transA: true });
        const tol = 1e-13 * Math.max(1, X.norm('fro'));
        assert.ok(a.sub(b).norm('max') < tol * Math.max(1, V.norm('fro')));
        assert.ok(c.sub(d).norm('max') < tol * Math.max(1, U.norm('fro')));
      }),
      { numRuns: 40 },
    );
  });

  it('the blocked products of long series, both orientations, several series, into given outputs', () => {
    const r = rng(11);
    for (const [N, L, count] of [[5000, 300, 2], [5000, 4700, 2], [4097, 2049, 1], [3000, 1, 1], [3000, 3000, 1]] as const) {
      const series = Array.from({ length: count }, () => Float64Array.from({ length: N }, () => r.nextNormal()));
      const op = new TrajectoryOperator(series, L);
      const X = trajectoryMatrix(series, L);
      const V = Matrix.random(X.cols, 3, { seed: N + L });
      const U = Matrix.random(L, 3, { seed: N - L });
      const tol = 1e-13 * X.norm('fro');
      assert.ok(op.apply(V).sub(matmul(X, V)).norm('max') < tol * V.norm('fro'), `apply N ${N} L ${L}`);
      assert.ok(op.applyTranspose(U).sub(matmul(X, U, { transA: true })).norm('max') < tol * U.norm('fro'), `applyTranspose N ${N} L ${L}`);
      // Into a caller's matrix (even a column-major view with an offset): every entry written.
      const big = Matrix.full(X.cols + 2, 5, NaN);
      const Z = big.slice(1, X.cols + 1, 1, 4);
      op.applyTransposeInto(U, Z);
      assert.ok(Z.sub(matmul(X, U, { transA: true })).norm('max') < tol * U.norm('fro'));
      assert.ok(Number.isNaN(big.get(0, 1)) && Number.isNaN(big.get(1, 0)));
      assert.throws(() => op.applyInto(V, Matrix.zeros(L + 1, 3)), ShapeError);
    }
  });

  it('the FFT transforms agree with the DFT and invert exactly', () => {
    for (const n of [1, 2, 4, 8, 32, 128]) {
      const f = new Fft(n);
      const r = rng(n);
      const re = Float64Array.from({ length: n }, () => r.nextNormal());
      const im = Float64Array.from({ length: n }, () => r.nextNormal());
      const [r0, i0] = [re.slice(), im.slice()];
      f.forward(re, im);
      for (let p = 0; p < n; p++) {
        const k = f.rev[p]!;
        let sr = 0;
        let si = 0;
        for (let j = 0; j < n; j++) {
          const a = (-2 * Math.PI * ((j * k) % n)) / n;
          sr += r0[j]! * Math.cos(a) - i0[j]! * Math.sin(a);
          si += r0[j]! * Math.sin(a) + i0[j]! * Math.cos(a);
        }
        assert.ok(Math.abs(sr - re[p]!) < 1e-12 * n && Math.abs(si - im[p]!) < 1e-12 * n, `n ${n} frequency ${k}`);
        assert.equal(f.rev[f.mirror[p]!]!, (n - k) % n);
      }
      f.inverse(re, im);
      assert.ok(diff(re, r0) < 1e-14 * n && diff(im, i0) < 1e-14 * n);
    }
    assert.throws(() => new Fft(12), InvalidArgumentError);
  });

  it('a partition of all eigentriples reconstructs the series', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 60 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (N, seed) => {
        const r = rng(seed);
        const x = Float64Array.from({ length: N }, () => r.nextNormal());
        const L = 2 + (seed % (N - 2));
        const f = ssa(x, { window: L });
        const all = Array.from({ length: f.rank }, (_, i) => i);
        const cut = seed % f.rank;
        const groups: SsaGroups = cut === 0 ? [all] : [all.slice(0, cut), all.slice(cut)];
        const parts = f.reconstruct(groups);
        const sum = parts.reduce((acc, y) => acc.map((v, k) => v + y[k]!), new Float64Array(N));
        assert.ok(diff(sum, x, Math.max(1, maxAbs(x))) < 1e-12, `N ${N} L ${L}: ${diff(sum, x)}`);
      }),
      { numRuns: 40 },
    );
  });

  it('a series of finite rank is forecast exactly, recurrent and vector, full and truncated', () => {
    // x_k = a 1.01^k + b sin(2 pi k / T + phi) + c: rank 4, governed by an LRR.
    for (const [N, L, T] of [[80, 30, 9.5], [200, 61, 17], [3000, 500, 37]] as const) {
      const model = (k: number) => 2 * 1.001 ** k + 3 * Math.sin((2 * Math.PI * k) / T + 0.4) + 1.5;
      const x = Float64Array.from({ length: N }, (_, k) => model(k));
      const truth = Float64Array.from({ length: 25 }, (_, j) => model(N + j));
      const solver = N > 1000 ? 'lanczos' : 'full';
      const f = ssa(x, { window: L, rank: 6, solver });
      // Exactly four nonzero singular values.
      assert.ok(f.s[4]! < 1e-9 * f.s[0]!, `rank 4: ${Array.from(f.s).join(', ')}`);
      for (const method of ['recurrent', 'vector'] as const) {
        const y = f.forecast(25, { groups: [[0, 1, 2, 3]], method });
        assert.ok(diff(y, truth, maxAbs(truth)) < 1e-8, `${N} ${method}: ${diff(y, truth, maxAbs(truth))}`);
      }
    }
  });

  it('default window floor((N + 1) / 2), ranks, weights and eigenvalues', () => {
    const x = Array.from({ length: 21 }, (_, k) => Math.cos(k));
    const f = ssa(x);
    assert.equal(f.window, 11);
    assert.equal(f.k, 11);
    assert.equal(f.length, 21);
    assert.deepEqual(Array.from(f.weights.slice(0, 12)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 10]);
    assert.ok(diff(f.eigenvalues, f.s.map((v) => v * v)) === 0);
    assert.equal(ssa(x, { window: 5, rank: 3 }).rank, 3);
    assert.ok(diff(ssa(Matrix.fromArray(x, 1, 21), { window: 5 }).s, ssa(x, { window: 5 }).s) === 0);
    assert.ok(diff(ssa(new Float32Array(x), { window: 5 }).s, ssa(Float32Array.from(x), { window: 5 }).s) === 0);
  });
});

describe('ssa bad inputs', () => {
  const x = Array.from({ length: 30 }, (_, k) => Math.sin(k / 3) + k / 30);

  it('window out of range', () => {
    assert.throws(() => ssa(x, { window: 30 }), (e: Error) => e instanceof InvalidArgumentError && /window must be an integer in \[2, 29\] for a series of length 30, got 30/.test(e.message));
    assert.throws(() => ssa(x, { window: 1 }), /option 'window' must be an integer >= 2, got 1/);
    assert.throws(() => ssa(x, { window: 2.5 }), InvalidArgumentError);
    assert.throws(() => ssa([1, 2], { window: 2 }), ShapeError);
  });

  it('groups out of range, empty groups, bad horizon and method', () => {
    const f = ssa(x, { window: 10, rank: 4 });
    assert.throws(() => f.reconstruct([0, [1, 7]]), (e: Error) => e instanceof InvalidArgumentError && /group 1 holds eigentriple 7, but the indices run from 0 to 3/.test(e.message));
    assert.throws(() => f.reconstruct([-1]), /group 0 holds eigentriple -1/);
    assert.throws(() => f.reconstruct([[]]), /group 0 must be an index or a non-empty list/);
    assert.throws(() => f.reconstruct([]), /groups must be a non-empty array/);
    assert.throws(() => f.wcorr([0, 1.5]), InvalidArgumentError);
    assert.throws(() => f.forecast(5, { groups: [9] }), /eigentriple 9/);
    assert.throws(() => f.forecast(-1), /horizon must be an integer >= 0/);
    assert.throws(() => f.forecast(3, { method: 'spline' as never }), /option 'method' must be one of 'recurrent' or 'vector'/);
    assert.throws(() => f.forecast(3, { group: [0] } as never), /unknown option 'group'/);
    assert.equal(f.forecast(0).length, 0);
  });

  it('non-finite values, rank too large, unknown options, bad series', () => {
    assert.throws(() => ssa([1, 2, NaN, 4, 5], { window: 2 }), (e: Error) => e instanceof NonFiniteInputError && /x\[2\] is NaN/.test(e.message));
    assert.throws(() => ssa([1, 2, 3, Infinity], { window: 2 }), NonFiniteInputError);
    assert.throws(() => ssa(x, { window: 10, rank: 11 }), /rank must be at most min\(L, K\) = 10/);
    assert.throws(() => ssa(x, { widow: 10 } as never), /unknown option 'widow'/);
    assert.throws(() => ssa(x, { solver: 'qr' } as never), /option 'solver'/);
    assert.throws(() => ssa([1, '2', 3] as never), /x\[1\] is string/);
    assert.throws(() => ssa(Matrix.zeros(3, 3)), ShapeError);
    assert.throws(() => mssa([[1, 2, 3, 4], [1, 2, 3]]), (e: Error) => e instanceof ShapeError && /series 1 has 3 values, series 0 has 4/.test(e.message));
    assert.throws(() => mssa([]), ShapeError);
    assert.throws(() => mssa([[1, 2, NaN, 4]]), /series\[0\]\[2\] is NaN/);
  });

  it('no recurrence when e_L lies in the signal subspace (verticality)', () => {
    const spike = new Float64Array(12);
    spike[11] = 1;
    const f = ssa(spike, { window: 4 });
    assert.throws(() => f.forecast(3, { groups: [0] }), /nu\^2 = 1\.0+ >= 1 \(verticality\)/);
  });
});
