// The transposed syrk (C := alpha A^T A + beta C), which the WASM build runs through the
// unpacked Gram kernel (assembly/gram.ts) up to n = 512 and through gemm beyond: every
// tile edge (n mod 4, odd rows of a column block), row counts that span several of the
// kernel's L2 chunks with odd tails, both triangles, beta = 0 over NaN, alpha = 0, k = 0,
// and n past the gemm crossover. Checked entry by entry against a float64 dot product.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kernels } from '../../src/kernels/index.js';
import type { DType } from '../../src/matrix/dtype.js';
import { BACKEND_NAMES, randomArray, releaseAll, rng, withBackend } from '../helpers.js';

const EPS: Record<DType, number> = { float64: 2.2e-16, float32: 1.2e-7 };

for (const backend of BACKEND_NAMES) {
  for (const dtype of ['float64', 'float32'] as DType[]) {
    test(`syrk A^T A ${backend} ${dtype}: tiles, chunks, both triangles`, () => {
      withBackend(backend, () => {
        const r = rng(5);
        // n = 200 at k = 1001: 4 chunks of 245 (f64) or 2 of 488 (f32) rows plus an odd tail.
        const shapes = [[1, 1], [2, 5], [3, 4], [4, 9], [5, 1], [6, 2], [9, 17], [64, 1797], [65, 301], [200, 1001], [520, 3]];
        for (const [n, k] of shapes as [number, number][]) {
          for (const uplo of ['L', 'U'] as const) {
            for (const beta of [0, 0.5]) {
              const lda = k + 3;
              const ldc = n + 2;
              const A = randomArray(dtype, lda * n, r, true);
              const C = randomArray(dtype, ldc * n, r, true);
              if (beta === 0) C.fill(NaN);
              const C0 = Float64Array.from(C);
              kernels().syrk(uplo, true, n, k, 1.5, A, 0, lda, beta, C, 0, ldc);
              for (let j = 0; j < n; j++) {
                for (let i = 0; i < n; i++) {
                  const c = i + j * ldc;
                  if (uplo === 'L' ? i < j : i > j) {
                    assert.ok(Object.is(C[c], C0[c]), `${n}x${k} ${uplo}: (${i}, ${j}) of the other triangle untouched`);
                    continue;
                  }
                  let s = 0;
                  let sa = 0;
                  for (let p = 0; p < k; p++) {
                    const v = A[p + i * lda]! * A[p + j * lda]!;
                    s += v;
                    sa += Math.abs(v);
                  }
                  const old = beta === 0 ? 0 : beta * C0[c]!;
                  const want = 1.5 * s + old;
                  const tol = 4 * EPS[dtype] * (k + 2) * (1.5 * sa + Math.abs(old));
                  assert.ok(Math.abs(C[c]! - want) <= tol, `${n}x${k} ${uplo} beta=${beta}: (${i}, ${j}) = ${C[c]}, want ${want}`);
                }
              }
              releaseAll(A, C);
            }
          }
        }
      });
    });
  }

  test(`syrk A^T A ${backend}: alpha = 0 and k = 0 only scale C`, () => {
    withBackend(backend, () => {
      const r = rng(6);
      for (const [alpha, k] of [[0, 7], [2, 0]] as [number, number][]) {
        const n = 6;
        const A = randomArray('float64', Math.max(1, k) * n, r, true);
        const C = randomArray('float64', n * n, r, true);
        const C0 = Float64Array.from(C);
        kernels().syrk('L', true, n, k, alpha, A, 0, Math.max(1, k), 0.25, C, 0, n);
        for (let j = 0; j < n; j++) for (let i = j; i < n; i++) assert.equal(C[i + j * n], 0.25 * C0[i + j * n]!);
        releaseAll(A, C);
      }
    });
  });
}
