/**
 * The per-row ridge problems of alternating least squares in TypeScript: the fallback of the
 * ALS and ImplicitALS fits when the WASM kernel (src/kernels/als.ts, assembly/als.ts) is not
 * available, and the solver of {@link LatentFactorModel.foldIn} (folding a new user in is one
 * ALS half-step for that user).
 *
 * - Explicit (Zhou, Wilkinson, Schreiber & Pan 2008, "Large-scale parallel collaborative
 *   filtering for the Netflix prize", ALS-WR): for user u with ratings r_uj on items j,
 *   minimize sum_j (r_uj - mu - b_j - [p_u; b_u] . [q_j; 1])^2 + lambda n_u (|p_u|^2 + b_u^2),
 *   i.e. (Z^T Z + lambda n_u I) x = Z^T t with Z the gathered rows [q_j, 1]. With biases off
 *   the constant column and b_j drop out. The Gram Z^T Z is a syrk of the gathered block (WASM
 *   SIMD when a WASM backend is active and the row is long enough) or a tight scalar loop.
 * - Implicit (Hu, Koren & Volinsky 2008, "Collaborative filtering for implicit feedback
 *   datasets"): confidence c_uj = 1 + alpha r_uj, preference 1 on observed entries, and
 *   (Y^T Y + Y_u^T (C_u - I) Y_u + lambda I) x = Y_u^T C_u 1, where Y^T Y (over all items) is
 *   computed once per half-step, so a user costs O(n_u f^2 + f^3) (Cholesky) or
 *   O(steps (f^2 + n_u f)) with the conjugate-gradient solver of Takacs, Pilaszy & Tikk (2011),
 *   warm-started from the current factors as the `implicit` library does.
 */
import { kernels } from './index.js';
import { wasmFor } from './registry.js';
import type { WasmKernels } from './wasm-kernels.js';
import { accumulateGramRows, choleskySolveInPlace } from './small-spd-solve.js';

// Rows gathered per syrk call: bounds the scratch block (CHUNK x (f+1) doubles) for items
// with very many ratings.
const CHUNK = 2048;
// Rows below which the scalar Gram loop beats gathering and calling the WASM syrk (a rough
// crossover at f = 50). Fits normally run the whole half-step in the ALS kernel
// (src/kernels/als.ts); this path serves fold-in and fits whose buffers did not fit in WASM memory.
const SYRK_MIN_ROWS = 24;

/** Scratch arrays of one row solver (reused across rows; release with {@link AlsScratch.dispose}). */
export class AlsScratch {
  /** System size: factors, plus one for the bias in the augmented explicit problem. */
  readonly n: number;
  readonly A: Float64Array;
  readonly b: Float64Array;
  readonly z: Float64Array;
  readonly x: Float64Array;
  readonly r: Float64Array;
  readonly p: Float64Array;
  readonly ap: Float64Array;
  private readonly wasm: WasmKernels | undefined;
  /** Column-major gathered block (CHUNK x n) and Gram (n x n) in WASM memory, when available. */
  readonly block: Float64Array | undefined;
  readonly gram: Float64Array | undefined;

  constructor(n: number, useSyrk = true) {
    this.n = n;
    this.A = new Float64Array(n * n);
    this.b = new Float64Array(n);
    this.z = new Float64Array(n);
    this.x = new Float64Array(n);
    this.r = new Float64Array(n);
    this.p = new Float64Array(n);
    this.ap = new Float64Array(n);
    const w = useSyrk ? wasmFor() : undefined;
    if (w) {
      try {
        this.block = w.alloc('float64', CHUNK * n) as Float64Array;
        this.gram = w.alloc('float64', n * n) as Float64Array;
        this.wasm = w;
      } catch {
        if (this.block) w.release(this.block);
        this.block = undefined;
        this.gram = undefined;
      }
    }
  }

  /** Release the WASM blocks. */
  dispose(): void {
    if (this.wasm) {
      this.wasm.release(this.block!);
      this.wasm.release(this.gram!);
    }
  }
}

/**
 * One explicit ALS-WR row: the factors (and bias when `biased`) of one user given fixed item
 * factors, or of one item given fixed user factors.
 *
 * @param fixed - the other side's factors, row-major f32 (row j at j * f).
 * @param fixedBias - the other side's biases (ignored unless `biased`).
 * @param idx - indices into `fixed` of this row's ratings, positions start..end-1.
 * @param vals - the ratings at the same positions.
 * @param mu - global mean subtracted from every rating (0 for uncentered ALS-WR).
 * @param reg - lambda; the penalty is lambda * n_row (weighted-lambda regularization).
 * @param out - receives the f factors at `outOffset`.
 * @returns the row's bias (0 when not `biased`).
 */
export function solveExplicitRow(
  fixed: Float32Array, fixedBias: Float32Array, f: number,
  idx: Int32Array, vals: Float32Array, start: number, end: number,
  mu: number, reg: number, biased: boolean, s: AlsScratch,
  out: Float32Array, outOffset: number,
): number {
  const n = s.n;
  const cnt = end - start;
  const { A, b, z } = s;
  A.fill(0);
  b.fill(0);
  // Right-hand side Z^T t (cheap: O(n_row f)), gathered with the block when syrk runs.
  const useSyrk = s.block !== undefined && cnt >= SYRK_MIN_ROWS;
  if (useSyrk) {
    const block = s.block!;
    const gram = s.gram!;
    for (let c0 = start; c0 < end; c0 += CHUNK) {
      const c1 = Math.min(end, c0 + CHUNK);
      const m = c1 - c0;
      for (let p = c0; p < c1; p++) {
        const j = idx[p]!;
        const base = j * f;
        const t = vals[p]! - mu - (biased ? fixedBias[j]! : 0);
        const row = p - c0;
        for (let a = 0; a < f; a++) {
          const v = fixed[base + a]!;
          block[row + a * m] = v;
          b[a] = b[a]! + v * t;
        }
        if (biased) {
          block[row + f * m] = 1;
          b[f] = b[f]! + t;
        }
      }
      // Column-major upper triangle of Z^T Z == row-major lower triangle of A.
      kernels().syrk('U', true, n, m, 1, block, 0, m, c0 === start ? 0 : 1, gram, 0, n);
    }
    A.set(gram);
  } else {
    accumulateGramRows(A, n, fixed, f, idx, start, end, null, 1, z);
    for (let p = start; p < end; p++) {
      const j = idx[p]!;
      const base = j * f;
      const t = vals[p]! - mu - (biased ? fixedBias[j]! : 0);
      for (let a = 0; a < f; a++) b[a] = b[a]! + fixed[base + a]! * t;
      if (biased) b[f] = b[f]! + t;
    }
  }
  const lam = reg * cnt;
  for (let a = 0; a < n; a++) A[a * n + a] = A[a * n + a]! + lam;
  choleskySolveInPlace(A, b, n);
  for (let a = 0; a < f; a++) out[outOffset + a] = b[a]!;
  return biased ? b[f]! : 0;
}

/**
 * Y^T Y + lambda I of a row-major f32 factor matrix (rows x f), row-major f x f (full
 * symmetric), via one syrk over a column-major f64 copy.
 */
export function gramPlusRidge(Y: Float32Array, rows: number, f: number, reg: number): Float64Array {
  const G = new Float64Array(f * f);
  if (rows > 0 && f > 0) {
    // Row-major rows x f read as column-major is Y^T (f x rows, ld f): syrk with trans=false.
    const Yd = Float64Array.from(Y.subarray(0, rows * f));
    kernels().syrk('U', false, f, rows, 1, Yd, 0, f, 0, G, 0, f);
  }
  // Column-major upper == row-major lower; mirror to a full matrix for the CG products.
  for (let i = 0; i < f; i++) for (let j = 0; j < i; j++) G[j * f + i] = G[i * f + j]!;
  for (let i = 0; i < f; i++) G[i * f + i] = G[i * f + i]! + reg;
  return G;
}

/**
 * One implicit-feedback row by Cholesky: x = (YtY + Y_u^T (C_u - I) Y_u)^-1 Y_u^T C_u 1, with
 * `YtYreg` = Y^T Y + lambda I (full, row-major) and c = 1 + alpha r. Exact; O(n_u f^2 + f^3).
 */
export function solveImplicitRowCholesky(
  YtYreg: Float64Array, fixed: Float32Array, f: number,
  idx: Int32Array, vals: Float32Array, start: number, end: number,
  alpha: number, s: AlsScratch, out: Float32Array, outOffset: number,
): void {
  const { A, b, z } = s;
  A.set(YtYreg.subarray(0, f * f));
  b.fill(0);
  accumulateGramRows(A, f, fixed, f, idx, start, end, vals, alpha, z);
  for (let p = start; p < end; p++) {
    const base = idx[p]! * f;
    const c = 1 + alpha * vals[p]!;
    for (let a = 0; a < f; a++) b[a] = b[a]! + c * fixed[base + a]!;
  }
  choleskySolveInPlace(A, b, f);
  for (let a = 0; a < f; a++) out[outOffset + a] = b[a]!;
}

/**
 * One implicit-feedback row by `steps` conjugate-gradient iterations on the same system,
 * started from the current factors in `out` (Takacs et al. 2011; `implicit`'s
 * least_squares_cg). Never forms the f x f matrix of the row: A v = YtYreg v +
 * sum_j (c_j - 1)(y_j . v) y_j. O(steps (f^2 + n_u f)).
 */
export function solveImplicitRowCg(
  YtYreg: Float64Array, fixed: Float32Array, f: number,
  idx: Int32Array, vals: Float32Array, start: number, end: number,
  alpha: number, steps: number, s: AlsScratch, out: Float32Array, outOffset: number,
): void {
  const { x, r, p, ap } = s;
  for (let a = 0; a < f; a++) x[a] = out[outOffset + a]!;
  // r = b - A x
  symv(YtYreg, f, x, r);
  for (let a = 0; a < f; a++) r[a] = -r[a]!;
  for (let q = start; q < end; q++) {
    const base = idx[q]! * f;
    const cm1 = alpha * vals[q]!;
    let yx = 0;
    for (let a = 0; a < f; a++) yx += fixed[base + a]! * x[a]!;
    const coef = 1 + cm1 - cm1 * yx;
    for (let a = 0; a < f; a++) r[a] = r[a]! + coef * fixed[base + a]!;
  }
  let rsold = 0;
  for (let a = 0; a < f; a++) {
    p[a] = r[a]!;
    rsold += r[a]! * r[a]!;
  }
  for (let it = 0; it < steps && rsold > 1e-20; it++) {
    symv(YtYreg, f, p, ap);
    for (let q = start; q < end; q++) {
      const base = idx[q]! * f;
      const cm1 = alpha * vals[q]!;
      let yp = 0;
      for (let a = 0; a < f; a++) yp += fixed[base + a]! * p[a]!;
      const coef = cm1 * yp;
      for (let a = 0; a < f; a++) ap[a] = ap[a]! + coef * fixed[base + a]!;
    }
    let pap = 0;
    for (let a = 0; a < f; a++) pap += p[a]! * ap[a]!;
    if (!(pap > 0)) break;
    const step = rsold / pap;
    let rsnew = 0;
    for (let a = 0; a < f; a++) {
      x[a] = x[a]! + step * p[a]!;
      r[a] = r[a]! - step * ap[a]!;
      rsnew += r[a]! * r[a]!;
    }
    const beta = rsnew / rsold;
    for (let a = 0; a < f; a++) p[a] = r[a]! + beta * p[a]!;
    rsold = rsnew;
  }
  for (let a = 0; a < f; a++) out[outOffset + a] = x[a]!;
}

// y = M v for a full row-major symmetric f x f M.
function symv(M: Float64Array, f: number, v: Float64Array, y: Float64Array): void {
  for (let i = 0; i < f; i++) {
    const ri = i * f;
    let acc = 0;
    for (let j = 0; j < f; j++) acc += M[ri + j]! * v[j]!;
    y[i] = acc;
  }
}
