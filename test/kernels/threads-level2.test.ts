// Two threads against one for the pool's level-2 jobs (gemv slices, split symv), the
// divide-and-conquer merges' secular equations and the decompositions built on them: the same
// bits whatever the thread count, since the splits never change an entry's summation order
// (gemv, roots) or fix the order whatever the threads (symv).
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import { activeWasm, getThreads, kernels, setThreads } from '../../src/kernels/index.js';
import { GEMV_PARALLEL_MIN, GEMV_PARTS, gemvParallel, gemvParts, gemvPartsWork } from '../../src/kernels/gemv-parallel.js';
import { SYMV_PARTS, symvLowerJs, symvLowerParts } from '../../src/kernels/symv.js';
import { eigh } from '../../src/linalg/eigh.js';
import { matmul } from '../../src/linalg/matmul.js';
import { qr } from '../../src/linalg/qr.js';
import { svd } from '../../src/linalg/svd.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { rng } from '../../src/random.js';
import type { WasmKernels } from '../../src/kernels/wasm-kernels.js';

const bits = (a: ArrayBufferView): string => createHash('sha1').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');

// Run f with one thread and with two (after the workers had time to start), restoring the setting.
async function bothThreadCounts<T>(f: () => T): Promise<[T, T]> {
  const before = getThreads();
  try {
    setThreads(1);
    const one = f();
    setThreads(2);
    f();
    await new Promise((res) => setTimeout(res, 100));
    const two = f();
    return [one, two];
  } finally {
    setThreads(before);
  }
}

function skipReason(): string | undefined {
  if (!activeWasm()) return 'no WASM backend here';
  if (availableParallelism() < 2) return 'one core: no worker thread to compare with';
  return undefined;
}

/**
 * One gemv test case in WASM memory: A (m x n at offset 2, ld m + 3), x (offset 1), the
 * initial y0 (one guard entry each side) and the one-thread gemv's result `ref` from y0.
 */
function gemvCase(w: WasmKernels, r: ReturnType<typeof rng>, m: number, n: number, trans: boolean, alpha: number, beta: number) {
  const ld = m + 3;
  const A = w.alloc('float64', ld * n + 2) as Float64Array;
  for (let i = 0; i < A.length; i++) A[i] = r.nextNormal();
  const lx = trans ? m : n;
  const ly = trans ? n : m;
  const x = w.alloc('float64', lx + 1) as Float64Array;
  for (let i = 0; i < x.length; i++) x[i] = r.nextNormal();
  const y0 = new Float64Array(ly + 2).map(() => r.nextNormal());
  const ref = w.alloc('float64', ly + 2) as Float64Array;
  ref.set(y0);
  kernels().gemv(trans, m, n, alpha, A, 2, ld, x, 1, 1, beta, ref, 1, 1);
  return { ld, A, ly, x, y0, ref };
}

test('gemvParallel: bit-identical to the one-thread gemv, both orientations, at and around the cut-over', async (t) => {
  const why = skipReason();
  if (why) return t.skip(why);
  const w = activeWasm()!;
  const r = rng(11);
  const side = Math.sqrt(GEMV_PARALLEL_MIN);
  const shapes: [number, number][] = [[1, 1], [7, 3], [side - 1, side - 1], [side, side], [side + 3, side + 5], [1000, 37], [37, 1000], [333, 517], [2, 20000], [1200, 600], [40, 9000]];
  const cases: { label: string; run: () => Float64Array; ref: Float64Array; y0: Float64Array }[] = [];
  for (const [m, n] of shapes) {
    for (const trans of [false, true]) {
      for (const [alpha, beta] of [[1, 0], [-0.75, 1], [2, 0.5]] as const) {
        const { ld, A, ly, x, y0, ref } = gemvCase(w, r, m, n, trans, alpha, beta);
        const y = w.alloc('float64', ly + 2) as Float64Array;
        const run = (): Float64Array => {
          y.set(y0);
          gemvParallel(trans, m, n, alpha, A, 2, ld, x, 1, beta, y, 1);
          return Float64Array.from(y);
        };
        cases.push({ label: `${m} x ${n} trans=${trans} alpha=${alpha} beta=${beta}`, run, ref: Float64Array.from(ref), y0 });
      }
    }
  }
  const [one, two] = await bothThreadCounts(() => cases.map((c) => c.run()));
  cases.forEach((c, i) => {
    assert.equal(bits(one[i]!), bits(c.ref), `one thread: ${c.label}`);
    assert.equal(bits(two[i]!), bits(c.ref), `two threads: ${c.label}`);
    assert.equal(two[i]![0], c.y0[0], `entry before y untouched: ${c.label}`);
    assert.equal(two[i]![c.y0.length - 1], c.y0[c.y0.length - 1], `entry after y untouched: ${c.label}`);
  });
});

test('gemvParts: the same bits on one and two threads; transposed equal to gemv, plain within rounding of it', async (t) => {
  const why = skipReason();
  if (why) return t.skip(why);
  const w = activeWasm()!;
  const r = rng(23);
  const side = Math.ceil(Math.sqrt(GEMV_PARALLEL_MIN));
  // Around the cut-over, fewer columns than parts of 8, a ragged last part, tall and wide.
  const shapes: [number, number][] = [[3, 5], [side - 2, side - 2], [side, side], [side + 1, side + 7], [GEMV_PARALLEL_MIN, 1], [GEMV_PARALLEL_MIN / 10, 10], [20, GEMV_PARALLEL_MIN / 20], [700, 450], [1025, 333]];
  const cases: { label: string; run: () => Float64Array; check: (y: Float64Array) => void }[] = [];
  for (const [m, n] of shapes) {
    for (const trans of [false, true]) {
      for (const [alpha, beta] of [[1, 0], [-0.75, 1], [2, 0.5]] as const) {
        const { ld, A, ly, x, y0, ref } = gemvCase(w, r, m, n, trans, alpha, beta);
        const refCopy = Float64Array.from(ref);
        const work = w.alloc('float64', gemvPartsWork(m)) as Float64Array;
        const y = w.alloc('float64', ly + 2) as Float64Array;
        const label = `${m} x ${n} trans=${trans} alpha=${alpha} beta=${beta}`;
        const run = (): Float64Array => {
          // Garbage in the scratch, and in y when beta = 0, must not reach the result.
          work.fill(NaN);
          y.set(y0);
          if (beta === 0) y.fill(NaN, 1, 1 + ly);
          gemvParts(trans, m, n, alpha, A, 2, ld, x, 1, beta, y, 1, work);
          return Float64Array.from(y);
        };
        const check = (got: Float64Array): void => {
          assert.equal(got[0], y0[0], `entry before y untouched: ${label}`);
          assert.equal(got[ly + 1], y0[ly + 1], `entry after y untouched: ${label}`);
          if (trans || m * n < GEMV_PARALLEL_MIN) {
            assert.equal(bits(got), bits(refCopy), `equal to gemv: ${label}`);
            return;
          }
          // Another summation order than gemv's: |y - y_gemv| <= 2 n eps (|alpha| |A| |x| + |beta y|).
          for (let i = 0; i < m; i++) {
            let bound = beta === 0 ? 0 : Math.abs(beta * y0[1 + i]!);
            for (let j = 0; j < n; j++) bound += Math.abs(alpha * A[2 + i + j * ld]! * x[1 + j]!);
            const err = Math.abs(got[1 + i]! - refCopy[1 + i]!);
            assert.ok(err <= 2 * n * 1.2e-16 * bound, `${label}: entry ${i} off by ${err}`);
          }
        };
        cases.push({ label, run, check });
      }
    }
  }
  assert.ok(GEMV_PARTS >= 2);
  const [one, two] = await bothThreadCounts(() => cases.map((c) => c.run()));
  cases.forEach((c, i) => {
    assert.equal(bits(two[i]!), bits(one[i]!), `one and two threads: ${c.label}`);
    c.check(two[i]!);
  });
});

test('symvLowerParts: the same bits on one and two threads, the symmetric product to rounding, one triangle read', async (t) => {
  const why = skipReason();
  if (why) return t.skip(why);
  const w = activeWasm()!;
  const r = rng(5);
  const cases: { label: string; n: number; run: () => Float64Array; check: (y: Float64Array) => void }[] = [];
  for (const n of [1, 2, 3, 5, 8, 9, 17, 31, 64, 129, 300, 513]) {
    for (const [alpha, beta] of [[1, 0], [-0.5, 1], [2, -3]] as const) {
      const ld = n + 2;
      const A = w.alloc('float64', ld * n + 1) as Float64Array;
      for (let i = 0; i < A.length; i++) A[i] = r.nextNormal();
      // NaN above the diagonal proves the upper triangle is never read.
      for (let j = 0; j < n; j++) for (let i = 0; i < j; i++) A[1 + i + j * ld] = NaN;
      const x = w.alloc('float64', n) as Float64Array;
      for (let i = 0; i < n; i++) x[i] = r.nextNormal();
      const y0 = new Float64Array(n + 1).map(() => r.nextNormal());
      const work = w.alloc('float64', SYMV_PARTS * n) as Float64Array;
      const y = w.alloc('float64', n + 1) as Float64Array;
      const label = `n = ${n} alpha=${alpha} beta=${beta}`;
      const run = (): Float64Array => {
        // Garbage in the scratch (and in y when beta = 0) must not leak into the result.
        work.fill(NaN);
        y.set(y0);
        if (beta === 0) y.fill(NaN, 0, n);
        symvLowerParts(n, alpha, A, 1, ld, x, 0, beta, y, 0, work);
        return Float64Array.from(y);
      };
      const check = (got: Float64Array): void => {
        assert.equal(got[n], y0[n], `entry after y untouched: ${label}`);
        // Against the plain TypeScript loop: |y - y_ref| <= n eps (|alpha| |A| |x| + |beta y|) entrywise.
        const ref = Float64Array.from(y0);
        symvLowerJs(n, alpha, A, 1, ld, x, 0, beta, ref, 0);
        for (let i = 0; i < n; i++) {
          let bound = beta === 0 ? 0 : Math.abs(beta * y0[i]!);
          for (let j = 0; j < n; j++) bound += Math.abs(alpha * (i >= j ? A[1 + i + j * ld]! : A[1 + j + i * ld]!) * x[j]!);
          const err = Math.abs(got[i]! - ref[i]!);
          assert.ok(err <= n * 2.3e-16 * bound, `${label}: entry ${i} off by ${err} (bound ${n * 2.3e-16 * bound})`);
        }
      };
      cases.push({ label, n, run, check });
    }
  }
  const [one, two] = await bothThreadCounts(() => cases.map((c) => c.run()));
  cases.forEach((c, i) => {
    assert.equal(bits(one[i]!), bits(two[i]!), c.label);
    c.check(two[i]!);
  });
});

test('eigh, svd and qr: the same bits on one and two threads (threaded gemv, symv, gemm and secular equations)', async (t) => {
  const why = skipReason();
  if (why) return t.skip(why);
  for (const n of [300, 420]) {
    const A = Matrix.random(n, n + 17, { seed: n, distribution: 'normal' });
    const sq = Matrix.random(n, n, { seed: n + 1, distribution: 'normal' });
    const S = sq.add(sq.T);
    // Rank 40: most of the merges' poles deflate, the rest form large secular equations.
    const B = Matrix.random(n, 40, { seed: n + 2, distribution: 'normal' });
    const low = matmul(B, B, { transB: true });
    const [one, two] = await bothThreadCounts(() => {
      const e = eigh(S);
      const s = svd(A);
      const q = qr(A);
      const el = eigh(low);
      const sl = svd(low);
      return [e.w, e.V.data, s.s, s.U.data, s.Vt.data, q.Q.data, q.R.data, el.w, el.V.data, sl.s, sl.U.data, sl.Vt.data].map((a) => bits(a as ArrayBufferView));
    });
    assert.deepEqual(two, one, `n = ${n}`);
  }
  // Large enough for gebrd's column-part products (gemvParts, from GEMV_PARALLEL_MIN entries).
  const n = Math.ceil(Math.sqrt(GEMV_PARALLEL_MIN)) + 60;
  const A = Matrix.random(n + 9, n, { seed: 3, distribution: 'normal' });
  const [one, two] = await bothThreadCounts(() => {
    const s = svd(A);
    return [s.s, s.U.data, s.Vt.data].map((a) => bits(a as ArrayBufferView));
  });
  assert.deepEqual(two, one, `svd ${n + 9} x ${n}`);
  // And the factorization itself holds: ||A - U S V^T||_max <= 4 n eps ||A||_max scale.
  const s = svd(A);
  const US = matmul(s.U, Matrix.diag(s.s));
  const R = matmul(US, s.Vt).sub(A);
  let err = 0, amax = 0;
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) { err = Math.max(err, Math.abs(R.get(i, j))); amax = Math.max(amax, Math.abs(A.get(i, j))); }
  assert.ok(err <= 4 * n * 2.2e-16 * amax * Math.sqrt(n), `svd residual ${err}`);
});
