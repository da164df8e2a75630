/**
 * Matrix-vector products shared out among the worker pool: the level-2 half of the
 * one-stage bidiagonalization (dlabrd's two trailing-matrix gemvs per column, through
 * {@link gemvParts}; the panel corrections call {@link gemvParallel} but stay below the
 * cut-over). Each such product streams the trailing matrix (about 0.3 ms at 1024 x 1024 on
 * one core here).
 *
 * gemvParallel cuts y into slices (rows of A without transpose, columns with it), so every
 * entry of y is summed exactly as by the one-thread gemv (assembly/pool.ts, job kind 6).
 * gemvParts cuts the columns of A into GEMV_PARTS fixed parts for both orientations (kind 10):
 * a thread that takes task t reads the same columns in A^T v and in the A u that follows, one
 * contiguous block of memory, and A u sums each part into its own vector, added in a fixed
 * order. Both are bit-identical for any thread count.
 *
 * Measured on the 2-core VM (2026-12-06, quiet windows with other agents paused):
 * - third session: one 1024 x 1024 gemv in two slices took 0.16 ms instead of 0.31 ms, but
 *   inside gebrd n = 1024 the split products gained nothing (gebrd 0.88-1.12x on two threads);
 *   more, smaller slices lost (eight per call: 0.65x).
 * - fourth session, why: (1) the StallGuard (pool.ts) tripped 2-8 times per gebrd on a quiet
 *   machine and sent 40-90% of the products back to one thread: one slow job sufficed, and a
 *   worker that has slept (after ~1 ms without work) takes 2-3 ms to run again on this VM, so
 *   each 50 ms window ended with another slow job (now two slow jobs in a row are needed);
 *   (2) the row slices of A u scale badly even alone: 1024^2 in two row slices 0.36 -> 0.26
 *   ms (1.4x) while the column slices of A^T v go 0.33 -> 0.17 ms (each thread reads 4 KB of
 *   every column instead of one contiguous block). With both fixed, inside gebrd n = 1024
 *   (one process, summed per-call times, one thread -> two): A^T v 111 -> 66 ms, A u 128 ->
 *   78 ms, the panels' trailing gemms 63 -> 33 ms, gebrd 363 -> 230 ms; about 55 ms stays on
 *   the calling thread (larfg, the panel corrections, the row gathers). Not better: a lower
 *   cut-over (200^2, 350^2) or eight parts (noise larger than any difference), a worker spin
 *   4x longer before it sleeps (svd unchanged).
 */
import type { FloatArray } from '../matrix/dtype.js';
import { kernels } from './index.js';
import { canBlock, levelTwoDone, levelTwoPool } from './pool.js';
import { defineKernel, wasmFor } from './registry.js';
import { checkGemv, checkVectorArg } from './validate.js';

/**
 * Smallest product (m n entries of A) that is shared out: 550 x 550. Of the cut-overs tried
 * in gebrd n = 1024 on two threads (160^2: 0.95-1.15x, 100,000: 1.0x, 300,000: 1.06-1.12x)
 * the largest did best, so only the big trailing-matrix products are split (re-tried with
 * gemvParts at 200^2 and 350^2: no difference above this VM's noise).
 */
export const GEMV_PARALLEL_MIN = 550 * 550;

/** Shortest y that is sliced (two slices of 8 doubles per thread for two threads). */
const GEMV_PARALLEL_MIN_Y = 32;

/** Slices per thread: one (four cost more in hand-offs than they gained in balance, above). */
const SLICES_PER_THREAD = 1;

type GemvArgs = [trans: boolean, m: number, n: number, alpha: number, A: FloatArray, offA: number, ldA: number, x: FloatArray, offX: number, beta: number, y: FloatArray, offY: number];

const gemvThreaded = defineKernel<GemvArgs, void>({
  name: 'gemv_parallel',
  select: (_t, _m, _n, _alpha, A, _offA, _ldA, x, _offX, _beta, y) => (A instanceof Float64Array ? wasmFor(A, x, y) : undefined),
  wasm: (w, trans, m, n, alpha, A, offA, ldA, x, offX, beta, y, offY) => {
    checkGemv(trans, m, n, A, offA, ldA, x, offX, 1, y, offY, 1);
    // y is sliced in whole cache lines: a short y (a few columns of a panel, transposed)
    // stays on one thread.
    const pool = levelTwoPool(w, m * n >= GEMV_PARALLEL_MIN && (trans ? n : m) >= GEMV_PARALLEL_MIN_Y);
    const e = w.rt.exports;
    if (!pool) {
      e.dgemv(+trans, m, n, alpha, A.byteOffset + offA * 8, ldA, x.byteOffset + offX * 8, 1, beta, y.byteOffset + offY * 8, 1);
      return;
    }
    e.gemv_parallel(pool.ctl, +trans, m, n, alpha, A.byteOffset + offA * 8, ldA, x.byteOffset + offX * 8, beta, y.byteOffset + offY * 8, SLICES_PER_THREAD * (pool.size + 1), canBlock() ? 1 : 0);
    levelTwoDone(pool, m * n);
  },
  js: (trans, m, n, alpha, A, offA, ldA, x, offX, beta, y, offY) => kernels().gemv(trans, m, n, alpha, A, offA, ldA, x, offX, 1, beta, y, offY, 1),
});

/**
 * y := alpha op(A) x + beta y (BLAS gemv with unit strides), on the threads set by
 * `setThreads` when A, x and y are float64 arrays in WASM memory and A has at least
 * {@link GEMV_PARALLEL_MIN} entries; otherwise the ordinary `kernels().gemv`. The result
 * is the same bit for bit whatever the thread count. When the machine is oversubscribed
 * (a job stalls on a descheduled worker) the products run on the calling thread for a
 * while (pool.ts StallGuard).
 */
export function gemvParallel(
  trans: boolean, m: number, n: number, alpha: number, A: FloatArray, offA: number, ldA: number,
  x: FloatArray, offX: number, beta: number, y: FloatArray, offY: number,
): void {
  gemvThreaded(trans, m, n, alpha, A, offA, ldA, x, offX, beta, y, offY);
}

/**
 * Column parts of {@link gemvParts}: fixed (not the thread count), so one thread and several
 * compute the same sums; four parts give one, two or four threads whole parts each.
 */
export const GEMV_PARTS = 4;

/** Doubles of workspace {@link gemvParts} needs for an m-row A: GEMV_PARTS m-vectors, each padded to whole cache lines. */
export function gemvPartsWork(m: number): number {
  return GEMV_PARTS * (Math.ceil(Math.max(0, m) / 8) * 8);
}

type GemvPartsArgs = [...GemvArgs, work: Float64Array];

const gemvPartsKernel = defineKernel<GemvPartsArgs, void>({
  name: 'gemv_parts',
  select: (_t, _m, _n, _alpha, A, _offA, _ldA, x, _offX, _beta, y, _offY, work) => (A instanceof Float64Array ? wasmFor(A, x, y, work) : undefined),
  wasm: (w, trans, m, n, alpha, A, offA, ldA, x, offX, beta, y, offY, work) => {
    checkGemv(trans, m, n, A, offA, ldA, x, offX, 1, y, offY, 1);
    const e = w.rt.exports;
    // Below the cut-over the plain gemv, whatever the threads (the parts would only add the
    // partial sums' cost): the choice depends on the shape alone, so results do not change
    // with the thread count.
    if (m * n < GEMV_PARALLEL_MIN) {
      e.dgemv(+trans, m, n, alpha, A.byteOffset + offA * 8, ldA, x.byteOffset + offX * 8, 1, beta, y.byteOffset + offY * 8, 1);
      return;
    }
    const pool = levelTwoPool(w, true);
    const tasks = pool ? Math.min(GEMV_PARTS, pool.size + 1) : 1;
    e.gemv_parts(pool ? pool.ctl : 0, +trans, m, n, alpha, A.byteOffset + offA * 8, ldA, x.byteOffset + offX * 8, beta, y.byteOffset + offY * 8, work.byteOffset, GEMV_PARTS, tasks, canBlock() ? 1 : 0);
    levelTwoDone(pool, m * n);
  },
  js: (trans, m, n, alpha, A, offA, ldA, x, offX, beta, y, offY) => kernels().gemv(trans, m, n, alpha, A, offA, ldA, x, offX, 1, beta, y, offY, 1),
});

/**
 * y := alpha op(A) x + beta y (unit strides) for the large products of a reduction that reads
 * the same trailing matrix with and without transpose (dlabrd's A^T v and A u): from
 * {@link GEMV_PARALLEL_MIN} entries the columns of A are cut into {@link GEMV_PARTS} fixed
 * parts and thread t takes the same columns in both products, so each thread keeps reading one
 * contiguous block of columns (assembly/pool.ts gemv_parts). Transposed, each y_j is one dot
 * product, bit-identical to `kernels().gemv`; not transposed, each part sums into its own
 * m-vector of `work` ({@link gemvPartsWork}(m) doubles) and the parts are added in a fixed
 * order: the same bits for any thread count, within rounding of gemv. Smaller products, and
 * arrays outside WASM memory, run the plain gemv.
 */
export function gemvParts(
  trans: boolean, m: number, n: number, alpha: number, A: Float64Array, offA: number, ldA: number,
  x: Float64Array, offX: number, beta: number, y: Float64Array, offY: number, work: Float64Array,
): void {
  if (!trans && m * n >= GEMV_PARALLEL_MIN) checkVectorArg('gemvParts: work', work, 0, 1, gemvPartsWork(m));
  gemvPartsKernel(trans, m, n, alpha, A, offA, ldA, x, offX, beta, y, offY, work);
}
