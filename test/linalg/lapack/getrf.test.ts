import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WasmLu } from '../../../src/kernels/getrf.js';
import { laswp } from '../../../src/kernels/laswp.js';
import { getrf, pivotsToPermutation } from '../../../src/linalg/lapack/getrf.js';
import { withWorkspace, type Workspace } from '../../../src/kernels/workspace.js';
import { matmul } from '../../../src/linalg/matmul.js';
import type { DType, FloatArray } from '../../../src/matrix/dtype.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { BACKEND_NAMES, rng, withBackend } from '../../helpers.js';
import { permuteRows, scaledDiff } from '../gallery.js';

// Padding around and between the columns of a strided operand: getrf must not touch it.
const PAD = 7.5;

interface Strided { a: FloatArray; off: number; ld: number }

// A (m x n) stored at offset `off` with leading dimension m + extra, in WASM memory when
// `ws` is given (the kernels' in-place path), else in an ordinary typed array.
function place(A: Matrix, dtype: DType, extra: number, off: number, ws?: Workspace): Strided {
  const m = A.rows;
  const ld = Math.max(1, m + extra);
  const len = off + ld * A.cols + 3;
  const a = ws ? ws.alloc(dtype, len) : dtype === 'float32' ? new Float32Array(len) : new Float64Array(len);
  a.fill(PAD);
  for (let j = 0; j < A.cols; j++) for (let i = 0; i < m; i++) a[off + i + j * ld] = A.get(i, j);
  return { a, off, ld };
}

function factors(s: Strided, m: number, n: number, dtype: DType): { L: Matrix; U: Matrix } {
  const k = Math.min(m, n);
  const at = (i: number, j: number): number => s.a[s.off + i + j * s.ld]!;
  const L = Matrix.zeros(m, k, { dtype }).map((_v, i, j) => (i === j ? 1 : i > j ? at(i, j) : 0));
  const U = Matrix.zeros(k, n, { dtype }).map((_v, i, j) => (i <= j ? at(i, j) : 0));
  return { L, U };
}

function untouchedPadding(s: Strided, m: number, n: number): boolean {
  for (let p = 0; p < s.a.length; p++) {
    const q = p - s.off;
    const inside = q >= 0 && q < s.ld * n && q % s.ld < m;
    if (!inside && s.a[p] !== PAD) return false;
  }
  return true;
}

// Shapes around the panel width (64), the solver's leaf (32) and chunk (256) sizes, and
// the tall-skinny blocks of the LU range finder.
const SHAPES: [number, number][] = [
  [0, 0], [0, 5], [5, 0], [1, 1], [1, 9], [9, 1], [17, 17], [64, 64], [65, 65], [130, 97], [97, 130],
  [150, 420], [420, 150], [333, 333], [1000, 60],
];

describe('getrf', () => {
  for (const backend of BACKEND_NAMES) {
    it(`P A = L U on strided views, in and out of kernel memory, matching the TypeScript path (${backend})`, () => withBackend(backend, () => withWorkspace((ws) => {
      for (const [m, n] of SHAPES) {
        const A = Matrix.random(m, n, { seed: 7 * m + n, distribution: 'normal' });
        const k = Math.min(m, n);
        const ref = place(A, 'float64', 0, 0);
        const refPiv = new Int32Array(k);
        assert.equal(getrf(m, n, ref.a, 0, ref.ld, refPiv), 0);
        for (const resident of [true, false]) {
          const name = `${m}x${n} ${resident ? 'resident' : 'js array'}`;
          const s = place(A, 'float64', 3, 5, resident ? ws : undefined);
          const ipiv = new Int32Array(k);
          assert.equal(getrf(m, n, s.a, s.off, s.ld, ipiv), 0, name);
          assert.ok(untouchedPadding(s, m, n), `${name}: padding overwritten`);
          const { L, U } = factors(s, m, n, 'float64');
          const r = scaledDiff(permuteRows(A, pivotsToPermutation(m, ipiv, k)), matmul(L, U), Math.max(m, n));
          assert.ok(r < 30, `${name}: residual ${r}`);
          for (let j = 0; j < k; j++) for (let i = j + 1; i < m; i++) assert.ok(Math.abs(L.get(i, j)) <= 1, `${name}: |L| <= 1`);
          assert.deepEqual(ipiv, refPiv, `${name}: pivots differ from the plain-array run`);
          let diff = 0;
          for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) diff = Math.max(diff, Math.abs(s.a[s.off + i + j * s.ld]! - ref.a[i + j * ref.ld]!));
          assert.ok(diff < 1e-10, `${name}: factors differ by ${diff}`);
        }
      }
    })));

    it(`float32 factors stay accurate through the blocked path (${backend})`, () => withBackend(backend, () => withWorkspace((ws) => {
      for (const [m, n] of [[150, 150], [200, 330], [330, 200]] as const) {
        const A = Matrix.random(m, n, { seed: m + 3 * n, distribution: 'normal' }).astype('float32');
        const s = place(A, 'float32', 2, 1, ws);
        const k = Math.min(m, n);
        const ipiv = new Int32Array(k);
        assert.equal(getrf(m, n, s.a, s.off, s.ld, ipiv), 0);
        assert.ok(untouchedPadding(s, m, n));
        const { L, U } = factors(s, m, n, 'float32');
        const r = scaledDiff(permuteRows(A, pivotsToPermutation(m, ipiv, k)), matmul(L, U), Math.max(m, n));
        assert.ok(r < 30, `${m}x${n}: residual ${r}`);
      }
    })));

    it(`reports the first exactly zero pivot and still completes the factorization (${backend})`, () => withBackend(backend, () => withWorkspace((ws) => {
      const n = 150;
      for (const c of [0, 5, 70, 149]) {
        const A = Matrix.random(n, n, { seed: c, distribution: 'normal' }).map((v, _i, j) => (j === c ? 0 : v));
        const s = place(A, 'float64', 0, 0, ws);
        const ipiv = new Int32Array(n);
        assert.equal(getrf(n, n, s.a, 0, s.ld, ipiv), c + 1, `zero column ${c}`);
        const { L, U } = factors(s, n, n, 'float64');
        const r = scaledDiff(permuteRows(A, pivotsToPermutation(n, ipiv, n)), matmul(L, U), n);
        assert.ok(r < 30, `zero column ${c}: residual ${r}`);
      }
    })));

    it(`the WASM unit lower solve is backward stable at tile edges and through the recursive split (${backend})`, () => withBackend(backend, () => withWorkspace((ws) => {
      if (backend === 'js') return;
      const r = rng(9);
      for (const dtype of ['float64', 'float32'] as const) {
        for (const m of [1, 3, 4, 5, 31, 64, 65, 130]) for (const n of [1, 3, 4, 5, 9, 17]) {
          // L (m x m, |l| <= 1, garbage on and above the diagonal) at offset 3 with ld m + 2,
          // B (m x n) after it with ld m + 1; both in one heap array, as in getrf.
          const ldL = m + 2;
          const ldB = m + 1;
          const offB = 3 + ldL * m + 4;
          const a = ws.alloc(dtype, offB + ldB * n + 2);
          for (let i = 0; i < a.length; i++) a[i] = 2 * r.nextDouble() - 1;
          const L = (i: number, j: number): number => (i === j ? 1 : i > j ? a[3 + i + j * ldL]! : 0);
          const before = Float64Array.from(a);
          const w = WasmLu.open(a, 1)!;
          try {
            w.trsm(m, n, 3, ldL, offB, ldB);
          } finally {
            w.close();
          }
          // Backward error, componentwise as for substitution (Higham, ASNA 2nd ed., 8.1):
          // |B - L X| <= c m eps (|L| |X|).
          const eps = dtype === 'float32' ? 2 ** -23 : 2 ** -52;
          for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) {
            let res = before[offB + i + j * ldB]!;
            let mag = 0;
            for (let p = 0; p <= i; p++) {
              const x = a[offB + p + j * ldB]!;
              res -= L(i, p) * x;
              mag += Math.abs(L(i, p) * x);
            }
            assert.ok(Math.abs(res) <= 4 * m * eps * mag, `${dtype} ${m}x${n} (${i}, ${j}): residual ${res} vs ${mag}`);
          }
          for (let p = 0; p < a.length; p++) {
            const q = p - offB;
            if (!(q >= 0 && q < ldB * n && q % ldB < m)) assert.equal(a[p], before[p], `${dtype} ${m}x${n}: wrote outside B at ${p}`);
          }
        }
      }
    })));

    it(`laswp applies interchanges to any number of columns (${backend})`, () => withBackend(backend, () => withWorkspace((ws) => {
      const r = rng(5);
      // Over 512 swaps even for one column, so the WASM kernel runs (with its 4-column
      // groups and the remainder).
      const m = 700;
      const ld = 703;
      for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 40]) {
        const ipiv = new Int32Array(m).map((_v, k) => k + Math.floor(r.nextDouble() * (m - k)));
        const a = ws.f64(ld * n + 4);
        for (let i = 0; i < a.length; i++) a[i] = r.nextDouble();
        const want = Float64Array.from(a);
        for (let j = 0; j < n; j++) for (let k = 10; k < 690; k++) {
          const x = 2 + j * ld + k;
          const y = 2 + j * ld + ipiv[k]!;
          [want[x], want[y]] = [want[y]!, want[x]!];
        }
        laswp(n, a, 2, ld, 10, 690, ipiv);
        assert.deepEqual(a, want, `${n} columns`);
      }
    })));
  }
});
