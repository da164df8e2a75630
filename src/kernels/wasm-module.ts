/**
 * Loads the WebAssembly kernels: picks the relaxed-SIMD FMA build when the engine
 * validates it, else the baseline SIMD build, else reports that WASM SIMD is missing.
 * Memory is imported and shared, so worker threads can run on the same data.
 */
import { LowrankError } from '../errors.js';
import { isWasmExports, missingWasmExports, type WasmExports } from './generated/abi.js';
import { FMA_WASM_BASE64, SIMD_WASM_BASE64 } from './generated/wasm-binaries.js';

/** The exports of the kernel module, typed from the one declaration (scripts/kernel-abi.mjs). */
export type { WasmExports } from './generated/abi.js';

/** A compiled kernel module with its shared memory and one instance on this thread. */
export interface WasmRuntime {
  readonly build: 'fma' | 'simd';
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly exports: WasmExports;
  /** First byte free for the heap (after the module's static data). */
  readonly heapBase: number;
}

/** 64 KiB WebAssembly pages; memory may grow to 4 GiB (wasm32). */
export const PAGE_BYTES = 65536;
export const MAX_PAGES = 65536;

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const B = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (B) {
    const b = B.from(b64, 'base64');
    return new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  }
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

const decoded = new Map<'fma' | 'simd', Uint8Array<ArrayBuffer>>();

/** The bytes of a build, decoded from base64 once (validation and compilation share them). */
function buildBytes(build: 'fma' | 'simd'): Uint8Array<ArrayBuffer> {
  let b = decoded.get(build);
  if (!b) {
    b = decodeBase64(build === 'fma' ? FMA_WASM_BASE64 : SIMD_WASM_BASE64);
    decoded.set(build, b);
  }
  return b;
}

let relaxedFlagTried = false;

/**
 * Node 20's V8 knows relaxed SIMD but keeps it behind a flag (on by default from Node 22).
 * Turning that one flag on at run time lets Node 20 users get the FMA build too.
 */
function enableRelaxedSimdInNode(): void {
  if (relaxedFlagTried) return;
  relaxedFlagTried = true;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; versions?: { node?: string } } }).process;
  if (!proc?.versions?.node || typeof proc.getBuiltinModule !== 'function') return;
  try {
    const v8 = proc.getBuiltinModule('node:v8') as { setFlagsFromString(flags: string): void };
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // not fatal: the baseline build is used
  }
}

/** Which builds this engine accepts, best first. */
export function availableBuilds(allowFma: boolean): ('fma' | 'simd')[] {
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') return [];
  const out: ('fma' | 'simd')[] = [];
  if (allowFma) {
    const fma = buildBytes('fma');
    if (!WebAssembly.validate(fma)) enableRelaxedSimdInNode();
    if (WebAssembly.validate(fma)) out.push('fma');
  }
  if (WebAssembly.validate(buildBytes('simd'))) out.push('simd');
  return out;
}

function sharedMemory(initialPages: number): WebAssembly.Memory | undefined {
  try {
    return new WebAssembly.Memory({ initial: initialPages, maximum: MAX_PAGES, shared: true });
  } catch {
    return undefined;
  }
}

/**
 * Compile and instantiate a build synchronously (Node, workers). Returns undefined when the
 * engine refuses (no SIMD, no shared memory, or a browser main thread that forbids
 * synchronous compilation of large modules: use {@link loadWasmAsync} there).
 */
export function loadWasmSync(build: 'fma' | 'simd'): WasmRuntime | undefined {
  // No separate WebAssembly.validate first: compiling validates, and a refused build lands
  // in the catch below. Validating the FMA build, then the SIMD build, then compiling cost
  // 2-3 ms of every process's first call (two 90 kB modules decoded and checked in full).
  if (build === 'fma') enableRelaxedSimdInNode();
  const p = prepare(build);
  if (!p) return undefined;
  try {
    return instantiate(build, new WebAssembly.Module(p.bytes), p.memory);
  } catch (e) {
    if (e instanceof StaleBuildError) throw e;
    return undefined;
  }
}

/** Asynchronous variant of {@link loadWasmSync}, for browsers' main threads. */
export async function loadWasmAsync(build: 'fma' | 'simd'): Promise<WasmRuntime | undefined> {
  const p = prepare(build);
  if (!p) return undefined;
  try {
    return instantiate(build, await WebAssembly.compile(p.bytes), p.memory);
  } catch (e) {
    if (e instanceof StaleBuildError) throw e;
    return undefined;
  }
}

// The build's bytes and a fresh shared memory for it; undefined where shared memory is refused.
function prepare(build: 'fma' | 'simd'): { bytes: Uint8Array<ArrayBuffer>; memory: WebAssembly.Memory } | undefined {
  const memory = sharedMemory(64);
  if (!memory) return undefined;
  return { bytes: buildBytes(build), memory };
}

// The embedded binaries and the generated ABI disagree: a build step was skipped. Raised
// rather than falling back to the TypeScript kernels, which would hide the broken build.
class StaleBuildError extends LowrankError {}

function instantiate(build: 'fma' | 'simd', module: WebAssembly.Module, memory: WebAssembly.Memory): WasmRuntime {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const exports = instance.exports;
  if (!isWasmExports(exports)) {
    throw new StaleBuildError(`the embedded kernel module lacks ${missingWasmExports(exports).join(', ')}: rebuild it with npm run build:wasm`);
  }
  // Page 0 is left to the module's static data (build-wasm.mjs checks that it fits there)
  // and unused otherwise, so a null pointer never aliases heap data.
  return { build, module, memory, exports, heapBase: PAGE_BYTES };
}
