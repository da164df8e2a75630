// gemm with a prepacked op(A) (WasmKernels.packColumns + gemmPrepacked): packing A and A^T
// chunk by chunk, then multiplying, gives bit for bit what gemm gives (same panels, same
// micro-kernel, same summation order) for every edge of the register tile, the k-blocking
// and the chunking; alpha/beta; transposed B; one and two threads; and bad calls fail
// with typed errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import { activeWasm, getThreads, kernels, setThreads } from '../../src/kernels/index.js';
import type { WasmKernels } from '../../src/kernels/wasm-kernels.js';
import type { DType, FloatArray } from '../../src/matrix/dtype.js';
import { randomArray, releaseAll, rng } from '../helpers.js';

// Pack a rows x cols column-major A (ld = rows) into P (A) and PT (A^T) through heap chunks.
function packBoth(w: WasmKernels, dtype: DType, rows: number, cols: number, A: FloatArray): [FloatArray, FloatArray] {
  const P = w.alloc(dtype, w.packedElements(dtype, rows, cols), false);
  const PT = w.alloc(dtype, w.packedElements(dtype, cols, rows), false);
  const kc = w.packChunkColumns(dtype);
  const chunk = w.alloc(dtype, Math.max(1, rows * Math.min(kc, cols)));
  for (let c0 = 0; c0 < cols; c0 += kc) {
    const width = Math.min(kc, cols - c0);
    chunk.set(A.subarray(c0 * rows, (c0 + width) * rows));
    w.packColumns(rows, cols, c0, width, chunk, Math.max(1, rows), P, PT);
  }
  releaseAll(chunk);
  return [P, PT];
}

function sameBits(a: FloatArray, b: FloatArray, what: string): void {
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) assert.fail(`${what}: element ${i} is ${a[i]}, gemm gives ${b[i]}`);
  }
}

function checkShape(w: WasmKernels, dtype: DType, rows: number, cols: number, n: number, seed: number): void {
  const r = rng(seed);
  const A = randomArray(dtype, rows * cols, r);
  const [P, PT] = packBoth(w, dtype, rows, cols, A);
  for (const transB of [false, true]) {
    for (const [alpha, beta] of [[1, 0], [1, 1], [1, -0.5]] as const) {
      // Y = alpha A X + beta Y and Z = alpha A^T Y' + beta Z, against gemm on the plain array.
      for (const [Ap, m, k, ta] of [[P, rows, cols, false], [PT, cols, rows, true]] as const) {
        const ldb = transB ? n + 1 : k + 2;
        const B = randomArray(dtype, ldb * (transB ? k : n) + 1, r);
        const C0 = randomArray(dtype, (m + 3) * n + 1, r);
        const got = (dtype === 'float32' ? Float32Array.from(C0) : Float64Array.from(C0)) as FloatArray;
        const ref = (dtype === 'float32' ? Float32Array.from(C0) : Float64Array.from(C0)) as FloatArray;
        kernels().gemm(ta, transB, m, n, k, alpha, A, 0, Math.max(1, rows), B, 1, ldb, beta, ref, 1, m + 3);
        w.gemmPrepacked(Ap, m, k, transB, n, alpha, B, 1, ldb, beta, got, 1, m + 3);
        sameBits(got, ref, `${dtype} ${ta ? 'A^T' : 'A'} ${m}x${k} times ${n} cols (transB ${transB}, beta ${beta})`);
      }
    }
  }
  releaseAll(P, PT);
}

test('gemmPrepacked: equals gemm bit for bit on every edge of tiles, blocks and chunks', (t) => {
  const w = activeWasm();
  if (!w) return t.skip('no WASM backend here');
  for (const dtype of ['float64', 'float32'] as DType[]) {
    const kc = w.packChunkColumns(dtype);
    // rows/cols around MR (4/8), MC (128/256 rows) and KC (chunk width); n around NR.
    const shapes: [number, number, number][] = [
      [1, 1, 1], [3, 5, 2], [4, 8, 4], [9, 13, 5], [33, 67, 7],
      [130, 2 * kc + 3, 9], [2 * kc + 1, kc, 3], [kc - 1, kc + 1, 12], [300, 17, 1], [5, 600, 60],
    ];
    shapes.forEach(([rows, cols, n], i) => checkShape(w, dtype, rows, cols, n, 17 + i));
  }
});

test('gemmPrepacked: two threads give what one thread gives', async (t) => {
  const w = activeWasm();
  if (!w) return t.skip('no WASM backend here');
  const before = getThreads();
  try {
    for (const dtype of ['float64', 'float32'] as DType[]) {
      const [rows, cols, n] = [517, 300, 60];
      const r = rng(5);
      const A = randomArray(dtype, rows * cols, r);
      const [P, PT] = packBoth(w, dtype, rows, cols, A);
      const X = randomArray(dtype, cols * n, r, true);
      const Y = randomArray(dtype, rows * n, r, true);
      const run = (threads: number, Ap: FloatArray, m: number, k: number, B: FloatArray, C: FloatArray) => {
        setThreads(threads);
        w.gemmPrepacked(Ap, m, k, false, n, 1, B, 0, k, 0, C, 0, m);
        return C.slice();
      };
      const one = run(1, P, rows, cols, X, Y);
      run(2, P, rows, cols, X, Y);
      await new Promise((res) => setTimeout(res, 100));
      sameBits(run(2, P, rows, cols, X, Y), one, `${dtype} A X on two threads`);
      const oneT = run(1, PT, cols, rows, Y, X);
      sameBits(run(2, PT, cols, rows, Y, X), oneT, `${dtype} A^T Y on two threads`);
      releaseAll(P, PT, X, Y);
    }
  } finally {
    setThreads(before);
  }
});

test('packColumns / gemmPrepacked: misuse is a typed error', (t) => {
  const w = activeWasm();
  if (!w) return t.skip('no WASM backend here');
  const kc = w.packChunkColumns('float64');
  const rows = 10, cols = kc + 5;
  const P = w.alloc('float64', w.packedElements('float64', rows, cols));
  const chunk = w.alloc('float64', rows * kc);
  // c0 must start a chunk; a chunk is KC wide except the last; arrays live in the heap.
  assert.throws(() => w.packColumns(rows, cols, 1, kc, chunk, rows, P, null), InvalidArgumentError);
  assert.throws(() => w.packColumns(rows, cols, 0, 3, chunk, rows, P, null), InvalidArgumentError);
  assert.throws(() => w.packColumns(rows, cols, 0, kc, new Float64Array(rows * kc), rows, P, null), InvalidArgumentError);
  assert.throws(() => w.packColumns(rows, cols, 0, kc, chunk, rows, w.alloc('float32', 4), null), InvalidArgumentError);
  assert.throws(() => w.packColumns(rows, cols, 0, kc, chunk, rows, w.alloc('float64', 4), null), ShapeError);
  const B = w.alloc('float64', cols * 2), C = w.alloc('float64', rows * 2);
  assert.throws(() => w.gemmPrepacked(new Float64Array(P.length), rows, cols, false, 2, 1, B, 0, cols, 0, C, 0, rows), InvalidArgumentError);
  assert.throws(() => w.gemmPrepacked(w.alloc('float64', rows * cols - 1), rows, cols, false, 2, 1, B, 0, cols, 0, C, 0, rows), ShapeError);
  assert.throws(() => w.gemmPrepacked(P, rows, cols, false, 2, 1, B, 0, cols, 0, C, 0, rows - 1), InvalidArgumentError);
  releaseAll(P, chunk, B, C);
});
