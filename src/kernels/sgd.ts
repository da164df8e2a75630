/**
 * SGD epoch kernels for matrix-factorization recommenders (FunkSVD, SVD++), on the WASM
 * SIMD build (assembly/sgd.ts) with a TypeScript fallback of the same arithmetic.
 *
 * A fit allocates one {@link SgdBuffers} (ratings in processing order, f32 factor rows with a
 * leading dimension rounded up to 4, biases, the task table) once — in WebAssembly memory
 * when a WASM backend is active, so epochs run without copying — runs its epochs, copies the
 * parameters out and calls {@link releaseSgdBuffers}.
 *
 * The fallback mirrors the baseline SIMD kernel operation for operation in f32
 * (`Math.fround` after each operation, the dot product split over the same eight partial
 * sums), so the 'wasm' and 'js' backends agree bit for bit; the relaxed-SIMD build fuses
 * multiply-adds and agrees to f32 rounding.
 */
import { SGD_PARAMS_BYTES, writeSgdParams } from './generated/abi.js';
import { canBlock } from './pool.js';
import { defineKernel, wasmFor } from './registry.js';
import type { WasmKernels } from './wasm-kernels.js';

/** Sizes of an SGD fit's buffers. */
export interface SgdBufferSpec {
  nUsers: number;
  nItems: number;
  /** Ratings to hold. */
  nRatings: number;
  /** Latent factors f (0 trains biases only). */
  factors: number;
  /** Largest number of tasks (blocks) run in one call. Default 1. */
  maxTasks?: number;
  /** Also allocate SVD++ arrays: implicit factors Y (nItems rows), the user CSR indptr and visiting order. */
  svdpp?: boolean;
}

/** Buffers of one SGD fit: typed-array views, in WASM memory when `wasm` is set. */
export interface SgdBuffers {
  readonly wasm: WasmKernels | undefined;
  /** Factor row stride: factors rounded up to a multiple of 4 (padding stays 0). */
  readonly ld: number;
  readonly factors: number;
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly values: Float32Array;
  /** User factors, nUsers x ld row-major. */
  readonly P: Float32Array;
  /** Item factors, nItems x ld row-major. */
  readonly Q: Float32Array;
  readonly bu: Float32Array;
  readonly bi: Float32Array;
  /** Task t covers ratings [tasks[2t], tasks[2t+1]). */
  readonly tasks: Int32Array;
  /** Squared-error sum of each task of the last call. */
  readonly sse: Float64Array;
  /** SVD++ only: implicit item factors (nItems x ld), user CSR row starts (nUsers + 1), user order, scratch (3 ld). */
  readonly Y: Float32Array | undefined;
  readonly indptr: Int32Array | undefined;
  readonly order: Int32Array | undefined;
  readonly work: Float32Array | undefined;
  /** Heap blocks to free (WASM only). */
  readonly blocks: number[];
  /** SGD parameter block address (WASM only). */
  readonly params: number;
}

/** Hyperparameters of one FunkSVD call. */
export interface FunkStep {
  /** Global mean mu (0 for the unbiased model). */
  mu: number;
  lr: number;
  reg: number;
  /** Learning rate and regularization of the biases. */
  lrBias: number;
  regBias: number;
  biased: boolean;
}

/** Hyperparameters of one SVD++ epoch. */
export interface SvdppStep extends FunkStep {
  /** Learning rate and regularization of the implicit factors y_j. */
  lrY: number;
  regY: number;
}

/** Row stride for `factors` f32 factors: a whole number of 4-lane vectors. */
export function factorStride(factors: number): number {
  return Math.ceil(factors / 4) * 4;
}

/**
 * Allocate the buffers of a fit: in WebAssembly memory on a WASM backend (freed by
 * {@link releaseSgdBuffers}), else ordinary typed arrays. Everything starts zeroed.
 * Memory: 12 bytes per rating plus 4 ld bytes per user and item.
 */
export function allocSgdBuffers(spec: SgdBufferSpec): SgdBuffers {
  const ld = factorStride(spec.factors);
  const maxTasks = Math.max(1, spec.maxTasks ?? 1);
  const w = wasmFor();
  const blocks: number[] = [];
  const n = spec.nRatings;
  if (!w) {
    return {
      wasm: undefined, ld, factors: spec.factors,
      users: new Int32Array(n), items: new Int32Array(n), values: new Float32Array(n),
      P: new Float32Array(spec.nUsers * ld), Q: new Float32Array(spec.nItems * ld),
      bu: new Float32Array(spec.nUsers), bi: new Float32Array(spec.nItems),
      tasks: new Int32Array(2 * maxTasks), sse: new Float64Array(maxTasks),
      Y: spec.svdpp ? new Float32Array(spec.nItems * ld) : undefined,
      indptr: spec.svdpp ? new Int32Array(spec.nUsers + 1) : undefined,
      order: spec.svdpp ? new Int32Array(spec.nUsers) : undefined,
      work: spec.svdpp ? new Float32Array(3 * ld) : undefined,
      blocks, params: 0,
    };
  }
  const h = w.heap;
  const take = (bytes: number): number => {
    const p = h.malloc(bytes);
    blocks.push(p);
    new Uint8Array(h.i32(p, 0).buffer, p, bytes).fill(0);
    return p;
  };
  try {
    const i32 = (k: number): Int32Array => h.i32(take(4 * k), k);
    const f32 = (k: number): Float32Array => h.f32(take(4 * k), k);
    const users = i32(n);
    const items = i32(n);
    const values = f32(n);
    const P = f32(spec.nUsers * ld);
    const Q = f32(spec.nItems * ld);
    const bu = f32(spec.nUsers);
    const bi = f32(spec.nItems);
    const tasks = i32(2 * maxTasks);
    const sse = h.f64(take(8 * maxTasks), maxTasks);
    const params = take(SGD_PARAMS_BYTES);
    const b: SgdBuffers = {
      wasm: w, ld, factors: spec.factors, users, items, values, P, Q, bu, bi, tasks, sse,
      Y: spec.svdpp ? f32(spec.nItems * ld) : undefined,
      indptr: spec.svdpp ? i32(spec.nUsers + 1) : undefined,
      order: spec.svdpp ? i32(spec.nUsers) : undefined,
      work: spec.svdpp ? f32(3 * ld) : undefined,
      blocks, params,
    };
    return b;
  } catch (e) {
    for (const p of blocks) h.free(p);
    throw e;
  }
}

/** Free the WebAssembly memory of `b` (no-op for the TypeScript backend). Call once. */
export function releaseSgdBuffers(b: SgdBuffers): void {
  if (!b.wasm) return;
  for (const p of b.blocks.splice(0)) b.wasm.heap.free(p);
}

// Fill the parameter block the WASM kernel reads (SgdParams in scripts/kernel-abi.mjs).
function writeParams(w: WasmKernels, b: SgdBuffers, s: FunkStep): void {
  // The memory's current buffer: views made before the memory grew may be shorter.
  writeSgdParams(w.rt.memory.buffer, b.params, {
    users: b.users.byteOffset, items: b.items.byteOffset, values: b.values.byteOffset,
    P: b.P.byteOffset, Q: b.Q.byteOffset, bu: b.bu.byteOffset, bi: b.bi.byteOffset, ld: b.ld,
    mu: s.mu, lr: s.lr, reg: s.reg, lrb: s.lrBias, regb: s.regBias, biased: s.biased,
    tasks: b.tasks.byteOffset, sse: b.sse.byteOffset,
  });
}

// Every task's squared error into b.sse. The buffers decide the backend: a fit allocated in
// WASM memory runs there whichever backend is active now.
const funk = defineKernel<[b: SgdBuffers, s: FunkStep, nTasks: number, threads: number], void>({
  name: 'sgd_funk',
  select: (b) => b.wasm,
  wasm: (w, b, s, nTasks, threads) => {
    const e = w.rt.exports;
    writeParams(w, b, s);
    const pool = threads > 1 && nTasks > 1 ? w.workerPool(threads) : undefined;
    if (pool) e.sgd_parallel(pool.ctl, b.params, nTasks, canBlock() ? 1 : 0);
    else e.sgd_funk(b.params, nTasks);
  },
  js: (b, s, nTasks) => {
    for (let t = 0; t < nTasks; t++) b.sse[t] = funkRunJs(b, s, b.tasks[2 * t]!, b.tasks[2 * t + 1]!);
  },
});

/**
 * Run FunkSVD SGD over the first `nTasks` tasks of `b.tasks` (ratings [tasks[2t], tasks[2t+1])
 * in order). With `threads` > 1 the tasks run concurrently on the worker pool: the caller must
 * guarantee that they share no user and no item (the blocks of one LIBMF sub-epoch). Each
 * task's squared-error sum lands in `b.sse[t]`; the total is added in task order, so the
 * result does not depend on scheduling. Returns the total squared error (errors before updates).
 */
export function funkSgd(b: SgdBuffers, s: FunkStep, nTasks: number, threads = 1): number {
  funk(b, s, nTasks, threads);
  let sse = 0;
  for (let t = 0; t < nTasks; t++) sse += b.sse[t]!;
  return sse;
}

const fr = Math.fround;

// p . q over ld floats in the kernel's order: 16 f32 partial sums (four 4-lane accumulators;
// trailing vectors go to the first), combined lane-wise as (acc0 + acc2) + (acc1 + acc3), and
// the four lanes added in f64.
const part = new Float64Array(16);
function dotRowJs(P: Float32Array, p: number, Q: Float32Array, q: number, ld: number): number {
  part.fill(0);
  let k = 0;
  for (; k + 16 <= ld; k += 16) {
    for (let l = 0; l < 16; l++) part[l] = fr(part[l]! + fr(P[p + k + l]! * Q[q + k + l]!));
  }
  for (; k < ld; k += 4) {
    for (let l = 0; l < 4; l++) part[l] = fr(part[l]! + fr(P[p + k + l]! * Q[q + k + l]!));
  }
  let sum = 0;
  for (let l = 0; l < 4; l++) sum += fr(fr(part[l]! + part[l + 8]!) + fr(part[l + 4]! + part[l + 12]!));
  return sum;
}

// The f32 hyperparameters as the WASM kernels receive them (f32 arguments), and their factor
// weight decay 1 - lr reg (assembly/sgd.ts funkRun and sgd_svdpp compute it alike).
function f32Step(s: FunkStep): { mu: number; lr: number; lrb: number; regb: number; decay: number } {
  const lr = fr(s.lr);
  return { mu: fr(s.mu), lr, lrb: fr(s.lrBias), regb: fr(s.regBias), decay: fr(1 - fr(lr * fr(s.reg))) };
}

// One SGD step of a bias: b + lrb (err - regb b), rounded to f32 after each operation.
function biasStep(b: number, err: number, lrb: number, regb: number): number {
  return fr(b + fr(lrb * fr(err - fr(regb * b))));
}

// The TypeScript twin of assembly/sgd.ts funkRun.
function funkRunJs(b: SgdBuffers, s: FunkStep, start: number, end: number): number {
  const { users, items, values, P, Q, bu, bi, ld } = b;
  const { mu, lr, lrb, regb, decay } = f32Step(s);
  let sse = 0;
  for (let r = start; r < end; r++) {
    const u = users[r]!;
    const i = items[r]!;
    const v = values[r]!;
    const pu = u * ld;
    const qi = i * ld;
    const dot = fr(dotRowJs(P, pu, Q, qi, ld));
    const bU = bu[u]!;
    const bI = bi[i]!;
    const err = fr(v - fr(fr(fr(mu + bU) + bI) + dot));
    sse += err * err;
    if (s.biased) {
      bu[u] = biasStep(bU, err, lrb, regb);
      bi[i] = biasStep(bI, err, lrb, regb);
    }
    const g = fr(lr * err);
    for (let k = 0; k < ld; k++) {
      const p = P[pu + k]!;
      const q = Q[qi + k]!;
      P[pu + k] = fr(g * q) + fr(p * decay);
      Q[qi + k] = fr(g * p) + fr(q * decay);
    }
  }
  return sse;
}

const svdpp = defineKernel<[b: SgdBuffers, s: SvdppStep, nOrder: number], number>({
  name: 'sgd_svdpp',
  select: (b) => b.wasm,
  wasm: (w, b, s, nOrder) => w.rt.exports.sgd_svdpp(
    b.order!.byteOffset, nOrder, b.indptr!.byteOffset, b.items.byteOffset, b.values.byteOffset,
    b.P.byteOffset, b.Q.byteOffset, b.Y!.byteOffset, b.bu.byteOffset, b.bi.byteOffset, b.ld,
    s.mu, s.lr, s.reg, s.lrBias, s.regBias, s.lrY, s.regY, b.work!.byteOffset,
  ),
  js: svdppJs,
});

/**
 * One SVD++ epoch over users `b.order[0..nUsers)`, each user's ratings at CSR rows
 * `b.indptr` of `b.items`/`b.values` (see assembly/sgd.ts sgd_svdpp for the update, which is
 * Surprise's SVDpp update computed in O(f) per rating). Single-threaded: every rating updates
 * the implicit factors of all the user's items. Returns the epoch's squared-error sum.
 */
export function svdppSgd(b: SgdBuffers, s: SvdppStep, nUsers: number): number {
  return svdpp(b, s, nUsers);
}


// The TypeScript twin of assembly/sgd.ts sgd_svdpp.
function svdppJs(b: SgdBuffers, s: SvdppStep, nOrder: number): number {
  const { items, values, P, Q, bu, bi, ld } = b;
  const Y = b.Y!;
  const indptr = b.indptr!;
  const order = b.order!;
  const z = b.work!.subarray(0, ld);
  const acc = b.work!.subarray(ld, 2 * ld);
  const { mu, lr, lrb, regb, decay } = f32Step(s);
  const lry = fr(s.lrY);
  const dy = fr(1 - fr(lry * fr(s.regY)));
  const pz = new Float32Array(ld);
  let sse = 0;
  for (let k = 0; k < nOrder; k++) {
    const u = order[k]!;
    const st = indptr[u]!;
    const en = indptr[u + 1]!;
    const n = en - st;
    if (n <= 0) continue;
    const inv = fr(1 / fr(Math.sqrt(n)));
    z.fill(0);
    acc.fill(0);
    for (let r = st; r < en; r++) {
      const yj = items[r]! * ld;
      for (let c = 0; c < ld; c++) z[c] = z[c]! + Y[yj + c]!;
    }
    for (let c = 0; c < ld; c++) z[c] = fr(z[c]! * inv);
    const pu = u * ld;
    let pw = 1;
    for (let r = st; r < en; r++) {
      const i = items[r]!;
      const v = values[r]!;
      const qi = i * ld;
      for (let c = 0; c < ld; c++) pz[c] = P[pu + c]! + z[c]!;
      const dot = fr(dotRowJs(pz, 0, Q, qi, ld));
      const bU = bu[u]!;
      const bI = bi[i]!;
      const err = fr(v - fr(fr(fr(mu + bU) + bI) + dot));
      sse += err * err;
      bu[u] = biasStep(bU, err, lrb, regb);
      bi[i] = biasStep(bI, err, lrb, regb);
      const g = fr(lr * err);
      const gy = fr(lry * err);
      const ga = fr(gy * inv);
      for (let c = 0; c < ld; c++) {
        const p = P[pu + c]!;
        const q = Q[qi + c]!;
        const zz = z[c]!;
        P[pu + c] = fr(g * q) + fr(p * decay);
        Q[qi + c] = fr(g * pz[c]!) + fr(q * decay);
        z[c] = fr(gy * q) + fr(zz * dy);
        acc[c] = fr(ga * q) + fr(acc[c]! * dy);
      }
      pw = fr(pw * dy);
    }
    for (let r = st; r < en; r++) {
      const yj = items[r]! * ld;
      for (let c = 0; c < ld; c++) Y[yj + c] = fr(Y[yj + c]! * pw) + acc[c]!;
    }
  }
  return sse;
}
