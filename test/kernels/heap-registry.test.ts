import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { InvalidArgumentError, OutOfMemoryError } from '../../src/errors.js';
import * as publicApi from '../../src/index.js';
import { OutOfMemoryError as HeapOutOfMemoryError } from '../../src/kernels/heap.js';
import { activeWasm, availableBackends, getThreads, kernels, setBackend, setThreads, threadInfo } from '../../src/kernels/index.js';
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
  for (const bad of [0, -1, 1.5, NaN, Infinity, -Infinity, '2' as unknown as number]) {
    assert.throws(() => setThreads(bad), (e: unknown) => e instanceof InvalidArgumentError && /threads must be an integer >= 1/.test((e as Error).message), String(bad));
  }
});

test('setThreads clamps to the core count, returns what it granted and records the request', () => {
  const cores = availableParallelism();
  const before = getThreads();
  try {
    assert.equal(setThreads(1), 1);
    assert.equal(getThreads(), 1);
    // Far more than any machine has: granted the cores, never more, and no error.
    assert.equal(setThreads(1000), cores);
    assert.equal(getThreads(), cores);
    const { workers, ...setting } = threadInfo();
    assert.deepEqual(setting, { threads: cores, requested: 1000, cores, source: 'setThreads' });
    assert.ok(Number.isInteger(workers) && workers >= 0 && workers <= cores - 1, `workers ${workers}`);
    // The WASM kernels run with the clamped count, and start at most cores - 1 workers.
    const w = activeWasm();
    if (w) {
      assert.equal(w.threadCount, cores);
      w.gemm(false, false, 128, 128, 128, 1, new Float64Array(128 * 128), 0, 128, new Float64Array(128 * 128), 0, 128, 0, new Float64Array(128 * 128), 0, 128);
      assert.ok(w.workersRunning <= cores - 1, `${w.workersRunning} workers on ${cores} cores`);
      // Even asked for directly at the kernel layer, the pool stays within the cores.
      w.setThreads(64);
      w.gemm(false, false, 128, 128, 128, 1, new Float64Array(128 * 128), 0, 128, new Float64Array(128 * 128), 0, 128, 0, new Float64Array(128 * 128), 0, 128);
      assert.ok(w.workersRunning <= cores - 1, `${w.workersRunning} workers on ${cores} cores after asking for 64`);
    }
  } finally {
    setThreads(before);
  }
});

test('OutOfMemoryError: one class, in errors.ts, exported once by the public entry', () => {
  assert.equal(publicApi.OutOfMemoryError, OutOfMemoryError);
  assert.equal(HeapOutOfMemoryError, OutOfMemoryError, 'heap.ts re-uses the class instead of declaring its own');
  const e = new OutOfMemoryError('needs 8 bytes', 8);
  assert.ok(e instanceof publicApi.LowrankError);
  assert.equal(e.name, 'OutOfMemoryError');
  assert.equal(e.bytes, 8);
});

test('LOWRANK_BACKEND and LOWRANK_THREADS select the backend and thread count at start-up', () => {
  const code = "import('./src/kernels/index.ts').then(k => console.log(k.kernels().name, k.getThreads()))";
  for (const [backend, want] of [['js', 'js'], ['wasm', 'wasm']] as const) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { env: { ...process.env, LOWRANK_BACKEND: backend, LOWRANK_THREADS: '1' }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), `${want} 1`);
  }
  // More than the cores: clamped, silently (the library prints nothing; threadInfo tells).
  const info = "import('./src/kernels/index.ts').then(k => console.log(JSON.stringify(k.threadInfo())))";
  const many = spawnSync(process.execPath, ['--import', 'tsx', '-e', info], { env: { ...process.env, LOWRANK_THREADS: '1000' }, encoding: 'utf8' });
  assert.equal(many.status, 0, many.stderr);
  assert.equal(many.stderr, '');
  const cores = availableParallelism();
  assert.deepEqual(JSON.parse(many.stdout), { threads: cores, requested: 1000, cores, source: 'LOWRANK_THREADS', workers: 0 });
  // A bad value is refused by the same rule as setThreads, naming the variable.
  for (const value of ['0', '-1', 'abc', '1.5']) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { env: { ...process.env, LOWRANK_THREADS: value }, encoding: 'utf8' });
    assert.notEqual(r.status, 0, value);
    assert.match(r.stderr, new RegExp(`InvalidArgumentError: LOWRANK_THREADS must be an integer >= 1 .*got '${value.replace('.', '\\.')}'`), value);
  }
  const bad = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { env: { ...process.env, LOWRANK_BACKEND: 'nope' }, encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /backend must be one of/);
});
