// The products a truncated solver sees: a prepacked dense input (randomized SVD's path)
// multiplies exactly as the plain dense path does (the same gemm panels and kernel), in
// both orientations and across the packing chunks; NaN in the input is rejected.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NonFiniteInputError } from '../../src/errors.js';
import { withWorkspace } from '../../src/kernels/workspace.js';
import { asLinearOperator } from '../../src/lowrank/operator.js';
import { block, productsOf } from '../../src/lowrank/products.js';
import { Matrix } from '../../src/matrix/matrix.js';

for (const dtype of ['float64', 'float32'] as const) {
  test(`products (${dtype}): prepacked blocks equal the plain dense products bit for bit`, () => {
    // 300 columns cross a packing chunk (KC = 256 f64 / 512 f32 columns) for f64; a view
    // with a column stride checks that the input is read through its strides.
    const base = Matrix.random(141, 305, { seed: 3, distribution: 'normal', dtype });
    for (const A of [base, base.colRange(1, 302), asLinearOperator(base.T)]) {
      for (const transpose of [false, true]) {
        withWorkspace((ws) => {
          const fast = productsOf(A, transpose, ws, 'test', { blocks: true });
          const plain = productsOf(A, transpose, ws, 'test');
          assert.equal(fast.rows, plain.rows);
          assert.equal(fast.cols, plain.cols);
          // (One column goes to gemv on the plain path: a different summation order.)
          for (const p of [2, 7, 60]) {
            const X = Matrix.random(fast.cols, p, { seed: p, dtype });
            const Y1 = block(ws, dtype, fast.rows, p);
            const Y2 = block(ws, dtype, fast.rows, p);
            fast.apply(X, Y1);
            plain.apply(X, Y2);
            assert.deepEqual(Y1.toArray(), Y2.toArray(), `apply, ${p} columns, transpose ${transpose}`);
            const Z1 = block(ws, dtype, fast.cols, p);
            const Z2 = block(ws, dtype, fast.cols, p);
            fast.applyTranspose(Y1, Z1);
            plain.applyTranspose(Y1, Z2);
            assert.deepEqual(Z1.toArray(), Z2.toArray(), `applyTranspose, ${p} columns, transpose ${transpose}`);
          }
        });
      }
    }
  });
}

test('products: a NaN anywhere in a prepacked input is a NonFiniteInputError', () => {
  const A = Matrix.random(40, 600, { seed: 1 });
  A.set(39, 599, NaN);
  assert.throws(() => withWorkspace((ws) => productsOf(A, false, ws, 'randomizedSvd', { blocks: true })), NonFiniteInputError);
});
