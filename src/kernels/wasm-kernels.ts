/**
 * One WebAssembly build of the kernels: its module, heap, gemm workspaces and thread pool,
 * and the products that need them (gemm, syrk, gemm with a prepacked operand). The kernel
 * routines of ./index.ts and the other kernel modules run on it through ./registry.ts.
 *
 * Arrays that already live in the kernels' memory (allocated with {@link WasmKernels.alloc})
 * are used in place. Other arrays are copied into heap scratch first; for gemm and syrk the
 * O(n^2) copy is small next to the O(n^3) work.
 */
import type { FloatArray } from '../matrix/dtype.js';
import { WasmHeap } from './heap.js';
import { ThreadPool, canBlock, defaultThreadCount } from './pool.js';
import type { BackendName, Kernels } from './types.js';
import { InvalidArgumentError } from '../errors.js';
import { checkGemm, checkMatrixArg, checkSize, checkSyrk } from './validate.js';
import { POOL_CONTROL_BYTES } from './generated/abi.js';
import type { WasmRuntime } from './wasm-module.js';

// Below this many multiply-adds a gemm runs on the calling thread alone. Workers spin for
// about a millisecond after a job before they sleep (assembly/pool.ts), so back-to-back
// products find them awake: measured on a 2-core VM, 64^3 takes 43 us on one thread and
// 24 us on two, and NMF's 1797 x 64 by 10 products 120-126 us -> 72-90 us. (Waking a
// sleeping worker costs 50-100+ us there, which made two threads a loss below ~160^3
// before the spin; a job whose worker is late simply runs on the caller.)
const PARALLEL_MIN_MADDS = 64 * 64 * 64;
// Largest copy-in scratch per operand before gemm is cut into column slabs (keeps the heap
// small for huge products of JS-resident matrices).
const SLAB_BYTES = 256 * 1024 * 1024;

interface Operand {
  ptr: number;
  ld: number;
  /** Heap block to release after the call, or -1 when the array was used in place. */
  scratch: number;
}

/** WASM-backed kernels plus the heap and thread pool they run on. */
export class WasmKernels {
  readonly name: BackendName;
  /** The instantiated kernel module (exports, memory, heap base, build kind). */
  readonly rt: WasmRuntime;
  /** Allocator of scratch space in the module's WASM memory. */
  readonly heap: WasmHeap;
  private readonly wsBytes: number;
  private pool: ThreadPool | undefined;
  private ws = 0;
  private wsSlots = 0;
  private threads = 1;
  private poolHelpers = 0;

  /**
   * Wrap an instantiated kernel module (normally done once by the backend loader; use
   * `kernels()` or `activeWasm()` rather than constructing this). Reserves one gemm/syrk
   * workspace in WASM memory.
   * @param rt - the instantiated runtime (exports, memory, heap base, build kind).
   */
  constructor(rt: WasmRuntime) {
    this.rt = rt;
    this.name = rt.build === 'fma' ? 'wasm-fma' : 'wasm';
    this.heap = new WasmHeap(rt.memory, rt.heapBase);
    const e = rt.exports;
    this.wsBytes = Math.ceil(Math.max(e.dgemm_workspace(), e.sgemm_workspace(), e.dsyrk_workspace(), e.ssyrk_workspace()) / 64) * 64;
    this.reserveWorkspaces(1);
  }

  /** Threads used by gemm (the calling thread plus helpers). */
  get threadCount(): number {
    return this.threads;
  }

  /** Helper workers actually running. */
  get workersRunning(): number {
    return this.pool?.size ?? 0;
  }

  /**
   * Use `n` threads for gemm (1 = the calling thread only). Workers start lazily, at the
   * first gemm large enough to share, so commands that never multiply never spawn threads.
   */
  setThreads(n: number): void {
    if (!(Number.isSafeInteger(n) && n >= 1)) throw new InvalidArgumentError(`WasmKernels.setThreads: threads must be an integer >= 1, got ${String(n)}`);
    if (n === this.threads) return;
    this.pool?.close();
    this.pool = undefined;
    this.threads = n;
  }

  private ensurePool(): ThreadPool | undefined {
    if (this.threads <= 1) return undefined;
    if (!this.pool) this.startPool(this.threads - 1);
    return this.pool!.size > 0 ? this.pool : undefined;
  }

  private startPool(requested: number): void {
    // The pool never starts more workers than cores - 1 (see ThreadPool); workspaces are
    // reserved for the workers that will exist, not for the count asked for.
    const helpers = Math.max(0, Math.min(requested, defaultThreadCount() - 1));
    // Every worker slot may take gemm tasks, so each needs its own workspace.
    this.reserveWorkspaces(helpers + 1);
    const ctl = this.heap.malloc(POOL_CONTROL_BYTES);
    this.heap.i32(ctl, POOL_CONTROL_BYTES / 4).fill(0);
    this.pool = new ThreadPool(this.rt, ctl, helpers);
    this.poolHelpers = helpers;
  }

  /**
   * A pool with at least `threads - 1` helper workers, for jobs other than gemm (the SGD
   * block tasks of src/kernels/sgd.ts). Independent of {@link setThreads}: gemm keeps
   * splitting its work `threadCount` ways (extra workers simply find no gemm task). Returns
   * undefined when `threads` is 1 or no worker could be started (run the tasks inline then).
   */
  workerPool(threads: number): ThreadPool | undefined {
    if (!(Number.isSafeInteger(threads) && threads >= 1)) throw new InvalidArgumentError(`workerPool: threads must be an integer >= 1, got ${String(threads)}`);
    threads = Math.min(threads, defaultThreadCount());
    if (threads <= 1) return undefined;
    if (!this.pool || this.poolHelpers < threads - 1) {
      this.pool?.close();
      this.pool = undefined;
      this.startPool(Math.max(threads, this.threads) - 1);
    }
    return this.pool!.size > 0 ? this.pool : undefined;
  }

  /** Stop worker threads (they are unref'd, so this is only needed to free them early). */
  close(): void {
    this.pool?.close();
    this.pool = undefined;
    this.threads = 1;
  }

  /**
   * A zeroed array of `n` elements inside the kernels' memory; kernels use it in place.
   * `zero = false` skips the fill for callers that overwrite every element (a reused heap
   * block then holds stale values until they do).
   */
  alloc(dtype: 'float64' | 'float32', n: number, zero = true): FloatArray {
    const bytes = n * (dtype === 'float64' ? 8 : 4);
    const ptr = this.heap.malloc(bytes);
    const a = dtype === 'float64' ? this.heap.f64(ptr, n) : this.heap.f32(ptr, n);
    if (zero) a.fill(0);
    return a;
  }

  /** Release an array from {@link alloc} (must be the exact array returned, not a subarray). */
  release(a: FloatArray): void {
    this.heap.free(a.byteOffset);
  }

  /**
   * Byte address of the calling thread's gemm workspace, for WASM routines that run gemm
   * themselves. Read it again after any other kernel call: starting the pool moves it.
   */
  get gemmWork(): number {
    return this.ws;
  }

  private reserveWorkspaces(slots: number): void {
    if (slots <= this.wsSlots) return;
    if (this.wsSlots > 0) this.heap.free(this.ws);
    this.ws = this.heap.malloc(this.wsBytes * slots);
    this.wsSlots = slots;
  }

  // Put a column-major rows x cols operand where the kernels can read it.
  private operand(a: FloatArray, off: number, ld: number, rows: number, cols: number, copyIn: boolean): Operand {
    const size = a.BYTES_PER_ELEMENT;
    if (this.heap.owns(a)) return { ptr: a.byteOffset + off * size, ld, scratch: -1 };
    const r = Math.max(rows, 1);
    const ptr = this.heap.malloc(r * cols * size);
    if (copyIn && rows > 0) {
      const view = size === 8 ? this.heap.f64(ptr, r * cols) : this.heap.f32(ptr, r * cols);
      if (ld === rows) view.set(a.subarray(off, off + rows * cols));
      else for (let j = 0; j < cols; j++) view.set(a.subarray(off + j * ld, off + j * ld + rows), j * rows);
    }
    return { ptr, ld: r, scratch: ptr };
  }

  private copyOut(c: Operand, C: FloatArray, offC: number, ldC: number, m: number, n: number): void {
    if (c.scratch < 0 || m === 0) return;
    const view = C.BYTES_PER_ELEMENT === 8 ? this.heap.f64(c.ptr, m * n) : this.heap.f32(c.ptr, m * n);
    if (ldC === m) C.set(view, offC);
    else for (let j = 0; j < n; j++) C.set(view.subarray(j * m, (j + 1) * m), offC + j * ldC);
  }

  // A gemm job of the pool (kind 0/1: f64/f32 gemm, 4/5: with a prepacked op(A) at aPtr;
  // assembly/pool.ts) when C is large enough to share, one block of C per thread cut along
  // the longer side; otherwise `single` runs it on this thread.
  private gemmJob(
    kind: number, transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    aPtr: number, lda: number, b: Operand, beta: number, c: Operand, single: () => void,
  ): void {
    const pool = m * n * k >= PARALLEL_MIN_MADDS ? this.ensurePool() : undefined;
    if (!pool) {
      single();
      return;
    }
    const t = this.threads;
    const mt = m >= 2 * n ? t : 1;
    const nt = m >= 2 * n ? 1 : t;
    this.rt.exports.gemm_parallel(pool.ctl, kind, +transA, +transB, m, n, k, alpha, aPtr, lda, b.ptr, b.ld, beta, c.ptr, c.ld, mt, nt, this.ws, this.wsBytes, canBlock() ? 1 : 0);
  }

  private releaseScratch(...ops: Operand[]): void {
    for (const o of ops) if (o.scratch >= 0) this.heap.free(o.scratch);
  }

  /** {@link Kernels.gemm} on this build, whatever memory the operands live in. */
  gemm(
    transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    A: FloatArray, offA: number, ldA: number, B: FloatArray, offB: number, ldB: number,
    beta: number, C: FloatArray, offC: number, ldC: number,
  ): void {
    const f32 = checkGemm(transA, transB, m, n, k, A, offA, ldA, B, offB, ldB, C, offC, ldC);
    if (m === 0 || n === 0) return;
    // Huge products of JS arrays: cut C (and B) into column slabs so scratch stays bounded.
    const size = f32 ? 4 : 8;
    const resident = this.heap.owns(A) && this.heap.owns(B) && this.heap.owns(C);
    const perCol = (k + m) * size;
    const slab = resident ? n : Math.max(1, Math.floor(SLAB_BYTES / Math.max(perCol, 1)));
    if (slab < n) {
      for (let j0 = 0; j0 < n; j0 += slab) {
        const nj = Math.min(slab, n - j0);
        const offBj = transB ? offB + j0 : offB + j0 * ldB;
        this.gemm(transA, transB, m, nj, k, alpha, A, offA, ldA, B, offBj, ldB, beta, C, offC + j0 * ldC, ldC);
      }
      return;
    }
    const a = this.operand(A, offA, ldA, transA ? k : m, transA ? m : k, true);
    const b = this.operand(B, offB, ldB, transB ? n : k, transB ? k : n, true);
    const c = this.operand(C, offC, ldC, m, n, beta !== 0);
    try {
      const e = this.rt.exports;
      this.gemmJob(f32 ? 1 : 0, transA, transB, m, n, k, alpha, a.ptr, a.ld, b, beta, c, () =>
        (f32 ? e.sgemm : e.dgemm)(+transA, +transB, m, n, k, alpha, a.ptr, a.ld, b.ptr, b.ld, beta, c.ptr, c.ld, this.ws));
      this.copyOut(c, C, offC, ldC, m, n);
    } finally {
      this.releaseScratch(a, b, c);
    }
  }

  /**
   * Elements of op(A) (m x k) packed for {@link WasmKernels.gemmPrepacked}: m rounded up to
   * the register tile, times k.
   */
  packedElements(dtype: 'float64' | 'float32', m: number, k: number): number {
    return (dtype === 'float32' ? this.rt.exports.spacked_elements : this.rt.exports.dpacked_elements)(m, k);
  }

  /** Columns per chunk that {@link WasmKernels.packColumns} takes (gemm's k-blocking depth). */
  packChunkColumns(dtype: 'float64' | 'float32'): number {
    return (dtype === 'float32' ? this.rt.exports.spack_chunk_cols : this.rt.exports.dpack_chunk_cols)();
  }

  /**
   * Pack columns c0 .. c0 + w of a column-major rows x cols matrix A, given as `chunk`
   * (leading dimension ldChunk), into P (op(A) = A) and PT (op(A) = A^T), each of
   * {@link WasmKernels.packedElements} elements; pass null to skip one. All arrays must live
   * in the kernels' memory. Feeding every chunk (c0 = 0, KC, 2 KC, ...; w = KC but for the
   * last) packs the whole matrix while only one chunk of A is ever in the heap.
   */
  packColumns(
    rows: number, cols: number, c0: number, w: number, chunk: FloatArray, ldChunk: number,
    P: FloatArray | null, PT: FloatArray | null,
  ): void {
    const f32 = chunk instanceof Float32Array;
    const dtype = f32 ? 'float32' : 'float64';
    const kc = this.packChunkColumns(dtype);
    for (const [name, x] of [['chunk', chunk], ['P', P], ['PT', PT]] as const) {
      if (x && (!this.heap.owns(x) || x instanceof Float32Array !== f32)) {
        throw new InvalidArgumentError(`packColumns: ${name} must be a ${dtype} array allocated in the kernels' memory`);
      }
    }
    checkSize('packColumns: rows', rows);
    checkSize('packColumns: cols', cols);
    if (!(Number.isInteger(c0) && c0 >= 0 && c0 % kc === 0 && Number.isInteger(w) && w >= 0 && (w === kc ? c0 + w <= cols : c0 + w === cols))) {
      throw new InvalidArgumentError(`packColumns: columns ${c0}..${c0 + w} are not a ${kc}-column chunk of ${cols}`);
    }
    checkMatrixArg('packColumns: chunk', chunk, 0, ldChunk, rows, w);
    if (P) checkMatrixArg('packColumns: P', P, 0, 1, 1, this.packedElements(dtype, rows, cols));
    if (PT) checkMatrixArg('packColumns: PT', PT, 0, 1, 1, this.packedElements(dtype, cols, rows));
    const e = this.rt.exports;
    (f32 ? e.spack_columns : e.dpack_columns)(rows, cols, c0, w, chunk.byteOffset, ldChunk, P ? P.byteOffset : 0, PT ? PT.byteOffset : 0);
  }

  /**
   * C := alpha op(A) op(B) + beta C with op(A) (m x k) packed by
   * {@link WasmKernels.packColumns}; same result as {@link WasmKernels.gemm} for alpha = 1.
   * Threaded like gemm.
   */
  gemmPrepacked(
    Ap: FloatArray, m: number, k: number, transB: boolean, n: number, alpha: number,
    B: FloatArray, offB: number, ldB: number, beta: number, C: FloatArray, offC: number, ldC: number,
  ): void {
    const f32 = checkGemm(false, transB, m, n, k, Ap, 0, Math.max(1, m), B, offB, ldB, C, offC, ldC);
    if (!this.heap.owns(Ap)) throw new InvalidArgumentError("gemmPrepacked: the packed operand must live in the kernels' memory");
    checkMatrixArg('gemmPrepacked: packed A', Ap, 0, 1, 1, this.packedElements(f32 ? 'float32' : 'float64', m, k));
    if (m === 0 || n === 0) return;
    const b = this.operand(B, offB, ldB, transB ? n : k, transB ? k : n, true);
    const c = this.operand(C, offC, ldC, m, n, beta !== 0);
    try {
      const e = this.rt.exports;
      this.gemmJob(f32 ? 5 : 4, false, transB, m, n, k, alpha, Ap.byteOffset, 0, b, beta, c, () =>
        (f32 ? e.sgemm_prepacked : e.dgemm_prepacked)(m, n, k, alpha, Ap.byteOffset, +transB, b.ptr, b.ld, beta, c.ptr, c.ld, this.ws));
      this.copyOut(c, C, offC, ldC, m, n);
    } finally {
      this.releaseScratch(b, c);
    }
  }

  /** {@link Kernels.syrk} on this build, whatever memory the operands live in. */
  syrk(
    uplo: 'L' | 'U', trans: boolean, n: number, k: number, alpha: number, A: FloatArray, offA: number, ldA: number,
    beta: number, C: FloatArray, offC: number, ldC: number,
  ): void {
    const f32 = checkSyrk(trans, n, k, A, offA, ldA, C, offC, ldC);
    if (n === 0) return;
    const a = this.operand(A, offA, ldA, trans ? k : n, trans ? n : k, true);
    // C is copied in whole even when beta == 0: the other triangle must survive copy-out.
    const c = this.operand(C, offC, ldC, n, n, true);
    try {
      const e = this.rt.exports;
      (f32 ? e.ssyrk : e.dsyrk)(uplo === 'L' ? 1 : 0, +trans, n, k, alpha, a.ptr, a.ld, beta, c.ptr, c.ld, this.ws);
      this.copyOut(c, C, offC, ldC, n, n);
    } finally {
      this.releaseScratch(a, c);
    }
  }
}
