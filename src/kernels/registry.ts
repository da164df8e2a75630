/**
 * The registry of kernel routines outside the {@link Kernels} contract (sparse products,
 * SGD and ALS epochs, NMF updates, symv, tridiagonalization, laswp, LU): each is declared
 * once, with {@link defineKernel}, as a pair of implementations, and one rule picks between
 * them at every call:
 *
 *   the WebAssembly implementation runs when a WASM backend is loaded and the call's
 *   operands live in its memory (or the routine's `select` says so: operands that carry
 *   their own module, a matrix it copies in, a size below which TypeScript is as fast);
 *   otherwise the TypeScript implementation runs.
 *
 * Where the TypeScript side of a routine lives in its caller (the blocked LAPACK paths, the
 * ALS row solver), its `js` implementation declines (returns undefined or false) and the
 * caller runs that path. {@link kernelRoutines} lists every routine defined so far.
 *
 * The `Kernels` routines (gemm, gemv, syrk, dot, axpy, scal, nrm2) are chosen as a whole, by
 * backend object, in ./index.ts.
 */
import { activeWasm } from './index.js';
import type { WasmKernels } from './wasm-kernels.js';

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

function operandsOf(args: unknown[]): ArrayBufferView[] {
  const out: ArrayBufferView[] = [];
  for (const a of args) if (ArrayBuffer.isView(a)) out.push(a);
  return out;
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
  const select = routine.select ?? ((...args: A) => wasmFor(...operandsOf(args)));
  return (...args: A): R => {
    const w = select(...args);
    return w ? wasm(w, ...args) : js(...args);
  };
}

/** Names of the routines defined so far (one per kernel module loaded), in definition order. */
export function kernelRoutines(): string[] {
  return [...names];
}
