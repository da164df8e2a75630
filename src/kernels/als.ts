/**
 * Alternating-least-squares half-steps on the WASM SIMD build (assembly/als.ts): the ratings
 * in both CSR orders, the factor matrices and the scratch live in WebAssembly memory for the
 * whole fit, and one call solves every row of a side (Gram accumulation, Cholesky and
 * substitution in WASM). The TypeScript fallback is the row solver in
 * src/kernels/als-row-solve.ts, which the models use when {@link AlsWasm.create}
 * returns undefined (the 'js' backend, or a heap too small for the problem).
 */
import { ALS_PARAMS_BYTES, writeAlsParams } from './generated/abi.js';
import { OutOfMemoryError } from './heap.js';
import { canBlock } from './pool.js';
import { defineKernel } from './registry.js';
import type { WasmKernels } from './wasm-kernels.js';
import type { WasmExports } from './wasm-module.js';

// Below this many rows a half-step is not worth waking other threads for.
const PARALLEL_MIN_ROWS = 256;

/** One CSR side of a ratings table, as the models hold it. */
export interface CsrSide {
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

interface HeapCsr {
  indptr: number;
  indices: number;
  values: number;
  rows: number;
}

/**
 * The buffers of one ALS fit in WASM memory. `P`, `Q`, `bu`, `bi` are views of the heap
 * (row stride = factors); read them before {@link release}.
 */
export class AlsWasm {
  readonly P: Float32Array;
  readonly Q: Float32Array;
  readonly bu: Float32Array;
  readonly bi: Float32Array;
  private readonly w: WasmKernels;
  private readonly ex: WasmExports;
  private readonly blocks: number[];
  private readonly users: HeapCsr;
  private readonly items: HeapCsr;
  private readonly ptrs: { P: number; Q: number; bu: number; bi: number; work: number; base: number; params: number };

  private constructor(w: WasmKernels, blocks: number[], users: HeapCsr, items: HeapCsr, ptrs: AlsWasm['ptrs'], nU: number, nI: number, readonly f: number, readonly n: number) {
    this.w = w;
    this.ex = w.rt.exports;
    this.blocks = blocks;
    this.users = users;
    this.items = items;
    this.ptrs = ptrs;
    this.P = w.heap.f32(ptrs.P, nU * f);
    this.Q = w.heap.f32(ptrs.Q, nI * f);
    this.bu = w.heap.f32(ptrs.bu, nU);
    this.bi = w.heap.f32(ptrs.bi, nI);
  }

  /**
   * Copy the two CSR sides into WASM memory and allocate factors (zeroed) and scratch for
   * systems of size `n` (f, or f + 1 with a bias). Undefined when no WASM backend is active
   * or the heap cannot hold the problem (the caller then runs the TypeScript path).
   */
  static create(byUser: CsrSide, byItem: CsrSide, f: number, n: number): AlsWasm | undefined {
    return AlsWasm.session(byUser, byItem, f, n);
  }

  // The registry's rule decides: a session on a WASM backend, none on the TypeScript one
  // (whose row solver, src/kernels/als-row-solve.ts, the models then run).
  private static readonly session = defineKernel<[byUser: CsrSide, byItem: CsrSide, f: number, n: number], AlsWasm | undefined>({
    name: 'als',
    wasm: (w, byUser, byItem, f, n) => AlsWasm.allocate(w, byUser, byItem, f, n),
    js: () => undefined,
  });

  private static allocate(w: WasmKernels, byUser: CsrSide, byItem: CsrSide, f: number, n: number): AlsWasm | undefined {
    const h = w.heap;
    const blocks: number[] = [];
    const take = (bytes: number): number => {
      const p = h.malloc(Math.max(8, bytes));
      blocks.push(p);
      new Uint8Array(h.i32(p, 0).buffer, p, Math.max(8, bytes)).fill(0);
      return p;
    };
    try {
      const side = (c: CsrSide): HeapCsr => {
        const rows = c.indptr.length - 1;
        const nnz = c.indices.length;
        const indptr = take(4 * (rows + 1));
        const indices = take(4 * nnz);
        const values = take(4 * nnz);
        h.i32(indptr, rows + 1).set(c.indptr);
        h.i32(indices, nnz).set(c.indices);
        h.f32(values, nnz).set(c.values);
        return { indptr, indices, values, rows };
      };
      const users = side(byUser);
      const items = side(byItem);
      const ex = w.rt.exports;
      const ptrs = {
        P: take(4 * users.rows * f),
        Q: take(4 * items.rows * f),
        bu: take(4 * users.rows),
        bi: take(4 * items.rows),
        work: take(8 * ex.als_work_doubles(n)),
        base: take(8 * n * n),
        params: take(ALS_PARAMS_BYTES),
      };
      return new AlsWasm(w, blocks, users, items, ptrs, users.rows, items.rows, f, n);
    } catch (e) {
      for (const p of blocks) h.free(p);
      if (e instanceof OutOfMemoryError) return undefined;
      throw e;
    }
  }

  /**
   * Explicit ALS-WR half-step: solve every user (side 'users', items fixed) or every item.
   * With n = f + 1 the bias is solved with the factors (ratings centred by mu minus the fixed side's bias).
   */
  explicit(side: 'users' | 'items', mu: number, reg: number, threads = 1): void {
    const [c, fixed, fixedBias, out, outBias] = side === 'users'
      ? [this.users, this.ptrs.Q, this.ptrs.bi, this.ptrs.P, this.ptrs.bu]
      : [this.items, this.ptrs.P, this.ptrs.bu, this.ptrs.Q, this.ptrs.bi];
    this.solveRows({ c, fixed, fixedBias, n: this.n, mu, reg, alpha: 0, mode: 0, base: 0, out, outBias, cgSteps: 0 }, threads);
  }

  /**
   * Implicit half-step (Hu et al. 2008): `base` is Y^T Y + lambda I of the fixed side (f x f,
   * row-major, full), confidence 1 + alpha r; exact Cholesky solves, or with `cgSteps` > 0
   * that many conjugate-gradient steps warm-started from the current factors.
   */
  implicit(side: 'users' | 'items', base: Float64Array, alpha: number, cgSteps = 0, threads = 1): void {
    const [c, fixed, out] = side === 'users' ? [this.users, this.ptrs.Q, this.ptrs.P] : [this.items, this.ptrs.P, this.ptrs.Q];
    this.w.heap.f64(this.ptrs.base, this.f * this.f).set(base.subarray(0, this.f * this.f));
    const mode = cgSteps > 0 ? 2 : 1;
    this.solveRows({ c, fixed, fixedBias: 0, n: this.f, mu: 0, reg: 0, alpha, mode, base: this.ptrs.base, out, outBias: 0, cgSteps }, threads);
  }

  /**
   * Every row of one side: one als_rows call, or with `threads` > 1 chunks of rows shared
   * out on the worker pool (rows are independent: the result is the same either way).
   */
  private solveRows(
    a: { c: HeapCsr; fixed: number; fixedBias: number; n: number; mu: number; reg: number; alpha: number; mode: number; base: number; out: number; outBias: number; cgSteps: number },
    threads: number,
  ): void {
    const rows = a.c.rows;
    const pool = threads > 1 && rows >= PARALLEL_MIN_ROWS ? this.w.workerPool(threads) : undefined;
    if (!pool) {
      this.ex.als_rows(0, rows, a.c.indptr, a.c.indices, a.c.values, a.fixed, a.fixedBias, this.f, a.n, a.mu, a.reg, a.alpha, a.mode, a.base, a.out, a.outBias, this.ptrs.work, a.cgSteps);
      return;
    }
    const slots = pool.size + 1;
    const stride = this.slotScratch(slots);
    // Chunks small enough to balance rows of very different lengths, large enough to keep
    // the task overhead (one atomic per chunk) negligible.
    const chunk = Math.max(16, Math.ceil(rows / (8 * slots)));
    writeAlsParams(this.w.rt.memory.buffer, this.ptrs.params, {
      rows, chunk, indptr: a.c.indptr, indices: a.c.indices, values: a.c.values,
      fixed: a.fixed, fixedBias: a.fixedBias, f: this.f, n: a.n, mode: a.mode, base: a.base,
      out: a.out, outBias: a.outBias, work: this.slotWork, workStride: stride, cgSteps: a.cgSteps,
      mu: a.mu, reg: a.reg, alpha: a.alpha,
    });
    this.ex.als_parallel(pool.ctl, this.ptrs.params, Math.ceil(rows / chunk), canBlock() ? 1 : 0);
  }

  private slotWork = 0;
  private slotCount = 0;

  // Scratch for `slots` threads (slot 0 is the calling thread); returns the byte stride.
  private slotScratch(slots: number): number {
    const stride = Math.ceil((8 * this.ex.als_work_doubles(this.n)) / 64) * 64;
    if (this.slotCount < slots) {
      if (this.slotWork) {
        this.w.heap.free(this.slotWork);
        this.blocks.splice(this.blocks.indexOf(this.slotWork), 1);
      }
      this.slotWork = this.w.heap.malloc(stride * slots);
      this.blocks.push(this.slotWork);
      this.slotCount = slots;
    }
    return stride;
  }

  /** Free the WASM memory (the views become invalid). */
  release(): void {
    for (const p of this.blocks) this.w.heap.free(p);
    this.blocks.length = 0;
  }
}
