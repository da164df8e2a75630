import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { InvalidArgumentError } from '../../src/errors.js';
import { activeWasm, availableBackends, kernels, setBackend, setThreads } from '../../src/kernels/index.js';
import { rng } from '../../src/random.js';

test('heap: aligned blocks, reuse after free, coalescing, growth keeps old views valid', (t) => {
  const w = activeWasm();
  if (!w) return t.skip('no WASM backend here');
  const h = w.heap;
  const a = h.malloc(100);
  const b = h.malloc(1);
  const c = h.malloc(64);
  assert.equal(a % 64, 0);
  assert.equal(b % 64, 0);
  assert.ok(b >= a + 100 && c >= b + 64);
  const view = h.f64(a, 12);
  view[3] = 42;
  h.free(b);
  const b2 = h.malloc(10);
  assert.equal(b2, b, 'first fit reuses the freed block');
  // Grow far beyond the current capacity; the old view must still see its data.
  const cap = h.capacity;
  const big = h.malloc(cap + 1024);
  assert.ok(h.capacity > cap);
  assert.equal(view[3], 42);
  view[4] = 7;
  assert.equal(h.f64(a, 12)[4], 7);
  h.free(big);
  h.free(a);
  h.free(c);
  h.free(b2);
  assert.throws(() => h.free(a), InvalidArgumentError);
  // Random alloc/free sequences never hand out overlapping blocks.
  const r = rng(4);
  const live = new Map<number, number>();
  for (let i = 0; i < 2000; i++) {
    if (live.size > 0 && r.nextDouble() < 0.45) {
      const keys = [...live.keys()];
      const p = keys[r.nextInt(keys.length)]!;
      h.free(p);
      live.delete(p);
    } else {
      const size = 1 + r.nextInt(5000);
      const p = h.malloc(size);
      for (const [q, s] of live) assert.ok(p + size <= q || q + s <= p, 'blocks overlap');
      live.set(p, size);
    }
  }
  for (const p of live.keys()) h.free(p);
});

test('heap-resident arrays are used in place; foreign arrays are copied', (t) => {
  const w = activeWasm();
  if (!w) return t.skip('no WASM backend here');
  const A = w.alloc('float64', 4);
  A.set([1, 2, 3, 4]);
  assert.ok(w.heap.owns(A));
  assert.ok(!w.heap.owns(new Float64Array(4)));
  const C = w.alloc('float64', 4);
  w.gemm(false, false, 2, 2, 2, 1, A, 0, 2, A, 0, 2, 0, C, 0, 2);
  assert.deepEqual([...C], [7, 10, 15, 22]);
  w.release(A);
  w.release(C);
});

test('registry: setBackend validates names, js always available, threads validated', () => {
  assert.ok(availableBackends().includes('js'));
  assert.equal(setBackend('js'), 'js');
  assert.equal(kernels().name, 'js');
  setBackend('auto');
  assert.throws(() => setBackend('gpu' as never), InvalidArgumentError);
  assert.throws(() => setThreads(0), InvalidArgumentError);
  assert.throws(() => setThreads(1.5), InvalidArgumentError);
});

test('LOWRANK_BACKEND and LOWRANK_THREADS select the backend and thread count at start-up', () => {
  const code = "import('./src/kernels/index.ts').then(k => console.log(k.kernels().name, k.getThreads()))";
  for (const [backend, want] of [['js', 'js'], ['wasm', 'wasm']] as const) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { env: { ...process.env, LOWRANK_BACKEND: backend, LOWRANK_THREADS: '3' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), `${want} 3`);
  }
  const bad = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { env: { ...process.env, LOWRANK_BACKEND: 'nope' }, encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /backend must be one of/);
});
