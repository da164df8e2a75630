/**
 * A tensor in tensor-train (TT) format, also called a matrix product state (MPS):
 *
 *   T(i_0, ..., i_{d-1}) = G_0[i_0] G_1[i_1] ... G_{d-1}[i_{d-1}],
 *
 * each G_k[i_k] an r_k x r_{k+1} matrix (r_0 = r_d = 1), the slice of the core G_k, an
 * r_k x n_k x r_{k+1} array (Oseledets 2011). Storage is sum_k r_k n_k r_{k+1} numbers
 * instead of n_0 ... n_{d-1}; the ranks r_k are the ranks of the unfoldings
 * T(i_0 .. i_{k-1}; i_k .. i_{d-1}), which for a quantum state are the Schmidt ranks and
 * measure entanglement across each bond.
 *
 * Operations never form the full tensor (except {@link TensorTrain.full}): entries, norms and
 * inner products contract the cores; sums, scalings and Hadamard products build cores of the
 * result (ranks add or multiply), and {@link TensorTrain.round} brings ranks back down.
 */
import { NonFiniteInputError, ShapeError, check } from '../../errors.js';
import { checkOption, num, opt, resolveOptions } from '../../options.js';
import { unravelIndex } from '../../tensor/strided.js';
import { Tensor } from '../../tensor/tensor.js';
import { gemmC, norm2 } from './tt-dense.js';
import { MAX_RANK_RULE, rankCaps, showIndex, type MaxRank } from './tt-options.js';
import { bondSpectra, cloneCores, orthogonalizeLeft, orthogonalizeRight, truncateLeftToRight, type CoreSet } from './tt-sweeps.js';

/** What {@link TensorTrain.toJSON} returns and {@link TensorTrain.fromJSON} reads. */
export interface TensorTrainJSON {
  /** Always 'TensorTrain'. */
  readonly type: 'TensorTrain';
  /** Format version; always 1. */
  readonly version: 1;
  /** Mode sizes n_0 .. n_{d-1}. */
  readonly shape: number[];
  /** TT ranks r_0 .. r_d (r_0 = r_d = 1). */
  readonly ranks: number[];
  /** Core k: its r_k * n_k * r_{k+1} entries in C order (r_k slowest, r_{k+1} fastest). */
  readonly cores: number[][];
}

/** Core data handed from {@link TensorTrain.fromCoreData} to the constructor (checked and owned already). */
let trusted: { shape: readonly number[]; ranks: readonly number[]; cores: readonly Float64Array[] } | undefined;

const ENTROPY_OPTIONS = {
  /** Base of the logarithm: Math.E (default, nats) or 2 (bits). */
  base: opt(num(1, Infinity, 'low'), Math.E),
};

/**
 * A tensor train: d >= 2 cores, core k of shape r_k x n_k x r_{k+1} with r_0 = r_d = 1.
 * Immutable: every operation returns a new train (the cores' data are shared with
 * {@link TensorTrain.cores}; do not modify them). Values are float64.
 *
 * @example
 * const { tt } = ttSvd(Tensor.fromFunction([8, 8, 8, 8], ([a, b, c, d]) => Math.sin(a + b + c + d)));
 * tt.ranks;                  // [1, 2, 2, 2, 1]
 * tt.get([1, 2, 3, 4]);      // sin(10) = -0.544...
 * tt.add(tt).round(1e-12).ranks; // [1, 2, 2, 2, 1]
 */
export class TensorTrain {
  /** Mode sizes n_0 .. n_{d-1}. */
  readonly shape: readonly number[];
  /** TT ranks r_0 .. r_d (r_0 = r_d = 1); bond k (between cores k-1 and k) has rank r_k. */
  readonly ranks: readonly number[];
  private readonly data: readonly Float64Array[];
  private coreTensors: readonly Tensor[] | undefined;

  /**
   * A train from its cores (copied into float64 C-order storage).
   * @param cores - d >= 2 tensors, core k of shape [r_k, n_k, r_{k+1}], r_0 = r_d = 1.
   * @throws InvalidArgumentError when there are fewer than 2 cores or one is not a 3-way
   *   Tensor; ShapeError when neighbouring ranks differ or an end rank is not 1, naming the
   *   cores; NonFiniteInputError naming the core and entry holding NaN or Infinity.
   */
  constructor(cores: readonly Tensor[]) {
    if (trusted) {
      this.shape = Object.freeze([...trusted.shape]);
      this.ranks = Object.freeze([...trusted.ranks]);
      this.data = Object.freeze([...trusted.cores]);
      return;
    }
    check(Array.isArray(cores), () => `TensorTrain: expected an array of cores (3-way Tensors), got ${typeof cores}`);
    check(cores.length >= 2, () => `TensorTrain: a train needs at least 2 cores, got ${cores.length} (a vector is a 1-way tensor; quantize it first)`);
    const shape: number[] = [];
    const ranks: number[] = [];
    const data: Float64Array[] = [];
    cores.forEach((c, k) => {
      check(c instanceof Tensor && c.ndim === 3, () => `TensorTrain: core ${k} must be a 3-way Tensor (r_${k} x n_${k} x r_${k + 1}), got ${c instanceof Tensor ? `a ${c.ndim}-way tensor` : typeof c}`);
      const [r0, n, r1] = c.shape as [number, number, number];
      check(n >= 1 && r0 >= 1 && r1 >= 1, () => `TensorTrain: core ${k} has shape [${c.shape.join(', ')}]; every length must be >= 1`);
      if (k === 0 && r0 !== 1) throw new ShapeError(`TensorTrain: the first core must have shape [1, n, r], got [${c.shape.join(', ')}]`);
      if (k > 0 && r0 !== ranks[k]) throw new ShapeError(`TensorTrain: core ${k - 1} ends with rank ${ranks[k]} but core ${k} starts with rank ${r0}`);
      if (k === cores.length - 1 && r1 !== 1) throw new ShapeError(`TensorTrain: the last core must have shape [r, n, 1], got [${c.shape.join(', ')}]`);
      if (k === 0) ranks.push(r0);
      ranks.push(r1);
      shape.push(n);
      const a = Float64Array.from(c.toFlat());
      for (let p = 0; p < a.length; p++) {
        if (!Number.isFinite(a[p]!)) {
          throw new NonFiniteInputError(`TensorTrain: core ${k} holds ${a[p]} at ${showIndex(unravelIndex(p, [r0, n, r1]))}`);
        }
      }
      data.push(a);
    });
    this.shape = Object.freeze(shape);
    this.ranks = Object.freeze(ranks);
    this.data = Object.freeze(data);
  }

  /** A train from trusted core data (internal: no checks, no copies). @internal */
  static fromCoreData(shape: readonly number[], ranks: readonly number[], cores: readonly Float64Array[]): TensorTrain {
    trusted = { shape, ranks, cores };
    try {
      return new TensorTrain([]);
    } finally {
      trusted = undefined;
    }
  }

  /** Number of cores (modes) d. */
  get ndim(): number {
    return this.shape.length;
  }

  /** The cores as tensors r_k x n_k x r_{k+1} (sharing this train's storage: do not modify). */
  get cores(): readonly Tensor[] {
    this.coreTensors ??= Object.freeze(this.data.map((a, k) => new Tensor(a, [this.ranks[k]!, this.shape[k]!, this.ranks[k + 1]!])));
    return this.coreTensors;
  }

  /** Numbers stored: sum_k r_k n_k r_{k+1}. */
  get params(): number {
    let p = 0;
    for (const a of this.data) p += a.length;
    return p;
  }

  /** Entries of the full tensor, n_0 ... n_{d-1} (may exceed 2^53 for long trains: then approximate). */
  get size(): number {
    let s = 1;
    for (const n of this.shape) s *= n;
    return s;
  }

  /** Full size over stored numbers, size / params (> 1 when the train is smaller than the tensor). */
  get compressionRatio(): number {
    return this.size / this.params;
  }

  /** The largest TT rank. */
  get maxRank(): number {
    return Math.max(...this.ranks);
  }

  /**
   * The full tensor (C-contiguous float64). Costs sum_k (n_0 ... n_k) r_k n_k r_{k+1} flops and
   * the full tensor's memory: only for trains whose full tensor fits.
   * @throws OutOfMemoryError when the tensor does not fit in memory.
   */
  full(): Tensor {
    const d = this.ndim;
    let M: Float64Array = this.data[0]!; // (n_0) x r_1
    let rows = this.shape[0]!;
    for (let k = 1; k < d; k++) {
      const r = this.ranks[k]!;
      const cols = this.shape[k]! * this.ranks[k + 1]!;
      const next = k === d - 1 ? Tensor.zeros([...this.shape]).data as Float64Array : new Float64Array(rows * cols);
      gemmC(false, false, rows, cols, r, 1, M, 0, this.data[k]!, 0, 0, next, 0);
      M = next;
      rows *= this.shape[k]!;
    }
    return new Tensor(M, this.shape);
  }

  /**
   * One entry, T(i_0, ..., i_{d-1}) = G_0[i_0] ... G_{d-1}[i_{d-1}], in O(d r^2) without the
   * full tensor. Negative indices count from the end.
   * @throws InvalidArgumentError when the index has the wrong length or is out of range, naming the axis.
   */
  get(index: readonly number[]): number {
    const d = this.ndim;
    check(Array.isArray(index) && index.length === d, () => `TensorTrain.get: index must have ${d} entries (one per mode), got ${Array.isArray(index) ? index.length : typeof index}`);
    let v = new Float64Array([1]);
    for (let k = 0; k < d; k++) {
      const n = this.shape[k]!;
      let i = index[k]!;
      check(Number.isInteger(i) && i >= -n && i < n, () => `TensorTrain.get: index ${String(i)} is outside mode ${k} of size ${n}`);
      if (i < 0) i += n;
      const r0 = this.ranks[k]!;
      const r1 = this.ranks[k + 1]!;
      const core = this.data[k]!;
      const out = new Float64Array(r1);
      for (let a = 0; a < r0; a++) {
        const va = v[a]!;
        if (va === 0) continue;
        const base = (a * n + i) * r1;
        for (let b = 0; b < r1; b++) out[b] = out[b]! + va * core[base + b]!;
      }
      v = out;
    }
    return v[0]!;
  }

  /**
   * The Frobenius norm ||T||_F, from the last core after a left orthogonalization (QR
   * sweep, O(d n r^3)); no overflow or cancellation as in sqrt(dot(this, this)).
   */
  norm(): number {
    const c = this.coreSet();
    orthogonalizeLeft(c);
    return norm2(c.cores[this.ndim - 1]!);
  }

  /**
   * The inner product <this, other> = sum of the entrywise products, by contracting the
   * cores left to right (O(d n r^3) flops, never the full tensors).
   * @throws ShapeError when the shapes differ.
   */
  dot(other: TensorTrain): number {
    this.checkSameShape(other, 'dot');
    // E (ra x rb) = the contraction of cores 0 .. k-1 of both trains.
    let E = new Float64Array([1]);
    for (let k = 0; k < this.ndim; k++) {
      const n = this.shape[k]!;
      const ra = this.ranks[k]!;
      const rb = other.ranks[k]!;
      const ra1 = this.ranks[k + 1]!;
      const rb1 = other.ranks[k + 1]!;
      // Y = E B_k (ra x n rb1) = (ra n) x rb1; E' = A_k^T Y with A_k as (ra n) x ra1.
      const Y = new Float64Array(ra * n * rb1);
      gemmC(false, false, ra, n * rb1, rb, 1, E, 0, other.data[k]!, 0, 0, Y, 0);
      const next = new Float64Array(ra1 * rb1);
      gemmC(true, false, ra1, rb1, ra * n, 1, this.data[k]!, 0, Y, 0, 0, next, 0);
      E = next;
    }
    return E[0]!;
  }

  /**
   * this + other, exactly: cores of ranks r_k + r'_k (block diagonal, the first and last
   * cores side by side). Round the result to bring the ranks down.
   * @throws ShapeError when the shapes differ.
   */
  add(other: TensorTrain): TensorTrain {
    this.checkSameShape(other, 'add');
    const d = this.ndim;
    const ranks = this.ranks.map((r, k) => (k === 0 || k === d ? 1 : r + other.ranks[k]!));
    const cores = this.shape.map((n, k) => {
      const R0 = ranks[k]!;
      const R1 = ranks[k + 1]!;
      const out = new Float64Array(R0 * n * R1);
      // A's block at (0, 0); B's at (ra, ra1) -- except the first core (rows shared) and the last (columns shared).
      const place = (src: Float64Array, r0: number, r1: number, a0: number, b0: number) => {
        for (let a = 0; a < r0; a++) for (let i = 0; i < n; i++) for (let b = 0; b < r1; b++) out[((a0 + a) * n + i) * R1 + b0 + b] = src[(a * n + i) * r1 + b]!;
      };
      const ra = this.ranks[k]!;
      const ra1 = this.ranks[k + 1]!;
      place(this.data[k]!, ra, ra1, 0, 0);
      place(other.data[k]!, other.ranks[k]!, other.ranks[k + 1]!, k === 0 ? 0 : ra, k === d - 1 ? 0 : ra1);
      return out;
    });
    return TensorTrain.fromCoreData(this.shape, ranks, cores);
  }

  /**
   * this - other (as {@link TensorTrain.add} with other scaled by -1).
   * @throws ShapeError when the shapes differ.
   */
  sub(other: TensorTrain): TensorTrain {
    this.checkSameShape(other, 'sub');
    return this.add(other.scale(-1));
  }

  /**
   * alpha times this train (the last core scaled; ranks unchanged).
   * @throws InvalidArgumentError when alpha is not a finite number.
   */
  scale(alpha: number): TensorTrain {
    check(typeof alpha === 'number' && Number.isFinite(alpha), () => `TensorTrain.scale: alpha must be a finite number, got ${String(alpha)}`);
    const cores = this.data.map((a, k) => (k === this.ndim - 1 ? a.map((x) => x * alpha) : a));
    return TensorTrain.fromCoreData(this.shape, this.ranks, cores);
  }

  /**
   * The entrywise (Hadamard) product, exactly: core slices are Kronecker products, ranks
   * multiply (r_k r'_k). Round the result to bring the ranks down.
   * @throws ShapeError when the shapes differ.
   */
  hadamard(other: TensorTrain): TensorTrain {
    this.checkSameShape(other, 'hadamard');
    const ranks = this.ranks.map((r, k) => r * other.ranks[k]!);
    const cores = this.shape.map((n, k) => {
      const ra0 = this.ranks[k]!;
      const ra1 = this.ranks[k + 1]!;
      const rb0 = other.ranks[k]!;
      const rb1 = other.ranks[k + 1]!;
      const A = this.data[k]!;
      const B = other.data[k]!;
      const R1 = ra1 * rb1;
      const out = new Float64Array(ra0 * rb0 * n * R1);
      for (let a = 0; a < ra0; a++) {
        for (let b = 0; b < rb0; b++) {
          const row = a * rb0 + b;
          for (let i = 0; i < n; i++) {
            const o = (row * n + i) * R1;
            for (let a1 = 0; a1 < ra1; a1++) {
              const x = A[(a * n + i) * ra1 + a1]!;
              if (x === 0) continue;
              for (let b1 = 0; b1 < rb1; b1++) out[o + a1 * rb1 + b1] = x * B[(b * n + i) * rb1 + b1]!;
            }
          }
        }
      }
      return out;
    });
    return TensorTrain.fromCoreData(this.shape, ranks, cores);
  }

  /**
   * TT rounding (Oseledets 2011, Algorithm 2): orthogonalize right to left (LQ of each
   * core), then truncate left to right with SVDs, discarding at each bond singular values of
   * norm <= eps ||T|| / sqrt(d - 1), so that ||T - round(T)||_F <= eps ||T||_F (unless
   * `maxRank` caps a bond). The ranks are then the smallest with that guarantee for this
   * sweep. Cost O(d n r^3).
   * @param eps - relative accuracy, >= 0 (0 keeps every nonzero singular value: the exact
   *   minimal ranks, up to rounding errors).
   * @param maxRank - a rank cap for every bond, or a list with one per bond (d - 1); default none.
   * @throws InvalidArgumentError for a negative or non-finite eps or a bad maxRank.
   */
  round(eps: number, maxRank?: MaxRank): TensorTrain {
    check(typeof eps === 'number' && Number.isFinite(eps) && eps >= 0, () => `TensorTrain.round: eps must be a finite number >= 0, got ${String(eps)}`);
    if (maxRank !== undefined) checkOption('TensorTrain.round', 'maxRank', MAX_RANK_RULE, maxRank);
    const d = this.ndim;
    const caps = rankCaps(maxRank, d - 1, 'TensorTrain.round');
    const c = this.coreSet();
    orthogonalizeRight(c);
    const delta = (eps * norm2(c.cores[0]!)) / Math.sqrt(d - 1);
    truncateLeftToRight(c, delta, caps);
    return TensorTrain.fromCoreData(c.shape, c.ranks, c.cores);
  }

  /**
   * The singular values across every bond: entry b (0 .. d-2) holds those of the unfolding
   * T(i_0 .. i_b; i_{b+1} .. i_{d-1}), descending, computed from the cores after a left
   * orthogonalization by SVDs from the last core (the Schmidt coefficients of a state).
   * Zero singular values are kept: bond b has min(r_{b+1}, ...) values.
   */
  bondSpectra(): Float64Array[] {
    const c = this.coreSet();
    orthogonalizeLeft(c);
    return bondSpectra(c);
  }

  /**
   * The entanglement (von Neumann) entropy across every bond of the normalized state
   * T / ||T||: S_b = -sum_i p_i log p_i with p_i = s_i^2 / sum_j s_j^2, the s_i the
   * singular values across bond b ({@link TensorTrain.bondSpectra}). 0 for a product state,
   * log 2 for a Bell pair or the GHZ state's every bond; at most log r_b.
   * @param options.base - base of the logarithm: Math.E (default, nats) or 2 (bits).
   * @returns one entropy per bond (d - 1 values); zeros for the zero tensor.
   */
  entanglementEntropy(options: { base?: number } = {}): Float64Array {
    const o = resolveOptions('TensorTrain.entanglementEntropy', ENTROPY_OPTIONS, options);
    const lnBase = Math.log(o.base);
    return Float64Array.from(this.bondSpectra(), (s) => {
      let total = 0;
      for (const x of s) total += x * x;
      if (total === 0) return 0;
      let h = 0;
      for (const x of s) {
        const p = (x * x) / total;
        if (p > 0) h -= p * Math.log(p);
      }
      return Math.max(0, h / lnBase);
    });
  }

  /** The train as plain JSON ({@link TensorTrainJSON}); {@link TensorTrain.fromJSON} reads it back. */
  toJSON(): TensorTrainJSON {
    return { type: 'TensorTrain', version: 1, shape: [...this.shape], ranks: [...this.ranks], cores: this.data.map((a) => Array.from(a)) };
  }

  /**
   * Rebuild a train from {@link TensorTrain.toJSON}'s output.
   * @throws InvalidArgumentError when `json` is not a TensorTrain of version 1 or a core has
   *   the wrong number of entries (naming the core); as the constructor for ranks and values.
   */
  static fromJSON(json: TensorTrainJSON): TensorTrain {
    check(typeof json === 'object' && json !== null && json.type === 'TensorTrain' && json.version === 1, () => 'TensorTrain.fromJSON: not a tensor train (type "TensorTrain", version 1)');
    const { shape, ranks, cores } = json;
    check(Array.isArray(shape) && Array.isArray(ranks) && Array.isArray(cores), () => 'TensorTrain.fromJSON: shape, ranks and cores must be arrays');
    check(ranks.length === shape.length + 1 && cores.length === shape.length, () => `TensorTrain.fromJSON: ${shape.length} modes need ${shape.length + 1} ranks and ${shape.length} cores, got ${ranks.length} and ${cores.length}`);
    return new TensorTrain(cores.map((c, k) => {
      const dims = [ranks[k]!, shape[k]!, ranks[k + 1]!];
      check(dims.every((x) => Number.isSafeInteger(x) && x >= 1), () => `TensorTrain.fromJSON: core ${k} has shape [${dims.join(', ')}]; lengths must be integers >= 1`);
      const len = dims[0]! * dims[1]! * dims[2]!;
      check(Array.isArray(c) && c.length === len, () => `TensorTrain.fromJSON: core ${k} (${dims.join(' x ')}) needs ${len} entries, got ${Array.isArray(c) ? c.length : typeof c}`);
      check(c.every((x) => typeof x === 'number'), () => `TensorTrain.fromJSON: core ${k} holds an entry that is not a number`);
      return new Tensor(Float64Array.from(c), dims);
    }));
  }

  /** A summary such as "TensorTrain(shape [8, 8, 8], ranks [1, 2, 2, 1], 64 params)". */
  toString(): string {
    return `TensorTrain(shape [${this.shape.join(', ')}], ranks [${this.ranks.join(', ')}], ${this.params} params)`;
  }

  /** The cores as working data (copies). @internal */
  coreSet(): CoreSet {
    return cloneCores({ shape: this.shape, ranks: [...this.ranks], cores: [...this.data] });
  }

  private checkSameShape(other: TensorTrain, op: string): void {
    check(other instanceof TensorTrain, () => `TensorTrain.${op}: expected a TensorTrain, got ${typeof other}`);
    if (other.shape.length !== this.shape.length || other.shape.some((n, k) => n !== this.shape[k])) {
      throw new ShapeError(`TensorTrain.${op}: shapes differ ([${this.shape.join(', ')}] and [${other.shape.join(', ')}])`);
    }
  }
}
