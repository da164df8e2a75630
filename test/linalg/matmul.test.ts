import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ShapeError } from '../../src/errors.js';
import { gemmInto, matmul } from '../../src/linalg/matmul.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { BACKEND_NAMES, withBackend } from '../helpers.js';

function naive(A: Matrix, B: Matrix): Matrix {
  const C = Matrix.zeros(A.rows, B.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < B.cols; j++) {
    let s = 0;
    for (let p = 0; p < A.cols; p++) s += A.get(i, p) * B.get(p, j);
    C.set(i, j, s);
  }
  return C;
}

for (const backend of BACKEND_NAMES) {
  test(`matmul ${backend}: views (slices, transposes, strided copies) and options`, () => {
    withBackend(backend, () => {
      const A = Matrix.random(13, 9, { seed: 1 });
      const B = Matrix.random(9, 7, { seed: 2 });
      assert.ok(matmul(A, B).equals(naive(A, B), { rtol: 1e-13 }));
      assert.ok(matmul(A.T, A).equals(naive(A.T, A), { rtol: 1e-13 }));
      assert.ok(matmul(A, A, { transA: true }).equals(naive(A.T, A), { rtol: 1e-13 }));
      assert.ok(matmul(B, A, { transA: true, transB: true }).equals(naive(B.T, A.T), { rtol: 1e-13 }));
      const S = A.slice(2, 10, 1, 8); // a sub-block with ld 13
      assert.ok(matmul(S, S.T).equals(naive(S, S.T), { rtol: 1e-13 }));
      // A doubly-strided view (every other row of a transposed view) is copied first.
      const odd = new Matrix(A.data, 4, 9, 1, 2, 13);
      assert.ok(matmul(odd, B).equals(naive(odd, B), { rtol: 1e-13 }));
      assert.ok(matmul(A, B, { alpha: -2 }).equals(naive(A, B).scale(-2), { rtol: 1e-13 }));
      assert.throws(() => matmul(A, A), ShapeError);
      assert.deepEqual(matmul(Matrix.zeros(0, 3), Matrix.zeros(3, 4)).shape, [0, 4]);
      assert.ok(matmul(Matrix.zeros(2, 0), Matrix.zeros(0, 2)).equals(Matrix.zeros(2, 2)));
    });
  });

  test(`matmul ${backend}: dtypes — f32 stays f32, mixed promotes to f64`, () => {
    withBackend(backend, () => {
      const A = Matrix.random(20, 30, { seed: 3, dtype: 'float32' });
      const B = Matrix.random(30, 10, { seed: 4, dtype: 'float32' });
      const C = matmul(A, B);
      assert.equal(C.dtype, 'float32');
      assert.ok(C.equals(naive(A, B), { rtol: 1e-5 }));
      const M = matmul(A, B.astype('float64'));
      assert.equal(M.dtype, 'float64');
      assert.ok(M.equals(naive(A, B), { rtol: 1e-12 }));
    });
  });

  test(`gemmInto ${backend}: accumulates into a column-major view`, () => {
    withBackend(backend, () => {
      const A = Matrix.random(5, 4, { seed: 5 });
      const B = Matrix.random(4, 3, { seed: 6 });
      const big = Matrix.full(8, 6, 1);
      const C = big.slice(1, 6, 2, 5);
      gemmInto(A, B, C, 2, 0.5);
      assert.ok(C.equals(naive(A, B).scale(2).add(0.5), { rtol: 1e-13 }));
      assert.equal(big.get(0, 0), 1);
      assert.throws(() => gemmInto(A, B, C.T), ShapeError);
    });
  });
}
