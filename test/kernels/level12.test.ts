// Level-1/2 kernels and syrk on every backend, on WASM-resident arrays (so the WASM code
// runs in place) and on ordinary arrays; scaled nrm2 at the extremes of the f64 range.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kernels } from '../../src/kernels/index.js';
import type { DType, FloatArray } from '../../src/matrix/dtype.js';
import { BACKEND_NAMES, randomArray, releaseAll, rng, withBackend } from '../helpers.js';

const DTYPES: DType[] = ['float64', 'float32'];
const tolOf = (d: DType) => (d === 'float32' ? 2e-6 : 1e-14);

function idx(n: number, i: number, off: number, inc: number): number {
  return inc > 0 ? off + i * inc : off + (n - 1 - i) * -inc;
}

for (const backend of BACKEND_NAMES) {
  for (const dtype of DTYPES) {
    for (const resident of [true, false]) {
      test(`level 1 ${backend} ${dtype} resident=${resident}: dot, axpy, scal, nrm2 with strides`, () => {
        withBackend(backend, () => {
          const r = rng(3);
          for (const n of [0, 1, 2, 3, 7, 8, 9, 33, 100]) {
            for (const [incx, incy] of [[1, 1], [2, 1], [1, -1], [-2, 3]]) {
              const x = randomArray(dtype, 1 + (n + 1) * Math.abs(incx!), r, resident);
              const y = randomArray(dtype, 1 + (n + 1) * Math.abs(incy!), r, resident);
              const xv = (i: number) => x[idx(n, i, 1, incx!)]!;
              const yv = (i: number) => y[idx(n, i, 1, incy!)]!;
              let d = 0, sa = 0, ss = 0;
              for (let i = 0; i < n; i++) { d += xv(i) * yv(i); sa += Math.abs(xv(i) * yv(i)); ss += xv(i) ** 2; }
              assert.ok(Math.abs(kernels().dot(n, x, 1, incx!, y, 1, incy!) - d) <= tolOf(dtype) * (sa + 1e-300) * 4, 'dot');
              if (incx! > 0) assert.ok(Math.abs(kernels().nrm2(n, x, 1, incx!) - Math.sqrt(ss)) <= tolOf(dtype) * (Math.sqrt(ss) + 1e-300) * 4, 'nrm2');
              const y0 = Array.from({ length: n }, (_, i) => yv(i));
              const before = Float64Array.from(y);
              kernels().axpy(n, -0.75, x, 1, incx!, y, 1, incy!);
              for (let i = 0; i < n; i++) assert.ok(Math.abs(yv(i) - (y0[i]! - 0.75 * xv(i))) <= tolOf(dtype) * 4, 'axpy');
              assert.equal(y[0], before[0], 'axpy writes only its elements');
              if (incx! > 0) {
                const x0 = Array.from({ length: n }, (_, i) => xv(i));
                kernels().scal(n, 3, x, 1, incx!);
                for (let i = 0; i < n; i++) assert.ok(Math.abs(xv(i) - 3 * x0[i]!) <= tolOf(dtype) * 8, 'scal');
              }
              releaseAll(x, y);
            }
          }
        });
      });

      test(`gemv and syrk ${backend} ${dtype} resident=${resident}`, () => {
        withBackend(backend, () => {
          const r = rng(11);
          for (const [m, n] of [[1, 1], [5, 3], [17, 33], [64, 9], [0, 4], [4, 0]]) {
            for (const trans of [false, true]) {
              for (const [incx, incy] of [[1, 1], [2, -1]]) {
                const lda = m! + 2;
                const A = randomArray(dtype, lda * n! + 1, r, resident);
                const lx = trans ? m! : n!, ly = trans ? n! : m!;
                const x = randomArray(dtype, 1 + lx * Math.abs(incx!), r, resident);
                const y = randomArray(dtype, 1 + ly * Math.abs(incy!), r, resident);
                const yOld = Array.from({ length: ly }, (_, i) => y[idx(ly, i, 0, incy!)]!);
                kernels().gemv(trans, m!, n!, 1.5, A, 0, lda, x, 0, incx!, -0.5, y, 0, incy!);
                for (let i = 0; i < ly; i++) {
                  let s = 0, sa = 0;
                  for (let p = 0; p < lx; p++) {
                    const a = trans ? A[p + i * lda]! : A[i + p * lda]!;
                    s += a * x[idx(lx, p, 0, incx!)]!;
                    sa += Math.abs(a);
                  }
                  const want = 1.5 * s - 0.5 * yOld[i]!;
                  assert.ok(Math.abs(y[idx(ly, i, 0, incy!)]! - want) <= tolOf(dtype) * (sa + 2) * 4, `gemv ${m}x${n} trans=${trans}`);
                }
                releaseAll(A, x, y);
              }
            }
          }
          for (const [n, k] of [[1, 1], [7, 3], [70, 33], [130, 5]]) {
            for (const trans of [false, true]) {
              for (const uplo of ['L', 'U'] as const) {
                const lda = (trans ? k! : n!) + 1;
                const A = randomArray(dtype, lda * (trans ? n! : k!), r, resident);
                const C = randomArray(dtype, (n! + 1) * n!, r, resident);
                const C0 = Float64Array.from(C);
                kernels().syrk(uplo, trans, n!, k!, 2, A, 0, lda, 0.5, C, 0, n! + 1);
                const op = (i: number, p: number) => (trans ? A[p + i * lda]! : A[i + p * lda]!);
                for (let j = 0; j < n!; j++) for (let i = 0; i < n!; i++) {
                  const c = i + j * (n! + 1);
                  const inTri = uplo === 'L' ? i >= j : i <= j;
                  if (!inTri) { assert.equal(C[c], C0[c], 'other triangle untouched'); continue; }
                  let s = 0;
                  for (let p = 0; p < k!; p++) s += op(i, p) * op(j, p);
                  assert.ok(Math.abs(C[c]! - (2 * s + 0.5 * C0[c]!)) <= tolOf(dtype) * (k! + 2) * 8, `syrk ${uplo} trans=${trans}`);
                }
                releaseAll(A, C);
              }
            }
          }
        });
      });
    }
  }

  test(`nrm2 ${backend}: no overflow at 1e300, no underflow at 1e-300, subnormals, NaN, Inf`, () => {
    withBackend(backend, () => {
      for (const resident of [true, false]) {
        const make = (vals: number[]): FloatArray => {
          const a = randomArray('float64', vals.length, rng(0), resident);
          a.set(vals);
          return a;
        };
        const cases: [number[], number][] = [
          [[3e300, 4e300], 5e300],
          [[3e-300, 4e-300], 5e-300],
          [[3e-320, 4e-320], 5e-320],
          [[1e300, 1e-300, 1], 1e300],
          [[1.5e154, 2e154], 2.5e154],
          [[1.7976931348623157e308, 1.7976931348623157e308], Infinity],
          [[0, 0, 0], 0],
          [[1, NaN, 2], NaN],
          [[1, Infinity, 2], Infinity],
        ];
        for (const [vals, want] of cases) {
          const x = make(vals);
          const got = kernels().nrm2(vals.length, x, 0, 1);
          if (Number.isNaN(want)) assert.ok(Number.isNaN(got));
          else if (!Number.isFinite(want) || want === 0) assert.equal(got, want);
          else assert.ok(Math.abs(got - want) <= 4e-16 * want * 4 + (want < 1e-307 ? 1e-322 : 0), `nrm2(${vals}) = ${got}, want ${want}`);
          releaseAll(x);
        }
        // Many tiny entries at the underflow edge add up correctly.
        const tiny = make(new Array(1000).fill(1e-160));
        assert.ok(Math.abs(kernels().nrm2(1000, tiny, 0, 1) / (1e-160 * Math.sqrt(1000)) - 1) <= 1e-13, "1000 entries of 1e-160");
        releaseAll(tiny);
      }
    });
  });
}

test('WASM and JS kernels agree to a few ulps', (t) => {
  const wasm = BACKEND_NAMES.filter((b) => b !== 'js');
  if (wasm.length === 0) return t.skip('no WASM backend here');
  const r = rng(5);
  const m = 37, n = 29, k = 41;
  const A = randomArray('float64', m * k, r), B = randomArray('float64', k * n, r);
  const res = (name: (typeof BACKEND_NAMES)[number]) => withBackend(name, () => {
    const C = new Float64Array(m * n);
    kernels().gemm(false, false, m, n, k, 1, A, 0, m, B, 0, k, 0, C, 0, m);
    return C;
  });
  const js = res('js');
  for (const b of wasm) {
    const w = res(b);
    for (let i = 0; i < js.length; i++) assert.ok(Math.abs(w[i]! - js[i]!) <= 64 * 2 ** -52 * k, `${b} vs js at ${i}`);
  }
});
