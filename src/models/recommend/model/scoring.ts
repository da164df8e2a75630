/**
 * Scoring a whole catalogue for top-n recommendations through the kernels: one float32
 * gemv per user (one gemm per batch of users) screens every item, and the few items that can
 * still be in the top n are then scored exactly as the scalar loop always scored them, so
 * the lists are the same, tie-breaks included, as ranking every item in float64.
 *
 * Screen. The item rows are copied once into the kernels' (WASM) memory as [q_i, b_i]
 * (q_i alone when every b_i is 0; zeros for items without training ratings), padded to a
 * multiple of 4 floats, so that y = Q_aug x_aug with x_aug = [p_u, 1] is one `sgemv`
 * (`sgemm` for a batch: S = Q_aug P_aug^T, one contiguous column of S per user). A bounded
 * min-heap of the n largest y gives tau, the n-th largest; every item with y >= tau - 2 delta
 * is a candidate (the scan keeps those above the heap's running minimum minus 2 delta and
 * filters them at the end). Seen items are set to -Infinity in y before the scan.
 *
 * delta bounds |y_j - (b_j + p_u . q_j)| by the forward error bound of a float32 dot product
 * of length L in any summation order, gamma_L |x|^T |q| with gamma_L = L u / (1 - L u),
 * u = 2^-24 (Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed., 2002,
 * eq. (3.5)), bounded by Cauchy-Schwarz as gamma_L ||x_aug|| max_j ||[q_j, b_j]||, plus
 * L 2^-149 for products and sums that underflow (tiny factors), plus the float64 rounding of
 * the exact scores (and then doubled, for margin).
 *
 * Refine. Candidates get the exact score (mu + b_u + b_j) + sum_a p_ua q_ja, float64, in the
 * order of the scalar loop, and `topN` ranks them (score desc, lower index on ties).
 *
 * Why the candidates hold the exact top n: let tau_e be the n-th largest exact score e_j and
 * write y'_j = y_j + base (base = mu + b_u). Every j has |y'_j - e_j| <= delta. The n items
 * with e >= tau_e have y' >= tau_e - delta. And tau' (the n-th largest y') is at most
 * tau_e + delta: otherwise n items would have y' > tau_e + delta, so e > tau_e, and tau_e
 * would not be the n-th largest e. So every item of the exact top n (ties at tau_e
 * included) has y' >= tau' - 2 delta. When the inputs are not finite or so large that a
 * float32 sum could overflow, the bound is void and the caller ranks by the scalar loop.
 *
 * The copy costs nItems x L floats of WASM memory (400 MB at 1,000,000 items x 100
 * factors) for as long as the model lives (a FinalizationRegistry frees it with the model).
 */
import { OutOfMemoryError } from '../../../errors.js';
import { activeWasm, kernels, type WasmKernels } from '../../../kernels/index.js';
import type { FactorModelState } from './state.js';
import { topN } from './top-n.js';

const U32 = 2 ** -24;
const U64 = 2 ** -53;
/** Above this ||x_aug|| max||q_aug||, a float32 dot could overflow: the screen is skipped. */
const SCREEN_MAX_MAGNITUDE = 1e30;
/** Bytes of the score block S of one gemm batch (users x items float32). */
const BATCH_SCORE_BYTES = 64 * 2 ** 20;
/** Most users per gemm batch. */
const BATCH_MAX_USERS = 256;

/** One user to rank: factors x[off .. off + f), base = mu + b_u, seen items to leave out. */
export interface ScoringQuery {
  /** Array holding the user's factors. */
  readonly x: Float32Array;
  /** Offset of the factors in `x`. */
  readonly off: number;
  /** mu + b_u: the part of every item's score that does not depend on the item. */
  readonly base: number;
  /** Item indices to leave out are seen[seenStart .. seenEnd) (null: none). */
  readonly seen: Int32Array | null;
  readonly seenStart: number;
  readonly seenEnd: number;
}

/** A user's top n: item indices best first and their exact (unclipped) scores. */
export interface RankedIndices {
  readonly items: Int32Array;
  readonly scores: Float64Array;
}

interface Held {
  readonly owner: WasmKernels | undefined;
  readonly arrays: Float32Array[];
  freed: boolean;
}

function freeHeld(h: Held): void {
  if (h.freed) return;
  h.freed = true;
  if (h.owner) for (const a of h.arrays) h.owner.release(a);
  h.arrays.length = 0;
}

const registry = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<Held>(freeHeld) : undefined;

// An array in the kernels' memory when a WASM backend is active (kernels then run in place),
// else an ordinary one (the TypeScript kernels run).
function allocate(owner: WasmKernels | undefined, held: Held, n: number): Float32Array {
  if (!owner) return new Float32Array(n);
  const a = owner.alloc('float32', n, false) as Float32Array;
  held.arrays.push(a);
  return a;
}

/**
 * The catalogue's screening copy and the scoring routines over it. Built by
 * {@link ItemScorer.build} for one model state; stale once the kernels' backend changes
 * ({@link ItemScorer.current}).
 */
export class ItemScorer {
  private readonly state: FactorModelState;
  private readonly trained: Uint8Array;
  private readonly owner: WasmKernels | undefined;
  private readonly held: Held;
  /** Q_aug: nItems rows of `ld` floats. */
  private readonly Q: Float32Array;
  /** Floats used per row: factors + 1 when item biases are stored. */
  private readonly width: number;
  /** Row stride: width rounded up to a multiple of 4 (whole SIMD vectors). */
  private readonly ld: number;
  private readonly withBias: boolean;
  /** max_j ||[q_j, b_j]|| over items with training ratings. */
  private readonly maxRowNorm: number;
  private single: { x: Float32Array; y: Float32Array } | undefined;

  private constructor(state: FactorModelState, trained: Uint8Array, owner: WasmKernels | undefined, held: Held, Q: Float32Array, width: number, ld: number, withBias: boolean, maxRowNorm: number) {
    this.state = state;
    this.trained = trained;
    this.owner = owner;
    this.held = held;
    this.Q = Q;
    this.width = width;
    this.ld = ld;
    this.withBias = withBias;
    this.maxRowNorm = maxRowNorm;
  }

  /**
   * Copy the item side of `state` for screening (into WASM memory when a WASM backend is
   * active). `lifetime` is the object whose garbage collection frees the copy (the model).
   * Returns undefined when there is nothing to screen (no factors and no biases) or the
   * WASM memory cannot hold the copy (the caller then ranks by the scalar loop).
   */
  static build(state: FactorModelState, trained: Uint8Array, lifetime: object): ItemScorer | undefined {
    const ni = state.ids.itemIds.length;
    const f = state.factors;
    const Qs = state.itemFactors;
    const B = state.itemBias;
    let withBias = false;
    for (let j = 0; j < ni; j++) if (B[j] !== 0 && trained[j] === 1) withBias = true;
    const width = f + (withBias ? 1 : 0);
    if (width === 0 || ni === 0) return undefined;
    const ld = Math.ceil(width / 4) * 4;
    const owner = activeWasm();
    const held: Held = { owner, arrays: [], freed: false };
    let Q: Float32Array;
    try {
      Q = allocate(owner, held, ni * ld);
    } catch (e) {
      if (e instanceof OutOfMemoryError) return undefined;
      throw e;
    }
    let maxSq = 0;
    for (let j = 0; j < ni; j++) {
      const r = j * ld;
      if (trained[j] !== 1) {
        Q.fill(0, r, r + ld);
        continue;
      }
      let sq = 0;
      const q = j * f;
      for (let a = 0; a < f; a++) {
        const v = Qs[q + a]!;
        Q[r + a] = v;
        sq += v * v;
      }
      if (withBias) {
        Q[r + f] = B[j]!;
        sq += B[j]! * B[j]!;
      }
      for (let a = width; a < ld; a++) Q[r + a] = 0;
      // NaN stays NaN (max would drop it): it voids the bound.
      if (!(sq <= maxSq)) maxSq = Number.isNaN(sq) ? NaN : sq;
      if (Number.isNaN(maxSq)) break;
    }
    const scorer = new ItemScorer(state, trained, owner, held, Q, width, ld, withBias, Math.sqrt(maxSq));
    registry?.register(lifetime, held, held);
    return scorer;
  }

  /** False once the kernels' backend has changed since the copy was made (build a new one). */
  current(): boolean {
    return !this.held.freed && this.owner === activeWasm();
  }

  /** Free the copy now (the scorer must not be used afterwards). */
  release(): void {
    registry?.unregister(this.held);
    freeHeld(this.held);
  }

  /**
   * The top `n` items of each query, exactly as ranking every item by its float64 score
   * (see the file comment), or undefined for a query whose scores are out of the screen's
   * range (non-finite or huge factors), or for every query when the kernels' memory cannot
   * hold the score buffers: rank those by the scalar loop.
   */
  topN(queries: readonly ScoringQuery[], n: number): (RankedIndices | undefined)[] {
    if (queries.length === 0) return [];
    const ni = this.state.ids.itemIds.length;
    if (queries.length === 1) {
      if (!this.single) {
        const x = this.tryAllocate(this.ld);
        const y = x && this.tryAllocate(ni);
        if (!x || !y) return [undefined];
        this.single = { x, y };
      }
      const { x, y } = this.single;
      const scale = this.loadQuery(queries[0]!, x, 0);
      if (scale === undefined) return [undefined];
      kernels().gemv(true, this.ld, ni, 1, this.Q, 0, this.ld, x, 0, 1, 0, y, 0, 1);
      return [this.select(queries[0]!, y, 0, scale, n)];
    }
    const bs = Math.max(1, Math.min(BATCH_MAX_USERS, queries.length, Math.floor(BATCH_SCORE_BYTES / 4 / Math.max(ni, 1))));
    const P = this.tryAllocate(this.ld * bs);
    const S = P && this.tryAllocate(ni * bs);
    if (!P || !S) {
      if (P) this.drop(P);
      return queries.map(() => undefined);
    }
    const out: (RankedIndices | undefined)[] = [];
    try {
      const scales: (number | undefined)[] = new Array(bs);
      for (let b0 = 0; b0 < queries.length; b0 += bs) {
        const m = Math.min(bs, queries.length - b0);
        for (let k = 0; k < m; k++) scales[k] = this.loadQuery(queries[b0 + k]!, P, k * this.ld);
        // S (ni x m, column-major) = Q_aug P_aug^T: the row-major Q_aug is Q_aug^T column-major.
        kernels().gemm(true, false, ni, m, this.ld, 1, this.Q, 0, this.ld, P, 0, this.ld, 0, S, 0, ni);
        for (let k = 0; k < m; k++) {
          const s = scales[k];
          out.push(s === undefined ? undefined : this.select(queries[b0 + k]!, S, k * ni, s, n));
        }
      }
    } finally {
      this.drop(S);
      this.drop(P);
    }
    return out;
  }

  // A buffer in the copy's memory, or undefined when that memory is full (4 GiB for WASM).
  private tryAllocate(n: number): Float32Array | undefined {
    try {
      return allocate(this.owner, this.held, n);
    } catch (e) {
      if (e instanceof OutOfMemoryError) return undefined;
      throw e;
    }
  }

  private drop(a: Float32Array): void {
    if (!this.owner || this.held.freed) return;
    const i = this.held.arrays.indexOf(a);
    if (i >= 0) this.held.arrays.splice(i, 1);
    this.owner.release(a);
  }

  // Put x_aug = [p_u, 1, 0 ...] at P[o ..]; returns ||x_aug|| max||q_aug|| (the scale of the
  // error bound), or undefined when the bound would be void.
  private loadQuery(q: ScoringQuery, P: Float32Array, o: number): number | undefined {
    const f = this.state.factors;
    let sq = 0;
    for (let a = 0; a < f; a++) {
      const v = q.x[q.off + a]!;
      P[o + a] = v;
      sq += v * v;
    }
    if (this.withBias) {
      P[o + f] = 1;
      sq += 1;
    }
    for (let a = this.width; a < this.ld; a++) P[o + a] = 0;
    const scale = Math.sqrt(sq) * this.maxRowNorm;
    return Number.isFinite(q.base) && scale <= SCREEN_MAX_MAGNITUDE ? scale : undefined;
  }

  // Screen the scores y[o .. o + nItems) of one query, then rank the candidates exactly.
  private select(q: ScoringQuery, y: Float32Array, o: number, scale: number, n: number): RankedIndices {
    const s = this.state;
    if (q.seen) for (let p = q.seenStart; p < q.seenEnd; p++) y[o + q.seen[p]!] = -Infinity;
    const L = this.ld;
    const gamma = (L * U32) / (1 - L * U32);
    const f = s.factors;
    // float32 screen error (relative, plus at most 2^-150 per product and sum that
    // underflows to a subnormal) + float64 rounding of the exact scores (f + 8 roundings of
    // terms bounded by |base| + scale), doubled.
    const delta = 2 * (gamma * scale + L * 2 ** -149 + (f + 8) * 2 * U64 * (Math.abs(q.base) + scale));
    const cand = screen(y, o, s.ids.itemIds.length, n, 2 * delta);
    // Exact scores in the scalar loop's arithmetic: float64 factors, sequential sum.
    const xs = new Float64Array(f);
    for (let a = 0; a < f; a++) xs[a] = q.x[q.off + a]!;
    const Qs = s.itemFactors;
    const exact = new Float64Array(cand.length);
    for (let c = 0; c < cand.length; c++) {
      const j = cand[c]!;
      if (this.trained[j] !== 1) {
        exact[c] = q.base;
        continue;
      }
      let d = 0;
      const r = j * f;
      for (let a = 0; a < f; a++) d += xs[a]! * Qs[r + a]!;
      exact[c] = q.base + s.itemBias[j]! + d;
    }
    const pos = topN(exact, n, null);
    const items = new Int32Array(pos.length);
    const scores = new Float64Array(pos.length);
    for (let k = 0; k < pos.length; k++) {
      items[k] = cand[pos[k]!]!;
      scores[k] = exact[pos[k]!]!;
    }
    return { items, scores };
  }
}

/**
 * Candidates for the top `n` of y[o .. o + len): the indices (relative to `o`, ascending) of
 * the entries >= tau - margin, tau the n-th largest entry (all entries when fewer than n).
 * -Infinity and NaN entries are never candidates. One pass with a size-n min-heap of values;
 * entries that pass the running threshold (heap minimum - margin, which only rises) are
 * kept and filtered against the final one.
 */
export function screen(y: Float32Array, o: number, len: number, n: number, margin: number): Int32Array {
  if (n <= 0 || len <= 0) return new Int32Array(0);
  const heap = new Float64Array(n);
  let size = 0;
  // Finite, so `v >= low` alone keeps -Infinity and NaN out.
  let low = -Number.MAX_VALUE;
  let cand = new Int32Array(Math.min(len, 8 * n + 64));
  let nc = 0;
  const end = o + len;
  for (let i = o; ; i++) {
    i = nextAtLeast(y, i, end, low);
    if (i === end) break;
    const v = y[i]!;
    const j = i - o;
    if (nc === cand.length) {
      const grown = new Int32Array(Math.min(len, 2 * cand.length));
      grown.set(cand);
      cand = grown;
    }
    cand[nc++] = j;
    if (size < n) {
      // Sift up.
      let k = size++;
      while (k > 0) {
        const p = (k - 1) >> 1;
        if (heap[p]! <= v) break;
        heap[k] = heap[p]!;
        k = p;
      }
      heap[k] = v;
      if (size === n) low = Math.max(heap[0]! - margin, -Number.MAX_VALUE);
    } else if (v > heap[0]!) {
      // Replace the minimum and sift down.
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && heap[r]! < heap[l]! ? r : l;
        if (heap[c]! >= v) break;
        heap[k] = heap[c]!;
        k = c;
      }
      heap[k] = v;
      low = Math.max(heap[0]! - margin, -Number.MAX_VALUE);
    }
  }
  if (size < n) return cand.slice(0, nc);
  const cutoff = Math.max(heap[0]! - margin, -Number.MAX_VALUE);
  let w = 0;
  for (let c = 0; c < nc; c++) {
    const j = cand[c]!;
    if (y[o + j]! >= cutoff) cand[w++] = j;
  }
  return cand.slice(0, w);
}

// The first i in [from, end) with y[i] >= low, else end: the loop every entry goes through,
// kept apart so that it compiles to a tight compare-and-branch.
function nextAtLeast(y: Float32Array, from: number, end: number, low: number): number {
  for (let i = from; i < end; i++) if (y[i]! >= low) return i;
  return end;
}
