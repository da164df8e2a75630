// The step forms of the truncated SVD solvers (randomizedSvdSteps, lanczosSvdSteps,
// truncatedSvdSteps): run by runStepsAsync they give the plain functions' result bit for bit
// with the same progress; AbortSignal.timeout stops a solve of about two seconds within a few
// power iterations or Lanczos steps; and an aborted or abandoned solve frees its WebAssembly
// buffers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AbortedError, ConvergenceError, InvalidArgumentError } from '../../src/errors.js';
import { runStepsAsync, type FitSteps } from '../../src/fit-async.js';
import { activeWasm, setBackend } from '../../src/kernels/index.js';
import { lanczosSvd, lanczosSvdSteps } from '../../src/lowrank/lanczos-svd.js';
import { centeredOperator } from '../../src/lowrank/operator.js';
import { randomizedSvd, randomizedSvdSteps } from '../../src/lowrank/randomized-svd.js';
import { truncatedSvd, truncatedSvdSteps } from '../../src/lowrank/truncated-svd.js';
import { Matrix } from '../../src/matrix/matrix.js';
import type { Progress } from '../../src/progress.js';
import { CsrMatrix } from '../../src/sparse/csr.js';
import { BACKEND_NAMES } from '../helpers.js';

type Result = ReturnType<typeof randomizedSvd>;

const heapInUse = (): number => activeWasm()?.heap.allocated ?? 0;

function assertSameResult(a: Result, b: Result, what: string): void {
  assert.equal(b.U.dtype, a.U.dtype, `${what}: dtype`);
  assert.deepEqual(b.U.shape, a.U.shape, `${what}: U shape`);
  assert.deepEqual(Array.from(b.U.toFlat()), Array.from(a.U.toFlat()), `${what}: U`);
  assert.deepEqual(Array.from(b.s), Array.from(a.s), `${what}: s`);
  assert.deepEqual(Array.from(b.Vt.toFlat()), Array.from(a.Vt.toFlat()), `${what}: Vt`);
  assert.deepEqual(b.info, a.info, `${what}: info`);
}

/** Run steps to the end by hand: the number of yields and the result. */
function drain<T>(steps: FitSteps<T>): { yields: number; value: T } {
  let yields = 0;
  for (;;) {
    const r = steps.next();
    if (r.done) return { yields, value: r.value };
    yields++;
  }
}

/**
 * Median gap, in ms, between the progress reports of `run` (one per power iteration or
 * restart), from its second run (the first warms the JIT up).
 */
function msPerReport(run: (onProgress: () => void) => void): number {
  let median = 0;
  for (let rep = 0; rep < 2; rep++) {
    const t: number[] = [];
    run(() => t.push(performance.now()));
    const gaps = t.slice(1).map((v, i) => v - t[i]!).sort((x, y) => x - y);
    median = gaps[gaps.length >> 1]!;
  }
  return median;
}

const A = Matrix.random(150, 90, { seed: 1, distribution: 'normal' });
const W = Matrix.random(70, 160, { seed: 2, distribution: 'normal' });
const F = Matrix.random(120, 60, { seed: 3, distribution: 'normal', dtype: 'float32' });
const S = CsrMatrix.random(300, 120, 0.05, { seed: 4 });
const C = centeredOperator(S, new Float64Array(120).fill(0.02));

// name, plain call, steps call; every option the solvers take that changes their path.
const cases: [string, (o: { onProgress?: (p: Progress) => void }) => Result, (o: { onProgress?: (p: Progress) => void }) => FitSteps<Result>][] = [
  ['randomized, tall', (o) => randomizedSvd(A, 6, { seed: 5, ...o }), (o) => randomizedSvdSteps(A, 6, { seed: 5, ...o })],
  ['randomized, wide (transposed), qr', (o) => randomizedSvd(W, 6, { seed: 5, powerIters: 2, ...o }), (o) => randomizedSvdSteps(W, 6, { seed: 5, powerIters: 2, ...o })],
  ['randomized, float32', (o) => randomizedSvd(F, 4, { ...o }), (o) => randomizedSvdSteps(F, 4, { ...o })],
  ['randomized, centered operator', (o) => randomizedSvd(C, 5, { normalizer: 'none', flipSigns: false, ...o }), (o) => randomizedSvdSteps(C, 5, { normalizer: 'none', flipSigns: false, ...o })],
  ['lanczos, dense', (o) => lanczosSvd(A, 6, { seed: 7, ...o }), (o) => lanczosSvdSteps(A, 6, { seed: 7, ...o })],
  ['lanczos, wide, small ncv', (o) => lanczosSvd(W, 5, { ncv: 8, tol: 1e-8, ...o }), (o) => lanczosSvdSteps(W, 5, { ncv: 8, tol: 1e-8, ...o })],
  ['lanczos, float32', (o) => lanczosSvd(F, 3, { ...o }), (o) => lanczosSvdSteps(F, 3, { ...o })],
  ['lanczos, sparse', (o) => lanczosSvd(S, 5, { flipSigns: false, ...o }), (o) => lanczosSvdSteps(S, 5, { flipSigns: false, ...o })],
  ['truncated, auto dense', (o) => truncatedSvd(A, 5, { seed: 3, ...o }), (o) => truncatedSvdSteps(A, 5, { seed: 3, ...o })],
  ['truncated, auto sparse', (o) => truncatedSvd(S, 5, { seed: 3, ...o }), (o) => truncatedSvdSteps(S, 5, { seed: 3, ...o })],
  ['truncated, lanczos on dense', (o) => truncatedSvd(A, 4, { method: 'lanczos', ncv: 10, ...o }), (o) => truncatedSvdSteps(A, 4, { method: 'lanczos', ncv: 10, ...o })],
];

describe('truncated SVD steps', () => {
  test('run by runStepsAsync, they give the plain function\'s result bit for bit with the same progress, on every backend', async () => {
    for (const backend of BACKEND_NAMES) {
      // Set for the whole awaited run (withBackend would restore 'auto' at the first await).
      setBackend(backend);
      try {
        for (const [name, plain, steps] of cases) {
          const syncReports: Progress[] = [];
          const asyncReports: Progress[] = [];
          const a = plain({ onProgress: (p) => syncReports.push(p) });
          const b = await runStepsAsync(steps({ onProgress: (p) => asyncReports.push(p) }), undefined, name);
          assertSameResult(a, b, `${backend} ${name}`);
          assert.deepEqual(asyncReports, syncReports, `${backend} ${name}: progress`);
          assert.ok(syncReports.length > 0, `${name}: reports`);
          // Driven by hand as well: the result again, and a yield at least per report.
          const d = drain(steps({}));
          assertSameResult(a, d.value, `${backend} ${name}, drained`);
          assert.ok(d.yields >= syncReports.length, `${name}: ${d.yields} yields for ${syncReports.length} reports`);
        }
      } finally {
        setBackend('auto');
      }
    }
  });

  test('yield after each power iteration, each Lanczos step and each restart', () => {
    const q = 9;
    const r = drain(randomizedSvdSteps(A, 5, { powerIters: q }));
    assert.equal(r.yields, q + 1); // q power iterations, then the range finder
    const l = drain(lanczosSvdSteps(S, 5, { ncv: 9, tol: 1e-12 }));
    const restarts = l.value.info.restarts!;
    assert.ok(restarts > 0);
    // One per Lanczos step (a pair of products) but the last of each pass, and one per
    // restart; passes = restarts + 1, so steps - 1 in all.
    assert.equal(l.yields, l.value.info.matvecs / 2 - 1);
  });

  test('nothing runs before the first next(): errors come from it', () => {
    const steps = randomizedSvdSteps(A, 0);
    assert.throws(() => steps.next(), InvalidArgumentError);
    const t = truncatedSvdSteps(A, 2, { method: 'bad' as 'auto' });
    assert.throws(() => t.next(), InvalidArgumentError);
    const l = lanczosSvdSteps(A, 2, { signal: AbortSignal.abort() });
    assert.throws(() => l.next(), AbortedError);
  });

  test('abandoned with return() part-way, they free their WebAssembly buffers', () => {
    lanczosSvd(S, 2); // the sparse kernels' lasting copy of S is made before the heap is measured
    const before = heapInUse();
    for (const steps of [
      randomizedSvdSteps(A, 5, { powerIters: 6 }),
      lanczosSvdSteps(A, 5, { ncv: 8 }),
      lanczosSvdSteps(S, 5, { ncv: 8 }),
      truncatedSvdSteps(A, 5, { method: 'lanczos', ncv: 8 }),
      truncatedSvdSteps(A, 5, { powerIters: 6 }),
    ]) {
      steps.next();
      steps.next();
      if (activeWasm()) assert.ok(heapInUse() > before, 'the solver holds buffers while it runs');
      const r = steps.return(undefined as never);
      assert.equal(r.done, true);
      assert.equal(heapInUse(), before, 'WebAssembly buffers released');
    }
  });

  // A solve sized, from a short measured run, to take about two seconds: many power
  // iterations on a dense 1200 x 800 matrix; many restarts on a sparse 4000 x 2000 matrix
  // to a tolerance it cannot reach (1e-300), so that it runs exactly maxRestarts restarts
  // and ends with a ConvergenceError. A quarter of it (a quarter of the iterations or
  // restarts) is timed as well: the abort must come before that much of the solve has run.
  const TARGET_MS = 2000;
  // Built once and kept alive: the sparse kernels keep a WebAssembly copy of a CsrMatrix until
  // it is garbage-collected (src/kernels/sparse.ts), which would move the heap's level in the
  // middle of a later test.
  const B = Matrix.random(1200, 800, { seed: 8, distribution: 'normal' });
  const sparse = [CsrMatrix.random(4000, 2000, 0.01, { seed: 11 }), CsrMatrix.random(4000, 2000, 0.01, { seed: 12 })];
  type Run = (o: { signal: AbortSignal; onProgress: () => void }) => FitSteps<Result>;
  const longSolves: [string, () => { steps: Run; quarter: () => void; projectedMs: number }][] = [
    ['randomizedSvdSteps', () => {
      const perIter = msPerReport((onProgress) => randomizedSvd(B, 30, { powerIters: 6, onProgress }));
      const powerIters = Math.ceil(TARGET_MS / perIter);
      return {
        steps: (r) => randomizedSvdSteps(B, 30, { powerIters, ...r }),
        quarter: () => randomizedSvd(B, 30, { powerIters: Math.ceil(powerIters / 4) }),
        projectedMs: powerIters * perIter,
      };
    }],
    ...(['lanczosSvd', 'truncatedSvd'] as const).map((solver, i): (typeof longSolves)[number] => [`${solver}Steps`, () => {
      const T = sparse[i]!;
      const o = { ncv: 20, tol: 1e-300 };
      const [plain, steps] = solver === 'lanczosSvd' ? [lanczosSvd, lanczosSvdSteps] : [truncatedSvd, truncatedSvdSteps];
      const perRestart = msPerReport((onProgress) => assert.throws(() => plain(T, 10, { ...o, maxRestarts: 30, onProgress }), ConvergenceError));
      const maxRestarts = Math.ceil(TARGET_MS / perRestart);
      return {
        steps: (r) => steps(T, 10, { ...o, maxRestarts, ...r }),
        quarter: () => assert.throws(() => plain(T, 10, { ...o, maxRestarts: Math.ceil(maxRestarts / 4) }), ConvergenceError),
        projectedMs: maxRestarts * perRestart,
      };
    }]),
  ];
  for (const [name, setUp] of longSolves) {
    test(`${name}: AbortSignal.timeout(30) stops a solve of ~2 s well before its end and frees its buffers`, async (t) => {
      const { steps, quarter, projectedMs } = setUp();
      const q0 = performance.now();
      quarter();
      const quarterMs = performance.now() - q0;
      const before = heapInUse();
      let peak = before;
      let reports = 0;
      const onProgress = () => void (reports++, peak = Math.max(peak, heapInUse()));
      const signal = AbortSignal.timeout(30);
      const t0 = performance.now();
      await assert.rejects(runStepsAsync(steps({ signal, onProgress }), signal, name),
        (e: Error) => e instanceof AbortedError && ((e as AbortedError).reason as Error).name === 'TimeoutError');
      const elapsed = performance.now() - t0;
      const report = `aborted after ${elapsed.toFixed(0)} ms; the solve was projected at ${projectedMs.toFixed(0)} ms and a quarter of it took ${quarterMs.toFixed(0)} ms`;
      t.diagnostic(report);
      // A turn of the event loop comes at most every SLICE_MS of work, at the next yield.
      assert.ok(elapsed < quarterMs, report);
      // On a loaded machine the timer can fire before the first step reports; the buffers
      // can only be seen held from inside a report.
      if (activeWasm() && reports > 0) assert.ok(peak > before, 'the solver held buffers while it ran');
      // At most what it was: the event-loop turns let the sparse kernels'
      // FinalizationRegistry free blocks of earlier tests' garbage-collected matrices.
      const after = heapInUse();
      assert.ok(after <= before, `WebAssembly buffers released: ${after} bytes in use after, ${before} before`);
    });
  }
});
