// eigh's input copy above the one-call small path (n > 64): the bulk copy of a column-major
// lower triangle with its sum-of-squares test must decide exactly what the element scan
// decides (scaling only outside dsyevd's safe range, errors naming the first NaN/Inf of the
// read triangle), so both routes give the same bits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NonFiniteInputError } from '../../src/errors.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { eigh, eigvalsh } from '../../src/linalg/eigh.js';

function symmetric(n: number, seed: number): Matrix {
  const A = Matrix.random(n, n, { seed, distribution: 'normal' });
  return A.add(A.T).scale(0.5);
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.fail(`${what}[${i}]: ${a[i]} != ${b[i]}`);
}

describe('eigh input copy (n > 64)', () => {
  it('a column-major input (bulk copy) and its row-major transpose (element scan) give the same bits', () => {
    for (const [n, scale] of [[80, 1], [97, 1e-150], [90, 1e150], [70, 1e-300], [75, 2e153]] as const) {
      const S = symmetric(n, n).scale(scale);
      const Sr = S.T; // the same symmetric matrix as a row-major view
      assert.equal(S.rowStride, 1);
      assert.notEqual(Sr.rowStride, 1);
      const a = eigh(S);
      const b = eigh(Sr);
      sameBits(a.w, b.w, `n=${n} scale=${scale} w`);
      sameBits(a.V.data, b.V.data, `n=${n} scale=${scale} V`);
      sameBits(eigvalsh(S), eigvalsh(Sr), `n=${n} scale=${scale} eigvalsh`);
      // Scaled problems: eigenvalues scale with the matrix.
      const w1 = eigvalsh(symmetric(n, n));
      for (let i = 0; i < n; i++) assert.ok(Math.abs(a.w[i]! / scale - w1[i]!) <= 1e-12 * Math.abs(w1[n - 1]!) * Math.max(1, n / 10), `n=${n} scale=${scale} w[${i}]`);
    }
  });

  it('names the first NaN or Inf of the lower triangle and ignores the upper one', () => {
    const n = 90;
    const S = symmetric(n, 3);
    const bad = S.copy();
    bad.set(70, 3, Number.NaN);
    assert.throws(() => eigh(bad), (e: unknown) => e instanceof NonFiniteInputError && /NaN at \(70, 3\)/.test(e.message));
    const inf = S.copy();
    inf.set(80, 80, Infinity);
    assert.throws(() => eigvalsh(inf), (e: unknown) => e instanceof NonFiniteInputError && /Infinity at \(80, 80\)/.test(e.message));
    const upperOnly = S.copy();
    upperOnly.set(3, 70, Number.NaN);
    sameBits(eigh(upperOnly).w, eigh(S).w, 'upper NaN ignored');
  });
});
