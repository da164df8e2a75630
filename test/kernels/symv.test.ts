import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activeWasm, setBackend } from '../../src/kernels/index.js';
import { symvLower, symvLowerJs } from '../../src/kernels/symv.js';
import type { FloatArray } from '../../src/matrix/dtype.js';
import { rng } from '../../src/random.js';

// Reference: y = alpha S x + beta y with S the symmetric matrix whose lower triangle is A's.
function reference(n: number, alpha: number, A: ArrayLike<number>, off: number, ld: number, x: ArrayLike<number>, beta: number, y: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += (i >= j ? A[off + i + j * ld]! : A[off + j + i * ld]!) * x[j]!;
    out.push(alpha * s + (beta === 0 ? 0 : beta * y[i]!));
  }
  return out;
}

for (const dtype of ['float64', 'float32'] as const) {
  test(`symvLower ${dtype}: WASM and TS agree with the symmetric product, reading one triangle`, () => {
    const prev = setBackend('auto');
    try {
      const w = activeWasm();
      assert.ok(w, 'WASM backend available');
      const r = rng(7);
      const tol = dtype === 'float64' ? 1e-13 : 2e-5;
      for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 64, 101]) {
        for (const [alpha, beta] of [[1, 0], [-0.5, 1], [2, -3]] as const) {
          const ld = n + 3;
          const off = 2;
          const size = off + ld * Math.max(n, 1);
          const A: FloatArray = w.alloc(dtype, size);
          const x: FloatArray = w.alloc(dtype, n + 1);
          const y: FloatArray = w.alloc(dtype, n + 2);
          for (let i = 0; i < size; i++) A[i] = r.nextNormal();
          // NaN above the diagonal proves the upper triangle is never read.
          for (let j = 0; j < n; j++) for (let i = 0; i < j; i++) A[off + i + j * ld] = NaN;
          for (let i = 0; i < n + 1; i++) x[i] = r.nextNormal();
          for (let i = 0; i < n + 2; i++) y[i] = r.nextNormal();
          const xv = x.subarray(1);
          const y0: number[] = Array.from(y.subarray(2, 2 + n));
          const want = reference(n, alpha, A, off, ld, xv, beta, y0);
          const yJs: FloatArray = dtype === 'float64' ? new Float64Array(y) : new Float32Array(y);
          symvLower(n, alpha, A, off, ld, x, 1, beta, y, 2);
          symvLowerJs(n, alpha, A, off, ld, x, 1, beta, yJs, 2);
          const scale = Math.max(1, ...want.map(Math.abs));
          for (let i = 0; i < n; i++) {
            assert.ok(Math.abs(y[2 + i]! - want[i]!) <= tol * scale * n, `wasm n=${n} i=${i}: ${y[2 + i]} vs ${want[i]}`);
            assert.ok(Math.abs(yJs[2 + i]! - want[i]!) <= tol * scale * n, `js n=${n} i=${i}`);
          }
          assert.equal(y[0], yJs[0]);
          assert.equal(y[1], yJs[1]);
          w.release(A);
          w.release(x);
          w.release(y);
        }
      }
    } finally {
      setBackend(prev);
    }
  });
}
