// Shared helpers of the I/O tests: fixture paths and expectations, exact value comparison,
// temporary directories, and an optional python3 + numpy/scipy cross-check.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { Matrix } from '../../src/matrix/matrix.js';

export const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

/** A value as stored in expected.json: a number, or 'nan' / 'inf' / '-inf'. */
export type Cell = number | 'nan' | 'inf' | '-inf';

export interface Expected {
  npy: Record<string, { version: 1 | 2 | 3; descr: string; shape: number[]; fortranOrder: boolean; rows: number; cols: number; dtype: string; values: Cell[][] }>;
  npyErrors: Record<string, string>;
  mtx: Record<string, { format: string; field: string; symmetry: string; rows: number; cols: number; nnz: number; values: Cell[][] }>;
  mtxErrors: Record<string, { error: string; line: number }>;
  text: Record<string, { rows: number; cols: number; delimiter: string; columnNames?: string[]; values: Cell[][] }>;
}

export const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Expected;

/** Rows of a matrix with NaN and infinities spelled as in expected.json (so -0 and NaN compare exactly). */
export function cells(m: Matrix): Cell[][] {
  return m.toArray().map((r) => r.map((v): Cell => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v)));
}

/** Assert same shape and bitwise-equal values (NaN equals NaN, -0 differs from 0). */
export function assertSameMatrix(actual: Matrix, wanted: Matrix, message?: string): void {
  assert.deepEqual([actual.rows, actual.cols], [wanted.rows, wanted.cols], message);
  assert.deepEqual(cells(actual), cells(wanted), message);
}

/** A fresh temporary directory, removed when the test file finishes. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lowrank-io-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let python: boolean | undefined;

/** Whether `python3` with numpy and scipy can be run (cross-checks are skipped otherwise). */
export function hasPython(): boolean {
  python ??= spawnSync('python3', ['-c', 'import numpy, scipy'], { stdio: 'ignore' }).status === 0;
  return python;
}

/** Run a python3 snippet and parse the JSON it prints. */
export function runPython(code: string, ...args: string[]): unknown {
  const r = spawnSync('python3', ['-c', code, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Python source of a helper that turns an array into rows of `Cell`s (as JSON). */
export const PY_CELLS = `
import json, math, sys
import numpy as np
def cells(a):
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0: a = a.reshape(1, 1)
    if a.ndim == 1: a = a.reshape(-1, 1)
    def c(v):
        v = float(v)
        return 'nan' if math.isnan(v) else ('inf' if v > 0 else '-inf') if math.isinf(v) else v
    return [[c(v) for v in row] for row in a]
`;
