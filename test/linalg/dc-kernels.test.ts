// The WASM kernels of the divide-and-conquer solvers (src/kernels/dc.ts over
// assembly/bdsdc.ts and assembly/stedc.ts) against the TypeScript paths they mirror: the
// same routine run once on arrays in the kernels' memory (WASM) and once on ordinary arrays
// (TypeScript). The tridiagonal solver's kernels do the same operations in the same order,
// so its results must be bit-identical; the bidiagonal leaf uses Math.hypot, whose last bit
// may differ between V8 and AssemblyScript, so it is compared to rounding level and for
// orthogonality.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { activeWasm, availableBackends, kernels } from '../../src/kernels/index.js';
import { withWorkspace, type Workspace } from '../../src/kernels/workspace.js';
import { leafSvd } from '../../src/linalg/lapack/bdsdc-leaf.js';
import { stedc } from '../../src/linalg/lapack/stedc.js';
import { steqrVectors } from '../../src/kernels/dc.js';
import { steqr } from '../../src/linalg/lapack/steqr.js';
import { rng } from '../helpers.js';

const EPS = 2 ** -52;
const hasWasm = availableBackends().some((b) => b !== 'js');

// A Workspace whose arrays are ordinary typed arrays: stedc then takes its TypeScript path.
const jsWorkspace = {
  alloc: (_dtype: string, n: number) => new Float64Array(n),
  f64: (n: number) => new Float64Array(n),
  like: (_like: unknown, n: number) => new Float64Array(n),
  release: () => {},
} as unknown as Workspace;

// Symmetric tridiagonals that exercise the merges' two kinds of deflation: random, with
// repeated diagonal values (nearly equal eigenvalues), with tiny off-diagonals (negligible
// z components and splits), and graded.
function tridiagonals(n: number, seed: number): [string, Float64Array, Float64Array][] {
  const r = rng(seed);
  const u = () => 2 * r.nextDouble() - 1;
  const out: [string, Float64Array, Float64Array][] = [];
  out.push(['random', Float64Array.from({ length: n }, u), Float64Array.from({ length: n - 1 }, u)]);
  const d = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 0.5 : u()));
  out.push(['repeated', d, Float64Array.from({ length: n - 1 }, (_, i) => (i % 7 === 0 ? 1e-17 : u()))]);
  out.push(['graded', Float64Array.from({ length: n }, (_, i) => 2 ** (-i / 4)), Float64Array.from({ length: n - 1 }, (_, i) => 2 ** (-i / 4 - 1))]);
  out.push(['wilkinson', Float64Array.from({ length: n }, (_, i) => Math.abs(i - (n - 1) / 2)), new Float64Array(n - 1).fill(1)]);
  return out;
}

function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${a[i]} (WASM) != ${b[i]} (TypeScript)`);
  }
}

describe('divide-and-conquer WASM kernels', { skip: !hasWasm && 'no WASM backend' }, () => {
  it('stedc: the WASM merges and QL/QR leaves give bit-identical results to the TypeScript path', () => {
    for (const n of [26, 60, 131, 257]) {
      for (const [name, d0, e0] of tridiagonals(n, n)) {
        const dJ = d0.slice();
        const ZJ = new Float64Array(n * n);
        stedc(n, dJ, e0.slice(), ZJ, 0, n, jsWorkspace);
        const { dW, ZW } = withWorkspace((ws) => {
          const Z = ws.f64(n * n);
          assert.ok(activeWasm()?.heap.owns(Z), 'the workspace is in WASM memory');
          const d = d0.slice();
          stedc(n, d, e0.slice(), Z, 0, n, ws);
          return { dW: d, ZW: Z.slice() };
        });
        sameBits(dW, dJ, `${name} n=${n} eigenvalues`);
        sameBits(ZW, ZJ, `${name} n=${n} eigenvectors`);
      }
    }
  });

  it('steqrVectors equals steqr with vectors, bit for bit, and declines ordinary arrays', () => {
    for (const n of [2, 3, 10, 25, 40]) {
      for (const [name, d0, e0] of tridiagonals(n, 7 * n)) {
        const dJ = d0.slice();
        const ZJ = new Float64Array(n * n);
        for (let j = 0; j < n; j++) ZJ[j + j * n] = 1;
        steqr(n, dJ, e0.slice(), ZJ, 0, n, n);
        withWorkspace((ws) => {
          const d = ws.f64(n);
          d.set(d0);
          const e = ws.f64(n);
          e.set(e0);
          const Z = ws.f64(n * n);
          for (let j = 0; j < n; j++) Z[j + j * n] = 1;
          assert.equal(steqrVectors(n, d, 0, e, 0, Z, 0, n, n), 0);
          sameBits(d.slice(), dJ, `${name} n=${n} eigenvalues`);
          sameBits(Z.slice(), ZJ, `${name} n=${n} eigenvectors`);
        });
      }
    }
    assert.equal(steqrVectors(2, new Float64Array(2), 0, new Float64Array(1), 0, new Float64Array(4), 0, 2, 2), undefined);
  });

  it('the Jacobi leaf agrees with its TypeScript version to rounding, with orthogonal vectors', () => {
    const r = rng(11);
    for (let n = 1; n <= 25; n += n < 6 ? 1 : 4) {
      for (const sqre of [0, 1]) {
        const m = n + sqre;
        const d0 = Float64Array.from({ length: n }, () => 2 * r.nextDouble() - 1);
        const e0 = Float64Array.from({ length: n - 1 + sqre }, () => 2 * r.nextDouble() - 1);
        if (n > 3) d0[2] = 0; // a zero singular value: the completion of U
        const work = 2 * n * n + m * m + 3 * n;
        const dJ = d0.slice();
        const UJ = new Float64Array(n * n);
        const VJ = new Float64Array(m * m);
        leafSvd(n, sqre, dJ, 0, e0.slice(), 0, UJ, 0, n, VJ, 0, m, new Float64Array(work));
        withWorkspace((ws) => {
          const d = ws.f64(n);
          d.set(d0);
          const e = ws.f64(n + 1);
          e.set(e0);
          const U = ws.f64(n * n);
          const VT = ws.f64(m * m);
          leafSvd(n, sqre, d, 0, e, 0, U, 0, n, VT, 0, m, ws.f64(work));
          for (let i = 0; i < n; i++) assert.ok(Math.abs(d[i]! - dJ[i]!) <= 8 * n * EPS * Math.max(1, dJ[n - 1]!), `n=${n} sqre=${sqre} s_${i}: ${d[i]} vs ${dJ[i]}`);
          // U orthogonal, VT orthogonal (the WASM result), to working precision.
          const G = new Float64Array(n * n);
          kernels().gemm(true, false, n, n, n, 1, U.slice(), 0, n, U.slice(), 0, n, 0, G, 0, n);
          for (let i = 0; i < n; i++) G[i + i * n] = G[i + i * n]! - 1;
          assert.ok(kernels().nrm2(n * n, G, 0, 1) <= 10 * n * EPS, `n=${n} sqre=${sqre}: U not orthogonal`);
          const H = new Float64Array(m * m);
          kernels().gemm(false, true, m, m, m, 1, VT.slice(), 0, m, VT.slice(), 0, m, 0, H, 0, m);
          for (let i = 0; i < m; i++) H[i + i * m] = H[i + i * m]! - 1;
          assert.ok(kernels().nrm2(m * m, H, 0, 1) <= 10 * m * EPS, `n=${n} sqre=${sqre}: VT not orthogonal`);
        });
      }
    }
  });
});
