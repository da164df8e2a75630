/**
 * Kernel registry: one {@link Kernels} implementation is active at a time.
 *
 * Default: the relaxed-SIMD FMA WebAssembly build where the engine validates it, else the
 * baseline SIMD build, else pure TypeScript. `LOWRANK_BACKEND=js|wasm|wasm-fma|auto` and
 * {@link setBackend} override the choice (tests run both); `LOWRANK_THREADS` and
 * {@link setThreads} set how many threads gemm uses (default: all cores).
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

let active: Kernels | undefined;
const wasmCache = new Map<'fma' | 'simd', WasmKernels | null>();
let threads: number | undefined;

function env(name: string): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env?.[name];
}

function threadSetting(): number {
  if (threads === undefined) {
    const s = env('LOWRANK_THREADS');
    const n = s === undefined || s === '' ? NaN : Number(s);
    threads = Number.isInteger(n) && n >= 1 ? n : defaultThreadCount();
  }
  return threads;
}

function wasmBuild(build: 'fma' | 'simd'): WasmKernels | undefined {
  if (!wasmCache.has(build)) {
    const rt = availableBuilds(build === 'fma').includes(build) ? loadWasmSync(build) : undefined;
    const k = rt ? new WasmKernels(rt) : null;
    k?.setThreads(threadSetting());
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

/** Set how many threads gemm may use (>= 1). Applies to every WASM backend. */
export function setThreads(n: number): void {
  if (!(Number.isInteger(n) && n >= 1 && n <= 256)) throw new InvalidArgumentError(`threads must be an integer in [1, 256], got ${n}`);
  threads = n;
  for (const k of wasmCache.values()) k?.setThreads(n);
}

/** Threads gemm may use. */
export function getThreads(): number {
  return threadSetting();
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
      k.setThreads(threadSetting());
      wasmCache.set(build, k);
      active = k;
      return k.name;
    }
  }
  active = jsKernels;
  return 'js';
}
