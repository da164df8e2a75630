// The ALS half-step on the thread pool reads its arguments from an AlsParams block that
// TypeScript writes (src/kernels/generated/abi.ts) and AssemblyScript reads
// (assembly/generated/abi.ts). Rows are solved independently, so the pooled half-step must
// give exactly the factors of the single-call one, which takes the same values as plain
// arguments: any field at the wrong offset or of the wrong type changes them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlsWasm, type CsrSide } from '../../src/kernels/als.js';
import { activeWasm } from '../../src/kernels/index.js';
import { rng } from '../helpers.js';

// Random ratings as both CSR sides (rows of byUser are users, of byItem items).
function ratings(seed: number, nUsers: number, nItems: number, perUser: number): { byUser: CsrSide; byItem: CsrSide } {
  const r = rng(seed);
  const cols: number[][] = Array.from({ length: nUsers }, () => []);
  const vals: number[][] = Array.from({ length: nUsers }, () => []);
  for (let u = 0; u < nUsers; u++) {
    const seen = new Set<number>();
    // Some users rate nothing: their rows must come out zero on both paths.
    const n = u % 17 === 0 ? 0 : 1 + r.nextInt(perUser);
    for (let k = 0; k < n; k++) {
      const i = r.nextInt(nItems);
      if (seen.has(i)) continue;
      seen.add(i);
      cols[u]!.push(i);
      vals[u]!.push(1 + r.nextInt(5));
    }
  }
  const csr = (rows: number, entries: (row: number) => [number, number][]): CsrSide => {
    const indptr = new Int32Array(rows + 1);
    const idx: number[] = [];
    const v: number[] = [];
    for (let row = 0; row < rows; row++) {
      for (const [c, x] of entries(row).sort((a, b) => a[0] - b[0])) {
        idx.push(c);
        v.push(x);
      }
      indptr[row + 1] = idx.length;
    }
    return { indptr, indices: Int32Array.from(idx), values: Float32Array.from(v) };
  };
  const byItemLists: [number, number][][] = Array.from({ length: nItems }, () => []);
  for (let u = 0; u < nUsers; u++) cols[u]!.forEach((i, k) => byItemLists[i]!.push([u, vals[u]![k]!]));
  return {
    byUser: csr(nUsers, (u) => cols[u]!.map((i, k) => [i, vals[u]![k]!])),
    byItem: csr(nItems, (i) => byItemLists[i]!),
  };
}

function fill(a: Float32Array, seed: number): void {
  const r = rng(seed);
  for (let k = 0; k < a.length; k++) a[k] = 0.3 * r.nextNormal();
}

type Step = (als: AlsWasm, threads: number) => void;

// Run `step` on a fresh session with threads 1 (one als_rows call) and 2 (the pool).
function both(byUser: CsrSide, byItem: CsrSide, f: number, n: number, step: Step): [AlsWasm, AlsWasm] {
  const out: AlsWasm[] = [];
  for (const threads of [1, 2]) {
    const als = AlsWasm.create(byUser, byItem, f, n)!;
    fill(als.P, 1);
    fill(als.Q, 2);
    fill(als.bu, 3);
    fill(als.bi, 4);
    step(als, threads);
    out.push(als);
  }
  return out as [AlsWasm, AlsWasm];
}

test('ALS half-steps through the AlsParams block equal the single-call solve, every mode', (t) => {
  const w = activeWasm();
  if (!w) return t.skip('no WASM backend here');
  if (!w.workerPool(2)) return t.skip('no worker thread here');
  // 600 users > the pool's 256-row threshold; f = 6 with a bias column (n = 7) and without.
  const { byUser, byItem } = ratings(11, 600, 90, 12);
  const f = 6;
  const base = new Float64Array(f * f);
  const r = rng(5);
  for (let a = 0; a < f; a++) {
    for (let b = 0; b <= a; b++) base[a * f + b] = base[b * f + a] = 0.1 * r.nextNormal();
    base[a * f + a] = base[a * f + a]! + 2;
  }
  const cases: [string, number, Step][] = [
    ['explicit with biases', f + 1, (als, th) => als.explicit('users', 3.25, 0.07, th)],
    ['explicit without biases', f, (als, th) => als.explicit('users', 2.5, 0.11, th)],
    ['implicit, Cholesky', f, (als, th) => als.implicit('users', base, 0.8, 0, th)],
    ['implicit, conjugate gradient', f, (als, th) => als.implicit('users', base, 0.6, 3, th)],
  ];
  for (const [name, n, step] of cases) {
    const [one, two] = both(byUser, byItem, f, n, step);
    try {
      assert.deepEqual(two.P, one.P, `${name}: user factors`);
      assert.deepEqual(two.bu, one.bu, `${name}: user biases`);
      assert.deepEqual(two.Q, one.Q, `${name}: the fixed side is untouched`);
      const init = new Float32Array(one.P.length);
      fill(init, 1);
      assert.notDeepEqual(one.P, init, `${name}: the solve wrote factors`);
      assert.equal(one.P[0], 0, `${name}: a user without ratings gets zero factors`);
    } finally {
      one.release();
      two.release();
    }
  }
});
