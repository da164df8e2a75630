import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ormrz, tzrzf } from '../../../src/linalg/lapack/tzrzf.js';
import { withWorkspace } from '../../../src/kernels/workspace.js';
import { BACKEND_NAMES, rng, withBackend } from '../../helpers.js';

const EPS = 2 ** -52;

const frob = (a: ArrayLike<number>): number => Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0));

describe('tzrzf / ormrz', () => {
  for (const backend of BACKEND_NAMES) {
    it(`[R1 R2] = [T 0] Z with T upper triangular and Z orthogonal (${backend})`, () => withBackend(backend, () => withWorkspace((ws) => {
      const r = rng(5);
      for (const [m, n] of [[1, 1], [1, 6], [3, 4], [5, 12], [40, 41], [37, 100]] as const) {
        const label = `${m}x${n}`;
        // A random upper trapezoidal R; below the diagonal holds 99s that must be ignored.
        const R = new Float64Array(m * n);
        for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) R[i + j * m] = i <= j ? r.nextDouble() - 0.5 : 99;
        const a = ws.f64(m * n);
        a.set(R);
        const tau = ws.f64(m);
        tzrzf(m, n, a, 0, m, tau, 0, ws.f64(m));
        for (let j = 0; j < m; j++) for (let i = 0; i < j; i++) assert.equal(a[j + i * m], 99, `${label}: below the diagonal untouched`);
        // Z^T [T^T; 0] (n x m) must equal [R1 R2]^T.
        const C = ws.f64(n * m);
        for (let i = 0; i < m; i++) for (let j = i; j < m; j++) C[j + i * n] = a[i + j * m]!;
        ormrz(true, m, n, m, a, 0, m, tau, 0, C, 0, n, ws.f64(m));
        const diff = new Float64Array(n * m);
        const Rt = new Float64Array(n * m);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
          const rij = i <= j ? R[i + j * m]! : 0;
          Rt[j + i * n] = rij;
          diff[j + i * n] = C[j + i * n]! - rij;
        }
        const res = frob(diff) / (frob(Rt) * n * EPS);
        assert.ok(res < 30, `${label}: ||[T 0] Z - R|| ratio ${res}`);
        // Z from Z I, then Z^T Z = I: ||Z^T Z - I|| / (n eps).
        const Z = ws.f64(n * n);
        for (let i = 0; i < n; i++) Z[i + i * n] = 1;
        ormrz(false, m, n, n, a, 0, m, tau, 0, Z, 0, n, ws.f64(n));
        const back = ws.f64(n * n);
        back.set(Z);
        ormrz(true, m, n, n, a, 0, m, tau, 0, back, 0, n, ws.f64(n));
        let err = 0;
        for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) err += (back[i + j * n]! - (i === j ? 1 : 0)) ** 2;
        assert.ok(Math.sqrt(err) / (n * EPS) < 30, `${label}: Z^T Z - I ratio ${Math.sqrt(err) / (n * EPS)}`);
        if (m < n && m > 1) assert.ok(Z.some((v, idx) => idx % (n + 1) !== 0 && v !== 0), `${label}: Z is not the identity`);
      }
    })));
  }
});
