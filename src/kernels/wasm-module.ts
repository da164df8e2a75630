/**
 * Loads the WebAssembly kernels: picks the relaxed-SIMD FMA build when the engine
 * validates it, else the baseline SIMD build, else reports that WASM SIMD is missing.
 * Memory is imported and shared, so worker threads can run on the same data.
 */
import { FMA_WASM_BASE64, SIMD_WASM_BASE64 } from './generated/wasm-binaries.js';

/** The raw exports of the kernel module (pointers are byte offsets into memory). */
export interface WasmExports {
  readonly FMA: WebAssembly.Global;
  readonly POOL_CONTROL_BYTES: WebAssembly.Global;
  readonly __heap_base?: WebAssembly.Global;
  dgemm_workspace(): number;
  sgemm_workspace(): number;
  dsyrk_workspace(): number;
  ssyrk_workspace(): number;
  tile_f64(): number;
  tile_f32(): number;
  dgemm(ta: number, tb: number, m: number, n: number, k: number, alpha: number, a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number): void;
  sgemm(ta: number, tb: number, m: number, n: number, k: number, alpha: number, a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number): void;
  dgemv(t: number, m: number, n: number, alpha: number, a: number, lda: number, x: number, incx: number, beta: number, y: number, incy: number): void;
  sgemv(t: number, m: number, n: number, alpha: number, a: number, lda: number, x: number, incx: number, beta: number, y: number, incy: number): void;
  dsyrk(lower: number, t: number, n: number, k: number, alpha: number, a: number, lda: number, beta: number, c: number, ldc: number, work: number): void;
  ssyrk(lower: number, t: number, n: number, k: number, alpha: number, a: number, lda: number, beta: number, c: number, ldc: number, work: number): void;
  ddot(n: number, x: number, incx: number, y: number, incy: number): number;
  sdot(n: number, x: number, incx: number, y: number, incy: number): number;
  daxpy(n: number, alpha: number, x: number, incx: number, y: number, incy: number): void;
  saxpy(n: number, alpha: number, x: number, incx: number, y: number, incy: number): void;
  dscal(n: number, alpha: number, x: number, incx: number): void;
  sscal(n: number, alpha: number, x: number, incx: number): void;
  dnrm2(n: number, x: number, incx: number): number;
  snrm2(n: number, x: number, incx: number): number;
  dsymv_lower(n: number, alpha: number, a: number, lda: number, x: number, beta: number, y: number): void;
  ssymv_lower(n: number, alpha: number, a: number, lda: number, x: number, beta: number, y: number): void;
  dsytd2_lower(n: number, a: number, lda: number, d: number, e: number, tau: number, w: number): void;
  dorm2tr_lower(n: number, ncols: number, a: number, lda: number, tau: number, c: number, ldc: number): void;
  dlaswp(n: number, a: number, lda: number, k0: number, k1: number, piv: number): void;
  slaswp(n: number, a: number, lda: number, k0: number, k1: number, piv: number): void;
  readonly LU_SCRATCH_BYTES: WebAssembly.Global;
  dgetrf_panel(m: number, n: number, a: number, lda: number, piv: number, base: number, sfmin: number, scratch: number, work: number): number;
  sgetrf_panel(m: number, n: number, a: number, lda: number, piv: number, base: number, sfmin: number, scratch: number, work: number): number;
  dtrsm_llnu(m: number, n: number, a: number, lda: number, b: number, ldb: number, scratch: number, work: number): void;
  strsm_llnu(m: number, n: number, a: number, lda: number, b: number, ldb: number, scratch: number, work: number): void;
  dpacked_elements(m: number, k: number): number;
  spacked_elements(m: number, k: number): number;
  dpack_chunk_cols(): number;
  spack_chunk_cols(): number;
  dpack_columns(rows: number, cols: number, c0: number, w: number, chunk: number, ld: number, p: number, pt: number): void;
  spack_columns(rows: number, cols: number, c0: number, w: number, chunk: number, ld: number, p: number, pt: number): void;
  dgemm_prepacked(m: number, n: number, k: number, alpha: number, ap: number, tb: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number): void;
  sgemm_prepacked(m: number, n: number, k: number, alpha: number, ap: number, tb: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number): void;
  gemm_parallel(
    ctl: number, kind: number, ta: number, tb: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number,
    mt: number, nt: number, ws: number, wsStride: number, canBlock: number,
  ): void;
  pool_stop(ctl: number): void;
  worker_loop(ctl: number, slot: number): void;
}

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
  const p = prepare(build);
  if (!p) return undefined;
  try {
    return instantiate(build, new WebAssembly.Module(p.bytes), p.memory);
  } catch {
    return undefined;
  }
}

/** Asynchronous variant of {@link loadWasmSync}, for browsers' main threads. */
export async function loadWasmAsync(build: 'fma' | 'simd'): Promise<WasmRuntime | undefined> {
  const p = prepare(build);
  if (!p) return undefined;
  try {
    return instantiate(build, await WebAssembly.compile(p.bytes), p.memory);
  } catch {
    return undefined;
  }
}

// The build's bytes and a fresh shared memory for it; undefined where shared memory is refused.
function prepare(build: 'fma' | 'simd'): { bytes: Uint8Array<ArrayBuffer>; memory: WebAssembly.Memory } | undefined {
  const memory = sharedMemory(64);
  if (!memory) return undefined;
  return { bytes: buildBytes(build), memory };
}

function instantiate(build: 'fma' | 'simd', module: WebAssembly.Module, memory: WebAssembly.Memory): WasmRuntime {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const exports = instance.exports as unknown as WasmExports;
  // The module has no static data; keep page 0 unused so a null pointer never aliases data.
  const heapBase = Math.max(PAGE_BYTES, exports.__heap_base ? Number(exports.__heap_base.value) : 0);
  return { build, module, memory, exports, heapBase };
}
