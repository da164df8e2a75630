/**
 * Partial selection of the n largest scores (a size-n min-heap, O(N log n)) for top-n
 * recommendations, so a catalogue of N items is never fully sorted.
 */

/**
 * Indices of the `n` largest entries of `scores`, best first; ties go to the lower index so
 * results are deterministic. Entries with `skip[i] !== 0` and non-finite scores are ignored.
 */
export function topN(scores: Float64Array, n: number, skip: Uint8Array | null): Int32Array {
  const N = scores.length;
  const cap = Math.max(0, Math.min(n, N));
  const heap = new Int32Array(cap);
  let size = 0;
  // "a is worse than b": lower score, or equal score and higher index.
  const worse = (a: number, b: number): boolean => {
    const sa = scores[a]!;
    const sb = scores[b]!;
    return sa < sb || (sa === sb && a > b);
  };
  const siftDown = (k: number): void => {
    for (;;) {
      const l = 2 * k + 1;
      if (l >= size) return;
      const r = l + 1;
      let m = l;
      if (r < size && worse(heap[r]!, heap[l]!)) m = r;
      if (!worse(heap[m]!, heap[k]!)) return;
      const t = heap[m]!;
      heap[m] = heap[k]!;
      heap[k] = t;
      k = m;
    }
  };
  if (cap === 0) return heap;
  for (let i = 0; i < N; i++) {
    if (skip !== null && skip[i] !== 0) continue;
    if (!Number.isFinite(scores[i]!)) continue;
    if (size < cap) {
      let k = size++;
      heap[k] = i;
      while (k > 0) {
        const parent = (k - 1) >> 1;
        if (!worse(heap[k]!, heap[parent]!)) break;
        const t = heap[parent]!;
        heap[parent] = heap[k]!;
        heap[k] = t;
        k = parent;
      }
    } else if (worse(heap[0]!, i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  // Pop worst-first into the back of the result.
  const out = new Int32Array(size);
  for (let k = size - 1; k >= 0; k--) {
    out[k] = heap[0]!;
    size--;
    if (size > 0) {
      heap[0] = heap[size]!;
      siftDown(0);
    }
  }
  return out;
}
