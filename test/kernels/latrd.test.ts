// The WASM panel kernel of the blocked tridiagonalization (src/kernels/latrd.ts over
// assembly/latrd.ts, LAPACK dlatrd uplo 'L') against the TypeScript loop it replaces
// (latrdLoop in src/linalg/lapack/sytrd.ts), run on the same arrays in the kernels' memory
// with one thread (so both use the same WASM gemv, larfg, 8-part symv, scal, dot, axpy): the
// same operations in the same order, so the results must be bit-identical. Also where it
// declines (ordinary arrays, float32, two threads on a trailing matrix the split symv would
// share), and that sytrd built on it still tridiagonalizes (Q^T A Q = T to rounding).
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { activeWasm, availableBackends, getThreads, setThreads } from '../../src/kernels/index.js';
import { latrdLower } from '../../src/kernels/latrd.js';
import { SYMV_PARALLEL_MIN, SYMV_PARTS } from '../../src/kernels/symv.js';
import { withWorkspace } from '../../src/kernels/workspace.js';
import { latrdLoop, ormtr, sytrd } from '../../src/linalg/lapack/sytrd.js';
import { rng } from '../helpers.js';

const hasWasm = availableBackends().some((b) => b !== 'js');

function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${a[i]} (WASM) != ${b[i]} (TypeScript)`);
  }
}

// A random symmetric n x n matrix (lower triangle filled; ld >= n), with a zero column below
// the diagonal (tau = 0) and a tiny one (larfg's rescaling) when n allows.
function symmetric(n: number, ld: number, seed: number): Float64Array {
  const r = rng(seed);
  const a = new Float64Array(ld * n);
  for (let j = 0; j < n; j++) for (let i = j; i < n; i++) a[i + j * ld] = 2 * r.nextDouble() - 1;
  if (n > 6) a.fill(0, 3 + 1 + 3 * ld, n + 3 * ld);
  if (n > 8) for (let i = 6; i < n; i++) a[i + 5 * ld] = a[i + 5 * ld]! * 1e-300;
  return a;
}

function withOneThread<T>(f: () => T): T {
  const before = getThreads();
  try {
    setThreads(1);
    return f();
  } finally {
    setThreads(before);
  }
}

describe('latrd WASM panel kernel', { skip: !hasWasm && 'no WASM backend' }, () => {
  it('equals the TypeScript panel loop bit for bit (first, middle, last and partial panels)', () => {
    withOneThread(() => {
      for (const [n, ld, panels] of [[2, 2, [[0, 2]]], [9, 11, [[0, 9], [3, 6]]], [70, 70, [[0, 32], [32, 32], [64, 6]]], [200, 203, [[0, 32], [100, 32], [168, 32]]], [333, 333, [[0, 32], [301, 32]]]] as const) {
        for (const [j0, kb] of panels) {
          withWorkspace((ws) => {
            const a0 = symmetric(n, ld, 7 * n + j0);
            const aW = ws.f64(ld * n);
            const aT = ws.f64(ld * n);
            aW.set(a0);
            aT.set(a0);
            const mk = () => ({ e: ws.f64(kb), tau: ws.f64(kb), P: ws.f64(n * 2 * kb), t1: ws.f64(2 * kb), t2: ws.f64(2 * kb), w: ws.f64(SYMV_PARTS * n) });
            const W = mk();
            const T = mk();
            assert.ok(activeWasm()?.heap.owns(aW), 'the workspace is in WASM memory');
            assert.equal(latrdLower(n, j0, kb, aW, 0, ld, W.e, W.tau, W.P, n, W.t1, W.t2, W.w), true);
            latrdLoop(n, j0, kb, aT, 0, ld, T.e, T.tau, T.P, n, T.t1, T.t2, T.w);
            const what = `n = ${n}, panel ${j0} + ${kb}`;
            sameBits(aW.slice(), aT.slice(), `${what} A`);
            sameBits(W.P.slice(), T.P.slice(), `${what} P`);
            sameBits(W.e.slice(), T.e.slice(), `${what} e`);
            sameBits(W.tau.slice(), T.tau.slice(), `${what} tau`);
          });
        }
      }
    });
  });

  it('declines ordinary arrays, and trailing matrices the split symv shares out on two threads', () => {
    const n = SYMV_PARALLEL_MIN + 40;
    withOneThread(() => {
      const a = symmetric(n, n, 1);
      const f = (k: number) => new Float64Array(k);
      assert.equal(latrdLower(n, 0, 32, a, 0, n, f(32), f(32), f(n * 64), n, f(64), f(64), f(SYMV_PARTS * n)), false);
      assert.deepEqual(a, symmetric(n, n, 1), 'nothing touched');
    });
    if (availableParallelism() < 2) return;
    const before = getThreads();
    try {
      setThreads(2);
      withWorkspace((ws) => {
        const a = ws.f64(n * n);
        a.set(symmetric(n, n, 2));
        const args = [ws.f64(32), ws.f64(32), ws.f64(n * 64), n, ws.f64(64), ws.f64(64), ws.f64(SYMV_PARTS * n)] as const;
        // Trailing order n - j0 - 1 >= SYMV_PARALLEL_MIN: the TypeScript loop shares the symv.
        assert.equal(latrdLower(n, 0, 32, a, 0, n, ...args), false);
        // n - 64 - 1 < SYMV_PARALLEL_MIN: one thread would run it anyway.
        assert.equal(latrdLower(n, 64, 32, a, 0, n, ...args), true);
      });
    } finally {
      setThreads(before);
    }
  });

  it('rejects a panel outside the matrix', () => {
    withWorkspace((ws) => {
      const n = 10;
      const a = ws.f64(n * n);
      assert.throws(() => latrdLower(n, 8, 4, a, 0, n, ws.f64(4), ws.f64(4), ws.f64(n * 8), n, ws.f64(8), ws.f64(8), ws.f64(SYMV_PARTS * n)), /panel 8 \+ 4 outside the order 10/);
    });
  });

  it('sytrd on the kernel: Q^T A Q is the tridiagonal T to rounding (n = 300, 4 panels and more)', () => {
    withOneThread(() => {
      const n = 300;
      const a0 = symmetric(n, n, 99);
      withWorkspace((ws) => {
        const a = ws.f64(n * n);
        a.set(a0);
        const d = new Float64Array(n);
        const e = new Float64Array(n - 1);
        const tau = new Float64Array(n - 1);
        sytrd(n, a, 0, n, d, e, tau, ws);
        // Q T Q^T = A: form Q (ormtr on I), then check A Q = Q T column by column.
        const Q = ws.f64(n * n);
        for (let j = 0; j < n; j++) Q[j + j * n] = 1;
        ormtr(n, n, a, 0, n, tau, Q, 0, n, ws);
        const full = (i: number, j: number) => (i >= j ? a0[i + j * n]! : a0[j + i * n]!);
        let anorm = 0;
        for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) anorm = Math.max(anorm, Math.abs(full(i, j)));
        let worst = 0;
        for (let j = 0; j < n; j += 37) {
          for (let i = 0; i < n; i++) {
            let aq = 0;
            for (let k = 0; k < n; k++) aq += full(i, k) * Q[k + j * n]!;
            let qt = Q[i + j * n]! * d[j]!;
            if (j > 0) qt += Q[i + (j - 1) * n]! * e[j - 1]!;
            if (j < n - 1) qt += Q[i + (j + 1) * n]! * e[j]!;
            worst = Math.max(worst, Math.abs(aq - qt));
          }
        }
        assert.ok(worst / (n * anorm * 2 ** -52) < 10, `||A Q - Q T|| / (n ||A|| eps) = ${worst / (n * anorm * 2 ** -52)}`);
      });
    });
  });
});
