/**
 * The registry of kernels x backends. Which backend is active is decided here, and every
 * kernel routine (the {@link Kernels} contract of ./index.ts, sparse products, SGD and ALS
 * epochs, NMF updates, symv, tridiagonalization, laswp, LU, prepacked gemm) is declared
 * once, with {@link defineKernel}, as a pair of implementations between which one rule
 * picks at every call:
 *
 *   the WebAssembly implementation runs when a WASM backend is active and the call's
 *   operands live in its memory (or the routine's `select` says so: operands that carry
 *   their own module, a matrix it copies in, a size below which TypeScript is as fast);
 *   otherwise the TypeScript implementation runs.
 *
 * Where the TypeScript side of a routine lives in its caller (the blocked LAPACK paths, the
 * ALS row solver), its `js` implementation declines (returns undefined or false) and the
 * caller runs that path. {@link kernelRoutines} lists every routine defined so far.
 *
 * Backend choice. Default: the relaxed-SIMD FMA WebAssembly build where the engine
 * validates it, else the baseline SIMD build, else pure TypeScript.
 * `LOWRANK_BACKEND=js|wasm|wasm-fma|auto` and {@link setBackend} override the choice (tests
 * run both); `LOWRANK_THREADS` and {@link setThreads} set how many threads gemm uses
 * (default: all cores; never more). In Node everything initialises synchronously on first
 * use. Browsers' main threads should `await ready()` once (synchronous compilation of large
 * modules is refused there); until then the TypeScript kernels run.
 */
import { InvalidArgumentError, UnsupportedError } from '../errors.js';
import { defaultThreadCount } from './pool.js';
import { BACKENDS, type BackendName } from './types.js';
import { WasmKernels } from './wasm-kernels.js';
import { availableBuilds, loadWasmAsync, loadWasmSync } from './wasm-module.js';

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

/** A backend: the kernels of one WASM build, or 'js' for the TypeScript implementations. */
type Backend = WasmKernels | 'js';

let active: Backend | undefined;
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
    const rt = typeof WebAssembly === 'object' ? loadWasmSync(build) : undefined;
    const k = rt ? new WasmKernels(rt) : null;
    k?.setThreads(threadSetting().threads);
    wasmCache.set(build, k);
  }
  return wasmCache.get(build) ?? undefined;
}

function resolve(name: BackendName | 'auto'): Backend | undefined {
  if (name === 'js') return 'js';
  if (name === 'wasm') return wasmBuild('simd');
  if (name === 'wasm-fma') return wasmBuild('fma');
  return wasmBuild('fma') ?? wasmBuild('simd') ?? 'js';
}

function nameOf(b: Backend): BackendName {
  return b === 'js' ? 'js' : b.name;
}

function parseName(name: string): BackendName | 'auto' {
  if (name === 'auto' || (BACKENDS as readonly string[]).includes(name)) return name as BackendName | 'auto';
  throw new InvalidArgumentError(`backend must be one of auto, ${BACKENDS.join(', ')}; got '${name}'`);
}

// The active backend, decided on first use.
function backend(): Backend {
  if (active === undefined) {
    const requested = parseName(env('LOWRANK_BACKEND') || 'auto');
    active = resolve(requested) ?? resolve('auto')!;
  }
  return active;
}

/** Name of the active backend (deciding it on first call). */
export function activeBackend(): BackendName {
  return nameOf(backend());
}

/** The active WASM kernels, for code that keeps its data in WASM memory; undefined on the JS backend. */
export function activeWasm(): WasmKernels | undefined {
  const b = backend();
  return b === 'js' ? undefined : b;
}

/**
 * Select the kernel implementation. `'auto'` picks the fastest available.
 * @returns the name of the backend now active.
 * @throws UnsupportedError when the requested WASM build cannot run here.
 */
export function setBackend(name: BackendName | 'auto'): BackendName {
  const b = resolve(parseName(name));
  if (!b) throw new UnsupportedError(`backend '${name}' is not available in this runtime (WebAssembly SIMD${name === 'wasm-fma' ? ' with relaxed SIMD' : ''} and shared memory are required)`);
  active = b;
  return nameOf(b);
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
  const b = active;
  return { ...threadSetting(), workers: b instanceof WasmKernels ? b.workersRunning : 0 };
}

/**
 * Browser entry: compile the kernels asynchronously and activate the best backend. In Node
 * this resolves immediately with the synchronous choice.
 */
export async function ready(): Promise<BackendName> {
  if (active !== undefined && active !== 'js') return active.name;
  const requested = parseName(env('LOWRANK_BACKEND') || 'auto');
  if (requested === 'js') return activeBackend();
  const synced = resolve(requested);
  if (synced && synced !== 'js') {
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
  active = 'js';
  return 'js';
}

/** One kernel routine with an implementation per backend. */
export interface KernelRoutine<A extends unknown[], R> {
  /** Unique name (the WASM export family it runs, e.g. 'csr_mv' for dcsr_mv / scsr_mv). */
  readonly name: string;
  /** The WebAssembly implementation: runs the module's exports in `w`'s memory. */
  readonly wasm: (w: WasmKernels, ...args: A) => R;
  /** The TypeScript implementation: the same arithmetic on ordinary arrays (or a decline, see above). */
  readonly js: (...args: A) => R;
  /**
   * The WASM kernels that may run this call, or undefined for the TypeScript one. Default:
   * {@link wasmFor} of every typed array among the arguments.
   */
  readonly select?: (...args: A) => WasmKernels | undefined;
}

/** A routine's dispatching function. */
export type KernelFunction<A extends unknown[], R> = (...args: A) => R;

// Names of the routines defined so far (each routine's types stay in its defining module).
const names = new Set<string>();

/**
 * The WASM kernels that can run on these operands: the active WASM backend's, when every
 * operand lives in its memory (with no operands: the active WASM backend's, if any).
 */
export function wasmFor(...operands: ArrayBufferView[]): WasmKernels | undefined {
  const w = activeWasm();
  if (!w) return undefined;
  for (const a of operands) if (!w.heap.owns(a)) return undefined;
  return w;
}

// wasmFor of every typed array among a call's arguments (the default `select`).
function wasmForArgs(args: unknown[]): WasmKernels | undefined {
  const w = activeWasm();
  if (!w) return undefined;
  for (const a of args) if (ArrayBuffer.isView(a) && !w.heap.owns(a)) return undefined;
  return w;
}

/**
 * Register a routine and return the function that runs it: `routine.wasm` on the kernels
 * `select` returns, else `routine.js`.
 * @throws Error when a routine of that name is already defined (names identify routines).
 */
export function defineKernel<A extends unknown[], R>(routine: KernelRoutine<A, R>): KernelFunction<A, R> {
  if (names.has(routine.name)) throw new Error(`kernel routine '${routine.name}' is defined twice`);
  names.add(routine.name);
  const { wasm, js } = routine;
  const select = routine.select ?? ((...args: A) => wasmForArgs(args));
  return (...args: A): R => {
    const w = select(...args);
    return w ? wasm(w, ...args) : js(...args);
  };
}

/** Names of the routines defined so far (one per kernel module loaded), in definition order. */
export function kernelRoutines(): string[] {
  return [...names];
}
