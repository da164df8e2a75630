import { activeWasm, availableBackends, setBackend, type BackendName } from '../src/kernels/index.js';
import { allocFloat, type DType, type FloatArray } from '../src/matrix/dtype.js';
import { rng, type Rng } from '../src/random.js';

/** Every backend this runtime can run (the suite runs each kernel test on all of them). */
export const BACKEND_NAMES: BackendName[] = availableBackends();

/** Run `fn` with `name` active, restoring the automatic choice afterwards. */
export function withBackend<T>(name: BackendName, fn: () => T): T {
  setBackend(name);
  try {
    return fn();
  } finally {
    setBackend('auto');
  }
}

/**
 * Array of `n` elements filled from `r`, either an ordinary typed array or (when
 * `resident` and a WASM backend is active) one inside WASM memory, which kernels use in place.
 */
export function randomArray(dtype: DType, n: number, r: Rng, resident = false): FloatArray {
  const w = resident ? activeWasm() : undefined;
  const a = w ? w.alloc(dtype, n) : allocFloat(dtype, n);
  for (let i = 0; i < n; i++) a[i] = 2 * r.nextDouble() - 1;
  return a;
}

/** Free arrays from {@link randomArray} that live in WASM memory. */
export function releaseAll(...arrays: FloatArray[]): void {
  const w = activeWasm();
  if (!w) return;
  for (const a of arrays) if (w.heap.owns(a)) w.release(a);
}

export { rng };
