import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trsm } from '../../../src/linalg/lapack/blas.js';
import { explicitV, larfb, larfg, larft } from '../../../src/linalg/lapack/householder.js';
import { withWorkspace } from '../../../src/kernels/workspace.js';
import { BACKEND_NAMES, rng, withBackend } from '../../helpers.js';

const EPS = 2 ** -52;

// Plain triple-loop product of column-major arrays.
function mul(m: number, n: number, k: number, a: (i: number, j: number) => number, b: (i: number, j: number) => number): Float64Array {
  const c = new Float64Array(m * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a(i, p) * b(p, j);
    c[i + j * m] = s;
  }
  return c;
}

describe('trsm', () => {
  for (const backend of BACKEND_NAMES) {
    it(`solves all side/uplo/trans/diag combinations (${backend})`, () => withBackend(backend, () => withWorkspace((ws) => {
      const r = rng(11);
      for (const [m, n] of [[1, 1], [5, 3], [17, 40], [70, 9], [33, 65]] as const) {
        for (const side of ['L', 'R'] as const) for (const uplo of ['L', 'U'] as const) for (const trans of [false, true]) for (const unit of [false, true]) {
          const na = side === 'L' ? m : n;
          const A = ws.f64(na * na);
          for (let j = 0; j < na; j++) for (let i = 0; i < na; i++) {
            const inTri = uplo === 'L' ? i >= j : i <= j;
            A[i + j * na] = i === j ? 2 + r.nextDouble() : inTri ? r.nextDouble() - 0.5 : 99; // 99: must be ignored
          }
          const X = new Float64Array(m * n).map(() => r.nextDouble() - 0.5);
          const opA = (i: number, j: number): number => {
            const [p, q] = trans ? [j, i] : [i, j];
            if (p === q) return unit ? 1 : A[p + q * na]!;
            const inTri = uplo === 'L' ? p > q : p < q;
            return inTri ? A[p + q * na]! : 0;
          };
          const x = (i: number, j: number): number => X[i + j * m]!;
          const B = side === 'L' ? mul(m, n, m, opA, x) : mul(m, n, n, x, opA);
          const Bw = ws.f64(m * n);
          Bw.set(B);
          trsm(side, uplo, trans, unit, m, n, 2, A, 0, na, Bw, 0, m);
          for (let i = 0; i < m * n; i++) assert.ok(Math.abs(Bw[i]! - 2 * X[i]!) < 1e-12 * 50, `${side}${uplo}${trans}${unit} ${m}x${n}: ${Bw[i]} vs ${2 * X[i]!}`);
        }
      }
    })));
  }
});

describe('Householder', () => {
  it('larfg annihilates x and keeps the norm, also at tiny scale', () => {
    for (const scale of [1, 1e-300, 1e300]) {
      const x = new Float64Array([3, 1, -2, 0.5].map((v) => v * scale));
      const norm = Math.hypot(3, 1, -2, 0.5) * scale;
      const before = Float64Array.from(x);
      const tau = larfg(4, x, 0, 1, 1);
      assert.ok(Math.abs(Math.abs(x[0]!) - norm) <= 4 * EPS * norm);
      // H [alpha; x] = [beta; 0] with v = [1; x[1:]]
      const v = [1, x[1]!, x[2]!, x[3]!];
      const dot = v.reduce((s, vi, i) => s + vi * before[i]!, 0);
      for (let i = 1; i < 4; i++) assert.ok(Math.abs(before[i]! - tau * dot * v[i]!) <= 8 * EPS * norm);
    }
  });

  for (const backend of BACKEND_NAMES) {
    it(`larft/larfb equal the product of single reflectors (${backend})`, () => withBackend(backend, () => withWorkspace((ws) => {
      const r = rng(3);
      const m = 40, k = 7, n = 13;
      const A = ws.f64(m * k);
      for (let i = 0; i < A.length; i++) A[i] = r.nextDouble() - 0.5;
      const tau = new Float64Array(k);
      for (let j = 0; j < k; j++) tau[j] = larfg(m - j, A, j + j * m, j + 1 + j * m, 1);
      const V = ws.f64(m * k);
      explicitV(m, k, A, 0, m, V, 0, m);
      const T = ws.f64(k * k);
      larft(m, k, V, 0, m, tau, T, 0, k);
      const C0 = new Float64Array(m * n).map(() => r.nextDouble());
      // Reference: H_1 (H_2 (... H_k C)) applied one at a time.
      const ref = Float64Array.from(C0);
      for (let j = k - 1; j >= 0; j--) for (let c = 0; c < n; c++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += V[i + j * m]! * ref[i + c * m]!;
        for (let i = 0; i < m; i++) ref[i + c * m] = ref[i + c * m]! - tau[j]! * V[i + j * m]! * s;
      }
      const C = ws.f64(m * n);
      C.set(C0);
      larfb('L', false, m, n, k, V, 0, m, T, 0, k, C, 0, m, ws.f64(2 * k * n));
      for (let i = 0; i < m * n; i++) assert.ok(Math.abs(C[i]! - ref[i]!) < 1e-13, `${C[i]} vs ${ref[i]}`);
      // Right side: C^T H^T = (H C)^T.
      const Ct = ws.f64(n * m);
      for (let i = 0; i < m; i++) for (let c = 0; c < n; c++) Ct[c + i * n] = C0[i + c * m]!;
      larfb('R', true, n, m, k, V, 0, m, T, 0, k, Ct, 0, n, ws.f64(2 * k * n));
      for (let i = 0; i < m; i++) for (let c = 0; c < n; c++) assert.ok(Math.abs(Ct[c + i * n]! - ref[i + c * m]!) < 1e-13);
    })));
  }
});
