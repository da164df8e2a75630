/**
 * Scratch memory for factorizations. Arrays come from the active WASM kernels' heap when
 * there is one, so gemm/gemv/axpy on them run in place instead of copying (see
 * WasmKernels); on the TypeScript backend, or when the heap is full, they are ordinary
 * typed arrays. Everything a Workspace hands out is released together.
 */
import { OutOfMemoryError } from './heap.js';
import { wasmFor } from './registry.js';
import type { WasmKernels } from './wasm-kernels.js';
import type { DType, FloatArray } from '../matrix/dtype.js';

/** A set of scratch arrays released together (use {@link withWorkspace}). */
export class Workspace {
  private readonly wasm: WasmKernels | undefined = wasmFor();
  private readonly owned: FloatArray[] = [];

  /**
   * A zeroed array of `n` elements of `dtype` (`zero = false`: contents unspecified, for
   * callers that overwrite every element).
   */
  alloc(dtype: DType, n: number, zero = true): FloatArray {
    if (this.wasm && n > 0) {
      try {
        const a = this.wasm.alloc(dtype, n, zero);
        this.owned.push(a);
        return a;
      } catch (e) {
        if (!(e instanceof OutOfMemoryError)) throw e;
      }
    }
    return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  }

  /** A zeroed Float64Array of `n` elements. */
  f64(n: number): Float64Array {
    return this.alloc('float64', n) as Float64Array;
  }

  /** A zeroed array of `n` elements with the dtype of `like`. */
  like(like: FloatArray, n: number): FloatArray {
    return this.alloc(like instanceof Float32Array ? 'float32' : 'float64', n);
  }

  /** Release every array handed out (they must not be used afterwards). */
  release(): void {
    for (const a of this.owned) this.wasm!.release(a);
    this.owned.length = 0;
  }
}

/** Run `fn` with a fresh {@link Workspace} and release it afterwards, even on error. */
export function withWorkspace<T>(fn: (ws: Workspace) => T): T {
  const ws = new Workspace();
  try {
    return fn(ws);
  } finally {
    ws.release();
  }
}
