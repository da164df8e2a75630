// The HALS sweep of NMF's coordinate-descent solver (src/kernels/nmf.ts): the WASM kernel
// (blocks of eight rows, then pairs, then a single row) against a plain column-by-column
// reference on every row tail (m mod 8), odd and even k, both factor layouts, shuffled
// column orders, L1 and L2 penalties, zero entries (the projected gradient) and a zero
// column of G (no update). Also the row-major CSR product the solver uses for sparse data
// and the elementwise multiplicative update of the Frobenius mu solver.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnMajor, gramRows, halsSweep, halsSweepJs, muRatio, rowMajor, type FactorLayout } from '../../src/kernels/nmf.js';
import { csrMatmatRows } from '../../src/kernels/sparse.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { CsrMatrix } from '../../src/sparse/index.js';
import { BACKEND_NAMES, releaseAll, rng, withBackend } from '../helpers.js';
import { activeWasm } from '../../src/kernels/index.js';

type Rng = ReturnType<typeof rng>;

/** The sweep as scikit-learn's _update_cdnmf_fast writes it: column t, then row i. */
function reference(W: Float64Array, R: Float64Array, lay: FactorLayout, m: number, k: number, G: Float64Array, order: Int32Array, l1: number, l2: number): number {
  const at = (i: number, c: number) => i * lay.rowStride + c * lay.colStride;
  let violation = 0;
  for (const t of order) {
    const hess = G[t + t * k]! + l2;
    for (let i = 0; i < m; i++) {
      let grad = l1 - R[at(i, t)]!;
      for (let c = 0; c < k; c++) grad += (G[c + t * k]! + (c === t ? l2 : 0)) * W[at(i, c)]!;
      const w = W[at(i, t)]!;
      violation += Math.abs(w === 0 ? Math.min(0, grad) : grad);
      if (hess !== 0) W[at(i, t)] = Math.max(w - grad / hess, 0);
    }
  }
  return violation;
}

/** Heap-resident copy (WASM backends) so the kernel runs in place; plain copy otherwise. */
function resident(a: Float64Array): Float64Array {
  const w = activeWasm();
  if (!w) return Float64Array.from(a);
  const out = w.alloc('float64', a.length) as Float64Array;
  out.set(a);
  return out;
}

function problem(r: Rng, m: number, k: number, zeroColumn: boolean) {
  // W >= 0 with about a quarter exact zeros; G = F^T F (+ a zero column and row when asked).
  const W = Float64Array.from({ length: m * k }, () => (r.nextDouble() < 0.25 ? 0 : r.nextDouble()));
  const R = Float64Array.from({ length: m * k }, () => 3 * r.nextDouble() - 1);
  const F = Float64Array.from({ length: 3 * k * k }, () => r.nextDouble());
  const G = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let p = 0; p < 3 * k; p++) s += F[p + a * 3 * k]! * F[p + b * 3 * k]!;
      G[a + b * k] = s;
    }
  }
  if (zeroColumn) {
    const z = k - 1;
    for (let c = 0; c < k; c++) G[c + z * k] = G[z + c * k] = 0;
  }
  const order = Int32Array.from({ length: k }, (_, i) => i);
  for (let i = k - 1; i > 0; i--) {
    const j = r.nextInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return { W, R, G, order };
}

describe('HALS sweep (NMF coordinate descent)', () => {
  for (const backend of BACKEND_NAMES) {
    it(`${backend}: matches the column-by-column sweep on every row tail, layout and penalty`, () => {
      withBackend(backend, () => {
        const r = rng(17);
        for (const m of [1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 64, 131]) {
          for (const k of [1, 2, 5, 10]) {
            for (const [l1, l2] of [[0, 0], [0.3, 0], [0, 0.7], [0.2, 0.5]] as [number, number][]) {
              for (const row of [false, true]) {
                const lay = row ? rowMajor(k) : columnMajor(m);
                const p = problem(r, m, k, k > 2 && l2 === 0 && m % 3 === 0);
                const Wref = Float64Array.from(p.W);
                const vref = reference(Wref, p.R, lay, m, k, p.G, p.order, l1, l2);
                const W = resident(p.W);
                const R = resident(p.R);
                const G = resident(p.G);
                const v = halsSweep(W, R, lay, m, k, G, p.order, l1, l2);
                const what = `${backend} m=${m} k=${k} l1=${l1} l2=${l2} ${row ? 'row' : 'column'}-major`;
                assert.ok(Math.abs(v - vref) <= 1e-12 * Math.max(1, vref), `${what}: violation ${v}, want ${vref}`);
                for (let q = 0; q < W.length; q++) {
                  assert.ok(W[q]! >= 0, `${what}: W[${q}] = ${W[q]} < 0`);
                  assert.ok(Math.abs(W[q]! - Wref[q]!) <= 1e-12 * (1 + Math.abs(Wref[q]!)), `${what}: W[${q}] = ${W[q]}, want ${Wref[q]}`);
                }
                releaseAll(W, R, G);
              }
            }
          }
        }
      });
    });
  }

  it('the TypeScript fallback runs for arrays outside the kernels\' memory and agrees', () => {
    const r = rng(3);
    const m = 23;
    const k = 6;
    const p = problem(r, m, k, false);
    const a = Float64Array.from(p.W);
    const b = Float64Array.from(p.W);
    const va = halsSweep(a, p.R, columnMajor(m), m, k, p.G, p.order, 0.1, 0.2);
    const vb = halsSweepJs(b, p.R, columnMajor(m), m, k, p.G, p.order, 0.1, 0.2);
    assert.equal(va, vb);
    assert.deepEqual(a, b);
  });
});

describe('csrMatmatRows (row-major sparse products)', () => {
  for (const backend of BACKEND_NAMES) {
    it(`${backend}: A X for row-major blocks in and out of the kernels' memory`, () => {
      withBackend(backend, () => {
        const r = rng(9);
        for (const [rows, cols, p] of [[1, 1, 1], [7, 5, 3], [40, 33, 10], [13, 60, 16]] as const) {
          const dense = Float64Array.from({ length: rows * cols }, () => (r.nextDouble() < 0.3 ? r.nextDouble() - 0.5 : 0));
          const A = CsrMatrix.fromDense(Matrix.fromArray(dense, rows, cols, { order: 'C' }));
          const Xv = Float64Array.from({ length: cols * p }, () => r.nextDouble() - 0.5);
          const want = new Float64Array(rows * p);
          for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) for (let c = 0; c < p; c++) want[i * p + c]! += dense[i * cols + j]! * Xv[j * p + c]!;
          for (const inHeap of [false, true]) {
            const X = inHeap ? resident(Xv) : Float64Array.from(Xv);
            const Y = inHeap ? resident(new Float64Array(rows * p).fill(NaN)) : new Float64Array(rows * p).fill(NaN);
            csrMatmatRows(A, X, p, Y);
            for (let q = 0; q < Y.length; q++) assert.ok(Math.abs(Y[q]! - want[q]!) <= 1e-14 * (1 + cols), `${backend} ${rows}x${cols} p=${p} heap=${inHeap}: Y[${q}] = ${Y[q]}, want ${want[q]}`);
            if (inHeap) releaseAll(X, Y);
          }
          A.dispose();
        }
      });
    });
  }

  it('rejects blocks too short for the matrix', () => {
    const A = CsrMatrix.fromDense(Matrix.from([[1, 0], [2, 3]]));
    assert.throws(() => csrMatmatRows(A, new Float64Array(3), 2, new Float64Array(4)), /blocks of 3 and 4 values/);
  });
});

describe('muRatio (Frobenius multiplicative update)', () => {
  for (const backend of BACKEND_NAMES) {
    it(`${backend}: A * num / (den + l1 + l2 A) on odd and even lengths, zero denominators -> eps`, () => {
      withBackend(backend, () => {
        const r = rng(4);
        for (const len of [1, 2, 3, 17, 64]) {
          for (const [l1, l2] of [[0, 0], [0.25, 0.5]] as [number, number][]) {
            const A0 = Float64Array.from({ length: len }, (_, i) => (i % 5 === 0 ? 0 : r.nextDouble()));
            const num0 = Float64Array.from({ length: len }, () => r.nextDouble());
            // Every third denominator is 0 (with no penalty: replaced by eps).
            const den0 = Float64Array.from({ length: len }, (_, i) => (i % 3 === 0 ? 0 : r.nextDouble()));
            const A = resident(A0);
            const num = resident(num0);
            const den = resident(den0);
            muRatio(A, num, den, l1, l2, 1e-7);
            for (let p = 0; p < len; p++) {
              let d = den0[p]! + l1 + l2 * A0[p]!;
              if (d === 0) d = 1e-7;
              const want = A0[p]! * (num0[p]! / d);
              assert.equal(A[p], want, `${backend} len=${len} l1=${l1} l2=${l2}: A[${p}]`);
            }
            releaseAll(A, num, den);
          }
        }
      });
    });
  }
});

describe('gramRows (F^T F of a row-major factor)', () => {
  for (const backend of BACKEND_NAMES) {
    it(`${backend}: every tile edge (k mod 4), both triangles, against a plain sum`, () => {
      withBackend(backend, () => {
        const r = rng(8);
        for (const rows of [1, 2, 7, 100]) {
          for (const k of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13]) {
            const Fv = Float64Array.from({ length: rows * k }, () => r.nextDouble() - 0.25);
            const F = resident(Fv);
            const G = resident(new Float64Array(k * k).fill(NaN));
            gramRows(F, rows, k, G);
            for (let a = 0; a < k; a++) {
              for (let b = 0; b < k; b++) {
                let want = 0;
                let mag = 0;
                for (let i = 0; i < rows; i++) {
                  want += Fv[i * k + a]! * Fv[i * k + b]!;
                  mag += Math.abs(Fv[i * k + a]! * Fv[i * k + b]!);
                }
                assert.ok(Math.abs(G[a + b * k]! - want) <= 1e-15 * (rows + 1) * mag + 1e-300, `${backend} ${rows}x${k}: G[${a}, ${b}] = ${G[a + b * k]}, want ${want}`);
              }
            }
            releaseAll(F, G);
          }
        }
      });
    });
  }
});

describe('NMF kernels reject arrays too short for the stated sizes', () => {
  it('halsSweep, muRatio and gramRows throw ShapeError', () => {
    const order = Int32Array.from([0, 1]);
    assert.throws(() => halsSweep(new Float64Array(5), new Float64Array(6), columnMajor(3), 3, 2, new Float64Array(4), order, 0, 0), /halsSweep: W 5/);
    assert.throws(() => halsSweep(new Float64Array(6), new Float64Array(6), columnMajor(3), 3, 2, new Float64Array(4), Int32Array.from([0]), 0, 0), /order 1/);
    assert.throws(() => muRatio(new Float64Array(4), new Float64Array(3), new Float64Array(4), 0, 0, 1e-7), /muRatio: 3 numerators/);
    assert.throws(() => gramRows(new Float64Array(5), 3, 2, new Float64Array(4)), /gramRows: 5 values/);
  });
});
