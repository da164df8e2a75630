import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConvergenceError, NonFiniteInputError, ShapeError } from '../../src/errors.js';
import { eig, eigvals, type Eig } from '../../src/linalg/eig.js';
import { hseqr, lahqr } from '../../src/linalg/lapack/hseqr.js';
import { trevc } from '../../src/linalg/lapack/trevc.js';
import { matmul } from '../../src/linalg/matmul.js';
import { schur } from '../../src/linalg/schur.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { BACKEND_NAMES, withBackend } from '../helpers.js';
import { randomOrthonormal } from './gallery.js';

const EPS = 2 ** -52;
const FIXTURES = new URL('../fixtures/eig/', import.meta.url);

interface Fixture {
  name: string;
  n: number;
  a: number[][];
  wr: number[];
  wi: number[];
  compare: boolean;
  known: [number, number][] | null;
}

const fixtures: Fixture[] = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(new URL(f, FIXTURES), 'utf8')) as Fixture);

function fromRows(rows: number[][], n: number, dtype: 'float64' | 'float32' = 'float64'): Matrix {
  return n === 0 ? Matrix.zeros(0, 0, { dtype }) : Matrix.from(rows, { dtype });
}

/** ||A V - V diag(w)||_F / (n ||A||_F eps), complex arithmetic on real and imaginary parts. */
function residual(A: Matrix, e: Eig, eps = EPS): number {
  const n = A.rows;
  if (n === 0) return 0;
  let r = 0;
  let an = 0;
  for (let j = 0; j < n; j++) {
    const wr = e.wReal[j]!;
    const wi = e.wImag[j]!;
    for (let i = 0; i < n; i++) {
      let sr = 0;
      let si = 0;
      for (let k = 0; k < n; k++) {
        const a = A.get(i, k);
        sr += a * e.VReal.get(k, j);
        si += a * e.VImag.get(k, j);
      }
      const vr = e.VReal.get(i, j);
      const vi = e.VImag.get(i, j);
      sr -= wr * vr - wi * vi;
      si -= wr * vi + wi * vr;
      r += sr * sr + si * si;
      an += A.get(i, j) ** 2;
    }
  }
  if (r === 0) return 0;
  return Math.sqrt(r) / (n * Math.sqrt(an) * eps);
}

/** Structural properties dgeev guarantees: unit columns, conjugate pairs, largest component real. */
function checkStructure(e: Eig, n: number, tol = 10 * n * EPS, label = ''): void {
  for (let j = 0; j < n; j++) {
    let s = 0;
    let big = 0;
    for (let i = 0; i < n; i++) {
      const m = e.VReal.get(i, j) ** 2 + e.VImag.get(i, j) ** 2;
      s += m;
      big = Math.max(big, m);
    }
    assert.ok(Math.abs(Math.sqrt(s) - 1) < tol, `${label}: column ${j} has norm ${Math.sqrt(s)}`);
    let realBig = false;
    for (let i = 0; i < n; i++) {
      const m = e.VReal.get(i, j) ** 2 + e.VImag.get(i, j) ** 2;
      if (m >= big * (1 - 1e-12) && e.VImag.get(i, j) === 0) realBig = true;
    }
    assert.ok(realBig, `${label}: the largest component of column ${j} is not real`);
    const wi = e.wImag[j]!;
    if (wi === 0) {
      for (let i = 0; i < n; i++) assert.equal(e.VImag.get(i, j), 0);
    } else if (wi > 0) {
      assert.ok(j + 1 < n, `${label}: unpaired complex eigenvalue`);
      assert.equal(e.wImag[j + 1], -wi);
      assert.equal(e.wReal[j + 1], e.wReal[j]);
      for (let i = 0; i < n; i++) {
        assert.equal(e.VReal.get(i, j + 1), e.VReal.get(i, j));
        assert.equal(e.VImag.get(i, j + 1), -e.VImag.get(i, j));
      }
      j++;
    } else {
      assert.fail(`${label}: eigenvalue ${j} has negative imaginary part before its conjugate`);
    }
  }
}

/** Match two eigenvalue multisets greedily (nearest unused); returns the largest distance. */
function multisetDistance(ar: ArrayLike<number>, ai: ArrayLike<number>, br: ArrayLike<number>, bi: ArrayLike<number>): number {
  assert.equal(ar.length, br.length);
  const used = new Array<boolean>(br.length).fill(false);
  let worst = 0;
  for (let i = 0; i < ar.length; i++) {
    let best = Infinity;
    let bj = -1;
    for (let j = 0; j < br.length; j++) {
      if (used[j]) continue;
      const d = Math.hypot(ar[i]! - br[j]!, ai[i]! - bi[j]!);
      if (d < best) {
        best = d;
        bj = j;
      }
    }
    used[bj] = true;
    worst = Math.max(worst, best);
  }
  return worst;
}

function maxModulus(wr: ArrayLike<number>, wi: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < wr.length; i++) m = Math.max(m, Math.hypot(wr[i]!, wi[i]!));
  return m;
}

describe('eig: numpy fixtures', () => {
  for (const backend of BACKEND_NAMES) {
    it(`residual, normalization, pairs and numpy's eigenvalues (${backend})`, () => withBackend(backend, () => {
      for (const f of fixtures) {
        const A = fromRows(f.a, f.n);
        const e = eig(A);
        assert.equal(e.wReal.length, f.n);
        assert.equal(e.VReal.rows, f.n);
        assert.equal(e.VReal.cols, f.n);
        for (let i = 0; i < f.n; i++) assert.ok(Number.isFinite(e.wReal[i]!) && Number.isFinite(e.wImag[i]!), f.name);
        for (const x of e.VReal.data) assert.ok(Number.isFinite(x), f.name);
        const res = residual(A, e);
        assert.ok(res < 30, `${f.name}: residual ${res}`);
        checkStructure(e, f.n, 10 * Math.max(1, f.n) * EPS, f.name);
        const scale = Math.max(maxModulus(f.wr, f.wi), Number.MIN_VALUE);
        if (f.compare) {
          const d = multisetDistance(e.wReal, e.wImag, f.wr, f.wi);
          assert.ok(d <= 1e-12 * scale, `${f.name}: eigenvalues differ from numpy's by ${d / scale} (relative)`);
        }
        if (f.known) {
          const d = multisetDistance(e.wReal, e.wImag, f.known.map((k) => k[0]), f.known.map((k) => k[1]));
          const tol = f.compare ? 1e-11 : 1e-2; // a 5 x 5 Jordan block moves eigenvalues by eps^(1/5)
          assert.ok(d <= tol * Math.max(scale, 1), `${f.name}: eigenvalues are ${d} from the exact ones`);
        }
      }
    }));
  }

  it('eigvals returns the same values as eig', () => {
    for (const f of fixtures) {
      const A = fromRows(f.a, f.n);
      const e = eig(A);
      const v = eigvals(A);
      assert.deepEqual(Array.from(v.wReal), Array.from(e.wReal), f.name);
      assert.deepEqual(Array.from(v.wImag), Array.from(e.wImag), f.name);
    }
  });
});

describe('eig: larger and harder matrices', () => {
  for (const backend of BACKEND_NAMES) {
    it(`random 160 x 160 through the blocked Hessenberg reduction (${backend})`, () => withBackend(backend, () => {
      const n = 160;
      const A = Matrix.random(n, n, { seed: 7, distribution: 'normal' });
      const e = eig(A);
      const res = residual(A, e);
      assert.ok(res < 30, `residual ${res}`);
      checkStructure(e, n, 10 * n * EPS);
      const v = eigvals(A);
      assert.deepEqual(Array.from(v.wReal), Array.from(e.wReal));
      assert.deepEqual(Array.from(v.wImag), Array.from(e.wImag));
      // Trace = sum of eigenvalues, a check independent of the residual.
      let tr = 0;
      let sw = 0;
      let si = 0;
      for (let i = 0; i < n; i++) {
        tr += A.get(i, i);
        sw += e.wReal[i]!;
        si += e.wImag[i]!;
      }
      assert.ok(Math.abs(tr - sw) < 1e-10 * n, `trace ${tr} vs ${sw}`);
      assert.ok(Math.abs(si) < 1e-10 * n);
    }));
  }

  it('graded similarity D A D^-1 (D = 2^-160 .. 2^160) keeps the eigenvalues of A (balancing)', () => {
    const n = 12;
    const A = Matrix.random(n, n, { seed: 3, distribution: 'normal' });
    const G = Matrix.zeros(n, n);
    const d = Array.from({ length: n }, (_, i) => 2 ** Math.round(-160 + (320 * i) / (n - 1)));
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) G.data[i + j * n] = (d[i]! * A.get(i, j)) / d[j]!;
    const ea = eigvals(A);
    const eg = eig(G);
    const dist = multisetDistance(eg.wReal, eg.wImag, ea.wReal, ea.wImag);
    assert.ok(dist < 1e-12 * maxModulus(ea.wReal, ea.wImag), `graded eigenvalues off by ${dist}`);
    for (const x of eg.VReal.data) assert.ok(Number.isFinite(x));
    checkStructure(eg, n);
  });

  it('scales tiny and huge matrices (dgeev scaling), eigenvalues scale along', () => {
    const n = 10;
    const A = Matrix.random(n, n, { seed: 5, distribution: 'normal' });
    const base = eigvals(A);
    const m = maxModulus(base.wReal, base.wImag);
    for (const s of [1e-300, 2 ** -1000, 1e300]) {
      const S = Matrix.zeros(n, n);
      for (let i = 0; i < n * n; i++) S.data[i] = A.data[i]! * s;
      const e = eig(S);
      const dist = multisetDistance(
        Array.from(e.wReal, (x) => x / s), Array.from(e.wImag, (x) => x / s), base.wReal, base.wImag,
      );
      assert.ok(dist < 1e-12 * m, `scale ${s}: eigenvalues off by ${dist}`);
      checkStructure(e, n);
      const res = residual(A, { ...e, wReal: e.wReal.map((x) => x / s), wImag: e.wImag.map((x) => x / s) });
      assert.ok(res < 30, `scale ${s}: residual ${res}`);
    }
  });

  it('defective and repeated eigenvalues stay finite', () => {
    // n = 200: the multishift QR, and trevc's overflow scaling across its row blocks.
    for (const n of [2, 8, 30, 200]) {
      // Jordan block, and a matrix with a triple eigenvalue hidden by a similarity.
      const J = Matrix.zeros(n, n);
      for (let i = 0; i < n; i++) {
        J.data[i + i * n] = 1;
        if (i + 1 < n) J.data[i + (i + 1) * n] = 1;
      }
      const e = eig(J);
      for (const x of [...e.wReal, ...e.wImag, ...e.VReal.data, ...e.VImag.data]) assert.ok(Number.isFinite(x));
      assert.ok(residual(J, e) < 30);
      checkStructure(e, n);
    }
    const n = 9;
    const P = Matrix.random(n, n, { seed: 9, distribution: 'normal' });
    const B = Matrix.zeros(n, n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) B.data[i + j * n] = (i === j ? 1 : 0) + (j === 0 ? P.get(i, 0) : 0);
    const e = eig(B);
    assert.ok(residual(B, e) < 30);
    checkStructure(e, n);
  });

  it('float32 input gives float32 output', () => {
    const f = fixtures.find((x) => x.name === 'random-20')!;
    const A = fromRows(f.a, f.n, 'float32');
    const e = eig(A);
    assert.ok(e.wReal instanceof Float32Array && e.wImag instanceof Float32Array);
    assert.equal(e.VReal.dtype, 'float32');
    assert.equal(e.VImag.dtype, 'float32');
    const v = eigvals(A);
    assert.ok(v.wReal instanceof Float32Array && v.wImag instanceof Float32Array);
    const res = residual(A, e, 2 ** -23);
    assert.ok(res < 30, `f32 residual ${res}`);
    checkStructure(e, f.n, 10 * f.n * 2 ** -23);
  });

  it('works on strided views (transpose)', () => {
    const A = Matrix.random(7, 7, { seed: 11 });
    const At = A.T;
    const e = eig(At);
    assert.ok(residual(At, e) < 30);
  });
});

// ---------------------------------------------------------------- the multishift path

interface LargeFixture {
  name: string;
  n: number;
  seed: number;
  kind: 'plain' | 'graded' | 'isolated';
  wr: number[];
  wi: number[];
}

const LARGE = new URL('../fixtures/eig/large/', import.meta.url);
const largeFixtures: LargeFixture[] = readdirSync(LARGE)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(new URL(f, LARGE), 'utf8')) as LargeFixture);

/** The MINSTD matrix of scripts/gen-eig-fixtures.py (column-major fill; exact in binary64). */
function minstd(n: number, seed: number, kind: LargeFixture['kind']): Matrix {
  const M = 2147483647;
  const A = Matrix.zeros(n, n);
  let x = seed;
  for (let k = 0; k < n * n; k++) {
    x = (48271 * x) % M;
    A.data[k] = x / M - 0.5;
  }
  if (kind === 'graded') {
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) A.data[i + j * n] = (2 ** ((i % 9) - 4) * A.data[i + j * n]!) / 2 ** ((j % 9) - 4);
  } else if (kind === 'isolated') {
    for (let j = 0; j < n - 1; j++) A.data[n - 1 + j * n] = 0;
    for (let i = 1; i < n; i++) A.data[i] = 0;
  }
  return A;
}

/** Largest column 1-norm of the complex matrix Re + i Im. */
function norm1(re: Matrix, im?: Matrix): number {
  let best = 0;
  for (let j = 0; j < re.cols; j++) {
    let s = 0;
    for (let i = 0; i < re.rows; i++) s += Math.hypot(re.get(i, j), im ? im.get(i, j) : 0);
    best = Math.max(best, s);
  }
  return best;
}

/**
 * LAPACK's dget22 ratio ||A V - V D||_1 / (||A||_1 ||V||_1 n eps), with the products in
 * gemm (so it is cheap at n = 600).
 */
function residual1(A: Matrix, e: Eig): number {
  const n = A.rows;
  const Rr = matmul(A, e.VReal);
  const Ri = matmul(A, e.VImag);
  for (let j = 0; j < n; j++) {
    const wr = e.wReal[j]!;
    const wi = e.wImag[j]!;
    for (let i = 0; i < n; i++) {
      const vr = e.VReal.data[i + j * n]!;
      const vi = e.VImag.data[i + j * n]!;
      Rr.data[i + j * n] = Rr.data[i + j * n]! - (wr * vr - wi * vi);
      Ri.data[i + j * n] = Ri.data[i + j * n]! - (wr * vi + wi * vr);
    }
  }
  return norm1(Rr, Ri) / (norm1(A) * norm1(e.VReal, e.VImag) * n * EPS);
}

/** Grcar matrix: -1 on the subdiagonal, 1 on the diagonal and k superdiagonals (very non-normal). */
function grcar(n: number, k = 3): Matrix {
  const A = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) {
    if (i > 0) A.set(i, i - 1, -1);
    for (let d = 0; d <= k && i + d < n; d++) A.set(i, i + d, 1);
  }
  return A;
}

describe('eig: multishift QR (n >= 75) and blocked eigenvectors', () => {
  it("eigenvalues agree with numpy's on MINSTD matrices of order 120-400 (plain, graded, isolated)", () => {
    assert.ok(largeFixtures.length >= 5);
    for (const f of largeFixtures) {
      const A = minstd(f.n, f.seed, f.kind);
      const v = eigvals(A);
      const scale = maxModulus(f.wr, f.wi);
      const d = multisetDistance(v.wReal, v.wImag, f.wr, f.wi);
      assert.ok(d <= 1e-12 * scale, `${f.name}: eigenvalues differ from numpy's by ${d / scale} (relative)`);
      // eig: the same eigenvalues (same shifts and deflations, with or without vectors) and
      // a small residual.
      const e = eig(A);
      assert.ok(multisetDistance(e.wReal, e.wImag, f.wr, f.wi) <= 1e-12 * scale, f.name);
      const res = residual1(A, e);
      assert.ok(res < 30, `${f.name}: residual ratio ${res}`);
      checkStructure(e, f.n, 10 * f.n * EPS, f.name);
    }
  });

  for (const backend of BACKEND_NAMES) {
    // The largest sizes on the default (first) backend only: the others share its code
    // above the gemm and are slower.
    const sizes = backend === 'js' ? [100] : backend === BACKEND_NAMES[0] ? [100, 200, 350, 600] : [100, 250];
    it(`residual ||AV - VD|| / (||A|| ||V|| n eps) < 30 on random matrices, n = ${sizes.join(', ')} (${backend})`, () => withBackend(backend, () => {
      for (const n of sizes) {
        const A = Matrix.random(n, n, { seed: 100 + n, distribution: 'normal' });
        const e = eig(A);
        const res = residual1(A, e);
        assert.ok(res < 30, `n = ${n}: residual ratio ${res}`);
        checkStructure(e, n, 10 * n * EPS, `random ${n}`);
        const v = eigvals(A);
        const d = multisetDistance(v.wReal, v.wImag, e.wReal, e.wImag);
        assert.ok(d <= 1e-11 * maxModulus(e.wReal, e.wImag), `n = ${n}: eigvals and eig differ by ${d}`);
        let tr = 0;
        let sw = 0;
        for (let i = 0; i < n; i++) {
          tr += A.get(i, i);
          sw += e.wReal[i]!;
        }
        assert.ok(Math.abs(tr - sw) < 1e-9 * n, `n = ${n}: trace ${tr} vs ${sw}`);
      }
    }));
  }

  it('orthogonal (all eigenvalues on the unit circle), Grcar (non-normal) and repeated-block matrices', () => {
    const n = 180;
    const Q = randomOrthonormal(n, n, 21);
    const eq = eig(Q);
    assert.ok(residual1(Q, eq) < 30, `orthogonal: ${residual1(Q, eq)}`);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(Math.hypot(eq.wReal[i]!, eq.wImag[i]!) - 1) < 1e-12, `|lambda_${i}| != 1`);
    checkStructure(eq, n, 10 * n * EPS, 'orthogonal');
    const G = grcar(200);
    const eg = eig(G);
    assert.ok(residual1(G, eg) < 30, `grcar: ${residual1(G, eg)}`);
    checkStructure(eg, 200, 2000 * EPS, 'grcar');
    // 60 copies of the rotation-scaling block [1 -2; 2 1] behind a random similarity: one
    // eigenvalue pair of multiplicity 60 (semisimple), heavily clustered.
    const m = 120;
    const B = Matrix.zeros(m, m);
    for (let i = 0; i < m; i += 2) {
      B.set(i, i, 1);
      B.set(i + 1, i + 1, 1);
      B.set(i, i + 1, -2);
      B.set(i + 1, i, 2);
    }
    const P = randomOrthonormal(m, m, 22);
    const C = matmul(matmul(P, B), P, { transB: true });
    const ec = eig(C);
    for (const x of [...ec.VReal.data, ...ec.VImag.data]) assert.ok(Number.isFinite(x));
    assert.ok(residual1(C, ec) < 30, `repeated: ${residual1(C, ec)}`);
    for (let i = 0; i < m; i++) assert.ok(Math.hypot(ec.wReal[i]! - 1, Math.abs(ec.wImag[i]!) - 2) < 1e-12, `repeated: lambda_${i}`);
  });

  it('blocked trevc gives the unblocked vectors at every block size (block edges at 2 x 2 blocks)', () => {
    const n = 90;
    const { T, Z } = schur(Matrix.random(n, n, { seed: 31, distribution: 'normal' }));
    let pairs = 0;
    for (let i = 0; i + 1 < n; i++) if (T.get(i + 1, i) !== 0) pairs++;
    assert.ok(pairs > 10, 'the test matrix should have complex pairs');
    // trevc asks its workspace for X only: plain arrays (gemm copies them into the heap).
    const ws = { f64: (k: number) => new Float64Array(k) } as unknown as Parameters<typeof trevc>[10];
    const vectors = (nb: number): Float64Array => {
      const V = new Float64Array(n * n);
      trevc(n, T.data, 0, n, Z.data, 0, n, V, 0, n, ws, nb);
      return V;
    };
    const ref = vectors(n); // one block: dtrevc's unblocked recurrence
    for (const nb of [1, 2, 3, 7, 16]) {
      const V = vectors(nb);
      let worst = 0;
      for (let i = 0; i < n * n; i++) worst = Math.max(worst, Math.abs(V[i]! - ref[i]!));
      assert.ok(worst < 1e-12, `nb = ${nb}: vectors differ by ${worst}`);
    }
  });
});

describe('eig: errors', () => {
  it('rejects non-square input with ShapeError', () => {
    assert.throws(() => eig(Matrix.zeros(2, 3)), ShapeError);
    assert.throws(() => eigvals(Matrix.zeros(3, 0)), ShapeError);
  });
  it('rejects NaN and Inf with NonFiniteInputError', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const A = Matrix.random(4, 4, { seed: 1 });
      A.data[6] = bad;
      assert.throws(() => eig(A), NonFiniteInputError);
      assert.throws(() => eigvals(A), NonFiniteInputError);
    }
  });
  it('lahqr reports non-convergence (as hseqr turns into ConvergenceError) instead of hanging', () => {
    // A NaN injected directly into the Hessenberg kernel never deflates: the iteration cap ends it.
    const n = 4;
    const H = new Float64Array(n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i <= Math.min(j + 1, n - 1); i++) H[i + j * n] = 1 + i + j;
    H[1] = NaN;
    const H2 = Float64Array.from(H);
    const info = lahqr(false, false, n, 0, n - 1, H, 0, n, new Float64Array(n), new Float64Array(n), 0, n - 1, H, 0, n);
    assert.ok(info > 0);
    assert.throws(() => hseqr(true, false, n, 0, n - 1, H2, 0, n, new Float64Array(n), new Float64Array(n), H2, 0, n), ConvergenceError);
  });
});
