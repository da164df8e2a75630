import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { InvalidArgumentError, NonFiniteInputError, ShapeError } from '../../src/errors.js';
import { eigh, eigvalsh, type Eigh } from '../../src/linalg/eigh.js';
import { SMLSIZ, stedc } from '../../src/linalg/lapack/stedc.js';
import { steqr } from '../../src/linalg/lapack/steqr.js';
import { sterf } from '../../src/linalg/lapack/sterf.js';
import { withWorkspace } from '../../src/kernels/workspace.js';
import { Matrix } from '../../src/matrix/matrix.js';
import type { Rng } from '../../src/random.js';
import { BACKEND_NAMES, rng, withBackend } from '../helpers.js';

const EPS64 = 2 ** -52;
const EPS32 = 2 ** -23;
const FIXTURES = new URL('../fixtures/eigh/', import.meta.url);

// Plain f64 product of column-major n x n arrays (independent of the kernels under test).
function mul(n: number, a: (i: number, j: number) => number, b: (i: number, j: number) => number): Float64Array {
  const c = new Float64Array(n * n);
  const bj = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < n; p++) bj[p] = b(p, j);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += a(i, p) * bj[p]!;
      c[i + j * n] = s;
    }
  }
  return c;
}

function fro(A: Matrix): number {
  let s = 0;
  let scale = 0;
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < A.rows; i++) scale = Math.max(scale, Math.abs(A.get(i, j)));
  if (scale === 0) return 0;
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < A.rows; i++) s += (A.get(i, j) / scale) ** 2;
  return Math.sqrt(s) * scale;
}

/** Scaled residuals ||A V - V diag(w)||_F / (n ||A||_F eps) and ||V^T V - I||_F / (n eps). */
function residuals(A: Matrix, r: Eigh, eps: number): { res: number; orth: number } {
  const n = A.rows;
  const { w, V } = r;
  const AV = mul(n, (i, j) => A.get(i, j), (i, j) => V.get(i, j));
  const an = fro(A);
  let s = 0;
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) s += ((AV[i + j * n]! - V.get(i, j) * w[j]!) / (an || 1)) ** 2;
  const VtV = mul(n, (i, j) => V.get(j, i), (i, j) => V.get(i, j));
  let o = 0;
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) o += (VtV[i + j * n]! - (i === j ? 1 : 0)) ** 2;
  return { res: Math.sqrt(s) / (Math.max(n, 1) * eps), orth: Math.sqrt(o) / (Math.max(n, 1) * eps) };
}

function assertGood(A: Matrix, r: Eigh, label: string, eps = EPS64): void {
  const { res, orth } = residuals(A, r, eps);
  assert.ok(res < 30, `${label}: residual ${res}`);
  assert.ok(orth < 30, `${label}: orthogonality ${orth}`);
  for (let i = 1; i < r.w.length; i++) assert.ok(r.w[i]! >= r.w[i - 1]!, `${label}: w not ascending at ${i}`);
}

function randomSym(n: number, r: Rng): Matrix {
  const A = Matrix.zeros(n, n);
  for (let j = 0; j < n; j++) for (let i = j; i < n; i++) {
    const v = r.nextNormal();
    A.set(i, j, v);
    A.set(j, i, v);
  }
  return A;
}

/** Q diag(s) Q^T with Q a product of n random Householder reflectors, exactly symmetric. */
function withSpectrum(s: number[], r: Rng): Matrix {
  const n = s.length;
  const Q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Q[i + i * n] = 1;
  const u = new Float64Array(n);
  for (let k = 0; k < Math.min(n, 8); k++) {
    let nn = 0;
    for (let i = 0; i < n; i++) {
      u[i] = r.nextNormal();
      nn += u[i]! * u[i]!;
    }
    for (let j = 0; j < n; j++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += u[i]! * Q[i + j * n]!;
      const f = (2 * d) / nn;
      for (let i = 0; i < n; i++) Q[i + j * n] = Q[i + j * n]! - f * u[i]!;
    }
  }
  const A = Matrix.zeros(n, n);
  for (let j = 0; j < n; j++) for (let i = j; i < n; i++) {
    let v = 0;
    for (let p = 0; p < n; p++) v += Q[i + p * n]! * s[p]! * Q[j + p * n]!;
    A.set(i, j, v);
    A.set(j, i, v);
  }
  return A;
}

interface Fixture { name: string; n: number; A: number[][]; w: number[] }
function fixtures(): Fixture[] {
  return readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(new URL(f, FIXTURES), 'utf8')) as Fixture);
}

describe('eigh', () => {
  for (const backend of BACKEND_NAMES) {
    it(`random symmetric matrices: residual, orthogonality, eigvalsh agreement (${backend})`, () => withBackend(backend, () => {
      const r = rng(7);
      for (const n of [1, 2, 5, 30, 64, 100, 200]) {
        const A = randomSym(n, r);
        const e = eigh(A);
        assertGood(A, e, `n=${n}`);
        const wv = eigvalsh(A);
        const scale = Math.max(...Array.from(e.w, Math.abs));
        for (let i = 0; i < n; i++) assert.ok(Math.abs(wv[i]! - e.w[i]!) <= 1e-13 * scale, `n=${n}: eigvalsh ${wv[i]} vs eigh ${e.w[i]}`);
      }
    }));
  }

  it('matches numpy eigvalsh on the fixtures, with small residuals', () => {
    for (const f of fixtures()) {
      const A = Matrix.from(f.A);
      const e = eigh(A);
      assertGood(A, e, f.name);
      const wv = eigvalsh(A);
      const scale = Math.max(1e-300, ...f.w.map(Math.abs));
      for (let i = 0; i < f.n; i++) {
        assert.ok(Math.abs(e.w[i]! - f.w[i]!) <= 1e-12 * scale, `${f.name}: eigh w[${i}] = ${e.w[i]}, numpy ${f.w[i]}`);
        assert.ok(Math.abs(wv[i]! - f.w[i]!) <= 1e-12 * scale, `${f.name}: eigvalsh w[${i}] = ${wv[i]}, numpy ${f.w[i]}`);
      }
    }
  });

  it('handles known spectra beyond the QL/QR leaf size (divide-and-conquer deflation)', () => {
    const r = rng(3);
    const n = 120;
    const spectra: Record<string, number[]> = {
      'cond 1e8': Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1) * 10 ** (-8 * i / (n - 1))),
      'cond 1e14': Array.from({ length: n }, (_, i) => 10 ** (-14 * i / (n - 1))),
      'mostly ones': Array.from({ length: n }, (_, i) => (i < 90 ? 1 : i - 88)),
      'clustered 1e-10': Array.from({ length: n }, (_, i) => (i < 60 ? 1 + 1e-10 * r.nextDouble() : r.nextNormal())),
      'two values': Array.from({ length: n }, (_, i) => (i % 2 ? 3 : -2)),
    };
    for (const [label, s] of Object.entries(spectra)) {
      const A = withSpectrum(s, r);
      const e = eigh(A);
      assertGood(A, e, label);
      const sorted = [...s].sort((a, b) => a - b);
      for (let i = 0; i < n; i++) assert.ok(Math.abs(e.w[i]! - sorted[i]!) <= 1e-13 * n, `${label}: w[${i}] = ${e.w[i]}, want ${sorted[i]}`);
    }
  });

  it('zero, identity, diagonal, tridiagonal and graded matrices', () => {
    const r = rng(5);
    const n = 80;
    const cases: Record<string, Matrix> = {
      zero: Matrix.zeros(n, n),
      identity: Matrix.identity(n),
      diagonal: Matrix.diag(Array.from({ length: n }, () => r.nextNormal())),
    };
    const T = Matrix.zeros(n, n);
    for (let i = 0; i < n; i++) {
      T.set(i, i, r.nextNormal());
      if (i > 0) {
        const v = r.nextNormal();
        T.set(i, i - 1, v);
        T.set(i - 1, i, v);
      }
    }
    cases.tridiagonal = T;
    const G = randomSym(n, r);
    const g = Array.from({ length: n }, (_, i) => 10 ** (-6 + (12 * i) / (n - 1)));
    const Gs = Matrix.zeros(n, n);
    for (let j = 0; j < n; j++) for (let i = j; i < n; i++) {
      const v = G.get(i, j) * g[i]! * g[j]!;
      Gs.set(i, j, v);
      Gs.set(j, i, v);
    }
    cases.graded = Gs;
    for (const [label, A] of Object.entries(cases)) assertGood(A, eigh(A), label);
    const z = eigh(cases.zero!);
    assert.ok(z.w.every((v) => v === 0));
  });

  it('scales huge and tiny matrices instead of overflowing', () => {
    const r = rng(9);
    const B = randomSym(40, r);
    const ref = eigvalsh(B);
    for (const s of [1e300, 1e-300, 1e-310]) {
      const A = B.scale(s);
      const e = eigh(A);
      assertGood(A, e, `scale ${s}`);
      const wv = eigvalsh(A);
      for (let i = 0; i < 40; i++) {
        assert.ok(Math.abs(e.w[i]! / s - ref[i]!) <= 1e-12 * 10, `scale ${s}: ${e.w[i]! / s} vs ${ref[i]}`);
        assert.ok(Math.abs(wv[i]! / s - ref[i]!) <= 1e-12 * 10, `scale ${s} eigvalsh: ${wv[i]! / s} vs ${ref[i]}`);
      }
    }
  });

  it('reads only the requested triangle; upper equals lower of the transpose', () => {
    const r = rng(11);
    const n = 45;
    const S = randomSym(n, r);
    const lowerOnly = S.map((v, i, j) => (i >= j ? v : i === 0 ? NaN : 1e6));
    const upperOnly = S.map((v, i, j) => (i <= j ? v : j === 0 ? Infinity : -1e6));
    const ref = eigh(S);
    const l = eigh(lowerOnly);
    const lFalse = eigh(lowerOnly, { upper: false });
    const u = eigh(upperOnly, { upper: true });
    for (const [label, e] of [['lower', l], ['upper: false', lFalse], ['upper', u]] as const) {
      assertGood(S, e, label);
      for (let i = 0; i < n; i++) assert.ok(Math.abs(e.w[i]! - ref.w[i]!) <= 1e-13 * 10, `${label}: w[${i}]`);
    }
    const wu = eigvalsh(upperOnly, { upper: true });
    for (let i = 0; i < n; i++) assert.ok(Math.abs(wu[i]! - ref.w[i]!) <= 1e-13 * 10);
    // The deprecated spelling reads the same triangles, to the bit.
    assert.deepEqual(eigh(upperOnly, { uplo: 'U' }).w, u.w);
    assert.deepEqual(eigh(lowerOnly, { uplo: 'L' }).w, l.w);
    assert.deepEqual(eigvalsh(upperOnly, { uplo: 'U', upper: true }), wu);
    // Strided and transposed views are read correctly too.
    const big = Matrix.zeros(n + 3, n + 5);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) big.set(i + 2, j + 4, S.get(i, j));
    const view = big.slice(2, n + 2, 4, n + 4).T;
    const wv = eigvalsh(view);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(wv[i]! - ref.w[i]!) <= 1e-13 * 10);
  });

  it('divide and conquer agrees with QL/QR', () => {
    const r = rng(13);
    for (const n of [26, 57, 150]) {
      const A = randomSym(n, r);
      const dc = eigh(A);
      const qr = eigh(A, { method: 'qr' });
      assertGood(A, qr, `qr n=${n}`);
      const scale = Math.max(...Array.from(dc.w, Math.abs));
      for (let i = 0; i < n; i++) assert.ok(Math.abs(dc.w[i]! - qr.w[i]!) <= 1e-13 * scale, `n=${n}: w[${i}]`);
      // Random spectra are well separated here: the vectors agree up to sign.
      for (let j = 0; j < n; j++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += dc.V.get(i, j) * qr.V.get(i, j);
        assert.ok(Math.abs(Math.abs(d) - 1) < 1e-8, `n=${n}: column ${j} |dot| = ${Math.abs(d)}`);
      }
    }
  });

  it('tridiagonal solvers: stedc, steqr and sterf agree on a split, graded tridiagonal', () => {
    const r = rng(17);
    const n = 3 * SMLSIZ + 7;
    const d0 = Float64Array.from({ length: n }, (_, i) => r.nextNormal() * 10 ** (-(i % 7)));
    const e0 = Float64Array.from({ length: n - 1 }, () => r.nextNormal());
    e0[40] = 0; // splits into independent blocks
    withWorkspace((ws) => {
      const d1 = d0.slice();
      const Z = ws.f64(n * n);
      stedc(n, d1, e0.slice(), Z, 0, n, ws);
      const d2 = d0.slice();
      const Z2 = new Float64Array(n * n);
      for (let i = 0; i < n; i++) Z2[i + i * n] = 1;
      steqr(n, d2, e0.slice(), Z2, 0, n, n);
      const d3 = d0.slice();
      sterf(n, d3, e0.slice());
      const scale = Math.max(...Array.from(d1, Math.abs));
      for (let i = 0; i < n; i++) {
        assert.ok(Math.abs(d1[i]! - d2[i]!) <= 1e-13 * scale);
        assert.ok(Math.abs(d1[i]! - d3[i]!) <= 1e-13 * scale);
      }
      // T Z = Z diag(d) for the divide-and-conquer vectors.
      let res = 0;
      let tn = 0;
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < n; i++) {
          let tz = d0[i]! * Z[i + j * n]!;
          if (i > 0) tz += e0[i - 1]! * Z[i - 1 + j * n]!;
          if (i < n - 1) tz += e0[i]! * Z[i + 1 + j * n]!;
          res += (tz - Z[i + j * n]! * d1[j]!) ** 2;
        }
        tn += d0[j]! ** 2 + (j < n - 1 ? 2 * e0[j]! ** 2 : 0);
      }
      assert.ok(Math.sqrt(res) / (n * Math.sqrt(tn) * EPS64) < 30);
    });
  });

  it('float32 input gives float32 results accurate to float32 precision', () => {
    const r = rng(19);
    for (const n of [3, 40]) {
      const A = randomSym(n, r).astype('float32');
      const e = eigh(A);
      assert.ok(e.w instanceof Float32Array);
      assert.equal(e.V.dtype, 'float32');
      assertGood(A, e, `f32 n=${n}`, EPS32);
      const wv = eigvalsh(A);
      assert.ok(wv instanceof Float32Array);
    }
  });

  it('rejects bad options, and upper and uplo that disagree', () => {
    const S = Matrix.from([[2, 1], [1, 2]]);
    for (const f of [eigh, eigvalsh]) {
      assert.throws(() => f(S, { upper: true, uplo: 'L' }), (e: unknown) => e instanceof InvalidArgumentError && /'upper' \(true\) and 'uplo' \('L'/.test(e.message));
      assert.throws(() => f(S, { uplo: 'u' as 'U' }), (e: unknown) => e instanceof InvalidArgumentError && /option 'uplo' must be one of 'L' or 'U'/.test(e.message));
      assert.throws(() => f(S, { upper: 1 as unknown as boolean }), InvalidArgumentError);
      assert.throws(() => f(S, { lower: true } as never), (e: unknown) => e instanceof InvalidArgumentError && /unknown option 'lower'/.test(e.message));
      assert.throws(() => f(Matrix.zeros(0, 0), { upper: 'yes' as unknown as boolean }), InvalidArgumentError);
    }
  });

  it('rejects non-square and non-finite input; handles 0x0', () => {
    assert.throws(() => eigh(Matrix.zeros(2, 3)), ShapeError);
    assert.throws(() => eigvalsh(Matrix.zeros(3, 2)), ShapeError);
    const bad = Matrix.from([[1, 2], [NaN, 3]]);
    assert.throws(() => eigh(bad), NonFiniteInputError);
    assert.throws(() => eigvalsh(Matrix.from([[Infinity, 0], [0, 1]])), NonFiniteInputError);
    assert.throws(() => eigh(Matrix.from([[1, -Infinity], [0, 1]]), { upper: true }), NonFiniteInputError);
    const z = eigh(Matrix.zeros(0, 0));
    assert.equal(z.w.length, 0);
    assert.deepEqual(z.V.shape, [0, 0]);
    assert.equal(eigvalsh(Matrix.zeros(0, 0)).length, 0);
    const one = eigh(Matrix.from([[-4]]));
    assert.deepEqual(Array.from(one.w), [-4]);
    assert.equal(Math.abs(one.V.get(0, 0)), 1);
  });
});
