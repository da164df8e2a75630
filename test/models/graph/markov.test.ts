/**
 * Markov chains against numpy fixtures (test/fixtures/graph/, scripts/gen-graph-fixtures.py):
 * stationary distributions of an irreducible, a periodic and a transient-state chain by both
 * methods, the reducible chain's error, communicating classes and periods, PageRank against
 * a numpy power iteration, properties on random chains, and bad input.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { InvalidArgumentError, ShapeError } from '../../../src/errors.js';
import { readSparseSync } from '../../../src/io/sparse-io.js';
import { Matrix } from '../../../src/matrix/matrix.js';
import { communicatingClasses, pagerank, stationaryDistribution } from '../../../src/models/graph/markov.js';
import { rng } from '../../../src/random.js';
import { CscMatrix } from '../../../src/sparse/csc.js';
import { CsrMatrix } from '../../../src/sparse/csr.js';

const FIX = new URL('../../fixtures/graph/', import.meta.url);
const mtx = (name: string): CsrMatrix => (readSparseSync(new URL(name, FIX).pathname) as CsrMatrix | CscMatrix).toCsr();
const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, FIX), 'utf8')) as T;

/** max_i |a_i - b_i| / max_i |b_i|. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    e = Math.max(e, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return e / s;
}

/** A random row-stochastic n x n chain with `perRow` transitions per row, plus a ring (irreducible). */
function randomChain(n: number, perRow: number, seed: number, ring = true): CsrMatrix {
  const r = rng(seed);
  const row: number[] = [];
  const col: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < n; i++) {
    const vals: [number, number][] = [];
    for (let t = 0; t < perRow; t++) vals.push([r.nextInt(n), r.nextDouble() + 0.05]);
    if (ring) vals.push([(i + 1) % n, 0.1]);
    const s = vals.reduce((a, v) => a + v[1], 0);
    for (const [j, v] of vals) {
      row.push(i);
      col.push(j);
      val.push(v / s);
    }
  }
  return CsrMatrix.fromCoo(row, col, val, n, n);
}

describe('stationaryDistribution', () => {
  const fx = fixture<Record<string, { pi: number[]; period: number; transient?: number[] }>>('stationary.json');

  test('numpy fixtures: irreducible, periodic (period 2), transient states; direct (GTH) and Arnoldi agree to 1e-10', () => {
    for (const [file, want] of Object.entries(fx)) {
      const P = mtx(file);
      for (const method of ['direct', 'arnoldi'] as const) {
        const r = stationaryDistribution(P, { method });
        assert.ok(relErr(r.pi, want.pi) < 1e-10, `${file} ${method}: error ${relErr(r.pi, want.pi)}`);
        assert.equal(r.period, want.period, `${file} period`);
        assert.deepEqual(Array.from(r.transient), want.transient ?? []);
        assert.ok(r.residual < 1e-12, `${file} ${method}: residual ${r.residual}`);
        let s = 0;
        for (const v of r.pi) {
          assert.ok(v >= 0);
          s += v;
        }
        assert.ok(Math.abs(s - 1) < 1e-14);
      }
    }
  });

  test('a reducible chain with two closed classes is an error naming them; communicatingClasses lists classes, closedness and periods', () => {
    const P = mtx('chain-reducible-6.mtx');
    assert.throws(() => stationaryDistribution(P), (e: Error) => e instanceof InvalidArgumentError && /reducible with 2 closed classes \(\{0, 1, 2\}, \{3, 4\}\)/.test(e.message));
    const c = communicatingClasses(P);
    assert.deepEqual(c.classes.map((x) => Array.from(x)), [[0, 1, 2], [3, 4], [5]]);
    assert.deepEqual(c.closed, [true, true, false]);
    assert.deepEqual(c.periods, [1, 1, 1]);
    assert.deepEqual(Array.from(c.labels), [0, 0, 0, 1, 1, 2]);
  });

  test('periodic chains: a pure cycle (period n) and a bipartite chain; the lazy chain gives the same pi', () => {
    for (const n of [7, 250]) {
      const P = CsrMatrix.fromCoo(Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => (i + 1) % n), 1, n, n);
      for (const method of ['direct', 'arnoldi'] as const) {
        const r = stationaryDistribution(P, { method });
        assert.equal(r.period, n);
        for (const v of r.pi) assert.ok(Math.abs(v - 1 / n) < 1e-13, `${method}: ${v}`);
      }
    }
  });

  test('random chains (property): pi P = pi, pi >= 0, sum 1; GTH and Arnoldi agree; dense, CSR and CSC inputs agree', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 260 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 1e6 }), (n, perRow, seed) => {
        const P = randomChain(n, perRow, seed);
        const a = stationaryDistribution(P, { method: 'direct' });
        const b = stationaryDistribution(P.toCsc(), { method: 'arnoldi', seed });
        const c = stationaryDistribution(P.toDense());
        assert.ok(relErr(b.pi, a.pi) < 1e-9, `n ${n}: ${relErr(b.pi, a.pi)}`);
        assert.ok(relErr(c.pi, a.pi) < 1e-12);
        assert.ok(a.residual < 1e-13 && b.residual < 1e-11);
      }),
      { numRuns: 25, seed: 7 },
    );
  });

  test('bad input: not square, negative, rows not summing to 1 (naming the row), empty, unknown option', () => {
    assert.throws(() => stationaryDistribution(Matrix.zeros(2, 3)), ShapeError);
    assert.throws(() => stationaryDistribution(Matrix.from([[0.5, 0.5], [0.3, 0.6]])), (e: Error) => e instanceof InvalidArgumentError && /not stochastic: row 1 sums to 0\.(9|8999)/.test(e.message));
    assert.throws(() => stationaryDistribution(Matrix.from([[1, 0], [0, 0]])), /row 1 sums to 0.*absorbing/);
    assert.throws(() => stationaryDistribution(Matrix.from([[1.5, -0.5], [0, 1]])), /negative/);
    assert.throws(() => stationaryDistribution(Matrix.zeros(0, 0)), /no states/);
    assert.throws(() => stationaryDistribution(Matrix.identity(2), { damping: 0.5 } as never), /unknown option 'damping'/);
    // Rounded text files: rows within rowSumTol pass.
    const r = stationaryDistribution(Matrix.from([[0.333333, 0.666667], [0.5, 0.5]]));
    assert.ok(Math.abs(r.pi[0]! - 0.428571) < 1e-5);
  });
});

describe('pagerank', () => {
  const fx = fixture<{ file: string; default: number[]; 'damping_0.5': number[]; personalization: number[]; personalized: number[] }>('pagerank.json');

  test('a numpy power iteration (networkx semantics: dangling vertices teleport): default, damping 0.5, personalized', () => {
    const A = mtx(fx.file);
    const r = pagerank(A);
    assert.ok(relErr(r.scores, fx.default) < 1e-10, `${relErr(r.scores, fx.default)}`);
    assert.ok(relErr(pagerank(A, { damping: 0.5 }).scores, fx['damping_0.5']) < 1e-10);
    assert.ok(relErr(pagerank(A.toDense(), { personalization: fx.personalization }).scores, fx.personalized) < 1e-10);
    assert.ok(r.delta <= 1e-12 && r.iterations > 10);
  });

  test('is the stationary distribution of the Google chain d P + (1 - d) 1 p^T (dense, built here)', () => {
    const A = mtx(fx.file).toDense();
    const n = A.rows;
    const d = 0.85;
    const G = Matrix.zeros(n, n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A.get(i, j);
      for (let j = 0; j < n; j++) G.set(i, j, s > 0 ? d * A.get(i, j) / s + (1 - d) / n : 1 / n);
    }
    const pi = stationaryDistribution(G).pi;
    assert.ok(relErr(pagerank(A).scores, pi) < 1e-10);
  });

  test('bad input', () => {
    assert.throws(() => pagerank(Matrix.zeros(2, 3)), ShapeError);
    assert.throws(() => pagerank(Matrix.identity(2), { damping: 1 }), /option 'damping'/);
    assert.throws(() => pagerank(Matrix.identity(3), { personalization: [1, 2] }), ShapeError);
    assert.throws(() => pagerank(Matrix.identity(2), { personalization: [0, 0] }), /sum to 0/);
    assert.throws(() => pagerank(Matrix.from([[0, -1], [1, 0]])), /negative/);
  });
});
