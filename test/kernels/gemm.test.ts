// gemm against a naive f64 reference on every size 1..67 (all edge-tile cases of the 4x4
// and 8x4 register tiles and of the packing), all transposes, alpha/beta cases, padded
// leading dimensions and offsets, both dtypes, on every backend; plus the threaded path.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { activeWasm, kernels, setThreads, getThreads } from '../../src/kernels/index.js';
import type { DType, FloatArray } from '../../src/matrix/dtype.js';
import { BACKEND_NAMES, randomArray, releaseAll, rng, withBackend } from '../helpers.js';

interface Case { ta: boolean; tb: boolean; m: number; n: number; k: number; alpha: number; beta: number; pad: number; off: number }

function check(dtype: DType, c: Case, resident: boolean, seed: number): void {
  const r = rng(seed);
  const { ta, tb, m, n, k, alpha, beta, pad, off } = c;
  const ar = ta ? k : m, ac = ta ? m : k;
  const br = tb ? n : k, bc = tb ? k : n;
  const lda = Math.max(1, ar + pad), ldb = Math.max(1, br + pad), ldc = Math.max(1, m + pad);
  const A = randomArray(dtype, off + lda * ac, r, resident);
  const B = randomArray(dtype, off + ldb * bc, r, resident);
  const C = randomArray(dtype, off + ldc * n, r, resident);
  if (beta === 0) for (let i = 0; i < C.length; i++) if (i % 7 === 0) C[i] = NaN; // must not leak through beta = 0
  const C0 = Float64Array.from(C);
  kernels().gemm(ta, tb, m, n, k, alpha, A, off, lda, B, off, ldb, beta, C, off, ldc);
  const eps = dtype === 'float32' ? 2 ** -23 : 2 ** -52;
  const a = (i: number, p: number) => A[off + (ta ? p + i * lda : i + p * lda)]!;
  const b = (p: number, j: number) => B[off + (tb ? j + p * ldb : p + j * ldb)]!;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      let s = 0, sa = 0;
      for (let p = 0; p < k; p++) { s += a(i, p) * b(p, j); sa += Math.abs(a(i, p) * b(p, j)); }
      const old = C0[off + i + j * ldc]!;
      const want = alpha * s + (beta === 0 ? 0 : beta * old);
      const got = C[off + i + j * ldc]!;
      const tol = 4 * (k + 2) * eps * (Math.abs(alpha) * sa + Math.abs(beta * (beta === 0 ? 0 : old)) + 1e-300);
      if (!(Math.abs(got - want) <= tol)) {
        assert.fail(`${kernels().name} ${dtype} ${JSON.stringify(c)} resident=${resident}: C[${i},${j}] = ${got}, want ${want} (tol ${tol})`);
      }
    }
  }
  // Padding rows between columns of C are untouched.
  for (let j = 0; j < n; j++) for (let i = m; i < ldc && off + i + j * ldc < C.length; i++) {
    const idx = off + i + j * ldc;
    assert.ok(Object.is(C[idx], C0[idx]!) || (Number.isNaN(C[idx]!) && Number.isNaN(C0[idx]!)), `padding C[${idx}] changed`);
  }
  releaseAll(A, B, C);
}

for (const backend of BACKEND_NAMES) {
  for (const dtype of ['float64', 'float32'] as DType[]) {
    test(`gemm ${backend} ${dtype}: every size 1..67, all transposes`, () => {
      withBackend(backend, () => {
        const r = rng(7);
        for (let s = 1; s <= 67; s++) {
          for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
            // square, and a mixed shape that walks each dimension through its edge cases
            const shapes = [[s, s, s], [s, 1 + ((s * 5) % 67), 1 + ((s * 11) % 67)], [1 + ((s * 13) % 67), s, 1 + ((s * 3) % 9)]];
            for (const [m, n, k] of shapes) {
              const alpha = [1, -0.5, 2.25][r.nextInt(3)]!;
              const beta = [0, 1, -1.5][r.nextInt(3)]!;
              check(dtype, { ta, tb, m: m!, n: n!, k: k!, alpha, beta, pad: r.nextInt(3), off: r.nextInt(3) }, s % 2 === 0, s * 31 + m!);
            }
          }
        }
      });
    });
  }
}

test('gemm: block-size boundaries (k > KC, m > MC, n > NC) and degenerate sizes', () => {
  for (const backend of BACKEND_NAMES) {
    withBackend(backend, () => {
      for (const dtype of ['float64', 'float32'] as DType[]) {
        for (const [m, n, k] of [[129, 5, 257], [300, 3, 520], [3, 3100, 2], [0, 5, 5], [5, 0, 5], [5, 5, 0], [1, 1, 1]]) {
          check(dtype, { ta: false, tb: true, m: m!, n: n!, k: k!, alpha: 1, beta: 0.5, pad: 1, off: 0 }, false, m! + n! + k!);
          check(dtype, { ta: true, tb: false, m: m!, n: n!, k: k!, alpha: -1, beta: 0, pad: 0, off: 1 }, true, m! * 3 + k!);
        }
      }
    });
  }
});

test('gemm: alpha = 0 only scales C; k = 0 with beta = 0 zeroes C', () => {
  for (const backend of BACKEND_NAMES) {
    withBackend(backend, () => {
      const A = new Float64Array([NaN, NaN, NaN, NaN]);
      const C = new Float64Array([1, 2, 3, 4]);
      kernels().gemm(false, false, 2, 2, 2, 0, A, 0, 2, A, 0, 2, 2, C, 0, 2);
      assert.deepEqual([...C], [2, 4, 6, 8]);
      kernels().gemm(false, false, 2, 2, 0, 1, A, 0, 2, A, 0, 2, 0, C, 0, 2);
      assert.deepEqual([...C], [0, 0, 0, 0]);
    });
  }
});

test('gemm: validation errors name the operand', () => {
  for (const backend of BACKEND_NAMES) {
    withBackend(backend, () => {
      const A = new Float64Array(6);
      assert.throws(() => kernels().gemm(false, false, 3, 3, 2, 1, A, 0, 3, new Float64Array(5), 0, 2, 0, new Float64Array(9), 0, 3), /B: a 2x3 block/);
      assert.throws(() => kernels().gemm(false, false, 3, 2, 2, 1, A, 0, 2, A, 0, 2, 0, A, 0, 3), /leading dimension/);
      assert.throws(() => kernels().gemm(false, false, 2, 2, 2, 1, A, 0, 2, new Float32Array(4), 0, 2, 0, A, 0, 2), /same dtype/);
    });
  }
});

test('gemm: two threads agree with one thread on large products', async (t) => {
  if (!activeWasm()) return t.skip('no WASM backend here');
  // setThreads never starts more workers than there are cores.
  if (availableParallelism() < 2) return t.skip('one core: no worker thread to compare with');
  const before = getThreads();
  try {
    for (const dtype of ['float64', 'float32'] as DType[]) {
      for (const [m, n, k, ta, tb] of [[300, 257, 190, false, false], [517, 128, 96, true, false], [97, 400, 130, false, true]] as const) {
        const r = rng(m + n);
        const A = randomArray(dtype, m * k, r), B = randomArray(dtype, k * n, r);
        const run = (threads: number): FloatArray => {
          setThreads(threads);
          const C = dtype === 'float32' ? new Float32Array(m * n) : new Float64Array(m * n);
          kernels().gemm(ta, tb, m, n, k, 1, A, 0, ta ? k : m, B, 0, tb ? n : k, 0, C, 0, m);
          return C;
        };
        const one = run(1);
        // Give workers time to start, then run the threaded path several times.
        run(2);
        await new Promise((res) => setTimeout(res, 200));
        for (let rep = 0; rep < 3; rep++) {
          const two = run(2);
          // Same blocking per element of C, so results agree to rounding of the split only.
          let maxDiff = 0;
          for (let i = 0; i < one.length; i++) maxDiff = Math.max(maxDiff, Math.abs(one[i]! - two[i]!));
          assert.ok(maxDiff <= (dtype === 'float32' ? 1e-4 : 1e-12), `threads disagree by ${maxDiff}`);
        }
        assert.ok((activeWasm()?.workersRunning ?? 0) >= 1, 'a worker thread runs');
      }
    }
  } finally {
    setThreads(before);
  }
});

test('gemm: threaded stress — random shapes back to back agree with the TS reference', async (t) => {
  if (!activeWasm()) return t.skip('no WASM backend here');
  const before = getThreads();
  setThreads(2);
  try {
    const { jsKernels } = await import('../../src/kernels/js-kernels.js');
    const r = rng(99);
    for (let it = 0; it < 80; it++) {
      const m = 40 + r.nextInt(260), n = 40 + r.nextInt(260), k = 100 + r.nextInt(500);
      const ta = r.nextInt(2) === 1, tb = r.nextInt(2) === 1;
      const A = randomArray('float64', m * k, r), B = randomArray('float64', k * n, r);
      const C1 = new Float64Array(m * n), C2 = new Float64Array(m * n);
      kernels().gemm(ta, tb, m, n, k, 1, A, 0, ta ? k : m, B, 0, tb ? n : k, 0, C1, 0, m);
      jsKernels.gemm(ta, tb, m, n, k, 1, A, 0, ta ? k : m, B, 0, tb ? n : k, 0, C2, 0, m);
      let d = 0;
      for (let i = 0; i < C1.length; i++) d = Math.max(d, Math.abs(C1[i]! - C2[i]!));
      assert.ok(d <= 1e-11 * k, `iteration ${it}: ${m}x${n}x${k} ta=${ta} tb=${tb} differs by ${d}`);
    }
  } finally {
    setThreads(before);
  }
});
