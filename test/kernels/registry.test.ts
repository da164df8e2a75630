// The kernel registry (src/kernels/registry.ts): one rule picks each routine's backend, and
// every kernel module goes through it rather than rolling its own dispatch.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { activeWasm, setBackend } from '../../src/kernels/index.js';
import { defineKernel, kernelRoutines, wasmFor } from '../../src/kernels/registry.js';
import type { WasmKernels } from '../../src/kernels/wasm-kernels.js';
import '../../src/kernels/als.js';
import '../../src/kernels/getrf.js';
import '../../src/kernels/laswp.js';
import '../../src/kernels/nmf.js';
import '../../src/kernels/sgd.js';
import '../../src/kernels/sparse.js';
import '../../src/kernels/symv.js';
import '../../src/kernels/tridiag.js';
import '../../src/kernels/latrd.js';

const ran: string[] = [];
const probe = defineKernel<[x: Float64Array, y: Float64Array, scale: number], string>({
  name: 'test_probe',
  wasm: (w, x) => {
    ran.push('wasm');
    assert.ok(w.heap.owns(x));
    return w.name;
  },
  js: () => {
    ran.push('js');
    return 'js';
  },
});

test('the rule: WASM when a WASM backend is active and every operand lives in its memory, else TypeScript', (t) => {
  const w = activeWasm();
  if (!w) return t.skip('no WASM backend here');
  const x = w.alloc('float64', 4) as Float64Array;
  const y = w.alloc('float64', 4) as Float64Array;
  try {
    assert.equal(probe(x, y, 2), w.name, 'both operands resident');
    assert.equal(probe(x, new Float64Array(4), 2), 'js', 'one operand outside');
    assert.equal(wasmFor(x, y), w);
    assert.equal(wasmFor(x, new Float64Array(1)), undefined);
    setBackend('js');
    try {
      assert.equal(probe(x, y, 2), 'js', 'the TypeScript backend runs TypeScript even on resident arrays');
      assert.equal(wasmFor(), undefined);
    } finally {
      setBackend('auto');
    }
    assert.deepEqual(ran, ['wasm', 'js', 'js']);
  } finally {
    w.release(x);
    w.release(y);
  }
});

test('a routine may choose its module itself (operands that carry theirs, a size threshold)', (t) => {
  const w = activeWasm();
  if (!w) return t.skip('no WASM backend here');
  const chosen: (WasmKernels | undefined)[] = [];
  const own = defineKernel<[n: number, carried: WasmKernels | undefined], string>({
    name: 'test_select',
    select: (n, carried) => (n >= 10 ? carried : undefined),
    wasm: (m) => {
      chosen.push(m);
      return 'wasm';
    },
    js: () => 'js',
  });
  setBackend('js');
  try {
    assert.equal(own(10, w), 'wasm', 'the carried module runs whatever backend is active');
    assert.equal(own(9, w), 'js');
    assert.equal(own(10, undefined), 'js');
  } finally {
    setBackend('auto');
  }
  assert.deepEqual(chosen, [w]);
});

test('names identify routines: a second definition is refused', () => {
  assert.throws(() => defineKernel({ name: 'test_probe', wasm: () => 0, js: () => 0 }), /defined twice/);
});

test('every kernel module defines its routines through the registry', () => {
  const names = kernelRoutines();
  for (const name of ['als', 'getrf', 'laswp', 'nmf_cd_sweep', 'nmf_mu_ratio', 'nmf_gram_rows', 'sgd_funk', 'sgd_svdpp', 'csr_mv', 'csr_mm', 'csr_mm_rows', 'symv_lower', 'sytd2_lower', 'orm2tr_lower', 'latrd_lower']) {
    assert.ok(names.includes(name), `${name} is registered`);
  }
  assert.equal(new Set(names).size, names.length);
});

test('no kernel module picks a backend or casts the exports by hand', () => {
  const dir = fileURLToPath(new URL('../../src/kernels/', import.meta.url));
  // index.ts owns the backend choice and registry.ts the one rule built on it.
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'registry.ts')) {
    // Code only: comments may name activeWasm() when they tell callers what to use.
    const src = readFileSync(join(dir, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    assert.doesNotMatch(src, /activeWasm\(\)/, `${file} dispatches through defineKernel / wasmFor, not activeWasm()`);
    assert.doesNotMatch(src, /as unknown as/, `${file} uses the generated WasmExports type`);
  }
});
