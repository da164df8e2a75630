/**
 * Worker threads for parallel gemm, sharing the kernels' WebAssembly memory.
 *
 * Each worker instantiates the same compiled module on the same shared memory and parks in
 * the module's `worker_loop` (blocked in `memory.atomic.wait`), so the hand-off costs one
 * futex wake, not a message round trip; the fork-join protocol itself lives in
 * assembly/pool.ts. Workers are unref'd: they never keep a Node process alive.
 *
 * Node uses `worker_threads` (found through `process.getBuiltinModule`, so bundles for the
 * browser carry no Node import); browsers use module-less Web Workers from a Blob and need
 * cross-origin isolation (COOP/COEP) to share memory. Without either, work runs on the
 * calling thread.
 */
import type { WasmKernels } from './wasm-kernels.js';
import type { WasmRuntime } from './wasm-module.js';

// Source of the worker: plain JavaScript, self-contained (no imports), run under
// `eval: true` in Node or from a Blob URL in browsers.
const WORKER_SOURCE = `
const start = (d) => {
  const inst = new WebAssembly.Instance(d.module, { env: { memory: d.memory } });
  inst.exports.worker_loop(d.ctl, d.slot);
};
if (typeof require === 'function' && typeof self === 'undefined') {
  start(require('node:worker_threads').workerData);
} else {
  self.onmessage = (e) => start(e.data);
}
`;

interface WorkerHandle {
  terminate(): unknown;
}

/** The core count, read once: asked for on every pool job, it cost a system call each time. */
let cores: number | undefined;

/**
 * Number of logical cores, from Node's `os` or the browser's navigator, read once per
 * process (every level-2 job asks for it: 1,000-2,000 calls per tridiagonalization or
 * bidiagonalization at n = 1024, ~3 ms there when each was a sched_getaffinity call).
 */
export function defaultThreadCount(): number {
  return (cores ??= readThreadCount());
}

function readThreadCount(): number {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (proc && typeof proc.getBuiltinModule === 'function') {
    try {
      const os = proc.getBuiltinModule('node:os') as { availableParallelism?: () => number; cpus(): unknown[] };
      return Math.max(1, os.availableParallelism ? os.availableParallelism() : os.cpus().length);
    } catch {
      // fall through
    }
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

/** True where the calling thread may block in Atomics.wait (not a browser main thread). */
export function canBlock(): boolean {
  const g = globalThis as { process?: { versions?: { node?: string } }; document?: unknown };
  return Boolean(g.process?.versions?.node) || typeof g.document === 'undefined';
}

function spawn(rt: WasmRuntime, ctl: number, slot: number): WorkerHandle | undefined {
  const data = { module: rt.module, memory: rt.memory, ctl, slot };
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; versions?: { node?: string } } }).process;
  if (proc?.versions?.node && typeof proc.getBuiltinModule === 'function') {
    const wt = proc.getBuiltinModule('node:worker_threads') as {
      Worker: new (src: string, opts: object) => WorkerHandle & { unref(): void; on(ev: string, f: (e: unknown) => void): void };
    };
    const w = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: data });
    w.unref();
    w.on('error', () => {
      // A worker that dies simply stops taking tasks; the caller finishes the job alone.
    });
    return w;
  }
  const g = globalThis as { Worker?: new (url: string) => WorkerHandle & { postMessage(d: unknown): void }; crossOriginIsolated?: boolean; Blob?: typeof Blob; URL?: typeof URL };
  if (!g.Worker || !g.Blob || !g.URL || g.crossOriginIsolated === false) return undefined;
  try {
    const url = g.URL.createObjectURL(new g.Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    const w = new g.Worker(url);
    w.postMessage(data);
    return w;
  } catch {
    return undefined;
  }
}

/** A running set of workers bound to one control block. */
export class ThreadPool {
  private readonly workers: WorkerHandle[] = [];
  private readonly rt: WasmRuntime;
  readonly ctl: number;

  /**
   * Up to `helpers` workers join the calling thread (slot 0); slots 1..helpers are theirs.
   * At most `cores - 1` are started, whoever asks (setThreads, or a model's `threads`
   * option): tasks are taken dynamically, so a job simply has fewer takers, while workers
   * beyond the cores would only contend for them.
   */
  constructor(rt: WasmRuntime, ctl: number, helpers: number) {
    this.rt = rt;
    this.ctl = ctl;
    const n = Math.min(helpers, defaultThreadCount() - 1);
    for (let s = 1; s <= n; s++) {
      const w = spawn(rt, ctl, s);
      if (!w) break;
      this.workers.push(w);
    }
  }

  /** Workers actually started (fewer than asked beyond the core count or where the platform refuses). */
  get size(): number {
    return this.workers.length;
  }

  /** Release the workers: they leave `worker_loop` and are terminated. */
  close(): void {
    this.rt.exports.pool_stop(this.ctl);
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}

/**
 * Guard for fine-grained pool jobs (the level-2 products of the reductions: thousands of
 * jobs of 10-400 us per decomposition). When the machine has more runnable threads than
 * cores, a worker descheduled in the middle of its slice makes the caller wait a whole
 * scheduler time slice (milliseconds) for a job worth microseconds; measured on the loaded
 * 2-core VM, svd n = 1024 took 2.7x longer on two threads than on one that way. So
 * {@link StallGuard.STRIKES} jobs in a row that each took more than twice what one thread
 * would need (plus 0.1 ms) send such jobs back to the calling thread for the next 50 ms.
 *
 * One slow job alone does not: on a quiet machine a worker that slept (it sleeps after
 * about a millisecond without work) takes 2-3 ms to run again on this VM (the virtual CPU
 * was halted), and the VM has single hiccups of a few ms. With a one-job trigger (until
 * 2026-12-06) those tripped the guard 2-8 times per gebrd n = 1024 on a quiet machine; the
 * worker then slept through the 50 ms, the next job paid the wake-up again and tripped it
 * again, and 40-90% of gebrd's products ran on one thread. The split of the work stays the
 * same either way, so results do not change.
 */
export class StallGuard {
  /** Slow jobs in a row that send the jobs back to the calling thread. */
  static readonly STRIKES = 2;
  private until = 0;
  private strikes = 0;

  /** Whether jobs may go to the pool now. */
  allowed(): boolean {
    return this.until === 0 || performance.now() >= this.until;
  }

  /**
   * Record a pool job that took `elapsedMs` where one thread is expected to take
   * `serialMs`; {@link StallGuard.STRIKES} stalls in a row keep jobs on the calling thread
   * for the next 50 ms.
   */
  report(elapsedMs: number, serialMs: number): void {
    this.until = 0;
    if (elapsedMs <= 2 * serialMs + 0.1) {
      this.strikes = 0;
    } else if (++this.strikes >= StallGuard.STRIKES) {
      this.strikes = 0;
      this.until = performance.now() + 50;
    }
  }
}

/** The guard shared by the level-2 jobs (src/kernels/gemv-parallel.ts, symv.ts). */
export const levelTwoGuard = new StallGuard();

/**
 * One thread's time for a memory-bound level-2 product reading `entries` matrix entries,
 * in ms: about 0.35 ns per entry on the 2-core EPYC VM (gemv 1024 x 1024 in 0.3-0.39 ms).
 */
export function levelTwoSerialMs(entries: number): number {
  return entries * 0.35e-6;
}

// When the level-2 job from levelTwoPool started (jobs run one at a time on the caller).
let levelTwoStart = 0;

/**
 * The pool a level-2 product (src/kernels/gemv-parallel.ts, symv.ts) shares its work on:
 * when `share` (the product is large enough), two or more threads are set and
 * {@link levelTwoGuard} allows it; otherwise undefined, and the product runs on the calling
 * thread. Report the job with {@link levelTwoDone}.
 */
export function levelTwoPool(w: WasmKernels, share: boolean): ThreadPool | undefined {
  const threads = w.threadCount;
  if (!share || threads <= 1 || !levelTwoGuard.allowed()) return undefined;
  const pool = w.workerPool(threads);
  if (pool) levelTwoStart = performance.now();
  return pool;
}

/** Tell {@link levelTwoGuard} how long the job on `pool` (from {@link levelTwoPool}) took for `entries` matrix entries; nothing when it ran on the calling thread. */
export function levelTwoDone(pool: ThreadPool | undefined, entries: number): void {
  if (pool) levelTwoGuard.report(performance.now() - levelTwoStart, levelTwoSerialMs(entries));
}
