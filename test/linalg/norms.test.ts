import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { NonFiniteInputError, ShapeError } from '../../src/errors.js';
import * as lstsqModule from '../../src/linalg/lstsq.js';
import { cond, norm } from '../../src/linalg/norms.js';
import { Matrix } from '../../src/matrix/matrix.js';
import { geometric, withSingularValues } from './gallery.js';

interface Case { kind: string; name: string; A: number[][]; norm2: number; cond?: number }
const fixtures = JSON.parse(readFileSync(new URL('../fixtures/solve/cases.json', import.meta.url), 'utf8')) as Case[];

describe('norm, cond', () => {
  it('agree with numpy on square, tall, wide and rank-deficient matrices', () => {
    for (const c of fixtures) {
      const A = Matrix.from(c.A);
      assert.ok(Math.abs(norm(A, 2) - c.norm2) < 1e-13 * c.norm2, `${c.name} norm2`);
      if (c.kind === 'square') assert.ok(Math.abs(cond(A) - c.cond!) <= c.cond! * Math.max(1e-9, c.cond! * 1e-13), `${c.name} cond ${cond(A)} vs ${c.cond}`);
    }
  });

  it('the singular-value norms of a planted spectrum, and the direct ones', () => {
    const s = geometric(12, 1e6).map((v) => 3 * v);
    const A = withSingularValues(20, 12, s, 4);
    const close = (a: number, b: number, label: string): void => assert.ok(Math.abs(a - b) <= 1e-12 * Math.abs(b), `${label}: ${a} vs ${b}`);
    close(norm(A, 2), 3, '2');
    // Singular values are accurate to eps ||A|| absolutely (the planted A itself is rounded
    // that much), so s_min = 3e-6 and cond only to about eps cond relatively.
    const abs = 30 * 20 * 2 ** -52 * 3;
    assert.ok(Math.abs(norm(A, -2) - 3e-6) <= abs, `-2: ${norm(A, -2)}`);
    close(norm(A, 'nuc'), s.reduce((t, v) => t + v, 0), 'nuc');
    close(norm(A), Math.sqrt(s.reduce((t, v) => t + v * v, 0)), 'fro');
    assert.ok(Math.abs(cond(A) - 1e6) <= 1e6 * (abs / 3e-6), `cond: ${cond(A)}`);
    for (const kind of [1, 'inf', 'max', 'fro'] as const) assert.equal(norm(A, kind), A.norm(kind), String(kind));
  });

  it('edge cases: singular, empty, non-finite', () => {
    assert.equal(cond(Matrix.from([[1, 0], [0, 0]])), Infinity);
    assert.ok(Number.isNaN(cond(Matrix.zeros(0, 3))));
    assert.equal(norm(Matrix.zeros(0, 3), 2), 0);
    assert.equal(norm(Matrix.zeros(3, 0), 'nuc'), 0);
    assert.throws(() => norm(Matrix.zeros(0, 3), -2), ShapeError);
    assert.equal(norm(Matrix.from([[3, 0], [0, -4]]), 'nuc'), 7);
    assert.equal(norm(Matrix.from([[3, 0], [0, -4]]), -2), 3);
    assert.throws(() => norm(Matrix.from([[1, Infinity]]), 2), NonFiniteInputError);
    assert.throws(() => cond(Matrix.from([[NaN]])), NonFiniteInputError);
  });

  it('are still importable from lstsq.js, where they used to live', () => {
    assert.equal(lstsqModule.norm, norm);
    assert.equal(lstsqModule.cond, cond);
  });
});
