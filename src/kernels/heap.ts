/**
 * A first-fit allocator over the kernels' shared WebAssembly memory, owned by the thread
 * that created it (workers never allocate). Blocks are 64-byte aligned (a cache line, and
 * what the packing buffers want). Free blocks are kept sorted by address and coalesced.
 * Memory grows on demand and never shrinks (WebAssembly memories cannot).
 *
 * Because the memory is shared, typed-array views stay valid when it grows (a shared buffer
 * is never detached), so heap-resident matrices can be handed out as ordinary
 * Float64Array / Float32Array views, and kernels called on them run without copying.
 */
import { InvalidArgumentError, OutOfMemoryError } from '../errors.js';
import { MAX_PAGES, PAGE_BYTES } from './wasm-module.js';

// The class lives with the other errors (the public entry exports it from there); kernel
// modules that catch it to fall back to JS memory import it from here.
export { OutOfMemoryError };

const ALIGN = 64;

export class WasmHeap {
  private readonly memory: WebAssembly.Memory;
  /** Free blocks [start, size], sorted by start. */
  private readonly freeList: { start: number; size: number }[] = [];
  private readonly sizes = new Map<number, number>();
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private top: number;
  /** The memory's buffer as of the last grow; views are made from it. */
  private buf: ArrayBufferLike;

  constructor(memory: WebAssembly.Memory, base: number) {
    this.memory = memory;
    this.top = align(base);
    this.buf = memory.buffer;
    this.buffers.add(this.buf);
  }

  /** Bytes currently reserved by the memory. */
  get capacity(): number {
    return this.buf.byteLength;
  }

  /** Bytes currently handed out. */
  get allocated(): number {
    let s = 0;
    for (const v of this.sizes.values()) s += v;
    return s;
  }

  /** Allocate `bytes` (rounded up to 64) and return the byte address. */
  malloc(bytes: number): number {
    if (!(Number.isInteger(bytes) && bytes >= 0)) throw new InvalidArgumentError(`malloc: bytes must be a non-negative integer, got ${bytes}`);
    const size = align(Math.max(bytes, 1));
    for (let i = 0; i < this.freeList.length; i++) {
      const b = this.freeList[i]!;
      if (b.size >= size) {
        const ptr = b.start;
        if (b.size === size) this.freeList.splice(i, 1);
        else {
          b.start += size;
          b.size -= size;
        }
        this.sizes.set(ptr, size);
        return ptr;
      }
    }
    const ptr = this.top;
    this.ensure(ptr + size);
    this.top = ptr + size;
    this.sizes.set(ptr, size);
    return ptr;
  }

  /** Return a block from {@link malloc}. Freeing twice or a foreign pointer throws. */
  free(ptr: number): void {
    const size = this.sizes.get(ptr);
    if (size === undefined) throw new InvalidArgumentError(`free: ${ptr} is not an allocated block`);
    this.sizes.delete(ptr);
    if (ptr + size === this.top) {
      this.top = ptr;
      // Give trailing free blocks back to the top as well.
      const last = this.freeList[this.freeList.length - 1];
      if (last && last.start + last.size === this.top) {
        this.top = last.start;
        this.freeList.pop();
      }
      return;
    }
    // Insert sorted, then merge with neighbours.
    let lo = 0;
    let hi = this.freeList.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.freeList[mid]!.start < ptr) lo = mid + 1;
      else hi = mid;
    }
    this.freeList.splice(lo, 0, { start: ptr, size });
    const next = this.freeList[lo + 1];
    const cur = this.freeList[lo]!;
    if (next && cur.start + cur.size === next.start) {
      cur.size += next.size;
      this.freeList.splice(lo + 1, 1);
    }
    const prev = this.freeList[lo - 1];
    if (prev && prev.start + prev.size === cur.start) {
      prev.size += cur.size;
      this.freeList.splice(lo, 1);
    }
  }

  /** Float64 view of `n` elements at `ptr`. */
  f64(ptr: number, n: number): Float64Array {
    return new Float64Array(this.buf, ptr, n);
  }

  /** Float32 view of `n` elements at `ptr`. */
  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.buf, ptr, n);
  }

  /** Int32 view of `n` elements at `ptr`. */
  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.buf, ptr, n);
  }

  /** True when `a` is a view into this heap's memory (kernels then run on it in place). */
  owns(a: ArrayBufferView): boolean {
    if (this.buffers.has(a.buffer)) return true;
    // Some engines hand out a fresh buffer object per `memory.buffer` access.
    if (a.buffer === this.memory.buffer) {
      this.buffers.add(a.buffer);
      return true;
    }
    return false;
  }

  private ensure(end: number): void {
    const have = this.buf.byteLength;
    if (end <= have) return;
    const needPages = Math.ceil((end - have) / PAGE_BYTES);
    const havePages = have / PAGE_BYTES;
    // Grow geometrically (x1.5) to keep the number of grow calls logarithmic.
    const pages = Math.min(MAX_PAGES - havePages, Math.max(needPages, Math.ceil(havePages / 2)));
    if (pages < needPages) throw new OutOfMemoryError(`WebAssembly memory is limited to 4 GiB; ${end - have} more bytes were requested`, end - have);
    try {
      this.memory.grow(pages);
    } catch (e) {
      throw new OutOfMemoryError(`could not grow WebAssembly memory by ${pages * PAGE_BYTES} bytes`, pages * PAGE_BYTES, { cause: e });
    }
    this.buf = this.memory.buffer;
    this.buffers.add(this.buf);
  }
}

function align(x: number): number {
  return Math.ceil(x / ALIGN) * ALIGN;
}
