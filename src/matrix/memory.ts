/**
 * Memory checks made before large allocations, so that a request the machine cannot hold
 * fails at once with an {@link OutOfMemoryError} that names the size and the need, instead
 * of the engine's bare RangeError ("Array buffer allocation failed") or minutes of swapping.
 *
 * Two limits are known up front: the length of one typed array, and (in Node) the
 * machine's physical memory. Anything else the engine refuses is caught at allocation.
 */
import { OutOfMemoryError } from '../errors.js';

/**
 * Most elements one typed array may have: V8's limit on 64-bit hosts (Node, Chrome).
 * Other engines' limits differ; an allocation they refuse is caught and reported the same way.
 */
export const MAX_TYPED_ARRAY_LENGTH = 2 ** 32;

/** One array a computation needs: a name for the message, its shape and element size. */
export interface MemoryBlock {
  /** What the array is, as the message should call it (e.g. `'U'`, `'the Krylov basis'`). */
  name: string;
  /** Rows (or length, with `cols` 1). */
  rows: number;
  /** Columns. */
  cols: number;
  /** Bytes per element: 8 for float64, 4 for float32 and int32. */
  bytesPerElement: number;
}

/**
 * Physical memory of this machine in bytes (Node's `os.totalmem()`), or undefined where
 * it cannot be known (browsers). Found through `process.getBuiltinModule`, as the thread
 * count is in kernels/pool.ts, so browser bundles carry no Node import.
 */
export function machineMemory(): number | undefined {
  // Read once: it does not change while we run, and allocation paths consult it.
  if (totalMemory === null) totalMemory = readTotalMemory();
  return totalMemory;
}

let totalMemory: number | undefined | null = null;

function readTotalMemory(): number | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (!proc || typeof proc.getBuiltinModule !== 'function') return undefined;
  try {
    const os = proc.getBuiltinModule('node:os') as { totalmem(): number };
    const total = os.totalmem();
    return Number.isFinite(total) && total > 0 ? total : undefined;
  } catch {
    return undefined;
  }
}

const UNITS = ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/** `"3.7e19 bytes (37 EB)"`, `"8.0e10 bytes (80 GB)"`, or `"512 bytes"` below a megabyte. */
export function formatBytes(bytes: number): string {
  if (!(bytes >= 1e6) || !Number.isFinite(bytes)) return `${bytes} bytes`;
  const exp = Math.min(Math.floor(Math.log10(bytes) / 3), UNITS.length);
  const human = bytes / 1000 ** exp;
  return `${bytes.toExponential(1).replace('e+', 'e')} bytes (${human < 10 ? human.toFixed(1) : Math.round(human)} ${UNITS[exp - 1]})`;
}

/** Total bytes of `blocks`. */
export function bytesOf(blocks: readonly MemoryBlock[]): number {
  let total = 0;
  for (const b of blocks) total += b.rows * b.cols * b.bytesPerElement;
  return total;
}

/**
 * Refuse a computation whose arrays cannot be had: one of them is longer than a typed array
 * may be, or together they exceed the machine's memory.
 * @param what - the computation, as the message should start (e.g. `'svd --full of 2147483647 x 0'`).
 * @param blocks - the arrays it allocates (outputs and the largest work arrays).
 * @param advice - what to do instead, appended to the message (e.g. `'read it as a sparse matrix'`).
 * @throws OutOfMemoryError naming the largest block and the total need.
 */
export function checkMemory(what: string, blocks: readonly MemoryBlock[], advice?: string): void {
  const tail = advice === undefined ? '' : `; ${advice}`;
  const total = bytesOf(blocks);
  let largest: MemoryBlock | undefined;
  for (const b of blocks) if (!largest || b.rows * b.cols > largest.rows * largest.cols) largest = b;
  if (largest && largest.rows * largest.cols > MAX_TYPED_ARRAY_LENGTH) {
    const bytes = largest.rows * largest.cols * largest.bytesPerElement;
    throw new OutOfMemoryError(
      `${what} needs ${largest.name} of ${largest.rows} x ${largest.cols} = ${formatBytes(bytes)}; one array can hold at most 2^32 elements${tail}`,
      total,
    );
  }
  const have = machineMemory();
  if (have !== undefined && total > have) {
    const parts = blocks.filter((b) => b.rows * b.cols > 0).map((b) => `${b.name} ${b.rows} x ${b.cols}`);
    throw new OutOfMemoryError(`${what} needs ${formatBytes(total)} in all (${parts.join(', ')}); this machine has ${formatBytes(have)} of memory${tail}`, total);
  }
}

/**
 * True for the RangeErrors engines throw when memory cannot be had: V8's "Array buffer
 * allocation failed", "Invalid typed array length: N", "Invalid array length", "Invalid
 * string length", and WebAssembly memory that cannot grow.
 */
export function isAllocationFailure(e: unknown): e is RangeError {
  return (
    e instanceof RangeError &&
    /allocation failed|invalid (typed )?array( buffer)? length|invalid string length|out of memory|WebAssembly\.Memory|could not allocate memory/i.test(e.message)
  );
}

/**
 * Run `make`, which allocates `elements` elements of `bytesPerElement` bytes, after
 * checking the typed-array and machine limits; an allocation the engine refuses anyway
 * becomes an {@link OutOfMemoryError} too.
 * @param what - the array, as the message should name it (e.g. `'a 100000 x 100000 float64 matrix'`),
 *   or a function giving that text (built only when the message is).
 */
export function allocating<T>(what: string | (() => string), elements: number, bytesPerElement: number, make: () => T): T {
  const bytes = elements * bytesPerElement;
  const name = (): string => (typeof what === 'string' ? what : what());
  if (elements > MAX_TYPED_ARRAY_LENGTH) {
    throw new OutOfMemoryError(`${name()} needs ${formatBytes(bytes)}; one array can hold at most 2^32 elements`, bytes);
  }
  // Small requests skip the machine check: they cannot exceed it, and they are frequent.
  const have = bytes >= MACHINE_CHECK_BYTES ? machineMemory() : undefined;
  if (have !== undefined && bytes > have) {
    throw new OutOfMemoryError(`${name()} needs ${formatBytes(bytes)}; this machine has ${formatBytes(have)} of memory`, bytes);
  }
  try {
    return make();
  } catch (e) {
    // A negative or fractional length is a caller's bug, not a lack of memory: rethrown as is.
    if (isAllocationFailure(e) && Number.isInteger(elements) && elements >= 0) throw new OutOfMemoryError(`${name()} needs ${formatBytes(bytes)}, which could not be allocated (${e.message})`, bytes, { cause: e });
    throw e;
  }
}

const MACHINE_CHECK_BYTES = 2 ** 26;

/**
 * A zeroed Int32Array of `n` elements (sparse row or column pointers, whose length follows
 * a dimension rather than the data), with the checks of {@link allocating}.
 * @param what - the array, as the message should name it, or a function giving that text.
 */
export function allocIndex(n: number, what: string | (() => string)): Int32Array {
  return allocating(what, n, 4, () => new Int32Array(n));
}
