// Householder tridiagonalization (sytrd) and multiplication by its Q (ormtr) on both
// routes: the one-call WASM kernels (dsytd2 / reflector-by-reflector dormtr, taken for
// small n when A lives in WASM memory) and the blocked TypeScript drivers (taken for
// ordinary arrays, on the JS backend, and for large n). Checked by LAPACK-style scaled
// residuals ||A - Q T Q^T|| / (n ||A|| eps) and ||Q^T Q - I|| / (n eps), by agreement of the
// two routes, and on edge cases: n = 0..3, odd n, views (offset and leading dimension),
// zero and diagonal matrices (tau = 0), tiny and huge scales (larfg's rescaling), and any
// number of columns for ormtr.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ORM2TR_MAX, SYTD2_MAX, ormtr, sytrd } from '../../../src/linalg/lapack/sytrd.js';
import { withWorkspace, type Workspace } from '../../../src/kernels/workspace.js';
import { orm2trLower, sytd2Lower } from '../../../src/kernels/tridiag.js';
import { BACKEND_NAMES, rng, withBackend } from '../../helpers.js';

const EPS = 2 ** -52;
const OFF = 3;

interface Reduced {
  d: Float64Array;
  e: Float64Array;
  /** Q as an explicit n x n matrix (ormtr applied to I). */
  Q: Float64Array;
}

// Lower triangle of the symmetric S (n x n) into a view at OFF with leading dimension n + 2,
// NaN above the diagonal (never read); in WASM memory (`ws`) or in an ordinary array.
function store(n: number, S: Float64Array, ws: Workspace | undefined): { A: Float64Array; ld: number } {
  const ld = n + 2;
  const size = OFF + ld * Math.max(n, 1);
  const A = ws ? ws.f64(size) : new Float64Array(size);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) A[OFF + i + j * ld] = i >= j ? S[i + j * n]! : NaN;
  return { A, ld };
}

function reduce(n: number, S: Float64Array, resident: boolean, ws: Workspace): Reduced {
  const { A, ld } = store(n, S, resident ? ws : undefined);
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(n - 1, 0));
  const tau = new Float64Array(Math.max(n - 1, 0));
  sytrd(n, A, OFF, ld, d, e, tau, ws);
  const ldq = n + 1;
  const Qbuf = resident ? ws.f64(2 + ldq * Math.max(n, 1)) : new Float64Array(2 + ldq * Math.max(n, 1));
  for (let j = 0; j < n; j++) Qbuf[2 + j + j * ldq] = 1;
  ormtr(n, n, A, OFF, ld, tau, Qbuf, 2, ldq, ws);
  const Q = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) Q[i + j * n] = Qbuf[2 + i + j * ldq]!;
  return { d, e, Q };
}

function randomSymmetric(n: number, seed: number, scale = 1): Float64Array {
  const r = rng(seed);
  const S = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = j; i < n; i++) S[i + j * n] = S[j + i * n] = scale * r.nextNormal();
  return S;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

// max |A - Q T Q^T| / (n max|A| eps) and max |Q^T Q - I| / (n eps).
function residuals(n: number, S: Float64Array, { d, e, Q }: Reduced): [number, number] {
  let res = 0;
  let orth = 0;
  const QT = new Float64Array(n * n); // Q T (T tridiagonal)
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let s = Q[i + j * n]! * d[j]!;
      if (j > 0) s += Q[i + (j - 1) * n]! * e[j - 1]!;
      if (j < n - 1) s += Q[i + (j + 1) * n]! * e[j]!;
      QT[i + j * n] = s;
    }
  }
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let a = 0;
      let g = 0;
      for (let p = 0; p < n; p++) {
        a += QT[i + p * n]! * Q[j + p * n]!;
        g += Q[p + i * n]! * Q[p + j * n]!;
      }
      res = Math.max(res, Math.abs(S[i + j * n]! - a));
      orth = Math.max(orth, Math.abs(g - (i === j ? 1 : 0)));
    }
  }
  const anorm = maxAbs(S);
  return [anorm === 0 ? res : res / (Math.max(n, 1) * anorm * EPS), orth / (Math.max(n, 1) * EPS)];
}

describe('sytrd and ormtr', () => {
  for (const backend of BACKEND_NAMES) {
    it(`both routes reduce random matrices with small residuals and agree (${backend})`, () => withBackend(backend, () => withWorkspace((ws) => {
      for (const n of [0, 1, 2, 3, 4, 5, 8, 17, 32, 33, 64, 65, ORM2TR_MAX + 3]) {
        const S = randomSymmetric(n, 100 + n);
        const wasm = reduce(n, S, true, ws);
        const ts = reduce(n, S, false, ws);
        for (const [name, red] of [['resident', wasm], ['ordinary', ts]] as const) {
          const [res, orth] = residuals(n, S, red);
          assert.ok(res < 30 && orth < 30, `n=${n} ${name}: residual ${res}, orthogonality ${orth}`);
        }
        // T is unique up to the signs of e (Q e_0 = e_0; random T is unreduced).
        const tol = 1e-10 * Math.max(1, maxAbs(S));
        for (let i = 0; i < n; i++) assert.ok(Math.abs(wasm.d[i]! - ts.d[i]!) <= tol, `n=${n}: d[${i}] ${wasm.d[i]} vs ${ts.d[i]}`);
        for (let i = 0; i < n - 1; i++) assert.ok(Math.abs(Math.abs(wasm.e[i]!) - Math.abs(ts.e[i]!)) <= tol, `n=${n}: |e[${i}]|`);
      }
    })));

    it(`zero, diagonal, tiny and huge matrices (${backend})`, () => withBackend(backend, () => withWorkspace((ws) => {
      for (const n of [1, 6, 19]) {
        const diag = new Float64Array(n * n);
        for (let i = 0; i < n; i++) diag[i + i * n] = i - 2.5;
        const cases: [string, Float64Array][] = [
          ['zero', new Float64Array(n * n)],
          ['diagonal', diag],
          ['tiny', randomSymmetric(n, 7, 1e-300)],
          ['huge', randomSymmetric(n, 8, 1e300)],
        ];
        for (const [name, S] of cases) {
          for (const resident of [true, false]) {
            const red = reduce(n, S, resident, ws);
            const [res, orth] = residuals(n, S, red);
            assert.ok(res < 30 && orth < 30, `${name} n=${n} resident=${resident}: residual ${res}, orthogonality ${orth}`);
            if (name === 'zero' || name === 'diagonal') {
              for (let i = 0; i < n; i++) assert.equal(red.d[i], S[i + i * n], `${name}: d unchanged`);
              assert.ok(red.e.every((v) => v === 0), `${name}: e = 0`);
            }
          }
        }
      }
    })));
  }

  it('one WASM call reduces up to SYTD2_MAX; the blocked driver agrees just beyond it', () => withWorkspace((ws) => {
    for (const n of [SYTD2_MAX, SYTD2_MAX + 1]) {
      const S = randomSymmetric(n, n);
      const { A, ld } = store(n, S, ws);
      const d = new Float64Array(n);
      const e = new Float64Array(n - 1);
      const tau = new Float64Array(n - 1);
      sytrd(n, A, OFF, ld, d, e, tau, ws);
      // Householder similarity preserves the Frobenius norm: sum d^2 + 2 sum e^2 = ||S||_F^2.
      let t = 0;
      let s = 0;
      for (let i = 0; i < n; i++) t += d[i]! ** 2 + (i < n - 1 ? 2 * e[i]! ** 2 : 0);
      for (const v of S) s += v * v;
      assert.ok(Math.abs(t - s) <= 1e-12 * s * n, `n=${n}: ||T||_F^2 ${t} vs ||A||_F^2 ${s}`);
    }
  }));

  it('orm2trLower applies Q to any number of columns like the block reflectors', () => withWorkspace((ws) => {
    const n = 37;
    const S = randomSymmetric(n, 3);
    const { A, ld } = store(n, S, ws);
    const d = ws.f64(n);
    const e = ws.f64(n);
    const tau = ws.f64(n);
    const work = ws.f64(n);
    if (!sytd2Lower(n, A, OFF, ld, d, e, tau, work)) return; // JS backend only: nothing to compare
    const r = rng(9);
    for (const ncols of [0, 1, 3, 4, 5, 11]) {
      const ldc = n + 4;
      const C = ws.f64(1 + ldc * Math.max(ncols, 1));
      for (let i = 0; i < C.length; i++) C[i] = r.nextNormal();
      const plain = Float64Array.from(C);
      assert.ok(orm2trLower(n, ncols, A, OFF, ld, tau, C, 1, ldc));
      // The blocked route: an ordinary copy of A makes ormtr skip the kernel.
      ormtr(n, ncols, Float64Array.from(A), OFF, ld, tau, plain, 1, ldc, ws);
      for (let i = 0; i < C.length; i++) assert.ok(Math.abs(C[i]! - plain[i]!) <= 1e-13 * n, `ncols=${ncols}: entry ${i}`);
    }
    assert.equal(orm2trLower(n, 2, new Float64Array(A), OFF, ld, tau, ws.f64(n * 2), 0, n), false, 'declines ordinary arrays');
  }));
});
