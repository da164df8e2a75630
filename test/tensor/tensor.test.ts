import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { InvalidArgumentError, ShapeError } from '../../src/errors.js';
import { matmul } from '../../src/linalg/matmul.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { Tensor } from '../../src/tensor/index.js';
import { cStrides, reshapeStrides } from '../../src/tensor/strided.js';

interface Arr {
  shape: number[];
  c: number[];
}
interface Case {
  T: Arr;
  f: number[];
  unfold: Arr[];
  modeProduct: { mode: number; U: Arr; Y: Arr }[];
  permute: { axes: number[]; Y: Arr }[];
  slice: { ranges: (number | [number, number] | null)[]; Y: Arr }[];
  reshape: { shape: number[]; Y: Arr }[];
  reshapePermuted: { axes: number[]; shape: number[]; Y: Arr };
  norm: number;
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/tensor/tensor.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** Relative max-difference of a tensor against a fixture array (same shape required). */
function assertClose(t: Tensor, want: Arr, tol = 1e-13, what = ''): void {
  assert.deepEqual([...t.shape], want.shape, `${what}: shape`);
  const got = t.toFlat('C');
  let scale = 0;
  for (const v of want.c) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < want.c.length; i++) {
    assert.ok(Math.abs(got[i]! - want.c[i]!) <= tol * Math.max(1, scale), `${what}: element ${i}: ${got[i]} vs ${want.c[i]}`);
  }
}

function matrixOf(a: Arr): Matrix {
  return Matrix.fromArray(a.c, a.shape[0]!, a.shape[1]!, { order: 'C' });
}

/** The fixture tensor in C order and, with the same values, stored in Fortran order. */
function bothOrders(c: Case): [string, Tensor][] {
  return [
    ['C', Tensor.fromArray(c.T.c, c.T.shape)],
    ['F', Tensor.fromArray(c.f, c.T.shape, { order: 'F' })],
  ];
}

test('fixtures: the Fortran-order tensor holds the same values as the C-order one', () => {
  for (const c of fx.cases) {
    const [tc, tf] = bothOrders(c).map(([, t]) => t);
    assert.ok(tc!.isContiguous('C') && !tc!.isContiguous('F'));
    assert.ok(tf!.isContiguous('F') && !tf!.isContiguous('C'));
    assert.deepEqual([...tf!.toFlat('C')], c.T.c);
    assert.deepEqual([...tc!.toFlat('F')], c.f);
    assert.deepEqual([...tf!.toFlat('F')], c.f);
  }
});

test('unfold and fold agree with numpy (np.moveaxis(T, k, 0).reshape(n_k, -1)), both orders', () => {
  for (const c of fx.cases) {
    for (const [order, T] of bothOrders(c)) {
      for (let k = 0; k < T.ndim; k++) {
        const M = T.unfold(k);
        assert.ok(M.isColumnMajor, 'unfold is column-major');
        assertClose(Tensor.fromMatrix(M), c.unfold[k]!, 0, `unfold(${k}) ${order}`);
        const back = Tensor.fold(matrixOf(c.unfold[k]!), k, c.T.shape);
        assertClose(back, c.T, 0, `fold(${k}) ${order}`);
        assert.ok(Tensor.fold(M, k, T.shape).equals(T, { rtol: 0 }));
        // fold reads any layout of the matrix, including a row-major view
        assert.ok(Tensor.fold(M.copy().transpose().copy().transpose(), k, T.shape).equals(T, { rtol: 0 }));
      }
    }
  }
});

test('modeProduct agrees with numpy tensordot, both orders and both dtypes', () => {
  for (const c of fx.cases) {
    for (const [order, T] of bothOrders(c)) {
      for (const mp of c.modeProduct) {
        const U = matrixOf(mp.U);
        assertClose(T.modeProduct(mp.mode, U), mp.Y, 1e-13, `modeProduct(${mp.mode}) ${order}`);
        const y32 = T.astype('float32').modeProduct(mp.mode, U.astype('float32'));
        assert.equal(y32.dtype, 'float32');
        assertClose(y32, mp.Y, 1e-5, `modeProduct(${mp.mode}) float32 ${order}`);
        // mixed dtypes promote to float64, as matmul
        assert.equal(T.astype('float32').modeProduct(mp.mode, U).dtype, 'float64');
      }
    }
  }
});

test('permute, slice and reshape agree with numpy, both orders', () => {
  for (const c of fx.cases) {
    for (const [order, T] of bothOrders(c)) {
      for (const p of c.permute) {
        const v = T.permute(p.axes);
        assert.equal(v.data, T.data, 'permute is a view');
        assertClose(v, p.Y, 0, `permute ${p.axes} ${order}`);
      }
      for (const s of c.slice) {
        const v = T.slice(s.ranges);
        assert.equal(v.data, T.data, 'slice is a view');
        assertClose(v, s.Y, 0, `slice ${JSON.stringify(s.ranges)} ${order}`);
      }
      for (const r of c.reshape) {
        const v = T.reshape(r.shape);
        if (order === 'C') assert.equal(v.data, T.data, 'reshape of a C-contiguous tensor is a view');
        assertClose(v, r.Y, 0, `reshape ${r.shape} ${order}`);
      }
      const rp = c.reshapePermuted;
      assertClose(T.permute(rp.axes).reshape(rp.shape), rp.Y, 0, `reshape of permuted ${order}`);
      assert.ok(Math.abs(T.norm() - c.norm) <= 1e-14 * c.norm);
    }
  }
});

test('the mode-product paths (slab GEMMs, one regrouped GEMM, last mode) agree with fold(U unfold)', () => {
  // Shapes chosen so each branch of modeProduct runs: R >= 64 (slabs), small R (regrouped), R = 1.
  const T = Tensor.random([3, 5, 4, 70], { seed: 1 });
  for (let k = 0; k < 4; k++) {
    const U = Matrix.random(6, T.shape[k]!, { seed: k, distribution: 'normal' });
    const want = Tensor.fold(matmul(U, T.unfold(k)), k, T.shape.map((n, a) => (a === k ? 6 : n)));
    const got = T.modeProduct(k, U);
    assert.ok(got.equals(want, { rtol: 1e-12, atol: 1e-12 }), `mode ${k}`);
    // a non-contiguous input (a permuted view) gives the same result
    const P = T.permute([3, 2, 1, 0]);
    const kp = 3 - k;
    assert.ok(P.modeProduct(kp, U).equals(want.permute([3, 2, 1, 0]), { rtol: 1e-12, atol: 1e-12 }), `permuted mode ${kp}`);
  }
  // negative mode counts from the end; a transposed U is used as given
  const U = Matrix.random(70, 2, { seed: 3 }).transpose();
  assert.ok(T.modeProduct(-1, U).equals(T.modeProduct(3, U.copy())));
});

test('bad inputs: ShapeError for shapes that do not fit, InvalidArgumentError naming axis and value', () => {
  const T = Tensor.zeros([2, 3, 4]);
  assert.throws(() => T.modeProduct(1, Matrix.zeros(5, 4)), (e: Error) => e instanceof ShapeError && /mode 1 has length 3/.test(e.message));
  assert.throws(() => T.modeProduct(3, Matrix.zeros(5, 4)), (e: Error) => e instanceof InvalidArgumentError && /got 3/.test(e.message));
  assert.throws(() => T.unfold(-4), InvalidArgumentError);
  assert.throws(() => Tensor.fold(Matrix.zeros(3, 7), 1, [2, 3, 4]), (e: Error) => e instanceof ShapeError && /3 x 8, got 3 x 7/.test(e.message));
  assert.throws(() => T.permute([0, 0, 1]), (e: Error) => e instanceof InvalidArgumentError && /axis 0 appears twice/.test(e.message));
  assert.throws(() => T.permute([0, 1]), InvalidArgumentError);
  assert.throws(() => T.slice([0, [1, 4]]), (e: Error) => e instanceof InvalidArgumentError && /axis 1 of length 3/.test(e.message));
  assert.throws(() => T.slice([0, 0, 0]), (e: Error) => e instanceof InvalidArgumentError && /get\(\[0, 0, 0\]\)/.test(e.message));
  assert.throws(() => T.get([0, 3, 0]), (e: Error) => e instanceof InvalidArgumentError && /index 3 is outside axis 1 of length 3/.test(e.message));
  assert.throws(() => T.get([0, 0]), InvalidArgumentError);
  assert.throws(() => T.reshape([5, -1]), ShapeError);
  assert.throws(() => T.reshape([-1, -1]), InvalidArgumentError);
  assert.throws(() => T.reshape([4, 7]), ShapeError);
  assert.throws(() => Tensor.zeros([]), (e: Error) => e instanceof InvalidArgumentError && /0-d/.test(e.message));
  assert.throws(() => Tensor.zeros([2, 1.5]), (e: Error) => e instanceof InvalidArgumentError && /axis 1/.test(e.message));
  assert.throws(() => Tensor.fromArray([1, 2, 3], [2, 2]), ShapeError);
  assert.throws(() => Tensor.fromArray([1, 'x' as unknown as number], [2]), (e: Error) => e instanceof InvalidArgumentError && /element 1/.test(e.message));
  assert.throws(() => new Tensor(new Float64Array(5), [2, 3]), (e: Error) => e instanceof InvalidArgumentError && /needs 6 elements, storage has 5/.test(e.message));
  assert.throws(() => new Tensor(new Float64Array(6), [2, 3], [3]), InvalidArgumentError);
  assert.throws(() => T.add(Tensor.zeros([2, 4, 3])), ShapeError);
  assert.throws(() => Tensor.fromFunction([2], () => 'a' as unknown as number), (e: Error) => e instanceof InvalidArgumentError && /f\(\[0\]\)/.test(e.message));
});

test('construction: zeros, fromArray orders, fromFunction, fromMatrix view, random is seeded normal', () => {
  const T = Tensor.fromFunction([2, 3, 4], ([i, j, k]) => 100 * i! + 10 * j! + k!);
  assert.equal(T.get([1, 2, 3]), 123);
  assert.equal(T.get([-1, -1, -1]), 123);
  assert.deepEqual(T.toNested(), [0, 1].map((i) => [0, 1, 2].map((j) => [0, 1, 2, 3].map((k) => 100 * i + 10 * j + k))));
  assert.deepEqual([...T.strides], [12, 4, 1]);
  const F = Tensor.fromArray(T.toFlat('F'), [2, 3, 4], { order: 'F' });
  assert.deepEqual([...F.strides], [1, 2, 6]);
  assert.ok(F.equals(T, { rtol: 0 }));
  const M = Matrix.from([[1, 2, 3], [4, 5, 6]]);
  const tm = Tensor.fromMatrix(M);
  assert.equal(tm.data, M.data);
  assert.deepEqual(tm.toNested(), [[1, 2, 3], [4, 5, 6]]);
  tm.set([1, 2], 60);
  assert.equal(M.get(1, 2), 60);
  const R = Tensor.random([30, 40, 50], { seed: 5 });
  assert.ok(Tensor.random([30, 40, 50], { seed: 5 }).equals(R, { rtol: 0 }));
  const mean = R.sum() / R.size;
  const varc = R.dot(R) / R.size - mean * mean;
  assert.ok(Math.abs(mean) < 0.02 && Math.abs(varc - 1) < 0.03, `mean ${mean}, var ${varc}`);
  assert.equal(Tensor.zeros([2, 2], { dtype: 'float32' }).dtype, 'float32');
  assert.equal(Tensor.fromArray(new Float32Array(4), [4]).dtype, 'float32');
  assert.equal(Tensor.zeros([3, 0, 2]).size, 0);
  assert.equal(Tensor.zeros([3, 0, 2]).unfold(1).shape.join(), '0,6');
});

test('norm is scaled: no overflow near 1e300, no underflow near 1e-300; NaN and Inf propagate', () => {
  const big = Tensor.fromArray([3e300, 4e300, 0, 0], [2, 2]);
  assert.ok(Math.abs(big.norm() / 5e300 - 1) < 1e-15);
  const tiny = Tensor.fromArray([3e-300, 4e-300], [2]);
  assert.ok(Math.abs(tiny.norm() / 5e-300 - 1) < 1e-15);
  const sub = Tensor.fromArray([3e-320, 4e-320], [2]);
  assert.ok(Math.abs(sub.norm() / 5e-320 - 1) < 1e-3);
  assert.equal(Tensor.zeros([3, 3]).norm(), 0);
  assert.ok(Number.isNaN(Tensor.fromArray([1, NaN, Infinity], [3]).norm()));
  assert.equal(Tensor.fromArray([1, -Infinity], [2]).norm(), Infinity);
  assert.ok(!Tensor.fromArray([1, -Infinity], [2]).isFinite());
  assert.ok(!Tensor.fromArray([1, NaN], [2]).isFinite());
  assert.ok(Tensor.fromArray([1, 2], [2]).isFinite());
});

test('toString shows the header and elides long axes', () => {
  const s = Tensor.fromFunction([2, 2, 10], ([i, j, k]) => i! + j! + k!).toString();
  assert.match(s, /^Tensor 2x2x10 float64\n/);
  assert.match(s, /\.\.\./);
  assert.equal(Tensor.zeros([0, 3]).toString(), 'Tensor 0x3 float64 []');
});

// ------------------------------------------------------------------ properties

/** A random shape of 1..5 axes with lengths 1..5, and a random permutation of its axes. */
const shapeArb = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 5 });
const layoutArb = shapeArb.chain((shape) =>
  fc.record({
    shape: fc.constant(shape),
    perm: fc.shuffledSubarray([...shape.keys()], { minLength: shape.length, maxLength: shape.length }),
    seed: fc.integer({ min: 0, max: 1000 }),
  }),
);

/** A tensor with the given shape but laid out through a permuted storage (a non-trivial view). */
function permutedView(shape: number[], perm: number[], seed: number): Tensor {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  // storage shape s with s[i] = shape[perm[i]]; permuting by inv gives back `shape`
  return Tensor.random(perm.map((p) => shape[p]!), { seed }).permute(inv);
}

test('property: fold(unfold(k)) is the identity on any layout, and unfold matches element-wise', () => {
  fc.assert(
    fc.property(layoutArb, ({ shape, perm, seed }) => {
      const T = permutedView(shape, perm, seed);
      for (let k = 0; k < shape.length; k++) {
        const M = T.unfold(k);
        if (!Tensor.fold(M, k, shape).equals(T, { rtol: 0 })) return false;
        // spot-check: element (i_0..i_d) sits at row i_k, column = C-order index of the others
        const idx = shape.map((n, a) => (seed * (a + 3)) % n);
        let col = 0;
        for (let a = 0; a < shape.length; a++) if (a !== k) col = col * shape[a]! + idx[a]!;
        if (M.get(idx[k]!, col) !== T.get(idx)) return false;
      }
      return true;
    }),
    { numRuns: 150 },
  );
});

test('property: modeProduct with the identity is the identity, and composes (U2 U1) along one mode', () => {
  fc.assert(
    fc.property(layoutArb, ({ shape, perm, seed }) => {
      const T = permutedView(shape, perm, seed);
      for (let k = 0; k < shape.length; k++) {
        if (!T.modeProduct(k, Matrix.identity(shape[k]!)).equals(T, { rtol: 0, atol: 0 })) return false;
        const U1 = Matrix.random(3, shape[k]!, { seed: seed + k, distribution: 'normal' });
        const U2 = Matrix.random(2, 3, { seed: seed + 7, distribution: 'normal' });
        const a = T.modeProduct(k, U1).modeProduct(k, U2);
        const b = T.modeProduct(k, matmul(U2, U1));
        if (!a.equals(b, { rtol: 1e-12, atol: 1e-12 * (1 + T.norm()) })) return false;
      }
      return true;
    }),
    { numRuns: 100 },
  );
});

test('property: norm equals the norm of the flat copy; views share storage; copies do not', () => {
  fc.assert(
    fc.property(layoutArb, ({ shape, perm, seed }) => {
      const T = permutedView(shape, perm, seed);
      const flat = T.toFlat();
      let ss = 0;
      for (const v of flat) ss += v * v;
      if (Math.abs(T.norm() - Math.sqrt(ss)) > 1e-14 * Math.sqrt(ss)) return false;
      if (Math.abs(T.dot(T) - ss) > 1e-13 * ss) return false;
      const v = T.permute([...shape.keys()].reverse());
      const idx = shape.map(() => 0);
      v.set(idx, 42);
      if (T.get(idx) !== 42 || v.data !== T.data) return false;
      const s = T.slice(shape.map((n) => [n - 1, n] as const));
      s.set(idx, -7);
      if (T.get(shape.map((n) => n - 1)) !== -7) return false;
      const c = T.copy();
      c.set(idx, 1);
      return T.get(idx) === (T.size === 1 ? -7 : 42) && c.isContiguous() && T.contiguous() !== T === !T.isContiguous();
    }),
    { numRuns: 150 },
  );
});

test('property: reshape views whenever numpy would, and reads elements in C order', () => {
  fc.assert(
    fc.property(layoutArb, fc.integer({ min: 0, max: 3 }), ({ shape, perm, seed }, split) => {
      const T = permutedView(shape, perm, seed);
      // Target: the C-order element list regrouped as (a, rest) for some divisor a.
      const n = T.size;
      const divisors = [...Array(n).keys()].map((i) => i + 1).filter((a) => n % a === 0);
      const a = divisors[split % divisors.length]!;
      const R = T.reshape([a, -1]);
      if (R.shape[0] !== a || R.shape[1] !== n / a) return false;
      const want = T.toFlat();
      const got = R.toFlat();
      for (let i = 0; i < n; i++) if (got[i] !== want[i]) return false;
      // when a view was possible, it is one
      const st = reshapeStrides(T.shape, T.strides, [a, n / a]);
      return st === undefined ? true : R.data === T.data;
    }),
    { numRuns: 150 },
  );
  // C-contiguous: always a view with C strides
  const T = Tensor.random([2, 3, 4]);
  const R = T.reshape([4, 1, 6]);
  assert.equal(R.data, T.data);
  assert.deepEqual([...R.strides].filter((_, k) => R.shape[k] !== 1), cStrides([4, 6]));
  // a transposed 2-d tensor cannot be flattened without copying
  const P = T.reshape([6, 4]).permute([1, 0]);
  assert.notEqual(P.reshape([-1]).data, T.data);
});

test('arithmetic: add, sub, scale, mul, dot on mixed layouts', () => {
  const A = Tensor.random([3, 4, 5], { seed: 1 });
  const B = Tensor.random([5, 4, 3], { seed: 2 }).permute([2, 1, 0]);
  const s = A.add(B);
  const d = A.sub(B);
  for (const idx of [[0, 0, 0], [2, 3, 4], [1, 2, 3]]) {
    assert.equal(s.get(idx), A.get(idx) + B.get(idx));
    assert.equal(d.get(idx), A.get(idx) - B.get(idx));
    assert.equal(A.mul(B).get(idx), A.get(idx) * B.get(idx));
    assert.equal(A.scale(-2).get(idx), -2 * A.get(idx));
  }
  assert.ok(Math.abs(A.dot(B) - A.mul(B).sum()) < 1e-12);
});
