import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NonFiniteInputError } from '../../src/errors.js';
import { kernels } from '../../src/kernels/index.js';
import { bdsdc } from '../../src/linalg/lapack/bdsdc.js';
import { lasd4 } from '../../src/linalg/lapack/lasd4.js';
import { BACKEND_NAMES, rng, withBackend } from '../helpers.js';

const EPS = 2 ** -52;
const FIXTURES = join('test', 'fixtures', 'bdsdc');

interface Result {
  s: Float64Array;
  U: Float64Array;
  VT: Float64Array;
}

function run(d0: Float64Array, e0: Float64Array): Result {
  const n = d0.length;
  const s = Float64Array.from(d0);
  const e = Float64Array.from(e0);
  const U = new Float64Array(n * n).fill(NaN);
  const VT = new Float64Array(n * n).fill(NaN);
  bdsdc(n, s, e, U, 0, n, VT, 0, n);
  return { s, U, VT };
}

function fro(a: Float64Array): number {
  return kernels().nrm2(a.length, a, 0, 1);
}

/** Scaled residual and orthogonality measures (LAPACK style), all expected < 30. */
function measures(d: Float64Array, e: Float64Array, { s, U, VT }: Result): { res: number; orthU: number; orthV: number } {
  const n = d.length;
  const k = kernels();
  // B - U diag(s) VT, with the products in gemm (tested on its own).
  const US = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) US[i + j * n] = U[i + j * n]! * s[j]!;
  const R = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    R[i + i * n] = d[i]!;
    if (i + 1 < n) R[i + (i + 1) * n] = e[i]!;
  }
  const normB = fro(R);
  k.gemm(false, false, n, n, n, -1, US, 0, n, VT, 0, n, 1, R, 0, n);
  const G = new Float64Array(n * n);
  k.gemm(true, false, n, n, n, 1, U, 0, n, U, 0, n, 0, G, 0, n);
  for (let i = 0; i < n; i++) G[i + i * n] = G[i + i * n]! - 1;
  const H = new Float64Array(n * n);
  k.gemm(false, true, n, n, n, 1, VT, 0, n, VT, 0, n, 0, H, 0, n);
  for (let i = 0; i < n; i++) H[i + i * n] = H[i + i * n]! - 1;
  return {
    res: normB === 0 ? fro(R) : fro(R) / (n * normB * EPS),
    orthU: fro(G) / (n * EPS),
    orthV: fro(H) / (n * EPS),
  };
}

function assertSvd(label: string, d: Float64Array, e: Float64Array, r: Result): void {
  const n = d.length;
  for (let i = 0; i < n; i++) {
    assert.ok(r.s[i]! >= 0, `${label}: s[${i}] = ${r.s[i]} < 0`);
    if (i > 0) assert.ok(r.s[i]! <= r.s[i - 1]!, `${label}: s not descending at ${i}`);
  }
  const m = measures(d, e, r);
  assert.ok(m.res < 30, `${label}: residual ${m.res}`);
  assert.ok(m.orthU < 30, `${label}: ||U'U - I|| ${m.orthU}`);
  assert.ok(m.orthV < 30, `${label}: ||VT VT' - I|| ${m.orthV}`);
}

function uniform(n: number, seed: number): [Float64Array, Float64Array] {
  const r = rng(seed);
  const d = new Float64Array(n).map(() => 2 * r.nextDouble() - 1);
  const e = new Float64Array(Math.max(0, n - 1)).map(() => 2 * r.nextDouble() - 1);
  return [d, e];
}

// Structured inputs the algorithm must handle (deflation paths, splits, scaling).
function cases(): [string, Float64Array, Float64Array][] {
  const out: [string, Float64Array, Float64Array][] = [];
  for (const n of [1, 2, 3, 10, 25, 26, 50, 100, 257, 600]) out.push([`random n=${n}`, ...uniform(n, n)]);
  for (const n of [40, 120]) {
    const [d, e] = uniform(n, 1000 + n);
    out.push([`graded n=${n}`, d.map((v, i) => v * 10 ** (-i / 2)), e.map((v, i) => v * 10 ** (-(i + 1) / 2))]);
  }
  {
    const [d, e] = uniform(150, 7);
    out.push(['many zero e n=150', d, e.map((v, i) => (i % 3 === 1 ? v : 0))]);
    const [d2, e2] = uniform(150, 8);
    out.push(['zero d entries n=150', d2.map((v, i) => (i % 4 === 0 ? 0 : v)), e2]);
    out.push(['zero d and e n=150', d2.map((v, i) => (i % 4 === 0 ? 0 : v)), e2.map((v, i) => (i % 5 === 2 ? 0 : v))]);
  }
  out.push(['repeated (d = 1, e = 1e-12) n=120', new Float64Array(120).fill(1), new Float64Array(119).fill(1e-12)]);
  out.push(['repeated (d = 1, e = 1e-6) n=120', new Float64Array(120).fill(1), new Float64Array(119).fill(1e-6)]);
  {
    const r = rng(99);
    out.push(['clustered n=100', new Float64Array(100).map(() => 1 + 1e-10 * r.nextDouble()), new Float64Array(99).map(() => 1e-10 * (r.nextDouble() - 0.5))]);
    out.push(['two clusters n=90', new Float64Array(90).map((_, i) => (i % 2 ? 1 : 1e-3) * (1 + 1e-13 * r.nextDouble())), new Float64Array(89).map(() => 1e-9 * r.nextDouble())]);
  }
  {
    const [d, e] = uniform(100, 31);
    out.push(['huge scale 1e150 n=100', d.map((v) => v * 1e150), e.map((v) => v * 1e150)]);
    out.push(['tiny scale 1e-150 n=100', d.map((v) => v * 1e-150), e.map((v) => v * 1e-150)]);
  }
  out.push(['all ones n=80', new Float64Array(80).fill(1), new Float64Array(79).fill(1)]);
  out.push(['identity n=40', new Float64Array(40).fill(1), new Float64Array(39)]);
  out.push(['diagonal with signs n=60', new Float64Array(60).map((_, i) => (i % 2 ? -1 : 1) * (i % 7)), new Float64Array(59)]);
  return out;
}

describe('bdsdc', () => {
  for (const backend of BACKEND_NAMES) {
    it(`is backward stable with orthogonal vectors (${backend})`, () => withBackend(backend, () => {
      for (const [label, d, e] of cases()) assertSvd(label, d, e, run(d, e));
    }));
  }

  it('matches numpy singular values (fixtures)', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 8);
    for (const f of files) {
      const fx = JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as { name: string; d: number[]; e: number[]; s: number[]; s_exact?: number[] | null };
      const d = Float64Array.from(fx.d);
      const e = Float64Array.from(fx.e);
      const r = run(d, e);
      assertSvd(fx.name, d, e, r);
      const smax = fx.s[0]!;
      for (let i = 0; i < fx.s.length; i++) {
        assert.ok(Math.abs(r.s[i]! - fx.s[i]!) <= 1e-12 * smax, `${fx.name}: s[${i}] = ${r.s[i]} vs numpy ${fx.s[i]}`);
      }
      if (fx.s_exact) {
        // Graded bidiagonals determine their small singular values to high relative
        // accuracy. The leaf solver (n <= 25) attains it for all of them; the merges
        // (absolute deflation tolerance, as LAPACK dlasd2) for values above ~eps s_max.
        const floor = fx.d.length <= 25 ? 0 : 1e-13 * fx.s_exact[0]!;
        for (let i = 0; i < fx.s_exact.length; i++) {
          const x = fx.s_exact[i]!;
          if (x < floor) continue;
          assert.ok(Math.abs(r.s[i]! - x) <= 1e-10 * x, `${fx.name}: s[${i}] = ${r.s[i]} vs exact ${x} (relative)`);
        }
      }
    }
  });

  it('handles n = 0, 1, 2 and diagonal input exactly', () => {
    bdsdc(0, new Float64Array(0), new Float64Array(0), new Float64Array(0), 0, 1, new Float64Array(0), 0, 1);
    const one = run(new Float64Array([-3]), new Float64Array(0));
    assert.deepEqual([...one.s, ...one.U, ...one.VT], [3, -1, 1]);
    const two = run(new Float64Array([0, 0]), new Float64Array([2]));
    assert.deepEqual([...two.s], [2, 0]);
    assertSvd('2x2 with zero diagonal', new Float64Array([0, 0]), new Float64Array([2]), two);
    const zero = run(new Float64Array(30), new Float64Array(29));
    assert.ok(zero.s.every((v) => v === 0));
    assertSvd('zero 30', new Float64Array(30), new Float64Array(29), zero);
    // Diagonal: singular values are |d| sorted, vectors signed permutations.
    const d = new Float64Array([0.5, -4, 0, 2, -1e-300, 3]);
    const diag = run(d, new Float64Array(5));
    assert.deepEqual([...diag.s], [4, 3, 2, 0.5, 1e-300, 0]);
  });

  it('respects offsets and leading dimensions', () => {
    const n = 60;
    const [d, e] = uniform(n, 5);
    const ld = n + 3, off = 7;
    const U = new Float64Array(off + ld * n + 5).fill(42);
    const VT = new Float64Array(off + ld * n + 5).fill(42);
    const s = Float64Array.from(d);
    bdsdc(n, s, Float64Array.from(e), U, off, ld, VT, off, ld);
    const ref = run(d, e);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < ld; i++) {
        const p = off + i + j * ld;
        if (i < n) {
          assert.equal(U[p], ref.U[i + j * n]);
          assert.equal(VT[p], ref.VT[i + j * n]);
        } else {
          assert.equal(U[p], 42, 'padding of U untouched');
          assert.equal(VT[p], 42, 'padding of VT untouched');
        }
      }
    }
    assert.equal(U[0], 42);
    assert.deepEqual([...s], [...ref.s]);
  });

  it('rejects NaN / Inf input instead of hanging', () => {
    for (const bad of [NaN, Infinity]) {
      const [d, e] = uniform(40, 3);
      d[17] = bad;
      assert.throws(() => run(d, e), NonFiniteInputError);
      const [d2, e2] = uniform(40, 4);
      e2[30] = bad;
      assert.throws(() => run(d2, e2), NonFiniteInputError);
    }
  });

  it('lasd4 finds every root of a secular equation accurately', () => {
    const r = rng(12);
    for (const k of [3, 4, 17, 200]) {
      const d = new Float64Array(k).map(() => r.nextDouble()).sort();
      d[0] = 0;
      const z = new Float64Array(k).map(() => r.nextDouble() + 0.1);
      const nz = Math.hypot(...z);
      for (let i = 0; i < k; i++) z[i] = z[i]! / nz;
      const rho = 0.3;
      const delta = new Float64Array(k), work = new Float64Array(k);
      let prev = -1;
      for (let i = 0; i < k; i++) {
        const sigma = lasd4(k, i, d, z, delta, 0, rho, work, 0);
        // Interlacing d_i < sigma_i < d_{i+1}, and delta/work consistent with sigma.
        assert.ok(sigma > d[i]! && (i === k - 1 || sigma < d[i + 1]!), `k=${k} root ${i} out of its interval`);
        assert.ok(sigma > prev);
        prev = sigma;
        let f = 1 / rho;
        let scale = 1 / rho;
        for (let j = 0; j < k; j++) {
          assert.ok(Math.abs(delta[j]! - (d[j]! - sigma)) <= 4 * EPS * Math.max(1, Math.abs(d[j]!)));
          const t = (z[j]! * z[j]!) / (delta[j]! * work[j]!);
          f += t;
          scale += Math.abs(t);
        }
        assert.ok(Math.abs(f) <= 1e3 * k * EPS * scale, `k=${k} root ${i}: |f(sigma)| = ${f}`);
      }
    }
  });
});
