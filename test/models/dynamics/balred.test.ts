/**
 * Balanced truncation, Hankel singular values and frequency responses against
 * python-control with slycot (scripts/gen-control-fixtures.py): the Hankel singular values
 * of SLICOT AB09AD and of hankel_singular_values, the frequency response of the full model
 * and of balred(sys, r, method='truncate')'s reduced model (state-space realizations differ
 * by a change of coordinates, so invariants are compared), plus the properties of a
 * balanced truncation: balanced Gramians, Ti T = I, stability, the a-priori error bound.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { InvalidArgumentError, ShapeError, SingularMatrixError } from '../../../src/errors.js';
import { eigvals } from '../../../src/linalg/eig.js';
import { matmul } from '../../../src/linalg/matmul.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { balancedTruncation, frequencyResponse, hankelSingularValues, type StateSpace } from '../../../src/models/dynamics/balanced-truncation.js';
import { gramians } from '../../../src/models/dynamics/lyapunov.js';

const DIR = new URL('../../fixtures/control/', import.meta.url);

interface Reduced {
  order: number;
  Ar: number[][];
  Br: number[][];
  Cr: number[][];
  Dr: number[][];
  response_real: number[][][];
  response_imag: number[][][];
}

interface Fixture {
  name: string;
  A: number[][];
  B: number[][];
  C: number[][];
  D: number[][];
  hsv_control: number[];
  hsv_ab09ad: number[];
  omega: number[];
  response_real: number[][][];
  response_imag: number[][][];
  reduced: Reduced[];
}

const fixtures: Fixture[] = readdirSync(DIR)
  .filter((f) => f.startsWith('balred-') && f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(new URL(f, DIR), 'utf8')) as Fixture);

function system(f: Fixture): Required<StateSpace> {
  return { A: Matrix.from(f.A), B: Matrix.from(f.B), C: Matrix.from(f.C), D: Matrix.from(f.D) };
}

/** max_k ||G_k - ref_k||_F over the frequency grid (complex, from real and imaginary parts). */
function responseDistance(re: Matrix[], im: Matrix[], refRe: number[][][], refIm: number[][][]): number {
  let d = 0;
  for (let k = 0; k < re.length; k++) d = Math.max(d, Math.hypot(re[k]!.sub(Matrix.from(refRe[k]!)).norm('fro'), im[k]!.sub(Matrix.from(refIm[k]!)).norm('fro')));
  return d;
}

function peak(refRe: number[][][], refIm: number[][][]): number {
  let p = 0;
  for (let k = 0; k < refRe.length; k++) p = Math.max(p, Math.hypot(Matrix.from(refRe[k]!).norm('fro'), Matrix.from(refIm[k]!).norm('fro')));
  return p;
}

describe('Hankel singular values', () => {
  for (const f of fixtures) {
    it(`equal SLICOT AB09AD's and python-control's hankel_singular_values to 1e-8 (${f.name})`, () => {
      const hsv = hankelSingularValues(system(f));
      const s1 = hsv[0]!;
      assert.equal(hsv.length, f.A.length);
      for (let i = 1; i < hsv.length; i++) assert.ok(hsv[i]! <= hsv[i - 1]!, 'descending');
      // AB09AD (square-root method, like ours): each value to 1e-8 relative, down to ~1e-13 sigma_1.
      f.hsv_ab09ad.forEach((v, i) => assert.ok(Math.abs(hsv[i]! - v) <= 1e-8 * v + 1e-13 * s1, `${f.name}: sigma_${i + 1} = ${hsv[i]} vs AB09AD ${v}`));
      // python-control's eig(Wo Wc) route is accurate only to about sqrt(eps) sigma_1 below the top.
      f.hsv_control.forEach((v, i) => assert.ok(Math.abs(hsv[i]! - v) <= 1e-8 * s1, `${f.name}: sigma_${i + 1} = ${hsv[i]} vs hankel_singular_values ${v}`));
    });
  }
  it('do not depend on D; are invariant under a change of state coordinates', () => {
    const f = fixtures.find((x) => x.name === 'random12')!;
    const s = system(f);
    const a = hankelSingularValues(s);
    const b = hankelSingularValues({ A: s.A, B: s.B, C: s.C, D: Matrix.full(s.C.rows, s.B.cols, 7) });
    assert.deepEqual(Array.from(a), Array.from(b));
    // x = S z with a well-conditioned S: (S^-1 A S, S^-1 B, C S).
    const n = s.A.rows;
    const S = Matrix.identity(n).add(Matrix.random(n, n, { seed: 1, distribution: 'normal' }).scale(0.1));
    const Si = solveRight(S);
    const c = hankelSingularValues({ A: matmul(matmul(Si, s.A), S), B: matmul(Si, s.B), C: matmul(s.C, S) });
    a.forEach((v, i) => assert.ok(Math.abs(v - c[i]!) <= 1e-10 * a[0]!, `sigma_${i + 1}`));
  });
});

/** S^-1 by Gauss-Jordan (test helper; S is small and well conditioned). */
function solveRight(S: Matrix): Matrix {
  const n = S.rows;
  const M = S.copy();
  const I = Matrix.identity(n);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(M.get(i, k)) > Math.abs(M.get(p, k))) p = i;
    for (let j = 0; j < n; j++) {
      let t = M.get(k, j);
      M.set(k, j, M.get(p, j));
      M.set(p, j, t);
      t = I.get(k, j);
      I.set(k, j, I.get(p, j));
      I.set(p, j, t);
    }
    const d = M.get(k, k);
    for (let j = 0; j < n; j++) {
      M.set(k, j, M.get(k, j) / d);
      I.set(k, j, I.get(k, j) / d);
    }
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const g = M.get(i, k);
      if (g === 0) continue;
      for (let j = 0; j < n; j++) {
        M.set(i, j, M.get(i, j) - g * M.get(k, j));
        I.set(i, j, I.get(i, j) - g * I.get(k, j));
      }
    }
  }
  return I;
}

describe('frequencyResponse', () => {
  for (const f of fixtures) {
    it(`equals python-control's sys(1j w) on the full model (${f.name})`, () => {
      const r = frequencyResponse(system(f), f.omega);
      assert.equal(r.real.length, f.omega.length);
      const d = responseDistance(r.real, r.imag, f.response_real, f.response_imag);
      assert.ok(d <= 1e-11 * peak(f.response_real, f.response_imag), `${f.name}: ${d}`);
      for (let k = 0; k < r.real.length; k++) {
        const M = r.magnitude[k]!;
        for (let i = 0; i < M.rows; i++) for (let j = 0; j < M.cols; j++) assert.equal(M.get(i, j), Math.hypot(r.real[k]!.get(i, j), r.imag[k]!.get(i, j)));
      }
    });
  }
  it('the first-order lowpass 1 / (s + 1): |G(i w)| = 1 / sqrt(1 + w^2), phase -atan(w)', () => {
    const sys = { A: Matrix.from([[-1]]), B: Matrix.from([[1]]), C: Matrix.from([[1]]) };
    const w = [0, 0.5, 1, 10, -3];
    const r = frequencyResponse(sys, w);
    w.forEach((x, k) => {
      assert.ok(Math.abs(r.magnitude[k]!.get(0, 0) - 1 / Math.hypot(1, x)) < 1e-15);
      assert.ok(Math.abs(Math.atan2(r.imag[k]!.get(0, 0), r.real[k]!.get(0, 0)) + Math.atan(x)) < 1e-15);
    });
  });
  it('an eigenvalue on the imaginary axis at the frequency asked is SingularMatrixError; bad frequencies are refused', () => {
    const sys = { A: Matrix.from([[0, 2], [-2, 0]]), B: Matrix.from([[1], [0]]), C: Matrix.from([[1, 0]]) };
    assert.throws(() => frequencyResponse(sys, [2]), (e: unknown) => e instanceof SingularMatrixError && /w = 2/.test((e as Error).message));
    assert.ok(frequencyResponse(sys, [1]).real[0]!.isFinite());
    assert.throws(() => frequencyResponse(sys, [NaN]), InvalidArgumentError);
    assert.throws(() => frequencyResponse({ ...sys, D: Matrix.zeros(2, 2) }, [1]), /D must be 1x1/);
  });
});

describe('balancedTruncation', () => {
  for (const f of fixtures) {
    it(`python-control balred(sys, r, method='truncate'): same frequency response, D kept, bound holds (${f.name})`, () => {
      const s = system(f);
      const full = frequencyResponse(s, f.omega);
      const top = peak(f.response_real, f.response_imag);
      for (const red of f.reduced) {
        const bt = balancedTruncation(s, { order: red.order });
        assert.equal(bt.order, red.order);
        assert.deepEqual(bt.Ar.shape, [red.order, red.order]);
        assert.deepEqual(bt.Br.shape, [red.order, s.B.cols]);
        assert.deepEqual(bt.Cr.shape, [s.C.rows, red.order]);
        assert.ok(bt.Dr.sub(Matrix.from(red.Dr)).norm('max') === 0, 'Dr = D');
        const r = frequencyResponse(bt.system, f.omega);
        const d = responseDistance(r.real, r.imag, red.response_real, red.response_imag);
        assert.ok(d <= 1e-9 * top, `${f.name} order ${red.order}: response differs from python-control's by ${d}`);
        // The error on the grid is below the a-priori bound 2 (sigma_{r+1} + ... + sigma_n).
        let err = 0;
        for (let k = 0; k < f.omega.length; k++) err = Math.max(err, spectralNorm2(r.real[k]!.sub(full.real[k]!), r.imag[k]!.sub(full.imag[k]!)));
        assert.ok(err <= bt.errorBound * (1 + 1e-12), `${f.name} order ${red.order}: error ${err} above the bound ${bt.errorBound}`);
        let tail = 0;
        for (let i = red.order; i < bt.hsv.length; i++) tail += bt.hsv[i]!;
        assert.ok(Math.abs(bt.errorBound - 2 * tail) <= 1e-14 * bt.errorBound);
        // Same invariants of the state-space matrices: eigenvalues of Ar (up to ordering).
        const ours = sortedEigs(bt.Ar);
        const theirs = sortedEigs(Matrix.from(red.Ar));
        ours.forEach((e, i) => assert.ok(Math.hypot(e[0] - theirs[i]![0], e[1] - theirs[i]![1]) <= 1e-7 * Math.max(1, Math.hypot(...theirs[i]!)), `${f.name} order ${red.order}: eigenvalue ${i} of Ar`));
      }
    });
  }
  it('the reduced model is balanced and stable, and Ti T = I', () => {
    const s = system(fixtures.find((x) => x.name === 'msd10')!);
    const bt = balancedTruncation(s, { order: 6 });
    const g = gramians(bt.Ar, bt.Br, bt.Cr);
    const S = Matrix.diag(bt.hsv.subarray(0, 6));
    assert.ok(g.Wc.sub(S).norm('fro') <= 1e-9 * bt.hsv[0]!, `Wc of the reduced model is not diag(hsv): ${g.Wc.sub(S).norm('fro')}`);
    assert.ok(g.Wo.sub(S).norm('fro') <= 1e-9 * bt.hsv[0]!, 'Wo of the reduced model is not diag(hsv)');
    assert.ok(matmul(bt.Ti, bt.T).sub(Matrix.identity(6)).norm('fro') <= 1e-10);
    const e = eigvals(bt.Ar);
    for (const re of e.wReal) assert.ok(re < 0);
  });
  it('tol keeps the Hankel singular values above it; order 0 leaves only D', () => {
    const f = fixtures.find((x) => x.name === 'random30')!;
    const s = system(f);
    const bt = balancedTruncation(s, { tol: 1e-3 });
    assert.equal(bt.order, bt.hsv.filter((v) => v > 1e-3).length);
    assert.ok(bt.errorBound <= 2 * 1e-3 * (bt.hsv.length - bt.order));
    const zero = balancedTruncation(s, { order: 0 });
    assert.deepEqual(zero.Ar.shape, [0, 0]);
    assert.deepEqual(zero.Br.shape, [0, 3]);
    assert.ok(zero.Dr.sub(s.D).norm('max') === 0);
    const r = frequencyResponse(zero.system, [1]);
    assert.ok(r.real[0]!.sub(s.D).norm('max') === 0);
    // tol below the noise floor stops at the numerical minimal order.
    assert.equal(balancedTruncation(s, { tol: 0 }).order, bt.minimalOrder);
    assert.equal(bt.minimalOrder, 27); // as AB09AD finds (python-control warns "nr was set to 27")
  });
  it('an unstable system is an error naming the eigenvalue', () => {
    const A = Matrix.from([[-1, 3], [0, 0.25]]);
    assert.throws(
      () => balancedTruncation({ A, B: Matrix.from([[1], [1]]), C: Matrix.from([[1, 1]]) }, { order: 1 }),
      (e: unknown) => e instanceof InvalidArgumentError && /balancedTruncation: A is not stable: its eigenvalue 0\.25 has real part >= 0/.test((e as Error).message),
    );
    assert.throws(() => hankelSingularValues({ A: Matrix.from([[0, 1], [-1, 0]]), B: Matrix.from([[1], [0]]), C: Matrix.from([[1, 0]]) }), /eigenvalue 0\+1i has real part >= 0/);
  });
  it('option and shape errors', () => {
    const s = system(fixtures.find((x) => x.name === 'random12')!);
    assert.throws(() => balancedTruncation(s, {}), /give option 'order' .* or 'tol'/);
    assert.throws(() => balancedTruncation(s, { order: 2, tol: 1 }), /either option 'order' or option 'tol', not both/);
    assert.throws(() => balancedTruncation(s, { order: 13 }), /at most the number of states 12/);
    assert.throws(() => balancedTruncation(s, { order: 1.5 }), /option 'order' must be an integer/);
    assert.throws(() => balancedTruncation(s, { tol: -1 }), /option 'tol' must be/);
    assert.throws(() => balancedTruncation(s, { order: 2, rank: 3 } as never), /unknown option 'rank'/);
    assert.throws(() => balancedTruncation({ ...s, B: Matrix.zeros(11, 2) }, { order: 2 }), ShapeError);
    assert.throws(() => balancedTruncation({ ...s, C: Matrix.zeros(3, 11) }, { order: 2 }), /C must have 12 columns/);
    // A non-minimal system: an unobservable state makes sigma_n = 0.
    const A = Matrix.diag([-1, -2, -3]);
    const sys = { A, B: Matrix.from([[1], [1], [1]]), C: Matrix.from([[1, 1, 0]]) };
    const hsv = hankelSingularValues(sys);
    assert.ok(hsv[2]! <= 1e-15 * hsv[0]!);
    assert.throws(() => balancedTruncation(sys, { order: 3 }), /must be at most 2, the system's numerical minimal order/);
    assert.equal(balancedTruncation(sys, { order: 2 }).order, 2);
  });
});

/** Largest singular value of the complex matrix Re + i Im (via the real 2p x 2m embedding). */
function spectralNorm2(re: Matrix, im: Matrix): number {
  const p = re.rows;
  const m = re.cols;
  const E = Matrix.zeros(2 * p, 2 * m);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < m; j++) {
      E.set(i, j, re.get(i, j));
      E.set(i + p, j + m, re.get(i, j));
      E.set(i, j + m, -im.get(i, j));
      E.set(i + p, j, im.get(i, j));
    }
  }
  // Power iteration on E^T E (small): enough for a bound check.
  const G = matmul(E, E, { transA: true });
  let v = Matrix.full(2 * m, 1, 1);
  let lam = 0;
  for (let it = 0; it < 200; it++) {
    const w = matmul(G, v);
    lam = w.norm('fro');
    if (lam === 0) return 0;
    v = w.scale(1 / lam);
  }
  return Math.sqrt(lam);
}

function sortedEigs(A: Matrix): [number, number][] {
  const e = eigvals(A);
  return Array.from(e.wReal, (r, i): [number, number] => [r, Math.abs(e.wImag[i]!)]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}
