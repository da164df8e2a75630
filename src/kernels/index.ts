/**
 * Kernel registry: one {@link Kernels} implementation is active at a time.
 *
 * Default: the relaxed-SIMD FMA WebAssembly build where the engine validates it, else the
 * baseline SIMD build, else pure TypeScript. `LOWRANK_BACKEND=js|wasm|wasm-fma|auto` and
 * {@link setBackend} override the choice (tests run both); `LOWRANK_THREADS` and
 * {@link setThreads} set how many threads gemm uses (default: all cores; never more).
 *
 * In Node everything initialises synchronously on first use. Browsers' main threads
 * should `await ready()` once (synchronous compilation of large modules is refused
 * there); until then the TypeScript kernels run.
 */
import { InvalidArgumentError, UnsupportedError } from '../errors.js';
import { jsKernels } from './js-kernels.js';
import { defaultThreadCount } from './pool.js';
import { BACKENDS, type BackendName, type Kernels } from './types.js';
import { WasmKernels } from './wasm-kernels.js';
import { availableBuilds, loadWasmAsync, loadWasmSync } from './wasm-module.js';

export type { BackendName, Kernels } from './types.js';
export { BACKENDS } from './types.js';
export { jsKernels } from './js-kernels.js';
export { WasmKernels } from './wasm-kernels.js';

/** How the thread count in use was chosen; see {@link threadInfo}. */
export interface ThreadInfo {
  /** Threads gemm uses: `min(requested, cores)`. */
  threads: number;
  /** What was asked for: the argument of {@link setThreads}, `LOWRANK_THREADS`, or the core count. */
  requested: number;
  /** Logical cores (`os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in browsers). */
  cores: number;
  /** Where `requested` came from. */
  source: 'default' | 'LOWRANK_THREADS' | 'setThreads';
  /**
   * Worker threads running now (0 until the first product large enough to share, on the
   * JS backend, or in a browser page that is not cross-origin isolated).
   */
  workers: number;
}

let active: Kernels | undefined;
const wasmCache = new Map<'fma' | 'simd', WasmKernels | null>();
/** The decided thread count, without the live worker count. */
type ThreadSetting = Omit<ThreadInfo, 'workers'>;
let threads: ThreadSetting | undefined;

function env(name: string): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env?.[name];
}

// One rule for setThreads(n) and LOWRANK_THREADS: an integer >= 1. More threads than cores
// are not refused but clamped (workers beyond the cores only contend for them: 256 threads
// made a 300x300 product take 9 s and 1.5 GB of workspaces).
function checkThreads(n: number, name: string, shown: string): void {
  if (!(Number.isInteger(n) && n >= 1)) throw new InvalidArgumentError(`${name} must be an integer >= 1 (it is clamped to the number of cores), got ${shown}`);
}

function decide(requested: number, source: ThreadInfo['source']): ThreadSetting {
  const cores = defaultThreadCount();
  return { threads: Math.min(requested, cores), requested, cores, source };
}

function threadSetting(): ThreadSetting {
  if (threads === undefined) {
    const s = env('LOWRANK_THREADS');
    if (s === undefined || s.trim() === '') threads = decide(defaultThreadCount(), 'default');
    else {
      const n = Number(s);
      checkThreads(n, 'LOWRANK_THREADS', `'${s}'`);
      threads = decide(n, 'LOWRANK_THREADS');
    }
  }
  return threads;
}

function wasmBuild(build: 'fma' | 'simd'): WasmKernels | undefined {
  if (!wasmCache.has(build)) {
    const rt = availableBuilds(build === 'fma').includes(build) ? loadWasmSync(build) : undefined;
    const k = rt ? new WasmKernels(rt) : null;
    k?.setThreads(threadSetting().threads);
    wasmCache.set(build, k);
  }
  return wasmCache.get(build) ?? undefined;
}

function resolve(name: BackendName | 'auto'): Kernels | undefined {
  if (name === 'js') return jsKernels;
  if (name === 'wasm') return wasmBuild('simd');
  if (name === 'wasm-fma') return wasmBuild('fma');
  return wasmBuild('fma') ?? wasmBuild('simd') ?? jsKernels;
}

function parseName(name: string): BackendName | 'auto' {
  if (name === 'auto' || (BACKENDS as readonly string[]).includes(name)) return name as BackendName | 'auto';
  throw new InvalidArgumentError(`backend must be one of auto, ${BACKENDS.join(', ')}; got '${name}'`);
}

/** The active kernels (initialising them on first call). */
export function kernels(): Kernels {
  if (!active) {
    const requested = parseName(env('LOWRANK_BACKEND') || 'auto');
    active = resolve(requested) ?? resolve('auto')!;
  }
  return active;
}

/**
 * Select the kernel implementation. `'auto'` picks the fastest available.
 * @returns the name of the backend now active.
 * @throws UnsupportedError when the requested WASM build cannot run here.
 */
export function setBackend(name: BackendName | 'auto'): BackendName {
  const k = resolve(parseName(name));
  if (!k) throw new UnsupportedError(`backend '${name}' is not available in this runtime (WebAssembly SIMD${name === 'wasm-fma' ? ' with relaxed SIMD' : ''} and shared memory are required)`);
  active = k;
  return k.name;
}

/** Backends this runtime can run, fastest first. */
export function availableBackends(): BackendName[] {
  const out: BackendName[] = [];
  if (wasmBuild('fma')) out.push('wasm-fma');
  if (wasmBuild('simd')) out.push('wasm');
  out.push('js');
  return out;
}

/**
 * Set how many threads gemm may use; applies to every WASM backend. Asking for more than
 * the machine's cores gives the core count (extra workers would only contend for them);
 * the return value says what was granted, and {@link threadInfo} records the request.
 * @param n - an integer >= 1.
 * @returns the number of threads now used, `min(n, cores)`.
 * @throws InvalidArgumentError when `n` is not an integer >= 1 (0, -1, 1.5, NaN, Infinity).
 * @example
 * setThreads(1);    // => 1
 * setThreads(1000); // => 8 on an 8-core machine
 */
export function setThreads(n: number): number {
  checkThreads(n, 'threads', typeof n === 'number' ? String(n) : `${JSON.stringify(n) ?? String(n)} (a ${typeof n})`);
  threads = decide(n, 'setThreads');
  for (const k of wasmCache.values()) k?.setThreads(threads.threads);
  return threads.threads;
}

/**
 * Threads gemm uses: the core count unless `LOWRANK_THREADS` or {@link setThreads} asked
 * for fewer.
 * @throws InvalidArgumentError when `LOWRANK_THREADS` is set to anything but an integer >= 1.
 */
export function getThreads(): number {
  return threadSetting().threads;
}

/**
 * The thread count in use, what was requested and where the request came from, so callers
 * can tell a clamped request (`requested > threads`) apart; the library itself prints
 * nothing. The `lowrank` command line warns on stderr when `LOWRANK_THREADS` was clamped.
 * @throws InvalidArgumentError when `LOWRANK_THREADS` is set to anything but an integer >= 1.
 */
export function threadInfo(): ThreadInfo {
  const k = active;
  return { ...threadSetting(), workers: k instanceof WasmKernels ? k.workersRunning : 0 };
}

/** The active WASM kernels, for code that keeps its data in WASM memory; undefined on the JS backend. */
export function activeWasm(): WasmKernels | undefined {
  const k = kernels();
  return k instanceof WasmKernels ? k : undefined;
}

/**
 * Browser entry: compile the kernels asynchronously and activate the best backend. In Node
 * this resolves immediately with the synchronous choice.
 */
export async function ready(): Promise<BackendName> {
  if (active && active.name !== 'js') return active.name;
  const requested = parseName(env('LOWRANK_BACKEND') || 'auto');
  if (requested === 'js') return kernels().name;
  const synced = resolve(requested);
  if (synced && synced.name !== 'js') {
    active = synced;
    return synced.name;
  }
  for (const build of availableBuilds(requested !== 'wasm')) {
    if (requested === 'wasm' && build === 'fma') continue;
    const rt = await loadWasmAsync(build);
    if (rt) {
      const k = new WasmKernels(rt);
      k.setThreads(threadSetting().threads);
      wasmCache.set(build, k);
      active = k;
      return k.name;
    }
  }
  active = jsKernels;
  return 'js';
}
