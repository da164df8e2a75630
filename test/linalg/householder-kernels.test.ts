// The WASM kernels of the blocked Householder drivers (src/kernels/householder.ts over
// assembly/householder.ts: the panel QR dgeqr2 and dlarft's recurrence) against the
// TypeScript loops they replace, run on the same arrays in the kernels' memory (so both use
// the same WASM level-1/2 kernels): they do the same operations in the same order, so the
// results must be bit-identical. Also: they decline arrays outside WASM memory and float32,
// and the blocked QR built on them still factors (residual and orthogonality at rounding level).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activeWasm, availableBackends, kernels } from '../../src/kernels/index.js';
import { geqr2Kernel, larftTriangle } from '../../src/kernels/householder.js';
import { withWorkspace } from '../../src/kernels/workspace.js';
import { geqr2Loop, geqrf, orgqr } from '../../src/linalg/lapack/geqrf.js';
import { explicitV, larftLoop } from '../../src/linalg/lapack/householder.js';
import { rng } from '../helpers.js';

const EPS = 2 ** -52;
const hasWasm = availableBackends().some((b) => b !== 'js');

function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${a[i]} (WASM) != ${b[i]} (TypeScript)`);
  }
}

// Random columns, with a zero column (tau = 0), a column already of the form [alpha; 0]
// (xnorm = 0) and tiny columns (larfg's rescaling below safmin / eps).
function panel(m: number, n: number, seed: number): Float64Array {
  const r = rng(seed);
  const a = Float64Array.from({ length: m * n }, () => 2 * r.nextDouble() - 1);
  if (n > 2) a.fill(0, 2 * m, 3 * m);
  if (n > 4) a.fill(0, 4 * m + 4 + 1, 5 * m);
  if (n > 6) for (let i = 6 * m; i < 7 * m; i++) a[i] = a[i]! * 1e-300;
  return a;
}

describe('Householder WASM kernels', { skip: !hasWasm && 'no WASM backend' }, () => {
  it('geqr2: the one-call kernel equals the TypeScript loop bit for bit', () => {
    for (const [m, n, ld] of [[1, 1, 1], [5, 3, 5], [3, 5, 4], [40, 32, 41], [200, 32, 200], [77, 77, 80], [33, 50, 33]] as const) {
      const a0 = new Float64Array(ld * n);
      const p = panel(m, n, m * 31 + n);
      for (let j = 0; j < n; j++) a0.set(p.subarray(j * m, j * m + m), j * ld);
      const k = Math.min(m, n);
      withWorkspace((ws) => {
        const aW = ws.f64(ld * n);
        aW.set(a0);
        const tauW = ws.f64(k + 2);
        const aT = ws.f64(ld * n);
        aT.set(a0);
        const tauT = ws.f64(k + 2);
        const work = ws.f64(n);
        assert.ok(activeWasm()?.heap.owns(aW), 'the workspace is in WASM memory');
        assert.equal(geqr2Kernel(m, n, aW, 0, ld, tauW, 1, work), true);
        geqr2Loop(m, n, aT, 0, ld, tauT, 1, work);
        sameBits(aW.slice(), aT.slice(), `${m}x${n} factors`);
        sameBits(tauW.slice(), tauT.slice(), `${m}x${n} tau`);
      });
    }
  });

  it('larft: the recurrence kernel equals the TypeScript loop bit for bit', () => {
    for (const [m, k] of [[1, 1], [10, 4], [100, 32], [64, 17]] as const) {
      withWorkspace((ws) => {
        const a = ws.f64(m * k);
        a.set(panel(m, k, 5 * m + k).subarray(0, m * k));
        const tau = ws.f64(k);
        geqr2Loop(m, k, a, 0, m, tau, 0, ws.f64(k));
        const V = ws.f64(m * k);
        explicitV(m, k, a, 0, m, V, 0, m);
        const ld = k + 3;
        const tW = ws.f64(ld * k);
        kernels().gemm(true, false, k, k, m, 1, V, 0, m, V, 0, m, 0, tW, 0, ld);
        for (let i = 0; i < k; i++) tW[i + i * ld] = tau[i]!;
        const tT = tW.slice();
        assert.equal(larftTriangle(k, tW, 0, ld), true);
        larftLoop(k, tT, 0, ld);
        sameBits(tW.slice(), tT, `${m}x${k} T`);
        // I - V T V^T is orthogonal: (I - V T V^T)^T (I - V T V^T) = I to rounding.
        const H = new Float64Array(m * m);
        for (let i = 0; i < m; i++) H[i + i * m] = 1;
        const VT = new Float64Array(m * k);
        kernels().gemm(false, false, m, k, k, 1, V.slice(), 0, m, tW.slice(), 0, ld, 0, VT, 0, m);
        kernels().gemm(false, true, m, m, k, -1, VT, 0, m, V.slice(), 0, m, 1, H, 0, m);
        const G = new Float64Array(m * m);
        kernels().gemm(true, false, m, m, m, 1, H, 0, m, H, 0, m, 0, G, 0, m);
        let err = 0;
        for (let j = 0; j < m; j++) for (let i = 0; i < m; i++) err = Math.max(err, Math.abs(G[i + j * m]! - (i === j ? 1 : 0)));
        assert.ok(err < 20 * m * EPS, `${m}x${k}: ||H^T H - I||_max = ${err}`);
      });
    }
  });

  it('both decline ordinary arrays and float32, touching nothing', () => {
    const a = new Float64Array(16).fill(1);
    assert.equal(geqr2Kernel(4, 4, a, 0, 4, new Float64Array(4), 0, new Float64Array(4)), false);
    assert.deepEqual([...a], new Array(16).fill(1));
    assert.equal(larftTriangle(2, new Float64Array(4), 0, 2), false);
    withWorkspace((ws) => {
      const f = ws.alloc('float32', 16);
      f.fill(1);
      assert.equal(larftTriangle(4, f, 0, 4), false);
      assert.equal(geqr2Kernel(4, 4, f, 0, 4, ws.alloc('float32', 4), 0, ws.alloc('float32', 4)), false);
      assert.deepEqual([...f], new Array(16).fill(1));
    });
  });

  it('blocked geqrf + orgqr in place on the kernels: A = Q R with orthonormal Q', () => {
    for (const [m, n] of [[150, 150], [300, 170], [130, 260]] as const) {
      const r = rng(m + n);
      const A = Float64Array.from({ length: m * n }, () => 2 * r.nextDouble() - 1);
      const k = Math.min(m, n);
      withWorkspace((ws) => {
        const a = ws.f64(m * n);
        a.set(A);
        const tau = ws.f64(k);
        geqrf(m, n, a, 0, m, tau, ws);
        const R = new Float64Array(k * n);
        for (let j = 0; j < n; j++) for (let i = 0; i <= Math.min(j, k - 1); i++) R[i + j * k] = a[i + j * m]!;
        orgqr(m, k, k, a, 0, m, tau, a, 0, m, ws);
        const Q = a.slice(0, m * k);
        const QR = new Float64Array(m * n);
        kernels().gemm(false, false, m, n, k, 1, Q, 0, m, R, 0, k, 0, QR, 0, m);
        let res = 0;
        let anorm = 0;
        for (let i = 0; i < m * n; i++) {
          res = Math.max(res, Math.abs(QR[i]! - A[i]!));
          anorm = Math.max(anorm, Math.abs(A[i]!));
        }
        assert.ok(res / (Math.max(m, n) * anorm * EPS) < 10, `${m}x${n}: ||A - QR||_max = ${res}`);
        const G = new Float64Array(k * k);
        kernels().gemm(true, false, k, k, m, 1, Q, 0, m, Q, 0, m, 0, G, 0, k);
        let orth = 0;
        for (let j = 0; j < k; j++) for (let i = 0; i < k; i++) orth = Math.max(orth, Math.abs(G[i + j * k]! - (i === j ? 1 : 0)));
        assert.ok(orth / (m * EPS) < 10, `${m}x${n}: ||Q^T Q - I||_max = ${orth}`);
      });
    }
  });
});
